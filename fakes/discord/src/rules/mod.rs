//! Discord's documented limits on what a bot sends (application commands, components, modals,
//! embeds, autocomplete choices), checked the way Discord checks them: every problem is
//! collected under the path of the field at fault, and the request is refused as a whole with
//! 400, code 50035 "Invalid Form Body" and an `errors` object shaped like Discord's
//! (`{"0": {"name": {"_errors": [{"code": …, "message": …}]}}}`).

mod commands;
mod components;

use serde_json::{Map, Value, json};

pub(crate) use commands::{check_command, check_commands};
pub(crate) use components::{check_choices, check_components, check_embeds, check_modal};

/// The problems found in one request body.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    found: Vec<(Vec<String>, &'static str, String)>,
}

impl Problems {
    /// Records a problem at `path` (field names and list indexes, outermost first).
    pub(crate) fn add(&mut self, path: &[String], code: &'static str, message: impl Into<String>) {
        self.found.push((path.to_vec(), code, message.into()));
    }

    /// Whether nothing was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Discord's `errors` object.
    pub(crate) fn errors(&self) -> Value {
        let mut root = Value::Object(Map::new());
        for (path, code, message) in &self.found {
            let mut at = &mut root;
            for segment in path {
                at = &mut at[segment.as_str()];
                if at.is_null() {
                    *at = Value::Object(Map::new());
                }
            }
            let list = &mut at["_errors"];
            if list.is_null() {
                *list = json!([]);
            }
            if let Some(list) = list.as_array_mut() {
                list.push(json!({ "code": code, "message": message }));
            }
        }
        root
    }

    /// The whole answer body, or `None` if nothing was found.
    pub(crate) fn into_body(self) -> Option<Value> {
        if self.is_empty() {
            return None;
        }
        Some(json!({ "code": 50035, "message": "Invalid Form Body", "errors": self.errors() }))
    }
}

/// `path` with one more segment.
pub(crate) fn at(path: &[String], segment: impl ToString) -> Vec<String> {
    let mut longer = path.to_vec();
    longer.push(segment.to_string());
    longer
}

/// A string field's length in characters, `None` if absent or null.
pub(crate) fn text_len(value: &Value, key: &str) -> Option<usize> {
    value.get(key).and_then(Value::as_str).map(|s| s.chars().count())
}

/// Checks that `key`, if present, is a string of `min..=max` characters; `required` makes
/// absence a problem too.
pub(crate) fn check_text(
    problems: &mut Problems,
    value: &Value,
    path: &[String],
    key: &str,
    (min, max): (usize, usize),
    required: bool,
) {
    match value.get(key) {
        None | Some(Value::Null) => {
            if required {
                problems.add(&at(path, key), "BASE_TYPE_REQUIRED", "This field is required");
            }
        }
        Some(Value::String(s)) => {
            let len = s.chars().count();
            if len < min || len > max {
                problems.add(
                    &at(path, key),
                    "BASE_TYPE_BAD_LENGTH",
                    format!("Must be between {min} and {max} in length."),
                );
            }
        }
        Some(_) => {
            problems.add(&at(path, key), "STRING_TYPE_CONVERT", "Could not interpret as string.")
        }
    }
}

/// Checks that `key`, if present, is an integer in `min..=max`.
pub(crate) fn check_int(
    problems: &mut Problems,
    value: &Value,
    path: &[String],
    key: &str,
    (min, max): (i64, i64),
) -> Option<i64> {
    let field = value.get(key).filter(|v| !v.is_null())?;
    match field.as_i64() {
        Some(n) if (min..=max).contains(&n) => Some(n),
        Some(_) => {
            let message = format!("int value should be between {min} and {max}.");
            problems.add(&at(path, key), "NUMBER_TYPE_MAX", message);
            None
        }
        None => {
            problems.add(&at(path, key), "NUMBER_TYPE_COERCE", "Value is not int.");
            None
        }
    }
}
