//! Schedules and their runs. `claim_due` is the heart of the scheduler's `tick`: in the
//! caller's transaction it takes every due schedule, records one run per occurrence under the
//! unique key (schedule, due instant), and moves the schedule to its next run.
//!
//! A process takes only occurrences it can deliver: those of teams on the platforms it serves
//! (`served`), and hearth's own (housekeeping, no team), which every process can do. The rest
//! stay due for a process that serves their platform (the one serving Matrix, say).

use super::sql::params;
use super::{Result, StoreError, Tx};
use crate::schedule::{Payload, QuietHours, When};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_chat::{Platform, TeamRef};

mod owners;
mod unfinished;
pub use owners::{delete_of_member, of_hearth, of_team, personal_patterns, read, read_all};
pub use unfinished::unfinished;

/// What to schedule.
#[derive(Clone, Debug)]
pub struct NewSchedule {
    pub team_id: Option<i64>,
    pub member_id: Option<i64>,
    pub payload: Payload,
    pub when: When,
    pub timezone: Tz,
}

/// What happened to one occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Taken by a tick; delivery under way (or cut short by a crash).
    Claimed,
    Delivered,
    /// Delivery failed for good; `error` says how.
    Failed,
    /// Missed while hearth was down, past its grace period.
    Skipped,
    /// A nudge that fell in quiet hours.
    Quiet,
    /// Internal work, done in the tick's own transaction.
    Done,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Claimed => "claimed",
            RunStatus::Delivered => "delivered",
            RunStatus::Failed => "failed",
            RunStatus::Skipped => "skipped",
            RunStatus::Quiet => "quiet",
            RunStatus::Done => "done",
        }
    }
}

/// One occurrence, by its unique key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RunKey {
    pub schedule_id: i64,
    pub due_at: DateTime<Utc>,
}

impl RunKey {
    /// Stable across retries and restarts: platforms that deduplicate sends use it.
    pub fn idempotency_key(&self) -> String {
        format!("hearth-{}-{}", self.schedule_id, self.due_at.timestamp_millis())
    }
}

/// A claimed occurrence, with what its delivery needs.
#[derive(Clone, Debug)]
pub struct Due {
    pub key: RunKey,
    pub payload: Payload,
    pub status: RunStatus,
    /// The team, for schedules that belong to one.
    pub team: Option<DueTeam>,
}

impl Due {
    pub fn team_id(&self) -> Option<i64> {
        self.team.as_ref().map(|t| t.id)
    }
}

#[derive(Clone, Debug)]
pub struct DueTeam {
    pub id: i64,
    pub team: TeamRef,
    pub locale: String,
    /// The member a personal schedule belongs to: their id and platform user id.
    pub member_id: Option<i64>,
    pub member: Option<String>,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn from_ms(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("instant {ms}")))
}

fn pattern(when: &When) -> Option<String> {
    match when {
        When::Once(_) => None,
        When::Repeat(r) => Some(r.to_string()),
    }
}

/// Adds a schedule; its first run is the first occurrence after `now`.
pub fn insert(tx: &Tx, new: &NewSchedule, now: DateTime<Utc>) -> Result<i64> {
    let payload = serde_json::to_string(&new.payload)
        .map_err(|e| StoreError::Corrupt(format!("schedule payload: {e}")))?;
    let next = new.payload.next_after(&new.when, now, new.timezone).map(ms);
    tx.one(
        "INSERT INTO schedules
             (team_id, member_id, kind, payload, pattern, timezone, next_run, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            new.team_id,
            new.member_id,
            new.payload.kind(),
            payload,
            pattern(&new.when),
            new.timezone.name(),
            next,
            now
        ],
        |r| r.get(0),
    )
}

