//! Timezone names suggested while a person types one (Discord's autocomplete). Only a
//! suggestion: the core checks the name it is finally given.

use crate::commands::MAX_CHOICES;

/// Up to 25 IANA timezone names matching what was typed: names starting with it first, then
/// those whose city part starts with it (`london` → Europe/London), then names containing it.
pub fn timezones(typed: &str) -> Vec<&'static str> {
    let typed = typed.trim().to_lowercase().replace(' ', "_");
    let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    let mut found: Vec<(u8, &'static str)> = names
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let rank = if lower.starts_with(&typed) {
                0
            } else if lower.rsplit('/').next().is_some_and(|city| city.starts_with(&typed)) {
                1
            } else if lower.contains(&typed) {
                2
            } else {
                return None;
            };
            Some((rank, name))
        })
        .collect();
    found.sort();
    found.into_iter().take(MAX_CHOICES).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_suggested_best_match_first() {
        assert_eq!(timezones("europe/lond"), ["Europe/London"]);
        assert_eq!(timezones("london")[0], "Europe/London");
        assert_eq!(timezones("new york"), ["America/New_York"]);
        assert_eq!(timezones("").len(), MAX_CHOICES);
        assert!(timezones("no such place").is_empty());
    }
}
