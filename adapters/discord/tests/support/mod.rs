//! A fake Discord with one guild, a channel and two members, the real adapter connected to it,
//! and a scripted handler standing in for hearth's core.

use async_trait::async_trait;
use fake_discord::{FakeDiscord, Member, Origin};
use hearth_chat::{
    Access, Actor, ArgKind, ArgSpec, Block, Catalogue, ChoiceOption, CommandSpec, Controls, Event,
    Form, FormField, Handler, Inbound, Message, Outbound, Place, Platform, SubcommandSpec, Target,
    TeamRef, Visibility,
};
use hearth_discord::{Discord, DiscordOptions};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(10);

pub struct Bot {
    pub fake: FakeDiscord,
    pub discord: Discord,
    pub guild: u64,
    pub channel: u64,
    pub ana: u64,
    pub admin: u64,
    handler: Arc<Scripted>,
    stop: CancellationToken,
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl Bot {
    pub async fn start() -> Self {
        let fake = FakeDiscord::start().await.unwrap();
        let guild = fake.add_guild("peer team");
        let channel = fake.add_text_channel(guild, "general");
        let ana = fake.fresh_id();
        fake.add_member(guild, Member::new(ana, "ana"));
        let admin = fake.fresh_id();
        fake.add_member(guild, Member::new(admin, "coordinator").manage_guild());
        let handler = Arc::new(Scripted::new());
        let mut options = DiscordOptions::new(fake.token());
        options.api_base = Some(fake.base_url());
        options.guild_id = Some(guild);
        options.defer_after = Duration::from_millis(200);
        let discord = Discord::connect(options, handler.clone()).await.unwrap();
        let stop = CancellationToken::new();
        let (running, until) = (discord.clone(), stop.clone());
        tokio::spawn(async move { running.run(until).await });
        fake.wait_until_connected(WAIT).await.unwrap();
        Self { fake, discord, guild, channel, ana, admin, handler, stop }
    }

    /// What every test ends with: no request to a route Discord does not have, and every
    /// request that carries text says that it mentions nobody.
    pub async fn check_wire(&self) {
        // The fake records a request after answering it: let the last ones land.
        let mut seen = self.fake.requests().len();
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.fake.requests().len();
            if now == seen {
                break;
            }
            seen = now;
        }
        assert!(self.fake.unknown_routes().is_empty(), "{:?}", self.fake.unknown_routes());
        let nobody = json!({"parse": [], "users": [], "roles": [], "replied_user": false});
        let mut texts = 0;
        for request in self.fake.requests() {
            let body = match request.body.get("data") {
                Some(data) if request.path.ends_with("/callback") => data,
                _ => &request.body,
            };
            if body.get("content").is_some() {
                texts += 1;
                assert_eq!(body["allowed_mentions"], nobody, "{} {}", request.method, request.path);
            }
        }
        assert!(texts > 0, "the test sent no text at all");
    }

    pub fn channel_origin(&self) -> Origin {
        Origin::Guild { guild_id: self.guild, channel_id: self.channel }
    }

    pub fn team(&self) -> TeamRef {
        TeamRef { platform: Platform::Discord, id: self.guild.to_string() }
    }

    pub fn seen_forms(&self) -> Vec<Vec<(String, String)>> {
        self.handler.forms.lock().unwrap().clone()
    }

    pub fn seen_choices(&self) -> Vec<(String, Place)> {
        self.handler.choices.lock().unwrap().clone()
    }

    pub fn seen_people(&self) -> Vec<String> {
        self.handler.people.lock().unwrap().clone()
    }

    pub fn seen_admin(&self) -> bool {
        self.handler.admin_seen.load(Ordering::SeqCst)
    }

