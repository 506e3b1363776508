//! Teams and their settings.

use super::{Conn, Result, StoreError};
use crate::config::TeamDefaults;
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
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    platform: String,
    platform_team_id: String,
    timezone: String,
    locale: String,
    weather_min_people: i64,
    resources: Option<String>,
}

impl TryFrom<Row> for Team {
    type Error = StoreError;

    fn try_from(row: Row) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("team {}: {what}", row.id));
        Ok(Team {
            id: row.id,
            platform: Platform::parse(&row.platform).ok_or_else(|| corrupt("platform"))?,
            timezone: row.timezone.parse().map_err(|_| corrupt("timezone"))?,
            weather_min_people: u32::try_from(row.weather_min_people)
                .map_err(|_| corrupt("weather_min_people"))?,
            platform_team_id: row.platform_team_id,
            locale: row.locale,
            resources: row.resources,
        })
    }
}

/// The team for a platform team id, created with the defaults the first time it is seen.
pub async fn get_or_create(
    conn: &mut Conn,
    team: &TeamRef,
    defaults: &TeamDefaults,
    now: DateTime<Utc>,
) -> Result<Team> {
    sqlx::query(
        "INSERT INTO teams (platform, platform_team_id, timezone, locale, weather_min_people, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, platform_team_id) DO NOTHING",
    )
    .bind(team.platform.as_str())
    .bind(&team.id)
    .bind(defaults.timezone.name())
    .bind(&defaults.locale)
    .bind(i64::from(defaults.weather_min_people))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let row: Row = sqlx::query_as(
        "SELECT id, platform, platform_team_id, timezone, locale, weather_min_people, resources
         FROM teams WHERE platform = ? AND platform_team_id = ?",
    )
    .bind(team.platform.as_str())
    .bind(&team.id)
    .fetch_one(&mut *conn)
    .await?;
    row.try_into()
}

pub async fn set_timezone(conn: &mut Conn, team_id: i64, tz: Tz) -> Result<()> {
    sqlx::query("UPDATE teams SET timezone = ? WHERE id = ?")
        .bind(tz.name())
        .bind(team_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_weather_min_people(conn: &mut Conn, team_id: i64, people: u32) -> Result<()> {
    sqlx::query("UPDATE teams SET weather_min_people = ? WHERE id = ?")
        .bind(i64::from(people))
        .bind(team_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_resources(conn: &mut Conn, team_id: i64, resources: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE teams SET resources = ? WHERE id = ?")
        .bind(resources)
        .bind(team_id)
        .execute(conn)
        .await?;
    Ok(())
}
