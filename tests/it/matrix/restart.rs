//! hearth restarting loses nothing typed to it. Without Synapse: a form part-way answered
//! when the Matrix adapter restarted is asked again, saying why.

use crate::harness::{TestBot, text, token};
use hearth_chat::{Controls, Event};

/// The Matrix adapter asks a form one question at a time and keeps the answers only in memory;
/// restarted part-way, it hands the next answer in as `Restarted`, and the core says what
/// happened and asks the question again, keeping nothing typed.
#[tokio::test]
async fn a_form_cut_short_by_a_restart_is_asked_again_saying_why() {
    let t = TestBot::new().await;
    let asked = t.command("ana", false, "checkin").await;
    let offer =
        t.event("ana", false, Event::Choice { token: token(&asked), option: "green".into() }).await;
    let form =
        t.event("ana", false, Event::Choice { token: token(&offer), option: "share".into() }).await;
    let form_token = token(&form);
    let again = t.event("ana", false, Event::Restarted { token: form_token.clone() }).await;
    let said = text(&again);
    assert!(said.contains("I restarted while you were answering"), "{said}");
    let asked_again = again.iter().find_map(|o| match &o.message.controls {
        Some(Controls::Form(form)) => Some(form.clone()),
        _ => None,
    });
    let asked_again = asked_again.expect("the form is asked again");
    assert_eq!(asked_again.fields.len(), 1);
    assert_ne!(asked_again.token, form_token, "a new step, a new token");

    // The new question goes on as usual; the old token (or someone else's) has expired.
    let stale = t.event("ana", false, Event::Restarted { token: form_token }).await;
    assert!(text(&stale).contains("That choice has expired"), "{}", text(&stale));
    let shared = t
        .event(
            "ana",
            false,
            Event::Form { token: asked_again.token, fields: vec![("text".into(), String::new())] },
        )
        .await;
    assert!(text(&shared).contains("team weather"), "{}", text(&shared));
    assert_eq!(t.rows("flow_sessions").await, 1);
}
