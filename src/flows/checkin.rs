//! The check-in: "how are you arriving?", a follow-up that fits the answer, and an anonymous
//! contribution to the team weather. Every step can be passed; passing records nothing.

use super::{
    Ask, Audience, Ctx, Effect, Field, FieldKind, FieldValue, Input, Line, Opt, Part, PersonLookup,
    Say, Step,
};
use crate::colour::Colour;
use crate::prompts::keys as k;
use serde::{Deserialize, Serialize};

/// The longest line someone can share with the team from a check-in.
pub const SHARE_MAX_CHARS: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    /// Waiting for a colour, or pass.
    Arriving,
    /// The colour's follow-up offer is on screen.
    FollowUp { colour: Colour },
    /// Green: the form for something to share with the team is open.
    Sharing { colour: Colour },
    /// Red: asking who to ask to reach out.
    Alerting { colour: Colour },
    /// Asking whether to add the colour to the team weather.
    Weather { colour: Colour },
    /// Asking, once, whether to keep a personal history. Whether the colour went to the team
    /// weather is said before this step and not kept in it: a stored session must not link a
    /// person to their part in the weather, nor record who did not take part.
    Keep { colour: Colour },
}

pub fn start(ctx: &Ctx) -> Step<State> {
    Step::to(State::Arriving, prompt(&State::Arriving, ctx))
}

const PASS: &str = "pass";
const NOT_NOW: Opt = Opt { id: "not-now", label: k::OPTION_NOT_NOW };
const YES: &str = "yes";
/// Asking a teammate for a debrief: the check-in ends and the request begins.
const DEBRIEF: &str = "debrief";
/// A 5-minute break: the check-in ends and the break begins.
const BREAK: &str = "break";
const NO: &str = "no";

/// The current step's question.
pub fn prompt(state: &State, ctx: &Ctx) -> Vec<Say> {
    match *state {
        State::Arriving => {
            let options = Colour::ALL
                .into_iter()
                .map(|c| Opt { id: c.as_str(), label: colour_name(c) })
                .chain([Opt { id: PASS, label: k::OPTION_PASS }])
                .collect();
            vec![
                Say::actor(vec![
                    Part::Heading(k::CHECKIN_ASK.into()),
                    Part::List(Colour::ALL.into_iter().map(|c| colour_about(c).into()).collect()),
                    Part::Text(k::CHECKIN_ASK_PRIVATE.into()),
                ])
                .with_ask(Ask::Choose(options)),
            ]
        }
        State::FollowUp { colour } => follow_up(colour, ctx),
        State::Sharing { .. } => {
            vec![Say::line(where_shared(k::CHECKIN_SHARE_ASK, ctx)).with_ask(Ask::Form {
                title: k::CHECKIN_SHARE_TITLE,
                fields: vec![Field {
                    id: "text",
                    label: k::CHECKIN_SHARE_FIELD,
                    required: false,
                    max_chars: SHARE_MAX_CHARS,
                    kind: FieldKind::Text,
                }],
            })]
        }
        State::Alerting { .. } => vec![Say::text(k::CHECKIN_ALERT_ASK).with_ask(Ask::Form {
            title: k::CHECKIN_ALERT_TITLE,
            fields: vec![Field {
                id: "person",
                label: k::CHECKIN_ALERT_FIELD,
                required: false,
                max_chars: 100,
                kind: FieldKind::Person,
            }],
        })],
        State::Weather { .. } => vec![
            Say::line(Line::new(k::CHECKIN_WEATHER_ASK).arg("min", ctx.weather_min_people))
                .with_ask(Ask::Choose(vec![
                    Opt { id: YES, label: k::OPTION_WEATHER_YES },
                    Opt { id: NO, label: k::OPTION_WEATHER_NO },
                ])),
        ],
        State::Keep { .. } => {
            vec![Say::line(Line::new(k::CHECKIN_KEEP_ASK).arg("days", ctx.history_days)).with_ask(
                Ask::Choose(vec![
                    Opt { id: YES, label: k::OPTION_KEEP_YES },
                    Opt { id: NO, label: k::OPTION_KEEP_NO },
                ]),
            )]
        }
    }
}

/// Whether a line can be shared with the team from here: in a shared place, or from a
/// private conversation on a platform where the team is one room.
fn can_share(ctx: &Ctx) -> bool {
    ctx.in_shared_place || ctx.team_room.is_some()
}

/// Words about sharing, naming where the line would appear: here, or the team room.
fn where_shared(key: crate::flows::Key, ctx: &Ctx) -> Line {
    Line::new(key).arg("where", if ctx.in_shared_place { "here" } else { "room" })
}

