//! Limits on message components (action rows, buttons, selects), modals (text inputs), embeds
//! and autocomplete choices, as Discord's developer documentation states them.

use std::collections::HashSet;

use serde_json::Value;

use super::{Problems, at, check_int, check_text, text_len};

/// Select menus: string, user, role, mentionable, channel.
const SELECTS: [u64; 5] = [3, 5, 6, 7, 8];

/// A message's `components`: at most 5 action rows; a row holds 1–5 buttons or one select;
/// custom ids of 1–100 characters, unique in the message; button labels at most 80; select
/// placeholders at most 150, `min_values` 0–25 and `max_values` 1–25 (min ≤ max); a string
/// select's 1–25 options with labels, values and descriptions of at most 100.
pub(crate) fn check_components(problems: &mut Problems, components: &Value, path: &[String]) {
    let Some(rows) = components.as_array() else {
        if !components.is_null() {
            problems.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
        }
        return;
    };
    if rows.len() > 5 {
        problems.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
    }
    let mut ids = HashSet::new();
    for (r, row) in rows.iter().enumerate() {
        let row_path = at(path, r);
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            problems.add(
                &at(&row_path, "type"),
                "UNION_TYPE_CHOICES",
                "Value must be an action row.",
            );
            continue;
        }
        let row_path = at(&row_path, "components");
        let inner = row.get("components").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        if inner.is_empty() || inner.len() > 5 {
            problems.add(&row_path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
        }
        let selects = inner.iter().filter(|c| SELECTS.contains(&kind(c))).count();
        if selects > 0 && inner.len() > 1 {
            let message = "A select menu must be alone in its action row.";
            problems.add(&row_path, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", message);
        }
        for (c, component) in inner.iter().enumerate() {
            let c_path = at(&row_path, c);
            if let Some(id) = component.get("custom_id").and_then(Value::as_str)
                && !ids.insert(id.to_owned())
            {
                let message = "Component custom id cannot be duplicated";
                problems.add(&at(&c_path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", message);
            }
            match kind(component) {
                2 => check_button(problems, component, &c_path),
                k if SELECTS.contains(&k) => check_select(problems, component, &c_path),
                _ => problems.add(
                    &at(&c_path, "type"),
                    "UNION_TYPE_CHOICES",
                    "Value must be a button or a select menu.",
                ),
            }
        }
    }
}

fn kind(component: &Value) -> u64 {
    component.get("type").and_then(Value::as_u64).unwrap_or(0)
}

fn check_button(problems: &mut Problems, button: &Value, path: &[String]) {
    let style = button.get("style").and_then(Value::as_u64).unwrap_or(0);
    check_text(problems, button, path, "label", (0, 80), false);
    match style {
        1..=4 => check_text(problems, button, path, "custom_id", (1, 100), true),
        5 => {
            check_text(problems, button, path, "url", (1, 512), true);
            if button.get("custom_id").is_some_and(|v| !v.is_null()) {
                let message = "A link button cannot have a custom id.";
                problems.add(
                    &at(path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    message,
                );
            }
        }
        6 => {}
        _ => problems.add(
            &at(path, "style"),
            "BASE_TYPE_CHOICES",
            "Value must be one of (1, 2, 3, 4, 5, 6).",
        ),
    }
    let labelled = text_len(button, "label").is_some_and(|n| n > 0)
        || button.get("emoji").is_some_and(|e| !e.is_null());
    if style != 6 && !labelled {
        problems.add(
            &at(path, "label"),
            "BUTTON_COMPONENT_LABEL_REQUIRED",
            "A button needs a label or an emoji.",
        );
    }
}

fn check_select(problems: &mut Problems, select: &Value, path: &[String]) {
    check_text(problems, select, path, "custom_id", (1, 100), true);
    check_text(problems, select, path, "placeholder", (0, 150), false);
    let min = check_int(problems, select, path, "min_values", (0, 25)).unwrap_or(1);
    let max = check_int(problems, select, path, "max_values", (1, 25)).unwrap_or(1);
    if min > max {
        let message = "min_values must be less than or equal to max_values.";
        problems.add(&at(path, "min_values"), "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE", message);
    }
    if kind(select) == 3 {
        let options =
            select.get("options").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let options_path = at(path, "options");
        if options.is_empty() || options.len() > 25 {
            problems.add(
                &options_path,
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 25 in length.",
            );
        }
        if usize::try_from(max).is_ok_and(|max| max > options.len()) && !options.is_empty() {
            let message = "max_values must be less than or equal to the number of options.";
            problems.add(&at(path, "max_values"), "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE", message);
        }
        let mut values = HashSet::new();
        for (o, option) in options.iter().enumerate() {
            let o_path = at(&options_path, o);
            check_text(problems, option, &o_path, "label", (1, 100), true);
            check_text(problems, option, &o_path, "value", (1, 100), true);
            check_text(problems, option, &o_path, "description", (0, 100), false);
            if let Some(value) = option.get("value").and_then(Value::as_str)
                && !values.insert(value)
            {
                let message = "Select component option values must be unique.";
                problems.add(
                    &at(&o_path, "value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    message,
                );
            }
        }
    } else if let Some(defaults) = select.get("default_values").and_then(Value::as_array)
        && usize::try_from(max).is_ok_and(|max| defaults.len() > max)
    {
        let message = "More default values than max_values.";
        problems.add(&at(path, "default_values"), "BASE_TYPE_BAD_LENGTH", message);
    }
}

/// A modal (callback type 9's `data`): custom id 1–100, title 1–45, 1–5 action rows each
/// holding one text input: custom id 1–100 (unique), style 1 or 2, label 1–45,
/// `min_length` 0–4000, `max_length` 1–4000, a prefilled `value` of at most 4000 and at most
/// `max_length`, placeholder at most 100.
pub(crate) fn check_modal(problems: &mut Problems, data: &Value, path: &[String]) {
    check_text(problems, data, path, "custom_id", (1, 100), true);
    check_text(problems, data, path, "title", (1, 45), true);
    let rows_path = at(path, "components");
    let rows = data.get("components").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    if rows.is_empty() || rows.len() > 5 {
        problems.add(&rows_path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    }
    let mut ids = HashSet::new();
    for (r, row) in rows.iter().enumerate() {
        let row_path = at(&rows_path, r);
        let inner = row.get("components").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        if kind(row) != 1 || inner.len() != 1 || kind(&inner[0]) != 4 {
            let message = "A modal row must be an action row holding one text input.";
            problems.add(&row_path, "MODAL_COMPONENT_INVALID", message);
            continue;
        }
        let input = &inner[0];
        let i_path = at(&at(&row_path, "components"), 0);
        check_text(problems, input, &i_path, "custom_id", (1, 100), true);
        if let Some(id) = input.get("custom_id").and_then(Value::as_str)
            && !ids.insert(id.to_owned())
        {
            let message = "Component custom id cannot be duplicated";
            problems.add(&at(&i_path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", message);
        }
        if !matches!(input.get("style").and_then(Value::as_u64), Some(1 | 2)) {
            problems.add(
                &at(&i_path, "style"),
                "BASE_TYPE_CHOICES",
                "Value must be one of (1, 2).",
            );
        }
        check_text(problems, input, &i_path, "label", (1, 45), true);
        check_text(problems, input, &i_path, "placeholder", (0, 100), false);
        let min = check_int(problems, input, &i_path, "min_length", (0, 4000)).unwrap_or(0);
        let max = check_int(problems, input, &i_path, "max_length", (1, 4000)).unwrap_or(4000);
        if min > max {
            let message = "min_length must be less than or equal to max_length.";
            problems.add(&at(&i_path, "min_length"), "BASE_TYPE_BAD_LENGTH", message);
        }
        if text_len(input, "value").is_some_and(|n| i64::try_from(n).unwrap_or(i64::MAX) > max) {
            let message = format!("Must be {max} or fewer in length.");
            problems.add(&at(&i_path, "value"), "BASE_TYPE_MAX_LENGTH", message);
        }
    }
}

/// A message's `embeds`: at most 10; title ≤ 256, description ≤ 4096, ≤ 25 fields with a name
/// of 1–256 and a value of 1–1024, footer text ≤ 2048, author name ≤ 256, and all of those
/// together at most 6000 characters.
pub(crate) fn check_embeds(problems: &mut Problems, embeds: &Value, path: &[String]) {
    let Some(embeds) = embeds.as_array() else { return };
    if embeds.len() > 10 {
        problems.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    }
    let mut total = 0;
    for (e, embed) in embeds.iter().enumerate() {
        let e_path = at(path, e);
        check_text(problems, embed, &e_path, "title", (0, 256), false);
        check_text(problems, embed, &e_path, "description", (0, 4096), false);
        total +=
            text_len(embed, "title").unwrap_or(0) + text_len(embed, "description").unwrap_or(0);
        if let Some(footer) = embed.get("footer").filter(|f| !f.is_null()) {
            check_text(problems, footer, &at(&e_path, "footer"), "text", (1, 2048), true);
            total += text_len(footer, "text").unwrap_or(0);
        }
        if let Some(author) = embed.get("author").filter(|a| !a.is_null()) {
            check_text(problems, author, &at(&e_path, "author"), "name", (1, 256), true);
            total += text_len(author, "name").unwrap_or(0);
        }
        let fields = embed.get("fields").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        if fields.len() > 25 {
            problems.add(
                &at(&e_path, "fields"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            );
        }
        for (f, field) in fields.iter().enumerate() {
            let f_path = at(&at(&e_path, "fields"), f);
            check_text(problems, field, &f_path, "name", (1, 256), true);
            check_text(problems, field, &f_path, "value", (1, 1024), true);
            total += text_len(field, "name").unwrap_or(0) + text_len(field, "value").unwrap_or(0);
        }
    }
    if total > 6000 {
        problems.add(path, "MESSAGE_EMBEDS_TOO_LONG", "Embed size exceeds maximum size of 6000");
    }
}

/// Autocomplete choices (callback type 8's `data.choices`): at most 25, each a name of 1–100
/// characters and a string value of at most 100 (or a number).
pub(crate) fn check_choices(problems: &mut Problems, data: &Value, path: &[String]) {
    let choices_path = at(path, "choices");
    let Some(choices) = data.get("choices").and_then(Value::as_array) else {
        problems.add(&choices_path, "BASE_TYPE_REQUIRED", "This field is required");
        return;
    };
    if choices.len() > 25 {
        problems.add(&choices_path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    for (c, choice) in choices.iter().enumerate() {
        let c_path = at(&choices_path, c);
        check_text(problems, choice, &c_path, "name", (1, 100), true);
        match choice.get("value") {
            Some(Value::String(_)) => {
                check_text(problems, choice, &c_path, "value", (0, 100), true)
            }
            Some(Value::Number(_)) => {}
            _ => {
                problems.add(&at(&c_path, "value"), "BASE_TYPE_REQUIRED", "This field is required")
            }
        }
    }
}