    /// Types `typed` into `/setup timezone` and returns the suggestions hearth answered with.
    /// The fake has no helper for autocomplete, so the last slash command's envelope is reused.
    pub async fn autocomplete(&self, typed: &str) -> Vec<Value> {
        let slash = self.fake.slash_command(self.channel_origin(), self.ana, "help", json!([]));
        slash.await.unwrap().response(WAIT).await.unwrap();
        let mut payload = self
            .fake
            .dispatched()
            .into_iter()
            .rev()
            .find(|f| f["t"] == "INTERACTION_CREATE")
            .map(|f| f["d"].clone())
            .unwrap();
        let command = self.fake.commands().into_iter().find(|c| c.name == "setup").unwrap();
        let id = self.fake.fresh_id();
        payload["id"] = json!(id.to_string());
        payload["token"] = json!(format!("autocomplete-token-{id}"));
        payload["type"] = json!(4);
        payload["data"] = json!({
            "id": command.id.to_string(), "name": "setup", "type": 1,
            "options": [{"name": "timezone", "type": 1, "options": [
                {"name": "timezone", "type": 3, "value": typed, "focused": true}]}],
        });
        assert!(self.fake.dispatch("INTERACTION_CREATE", payload));
        let path = format!("/interactions/{id}/");
        let request = self
            .fake
            .wait_until(WAIT, "the autocomplete answer", |fake| {
                fake.requests().into_iter().find(|r| r.path.contains(&path))
            })
            .await
            .unwrap();
        assert_eq!(request.body["type"], 8);
        let choices = request.body["data"]["choices"].as_array().cloned().unwrap_or_default();
        choices.into_iter().map(|c| c["value"].clone()).collect()
    }
}

pub fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// A calendar file whose bytes are every byte value, so any re-encoding shows.
pub fn calendar(name: &str) -> Block {
    Block::File { name: name.into(), mime: "text/calendar".into(), bytes: (0..=255u8).collect() }
}

pub fn message(text: &str) -> Message {
    Message { blocks: vec![Block::Text(text.to_owned())], controls: None }
}

fn reply(visibility: Visibility, message: Message) -> Outbound {
    Outbound { target: Target::Origin, visibility, message }
}

/// Stands in for hearth's core: a fixed script of answers, and a record of what it was told.
pub struct Scripted {
    catalogue: Catalogue,
    forms: Mutex<Vec<Vec<(String, String)>>>,
    admin_seen: AtomicBool,
    /// Where each choice came from: (team id, place).
    choices: Mutex<Vec<(String, Place)>>,
    /// The people named in `/reach`, as the core was given them.
    people: Mutex<Vec<String>>,
}

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

fn command(
    name: &'static str,
    summary_key: &'static str,
    subs: Vec<SubcommandSpec>,
) -> CommandSpec {
    CommandSpec { name, summary_key, subcommands: subs }
}

impl Scripted {
    fn new() -> Self {
        let timezone = ArgSpec {
            name: "timezone",
            summary_key: "arg",
            kind: ArgKind::Timezone,
            required: true,
        };
        let topic = ArgSpec {
            name: "command",
            summary_key: "arg",
            kind: ArgKind::Text { max_chars: 40 },
            required: false,
        };
        let who =
            ArgSpec { name: "who", summary_key: "arg", kind: ArgKind::Person, required: true };
        let mut setup = vec![sub("show", true, vec![]), sub("timezone", false, vec![timezone])];
        for s in &mut setup {
            s.access = Access::TeamAdmin;
        }
        let catalogue = Catalogue {
            commands: vec![
                command(
                    "checkin",
                    "cmd-checkin",
                    vec![sub("now", true, vec![]), sub("history", false, vec![])],
                ),
                command("help", "cmd-help", vec![sub("show", true, vec![topic])]),
                command("setup", "cmd-setup", setup),
                command("dm", "cmd-dm", vec![sub("send", true, vec![])]),
                command("reach", "cmd-reach", vec![sub("out", true, vec![who])]),
            ],
        };
        Self {
            catalogue,
            forms: Mutex::new(Vec::new()),
            admin_seen: AtomicBool::new(false),
            choices: Mutex::new(Vec::new()),
            people: Mutex::new(Vec::new()),
        }
    }
}

#[async_trait]
impl Handler for Scripted {
    fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    fn describe(&self, key: &'static str, _locale: &str) -> String {
        format!("Words for {key}")
    }

