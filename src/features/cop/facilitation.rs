//! Facilitation: members who opt in take turns, whoever facilitated longest ago first; the
//! next gathering's facilitator is told privately in advance and can pass it on (`swap`);
//! stepping out of the rotation or leaving passes it on too.

use super::{local, privately, say};
use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::Tx;
use crate::store::communities::members::{self, CommunityMember};
use crate::store::communities::{self, Community};
use chrono::{DateTime, Utc};
use hearth_chat::Outbound;

/// The facilitation rotation: members who opted in, whoever facilitated least recently
/// first (those who never have before anyone), then in the order they joined.
pub fn rotation(members: &[CommunityMember]) -> Vec<&CommunityMember> {
    let mut rotation: Vec<_> = members.iter().filter(|m| m.facilitates).collect();
    // Stable: members come in the order they joined.
    rotation.sort_by_key(|m| (m.last_facilitated_at.is_some(), m.last_facilitated_at));
    rotation
}

/// The next gathering's facilitator: the one chosen, while still in the rotation; else the
/// head of the rotation (leaving out `except`), recorded. A newly chosen facilitator is told
/// privately, with the gathering's time, when there is a next gathering.
pub(super) fn assign(
    core: &Core,
    tx: &Tx,
    c: &Community,
    except: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Option<CommunityMember>, Vec<Outbound>)> {
    let roster = members::of(tx, c.id)?;
    let rotation = rotation(&roster);
    let current = rotation.iter().find(|m| Some(m.member_id) == c.facilitator_id);
    if let Some(current) = current.filter(|m| Some(m.member_id) != except) {
        return Ok((Some((*current).clone()), Vec::new()));
    }
    let chosen = rotation.into_iter().find(|m| Some(m.member_id) != except).cloned();
    communities::set_facilitator(tx, c.id, chosen.as_ref().map(|m| m.member_id))?;
    let notice = match &chosen {
        Some(f) => tell(core, tx, c, f, now)?,
        None => Vec::new(),
    };
    Ok((chosen, notice))
}

/// Tells the facilitator of the next gathering, privately, with its time (if there is one).
pub(super) fn tell(
    core: &Core,
    tx: &Tx,
    c: &Community,
    f: &CommunityMember,
    now: DateTime<Utc>,
) -> Result<Vec<Outbound>> {
    let Some(at) = c.next_after(now) else { return Ok(Vec::new()) };
    privately(core, tx, &[(f.team_id, f.user_id.clone())], |team| {
        vec![Part::Text(
            Line::new(k::COP_FACILITATOR_YOU)
                .arg("name", c.name.as_str())
                .arg("at", local(Some(at), team.timezone)),
        )]
    })
}

/// The facilitator of the next gathering stepped out: choose the next one, and tell them.
pub fn pass_on(core: &Core, tx: &Tx, c: &Community, now: DateTime<Utc>) -> Result<Vec<Outbound>> {
    Ok(assign(core, tx, c, c.facilitator_id, now)?.1)
}

pub(super) fn facilitator_parts(c: &Community, facilitator: Option<&CommunityMember>) -> Vec<Part> {
    match facilitator {
        Some(f) => vec![Part::Text(k::COP_FACILITATOR_IS.into()), Part::Person(f.user_id.clone())],
        None => vec![Part::Text(Line::new(k::COP_NO_FACILITATOR).arg("name", c.name.as_str()))],
    }
}

/// `/cop facilitate NAME on|off`: in or out of the rotation. Stepping out while chosen for
/// the next gathering passes it on.
pub fn facilitate(core: &Core, tx: &Tx, turn: &Turn, c: &Community, on: bool) -> Result<Reply> {
    let name = c.name.as_str();
    members::set_facilitates(tx, c.id, turn.member.id, on)?;
    let key = if on { k::COP_FACILITATE_ON } else { k::COP_FACILITATE_OFF };
    let mut reply = say(Line::new(key).arg("name", name))?;
    if on && c.facilitator_id.is_none() {
        // The rotation had nobody: someone now facilitates the next gathering (and hears).
        reply.elsewhere = assign(core, tx, c, None, turn.now)?.1;
    } else if !on && c.facilitator_id == Some(turn.member.id) {
        reply.elsewhere = pass_on(core, tx, c, turn.now)?;
    }
    Ok(reply)
}

/// `/cop swap NAME`: the next gathering's facilitator passes it to the next person in the
/// rotation, and comes up again after them.
pub fn swap(core: &Core, tx: &Tx, turn: &Turn, c: &Community) -> Result<Reply> {
    let name = c.name.as_str();
    if c.facilitator_id != Some(turn.member.id) {
        return say(Line::new(k::COP_SWAP_NOT_YOU).arg("name", name));
    }
    let roster = members::of(tx, c.id)?;
    if !rotation(&roster).iter().any(|m| m.member_id != turn.member.id) {
        return say(Line::new(k::COP_SWAP_NOBODY).arg("name", name));
    }
    let (chosen, notice) = assign(core, tx, c, Some(turn.member.id), turn.now)?;
    let mut parts = vec![Part::Text(Line::new(k::COP_SWAPPED).arg("name", name))];
    parts.extend(chosen.map(|m| Part::Person(m.user_id)));
    let mut reply = Reply::say(vec![Say::actor(parts)]);
    reply.elsewhere = notice;
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: i64, facilitates: bool, last: Option<i64>) -> CommunityMember {
        CommunityMember {
            member_id: id,
            team_id: 1,
            user_id: format!("m{id}"),
            facilitates,
            last_facilitated_at: last.map(|h| DateTime::from_timestamp(h * 3600, 0).unwrap()),
        }
    }

    #[test]
    fn the_rotation_takes_who_waited_longest_and_skips_who_opted_out() {
        let roster = [
            member(1, true, Some(5)),
            member(2, false, None),
            member(3, true, None),
            member(4, true, Some(2)),
        ];
        let order: Vec<i64> = rotation(&roster).iter().map(|m| m.member_id).collect();
        assert_eq!(order, [3, 4, 1]);
        assert!(rotation(&[member(1, false, None)]).is_empty());
    }
}
