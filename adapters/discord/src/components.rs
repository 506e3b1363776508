//! hearth's controls as Discord components: choices as buttons (at most 5 per row and 5 rows),
//! or a select menu when they do not fit; a form as a button that opens a modal (a modal can
//! only answer an interaction, so it cannot be sent as a message). A form that names a person
//! is Discord's user picker instead (`picker.rs`).
//!
//! Labels are plain text on Discord (no markdown), so they are only shortened to its limits.

use crate::ids::ComponentId;
use crate::text::truncate;
use hearth_chat::{ChoiceOption, Controls, Form};
use serenity::all::{
    ActionRow, ActionRowComponent, ButtonKind, ButtonStyle, ComponentType, CreateActionRow,
    CreateButton, CreateInputText, CreateModal, CreateSelectMenu, CreateSelectMenuKind,
    CreateSelectMenuOption, InputTextStyle,
};

pub const BUTTONS_PER_ROW: usize = 5;
pub const MAX_ROWS: usize = 5;
pub const MAX_BUTTON_LABEL: usize = 80;
pub const MAX_SELECT_OPTIONS: usize = 25;
pub const MAX_SELECT_TEXT: usize = 100;
pub const MAX_MODAL_TITLE: usize = 45;
pub const MAX_INPUT_LABEL: usize = 45;
pub const MAX_INPUT_LENGTH: usize = 4_000;
pub const MAX_MODAL_INPUTS: usize = 5;
/// Longer answers get a paragraph box; shorter ones a single line.
const SHORT_INPUT_MAX: usize = 100;

/// The components for a message's controls, for a message of `team`. Empty when there are
/// none, or when they cannot be carried (logged by kind only).
pub fn components(team: &str, controls: Option<&Controls>) -> Vec<CreateActionRow> {
    match controls {
        None => Vec::new(),
        Some(Controls::Choices { token, options }) => choices(team, token, options),
        Some(Controls::Form(form)) if form.fields.iter().any(|f| f.names_person) => {
            crate::picker::rows(team, form)
        }
        Some(Controls::Form(form)) => {
            let id = ComponentId::OpenForm { team: team.to_owned(), token: form.token.clone() };
            let Some(custom_id) = id.encode() else {
                tracing::warn!("a form's custom id does not fit; form not offered");
                return Vec::new();
            };
            let button = CreateButton::new(custom_id)
                .label(label(&form.title, MAX_BUTTON_LABEL))
                .style(ButtonStyle::Primary);
            vec![CreateActionRow::Buttons(vec![button])]
        }
    }
}

fn choices(team: &str, token: &str, options: &[ChoiceOption]) -> Vec<CreateActionRow> {
    let ids: Option<Vec<String>> = options
        .iter()
        .map(|o| {
            ComponentId::Choice {
                team: team.to_owned(),
                token: token.to_owned(),
                option: o.id.clone(),
            }
            .encode()
        })
        .collect();
    match ids {
        Some(ids) if !ids.is_empty() && ids.len() <= BUTTONS_PER_ROW * MAX_ROWS => ids
            .iter()
            .zip(options)
            .map(|(id, option)| {
                CreateButton::new(id)
                    .label(label(&option.label, MAX_BUTTON_LABEL))
                    .style(ButtonStyle::Secondary)
            })
            .collect::<Vec<_>>()
            .chunks(BUTTONS_PER_ROW)
            .map(|row| CreateActionRow::Buttons(row.to_vec()))
            .collect(),
        _ => select(team, token, options),
    }
}

fn select(team: &str, token: &str, options: &[ChoiceOption]) -> Vec<CreateActionRow> {
    let id = ComponentId::Select { team: team.to_owned(), token: token.to_owned() };
    let Some(custom_id) = id.encode() else {
        tracing::warn!("a select menu's custom id does not fit; choices not offered");
        return Vec::new();
    };
    if options.len() > MAX_SELECT_OPTIONS {
        tracing::warn!(options = options.len(), "more choices than a select menu holds; cut");
    }
    let items: Vec<CreateSelectMenuOption> = options
        .iter()
        .filter(|o| !o.id.is_empty() && o.id.chars().count() <= MAX_SELECT_TEXT)
        .take(MAX_SELECT_OPTIONS)
        .map(|o| CreateSelectMenuOption::new(label(&o.label, MAX_SELECT_TEXT), o.id.clone()))
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    let menu = CreateSelectMenu::new(custom_id, CreateSelectMenuKind::String { options: items })
        .min_values(1)
        .max_values(1);
    vec![CreateActionRow::SelectMenu(menu)]
}

