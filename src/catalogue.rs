//! hearth's command catalogue: every command, described once, for every adapter.

use crate::limits::{self, DEBRIEF_LEAD_MAX, REQUEST_WAIT_MAX};
use hearth_chat::{Access, ArgKind, ArgSpec, Catalogue, CommandSpec, SubcommandSpec};

/// The longest support-resources text a team can write.
pub const RESOURCES_MAX_CHARS: usize = 1_500;
pub const WEATHER_MAX_PEOPLE: i64 = 50;

fn sub(name: &'static str, summary_key: &'static str, args: Vec<ArgSpec>) -> SubcommandSpec {
    SubcommandSpec {
        name,
        is_default: false,
        summary_key,
        access: Access::Everyone,
        private: false,
        args,
    }
}

fn default(name: &'static str, summary_key: &'static str, args: Vec<ArgSpec>) -> SubcommandSpec {
    SubcommandSpec { is_default: true, ..sub(name, summary_key, args) }
}

fn admin(mut spec: SubcommandSpec) -> SubcommandSpec {
    spec.access = Access::TeamAdmin;
    spec
}

/// A subcommand whose words or intent stay between the person and hearth.
fn private(mut spec: SubcommandSpec) -> SubcommandSpec {
    spec.private = true;
    spec
}

fn arg(name: &'static str, summary_key: &'static str, kind: ArgKind, required: bool) -> ArgSpec {
    ArgSpec { name, summary_key, kind, required }
}

const ON_OFF: ArgKind = ArgKind::OneOf(&["on", "off"]);
/// A date, `2026-12-03`.
const DATE: ArgKind = ArgKind::Text { max_chars: 10 };

/// An optional "until TIME" (the last argument, so it may hold spaces).
fn until(summary_key: &'static str) -> ArgSpec {
    arg("until", summary_key, ArgKind::Text { max_chars: crate::schedule::MAX_WHEN_CHARS }, false)
}

/// A "when" in the scheduler's language (the last argument: it takes the rest of the line).
fn when(summary_key: &'static str) -> ArgSpec {
    arg("when", summary_key, ArgKind::Text { max_chars: crate::schedule::MAX_WHEN_CHARS }, true)
}

/// An agenda item's words (the last argument: the rest of the line).
fn item_text(summary_key: &'static str) -> ArgSpec {
    let max_chars = limits::AGENDA_ITEM_CHARS;
    arg("text", summary_key, ArgKind::Text { max_chars }, true)
}

/// An agenda item's number, as `/agenda` shows it.
fn item_id(summary_key: &'static str) -> ArgSpec {
    arg("id", summary_key, ArgKind::Integer { min: 1, max: i64::from(i32::MAX) }, true)
}

/// A supervision series' number, as `/supervision` shows it.
fn series_id(summary_key: &'static str) -> ArgSpec {
    arg("id", summary_key, ArgKind::Integer { min: 1, max: i64::from(i32::MAX) }, false)
}

/// A community's name (one word).
fn cop_name(summary_key: &'static str) -> ArgSpec {
    let max_chars = limits::COMMUNITY_NAME_CHARS;
    arg("name", summary_key, ArgKind::Text { max_chars }, true)
}

/// The rest of the line after a community's name.
fn cop_text(summary_key: &'static str, max_chars: usize) -> ArgSpec {
    arg("text", summary_key, ArgKind::Text { max_chars }, true)
}

