//! The scheduler through the real core: shift-start invitations, exactly-once firing, the
//! downtime policy, quiet hours, retries, recovery, edits and deletions.

use crate::harness::{Db, Recorder, TestBot, monday_morning};
use chrono::{DateTime, Duration, TimeZone, Utc};
use hearth::scheduler::{Deliveries, RetryPolicy, Scheduler};
use hearth::store::Store;
use hearth::store::schedules::{self, RunStatus};
use hearth_chat::DeliveryError;
use insta::assert_snapshot;
use std::sync::Arc;

fn scheduler(t: &TestBot) -> (Arc<Scheduler>, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let retry = RetryPolicy { attempts: 3, first_backoff: std::time::Duration::from_millis(1) };
    let deliveries = Deliveries::default().with(recorder.clone());
    (Arc::new(Scheduler::new(t.bot.clone(), deliveries).with_retry(retry)), recorder)
}

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

async fn runs(t: &TestBot) -> Vec<(String, i64)> {
    t.bot.store().run(schedules::run_counts).await.unwrap()
}

/// Ticks at `now` and delivers what is due; returns how many were delivered.
async fn tick(t: &TestBot, s: &Scheduler, now: DateTime<Utc>) -> usize {
    t.clock.set(now);
    let due = s.tick(now).await.unwrap();
    let mut delivered = 0;
    for d in due {
        delivered += usize::from(s.deliver(d).await == RunStatus::Delivered);
    }
    delivered
}

#[tokio::test]
async fn a_shift_start_brings_one_invitation_and_only_one() {
    let mut t = TestBot::new().await;
    t.script(&["/setup shift every weekday 08:30-17:00", "/setup"]).await;
    assert_snapshot!(t.transcript());
    let (s, recorder) = scheduler(&t);
    assert_eq!(tick(&t, &s, at(24, 8, 29)).await, 0);
    assert_eq!(tick(&t, &s, at(24, 8, 30)).await, 1);
    assert_eq!(tick(&t, &s, at(24, 8, 30)).await, 0, "the same occurrence never fires twice");
    assert_eq!(tick(&t, &s, at(24, 8, 31)).await, 0);
    let sent = recorder.texts();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains(r#"Channel { id: "team" }"#)
            && sent[0].contains("/checkin takes a minute"),
        "{sent:?}"
    );
    assert!(recorder.sent.lock().unwrap()[0].1.starts_with("hearth-"));
    assert_eq!(runs(&t).await, [("delivered".to_owned(), 1)]);
}

#[tokio::test]
async fn missed_occurrences_fire_once_within_grace_and_are_skipped_after() {
    let mut t = TestBot::new().await;
    t.say("/setup shift every weekday 08:30").await;
    let (s, recorder) = scheduler(&t);
    // Back ten minutes late: still worth a gentle invitation.
    assert_eq!(tick(&t, &s, at(24, 8, 40)).await, 1);
    // Down from Wednesday morning to Thursday 10:00: Wednesday's is long past, Thursday's is
    // ninety minutes late: both skipped; Friday's comes as usual.
    assert_eq!(tick(&t, &s, at(26, 10, 0)).await, 0);
    assert_eq!(tick(&t, &s, at(27, 8, 30)).await, 1);
    assert_eq!(recorder.sent.lock().unwrap().len(), 2);
    assert_eq!(runs(&t).await, [("delivered".to_owned(), 2), ("skipped".to_owned(), 1)]);
}

#[tokio::test]
async fn quiet_hours_hold_nudges_back() {
    let mut t = TestBot::new().await;
    t.script(&["/setup shift every day 06:00", "/setup quiet 22:00-07:00"]).await;
    let (s, recorder) = scheduler(&t);
    assert_eq!(tick(&t, &s, at(24, 6, 0)).await, 0);
    assert!(recorder.sent.lock().unwrap().is_empty());
    assert_eq!(runs(&t).await, [("quiet".to_owned(), 1)]);
    t.say("/setup quiet off").await;
    assert_eq!(tick(&t, &s, at(25, 6, 0)).await, 1);
}