/// The modal a form's button opens (or, for a form that names people, that follows their
/// pickers), for a form of `team`: its fields to type. `None` if it cannot be carried.
pub fn modal(team: &str, form: &Form) -> Option<CreateModal> {
    let id = ComponentId::Modal { team: team.to_owned(), token: form.token.clone() }.encode()?;
    let typed: Vec<_> = form.fields.iter().filter(|f| !f.names_person).collect();
    if typed.len() > MAX_MODAL_INPUTS {
        tracing::warn!(fields = typed.len(), "more fields than a modal holds; cut");
    }
    let rows = typed
        .into_iter()
        .take(MAX_MODAL_INPUTS)
        .map(|field| {
            let max = field.max_chars.clamp(1, MAX_INPUT_LENGTH);
            let style = if max > SHORT_INPUT_MAX {
                InputTextStyle::Paragraph
            } else {
                InputTextStyle::Short
            };
            let shown = label(&field.label, MAX_INPUT_LABEL);
            let mut input = CreateInputText::new(style, shown.clone(), field.id.clone())
                .required(field.required)
                .max_length(u16::try_from(max).unwrap_or(u16::MAX));
            // A label cut to fit is shown whole as the input's placeholder.
            if shown != field.label.trim() {
                input = input.placeholder(truncate(field.label.trim(), MAX_SELECT_TEXT));
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    Some(CreateModal::new(id, label(&form.title, MAX_MODAL_TITLE)).components(rows))
}

/// The components of a message after a person answered it: every button disabled, the chosen
/// one highlighted, a select menu showing the chosen option (a user picker only disabled).
/// So an answered question cannot be answered twice, and shows what was chosen.
pub fn settled(
    rows: &[ActionRow],
    chosen_id: &str,
    chosen_value: Option<&str>,
) -> Vec<CreateActionRow> {
    rows.iter()
        .filter_map(|row| {
            let buttons: Vec<CreateButton> = row
                .components
                .iter()
                .filter_map(|component| match component {
                    ActionRowComponent::Button(button) => {
                        let chosen = matches!(&button.data,
                            ButtonKind::NonLink { custom_id, .. } if custom_id == chosen_id);
                        let style =
                            if chosen { ButtonStyle::Primary } else { ButtonStyle::Secondary };
                        Some(CreateButton::from(button.clone()).style(style).disabled(true))
                    }
                    _ => None,
                })
                .collect();
            if !buttons.is_empty() {
                return Some(CreateActionRow::Buttons(buttons));
            }
            row.components.iter().find_map(|component| match component {
                ActionRowComponent::SelectMenu(menu) if menu.kind == ComponentType::UserSelect => {
                    // Disabled, without the picked person as its default: serenity would send
                    // that id as a JSON number, and the core's answer names them anyway.
                    let custom_id = menu.custom_id.clone().unwrap_or_default();
                    let kind = CreateSelectMenuKind::User { default_users: None };
                    let mut after = CreateSelectMenu::new(custom_id, kind).disabled(true);
                    if let Some(placeholder) = &menu.placeholder {
                        after = after.placeholder(placeholder.clone());
                    }
                    Some(CreateActionRow::SelectMenu(after))
                }
                ActionRowComponent::SelectMenu(menu) => {
                    let options = menu
                        .options
                        .iter()
                        .map(|o| {
                            CreateSelectMenuOption::new(o.label.clone(), o.value.clone())
                                .default_selection(Some(o.value.as_str()) == chosen_value)
                        })
                        .collect();
                    let custom_id = menu.custom_id.clone().unwrap_or_default();
                    let kind = CreateSelectMenuKind::String { options };
                    Some(CreateActionRow::SelectMenu(
                        CreateSelectMenu::new(custom_id, kind).disabled(true),
                    ))
                }
                _ => None,
            })
        })
        .collect()
}

/// A label within `max` characters; never empty (Discord refuses empty labels).
pub fn label(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.is_empty() { "…".to_owned() } else { truncate(text, max) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_chat::FormField;
    use serde_json::{Value, json};

    const TEAM: &str = "1234567890123456789";
    const TOKEN: &str = "42.0123456789abcdef";

    fn options(n: usize, label: &str) -> Vec<ChoiceOption> {
        (0..n).map(|i| ChoiceOption { id: format!("o{i}"), label: format!("{label}{i}") }).collect()
    }

    fn json(rows: &[CreateActionRow]) -> Value {
        serde_json::to_value(rows).unwrap()
    }

    #[test]
    fn few_choices_are_buttons_five_to_a_row() {
        let controls = Controls::Choices { token: TOKEN.into(), options: options(7, "Option ") };
        let rows = json(&components(TEAM, Some(&controls)));
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["components"].as_array().unwrap().len(), 5);
        let first = &rows[0]["components"][0];
        assert_eq!(first["type"], 2);
        assert_eq!(first["label"], "Option 0");
        assert_eq!(first["custom_id"], format!("h|c|{TEAM}|{TOKEN}|o0"));
    }

    #[test]
    fn long_labels_are_shortened() {
        let controls =
            Controls::Choices { token: TOKEN.into(), options: options(1, &"é".repeat(200)) };
        let rows = json(&components(TEAM, Some(&controls)));
        let label = rows[0]["components"][0]["label"].as_str().unwrap();
        assert_eq!(label.chars().count(), MAX_BUTTON_LABEL);
        assert!(label.ends_with('…'));
    }

    #[test]
    fn many_choices_or_long_ids_become_a_select_menu() {
        let controls = Controls::Choices { token: TOKEN.into(), options: options(30, "Option ") };
        let rows = json(&components(TEAM, Some(&controls)));
        assert_eq!(rows.as_array().unwrap().len(), 1);
        let menu = &rows[0]["components"][0];
        assert_eq!(menu["type"], 3);
        assert_eq!(menu["custom_id"], format!("h|s|{TEAM}|{TOKEN}"));
        assert_eq!(menu["options"].as_array().unwrap().len(), MAX_SELECT_OPTIONS);
        assert_eq!(menu["options"][1], json!({"label": "Option 1", "value": "o1"}));

        let long = vec![ChoiceOption { id: "x".repeat(70), label: "Long".into() }];
        let controls = Controls::Choices { token: TOKEN.into(), options: long };
        assert_eq!(json(&components(TEAM, Some(&controls)))[0]["components"][0]["type"], 3);
    }

    #[test]
    fn a_form_is_a_button_that_opens_a_modal() {
        let form = Form {
            token: TOKEN.into(),
            title: "Share a line with the channel".into(),
            fields: vec![
                FormField {
                    id: "text".into(),
                    label: "What would you like to share? It goes to the whole channel.".into(),
                    required: false,
                    max_chars: 300,
                    names_person: false,
                },
                FormField {
                    id: "who".into(),
                    label: "Who".into(),
                    required: true,
                    max_chars: 100,
                    names_person: false,
                },
            ],
            skip: None,
        };
        let rows = json(&components(TEAM, Some(&Controls::Form(form.clone()))));
        assert_eq!(rows[0]["components"][0]["custom_id"], format!("h|f|{TEAM}|{TOKEN}"));
        assert_eq!(rows[0]["components"][0]["label"], "Share a line with the channel");

        let modal = serde_json::to_value(modal(TEAM, &form).unwrap()).unwrap();
        assert_eq!(modal["custom_id"], format!("h|m|{TEAM}|{TOKEN}"));
        let first = &modal["components"][0]["components"][0];
        assert_eq!(first["custom_id"], "text");
        assert_eq!(first["style"], 2);
        assert_eq!(first["max_length"], 300);
        assert_eq!(first["required"], false);
        let label = first["label"].as_str().unwrap();
        assert!(label.chars().count() <= MAX_INPUT_LABEL && label.ends_with('…'), "{label}");
        assert_eq!(first["placeholder"], form.fields[0].label);
        let second = &modal["components"][1]["components"][0];
        assert_eq!((second["style"].clone(), second["label"].clone()), (json!(1), json!("Who")));
        assert!(second.get("placeholder").is_none());
    }

    #[test]
    fn a_modal_holds_at_most_five_inputs() {
        let field = |i: usize| FormField {
            id: format!("f{i}"),
            label: "L".into(),
            required: false,
            max_chars: 10_000,
            names_person: false,
        };
        let form = Form {
            token: TOKEN.into(),
            title: "T".repeat(60),
            fields: (0..7).map(field).collect(),
            skip: None,
        };
        let modal = serde_json::to_value(modal(TEAM, &form).unwrap()).unwrap();
        assert_eq!(modal["components"].as_array().unwrap().len(), MAX_MODAL_INPUTS);
        assert_eq!(modal["title"].as_str().unwrap().chars().count(), MAX_MODAL_TITLE);
        assert_eq!(modal["components"][0]["components"][0]["max_length"], MAX_INPUT_LENGTH);
    }

    #[test]
    fn answered_buttons_are_disabled_and_the_choice_shown() {
        let controls = Controls::Choices { token: TOKEN.into(), options: options(3, "O") };
        let sent = json(&components(TEAM, Some(&controls)));
        let rows: Vec<ActionRow> = serde_json::from_value(sent).unwrap();
        let chosen = format!("h|c|{TEAM}|{TOKEN}|o1");
        let after = json(&settled(&rows, &chosen, None));
        let buttons = after[0]["components"].as_array().unwrap();
        assert!(buttons.iter().all(|b| b["disabled"] == true));
        let styles: Vec<&Value> = buttons.iter().map(|b| &b["style"]).collect();
        assert_eq!(styles, [&json!(2), &json!(1), &json!(2)]);
    }
}
