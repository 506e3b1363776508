//! hearth's blocks as Discord message content: headings bold, lists as bullets, every piece of
//! text escaped (it may echo what a person typed), split at Discord's 2,000-character limit.
//!
//! Nothing here can mention anyone: `<` is escaped (so `<@id>`, `<@&id>` and `<#id>` stay text),
//! `@everyone` and `@here` are broken with a zero-width space, and every message also carries
//! an empty `allowed_mentions`. Links stay links: a word starting with `http://` or `https://` is
//! left as it is, since escaping inside it would break it.

use hearth_chat::Block;

/// Discord's limit on a message's content, in characters.
pub const MAX_CONTENT: usize = 2_000;
/// The most messages one outbound message becomes; anything longer is cut with "…".
pub const MAX_CHUNKS: usize = 5;

/// Characters that are Discord markdown wherever they stand.
const INLINE: &[char] = &['\\', '*', '_', '~', '`', '|', '<', '>', '[', ']'];

/// Plain text made safe to show as Discord content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        escape_line(line, &mut out);
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    let body = line.trim_start();
    out.push_str(&line[..line.len() - body.len()]);
    // Markdown that only counts at the start of a line: headings, quotes, lists, subtext.
    if body.starts_with(['#', '-', '+']) {
        out.push('\\');
    }
    let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    let numbered = digits > 0 && body[digits..].starts_with(['.', ')']);
    let mut rest = body;
    if numbered {
        out.push_str(&body[..digits]);
        out.push('\\');
        rest = &body[digits..];
    }
    let mut word_start = true;
    let mut in_link = false;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() {
            word_start = true;
            in_link = false;
            out.push(c);
            continue;
        }
        if word_start {
            // Text a person typed may come isolated (U+2068 … U+2069); a link is still a link.
            let word = rest[i..].trim_start_matches('\u{2068}');
            in_link = word.starts_with("https://") || word.starts_with("http://");
            word_start = false;
        }
        if in_link {
            out.push(c);
            continue;
        }
        if INLINE.contains(&c) {
            out.push('\\');
            out.push(c);
        } else if c == '@' {
            out.push('@');
            let after = &rest[i + 1..];
            if after.starts_with("everyone") || after.starts_with("here") {
                out.push('\u{200B}');
            }
        } else {
            out.push(c);
        }
    }
}

/// One block per paragraph: headings bold, lists as `- ` bullets, text as it is (escaped).
pub fn content(blocks: &[Block]) -> String {
    let mut paragraphs = Vec::with_capacity(blocks.len());
    for block in blocks {
        let paragraph = match block {
            Block::Heading(text) => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| format!("**{}**", escape(l.trim())))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Text(text) => escape(text),
            // A mention shows the person's name; messages never allow mentions to ping.
            Block::Person(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
                format!("<@{id}>")
            }
            Block::Person(id) => escape(id),
            Block::List(items) => items
                .iter()
                .map(|item| format!("- {}", escape(item).replace('\n', "\n  ")))
                .collect::<Vec<_>>()
                .join("\n"),
            // A file is an attachment, not content (see `outbox`).
            Block::File { .. } => String::new(),
        };
        if !paragraph.trim().is_empty() {
            paragraphs.push(paragraph);
        }
    }
    paragraphs.join("\n\n")
}

/// Content in pieces of at most `max` characters, cut at a paragraph, a line or a space when
/// one is near, never inside a character or between an escaping backslash and what it escapes.
/// At most `max_chunks` pieces; the last one ends with "…" if anything was left out.
pub fn split(content: &str, max: usize, max_chunks: usize) -> Vec<String> {
    let max = max.max(2);
    let mut chunks = Vec::new();
    let mut rest = content.trim();
    while !rest.is_empty() {
        if chunks.len() + 1 == max_chunks.max(1) {
            chunks.push(truncate(rest, max));
            break;
        }
        if rest.chars().count() <= max {
            chunks.push(rest.to_owned());
            break;
        }
        let cut = cut_point(rest, max);
        chunks.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    chunks
}

/// `text` within `max` characters, ending with "…" when shortened.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut = cut_point(text, max.saturating_sub(1).max(1));
    format!("{}…", text[..cut].trim_end())
}

