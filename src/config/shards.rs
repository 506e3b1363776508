//! `[discord] shards`: which of the bot's Discord shards this process serves, as an inclusive
//! range (`"0-1"`) or one shard (`2`), parsed once so the rest of hearth takes a valid range.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An inclusive range of shard ids, first ≤ last. Whether it fits `shard_total` is checked
/// with the rest of the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardRange {
    first: u32,
    last: u32,
}

impl ShardRange {
    pub fn new(first: u32, last: u32) -> Option<Self> {
        (first <= last).then_some(Self { first, last })
    }

    pub fn first(self) -> u32 {
        self.first
    }

    pub fn last(self) -> u32 {
        self.last
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// Why a shard range did not parse; the message is shown as the configuration error.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0:?} is not a range of shards: write one shard (\"2\") or the first and last, lowest first (\"0-1\")"
)]
pub struct ShardRangeError(String);

impl FromStr for ShardRange {
    type Err = ShardRangeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = || ShardRangeError(text.to_owned());
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| fail());
        let (first, last) = match text.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => (number(text)?, number(text)?),
        };
        Self::new(first, last).ok_or_else(fail)
    }
}

impl Serialize for ShardRange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A string (`"0-1"`, `"2"`) or, as TOML and `HEARTH_DISCORD__SHARDS=2` give it, a number.
impl<'de> Deserialize<'de> for ShardRange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Range;
        impl Visitor<'_> for Range {
            type Value = ShardRange;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a shard (2) or an inclusive range of shards (\"0-1\")")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<ShardRange, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<ShardRange, E> {
                let id = u32::try_from(n).map_err(|_| E::custom(ShardRangeError(n.to_string())))?;
                Ok(ShardRange { first: id, last: id })
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<ShardRange, E> {
                let id = u64::try_from(n).map_err(|_| E::custom(ShardRangeError(n.to_string())))?;
                self.visit_u64(id)
            }
        }
        deserializer.deserialize_any(Range)
    }
}

/// Whether `shards` and `shard_total` make sense together; the message names what is wrong.
pub(super) fn check(shards: Option<ShardRange>, total: Option<u32>) -> Result<(), &'static str> {
    match (shards, total) {
        (None, None) => Ok(()),
        (Some(_), None) | (None, Some(_)) => Err(
            "shards and shard_total go together: set both (shards = \"0-1\", shard_total = 4), or neither",
        ),
        (Some(_), Some(0)) => Err("shard_total must be at least 1"),
        (Some(range), Some(total)) if range.last() >= total => {
            Err("shards must lie within shard_total: shards are numbered from 0 to shard_total - 1")
        }
        (Some(_), Some(_)) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ConfigError};
    use std::path::Path;

    #[test]
    fn ranges_and_single_shards_parse_and_print_back() {
        assert_eq!("0-1".parse::<ShardRange>().unwrap(), ShardRange::new(0, 1).unwrap());
        assert_eq!(" 2 - 3 ".parse::<ShardRange>().unwrap(), ShardRange::new(2, 3).unwrap());
        assert_eq!("2".parse::<ShardRange>().unwrap(), ShardRange::new(2, 2).unwrap());
        assert_eq!(ShardRange::new(0, 1).unwrap().to_string(), "0-1");
        assert_eq!(ShardRange::new(2, 2).unwrap().to_string(), "2");
        for bad in ["", "-", "1-", "-1", "3-1", "a-b", "0..1", "1-2-3", "4294967296"] {
            let err = bad.parse::<ShardRange>().unwrap_err().to_string();
            assert!(err.contains("lowest first"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn shards_and_shard_total_are_checked_at_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hearth.toml");
        discord_shards_are_checked(&path);
    }

    fn discord_shards_are_checked(path: &Path) {
        let load = |text: &str| {
            std::fs::write(path, format!("[discord]\n{text}\n")).unwrap();
            Config::load(Some(path))
        };
        let discord = load("shards = \"0-1\"\nshard_total = 4").unwrap().discord;
        assert_eq!((discord.shards, discord.shard_total), (ShardRange::new(0, 1), Some(4)));
        let discord = load("shards = 3\nshard_total = 4").unwrap().discord;
        assert_eq!(discord.shards, ShardRange::new(3, 3));
        assert_eq!(load("").unwrap().discord.shards, None);
        for (text, says) in [
            ("shards = \"0-1\"", "go together"),
            ("shard_total = 4", "go together"),
            ("shards = 0\nshard_total = 0", "at least 1"),
            ("shards = \"2-4\"\nshard_total = 4", "from 0 to shard_total - 1"),
            ("shards = 4\nshard_total = 4", "from 0 to shard_total - 1"),
        ] {
            let err = load(text).unwrap_err();
            assert!(matches!(err, ConfigError::Discord(_)), "{text}: {err}");
            assert!(err.to_string().contains(says), "{text}: {err}");
        }
        let err = load("shards = \"3-1\"\nshard_total = 4").unwrap_err().to_string();
        assert!(err.contains("lowest first") && err.contains("shards"), "{err}");
    }
}
