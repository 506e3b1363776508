//! `/privacy`: what hearth keeps, why, who sees it and for how long, written from the
//! inventory (`crate::inventory`) with the retention settings in force, and what the platform
//! this person is on keeps by itself.

use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::flows::{Line, Part, Say};
use crate::inventory;
use crate::prompts::keys as k;

pub fn show(core: &Core, turn: &Turn) -> Reply {
    let mut lines: Vec<Line> = inventory::sentences(&core.config.retention)
        .into_iter()
        .map(|(key, days)| match days {
            Some(days) => Line::new(key).arg("days", days),
            None => Line::new(key),
        })
        .collect();
    // What is never kept has no table to come from.
    lines.push(k::PRIVACY_TEXT.into());
    let platform = Line::new(k::PRIVACY_PLATFORM).arg("platform", turn.team.platform.as_str());
    Reply::say(vec![Say::actor(vec![
        Part::Heading(k::PRIVACY_HEADING.into()),
        Part::List(lines),
        Part::Text(k::PRIVACY_WHO.into()),
        Part::Text(k::PRIVACY_MYDATA.into()),
        Part::Text(platform),
    ])])
}
