//! Asking for an on-demand debrief: whether my name shows before someone accepts, whether a
//! supervisor may be told if nobody can, and an optional note that goes out with the request
//! and is never kept. Opening it (and telling teammates) is the engine's effect.

use super::{Ask, Ctx, Effect, Field, FieldKind, FieldValue, Input, Line, Opt, Part, Say, Step};
use crate::prompts::keys as k;
use serde::{Deserialize, Serialize};

/// The longest note sent with a request.
pub const NOTE_MAX_CHARS: usize = 300;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    /// Show my name now, or only to whoever accepts?
    Name { target: Option<String> },
    /// If nobody can in time, may the supervisor be told?
    Supervisor { target: Option<String>, show_name: bool },
    /// An optional note; sending the form opens the request.
    Note { target: Option<String>, show_name: bool, tell_supervisor: bool },
}

/// What the engine needs to open a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opening {
    /// The one teammate asked (a platform user id), or everyone available.
    pub target: Option<String>,
    pub show_name: bool,
    pub tell_supervisor: bool,
    /// Sent with the request; never stored.
    pub note: String,
}

const CANCEL: Opt = Opt { id: "cancel", label: k::OPTION_NEVER_MIND };

pub fn start(target: Option<String>, ctx: &Ctx) -> Step<State> {
    if target.is_none() && ctx.nobody_reachable {
        return Step::end(nobody());
    }
    let state = State::Name { target };
    let say = prompt(&state, ctx);
    Step::to(state, say)
}

/// Nobody can be sent a request now: said at once, before any question, with the team's
/// resources and what the person can do instead.
pub fn nobody() -> Vec<Say> {
    vec![Say::actor(vec![
        Part::Text(k::REQUEST_NOBODY_NOW.into()),
        Part::Heading(k::RESOURCES_HEADING.into()),
        Part::TeamResources,
    ])]
}

pub fn prompt(state: &State, ctx: &Ctx) -> Vec<Say> {
    match state {
        State::Name { target } => {
            let intro = match target {
                Some(_) => Line::new(k::REQUEST_INTRO_ONE),
                None => Line::new(k::REQUEST_INTRO),
            };
            vec![
                Say::actor(vec![Part::Text(intro), Part::Text(k::REQUEST_NAME_ASK.into())])
                    .with_ask(Ask::Choose(vec![
                        Opt { id: "show", label: k::OPTION_NAME_SHOW },
                        Opt { id: "hide", label: k::OPTION_NAME_HIDE },
                        CANCEL,
                    ])),
            ]
        }
        State::Supervisor { .. } => vec![
            Say::line(
                Line::new(k::REQUEST_SUPERVISOR_ASK).arg("minutes", ctx.request_wait_minutes),
            )
            .with_ask(Ask::Choose(vec![
                Opt { id: "yes", label: k::OPTION_SUPERVISOR_YES },
                Opt { id: "no", label: k::OPTION_SUPERVISOR_NO },
                CANCEL,
            ])),
        ],
        State::Note { target, .. } => {
            let who = if target.is_some() { "one" } else { "team" };
            vec![Say::line(Line::new(k::REQUEST_NOTE_ASK).arg("who", who)).with_ask(Ask::Form {
                title: k::REQUEST_NOTE_TITLE,
                fields: vec![Field {
                    id: "note",
                    label: k::REQUEST_NOTE_FIELD,
                    required: false,
                    max_chars: NOTE_MAX_CHARS,
                    kind: FieldKind::Text,
                }],
            })]
        }
    }
}

pub fn advance(state: State, input: Input, ctx: &Ctx) -> Step<State> {
    if input == Input::Choice(CANCEL.id.into()) {
        return Step::end(vec![Say::text(k::REQUEST_NOT_SENT)]);
    }
    match (state, input) {
        (State::Name { target }, Input::Choice(id)) if id == "show" || id == "hide" => {
            let show_name = id == "show";
            let next = if ctx.has_supervisor {
                State::Supervisor { target, show_name }
            } else {
                State::Note { target, show_name, tell_supervisor: false }
            };
            let say = prompt(&next, ctx);
            Step::to(next, say)
        }
        (State::Supervisor { target, show_name }, Input::Choice(id))
            if id == "yes" || id == "no" =>
        {
            let next = State::Note { target, show_name, tell_supervisor: id == "yes" };
            let say = prompt(&next, ctx);
            Step::to(next, say)
        }
        (State::Note { target, show_name, tell_supervisor }, Input::Form(fields)) => {
            let note = fields
                .into_iter()
                .find_map(|(id, value)| match value {
                    FieldValue::Text(text) if id == "note" => Some(text),
                    _ => None,
                })
                .unwrap_or_default();
            let opening = Opening { target, show_name, tell_supervisor, note };
            Step::end(Vec::new()).with_effects([Effect::OpenRequest(opening)])
        }
        (state, _) => {
            let mut say = vec![Say::text(k::NOT_AN_ANSWER)];
            say.extend(prompt(&state, ctx));
            Step::to(state, say)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(has_supervisor: bool) -> Ctx {
        Ctx { in_shared_place: false, has_supervisor, ..Ctx::test() }
    }

    #[test]
    fn without_a_supervisor_nobody_is_asked_about_one() {
        let step = advance(State::Name { target: None }, Input::Choice("hide".into()), &ctx(false));
        assert_eq!(
            step.next,
            Some(State::Note { target: None, show_name: false, tell_supervisor: false })
        );
    }

    #[test]
    fn the_note_is_an_effect_never_a_state() {
        let state = State::Note { target: None, show_name: true, tell_supervisor: true };
        let note = vec![("note".to_owned(), FieldValue::Text("rough one".into()))];
        let step = advance(state.clone(), Input::Form(note), &ctx(true));
        assert_eq!(step.next, None);
        assert!(matches!(&step.effects[..], [Effect::OpenRequest(o)] if o.note == "rough one"));
        let json = serde_json::to_string(&state).unwrap();
        assert!(!json.contains("rough"), "{json}");
    }

    #[test]
    fn nobody_reachable_is_said_before_any_question() {
        let nobody = Ctx { nobody_reachable: true, ..ctx(true) };
        let step = start(None, &nobody);
        assert_eq!((step.next, step.say), (None, super::nobody()));
        // A named teammate was checked before the flow started.
        assert!(start(Some("bo".into()), &nobody).next.is_some());
    }

    #[test]
    fn cancel_works_at_every_step() {
        for state in [
            State::Name { target: None },
            State::Supervisor { target: None, show_name: true },
            State::Note { target: None, show_name: true, tell_supervisor: false },
        ] {
            let step = advance(state, Input::Choice("cancel".into()), &ctx(true));
            assert_eq!((step.next, step.effects), (None, vec![]));
        }
    }
}