fn cop() -> CommandSpec {
    let named = |name, key, arg_key| sub(name, key, vec![cop_name(arg_key)]);
    CommandSpec {
        name: "cop",
        summary_key: "cmd-cop",
        subcommands: vec![
            default("list", "cmd-cop-list", vec![]),
            sub(
                "create",
                "cmd-cop-create",
                vec![
                    cop_name("arg-cop-create-name"),
                    arg(
                        "about",
                        "arg-cop-create-about",
                        ArgKind::Text { max_chars: limits::COMMUNITY_ABOUT_CHARS },
                        false,
                    ),
                ],
            ),
            named("join", "cmd-cop-join", "arg-cop-join-name"),
            named("leave", "cmd-cop-leave", "arg-cop-leave-name"),
            named("info", "cmd-cop-info", "arg-cop-info-name"),
            sub(
                "schedule",
                "cmd-cop-schedule",
                vec![cop_name("arg-cop-schedule-name"), when("arg-cop-schedule-when")],
            ),
            sub(
                "next",
                "cmd-cop-next",
                vec![ArgSpec { required: false, ..cop_name("arg-cop-next-name") }],
            ),
            named("cancel", "cmd-cop-cancel", "arg-cop-cancel-name"),
            sub(
                "topic",
                "cmd-cop-topic",
                vec![
                    cop_name("arg-cop-topic-name"),
                    cop_text("arg-cop-topic-text", limits::COMMUNITY_TOPIC_CHARS),
                ],
            ),
            private(sub(
                "topic-anonymous",
                "cmd-cop-topic-anonymous",
                vec![
                    cop_name("arg-cop-topic-anonymous-name"),
                    cop_text("arg-cop-topic-anonymous-text", limits::COMMUNITY_TOPIC_CHARS),
                ],
            )),
            named("topics", "cmd-cop-topics", "arg-cop-topics-name"),
            sub("vote", "cmd-cop-vote", vec![item_id("arg-cop-vote-id")]),
            sub(
                "facilitate",
                "cmd-cop-facilitate",
                vec![
                    cop_name("arg-cop-facilitate-name"),
                    arg("state", "arg-cop-facilitate-state", ON_OFF, true),
                ],
            ),
            named("swap", "cmd-cop-swap", "arg-cop-swap-name"),
            sub(
                "share",
                "cmd-cop-share",
                vec![
                    cop_name("arg-cop-share-name"),
                    cop_text("arg-cop-share-text", limits::COMMUNITY_RESOURCE_CHARS),
                ],
            ),
            named("resources", "cmd-cop-resources", "arg-cop-resources-name"),
            sub(
                "open",
                "cmd-cop-open",
                vec![
                    cop_name("arg-cop-open-name"),
                    arg("state", "arg-cop-open-state", ON_OFF, true),
                ],
            ),
            named("close", "cmd-cop-close", "arg-cop-close-name"),
        ],
    }
}

fn minutes(summary_key: &'static str, max: i64) -> ArgSpec {
    arg("minutes", summary_key, ArgKind::Integer { min: 1, max }, true)
}

