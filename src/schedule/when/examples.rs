//! Every "when" shown to people as an example — in the prompts of every locale (command
//! descriptions, hints, the answer to a mistake) and in the README — parses. A shipped example
//! that does not is a promise hearth breaks on first use.

use super::When;
use chrono::{TimeZone, Utc};
use std::path::Path;

/// Words after which a prompt line gives examples.
const MARKERS: &[&str] = &["like", "example", "say it"];

/// Does `fragment` look like a "when" (rather than prose)?
fn is_when(fragment: &str) -> bool {
    let mut words = fragment.split_whitespace();
    let (Some(first), second) = (words.next(), words.next()) else { return false };
    let digit = |w: Option<&str>| w.is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    match first {
        "every" | "cron" | "tomorrow" => true,
        "in" => digit(second),
        _ => digit(Some(first)) && first.len() == 10 && first.contains('-') && second.is_some(),
    }
}

/// The examples in one prompt line: fragments after a marker, split where a list splits.
fn from_prompt_line(line: &str) -> Vec<String> {
    let lower = line.to_lowercase();
    let Some(start) = MARKERS.iter().filter_map(|m| lower.find(m).map(|i| i + m.len())).min()
    else {
        return Vec::new();
    };
    // Days in a list (`mon,wed`) have no space after their comma; list items do.
    // The examples end with their sentence.
    let sentence = lower[start..].split(". ").next().unwrap_or_default();
    let mut list = sentence.to_owned();
    for separator in [", or ", ", ", " or ", "(", ")", ";", ": "] {
        list = list.replace(separator, "\n");
    }
    list.lines()
        .map(|part| up_to_time(part.trim().trim_end_matches('.').trim()))
        .filter(|part| !part.contains('{') && is_when(part))
        .collect()
}

/// A "when" that names a time of day ends there (`every weekday 09:00-17:00 for one`); one
/// without (`every 4th week`) is kept whole, to fail.
fn up_to_time(text: &str) -> String {
    if text.starts_with("cron ") {
        return text.to_owned();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_time = |w: &&str| {
        w.starts_with(|c: char| c.is_ascii_digit())
            && (w.contains(':') || w.ends_with("am") || w.ends_with("pm"))
    };
    match words.iter().position(is_time) {
        Some(last) => words[..=last].join(" "),
        None => text.to_owned(),
    }
}

/// The examples in a Markdown file: code spans that are a "when".
fn from_markdown(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).filter(|span| is_when(span)).map(str::to_owned).collect()
}

fn shipped() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let locales = std::fs::read_dir(root.join("prompts")).unwrap();
    for locale in locales {
        for file in std::fs::read_dir(locale.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                for example in from_prompt_line(line) {
                    found.push((path.display().to_string(), example));
                }
            }
        }
    }
    for doc in ["README.md", "docs/PRIVACY.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        found.extend(from_markdown(&text).into_iter().map(|e| (doc.to_owned(), e)));
    }
    found
}

#[test]
fn every_shipped_example_parses() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let examples = shipped();
    let texts: Vec<&str> = examples.iter().map(|(_, e)| e.as_str()).collect();
    // The extraction itself is checked: these are shown today, in prompts and README.
    for expected in [
        "every 1st thursday 12:30",
        "every 4 weeks mon 10:00",
        "every mon,wed 09:00-17:00",
        "cron 0 30 8 * * 1-5",
        "in 5 minutes",
    ] {
        assert!(texts.contains(&expected), "{expected} not found in {texts:?}");
    }
    for (file, example) in &examples {
        let parsed = When::parse(example, now, chrono_tz::Europe::London);
        assert!(parsed.is_ok(), "{file}: `{example}` does not parse: {parsed:?}");
    }
}

#[test]
fn the_extraction_reads_lists_and_leaves_prose() {
    let line = "x = Like: every mon,wed 09:00-17:00, every 4th week (or off), or in 5 minutes.";
    assert_eq!(
        from_prompt_line(line),
        ["every mon,wed 09:00-17:00", "every 4th week", "in 5 minutes"]
    );
    let prose = "x = Write it like every weekday 09:00-17:00 for one. Every step can be skipped.";
    assert_eq!(from_prompt_line(prose), ["every weekday 09:00-17:00"]);
}
