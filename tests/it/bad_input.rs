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
        "/breaks",
        "/available",
        "/agenda vote 99999999999",
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
    // Tokens hearth never makes, on a button or a form, get the same answer.
    for token in ["", "not-a-token", "r", "r1.", "1.a|b", "r-1.ab"] {
        let choice = Event::Choice { token: token.into(), option: "green".into() };
        let pressed = t.event("ana", false, choice).await;
        assert!(text(&pressed).contains("has expired"), "{token:?}: {pressed:?}");
        let form = Event::Form { token: token.into(), fields: Vec::new() };
        let submitted = t.event("ana", false, form).await;
        assert!(text(&submitted).contains("has expired"), "{token:?}: {submitted:?}");
    }
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

/// Every command of the catalogue, typed with nothing after it, with each argument left out
/// and with each argument wrong, through the console: every answer is in people's words.
/// None names an argument or a default subcommand by its internal name, echoes an empty
/// `""`, or shows a number no one would type (a storage limit such as 2147483647).
#[tokio::test]
async fn every_command_typed_wrongly_is_answered_in_peoples_words() {
    use hearth_chat::{ArgKind, Handler};
    let mut t = TestBot::new().await;
    let catalogue = t.bot.catalogue().clone();
    let mut tried = Vec::new();
    for command in &catalogue.commands {
        tried.push(format!("/{}", command.name));
        for sub in &command.subcommands {
            tried.push(format!("/{} {}", command.name, sub.name));
            // Each argument wrong in turn, with those before it right.
            let mut before = String::new();
            for arg in &sub.args {
                let wrong = match arg.kind {
                    ArgKind::Integer { .. } => "-99999999999".to_owned(),
                    ArgKind::OneOf(_) => "maybe".to_owned(),
                    ArgKind::Text { max_chars } => "x".repeat(max_chars + 1),
                    ArgKind::Timezone => "Mars/Olympus".to_owned(),
                    ArgKind::Person => "p".repeat(hearth_chat::catalogue::MAX_PERSON_CHARS + 1),
                };
                tried.push(format!("/{} {}{before} {wrong}", command.name, sub.name));
                // Text of the right shape that means nothing: the core's own answer.
                if matches!(arg.kind, ArgKind::Text { .. } | ArgKind::Person) {
                    tried.push(format!("/{} {}{before} zzz", command.name, sub.name));
                }
                let right = match arg.kind {
                    ArgKind::Integer { min, .. } => min.to_string(),
                    ArgKind::OneOf(words) => words[0].to_owned(),
                    ArgKind::Timezone => "Europe/London".to_owned(),
                    ArgKind::Text { .. } | ArgKind::Person => "bo".to_owned(),
                };
                before.push_str(&format!(" {right}"));
            }
        }
    }
    let mut internal = vec![r#""""#.to_owned()];
    for command in &catalogue.commands {
        for sub in &command.subcommands {
            if sub.is_default && command.subcommands.len() == 1 {
                internal.push(format!("/{} {}", command.name, sub.name));
            }
            for arg in &sub.args {
                internal.push(format!("({})", arg.name));
                internal.push(format!("thing — {}.", arg.name));
            }
        }
    }
    for line in &tried {
        let answer = t.say(line).await;
        for name in &internal {
            // As a whole word: "/break start" is internal, "/break starts a break" is not.
            let found = answer.match_indices(name.as_str()).any(|(at, _)| {
                !answer[at + name.len()..].starts_with(|c: char| c.is_alphanumeric())
            });
            assert!(!found, "{line} → {name} in: {answer}");
        }
        let numbers = answer.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty());
        for n in numbers {
            assert!(
                n.len() < 6 || n.parse::<u64>().is_ok_and(|n| n <= 100_000),
                "{line}: {answer}"
            );
        }
        assert!(!answer.trim().is_empty(), "{line} got no answer");
    }
    assert!(tried.len() > 100, "{}", tried.len());
}
