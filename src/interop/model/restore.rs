//! What `revert` adds to a plan besides restored objects: the removal of an object a change
//! created.

use super::plan::{Action, Item};
use super::rec::Rec;
use super::state::State;

/// The plan item that deletes the object `kind` `name` of `cur` (`None` when `cur` has no such
/// object, or the kind is not one a plan deletes by name: override rows are history, and are
/// undone by appending a row instead).
pub fn removal(cur: &State, kind: &str, name: &str) -> Option<Item> {
    fn find<T: Rec>(rows: &Option<Vec<T>>, kind: &str, name: &str) -> Option<Item> {
        let r = rows
            .iter()
            .flatten()
            .find(|r| r.kind() == kind && r.key() == name)?;
        Some(Item {
            action: Action::Delete,
            kind: r.kind(),
            name: r.key(),
            before: Some(Rec::audit(r)),
            op: r.clone().op(),
        })
    }
    match kind {
        "group" => find(&cur.groups, kind, name),
        "user" => find(&cur.users, kind, name),
        "flag" => find(&cur.flags, kind, name),
        "switch" => find(&cur.switches, kind, name),
        "sample" => find(&cur.samples, kind, name),
        "experiment" => {
            find(&cur.experiments, kind, name).or_else(|| find(&cur.baseplate, kind, name))
        }
        "key-value" => find(&cur.key_values, kind, name),
        "experiment data" => find(&cur.experiment_data, kind, name),
        _ => None,
    }
}

/// Adds the objects of `from` to `into`, section by section.
pub fn merge(into: &mut State, from: State) {
    fn add<T>(into: &mut Option<Vec<T>>, from: Option<Vec<T>>) {
        if let Some(rows) = from {
            into.get_or_insert_with(Vec::new).extend(rows);
        }
    }
    add(&mut into.groups, from.groups);
    add(&mut into.users, from.users);
    add(&mut into.flags, from.flags);
    add(&mut into.switches, from.switches);
    add(&mut into.samples, from.samples);
    add(&mut into.overrides, from.overrides);
    add(&mut into.experiments, from.experiments);
    add(&mut into.key_values, from.key_values);
    add(&mut into.experiment_data, from.experiment_data);
    add(&mut into.enrollments, from.enrollments);
    add(&mut into.baseplate, from.baseplate);
}
