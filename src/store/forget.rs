//! Forgetting a team: its row and everything that hangs off it (members, their history and
//! sessions, weather, requests, schedules and their runs, supervision, agendas, …), in one
//! transaction. The schema's `ON DELETE CASCADE` does the deleting; the plan counts what went
//! per table. Touches no other team's rows.

use super::plan::{self, Mode, Plan};
use super::sql::params;
use super::{Result, Tx};
use hearth_chat::TeamRef;

/// Deletes `team` and everything of it (or, in a dry run, only counts it). `None`: hearth
/// knows no such team.
pub fn team(tx: &Tx, team: &TeamRef, mode: Mode) -> Result<Option<Plan>> {
    let id: Option<i64> = tx.optional(
        "SELECT id FROM teams WHERE platform = $1 AND platform_team_id = $2",
        params![team.platform.as_str(), team.id],
        |r| r.get(0),
    )?;
    let Some(id) = id else { return Ok(None) };
    let plan = plan::within(tx, mode, |tx, plan| {
        plan::step(tx, plan, "teams", "the team", "with the team", |c| {
            c.execute("DELETE FROM teams WHERE id = $1", params![id])
        })
    })?;
    Ok(Some(plan))
}

/// Tables whose rows would outlive the deletion of their team: every table must either be
/// `teams` or reach it through `ON DELETE CASCADE` (directly or through members, series, …).
/// Empty when forgetting a team leaves nothing of it behind; checked by a test (and the
/// inventory's cascades against the schema by another), so a new table that forgets its
/// cascade fails it.
pub fn tables_outliving_teams() -> Vec<String> {
    let covered = plan::cascades_from("teams");
    plan::tables().into_iter().filter(|t| t != "teams" && !covered.contains(t)).collect()
}