/// The offer that fits each colour. Only offers that hearth can carry out appear here.
fn follow_up(colour: Colour, ctx: &Ctx) -> Vec<Say> {
    match colour {
        Colour::Green if can_share(ctx) => vec![
            Say::actor(vec![
                Part::Text(k::CHECKIN_GREEN_ACK.into()),
                Part::Text(where_shared(k::CHECKIN_GREEN_OFFER, ctx)),
            ])
            .with_ask(Ask::Choose(vec![Opt { id: "share", label: k::OPTION_SHARE }, NOT_NOW])),
        ],
        // Green in a private conversation has nothing to offer; `advance` skips this step.
        Colour::Green => vec![Say::text(k::CHECKIN_GREEN_ACK)],
        Colour::Yellow => vec![
            Say::actor(vec![
                Part::Text(k::CHECKIN_YELLOW_ACK.into()),
                Part::Text(k::CHECKIN_YELLOW_OFFER.into()),
            ])
            .with_ask(Ask::Choose(vec![
                Opt { id: "breathe", label: k::OPTION_BREATHE },
                Opt { id: BREAK, label: k::OPTION_TAKE_BREAK },
                NOT_NOW,
            ])),
        ],
        Colour::Orange => vec![
            Say::actor(vec![
                Part::Text(k::CHECKIN_ORANGE_ACK.into()),
                Part::Text(k::CHECKIN_ORANGE_OFFER.into()),
            ])
            .with_ask(Ask::Choose(vec![
                Opt { id: DEBRIEF, label: k::OPTION_PEER_DEBRIEF },
                Opt { id: "ground", label: k::OPTION_GROUND },
                Opt { id: BREAK, label: k::OPTION_TAKE_BREAK },
                Opt {
                    id: "load",
                    label: if ctx.has_coordinator {
                        k::OPTION_REDUCE_LOAD
                    } else {
                        k::OPTION_REDUCE_LOAD_UNTOLD
                    },
                },
                Opt { id: "resources", label: k::OPTION_RESOURCES },
                NOT_NOW,
            ])),
        ],
        // Red shows the resources straight away, before any question.
        Colour::Red => vec![
            Say::actor(vec![
                Part::Text(k::CHECKIN_RED_ACK.into()),
                Part::Heading(k::RESOURCES_HEADING.into()),
                Part::TeamResources,
            ]),
            Say::text(k::CHECKIN_RED_OFFER).with_ask(Ask::Choose(vec![
                Opt { id: "alert", label: k::OPTION_ALERT },
                Opt { id: DEBRIEF, label: k::OPTION_PEER_DEBRIEF },
                NOT_NOW,
            ])),
        ],
    }
}

pub fn advance(state: State, input: Input, ctx: &Ctx) -> Step<State> {
    match (state, input) {
        (State::Arriving, Input::Choice(id)) if id == PASS => {
            Step::end(vec![Say::text(k::CHECKIN_PASSED)])
        }
        (State::Arriving, Input::Choice(id)) => match Colour::parse(&id) {
            Some(Colour::Green) if !can_share(ctx) => {
                let mut say = vec![Say::text(k::CHECKIN_GREEN_ACK)];
                say.extend(prompt(&State::Weather { colour: Colour::Green }, ctx));
                Step::to(State::Weather { colour: Colour::Green }, say)
            }
            Some(colour) => Step::to(State::FollowUp { colour }, follow_up(colour, ctx)),
            None => reprompt(state, ctx),
        },
        (State::FollowUp { colour }, Input::Choice(id)) => {
            if matches!(colour, Colour::Orange | Colour::Red) && id == DEBRIEF {
                return Step::end(Vec::new()).with_effects([Effect::BeginRequest]);
            }
            if matches!(colour, Colour::Yellow | Colour::Orange) && id == BREAK {
                return Step::end(Vec::new()).with_effects([Effect::BeginBreak]);
            }
            if colour == Colour::Orange && id == "load" {
                return to_weather(colour, Vec::new(), ctx).with_effects([Effect::ReduceLoad]);
            }
            let before_weather = match (colour, id.as_str()) {
                (Colour::Green, "share") if can_share(ctx) => {
                    let next = State::Sharing { colour };
                    return Step::to(next, prompt(&next, ctx));
                }
                (Colour::Red, "alert") => {
                    let next = State::Alerting { colour };
                    return Step::to(next, prompt(&next, ctx));
                }
                (Colour::Yellow, "breathe") => vec![Say::actor(vec![
                    Part::Heading(k::EXERCISE_BREATHE_TITLE.into()),
                    Part::Text(k::EXERCISE_BREATHE.into()),
                ])],
                (Colour::Orange, "ground") => vec![Say::actor(vec![
                    Part::Heading(k::EXERCISE_GROUND_TITLE.into()),
                    Part::Text(k::EXERCISE_GROUND.into()),
                ])],
                (Colour::Orange, "resources") => vec![Say::actor(vec![
                    Part::Heading(k::RESOURCES_HEADING.into()),
                    Part::TeamResources,
                ])],
                (_, "not-now") => Vec::new(),
                _ => return reprompt(state, ctx),
            };
            to_weather(colour, before_weather, ctx)
        }
        (State::Sharing { colour }, Input::Form(fields)) => {
            let text = text_field(&fields, "text");
            let mut say = Vec::new();
            let audience = match &ctx.team_room {
                Some(room) if !ctx.in_shared_place => Audience::Channel { id: room.clone() },
                _ => Audience::Place,
            };
            if !text.is_empty() && can_share(ctx) {
                say.push(Say {
                    audience,
                    ..Say::actor(vec![Part::Text(
                        Line::new(k::CHECKIN_SHARED_POST)
                            .arg("name", ctx.actor_name.as_str())
                            .arg("text", text),
                    )])
                });
                say.push(Say::text(k::CHECKIN_SHARED_DONE));
            }
            to_weather(colour, say, ctx)
        }
        (State::Alerting { colour }, Input::Form(fields)) => {
            let lookup = fields.into_iter().find_map(|(id, value)| match value {
                FieldValue::Person(p) if id == "person" => Some(p),
                _ => None,
            });
            match lookup.unwrap_or(PersonLookup::Empty) {
                PersonLookup::Empty => to_weather(colour, Vec::new(), ctx),
                PersonLookup::Found { user_id } => {
                    let alert = Say::person(
                        user_id.clone(),
                        vec![Part::Text(
                            Line::new(k::CHECKIN_ALERT_MESSAGE)
                                .arg("name", ctx.actor_name.as_str()),
                        )],
                    );
                    let sent = if ctx.ids_read_as_names {
                        Say::line(Line::new(k::CHECKIN_ALERT_SENT).arg("name", user_id))
                    } else {
                        Say::text(k::CHECKIN_ALERT_SENT_UNNAMED)
                    };
                    to_weather(colour, vec![alert, sent], ctx)
                }
                PersonLookup::Yourself => {
                    let mut say = vec![Say::text(k::CHECKIN_ALERT_YOURSELF)];
                    say.extend(prompt(&state, ctx));
                    Step::to(state, say)
                }
                PersonLookup::NotFound { given } => {
                    let mut say =
                        vec![Say::line(Line::new(k::CHECKIN_ALERT_NOT_FOUND).arg("name", given))];
                    say.extend(prompt(&state, ctx));
                    Step::to(state, say)
                }
            }
        }
        (State::Weather { colour }, Input::Choice(id)) if id == YES || id == NO => {
            let added = id == YES;
            let effects = added.then_some(Effect::AddToWeather(colour));
            match ctx.keep_history {
                None => {
                    let next = State::Keep { colour };
                    let mut say = Vec::new();
                    if added {
                        say.push(Say::text(k::CHECKIN_WEATHER_ADDED));
                    }
                    say.extend(prompt(&next, ctx));
                    Step::to(next, say).with_effects(effects)
                }
                Some(keep) => finish(colour, added, keep).with_effects(effects),
            }
        }
        (State::Keep { colour }, Input::Choice(id)) if id == YES || id == NO => {
            let keep = id == YES;
            finish(colour, false, keep).with_effects([Effect::SetKeepHistory(keep)])
        }
        (state, _) => reprompt(state, ctx),
    }
}

