//! Members: a platform user id within a team, and their preferences. Nothing else.

use super::{Conn, Result};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub team_id: i64,
    pub platform_user_id: String,
    /// Whether to keep a personal check-in history: `None` until they have been asked.
    pub keep_history: Option<bool>,
}

/// The member for a user in a team, created the first time they use hearth there.
pub async fn get_or_create(
    conn: &mut Conn,
    team_id: i64,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<Member> {
    sqlx::query(
        "INSERT INTO members (team_id, platform_user_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT (team_id, platform_user_id) DO NOTHING",
    )
    .bind(team_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_as(
        "SELECT id, team_id, platform_user_id, keep_history FROM members
         WHERE team_id = ? AND platform_user_id = ?",
    )
    .bind(team_id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Finds a teammate by user id, ignoring case (console names are typed by hand).
pub async fn find(conn: &mut Conn, team_id: i64, user_id: &str) -> Result<Option<Member>> {
    Ok(sqlx::query_as(
        "SELECT id, team_id, platform_user_id, keep_history FROM members
         WHERE team_id = ? AND lower(platform_user_id) = lower(?)
         ORDER BY platform_user_id = ? DESC LIMIT 1",
    )
    .bind(team_id)
    .bind(user_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn set_keep_history(conn: &mut Conn, member_id: i64, keep: bool) -> Result<()> {
    sqlx::query("UPDATE members SET keep_history = ? WHERE id = ?")
        .bind(keep)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(())
}
