//! Validated values, parsed once: each type's `FromStr` is the one place its rule lives. clap
//! uses them as value parsers (a bad value is a usage error, exit 2, before anything else runs)
//! and import uses the same checks for what a file says (`interop::check`). Times typed on the
//! command line are types too: [`When`], [`EpochTime`] (baseplate) and [`EdxTime`] (read as
//! edX's dateutil reads them); a bad one names its option.
//!
//! Limits are Django 5.2's columns: `auth_user.username` and `auth_group.name` are
//! `varchar(150)`, `waffle_{flag,switch,sample}.name` `varchar(100)`; edX's experiment IDs are
//! `PositiveSmallIntegerField` (0–32767); a bucket count fits edX's 32-bit hash.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use crate::engine::CourseKey;
use crate::engine::experiment::MAX_BUCKETS;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::server_url::ServerUrl;

/// `waffle_flag.name`, `waffle_switch.name`, `waffle_sample.name`: `varchar(100)`.
pub const TOGGLE_NAME_MAX: usize = 100;
/// `auth_user.username` and `auth_group.name`: `varchar(150)`.
pub const USERNAME_MAX: usize = 150;
pub const GROUP_NAME_MAX: usize = 150;
/// edX's `PositiveSmallIntegerField`.
pub const MAX_EXPERIMENT_ID: i64 = 32767;
/// Most worker threads `--jobs` and `$WAFFLECTL_JOBS` accept.
pub const JOBS_MAX: u16 = 1024;

/// What is wrong with a name, before it is put into words (the command line and import word
/// it differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    Empty,
    /// Whitespace or a control character.
    Whitespace,
    TooLong(usize),
}

/// A single word of at most `max` characters: not empty, no whitespace or control characters.
pub fn word_flaw(s: &str, max: usize) -> Option<Flaw> {
    if s.is_empty() {
        Some(Flaw::Empty)
    } else if s.len() > max.saturating_mul(4) {
        // More bytes than `max` characters can take: too long, whatever else is wrong with it
        // (and a 50 MB name is not scanned character by character).
        Some(Flaw::TooLong(max))
    } else if has_space(s) {
        Some(Flaw::Whitespace)
    } else if s.len() > max && s.chars().count() > max {
        Some(Flaw::TooLong(max))
    } else {
        None
    }
}

