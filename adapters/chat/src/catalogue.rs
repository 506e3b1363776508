//! The command catalogue: every command described once, and the parser for typed commands.
//!
//! The core builds the catalogue; `/help`, typed-command parsing (console, Matrix) and Discord's
//! application commands are all derived from it. Parsing checks shape only (is it a number, is
//! it one of the allowed words, is it short enough); what a value means is the core's business.

use crate::inbound::Platform;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Catalogue {
    pub commands: Vec<CommandSpec>,
}

/// Who may use a command or subcommand. The core enforces it; adapters may use it to hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Everyone,
    TeamAdmin,
}

#[derive(Clone, Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    /// Prompt key of a one-line description.
    pub summary_key: &'static str,
    /// At least one. The one marked `is_default` runs when the command is typed bare.
    pub subcommands: Vec<SubcommandSpec>,
}

#[derive(Clone, Debug)]
pub struct SubcommandSpec {
    pub name: &'static str,
    /// Typed bare (`/checkin`), the command runs this subcommand. Platforms that need an
    /// explicit subcommand (Discord) use `name`.
    pub is_default: bool,
    pub summary_key: &'static str,
    pub access: Access,
    /// Typed where others can read it, the command would give away what should stay between
    /// the person and hearth: its words (a private agenda item, an anonymous topic) or that
    /// they asked at all (a debrief request, reduced capacity). The core refuses it in shared
    /// places on platforms where typed commands stay in everyone's history.
    pub private: bool,
    pub args: Vec<ArgSpec>,
}

#[derive(Clone, Debug)]
pub struct ArgSpec {
    pub name: &'static str,
    pub summary_key: &'static str,
    pub kind: ArgKind,
    pub required: bool,
}

/// The longest typed name or user id read as a person.
pub const MAX_PERSON_CHARS: usize = 255;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// Free text. As the last argument it takes the rest of the line, quotes optional.
    Text {
        max_chars: usize,
    },
    Integer {
        min: i64,
        max: i64,
    },
    /// One of a fixed set of words (case-insensitive).
    OneOf(&'static [&'static str]),
    /// An IANA timezone name; the core checks it exists.
    Timezone,
    /// A teammate. Typed as their platform user id, a mention or a display name (a name on the
    /// console; as the last argument, the rest of the line); on Discord a user picker. Arrives
    /// as `ArgValue::Text` holding the picked user's id, or what was typed, which the Matrix
    /// adapter turns into a user id where it can.
    Person,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgValue {
    Text(String),
    Integer(i64),
    Word(&'static str),
}

/// A command with its subcommand chosen and its arguments checked against the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandCall {
    pub command: String,
    pub subcommand: String,
    pub args: BTreeMap<String, ArgValue>,
}

impl CommandCall {
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.args.get(name) {
            Some(ArgValue::Text(t)) => Some(t),
            Some(ArgValue::Word(w)) => Some(w),
            _ => None,
        }
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.args.get(name) {
            Some(ArgValue::Integer(i)) => Some(*i),
            _ => None,
        }
    }
}

