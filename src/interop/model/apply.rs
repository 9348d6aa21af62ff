//! Carrying out a [`Plan`] in one transaction, through the store's row writers.

use std::collections::HashMap;

use serde_json::Value;

use super::plan::{Item, Plan};
use super::rec::Op;
use crate::error::{NameKind, Result};
use crate::store::Tx;
use crate::store::edx::{self, OverrideRow};
use crate::store::toggles;
use crate::store::users;

fn lookup(map: &HashMap<String, i64>, what: NameKind, name: &str) -> Result<i64> {
    map.get(name)
        .copied()
        .ok_or_else(|| users::not_found(what, name))
}

fn lookup_all(map: &HashMap<String, i64>, what: NameKind, names: &[String]) -> Result<Vec<i64>> {
    names.iter().map(|n| lookup(map, what, n)).collect()
}

/// Section position, for ordering the writes (removals run in reverse).
fn rank(op: &Op) -> u8 {
    match op {
        Op::Group(_) => 0,
        Op::User(_) => 1,
        Op::Flag(_) => 2,
        Op::Switch(_) => 3,
        Op::Sample(_) => 4,
        Op::Experiment(_) => 5,
        Op::KeyValue(_) => 6,
        Op::Data(_) => 7,
        Op::Enrollment(_) => 8,
        Op::Override(_) => 9,
        Op::Baseplate(_) => 10,
    }
}

/// Removes one object and records it.
fn remove(tx: &mut Tx<'_>, item: &Item) -> Result<()> {
    match &item.op {
        Op::Group(g) => users::delete_group(tx, g.id)?,
        Op::User(u) => users::delete_user(tx, u.id, &u.username)?,
        Op::Flag(f) => toggles::delete_flag(tx, f.id)?,
        Op::Switch(s) => toggles::delete_switch(tx, s.id)?,
        Op::Sample(s) => toggles::delete_sample(tx, s.id)?,
        Op::Override(o) => edx::delete_override(tx, o.scope, o.id)?,
        Op::Experiment(e) => edx::delete_experiment(tx, e.row_id)?,
        Op::KeyValue(k) => edx::delete_key_value(tx, k.id)?,
        Op::Data(d) => edx::delete_data(tx, d.id)?,
        Op::Enrollment(e) => users::delete_enrollment(tx, e.id)?,
        Op::Baseplate(e) => crate::store::baseplate::delete(tx, &e.key)?,
    }
    record(tx, item)
}

/// The audit row of one object of the plan.
fn record(tx: &mut Tx<'_>, item: &Item) -> Result<()> {
    tx.record_bulk(
        item.action.as_str(),
        item.kind,
        &item.name,
        item.before.as_ref().map(Value::to_string).as_deref(),
        item.after_json().as_deref(),
    )
}

