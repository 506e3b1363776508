//! Who belongs to a community, on which team, and their place in its facilitation rotation.

use crate::store::sql::params;
use crate::store::{Result, Tx};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommunityMember {
    pub member_id: i64,
    pub team_id: i64,
    pub user_id: String,
    pub facilitates: bool,
    pub last_facilitated_at: Option<DateTime<Utc>>,
}

/// A community's members, in the order they joined.
pub fn of(tx: &Tx, community_id: i64) -> Result<Vec<CommunityMember>> {
    tx.all(
        "SELECT cm.member_id, m.team_id, m.platform_user_id, cm.facilitates, cm.last_facilitated_at
         FROM community_members cm JOIN members m ON m.id = cm.member_id
         WHERE cm.community_id = $1 ORDER BY cm.joined_at, cm.member_id",
        params![community_id],
        |r| {
            Ok(CommunityMember {
                member_id: r.get(0)?,
                team_id: r.get(1)?,
                user_id: r.get(2)?,
                facilitates: r.get(3)?,
                last_facilitated_at: r
                    .get::<Option<i64>>(4)?
                    .and_then(DateTime::from_timestamp_millis),
            })
        },
    )
}

/// Adds a member; says whether they were not one already.
pub fn join(tx: &Tx, community_id: i64, member_id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(tx.execute(
        "INSERT INTO community_members (community_id, member_id, joined_at)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        params![community_id, member_id, now.timestamp_millis()],
    )? > 0)
}

/// Removes a member; says whether they were one.
pub fn leave(tx: &Tx, community_id: i64, member_id: i64) -> Result<bool> {
    Ok(tx.execute(
        "DELETE FROM community_members WHERE community_id = $1 AND member_id = $2",
        params![community_id, member_id],
    )? > 0)
}

pub fn is_member(tx: &Tx, community_id: i64, member_id: i64) -> Result<bool> {
    let found: i64 = tx.one(
        "SELECT count(*) FROM community_members WHERE community_id = $1 AND member_id = $2",
        params![community_id, member_id],
        |r| r.get(0),
    )?;
    Ok(found > 0)
}

/// Puts a member in or out of the facilitation rotation; says whether that changed anything.
pub fn set_facilitates(tx: &Tx, community_id: i64, member_id: i64, on: bool) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE community_members SET facilitates = $1
             WHERE community_id = $2 AND member_id = $3 AND facilitates != $1",
        params![on, community_id, member_id],
    )? > 0)
}

pub fn set_facilitated(
    tx: &Tx,
    community_id: i64,
    member_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE community_members SET last_facilitated_at = $1
         WHERE community_id = $2 AND member_id = $3",
        params![at.timestamp_millis(), community_id, member_id],
    )?;
    Ok(())
}

/// Removes the members who are not on `team_id` (a community no longer open); returns them.
pub fn remove_other_teams(
    tx: &Tx,
    community_id: i64,
    team_id: i64,
) -> Result<Vec<CommunityMember>> {
    let others: Vec<_> =
        of(tx, community_id)?.into_iter().filter(|m| m.team_id != team_id).collect();
    for member in &others {
        leave(tx, community_id, member.member_id)?;
    }
    Ok(others)
}
