//! A message as data: a prompt key with its variables, which the flows say and `Prompts`
//! renders. It lives with the prompts so that the words never import the flows that use them.

/// A prompt key (see `prompts/`).
pub type Key = &'static str;

/// A value for a prompt's variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

/// One message in `prompts/`, with its variables filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub key: Key,
    pub args: Vec<(&'static str, Arg)>,
}

impl Line {
    pub fn new(key: Key) -> Self {
        Self { key, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

impl From<Key> for Line {
    fn from(key: Key) -> Self {
        Line::new(key)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Num(n.into())
    }
}

/// Counts and lengths; none comes near `i64::MAX`.
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
