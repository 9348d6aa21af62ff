//! The saved plan (`plan -o plan.json`, `apply plan.json`): a readable JSON document with the
//! changes a plan makes, the target objects it read (their [`Fingerprint`]s), the store it was
//! made for, and the source's content to plan again from when it is applied.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{Fingerprint, Plan, State};
use crate::error::{Error, Result, cut};

/// What the document's `format` says.
pub const FORMAT: &str = "wafflectl plan";
/// The plan format this binary writes and reads.
pub const VERSION: u64 = 1;
/// The largest plan file read: a plan of a few hundred thousand objects fits well within it.
pub const MAX_BYTES: u64 = 256 << 20;

/// A saved plan. Fields in the order the file shows them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub format: String,
    pub version: u64,
    /// When the plan was made (UTC, RFC 3339).
    pub made_at: String,
    /// Who made it (the actor).
    pub made_by: String,
    pub source: Source,
    pub target: Target,
    pub options: Options,
    /// `2 to add, 1 to change, 0 to remove, 5 unchanged`.
    pub summary: String,
    /// The changes, as `import --dry-run --json` prints them.
    pub changes: Changes,
    /// Every target object the plan read, as it was.
    pub fingerprints: Vec<Fingerprint>,
    /// The source's objects the plan wants, as a native document (no passwords).
    pub content: Value,
}

/// Where the wanted state came from, without secrets.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `store` or `file`.
    pub kind: String,
    /// A path, a URL without its password, or an environment's name.
    pub name: String,
    /// A store's identity, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
}

/// The store the plan was made for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub store_id: String,
    /// How it was named (a path, a URL without its password, an environment's name).
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// `--prune`: the target's objects of the source's kinds that the source lacks are deleted.
    pub prune: bool,
    /// The names or globs a promotion selected (empty: the whole source).
    pub select: Vec<String>,
}

/// The changes as `import --dry-run --json` prints them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    pub added: Vec<Entry>,
    pub changed: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

impl Changes {
    pub fn of(plan: &Plan) -> Result<Changes> {
        Ok(serde_json::from_value(serde_json::to_value(
            plan.to_json(),
        )?)?)
    }

    /// The same changes, whatever the times a plan stamps with its clock (an appended
    /// override's date, a new object's `created`): the plan made at `plan` and the one made
    /// again at `apply` compare equal when they write the same objects.
    pub fn same_as(&self, other: &Changes) -> bool {
        fn strip(v: &Option<Value>) -> Option<Value> {
            let mut v = v.clone();
            if let Some(Value::Object(m)) = &mut v {
                for k in ["change_date", "created", "modified"] {
                    m.remove(k);
                }
            }
            v
        }
        fn norm(list: &[Entry]) -> Vec<(String, String, Option<Value>, Option<Value>)> {
            list.iter()
                .map(|e| {
                    (
                        e.kind.clone(),
                        e.name.clone(),
                        strip(&e.before),
                        strip(&e.after),
                    )
                })
                .collect()
        }
        norm(&self.added) == norm(&other.added)
            && norm(&self.changed) == norm(&other.changed)
            && norm(&self.removed) == norm(&other.removed)
            && self.unchanged == other.unchanged
    }

    /// The objects as the plan saw them in the target (of its changes and removals), by kind
    /// and name.
    pub fn befores(&self) -> std::collections::HashMap<(&str, &str), &Value> {
        self.changed
            .iter()
            .chain(&self.removed)
            .filter_map(|e| Some(((e.kind.as_str(), e.name.as_str()), e.before.as_ref()?)))
            .collect()
    }
}

impl PlanFile {
    /// The document as text: pretty JSON (keys in a fixed order) with a final newline.
    pub fn to_text(&self) -> Result<String> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }

    /// The content as a state, read by the native format's reader (exit 2 when malformed).
    pub fn content_state(&self, src: &str, today: chrono::NaiveDate) -> Result<State> {
        let text = serde_json::to_string(&self.content)?;
        let (state, _) = super::native::parse(&text, &format!("{src} (content)"), today)?;
        Ok(state)
    }
}

/// Reads a plan file (`-` = stdin): exit 2 when it is not one, is malformed or larger than
/// [`MAX_BYTES`]; exit 1 when it is a plan of a version this binary does not read.
pub fn read(path: &Path) -> Result<(PlanFile, String)> {
    let too_big = |src: &str| {
        Error::usage(format!(
            "{src}: larger than {} MiB, not a plan this wafflectl reads",
            MAX_BYTES >> 20
        ))
    };
    let (bytes, src) = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut b)
            .map_err(|e| Error::runtime(format!("cannot read stdin: {e}")))?;
        (b, "stdin".to_string())
    } else {
        let src = path.display().to_string();
        let cannot = |e: std::io::Error| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => e.to_string(),
            };
            Error::runtime(format!("cannot read {src}: {why}"))
        };
        let f = std::fs::File::open(path).map_err(cannot)?;
        if f.metadata()
            .is_ok_and(|m| m.is_file() && m.len() > MAX_BYTES)
        {
            return Err(too_big(&src));
        }
        let mut b = Vec::new();
        f.take(MAX_BYTES + 1).read_to_end(&mut b).map_err(cannot)?;
        (b, src)
    };
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big(&src));
    }
    let not_plan = |why: String| {
        Error::usage(format!("{src}: not a wafflectl plan ({why})"))
            .with_hint("make one with: wafflectl plan SOURCE -o plan.json")
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| not_plan("not UTF-8 text".into()))?;
    let value: Value = serde_json::from_str(text).map_err(|e| not_plan(e.to_string()))?;
    let Value::Object(m) = &value else {
        return Err(not_plan("not a JSON object".into()));
    };
    if m.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(not_plan(format!("no \"format\": \"{FORMAT}\"")));
    }
    match m.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        // A plan of another version is a plan this binary cannot carry out, not a bad file.
        Some(n) => {
            return Err(Error::runtime(format!(
                "{src}: plan format version {n} is not one this wafflectl reads ({VERSION})"
            ))
            .with_hint("apply it with the wafflectl that made it, or make the plan again"));
        }
        None => {
            return Err(Error::usage(format!(
                "{src}: unknown plan format version {}",
                cut(&m.get("version").unwrap_or(&Value::Null).to_string())
            ))
            .with_hint(format!("this wafflectl reads version {VERSION}")));
        }
    }
    let file: PlanFile = serde_json::from_value(value).map_err(|e| {
        Error::usage(format!("{src}: malformed plan: {}", cut(&e.to_string())))
            .with_hint("make the plan again: wafflectl plan SOURCE -o plan.json")
    })?;
    Ok((file, src))
}
