//! Retention: deleting what has outlived its purpose, rule by rule, as one plan. The scheduler
//! applies it (housekeeping); `hearth purge` applies it or, with `--dry-run`, only reports it —
//! the same function either way, so the two can never disagree. Never deletes anything a
//! retention rule does not name.

use super::plan::{self, Mode, Plan};
use super::{Result, Tx, agenda, breaks, history, requests, schedules, sessions, weather};
use crate::inventory::{RUNS_KEPT, SEEN_KEPT};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Retention periods as durations, from configuration (`[retention]`).
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// Team weather counts, and the daily counts of debrief requests.
    pub weather: Duration,
    /// A person's own kept check-in colours.
    pub history: Duration,
    /// Agenda items and actions after they were done or dropped.
    pub agenda: Duration,
}

impl From<&crate::config::Retention> for Retention {
    fn from(r: &crate::config::Retention) -> Self {
        Self {
            weather: Duration::days(r.weather_days.into()),
            history: Duration::days(r.history_days.into()),
            agenda: Duration::days(r.agenda_days.into()),
        }
    }
}

/// Deletes (or, in a dry run, only counts) everything past its time at `now`: ended days'
/// per-person weather rows, expired conversations, and what has outlived its
/// retention. Returns the plan: one line per rule, plus rows that went with them.
pub fn run(tx: &Tx, now: DateTime<Utc>, retention: Retention, mode: Mode) -> Result<Plan> {
    plan::within(tx, mode, |tx, plan| {
        let ended = weather::forget_ended_days(tx, now)?;
        plan.add("weather_people", ended, "the team's day has ended (colours by code)");
        plan::step(tx, plan, "flow_sessions", "conversations past their 24 hours", "", |c| {
            sessions::purge_expired(c, now)
        })?;
        let weather_day = day_before(now, retention.weather);
        let weather_rule = || {
            format!("days over {} days ago (retention.weather_days)", retention.weather.num_days())
        };
        plan::step(tx, plan, "weather_counts", weather_rule(), "", |c| {
            weather::purge_before(c, weather_day)
        })?;
        plan::step(tx, plan, "debrief_request_counts", weather_rule(), "", |c| {
            requests::purge_counts_before(c, weather_day)
        })?;
        let runs_kept = before(now, RUNS_KEPT);
        plan::step(
            tx,
            plan,
            "schedules",
            format!("one-off, fired over {} days ago", RUNS_KEPT.num_days()),
            "with their schedule",
            |c| schedules::purge_finished_once(c, runs_kept),
        )?;
        plan::step(
            tx,
            plan,
            "break_seen",
            format!("shown over {} days ago", SEEN_KEPT.num_days()),
            "",
            |c| breaks::purge_seen_before(c, before(now, SEEN_KEPT)),
        )?;
        plan::step(
            tx,
            plan,
            "agenda_items",
            format!(
                "done, dropped or left by an ended series over {} days ago (retention.agenda_days)",
                retention.agenda.num_days()
            ),
            "with their agenda item",
            |c| agenda::purge_closed_before(c, before(now, retention.agenda)),
        )?;
        plan::step(
            tx,
            plan,
            "checkin_history",
            format!("over {} days old (retention.history_days)", retention.history.num_days()),
            "",
            |c| history::purge_before(c, before(now, retention.history)),
        )?;
        plan::step(
            tx,
            plan,
            "schedule_runs",
            format!("records over {} days old", RUNS_KEPT.num_days()),
            "",
            |c| schedules::purge_runs_before(c, runs_kept),
        )
    })
}

/// The instant `kept` before `now` (the beginning of time if that is further back).
fn before(now: DateTime<Utc>, kept: Duration) -> DateTime<Utc> {
    now.checked_sub_signed(kept).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The UTC date `kept` before `now`: days before it are past their retention.
fn day_before(now: DateTime<Utc>, kept: Duration) -> NaiveDate {
    before(now, kept).date_naive()
}