/// Changes a schedule in place (an edit), keeping its id, so occurrences it already ran are
/// not run again; its next run is recomputed from `now`.
pub fn replace(
    tx: &Tx,
    id: i64,
    payload: &Payload,
    when: &When,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<()> {
    let json = serde_json::to_string(payload)
        .map_err(|e| StoreError::Corrupt(format!("schedule payload: {e}")))?;
    let next = payload.next_after(when, now, tz).map(ms);
    tx.execute(
        "UPDATE schedules SET payload = $1, pattern = $2, timezone = $3, next_run = $4
         WHERE id = $5",
        params![json, pattern(when), tz.name(), next, id],
    )?;
    Ok(())
}

pub fn delete(tx: &Tx, id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM schedules WHERE id = $1", params![id])? > 0)
}

/// Every platform, for callers that deliver to all of them (tests, benchmarks).
pub const EVERY_PLATFORM: &[Platform] = &[Platform::Console, Platform::Discord, Platform::Matrix];

/// `served` as the values of `t.platform IN ($a, $b, $c)`, one place per platform: one not
/// served is a NULL there, which matches nothing.
fn served_params(served: &[Platform]) -> [Option<&'static str>; 3] {
    let mut places = [None; 3];
    for &platform in served {
        let place = match platform {
            Platform::Console => 0,
            Platform::Discord => 1,
            Platform::Matrix => 2,
        };
        places[place] = Some(platform.as_str());
    }
    places
}

/// The earliest next run of a schedule a process serving `served` would take: what its run
/// loop sleeps until (one it would not take must not wake it).
pub fn earliest(tx: &Tx, served: &[Platform]) -> Result<Option<DateTime<Utc>>> {
    let [a, b, c] = served_params(served);
    // In next_run order, stopping at the first taken, rather than min() over the whole join.
    let next: Option<i64> = tx.optional(
        "SELECT s.next_run FROM schedules s LEFT JOIN teams t ON t.id = s.team_id
         WHERE s.next_run IS NOT NULL AND (s.team_id IS NULL OR t.platform IN ($1, $2, $3))
         ORDER BY s.next_run LIMIT 1",
        params![a, b, c],
        |r| r.get(0),
    )?;
    next.map(from_ms).transpose()
}

struct DueRow {
    id: i64,
    payload: String,
    pattern: Option<String>,
    timezone: String,
    next_run: i64,
    team_id: Option<i64>,
    platform: Option<String>,
    platform_team_id: Option<String>,
    locale: Option<String>,
    quiet_hours: Option<String>,
    member: Option<String>,
    member_id: Option<i64>,
}

/// Claims up to `limit` due schedules at `now` that a process serving `served` can deliver,
/// and advances each to its next run after `now` (occurrences missed in between are not run
/// one by one). Each claimed occurrence gets a run row; if that row already exists the
/// occurrence was claimed before and is not returned.
pub fn claim_due(
    tx: &Tx,
    now: DateTime<Utc>,
    limit: usize,
    served: &[Platform],
) -> Result<Vec<Due>> {
    macro_rules! due {
        ($($locking:literal)?) => {
            concat!(
                "SELECT s.id, s.payload, s.pattern, s.timezone, s.next_run,
                        t.platform, t.platform_team_id, t.locale, t.quiet_hours, s.team_id,
                        m.platform_user_id, s.member_id
                 FROM schedules s LEFT JOIN teams t ON t.id = s.team_id
                 LEFT JOIN members m ON m.id = s.member_id
                 WHERE s.next_run IS NOT NULL AND s.next_run <= $1
                   AND (s.team_id IS NULL OR t.platform IN ($3, $4, $5))
                 ORDER BY s.next_run LIMIT $2" $(, $locking)?
            )
        };
    }
    // Several processes share a PostgreSQL: each takes the due schedules no other is taking
    // right now instead of waiting for it. The run row's key keeps an occurrence from being
    // claimed twice either way.
    let sql = if tx.is_postgres() { due!(" FOR UPDATE OF s SKIP LOCKED") } else { due!() };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let [a, b, c] = served_params(served);
    let rows: Vec<DueRow> = tx.all(sql, params![ms(now), limit, a, b, c], |r| {
        Ok(DueRow {
            id: r.get(0)?,
            payload: r.get(1)?,
            pattern: r.get(2)?,
            timezone: r.get(3)?,
            next_run: r.get(4)?,
            platform: r.get(5)?,
            platform_team_id: r.get(6)?,
            locale: r.get(7)?,
            quiet_hours: r.get(8)?,
            team_id: r.get(9)?,
            member: r.get(10)?,
            member_id: r.get(11)?,
        })
    })?;

    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let due_at = from_ms(row.next_run)?;
        let key = RunKey { schedule_id: row.id, due_at };
        let parsed = parse_row(&row, now);
        let (payload, next, tz) = match parsed {
            Ok(parsed) => parsed,
            Err(problem) => {
                // A schedule this version cannot read must not stop every other one.
                tracing::error!(schedule = row.id, problem, "unreadable schedule stopped");
                tx.execute("UPDATE schedules SET next_run = NULL WHERE id = $1", params![row.id])?;
                continue;
            }
        };
        let quiet = row.quiet_hours.as_deref().and_then(QuietHours::parse);
        let status = if now - due_at > payload.grace() {
            RunStatus::Skipped
        } else if payload.is_nudge() && quiet.is_some_and(|q| q.contains(now, tz)) {
            RunStatus::Quiet
        } else if payload.is_internal() {
            RunStatus::Done
        } else {
            RunStatus::Claimed
        };
        let inserted = tx.execute(
            "INSERT INTO schedule_runs (schedule_id, due_at, status, updated_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (schedule_id, due_at) DO NOTHING",
            params![row.id, row.next_run, status.as_str(), ms(now)],
        )?;
        tx.execute(
            "UPDATE schedules SET next_run = $1, last_run = $2 WHERE id = $3 AND next_run = $2",
            params![next.map(ms), row.next_run, row.id],
        )?;
        if inserted == 0 {
            continue;
        }
        let member = row.member_id.zip(row.member);
        let team = due_team(row.team_id, row.platform, row.platform_team_id, row.locale, member);
        claimed.push(Due { key, payload, status, team });
    }
    Ok(claimed)
}

