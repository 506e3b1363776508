//! `/help [COMMAND]`: generated from the catalogue, so it always matches what exists.

use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use hearth_chat::{Access, ArgKind, Platform};

pub fn show(core: &Core, turn: &Turn, command: Option<&str>) -> Reply {
    let locale = turn.team.locale.as_str();
    let summary = |key: &'static str| core.prompts.render(locale, &Line::new(key));
    if let Some(name) = command {
        let name = name.trim().trim_start_matches(['/', '!']);
        let Some(spec) = core.catalogue.command(name) else {
            let given: String = name.chars().take(40).collect();
            return Reply::say(vec![Say::line(Line::new(k::COMMAND_UNKNOWN).arg("given", given))]);
        };
        let platform = turn.inbound.team.platform;
        let public = platform.typed_commands_are_public();
        let lines = spec
            .subcommands
            .iter()
            .map(|sub| {
                let args: String = sub
                    .args
                    .iter()
                    .map(|a| {
                        let shown = match a.kind {
                            ArgKind::OneOf(words) => words.join("|"),
                            _ => a.name.to_uppercase(),
                        };
                        if a.required { format!(" {shown}") } else { format!(" [{shown}]") }
                    })
                    .collect();
                let usage =
                    format!("{}{args}", core.catalogue.typed_name(spec.name, sub.name, platform));
                let key = if sub.private && public { k::HELP_USAGE_PRIVATE } else { k::HELP_USAGE };
                Line::new(key).arg("usage", usage).arg("summary", summary(sub.summary_key))
            })
            .collect();
        return Reply::say(vec![Say::actor(vec![
            Part::Heading(
                Line::new(k::HELP_COMMAND)
                    .arg("command", spec.name)
                    .arg("summary", summary(spec.summary_key)),
            ),
            Part::List(lines),
        ])]);
    }
    let lines = core
        .catalogue
        .commands
        .iter()
        .map(|spec| {
            let admin_only = spec.subcommands.iter().all(|s| s.access == Access::TeamAdmin);
            let key = if admin_only { k::HELP_COMMAND_ADMIN } else { k::HELP_COMMAND };
            Line::new(key).arg("command", spec.name).arg("summary", summary(spec.summary_key))
        })
        .collect();
    let mut parts = vec![
        Part::Heading(k::HELP_HEADING.into()),
        Part::Text(k::HELP_INTRO.into()),
        Part::List(lines),
        Part::Text(k::HELP_MORE.into()),
    ];
    match turn.inbound.team.platform {
        Platform::Console => parts.push(Part::Text(k::HELP_CONSOLE.into())),
        Platform::Matrix => parts.push(Part::Text(
            Line::new(k::HELP_MATRIX)
                .arg("commands", private_commands(core, turn.inbound.team.platform)),
        )),
        Platform::Discord => {}
    }
    Reply::say(vec![Say::actor(parts)])
}

/// The private subcommands as typed on `platform` (`/capacity, /debrief request, …`).
fn private_commands(core: &Core, platform: Platform) -> String {
    let catalogue = &core.catalogue;
    let typed: Vec<String> = catalogue
        .commands
        .iter()
        .flat_map(|c| c.subcommands.iter().filter(|s| s.private).map(move |s| (c.name, s.name)))
        .map(|(command, sub)| format!("/{}", catalogue.typed_name(command, sub, platform)))
        .collect();
    typed.join(", ")
}
