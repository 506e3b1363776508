//! Every word hearth says: Fluent files in `prompts/<locale>/`, embedded in the binary, with an
//! optional folder of the same shape whose messages replace the built-in ones (so a team can
//! co-design its own wording).

pub mod keys;
mod line;
mod puzzles;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use hearth_chat::Platform;
use include_dir::{Dir, include_dir};
pub use line::{Arg, Key, Line};
use std::path::{Path, PathBuf};
use unic_langid::LanguageIdentifier;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/prompts");

/// The locale every other falls back to.
pub const DEFAULT_LOCALE: &str = "en";

#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("{file}: {errors}")]
    Parse { file: String, errors: String },
    #[error("{file}: {message}")]
    Bundle { file: String, message: String },
    #[error("prompt folder name {0:?} is not a language tag (like en or pt-BR)")]
    Locale(String),
    #[error("could not read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("no prompts for the default locale {DEFAULT_LOCALE:?}")]
    NoDefault,
}

pub struct Prompts {
    /// The default locale first.
    bundles: Vec<(String, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Prompts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let locales: Vec<&str> = self.bundles.iter().map(|(l, _)| l.as_str()).collect();
        f.debug_struct("Prompts").field("locales", &locales).finish()
    }
}

impl Prompts {
    /// The embedded prompts, then `override_dir` (if given) on top.
    pub fn load(override_dir: Option<&Path>) -> Result<Self, PromptError> {
        let mut prompts = Prompts { bundles: Vec::new() };
        for dir in EMBEDDED.dirs() {
            let locale = folder_locale(dir.path())?;
            for file in dir.files().filter(|f| is_ftl(f.path())) {
                let name = format!("prompts/{}", file.path().display());
                let text = file.contents_utf8().ok_or_else(|| PromptError::Parse {
                    file: name.clone(),
                    errors: "not UTF-8".into(),
                })?;
                prompts.add(&locale, &name, text.to_owned(), false)?;
            }
        }
        if let Some(root) = override_dir {
            for (locale, path) in override_files(root)? {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| PromptError::Read { path: path.clone(), source })?;
                prompts.add(&locale, &path.display().to_string(), text, true)?;
            }
        }
        let default = prompts
            .bundles
            .iter()
            .position(|(l, _)| l == DEFAULT_LOCALE)
            .ok_or(PromptError::NoDefault)?;
        prompts.bundles.swap(0, default);
        Ok(prompts)
    }

    fn add(
        &mut self,
        locale: &str,
        file: &str,
        text: String,
        overriding: bool,
    ) -> Result<(), PromptError> {
        let resource = FluentResource::try_new(text).map_err(|(_, errors)| PromptError::Parse {
            file: file.to_owned(),
            errors: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
        })?;
        let bundle = match self.bundles.iter_mut().position(|(l, _)| l == locale) {
            Some(i) => &mut self.bundles[i].1,
            None => {
                let id: LanguageIdentifier =
                    locale.parse().map_err(|_| PromptError::Locale(locale.to_owned()))?;
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Fluent's own isolation would wrap every placeable, numbers, dates and command
                // names included, which adapters read ("/checkin" becomes "!checkin" on Matrix).
                // Arguments that need it are isolated by `placed` instead.
                bundle.set_use_isolating(false);
                self.bundles.push((locale.to_owned(), bundle));
                &mut self.bundles.last_mut().expect("just pushed").1
            }
        };
        if overriding {
            bundle.add_resource_overriding(resource);
        } else {
            bundle.add_resource(resource).map_err(|errors| PromptError::Bundle {
                file: file.to_owned(),
                message: errors.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>().join("; "),
            })?;
        }
        Ok(())
    }

    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.bundles.iter().map(|(l, _)| l.as_str())
    }

    /// `(locale, key)` for every key missing from a locale.
    pub fn missing<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Vec<(String, String)> {
        let keys: Vec<&str> = keys.into_iter().collect();
        let mut missing = Vec::new();
        for (locale, bundle) in &self.bundles {
            for key in &keys {
                if bundle.get_message(key).and_then(|m| m.value()).is_none() {
                    missing.push((locale.clone(), (*key).to_owned()));
                }
            }
        }
        missing
    }

    /// The words for `line` in `locale`, falling back to the default locale. Never fails:
    /// a missing message shows its key, and is reported in the log by key only.
    pub fn render(&self, locale: &str, line: &Line) -> String {
        self.render_key(locale, line.key, &line.args)
    }

    /// The words for `line` on one platform: messages may choose their words with
    /// `$platform` (`console`, `discord` or `matrix`), for what differs between them (buttons
    /// or numbered options, an empty answer or a typed `-`).
    pub fn render_on(&self, locale: &str, platform: Platform, line: &Line) -> String {
        self.format(locale, line.key, &line.args, Some(platform))
    }

    /// How many messages `prefix-1`, `prefix-2`, … exist without a gap in the default
    /// locale: a collection (exercises, riddles) a team can extend in its own prompts.
    pub fn count(&self, prefix: &str) -> u32 {
        let Some((_, bundle)) = self.bundles.first() else { return 0 };
        (1..).take_while(|n| bundle.has_message(&format!("{prefix}-{n}"))).count() as u32
    }

    /// A message of a collection, or any message named at run time.
    pub fn render_key(&self, locale: &str, key: &str, line_args: &[(&'static str, Arg)]) -> String {
        self.format(locale, key, line_args, None)
    }

    fn format(
        &self,
        locale: &str,
        key: &str,
        line_args: &[(&'static str, Arg)],
        platform: Option<Platform>,
    ) -> String {
        let found = self
            .bundles
            .iter()
            .filter(|(l, _)| l == locale)
            .chain(self.bundles.first())
            .find_map(|(_, b)| b.get_message(key).and_then(|m| m.value()).map(|p| (b, p)));
        let Some((bundle, pattern)) = found else {
            tracing::error!(key, "prompt missing");
            return key.to_owned();
        };
        let mut args = FluentArgs::new();
        if let Some(platform) = platform {
            args.set("platform", FluentValue::from(platform.as_str()));
        }
        for (name, value) in line_args {
            match value {
                Arg::Str(s) => args.set(*name, FluentValue::from(placed(s))),
                Arg::Num(n) => args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, errors = errors.len(), "prompt formatting problem");
        }
        text.into_owned()
    }
}

/// First Strong Isolate and Pop Directional Isolate: what stands between them is laid out on
/// its own, in its own direction.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// A string argument as it is placed in a sentence. This is where text people typed (agenda
/// items, topics, community names, names, notes, shared lines) becomes part of hearth's words,
/// so it is the one place that keeps its direction from spilling over them: an argument with
/// anything beyond ASCII (right-to-left letters, an unterminated U+202E override) is isolated.
/// ASCII has no direction of its own to spill over its neighbours, so hearth's own words stay
/// as they are: dates, command names (which Matrix rewrites to `!checkin`) and the words that
/// pick a message's variant, which would match no variant if they were wrapped.
fn placed(text: &str) -> String {
    if text.is_ascii() { text.to_owned() } else { format!("{FSI}{text}{PDI}") }
}

fn is_ftl(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "ftl")
}

fn folder_locale(path: &Path) -> Result<String, PromptError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.parse::<LanguageIdentifier>().map_err(|_| PromptError::Locale(name.to_owned()))?;
    Ok(name.to_owned())
}

fn override_files(root: &Path) -> Result<Vec<(String, PathBuf)>, PromptError> {
    let read = |path: &Path| {
        std::fs::read_dir(path)
            .map_err(|source| PromptError::Read { path: path.to_owned(), source })
    };
    let mut files = Vec::new();
    for entry in read(root)? {
        let dir =
            entry.map_err(|source| PromptError::Read { path: root.to_owned(), source })?.path();
        if !dir.is_dir() {
            continue;
        }
        let locale = folder_locale(&dir)?;
        for entry in read(&dir)? {
            let path =
                entry.map_err(|source| PromptError::Read { path: dir.clone(), source })?.path();
            if is_ftl(&path) {
                files.push((locale.clone(), path));
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_shipped_locale() {
        let prompts = Prompts::load(None).unwrap();
        assert_eq!(prompts.missing(keys::ALL.iter().copied()), Vec::<(String, String)>::new());
    }

    #[test]
    fn overrides_replace_words_and_bad_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("en")).unwrap();
        let file = dir.path().join("en").join("ours.ftl");
        std::fs::write(&file, "checkin-ask = How's your day starting?\n").unwrap();
        let prompts = Prompts::load(Some(dir.path())).unwrap();
        assert_eq!(prompts.render("en", &Line::new(keys::CHECKIN_ASK)), "How's your day starting?");
        // Unknown locales fall back to the default.
        assert_eq!(prompts.render("xx", &Line::new(keys::OPTION_PASS)), "Pass");

        std::fs::write(&file, "checkin-ask = {\n").unwrap();
        let err = Prompts::load(Some(dir.path())).unwrap_err().to_string();
        assert!(err.contains("ours.ftl"), "{err}");
    }

    #[test]
    fn text_with_a_direction_of_its_own_is_isolated() {
        let prompts = Prompts::load(None).unwrap();
        let line = |name: &str| {
            prompts.render("en", &Line::new(keys::REQUEST_PING_NAMED).arg("name", name))
        };
        // An unterminated right-to-left override stays inside its isolate.
        let said = line("bo\u{202E}drawkcab");
        assert!(said.starts_with("\u{2068}bo\u{202E}drawkcab\u{2069} would like"), "{said:?}");
        assert!(line("\u{5D3}\u{5E0}\u{5D4}").starts_with('\u{2068}'));
        // ASCII is left as it is, and still picks a message's variant.
        assert!(line("bo").starts_with("bo would like"));
        let picked = Line::new(keys::REQUEST_ACCEPTED_HINT).arg("room", "thread");
        assert!(prompts.render("en", &picked).contains("Manage Threads"));
    }

    #[test]
    fn plurals_and_variables() {
        let prompts = Prompts::load(None).unwrap();
        let one = prompts.render("en", &Line::new(keys::KEEP_OFF).arg("count", 1i64));
        assert!(one.contains("the one I had"), "{one}");
        let many = prompts.render("en", &Line::new(keys::KEEP_OFF).arg("count", 4i64));
        assert!(many.contains("the 4 I had"), "{many}");
    }
}
