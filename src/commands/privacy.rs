//! `/privacy`: what hearth keeps, why, who sees it and for how long. Each sentence is true of
//! the schema in `migrations/` and the retention settings in force.

use crate::bot::Core;
use crate::engine::Reply;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;

pub fn show(core: &Core) -> Reply {
    let retention = &core.config.retention;
    Reply::say(vec![Say::actor(vec![
        Part::Heading(k::PRIVACY_HEADING.into()),
        Part::List(vec![
            k::PRIVACY_ABOUT_YOU.into(),
            Line::new(k::PRIVACY_HISTORY).arg("days", retention.history_days),
            Line::new(k::PRIVACY_WEATHER).arg("days", retention.weather_days),
            k::PRIVACY_TEXT.into(),
            k::PRIVACY_CONVERSATION.into(),
            Line::new(k::PRIVACY_REQUESTS).arg("days", retention.weather_days),
            k::PRIVACY_SCHEDULES.into(),
            k::PRIVACY_BREAKS.into(),
            Line::new(k::PRIVACY_SUPERVISION).arg("days", retention.agenda_days),
            k::PRIVACY_COMMUNITIES.into(),
            k::PRIVACY_TEAM.into(),
        ]),
        Part::Text(k::PRIVACY_WHO.into()),
        Part::Text(k::PRIVACY_PLATFORM.into()),
    ])])
}
