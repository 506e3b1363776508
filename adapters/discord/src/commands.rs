//! The catalogue as Discord application commands, and back: a slash command's options as a
//! `CommandCall`, and whether the option being typed is a timezone (for autocomplete).
//!
//! Mapping. Discord cannot offer both a bare command and its subcommands, so:
//! - a command with a single subcommand (`/weather`, `/help [command]`, `/privacy`) is
//!   registered bare, that subcommand's arguments as its options;
//! - a command with several is registered with all of them as Discord subcommands, the
//!   default one under its own name (`/checkin now`, `/setup show`).
//!
//! Arguments: `Text` is a string with `max_length`, `Integer` an integer with its range,
//! `OneOf` a string with fixed choices, `Timezone` a string with autocomplete over the IANA
//! names, `Person` a user picker whose answer reaches the core as the user's id. Descriptions come from prompts/ through `Handler::describe` (Discord requires 1–100
//! characters). Commands exist in guilds only (a guild is a team; hearth has no team to answer
//! for in a DM), and a command every subcommand of which is for team admins is hidden from
//! others by `default_member_permissions` (the core checks again on every call).

use crate::text::truncate;
use hearth_chat::{
    Access, ArgKind, ArgSpec, ArgValue, Catalogue, CommandCall, CommandError, CommandSpec, Handler,
    SubcommandSpec,
};
use serenity::all::{
    CommandData, CommandDataOption, CommandDataOptionValue, CommandOptionType, CreateCommand,
    CreateCommandOption, InstallationContext, InteractionContext, Permissions,
};
use std::collections::BTreeMap;

pub const MAX_DESCRIPTION: usize = 100;
/// Discord's limit on a string option's `max_length`.
pub const MAX_STRING_OPTION: usize = 6_000;
pub const MAX_CHOICES: usize = 25;
/// The longest timezone name the core accepts.
const MAX_TIMEZONE: usize = 64;

/// Every catalogue command as a Discord application command, described in `locale`.
pub fn commands(handler: &dyn Handler, locale: &str) -> Vec<CreateCommand> {
    let describe = |key| description(&handler.describe(key, locale), key);
    handler
        .catalogue()
        .commands
        .iter()
        .map(|spec| {
            let mut command = CreateCommand::new(spec.name.to_lowercase())
                .description(describe(spec.summary_key))
                .contexts(vec![InteractionContext::Guild])
                .integration_types(vec![InstallationContext::Guild]);
            if spec.subcommands.iter().all(|s| s.access == Access::TeamAdmin) {
                command = command.default_member_permissions(Permissions::MANAGE_GUILD);
            }
            match flat(spec) {
                Some(sub) => command.set_options(options(sub, &describe)),
                None => command.set_options(
                    spec.subcommands
                        .iter()
                        .map(|sub| {
                            CreateCommandOption::new(
                                CommandOptionType::SubCommand,
                                sub.name.to_lowercase(),
                                describe(sub.summary_key),
                            )
                            .set_sub_options(options(sub, &describe))
                        })
                        .collect(),
                ),
            }
        })
        .collect()
}

