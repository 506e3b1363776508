//! Occurrences a stopped process claimed and never finished: taken over, by one caller only,
//! to be delivered again within their grace period, or recorded as failed after it.

use super::{Due, RunKey, RunStatus, due_team, finish, from_ms, ms, served_params};
use crate::schedule::Payload;
use crate::store::sql::params;
use crate::store::{Result, Tx};
use chrono::{DateTime, Utc};
use hearth_chat::Platform;

/// Occurrences claimed but never finished (a hearth stopped mid-delivery), claimed before
/// `claimed_before`, of the platforms in `served` (and hearth's own if `own`): taken over by
/// this caller, so that of several processes only one delivers each. Those still within their
/// grace period are returned to be delivered again; older ones are marked failed.
pub fn unfinished(
    tx: &Tx,
    now: DateTime<Utc>,
    claimed_before: DateTime<Utc>,
    served: &[Platform],
    own: bool,
) -> Result<Vec<Due>> {
    let [a, b, c] = served_params(served);
    let keys: Vec<(i64, i64)> = tx.all(
        "UPDATE schedule_runs SET updated_at = $1
         WHERE status = 'claimed' AND updated_at < $2 AND EXISTS (
             SELECT 1 FROM schedules s LEFT JOIN teams t ON t.id = s.team_id
             WHERE s.id = schedule_runs.schedule_id
               AND ((s.team_id IS NULL AND $6 = 1) OR t.platform IN ($3, $4, $5)))
         RETURNING schedule_id, due_at",
        params![ms(now), ms(claimed_before), a, b, c, own],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut again = Vec::new();
    for (schedule_id, due_ms) in keys {
        let row = tx.optional(
            "SELECT s.payload, t.platform, t.platform_team_id, t.locale, s.team_id,
                    m.platform_user_id, s.member_id
             FROM schedules s
             LEFT JOIN teams t ON t.id = s.team_id
             LEFT JOIN members m ON m.id = s.member_id
             WHERE s.id = $1",
            params![schedule_id],
            |r| {
                let payload: String = r.get(0)?;
                let member = r.get::<Option<i64>>(6)?.zip(r.get::<Option<String>>(5)?);
                Ok((payload, due_team(r.get(4)?, r.get(1)?, r.get(2)?, r.get(3)?, member)))
            },
        )?;
        let due_at = from_ms(due_ms)?;
        let key = RunKey { schedule_id, due_at };
        match row.map(|(payload, team)| (serde_json::from_str::<Payload>(&payload), team)) {
            Some((Ok(payload), team)) if now - key.due_at <= payload.grace() => {
                again.push(Due { key, payload, status: RunStatus::Claimed, team });
            }
            _ => finish(tx, key, RunStatus::Failed, 0, Some("interrupted"), now)?,
        }
    }
    again.sort_by_key(|due| due.key.due_at);
    Ok(again)
}

#[cfg(test)]
mod tests {
    use crate::schedule::{Payload, When};
    use crate::store::postgres::Backend;
    use crate::store::postgres::tests::schema;
    use crate::store::schedules::{self, EVERY_PLATFORM as EVERY, NewSchedule};
    use chrono::DateTime;

    #[tokio::test]
    async fn an_occurrence_a_stopped_process_claimed_is_taken_over_by_one_process_only() {
        let Some(url) = schema().await else { return };
        let (a, b) = (
            Backend::connect(&url, None).await.unwrap(),
            Backend::connect(&url, None).await.unwrap(),
        );
        let t0 = DateTime::from_timestamp(1_765_000_000, 0).unwrap();
        let at = move |seconds: i64| t0 + chrono::Duration::seconds(seconds);
        let new = NewSchedule {
            team_id: None,
            member_id: None,
            payload: Payload::CheckOnMe,
            when: When::Once(at(1)),
            timezone: chrono_tz::UTC,
        };
        a.run(move |tx| schedules::insert(tx, &new, at(0))).await.unwrap();
        let claimed = a.run(move |tx| schedules::claim_due(tx, at(2), 10, EVERY)).await.unwrap();
        assert_eq!(claimed.len(), 1);
        let again = b.run(move |tx| schedules::claim_due(tx, at(3), 10, EVERY)).await.unwrap();
        assert!(again.is_empty(), "claimed twice");
        // The claim is a living process's business until it is older than the lease.
        let early =
            b.run(move |tx| schedules::unfinished(tx, at(3), at(1), EVERY, true)).await.unwrap();
        assert!(early.is_empty());
        let (x, y) = tokio::join!(
            a.run(move |tx| schedules::unfinished(tx, at(40), at(10), EVERY, true)),
            b.run(move |tx| schedules::unfinished(tx, at(40), at(10), EVERY, true)),
        );
        let taken = x.unwrap().len() + y.unwrap().len();
        assert_eq!(taken, 1, "taken over by exactly one of the two");
    }
}