pub fn catalogue() -> Catalogue {
    Catalogue {
        commands: vec![
            CommandSpec {
                name: "checkin",
                summary_key: "cmd-checkin",
                subcommands: vec![
                    default("now", "cmd-checkin-now", vec![]),
                    sub("history", "cmd-checkin-history", vec![]),
                    sub(
                        "keep",
                        "cmd-checkin-keep",
                        vec![arg("choice", "arg-checkin-keep-choice", ON_OFF, true)],
                    ),
                ],
            },
            CommandSpec {
                name: "shift",
                summary_key: "cmd-shift",
                subcommands: vec![
                    default("show", "cmd-shift-show", vec![]),
                    sub("start", "cmd-shift-start", vec![until("arg-shift-start-until")]),
                    sub("end", "cmd-shift-end", vec![]),
                    sub(
                        "pattern",
                        "cmd-shift-pattern",
                        vec![arg(
                            "when",
                            "arg-shift-pattern-when",
                            ArgKind::Text { max_chars: crate::schedule::MAX_WHEN_CHARS },
                            true,
                        )],
                    ),
                ],
            },
            CommandSpec {
                name: "available",
                summary_key: "cmd-available",
                subcommands: vec![default(
                    "set",
                    "cmd-available-set",
                    vec![
                        arg("state", "arg-available-set-state", ON_OFF, true),
                        until("arg-available-set-until"),
                    ],
                )],
            },
            CommandSpec {
                name: "capacity",
                summary_key: "cmd-capacity",
                subcommands: vec![private(default(
                    "set",
                    "cmd-capacity-set",
                    vec![arg(
                        "level",
                        "arg-capacity-set-level",
                        ArgKind::OneOf(&["low", "normal"]),
                        true,
                    )],
                ))],
            },
            CommandSpec {
                name: "debrief",
                summary_key: "cmd-debrief",
                subcommands: vec![
                    default("now", "cmd-debrief-now", vec![]),
                    private(sub(
                        "request",
                        "cmd-debrief-request",
                        vec![arg("person", "arg-debrief-request-person", ArgKind::Person, false)],
                    )),
                    private(sub("cancel", "cmd-debrief-cancel", vec![])),
                ],
            },
            CommandSpec {
                name: "break",
                summary_key: "cmd-break",
                subcommands: vec![default(
                    "start",
                    "cmd-break-start",
                    vec![arg(
                        "minutes",
                        "arg-break-start-minutes",
                        ArgKind::Integer {
                            min: *crate::flows::breaks::MINUTES.start(),
                            max: *crate::flows::breaks::MINUTES.end(),
                        },
                        false,
                    )],
                )],
            },
            CommandSpec {
                name: "served",
                summary_key: "cmd-served",
                subcommands: vec![default("now", "cmd-served-now", vec![])],
            },
            CommandSpec {
                name: "breaks",
                summary_key: "cmd-breaks",
                subcommands: vec![
                    default("show", "cmd-breaks-show", vec![]),
                    sub(
                        "auto",
                        "cmd-breaks-auto",
                        vec![
                            arg("state", "arg-breaks-auto-state", ON_OFF, true),
                            arg(
                                "every",
                                "arg-breaks-auto-every",
                                ArgKind::Text { max_chars: 30 },
                                false,
                            ),
                        ],
                    ),
                ],
            },
            CommandSpec {
                name: "supervision",
                summary_key: "cmd-supervision",
                subcommands: vec![
                    default("next", "cmd-supervision-next", vec![]),
                    sub(
                        "schedule",
                        "cmd-supervision-schedule",
                        vec![when("arg-supervision-schedule-when")],
                    ),
                    sub(
                        "with",
                        "cmd-supervision-with",
                        vec![
                            arg("person", "arg-supervision-with-person", ArgKind::Person, true),
                            when("arg-supervision-with-when"),
                        ],
                    ),
                    sub(
                        "style",
                        "cmd-supervision-style",
                        vec![
                            arg(
                                "style",
                                "arg-supervision-style-style",
                                ArgKind::OneOf(limits::SUPERVISION_STYLES),
                                true,
                            ),
                            series_id("arg-supervision-style-id"),
                        ],
                    ),
                    sub(
                        "cancel",
                        "cmd-supervision-cancel",
                        vec![series_id("arg-supervision-cancel-id")],
                    ),
                    sub(
                        "backup",
                        "cmd-supervision-backup",
                        vec![arg("person", "arg-supervision-backup-person", ArgKind::Person, true)],
                    ),
                    sub(
                        "away",
                        "cmd-supervision-away",
                        vec![
                            arg("from", "arg-supervision-away-from", DATE, true),
                            arg("to", "arg-supervision-away-to", DATE, true),
                        ],
                    ),
                ],
            },
            CommandSpec {
                name: "agenda",
                summary_key: "cmd-agenda",
                subcommands: vec![
                    default("show", "cmd-agenda-show", vec![]),
                    sub("add", "cmd-agenda-add", vec![item_text("arg-agenda-add-text")]),
                    private(sub(
                        "private",
                        "cmd-agenda-private",
                        vec![item_text("arg-agenda-private-text")],
                    )),
                    sub("share", "cmd-agenda-share", vec![item_id("arg-agenda-share-id")]),
                    sub("vote", "cmd-agenda-vote", vec![item_id("arg-agenda-vote-id")]),
                    sub("done", "cmd-agenda-done", vec![item_id("arg-agenda-done-id")]),
                    sub("drop", "cmd-agenda-drop", vec![item_id("arg-agenda-drop-id")]),
                    sub(
                        "action",
                        "cmd-agenda-action",
                        vec![
                            arg("person", "arg-agenda-action-person", ArgKind::Person, true),
                            item_text("arg-agenda-action-text"),
                        ],
                    ),
                    sub("actions", "cmd-agenda-actions", vec![]),
                ],
            },
            cop(),
            CommandSpec {
                name: "weather",
                summary_key: "cmd-weather",
                subcommands: vec![default("show", "cmd-weather-show", vec![])],
            },
            CommandSpec {
                name: "help",
                summary_key: "cmd-help",
                subcommands: vec![default(
                    "show",
                    "cmd-help-show",
                    vec![arg(
                        "command",
                        "arg-help-show-command",
                        ArgKind::Text { max_chars: 40 },
                        false,
                    )],
                )],
            },
            CommandSpec {
                name: "privacy",
                summary_key: "cmd-privacy",
                subcommands: vec![default("show", "cmd-privacy-show", vec![])],
            },
            CommandSpec {
                name: "mydata",
                summary_key: "cmd-mydata",
                subcommands: vec![
                    default("show", "cmd-mydata-show", vec![]),
                    sub("export", "cmd-mydata-export", vec![]),
                    sub("delete", "cmd-mydata-delete", vec![]),
                ],
            },
            CommandSpec {
                name: "setup",
                summary_key: "cmd-setup",
                subcommands: vec![
                    admin(default("show", "cmd-setup-show", vec![])),
                    admin(sub(
                        "timezone",
                        "cmd-setup-timezone",
                        vec![arg(
                            "timezone",
                            "arg-setup-timezone-timezone",
                            ArgKind::Timezone,
                            true,
                        )],
                    )),
                    admin(sub(
                        "threshold",
                        "cmd-setup-threshold",
                        vec![arg(
                            "people",
                            "arg-setup-threshold-people",
                            ArgKind::Integer { min: 3, max: WEATHER_MAX_PEOPLE },
                            true,
                        )],
                    )),
                    admin(sub(
                        "resources",
                        "cmd-setup-resources",
                        vec![arg(
                            "text",
                            "arg-setup-resources-text",
                            ArgKind::Text { max_chars: RESOURCES_MAX_CHARS },
                            true,
                        )],
                    )),
                    admin(sub("resources-reset", "cmd-setup-resources-reset", vec![])),
                    admin(sub(
                        "shift",
                        "cmd-setup-shift",
                        vec![arg(
                            "when",
                            "arg-setup-shift-when",
                            ArgKind::Text { max_chars: crate::schedule::MAX_WHEN_CHARS },
                            true,
                        )],
                    )),
                    admin(sub(
                        "debrief",
                        "cmd-setup-debrief",
                        vec![arg(
                            "where",
                            "arg-setup-debrief-where",
                            ArgKind::OneOf(&["here", "off"]),
                            true,
                        )],
                    )),
                    admin(sub(
                        "debrief-lead",
                        "cmd-setup-debrief-lead",
                        vec![minutes("arg-setup-debrief-lead-minutes", DEBRIEF_LEAD_MAX)],
                    )),
                    admin(sub(
                        "request-wait",
                        "cmd-setup-request-wait",
                        vec![minutes("arg-setup-request-wait-minutes", REQUEST_WAIT_MAX)],
                    )),
                    admin(sub(
                        "role",
                        "cmd-setup-role",
                        vec![
                            arg(
                                "role",
                                "arg-setup-role-role",
                                ArgKind::OneOf(&["coordinator", "supervisor"]),
                                true,
                            ),
                            arg("person", "arg-setup-role-person", ArgKind::Person, false),
                        ],
                    )),
                    admin(sub(
                        "quiet",
                        "cmd-setup-quiet",
                        vec![arg(
                            "hours",
                            "arg-setup-quiet-hours",
                            ArgKind::Text { max_chars: 20 },
                            true,
                        )],
                    )),
                ],
            },
        ],
    }
}

/// Every prompt key the catalogue names, for checking that each exists.
pub fn keys(catalogue: &Catalogue) -> Vec<&'static str> {
    let mut keys = Vec::new();
    for command in &catalogue.commands {
        keys.push(command.summary_key);
        for sub in &command.subcommands {
            keys.push(sub.summary_key);
            keys.extend(sub.args.iter().map(|a| a.summary_key));
        }
    }
    keys
}
