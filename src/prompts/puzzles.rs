//! Puzzles in words: the scramble word list, a puzzle's question, and the answers it accepts,
//! from the prompts (so a team's own words and riddles count).

use super::Line;
use super::Prompts;
use super::keys as k;
use crate::puzzles::{self, Puzzle};

impl Prompts {
    /// The words of the scramble word list.
    pub fn words(&self, locale: &str) -> Vec<String> {
        let list = self.render_key(locale, k::PUZZLE_WORDS, &[]);
        list.split(',').map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()).collect()
    }

    /// A puzzle's question, in words.
    pub fn puzzle_question(&self, locale: &str, puzzle: Puzzle) -> String {
        let line = match puzzle {
            Puzzle::Scramble { word, seed } => {
                let words = self.words(locale);
                let word = words.get(word as usize).map_or("", String::as_str);
                Line::new(k::PUZZLE_SCRAMBLE).arg("letters", puzzles::scramble(word, seed))
            }
            Puzzle::Sequence { seed } => {
                let (shown, _) = puzzles::sequence(seed);
                let shown: Vec<String> = shown.iter().map(i64::to_string).collect();
                Line::new(k::PUZZLE_SEQUENCE).arg("numbers", shown.join(", "))
            }
            Puzzle::Riddle { number } => {
                let riddle = self.render_key(locale, &format!("riddle-{number}"), &[]);
                Line::new(k::PUZZLE_RIDDLE).arg("riddle", riddle)
            }
        };
        self.render(locale, &line)
    }

    /// The answers a puzzle accepts; the first is the one shown. Never empty.
    pub fn puzzle_answers(&self, locale: &str, puzzle: Puzzle) -> Vec<String> {
        let answers: Vec<String> = match puzzle {
            Puzzle::Scramble { word, .. } => {
                self.words(locale).into_iter().nth(word as usize).into_iter().collect()
            }
            Puzzle::Sequence { seed } => vec![puzzles::sequence(seed).1.to_string()],
            Puzzle::Riddle { number } => self
                .render_key(locale, &format!("riddle-{number}-answer"), &[])
                .split('|')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
        };
        if answers.is_empty() { vec![String::new()] } else { answers }
    }
}
