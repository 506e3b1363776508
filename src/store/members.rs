//! Members: a platform user id within a team, and their preferences. Nothing else.

use super::sql::{Row, params};
use super::teams::{self, Team, TeamRow};
use super::{Result, StoreError, Tx};
use crate::config::TeamDefaults;
use chrono::{DateTime, Utc};
use hearth_chat::TeamRef;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub team_id: i64,
    pub platform_user_id: String,
    /// Whether to keep a personal check-in history: `None` until they have been asked.
    pub keep_history: Option<bool>,
    /// Whether the row was made just now, by the event being handled: it holds nothing yet.
    pub is_new: bool,
}

fn member(r: &Row<'_>) -> Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        team_id: r.get(1)?,
        platform_user_id: r.get(2)?,
        keep_history: r.get(3)?,
        is_new: false,
    })
}

/// The team and member behind an event, each created the first time it is seen. One query
/// when both exist, which is nearly always.
pub fn with_team(
    tx: &Tx,
    team: &TeamRef,
    user_id: &str,
    defaults: &TeamDefaults,
    now: DateTime<Utc>,
) -> Result<(Team, Member)> {
    match in_known_team(tx, team, user_id, now)? {
        Some(found) => Ok(found),
        None => {
            let team = teams::get_or_create(tx, team, defaults, now)?;
            let member = get_or_create(tx, team.id, user_id, now)?;
            Ok((team, member))
        }
    }
}

/// The team behind an event and its member (created the first time they are seen), when
/// hearth knows the team: an answer to a team it has forgotten must not make it again. One
/// query when both exist.
pub fn in_known_team(
    tx: &Tx,
    team: &TeamRef,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Team, Member)>> {
    let found = tx.optional(
        "SELECT t.id, t.platform, t.platform_team_id, t.timezone, t.locale,
                t.weather_min_people, t.resources, t.quiet_hours, t.debrief_channel,
                t.debrief_lead_minutes, t.request_wait_minutes, t.coordinator, t.supervisor,
                t.backup_supervisor, m.id, m.keep_history
         FROM teams t
         LEFT JOIN members m ON m.team_id = t.id AND m.platform_user_id = $3
         WHERE t.platform = $1 AND t.platform_team_id = $2",
        params![team.platform.as_str(), team.id, user_id],
        |r| {
            let member = TeamRow::COLUMNS;
            Ok((
                TeamRow::read(r, 0)?,
                r.get::<Option<i64>>(member)?,
                r.get::<Option<bool>>(member + 1)?,
            ))
        },
    )?;
    let Some((row, member_id, keep_history)) = found else { return Ok(None) };
    let team = row.into_team()?;
    let member = match member_id {
        Some(id) => Member {
            id,
            team_id: team.id,
            platform_user_id: user_id.to_owned(),
            keep_history,
            is_new: false,
        },
        None => get_or_create(tx, team.id, user_id, now)?,
    };
    Ok(Some((team, member)))
}

/// The member for a user in a team, created the first time they use hearth there.
pub fn get_or_create(tx: &Tx, team_id: i64, user_id: &str, now: DateTime<Utc>) -> Result<Member> {
    if let Some(found) = get(tx, team_id, user_id)? {
        return Ok(found);
    }
    // As for teams: a member another process is making right now is read once it is made.
    let made = tx.optional(
        "INSERT INTO members (team_id, platform_user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (team_id, platform_user_id) DO NOTHING
         RETURNING id, team_id, platform_user_id, keep_history",
        params![team_id, user_id, now],
        member,
    )?;
    match made {
        Some(made) => Ok(Member { is_new: true, ..made }),
        None => tx
            .optional(
                "SELECT id, team_id, platform_user_id, keep_history FROM members
                 WHERE team_id = $1 AND platform_user_id = $2",
                params![team_id, user_id],
                member,
            )?
            .ok_or_else(|| StoreError::Corrupt("a member vanished".into())),
    }
}

/// The member for exactly this user id in a team, if they have used hearth there.
pub fn get(tx: &Tx, team_id: i64, user_id: &str) -> Result<Option<Member>> {
    tx.optional(
        "SELECT id, team_id, platform_user_id, keep_history FROM members
         WHERE team_id = $1 AND platform_user_id = $2",
        params![team_id, user_id],
        member,
    )
}