fn to_weather(colour: Colour, mut say: Vec<Say>, ctx: &Ctx) -> Step<State> {
    let next = State::Weather { colour };
    say.extend(prompt(&next, ctx));
    Step::to(next, say)
}

fn finish(colour: Colour, added_to_weather: bool, keep: bool) -> Step<State> {
    let mut parts = Vec::new();
    if added_to_weather {
        parts.push(Part::Text(k::CHECKIN_WEATHER_ADDED.into()));
    }
    if keep {
        parts.push(Part::Text(k::CHECKIN_KEPT.into()));
    }
    parts.push(Part::Text(k::CHECKIN_DONE.into()));
    let step = Step::end(vec![Say::actor(parts)]);
    let step = if keep { step.with_effects([Effect::AddToHistory(colour)]) } else { step };
    // Someone arriving ready may like to be there for others; after a harder check-in this
    // is not the moment to ask.
    if colour == Colour::Green { step.with_effects([Effect::InviteAvailable]) } else { step }
}

/// An answer that does not fit the question: say so kindly and ask again; nothing is lost.
fn reprompt(state: State, ctx: &Ctx) -> Step<State> {
    let mut say = vec![Say::text(k::NOT_AN_ANSWER)];
    say.extend(prompt(&state, ctx));
    Step::to(state, say)
}

fn text_field(fields: &[(String, FieldValue)], name: &str) -> String {
    fields
        .iter()
        .find_map(|(id, value)| match value {
            FieldValue::Text(t) if id == name => Some(t.trim().to_owned()),
            _ => None,
        })
        .unwrap_or_default()
}

pub fn colour_name(colour: Colour) -> &'static str {
    match colour {
        Colour::Green => k::COLOUR_GREEN,
        Colour::Yellow => k::COLOUR_YELLOW,
        Colour::Orange => k::COLOUR_ORANGE,
        Colour::Red => k::COLOUR_RED,
    }
}

fn colour_about(colour: Colour) -> &'static str {
    match colour {
        Colour::Green => k::COLOUR_GREEN_ABOUT,
        Colour::Yellow => k::COLOUR_YELLOW_ABOUT,
        Colour::Orange => k::COLOUR_ORANGE_ABOUT,
        Colour::Red => k::COLOUR_RED_ABOUT,
    }
}

#[cfg(test)]
mod tests;