/// The one subcommand of a command registered bare.
fn flat(spec: &CommandSpec) -> Option<&SubcommandSpec> {
    match spec.subcommands.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

fn options(
    sub: &SubcommandSpec,
    describe: &dyn Fn(&'static str) -> String,
) -> Vec<CreateCommandOption> {
    // Discord wants required options first.
    let mut args: Vec<&ArgSpec> = sub.args.iter().collect();
    args.sort_by_key(|a| !a.required);
    args.into_iter()
        .map(|arg| {
            let name = arg.name.to_lowercase();
            let text = describe(arg.summary_key);
            let option = match arg.kind {
                ArgKind::Text { max_chars } => {
                    CreateCommandOption::new(CommandOptionType::String, name, text)
                        .max_length(clamp_u16(max_chars.clamp(1, MAX_STRING_OPTION)))
                }
                ArgKind::Integer { min, max } => {
                    let mut option =
                        CreateCommandOption::new(CommandOptionType::Integer, name, text);
                    if let Ok(min) = u64::try_from(min) {
                        option = option.min_int_value(min);
                    }
                    if let Ok(max) = u64::try_from(max) {
                        option = option.max_int_value(max);
                    }
                    option
                }
                ArgKind::OneOf(words) => {
                    let mut option =
                        CreateCommandOption::new(CommandOptionType::String, name, text);
                    if words.len() <= MAX_CHOICES {
                        for word in words {
                            option = option.add_string_choice(*word, *word);
                        }
                    }
                    option
                }
                ArgKind::Timezone => {
                    CreateCommandOption::new(CommandOptionType::String, name, text)
                        .set_autocomplete(true)
                        .max_length(clamp_u16(MAX_TIMEZONE))
                }
                ArgKind::Person => CreateCommandOption::new(CommandOptionType::User, name, text),
            };
            option.required(arg.required)
        })
        .collect()
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A description Discord accepts: 1–100 characters, on one line.
fn description(words: &str, key: &str) -> String {
    let line = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() { truncate(key, MAX_DESCRIPTION) } else { truncate(&line, MAX_DESCRIPTION) }
}

/// A slash command's data as a call checked against the catalogue, the same checks the typed
/// parser makes (Discord enforces most of them already; a stale registration may not).
pub fn call(catalogue: &Catalogue, data: &CommandData) -> Result<CommandCall, CommandError> {
    let spec = catalogue.command(&data.name).ok_or_else(|| CommandError::UnknownCommand {
        given: data.name.chars().take(40).collect(),
    })?;
    let (sub, given) = match flat(spec) {
        Some(sub) => (sub, data.options.as_slice()),
        None => subcommand(spec, &data.options)?,
    };
    let mut args = BTreeMap::new();
    for arg in &sub.args {
        let value = given.iter().find(|o| o.name.eq_ignore_ascii_case(arg.name));
        match value.map(|o| check(spec.name, sub.name, arg, &o.value)).transpose()? {
            Some(value) => {
                args.insert(arg.name.to_owned(), value);
            }
            None if arg.required => {
                return Err(CommandError::MissingArgument {
                    command: spec.name,
                    subcommand: sub.name,
                    arg: arg.name,
                });
            }
            None => {}
        }
    }
    if given.iter().any(|o| !sub.args.iter().any(|a| a.name.eq_ignore_ascii_case(&o.name))) {
        return Err(CommandError::TooManyArguments { command: spec.name, subcommand: sub.name });
    }
    Ok(CommandCall { command: spec.name.to_owned(), subcommand: sub.name.to_owned(), args })
}

fn subcommand<'a>(
    spec: &'a CommandSpec,
    options: &'a [CommandDataOption],
) -> Result<(&'a SubcommandSpec, &'a [CommandDataOption]), CommandError> {
    let unknown = |given: &str| CommandError::UnknownSubcommand {
        command: spec.name,
        given: given.chars().take(40).collect(),
    };
    let Some(CommandDataOption { name, value: CommandDataOptionValue::SubCommand(given), .. }) =
        options.first()
    else {
        return Err(unknown(""));
    };
    let sub = spec
        .subcommands
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| unknown(name))?;
    Ok((sub, given.as_slice()))
}

fn check(
    command: &'static str,
    subcommand: &'static str,
    arg: &ArgSpec,
    value: &CommandDataOptionValue,
) -> Result<ArgValue, CommandError> {
    let invalid =
        || CommandError::InvalidArgument { command, subcommand, arg: arg.name, kind: arg.kind };
    let text = match value {
        CommandDataOptionValue::String(s) => Some(s.as_str()),
        CommandDataOptionValue::Autocomplete { value, .. } => Some(value.as_str()),
        _ => None,
    };
    match (arg.kind, text, value) {
        (ArgKind::Integer { min, max }, _, CommandDataOptionValue::Integer(n)) => {
            if (min..=max).contains(n) { Ok(ArgValue::Integer(*n)) } else { Err(invalid()) }
        }
        (ArgKind::Text { max_chars }, Some(text), _) => {
            if text.chars().count() > max_chars {
                Err(CommandError::TooLong { command, subcommand, arg: arg.name, max_chars })
            } else {
                Ok(ArgValue::Text(text.trim().to_owned()))
            }
        }
        (ArgKind::OneOf(words), Some(text), _) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(text.trim()))
            .map(|w| ArgValue::Word(w))
            .ok_or_else(invalid),
        (ArgKind::Timezone, Some(text), _) if text.len() <= MAX_TIMEZONE => {
            Ok(ArgValue::Text(text.trim().to_owned()))
        }
        (ArgKind::Person, _, CommandDataOptionValue::User(id)) => {
            Ok(ArgValue::Text(id.to_string()))
        }
        _ => Err(invalid()),
    }
}