#[tokio::test]
async fn deliveries_are_retried_then_recorded_never_dropped() {
    let mut t = TestBot::new().await;
    t.say("/setup shift every day 08:30").await;
    let (s, recorder) = scheduler(&t);
    recorder.failures.lock().unwrap().extend([DeliveryError::Transient, DeliveryError::Transient]);
    assert_eq!(tick(&t, &s, at(24, 8, 30)).await, 1);
    recorder.failures.lock().unwrap().push(DeliveryError::Forbidden);
    assert_eq!(tick(&t, &s, at(25, 8, 30)).await, 0);
    recorder.failures.lock().unwrap().extend(vec![DeliveryError::Transient; 3]);
    assert_eq!(tick(&t, &s, at(26, 8, 30)).await, 0);
    let runs = "SELECT status, attempts, error FROM schedule_runs ORDER BY due_at";
    let records: Vec<(String, i64, Option<String>)> = (Db::of(&t.bot).rows(runs).await)
        .iter()
        .map(|r| (r[0].text().to_owned(), r[1].int(), r[2].maybe_text().map(str::to_owned)))
        .collect();
    assert_eq!(
        records,
        [
            ("delivered".into(), 3, None),
            ("failed".into(), 1, Some("forbidden".into())),
            ("failed".into(), 3, Some("transient".into())),
        ]
    );
}

#[tokio::test]
async fn an_interrupted_delivery_is_retried_at_start_only_within_grace() {
    let mut t = TestBot::new().await;
    t.say("/setup shift every day 08:30").await;
    let (s, recorder) = scheduler(&t);
    t.clock.set(at(24, 8, 30));
    // Claimed, then "killed" before delivering.
    assert_eq!(s.tick(at(24, 8, 30)).await.unwrap().len(), 1);
    let again = s.recover(at(24, 8, 35)).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(s.deliver(again.into_iter().next().unwrap()).await, RunStatus::Delivered);
    assert!(s.recover(at(24, 8, 36)).await.unwrap().is_empty());
    // Claimed on the 25th and hearth back only an hour later: too late, recorded as failed.
    assert_eq!(s.tick(at(25, 8, 30)).await.unwrap().len(), 1);
    assert!(s.recover(at(25, 9, 30)).await.unwrap().is_empty());
    assert_eq!(recorder.sent.lock().unwrap().len(), 1);
    assert_eq!(runs(&t).await, [("delivered".to_owned(), 1), ("failed".to_owned(), 1)]);
}

#[tokio::test]
async fn two_processes_ticking_at_once_fire_an_occurrence_once() {
    let mut t = TestBot::new().await;
    t.say("/setup shift every day 08:30").await;
    // A second store on the same database, as another hearth process would have.
    let config = t.bot.config().clone();
    let other = Store::connect(&config.data_dir, config.database_url.as_deref(), None);
    let other = Arc::new(other.await.unwrap());
    let now = at(24, 8, 30);
    let mine =
        t.bot.store().run(move |tx| schedules::claim_due(tx, now, 100, schedules::EVERY_PLATFORM));
    let theirs = other.run(move |tx| schedules::claim_due(tx, now, 100, schedules::EVERY_PLATFORM));
    let (mine, theirs) = tokio::join!(mine, theirs);
    assert_eq!(mine.unwrap().len() + theirs.unwrap().len(), 1);
    other.close().await;
}

