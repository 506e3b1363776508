//! `/mydata delete`: one question — erase everything hearth holds about me, or keep it — with
//! what erasing means said first. Erasing is an effect the engine applies in the step's
//! transaction.

use super::{Ask, Ctx, Effect, Input, Opt, Say, Step};
use crate::prompts::keys as k;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    Confirm,
}

const ERASE: Opt = Opt { id: "erase", label: k::OPTION_ERASE };
const KEEP: Opt = Opt { id: "keep", label: k::OPTION_KEEP };

pub fn start() -> Step<State> {
    Step::to(State::Confirm, ask())
}

fn ask() -> Vec<Say> {
    vec![
        Say::text(k::MYDATA_DELETE_WHAT),
        Say::text(k::MYDATA_DELETE_ASK).with_ask(Ask::Choose(vec![ERASE, KEEP])),
    ]
}

pub fn prompt(_state: &State, _ctx: &Ctx) -> Vec<Say> {
    ask()
}

pub fn advance(state: State, input: Input, _ctx: &Ctx) -> Step<State> {
    match input {
        Input::Choice(option) if option == ERASE.id => {
            Step::end(Vec::new()).with_effects([Effect::EraseMe])
        }
        Input::Choice(option) if option == KEEP.id => Step::end(vec![Say::text(k::MYDATA_KEPT)]),
        _ => Step::to(state, ask()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_clear_yes_erases() {
        let ctx = Ctx::test();
        let keep = advance(State::Confirm, Input::Choice("keep".into()), &ctx);
        assert!(keep.effects.is_empty() && keep.next.is_none());
        let unclear = advance(State::Confirm, Input::Choice("maybe".into()), &ctx);
        assert!(unclear.effects.is_empty() && unclear.next == Some(State::Confirm));
        let erase = advance(State::Confirm, Input::Choice("erase".into()), &ctx);
        assert_eq!(erase.effects, [Effect::EraseMe]);
        assert!(erase.next.is_none());
    }
}
