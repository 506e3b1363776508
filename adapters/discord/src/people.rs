//! Turning a name a person typed into a form (or a pasted mention) into a Discord user id, so
//! the core can find that teammate. Only translation: the core decides who counts as a
//! teammate; this module only asks Discord whose name it is.

use serenity::all::{GuildId, Http, Member};

/// The user id `typed` names in `guild`: a mention (`<@123>`, `<@!123>`) or an id as given,
/// else the one member whose server nickname, display name or username is `typed` (ignoring
/// case and a leading `@`). Anything else is returned as typed, and the core says kindly that
/// it found nobody by that name.
pub async fn resolve(http: &Http, guild: GuildId, typed: &str) -> String {
    let name = typed.trim().trim_start_matches('@').trim();
    if let Some(id) = mentioned_id(name) {
        return id.to_string();
    }
    if name.is_empty() {
        return typed.to_owned();
    }
    match guild.search_members(http, name, Some(10)).await {
        Ok(found) => {
            let mut named = found.iter().filter(|member| is_called(member, name));
            match (named.next(), named.next()) {
                (Some(only), None) => only.user.id.to_string(),
                _ => typed.to_owned(),
            }
        }
        Err(error) => {
            tracing::warn!(guild = %guild, error = %error, "could not look up a member's name");
            typed.to_owned()
        }
    }
}

fn is_called(member: &Member, name: &str) -> bool {
    [member.nick.as_deref(), member.user.global_name.as_deref(), Some(member.user.name.as_str())]
        .into_iter()
        .flatten()
        .any(|called| called.eq_ignore_ascii_case(name))
}

/// `<@123>`, `<@!123>` or `123` → 123.
fn mentioned_id(text: &str) -> Option<u64> {
    let inner = text.strip_prefix("<@").and_then(|t| t.strip_suffix('>')).unwrap_or(text);
    let digits = inner.strip_prefix('!').unwrap_or(inner);
    (!digits.is_empty() && digits.len() <= 20 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::mentioned_id;

    #[test]
    fn mentions_and_ids_name_users() {
        assert_eq!(mentioned_id("<@123>"), Some(123));
        assert_eq!(mentioned_id("<@!123>"), Some(123));
        assert_eq!(mentioned_id("123"), Some(123));
        for not in ["", "bo", "<@bo>", "<@>", "12a", "<#123>", "999999999999999999999999"] {
            assert_eq!(mentioned_id(not), None, "{not}");
        }
    }
}
