//! Everything linked to one person on one platform: their member row in each team there, what
//! hangs off it, and the rows that name their platform user id (team roles, supervision,
//! action owners). Gathered for `/mydata export`; erased for `/mydata delete`. Rows that were
//! never linked to anyone (anonymous topics, weather counts) are neither.

use super::plan::{self, Mode, Plan};
use super::sql::{Any, Param, params};
use super::{Result, Tx, weather};
use chrono::{DateTime, Utc};
use hearth_chat::Platform;
use serde_json::{Map, Value, json};

/// A person's member rows: `(member id, team id, the team's platform id)`.
fn memberships(tx: &Tx, platform: Platform, user_id: &str) -> Result<Vec<(i64, i64, String)>> {
    tx.all(
        "SELECT m.id, t.id, t.platform_team_id FROM members m JOIN teams t ON t.id = m.team_id
         WHERE t.platform = $1 AND m.platform_user_id = $2 ORDER BY t.id",
        params![platform.as_str(), user_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Whether a column holds a time (by the schema's naming: `…_at`, `…_until`, `…_after`,
/// runs).
fn is_time(column: &str) -> bool {
    ["_at", "_until", "_after", "_run"].iter().any(|end| column.ends_with(end))
}

/// Rows of a query as JSON objects named by their columns, times as UTC RFC 3339 text.
fn rows(tx: &Tx, sql: &str, params: &[&dyn Param]) -> Result<Value> {
    let all = tx.all(sql, params, |r| {
        let mut object = Map::new();
        for i in 0..r.len() {
            let name = r.name(i)?;
            let value = match r.any(i)? {
                Any::Null => Value::Null,
                // Times kept as Unix milliseconds read as the others do: UTC, RFC 3339.
                Any::Int(n) if is_time(name) => {
                    DateTime::from_timestamp_millis(n).map_or(json!(n), |t| json!(t.to_rfc3339()))
                }
                Any::Int(n) => json!(n),
                Any::Real(x) => json!(x),
                Any::Text(t) => json!(t),
                // No table linked to a person holds bytes: nothing to export.
                Any::Blob(_) => Value::Null,
            };
            object.insert(name.to_owned(), value);
        }
        Ok(Value::Object(object))
    })?;
    Ok(Value::Array(all))
}

/// Which conversation a session row is in: the `flow` of its saved state, and nothing else
/// of it.
fn flow_of(state: &Value) -> Value {
    let state = state.as_str().and_then(|s| serde_json::from_str::<Value>(s).ok());
    state.and_then(|s| s.get("flow").cloned()).unwrap_or(Value::Null)
}

/// How an export section finds the person's rows.
#[derive(Clone, Copy)]
enum By {
    Member(i64),
    Team(i64),
}

/// What hearth holds about the person, by team: an empty `teams` list when nothing.
pub fn export(tx: &Tx, platform: Platform, user_id: &str, now: DateTime<Utc>) -> Result<Value> {
    let mut teams = Vec::new();
    for (member, team, team_ref) in memberships(tx, platform, user_id)? {
        let mut t = Map::new();
        t.insert("team".into(), json!(team_ref));
        let me = rows(
            tx,
            "SELECT created_at AS member_since, keep_history, available, available_until,
                    available_invited, shift_until, capacity_low, last_break_at, break_nudge_minutes,
                    break_nudges_sent, break_nudge_shift, break_nudge_after
             FROM members WHERE id = $1",
            params![member],
        )?;
        t.insert("member".into(), me.get(0).cloned().unwrap_or(Value::Null));
        // Each section is read by the member row (`$1`), or by the team (`$1`) and the
        // person's platform id (`$2`) where rows name people that way.
        let (by_member, by_team) = (By::Member(member), By::Team(team));
        let sections: [(&str, &'static str, By); 14] = [
            (
                "roles",
                "SELECT 'coordinator' AS role FROM teams WHERE id = $1 AND coordinator = $2
                 UNION ALL SELECT 'supervisor' FROM teams WHERE id = $1 AND supervisor = $2
                 UNION ALL SELECT 'backup supervisor' FROM teams
                     WHERE id = $1 AND backup_supervisor = $2",
                by_team,
            ),
            (
                "checkin_history",
                "SELECT at, colour FROM checkin_history WHERE member_id = $1 ORDER BY at",
                by_member,
            ),
            (
                "conversation_in_progress",
                "SELECT state AS flow, expires_at FROM flow_sessions WHERE member_id = $1",
                by_member,
            ),
            (
                "debrief_requests_open",
                "SELECT id, CASE WHEN requester_id = $1 THEN 'asked for it' ELSE 'asked by name' END
                        AS you, show_name, tell_supervisor, created_at
                 FROM debrief_requests WHERE requester_id = $1 OR target_id = $1",
                by_member,
            ),
            (
                "schedules",
                "SELECT kind, pattern, timezone, next_run, last_run FROM schedules
                 WHERE member_id = $1 ORDER BY id",
                by_member,
            ),
            (
                "breaks_seen",
                "SELECT item, seen_at FROM break_seen WHERE member_id = $1 ORDER BY seen_at",
                by_member,
            ),
            (
                "supervision",
                "SELECT id AS series, pattern, once_at, timezone, style,
                        CASE WHEN supervisor = $2 THEN 'supervisor' ELSE 'supervisee' END AS you
                 FROM supervision_series WHERE team_id = $1 AND (supervisor = $2 OR supervisee = $2)",
                by_team,
            ),
            (
                "agenda_items_written",
                "SELECT id, series_id AS series, kind, text, private, owner, status, due,
                        session_at, created_at, closed_at, series_ended_at
                 FROM agenda_items WHERE author_id = $1 ORDER BY id",
                by_member,
            ),
            (
                "actions_owned",
                "SELECT i.id, i.series_id AS series, i.text, i.status, i.due FROM agenda_items i
                 WHERE i.owner = $2 AND (i.series_id IN
                         (SELECT id FROM supervision_series WHERE team_id = $1)
                     OR i.author_id IN (SELECT id FROM members WHERE team_id = $1))
                 ORDER BY i.id",
                by_team,
            ),
            (
                "agenda_votes",
                "SELECT item_id AS item FROM agenda_votes WHERE member_id = $1 ORDER BY item_id",
                by_member,
            ),
            (
                "communities",
                "SELECT c.name, cm.joined_at, cm.facilitates, cm.last_facilitated_at,
                        c.created_by = $1 AS created_it, c.facilitator_id = $1 AS facilitates_next
                 FROM community_members cm JOIN communities c ON c.id = cm.community_id
                 WHERE cm.member_id = $1 ORDER BY c.name",
                by_member,
            ),
            (
                "community_topics",
                "SELECT t.id, c.name AS community, t.text FROM community_topics t
                 JOIN communities c ON c.id = t.community_id WHERE t.author_id = $1 ORDER BY t.id",
                by_member,
            ),
            (
                "community_topic_votes",
                "SELECT topic_id AS topic FROM community_topic_votes WHERE member_id = $1
                 ORDER BY topic_id",
                by_member,
            ),
            (
                "community_resources",
                "SELECT r.id, c.name AS community, r.text, r.created_at FROM community_resources r
                 JOIN communities c ON c.id = r.community_id WHERE r.author_id = $1 ORDER BY r.id",
                by_member,
            ),
        ];
        for (name, sql, by) in sections {
            let mut value = match by {
                By::Member(member) => rows(tx, sql, params![member])?,
                By::Team(team) => rows(tx, sql, params![team, user_id])?,
            };
            if name == "conversation_in_progress" {
                for row in value.as_array_mut().into_iter().flatten() {
                    row["flow"] = flow_of(&row["flow"]);
                }
            }
            t.insert(name.into(), value);
        }
        teams.push(Value::Object(t));
    }
    Ok(json!({
        "platform": platform.as_str(),
        "user_id": user_id,
        "exported_at": now.to_rfc3339(),
        "teams": teams,
    }))
}

/// Supervision series a person takes part in by platform id, on a platform: `(team, series)`.
/// Erasing them is the command layer's (it tells the other participants).
pub fn series_of(tx: &Tx, platform: Platform, user_id: &str) -> Result<Vec<(i64, i64)>> {
    tx.all(
        "SELECT s.team_id, s.id FROM supervision_series s JOIN teams t ON t.id = s.team_id
         WHERE t.platform = $1 AND (s.supervisor = $2 OR s.supervisee = $2) ORDER BY s.id",
        params![platform.as_str(), user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Erases the person: their member rows (and with them, by `ON DELETE CASCADE`, everything
/// written by or about them), their colour in today's weather if `weather_key` (this run's)
/// still recognises it (published counts stay), and their platform id
/// wherever a row names it — team roles, owners of actions. Supervision series they are in
/// must be ended first ([`series_of`]). Returns what went, per table.
pub fn erase(
    tx: &Tx,
    weather_key: &weather::Key,
    platform: Platform,
    user_id: &str,
) -> Result<Plan> {
    let memberships = memberships(tx, platform, user_id)?;
    plan::within(tx, Mode::Apply, |tx, plan| {
        for (member, team, _) in &memberships {
            let (member, team) = (*member, *team);
            plan.add(
                "weather_people",
                weather::forget_person(tx, weather_key, team, user_id)?,
                "your colour today",
            );
            let mut cleared = 0;
            for role in [
                "UPDATE teams SET coordinator = NULL WHERE id = $1 AND coordinator = $2",
                "UPDATE teams SET supervisor = NULL WHERE id = $1 AND supervisor = $2",
                "UPDATE teams SET backup_supervisor = NULL WHERE id = $1 AND backup_supervisor = $2",
            ] {
                cleared += tx.execute(role, params![team, user_id])?;
            }
            plan.add("teams", cleared, "your roles in the team (cleared)");
            let owned = tx.execute(
                "UPDATE agenda_items SET owner = NULL WHERE owner = $2
                 AND (series_id IN (SELECT id FROM supervision_series WHERE team_id = $1)
                     OR author_id IN (SELECT id FROM members WHERE team_id = $1))",
                params![team, user_id],
            )?;
            plan.add("agenda_items", owned, "actions you owned (owner cleared)");
            plan::step(tx, plan, "members", "you", "with you", |c| {
                c.execute("DELETE FROM members WHERE id = $1", params![member])
            })?;
        }
        Ok(())
    })
}
