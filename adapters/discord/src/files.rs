//! Files in hearth's messages as Discord attachments, and a rendered message as the Discord
//! messages that carry it: its text chunks, the components on the last one, and the files.
//!
//! Each Discord message carries at most one file: serenity 0.12.5 numbers the multipart parts
//! (`files[n]`) only inside its builders' own `execute`, which the adapter does not use (it
//! reads Discord's raw answers, see `rest`), so every attachment it hands over goes out as
//! `files[0]`. The first file goes with the last text chunk, any further one in a message of
//! its own. Discord takes the file's content type from serenity, which guesses it from the
//! file name (`.ics` → `text/calendar`, `.json` → `application/json`), not from the block's
//! media type. Files are never logged; only their count and size.

use hearth_chat::{Block, DeliveryError};
use serenity::all::{CreateActionRow, CreateAttachment};

/// The largest file hearth sends. Discord's limit a file depends on the server (boosts raise it)
/// and has changed over the years; 8 MiB stays under every default it has had. A larger file is
/// refused before anything of the message is sent, as `DeliveryError::Forbidden`: Discord
/// would refuse it for good (413, "request entity too large"), and trying again cannot help.
/// `Forbidden` is the adapter's kind for every such lasting refusal (see `rest::error_for`).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The longest file name sent, in characters.
const MAX_NAME_CHARS: usize = 100;

/// One Discord message of a rendered hearth message.
#[derive(Debug)]
pub struct Piece {
    /// Content; empty for none.
    pub content: String,
    pub rows: Vec<CreateActionRow>,
    pub file: Option<CreateAttachment>,
}

/// `Forbidden` if a file of the message is too large to send; checked before anything else
/// (a DM channel, a thread) is opened for it.
pub fn check(blocks: &[Block]) -> Result<(), DeliveryError> {
    for block in blocks {
        if let Block::File { bytes, .. } = block
            && bytes.len() > MAX_FILE_BYTES
        {
            tracing::info!(bytes = bytes.len(), "a file is too large for Discord");
            return Err(DeliveryError::Forbidden);
        }
    }
    Ok(())
}

/// The message's files as attachments, or `Forbidden` if one is too large to send.
pub fn attachments(blocks: &[Block]) -> Result<Vec<CreateAttachment>, DeliveryError> {
    check(blocks)?;
    Ok(blocks
        .iter()
        .filter_map(|block| match block {
            Block::File { name, bytes, .. } => {
                Some(CreateAttachment::bytes(bytes.clone(), file_name(name)))
            }
            _ => None,
        })
        .collect())
}

/// Content chunks, components and files as the Discord messages to send, in order: the rows
/// and the first file with the last chunk, each further file alone. Nothing to send: none.
pub fn pieces(
    mut chunks: Vec<String>,
    rows: Vec<CreateActionRow>,
    files: Vec<CreateAttachment>,
) -> Vec<Piece> {
    if chunks.is_empty() && (!rows.is_empty() || !files.is_empty()) {
        chunks.push(String::new());
    }
    let last = chunks.len().saturating_sub(1);
    let mut files = files.into_iter();
    let mut rows = Some(rows);
    let mut pieces: Vec<Piece> = chunks
        .into_iter()
        .enumerate()
        .map(|(i, content)| {
            let last = i == last;
            Piece {
                content,
                rows: if last { rows.take().unwrap_or_default() } else { Vec::new() },
                file: if last { files.next() } else { None },
            }
        })
        .collect();
    pieces.extend(files.map(|file| Piece {
        content: String::new(),
        rows: Vec::new(),
        file: Some(file),
    }));
    pieces
}

/// A file name Discord shows as it is: one line, no path, at most 100 characters.
fn file_name(name: &str) -> String {
    let kept: String =
        name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).collect();
    let kept = kept.trim().trim_start_matches('.');
    let kept: String = kept.chars().take(MAX_NAME_CHARS).collect();
    if kept.trim().is_empty() { "file".to_owned() } else { kept }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, len: usize) -> Block {
        Block::File { name: name.into(), mime: "text/calendar".into(), bytes: vec![b'x'; len] }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_anything_is_sent() {
        let blocks = [Block::Text("Here".into()), file("a.ics", MAX_FILE_BYTES)];
        assert_eq!(attachments(&blocks).map(|f| f.len()), Ok(1));
        let blocks = [Block::Text("Here".into()), file("a.ics", MAX_FILE_BYTES + 1)];
        assert_eq!(attachments(&blocks).map(|f| f.len()), Err(DeliveryError::Forbidden));
    }

    #[test]
    fn names_have_no_path() {
        assert_eq!(file_name("next-session.ics"), "next-session.ics");
        assert_eq!(file_name("../../x.json"), "x.json");
        assert_eq!(file_name("a\nb.txt"), "ab.txt");
        assert_eq!(file_name(".."), "file");
    }

    #[test]
    fn the_first_file_goes_with_the_last_chunk_and_others_alone() {
        let files = || {
            vec![CreateAttachment::bytes(vec![1], "a.ics"), CreateAttachment::bytes(vec![2], "b")]
        };
        let rows = vec![CreateActionRow::Buttons(Vec::new())];
        let pieces = pieces(vec!["one".into(), "two".into()], rows, files());
        let shape: Vec<_> = pieces
            .iter()
            .map(|p| {
                (p.content.as_str(), p.rows.len(), p.file.as_ref().map(|f| f.filename.as_str()))
            })
            .collect();
        assert_eq!(shape, [("one", 0, None), ("two", 1, Some("a.ics")), ("", 0, Some("b"))]);

        let only_a_file = super::pieces(Vec::new(), Vec::new(), files()[..1].to_vec());
        assert_eq!(only_a_file.len(), 1);
        assert_eq!(only_a_file[0].content, "");
        assert!(super::pieces(Vec::new(), Vec::new(), Vec::new()).is_empty());
    }
}