    async fn handle(&self, inbound: Inbound) -> Vec<Outbound> {
        let only = Visibility::OnlyActor;
        if let Event::Choice { .. } = &inbound.event {
            let at = (inbound.team.id.clone(), inbound.place.clone());
            self.choices.lock().unwrap().push(at);
        }
        match inbound.event {
            Event::Command(call) => match call.command.as_str() {
                "checkin" => {
                    let options = [("green", "Ready"), ("pass", "Pass")]
                        .map(|(id, label)| ChoiceOption { id: id.into(), label: label.into() });
                    let controls =
                        Controls::Choices { token: "1.a".into(), options: options.to_vec() };
                    let blocks = vec![Block::Heading("How are you arriving?".into())];
                    vec![reply(only, Message { blocks, controls: Some(controls) })]
                }
                "setup" => {
                    tokio::time::sleep(Duration::from_millis(600)).await;
                    self.admin_seen.store(inbound.actor.is_team_admin, Ordering::SeqCst);
                    vec![reply(only, message("Settings, slowly"))]
                }
                "help" if call.text("command") == Some("slow-public") => {
                    tokio::time::sleep(Duration::from_millis(600)).await;
                    vec![reply(Visibility::Everyone, message("For everyone, slowly"))]
                }
                "help" if call.text("command") == Some("file") => vec![
                    reply(
                        only,
                        Message {
                            blocks: vec![
                                Block::Text("Your next session".into()),
                                calendar("next.ics"),
                            ],
                            controls: None,
                        },
                    ),
                    reply(only, Message { blocks: vec![calendar("later.ics")], controls: None }),
                ],
                "help" if call.text("command") == Some("file-slow") => {
                    tokio::time::sleep(Duration::from_millis(600)).await;
                    let blocks = vec![Block::Text("Slowly".into()), calendar("slow.ics")];
                    vec![reply(only, Message { blocks, controls: None })]
                }
                "help" if call.text("command") == Some("who") => {
                    let form = offered("2.a").unwrap();
                    let blocks = vec![Block::Text("Who should I ask?".into())];
                    vec![reply(only, Message { blocks, controls: Some(Controls::Form(form)) })]
                }
                "help" => {
                    let long = format!("{}\n\n{}end", "word ".repeat(300), "more ".repeat(300));
                    vec![reply(only, message(&long))]
                }
                "dm" => vec![
                    reply(only, message("Sent")),
                    Outbound {
                        target: Target::Person {
                            team: inbound.team,
                            user_id: inbound.actor.user_id,
                        },
                        visibility: only,
                        message: message("Just for you"),
                    },
                ],
                "reach" => {
                    let who = call.text("who").unwrap_or_default().to_owned();
                    self.people.lock().unwrap().push(who.clone());
                    let blocks = vec![Block::Text("Asking".into()), Block::Person(who)];
                    vec![reply(Visibility::Everyone, Message { blocks, controls: None })]
                }
                _ => Vec::new(),
            },
            Event::Choice { token, option } if token == "1.a" && option == "green" => {
                let form = offered("1.b").unwrap();
                vec![reply(
                    only,
                    Message {
                        blocks: vec![Block::Text("Glad".into())],
                        controls: Some(Controls::Form(form)),
                    },
                )]
            }
            Event::Choice { .. } => vec![reply(only, message("That choice has expired"))],
            Event::Form { token, fields } if token == "2.a" => {
                self.forms.lock().unwrap().push(fields);
                vec![reply(only, message("Asked"))]
            }
            Event::Form { token, fields } if token == "1.b" => {
                let line = fields.first().map(|(_, v)| v.clone()).unwrap_or_default();
                self.forms.lock().unwrap().push(fields);
                vec![reply(Visibility::Everyone, message(&format!("ana shares: {line}")))]
            }
            _ => Vec::new(),
        }
    }

    async fn form(&self, _team: TeamRef, _actor: Actor, token: String) -> Option<Form> {
        offered(&token)
    }
}

/// The forms the script offers, by token: a line to share, and a person to ask.
fn offered(token: &str) -> Option<Form> {
    let (title, field, max_chars, names_person, skip) = match token {
        "1.b" => ("Share a line", ("text", "Your line"), 300, false, None),
        "2.a" => ("Ask someone", ("who", "Their name"), 100, true, Some("Not now".into())),
        _ => return None,
    };
    Some(Form {
        token: token.into(),
        title: title.into(),
        fields: vec![FormField {
            id: field.0.into(),
            label: field.1.into(),
            required: false,
            max_chars,
            names_person,
        }],
        skip,
    })
}
