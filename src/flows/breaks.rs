//! A break: pick breathe, stretch, ground, a small puzzle or just rest; the exercise or puzzle
//! arrives with buttons for five more minutes, ending now, and (for a puzzle) answering or
//! seeing the answer. The timer and the welcome back are the engine's and the scheduler's.
//! Also the answer to a break nudge. Nothing here is reported to anyone.

use super::{Ask, Ctx, Effect, Field, FieldKind, FieldValue, Input, Line, Opt, Part, Say, Step};
use crate::prompts::keys as k;
use crate::puzzles::Puzzle;
use serde::{Deserialize, Serialize};

/// Break lengths people may ask for, in minutes.
pub const MINUTES: std::ops::RangeInclusive<i64> = 1..=30;
pub const DEFAULT_MINUTES: u32 = 5;
/// What "5 more minutes" adds.
pub const MORE_MINUTES: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Breathe,
    Stretch,
    Ground,
    Rest,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Breathe, Kind::Stretch, Kind::Ground, Kind::Rest];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Breathe => "breathe",
            Kind::Stretch => "stretch",
            Kind::Ground => "ground",
            Kind::Rest => "rest",
        }
    }

    /// The prompts collection of this kind's exercises (`break-breathe-1`, …).
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Breathe => "break-breathe",
            Kind::Stretch => "break-stretch",
            Kind::Ground => "break-ground",
            Kind::Rest => "break-rest",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Breathe => k::BREAK_BREATHE_TITLE,
            Kind::Stretch => k::BREAK_STRETCH_TITLE,
            Kind::Ground => k::BREAK_GROUND_TITLE,
            Kind::Rest => k::BREAK_REST_TITLE,
        }
    }

    fn option(self) -> &'static str {
        match self {
            Kind::Breathe => k::OPTION_BREAK_BREATHE,
            Kind::Stretch => k::OPTION_BREAK_STRETCH,
            Kind::Ground => k::OPTION_BREAK_GROUND,
            Kind::Rest => k::OPTION_BREAK_REST,
        }
    }
}

/// What a break shows: one exercise of a collection (numbered from 1), or a puzzle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shows", rename_all = "snake_case")]
pub enum Activity {
    Exercise { kind: Kind, number: u32 },
    Puzzle { puzzle: Puzzle },
}