/// Whitespace or a control character anywhere in `s` (what no name of a single word holds);
/// bytes first, as nearly every name is ASCII (bulk bucketing asks for millions of names).
#[inline]
pub fn has_space(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b == b' ' || b.is_ascii_control())
    } else {
        s.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

/// A name of `kind` (flag, switch, group...) as the command line words its flaw.
fn name_error(kind: &str, name: &str, flaw: Flaw) -> Error {
    match flaw {
        Flaw::Empty => Error::usage(format!("{kind} name is empty")),
        Flaw::Whitespace => Error::usage(format!(
            "{kind} name '{}' contains whitespace",
            crate::error::cut(name)
        ))
        .with_hint("names are single words such as course_experience.relative_dates"),
        Flaw::TooLong(max) => Error::usage(format!("{kind} name is longer than {max} characters")),
    }
}

/// A validated name of `kind`, for values that are not typed on the command line (lists in a
/// file, names built from others).
pub fn check_name(kind: &str, name: &str, max: usize) -> Result<()> {
    match word_flaw(name, max) {
        Some(f) => Err(name_error(kind, name, f)),
        None => Ok(()),
    }
}

macro_rules! text_type {
    ($(#[$doc:meta])* $t:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $t(String);

        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_string(self) -> String {
                self.0
            }
        }
        impl Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    };
}

macro_rules! name_type {
    ($(#[$doc:meta])* $t:ident, $kind:literal, $max:expr) => {
        text_type!($(#[$doc])* $t);
        impl $t {
            pub const KIND: &'static str = $kind;
            pub const MAX: usize = $max;
        }
        impl FromStr for $t {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                check_name($kind, s, $max)?;
                Ok($t(s.to_string()))
            }
        }
    };
}

name_type!(
    /// A django-waffle flag name.
    FlagName, "flag", TOGGLE_NAME_MAX
);
name_type!(
    /// A django-waffle switch name.
    SwitchName, "switch", TOGGLE_NAME_MAX
);
name_type!(
    /// A django-waffle sample name.
    SampleName, "sample", TOGGLE_NAME_MAX
);
name_type!(
    /// A switch, sample, flag or experiment name (`eval`).
    ToggleName, "toggle", TOGGLE_NAME_MAX
);
name_type!(
    /// A `django.contrib.auth` group name (`auth_group.name`, 150 characters).
    GroupName, "group", GROUP_NAME_MAX
);
/// A key of a `varchar(255)` column, by [`key_text`]; `$what` names it in errors.
macro_rules! key_type {
    ($(#[$doc:meta])* $t:ident, $what:literal) => {
        text_type!($(#[$doc])* $t);
        impl $t {
            pub const MAX: usize = 255;
        }
        impl FromStr for $t {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                key_text($what, s, $t::MAX)?;
                Ok($t(s.to_string()))
            }
        }
    };
}

key_type!(
    /// A baseplate experiment's key (its top-level key in experiments.json). Baseplate itself
    /// takes any JSON string and real files use names without a namespace (`r2_test`), so the
    /// rule is what the store's column (`wafflectl_baseplate.key`) holds: not blank, 1 to 255
    /// characters, no control characters.
    ExperimentKey,
    "experiment name"
);

key_type!(
    /// The key of an edX experiment key-value or of per-user experiment data (`key`,
    /// `varchar(255)`): not blank, no control characters.
    KvKey,
    "key"
);

/// The rule of a key column (`varchar(max)`): not blank, at most `max` characters (checked
/// first: a 50 MB key is not scanned), no control characters. `what` names it in errors.
fn key_text(what: &str, s: &str, max: usize) -> Result<()> {
    if s.trim().is_empty() {
        return Err(Error::usage(format!("{what} is empty")));
    }
    if s.len() > max && s.chars().nth(max).is_some() {
        return Err(Error::usage(format!(
            "{what} is longer than {max} characters"
        )));
    }
    if s.chars().any(char::is_control) {
        return Err(Error::usage(format!(
            "{what} '{}' contains control characters",
            crate::error::cut(&s.escape_debug().to_string())
        )));
    }
    Ok(())
}

text_type!(
    /// An organisation as edX course keys hold it (`edX` in `course-v1:edX+DemoX+2024`), the
    /// key of an org override (`varchar(255)`).
    OrgName
);

impl OrgName {
    pub const MAX: usize = 255;
}

impl FromStr for OrgName {
    type Err = Error;
    fn from_str(org: &str) -> Result<Self> {
        if org.is_empty() {
            return Err(Error::usage("organisation is empty"));
        }
        if org.contains('+') || org.contains('/') {
            return Err(Error::usage(format!(
                "'{}' is not an organisation (it looks like a course key)",
                crate::error::cut(org)
            ))
            .with_hint("use --course for a course key, --org for the ORG part alone (e.g. edX)"));
        }
        let ok = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%');
        if !org.chars().all(ok) {
            return Err(Error::usage(format!(
                "'{}' is not an organisation (letters, digits and - _ . ~ % only)",
                crate::error::cut(org)
            )));
        }
        if org.chars().nth(OrgName::MAX).is_some() {
            return Err(Error::usage(format!(
                "organisation is longer than {} characters",
                OrgName::MAX
            )));
        }
        Ok(OrgName(org.to_string()))
    }
}

text_type!(
    /// A `django.contrib.auth` username: one word of at most 150 characters.
    Username
);

impl Username {
    pub const MAX: usize = USERNAME_MAX;

    /// What is wrong with `u` as a username, if anything.
    pub fn flaw(u: &str) -> Option<Flaw> {
        word_flaw(u, USERNAME_MAX)
    }
}

impl FromStr for Username {
    type Err = Error;
    fn from_str(u: &str) -> Result<Self> {
        match Username::flaw(u) {
            None => Ok(Username(u.to_string())),
            Some(Flaw::Empty) => Err(Error::usage("username is empty")),
            Some(Flaw::Whitespace) => Err(Error::usage(format!(
                "username '{}' contains whitespace",
                crate::error::cut(u)
            ))),
            Some(Flaw::TooLong(max)) => Err(Error::usage(format!(
                "username is longer than {max} characters"
            ))),
        }
    }
}

text_type!(
    /// An edX experiment's name: its main flag's, namespaced (`app.name`) as edX's
    /// `ExperimentWaffleFlag` requires.
    ExperimentName
);

impl FromStr for ExperimentName {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        check_name("experiment", name, TOGGLE_NAME_MAX)?;
        if !name.contains('.') {
            return Err(Error::usage(format!(
                "experiment name '{name}' is not namespaced (edX requires a '.')"
            ))
            .with_hint(format!("use a name such as course_experience.{name}")));
        }
        if name.starts_with('.') || name.ends_with('.') {
            return Err(Error::usage(format!(
                "experiment name '{name}' must not start or end with '.'"
            )));
        }
        Ok(ExperimentName(name.to_string()))
    }
}

/// A whole number as typed: Rust's own error when it is not one (the command line turns that
/// into "must be a whole number"), else the type's rule.
fn whole(s: &str) -> std::result::Result<i64, BadValue> {
    s.parse::<i64>().map_err(BadValue::Syntax)
}

/// Why a typed number was refused: not a number at all, or against the type's rule.
#[derive(Debug)]
pub enum BadValue {
    Syntax(std::num::ParseIntError),
    Rule(Error),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Syntax(e) => e.fmt(f),
            BadValue::Rule(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BadValue {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BadValue::Syntax(_) => None,
            BadValue::Rule(e) => Some(e),
        }
    }
}

/// A whole number with a range that `new(i64)` checks: parsed from text by [`whole`], then `new`
/// (the value parser clap and import use). With `u32`, the number is read with `get` (and
/// `as_i64` for SQL).
macro_rules! whole_number_type {
    ($t:ident) => {
        impl FromStr for $t {
            type Err = BadValue;
            fn from_str(s: &str) -> std::result::Result<Self, BadValue> {
                $t::new(whole(s)?).map_err(BadValue::Rule)
            }
        }
    };
    ($t:ident, u32) => {
        whole_number_type!($t);

        impl $t {
            pub fn as_i64(self) -> i64 {
                i64::from(self.0)
            }
        }
    };
}

/// The number of buckets of an edX experiment: 1 to 2^32 - 1 (edX's hash never reaches more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BucketCount(u32);

impl BucketCount {
    pub fn new(n: i64) -> Result<BucketCount> {
        if n < 1 {
            return Err(Error::usage(format!(
                "the number of buckets must be at least 1 (got {n})"
            ))
            .with_hint("bucket 0 is control; --buckets 2 gives control and one treatment"));
        }
        if n > MAX_BUCKETS {
            return Err(Error::usage(format!(
                "the number of buckets must be at most {MAX_BUCKETS} (got {n}): edX's hash never reaches buckets beyond 2^32"
            )));
        }
        Ok(BucketCount(n as u32))
    }
}

whole_number_type!(BucketCount, u32);

/// A bucket number, 0 to 2^32 - 2 (the last bucket the largest experiment has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BucketNumber(u32);

impl BucketNumber {
    pub fn new(b: i64) -> Result<BucketNumber> {
        if b < 0 {
            return Err(Error::usage(format!("bucket must be 0 or more (got {b})")));
        }
        if b >= MAX_BUCKETS {
            return Err(Error::usage(format!(
                "bucket {b} is beyond the last bucket an experiment can have ({})",
                MAX_BUCKETS - 1
            )));
        }
        Ok(BucketNumber(b as u32))
    }
}

whole_number_type!(BucketNumber, u32);

/// An edX experiment ID: 0 to 32767 (`PositiveSmallIntegerField`; 0 is a valid ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExperimentId(i64);

impl ExperimentId {
    /// Whether `id` is one edX can store.
    pub fn in_range(id: i64) -> bool {
        (0..=MAX_EXPERIMENT_ID).contains(&id)
    }
    pub fn new(id: i64) -> Result<ExperimentId> {
        if !ExperimentId::in_range(id) {
            return Err(Error::usage(format!(
                "experiment ID must be from 0 to {MAX_EXPERIMENT_ID} (got {id})"
            ))
            .with_hint("find a free one with: wafflectl experiment next-id"));
        }
        Ok(ExperimentId(id))
    }
    pub fn get(self) -> i64 {
        self.0
    }
}

whole_number_type!(ExperimentId);

impl fmt::Display for ExperimentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A percent with one decimal from 0 to `$max`, parsed as `$what`.
macro_rules! percent_type {
    ($(#[$doc:meta])* $t:ident, $max:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $t(pub Percent);

        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> std::result::Result<Self, String> {
                Percent::parse(s, $max, $what).map($t)
            }
        }
    };
}

percent_type!(
    /// A flag's percent: 0–99.9 with one decimal (`decimal(3,1)` holds no 100).
    FlagPercent,
    FLAG_PERCENT_MAX,
    "flag percent"
);

/// A flag percent or `unset` (also `none`), as `flag create/set --percent` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentArg {
    Set(Percent),
    Unset,
}

impl FromStr for PercentArg {
    type Err = Error;
    /// A refusal names `--percent`; 100 (which the column cannot hold) points at `--everyone on`.
    fn from_str(s: &str) -> Result<Self> {
        if s == "unset" || s == "none" {
            return Ok(PercentArg::Unset);
        }
        s.parse::<FlagPercent>()
            .map(|p| PercentArg::Set(p.0))
            .map_err(|msg| {
                // The value once: in `msg` when it is not a number, else named here.
                let e = Error::usage(if msg.contains(&*crate::error::cut(s)) {
                    format!("--percent: {msg}")
                } else {
                    format!("--percent {}: {msg}", crate::error::cut(s))
                });
                if s.trim().parse::<f64>().is_ok_and(|p| p == 100.0) {
                    e.with_hint("to turn the flag on for everyone, use --everyone on (or: wafflectl flag on NAME)")
                } else {
                    e
                }
            })
    }
}

percent_type!(
    /// A sample's percent: 0–100.0 with one decimal.
    SamplePercent,
    SAMPLE_PERCENT_MAX,
    "sample percent"
);

/// A course key as typed, and as edx-opaque-keys reads it (the engine's parser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseArg {
    pub typed: String,
    pub key: CourseKey,
}

impl CourseArg {
    /// Says so when edX's canonical text, which is what is stored and matched, differs from
    /// what was typed.
    pub fn reread_note(&self) -> Option<String> {
        (self.key.as_str() != self.typed).then(|| {
            format!(
                "course key '{}' is {} as edX reads it",
                crate::error::cut(&self.typed),
                crate::error::cut(self.key.as_str())
            )
        })
    }
}

impl FromStr for CourseArg {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let key = CourseKey::parse(s).map_err(|e| Error::usage(e.to_string()))?;
        Ok(CourseArg {
            typed: s.to_string(),
            key,
        })
    }
}

/// `true` for `--x`, `false` for `--no-x`, None when neither was given (clap keeps the last
/// one of the pair).
pub fn either(yes: bool, no: bool) -> Option<bool> {
    match (yes, no) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

/// A comma-separated list as given to `--users`/`--groups`: trimmed, empty items dropped, no
/// repeats.
pub fn comma_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// `--format`: an output format of read commands, or the file format of export/import/diff.
/// One option on the command line, two types behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Output(Format),
    File(FileFormat),
}

impl FormatArg {
    const ALL: [FormatArg; 8] = [
        FormatArg::Output(Format::Table),
        FormatArg::Output(Format::Json),
        FormatArg::Output(Format::Plain),
        FormatArg::Output(Format::Csv),
        FormatArg::Output(Format::Markdown),
        FormatArg::File(FileFormat::Native),
        FormatArg::File(FileFormat::Django),
        FormatArg::File(FileFormat::Baseplate),
    ];
}

impl clap::ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue as V;
        Some(match self {
            FormatArg::Output(Format::Table) => {
                V::new("table").help("Aligned columns for people (the default)")
            }
            FormatArg::Output(Format::Json) => {
                V::new("json").help("Bare JSON objects and arrays, for scripts")
            }
            FormatArg::Output(Format::Plain) => {
                V::new("plain").help("Tab-separated values without a header, for `cut`/`awk`")
            }
            FormatArg::Output(Format::Csv) => {
                V::new("csv").help("Comma-separated values with a header row, for spreadsheets")
            }
            FormatArg::Output(Format::Markdown) => {
                V::new("markdown").help("A Markdown table, for wikis and pull requests")
            }
            FormatArg::File(FileFormat::Native) => V::new("native")
                .help("export/import/diff: wafflectl's versioned JSON document (their default)"),
            FormatArg::File(FileFormat::Django) => V::new("django")
                .help("export/import/diff: a Django fixture, as `manage.py dumpdata` writes it"),
            FormatArg::File(FileFormat::Baseplate) => V::new("baseplate").help(
                "export/import/diff: baseplate's experiments.json (baseplate experiments only)",
            ),
        })
    }
}