/// Whether the option being typed in `data` is a timezone, so autocomplete should answer it.
pub fn focused_is_timezone(catalogue: &Catalogue, data: &CommandData) -> bool {
    let Some(focused) = data.autocomplete() else { return false };
    let Some(spec) = catalogue.command(&data.name) else { return false };
    let sub = match flat(spec) {
        Some(sub) => Some(sub),
        None => subcommand(spec, &data.options).ok().map(|(sub, _)| sub),
    };
    sub.and_then(|s| s.args.iter().find(|a| a.name.eq_ignore_ascii_case(focused.name)))
        .is_some_and(|a| a.kind == ArgKind::Timezone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestHandler, catalogue};
    use serde_json::{Value, json};

    fn registered() -> Value {
        serde_json::to_value(commands(&TestHandler::default(), "en")).unwrap()
    }

    fn command<'a>(all: &'a Value, name: &str) -> &'a Value {
        all.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
    }

    #[test]
    fn single_subcommand_commands_are_bare() {
        let all = registered();
        let help = command(&all, "help");
        assert_eq!(help["description"], "Words for cmd-help");
        assert_eq!(help["options"][0]["type"], 3);
        assert_eq!(help["options"][0]["name"], "command");
        assert_eq!(help["options"][0]["max_length"], 40);
        assert_eq!(help["options"][0]["required"], false);
        assert_eq!(help["contexts"], json!([0]));
        assert!(help.get("default_member_permissions").is_none_or(Value::is_null));
    }

    #[test]
    fn several_subcommands_name_the_default_one() {
        let all = registered();
        let checkin = command(&all, "checkin");
        let subs: Vec<&str> = checkin["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(subs, ["now", "history", "keep"]);
        assert!(checkin["options"].as_array().unwrap().iter().all(|o| o["type"] == 1));
        let keep = &checkin["options"][2]["options"][0];
        assert_eq!(
            keep["choices"],
            json!([{"name": "on", "value": "on"}, {"name": "off", "value": "off"}])
        );
        assert_eq!(keep["required"], true);
    }

    #[test]
    fn admin_commands_need_manage_guild_and_options_carry_their_limits() {
        let all = registered();
        let setup = command(&all, "setup");
        assert_eq!(setup["default_member_permissions"], "32");
        let timezone = &setup["options"][1]["options"][0];
        assert_eq!(
            (timezone["autocomplete"].clone(), timezone["type"].clone()),
            (json!(true), json!(3))
        );
        let threshold = &setup["options"][2]["options"][0];
        assert_eq!(
            (threshold["min_value"].clone(), threshold["max_value"].clone()),
            (json!(3), json!(50))
        );
        // Descriptions fit Discord's 100 characters, even when the words are longer.
        let long = setup["options"][2]["description"].as_str().unwrap();
        assert!(long.chars().count() <= MAX_DESCRIPTION && long.chars().count() > 90);
        assert!(long.ends_with('…'));
    }

    fn data(value: Value) -> CommandData {
        let mut value = value;
        value["id"] = json!("1");
        value["type"] = json!(1);
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn options_become_a_checked_call() {
        let c = catalogue();
        let call = super::call(&c, &data(json!({"name": "help"}))).unwrap();
        assert_eq!((call.command.as_str(), call.subcommand.as_str()), ("help", "show"));
        let call = super::call(
            &c,
            &data(json!({"name": "checkin", "options": [{"name": "keep", "type": 1,
                "options": [{"name": "choice", "type": 3, "value": "OFF"}]}]})),
        )
        .unwrap();
        assert_eq!(call.args.get("choice"), Some(&ArgValue::Word("off")));
        let call = super::call(
            &c,
            &data(json!({"name": "setup", "options": [{"name": "threshold", "type": 1,
                "options": [{"name": "people", "type": 4, "value": 5}]}]})),
        )
        .unwrap();
        assert_eq!(call.integer("people"), Some(5));
    }

    #[test]
    fn a_person_is_picked_and_arrives_as_their_id() {
        let all = registered();
        let who = &command(&all, "reach")["options"][0];
        assert_eq!((who["type"].clone(), who["required"].clone()), (json!(6), json!(true)));
        assert!(who.get("max_length").is_none_or(Value::is_null));
        let c = catalogue();
        let picked = data(json!({"name": "reach", "options": [
            {"name": "who", "type": 6, "value": "80351110224678912"}]}));
        let call = super::call(&c, &picked).unwrap();
        assert_eq!(call.text("who"), Some("80351110224678912"));
        // A stale registration that still sends a typed name is not a person.
        let typed = data(json!({"name": "reach", "options": [
            {"name": "who", "type": 3, "value": "ana"}]}));
        assert!(matches!(
            super::call(&c, &typed).unwrap_err(),
            CommandError::InvalidArgument { arg: "who", .. }
        ));
    }

    #[test]
    fn stale_or_wrong_options_are_named() {
        let c = catalogue();
        let err = |v| super::call(&c, &data(v)).unwrap_err();
        assert!(matches!(err(json!({"name": "gone"})), CommandError::UnknownCommand { .. }));
        assert!(matches!(err(json!({"name": "checkin"})), CommandError::UnknownSubcommand { .. }));
        assert!(matches!(
            err(json!({"name": "setup", "options": [{"name": "threshold", "type": 1,
                "options": [{"name": "people", "type": 4, "value": 2}]}]})),
            CommandError::InvalidArgument { arg: "people", .. }
        ));
        assert!(matches!(
            err(
                json!({"name": "setup", "options": [{"name": "threshold", "type": 1, "options": []}]})
            ),
            CommandError::MissingArgument { arg: "people", .. }
        ));
        assert!(matches!(
            err(
                json!({"name": "help", "options": [{"name": "command", "type": 3, "value": "x".repeat(41)}]})
            ),
            CommandError::TooLong { .. }
        ));
        assert!(matches!(
            err(json!({"name": "help", "options": [{"name": "extra", "type": 3, "value": "x"}]})),
            CommandError::TooManyArguments { .. }
        ));
    }

    #[test]
    fn only_a_timezone_is_autocompleted() {
        let c = catalogue();
        let typing = data(json!({"name": "setup", "options": [{"name": "timezone", "type": 1,
            "options": [{"name": "timezone", "type": 3, "value": "lond", "focused": true}]}]}));
        assert!(focused_is_timezone(&c, &typing));
        let typing_text = data(json!({"name": "help", "options": [
            {"name": "command", "type": 3, "value": "lond", "focused": true}]}));
        assert!(!focused_is_timezone(&c, &typing_text));
    }
}