#[tokio::test]
async fn edited_and_deleted_schedules() {
    let mut t = TestBot::new().await;
    t.say("/setup shift every day 08:30").await;
    let (s, _) = scheduler(&t);
    // Edited mid-flight: the 08:30 run is replaced by 10:00.
    t.say("/setup shift every day 10:00").await;
    assert_eq!(tick(&t, &s, at(24, 8, 30)).await, 0);
    assert_eq!(tick(&t, &s, at(24, 10, 0)).await, 1);
    // The team moves to New York: still 10:00, their time.
    t.say("/setup timezone America/New_York").await;
    assert_eq!(tick(&t, &s, at(25, 10, 0)).await, 0);
    assert_eq!(tick(&t, &s, at(25, 15, 0)).await, 1);
    // Deleted: never fires again.
    t.say("/setup shift off").await;
    assert_eq!(tick(&t, &s, at(26, 15, 0)).await, 0);
    assert_eq!(tick(&t, &s, at(30, 15, 0)).await, 0);
    let left: Option<DateTime<Utc>> =
        t.bot.store().run(|tx| schedules::earliest(tx, schedules::EVERY_PLATFORM)).await.unwrap();
    assert_eq!(left, None);
}

#[tokio::test]
async fn housekeeping_runs_on_the_scheduler() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "1", "not now", "yes", "no"]).await;
    let (s, _) = scheduler(&t);
    s.ensure_housekeeping().await.unwrap();
    s.ensure_housekeeping().await.unwrap();
    assert_eq!(t.rows("schedules").await, 1, "one housekeeping schedule, however often ensured");
    assert_eq!(t.rows("weather_people").await, 1);
    // The next day's first housekeeping forgets Monday's colours by code.
    tick(&t, &s, monday_morning() + Duration::hours(15) + Duration::minutes(10)).await;
    assert_eq!(t.rows("weather_people").await, 0);
    assert_eq!(runs(&t).await, [("done".to_owned(), 1)]);
}

#[tokio::test]
async fn shift_patterns_must_repeat_and_be_readable() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/setup shift tomorrow 08:00",
        "/setup shift every funday 08:00",
        "/setup shift every monday 25:00",
        "/setup shift cron 61 * * * *",
        "/setup quiet sometimes",
    ])
    .await;
    assert_snapshot!(t.transcript());
    assert_eq!(t.rows("schedules").await, 0);
}

/// Several processes on PostgreSQL: an occurrence whose delivery is still being retried after
/// its claim's lease is not taken over as abandoned, because its deliverer renews the claim.
#[tokio::test]
async fn a_delivery_still_retrying_is_not_taken_over_by_another_process() {
    let mut t = TestBot::new().await;
    if !t.bot.store().is_postgres() {
        return; // one process has a SQLite database: nothing to take over from
    }
    t.script(&["/setup shift every weekday 08:30-17:00"]).await;
    let lease = std::time::Duration::from_millis(300);
    let schedulers = || {
        let recorder = Arc::new(Recorder::default());
        let retry = RetryPolicy { attempts: 2, first_backoff: std::time::Duration::from_secs(2) };
        let deliveries = Deliveries::default().with(recorder.clone());
        let s = Scheduler::new(t.bot.clone(), deliveries).with_retry(retry).with_lease(lease);
        (s, recorder)
    };
    let ((a, first), (b, second)) = (schedulers(), schedulers());
    first.failures.lock().unwrap().push(DeliveryError::Transient);
    let now = at(24, 8, 30);
    t.clock.set(now);
    let firing = a.tick(now).await.unwrap().pop().expect("the invitation is due");
    let later = now + Duration::seconds(10);
    let looking = async {
        // Long past the lease, while the first attempt's backoff lasts: another process looks
        // for abandoned occurrences.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        t.clock.set(later);
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        b.recover(later).await.unwrap().len()
    };
    let (status, taken_over) = tokio::join!(a.deliver(firing), looking);
    assert_eq!(taken_over, 0, "the claim was renewed while its delivery was retried");
    assert_eq!(status, RunStatus::Delivered);
    assert_eq!((first.sent.lock().unwrap().len(), second.sent.lock().unwrap().len()), (1, 0));
    assert_eq!(runs(&t).await, [("delivered".to_owned(), 1)]);
}