/// A time typed by a person (`stale --now`, `refs --now`, `history --since`): any form
/// [`crate::time::parse_human`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When(pub chrono::DateTime<chrono::Utc>);

/// Why a typed time was refused; the command line words it with the option's name
/// (`--now: cannot read 'soon' as a date`).
#[derive(Debug)]
pub struct BadTime(pub Error);

impl fmt::Display for BadTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.message.fmt(f)
    }
}

impl std::error::Error for BadTime {}

impl FromStr for When {
    type Err = BadTime;
    fn from_str(s: &str) -> std::result::Result<Self, BadTime> {
        crate::time::parse_human(s).map(When).map_err(BadTime)
    }
}

/// When a scheduled change is due (`--at`), as typed: its form is checked when the command line
/// is read (exit 2 when unreadable); relative forms (`in 2 hours`, `tomorrow 09:00`) are read
/// against the command's clock when the command runs ([`crate::time::parse_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AtTime(pub String);

impl FromStr for AtTime {
    type Err = BadTime;
    fn from_str(s: &str) -> std::result::Result<Self, BadTime> {
        crate::time::parse_at(s, chrono::DateTime::UNIX_EPOCH)
            .map(|_| AtTime(s.to_string()))
            .map_err(BadTime)
    }
}

/// A baseplate time typed by a person (`--start`, `--stop`, `--newer-than`, `variant`/`lint
/// --now`): epoch seconds (kept an integer when typed as one) or any date
/// [`crate::time::parse_human`] reads, as the JSON number experiments.json holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EpochTime {
    Int(i64),
    Float(f64),
}

