//! A catalogue shaped like hearth's and a handler that only describes, for unit tests.

use async_trait::async_trait;
use hearth_chat::{
    Access, Actor, ArgKind, ArgSpec, Catalogue, CommandSpec, Form, Handler, Inbound, Outbound,
    SubcommandSpec, TeamRef,
};

fn sub(name: &'static str, is_default: bool, args: Vec<ArgSpec>) -> SubcommandSpec {
    SubcommandSpec {
        name,
        is_default,
        summary_key: "cmd-sub",
        access: Access::Everyone,
        private: false,
        args,
    }
}

fn arg(name: &'static str, kind: ArgKind, required: bool) -> ArgSpec {
    ArgSpec { name, summary_key: "arg", kind, required }
}

fn admin(mut spec: SubcommandSpec) -> SubcommandSpec {
    spec.access = Access::TeamAdmin;
    spec
}

pub fn catalogue() -> Catalogue {
    let mut threshold = admin(sub(
        "threshold",
        false,
        vec![arg("people", ArgKind::Integer { min: 3, max: 50 }, true)],
    ));
    threshold.summary_key = "long";
    Catalogue {
        commands: vec![
            CommandSpec {
                name: "checkin",
                summary_key: "cmd-checkin",
                subcommands: vec![
                    sub("now", true, vec![]),
                    sub("history", false, vec![]),
                    sub("keep", false, vec![arg("choice", ArgKind::OneOf(&["on", "off"]), true)]),
                ],
            },
            CommandSpec {
                name: "help",
                summary_key: "cmd-help",
                subcommands: vec![sub(
                    "show",
                    true,
                    vec![arg("command", ArgKind::Text { max_chars: 40 }, false)],
                )],
            },
            CommandSpec {
                name: "setup",
                summary_key: "cmd-setup",
                subcommands: vec![
                    admin(sub("show", true, vec![])),
                    admin(sub("timezone", false, vec![arg("timezone", ArgKind::Timezone, true)])),
                    threshold,
                ],
            },
            CommandSpec {
                name: "reach",
                summary_key: "cmd-reach",
                subcommands: vec![sub("out", true, vec![arg("who", ArgKind::Person, true)])],
            },
        ],
    }
}

#[derive(Debug)]
pub struct TestHandler {
    catalogue: Catalogue,
}

impl Default for TestHandler {
    fn default() -> Self {
        Self { catalogue: catalogue() }
    }
}

#[async_trait]
impl Handler for TestHandler {
    fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    fn describe(&self, key: &'static str, _locale: &str) -> String {
        if key == "long" { "Long words ".repeat(20) } else { format!("Words for {key}") }
    }

    async fn handle(&self, _inbound: Inbound) -> Vec<Outbound> {
        Vec::new()
    }

    /// It offers no forms, so it knows none.
    async fn form(&self, _team: TeamRef, _actor: Actor, _token: String) -> Option<Form> {
        None
    }
}
