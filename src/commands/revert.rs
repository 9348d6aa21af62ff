//! `wafflectl revert AUDIT_ID...`: the state before audit rows, restored through the plan.

use std::collections::BTreeMap;

use crate::cli::{MutationArgs, RevertArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::interop::model::{self, Plan, State};
use crate::interop::native;
use crate::output;
use crate::store::audit::{self, Entry};

/// The kinds of object a revert restores (what a native file carries).
const RESTORABLE: &[&str] = &[
    "flag",
    "switch",
    "sample",
    "course override",
    "org override",
    "experiment",
    "key-value",
    "experiment data",
    "user",
    "group",
];

/// `#15 by bob at 2026-01-02 03:04:05: everyone: true → false`.
fn describe(e: &Entry) -> String {
    let what = match (&e.change.before, &e.change.after) {
        (None, _) => "created it".to_string(),
        (_, None) => "deleted it".to_string(),
        _ => e.change.summary(),
    };
    format!(
        "#{} by {} at {}: {what}",
        e.id,
        e.actor,
        crate::time::db_to_human(&e.at)
    )
}

/// One object as the audit record shows it, as a state (through the native reader).
fn restored(e: &Entry, record: &serde_json::Value, today: chrono::NaiveDate) -> Result<State> {
    let src = format!("audit row #{}", e.id);
    native::from_audit(&e.change.kind, record, &src, today)?.ok_or_else(|| unrestorable(e))
}

fn unrestorable(e: &Entry) -> Error {
    Error::runtime(format!(
        "audit row #{} changed {} '{}', which revert cannot restore",
        e.id,
        e.change.kind,
        crate::error::cut(&e.change.name)
    ))
    .with_hint(format!("revert restores: {}", RESTORABLE.join(", ")))
}

/// The plan that restores each object to its state before the oldest of `entries` that
/// changed it: a created object is deleted, a deleted or changed one written as it was; an
/// override gets a row appended with its former value (a disabled one when it had none).
fn revert_plan(
    cur: &State,
    entries: &[Entry],
    now: &str,
    src: &str,
    today: chrono::NaiveDate,
) -> Result<Plan> {
    let mut first: BTreeMap<(&str, &str), &Entry> = BTreeMap::new();
    for e in entries {
        first
            .entry((e.change.kind.as_str(), e.change.name.as_str()))
            .or_insert(e);
    }
    let mut want = State::default();
    let mut removals = Vec::new();
    for e in first.values() {
        let c = &e.change;
        match (&c.before, &c.after) {
            (Some(before), _) => model::merge(&mut want, restored(e, before, today)?),
            (None, Some(after)) if c.kind.ends_with(" override") => {
                let mut s = restored(e, after, today)?;
                for o in s.overrides.iter_mut().flatten() {
                    o.enabled = false;
                }
                model::merge(&mut want, s);
            }
            (None, _) => removals.extend(model::removal(cur, &c.kind, &c.name)),
        }
    }
    let mut plan = model::plan(cur, &want, false, now, src)?;
    plan.items.extend(removals);
    Ok(plan)
}

pub(crate) fn run(ctx: &Ctx, a: RevertArgs) -> Result<()> {
    let mut ids = a.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut store = ctx.store()?;
    if !store.has_audit_log() {
        return Err(Error::runtime(
            "the store has no audit log (wafflectl has not initialised it): nothing to revert",
        ));
    }
    let mut entries = Vec::with_capacity(ids.len());
    for &id in &ids {
        let e = audit::entry(store.conn(), id)?.ok_or_else(|| {
            Error::runtime(format!("there is no audit row #{id}"))
                .with_hint("list the changes with: wafflectl history")
        })?;
        if !RESTORABLE.contains(&e.change.kind.as_str()) {
            return Err(unrestorable(&e));
        }
        entries.push(e);
    }
    if !a.force {
        for e in &entries {
            let later: Vec<Entry> =
                audit::later(store.conn(), &e.change.kind, &e.change.name, e.id)?
                    .into_iter()
                    .filter(|l| !ids.contains(&l.id))
                    .collect();
            if let Some(l) = later.last() {
                let more = match later.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                return Err(Error::runtime(format!(
                    "{} '{}' changed after #{}: {}{more}; nothing reverted",
                    e.change.kind,
                    crate::error::cut(&e.change.name),
                    e.id,
                    describe(l)
                ))
                .with_hint(format!(
                    "revert the later change too (wafflectl revert {} {}), or restore the state before #{} anyway with --force",
                    e.id, l.id, e.id
                )));
            }
        }
    }
    let list: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
    let what = format!("revert {}", list.join(", "));
    let today = ctx.now.date_naive();
    // Planned first on a snapshot: a row that cannot be restored fails before any write.
    let cur = State::load(&*store.snapshot()?)?;
    let plan = revert_plan(&cur, &entries, &crate::time::to_db(&ctx.now), &what, today)?;
    if a.m.dry_run {
        return super::interop::print_plan(ctx, &plan, " (dry run: nothing written)");
    }
    if plan.items.is_empty() {
        if ctx.json() {
            return output::json(&plan.to_json());
        }
        ctx.status(format!(
            "unchanged: the objects are already as they were before {}",
            list.join(", ")
        ));
        return Ok(());
    }
    // Undoing a creation deletes the object: asked as the delete commands ask.
    super::interop::confirm_removals(ctx, &plan, &format!("to {what}"))?;
    // The command's own mutation options, with the reason naming what is reverted.
    let mut m: MutationArgs = a.m.clone();
    m.reason = Some(match &a.m.reason {
        Some(r) => format!("{what}: {r}"),
        None => what.clone(),
    });
    let (plan, _) = super::write_quiet(ctx, &mut store, &m, |tx| {
        let cur = State::load(tx)?;
        let plan = revert_plan(&cur, &entries, &tx.now_db, &what, today)?;
        model::apply(tx, &plan, || {})?;
        Ok(plan)
    })?;
    if ctx.json() {
        return output::json(&plan.to_json());
    }
    super::status_changes(ctx, plan.items.iter().map(|i| i.change().line(false)));
    ctx.status(format!(
        "reverted {}: {}",
        list.join(", "),
        plan.summary(true)
    ));
    Ok(())
}