impl EpochTime {
    /// The number experiments.json holds.
    pub fn value(self) -> serde_json::Value {
        match self {
            EpochTime::Int(i) => i.into(),
            EpochTime::Float(f) => f.into(),
        }
    }

    pub fn secs(self) -> f64 {
        match self {
            EpochTime::Int(i) => i as f64,
            EpochTime::Float(f) => f,
        }
    }
}

impl FromStr for EpochTime {
    type Err = BadTime;
    fn from_str(s: &str) -> std::result::Result<Self, BadTime> {
        let t = s.trim();
        if let Ok(i) = t.parse::<i64>() {
            return Ok(EpochTime::Int(i));
        }
        if t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            && let Ok(f) = t.parse::<f64>()
            && f.is_finite()
        {
            return Ok(EpochTime::Float(f));
        }
        let d = crate::time::parse_human(t).map_err(BadTime)?;
        let micros = d.timestamp_subsec_micros();
        Ok(if micros == 0 {
            EpochTime::Int(d.timestamp())
        } else {
            EpochTime::Float(d.timestamp() as f64 + f64::from(micros) / 1e6)
        })
    }
}

/// A time typed for edX (`bucket`/`eval --now`, `user enroll --at`), kept as typed: the parts
/// it leaves out are filled from the command's today, so it is read by [`EdxTime::on`] once the
/// command has read the clock (a value parser never does).
#[derive(Debug, Clone, PartialEq)]
pub struct EdxTime {
    /// As typed, for the line that says how it was read.
    pub text: String,
}

impl FromStr for EdxTime {
    type Err = BadTime;
    fn from_str(s: &str) -> std::result::Result<Self, BadTime> {
        Ok(EdxTime {
            text: s.to_string(),
        })
    }
}

impl EdxTime {
    /// Read exactly as edX's dateutil reads it, parts left out filled from `today`
    /// ([`crate::time::parse_typed_on`]); a refusal (exit 2) names `option`.
    pub fn on(
        &self,
        option: &str,
        today: chrono::NaiveDate,
    ) -> Result<crate::engine::dateutil::Typed> {
        crate::time::parse_typed_on(option, &self.text, today)
    }
}

/// The database servers `--db` may name by URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbServer {
    MySql,
    Postgres,
}

/// `--db` (or `$WAFFLECTL_DB`) as a URL: `mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE` or
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, either with `?sslmode=...` (TLS, PostgreSQL's
/// modes for both). The password may instead come
/// from `$WAFFLECTL_DB_PASSWORD`; it is never shown: the URL displays with `***` in its place.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    pub server: DbServer,
    pub user: String,
    pub password: Option<String>,
    /// Without the brackets of an IPv6 address ([`DbUrl::address`] adds them).
    pub host: String,
    pub port: u16,
    pub database: String,
    /// The TLS mode (PostgreSQL's `sslmode` names, for both servers), when the URL asks for one.
    pub sslmode: Option<String>,
    /// `sslrootcert`: a PEM file of the certificate authorities `verify-ca`/`verify-full` trust.
    pub sslrootcert: Option<String>,
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The URL with the password masked.
impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, if self.password.is_some() { ":***" } else { "" })
    }
}

