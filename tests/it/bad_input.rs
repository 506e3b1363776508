//! Mistakes get a kind answer and lose nothing: no panic, no stack trace, state kept.

use crate::harness::{TestBot, text, token};
use chrono::Duration;
use hearth_chat::Event;
use insta::assert_snapshot;

#[tokio::test]
async fn unknown_commands_and_wrong_arguments() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/",
        "/chekin",
        "/checkin histroy",
        "/checkin keep",
        "/checkin keep maybe",
        "/setup threshold lots",
        "/setup threshold 3 4",
        "/setup timezone Mars/Olympus",
        "/help nothing",
        "good morning everyone",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn overlong_input_is_answered_and_the_conversation_survives() {
    let mut t = TestBot::new().await;
    let huge = "x".repeat(100 * 1024);
    let as_command = t.say(&format!("/{huge}")).await;
    assert!(as_command.contains("longer than I can read"), "{as_command}");
    let as_text = t.say(&huge).await;
    assert!(as_text.contains("/help"), "{as_text}");
    let as_argument = t.say(&format!("/setup resources {}", &huge[..2000])).await;
    assert!(as_argument.contains("at most 1500 characters"), "{as_argument}");

    // Inside a form: too long is refused, the question stays, and a shorter answer works.
    t.script(&["/checkin", "1", "1"]).await;
    let refused = t.say(&huge).await;
    assert!(refused.contains("at most 500 characters"), "{refused}");
    let posted = t.say("Shorter now").await;
    assert!(posted.contains("ana shares: Shorter now"), "{posted}");
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn a_stale_or_foreign_choice_is_expired_kindly() {
    let t = TestBot::new().await;
    let first = t.command("ana", false, "checkin").await;
    let old = token(&first);
    // Starting again makes the first question stale.
    let second = t.command("ana", false, "checkin").await;
    let stale = t.event("ana", false, Event::Choice { token: old, option: "green".into() }).await;
    assert!(text(&stale).contains("has expired"), "{stale:?}");
    // Someone else pressing ana's button gets the same kind answer, and changes nothing.
    let current = token(&second);
    let foreign =
        t.event("bo", false, Event::Choice { token: current.clone(), option: "red".into() }).await;
    assert!(text(&foreign).contains("has expired"), "{foreign:?}");
    let nonsense =
        t.event("ana", false, Event::Choice { token: "1.zz".into(), option: "x".into() }).await;
    assert!(text(&nonsense).contains("has expired"));
    // ana's current question still works.
    let ok = t.event("ana", false, Event::Choice { token: current, option: "yellow".into() }).await;
    assert!(text(&ok).contains("Reacting is a normal part"), "{ok:?}");
}

#[tokio::test]
async fn a_conversation_left_open_for_a_day_expires() {
    let mut t = TestBot::new().await;
    t.say("/checkin").await;
    t.clock.advance(Duration::hours(25));
    let late = t.say("1").await;
    assert!(late.contains("has expired"), "{late}");
    assert_eq!(t.rows("flow_sessions").await, 0);
}

#[tokio::test]
async fn only_team_admins_change_settings() {
    let t = TestBot::new().await;
    let refused = t.command("bo", false, "setup threshold 10").await;
    assert!(text(&refused).contains("Only team admins"), "{refused:?}");
    let shown = t.command("bo", true, "setup").await;
    assert!(text(&shown).contains("from 3 people"), "{shown:?}");
}

#[tokio::test]
async fn an_unexpected_answer_repeats_the_question() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "9", "purple", "2"]).await;
    assert_snapshot!(t.transcript());
}
