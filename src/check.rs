//! `hearth check`: configuration and prompts are complete and valid, or a clear list of what
//! is not.

use crate::catalogue;
use crate::config::Config;
use crate::prompts::{Prompts, keys};

/// Every problem found, as lines for a person to read. Empty means all is well.
pub fn problems(config: &Config) -> Vec<String> {
    let prompts = match Prompts::load(config.prompts_dir.as_deref()) {
        Ok(prompts) => prompts,
        Err(error) => return vec![format!("prompts: {error}")],
    };
    let catalogue = catalogue::catalogue();
    let keys = keys::ALL.iter().copied().chain(catalogue::keys(&catalogue));
    let mut problems: Vec<String> = prompts
        .missing(keys)
        .into_iter()
        .map(|(locale, key)| format!("prompts/{locale}: no message {key:?}"))
        .collect();
    if !prompts.locales().any(|l| l == config.team_defaults.locale) {
        problems.push(format!(
            "team_defaults.locale is {:?}, but there are prompts only for: {}",
            config.team_defaults.locale,
            prompts.locales().collect::<Vec<_>>().join(", ")
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_defaults_check_clean() {
        assert_eq!(super::problems(&crate::config::Config::default()), Vec::<String>::new());
    }
}