impl DbUrl {
    /// The URL without its password (for a command line that takes it from
    /// `$WAFFLECTL_DB_PASSWORD`).
    pub fn without_password(&self) -> String {
        struct Bare<'a>(&'a DbUrl);
        impl fmt::Display for Bare<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, "")
            }
        }
        Bare(self).to_string()
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, password: &str) -> fmt::Result {
        let scheme = match self.server {
            DbServer::MySql => "mysql",
            DbServer::Postgres => "postgres",
        };
        write!(
            f,
            "{scheme}://{}{password}@{}/{}",
            self.user,
            self.address(),
            self.database
        )?;
        let mut sep = '?';
        if let Some(m) = &self.sslmode {
            write!(f, "{sep}sslmode={m}")?;
            sep = '&';
        }
        if let Some(c) = &self.sslrootcert {
            write!(f, "{sep}sslrootcert={c}")?;
        }
        Ok(())
    }
}

const DB_URL_FORMS: &str = "use a SQLite path, mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or \
                            postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with \
                            [?sslmode=MODE][&sslrootcert=CA.pem] (a '/', '@' or ':' in the \
                            password written as %2F, %40, %3A)";

impl DbUrl {
    /// `None` when `db` is not a URL (a SQLite path); an error (exit 2) for a URL with an
    /// unknown scheme or a malformed one (read by [`ServerUrl`], as `--cache` is). The error
    /// never repeats the password.
    pub fn parse(db: &str, env_password: Option<String>) -> Result<Option<DbUrl>> {
        let bad = |why: &str| Err(Error::usage(format!("--db: {why}")).with_hint(DB_URL_FORMS));
        if let Some((scheme, _)) = db.split_once("://") {
            // the scheme first: `redis://…` is a --cache URL, whatever else it says
            let known = ["mysql", "postgres", "postgresql"];
            if !known.contains(&scheme.to_ascii_lowercase().as_str()) {
                return bad(&format!(
                    "unknown database URL scheme '{}'",
                    crate::output::escape_control(scheme)
                ));
            }
        }
        let url = match ServerUrl::parse(db, |scheme| if scheme == "mysql" { 3306 } else { 5432 }) {
            None => return Ok(None),
            Some(Err(why)) => return bad(&why),
            Some(Ok(url)) => url,
        };
        let server = match url.scheme.as_str() {
            "mysql" => DbServer::MySql,
            _ => DbServer::Postgres,
        };
        let Some(database) = url.path.as_deref() else {
            return bad("the URL names no database (…@HOST/DATABASE)");
        };
        if database.is_empty() || database.contains('/') {
            return bad("the URL's database name is empty or has a '/'");
        }
        let Some(user) = url.user.clone() else {
            return bad(if url.password.is_some() {
                "the URL's user is empty"
            } else {
                "the URL names no user (USER@HOST)"
            });
        };
        let mut sslmode = None;
        let mut sslrootcert = None;
        for (key, value) in &url.query {
            match (key.as_str(), value.as_str()) {
                ("sslmode", m)
                    if matches!(
                        m,
                        "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full"
                    ) =>
                {
                    sslmode = Some(m.to_string());
                }
                ("sslrootcert", path) if !path.is_empty() => {
                    sslrootcert = Some(path.to_string());
                }
                _ => {
                    return bad(&format!(
                        "unknown URL parameter '{}'",
                        crate::output::escape_control(&if value.is_empty() {
                            key.clone()
                        } else {
                            format!("{key}={value}")
                        })
                    ));
                }
            }
        }
        Ok(Some(DbUrl {
            server,
            user,
            password: url.password.clone().or(env_password),
            database: database.to_string(),
            host: url.host,
            port: url.port,
            sslmode,
            sslrootcert,
        }))
    }

    /// `HOST:PORT`, an IPv6 host in brackets.
    pub fn address(&self) -> String {
        crate::server_url::address(&self.host, self.port)
    }
}