/// Writes the plan in the open transaction, one audit row per object: removals first (overrides
/// before ..., so that an experiment ID or a key is free again), then additions and changes
/// (groups and users before the flags that list them), then the removals of users and groups:
/// a user goes once no override row it authored stays (Django protects the author, and
/// [`users::delete_user`] refuses such a user), so a file may drop a key's rows and prune their
/// author. `tick` is called after each object.
pub fn apply(tx: &mut Tx<'_>, plan: &Plan, mut tick: impl FnMut()) -> Result<()> {
    let mut removals: Vec<&Item> = plan.removals().collect();
    removals.sort_by_key(|i| std::cmp::Reverse(rank(&i.op)));
    let (last, first): (Vec<&Item>, Vec<&Item>) = removals
        .into_iter()
        .partition(|i| matches!(i.op, Op::User(_) | Op::Group(_)));
    for item in first {
        remove(tx, item)?;
        tick();
    }
    let mut groups = users::group_ids(tx)?;
    let mut users = users::user_ids(tx)?;
    let mut writes: Vec<&Item> = plan.items.iter().filter(|i| !i.is_removal()).collect();
    writes.sort_by_key(|i| rank(&i.op));
    for item in writes {
        match &item.op {
            Op::Group(g) => {
                if g.id == 0 {
                    let id = users::insert_group(tx, &g.name)?;
                    groups.insert(g.name.clone(), id);
                }
            }
            Op::User(u) => {
                let gids = lookup_all(&groups, NameKind::Group, &u.groups)?;
                let id = users::write_user(tx, u, &gids)?;
                users.insert(u.username.clone(), id);
            }
            Op::Flag(f) => {
                let uids = lookup_all(&users, NameKind::User, &f.users)?;
                let gids = lookup_all(&groups, NameKind::Group, &f.groups)?;
                toggles::write_flag(tx, f, &uids, &gids)?;
            }
            Op::Switch(s) => {
                toggles::save_switch(tx, s)?;
            }
            Op::Sample(s) => {
                toggles::save_sample(tx, s)?;
            }
            Op::Override(o) => {
                let changed_by_id = match &o.changed_by {
                    Some(u) => Some(lookup(&users, NameKind::User, u)?),
                    None => None,
                };
                edx::write_override(
                    tx,
                    &OverrideRow {
                        changed_by_id,
                        ..o.clone()
                    },
                )?;
            }
            Op::Experiment(e) => {
                edx::save_experiment(tx, e)?;
            }
            Op::KeyValue(k) => {
                edx::write_key_value(tx, k)?;
            }
            Op::Data(d) => {
                edx::write_data(tx, d, lookup(&users, NameKind::User, &d.user)?)?;
            }
            Op::Enrollment(e) => {
                users::write_enrollment(tx, e, lookup(&users, NameKind::User, &e.user)?)?;
            }
            Op::Baseplate(e) => crate::store::baseplate::save(tx, e)?,
        }
        record(tx, item)?;
        tick();
    }
    for item in last {
        remove(tx, item)?;
        tick();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::interop::model::{Plan, State};
    use crate::store::edx::Scope;
    use crate::store::{Store, WriteOptions};

    fn opts() -> WriteOptions {
        WriteOptions {
            actor: "alice".into(),
            reason: String::new(),
            dry_run: false,
            now: chrono::DateTime::from_timestamp(1_767_323_045, 0).unwrap(),
            admin_log: false,
            claim: None,
        }
    }

    /// Import removes a user the way `user delete` does: not while an override row it
    /// authored stays (Django protects the author).
    #[test]
    fn a_removal_keeps_the_override_author_protection() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::init(
            &crate::store::Location::File(dir.path().join("w.db")),
            Duration::ZERO,
        )
        .unwrap();
        store
            .transaction(&opts(), |tx| {
                let u = users::UserRow {
                    username: "alice".into(),
                    date_joined: tx.now_db.clone(),
                    ..users::UserRow::default()
                };
                users::write_user(tx, &u, &[])?;
                edx::append_override(tx, Scope::Org, "f", "edX", true, "on", "", Some(1))?;
                Ok(())
            })
            .unwrap();
        let cur = State::load(store.conn()).unwrap();
        let alice = cur.users.as_ref().unwrap()[0].clone();
        let plan = Plan {
            items: vec![Item {
                action: super::super::plan::Action::Delete,
                kind: "user",
                name: "alice".into(),
                before: Some(Op::User(alice.clone()).audit()),
                op: Op::User(alice),
            }],
            ..Plan::default()
        };
        let e = store
            .transaction(&opts(), |tx| apply(tx, &plan, || {}))
            .unwrap_err();
        assert!(e.message.contains("which Django protects"), "{}", e.message);
        assert_eq!(users::user_ids(store.conn()).unwrap().len(), 1);
    }

    #[test]
    fn a_missing_user_or_group_reads_as_everywhere_else() {
        let map: HashMap<String, i64> = [("alice".to_string(), 7)].into();
        assert_eq!(lookup(&map, NameKind::User, "alice").unwrap(), 7);
        for (kind, what) in [(NameKind::User, "user"), (NameKind::Group, "group")] {
            let e = lookup(&map, kind, "ghost").unwrap_err();
            assert_eq!(e.message, format!("{what} 'ghost' not found"));
            assert_eq!(
                e.hint.as_deref(),
                Some(format!("add it first: wafflectl {what} add ghost").as_str())
            );
            assert_eq!(e.missing.as_ref().map(|m| m.kind), Some(kind));
        }
    }
}
