//! Shifts, availability and debriefs through the real core: end-of-shift team debriefs on
//! the scheduler, the personal going-home debrief, and on-demand requests between teammates.

use crate::harness::{Db, TestBot, count, scheduler, tick};
use chrono::{DateTime, Duration, TimeZone, Utc};
use insta::assert_snapshot;

fn utc(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, h, m, 0).unwrap()
}

fn threads(sent: &[String]) -> Vec<&String> {
    sent.iter().filter(|s| s.starts_with("NewThread")).collect()
}

#[tokio::test]
async fn one_team_debrief_per_shift_end_across_a_restart_and_a_clock_change() {
    let mut t = TestBot::new().await;
    // Friday 23 October 2026; British Summer Time ends on Sunday the 25th.
    t.clock.set(utc(10, 23, 8, 0));
    t.script(&[
        "/setup timezone Europe/London",
        "/setup shift every weekday 09:00-17:00",
        "/setup debrief here",
        "/setup debrief-lead 10",
        "/setup",
    ])
    .await;
    assert_snapshot!(t.transcript());
    let (s, recorder) = scheduler(&t);
    assert!(threads(&tick(&t, &s, &recorder, utc(10, 23, 15, 49)).await).is_empty());
    // 16:50 in London is 15:50 UTC in summer time.
    let friday = tick(&t, &s, &recorder, utc(10, 23, 15, 50)).await;
    assert_eq!(threads(&friday).len(), 1, "{friday:?}");
    assert!(friday[0].contains("End-of-shift debrief, 2026-10-23"), "{friday:?}");
    assert!(friday[0].contains("Taking part is optional, and listening counts"));
    assert!(friday[0].contains("without names or details that could identify"));

    t.restart().await;
    let (s, recorder) = scheduler(&t);
    assert!(tick(&t, &s, &recorder, utc(10, 23, 15, 50)).await.is_empty(), "never twice");
    assert!(threads(&tick(&t, &s, &recorder, utc(10, 23, 15, 58)).await).is_empty());
    // Monday 26 October: 16:50 in London is now 16:50 UTC; an hour earlier nothing happens.
    assert!(threads(&tick(&t, &s, &recorder, utc(10, 26, 15, 50)).await).is_empty());
    let monday = tick(&t, &s, &recorder, utc(10, 26, 16, 50)).await;
    assert_eq!(threads(&monday).len(), 1, "{monday:?}");
    assert!(monday[0].contains("2026-10-26"));
    assert!(threads(&tick(&t, &s, &recorder, utc(10, 26, 16, 55)).await).is_empty());
    // Only that it was opened is stored: one delivered run per shift end.
    let opened = count(
        &t,
        "SELECT count(*) FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id
         WHERE s.kind = 'team_debrief' AND r.status = 'delivered'",
    )
    .await;
    assert_eq!(opened, 2);
}

#[tokio::test]
async fn a_debrief_needs_a_pattern_with_end_times_and_a_channel() {
    let mut t = TestBot::new().await;
    t.script(&["/setup debrief here", "/setup shift every weekday 08:30"]).await;
    let scheduled = "SELECT count(*) FROM schedules WHERE kind = 'team_debrief'";
    assert_eq!(count(&t, scheduled).await, 0);
    t.script(&["/setup shift every weekday 08:30-16:30"]).await;
    assert_eq!(count(&t, scheduled).await, 1);
    t.script(&["/setup debrief off"]).await;
    assert_eq!(count(&t, scheduled).await, 0);
}

#[tokio::test]
async fn the_personal_debrief_keeps_nothing_and_can_check_in_later() {
    let mut t = TestBot::new().await;
    t.script(&["/debrief", "2", "1", "1", "4", "4"]).await;
    t.script(&["/debrief", "3", "end"]).await;
    t.script(&["/debrief", "3", "2", "1", "1", "3"]).await;
    assert_snapshot!(t.transcript());
    assert_eq!(t.rows("flow_sessions").await, 0);
    let (s, recorder) = scheduler(&t);
    let now = t.bot.now();
    assert!(tick(&t, &s, &recorder, now + Duration::hours(23)).await.is_empty());
    let nudge = tick(&t, &s, &recorder, now + Duration::days(3)).await;
    assert_eq!(nudge.len(), 1, "{nudge:?}");
    assert!(nudge[0].starts_with(
        r#"Person { team: TeamRef { platform: Console, id: "demo" }, user_id: "ana" }"#
    ));
    assert!(nudge[0].contains("You asked me to check on you"));
    assert!(tick(&t, &s, &recorder, now + Duration::days(4)).await.is_empty(), "only once");
}

