//! Topic requests for a community's next gathering (with votes) and its shared resources.
//! An anonymous topic is stored with no author and no time: nothing links it to anyone.
//! Topic numbers are drawn at random (see [`NUMBERS`]), never counted up, so neither a number
//! nor the order rows are stored in says when a topic was asked for, or next to whose.

use crate::store::sql::{Row, params};
use crate::store::{Result, StoreError, Tx};
use chrono::{DateTime, Utc};
use rand::Rng;
use std::collections::HashSet;
use std::ops::RangeInclusive;

/// The numbers topics are given, at random among those free: four digits, easy to type for
/// `/cop vote`, and the same for every topic whoever asked and whenever. A number is unique
/// among all waiting topics (they are forgotten at each gathering), so `/cop vote ID` needs no
/// community name.
pub const NUMBERS: RangeInclusive<i64> = 1000..=9999;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub id: i64,
    pub community_id: i64,
    /// The author's platform user id; `None` for an anonymous topic.
    pub author: Option<String>,
    pub text: String,
    pub votes: i64,
}

/// Adds a topic under a random free number, which it returns; `author` is `None` for an
/// anonymous one.
pub fn add(tx: &Tx, community_id: i64, author: Option<i64>, text: &str) -> Result<i64> {
    let taken: HashSet<i64> = tx
        .all(
            "SELECT id FROM community_topics WHERE id BETWEEN $1 AND $2",
            params![NUMBERS.start(), NUMBERS.end()],
            |r| r.get(0),
        )?
        .into_iter()
        .collect();
    let free = NUMBERS.end() - NUMBERS.start() + 1 - i64::try_from(taken.len()).unwrap_or(i64::MAX);
    if free <= 0 {
        // 9000 topics waiting across every community at once: far beyond what this is for.
        return Err(StoreError::Corrupt("no free topic number: every one is waiting".into()));
    }
    // Drawing again until a free number comes up picks uniformly among the free ones.
    let mut rng = rand::rng();
    let id = loop {
        let id = rng.random_range(NUMBERS);
        if !taken.contains(&id) {
            break id;
        }
    };
    tx.execute(
        "INSERT INTO community_topics (id, community_id, author_id, text) VALUES ($1, $2, $3, $4)",
        params![id, community_id, author, text],
    )?;
    Ok(id)
}

const SELECT: &str = "SELECT t.id, t.community_id, m.platform_user_id, t.text,
        (SELECT count(*) FROM community_topic_votes v WHERE v.topic_id = t.id)
    FROM community_topics t LEFT JOIN members m ON m.id = t.author_id";

fn topic(r: &Row<'_>) -> Result<Topic> {
    Ok(Topic {
        id: r.get(0)?,
        community_id: r.get(1)?,
        author: r.get(2)?,
        text: r.get(3)?,
        votes: r.get(4)?,
    })
}

/// A community's topics, most votes first, then by number (which says nothing of age).
pub fn of(tx: &Tx, community_id: i64) -> Result<Vec<Topic>> {
    let sql = format!("{SELECT} WHERE t.community_id = $1 ORDER BY 5 DESC, t.id");
    tx.all(&sql, params![community_id], topic)
}

pub fn get(tx: &Tx, id: i64) -> Result<Option<Topic>> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    tx.optional(&sql, params![id], topic)
}

/// One vote per person; says whether this one counted.
pub fn vote(tx: &Tx, topic_id: i64, member_id: i64) -> Result<bool> {
    Ok(tx.execute(
        "INSERT INTO community_topic_votes (topic_id, member_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        params![topic_id, member_id],
    )? > 0)
}

/// Forgets a community's topics once a gathering has taken them up.
pub fn clear(tx: &Tx, community_id: i64) -> Result<usize> {
    tx.execute("DELETE FROM community_topics WHERE community_id = $1", params![community_id])
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub id: i64,
    pub author: String,
    pub text: String,
    pub shared_at: DateTime<Utc>,
}

pub fn share(
    tx: &Tx,
    community_id: i64,
    author: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.one(
        "INSERT INTO community_resources (community_id, author_id, text, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
        params![community_id, author, text, now.timestamp_millis()],
        |r| r.get(0),
    )
}

/// A community's resources, oldest first.
pub fn resources(tx: &Tx, community_id: i64) -> Result<Vec<Resource>> {
    tx.all(
        "SELECT r.id, m.platform_user_id, r.text, r.created_at
         FROM community_resources r JOIN members m ON m.id = r.author_id
         WHERE r.community_id = $1 ORDER BY r.id",
        params![community_id],
        |r| {
            Ok(Resource {
                id: r.get(0)?,
                author: r.get(1)?,
                text: r.get(2)?,
                shared_at: DateTime::from_timestamp_millis(r.get(3)?).unwrap_or_default(),
            })
        },
    )
}

/// How many topics and resources a community has.
pub fn counts(tx: &Tx, community_id: i64) -> Result<(i64, i64)> {
    tx.one(
        "SELECT (SELECT count(*) FROM community_topics WHERE community_id = $1),
                (SELECT count(*) FROM community_resources WHERE community_id = $1)",
        params![community_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