fn parse_row(
    row: &DueRow,
    now: DateTime<Utc>,
) -> Result<(Payload, Option<DateTime<Utc>>, Tz), &'static str> {
    let payload: Payload = serde_json::from_str(&row.payload).map_err(|_| "payload")?;
    let tz: Tz = row.timezone.parse().map_err(|_| "timezone")?;
    let next = match &row.pattern {
        None => None,
        Some(pattern) => {
            let When::Repeat(r) = When::parse(pattern, now, tz).map_err(|_| "pattern")? else {
                return Err("pattern");
            };
            payload.next_after(&When::Repeat(r), now, tz)
        }
    };
    Ok((payload, next, tz))
}

/// Renews this process's claim on an occurrence it is still delivering (as of `now`), so that
/// no other process takes it over as abandoned. False when it is no longer claimed.
pub fn renew(tx: &Tx, key: RunKey, now: DateTime<Utc>) -> Result<bool> {
    let renewed = tx.execute(
        "UPDATE schedule_runs SET updated_at = $1
         WHERE schedule_id = $2 AND due_at = $3 AND status = 'claimed'",
        params![ms(now), key.schedule_id, ms(key.due_at)],
    )?;
    Ok(renewed == 1)
}

/// Records how an occurrence ended.
pub fn finish(
    tx: &Tx,
    key: RunKey,
    status: RunStatus,
    attempts: u32,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE schedule_runs SET status = $1, attempts = $2, error = $3, updated_at = $4
         WHERE schedule_id = $5 AND due_at = $6",
        params![status.as_str(), attempts, error, ms(now), key.schedule_id, ms(key.due_at)],
    )?;
    Ok(())
}

fn due_team(
    team_id: Option<i64>,
    platform: Option<String>,
    id: Option<String>,
    locale: Option<String>,
    member: Option<(i64, String)>,
) -> Option<DueTeam> {
    let platform = Platform::parse(&platform?)?;
    let (member_id, member) = member.unzip();
    Some(DueTeam {
        id: team_id?,
        team: TeamRef { platform, id: id? },
        locale: locale.unwrap_or_default(),
        member_id,
        member,
    })
}

/// Forgets run records older than `before`; they only explain recent behaviour.
pub fn purge_runs_before(tx: &Tx, before: DateTime<Utc>) -> Result<usize> {
    tx.execute("DELETE FROM schedule_runs WHERE updated_at < $1", params![ms(before)])
}

/// Forgets one-shot schedules that fired before `before` (a "check on me" that was sent),
/// with their run records.
pub fn purge_finished_once(tx: &Tx, before: DateTime<Utc>) -> Result<usize> {
    tx.execute(
        "DELETE FROM schedules
         WHERE pattern IS NULL AND next_run IS NULL AND last_run IS NOT NULL AND last_run < $1",
        params![ms(before)],
    )
}

/// How many run rows exist with each status (for tests and `hearth bench`).
pub fn run_counts(tx: &Tx) -> Result<Vec<(String, i64)>> {
    tx.all(
        "SELECT status, count(*) FROM schedule_runs GROUP BY status ORDER BY status",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A schedule's next run, if any.
pub fn next_run(tx: &Tx, id: i64) -> Result<Option<DateTime<Utc>>> {
    let next: Option<Option<i64>> =
        tx.optional("SELECT next_run FROM schedules WHERE id = $1", params![id], |r| r.get(0))?;
    next.flatten().map(from_ms).transpose()
}
