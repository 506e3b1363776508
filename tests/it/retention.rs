//! Retention on the fixed clock: rows just inside their retention stay, rows just past it go,
//! and a dry run deletes nothing and reports exactly what the real purge then removes.

use crate::harness::{TestBot, monday_morning};
use chrono::{DateTime, Duration, TimeZone, Utc};
use hearth::store::{Mode, Plan, Retention};
use std::collections::BTreeMap;

/// Rows in every table of the schema.
pub async fn snapshot(t: &TestBot) -> BTreeMap<String, i64> {
    let db = crate::harness::Db::of(&t.bot);
    let mut rows = BTreeMap::new();
    for table in db.tables().await {
        let n = db.number(&format!("SELECT count(*) FROM {table}")).await;
        rows.insert(table, n);
    }
    rows
}

/// A dry run at `now`, then the real purge: the dry run changed nothing, both plans are the
/// same, and each table lost exactly the rows the plan names. Returns the plan.
async fn purge_at(t: &TestBot, now: DateTime<Utc>) -> Plan {
    t.clock.set(now);
    let retention = Retention::from(&t.bot.config().retention);
    let before = snapshot(t).await;
    let dry = t.bot.store().purge(now, retention, Mode::DryRun).await.unwrap();
    assert_eq!(snapshot(t).await, before, "a dry run deleted something");
    let applied = t.bot.store().purge(now, retention, Mode::Apply).await.unwrap();
    assert_eq!(applied, dry, "the purge did not do what its dry run said");
    let after = snapshot(t).await;
    for (table, rows) in &before {
        let gone = u64::try_from(rows - after[table]).unwrap();
        assert_eq!(gone, applied.rows(table), "{table}: {applied}");
    }
    applied
}

#[tokio::test]
async fn rows_just_inside_retention_stay_and_rows_just_past_it_go() {
    let mut t = TestBot::with_config(|c| {
        c.retention.history_days = 90;
        c.retention.agenda_days = 200;
        c.retention.weather_days = 365;
    })
    .await;
    let t0 = monday_morning();
    // A kept check-in (history, weather, published with two more), and an agenda item with a
    // vote, done at t0.
    t.script(&["/checkin keep on", "/checkin", "1", "not now", "yes"]).await;
    for who in ["bo", "cy"] {
        t.script(&[&format!("/as {who}"), "/checkin", "1", "not now", "yes", "no"]).await;
    }
    t.say("/as ana").await;
    t.script(&[
        "/supervision schedule every monday 14:00",
        "/agenda add Planning the rota",
        "/as bo",
        "/agenda vote 1",
        "/as ana",
        "/agenda done 1",
    ])
    .await;
    let rows = snapshot(&t).await;
    for table in ["checkin_history", "agenda_items"] {
        assert_eq!(rows[table], 1, "{table}: {}", t.transcript());
    }
    assert_eq!((rows["weather_people"], rows["weather_counts"]), (3, 4), "a row per colour");
    assert_eq!(rows["agenda_votes"], 1, "{}", t.transcript());

    // The next day: only the day's colours by code go.
    let next_day = purge_at(&t, t0 + Duration::days(1)).await;
    assert_eq!((next_day.total(), next_day.rows("weather_people")), (3, 3), "{next_day}");

    // History: 90 days.
    assert_eq!(purge_at(&t, t0 + Duration::days(90) - Duration::minutes(1)).await.total(), 0);
    let history = purge_at(&t, t0 + Duration::days(90) + Duration::minutes(1)).await;
    assert_eq!((history.total(), history.rows("checkin_history")), (1, 1), "{history}");

    // Agenda items: 200 days after done, with their votes.
    assert_eq!(purge_at(&t, t0 + Duration::days(200) - Duration::minutes(1)).await.total(), 0);
    let agenda = purge_at(&t, t0 + Duration::days(200) + Duration::minutes(1)).await;
    assert_eq!((agenda.rows("agenda_items"), agenda.rows("agenda_votes")), (1, 1), "{agenda}");
    assert!(agenda.to_string().contains("retention.agenda_days"), "{agenda}");

    // Weather counts are per day (2026-11-23): kept through the day a year on, gone after it.
    let last = Utc.with_ymd_and_hms(2027, 11, 23, 23, 59, 0).unwrap();
    assert_eq!(purge_at(&t, last).await.rows("weather_counts"), 0);
    let weather = purge_at(&t, last + Duration::minutes(1)).await;
    assert_eq!(weather.rows("weather_counts"), 4, "{weather}");
    assert_eq!(snapshot(&t).await["weather_counts"], 0);
    // What is left is the team, its members and the supervision series.
    assert!(snapshot(&t).await["supervision_series"] == 1);
}

#[tokio::test]
async fn housekeeping_on_the_scheduler_uses_the_configured_retention() {
    let mut t = TestBot::with_config(|c| c.retention.history_days = 2).await;
    t.script(&["/checkin keep on", "/checkin", "1", "not now", "no"]).await;
    assert_eq!(snapshot(&t).await["checkin_history"], 1, "{}", t.transcript());
    let (s, recorder) = crate::harness::scheduler(&t);
    s.ensure_housekeeping().await.unwrap();
    crate::harness::tick(&t, &s, &recorder, monday_morning() + Duration::days(1)).await;
    assert_eq!(snapshot(&t).await["checkin_history"], 1);
    crate::harness::tick(
        &t,
        &s,
        &recorder,
        monday_morning() + Duration::days(2) + Duration::minutes(10),
    )
    .await;
    assert_eq!(snapshot(&t).await["checkin_history"], 0);
}
