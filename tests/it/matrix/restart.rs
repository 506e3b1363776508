//! hearth restarting loses nothing typed to it: on the real Synapse, hearth stops in the middle
//! of a check-in, the person answers (by number, then by reaction) and types a command while
//! it is away, and when it is back the answers reach their questions and the command is
//! answered, once; a command older than the catch-up window never runs, and nothing handled
//! before a stop runs again. Without Synapse: a form part-way answered when the adapter
//! restarted is asked again, saying why.

use super::restartable::Restartable;
use super::{Person, first_help, room_of, synapse};
use crate::harness::{TestBot, text, token};
use hearth_chat::{Controls, Event};
use matrix_sdk::ruma::OwnedUserId;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use std::time::Duration;

/// How many of `person`'s messages from `from` contain `text`, help aside (it names every
/// command, and so the words of many answers).
fn times(person: &Person, from: &OwnedUserId, text: &str) -> usize {
    let seen = person.seen.lock().unwrap();
    let help = |body: &str| body.starts_with("What I can do");
    seen.iter()
        .filter(|(_, _, sender, body)| sender == from && body.contains(text) && !help(body))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_was_typed_while_hearth_restarted_is_answered_once() {
    let Some(synapse) = synapse() else { return };
    let window = Duration::from_secs(30);
    let mut hearth = Restartable::start(&synapse, Some(window)).await;
    let ana = Person::new(&synapse, "ana").await;
    let h = hearth.id.clone();
    let team = room_of(&ana, vec![h.clone()], true, None).await;
    let dm = first_help(&ana, &team, &h).await;

    let mut n = ana.count();
    ana.say(&team, "!checkin").await;
    ana.expect(&h, "How are you arriving today?", n).await;

    // hearth stops with a numbered question asked. While it is away, a command that will be
    // older than the window when it is back, then an answer and a command that are not.
    hearth.stop().await;
    ana.say(&team, "!privacy").await;
    tokio::time::sleep(window + Duration::from_secs(3)).await;
    n = ana.count();
    ana.say(&dm, "2").await;
    ana.say(&team, "!weather").await;
    hearth.run().await;
    let (room, offer, _) = ana.expect(&h, "Reacting is a normal part", n).await;
    assert_eq!(room, dm);
    ana.expect(&h, "Team weather", n).await;

    // Stopped again with the follow-up asked: a keycap reaction made while it is away.
    hearth.stop().await;
    n = ana.count();
    let reaction = ReactionEventContent::new(Annotation::new(offer, "3️⃣".into()));
    ana.room(&dm).await.send(reaction).await.unwrap();
    hearth.run().await;
    ana.expect(&h, "Add your colour to today's team weather?", n).await;
    // And after the restart, the flow goes on as usual.
    n = ana.count();
    ana.say(&dm, "1").await;
    ana.expect(&h, "private history", n).await;
    n = ana.count();
    ana.say(&dm, "2").await;
    ana.expect(&h, "Thank you for checking in", n).await;

    // Nothing ran twice, and the old command never ran.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (said, expected) in [
        ("How are you arriving today?", 1),
        ("Reacting is a normal part", 1),
        ("Team weather", 1),
        ("Add your colour to today's team weather?", 1),
        ("Thank you for checking in", 1),
        ("What hearth keeps", 0),
    ] {
        assert_eq!(times(&ana, &h, said), expected, "{said:?}: {:#?}", ana.seen.lock().unwrap());
    }
    hearth.stop().await;
}

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
