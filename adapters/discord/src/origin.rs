//! Where an interaction happened and who acted, in hearth's terms: a guild is a team, a channel
//! a `Place::Channel`, a thread a `Place::Thread` (with its parent channel), anything outside a
//! guild a `Place::Direct`. Team admins are members with Manage Server or Administrator in the
//! interaction's own permissions; the core decides what that allows.

use hearth_chat::{Actor, Event, Inbound, Place, Platform, TeamRef};
use serenity::all::{ChannelId, ChannelType, GuildId, InteractionId, Member, PartialChannel, User};

/// Where an interaction happened and who acted, in hearth's terms.
#[derive(Debug)]
pub struct Origin {
    pub id: InteractionId,
    pub token: String,
    pub in_guild: bool,
    pub team: TeamRef,
    pub place: Place,
    pub actor: Actor,
}

impl Origin {
    pub fn new(
        id: InteractionId,
        token: &str,
        team: String,
        at: (Option<GuildId>, ChannelId, Option<&PartialChannel>),
        who: (&User, Option<&Member>),
    ) -> Self {
        let (guild, channel_id, channel) = at;
        let place = match (guild, channel) {
            (None, _) => Place::Direct,
            (Some(_), Some(c)) if is_thread(c.kind) => Place::Thread {
                channel: c.parent_id.unwrap_or(channel_id).to_string(),
                thread: channel_id.to_string(),
            },
            (Some(_), _) => Place::Channel { id: channel_id.to_string() },
        };
        let (user, member) = who;
        let display_name = member
            .map(|m| m.display_name().to_owned())
            .unwrap_or_else(|| user.display_name().to_owned());
        let is_team_admin = member
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.manage_guild() || p.administrator());
        Self {
            id,
            token: token.to_owned(),
            in_guild: guild.is_some(),
            team: TeamRef { platform: Platform::Discord, id: team },
            place,
            actor: Actor { user_id: user.id.to_string(), display_name, is_team_admin },
        }
    }

    pub fn inbound(&self, event: Event) -> Inbound {
        Inbound {
            team: self.team.clone(),
            actor: self.actor.clone(),
            place: self.place.clone(),
            event,
        }
    }
}

fn is_thread(kind: ChannelType) -> bool {
    matches!(kind, ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> User {
        serde_json::from_value(json!({"id": "7", "username": "ana", "global_name": "Ana B",
            "discriminator": "0", "avatar": null}))
        .unwrap()
    }

    fn member(permissions: &str, nick: Option<&str>) -> Member {
        serde_json::from_value(json!({"user": {"id": "7", "username": "ana",
            "discriminator": "0", "avatar": null}, "nick": nick, "roles": [],
            "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false, "flags": 0,
            "permissions": permissions, "guild_id": "1"}))
        .unwrap()
    }

    fn channel(kind: u8, parent: Option<&str>) -> PartialChannel {
        serde_json::from_value(json!({"id": "30", "type": kind, "parent_id": parent})).unwrap()
    }

    fn origin(guild: Option<u64>, at: Option<&PartialChannel>, member: Option<&Member>) -> Origin {
        let user = user();
        let id = InteractionId::new(1);
        Origin::new(
            id,
            "t",
            "1".into(),
            (guild.map(GuildId::new), ChannelId::new(30), at),
            (&user, member),
        )
    }

    #[test]
    fn channels_threads_and_dms() {
        let text = channel(0, Some("5"));
        assert_eq!(origin(Some(1), Some(&text), None).place, Place::Channel { id: "30".into() });
        let thread = channel(11, Some("20"));
        assert_eq!(
            origin(Some(1), Some(&thread), None).place,
            Place::Thread { channel: "20".into(), thread: "30".into() }
        );
        let dm = origin(None, None, None);
        assert_eq!((dm.place, dm.in_guild, dm.team.id), (Place::Direct, false, "1".to_owned()));
    }

    #[test]
    fn admins_are_members_who_may_manage_the_guild() {
        let plain = member("0", Some("Ana in the team"));
        let actor = origin(Some(1), None, Some(&plain)).actor;
        assert_eq!((actor.user_id.as_str(), actor.is_team_admin), ("7", false));
        assert_eq!(actor.display_name, "Ana in the team");
        assert!(origin(Some(1), None, Some(&member("32", None))).actor.is_team_admin);
        assert!(origin(Some(1), None, Some(&member("8", None))).actor.is_team_admin);
        let outside = origin(None, None, None).actor;
        assert_eq!((outside.display_name.as_str(), outside.is_team_admin), ("Ana B", false));
    }
}
