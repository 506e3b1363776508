//! The console adapter: a terminal chat with hearth, no account anywhere.
//!
//! One console plays a whole team: `/as NAME` switches who is speaking. Choices are numbered
//! and answered by typing the number (or the option's words); forms are asked one question at
//! a time. It reads piped input too, so scripts and tests can drive it. Like every adapter it
//! only translates: it never decides anything and stores nothing of its own — except that a
//! file in a message, which a terminal cannot show, is written into the folder the operator
//! chose for files (see `files`), if they chose one.

use async_trait::async_trait;
use hearth_chat::{
    Actor, Block, Controls, Delivery, DeliveryError, Event, FormField, Handler, Inbound, Outbound,
    Place, Platform, Target, TeamRef, Visibility,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod files;
mod input;
pub use input::run;

/// The shared channel every console speaker is in.
pub const CHANNEL: &str = "team";

/// Longest input line read in full; the rest of a longer line is discarded.
pub const MAX_LINE_BYTES: usize = 1 << 20;

#[derive(Clone, Debug)]
pub struct ConsoleOptions {
    pub team: String,
    pub speaker: String,
    /// Everyone at a console is treated as a team admin: it is their own machine.
    pub admins: bool,
}

/// What a speaker was last asked.
#[derive(Debug)]
enum Pending {
    Choices { token: String, options: Vec<(String, String)> },
    Form { token: String, fields: Vec<FormField>, answers: Vec<(String, String)> },
}

#[derive(Debug)]
pub struct Console<H> {
    handler: Arc<H>,
    team: TeamRef,
    speaker: String,
    admins: bool,
    pending: HashMap<String, Pending>,
    files_dir: Option<PathBuf>,
}

/// The result of one line: what to print, and whether the person asked to leave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub text: String,
    pub quit: bool,
}

impl<H: Handler> Console<H> {
    pub fn new(handler: Arc<H>, options: ConsoleOptions) -> Self {
        Self {
            handler,
            team: TeamRef { platform: Platform::Console, id: options.team },
            speaker: options.speaker,
            admins: options.admins,
            pending: HashMap::new(),
            files_dir: None,
        }
    }

    /// Where files in hearth's messages are written (the folder is created when the first
    /// file arrives; an existing file is never replaced: `name-1.ext`, `name-2.ext`, …). Without
    /// one (the default), a file is only named, with its size. Also set it on the
    /// [`ConsoleDelivery`] for files in scheduled messages.
    #[must_use]
    pub fn with_files_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.files_dir = dir;
        self
    }

    pub fn speaker(&self) -> &str {
        &self.speaker
    }

    /// Handles one typed line.
    pub async fn line(&mut self, line: &str) -> Output {
        let line = line.trim();
        if line.is_empty() && !matches!(self.pending.get(&self.speaker), Some(Pending::Form { .. }))
        {
            return Output::default();
        }
        if let Some(command) = line.strip_prefix('/') {
            let (word, rest) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
            match word.to_ascii_lowercase().as_str() {
                "quit" | "exit" => return Output { text: String::new(), quit: true },
                "as" => return self.switch(rest.trim()),
                _ => {}
            }
            // A new command abandons a half-answered form.
            if matches!(self.pending.get(&self.speaker), Some(Pending::Form { .. })) {
                self.pending.remove(&self.speaker);
            }
            let event = match self.handler.catalogue().parse(command) {
                Ok(call) => Event::Command(call),
                Err(error) => Event::BadCommand(error),
            };
            return self.send(event).await;
        }
        let event = match self.pending.remove(&self.speaker) {
            Some(Pending::Form { token, fields, mut answers }) => {
                answers.push((fields[answers.len()].id.clone(), line.to_owned()));
                if answers.len() < fields.len() {
                    let next = question(&fields[answers.len()]);
                    self.pending
                        .insert(self.speaker.clone(), Pending::Form { token, fields, answers });
                    return Output { text: next, quit: false };
                }
                Event::Form { token, fields: answers }
            }
            Some(Pending::Choices { token, options }) => match pick(&options, line) {
                Some(option) => Event::Choice { token, option },
                None => {
                    self.pending.insert(self.speaker.clone(), Pending::Choices { token, options });
                    Event::Text(line.to_owned())
                }
            },
            None => Event::Text(line.to_owned()),
        };
        self.send(event).await
    }

    fn switch(&mut self, name: &str) -> Output {
        let name: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
        if name.is_empty() || name.contains(char::is_whitespace) {
            // No name given: show who is speaking.
            return Output { text: format!("[{}]\n", self.speaker), quit: false };
        }
        self.speaker = name;
        Output { text: format!("[{}]\n", self.speaker), quit: false }
    }

    async fn send(&mut self, event: Event) -> Output {
        let inbound = Inbound {
            team: self.team.clone(),
            actor: Actor {
                user_id: self.speaker.clone(),
                display_name: self.speaker.clone(),
                is_team_admin: self.admins,
            },
            place: Place::Channel { id: CHANNEL.to_owned() },
            event,
        };
        let replies = self.handler.handle(inbound).await;
        let mut text = String::new();
        for outbound in replies {
            text.push_str(&self.render(outbound));
        }
        Output { text, quit: false }
    }

    /// Renders one message, and remembers what it asks, and of whom: a private message to a
    /// teammate waits for their answer once someone speaks `/as` them.
    fn render(&mut self, outbound: Outbound) -> String {
        let mut out = render(&outbound, &self.speaker, self.files_dir.as_deref());
        let asked = match &outbound.target {
            Target::Person { user_id, .. } => user_id.clone(),
            _ => self.speaker.clone(),
        };
        match outbound.message.controls {
            Some(Controls::Choices { token, options }) => {
                let options = options.into_iter().map(|o| (o.id, o.label)).collect();
                self.pending.insert(asked, Pending::Choices { token, options });
            }
            Some(Controls::Form(form)) if !form.fields.is_empty() => {
                if asked == self.speaker {
                    out.push_str(&question(&form.fields[0]));
                }
                self.pending.insert(
                    asked,
                    Pending::Form { token: form.token, fields: form.fields, answers: Vec::new() },
                );
            }
            _ => {}
        }
        out
    }
}