impl Activity {
    /// The id remembered as seen, so it does not come back soon.
    pub fn id(&self) -> String {
        match self {
            Activity::Exercise { kind, number } => format!("{}:{number}", kind.as_str()),
            Activity::Puzzle { puzzle } => puzzle.id(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    /// What kind of break? (`served`: offered after "I just finished with a peer".)
    Choose { minutes: u32, served: bool },
    /// The break is on; its buttons are showing.
    Running { activity: Activity, solved: bool },
    /// A puzzle's answer form is open.
    Answering { activity: Activity },
    /// A break nudge arrived: take one, later, or no more nudges.
    Nudged,
}

pub fn start(minutes: u32, served: bool) -> Step<State> {
    let state = State::Choose { minutes, served };
    Step::to(state, ask(state))
}

pub fn nudged() -> Step<State> {
    Step::to(State::Nudged, ask(State::Nudged))
}

const PUZZLE: &str = "puzzle";
const NOT_NOW: Opt = Opt { id: "not-now", label: k::OPTION_NOT_NOW };

pub fn prompt(state: &State, _ctx: &Ctx) -> Vec<Say> {
    ask(*state)
}

fn ask(state: State) -> Vec<Say> {
    match state {
        State::Choose { minutes, served } => {
            let key = if served { k::BREAK_SERVED } else { k::BREAK_ASK };
            let mut options: Vec<Opt> = Kind::ALL[..3]
                .iter()
                .map(|kind| Opt { id: kind.as_str(), label: kind.option() })
                .collect();
            options.push(Opt { id: PUZZLE, label: k::OPTION_BREAK_PUZZLE });
            options.push(Opt { id: Kind::Rest.as_str(), label: Kind::Rest.option() });
            options.push(NOT_NOW);
            vec![
                Say::actor(vec![
                    Part::Text(Line::new(key).arg("minutes", minutes)),
                    Part::Text(k::BREAK_PRIVATE.into()),
                ])
                .with_ask(Ask::Choose(options)),
            ]
        }
        State::Running { activity, solved } => running(activity, solved),
        State::Answering { .. } => vec![Say::text(k::PUZZLE_ANSWER_ASK).with_ask(Ask::Form {
            title: k::PUZZLE_ANSWER_TITLE,
            fields: vec![Field {
                id: "answer",
                label: k::PUZZLE_ANSWER_TITLE,
                required: true,
                max_chars: 100,
                kind: FieldKind::Answer,
            }],
        })],
        State::Nudged => vec![Say::text(k::BREAK_NUDGE_ASK).with_ask(Ask::Choose(vec![
            Opt { id: "take", label: k::OPTION_NUDGE_TAKE },
            Opt { id: "snooze", label: k::OPTION_NUDGE_SNOOZE },
            Opt { id: "off", label: k::OPTION_NUDGE_OFF },
        ]))],
    }
}

/// The exercise or puzzle, with the break's buttons.
fn shown(activity: Activity) -> Say {
    match activity {
        Activity::Exercise { kind, number } => Say::actor(vec![
            Part::Heading(kind.title().into()),
            Part::Item { collection: kind.collection(), number },
        ]),
        Activity::Puzzle { puzzle } => {
            Say::actor(vec![Part::Heading(k::BREAK_PUZZLE_TITLE.into()), Part::Puzzle(puzzle)])
        }
    }
}

fn running(activity: Activity, solved: bool) -> Vec<Say> {
    let mut options = Vec::new();
    if matches!(activity, Activity::Puzzle { .. }) && !solved {
        options.push(Opt { id: "answer", label: k::OPTION_PUZZLE_ANSWER });
        options.push(Opt { id: "reveal", label: k::OPTION_PUZZLE_REVEAL });
    }
    options.push(Opt { id: "more", label: k::OPTION_BREAK_MORE });
    options.push(Opt { id: "end", label: k::OPTION_BREAK_END });
    vec![Say { ask: Some(Ask::Choose(options)), ..shown(activity) }]
}

/// The buttons again, without repeating the exercise.
fn buttons(activity: Activity, solved: bool) -> Vec<Say> {
    let mut say = running(activity, solved);
    for s in &mut say {
        s.parts = vec![Part::Text(k::BREAK_BUTTONS.into())];
    }
    say
}

pub fn advance(state: State, input: Input, ctx: &Ctx) -> Step<State> {
    match (state, input) {
        (State::Choose { .. }, Input::Choice(id)) if id == NOT_NOW.id => {
            Step::end(vec![Say::text(k::BREAK_NOT_NOW)])
        }
        (State::Choose { minutes, .. }, Input::Choice(id)) => {
            let activity = if id == PUZZLE {
                Activity::Puzzle {
                    puzzle: Puzzle::pick(ctx.seed, ctx.collections.puzzles, &ctx.recent),
                }
            } else {
                match Kind::ALL.into_iter().find(|kind| kind.as_str() == id) {
                    Some(kind) => Activity::Exercise { kind, number: exercise(kind, ctx) },
                    None => return again(state),
                }
            };
            let next = State::Running { activity, solved: false };
            Step::to(next, ask(next)).with_effects([Effect::StartBreak { minutes, activity }])
        }
        (State::Running { activity, solved }, Input::Choice(id)) => match id.as_str() {
            "more" => {
                Step::to(state, buttons(activity, solved)).with_effects([Effect::ExtendBreak])
            }
            "end" => {
                Step::end(vec![Say::text(k::BREAK_ENDED_EARLY)]).with_effects([Effect::EndBreak])
            }
            "answer" if !solved && matches!(activity, Activity::Puzzle { .. }) => {
                let next = State::Answering { activity };
                Step::to(next, ask(next))
            }
            "reveal" if !solved => match activity {
                Activity::Puzzle { puzzle } => {
                    let mut say = vec![Say::actor(vec![Part::PuzzleAnswer(puzzle)])];
                    say.extend(buttons(activity, true));
                    Step::to(State::Running { activity, solved: true }, say)
                }
                Activity::Exercise { .. } => again(state),
            },
            _ => again(state),
        },
        (State::Answering { activity }, Input::Form(fields)) => {
            let right =
                fields.iter().any(|(id, v)| id == "answer" && *v == FieldValue::Answer(true));
            let key = if right { k::PUZZLE_RIGHT } else { k::PUZZLE_WRONG };
            let mut say = vec![Say::text(key)];
            say.extend(buttons(activity, right));
            Step::to(State::Running { activity, solved: right }, say)
        }
        (State::Nudged, Input::Choice(id)) => match id.as_str() {
            "take" => start(DEFAULT_MINUTES, false),
            "snooze" => Step::end(vec![Say::text(k::BREAK_NUDGE_SNOOZED)])
                .with_effects([Effect::SnoozeBreakNudge]),
            "off" => {
                Step::end(Vec::new()).with_effects([Effect::BreakNudges { every_minutes: None }])
            }
            _ => again(state),
        },
        (state, _) => again(state),
    }
}

/// An exercise of `kind` not shown lately, chosen by the step's seed.
fn exercise(kind: Kind, ctx: &Ctx) -> u32 {
    let count = match kind {
        Kind::Breathe => ctx.collections.breathe,
        Kind::Stretch => ctx.collections.stretch,
        Kind::Ground => ctx.collections.ground,
        Kind::Rest => ctx.collections.rest,
    }
    .max(1);
    let id = |n: u32| format!("{}:{n}", kind.as_str());
    // The most recent of this kind is never repeated; otherwise the least recently seen.
    let unseen: Vec<u32> = (1..=count).filter(|n| !ctx.recent.contains(&id(*n))).collect();
    if !unseen.is_empty() {
        return unseen[(ctx.seed % unseen.len() as u64) as usize];
    }
    let oldest = ctx.recent.iter().rev().find_map(|item| {
        let (kind_id, n) = item.split_once(':')?;
        (kind_id == kind.as_str()).then(|| n.parse().ok()).flatten()
    });
    oldest.unwrap_or(1)
}

fn again(state: State) -> Step<State> {
    let mut say = vec![Say::text(k::NOT_AN_ANSWER)];
    say.extend(ask(state));
    Step::to(state, say)
}
