//! Sharding as Discord does it: which session each dispatch goes to, IDENTIFY's `shard` rules
//! (close codes 4010 and 4011), and what a test reads back about shards.
//!
//! A guild's events go to every session whose `[id, total]` has `id == (guild_id >> 22) %
//! total`; DMs and events of no guild go to shard 0. Each session routes by its own total, as on
//! Discord, so sessions that disagree on the total (mid-resharding, or a misconfiguration) get
//! some guilds twice and others not at all; Discord does not refuse that, and neither does the
//! fake.

use std::time::Duration;

use serde_json::{Value, json};

use crate::FakeDiscord;
use crate::error::FakeError;
use crate::state::{ConnCmd, Session, World};

/// Discord's own limit: a session that would hold more guilds is closed with 4011.
pub const MAX_GUILDS_PER_SHARD: usize = 2_500;

/// Close code: the IDENTIFY's shard is not valid (an id not below the total, a total of 0).
pub const INVALID_SHARD: u16 = 4010;
/// Close code: the session would hold too many guilds; the bot must shard (or use more shards).
pub const SHARDING_REQUIRED: u16 = 4011;

/// The shard of `total` that serves `guild_id`: `(guild_id >> 22) % total`.
pub fn shard_of(guild_id: u64, total: u64) -> u64 {
    (guild_id >> 22) % total.max(1)
}

/// One dispatch (op 0) as one session received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatched {
    /// The receiving session's shard id and total.
    pub shard: u64,
    pub total: u64,
    /// The receiving session's id.
    pub session: String,
    /// Its sequence number in that session.
    pub seq: u64,
    /// The event name (`READY`, `GUILD_CREATE`, `INTERACTION_CREATE`, …).
    pub event: String,
    /// The guild the event belongs to; `None` for DMs and events of no guild.
    pub guild_id: Option<u64>,
}

/// The guild an event belongs to, as Discord routes it: a guild object's own `id` for the
/// guild events, else `guild_id`.
fn guild_of(event: &str, data: &Value) -> Option<u64> {
    let key = match event {
        "GUILD_CREATE" | "GUILD_UPDATE" | "GUILD_DELETE" => "id",
        _ => "guild_id",
    };
    crate::rest::json_id(data.get(key))
}

impl Session {
    /// Whether this session receives the events of `guild` (`None`: DMs, shard 0).
    pub(crate) fn serves(&self, guild: Option<u64>) -> bool {
        let [id, total] = self.shard;
        match guild {
            Some(guild) => id == shard_of(guild, total),
            None => id == 0,
        }
    }
}

impl World {
    /// Sends a dispatch to every session that serves its guild (kept there for RESUME, sent on
    /// the live connection if any); returns the shard ids it reached, empty if none.
    pub(crate) fn dispatch_routed(&mut self, event: &str, data: Value) -> Vec<u64> {
        let guild = guild_of(event, &data);
        let reached: Vec<usize> = (0..self.gateway.sessions.len())
            .filter(|i| self.gateway.sessions[*i].serves(guild))
            .collect();
        for &index in &reached {
            self.send_in(index, event, data.clone(), guild);
        }
        reached.into_iter().map(|i| self.gateway.sessions[i].shard[0]).collect()
    }

    /// [`Self::dispatch_routed`]; whether any session received it.
    pub(crate) fn dispatch(&mut self, event: &str, data: Value) -> bool {
        !self.dispatch_routed(event, data).is_empty()
    }

    /// Sends a dispatch in one session (READY, RESUMED and whatever is routed there).
    pub(crate) fn send_in(&mut self, index: usize, event: &str, data: Value, guild: Option<u64>) {
        let Some(session) = self.gateway.sessions.get_mut(index) else { return };
        session.seq += 1;
        let seq = session.seq;
        let frame = json!({ "op": 0, "s": seq, "t": event, "d": data }).to_string();
        session.frames.push((seq, frame.clone()));
        if let Some((_, conn)) = &session.conn {
            // A closed connection is fine: the frame waits in the session for RESUME.
            let _ = conn.send(ConnCmd::Send(frame));
        }
        let record = Dispatched {
            shard: session.shard[0],
            total: session.shard[1],
            session: session.id.clone(),
            seq,
            event: event.to_owned(),
            guild_id: guild,
        };
        self.gateway.log.push(record);
    }

    /// Sends a non-dispatch frame to every live connection.
    pub(crate) fn send_raw(&self, frame: &str) {
        for (_, conn) in self.gateway.sessions.iter().filter_map(|s| s.conn.as_ref()) {
            let _ = conn.send(ConnCmd::Send(frame.to_owned()));
        }
    }

    /// The guilds a session with this shard would hold.
    pub(crate) fn guilds_of(&self, shard: [u64; 2]) -> Vec<u64> {
        self.guilds.keys().copied().filter(|g| shard_of(*g, shard[1]) == shard[0]).collect()
    }

    /// Whether some session serves `guild` (`None`: DMs).
    pub(crate) fn served(&self, guild: Option<u64>) -> bool {
        self.gateway.sessions.iter().any(|s| s.serves(guild))
    }
}