/// One message as the terminal shows it. `speaker` is who "you" are for private replies;
/// files are written into `files_dir` if there is one.
fn render(outbound: &Outbound, speaker: &str, files_dir: Option<&Path>) -> String {
    let header = match (&outbound.target, outbound.visibility) {
        (Target::Origin, Visibility::OnlyActor) => format!("hearth 🔒 {}", clean(speaker)),
        (Target::Origin, Visibility::Everyone) => format!("hearth 📣 #{CHANNEL}"),
        (Target::Place { place, .. }, _) => format!("hearth 📣 {}", place_name(place)),
        (Target::Person { user_id, .. }, _) => format!("hearth ✉ {}", clean(user_id)),
        (Target::NewThread { channel, title, .. }, _) => {
            format!("hearth 📣 #{} › new thread “{}”", clean(channel), clean(title))
        }
        (Target::Together { people, title, .. }, _) => {
            format!("hearth 🔒 together: {} › “{}”", names(people), clean(title))
        }
        // What is typed in the console stays in one terminal; there is nothing to take back.
        (Target::RetractOrigin, _) => return String::new(),
    };
    let mut out = format!("{header}\n");
    for block in &outbound.message.blocks {
        match block {
            Block::Heading(t) => out.push_str(&indent(&format!("** {} **", clean(t)))),
            Block::Text(t) => out.push_str(&indent(&clean(t))),
            Block::Person(id) => out.push_str(&indent(&format!("→ {}", clean(id)))),
            Block::List(items) => {
                for item in items {
                    out.push_str(&indent(&format!("• {}", clean(item))));
                }
            }
            Block::File { name, bytes, .. } => {
                out.push_str(&indent(&files::show(files_dir, name, bytes)));
            }
        }
    }
    match &outbound.message.controls {
        Some(Controls::Choices { options, .. }) => {
            for (i, option) in options.iter().enumerate() {
                out.push_str(&indent(&format!("{}) {}", i + 1, clean(&option.label))));
            }
        }
        Some(Controls::Form(form)) => {
            out.push_str(&indent(&format!("** {} **", clean(&form.title))))
        }
        None => {}
    }
    out
}

/// Scheduled messages for the console: printed to the terminal, and, if asked, one line per
/// delivery (`idempotency key<TAB>where`) appended to a delivery log.
#[derive(Debug)]
pub struct ConsoleDelivery {
    log: Option<Mutex<std::fs::File>>,
    files_dir: Option<PathBuf>,
}

