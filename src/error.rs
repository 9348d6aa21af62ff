//! Error kinds and their exit codes.
//!
//! Every failure that reaches `main` is an [`Error`]: one line of message, an optional hint, and a
//! kind that decides the exit code (see `docs/guide.md`, "Exit codes").

use std::fmt;

/// What kind of failure this is; decides the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Not found, conflict, unreadable store: exit 1.
    Runtime,
    /// Another writer holds the store longer than the busy timeout: exit 1.
    StoreLocked,
    /// The store cannot be written (file permissions, read-only medium): exit 1.
    StoreReadOnly,
    /// Bad usage or invalid input (name, percent, date, malformed file): exit 2.
    Usage,
    /// The user declined a confirmation: exit 3.
    Declined,
    /// Stdout was closed by the reader (`| head`): exit 0 without a message.
    BrokenPipe,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    /// The name that was not found, for "did you mean" (added by `suggest::enrich`).
    pub missing: Option<Missing>,
}

/// What kind of name was not found, so `suggest::enrich` knows where to look for close ones
/// (and completion, where to look for candidates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Flag,
    Switch,
    Sample,
    /// edX definitions and baseplate experiments (one ID space, one noun).
    Experiment,
    User,
    Group,
    /// Courses seen in course overrides and enrollments.
    Course,
    /// Any toggle, experiment, user or group name, or a name in the audit log (`history NAME`).
    Any,
}

/// A name that was not found (carried by an [`Error`]).
#[derive(Debug, Clone)]
pub struct Missing {
    pub kind: NameKind,
    pub name: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many characters of user text an error message quotes (see [`cut`]).
pub const QUOTE_MAX: usize = 100;

/// User text as an error or warning quotes it: the first [`QUOTE_MAX`] characters, and when
/// there is more, `…` and how long the whole text is. The one place that keeps a message
/// about a 50 MB name one line long: every message that quotes what a file or a person typed
/// goes through it.
pub fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_MAX) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..end],
            text.chars().count()
        )),
    }
}

impl Error {
    pub fn runtime(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Runtime,
            message: message.into(),
            hint: None,
            missing: None,
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            message: message.into(),
            hint: None,
            missing: None,
        }
    }
    pub fn declined(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Declined,
            message: message.into(),
            hint: None,
            missing: None,
        }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Marks the error as "`name` of `kind` does not exist", so the closest existing names are
    /// suggested (see [`crate::suggest`]).
    pub fn missing(mut self, kind: NameKind, name: &str) -> Self {
        self.missing = Some(Missing {
            kind,
            name: name.to_string(),
        });
        self
    }
    /// The documented process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Runtime | Kind::StoreLocked | Kind::StoreReadOnly => 1,
            Kind::Usage => 2,
            Kind::Declined => 3,
            Kind::BrokenPipe => 0,
        }
    }
    /// `thing 'name' not found`, with a hint naming the list command.
    pub fn not_found(kind: &str, name: &str) -> Self {
        use NameKind as K;
        let k = match kind {
            "flag" => K::Flag,
            "switch" => K::Switch,
            "sample" => K::Sample,
            "experiment" => K::Experiment,
            "user" => K::User,
            "group" => K::Group,
            _ => K::Any,
        };
        Error::runtime(format!("{kind} '{}' not found", cut(name)))
            .with_hint(format!("list them with: wafflectl {kind} list"))
            .missing(k, name)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error {
                kind: Kind::BrokenPipe,
                message: String::new(),
                hint: None,
                missing: None,
            }
        } else {
            Error::runtime(e.to_string())
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            return std::io::Error::from(e).into();
        }
        Error::runtime(format!("JSON: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_short_text_and_shortens_long_text() {
        assert_eq!(cut("beta"), "beta");
        let exact = "é".repeat(QUOTE_MAX);
        assert_eq!(cut(&exact), exact);
        let long = "é".repeat(QUOTE_MAX + 1);
        let c = cut(&long);
        assert!(c.starts_with(&"é".repeat(QUOTE_MAX)), "{c}");
        assert!(c.ends_with("… (101 characters)"), "{c}");
    }
}
