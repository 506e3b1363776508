//! Communities of practice: their names, reach (the home team, or open to the platform's
//! teams), gatherings and facilitator. Members are in `members`, topics and resources in
//! `topics`.

pub mod members;
pub mod topics;

use super::sql::{Param, Row, params};
use super::{Result, StoreError, Tx};
use crate::schedule::When;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_chat::Platform;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Community {
    pub id: i64,
    /// The home team.
    pub team_id: i64,
    pub name: String,
    pub about: Option<String>,
    /// Open to the other teams hearth serves on the home team's platform.
    pub open: bool,
    pub created_by: Option<i64>,
    /// Its gatherings, once scheduled.
    pub when: Option<When>,
    pub timezone: Tz,
    /// Where gatherings open: a channel of the home team.
    pub channel: Option<String>,
    /// One gathering called off.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The member who facilitates the next gathering.
    pub facilitator_id: Option<i64>,
}

impl Community {
    /// The next gathering strictly after `after` that has not been called off.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let when = self.when.as_ref()?;
        let next = when.next_after(after, self.timezone)?;
        if Some(next) == self.cancelled_at {
            when.next_after(next, self.timezone)
        } else {
            Some(next)
        }
    }
}

#[derive(Debug)]
pub struct NewCommunity<'a> {
    pub team_id: i64,
    pub name: &'a str,
    pub about: Option<&'a str>,
    pub created_by: i64,
    pub timezone: Tz,
}

/// Creates a community with its creator as its first member.
pub fn insert(tx: &Tx, new: &NewCommunity<'_>, now: DateTime<Utc>) -> Result<i64> {
    let id = tx.one(
        "INSERT INTO communities (team_id, name, about, created_by, created_at, timezone)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        params![
            new.team_id,
            new.name,
            new.about,
            new.created_by,
            now.timestamp_millis(),
            new.timezone.name()
        ],
        |r| r.get(0),
    )?;
    members::join(tx, id, new.created_by, now)?;
    Ok(id)
}

const SELECT: &str = "SELECT c.id, c.team_id, c.name, c.about, c.open, c.created_by, c.pattern,
        c.once_at, c.timezone, c.channel, c.cancelled_at, c.facilitator_id
    FROM communities c JOIN teams t ON t.id = c.team_id";

/// A row as stored, before its timezone and times are read.
struct Raw {
    community: Community,
    pattern: Option<String>,
    once_at: Option<i64>,
    timezone: String,
    cancelled_at: Option<i64>,
}

fn raw(r: &Row<'_>) -> Result<Raw> {
    Ok(Raw {
        community: Community {
            id: r.get(0)?,
            team_id: r.get(1)?,
            name: r.get(2)?,
            about: r.get(3)?,
            open: r.get(4)?,
            created_by: r.get(5)?,
            when: None,
            timezone: Tz::UTC,
            channel: r.get(9)?,
            cancelled_at: None,
            facilitator_id: r.get(11)?,
        },
        pattern: r.get(6)?,
        once_at: r.get(7)?,
        timezone: r.get(8)?,
        cancelled_at: r.get(10)?,
    })
}

fn community(raw: Raw, now: DateTime<Utc>) -> Result<Community> {
    let Raw { mut community, pattern, once_at, timezone, cancelled_at } = raw;
    let corrupt = |what: &str| StoreError::Corrupt(format!("community {}: {what}", community.id));
    community.timezone = timezone.parse().map_err(|_| corrupt("timezone"))?;
    community.when =
        super::when::read(pattern.as_deref(), once_at, community.timezone, now).map_err(corrupt)?;
    community.cancelled_at = cancelled_at
        .map(|ms| DateTime::from_timestamp_millis(ms).ok_or_else(|| corrupt("cancelled_at")))
        .transpose()?;
    Ok(community)
}

fn many(tx: &Tx, sql: &str, params: &[&dyn Param], now: DateTime<Utc>) -> Result<Vec<Community>> {
    let rows = tx.all(sql, params, raw)?;
    rows.into_iter().map(|row| community(row, now)).collect()
}

/// The communities a team sees: its own, and the open ones of the platform's other teams;
/// by name.
pub fn visible(
    tx: &Tx,
    team_id: i64,
    platform: Platform,
    now: DateTime<Utc>,
) -> Result<Vec<Community>> {
    let sql = format!(
        "{SELECT} WHERE c.team_id = $1 OR (c.open = 1 AND t.platform = $2) ORDER BY c.name, c.id"
    );
    many(tx, &sql, params![team_id, platform.as_str()], now)
}

