//! Flows: conversations of a few steps, as pure state machines.
//!
//! A flow is a serialisable state enum plus `advance(state, input, ctx) -> Step`: no I/O, no
//! clock, no words. It answers with prompt keys to say, the next state, and effects as data;
//! the engine does the rest in one transaction. States hold steps and choices, never free
//! text, because they are stored while the conversation is open.

pub mod breaks;
pub mod checkin;
pub mod debrief;
pub mod erase;
pub mod request;

use crate::colour::Colour;
// A flow speaks in prompt keys and lines; they are the prompts' vocabulary, named here too.
pub use crate::prompts::{Arg, Key, Line};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Heading(Line),
    Text(Line),
    List(Vec<Line>),
    /// The team's own support and crisis resources, or hearth's default text.
    TeamResources,
    /// A teammate, by platform user id, shown as the platform shows people.
    Person(String),
    /// Message `number` of a prompts collection (`break-breathe-2`).
    Item {
        collection: Key,
        number: u32,
    },
    /// A file to download (a calendar entry).
    File {
        name: String,
        mime: &'static str,
        bytes: Vec<u8>,
    },
    /// A puzzle's question, and its answer.
    Puzzle(crate::puzzles::Puzzle),
    PuzzleAnswer(crate::puzzles::Puzzle),
}

/// Who a message is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Only the person who acted, where they acted.
    Actor,
    /// Everyone in the place where the person acted.
    Place,
    /// One teammate, privately.
    Person { user_id: String },
    /// Everyone in a team channel (scheduled posts).
    Channel { id: String },
    /// A private place opened for these people (a peer debrief), in `channel` where the
    /// platform needs one.
    Together { people: Vec<String>, title: Line, channel: Option<String> },
    /// A new thread in a team channel (the end-of-shift debrief).
    NewThread { channel: String, title: Line },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Say {
    pub audience: Audience,
    pub parts: Vec<Part>,
    pub ask: Option<Ask>,
    /// The token for this message's question when it is not the actor's current step (the
    /// accept button on a debrief request sent to a teammate).
    pub token: Option<String>,
}

impl Say {
    /// A private message to the actor.
    pub fn actor(parts: Vec<Part>) -> Self {
        Self { audience: Audience::Actor, parts, ask: None, token: None }
    }

    /// A private message to one teammate.
    pub fn person(user_id: impl Into<String>, parts: Vec<Part>) -> Self {
        Self {
            audience: Audience::Person { user_id: user_id.into() },
            parts,
            ask: None,
            token: None,
        }
    }

    pub fn text(key: Key) -> Self {
        Self::actor(vec![Part::Text(Line::new(key))])
    }

    pub fn line(line: Line) -> Self {
        Self::actor(vec![Part::Text(line)])
    }

    pub fn with_ask(mut self, ask: Ask) -> Self {
        self.ask = Some(ask);
        self
    }
}

/// What a step asks of the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    Choose(Vec<Opt>),
    Form { title: Key, fields: Vec<Field> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opt {
    pub id: &'static str,
    pub label: Key,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub id: &'static str,
    pub label: Key,
    pub required: bool,
    pub max_chars: usize,
    pub kind: FieldKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// A teammate's name; the engine looks it up before the flow sees it.
    Person,
    /// An answer to the puzzle on screen; the engine checks it before the flow sees it.
    Answer,
}

/// What the person did, as the flow sees it. Tokens were checked before this point, and form
/// fields already fit their length limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Choice(String),
    Form(Vec<(String, FieldValue)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Person(PersonLookup),
    /// Whether the answer was right (the answer itself is dropped).
    Answer(bool),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonLookup {
    Empty,
    Found { user_id: String },
    Yourself,
    NotFound { given: String },
}

/// Changes to stored data that a step asks for; applied in the step's transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    AddToWeather(Colour),
    AddToHistory(Colour),
    SetKeepHistory(bool),
    /// "Reduce my load for now": capacity low, and the coordinator told only that.
    ReduceLoad,
    /// Open an on-demand debrief request and tell the teammates it reaches. The note goes
    /// out with it and is never stored.
    OpenRequest(request::Opening),
    /// One private nudge this many days from now.
    CheckOnMe {
        days: u32,
    },
    /// Go on into a debrief request (from a check-in or a personal debrief).
    BeginRequest,
    /// Go on into choosing a 5-minute break (from a check-in).
    BeginBreak,
    /// A break starts now, showing `activity`: its welcome back is scheduled.
    StartBreak {
        minutes: u32,
        activity: breaks::Activity,
    },
    /// Five more minutes on the break running.
    ExtendBreak,
    /// The break running ends now.
    EndBreak,
    /// Break nudges every so many minutes during shifts, or none.
    BreakNudges {
        every_minutes: Option<u32>,
    },
    /// The next break nudge, half an hour from now.
    SnoozeBreakNudge,
    /// Erase everything linked to the person (`/mydata delete`, confirmed).
    EraseMe,
    /// The once-only invitation to take debrief requests, if the person is not available and
    /// was never invited (said after the step's own words).
    InviteAvailable,
}

/// What the flow needs to know about the moment, gathered by the engine.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The name to show teammates for the person acting. Never stored.
    pub actor_name: String,
    /// Whether a teammate's platform user id may be shown as their name (not on Discord).
    pub ids_read_as_names: bool,
    /// Whether the person is in a place the team shares (not a DM with hearth).
    pub in_shared_place: bool,
    /// In a private conversation, the team's shared room where something can be posted for
    /// the team (Matrix, where a team is one room); `None` elsewhere.
    pub team_room: Option<String>,
    pub keep_history: Option<bool>,
    pub weather_min_people: u32,
    pub history_days: u32,
    /// Whether the team has named a supervisor (who may be told of an unanswered request).
    pub has_supervisor: bool,
    /// Whether the team has named a coordinator (who hears "capacity reduced").
    pub has_coordinator: bool,
    /// How many exercises and puzzles there are to choose from.
    pub collections: Collections,
    /// Randomness for this step (which exercise or puzzle), from the engine.
    pub seed: u64,
    /// Exercises and puzzles the person saw lately (loaded only for breaks).
    pub recent: Vec<String>,
    /// How long a debrief request waits for someone to accept.
    pub request_wait_minutes: u32,
    /// Nobody could be sent a debrief request now (known only when a step asks for one).
    pub nobody_reachable: bool,
}

