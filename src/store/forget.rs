//! Forgetting a team: its row and everything that hangs off it (members, their history and
//! sessions, weather, requests, schedules and their runs, supervision, agendas, …), in one
//! transaction. The schema's `ON DELETE CASCADE` does the deleting; the plan counts what went
//! per table. Touches no other team's rows.

use super::plan::{self, Mode, Plan};
use super::{Result, Tx};
use hearth_chat::TeamRef;
use rusqlite::{OptionalExtension, params};

/// Deletes `team` and everything of it (or, in a dry run, only counts it). `None`: hearth
/// knows no such team.
pub fn team(tx: &Tx, team: &TeamRef, mode: Mode) -> Result<Option<Plan>> {
    let id: Option<i64> = tx
        .sql()
        .prepare_cached("SELECT id FROM teams WHERE platform = ?1 AND platform_team_id = ?2")?
        .query_row(params![team.platform.as_str(), team.id], |r| r.get(0))
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    let plan = plan::within(tx, mode, |tx, plan| {
        plan::step(tx, plan, "teams", "the team", "with the team", |c| {
            Ok(c.sql().prepare_cached("DELETE FROM teams WHERE id = ?1")?.execute(params![id])?)
        })
    })?;
    Ok(Some(plan))
}

/// Tables whose rows would outlive the deletion of their team: every table must either be
/// `teams` or reach it through `ON DELETE CASCADE` (directly or through members, series, …).
/// Empty when forgetting a team leaves nothing of it behind; checked by a test, so a new
/// table that forgets its cascade fails it.
pub fn tables_outliving_teams(tx: &Tx) -> Result<Vec<String>> {
    let covered = plan::cascades_from(tx, "teams")?;
    Ok(plan::tables(tx)?.into_iter().filter(|t| t != "teams" && !covered.contains(t)).collect())
}