#[tokio::test]
async fn the_first_of_two_available_teammates_takes_a_request_and_the_name_waits() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as bo",
        "/available on",
        "/as cy",
        "/available on",
        "/as dee",
        "/available on",
        "/shift end",
        "/as eve",
        "/available on",
        "/capacity low",
        "/as fay",
        "/help",
        "/as ana",
        "/available on",
        "/debrief request",
        "2",
        "It was a rough call",
    ])
    .await;
    let asked = t.transcript().to_owned();
    assert!(asked.contains("hearth ✉ bo") && asked.contains("hearth ✉ cy"), "{asked}");
    for never in ["hearth ✉ ana", "hearth ✉ dee", "hearth ✉ eve", "hearth ✉ fay"] {
        assert!(!asked.contains(never), "{never} was asked");
    }
    assert_eq!(t.rows("debrief_requests").await, 1);
    t.script(&["/as cy", "1", "/as bo", "1", "/as ana", "2"]).await;
    assert_snapshot!(t.transcript());
    assert_eq!(t.rows("debrief_requests").await, 0);
    let accepted = "SELECT requests FROM debrief_request_counts WHERE outcome = 'accepted'";
    assert_eq!(count(&t, accepted).await, 1);
    assert_eq!(count(&t, "SELECT count(*) FROM schedules WHERE kind = 'request_timeout'").await, 0);
    // Nothing typed in the note was kept anywhere.
    let states = Db::of(&t.bot).texts("SELECT state FROM flow_sessions").await;
    assert!(!states.iter().any(|state| state.contains("rough")), "{states:?}");
}

