//! The one table of scheduled messages: what each payload's occurrence says, and where, put
//! together by the feature it belongs to. The scheduler claims and delivers; the words and
//! the choices are here.

use super::{agenda, breaks, cop, debrief, shift, supervision};
use crate::context::Core;
use crate::engine;
use crate::error::Result;
use crate::flows::{Audience, FlowState, Line, Part, Say};
use crate::prompts::keys as k;
use crate::schedule::Payload;
use crate::store::schedules::Due;
use crate::store::{Tx, sessions, teams};
use chrono::{DateTime, Duration, Utc};
use hearth_chat::Outbound;

/// What an occurrence says, and where, prepared in the tick's transaction (a request's
/// timeout closes the request there too).
pub fn scheduled(core: &Core, tx: &Tx, due: &Due, now: DateTime<Utc>) -> Result<Vec<Outbound>> {
    let Some(team) = due.team_id().map(|id| teams::get(tx, id)).transpose()?.flatten() else {
        return Ok(Vec::new());
    };
    let member = due.team.as_ref().and_then(|t| t.member.clone());
    let to_member = |key| member.clone().map(|m| Say::person(m, vec![Part::Text(Line::new(key))]));
    let says = match &due.payload {
        Payload::ShiftNudge { channel } => vec![Say {
            audience: Audience::Channel { id: channel.clone() },
            ..Say::text(k::SHIFT_NUDGE)
        }],
        Payload::TeamDebrief { channel, .. } => {
            let date = now.with_timezone(&team.timezone).format("%Y-%m-%d").to_string();
            vec![Say {
                audience: Audience::NewThread {
                    channel: channel.clone(),
                    title: Line::new(k::TEAM_DEBRIEF_TITLE).arg("date", date),
                },
                ..Say::actor(vec![
                    Part::Heading(k::TEAM_DEBRIEF_HEADING.into()),
                    Part::Text(k::TEAM_DEBRIEF_INTRO.into()),
                    Part::List(vec![
                        k::TEAM_DEBRIEF_OK.into(),
                        k::TEAM_DEBRIEF_WELL.into(),
                        k::TEAM_DEBRIEF_HARD.into(),
                        k::TEAM_DEBRIEF_NEED.into(),
                        k::TEAM_DEBRIEF_HANDOVER.into(),
                    ]),
                    Part::Text(k::TEAM_DEBRIEF_CLOSE.into()),
                ])
            }]
        }
        Payload::PersonalShift => {
            let mut says: Vec<Say> = to_member(k::PERSONAL_SHIFT_NUDGE).into_iter().collect();
            // A shift starting is a moment for the one invitation to take debrief requests.
            if let (Some(say), Some(member_id)) =
                (says.first_mut(), due.team.as_ref().and_then(|t| t.member_id))
            {
                say.parts.extend(shift::invite_available(tx, member_id, now)?.map(Part::Text));
            }
            says
        }
        Payload::CheckOnMe => to_member(k::CHECK_ON_ME_NUDGE).into_iter().collect(),
        Payload::RequestTimeout { request_id } => debrief::expire(tx, &team, *request_id, now)?,
        Payload::BreakEnd => {
            // The break's buttons go stale with it.
            if let Some(member_id) = due.team.as_ref().and_then(|t| t.member_id) {
                end_break_conversation(tx, member_id)?;
            }
            to_member(k::BREAK_WELCOME_BACK).into_iter().collect()
        }
        Payload::SupervisionGaps => {
            let horizon = Duration::days(core.config.supervision.gap_horizon_days.into());
            supervision::gaps(tx, &team, horizon, now)?
        }
        Payload::SupervisionReminder { series, lead_minutes } => {
            agenda::remind(tx, &team, *series, *lead_minutes, due.key.due_at)?
        }
        Payload::CommunityReminder { community, lead_minutes } => {
            return cop::remind(core, tx, *community, *lead_minutes, due.key.due_at);
        }
        Payload::CommunityGathering { community } => {
            return cop::gather(core, tx, *community, due.key.due_at);
        }
        Payload::BreakNudge => match (due.team.as_ref().and_then(|t| t.member_id), &member) {
            (Some(member_id), Some(user_id)) => {
                breaks::nudge(core, tx, &team, member_id, user_id, now)?
            }
            _ => Vec::new(),
        },
        Payload::Housekeeping => Vec::new(),
    };
    Ok(engine::render_for(core, &team, says, None))
}

/// Closes the member's conversation if it is a break's.
fn end_break_conversation(tx: &Tx, member_id: i64) -> Result<()> {
    let Some(open) = sessions::load(tx, member_id)? else { return Ok(()) };
    if matches!(serde_json::from_str(&open.state), Ok(FlowState::Break(_))) {
        sessions::delete(tx, member_id)?;
    }
    Ok(())
}