/// A byte index at most `max` characters in, at the best break found in its second half.
fn cut_point(text: &str, max: usize) -> usize {
    let hard = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let window = &text[..hard];
    let half = window.len() / 2;
    let at_break = |pattern: &str| window.rfind(pattern).filter(|&i| i >= half && i > 0);
    let cut = at_break("\n\n").or_else(|| at_break("\n")).or_else(|| at_break(" ")).unwrap_or(hard);
    // An odd run of backslashes before the cut means the last one escapes what follows.
    let backslashes = text[..cut].chars().rev().take_while(|&c| c == '\\').count();
    if backslashes % 2 == 1 { cut - 1 } else { cut }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_in_text_is_shown_as_typed() {
        assert_eq!(escape("**bold** _it_ ~~s~~ `c` ||spoil||"), {
            "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\` \\|\\|spoil\\|\\|"
        });
        assert_eq!(escape("[site](http://x.y)"), "\\[site\\](http://x.y)");
        assert_eq!(escape("# big\n> quote\n- item\n 12. num\n+ plus"), {
            "\\# big\n\\> quote\n\\- item\n 12\\. num\n\\+ plus"
        });
        assert_eq!(escape("back\\slash"), "back\\\\slash");
        assert_eq!(escape("check-in at 9.30 (today) #1"), "check-in at 9.30 (today) #1");
    }

    #[test]
    fn nothing_typed_can_mention() {
        let escaped = escape("hi @everyone and @here <@123> <@&9> <#5> <t:1:R>");
        assert!(!escaped.contains("@everyone") && !escaped.contains("@here"));
        assert_eq!(escaped.matches('<').count(), escaped.matches("\\<").count());
        assert!(escaped.contains("\\<@123\\>"));
        assert_eq!(escape("mail ana@example.org"), "mail ana@example.org");
    }

    #[test]
    fn links_stay_links() {
        let text = "See https://example.org/a_b-(c)*d and http://x.y/~z, not _this_";
        assert_eq!(
            escape(text),
            "See https://example.org/a_b-(c)*d and http://x.y/~z, not \\_this\\_"
        );
        let isolated = "\u{2068}https://example.org/a_b ü\u{2069}";
        assert_eq!(escape(isolated), isolated);
    }

    #[test]
    fn blocks_become_paragraphs() {
        let blocks = vec![
            Block::Heading("How are you *arriving*?".into()),
            Block::List(vec!["Ready".into(), "Two\nlines".into()]),
            Block::Text("".into()),
            Block::Text("Only you see this.".into()),
        ];
        assert_eq!(
            content(&blocks),
            "**How are you \\*arriving\\*?**\n\n- Ready\n- Two\n  lines\n\nOnly you see this."
        );
    }

    #[test]
    fn a_person_is_a_mention_and_anything_else_is_text() {
        let person = |id: &str| content(&[Block::Person(id.into())]);
        assert_eq!(person("80351110224678912"), "<@80351110224678912>");
        assert_eq!(content(&[Block::Text("Ask".into()), Block::Person("7".into())]), "Ask\n\n<@7>");
        // Not a user id: shown as typed, so it cannot become a role, channel or everyone ping.
        assert_eq!(person("<@&9>"), "\\<@&9\\>");
        assert!(!person("@everyone").contains("@everyone"));
        assert_eq!(person("ana_b"), "ana\\_b");
        assert_eq!(person(""), "");
    }

    #[test]
    fn short_content_is_one_chunk() {
        assert_eq!(split("hello", MAX_CONTENT, MAX_CHUNKS), vec!["hello".to_owned()]);
        assert!(split("  ", MAX_CONTENT, MAX_CHUNKS).is_empty());
    }

    #[test]
    fn long_content_splits_at_paragraphs_within_the_limit() {
        let paragraph = "word ".repeat(150).trim().to_owned(); // 749 characters
        let text = [paragraph.as_str(); 4].join("\n\n");
        let chunks = split(&text, MAX_CONTENT, MAX_CHUNKS);
        assert_eq!(chunks.len(), 2);
        assert!(chunks.iter().all(|c| c.chars().count() <= MAX_CONTENT));
        assert_eq!(chunks[0], [paragraph.as_str(); 2].join("\n\n"));
    }

    #[test]
    fn splitting_respects_characters_and_escapes() {
        let text = "é".repeat(2_500);
        let chunks = split(&text, MAX_CONTENT, MAX_CHUNKS);
        assert_eq!(chunks.iter().map(|c| c.chars().count()).collect::<Vec<_>>(), [2000, 500]);

        let text = format!("{}\\*rest", "a".repeat(9));
        let chunks = split(&text, 10, MAX_CHUNKS);
        assert_eq!(chunks[0], "a".repeat(9));
        assert!(chunks[1].starts_with("\\*"));
    }

    #[test]
    fn too_long_is_cut_with_an_ellipsis() {
        let text = "x".repeat(MAX_CONTENT * 10);
        let chunks = split(&text, MAX_CONTENT, MAX_CHUNKS);
        assert_eq!(chunks.len(), MAX_CHUNKS);
        let last = chunks.last().unwrap();
        assert!(last.ends_with('…') && last.chars().count() <= MAX_CONTENT);
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ab", 4), "ab");
    }
}
