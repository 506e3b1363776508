//! The check-in flow's rules, step by step.

use super::*;

fn ctx(in_shared_place: bool, keep_history: Option<bool>) -> Ctx {
    Ctx { in_shared_place, keep_history, ..Ctx::test() }
}

fn choose(state: State, id: &str, ctx: &Ctx) -> Step<State> {
    advance(state, Input::Choice(id.into()), ctx)
}

#[test]
fn pass_ends_at_once_with_no_effects() {
    let step = choose(State::Arriving, PASS, &ctx(true, None));
    assert_eq!((step.next, step.effects), (None, vec![]));
}

#[test]
fn green_in_a_private_conversation_has_no_share_offer() {
    let step = choose(State::Arriving, "green", &ctx(false, None));
    assert_eq!(step.next, Some(State::Weather { colour: Colour::Green }));
    // And a forged "share" answer in a shared place's follow-up is refused when private.
    let forged = choose(State::FollowUp { colour: Colour::Green }, "share", &ctx(false, None));
    assert_eq!(forged.next, Some(State::FollowUp { colour: Colour::Green }));
}

#[test]
fn green_in_a_private_conversation_shares_in_the_team_room_where_there_is_one() {
    let ctx = Ctx { team_room: Some("!team".into()), ..ctx(false, None) };
    let step = choose(State::Arriving, "green", &ctx);
    assert_eq!(step.next, Some(State::FollowUp { colour: Colour::Green }));
    let step = choose(State::FollowUp { colour: Colour::Green }, "share", &ctx);
    assert_eq!(step.next, Some(State::Sharing { colour: Colour::Green }));
    let fields = vec![("text".to_owned(), FieldValue::Text("a good start".into()))];
    let step = advance(State::Sharing { colour: Colour::Green }, Input::Form(fields), &ctx);
    assert_eq!(step.say[0].audience, Audience::Channel { id: "!team".into() });
}

#[test]
fn offers_belong_to_their_colour() {
    // A "breathe" answer is only valid after yellow; anywhere else the question repeats.
    let step = choose(State::FollowUp { colour: Colour::Red }, "breathe", &ctx(true, None));
    assert_eq!(step.next, Some(State::FollowUp { colour: Colour::Red }));
}

#[test]
fn a_known_history_preference_skips_the_question() {
    let weather = State::Weather { colour: Colour::Orange };
    let kept = choose(weather, YES, &ctx(true, Some(true)));
    assert_eq!(kept.next, None);
    assert_eq!(
        kept.effects,
        vec![Effect::AddToHistory(Colour::Orange), Effect::AddToWeather(Colour::Orange)]
    );
    let asked = choose(weather, NO, &ctx(true, None));
    assert_eq!(asked.next, Some(State::Keep { colour: Colour::Orange }));
    assert!(asked.effects.is_empty());
    // Added or not, the next step's stored state is the same: it says nothing about the
    // weather.
    let added = choose(weather, YES, &ctx(true, None));
    assert_eq!(added.next, asked.next);
    assert_eq!(added.effects, vec![Effect::AddToWeather(Colour::Orange)]);
}

#[test]
fn states_never_hold_text() {
    // Sessions are stored; their JSON must carry steps and colours only.
    let json = serde_json::to_string(&State::Sharing { colour: Colour::Green }).unwrap();
    assert_eq!(json, r#"{"step":"sharing","colour":"green"}"#);
}
