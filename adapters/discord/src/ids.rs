//! Component and modal custom ids: everything needed to rebuild an inbound event from a click,
//! even in a DM, where Discord says nothing of the guild (the team).
//!
//! Formats (`|` separated, at most 100 characters, Discord's limit):
//! - `h|c|{team}|{token}|{option}` — a choice button;
//! - `h|s|{team}|{token}` — a select menu of choices (the option is the selected value);
//! - `h|f|{team}|{token}` — the button that opens a form's modal;
//! - `h|m|{team}|{token}` — the modal itself (its inputs are named by the form's field ids);
//! - `h|u|{team}|{token}|{field}` — a user picker for a form's field that names a person (the
//!   picked user is the answer);
//! - `h|k|{team}|{token}` — the button beside a picker that leaves the form empty.
//!
//! The token is the core's opaque step token (session id and nonce), never state; a stale one
//! is answered by the core ("this has expired").

/// Discord's limit on a custom id.
pub const MAX_CUSTOM_ID: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComponentId {
    Choice { team: String, token: String, option: String },
    Select { team: String, token: String },
    OpenForm { team: String, token: String },
    Modal { team: String, token: String },
    Pick { team: String, token: String, field: String },
    Skip { team: String, token: String },
}

impl ComponentId {
    /// The custom id, or `None` when it would not fit Discord's limit or a part cannot be
    /// carried (a team or token containing `|`, or empty).
    pub fn encode(&self) -> Option<String> {
        let (kind, team, token, option) = match self {
            Self::Choice { team, token, option } => ("c", team, token, Some(option)),
            Self::Select { team, token } => ("s", team, token, None),
            Self::OpenForm { team, token } => ("f", team, token, None),
            Self::Modal { team, token } => ("m", team, token, None),
            Self::Pick { team, token, field } => ("u", team, token, Some(field)),
            Self::Skip { team, token } => ("k", team, token, None),
        };
        if team.is_empty() || team.contains('|') || token.contains('|') {
            return None;
        }
        let id = match option {
            Some(option) if !option.is_empty() => format!("h|{kind}|{team}|{token}|{option}"),
            Some(_) => return None,
            None => format!("h|{kind}|{team}|{token}"),
        };
        (id.chars().count() <= MAX_CUSTOM_ID).then_some(id)
    }

    /// Reads a custom id hearth made; `None` for anything else.
    pub fn parse(id: &str) -> Option<Self> {
        let mut parts = id.splitn(5, '|');
        if parts.next()? != "h" {
            return None;
        }
        let kind = parts.next()?;
        let team = parts.next().filter(|t| !t.is_empty())?.to_owned();
        let token = parts.next()?.to_owned();
        let option = parts.next();
        match (kind, option) {
            ("c", Some(option)) if !option.is_empty() => {
                Some(Self::Choice { team, token, option: option.to_owned() })
            }
            ("s", None) => Some(Self::Select { team, token }),
            ("f", None) => Some(Self::OpenForm { team, token }),
            ("m", None) => Some(Self::Modal { team, token }),
            ("u", Some(field)) if !field.is_empty() => {
                Some(Self::Pick { team, token, field: field.to_owned() })
            }
            ("k", None) => Some(Self::Skip { team, token }),
            _ => None,
        }
    }

    pub fn team(&self) -> &str {
        match self {
            Self::Choice { team, .. }
            | Self::Select { team, .. }
            | Self::OpenForm { team, .. }
            | Self::Modal { team, .. }
            | Self::Pick { team, .. }
            | Self::Skip { team, .. } => team,
        }
    }

    pub fn token(&self) -> &str {
        match self {
            Self::Choice { token, .. }
            | Self::Select { token, .. }
            | Self::OpenForm { token, .. }
            | Self::Modal { token, .. }
            | Self::Pick { token, .. }
            | Self::Skip { token, .. } => token,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: &str = "1234567890123456789";
    /// The longest token the core makes: an i64 session id and a 16-hex-digit nonce.
    const TOKEN: &str = "9223372036854775807.0123456789abcdef";

    #[test]
    fn every_kind_round_trips() {
        let ids = [
            ComponentId::Choice {
                team: GUILD.into(),
                token: TOKEN.into(),
                option: "not-now".into(),
            },
            ComponentId::Choice { team: GUILD.into(), token: TOKEN.into(), option: "a|b".into() },
            ComponentId::Select { team: GUILD.into(), token: TOKEN.into() },
            ComponentId::OpenForm { team: GUILD.into(), token: TOKEN.into() },
            ComponentId::Modal { team: GUILD.into(), token: "".into() },
            ComponentId::Pick { team: GUILD.into(), token: TOKEN.into(), field: "person".into() },
            ComponentId::Skip { team: GUILD.into(), token: TOKEN.into() },
        ];
        for id in ids {
            let encoded = id.encode().unwrap();
            assert!(encoded.len() <= MAX_CUSTOM_ID, "{encoded}");
            assert_eq!(ComponentId::parse(&encoded), Some(id));
        }
    }

    #[test]
    fn the_longest_core_token_leaves_room_for_option_ids() {
        let option = "x".repeat(MAX_CUSTOM_ID - "h|c|||".len() - GUILD.len() - TOKEN.len());
        assert!(option.len() >= 35, "{}", option.len());
        let id = ComponentId::Choice { team: GUILD.into(), token: TOKEN.into(), option };
        assert_eq!(id.encode().map(|e| e.len()), Some(MAX_CUSTOM_ID));
    }

    #[test]
    fn what_cannot_be_carried_is_refused() {
        let long =
            ComponentId::Choice { team: GUILD.into(), token: TOKEN.into(), option: "x".repeat(60) };
        assert_eq!(long.encode(), None);
        let piped = ComponentId::Select { team: "a|b".into(), token: TOKEN.into() };
        assert_eq!(piped.encode(), None);
        let no_team = ComponentId::Select { team: String::new(), token: TOKEN.into() };
        assert_eq!(no_team.encode(), None);
    }

    #[test]
    fn foreign_ids_are_ignored() {
        for id in [
            "",
            "h",
            "h|c|1|t",
            "h|c|1|t|",
            "x|s|1|t",
            "h|s||t",
            "h|q|1|t",
            "h|s|1|t|o",
            "h|u|1|t",
            "h|u|1|t|",
            "h|k|1|t|x",
        ] {
            assert_eq!(ComponentId::parse(id), None, "{id}");
        }
    }
}