/// The error a value parser of this module gave, when it is one of ours: printed as any
/// other usage error (message and hint) instead of clap's "invalid value" text.
pub fn our_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a Error> {
    if let Some(e) = e.downcast_ref::<Error>() {
        return Some(e);
    }
    match e.downcast_ref::<BadValue>() {
        Some(BadValue::Rule(e)) => Some(e),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// File formats
// ---------------------------------------------------------------------------------------------

/// Which format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Native,
    Django,
    Baseplate,
}

impl FileFormat {
    /// The word `--format` takes.
    pub fn word(self) -> &'static str {
        match self {
            FileFormat::Native => "native",
            FileFormat::Django => "django",
            FileFormat::Baseplate => "baseplate",
        }
    }
    /// What the format is, for people.
    pub fn describe(self) -> &'static str {
        match self {
            FileFormat::Native => "a wafflectl native file",
            FileFormat::Django => "a Django fixture",
            FileFormat::Baseplate => "a baseplate experiments.json",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Percent
// ---------------------------------------------------------------------------------------------

/// A Django decimal with one decimal place, kept as tenths (`25.0` = 250).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(pub i32);

impl Percent {
    /// The text Django writes (`'25.0'`); SQLite's NUMERIC affinity stores it as 25 or 12.5.
    pub fn to_sql(self) -> String {
        self.to_string()
    }
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
    /// Parses `0`–`max` with at most one decimal place. `what` names the value in errors.
    pub fn parse(s: &str, max_tenths: i32, what: &str) -> std::result::Result<Percent, String> {
        let t = s.trim();
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        let max = Percent(max_tenths);
        let range = format!("{what} must be a number from 0 to {max}");
        if t.starts_with('-') && (digits(&int[1..]) || frac.bytes().all(|b| b.is_ascii_digit())) {
            return Err(range);
        }
        if !digits(int)
            || (!frac.is_empty() && !digits(frac))
            || (t.contains('.') && frac.is_empty())
        {
            return Err(format!(
                "'{}' is not a number ({range})",
                crate::error::cut(s)
            ));
        }
        if frac.len() > 1 {
            return Err(format!(
                "{what} has one decimal place at most (got {})",
                crate::error::cut(s)
            ));
        }
        let i: i64 = int.parse().map_err(|_| range.clone())?;
        let f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().unwrap_or(0)
        };
        let tenths = i.saturating_mul(10).saturating_add(f);
        if tenths > i64::from(max_tenths) {
            return Err(range);
        }
        Ok(Percent(tenths as i32))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::engine::waffle::percent_text(self.0))
    }
}

impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

/// Largest flag percent the `decimal(3,1)` column holds.
pub const FLAG_PERCENT_MAX: i32 = 999;
/// Largest sample percent (`decimal(4,1)`, 0–100.0).
pub const SAMPLE_PERCENT_MAX: i32 = 1000;

// ---------------------------------------------------------------------------------------------
// --color
// ---------------------------------------------------------------------------------------------

/// `--color`: when to use colour on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub(crate) enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Colour even into a pipe or file.
    Always,
    /// No colour.
    Never,
}

// ---------------------------------------------------------------------------------------------
// --cache
// ---------------------------------------------------------------------------------------------

/// Which kind of server, as `--cache` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheProtocol {
    Redis,
    Memcached,
}

/// A parsed `--cache` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct CacheServer {
    pub protocol: CacheProtocol,
    /// Without the brackets of an IPv6 address.
    pub host: String,
    pub port: u16,
    /// Redis database number (`redis://HOST:PORT/N`).
    pub db: u32,
    /// An ACL user (Redis 6+), else Redis' `default` user.
    pub user: Option<String>,
    pub password: Option<String>,
    /// `rediss://`: TLS, the server's certificate checked.
    pub tls: bool,
    /// `?sslrootcert=CA.pem` (with `rediss://`): the authorities that certificate is checked
    /// against, instead of the public web roots.
    pub sslrootcert: Option<String>,
}

impl fmt::Debug for CacheServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CacheServer({self})")
    }
}

/// The URL with the password masked.
impl fmt::Display for CacheServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let address = crate::server_url::address(&self.host, self.port);
        let auth = match (&self.user, &self.password) {
            (None, None) => String::new(),
            (u, Some(_)) => format!("{}:***@", u.as_deref().unwrap_or("")),
            (Some(u), None) => format!("{u}@"),
        };
        match self.protocol {
            CacheProtocol::Redis => {
                let scheme = if self.tls { "rediss" } else { "redis" };
                write!(f, "{scheme}://{auth}{address}/{}", self.db)?;
                if let Some(ca) = &self.sslrootcert {
                    write!(f, "?sslrootcert={ca}")?;
                }
                Ok(())
            }
            CacheProtocol::Memcached => write!(f, "memcached://{address}"),
        }
    }
}

const CACHE_URL_FORMS: &str = "use redis://[[USER]:PASSWORD@]HOST[:PORT][/N], \
     rediss://…[?sslrootcert=CA.pem] (TLS) or memcached://HOST[:PORT] (a '/', '@' or ':' in the \
     password written as %2F, %40, %3A)";

/// Reads `redis://[[USER]:PASSWORD@]HOST[:PORT][/N]`, the same with `rediss://` (TLS, with an
/// optional `?sslrootcert=PATH`), or `memcached://HOST[:PORT]`: what is wrong, in words that
/// never repeat the password.
pub fn parse_cache_url(text: &str) -> Result<CacheServer, String> {
    let default_port = |scheme: &str| match scheme {
        "memcached" | "memcache" => 11211,
        _ => 6379,
    };
    let url = match crate::server_url::ServerUrl::parse(text, default_port) {
        None => return Err("not a cache URL (it has no scheme://)".into()),
        Some(url) => url?,
    };
    let (protocol, tls) = match url.scheme.as_str() {
        "redis" => (CacheProtocol::Redis, false),
        "rediss" => (CacheProtocol::Redis, true),
        "memcached" | "memcache" => (CacheProtocol::Memcached, false),
        other => {
            return Err(format!(
                "unknown cache scheme '{}'",
                crate::output::escape_control(other)
            ));
        }
    };
    let mut sslrootcert = None;
    for (key, value) in &url.query {
        match key.as_str() {
            "sslrootcert" if tls && !value.is_empty() => sslrootcert = Some(value.clone()),
            "sslrootcert" if !tls => {
                return Err("sslrootcert is for TLS: use rediss://…?sslrootcert=CA.pem".into());
            }
            _ => {
                return Err(format!(
                    "unknown cache URL option '{}'",
                    crate::output::escape_control(key)
                ));
            }
        }
    }
    let path = url.path.as_deref().unwrap_or("");
    let db = match protocol {
        CacheProtocol::Redis if path.is_empty() => 0,
        CacheProtocol::Redis => path.parse::<u32>().map_err(|_| {
            format!(
                "'{}' is not a Redis database number (redis://HOST:PORT/N)",
                crate::output::escape_control(path)
            )
        })?,
        CacheProtocol::Memcached => {
            if url.user.is_some() || url.password.is_some() {
                return Err("memcached has no password: use memcached://HOST:PORT".into());
            }
            if !path.is_empty() {
                return Err("memcached has no databases (memcached://HOST:PORT)".into());
            }
            0
        }
    };
    Ok(CacheServer {
        protocol,
        host: url.host,
        port: url.port,
        db,
        user: url.user,
        password: url.password,
        tls,
        sslrootcert,
    })
}

