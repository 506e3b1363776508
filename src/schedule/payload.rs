//! What a schedule does when it fires, when it next fires, and how late it may still do it.

use super::When;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Stored as JSON beside the schedule. Ids and choices only, never free text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    /// hearth's own upkeep: forget ended days' per-person weather rows, purge by retention.
    Housekeeping,
    /// A team's shift starts: one gentle invitation to check in, in the team's channel.
    ShiftNudge { channel: String },
    /// A team's shift is about to end: open its debrief in the debrief channel. Fires
    /// `lead_minutes` before the end of each span of the team's shift pattern.
    TeamDebrief { channel: String, lead_minutes: u32 },
    /// A person's own shift pattern: at each start, one private invitation to check in.
    PersonalShift,
    /// A debrief request's wait is over: if nobody accepted, tell the requester.
    RequestTimeout { request_id: i64 },
    /// "Check on me in a day or three": one private nudge.
    CheckOnMe,
    /// A break's time is up: welcome back.
    BreakEnd,
    /// A supervision session of a series is `lead_minutes` away: remind its participants.
    SupervisionReminder { series: i64, lead_minutes: u32 },
    /// A team's daily look ahead: a supervision series with no session within the horizon
    /// gets one notice to its participants and the backup supervisor.
    SupervisionGaps,
    /// Whether a person's break nudge is due (checked every few minutes while they have
    /// nudges on; the rules are in `features::breaks::nudge`).
    BreakNudge,
    /// A community's gathering is `lead_minutes` away: remind its members privately.
    CommunityReminder { community: i64, lead_minutes: u32 },
    /// A community's gathering starts: post its topics, facilitator and the confidentiality
    /// notice in its channel, then move the facilitation rotation on.
    CommunityGathering { community: i64 },
}

/// The stored kind of each payload, for queries by kind.
pub const HOUSEKEEPING: &str = "housekeeping";
pub const SHIFT_NUDGE: &str = "shift_nudge";
pub const TEAM_DEBRIEF: &str = "team_debrief";
pub const PERSONAL_SHIFT: &str = "personal_shift";
pub const REQUEST_TIMEOUT: &str = "request_timeout";
pub const CHECK_ON_ME: &str = "check_on_me";
pub const BREAK_END: &str = "break_end";
pub const BREAK_NUDGE: &str = "break_nudge";
pub const SUPERVISION_REMINDER: &str = "supervision_reminder";
pub const SUPERVISION_GAPS: &str = "supervision_gaps";
pub const COMMUNITY_REMINDER: &str = "community_reminder";
pub const COMMUNITY_GATHERING: &str = "community_gathering";

impl Payload {
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Housekeeping => HOUSEKEEPING,
            Payload::ShiftNudge { .. } => SHIFT_NUDGE,
            Payload::TeamDebrief { .. } => TEAM_DEBRIEF,
            Payload::PersonalShift => PERSONAL_SHIFT,
            Payload::RequestTimeout { .. } => REQUEST_TIMEOUT,
            Payload::CheckOnMe => CHECK_ON_ME,
            Payload::BreakEnd => BREAK_END,
            Payload::BreakNudge => BREAK_NUDGE,
            Payload::SupervisionReminder { .. } => SUPERVISION_REMINDER,
            Payload::SupervisionGaps => SUPERVISION_GAPS,
            Payload::CommunityReminder { .. } => COMMUNITY_REMINDER,
            Payload::CommunityGathering { .. } => COMMUNITY_GATHERING,
        }
    }

    /// The first run strictly after `after`. Team debriefs count back from each shift's end;
    /// everything else runs at the times its "when" names.
    pub fn next_after(&self, when: &When, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        match (self, when) {
            (Payload::TeamDebrief { lead_minutes, .. }, When::Repeat(shifts)) => {
                shifts.next_before_end(after, tz, Duration::minutes((*lead_minutes).into()))
            }
            // A reminder runs `lead` before each session.
            (
                Payload::SupervisionReminder { lead_minutes, .. }
                | Payload::CommunityReminder { lead_minutes, .. },
                _,
            ) => {
                let lead = Duration::minutes((*lead_minutes).into());
                when.next_after(after + lead, tz).map(|session| session - lead)
            }
            _ => when.next_after(after, tz),
        }
    }

    /// The downtime policy: an occurrence missed while hearth was down still happens (once)
    /// if hearth is back within this long after it was due; otherwise it is skipped.
    pub fn grace(&self) -> Duration {
        match self {
            // Upkeep is always worth doing late.
            Payload::Housekeeping => Duration::days(1),
            // "Want to check in?" an hour into the shift is noise, not kindness.
            Payload::ShiftNudge { .. } | Payload::PersonalShift => Duration::minutes(15),
            // A debrief opened after the shift ended finds nobody.
            Payload::TeamDebrief { lead_minutes, .. } => Duration::minutes((*lead_minutes).into()),
            // Someone waiting for a debrief should hear back, even late.
            Payload::RequestTimeout { .. } => Duration::hours(12),
            Payload::CheckOnMe => Duration::hours(12),
            // "Welcome back" much later would be noise; a missed check is simply the next.
            Payload::BreakEnd => Duration::minutes(30),
            Payload::BreakNudge => Duration::minutes(5),
            Payload::SupervisionGaps => Duration::days(1),
            // A day's notice late is still notice; "in 15 minutes" an hour late is not.
            Payload::SupervisionReminder { lead_minutes, .. }
            | Payload::CommunityReminder { lead_minutes, .. } => {
                Duration::minutes(i64::from(*lead_minutes / 4).max(5))
            }
            // Topics and a facilitator posted half an hour in still help a gathering going on.
            Payload::CommunityGathering { .. } => Duration::minutes(30),
        }
    }

    /// Nudges respect quiet hours; other kinds do not.
    pub fn is_nudge(&self) -> bool {
        matches!(self, Payload::ShiftNudge { .. } | Payload::PersonalShift)
    }

    /// Done inside hearth rather than sent to anyone.
    pub fn is_internal(&self) -> bool {
        matches!(self, Payload::Housekeeping)
    }
}
