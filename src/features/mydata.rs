//! `/mydata`: what hearth holds about me. `export` sends all of it, privately, as a JSON
//! file; `delete` says what erasing means, asks once, and then erases all of it in the step's
//! transaction (`erase`). Both cover every team the person is in on this platform.

use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::engine::{self, render_for};
use crate::error::{CoreError, Result};
use crate::flows::{FlowState, Line, Part, Say, erase as flow};
use crate::prompts::keys as k;
use crate::store::{Tx, communities, members, mydata, supervision, teams};

pub fn run(core: &Core, tx: &Tx, turn: &Turn, sub: &str) -> Result<Reply> {
    match sub {
        "export" => export(tx, turn),
        "delete" => engine::start(core, tx, turn, flow::start().map(FlowState::Erase)),
        _ => Ok(Reply::say(vec![Say::text(k::MYDATA_HOW)])),
    }
}

fn export(tx: &Tx, turn: &Turn) -> Result<Reply> {
    if turn.member.is_new {
        members::remove_new(tx, turn.member.id)?;
    }
    let platform = turn.team.platform;
    let data = mydata::export(tx, platform, &turn.member.platform_user_id, turn.now)?;
    let teams = data["teams"].as_array().map_or(0, Vec::len);
    if teams == 0 {
        return Ok(Reply::say(vec![Say::text(k::MYDATA_NOTHING)]));
    }
    let bytes = serde_json::to_vec_pretty(&data)
        .map_err(|source| CoreError::Json { what: "an export", source })?;
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Text(Line::new(k::MYDATA_EXPORT_HERE).arg("teams", teams)),
        Part::File { name: "hearth-my-data.json".into(), mime: "application/json", bytes },
    ])]))
}

/// Erases everything linked to the actor on this platform: supervision series they are in end
/// (their other participants are told), communities they were in pass the facilitation on or
/// close if empty, then their member rows and all that hangs off them go.
pub fn erase(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    let (platform, me) = (turn.team.platform, turn.member.platform_user_id.as_str());
    let mut reply = Reply::default();
    for (team_id, series_id) in mydata::series_of(tx, platform, me)? {
        let (Some(series), Some(team)) =
            (supervision::get(tx, series_id, turn.now)?, teams::get(tx, team_id)?)
        else {
            continue;
        };
        let notices = super::supervision::end(tx, &series, me, turn.now)?;
        if team_id == turn.team.id {
            reply.says.extend(notices);
        } else {
            reply.elsewhere.extend(render_for(core, &team, notices, None));
        }
    }
    let communities: Vec<i64> = communities::of_person(tx, platform, me)?;
    let plan = mydata::erase(tx, &core.weather_key, platform, me)?;
    reply.elsewhere.extend(super::cop::after_erase(core, tx, &communities, turn.now)?);
    reply.says.insert(
        0,
        Say::line(
            Line::new(k::MYDATA_ERASED)
                .arg("rows", i64::try_from(plan.total()).unwrap_or(i64::MAX)),
        ),
    );
    reply.schedules_changed = true;
    tracing::info!(team = turn.team.id, rows = plan.total(), "a person's data was erased");
    Ok(reply)
}
