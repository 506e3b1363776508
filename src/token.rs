//! The one scheme for the tokens hearth puts on its questions and buttons (Discord custom ids,
//! Matrix's remembered choices, the console): opaque to adapters, read back only here.
//!
//! A token names what was asked and carries a nonce that changes with every question, so a
//! stale or someone else's button no longer matches and gets a kind "this has expired". The
//! spellings are those hearth has always sent (`{session}.{nonce}`, `r{request}.{nonce}`), so
//! buttons already out there keep working across an upgrade.

use std::fmt;

/// What a question or button belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// The current step of a person's conversation (a flow session).
    Step { session: i64, nonce: String },
    /// An open debrief request, answered by the teammates asked or cancelled by the requester.
    Request { request: i64, nonce: String },
}

impl Token {
    /// Reads a token back; anything hearth did not make is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let (request, rest) = match text.strip_prefix('r') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (id, nonce) = rest.split_once('.')?;
        // Ids are written as plain digits: no sign, no spaces.
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id = id.parse().ok()?;
        if nonce.is_empty() || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let nonce = nonce.to_owned();
        Some(if request {
            Self::Request { request: id, nonce }
        } else {
            Self::Step { session: id, nonce }
        })
    }

    /// A new nonce: changes with every question, so an older button no longer matches.
    pub fn nonce() -> String {
        format!("{:016x}", rand::random::<u64>())
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Step { session, nonce } => write!(f, "{session}.{nonce}"),
            Self::Request { request, nonce } => write!(f, "r{request}.{nonce}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Token;

    #[test]
    fn tokens_read_back_as_written() {
        for token in [
            Token::Step { session: 42, nonce: "00ff00ff00ff00ff".into() },
            Token::Request { request: 7, nonce: "0123456789abcdef".into() },
        ] {
            assert_eq!(Token::parse(&token.to_string()), Some(token));
        }
        assert_eq!(Token::parse("12.ab"), Some(Token::Step { session: 12, nonce: "ab".into() }));
        assert_eq!(Token::parse("r3.cd"), Some(Token::Request { request: 3, nonce: "cd".into() }));
    }

    #[test]
    fn anything_else_is_not_a_token() {
        for text in [
            "",
            ".",
            "r",
            "r.",
            "12",
            "12.",
            ".ab",
            "r.ab",
            "x1.ab",
            "+1.ab",
            "-1.ab",
            "1.a|b",
            "1.a.b",
            "99999999999999999999.ab",
            " 1.ab",
        ] {
            assert_eq!(Token::parse(text), None, "{text:?}");
        }
    }
}