/// IDENTIFY's `shard` as Discord checks it: none is `[0, 1]`; anything but two numbers with
/// the id below a total of at least 1 is refused with [`INVALID_SHARD`].
pub(crate) fn identify_shard(data: &Value) -> Result<[u64; 2], u16> {
    let Some(shard) = data.get("shard") else { return Ok([0, 1]) };
    let pair = shard.as_array().map(|a| a.iter().map(Value::as_u64).collect::<Vec<_>>());
    match pair.as_deref() {
        Some(&[Some(id), Some(total)]) if total >= 1 && id < total => Ok([id, total]),
        _ => Err(INVALID_SHARD),
    }
}

/// IDENTIFY's `shard` as sent, for the record (numbers that are not are 0).
pub(crate) fn asked(data: &Value) -> [u64; 2] {
    let number = |i: usize| data.get("shard").and_then(|s| s.get(i)).and_then(Value::as_u64);
    [number(0).unwrap_or(0), number(1).unwrap_or(0)]
}

impl FakeDiscord {
    /// What `GET /gateway/bot` answers as `shards`, the count Discord recommends (default 1).
    pub fn set_recommended_shards(&self, shards: u64) {
        self.shared.with(|w| w.gateway.recommended_shards = shards);
    }

    /// The most guilds one session may hold (Discord's [`MAX_GUILDS_PER_SHARD`] by default);
    /// an IDENTIFY that would hold more is closed with [`SHARDING_REQUIRED`].
    pub fn set_max_guilds_per_shard(&self, guilds: usize) {
        self.shared.with(|w| w.gateway.max_guilds_per_shard = guilds);
    }

    /// Adds a guild (as [`Self::add_guild`]) whose id puts it on `shard` of `total`.
    pub fn add_guild_on_shard(&self, name: &str, shard: u64, total: u64) -> u64 {
        let id = self.shared.with(|w| w.next_id_on_shard(shard, total));
        self.insert_guild(id, name);
        id
    }

    /// The shards (`[id, total]`) of the sessions that have a live connection, sorted.
    pub fn connected_shards(&self) -> Vec<[u64; 2]> {
        self.shared.read(|w| {
            let live = w.gateway.sessions.iter().filter(|s| s.conn.is_some());
            let mut shards: Vec<[u64; 2]> = live.map(|s| s.shard).collect();
            shards.sort_unstable();
            shards
        })
    }

    /// Waits until sessions with these shard ids are all live (after IDENTIFY or RESUME).
    pub async fn wait_until_shards_connected(
        &self,
        shards: &[u64],
        timeout: Duration,
    ) -> Result<Vec<[u64; 2]>, FakeError> {
        let what = format!("live sessions for shards {shards:?}");
        self.wait_until(timeout, &what, |d| {
            let live = d.connected_shards();
            shards.iter().all(|id| live.iter().any(|s| s[0] == *id)).then_some(live)
        })
        .await
    }

    /// Every IDENTIFY's shard (`[0, 1]` for none), in order, with the close code it was
    /// refused with (`None`: accepted).
    pub fn identified_shards(&self) -> Vec<([u64; 2], Option<u16>)> {
        self.shared.read(|w| w.gateway.identified.clone())
    }

    /// Every dispatch each session received, in order, across sessions (READY, RESUMED and
    /// replays on RESUME not repeated): which shard got which event of which guild.
    pub fn dispatch_log(&self) -> Vec<Dispatched> {
        self.shared.read(|w| w.gateway.log.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(shard: [u64; 2]) -> Session {
        Session { id: String::new(), seq: 0, frames: Vec::new(), shard, intents: 0, conn: None }
    }

    #[test]
    fn every_guild_event_is_routed_by_its_guild_and_the_rest_to_shard_zero() {
        let guild = (7_u64 << 22) | 12_345; // shard 3 of 4, shard 1 of 2
        let id = json!(guild.to_string());
        for (event, data) in [
            ("GUILD_CREATE", json!({ "id": id })),
            ("GUILD_DELETE", json!({ "id": id, "unavailable": true })),
            ("INTERACTION_CREATE", json!({ "guild_id": id, "id": "1" })),
            ("MESSAGE_CREATE", json!({ "guild_id": id, "id": "1" })),
            ("GUILD_MEMBER_ADD", json!({ "guild_id": id })),
            ("GUILD_MEMBER_REMOVE", json!({ "guild_id": id })),
        ] {
            assert_eq!(guild_of(event, &data), Some(guild), "{event}");
        }
        assert_eq!(guild_of("MESSAGE_CREATE", &json!({ "id": "1" })), None, "a DM");
        assert_eq!(guild_of("INTERACTION_CREATE", &json!({ "id": "1" })), None, "a DM");

        let serving: Vec<[u64; 2]> = [[0, 4], [1, 4], [2, 4], [3, 4], [0, 2], [1, 2], [0, 1]]
            .into_iter()
            .filter(|s| session(*s).serves(Some(guild)))
            .collect();
        assert_eq!(serving, vec![[3, 4], [1, 2], [0, 1]]);
        assert!(session([0, 4]).serves(None) && !session([1, 4]).serves(None), "DMs: shard 0");
    }

    #[test]
    fn identify_shards_are_checked_as_discord_checks_them() {
        assert_eq!(identify_shard(&json!({})), Ok([0, 1]));
        assert_eq!(identify_shard(&json!({ "shard": [3, 4] })), Ok([3, 4]));
        for bad in [json!([4, 4]), json!([0, 0]), json!([1]), json!("0,1"), json!([-1, 2])] {
            assert_eq!(identify_shard(&json!({ "shard": bad })), Err(INVALID_SHARD), "{bad}");
        }
    }
}
