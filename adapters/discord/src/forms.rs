//! Forms waiting for their answers: a message offers a form as a button (its modal must be
//! described when the button is clicked) or, when it names a person, as Discord's user picker
//! (a modal cannot hold one). The form's fields, and the people picked so far (user ids, never
//! anything typed), are kept here in memory by step token, for as long as a flow can stay open.
//!
//! A form this process did not render (another process rendered it: a DM's clicks all come to
//! shard 0, wherever the DM was sent from; or this one restarted since) is described again by
//! the core, which keeps every conversation's step ([`recall`]), and then goes on as if it had
//! been rendered here. Only when the core cannot say in time (or the step has moved on) is the
//! click handed to the core as a restart, which asks the step's question again (or says it has
//! expired). Nothing typed is lost: text is only ever typed in the modal, which is submitted
//! whole, after any picker.

use crate::origin::Origin;
use crate::outbox::Shared;
use hearth_chat::Form;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// As long as the core keeps a conversation open.
const LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Enough for every open conversation of a large community; the oldest go first.
const CAPACITY: usize = 10_000;

#[derive(Debug)]
struct Entry {
    at: Instant,
    form: Form,
    /// `(field id, user id)` for each person field picked so far.
    picked: Vec<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Forms {
    by_token: HashMap<String, Entry>,
    order: VecDeque<String>,
}

/// Where a form stands after someone was picked for one of its fields.
#[derive(Debug, PartialEq, Eq)]
pub enum Picked {
    /// Every field is answered: the form's answers, ready for the core.
    Complete(Vec<(String, String)>),
    /// Every person is picked; the fields to type come next, in the form's modal.
    Modal(Form),
    /// Another person field waits for its pick.
    Waiting,
}

/// The form offered under `token`, as known here, or else as the core describes it again (then
/// it is kept here, as if rendered here). The core is given `defer_after` at most, because the
/// click's first response (a modal) must reach Discord within 3 seconds. `None`: the core does
/// not offer it any longer, or did not say in time.
pub async fn recall(shared: &Shared, origin: &Origin, token: &str) -> Option<Form> {
    if let Some(form) = shared.forms.lock().unwrap_or_else(|p| p.into_inner()).get(token) {
        return Some(form);
    }
    let asked = shared.handler.form(origin.team.clone(), origin.actor.clone(), token.to_owned());
    let form = match tokio::time::timeout(shared.defer_after, asked).await {
        Ok(form) => form?,
        Err(_) => {
            tracing::debug!(interaction = %origin.id, "the core did not describe a form in time");
            return None;
        }
    };
    if form.token != token {
        tracing::warn!(interaction = %origin.id, "the core described another form; ignored");
        return None;
    }
    tracing::debug!(interaction = %origin.id, "a form rendered elsewhere, described again");
    let mut forms = shared.forms.lock().unwrap_or_else(|p| p.into_inner());
    // A click on the same form at the same time may have put it here already, with a pick.
    if forms.get(token).is_none() {
        forms.insert(form.clone());
    }
    Some(form)
}

impl Forms {
    pub fn insert(&mut self, form: Form) {
        let now = Instant::now();
        while let Some(oldest) = self.order.front() {
            let expired =
                self.by_token.get(oldest).is_none_or(|e| now.duration_since(e.at) > LIFETIME);
            if !expired && self.order.len() < CAPACITY {
                break;
            }
            if let Some(token) = self.order.pop_front() {
                self.by_token.remove(&token);
            }
        }
        let token = form.token.clone();
        let entry = Entry { at: now, form, picked: Vec::new() };
        if self.by_token.insert(token.clone(), entry).is_none() {
            self.order.push_back(token);
        }
    }

    pub fn get(&self, token: &str) -> Option<Form> {
        let entry = self.by_token.get(token)?;
        (entry.at.elapsed() <= LIFETIME).then(|| entry.form.clone())
    }

    /// Records `user` picked for the person field `field` of the form under `token`. `None`
    /// when that form (or such a field of it) is not known: it was answered already, or
    /// hearth restarted since.
    pub fn pick(&mut self, token: &str, field: &str, user: &str) -> Option<Picked> {
        let entry = self.by_token.get_mut(token).filter(|e| e.at.elapsed() <= LIFETIME)?;
        if !entry.form.fields.iter().any(|f| f.id == field && f.names_person) {
            return None;
        }
        entry.picked.retain(|(id, _)| id != field);
        entry.picked.push((field.to_owned(), user.to_owned()));
        let people = entry.form.fields.iter().filter(|f| f.names_person);
        if !people.clone().all(|f| entry.picked.iter().any(|(id, _)| *id == f.id)) {
            return Some(Picked::Waiting);
        }
        if entry.form.fields.iter().any(|f| !f.names_person) {
            return Some(Picked::Modal(entry.form.clone()));
        }
        self.by_token.remove(token).map(|entry| Picked::Complete(entry.picked))
    }

    /// The form offered under `token` and the people picked for it, forgotten now that it
    /// has been answered.
    pub fn take(&mut self, token: &str) -> Option<(Form, Vec<(String, String)>)> {
        self.by_token.remove(token).map(|entry| (entry.form, entry.picked))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_token.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_chat::FormField;

    fn form(token: &str) -> Form {
        Form { token: token.into(), title: "t".into(), fields: Vec::new(), skip: None }
    }

    fn field(id: &str, names_person: bool) -> FormField {
        FormField {
            id: id.into(),
            label: "L".into(),
            required: false,
            max_chars: 100,
            names_person,
        }
    }

    #[test]
    fn forms_are_found_by_token_and_forgotten() {
        let mut forms = Forms::default();
        forms.insert(form("a"));
        assert_eq!(forms.get("a").map(|f| f.token), Some("a".into()));
        assert!(forms.get("b").is_none());
        assert_eq!(forms.take("a").map(|(f, _)| f.token), Some("a".into()));
        assert!(forms.get("a").is_none() && forms.take("a").is_none());
    }

    #[test]
    fn a_pick_completes_a_form_of_people_or_leads_to_its_modal() {
        let mut forms = Forms::default();
        forms.insert(Form { fields: vec![field("who", true)], ..form("a") });
        assert_eq!(forms.pick("a", "text", "7"), None, "not a person field");
        assert_eq!(
            forms.pick("a", "who", "7"),
            Some(Picked::Complete(vec![("who".into(), "7".into())]))
        );
        assert_eq!(forms.pick("a", "who", "8"), None, "answered: forgotten");

        let mixed = Form { fields: vec![field("who", true), field("note", false)], ..form("b") };
        forms.insert(mixed.clone());
        assert_eq!(forms.pick("b", "who", "7"), Some(Picked::Modal(mixed)));
        let (_, picked) = forms.take("b").unwrap();
        assert_eq!(picked, [("who".to_owned(), "7".to_owned())]);

        forms.insert(Form { fields: vec![field("one", true), field("two", true)], ..form("c") });
        assert_eq!(forms.pick("c", "one", "7"), Some(Picked::Waiting));
        assert_eq!(forms.pick("c", "one", "8"), Some(Picked::Waiting), "a pick can change");
        let done = forms.pick("c", "two", "9").unwrap();
        assert_eq!(
            done,
            Picked::Complete(vec![("one".into(), "8".into()), ("two".into(), "9".into())])
        );
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
