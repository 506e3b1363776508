//! When sessions fall and what their confirmations promise: a monthly series read back in words
//! with its sessions on the right days across months, and reminders promised only when their
//! time is still ahead.

use crate::harness::{TestBot, scheduler, tick};
use chrono::{DateTime, TimeZone, Utc};
use insta::assert_snapshot;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

#[tokio::test]
async fn a_monthly_series_meets_on_the_first_thursday_of_each_month() {
    let mut t = TestBot::new().await;
    // Monday 23 November 2026, 09:00 UTC; Berlin is UTC+1 all winter, so 12:30 is 11:30 UTC.
    t.script(&[
        "/setup timezone Europe/Berlin",
        "/supervision schedule every 1st thursday 12:30",
        "/supervision",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    let day_before = tick(&t, &s, &recorder, utc(2026, 12, 2, 11, 30)).await;
    assert_eq!(day_before.len(), 1, "{day_before:?}");
    assert!(day_before[0].contains("Supervision tomorrow, 2026-12-03 12:30"), "{day_before:?}");
    let soon = tick(&t, &s, &recorder, utc(2026, 12, 3, 11, 15)).await;
    assert!(soon[0].contains("Supervision in 15 minutes, at 2026-12-03 12:30"), "{soon:?}");
    // Monthly, not weekly or fortnightly: nothing before the Thursdays of 10 and 17 December.
    assert!(tick(&t, &s, &recorder, utc(2026, 12, 9, 11, 30)).await.is_empty());
    assert!(tick(&t, &s, &recorder, utc(2026, 12, 16, 11, 30)).await.is_empty());
    // The second session: Thursday 7 January 2027.
    let january = tick(&t, &s, &recorder, utc(2027, 1, 6, 11, 30)).await;
    assert_eq!(january.len(), 1, "{january:?}");
    assert!(january[0].contains("Supervision tomorrow, 2027-01-07 12:30"), "{january:?}");
    // Twice a month: after Wednesday 6 January, the 3rd Monday (the 18th) comes first.
    t.script(&["/supervision", "/supervision schedule every 1st,3rd monday 10:00", "/supervision"])
        .await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn a_confirmation_promises_only_the_reminders_that_will_come() {
    let mut t = TestBot::new().await;
    // Monday 23 November 2026, 09:00 UTC; reminders a day and 15 minutes before.
    t.script(&[
        "/supervision schedule in 4 minutes",
        "/supervision schedule tomorrow 08:50",
        "/supervision schedule every day 09:04",
        "/supervision schedule 2026-11-26 14:00",
    ])
    .await;
    let transcript = t.transcript();
    assert!(transcript.contains("It's too soon for a reminder before it."), "{transcript}");
    let (s, recorder) = scheduler(&t);
    // At 09:04 the first two sessions get no reminder: only the daily series' next session
    // (tomorrow) gets its day-before one.
    let reminders = |sent: Vec<String>| -> Vec<String> {
        sent.into_iter().filter(|m| m.contains("Text(\"Supervision ")).collect()
    };
    let now = reminders(tick(&t, &s, &recorder, utc(2026, 11, 23, 9, 4)).await);
    assert_eq!(now.len(), 1, "{now:?}");
    assert!(now[0].contains("Supervision tomorrow, 2026-11-24 09:04"), "{now:?}");
    // Tomorrow's 08:50 session: only the quarter-hour reminder, as promised.
    let before = reminders(tick(&t, &s, &recorder, utc(2026, 11, 24, 8, 35)).await);
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(before[0].contains("Supervision in 15 minutes, at 2026-11-24 08:50"), "{before:?}");
    assert_snapshot!(transcript);
}
