//! The personal "going home" debrief: a few private steps (how am I, one thing that went
//! well, one hard thing to acknowledge and leave here, what I need before going home), then
//! one self-care suggestion and the offer of a peer debrief or a later check. Nothing is typed
//! and nothing is kept; every step can end the debrief.

use super::{Ask, Ctx, Effect, Input, Opt, Part, Say, Step};
use crate::prompts::keys as k;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feeling {
    Steady,
    Stirred,
    Heavy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    Rest,
    Nourish,
    Move,
    Connect,
    Quiet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    /// How am I, right now?
    Arriving,
    /// Bring to mind one thing that went well.
    WentWell { feeling: Feeling },
    /// Acknowledge one hard thing, and leave it here.
    LeaveHere { feeling: Feeling },
    /// What do I need before going home?
    Need { feeling: Feeling },
    /// A suggestion, then: a peer debrief, a check later, or done.
    Close { feeling: Feeling },
    /// After an on-demand debrief was arranged: check on me later?
    Later,
}

const END: Opt = Opt { id: "end", label: k::OPTION_END_HERE };
const FEELINGS: [(Feeling, &str, &str); 3] = [
    (Feeling::Steady, "steady", k::OPTION_FEELING_STEADY),
    (Feeling::Stirred, "stirred", k::OPTION_FEELING_STIRRED),
    (Feeling::Heavy, "heavy", k::OPTION_FEELING_HEAVY),
];
const NEEDS: [(Need, &str, &str, &str); 5] = [
    (Need::Rest, "rest", k::OPTION_NEED_REST, k::DEBRIEF_CARE_REST),
    (Need::Nourish, "nourish", k::OPTION_NEED_NOURISH, k::DEBRIEF_CARE_NOURISH),
    (Need::Move, "move", k::OPTION_NEED_MOVE, k::DEBRIEF_CARE_MOVE),
    (Need::Connect, "connect", k::OPTION_NEED_CONNECT, k::DEBRIEF_CARE_CONNECT),
    (Need::Quiet, "quiet", k::OPTION_NEED_QUIET, k::DEBRIEF_CARE_QUIET),
];

pub fn start() -> Step<State> {
    let mut say = vec![Say::text(k::DEBRIEF_INTRO)];
    say.extend(ask(State::Arriving));
    Step::to(State::Arriving, say)
}

/// Offered to the requester once a teammate has accepted their request.
pub fn later() -> Step<State> {
    Step::to(State::Later, ask(State::Later))
}

fn mind(key: &'static str) -> Vec<Say> {
    vec![Say::text(key).with_ask(Ask::Choose(vec![
        Opt { id: "done", label: k::OPTION_GOT_ONE },
        Opt { id: "skip", label: k::OPTION_SKIP },
        END,
    ]))]
}

fn later_options() -> Vec<Opt> {
    vec![
        Opt { id: "1d", label: k::OPTION_CHECK_1_DAY },
        Opt { id: "3d", label: k::OPTION_CHECK_3_DAYS },
        Opt { id: "no", label: k::OPTION_NO_THANKS },
    ]
}

/// The current step's question. (This flow's words do not depend on the moment.)
pub fn prompt(state: &State, _ctx: &Ctx) -> Vec<Say> {
    ask(*state)
}

fn ask(state: State) -> Vec<Say> {
    match state {
        State::Arriving => {
            let mut options: Vec<Opt> =
                FEELINGS.iter().map(|(_, id, label)| Opt { id, label }).collect();
            options.push(END);
            vec![Say::text(k::DEBRIEF_FEELING_ASK).with_ask(Ask::Choose(options))]
        }
        State::WentWell { .. } => mind(k::DEBRIEF_WENT_WELL),
        State::LeaveHere { .. } => mind(k::DEBRIEF_LEAVE_HERE),
        State::Need { .. } => {
            let mut options: Vec<Opt> =
                NEEDS.iter().map(|(_, id, label, _)| Opt { id, label }).collect();
            options.push(END);
            vec![Say::text(k::DEBRIEF_NEED_ASK).with_ask(Ask::Choose(options))]
        }
        State::Close { .. } => {
            let mut options = vec![Opt { id: "peer", label: k::OPTION_PEER_DEBRIEF }];
            options.extend(later_options());
            vec![Say::text(k::DEBRIEF_CLOSE_ASK).with_ask(Ask::Choose(options))]
        }
        State::Later => {
            vec![Say::text(k::DEBRIEF_LATER_ASK).with_ask(Ask::Choose(later_options()))]
        }
    }
}

