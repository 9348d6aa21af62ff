//! Fingerprints of the target objects a plan read ([`fingerprints`]), and what changed since
//! ([`drift`]): a saved plan applies only to the objects it was made against.
//!
//! An object's fingerprint is the SHA-1 of its audit record (the sorted JSON the audit log
//! stores: no ids, no bookkeeping times, a password only as its marker), or `null` when the
//! target did not have it. The override rows of one flag and course (or org) are one object:
//! their records together, in row order, so an appended row is a change.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha1::{Digest, Sha1};

use super::rec::{Identity, Rec, override_kind};
use super::state::State;
use crate::store::audit::{field_diff, sorted};

/// One target object as the plan read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    pub kind: String,
    pub name: String,
    /// The SHA-1 of the object's audit record; `None` (null): the target did not have it.
    pub sha1: Option<String>,
}

/// An object whose fingerprint no longer matches.
#[derive(Debug, Clone)]
pub struct Drift {
    pub kind: String,
    pub name: String,
    /// Whether the target had it when the plan was made.
    pub was: bool,
    /// Its audit record now (`None`: gone).
    pub now: Option<Value>,
}

/// (kind, name) of an object.
type Key = (String, String);

fn hash(v: &Value) -> String {
    let d = Sha1::digest(sorted(v.clone()).to_string().as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The kind a fingerprint names: the audit log's, except baseplate experiments (which the log
/// calls `experiment`, as edX definitions) so the two systems' names cannot meet.
fn keys_of<T: Identity>(rows: &Option<Vec<T>>, baseplate: bool) -> Option<Vec<Key>> {
    rows.as_ref().map(|rows| {
        rows.iter()
            .map(|r| {
                let kind = if baseplate {
                    "baseplate experiment"
                } else {
                    r.kind()
                };
                (kind.to_string(), r.key())
            })
            .collect()
    })
}

/// The keys of every section of `s`, `None` for a section `s` does not have.
fn sections(s: &State) -> [Option<Vec<Key>>; 11] {
    [
        keys_of(&s.groups, false),
        keys_of(&s.users, false),
        keys_of(&s.flags, false),
        keys_of(&s.switches, false),
        keys_of(&s.samples, false),
        keys_of(&s.overrides, false),
        keys_of(&s.experiments, false),
        keys_of(&s.key_values, false),
        keys_of(&s.experiment_data, false),
        keys_of(&s.enrollments, false),
        keys_of(&s.baseplate, true),
    ]
}

/// The audit record of every object of `s` of the kinds in `kinds`, by (kind, name); the
/// override rows of one key as one array, in row order.
fn audits(s: &State, kinds: &BTreeSet<&str>) -> BTreeMap<Key, Value> {
    fn add<T: Rec>(
        out: &mut BTreeMap<Key, Value>,
        kinds: &BTreeSet<&str>,
        rows: &Option<Vec<T>>,
        baseplate: bool,
    ) {
        for r in rows.iter().flatten() {
            let kind = if baseplate {
                "baseplate experiment"
            } else {
                r.kind()
            };
            if !kinds.contains(kind) {
                return;
            }
            out.insert((kind.to_string(), r.key()), Rec::audit(r));
        }
    }
    let mut out = BTreeMap::new();
    add(&mut out, kinds, &s.groups, false);
    add(&mut out, kinds, &s.users, false);
    add(&mut out, kinds, &s.flags, false);
    add(&mut out, kinds, &s.switches, false);
    add(&mut out, kinds, &s.samples, false);
    add(&mut out, kinds, &s.experiments, false);
    add(&mut out, kinds, &s.key_values, false);
    add(&mut out, kinds, &s.experiment_data, false);
    add(&mut out, kinds, &s.enrollments, false);
    add(&mut out, kinds, &s.baseplate, true);
    for o in s.overrides.iter().flatten() {
        let kind = override_kind(o.scope);
        if !kinds.contains(kind) {
            continue;
        }
        let key = (kind.to_string(), o.key());
        let rows = out.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = rows {
            a.push(Rec::audit(o));
        }
    }
    out
}

/// The fingerprints of the target objects a plan of `want` against `cur` reads: every object
/// of `want`'s sections (present in `cur` or not), with `prune` every object of those sections
/// in `cur`, and the users and groups `want`'s flags and users name when `want` does not carry
/// that section (the plan reads that they exist). Sorted by kind and name.
pub fn fingerprints(cur: &State, want: &State, prune: bool) -> Vec<Fingerprint> {
    let mut read: BTreeSet<Key> = BTreeSet::new();
    for (w, c) in sections(want).into_iter().zip(sections(cur)) {
        let Some(w) = w else { continue };
        read.extend(w);
        if prune {
            read.extend(c.into_iter().flatten());
        }
    }
    if want.users.is_none() {
        for f in want.flags.iter().flatten() {
            read.extend(f.users.iter().map(|u| ("user".to_string(), u.clone())));
        }
    }
    if want.groups.is_none() {
        for f in want.flags.iter().flatten() {
            read.extend(f.groups.iter().map(|g| ("group".to_string(), g.clone())));
        }
        for u in want.users.iter().flatten() {
            read.extend(u.groups.iter().map(|g| ("group".to_string(), g.clone())));
        }
    }
    let kinds: BTreeSet<&str> = read.iter().map(|(k, _)| k.as_str()).collect();
    let now = audits(cur, &kinds);
    read.iter()
        .map(|key| Fingerprint {
            kind: key.0.clone(),
            name: key.1.clone(),
            sha1: now.get(key).map(hash),
        })
        .collect()
}

/// The objects of `saved` that `cur` no longer holds as they were, in `saved`'s order.
pub fn drift(saved: &[Fingerprint], cur: &State) -> Vec<Drift> {
    let kinds: BTreeSet<&str> = saved.iter().map(|f| f.kind.as_str()).collect();
    let now = audits(cur, &kinds);
    saved
        .iter()
        .filter_map(|f| {
            let obj = now.get(&(f.kind.clone(), f.name.clone()));
            let sha1 = obj.map(hash);
            (sha1 != f.sha1).then(|| Drift {
                kind: f.kind.clone(),
                name: f.name.clone(),
                was: f.sha1.is_some(),
                now: obj.cloned(),
            })
        })
        .collect()
}

impl Drift {
    /// `flag beta: everyone: true → false since the plan was made`, `switch x: deleted since
    /// the plan was made`. `then` is the object as the plan saw it, when the plan knows it.
    pub fn line(&self, then: Option<&Value>) -> String {
        let what = match (&self.now, self.was, then) {
            (None, _, _) => "deleted since the plan was made".to_string(),
            (Some(_), false, _) => "created since the plan was made".to_string(),
            (Some(Value::Array(rows)), true, _) => {
                let newest = rows
                    .last()
                    .map(|r| {
                        format!(
                            "; the newest says {} (enabled: {})",
                            r.get("choice").and_then(Value::as_str).unwrap_or("?"),
                            r.get("enabled").unwrap_or(&Value::Null)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "changed since the plan was made (now {} row{}{newest})",
                    rows.len(),
                    if rows.len() == 1 { "" } else { "s" }
                )
            }
            (Some(now), true, Some(then)) if then != now => {
                format!("{} since the plan was made", field_diff(then, now))
            }
            (Some(_), true, _) => "changed since the plan was made".to_string(),
        };
        format!("{} {}: {what}", self.kind, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::toggles::{Flag, Switch};

    fn flag(id: i64, name: &str, everyone: Option<bool>) -> Flag {
        let mut f = Flag::new(name, "2026-01-02 03:04:05");
        f.id = id;
        f.everyone = everyone;
        f
    }

    #[test]
    fn what_a_plan_reads_and_what_changed_since() {
        let cur = State {
            flags: Some(vec![flag(1, "a", None), flag(2, "b", None)]),
            switches: Some(vec![]),
            ..State::default()
        };
        let mut want_flag = flag(0, "a", Some(true));
        want_flag.users = vec!["alice".into()];
        let want = State {
            flags: Some(vec![want_flag, flag(0, "c", None)]),
            ..State::default()
        };
        let fp = fingerprints(&cur, &want, false);
        let names: Vec<(&str, &str, bool)> = fp
            .iter()
            .map(|f| (f.kind.as_str(), f.name.as_str(), f.sha1.is_some()))
            .collect();
        // Flag b is not read without --prune; the user the flag names is (absent here).
        assert_eq!(
            names,
            [
                ("flag", "a", true),
                ("flag", "c", false),
                ("user", "alice", false)
            ]
        );
        assert_eq!(fingerprints(&cur, &want, true).len(), 4, "--prune reads b");
        assert!(drift(&fp, &cur).is_empty());
        // Bookkeeping (ids, times) is not content.
        let mut moved = cur.clone();
        moved.flags.as_mut().unwrap()[0].id = 9;
        moved.flags.as_mut().unwrap()[0].modified = "2027-01-01 00:00:00".into();
        assert!(drift(&fp, &moved).is_empty());
        let mut changed = cur.clone();
        changed.flags.as_mut().unwrap()[0].everyone = Some(false);
        changed.flags.as_mut().unwrap().push(flag(3, "c", None));
        let d = drift(&fp, &changed);
        let then = flag(1, "a", None).audit();
        let lines: Vec<String> = d.iter().map(|d| d.line(Some(&then))).collect();
        assert_eq!(
            lines,
            [
                "flag a: everyone: null → false since the plan was made",
                "flag c: created since the plan was made"
            ]
        );
        let gone = State {
            flags: Some(vec![]),
            switches: Some(vec![Switch {
                id: 1,
                name: "a".into(),
                active: true,
                note: String::new(),
                created: String::new(),
                modified: String::new(),
            }]),
            ..State::default()
        };
        let d = drift(&fp, &gone);
        assert_eq!(d[0].line(None), "flag a: deleted since the plan was made");
    }
}
