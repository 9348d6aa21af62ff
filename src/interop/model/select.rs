//! The objects of a [`State`] that a promotion names, with what travels with them, and what a
//! promotion needs to know of the target before it plans.

use std::collections::{BTreeSet, HashSet};

use super::state::State;
use crate::engine::overrides::{self as precedence, StoredDate};
use crate::engine::sub_flag;
use crate::error::{Error, Result};
use crate::store::edx::OverrideRow;
use crate::store::users::{GroupRow, UserRow};

/// Whether `name` matches `pattern`: `*` any run of characters (also none), `?` one character,
/// anything else itself. Linear in the lengths (one backtrack point), so no pattern is slow.
pub fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The current row of each (flag, course/org) key among `rows` (the row edX reads,
/// [`precedence::current`]), as an undated row that says "the current override of this key is
/// ...": no id, no date, no author (a plan dates it now, and the author is the target's history).
/// Keys in order of their first row.
pub fn current_overrides<'a>(rows: impl IntoIterator<Item = &'a OverrideRow>) -> Vec<OverrideRow> {
    let mut keys: Vec<(&OverrideRow, Vec<&OverrideRow>)> = Vec::new();
    let mut at: std::collections::HashMap<(&str, crate::store::edx::Scope, &str), usize> =
        std::collections::HashMap::new();
    for r in rows {
        let k = (r.flag.as_str(), r.scope, r.key.as_str());
        match at.get(&k) {
            Some(&i) => keys[i].1.push(r),
            None => {
                at.insert(k, keys.len());
                keys.push((r, vec![r]));
            }
        }
    }
    keys.into_iter()
        .filter_map(|(_, rows)| {
            let dates: Vec<StoredDate> = rows
                .iter()
                .map(|r| StoredDate::Text(r.change_date.clone()))
                .collect();
            let idx: Vec<usize> = (0..rows.len()).collect();
            let &i = precedence::current(&idx, |&i| (&dates[i], rows[i].id))?;
            Some(OverrideRow {
                id: 0,
                change_date: String::new(),
                changed_by: None,
                changed_by_id: None,
                ..rows[i].clone()
            })
        })
        .collect()
}

/// The objects of `source` named by `patterns` (names or globs of flags, switches, samples, edX
/// and baseplate experiments), as a state to plan against a target without `--prune`. What
/// travels with them: a flag's course and org overrides (current state, [`current_overrides`]);
/// an edX experiment's bucket sub-flags (`NAME.N`, their users and groups are its whitelists,
/// with their overrides) and its key-values. Ids and bookkeeping times are left out (the target
/// keeps its own). Users and groups are not selected: the caller resolves them by name. A
/// pattern that selects nothing is an error (exit 2).
pub fn select(source: &State, patterns: &[String]) -> Result<State> {
    let hit = |name: &str| patterns.iter().any(|p| glob(p, name));
    // The rows of `$rows` that `$keep` keeps, without their id (`$id`) and bookkeeping times.
    macro_rules! bare {
        ($rows:expr, $($id:ident)?, |$r:ident| $keep:expr) => {
            $rows
                .iter()
                .flatten()
                .filter(|$r| $keep)
                .map(|r| {
                    let mut r = r.clone();
                    $(r.$id = 0;)?
                    r.created.clear();
                    r.modified.clear();
                    r
                })
                .collect::<Vec<_>>()
        };
    }
    let experiments = bare!(source.experiments, row_id, |e| hit(&e.name));
    let is_bucket_flag = |flag: &str| {
        sub_flag::parse(flag).is_some_and(|(exp, _)| experiments.iter().any(|e| e.name == exp))
    };
    let flags = bare!(source.flags, id, |f| hit(&f.name)
        || is_bucket_flag(&f.name));
    let flag_names: HashSet<&str> = flags.iter().map(|f| f.name.as_str()).collect();
    let ids: HashSet<i64> = experiments.iter().filter_map(|e| e.experiment_id).collect();
    let overrides = current_overrides(source.overrides.iter().flatten().filter(|o| {
        flag_names.contains(o.flag.as_str()) || hit(&o.flag) || is_bucket_flag(&o.flag)
    }));
    let key_values = bare!(source.key_values, id, |k| ids.contains(&k.experiment_id));
    let switches = bare!(source.switches, id, |s| hit(&s.name));
    let samples = bare!(source.samples, id, |s| hit(&s.name));
    // (a baseplate experiment keeps its position: its place in the file, not an id)
    let baseplate = bare!(source.baseplate, , |b| hit(&b.key));
    let picked = State {
        flags: Some(flags),
        switches: Some(switches),
        samples: Some(samples),
        overrides: Some(overrides),
        experiments: Some(experiments),
        key_values: Some(key_values),
        baseplate: Some(baseplate),
        precision: source.precision,
        ..State::default()
    };
    if let Some(p) = patterns.iter().find(|p| {
        let named = |n: &str| glob(p, n);
        !(picked.flags.iter().flatten().any(|f| named(&f.name))
            || picked.switches.iter().flatten().any(|s| named(&s.name))
            || picked.samples.iter().flatten().any(|s| named(&s.name))
            || picked.experiments.iter().flatten().any(|e| named(&e.name))
            || picked.baseplate.iter().flatten().any(|b| named(&b.key)))
    }) {
        return Err(Error::usage(format!(
            "'{}' names no flag, switch, sample or experiment of the source",
            crate::error::cut(p)
        ))
        .with_hint(
            "globs: * any characters, ? one; list the source's names with: wafflectl flag list",
        ));
    }
    Ok(picked)
}

