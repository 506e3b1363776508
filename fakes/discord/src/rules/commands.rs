//! Application command rules: what Discord's developer documentation says a registered
//! command must be, checked for a bulk overwrite (`PUT`) as a whole and for a single upsert.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::{Problems, at, check_int, check_text};

/// Discord's pattern for chat-input command and option names (they must also be lowercase).
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").expect("a valid pattern")
});

/// Characters a command may have in its names, descriptions and choices, all levels together.
const TOTAL_CHARACTERS: usize = 8000;

/// A bulk overwrite: each command valid, at most 100 chat-input, 5 user and 5 message
/// commands, and no two of one type with the same name. `None` if Discord would accept it.
pub(crate) fn check_commands(commands: &Value) -> Option<Value> {
    let mut problems = Problems::default();
    let Some(list) = commands.as_array() else {
        problems.add(&[], "BASE_TYPE_ARRAY", "Must be an array.");
        return problems.into_body();
    };
    let mut seen = HashSet::new();
    let mut per_type = [0_usize; 4];
    for (i, command) in list.iter().enumerate() {
        let path = vec![i.to_string()];
        check_one(&mut problems, command, &path);
        let kind = command_type(command);
        let name = command.get("name").and_then(Value::as_str).unwrap_or_default();
        if !seen.insert((kind, name.to_owned())) {
            let message = "Application command names must be unique";
            problems.add(&at(&path, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", message);
        }
        if let Some(count) = usize::try_from(kind).ok().and_then(|k| per_type.get_mut(k)) {
            *count += 1;
        }
    }
    if per_type[1] > 100 || per_type[2] > 5 || per_type[3] > 5 {
        problems.add(&[], "BASE_TYPE_MAX_LENGTH", "Too many application commands of one type.");
    }
    problems.into_body()
}

/// One command (an upsert). `None` if Discord would accept it.
pub(crate) fn check_command(command: &Value) -> Option<Value> {
    let mut problems = Problems::default();
    check_one(&mut problems, command, &[]);
    problems.into_body()
}

fn command_type(command: &Value) -> u64 {
    command.get("type").and_then(Value::as_u64).unwrap_or(1)
}

fn check_one(problems: &mut Problems, command: &Value, path: &[String]) {
    if !command.is_object() {
        problems.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        return;
    }
    match command_type(command) {
        1 => {
            check_name(problems, command, path);
            check_text(problems, command, path, "description", (1, 100), true);
            check_localized(problems, command, path);
            let options = command.get("options").unwrap_or(&Value::Null);
            check_options(problems, options, &at(path, "options"), Level::Top);
            let total = characters(command);
            if total > TOTAL_CHARACTERS {
                let message = format!(
                    "Command exceeds maximum size ({TOTAL_CHARACTERS}): {total} characters"
                );
                problems.add(path, "APPLICATION_COMMAND_TOO_LARGE", message);
            }
        }
        2 | 3 => {
            check_text(problems, command, path, "name", (1, 32), true);
            if command.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()) {
                let message = "User and message commands cannot have a description.";
                problems.add(&at(path, "description"), "APPLICATION_COMMAND_INVALID", message);
            }
            if command.get("options").and_then(Value::as_array).is_some_and(|o| !o.is_empty()) {
                let message = "User and message commands cannot have options.";
                problems.add(&at(path, "options"), "APPLICATION_COMMAND_INVALID", message);
            }
        }
        _ => {
            problems.add(&at(path, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3).")
        }
    }
}

/// A chat-input name: the pattern, and lowercase wherever a character has a lowercase form.
fn name_ok(name: &str) -> bool {
    NAME.is_match(name) && name.to_lowercase() == name
}

fn check_name(problems: &mut Problems, value: &Value, path: &[String]) {
    match value.get("name").and_then(Value::as_str) {
        Some(name) if name_ok(name) => {}
        Some(_) => {
            let message = "Command name is invalid";
            problems.add(&at(path, "name"), "APPLICATION_COMMAND_INVALID_NAME", message);
        }
        None => problems.add(&at(path, "name"), "BASE_TYPE_REQUIRED", "This field is required"),
    }
}

/// `name_localizations` follow the name's rules, `description_localizations` 1–100.
fn check_localized(problems: &mut Problems, value: &Value, path: &[String]) {
    let maps = |key: &str| value.get(key).and_then(Value::as_object).into_iter().flatten();
    for (locale, name) in maps("name_localizations") {
        if !name.as_str().is_some_and(name_ok) {
            let l_path = at(&at(path, "name_localizations"), locale);
            problems.add(&l_path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
        }
    }
    for (locale, text) in maps("description_localizations") {
        let len = text.as_str().map_or(0, |s| s.chars().count());
        if !(1..=100).contains(&len) {
            let l_path = at(&at(path, "description_localizations"), locale);
            problems.add(&l_path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
        }
    }
}

/// Where an options list sits: a command's own options, a group's, or a subcommand's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Group,
    Subcommand,
}

fn check_options(problems: &mut Problems, options: &Value, path: &[String], level: Level) {
    let Some(list) = options.as_array() else {
        if !options.is_null() {
            problems.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
        }
        return;
    };
    if list.len() > 25 {
        problems.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    let kinds: Vec<u64> =
        list.iter().map(|o| o.get("type").and_then(Value::as_u64).unwrap_or(0)).collect();
    let nested = kinds.iter().filter(|k| matches!(k, 1 | 2)).count();
    match level {
        Level::Top if nested > 0 && nested < list.len() => {
            let message = "Subcommands and groups cannot be mixed with other options.";
            problems.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message);
        }
        Level::Group if kinds.iter().any(|k| *k != 1) => {
            let message = "A subcommand group may only contain subcommands.";
            problems.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message);
        }
        Level::Subcommand if nested > 0 => {
            let message = "A subcommand cannot contain subcommands or groups.";
            problems.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message);
        }
        _ => {}
    }
    let mut names = HashSet::new();
    let mut optional_seen = false;
    for (i, option) in list.iter().enumerate() {
        let o_path = at(path, i);
        let kind = kinds[i];
        if !(1..=11).contains(&kind) {
            let message = "Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).";
            problems.add(&at(&o_path, "type"), "BASE_TYPE_CHOICES", message);
        }
        check_name(problems, option, &o_path);
        check_text(problems, option, &o_path, "description", (1, 100), true);
        check_localized(problems, option, &o_path);
        if let Some(name) = option.get("name").and_then(Value::as_str)
            && !names.insert(name)
        {
            let message = "Option names must be unique";
            problems.add(
                &at(&o_path, "name"),
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                message,
            );
        }
        let required = option.get("required").and_then(Value::as_bool) == Some(true);
        if required && optional_seen {
            let message = "Required options must be placed before non-required options";
            problems.add(
                &at(&o_path, "required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                message,
            );
        }
        optional_seen |= !required;
        check_choices(problems, option, &o_path, kind);
        if kind == 3 {
            check_int(problems, option, &o_path, "min_length", (0, 6000));
            check_int(problems, option, &o_path, "max_length", (1, 6000));
        }
        let inner = option.get("options").unwrap_or(&Value::Null);
        match kind {
            1 => check_options(problems, inner, &at(&o_path, "options"), Level::Subcommand),
            2 => check_options(problems, inner, &at(&o_path, "options"), Level::Group),
            _ if inner.as_array().is_some_and(|o| !o.is_empty()) => {
                let message = "Only subcommands and groups have options.";
                problems.add(
                    &at(&o_path, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    message,
                );
            }
            _ => {}
        }
    }
}

/// Choices: only string, integer and number options; at most 25, names 1–100, values of the
/// option's type (strings at most 100); never together with `autocomplete`, which is itself
/// only for those three types.
fn check_choices(problems: &mut Problems, option: &Value, path: &[String], kind: u64) {
    let choices = option.get("choices").and_then(Value::as_array).filter(|c| !c.is_empty());
    let autocomplete = option.get("autocomplete").and_then(Value::as_bool) == Some(true);
    let choosable = matches!(kind, 3 | 4 | 10);
    if autocomplete && (choices.is_some() || !choosable) {
        let message = "Autocomplete cannot be set with choices, and only on strings and numbers.";
        problems.add(
            &at(path, "autocomplete"),
            "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
            message,
        );
    }
    let Some(choices) = choices else { return };
    let c_path = at(path, "choices");
    if !choosable {
        problems.add(
            &c_path,
            "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
            "This option cannot have choices.",
        );
    }
    if choices.len() > 25 {
        problems.add(&c_path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    for (i, choice) in choices.iter().enumerate() {
        let path = at(&c_path, i);
        check_text(problems, choice, &path, "name", (1, 100), true);
        let value = choice.get("value").unwrap_or(&Value::Null);
        let fits = match kind {
            3 => value.as_str().is_some_and(|s| s.chars().count() <= 100),
            4 => value.is_i64() || value.is_u64(),
            _ => value.is_number(),
        };
        if !fits {
            problems.add(
                &at(&path, "value"),
                "APPLICATION_COMMAND_OPTION_CHOICE_VALUE_INVALID",
                "Invalid choice value.",
            );
        }
    }
}

/// The characters Discord counts towards a command's size: names, descriptions and choice
/// names and values at every level, each counted at its longest localization.
fn characters(value: &Value) -> usize {
    let longest = |key: &str, localized: &str| {
        let plain = value.get(key).map_or(0, |v| match v {
            Value::String(s) => s.chars().count(),
            Value::Null => 0,
            other => other.to_string().chars().count(),
        });
        let local = value.get(localized).and_then(Value::as_object).into_iter().flatten();
        local.filter_map(|(_, v)| v.as_str()).map(|s| s.chars().count()).fold(plain, usize::max)
    };
    let mut total =
        longest("name", "name_localizations") + longest("description", "description_localizations");
    for choice in value.get("choices").and_then(Value::as_array).into_iter().flatten() {
        total += characters_of_choice(choice);
    }
    for option in value.get("options").and_then(Value::as_array).into_iter().flatten() {
        total += characters(option);
    }
    total
}

fn characters_of_choice(choice: &Value) -> usize {
    let name = choice.get("name").and_then(Value::as_str).map_or(0, |s| s.chars().count());
    let local = choice.get("name_localizations").and_then(Value::as_object).into_iter().flatten();
    let name =
        local.filter_map(|(_, v)| v.as_str()).map(|s| s.chars().count()).fold(name, usize::max);
    let value = match choice.get("value") {
        Some(Value::String(s)) => s.chars().count(),
        Some(other) => other.to_string().chars().count(),
        None => 0,
    };
    name + value
}