/// Why a typed command could not be read. Carries what the core needs for a kind answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("no command was given")]
    Empty,
    #[error("the command line is longer than {max_chars} characters")]
    LineTooLong { max_chars: usize },
    #[error("unknown command")]
    UnknownCommand { given: String },
    #[error("unknown subcommand of {command}")]
    UnknownSubcommand { command: &'static str, given: String },
    #[error("{command} {subcommand} needs {arg}")]
    MissingArgument { command: &'static str, subcommand: &'static str, arg: &'static str },
    #[error("{command} {subcommand}: {arg} is not valid")]
    InvalidArgument {
        command: &'static str,
        subcommand: &'static str,
        arg: &'static str,
        kind: ArgKind,
    },
    #[error("{command} {subcommand}: {arg} is longer than {max_chars} characters")]
    TooLong { command: &'static str, subcommand: &'static str, arg: &'static str, max_chars: usize },
    #[error("{command} {subcommand} was given more than it takes")]
    TooManyArguments { command: &'static str, subcommand: &'static str },
}

/// Longest command line worth reading at all; anything longer is answered, not parsed.
pub const MAX_COMMAND_CHARS: usize = 8_000;

impl Catalogue {
    pub fn command(&self, name: &str) -> Option<&CommandSpec> {
        self.commands.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// How people type a subcommand on `platform`, without the prefix: a command's default
    /// subcommand is typed bare (`available`, `checkin`) where the platform allows it or where
    /// it is the only one, and by name otherwise (`checkin now` on Discord).
    pub fn typed_name(&self, command: &str, subcommand: &str, platform: Platform) -> String {
        let bare = self.command(command).is_some_and(|c| {
            c.subcommands.iter().any(|s| s.name == subcommand && s.is_default)
                && (c.subcommands.len() == 1 || platform.types_default_subcommand_bare())
        });
        if bare { command.to_owned() } else { format!("{command} {subcommand}") }
    }

    /// Parses a typed command without its prefix, e.g. `checkin history` or
    /// `setup resources "Call 111"`.
    pub fn parse(&self, line: &str) -> Result<CommandCall, CommandError> {
        let line = line.trim();
        if line.len() > MAX_COMMAND_CHARS {
            return Err(CommandError::LineTooLong { max_chars: MAX_COMMAND_CHARS });
        }
        let (name, rest) = split_word(line);
        if name.is_empty() {
            return Err(CommandError::Empty);
        }
        let command = self
            .command(name)
            .ok_or_else(|| CommandError::UnknownCommand { given: clip(name, 40) })?;

        let (word, after_word) = split_word(rest);
        let named = command
            .subcommands
            .iter()
            .find(|s| !word.is_empty() && s.name.eq_ignore_ascii_case(word));
        let (sub, rest) = match named {
            Some(sub) => (sub, after_word),
            None => match command.subcommands.iter().find(|s| s.is_default) {
                // A default that takes no arguments cannot explain a stray word, but a
                // subcommand name typed wrongly can be pointed out.
                Some(sub) if !word.is_empty() && sub.args.is_empty() => {
                    return Err(CommandError::UnknownSubcommand {
                        command: command.name,
                        given: clip(word, 40),
                    });
                }
                Some(sub) => (sub, rest),
                None => {
                    return Err(CommandError::UnknownSubcommand {
                        command: command.name,
                        given: clip(word, 40),
                    });
                }
            },
        };
        let args = parse_args(command.name, sub, rest)?;
        Ok(CommandCall { command: command.name.to_owned(), subcommand: sub.name.to_owned(), args })
    }
}

fn parse_args(
    command: &'static str,
    sub: &SubcommandSpec,
    mut rest: &str,
) -> Result<BTreeMap<String, ArgValue>, CommandError> {
    let mut args = BTreeMap::new();
    for (i, spec) in sub.args.iter().enumerate() {
        let is_last = i + 1 == sub.args.len();
        // Free text, or a person's name (display names have spaces), as the last argument
        // takes the rest of the line.
        let raw = if is_last && matches!(spec.kind, ArgKind::Text { .. } | ArgKind::Person) {
            let all = unquote(rest.trim());
            rest = "";
            all
        } else {
            let (token, after) = split_token(rest);
            rest = after;
            token
        };
        if raw.is_empty() {
            if spec.required {
                return Err(CommandError::MissingArgument {
                    command,
                    subcommand: sub.name,
                    arg: spec.name,
                });
            }
            continue;
        }
        let invalid = || CommandError::InvalidArgument {
            command,
            subcommand: sub.name,
            arg: spec.name,
            kind: spec.kind,
        };
        let value = match spec.kind {
            ArgKind::Text { max_chars } => {
                if raw.chars().count() > max_chars {
                    return Err(CommandError::TooLong {
                        command,
                        subcommand: sub.name,
                        arg: spec.name,
                        max_chars,
                    });
                }
                ArgValue::Text(raw.to_owned())
            }
            ArgKind::Integer { min, max } => match raw.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => ArgValue::Integer(n),
                _ => return Err(invalid()),
            },
            ArgKind::OneOf(words) => match words.iter().find(|w| w.eq_ignore_ascii_case(raw)) {
                Some(w) => ArgValue::Word(w),
                None => return Err(invalid()),
            },
            ArgKind::Timezone => {
                if raw.len() > 64 {
                    return Err(invalid());
                }
                ArgValue::Text(raw.to_owned())
            }
            ArgKind::Person => {
                if raw.chars().count() > MAX_PERSON_CHARS {
                    return Err(invalid());
                }
                ArgValue::Text(raw.to_owned())
            }
        };
        args.insert(spec.name.to_owned(), value);
    }
    if !rest.trim().is_empty() {
        return Err(CommandError::TooManyArguments { command, subcommand: sub.name });
    }
    Ok(args)
}

/// The first whitespace-separated word, and the rest.
fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

const OPEN_QUOTES: [char; 2] = ['"', '\u{201C}'];
const CLOSE_QUOTES: [char; 2] = ['"', '\u{201D}'];

/// One argument: a word, or a double-quoted phrase (straight or curly quotes). An unclosed
/// quote takes the rest of the line rather than failing.
fn split_token(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let Some(first) = s.chars().next() else { return ("", "") };
    if OPEN_QUOTES.contains(&first) {
        let body = &s[first.len_utf8()..];
        return match body.find(CLOSE_QUOTES) {
            Some(end) => {
                let close_len = body[end..].chars().next().map_or(1, char::len_utf8);
                (&body[..end], &body[end + close_len..])
            }
            None => (body, ""),
        };
    }
    split_word(s)
}

fn unquote(s: &str) -> &str {
    let mut chars = s.chars();
    match (chars.next(), chars.next_back()) {
        (Some(a), Some(b)) if OPEN_QUOTES.contains(&a) && CLOSE_QUOTES.contains(&b) => {
            let inner = &s[a.len_utf8()..s.len() - b.len_utf8()];
            // Only strip when the quotes wrap the whole text, not `"a" and "b"`.
            if inner.contains(CLOSE_QUOTES) { s } else { inner }
        }
        _ => s,
    }
}

/// Echo at most `max` characters of something a person typed inside an error.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        let sub = |name, is_default, args| SubcommandSpec {
            name,
            is_default,
            summary_key: "k",
            access: Access::Everyone,
            private: false,
            args,
        };
        let arg = |name, kind, required| ArgSpec { name, summary_key: "k", kind, required };
        Catalogue {
            commands: vec![
                CommandSpec {
                    name: "checkin",
                    summary_key: "k",
                    subcommands: vec![
                        sub("now", true, vec![]),
                        sub("history", false, vec![]),
                        sub(
                            "keep",
                            false,
                            vec![arg("choice", ArgKind::OneOf(&["on", "off"]), true)],
                        ),
                    ],
                },
                CommandSpec {
                    name: "setup",
                    summary_key: "k",
                    subcommands: vec![
                        sub(
                            "threshold",
                            false,
                            vec![arg("people", ArgKind::Integer { min: 3, max: 50 }, true)],
                        ),
                        sub(
                            "resources",
                            false,
                            vec![arg("text", ArgKind::Text { max_chars: 10 }, true)],
                        ),
                        sub(
                            "pair",
                            false,
                            vec![
                                arg("a", ArgKind::Text { max_chars: 10 }, true),
                                arg("b", ArgKind::Text { max_chars: 10 }, false),
                            ],
                        ),
                    ],
                },
                CommandSpec {
                    name: "help",
                    summary_key: "k",
                    subcommands: vec![sub(
                        "show",
                        true,
                        vec![arg("command", ArgKind::Text { max_chars: 30 }, false)],
                    )],
                },
            ],
        }
    }

    #[test]
    fn bare_command_runs_default_subcommand() {
        let call = catalogue().parse("  CheckIn  ").unwrap();
        assert_eq!((call.command.as_str(), call.subcommand.as_str()), ("checkin", "now"));
        let call = catalogue().parse("checkin now").unwrap();
        assert_eq!(call.subcommand, "now");
    }

    #[test]
    fn named_subcommand_and_words() {
        let call = catalogue().parse("checkin keep OFF").unwrap();
        assert_eq!(call.args.get("choice"), Some(&ArgValue::Word("off")));
        assert!(matches!(
            catalogue().parse("checkin keep maybe"),
            Err(CommandError::InvalidArgument { arg: "choice", .. })
        ));
        assert!(matches!(
            catalogue().parse("checkin keep"),
            Err(CommandError::MissingArgument { arg: "choice", .. })
        ));
    }

    #[test]
    fn unknown_things_are_named() {
        assert_eq!(
            catalogue().parse("chekin"),
            Err(CommandError::UnknownCommand { given: "chekin".into() })
        );
        assert_eq!(
            catalogue().parse("checkin histroy"),
            Err(CommandError::UnknownSubcommand { command: "checkin", given: "histroy".into() })
        );
        assert_eq!(catalogue().parse("   "), Err(CommandError::Empty));
    }

    #[test]
    fn integers_are_bounded() {
        assert_eq!(catalogue().parse("setup threshold 4").unwrap().integer("people"), Some(4));
        for bad in ["2", "51", "three", "99999999999999999999999"] {
            assert!(
                matches!(
                    catalogue().parse(&format!("setup threshold {bad}")),
                    Err(CommandError::InvalidArgument { .. })
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            catalogue().parse("setup threshold 4 5"),
            Err(CommandError::TooManyArguments { .. })
        ));
    }

    #[test]
    fn last_text_takes_the_rest_and_quotes_are_optional() {
        let c = catalogue();
        assert_eq!(c.parse("setup resources  call  me ").unwrap().text("text"), Some("call  me"));
        assert_eq!(c.parse("setup resources \"call me\"").unwrap().text("text"), Some("call me"));
        assert_eq!(c.parse("setup resources “hi”").unwrap().text("text"), Some("hi"));
        assert_eq!(
            c.parse("setup resources \"a\" \"b\"").unwrap().text("text"),
            Some("\"a\" \"b\"")
        );
        assert!(matches!(
            c.parse("setup resources 01234567890"),
            Err(CommandError::TooLong { max_chars: 10, .. })
        ));
        let call = c.parse("setup pair \"two words\" rest of it").unwrap();
        assert_eq!((call.text("a"), call.text("b")), (Some("two words"), Some("rest of it")));
        let call = c.parse("setup pair \"unclosed q").unwrap();
        assert_eq!((call.text("a"), call.text("b")), (Some("unclosed q"), None));
    }

    #[test]
    fn unicode_and_huge_input_do_not_panic() {
        let c = catalogue();
        assert!(c.parse("help ✨🌈").is_ok());
        assert!(c.parse("setup pair “ü").is_ok());
        let long = "x".repeat(100_000);
        assert!(matches!(
            c.parse(&format!("help {}", &long[..1000])),
            Err(CommandError::TooLong { .. })
        ));
        assert!(matches!(c.parse(&long), Err(CommandError::LineTooLong { .. })));
        assert!(
            matches!(c.parse(&"y".repeat(500)), Err(CommandError::UnknownCommand { given }) if given.len() == 40)
        );
    }
}
