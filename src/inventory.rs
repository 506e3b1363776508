//! What hearth keeps, table by table: whether a row is linked to a person, how long it is
//! kept, and the `/privacy` sentence that says so. The one list `/privacy` is written from;
//! its fixed periods are the constants housekeeping deletes by, and its retention settings
//! the ones `hearth purge` reads. Tests hold the schema and the purge plan to it: every table
//! is listed here, and everything kept for a time has a purge rule.

use crate::config::Retention;
use crate::prompts::keys as k;
use chrono::Duration;

/// Whether a row can be linked to someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Linked {
    /// By a member row or a platform user id.
    Person,
    /// A code only the running hearth can link to a person (its key is held in memory, never
    /// written down), kept while the day lasts.
    WhileTheDayLasts,
    /// Linked to its author unless they asked anonymously.
    UnlessAnonymous,
    /// Counts and settings about the team, or nothing about anyone.
    No,
}

/// How long rows are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// `[retention] weather_days`.
    WeatherDays,
    /// `[retention] history_days`.
    HistoryDays,
    /// `[retention] agenda_days`, after an item is done or dropped.
    AgendaDays,
    /// A fixed time the feature needs.
    For(Duration),
    /// Until the team's day ends.
    UntilTheDayEnds,
    /// While what it belongs to lasts (the team, a request, a series, a community, a person
    /// until they erase it).
    WhileNeeded,
}

impl Kept {
    /// The period in days, for the sentences that name one.
    pub fn days(self, retention: &Retention) -> Option<i64> {
        match self {
            Kept::WeatherDays => Some(retention.weather_days.into()),
            Kept::HistoryDays => Some(retention.history_days.into()),
            Kept::AgendaDays => Some(retention.agenda_days.into()),
            Kept::For(period) if period >= Duration::days(1) => Some(period.num_days()),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Holding {
    pub table: &'static str,
    pub linked: Linked,
    pub kept: Kept,
    /// The `/privacy` sentence that covers it.
    pub privacy: &'static str,
    /// The tables whose deleted rows take this table's rows with them (`ON DELETE CASCADE`):
    /// what a deletion's plan counts as going along. A test holds each schema to it.
    pub goes_with: &'static [&'static str],
}

const fn holding(
    table: &'static str,
    linked: Linked,
    kept: Kept,
    privacy: &'static str,
    goes_with: &'static [&'static str],
) -> Holding {
    Holding { table, linked, kept, privacy, goes_with }
}

/// The longest a conversation stays open (and so the longest its session row is kept).
pub const SESSION_LIFETIME: Duration = Duration::hours(24);
/// How long the record of a schedule's run is kept.
pub const RUNS_KEPT: Duration = Duration::days(30);
/// How long a seen exercise or puzzle is remembered.
pub const SEEN_KEPT: Duration = Duration::days(7);

use Kept::{AgendaDays, For, HistoryDays, UntilTheDayEnds, WeatherDays, WhileNeeded};
use Linked::{No, Person, UnlessAnonymous, WhileTheDayLasts};

/// Every table, in the order `/privacy` speaks of them.
pub const INVENTORY: &[Holding] = &[
    holding("members", Person, WhileNeeded, k::PRIVACY_ABOUT_YOU, &["teams"]),
    holding("checkin_history", Person, HistoryDays, k::PRIVACY_HISTORY, &["members"]),
    holding("weather_counts", No, WeatherDays, k::PRIVACY_WEATHER, &["teams"]),
    holding("weather_people", WhileTheDayLasts, UntilTheDayEnds, k::PRIVACY_WEATHER, &["teams"]),
    holding("flow_sessions", Person, For(SESSION_LIFETIME), k::PRIVACY_CONVERSATION, &["members"]),
    holding("debrief_requests", Person, WhileNeeded, k::PRIVACY_REQUESTS, &["members", "teams"]),
    holding("debrief_request_counts", No, WeatherDays, k::PRIVACY_REQUESTS, &["teams"]),
    holding("schedules", Person, WhileNeeded, k::PRIVACY_SCHEDULES, &["members", "teams"]),
    holding("schedule_runs", Person, For(RUNS_KEPT), k::PRIVACY_SCHEDULES, &["schedules"]),
    holding("break_seen", Person, For(SEEN_KEPT), k::PRIVACY_BREAKS, &["members"]),
    holding("supervision_series", Person, WhileNeeded, k::PRIVACY_SUPERVISION, &["teams"]),
    holding("agenda_items", Person, AgendaDays, k::PRIVACY_SUPERVISION, &["members"]),
    holding(
        "agenda_votes",
        Person,
        WhileNeeded,
        k::PRIVACY_SUPERVISION,
        &["members", "agenda_items"],
    ),
    holding("communities", Person, WhileNeeded, k::PRIVACY_COMMUNITIES, &["teams"]),
    holding(
        "community_members",
        Person,
        WhileNeeded,
        k::PRIVACY_COMMUNITIES,
        &["members", "communities"],
    ),
    holding(
        "community_topics",
        UnlessAnonymous,
        WhileNeeded,
        k::PRIVACY_COMMUNITIES,
        &["members", "communities"],
    ),
    holding(
        "community_topic_votes",
        Person,
        WhileNeeded,
        k::PRIVACY_COMMUNITIES,
        &["members", "community_topics"],
    ),
    holding(
        "community_resources",
        Person,
        WhileNeeded,
        k::PRIVACY_COMMUNITIES,
        &["members", "communities"],
    ),
    holding("teams", No, WhileNeeded, k::PRIVACY_TEAM, &[]),
];

/// The `/privacy` sentences in order, each with the period it names (if any): the first
/// period among the tables it covers.
pub fn sentences(retention: &Retention) -> Vec<(&'static str, Option<i64>)> {
    let mut out: Vec<(&'static str, Option<i64>)> = Vec::new();
    for h in INVENTORY {
        let days = h.kept.days(retention);
        match out.iter_mut().find(|(key, _)| *key == h.privacy) {
            Some((_, existing)) => *existing = existing.or(days),
            None => out.push((h.privacy, days)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sentence_names_at_most_one_period() {
        let retention = Retention { weather_days: 11, history_days: 22, agenda_days: 33 };
        for (key, _) in sentences(&retention) {
            let mut periods: Vec<i64> = INVENTORY
                .iter()
                .filter(|h| h.privacy == key)
                .filter_map(|h| h.kept.days(&retention))
                .collect();
            periods.dedup();
            assert!(periods.len() <= 1, "{key} would need several periods: {periods:?}");
        }
    }
}
