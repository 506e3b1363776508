//! Teams and their settings.

use super::sql::{Row, params};
use super::{Result, StoreError, Tx};
use crate::config::TeamDefaults;
use crate::schedule::QuietHours;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_chat::{Platform, TeamRef};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub id: i64,
    pub platform: Platform,
    pub platform_team_id: String,
    pub timezone: Tz,
    pub locale: String,
    pub weather_min_people: u32,
    /// The team's own support and crisis resources, if it wrote them.
    pub resources: Option<String>,
    /// When nudges are not sent.
    pub quiet_hours: Option<QuietHours>,
    /// Where end-of-shift debriefs open.
    pub debrief_channel: Option<String>,
    /// How long before a team shift ends its debrief opens.
    pub debrief_lead_minutes: u32,
    /// How long a debrief request waits for someone to accept.
    pub request_wait_minutes: u32,
    /// Platform user ids of the coordinator and the supervisor, if named.
    pub coordinator: Option<String>,
    pub supervisor: Option<String>,
    /// Who stands in when the supervisor is away, and hears of gaps in supervision.
    pub backup_supervisor: Option<String>,
}

impl Team {
    pub fn team_ref(&self) -> TeamRef {
        TeamRef { platform: self.platform, id: self.platform_team_id.clone() }
    }
}

/// The team for a platform team id, created with the defaults the first time it is seen.
pub fn get_or_create(
    tx: &Tx,
    team: &TeamRef,
    defaults: &TeamDefaults,
    now: DateTime<Utc>,
) -> Result<Team> {
    if let Some(found) = find(tx, team)? {
        return Ok(found);
    }
    // Another process (on a shared PostgreSQL) may be making the same team right now: then
    // this insert waits for it, does nothing, and the team it made is read instead.
    let made = tx.optional(
        "INSERT INTO teams (platform, platform_team_id, timezone, locale, weather_min_people,
                            created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (platform, platform_team_id) DO NOTHING
         RETURNING id, platform, platform_team_id, timezone, locale, weather_min_people,
                   resources, quiet_hours, debrief_channel, debrief_lead_minutes,
                   request_wait_minutes, coordinator, supervisor, backup_supervisor",
        params![
            team.platform.as_str(),
            team.id,
            defaults.timezone.name(),
            defaults.locale,
            defaults.weather_min_people,
            now
        ],
        |r| TeamRow::read(r, 0),
    )?;
    match made {
        Some(row) => row.into_team(),
        None => find(tx, team)?.ok_or_else(|| StoreError::Corrupt("a team vanished".into())),
    }
}

/// The team for a platform team id, if hearth knows it.
pub fn find(tx: &Tx, team: &TeamRef) -> Result<Option<Team>> {
    let row = tx.optional(
        "SELECT id, platform, platform_team_id, timezone, locale, weather_min_people, resources,
                quiet_hours, debrief_channel, debrief_lead_minutes, request_wait_minutes,
                coordinator, supervisor, backup_supervisor
         FROM teams WHERE platform = $1 AND platform_team_id = $2",
        params![team.platform.as_str(), team.id],
        |r| TeamRow::read(r, 0),
    )?;
    row.map(TeamRow::into_team).transpose()
}

/// A team as stored, before its text columns are parsed.
pub(super) struct TeamRow {
    id: i64,
    platform: String,
    platform_team_id: String,
    timezone: String,
    locale: String,
    weather_min_people: u32,
    resources: Option<String>,
    quiet_hours: Option<String>,
    debrief_channel: Option<String>,
    debrief_lead_minutes: u32,
    request_wait_minutes: u32,
    coordinator: Option<String>,
    supervisor: Option<String>,
    backup_supervisor: Option<String>,
}

impl TeamRow {
    /// The number of team columns, in `find`'s order.
    pub(super) const COLUMNS: usize = 14;

    /// Reads the team columns starting at `at`, in `find`'s order.
    pub(super) fn read(r: &Row<'_>, at: usize) -> Result<Self> {
        Ok(Self {
            id: r.get(at)?,
            platform: r.get(at + 1)?,
            platform_team_id: r.get(at + 2)?,
            timezone: r.get(at + 3)?,
            locale: r.get(at + 4)?,
            weather_min_people: r.get(at + 5)?,
            resources: r.get(at + 6)?,
            quiet_hours: r.get(at + 7)?,
            debrief_channel: r.get(at + 8)?,
            debrief_lead_minutes: r.get(at + 9)?,
            request_wait_minutes: r.get(at + 10)?,
            coordinator: r.get(at + 11)?,
            supervisor: r.get(at + 12)?,
            backup_supervisor: r.get(at + 13)?,
        })
    }

