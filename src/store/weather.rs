//! Team weather: counts of check-in colours per team and day, shown only as published figures
//! that change in batches of at least the team's threshold, so nobody's check-in can be seen
//! on its own — neither in the counts nor in how they change.
//!
//! While a day lasts, `weather_people` holds one row per colour added: a code, the colour, and
//! whether it was added or changed since the day's figures were last published. The code is
//! HMAC-SHA256 under a [`Key`] that lives only in this process's memory, over the team, the
//! day and the platform user id, so a second check-in moves the person's colour instead of
//! adding one — and nothing written to the database or disk can link a row to anyone. The
//! table keeps no row order (`WITHOUT ROWID`, ordered by code), so its rows do not say who
//! came first either. A new process has a new key: its rows carry their run's random number,
//! and the people behind a batch are counted within one run only, so a person hearth can no
//! longer recognise never makes up a group of the threshold. The rows go when the day ends;
//! what is left (`weather_counts`) is the day's last published figures, counts only.

use super::sql::params;
use super::{Result, StoreError, Tx};
use crate::colour::Colour;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The secret behind the day's codes, and the number of the run that holds it. Made at
/// random when hearth starts, never written anywhere, never printed.
pub struct Key {
    secret: [u8; 32],
    run: i64,
}

impl Key {
    pub fn random() -> Self {
        Self { secret: rand::random(), run: rand::random() }
    }

    /// The code that stands for a person in one team's day.
    fn code(&self, team_id: i64, day: NaiveDate, user_id: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .expect("HMAC takes keys of any length");
        mac.update(&team_id.to_le_bytes());
        mac.update(day.to_string().as_bytes());
        mac.update(user_id.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("weather::Key(…)")
    }
}

/// Adds (or moves) a person's colour in their team's weather for `day`, and publishes the
/// day's figures if at least `batch` people have added or changed a colour since they were
/// last published.
pub fn add(
    tx: &Tx,
    key: &Key,
    person: (i64, &str),
    day: NaiveDate,
    colour: Colour,
    batch: u32,
    now: DateTime<Utc>,
) -> Result<()> {
    let (team_id, user_id) = person;
    let code = key.code(team_id, day, user_id);
    let previous: Option<String> = tx.optional(
        "SELECT colour FROM weather_people WHERE team_id = $1 AND day = $2 AND code = $3",
        params![team_id, day, code],
        |r| r.get(0),
    )?;
    if previous.as_deref() == Some(colour.as_str()) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO weather_people (team_id, day, code, run, colour, pending)
         VALUES ($1, $2, $3, $4, $5, 1)
         ON CONFLICT (team_id, day, code) DO UPDATE SET colour = excluded.colour, pending = 1",
        params![team_id, day, code, key.run, colour.as_str()],
    )?;

    // People behind the changes since the last publication, counted within one run: across
    // runs the same person may have two rows, so only one run's rows are surely different people.
    let changed: i64 = tx.one(
        "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM weather_people
         WHERE team_id = $1 AND day = $2 AND pending = 1 GROUP BY run) AS per_run",
        params![team_id, day],
        |r| r.get(0),
    )?;
    if changed >= i64::from(batch) {
        publish(tx, team_id, day, now)?;
    }
    Ok(())
}

/// Replaces the day's published figures with the counts of every colour added that day.
fn publish(tx: &Tx, team_id: i64, day: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    for colour in Colour::ALL {
        tx.execute(
            "INSERT INTO weather_counts (team_id, day, colour, people, published_at)
             VALUES ($1, $2, $3, (SELECT count(*) FROM weather_people
                                  WHERE team_id = $1 AND day = $2 AND colour = $3), $4)
             ON CONFLICT (team_id, day, colour)
             DO UPDATE SET people = excluded.people, published_at = excluded.published_at",
            params![team_id, day, colour.as_str(), now],
        )?;
    }
    tx.execute(
        "UPDATE weather_people SET pending = 0 WHERE team_id = $1 AND day = $2",
        params![team_id, day],
    )?;
    Ok(())
}

/// Takes a person's colour out of their team's days not yet ended (when they erase their
/// data), if this run of hearth can still recognise it. Figures already published stay: they
/// are counts, never linked to anyone.
pub fn forget_person(tx: &Tx, key: &Key, team_id: i64, user_id: &str) -> Result<usize> {
    let days: Vec<NaiveDate> = tx.all(
        "SELECT DISTINCT day FROM weather_people WHERE team_id = $1",
        params![team_id],
        |r| r.get(0),
    )?;
    let mut forgotten = 0;
    for day in days {
        forgotten += tx.execute(
            "DELETE FROM weather_people WHERE team_id = $1 AND day = $2 AND code = $3",
            params![team_id, day, key.code(team_id, day, user_id)],
        )?;
    }
    Ok(forgotten)
}

/// Published counts per day and colour for `from..=to`, by day.
pub fn counts(
    tx: &Tx,
    team_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Colour, u32)>> {
    tx.all(
        "SELECT day, colour, people FROM weather_counts
         WHERE team_id = $1 AND day >= $2 AND day <= $3 AND people > 0 ORDER BY day, colour",
        params![team_id, from, to],
        |r| {
            let (day, colour, people) =
                (r.get::<NaiveDate>(0)?, r.get::<String>(1)?, r.get::<u32>(2)?);
            let colour = Colour::parse(&colour)
                .ok_or_else(|| StoreError::Corrupt(format!("weather colour {colour:?}")))?;
            Ok((day, colour, people))
        },
    )
}

/// When a day's figures were last published (`None`: never, or before hearth kept the time).
pub fn published_at(tx: &Tx, team_id: i64, day: NaiveDate) -> Result<Option<DateTime<Utc>>> {
    tx.one(
        "SELECT max(published_at) FROM weather_counts WHERE team_id = $1 AND day = $2",
        params![team_id, day],
        |r| r.get(0),
    )
}

/// Deletes the per-person rows of every team day that has ended in the team's own timezone,
/// and the time of its last publication: what stays is counts only. Returns the rows deleted.
pub fn forget_ended_days(tx: &Tx, now: DateTime<Utc>) -> Result<usize> {
    let teams: Vec<(i64, String)> = tx.all(
        "SELECT t.id, t.timezone FROM teams t WHERE t.id IN
         (SELECT team_id FROM weather_people
          UNION SELECT team_id FROM weather_counts WHERE published_at IS NOT NULL)",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut forgotten = 0;
    for (team_id, timezone) in teams {
        let tz: Tz = timezone
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("team {team_id}: timezone")))?;
        let today = now.with_timezone(&tz).date_naive();
        forgotten += tx.execute(
            "DELETE FROM weather_people WHERE team_id = $1 AND day < $2",
            params![team_id, today],
        )?;
        tx.execute(
            "UPDATE weather_counts SET published_at = NULL
             WHERE team_id = $1 AND day < $2 AND published_at IS NOT NULL",
            params![team_id, today],
        )?;
    }
    Ok(forgotten)
}

pub fn purge_before(tx: &Tx, before: NaiveDate) -> Result<usize> {
    tx.execute("DELETE FROM weather_counts WHERE day < $1", params![before])
}
