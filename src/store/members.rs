//! Members: a platform user id within a team, and their preferences. Nothing else.

use super::teams::{self, Team, TeamRow};
use super::{Conn, Result, StoreError};
use crate::config::TeamDefaults;
use chrono::{DateTime, Utc};
use hearth_chat::TeamRef;
use rusqlite::{OptionalExtension, Row, params};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub team_id: i64,
    pub platform_user_id: String,
    /// Whether to keep a personal check-in history: `None` until they have been asked.
    pub keep_history: Option<bool>,
}

fn member(r: &Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        team_id: r.get(1)?,
        platform_user_id: r.get(2)?,
        keep_history: r.get(3)?,
    })
}

/// The team and member behind an event, each created the first time it is seen. One query
/// when both exist, which is nearly always.
pub fn with_team(
    conn: &Conn,
    team: &TeamRef,
    user_id: &str,
    defaults: &TeamDefaults,
    now: DateTime<Utc>,
) -> Result<(Team, Member)> {
    let found = conn
        .prepare_cached(
            "SELECT t.id, t.platform, t.platform_team_id, t.timezone, t.locale,
                    t.weather_min_people, t.resources, t.quiet_hours, m.id, m.keep_history
             FROM teams t
             LEFT JOIN members m ON m.team_id = t.id AND m.platform_user_id = ?3
             WHERE t.platform = ?1 AND t.platform_team_id = ?2",
        )?
        .query_row(params![team.platform.as_str(), team.id, user_id], |r| {
            let member = TeamRow::COLUMNS;
            Ok((
                TeamRow::read(r, 0)?,
                r.get::<_, Option<i64>>(member)?,
                r.get::<_, Option<bool>>(member + 1)?,
            ))
        })
        .optional()?;
    match found {
        Some((row, Some(member_id), keep_history)) => {
            let team = row.into_team()?;
            let member = Member {
                id: member_id,
                team_id: team.id,
                platform_user_id: user_id.to_owned(),
                keep_history,
            };
            Ok((team, member))
        }
        Some((row, None, _)) => {
            let team = row.into_team()?;
            let member = get_or_create(conn, team.id, user_id, now)?;
            Ok((team, member))
        }
        None => {
            let team = teams::get_or_create(conn, team, defaults, now)?;
            let member = get_or_create(conn, team.id, user_id, now)?;
            Ok((team, member))
        }
    }
}

/// The member for a user in a team, created the first time they use hearth there.
pub fn get_or_create(
    conn: &Conn,
    team_id: i64,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<Member> {
    let select = "SELECT id, team_id, platform_user_id, keep_history FROM members
                  WHERE team_id = ?1 AND platform_user_id = ?2";
    if let Some(found) =
        conn.prepare_cached(select)?.query_row(params![team_id, user_id], member).optional()?
    {
        return Ok(found);
    }
    conn.prepare_cached(
        "INSERT INTO members (team_id, platform_user_id, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![team_id, user_id, now])?;
    conn.prepare_cached(select)?
        .query_row(params![team_id, user_id], member)
        .optional()?
        .ok_or_else(|| StoreError::Corrupt("member vanished after insert".into()))
}

/// Finds a teammate by user id, ignoring case (console names are typed by hand); an exact
/// match wins.
pub fn find(conn: &Conn, team_id: i64, user_id: &str) -> Result<Option<Member>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, team_id, platform_user_id, keep_history FROM members
             WHERE team_id = ?1 AND lower(platform_user_id) = lower(?2)
             ORDER BY platform_user_id = ?2 DESC LIMIT 1",
        )?
        .query_row(params![team_id, user_id], member)
        .optional()?)
}

pub fn set_keep_history(conn: &Conn, member_id: i64, keep: bool) -> Result<()> {
    conn.prepare_cached("UPDATE members SET keep_history = ?1 WHERE id = ?2")?
        .execute(params![keep, member_id])?;
    Ok(())
}