    pub(super) fn into_team(self) -> Result<Team> {
        let id = self.id;
        let corrupt = |what: &str| StoreError::Corrupt(format!("team {id}: {what}"));
        Ok(Team {
            id,
            platform: Platform::parse(&self.platform).ok_or_else(|| corrupt("platform"))?,
            platform_team_id: self.platform_team_id,
            timezone: self.timezone.parse().map_err(|_| corrupt("timezone"))?,
            locale: self.locale,
            weather_min_people: self.weather_min_people,
            resources: self.resources,
            quiet_hours: match self.quiet_hours {
                Some(text) => Some(QuietHours::parse(&text).ok_or_else(|| corrupt("quiet_hours"))?),
                None => None,
            },
            debrief_channel: self.debrief_channel,
            debrief_lead_minutes: self.debrief_lead_minutes,
            request_wait_minutes: self.request_wait_minutes,
            coordinator: self.coordinator,
            supervisor: self.supervisor,
            backup_supervisor: self.backup_supervisor,
        })
    }
}

pub fn set_timezone(tx: &Tx, team_id: i64, tz: Tz) -> Result<()> {
    tx.execute("UPDATE teams SET timezone = $1 WHERE id = $2", params![tz.name(), team_id])?;
    Ok(())
}

pub fn set_weather_min_people(tx: &Tx, team_id: i64, people: u32) -> Result<()> {
    tx.execute("UPDATE teams SET weather_min_people = $1 WHERE id = $2", params![people, team_id])?;
    Ok(())
}

pub fn set_resources(tx: &Tx, team_id: i64, resources: Option<&str>) -> Result<()> {
    tx.execute("UPDATE teams SET resources = $1 WHERE id = $2", params![resources, team_id])?;
    Ok(())
}

pub fn set_quiet_hours(tx: &Tx, team_id: i64, quiet: Option<QuietHours>) -> Result<()> {
    tx.execute(
        "UPDATE teams SET quiet_hours = $1 WHERE id = $2",
        params![quiet.map(|q| q.to_string()), team_id],
    )?;
    Ok(())
}

pub fn set_debrief_channel(tx: &Tx, team_id: i64, channel: Option<&str>) -> Result<()> {
    tx.execute("UPDATE teams SET debrief_channel = $1 WHERE id = $2", params![channel, team_id])?;
    Ok(())
}

/// The minutes before a shift's end that its debrief opens (the database keeps it in 1..=120).
pub fn set_debrief_lead(tx: &Tx, team_id: i64, minutes: u32) -> Result<()> {
    tx.execute(
        "UPDATE teams SET debrief_lead_minutes = $1 WHERE id = $2",
        params![minutes, team_id],
    )?;
    Ok(())
}

/// How long a debrief request waits for someone (the database keeps it in 1..=240).
pub fn set_request_wait(tx: &Tx, team_id: i64, minutes: u32) -> Result<()> {
    tx.execute(
        "UPDATE teams SET request_wait_minutes = $1 WHERE id = $2",
        params![minutes, team_id],
    )?;
    Ok(())
}

/// The team roles hearth knows: who hears "capacity reduced", and who may be told when a
/// debrief request finds nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Coordinator,
    Supervisor,
    BackupSupervisor,
}

pub fn set_role(tx: &Tx, team_id: i64, role: Role, user_id: Option<&str>) -> Result<()> {
    let sql = match role {
        Role::Coordinator => "UPDATE teams SET coordinator = $1 WHERE id = $2",
        Role::Supervisor => "UPDATE teams SET supervisor = $1 WHERE id = $2",
        Role::BackupSupervisor => "UPDATE teams SET backup_supervisor = $1 WHERE id = $2",
    };
    tx.execute(sql, params![user_id, team_id])?;
    Ok(())
}

/// A team by its id (for the scheduler, which knows schedules by team id).
pub fn get(tx: &Tx, team_id: i64) -> Result<Option<Team>> {
    let row = tx.optional(
        "SELECT id, platform, platform_team_id, timezone, locale, weather_min_people, resources,
                quiet_hours, debrief_channel, debrief_lead_minutes, request_wait_minutes,
                coordinator, supervisor, backup_supervisor
         FROM teams WHERE id = $1",
        params![team_id],
        |r| TeamRow::read(r, 0),
    )?;
    row.map(TeamRow::into_team).transpose()
}