/// The `--cache` value parser: a bad URL is a usage error naming the option.
pub fn cache_url_arg(text: &str) -> Result<CacheServer> {
    parse_cache_url(text)
        .map_err(|why| Error::usage(format!("--cache: {why}")).with_hint(CACHE_URL_FORMS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_their_column() {
        assert!("a".repeat(100).parse::<FlagName>().is_ok());
        assert!("a".repeat(101).parse::<FlagName>().is_err());
        assert!("a".repeat(150).parse::<GroupName>().is_ok());
        assert!("a".repeat(151).parse::<GroupName>().is_err());
        assert!("a".repeat(150).parse::<Username>().is_ok());
        let e = "a".repeat(151).parse::<Username>().unwrap_err();
        assert_eq!(e.message, "username is longer than 150 characters");
        let e = "a b".parse::<SwitchName>().unwrap_err();
        assert_eq!(e.message, "switch name 'a b' contains whitespace");
        assert!("".parse::<SampleName>().is_err());
        assert!(
            "é".repeat(150).parse::<Username>().is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn experiment_names_are_namespaced() {
        assert!("a.b".parse::<ExperimentName>().is_ok());
        for bad in ["ab", ".ab", "ab.", "a b.c", ""] {
            assert!(bad.parse::<ExperimentName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn one_rule_each_for_orgs_keys_and_baseplate_keys() {
        assert!("edX".parse::<OrgName>().is_ok());
        assert!("a".repeat(255).parse::<OrgName>().is_ok());
        for bad in ["", "edX+DemoX", "a/b", "a b", "a\u{1}", &"a".repeat(256)] {
            assert!(bad.parse::<OrgName>().is_err(), "{bad:?}");
        }
        assert!("enrollment start".parse::<KvKey>().is_ok());
        assert!("é".repeat(255).parse::<KvKey>().is_ok());
        for bad in ["", "  ", "a\nb", "\u{7f}", &"k".repeat(256)] {
            assert!(bad.parse::<KvKey>().is_err(), "{bad:?}");
        }
        // baseplate: no namespace needed (r2_test is a real key), the store's 255 characters
        assert!("r2_test".parse::<ExperimentKey>().is_ok());
        assert!("a".repeat(255).parse::<ExperimentKey>().is_ok());
        for bad in ["", " ", "a\tb", &"a".repeat(256)] {
            assert!(bad.parse::<ExperimentKey>().is_err(), "{bad:?}");
        }
        // has_space: what word_flaw calls whitespace, ASCII or not
        for s in ["a b", "a\tb", "a\u{1}", "a\u{7f}", "é\u{3000}", "é\u{85}"] {
            assert!(has_space(s), "{s:?}");
            assert_eq!(word_flaw(s, 150), Some(Flaw::Whitespace), "{s:?}");
        }
        assert!(!has_space("alice") && !has_space("zoë"));
    }

    /// A typed edX time is kept as typed and read against the day it is given: the value
    /// parser never reads the clock.
    #[test]
    fn edx_times_are_read_against_the_commands_today() {
        let t: EdxTime = "10:00".parse().unwrap();
        let day = |d| chrono::NaiveDate::from_ymd_opt(2030, 6, d).unwrap();
        assert_eq!(
            t.on("--at", day(15)).unwrap().instant,
            day(15).and_hms_opt(10, 0, 0).unwrap()
        );
        assert_eq!(
            t.on("--at", day(16)).unwrap().instant,
            day(16).and_hms_opt(10, 0, 0).unwrap()
        );
        let bad: EdxTime = "soonish".parse().unwrap();
        let e = bad.on("--now", day(15)).unwrap_err();
        assert!(
            e.message.starts_with("--now: edX cannot read 'soonish'"),
            "{}",
            e.message
        );
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn percent_text_is_signed_with_one_decimal() {
        assert_eq!(Percent(125).to_string(), "12.5");
        assert_eq!(Percent(0).to_string(), "0.0");
        assert_eq!(Percent(-5).to_string(), "-0.5");
        assert_eq!(Percent(1000).to_string(), "100.0");
        assert_eq!(crate::engine::waffle::percent_text(-5), "-0.5");
    }

    #[test]
    fn numbers_have_their_range() {
        assert_eq!("1".parse::<BucketCount>().unwrap().as_i64(), 1);
        assert_eq!(
            "4294967295".parse::<BucketCount>().unwrap().as_i64(),
            i64::from(u32::MAX)
        );
        assert!(matches!("0".parse::<BucketCount>(), Err(BadValue::Rule(_))));
        assert!(matches!(
            "4294967296".parse::<BucketCount>(),
            Err(BadValue::Rule(_))
        ));
        assert!(matches!(
            "x".parse::<BucketCount>(),
            Err(BadValue::Syntax(_))
        ));
        assert!("32767".parse::<ExperimentId>().is_ok());
        assert!("0".parse::<ExperimentId>().is_ok());
        assert!("32768".parse::<ExperimentId>().is_err());
        assert!("4294967294".parse::<BucketNumber>().is_ok());
        assert!("4294967295".parse::<BucketNumber>().is_err());
    }

    #[test]
    fn percents() {
        assert_eq!("unset".parse::<PercentArg>().ok(), Some(PercentArg::Unset));
        assert_eq!(
            "12.5".parse::<PercentArg>().ok(),
            Some(PercentArg::Set(Percent(125)))
        );
        let e = "100".parse::<PercentArg>().unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.hint.unwrap().contains("--everyone on"));
        assert!("99.95".parse::<PercentArg>().unwrap_err().hint.is_none());
        assert!("100".parse::<FlagPercent>().is_err());
        assert_eq!(
            "100".parse::<SamplePercent>(),
            Ok(SamplePercent(Percent(1000)))
        );
    }

    #[test]
    fn course_keeps_what_was_typed() {
        let c: CourseArg = "course-v1:edX+DemoX+Demo_Course".parse().unwrap();
        assert_eq!(c.key.as_str(), c.typed);
        assert!("not a key".parse::<CourseArg>().is_err());
    }

    #[test]
    fn a_db_url_without_its_password() {
        let u = DbUrl::parse(
            "mysql://app:s%40cret@db.internal/site?sslmode=require",
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(u.password.as_deref(), Some("s@cret"));
        assert_eq!(
            u.to_string(),
            "mysql://app:***@db.internal:3306/site?sslmode=require"
        );
        assert_eq!(
            u.without_password(),
            "mysql://app@db.internal:3306/site?sslmode=require"
        );
    }

    #[test]
    fn parses_cache_urls() {
        let s = parse_cache_url("redis://127.0.0.1:6390/2").unwrap();
        assert_eq!(
            (s.protocol, s.host.as_str(), s.port, s.db, s.tls),
            (CacheProtocol::Redis, "127.0.0.1", 6390, 2, false)
        );
        let s = parse_cache_url("memcached://cache.internal").unwrap();
        assert_eq!((s.protocol, s.port), (CacheProtocol::Memcached, 11211));
        let s = parse_cache_url("redis://:secret@[::1]:7000/0").unwrap();
        assert_eq!(s.host, "::1");
        assert_eq!(s.to_string(), "redis://:***@[::1]:7000/0");
        // an ACL user, a password with '/' and '@' written as %2F and %40
        let s = parse_cache_url("redis://app:pa%2Fss%40w@h/1").unwrap();
        assert_eq!(
            (s.user.as_deref(), s.password.as_deref()),
            (Some("app"), Some("pa/ss@w"))
        );
        assert_eq!(s.to_string(), "redis://app:***@h:6379/1");
        let s = parse_cache_url("rediss://h:6380/3?sslrootcert=%2Fetc%2Fca.pem").unwrap();
        assert_eq!(
            (s.tls, s.port, s.db, s.sslrootcert.as_deref()),
            (true, 6380, 3, Some("/etc/ca.pem"))
        );
        assert_eq!(s.to_string(), "rediss://h:6380/3?sslrootcert=/etc/ca.pem");
        assert_eq!(parse_cache_url("rediss://h").unwrap().port, 6379);
        for (bad, says) in [
            ("127.0.0.1:6379", "no scheme"),
            ("http://x", "unknown cache scheme 'http'"),
            ("redis://", "names no host"),
            ("redis://h:0", "port"),
            ("redis://h:99999", "port"),
            ("redis://h/x", "'x' is not a Redis database number"),
            ("memcached://h/1", "memcached has no databases"),
            ("memcached://:pw@h", "memcached has no password"),
            ("redis://h/0?sslrootcert=/ca.pem", "sslrootcert is for TLS"),
            (
                "rediss://h/0?timeout=3",
                "unknown cache URL option 'timeout'",
            ),
            ("redis://h/0#x", "'#'"),
        ] {
            let e = parse_cache_url(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn percent_parse_enforces_range_and_one_decimal() {
        assert_eq!(
            Percent::parse("25", FLAG_PERCENT_MAX, "p"),
            Ok(Percent(250))
        );
        assert_eq!(
            Percent::parse("99.9", FLAG_PERCENT_MAX, "p"),
            Ok(Percent(999))
        );
        assert_eq!(Percent::parse("0", FLAG_PERCENT_MAX, "p"), Ok(Percent(0)));
        assert!(Percent::parse("100", FLAG_PERCENT_MAX, "p").is_err());
        assert!(Percent::parse("12.34", FLAG_PERCENT_MAX, "p").is_err());
        assert!(Percent::parse("-1", FLAG_PERCENT_MAX, "p").is_err());
        assert!(Percent::parse("abc", FLAG_PERCENT_MAX, "p").is_err());
        assert!(Percent::parse("1.", FLAG_PERCENT_MAX, "p").is_err());
        assert_eq!(
            Percent::parse("100", SAMPLE_PERCENT_MAX, "p"),
            Ok(Percent(1000))
        );
        assert!(Percent::parse("100.1", SAMPLE_PERCENT_MAX, "p").is_err());
    }
}
