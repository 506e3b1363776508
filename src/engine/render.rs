//! Puts words to what the core said: prompt keys become text in the team's language and for
//! its platform, and each `Say` becomes an outbound message addressed as the platform needs.
//! Nothing here reads or writes the store.

use crate::context::{Core, Reply, Turn};
use crate::flows::{Ask, Audience, FieldKind, Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::Team;
use hearth_chat::{
    Block, ChoiceOption, Controls, Form, FormField, Message, Outbound, Place, Target, Visibility,
};

/// Puts words to what was said, addressed as the platform needs.
pub fn render(core: &Core, turn: &Turn, reply: Reply) -> Vec<Outbound> {
    let mut out = Vec::new();
    if reply.retract_origin {
        out.push(Outbound {
            target: Target::RetractOrigin,
            visibility: Visibility::OnlyActor,
            message: Message::default(),
        });
    }
    out.extend(render_for(core, &turn.team, reply.says, reply.token.as_deref()));
    out.extend(reply.elsewhere);
    out
}

/// Puts words to messages for a team, outside any event (the scheduler's messages).
pub fn render_for(core: &Core, team: &Team, says: Vec<Say>, token: Option<&str>) -> Vec<Outbound> {
    let locale = team.locale.as_str();
    let text = |line: &Line| core.prompts.render_on(locale, team.platform, line);
    let team_ref = team.team_ref();
    says.into_iter()
        .map(|say| {
            let blocks = say
                .parts
                .iter()
                .map(|part| match part {
                    Part::Heading(line) => Block::Heading(text(line)),
                    Part::Text(line) => Block::Text(text(line)),
                    Part::List(lines) => Block::List(lines.iter().map(text).collect()),
                    Part::TeamResources => Block::Text(match &team.resources {
                        Some(resources) => resources.clone(),
                        None => text(&Line::new(k::RESOURCES_DEFAULT)),
                    }),
                    Part::Person(user_id) => Block::Person(user_id.clone()),
                    Part::File { name, mime, bytes } => Block::File {
                        name: name.clone(),
                        mime: (*mime).to_owned(),
                        bytes: bytes.clone(),
                    },
                    Part::Item { collection, number } => Block::Text(core.prompts.render_key(
                        locale,
                        &format!("{collection}-{number}"),
                        &[],
                    )),
                    Part::Puzzle(puzzle) => {
                        Block::Text(core.prompts.puzzle_question(locale, *puzzle))
                    }
                    Part::PuzzleAnswer(puzzle) => {
                        let answer = core.prompts.puzzle_answers(locale, *puzzle).swap_remove(0);
                        Block::Text(text(&Line::new(k::PUZZLE_REVEAL).arg("answer", answer)))
                    }
                })
                .collect();
            let token = say.token.or_else(|| token.map(str::to_owned)).unwrap_or_default();
            let controls = say.ask.map(|ask| match ask {
                Ask::Choose(options) => Controls::Choices {
                    token,
                    options: options
                        .iter()
                        .map(|o| ChoiceOption {
                            id: o.id.to_owned(),
                            label: text(&Line::new(o.label)),
                        })
                        .collect(),
                },
                Ask::Form { title, fields } => Controls::Form(Form {
                    token,
                    title: text(&Line::new(title)),
                    fields: fields
                        .iter()
                        .map(|f| FormField {
                            id: f.id.to_owned(),
                            label: text(&Line::new(f.label)),
                            required: f.required,
                            max_chars: f.max_chars,
                            names_person: f.kind == FieldKind::Person,
                        })
                        .collect(),
                    skip: fields
                        .iter()
                        .all(|f| !f.required)
                        .then(|| text(&Line::new(k::FORM_SKIP))),
                }),
            });
            let (target, visibility) = match say.audience {
                Audience::Actor => (Target::Origin, Visibility::OnlyActor),
                Audience::Place => (Target::Origin, Visibility::Everyone),
                Audience::Person { user_id } => {
                    (Target::Person { team: team_ref.clone(), user_id }, Visibility::OnlyActor)
                }
                Audience::Channel { id } => (
                    Target::Place { team: team_ref.clone(), place: Place::Channel { id } },
                    Visibility::Everyone,
                ),
                Audience::Together { people, title, channel } => (
                    Target::Together {
                        team: team_ref.clone(),
                        people,
                        title: text(&title),
                        channel,
                    },
                    Visibility::OnlyActor,
                ),
                Audience::NewThread { channel, title } => (
                    Target::NewThread { team: team_ref.clone(), channel, title: text(&title) },
                    Visibility::Everyone,
                ),
            };
            Outbound { target, visibility, message: Message { blocks, controls } }
        })
        .collect()
}

/// The one message sent when handling failed inside hearth.
pub fn apology(core: &Core) -> Outbound {
    outside_a_team(core, k::INTERNAL_ERROR)
}

/// One message to the actor, in the default words, for an event no team's settings apply to.
pub fn outside_a_team(core: &Core, key: crate::flows::Key) -> Outbound {
    Outbound {
        target: Target::Origin,
        visibility: Visibility::OnlyActor,
        message: Message {
            blocks: vec![Block::Text(
                core.prompts.render(crate::prompts::DEFAULT_LOCALE, &Line::new(key)),
            )],
            controls: None,
        },
    }
}
