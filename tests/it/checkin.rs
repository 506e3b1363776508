//! Every path through the check-in, as transcripts.

use crate::harness::{TestBot, token};
use hearth_chat::{Event, Outbound};
use insta::assert_snapshot;

#[tokio::test]
async fn green_shares_with_the_team_and_keeps_nothing_typed() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "1", "1", "Had a good start, thanks all", "1", "2"]).await;
    assert_snapshot!(t.transcript());
    // One colour in today's weather; nothing published from one person.
    assert_eq!(t.rows("weather_people").await, 1);
    assert_eq!(t.rows("weather_counts").await, 0);
    assert_eq!(t.rows("checkin_history").await, 0);
    assert_eq!(t.rows("flow_sessions").await, 0);
}

#[tokio::test]
async fn yellow_offers_a_breathing_exercise() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "2", "1", "2", "1"]).await;
    assert_snapshot!(t.transcript());
    assert_eq!(t.rows("weather_people").await, 0);
    assert_eq!(t.rows("checkin_history").await, 1);
}

#[tokio::test]
async fn orange_offers_grounding_and_support() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "3", "5", "1", "2", "/checkin", "3", "2", "2"]).await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn red_shows_the_teams_resources_and_asks_a_chosen_teammate() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/setup resources Call Jo on 0123 456 789, any time. Crisis line: 111.",
        "/as bo",
        "/checkin",
        "5",
        "/as ana",
        "/checkin",
        "4",
        "1",
        "nobody-here",
        "ana",
        "@BO",
        "1",
        "2",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn red_without_team_resources_shows_the_default_and_can_skip() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "4", "1", "", "2", "2"]).await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn pass_records_nothing() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "pass"]).await;
    assert_snapshot!(t.transcript());
    for table in ["weather_counts", "weather_people", "checkin_history", "flow_sessions"] {
        assert_eq!(t.rows(table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn history_is_private_opt_in_and_erasable() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/checkin history",
        "/checkin keep on",
        "/checkin history",
        "/checkin",
        "1",
        "2",
        "2",
    ])
    .await;
    t.clock.advance(chrono::Duration::days(1));
    t.script(&[
        "/checkin",
        "ready",
        "not now",
        "no",
        "/checkin history",
        "/checkin keep off",
        "/checkin history",
    ])
    .await;
    assert_snapshot!(t.transcript());
    assert_eq!(t.rows("checkin_history").await, 0);
}

#[tokio::test]
async fn settings_and_history_survive_a_restart() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/setup timezone europe/london",
        "/setup threshold 4",
        "/checkin keep on",
        "/checkin",
        "2",
        "3",
        "1",
    ])
    .await;
    t.restart().await;
    t.script(&["/setup", "/checkin history"]).await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn help_and_privacy_describe_what_exists() {
    let mut t = TestBot::new().await;
    t.script(&["/help", "/help checkin", "/help /setup", "/privacy"]).await;
    assert_snapshot!(t.transcript());
}

/// The same answer twice at once (a double click; on PostgreSQL the two may run side by side):
/// one of them moves the check-in on, the other finds the step answered and says so.
#[tokio::test]
async fn the_same_answer_twice_at_once_is_taken_once() {
    let t = TestBot::new().await;
    for n in 0..10 {
        let person = format!("person-{n}");
        let token = token(&t.command(&person, false, "checkin").await);
        let choice = || Event::Choice { token: token.clone(), option: "green".into() };
        let (a, b) =
            tokio::join!(t.event(&person, false, choice()), t.event(&person, false, choice()));
        let asks = |replies: &[Outbound]| replies.iter().any(|o| o.message.controls.is_some());
        assert!(asks(&a) != asks(&b), "one goes on, one has expired: {a:?} / {b:?}");
    }
}
