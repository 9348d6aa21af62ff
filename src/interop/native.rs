//! wafflectl's native document: one versioned JSON object with the whole store, in a stable
//! sorted order so that it diffs well under version control.
//!
//! ```json
//! {
//!   "version": 1,
//!   "groups": ["beta"],
//!   "users": [{"username": "alice", ...}],
//!   "flags": [...], "switches": [...], "samples": [...],
//!   "overrides": [...], "experiments": [...], "key_values": [...],
//!   "experiment_data": [...], "enrollments": [...]
//! }
//! ```
//! Reading is strict: an unknown field is an error (a typo must not be silently ignored), a
//! missing field takes its default, a missing section is left alone.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::check;
use super::model::{GroupRow, State};
use crate::error::{Error, Result, cut};
use crate::store::edx::{DataRow, ExperimentRow, KeyValue, OverrideRow, Scope};
use crate::store::toggles::{Flag, Sample, Switch};
use crate::store::users::Enrollment;
use crate::store::users::UserRow;
use crate::time;

/// The version this binary writes and reads.
pub const VERSION: u64 = 1;

/// A decimal as the file gives it: a JSON number (written) or a string (accepted).
#[derive(Debug, Clone, PartialEq)]
pub struct Decimal(pub String);

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0.parse::<f64>() {
            Ok(f) => s.serialize_f64(f),
            Err(_) => s.serialize_str(&self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number such as 25 or 12.5")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Decimal, E> {
                Ok(Decimal(
                    serde_json::Number::from_f64(v)
                        .map_or_else(|| v.to_string(), |n| n.to_string()),
                ))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn yes() -> bool {
    true
}
fn two() -> i64 {
    2
}
fn edx() -> String {
    "edx".into()
}
fn on() -> String {
    "on".into()
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDoc {
    pub username: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub is_staff: bool,
    #[serde(default)]
    pub is_superuser: bool,
    #[serde(default = "yes")]
    pub is_active: bool,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub date_joined: Option<String>,
    #[serde(default)]
    pub last_login: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDoc {
    pub name: String,
    #[serde(default)]
    pub everyone: Option<bool>,
    #[serde(default)]
    pub percent: Option<Decimal>,
    #[serde(default)]
    pub testing: bool,
    #[serde(default)]
    pub superusers: bool,
    #[serde(default)]
    pub staff: bool,
    #[serde(default)]
    pub authenticated: bool,
    #[serde(default)]
    pub languages: String,
    #[serde(default)]
    pub rollout: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchDoc {
    pub name: String,
    #[serde(default)]
    pub active: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleDoc {
    pub name: String,
    pub percent: Decimal,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideDoc {
    pub flag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default = "on")]
    pub choice: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub changed_by: Option<String>,
    /// Absent: "the current override is ..." (appended, dated now, unless it already is).
    #[serde(default)]
    pub change_date: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentDoc {
    pub name: String,
    #[serde(default = "edx")]
    pub kind: String,
    #[serde(default = "two")]
    pub num_buckets: i64,
    #[serde(default)]
    pub experiment_id: Option<i64>,
    #[serde(default = "yes")]
    pub course_aware: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValueDoc {
    pub experiment_id: i64,
    pub key: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataDoc {
    pub experiment_id: i64,
    pub user: String,
    pub key: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub modified: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentDoc {
    pub user: String,
    pub course_id: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default = "yes")]
    pub is_active: bool,
    #[serde(default = "audit_mode")]
    pub mode: String,
}

fn audit_mode() -> String {
    "audit".into()
}

/// The document. Every section is written; a section missing from a file is left alone.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<UserDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<FlagDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switches: Option<Vec<SwitchDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<Vec<SampleDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Vec<OverrideDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiments: Option<Vec<ExperimentDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_values: Option<Vec<KeyValueDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment_data: Option<Vec<DataDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollments: Option<Vec<EnrollmentDoc>>,
    /// Baseplate experiments exactly as in experiments.json: key -> config, in file order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseplate_experiments: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A stored time as the file writes it; none when the row has none yet (a file's undated row
/// read back, as a saved plan's content holds it).
fn ts(db: &str) -> Option<String> {
    (!db.is_empty()).then(|| time::db_to_json(db))
}

fn sorted<T>(mut v: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
    v.sort_by_cached_key(key);
    v
}

/// The store as a document, each section sorted by name (overrides by flag, course/org, date).
/// `tick(n)` reports progress, `n` objects at a time.
pub fn from_state(s: &State, mut tick: impl FnMut(u64)) -> Document {
    fn all<T: Clone>(o: &Option<Vec<T>>) -> Vec<T> {
        o.clone().unwrap_or_default()
    }
    let groups: Vec<GroupRow> = all(&s.groups);
    let mut groups: Vec<String> = groups.into_iter().map(|g| g.name).collect();
    groups.sort();
    tick(groups.len() as u64);
    let users: Vec<UserDoc> = sorted(all(&s.users), |u: &UserRow| u.username.clone())
        .into_iter()
        .map(|u| UserDoc {
            username: u.username,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            is_staff: u.is_staff,
            is_superuser: u.is_superuser,
            is_active: u.is_active,
            groups: u.groups,
            date_joined: ts(&u.date_joined),
            last_login: u.last_login.as_deref().map(time::db_to_json),
        })
        .collect();
    tick(users.len() as u64);
    let flags: Vec<FlagDoc> = sorted(all(&s.flags), |f: &Flag| f.name.clone())
        .into_iter()
        .map(|f| FlagDoc {
            everyone: f.everyone,
            percent: f.percent.map(|p| Decimal(p.to_string())),
            testing: f.testing,
            superusers: f.superusers,
            staff: f.staff,
            authenticated: f.authenticated,
            languages: f.languages,
            rollout: f.rollout,
            note: f.note,
            users: f.users,
            groups: f.groups,
            created: ts(&f.created),
            modified: ts(&f.modified),
            name: f.name,
        })
        .collect();
    tick(flags.len() as u64);
    let switches: Vec<SwitchDoc> = sorted(all(&s.switches), |x: &Switch| x.name.clone())
        .into_iter()
        .map(|x| SwitchDoc {
            active: x.active,
            note: x.note,
            created: ts(&x.created),
            modified: ts(&x.modified),
            name: x.name,
        })
        .collect();
    tick(switches.len() as u64);
    let samples: Vec<SampleDoc> = sorted(all(&s.samples), |x: &Sample| x.name.clone())
        .into_iter()
        .map(|x| SampleDoc {
            percent: Decimal(x.percent.to_string()),
            note: x.note,
            created: ts(&x.created),
            modified: ts(&x.modified),
            name: x.name,
        })
        .collect();
    tick(samples.len() as u64);
    let mut overrides: Vec<OverrideRow> = all(&s.overrides);
    overrides.sort_by_cached_key(|o| {
        (
            o.flag.clone(),
            o.scope,
            o.key.clone(),
            time::text::to_db(&o.change_date),
            o.id,
        )
    });
    let overrides: Vec<OverrideDoc> = overrides
        .into_iter()
        .map(|o| OverrideDoc {
            course: (o.scope == Scope::Course).then(|| o.key.clone()),
            org: (o.scope == Scope::Org).then(|| o.key.clone()),
            flag: o.flag,
            choice: o.choice,
            enabled: o.enabled,
            note: o.note,
            changed_by: o.changed_by,
            change_date: ts(&o.change_date),
        })
        .collect();
    tick(overrides.len() as u64);
    let experiments: Vec<ExperimentDoc> =
        sorted(all(&s.experiments), |e: &ExperimentRow| e.name.clone())
            .into_iter()
            .map(|e| ExperimentDoc {
                kind: e.kind,
                num_buckets: e.num_buckets,
                experiment_id: e.experiment_id,
                course_aware: e.course_aware,
                note: e.note,
                created: ts(&e.created),
                modified: ts(&e.modified),
                name: e.name,
            })
            .collect();
    tick(experiments.len() as u64);
    let mut kvs: Vec<KeyValue> = all(&s.key_values);
    kvs.sort_by(|a, b| (a.experiment_id, &a.key).cmp(&(b.experiment_id, &b.key)));
    let key_values: Vec<KeyValueDoc> = kvs
        .into_iter()
        .map(|k| KeyValueDoc {
            experiment_id: k.experiment_id,
            created: ts(&k.created),
            modified: ts(&k.modified),
            key: k.key,
            value: k.value,
        })
        .collect();
    tick(key_values.len() as u64);
    let mut data: Vec<DataRow> = all(&s.experiment_data);
    data.sort_by(|a, b| {
        (a.experiment_id, &a.user, &a.key).cmp(&(b.experiment_id, &b.user, &b.key))
    });
    let experiment_data: Vec<DataDoc> = data
        .into_iter()
        .map(|d| DataDoc {
            experiment_id: d.experiment_id,
            created: ts(&d.created),
            modified: ts(&d.modified),
            user: d.user,
            key: d.key,
            value: d.value,
        })
        .collect();
    tick(experiment_data.len() as u64);
    let mut enr: Vec<Enrollment> = all(&s.enrollments);
    enr.sort_by(|a, b| (&a.user, &a.course_id).cmp(&(&b.user, &b.course_id)));
    let enrollments: Vec<EnrollmentDoc> = enr
        .into_iter()
        .map(|e| EnrollmentDoc {
            created: e.created.as_deref().map(time::db_to_json),
            user: e.user,
            course_id: e.course_id,
            is_active: e.is_active,
            mode: e.mode,
        })
        .collect();
    tick(enrollments.len() as u64);
    let mut baseplate = serde_json::Map::new();
    for e in s.baseplate.iter().flatten() {
        baseplate.insert(e.key.clone(), e.config.clone());
    }
    tick(baseplate.len() as u64);
    Document {
        version: VERSION,
        groups: Some(groups),
        users: Some(users),
        flags: Some(flags),
        switches: Some(switches),
        samples: Some(samples),
        overrides: Some(overrides),
        experiments: Some(experiments),
        key_values: Some(key_values),
        experiment_data: Some(experiment_data),
        enrollments: Some(enrollments),
        // Written only when there are some: files of stores without baseplate experiments stay
        // as they were.
        baseplate_experiments: (!baseplate.is_empty()).then_some(baseplate),
    }
}

/// [`from_state`] keeping `s`'s sections as they are: a section `s` does not have is left out
/// (as a file that does not speak of that kind), one it has is written, empty or not. Read back,
/// the document is the same state (a saved plan's content).
pub fn from_state_sections(s: &State) -> Document {
    let mut d = from_state(s, |_| {});
    fn keep<T, U>(has: &Option<Vec<T>>, section: &mut Option<U>) {
        if has.is_none() {
            *section = None;
        }
    }
    keep(&s.groups, &mut d.groups);
    keep(&s.users, &mut d.users);
    keep(&s.flags, &mut d.flags);
    keep(&s.switches, &mut d.switches);
    keep(&s.samples, &mut d.samples);
    keep(&s.overrides, &mut d.overrides);
    keep(&s.experiments, &mut d.experiments);
    keep(&s.key_values, &mut d.key_values);
    keep(&s.experiment_data, &mut d.experiment_data);
    keep(&s.enrollments, &mut d.enrollments);
    if s.baseplate.is_some() && d.baseplate_experiments.is_none() {
        d.baseplate_experiments = Some(serde_json::Map::new());
    }
    d
}

/// Reads one object as the audit log records it (its `kind` and before or after JSON) into a
/// state holding that one object, through this format's reader: an audit record has the
/// native object's fields, except a user's password marker (left out: a restored user keeps
/// the password it has, or gets an unusable one), a flag's or sample's unreadable percent, an
/// override's `course_id` (the file's `course`) with its author and date (left out: restored,
/// the row is appended as the current one), and a baseplate experiment's `key` and
/// `experiment.*` fields (its config flattened). `None`: a kind no file carries.
pub fn from_audit(
    kind: &str,
    record: &serde_json::Value,
    src: &str,
    today: chrono::NaiveDate,
) -> Result<Option<State>> {
    use serde_json::Value;
    let Value::Object(m) = record else {
        return Err(Error::usage(format!(
            "{src}: the recorded {kind} is not an object"
        )));
    };
    let mut m = m.clone();
    let (section, obj) = match kind {
        "flag" | "sample" => {
            m.remove("percent_unreadable");
            (
                if kind == "flag" { "flags" } else { "samples" },
                Value::Object(m),
            )
        }
        "switch" => ("switches", Value::Object(m)),
        "user" => {
            m.remove("password");
            m.retain(|_, v| !v.is_null());
            ("users", Value::Object(m))
        }
        "group" => ("groups", m.remove("name").unwrap_or(Value::Null)),
        "course override" | "org override" => {
            m.remove("change_date");
            m.remove("changed_by");
            if let Some(course) = m.remove("course_id") {
                m.insert("course".into(), course);
            }
            ("overrides", Value::Object(m))
        }
        "experiment" if m.contains_key("key") => {
            let key = m.remove("key").unwrap_or(Value::Null);
            let Value::String(key) = key else {
                return Err(Error::usage(format!(
                    "{src}: the recorded baseplate experiment has no key"
                )));
            };
            let mut config = serde_json::Map::new();
            let mut experiment = serde_json::Map::new();
            for (k, v) in m {
                match k.strip_prefix("experiment.") {
                    Some(ek) => {
                        experiment.insert(ek.to_string(), v);
                    }
                    None => {
                        config.insert(k, v);
                    }
                }
            }
            if !experiment.is_empty() {
                config.insert("experiment".into(), Value::Object(experiment));
            }
            let doc = Document {
                version: VERSION,
                groups: None,
                users: None,
                flags: None,
                switches: None,
                samples: None,
                overrides: None,
                experiments: None,
                key_values: None,
                experiment_data: None,
                enrollments: None,
                baseplate_experiments: Some([(key, Value::Object(config))].into_iter().collect()),
            };
            return to_state(doc, src, today).map(Some);
        }
        "experiment" => ("experiments", Value::Object(m)),
        "key-value" => ("key_values", Value::Object(m)),
        "experiment data" => ("experiment_data", Value::Object(m)),
        _ => return Ok(None),
    };
    let mut doc = serde_json::Map::new();
    doc.insert("version".into(), Value::from(VERSION));
    doc.insert(section.into(), Value::Array(vec![obj]));
    let doc: Document = serde_json::from_value(Value::Object(doc))
        .map_err(|e| Error::usage(format!("{src}: the recorded {kind}: {}", serde_words(&e))))?;
    to_state(doc, src, today).map(Some)
}

/// The document as text: pretty JSON with a final newline.
pub fn to_text(doc: &Document) -> Result<String> {
    let mut s = serde_json::to_string_pretty(doc)?;
    s.push('\n');
    Ok(s)
}

/// The top level of a file with every member's content skipped, except `version`.
struct Envelope(serde_json::Value);

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = serde_json::Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON document")
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(k) = m.next_key::<String>()? {
                    if k == "version" {
                        out.insert(k, m.next_value()?);
                    } else {
                        m.next_value::<de::IgnoredAny>()?;
                        out.insert(k, serde_json::Value::Null);
                    }
                }
                Ok(serde_json::Value::Object(out))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                while s.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(serde_json::Value::Array(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Ok(serde_json::Value::Null)
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
                Ok(serde_json::Value::Null)
            }
            fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
                Ok(serde_json::Value::Null)
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Ok(serde_json::Value::Null)
            }
            fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
                Ok(serde_json::Value::Null)
            }
            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(serde_json::Value::Null)
            }
        }
        d.deserialize_any(V).map(Envelope)
    }
}

/// Reads a native document (exit 2 on anything malformed) into a validated [`State`]; also
/// returns the keys that appear twice in an object (the last value counts, as in Python's
/// `json`; the caller warns).
pub fn parse(
    text: &str,
    src: &str,
    today: chrono::NaiveDate,
) -> Result<(State, Vec<super::json::Duplicate>)> {
    // A first, cheap pass for the envelope (kind of document, version), then the typed read.
    let value: Envelope = serde_json::from_str(text).map_err(|e| check::malformed(src, &e))?;
    let obj = match &value.0 {
        serde_json::Value::Object(m) => m,
        serde_json::Value::Array(_) => {
            return Err(Error::usage(format!(
                "{src}: not a wafflectl native file (it is a JSON array)"
            ))
            .with_hint(super::FORMATS_HINT));
        }
        _ => {
            return Err(Error::usage(format!(
                "{src}: not a wafflectl native file (expected a JSON object)"
            ))
            .with_hint(super::FORMATS_HINT));
        }
    };
    match obj.get("version") {
        None => {
            return Err(Error::usage(format!(
                "{src}: not a wafflectl native file (no \"version\")"
            ))
            .with_hint(super::FORMATS_HINT));
        }
        Some(v) => match v.as_u64() {
            Some(VERSION) => {}
            Some(n) if n > VERSION => {
                return Err(Error::usage(format!(
                    "{src}: file version {n} is newer than this wafflectl understands ({VERSION})"
                ))
                .with_hint("upgrade wafflectl to read this file"));
            }
            _ => {
                return Err(Error::usage(format!(
                    "{src}: unknown file version {}",
                    cut(&v.to_string())
                ))
                .with_hint(format!("this wafflectl reads version {VERSION}")));
            }
        },
    }
    // Keys twice are looked for in a file that reads (a typed read refuses a field twice; then
    // the generic value keeps the last one, as Python's json and Django do), not in a broken
    // one: bad input costs no extra pass.
    let typed = serde_json::from_str::<Document>(text);
    let duplicate_field =
        matches!(&typed, Err(e) if e.to_string().starts_with("duplicate field `"));
    let dups = if typed.is_ok() || duplicate_field {
        super::json::duplicate_keys(text)
    } else {
        Vec::new()
    };
    let typed = match typed {
        Err(_) if !dups.is_empty() => {
            serde_json::from_str::<serde_json::Value>(text).and_then(serde_json::from_value)
        }
        t => t,
    };
    let doc: Document = typed.map_err(|e| {
        unknown_field(&e, text, src).unwrap_or_else(|| {
            Error::usage(format!("{src}: {}", serde_words(&e)))
                .with_hint("see docs/interop.md for the native format")
        })
    })?;
    Ok((to_state(doc, src, today)?, dups))
}

/// serde's message with any quoted user text (between backticks) cut to a readable length.
fn serde_words(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&cut(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// serde's "unknown field `x`, expected one of `a`, `b`" said in our words: which object of
/// which section has the field, the fields it may have, and the closest one.
fn unknown_field(e: &serde_json::Error, file: &str, src: &str) -> Option<Error> {
    let text = e.to_string();
    let rest = text.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let allowed: Vec<&str> = rest
        .split_once("expected ")
        .map(|(_, list)| {
            let list = list.split(" at line ").next().unwrap_or(list);
            list.split('`').skip(1).step_by(2).collect()
        })
        .unwrap_or_default();
    let singular = |section: &str| match section {
        "groups" => "group",
        "users" => "user",
        "flags" => "flag",
        "switches" => "switch",
        "samples" => "sample",
        "overrides" => "override",
        "experiments" => "experiment",
        "key_values" => "key-value",
        "experiment_data" => "experiment data row",
        "enrollments" => "enrollment",
        "baseplate" => "baseplate experiment",
        _ => "object",
    };
    // Read again, whole, to find the object (only on this error path).
    let value: serde_json::Value = serde_json::from_str(file).ok()?;
    let doc = value.as_object()?;
    let mut place = None;
    // Compared, not hashed: the field may be megabytes long.
    let has = |o: &serde_json::Map<String, serde_json::Value>| o.keys().any(|k| k == field);
    if has(doc) {
        place = Some("at the file's top level".to_string());
    }
    for (section, rows) in doc {
        if place.is_some() {
            break;
        }
        let Some(rows) = rows.as_array() else {
            continue;
        };
        for (i, row) in rows.iter().enumerate() {
            let Some(o) = row.as_object() else { continue };
            if has(o) {
                let id = ["name", "username", "key", "course_id"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(|v| v.as_str()));
                let what = singular(section);
                let section = cut(section);
                place = Some(match id {
                    Some(id) => format!("in {what} '{}' ({section}[{i}])", cut(id)),
                    None => format!("in {what} {section}[{i}]"),
                });
                break;
            }
        }
    }
    let place = place?;
    let mut err = Error::usage(format!(
        "{src}: unknown field '{}' {place}; its fields are: {}",
        cut(field),
        allowed.join(", ")
    ));
    let close = crate::suggest::closest(field, allowed.iter().copied());
    err = err.with_hint(if close.is_empty() {
        "see docs/interop.md for the native format".to_string()
    } else {
        format!("did you mean {}?", crate::suggest::or_list(&close))
    });
    Some(err)
}

fn time_or_empty(src: &str, what: impl FnOnce() -> String, v: Option<String>) -> Result<String> {
    match v {
        None => Ok(String::new()),
        Some(s) => check::time(src, what, &s),
    }
}

fn to_state(doc: Document, src: &str, today: chrono::NaiveDate) -> Result<State> {
    let mut st = State::default();
    if let Some(groups) = doc.groups {
        let mut out = Vec::with_capacity(groups.len());
        for g in groups {
            check::name(src, "group", &g)?;
            out.push(GroupRow { id: 0, name: g });
        }
        st.groups = Some(out);
    }
    if let Some(users) = doc.users {
        let mut out = Vec::with_capacity(users.len());
        for u in users {
            check::username(src, &u.username)?;
            let what = || format!("user '{}'", cut(&u.username));
            let mut groups = u.groups;
            groups.sort();
            groups.dedup();
            out.push(UserRow {
                id: 0,
                password: None,
                first_name: u.first_name,
                last_name: u.last_name,
                email: u.email,
                is_staff: u.is_staff,
                is_superuser: u.is_superuser,
                is_active: u.is_active,
                date_joined: time_or_empty(
                    src,
                    || format!("{} date_joined", what()),
                    u.date_joined,
                )?,
                last_login: match u.last_login {
                    None => None,
                    Some(t) => Some(check::time(src, || format!("{} last_login", what()), &t)?),
                },
                groups,
                username: u.username,
            });
        }
        st.users = Some(out);
    }
    if let Some(flags) = doc.flags {
        let mut out = Vec::with_capacity(flags.len());
        for f in flags {
            check::name(src, "flag", &f.name)?;
            let what = || format!("flag '{}'", cut(&f.name));
            let percent = match f.percent {
                None => None,
                Some(d) => Some(check::percent(
                    src,
                    &what(),
                    &d.0,
                    crate::types::FLAG_PERCENT_MAX,
                )?),
            };
            let mut users = f.users;
            users.sort();
            users.dedup();
            let mut groups = f.groups;
            groups.sort();
            groups.dedup();
            out.push(Flag {
                id: 0,
                everyone: f.everyone,
                percent,
                percent_unreadable: None,
                testing: f.testing,
                superusers: f.superusers,
                staff: f.staff,
                authenticated: f.authenticated,
                languages: check::languages(&f.languages),
                rollout: f.rollout,
                note: f.note,
                created: time_or_empty(src, || format!("{} created", what()), f.created)?,
                modified: time_or_empty(src, || format!("{} modified", what()), f.modified)?,
                users,
                groups,
                name: f.name,
            });
        }
        st.flags = Some(out);
    }
    if let Some(switches) = doc.switches {
        let mut out = Vec::with_capacity(switches.len());
        for s in switches {
            check::name(src, "switch", &s.name)?;
            let what = || format!("switch '{}'", cut(&s.name));
            out.push(Switch {
                id: 0,
                active: s.active,
                note: s.note,
                created: time_or_empty(src, || format!("{} created", what()), s.created)?,
                modified: time_or_empty(src, || format!("{} modified", what()), s.modified)?,
                name: s.name,
            });
        }
        st.switches = Some(out);
    }
    if let Some(samples) = doc.samples {
        let mut out = Vec::with_capacity(samples.len());
        for s in samples {
            check::name(src, "sample", &s.name)?;
            let what = || format!("sample '{}'", cut(&s.name));
            out.push(Sample {
                id: 0,
                percent_unreadable: None,
                percent: check::percent(
                    src,
                    &what(),
                    &s.percent.0,
                    crate::types::SAMPLE_PERCENT_MAX,
                )?,
                note: s.note,
                created: time_or_empty(src, || format!("{} created", what()), s.created)?,
                modified: time_or_empty(src, || format!("{} modified", what()), s.modified)?,
                name: s.name,
            });
        }
        st.samples = Some(out);
    }
    if let Some(overrides) = doc.overrides {
        let mut out = Vec::with_capacity(overrides.len());
        for o in overrides {
            let (scope, target) = match (o.course, o.org) {
                (Some(c), None) => (Scope::Course, c),
                (None, Some(org)) => (Scope::Org, org),
                _ => {
                    return Err(Error::usage(format!(
                        "{src}: the override of flag '{}' needs exactly one of \"course\" and \"org\"",
                        cut(&o.flag)
                    )));
                }
            };
            let row = OverrideRow {
                id: 0,
                change_date: time_or_empty(
                    src,
                    || format!("the override of flag '{}' change_date", cut(&o.flag)),
                    o.change_date,
                )?,
                flag: o.flag,
                scope,
                key: target,
                choice: o.choice,
                enabled: o.enabled,
                note: o.note,
                changed_by: o.changed_by,
                changed_by_id: None,
            };
            let mut row = row;
            check::override_row(src, &mut row)?;
            out.push(row);
        }
        st.overrides = Some(out);
    }
    if let Some(exps) = doc.experiments {
        let mut out = Vec::with_capacity(exps.len());
        for e in exps {
            let what = || format!("experiment '{}'", cut(&e.name));
            let row = ExperimentRow {
                row_id: 0,
                kind: e.kind,
                num_buckets: e.num_buckets,
                experiment_id: e.experiment_id,
                course_aware: e.course_aware,
                note: e.note,
                created: time_or_empty(src, || format!("{} created", what()), e.created)?,
                modified: time_or_empty(src, || format!("{} modified", what()), e.modified)?,
                name: e.name,
            };
            check::experiment(src, &row)?;
            out.push(row);
        }
        st.experiments = Some(out);
    }
    if let Some(kvs) = doc.key_values {
        let mut out = Vec::with_capacity(kvs.len());
        for k in kvs {
            check::experiment_id(
                src,
                &format!("key-value '{}'", cut(&k.key)),
                k.experiment_id,
            )?;
            let what = || format!("key-value {}:{}", k.experiment_id, cut(&k.key));
            check::kv_key(src, what, &k.key)?;
            // A native file is written by people: its dates mean what kv set makes of them.
            let value = check::key_value(src, today, k.experiment_id, &k.key, &k.value)?;
            out.push(KeyValue {
                id: 0,
                experiment_id: k.experiment_id,
                created: time_or_empty(src, || format!("{} created", what()), k.created)?,
                modified: time_or_empty(src, || format!("{} modified", what()), k.modified)?,
                key: k.key,
                value,
            });
        }
        st.key_values = Some(out);
    }
    if let Some(data) = doc.experiment_data {
        let mut out = Vec::with_capacity(data.len());
        for d in data {
            check::experiment_id(
                src,
                &format!("experiment data '{}'", cut(&d.key)),
                d.experiment_id,
            )?;
            let what = || {
                format!(
                    "experiment data {}:{}:{}",
                    d.experiment_id,
                    cut(&d.user),
                    cut(&d.key)
                )
            };
            check::username(src, &d.user)?;
            check::kv_key(src, what, &d.key)?;
            out.push(DataRow {
                id: 0,
                experiment_id: d.experiment_id,
                created: time_or_empty(src, || format!("{} created", what()), d.created)?,
                modified: time_or_empty(src, || format!("{} modified", what()), d.modified)?,
                user: d.user,
                key: d.key,
                value: d.value,
            });
        }
        st.experiment_data = Some(out);
    }
    if let Some(enr) = doc.enrollments {
        let mut out = Vec::with_capacity(enr.len());
        for e in enr {
            let course_id = check::course(
                src,
                || format!("enrollment of '{}'", cut(&e.user)),
                &e.course_id,
            )?;
            let created = match e.created {
                None => None,
                Some(t) => Some(check::time(
                    src,
                    || format!("enrollment {}@{} created", cut(&e.user), cut(&e.course_id)),
                    &t,
                )?),
            };
            out.push(Enrollment {
                id: 0,
                user: e.user,
                course_id,
                created,
                is_active: e.is_active,
                mode: e.mode,
            });
        }
        st.enrollments = Some(out);
    }
    if let Some(bp) = doc.baseplate_experiments {
        for key in bp.keys() {
            check::experiment_key(src, key)?;
        }
        st.baseplate = Some(super::baseplate::to_rows(bp));
    }
    st.check_duplicates(src)?;
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_from_numbers_and_strings() {
        let d: Decimal = serde_json::from_str("12.5").unwrap();
        assert_eq!(d.0, "12.5");
        let d: Decimal = serde_json::from_str("\"33.0\"").unwrap();
        assert_eq!(d.0, "33.0");
        let d: Decimal = serde_json::from_str("25").unwrap();
        assert_eq!(d.0, "25");
        assert_eq!(
            serde_json::to_string(&Decimal("25.0".into())).unwrap(),
            "25.0"
        );
    }

    #[test]
    fn versions_are_checked() {
        assert!(
            parse(r#"{"version": 2}"#, "f", chrono::NaiveDate::MIN)
                .unwrap_err()
                .message
                .contains("newer")
        );
        assert!(
            parse(r#"{"version": "x"}"#, "f", chrono::NaiveDate::MIN)
                .unwrap_err()
                .message
                .contains("unknown file version")
        );
        assert!(
            parse(r#"{}"#, "f", chrono::NaiveDate::MIN)
                .unwrap_err()
                .message
                .contains("no \"version\"")
        );
        assert_eq!(
            parse(r#"{"version": 1}"#, "f", chrono::NaiveDate::MIN)
                .unwrap()
                .0
                .len(),
            0
        );
    }
}
