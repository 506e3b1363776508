//! A form that names a person, on Discord: the platform's own user picker (a user select menu,
//! component type 5) in the message, one per such field, with "Not now" beside it when the
//! form may be left empty. Discord lists and searches the server's members for it, so hearth
//! needs no privileged intent and never asks who is in the server. A modal cannot hold a
//! picker, so the form's typed fields (if any) follow in its modal once the people are picked:
//! what is typed is always submitted whole. Picks wait in `Forms`, by step token.

use crate::components::{MAX_BUTTON_LABEL, MAX_ROWS, label, modal};
use crate::forms::{Picked, recall};
use crate::ids::ComponentId;
use crate::origin::Origin;
use crate::outbox::Shared;
use hearth_chat::{Event, Form};
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateButton, CreateInteractionResponse, CreateSelectMenu,
    CreateSelectMenuKind,
};

/// Discord's limit on a select menu's placeholder.
pub const MAX_PLACEHOLDER: usize = 150;

/// A user picker for each of the form's fields that names a person (a row each, leaving one
/// row for the button that leaves the form empty, offered when every field is optional).
pub fn rows(team: &str, form: &Form) -> Vec<CreateActionRow> {
    let people: Vec<_> = form.fields.iter().filter(|f| f.names_person).collect();
    if people.len() >= MAX_ROWS {
        tracing::warn!(fields = people.len(), "more people to pick than a message holds; cut");
    }
    let mut rows = Vec::new();
    for field in people.into_iter().take(MAX_ROWS - 1) {
        let id = ComponentId::Pick {
            team: team.to_owned(),
            token: form.token.clone(),
            field: field.id.clone(),
        };
        let Some(custom_id) = id.encode() else {
            tracing::warn!("a user picker's custom id does not fit; form not offered");
            return Vec::new();
        };
        let kind = CreateSelectMenuKind::User { default_users: None };
        let menu = CreateSelectMenu::new(custom_id, kind)
            .placeholder(label(&field.label, MAX_PLACEHOLDER))
            .min_values(1)
            .max_values(1);
        rows.push(CreateActionRow::SelectMenu(menu));
    }
    let skip = ComponentId::Skip { team: team.to_owned(), token: form.token.clone() };
    if let (Some(words), Some(custom_id)) = (&form.skip, skip.encode()) {
        let button = CreateButton::new(custom_id)
            .label(label(words, MAX_BUTTON_LABEL))
            .style(ButtonStyle::Secondary);
        rows.push(CreateActionRow::Buttons(vec![button]));
    }
    rows
}

/// What a pick comes to: an event for the core, or only an answer to the interaction.
pub enum Step {
    /// Hand this to the core (the form's answers, or a restart when the form is not known).
    Core(Event),
    /// Answer the interaction with this and tell the core nothing yet.
    Respond(CreateInteractionResponse),
}

/// `user` picked for the person field `field` of the form offered under `token`, of `team`
/// (a form rendered elsewhere is first described again by the core: `forms::recall`).
pub async fn picked(
    shared: &Shared,
    origin: &Origin,
    (team, token): (&str, String),
    field: &str,
    user: &str,
) -> Step {
    recall(shared, origin, &token).await;
    let picked = shared.forms.lock().unwrap_or_else(|p| p.into_inner()).pick(&token, field, user);
    match picked {
        Some(Picked::Complete(fields)) => Step::Core(Event::Form { token, fields }),
        Some(Picked::Modal(form)) => Step::Respond(match modal(team, &form) {
            Some(modal) => CreateInteractionResponse::Modal(modal),
            None => CreateInteractionResponse::Acknowledge,
        }),
        Some(Picked::Waiting) => Step::Respond(CreateInteractionResponse::Acknowledge),
        // Answered already (the core says it has expired), or offered elsewhere and the core
        // could not describe it in time (it asks again): only a pick is lost, nothing typed.
        None => Step::Core(Event::Restarted { token }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::{components, settled};
    use hearth_chat::{Controls, FormField};
    use serde_json::{Value, json};
    use serenity::all::ActionRow;

    const TEAM: &str = "1234567890123456789";
    const TOKEN: &str = "42.0123456789abcdef";

    fn json(rows: &[CreateActionRow]) -> Value {
        serde_json::to_value(rows).unwrap()
    }

    #[test]
    fn a_form_naming_a_person_is_a_user_picker_and_a_way_out() {
        let person = FormField {
            id: "person".into(),
            label: "Their name".into(),
            required: false,
            max_chars: 100,
            names_person: true,
        };
        let note = FormField { id: "note".into(), names_person: false, ..person.clone() };
        let form = Form {
            token: TOKEN.into(),
            title: "Ask a teammate".into(),
            fields: vec![person, note],
            skip: Some("Not now".into()),
        };
        let rows = json(&components(TEAM, Some(&Controls::Form(form.clone()))));
        let picker = &rows[0]["components"][0];
        assert_eq!(picker["type"], 5);
        assert_eq!(picker["custom_id"], format!("h|u|{TEAM}|{TOKEN}|person"));
        assert_eq!(picker["placeholder"], "Their name");
        assert_eq!(
            (picker["min_values"].clone(), picker["max_values"].clone()),
            (json!(1), json!(1))
        );
        assert!(picker.get("options").is_none_or(Value::is_null), "{picker}");
        let skip = &rows[1]["components"][0];
        assert_eq!(
            (skip["custom_id"].clone(), skip["label"].clone()),
            (json!(format!("h|k|{TEAM}|{TOKEN}")), json!("Not now"))
        );
        assert_eq!(rows.as_array().unwrap().len(), 2);
        // The fields to type follow in the modal, without the person.
        let modal = serde_json::to_value(modal(TEAM, &form).unwrap()).unwrap();
        assert_eq!(modal["components"].as_array().unwrap().len(), 1);
        assert_eq!(modal["components"][0]["components"][0]["custom_id"], "note");

        // A required person: no way to leave it empty.
        let required = Form { skip: None, ..form };
        let rows = json(&components(TEAM, Some(&Controls::Form(required))));
        assert_eq!(rows.as_array().unwrap().len(), 1);

        // Picked: the picker is disabled, so it cannot be answered twice.
        let sent: Vec<ActionRow> = serde_json::from_value(rows).unwrap();
        let id = format!("h|u|{TEAM}|{TOKEN}|person");
        let after = json(&settled(&sent, &id, Some("80351110224678912")));
        let menu = &after[0]["components"][0];
        assert_eq!((menu["type"].clone(), menu["disabled"].clone()), (json!(5), json!(true)));
        assert_eq!(menu["placeholder"], "Their name");
        assert!(menu.get("default_values").is_none() && menu.get("options").is_none(), "{menu}");
    }
}
