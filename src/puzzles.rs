//! Small real puzzles for breaks: word scrambles (from the word list in `prompts/`), number
//! sequences (generated, with one right answer) and riddles (from `prompts/`, with the
//! answers they accept). A puzzle is stored as ids and a seed, never as text; its words are
//! looked up when it is shown or checked.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Puzzle {
    /// The word at `word` in the word list (from 0), its letters shuffled by `seed`.
    Scramble { word: u32, seed: u32 },
    /// A number sequence made from `seed`.
    Sequence { seed: u32 },
    /// Riddle number `number` (from 1).
    Riddle { number: u32 },
}

/// How many words and riddles there are to draw from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    pub words: u32,
    pub riddles: u32,
}

impl Puzzle {
    /// A puzzle the person has not seen lately (by `recent` ids), chosen by `seed`.
    pub fn pick(seed: u64, sizes: Sizes, recent: &[String]) -> Puzzle {
        // What was seen lately moves the choice on, even at the same moment.
        let mut rng = Rng(seed ^ (recent.len() as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        // Rotate through the kinds so a run of breaks brings variety.
        let kinds: &[u8] = match (sizes.words, sizes.riddles) {
            (0, 0) => &[1],
            (0, _) => &[1, 2],
            (_, 0) => &[0, 1],
            _ => &[0, 1, 2],
        };
        let kind = kinds[rng.below(kinds.len() as u64) as usize];
        let fresh = |count: u32, id: &dyn Fn(u32) -> String, rng: &mut Rng| -> u32 {
            let unseen: Vec<u32> = (0..count).filter(|i| !recent.contains(&id(*i))).collect();
            match unseen.len() {
                0 => rng.below(u64::from(count)) as u32,
                n => unseen[rng.below(n as u64) as usize],
            }
        };
        match kind {
            0 => {
                let word = fresh(sizes.words, &|i| format!("word:{i}"), &mut rng);
                Puzzle::Scramble { word, seed: rng.next() as u32 }
            }
            2 => {
                let number = fresh(sizes.riddles, &|i| format!("riddle:{}", i + 1), &mut rng) + 1;
                Puzzle::Riddle { number }
            }
            _ => {
                // A sequence not shown lately (there are a couple of hundred).
                let mut sequence = Puzzle::Sequence { seed: rng.next() as u32 };
                for _ in 0..20 {
                    if !recent.contains(&sequence.id()) {
                        break;
                    }
                    sequence = Puzzle::Sequence { seed: rng.next() as u32 };
                }
                sequence
            }
        }
    }

    /// The id remembered as seen.
    pub fn id(&self) -> String {
        match self {
            Puzzle::Scramble { word, .. } => format!("word:{word}"),
            // By what it shows: different seeds can make the same sequence.
            Puzzle::Sequence { seed } => {
                let shown: Vec<String> = sequence(*seed).0.iter().map(i64::to_string).collect();
                format!("sequence:{}", shown.join(","))
            }
            Puzzle::Riddle { number } => format!("riddle:{number}"),
        }
    }
}

/// The numbers shown and the one that comes next.
pub fn sequence(seed: u32) -> (Vec<i64>, i64) {
    let mut rng = Rng(u64::from(seed) ^ 0x5eed);
    let start = 1 + rng.below(9) as i64;
    let step = 2 + rng.below(8) as i64;
    let mut numbers: Vec<i64> = Vec::with_capacity(6);
    match rng.below(5) {
        // Add the same each time: 3, 7, 11, 15, …
        0 => (0..6).for_each(|i| numbers.push(start + step * i)),
        // Double each time: 3, 6, 12, 24, …
        1 => (0..6).for_each(|i| numbers.push(start * (1 << i))),
        // Squares, shifted: 1+k, 4+k, 9+k, …
        2 => (1..=6).for_each(|i| numbers.push(i * i + start)),
        // Each is the sum of the two before: 2, 3, 5, 8, …
        3 => {
            let (mut a, mut b) = (start, start + 1 + rng.below(3) as i64);
            for _ in 0..6 {
                numbers.push(a);
                (a, b) = (b, a + b);
            }
        }
        // The step grows by one each time: 4, 6, 9, 13, …
        _ => {
            let mut n = start;
            for i in 0..6 {
                numbers.push(n);
                n += step + i;
            }
        }
    }
    let next = numbers.pop().unwrap_or_default();
    (numbers, next)
}

/// The letters of `word` shuffled by `seed`, never left as the word itself (when it can
/// be helped), separated by spaces so they read as a puzzle.
pub fn scramble(word: &str, seed: u32) -> String {
    let mut letters: Vec<char> = word.chars().collect();
    let mut rng = Rng(u64::from(seed) | 1);
    for _ in 0..8 {
        for i in (1..letters.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            letters.swap(i, j);
        }
        if letters.iter().collect::<String>() != word {
            break;
        }
    }
    letters.iter().map(|c| c.to_uppercase().to_string()).collect::<Vec<_>>().join(" ")
}

/// Whether `given` is one of `answers`, ignoring case, spaces, punctuation and a leading
/// "a", "an" or "the".
pub fn accepts(answers: &[String], given: &str) -> bool {
    let given = normal(given);
    !given.is_empty() && answers.iter().any(|a| normal(a) == given)
}

fn normal(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).collect();
    let words = match words.as_slice() {
        ["a" | "an" | "the" | "your", rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    words.concat().replace('-', "")
}

/// A small deterministic generator (splitmix64): puzzles are rebuilt from their seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sequence_has_one_clear_next_number() {
        for seed in 0..500 {
            let (shown, next) = sequence(seed);
            assert_eq!(shown.len(), 5);
            assert!(shown.windows(2).all(|w| w[0] < w[1]), "{seed}: {shown:?}");
            assert!(next > shown[4], "{seed}: {shown:?} then {next}");
        }
        // One of each kind, checked by hand.
        let kinds: std::collections::HashSet<_> = (0..200).map(|s| sequence(s).0[1]).collect();
        assert!(kinds.len() > 5);
    }

    #[test]
    fn a_scramble_is_the_words_letters_in_another_order() {
        for seed in 0..200 {
            let shown = scramble("garden", seed).replace(' ', "").to_lowercase();
            assert_ne!(shown, "garden");
            let (mut a, mut b): (Vec<char>, Vec<char>) =
                (shown.chars().collect(), "garden".chars().collect());
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn answers_are_read_generously() {
        let answers = vec!["a towel".to_owned(), "towel".to_owned()];
        for given in ["Towel", " a towel ", "A TOWEL!", "the towel", "t o w e l"] {
            assert!(accepts(&answers, given), "{given}");
        }
        for given in ["", "a", "towels please", "sponge"] {
            assert!(!accepts(&answers, given), "{given}");
        }
        assert!(accepts(&["42".to_owned()], " 42 "));
    }

    #[test]
    fn a_week_of_puzzles_does_not_repeat() {
        let sizes = Sizes { words: 90, riddles: 15 };
        let mut recent: Vec<String> = Vec::new();
        for seed in 0..40u64 {
            let puzzle = Puzzle::pick(seed.wrapping_mul(7919), sizes, &recent);
            assert!(!recent.contains(&puzzle.id()), "{puzzle:?} again after {recent:?}");
            recent.push(puzzle.id());
        }
    }
}
