//! Forms waiting for their modal: a message offers a form as a button, and the modal it opens
//! must be described when the button is clicked. The form's fields are kept here, in memory,
//! by its step token, for as long as a flow can stay open.
//!
//! After a restart the form is unknown; the click is then handed to the core as text that is
//! not an answer, and the core asks its question again (with a fresh button). Nothing is lost.

use hearth_chat::Form;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// As long as the core keeps a conversation open.
const LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Enough for every open conversation of a large community; the oldest go first.
const CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
pub struct Forms {
    by_token: HashMap<String, (Instant, Form)>,
    order: VecDeque<String>,
}

impl Forms {
    pub fn insert(&mut self, form: Form) {
        let now = Instant::now();
        while let Some(oldest) = self.order.front() {
            let expired =
                self.by_token.get(oldest).is_none_or(|(at, _)| now.duration_since(*at) > LIFETIME);
            if !expired && self.order.len() < CAPACITY {
                break;
            }
            if let Some(token) = self.order.pop_front() {
                self.by_token.remove(&token);
            }
        }
        if self.by_token.insert(form.token.clone(), (now, form.clone())).is_none() {
            self.order.push_back(form.token);
        }
    }

    pub fn get(&self, token: &str) -> Option<Form> {
        let (at, form) = self.by_token.get(token)?;
        (at.elapsed() <= LIFETIME).then(|| form.clone())
    }

    /// The form offered under `token`, forgotten now that it has been answered.
    pub fn take(&mut self, token: &str) -> Option<Form> {
        self.by_token.remove(token).map(|(_, form)| form)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_token.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(token: &str) -> Form {
        Form { token: token.into(), title: "t".into(), fields: Vec::new() }
    }

    #[test]
    fn forms_are_found_by_token_and_forgotten() {
        let mut forms = Forms::default();
        forms.insert(form("a"));
        assert_eq!(forms.get("a").map(|f| f.token), Some("a".into()));
        assert!(forms.get("b").is_none());
        assert_eq!(forms.take("a").map(|f| f.token), Some("a".into()));
        assert!(forms.get("a").is_none() && forms.take("a").is_none());
    }

    #[test]
    fn the_oldest_go_when_full() {
        let mut forms = Forms::default();
        for i in 0..CAPACITY + 10 {
            forms.insert(form(&i.to_string()));
        }
        assert_eq!(forms.len(), CAPACITY);
        assert!(forms.get("0").is_none());
        assert!(forms.get(&(CAPACITY + 9).to_string()).is_some());
    }
}