#[tokio::test]
async fn a_request_nobody_takes_ends_kindly_and_tells_a_supervisor_only_with_consent() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as sam",
        "/help",
        "/as bo",
        "/available on",
        "/as ana",
        "/setup role supervisor sam",
        "/setup resources Call Jo on 0123 456 789, any time.",
        "/debrief request",
        "1",
        "1",
        "",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    let start = t.bot.now();
    assert!(tick(&t, &s, &recorder, start + Duration::minutes(14)).await.is_empty());
    let told = tick(&t, &s, &recorder, start + Duration::minutes(15)).await;
    assert_eq!(told.len(), 3, "{told:?}");
    assert!(told[0].contains(r#"user_id: "ana""#) && told[0].contains("Call Jo"));
    assert!(told[1].contains(r#"user_id: "sam""#) && told[1].contains(r#"Person("ana")"#));
    assert!(told[2].contains(r#"user_id: "ana""#) && told[2].contains("let your supervisor know"));
    assert_eq!(t.rows("debrief_requests").await, 0);
    // bo presses accept too late.
    t.script(&["/as bo", "1"]).await;
    assert!(t.transcript().ends_with(
        "hearth 🔒 bo\n  This request is closed already: someone else took it, or it was withdrawn. Thank you for being willing.\n"
    ), "{}", t.transcript());

    // Without consent, only the requester hears.
    t.script(&["/as ana", "/debrief request", "1", "2", ""]).await;
    let later = t.bot.now() + Duration::minutes(15);
    let told = tick(&t, &s, &recorder, later).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains(r#"user_id: "ana""#));
    let unanswered = "SELECT requests FROM debrief_request_counts WHERE outcome = 'unanswered'";
    assert_eq!(count(&t, unanswered).await, 2);
}

#[tokio::test]
async fn a_request_can_be_cancelled_and_a_named_teammate_is_the_only_one_asked() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as bo",
        "/available on",
        "/as cy",
        "/available on",
        "/as ana",
        "/debrief request cy",
        "1",
        "",
        "/debrief request",
        "/debrief cancel",
        "/debrief cancel",
        "/as cy",
        "1",
    ])
    .await;
    assert_snapshot!(t.transcript());
    assert!(!t.transcript().contains("hearth ✉ bo"));
    assert_eq!(t.rows("debrief_requests").await, 0);
    let cancelled = "SELECT requests FROM debrief_request_counts WHERE outcome = 'cancelled'";
    assert_eq!(count(&t, cancelled).await, 1);
}

#[tokio::test]
async fn nobody_available_is_said_at_once_and_erasing_a_member_erases_their_request() {
    let mut t = TestBot::new().await;
    // Out of the box nobody has said /available on: the requester hears so before any
    // question, with the team's resources and what they can do instead.
    let said = t.say("/debrief request").await;
    assert!(said.contains("Nobody can be asked for a debrief right now"), "{said}");
    assert!(said.contains("/available on") && said.contains("/debrief"), "{said}");
    assert!(!said.contains("Should they see your name"), "no question first: {said}");
    assert_eq!(t.rows("debrief_requests").await, 0);
    assert_eq!(t.rows("flow_sessions").await, 0);

    t.script(&["/as bo", "/available on", "/as ana", "/debrief request", "2", ""]).await;
    assert_eq!(t.rows("debrief_requests").await, 1);
    // What `/mydata delete` will do: the member goes, and with them their open request and
    // its timeout.
    Db::of(&t.bot).execute("DELETE FROM members WHERE platform_user_id = 'ana'").await;
    assert_eq!(t.rows("debrief_requests").await, 0);
    assert_eq!(count(&t, "SELECT count(*) FROM schedules WHERE kind = 'request_timeout'").await, 0);
}

#[tokio::test]
async fn shifts_availability_and_capacity() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as cora",
        "/help",
        "/as ana",
        "/setup role coordinator cora",
        "/shift",
        "/shift start 17:00",
        "/shift",
        "/shift end",
        "/shift pattern every mon,tue 10:00-18:00",
        "/available on until 16:00",
        "/shift",
        "/capacity low",
        "/capacity low",
        "/capacity normal",
        "/shift pattern off",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn an_orange_check_in_can_lead_to_a_request_or_a_lighter_load() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as bo",
        "/available on",
        "/as ana",
        "/checkin",
        "3",
        "1",
        "1",
        "",
        "/as bo",
        "1",
        "/as ana",
        "/checkin",
        "3",
        "4",
        "2",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn bad_input_about_shifts_and_requests_is_answered_kindly() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/debrief request zed",
        "/debrief request ana",
        "/as bo",
        "/help",
        "/as ana",
        "/debrief request bo",
        "/shift start 2026-11-20 10:00",
        "/shift start in 30 hours",
        "/shift start whenever",
        "/available on until yesterday",
        "/available maybe",
        "/shift pattern every funday 09:00-17:00",
        "/shift pattern every weekday 09:00",
        "/shift pattern tomorrow 09:00",
        "/setup shift every blursday 9-5",
        "/setup debrief-lead 0",
        "/setup role boss ana",
        "/setup role supervisor nobody-here",
        "/capacity",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

/// The moments a person is invited, once, to take debrief requests: after a green check-in,
/// at a shift they start and at their pattern's shift start. Never twice, never to someone
/// who chose already, is stretched, or just had a hard check-in.
#[tokio::test]
async fn people_are_invited_once_to_take_requests_and_never_nagged() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/checkin",
        "1",
        "2",
        "2",
        "2",
        "/checkin",
        "1",
        "2",
        "2",
        "/as bo",
        "/checkin",
        "3",
        "5",
        "/available off",
        "/shift start",
        "/as cy",
        "/capacity low",
        "/shift start",
        "/as dee",
        "/shift start",
        "/shift end",
        "/shift start",
        "/as eve",
        "/shift pattern every monday 10:00-18:00",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    let first = tick(&t, &s, &recorder, utc(11, 23, 10, 0)).await;
    let second = tick(&t, &s, &recorder, utc(11, 30, 10, 0)).await;
    assert_eq!((first.len(), second.len()), (1, 1), "{first:?} {second:?}");
    assert!(first[0].contains("/available on"), "{first:?}");
    assert!(!second[0].contains("/available on"), "only once: {second:?}");
    let transcript = t.transcript().to_owned();
    assert_eq!(transcript.matches("I'll only say it once").count(), 2, "ana and dee: {transcript}");
    let invited = "SELECT platform_user_id FROM members WHERE available_invited = 1 ORDER BY id";
    let who = Db::of(&t.bot).texts(invited).await;
    assert_eq!(who.join(","), "ana,bo,dee,eve", "bo chose /available off himself");
    assert_snapshot!(transcript);

    // After the invitation a request can reach ana.
    t.script(&["/as ana", "/available on", "/as fay", "/debrief request"]).await;
    assert!(
        t.transcript().ends_with("Only to whoever accepts\n  3) Never mind\n"),
        "{}",
        t.transcript()
    );
}

/// A check-in that leads to asking for a debrief says at once when nobody can be asked.
#[tokio::test]
async fn a_check_in_that_asks_for_a_debrief_hears_at_once_when_nobody_can() {
    let mut t = TestBot::new().await;
    let said = t.script(&["/checkin", "3", "1"]).await;
    assert!(said.contains("Nobody can be asked for a debrief right now"), "{said}");
    assert!(!said.contains("Should they see your name"), "{said}");
    assert_eq!(t.rows("flow_sessions").await, 0);
    assert_eq!(t.rows("debrief_requests").await, 0);
}