/// Finds a teammate by user id, ignoring case (console names are typed by hand); an exact
/// match wins.
pub fn find(tx: &Tx, team_id: i64, user_id: &str) -> Result<Option<Member>> {
    tx.optional(
        "SELECT id, team_id, platform_user_id, keep_history FROM members
         WHERE team_id = $1 AND lower(platform_user_id) = lower($2)
         ORDER BY CASE WHEN platform_user_id = $2 THEN 0 ELSE 1 END LIMIT 1",
        params![team_id, user_id],
        member,
    )
}

/// Removes a member row made by the event being handled, before anything links to it (asking
/// what hearth holds about me should not leave a row behind).
pub fn remove_new(tx: &Tx, member_id: i64) -> Result<()> {
    tx.execute("DELETE FROM members WHERE id = $1", params![member_id])?;
    Ok(())
}

pub fn set_keep_history(tx: &Tx, member_id: i64, keep: bool) -> Result<()> {
    tx.execute("UPDATE members SET keep_history = $1 WHERE id = $2", params![keep, member_id])?;
    Ok(())
}

/// What decides whether a member is sent debrief requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Duty {
    pub available: bool,
    /// When `available` flips.
    pub available_until: Option<DateTime<Utc>>,
    /// The end of a shift started by hand; in the past once it ended.
    pub shift_until: Option<DateTime<Utc>>,
    pub capacity_low: bool,
}

impl Duty {
    /// Whether they take requests at `now`, before shifts are considered.
    pub fn available_at(&self, now: DateTime<Utc>) -> bool {
        match self.available_until {
            Some(until) if until <= now => !self.available,
            _ => self.available,
        }
    }
}

fn ms(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

fn from_ms(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(DateTime::from_timestamp_millis)
}

fn duty_row(r: &Row<'_>, at: usize) -> Result<Duty> {
    Ok(Duty {
        available: r.get(at)?,
        available_until: from_ms(r.get(at + 1)?),
        shift_until: from_ms(r.get(at + 2)?),
        capacity_low: r.get(at + 3)?,
    })
}

pub fn duty(tx: &Tx, member_id: i64) -> Result<Duty> {
    Ok(tx
        .optional(
            "SELECT available, available_until, shift_until, capacity_low FROM members
             WHERE id = $1",
            params![member_id],
            |r| duty_row(r, 0),
        )?
        .unwrap_or_default())
}

pub fn set_available(
    tx: &Tx,
    member_id: i64,
    on: bool,
    until: Option<DateTime<Utc>>,
) -> Result<()> {
    // Someone who chose either way knows the command: no invitation to it follows.
    tx.execute(
        "UPDATE members SET available = $1, available_until = $2, available_invited = 1
         WHERE id = $3",
        params![on, ms(until), member_id],
    )?;
    Ok(())
}

/// Records that the member was invited to `/available on`; says whether this is the first
/// time (the only time it is said).
pub fn mark_available_invited(tx: &Tx, member_id: i64) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE members SET available_invited = 1 WHERE id = $1 AND available_invited = 0",
        params![member_id],
    )? == 1)
}

/// Starts a shift by hand (`until` in the future) or ends one (`until` = now).
pub fn set_shift_until(tx: &Tx, member_id: i64, until: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE members SET shift_until = $1 WHERE id = $2",
        params![until.timestamp_millis(), member_id],
    )?;
    Ok(())
}

/// Sets "capacity reduced"; says whether it changed.
pub fn set_capacity_low(tx: &Tx, member_id: i64, low: bool) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE members SET capacity_low = $1 WHERE id = $2 AND capacity_low != $1",
        params![low, member_id],
    )? > 0)
}

/// A teammate who might be sent a debrief request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Teammate {
    pub id: i64,
    pub platform_user_id: String,
    pub duty: Duty,
}

/// Everyone in the team but `except`, with what decides whether they are reachable.
pub fn teammates(tx: &Tx, team_id: i64, except: i64) -> Result<Vec<Teammate>> {
    tx.all(
        "SELECT id, platform_user_id, available, available_until, shift_until, capacity_low
         FROM members WHERE team_id = $1 AND id != $2 ORDER BY id",
        params![team_id, except],
        |r| Ok(Teammate { id: r.get(0)?, platform_user_id: r.get(1)?, duty: duty_row(r, 2)? }),
    )
}