/// A community the team sees, by its normalised name. Names are unique among what any
/// team sees (see [`name_in_use`]), so there is at most one.
pub fn find(
    tx: &Tx,
    team_id: i64,
    platform: Platform,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<Community>> {
    let sql = format!(
        "{SELECT} WHERE c.name = $3 AND (c.team_id = $1 OR (c.open = 1 AND t.platform = $2))
         ORDER BY CASE WHEN c.team_id = $1 THEN 0 ELSE 1 END, c.id LIMIT 1"
    );
    Ok(many(tx, &sql, params![team_id, platform.as_str(), name], now)?.pop())
}

/// Whether `name` would clash for a community of `team_id`: a community the team sees has
/// it, or (when the community is or will be `open`) any community on the platform has it.
/// `except` leaves out the community being opened.
pub fn name_in_use(
    tx: &Tx,
    team_id: i64,
    platform: Platform,
    name: &str,
    open: bool,
    except: Option<i64>,
) -> Result<bool> {
    let clash: i64 = tx.one(
        "SELECT count(*) FROM communities c JOIN teams t ON t.id = c.team_id
         WHERE c.name = $3 AND c.id IS DISTINCT FROM $5 AND t.platform = $2
           AND (c.team_id = $1 OR c.open = 1 OR $4 = 1)",
        params![team_id, platform.as_str(), name, open, except],
        |r| r.get(0),
    )?;
    Ok(clash > 0)
}

pub fn get(tx: &Tx, id: i64, now: DateTime<Utc>) -> Result<Option<Community>> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    let row = tx.optional(&sql, params![id], raw)?;
    row.map(|row| community(row, now)).transpose()
}

/// The communities a member belongs to, by name.
pub fn of_member(tx: &Tx, member_id: i64, now: DateTime<Utc>) -> Result<Vec<Community>> {
    let sql = format!(
        "{SELECT} JOIN community_members m ON m.community_id = c.id
         WHERE m.member_id = $1 ORDER BY c.name, c.id"
    );
    many(tx, &sql, params![member_id], now)
}

/// The communities a person belongs to on a platform (through any of their member rows).
pub fn of_person(tx: &Tx, platform: Platform, user_id: &str) -> Result<Vec<i64>> {
    tx.all(
        "SELECT DISTINCT cm.community_id FROM community_members cm
         JOIN members m ON m.id = cm.member_id JOIN teams t ON t.id = m.team_id
         WHERE t.platform = $1 AND m.platform_user_id = $2 ORDER BY 1",
        params![platform.as_str(), user_id],
        |r| r.get(0),
    )
}

pub fn set_open(tx: &Tx, id: i64, open: bool) -> Result<()> {
    tx.execute("UPDATE communities SET open = $1 WHERE id = $2", params![open, id])?;
    Ok(())
}

/// Sets (or with `None` clears) when and where a community gathers; any gathering that
/// was called off is forgotten with the old plan.
pub fn set_schedule(tx: &Tx, id: i64, when: Option<&When>, channel: Option<&str>) -> Result<()> {
    let (pattern, once_at) = when.map(super::when::columns).unwrap_or_default();
    tx.execute(
        "UPDATE communities SET pattern = $1, once_at = $2, channel = $3, cancelled_at = NULL
         WHERE id = $4",
        params![pattern, once_at, channel, id],
    )?;
    Ok(())
}

pub fn set_cancelled(tx: &Tx, id: i64, at: Option<DateTime<Utc>>) -> Result<()> {
    tx.execute(
        "UPDATE communities SET cancelled_at = $1 WHERE id = $2",
        params![at.map(|at| at.timestamp_millis()), id],
    )?;
    Ok(())
}

pub fn set_facilitator(tx: &Tx, id: i64, member_id: Option<i64>) -> Result<()> {
    tx.execute("UPDATE communities SET facilitator_id = $1 WHERE id = $2", params![member_id, id])?;
    Ok(())
}

/// A team's communities keep their wall-clock times in the team's new timezone.
pub fn set_timezone_of_team(tx: &Tx, team_id: i64, tz: Tz) -> Result<()> {
    tx.execute(
        "UPDATE communities SET timezone = $1 WHERE team_id = $2",
        params![tz.name(), team_id],
    )?;
    Ok(())
}

/// Ends a community, with its members, topics and resources.
pub fn delete(tx: &Tx, id: i64) -> Result<()> {
    tx.execute("DELETE FROM communities WHERE id = $1", params![id])?;
    Ok(())
}
