//! hearth's blocks as a Matrix message: a plain body and an HTML body. Everything is escaped,
//! and nothing a person typed can become a mention: `@room` is broken with a word joiner (the
//! messages also carry an empty `m.mentions`, which tells clients to ignore body text). The
//! only link ever produced is a user pill for a `Block::Person` that is a valid user id; with
//! the empty `m.mentions` it shows the person and notifies nobody.

use hearth_chat::{Block, Controls, Message};
use matrix_sdk::ruma::UserId;

/// Keycap emoji for choices 1–10, also added as reactions.
pub const KEYCAPS: [&str; 10] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"];

/// hearth's words name commands as `/checkin`; on Matrix they are typed `!checkin`.
pub fn bang_commands(text: &str, commands: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('/') {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let starts_word =
            out.chars().last().is_none_or(|c| c.is_whitespace() || "(\"'“".contains(c));
        let name_len = after[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(after.len() - 1);
        let name = &after[1..1 + name_len];
        out.push(if starts_word && commands.iter().any(|c| c.eq_ignore_ascii_case(name)) {
            '!'
        } else {
            '/'
        });
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

/// The message with every command its words name written `!checkin` (see `bang_commands`).
pub fn with_bang_commands(message: &Message, commands: &[&str]) -> Message {
    let bang = |text: &String| bang_commands(text, commands);
    let blocks = message
        .blocks
        .iter()
        .map(|block| match block {
            Block::Heading(t) => Block::Heading(bang(t)),
            Block::Text(t) => Block::Text(bang(t)),
            Block::List(items) => Block::List(items.iter().map(bang).collect()),
            other => other.clone(),
        })
        .collect();
    let controls = message.controls.clone().map(|controls| match controls {
        Controls::Choices { token, options } => Controls::Choices {
            token,
            options: options
                .into_iter()
                .map(|o| hearth_chat::ChoiceOption { label: bang(&o.label), ..o })
                .collect(),
        },
        Controls::Form(mut form) => {
            form.title = bang(&form.title);
            for field in &mut form.fields {
                field.label = bang(&field.label);
            }
            Controls::Form(form)
        }
    });
    Message { blocks, controls }
}

/// The plain and HTML bodies of a message, with choices numbered and a form's first question.
pub fn render(message: &Message) -> (String, String) {
    let mut plain = Vec::new();
    let mut html = String::new();
    for block in &message.blocks {
        match block {
            Block::Heading(t) => {
                plain.push(safe(t));
                html.push_str(&format!("<p><strong>{}</strong></p>", escape(t)));
            }
            Block::Text(t) => {
                plain.push(safe(t));
                html.push_str(&format!("<p>{}</p>", escape(t).replace('\n', "<br>")));
            }
            Block::Person(id) => {
                plain.push(safe(id));
                html.push_str(&format!("<p>{}</p>", person(id)));
            }
            Block::List(items) => {
                html.push_str("<ul>");
                for item in items {
                    plain.push(format!("• {}", safe(item)));
                    html.push_str(&format!("<li>{}</li>", escape(item)));
                }
                html.push_str("</ul>");
            }
            // A file is a message of its own (see `outbox`).
            Block::File { .. } => {}
        }
    }
    match &message.controls {
        Some(Controls::Choices { options, .. }) => {
            html.push_str("<ol>");
            for (i, option) in options.iter().enumerate() {
                plain.push(format!("{}. {}", i + 1, safe(&option.label)));
                html.push_str(&format!("<li>{}</li>", escape(&option.label)));
            }
            html.push_str("</ol>");
        }
        Some(Controls::Form(form)) => {
            plain.push(safe(&form.title));
            html.push_str(&format!("<p><strong>{}</strong></p>", escape(&form.title)));
            if let Some(first) = form.fields.first() {
                let (p, h) = question(&first.label);
                plain.push(p);
                html.push_str(&h);
            }
        }
        None => {}
    }
    (plain.join("\n"), html)
}

/// One question of a form, asked on its own.
pub fn question(label: &str) -> (String, String) {
    (format!("› {}", safe(label)), format!("<p>› {}</p>", escape(label)))
}

/// A user id as a pill (a `matrix.to` link clients show as the person); anything else as text.
fn person(id: &str) -> String {
    match UserId::parse(id) {
        // The link is an attribute, not text: `@room:server` is a person, not a room ping.
        Ok(user) => format!(
            "<a href=\"{}\">{}</a>",
            escape_html(&user.matrix_to_uri().to_string()),
            escape(id)
        ),
        Err(_) => escape(id),
    }
}

/// Plain text that cannot notify a whole room.
fn safe(text: &str) -> String {
    text.replace("@room", "@\u{2060}room")
}

/// Text for an HTML body: escaped, and unable to notify a whole room.
fn escape(text: &str) -> String {
    escape_html(&safe(text))
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The typed text of a command, without its `!` (and an optional `hearth` after it):
/// `!checkin` → `checkin`, `!hearth help` → `help`, `!` → ``. `None` if not a command.
pub fn command_text(body: &str) -> Option<&str> {
    let rest = body.trim_start().strip_prefix('!')?;
    let rest = rest.trim_start();
    let (first, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if first.eq_ignore_ascii_case("hearth") { Some(after.trim()) } else { Some(rest.trim_end()) }
}

/// The answer a person typed, without a reply fallback (`> …` lines older clients add).
pub fn answer_text(body: &str) -> &str {
    let mut rest = body;
    while rest.starts_with("> ") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.trim()
}

/// The choice a keycap reaction or a typed number stands for, counting from 1.
pub fn choice_index(text: &str) -> Option<usize> {
    let text = text.trim();
    KEYCAPS
        .iter()
        .position(|k| *k == text || k.trim_end_matches('\u{fe0f}') == text)
        .or_else(|| text.parse::<usize>().ok().and_then(|n| n.checked_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_chat::ChoiceOption;

    #[test]
    fn user_text_is_escaped_and_cannot_ping_the_room() {
        let message = Message {
            blocks: vec![Block::Text("ana shares: <b>hi</b> @room & \"all\"".into())],
            controls: Some(Controls::Choices {
                token: "t".into(),
                options: vec![ChoiceOption { id: "a".into(), label: "Yes <3".into() }],
            }),
        };
        let (plain, html) = render(&message);
        assert!(!plain.contains("@room") && !html.contains("@room"));
        assert!(html.contains("&lt;b&gt;hi&lt;/b&gt;") && html.contains("&amp; &quot;all&quot;"));
        assert!(plain.ends_with("1. Yes <3"));
        assert!(html.contains("<ol><li>Yes &lt;3</li></ol>"));
        assert!(!html.contains("href"));
    }

    #[test]
    fn a_person_is_a_pill_and_anything_else_is_text() {
        let person =
            |id: &str| render(&Message { blocks: vec![Block::Person(id.into())], controls: None });
        assert_eq!(
            person("@ana:example.org"),
            (
                "@ana:example.org".to_owned(),
                "<p><a href=\"https://matrix.to/#/@ana:example.org\">@ana:example.org</a></p>"
                    .to_owned()
            )
        );
        // A person whose name is `room` is shown, and still cannot ping the room.
        let (plain, html) = person("@room:example.org");
        assert!(!plain.contains("@room") && html.contains("href=\"https://matrix.to/#/@room:"));
        assert!(!html.replace("href=\"https://matrix.to/#/@room:", "").contains("@room"));
        // Not a user id: escaped text, no link.
        let (plain, html) = person("<b>@room</b>");
        assert!(!plain.contains("@room") && !html.contains("href") && !html.contains("<b>"));
        assert_eq!(person("ana").1, "<p>ana</p>");
    }

    #[test]
    fn command_names_take_the_matrix_prefix() {
        let commands = ["checkin", "help"];
        assert_eq!(
            bang_commands("Try /checkin, or /help checkin; and/or /etc/hosts (/help)", &commands),
            "Try !checkin, or !help checkin; and/or /etc/hosts (!help)"
        );
    }

    #[test]
    fn both_bodies_name_commands_with_the_matrix_prefix() {
        let message = Message {
            blocks: vec![
                Block::Text("/help lists them all".into()),
                Block::List(vec!["/checkin: how are you".into()]),
            ],
            controls: None,
        };
        let (plain, html) = render(&with_bang_commands(&message, &["checkin", "help"]));
        assert_eq!(plain, "!help lists them all\n• !checkin: how are you");
        assert_eq!(html, "<p>!help lists them all</p><ul><li>!checkin: how are you</li></ul>");
    }

    #[test]
    fn commands_are_found_robustly() {
        assert_eq!(command_text("!checkin"), Some("checkin"));
        assert_eq!(command_text("  ! Checkin   history "), Some("Checkin   history"));
        assert_eq!(command_text("!hearth help"), Some("help"));
        assert_eq!(command_text("!HEARTH"), Some(""));
        assert_eq!(command_text("!"), Some(""));
        assert_eq!(command_text("hello !checkin"), None);
        assert_eq!(command_text("!✨"), Some("✨"));
    }

    #[test]
    fn answers_and_choices() {
        assert_eq!(answer_text("> <@hearth:localhost> How are you?\n> 1. Ready\n\n2"), "2");
        assert_eq!(choice_index("2"), Some(1));
        assert_eq!(choice_index("1️⃣"), Some(0));
        assert_eq!(choice_index("🔟"), Some(9));
        assert_eq!(choice_index("0"), None);
        assert_eq!(choice_index("two"), None);
    }
}