/// The users and groups `picked`'s flags name that `target` lacks, each sorted.
pub fn missing_people(picked: &State, target: &State) -> (Vec<String>, Vec<String>) {
    let users: HashSet<&str> = target
        .users
        .iter()
        .flatten()
        .map(|u| u.username.as_str())
        .collect();
    let groups: HashSet<&str> = target
        .groups
        .iter()
        .flatten()
        .map(|g| g.name.as_str())
        .collect();
    let flags = picked.flags.iter().flatten();
    let missing_users: BTreeSet<String> = flags
        .clone()
        .flat_map(|f| &f.users)
        .filter(|u| !users.contains(u.as_str()))
        .cloned()
        .collect();
    let missing_groups: BTreeSet<String> = flags
        .flat_map(|f| &f.groups)
        .filter(|g| !groups.contains(g.as_str()))
        .cloned()
        .collect();
    (
        missing_users.into_iter().collect(),
        missing_groups.into_iter().collect(),
    )
}

/// Plain users and groups to create on a target: active users with an unusable password, not
/// staff, not superuser, no names, no groups (nothing of the source's accounts is copied).
pub fn plain_people(
    users: &[String],
    groups: &[String],
    now: &str,
) -> (Vec<UserRow>, Vec<GroupRow>) {
    let users = users
        .iter()
        .map(|u| UserRow {
            username: u.clone(),
            password: Some("!".into()),
            is_active: true,
            date_joined: now.to_string(),
            ..UserRow::default()
        })
        .collect();
    let groups = groups
        .iter()
        .map(|g| GroupRow {
            id: 0,
            name: g.clone(),
        })
        .collect();
    (users, groups)
}

/// Refuses (exit 1) an edX experiment of `picked` that the target defines under another
/// experiment ID: its key-values and per-user data are keyed by the ID, so moving them would
/// split the experiment in two.
pub fn check_same_ids(picked: &State, target: &State, src: &str, dst: &str) -> Result<()> {
    for e in picked.experiments.iter().flatten() {
        let Some(t) = target
            .experiments
            .iter()
            .flatten()
            .find(|t| t.name == e.name)
        else {
            continue;
        };
        if t.experiment_id != e.experiment_id {
            let id = |v: Option<i64>| v.map_or("no ID".to_string(), |i| format!("ID {i}"));
            return Err(Error::runtime(format!(
                "experiment '{}' has {} in {src} but {} in {dst}; its key-values and data are keyed by the ID",
                crate::error::cut(&e.name),
                id(e.experiment_id),
                id(t.experiment_id)
            ))
            .with_hint("give both the same ID first (wafflectl experiment set NAME --id ID), then promote"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_a_shell_does() {
        for (p, n, m) in [
            ("new_*", "new_dashboard", true),
            ("new_*", "old_new", false),
            ("*", "", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*.*", "exp.0", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("exact", "exact", true),
            ("é*", "éa", true),
        ] {
            assert_eq!(glob(p, n), m, "{p} {n}");
        }
        // No exponential backtracking.
        let long = "a".repeat(10_000);
        assert!(!glob("*a*a*a*a*a*a*a*a*b", &long));
    }
}