#[cfg(test)]
impl Ctx {
    /// A moment for flow tests: a shared place, nothing known about the person.
    pub fn test() -> Ctx {
        Ctx {
            actor_name: "ana".into(),
            ids_read_as_names: true,
            in_shared_place: true,
            team_room: None,
            keep_history: None,
            weather_min_people: 3,
            history_days: 90,
            has_supervisor: false,
            has_coordinator: false,
            request_wait_minutes: 15,
            nobody_reachable: false,
            collections: Collections::default(),
            seed: 0,
            recent: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step<S> {
    pub next: Option<S>,
    pub say: Vec<Say>,
    pub effects: Vec<Effect>,
}

impl<S> Step<S> {
    pub fn to(next: S, say: Vec<Say>) -> Self {
        Self { next: Some(next), say, effects: Vec::new() }
    }

    pub fn end(say: Vec<Say>) -> Self {
        Self { next: None, say, effects: Vec::new() }
    }

    pub fn with_effects(mut self, effects: impl IntoIterator<Item = Effect>) -> Self {
        self.effects.extend(effects);
        self
    }

    /// The same step with its state wrapped, e.g. into [`FlowState`].
    pub fn map<T>(self, f: impl FnOnce(S) -> T) -> Step<T> {
        Step { next: self.next.map(f), say: self.say, effects: self.effects }
    }
}

/// Every flow's state, as stored in a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flow", content = "state", rename_all = "lowercase")]
pub enum FlowState {
    Checkin(checkin::State),
    Debrief(debrief::State),
    Request(request::State),
    Break(breaks::State),
    Erase(erase::State),
}

impl FlowState {
    pub fn advance(self, input: Input, ctx: &Ctx) -> Step<FlowState> {
        let step = match self {
            FlowState::Checkin(s) => checkin::advance(s, input, ctx).map(FlowState::Checkin),
            FlowState::Debrief(s) => debrief::advance(s, input, ctx).map(FlowState::Debrief),
            FlowState::Request(s) => request::advance(s, input, ctx).map(FlowState::Request),
            FlowState::Break(s) => breaks::advance(s, input, ctx).map(FlowState::Break),
            FlowState::Erase(s) => erase::advance(s, input, ctx).map(FlowState::Erase),
        };
        hand_over(step, ctx)
    }

    /// What the current step asks, said again (after an unexpected answer).
    pub fn prompt(&self, ctx: &Ctx) -> Vec<Say> {
        match self {
            FlowState::Checkin(s) => checkin::prompt(s, ctx),
            FlowState::Debrief(s) => debrief::prompt(s, ctx),
            FlowState::Request(s) => request::prompt(s, ctx),
            FlowState::Break(s) => breaks::prompt(s, ctx),
            FlowState::Erase(s) => erase::prompt(s, ctx),
        }
    }

    /// The form the current step is waiting for, if it is waiting for one.
    pub fn pending_form(&self, ctx: &Ctx) -> Option<Vec<Field>> {
        self.prompt(ctx).into_iter().find_map(|say| match say.ask {
            Some(Ask::Form { fields, .. }) => Some(fields),
            _ => None,
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            FlowState::Checkin(_) => "checkin",
            FlowState::Debrief(_) => "debrief",
            FlowState::Request(_) => "request",
            FlowState::Break(_) => "break",
            FlowState::Erase(_) => "erase",
        }
    }

    /// Whether advancing needs the exercises and puzzles the person saw lately.
    pub fn picks_activities(&self) -> bool {
        matches!(self, FlowState::Break(breaks::State::Choose { .. }))
    }

    /// The puzzle a step is waiting for an answer to.
    pub fn puzzle(&self) -> Option<crate::puzzles::Puzzle> {
        match self {
            FlowState::Break(breaks::State::Answering {
                activity: breaks::Activity::Puzzle { puzzle },
            }) => Some(*puzzle),
            _ => None,
        }
    }
}

/// A step that ends by asking for a peer debrief or a break goes straight on into that flow.
fn hand_over(mut step: Step<FlowState>, ctx: &Ctx) -> Step<FlowState> {
    let Some(at) =
        step.effects.iter().position(|e| matches!(e, Effect::BeginRequest | Effect::BeginBreak))
    else {
        return step;
    };
    let next = match step.effects.remove(at) {
        Effect::BeginRequest => request::start(None, ctx).map(FlowState::Request),
        _ => breaks::start(breaks::DEFAULT_MINUTES, false).map(FlowState::Break),
    };
    step.next = next.next;
    step.say.extend(next.say);
    step
}

/// How many exercises of each kind and puzzles there are (from `prompts/`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Collections {
    pub breathe: u32,
    pub stretch: u32,
    pub ground: u32,
    pub rest: u32,
    pub puzzles: crate::puzzles::Sizes,
}