impl ConsoleDelivery {
    pub fn new(log: Option<&Path>) -> std::io::Result<Self> {
        let log = match log {
            Some(path) => {
                Some(Mutex::new(std::fs::OpenOptions::new().create(true).append(true).open(path)?))
            }
            None => None,
        };
        Ok(Self { log, files_dir: None })
    }

    /// Where files in scheduled messages are written; see [`Console::with_files_dir`].
    #[must_use]
    pub fn with_files_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.files_dir = dir;
        self
    }
}

#[async_trait]
impl Delivery for ConsoleDelivery {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn deliver(
        &self,
        outbound: Outbound,
        idempotency_key: &str,
    ) -> Result<(), DeliveryError> {
        let place = match &outbound.target {
            Target::Origin | Target::RetractOrigin => return Err(DeliveryError::Gone),
            Target::Place { place, .. } => place_name(place),
            Target::Person { user_id, .. } => format!("✉ {}", clean(user_id)),
            Target::NewThread { channel, .. } => format!("#{} › thread", clean(channel)),
            Target::Together { people, .. } => format!("🔒 {}", names(people)),
        };
        let text = render(&outbound, "", self.files_dir.as_deref());
        {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|_| DeliveryError::Transient)?;
        }
        if let Some(log) = &self.log {
            let line = format!("{}\t{}\n", clean(idempotency_key), place);
            let mut file = log.lock().unwrap_or_else(|p| p.into_inner());
            file.write_all(line.as_bytes()).map_err(|_| DeliveryError::Transient)?;
        }
        Ok(())
    }
}

fn pick(options: &[(String, String)], typed: &str) -> Option<String> {
    if let Ok(n) = typed.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| options.get(i)).map(|(id, _)| id.clone());
    }
    let typed = typed.to_lowercase();
    options
        .iter()
        .find(|(id, label)| {
            *id == typed || label.to_lowercase().contains(&typed) && typed.len() >= 3
        })
        .map(|(id, _)| id.clone())
}

fn question(field: &FormField) -> String {
    indent(&format!("› {}", clean(&field.label)))
}

fn place_name(place: &Place) -> String {
    match place {
        Place::Channel { id } => format!("#{}", clean(id)),
        Place::Thread { channel, thread } => format!("#{} › {}", clean(channel), clean(thread)),
        Place::Direct => "✉".to_owned(),
    }
}

/// The people of a private place, as the terminal names them.
fn names(people: &[String]) -> String {
    people.iter().map(|p| clean(p)).collect::<Vec<_>>().join(", ")
}

/// Drops control characters (terminal escape sequences) from text that may echo input.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\n').collect()
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_by_number_or_words() {
        let options = vec![
            ("green".to_owned(), "🟢 Ready".to_owned()),
            ("pass".to_owned(), "Pass".to_owned()),
        ];
        assert_eq!(pick(&options, "1").as_deref(), Some("green"));
        assert_eq!(pick(&options, "2").as_deref(), Some("pass"));
        assert_eq!(pick(&options, "3"), None);
        assert_eq!(pick(&options, "0"), None);
        assert_eq!(pick(&options, "ready").as_deref(), Some("green"));
        assert_eq!(pick(&options, "PASS").as_deref(), Some("pass"));
        assert_eq!(pick(&options, "a"), None);
    }

    #[test]
    fn a_private_place_names_its_people_and_title() {
        let outbound = Outbound {
            target: Target::Together {
                team: TeamRef { platform: Platform::Console, id: "demo".into() },
                people: vec!["ana".into(), "bo\u{1b}[2J".into()],
                title: "Debrief: ana and bo".into(),
                channel: None,
            },
            visibility: Visibility::OnlyActor,
            message: hearth_chat::Message {
                blocks: vec![Block::Text("Hi".into())],
                controls: None,
            },
        };
        let shown = render(&outbound, "ana", None);
        assert_eq!(shown, "hearth 🔒 together: ana, bo[2J › “Debrief: ana and bo”\n  Hi\n");
    }

    #[test]
    fn escapes_are_removed() {
        assert_eq!(clean("hi\u{1b}[31m there\u{7}"), "hi[31m there");
    }
}
