//! Naming a teammate on Matrix: people type a user id (`@ana:example.org`), mention someone
//! (a pill: a `matrix.to` link whose text is the display name), or type the name the team room
//! shows. The core finds people by user id only, so this turns each of those into the id
//! before handing the event in. It translates and decides nothing: a name it cannot match to
//! exactly one member of the team room is passed on as typed, and the core answers kindly.

use crate::State;
use hearth_chat::{ArgKind, ArgValue, CommandCall};
use matrix_sdk::RoomMemberships;
use matrix_sdk::ruma::{MatrixToUri, OwnedUserId, RoomId, UserId, matrix_uri::MatrixId};

/// The pills in an HTML body, in order: the text shown for each, and the user it links to.
pub fn pills(html: &str) -> Vec<(String, OwnedUserId)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        rest = &rest[start + 3..];
        let Some(end_tag) = rest.find('>') else { break };
        let attributes = &rest[..end_tag];
        let Some(close) = rest.find("</a>") else { break };
        let shown = if close > end_tag { &rest[end_tag + 1..close] } else { "" };
        let user = href(attributes).and_then(|uri| match MatrixToUri::parse(&uri).ok()?.id() {
            MatrixId::User(user) => Some(user.clone()),
            _ => None,
        });
        if let Some(user) = user {
            found.push((unescape(&strip_tags(shown)), user));
        }
        rest = &rest[close + 4..];
    }
    found
}

/// The body with each pill's shown text replaced by its user id, so a command reads
/// `!debrief request @ana:example.org` however the client wrote the mention.
pub fn with_pills(body: &str, pills: &[(String, OwnedUserId)]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    for (shown, user) in pills {
        if shown.is_empty() {
            continue;
        }
        if let Some(at) = rest.find(shown.as_str()) {
            out.push_str(&rest[..at]);
            out.push_str(user.as_str());
            rest = &rest[at + shown.len()..];
        }
    }
    out.push_str(rest);
    out
}

fn href(attributes: &str) -> Option<String> {
    let start = attributes.find("href=\"")? + 6;
    let end = attributes[start..].find('"')? + start;
    Some(unescape(&attributes[start..end]))
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl State {
    /// The user id for what someone typed to name a teammate: a user id as it is; otherwise
    /// the one member of the team room whose display name or user name matches (ignoring case
    /// and a leading `@`); otherwise what was typed.
    pub(crate) async fn person(&self, team: &RoomId, typed: &str) -> String {
        let typed = typed.trim();
        if UserId::parse(typed).is_ok() {
            return typed.to_owned();
        }
        let name = typed.trim_start_matches('@');
        let Some(room) = self.client.get_room(team) else { return typed.to_owned() };
        let members = match room.members(RoomMemberships::JOIN | RoomMemberships::INVITE).await {
            Ok(members) => members,
            Err(error) => {
                tracing::warn!(error = %error, "could not read the team room's members");
                return typed.to_owned();
            }
        };
        let mut matching = members.iter().filter(|m| {
            m.user_id().localpart().eq_ignore_ascii_case(name)
                || m.display_name().is_some_and(|d| d.trim().eq_ignore_ascii_case(name))
        });
        match (matching.next(), matching.next()) {
            (Some(one), None) => one.user_id().to_string(),
            _ => typed.to_owned(),
        }
    }

    /// A parsed command with every person argument turned into a user id where possible.
    pub(crate) async fn with_people(&self, team: &RoomId, mut call: CommandCall) -> CommandCall {
        let person_args: Vec<&'static str> = self
            .handler
            .catalogue()
            .command(&call.command)
            .and_then(|c| c.subcommands.iter().find(|s| s.name == call.subcommand))
            .map(|s| s.args.iter().filter(|a| a.kind == ArgKind::Person).map(|a| a.name).collect())
            .unwrap_or_default();
        for name in person_args {
            if let Some(ArgValue::Text(typed)) = call.args.get(name) {
                let id = self.person(team, typed).await;
                call.args.insert(name.to_owned(), ArgValue::Text(id));
            }
        }
        call
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pills_are_read_from_the_formatted_body() {
        let html = "!setup role supervisor <a href=\"https://matrix.to/#/%40ana%3Alocalhost\">Ana \
                    <b>S</b></a> and <a href=\"https://matrix.to/#/@bo:localhost?via=localhost\">bo</a> \
                    <a href=\"https://example.org\">a link</a> \
                    <a href=\"https://matrix.to/#/!room:localhost\">a room</a>";
        let found = pills(html);
        let shown: Vec<(&str, &str)> =
            found.iter().map(|(s, u)| (s.as_str(), u.as_str())).collect();
        assert_eq!(shown, [("Ana S", "@ana:localhost"), ("bo", "@bo:localhost")]);
        assert_eq!(
            with_pills("!setup role supervisor Ana S and bo", &found),
            "!setup role supervisor @ana:localhost and @bo:localhost"
        );
        // A pill whose text is not in the body changes nothing.
        assert_eq!(with_pills("!help", &found), "!help");
        assert!(pills("<a href=\"https://matrix.to/#/@ana:localhost\">unclosed").is_empty());
    }
}