pub fn advance(state: State, input: Input, _ctx: &Ctx) -> Step<State> {
    let Input::Choice(id) = input else { return again(state) };
    if id == END.id && !matches!(state, State::Close { .. } | State::Later) {
        return Step::end(vec![Say::text(k::DEBRIEF_ENDED)]);
    }
    let next = match state {
        State::Arriving => match FEELINGS.iter().find(|(_, fid, _)| *fid == id) {
            Some((feeling, ..)) => State::WentWell { feeling: *feeling },
            None => return again(state),
        },
        State::WentWell { feeling } if id == "done" || id == "skip" => State::LeaveHere { feeling },
        State::LeaveHere { feeling } if id == "done" || id == "skip" => {
            let mut say = Vec::new();
            if id == "done" {
                say.push(Say::text(k::DEBRIEF_LEFT_HERE));
            }
            say.extend(ask(State::Need { feeling }));
            return Step::to(State::Need { feeling }, say);
        }
        State::Need { feeling } => match NEEDS.iter().find(|(_, nid, ..)| *nid == id) {
            Some((_, _, _, care)) => {
                let mut parts = vec![Part::Text((*care).into())];
                if feeling == Feeling::Heavy {
                    parts.push(Part::Heading(k::RESOURCES_HEADING.into()));
                    parts.push(Part::TeamResources);
                }
                let mut say = vec![Say::actor(parts)];
                say.extend(ask(State::Close { feeling }));
                return Step::to(State::Close { feeling }, say);
            }
            None => return again(state),
        },
        State::Close { .. } if id == "peer" => {
            return Step::end(Vec::new()).with_effects([Effect::BeginRequest]);
        }
        State::Close { .. } | State::Later => {
            // After a personal debrief, a thank-you; after arranging a peer debrief, the
            // answer alone.
            let thanks = match state {
                State::Close { .. } => vec![Say::text(k::DEBRIEF_DONE)],
                _ => Vec::new(),
            };
            return match id.as_str() {
                "1d" | "3d" => {
                    let days = if id == "1d" { 1 } else { 3 };
                    Step::end(thanks).with_effects([Effect::CheckOnMe { days }])
                }
                "no" if thanks.is_empty() => Step::end(vec![Say::text(k::DEBRIEF_LATER_NO)]),
                "no" => Step::end(thanks),
                _ => again(state),
            };
        }
        _ => return again(state),
    };
    Step::to(next, ask(next))
}

fn again(state: State) -> Step<State> {
    let mut say = vec![Say::text(k::NOT_AN_ANSWER)];
    say.extend(ask(state));
    Step::to(state, say)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(state: State, id: &str) -> Step<State> {
        let ctx = Ctx::test();
        advance(state, Input::Choice(id.into()), &ctx)
    }

    #[test]
    fn every_question_before_the_last_can_end_it() {
        let feeling = Feeling::Stirred;
        for state in [
            State::Arriving,
            State::WentWell { feeling },
            State::LeaveHere { feeling },
            State::Need { feeling },
        ] {
            let step = choose(state, "end");
            assert_eq!((step.next, step.effects), (None, vec![]), "{state:?}");
        }
    }

    #[test]
    fn the_end_offers_a_peer_or_a_later_check() {
        let close = State::Close { feeling: Feeling::Heavy };
        assert_eq!(choose(close, "peer").effects, vec![Effect::BeginRequest]);
        assert_eq!(choose(close, "3d").effects, vec![Effect::CheckOnMe { days: 3 }]);
        assert_eq!(choose(State::Later, "1d").effects, vec![Effect::CheckOnMe { days: 1 }]);
        assert_eq!(choose(close, "nonsense").next, Some(close));
    }
}
