//! Scheduled changes (`wafflectl_schedule`): a write command given `--at` is recorded here
//! instead of applied, with the changes it was planned to make and each object's state then;
//! `schedule run` applies it later, claiming the row and checking those states in the same
//! transaction as the change ([`claim`], called by [`super::Store::transaction`]).

use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{Change, ColumnResult, Reader, Row, Tx, params};
use crate::error::{Error, Result};

/// Where a scheduled change stands.
pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const SKIPPED: &str = "skipped";
pub const CANCELLED: &str = "cancelled";
pub const FAILED: &str = "failed";

/// One scheduled change.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    pub id: i64,
    /// When it is due (Django's text form, UTC).
    pub due_at: String,
    pub created_at: String,
    pub scheduled_by: String,
    /// The command line that makes the change, without the program name, the global options
    /// and `--at`.
    pub command: Vec<String>,
    pub reason: String,
    /// The changes it was planned to make, each with its object's state then (`before`).
    pub changes: Vec<Change>,
    pub state: String,
    pub ran_at: Option<String>,
    /// What came of running it: why it was skipped or failed, or who cancelled it.
    pub result: String,
    /// The audit rows of the changes it made.
    pub audit_ids: Vec<i64>,
}

/// What [`insert`] records.
pub struct NewScheduled<'a> {
    pub due_at: &'a str,
    pub command: &'a [String],
    pub reason: &'a str,
    pub changes: &'a [Change],
}

const COLUMNS: &str = "id, due_at, created_at, scheduled_by, command, reason, changes, state, \
                       ran_at, result, audit_ids";

fn read(r: &Row<'_>) -> ColumnResult<Scheduled> {
    let text: String = r.get(4)?;
    let changes: String = r.get(6)?;
    let ids: String = r.get(10)?;
    Ok(Scheduled {
        id: r.get(0)?,
        due_at: r.get(1)?,
        created_at: r.get(2)?,
        scheduled_by: r.get(3)?,
        // what this module wrote; anything else reads as empty and fails when run
        command: serde_json::from_str(&text).unwrap_or_default(),
        reason: r.get(5)?,
        changes: serde_json::from_str(&changes).unwrap_or_default(),
        state: r.get(7)?,
        ran_at: r.get(8)?,
        result: r.get(9)?,
        audit_ids: serde_json::from_str(&ids).unwrap_or_default(),
    })
}

/// Records a scheduled change, pending, made by the transaction's actor; returns its id.
pub fn insert(tx: &Tx<'_>, new: &NewScheduled<'_>) -> Result<i64> {
    let command = serde_json::to_string(new.command)?;
    let changes = serde_json::to_string(new.changes)?;
    tx.insert(
        "INSERT INTO wafflectl_schedule (due_at, created_at, scheduled_by, command, reason, \
         changes, state, ran_at, result, audit_ids) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, '', '[]')",
        params![
            new.due_at, tx.now_db, tx.actor, command, new.reason, changes, PENDING
        ],
    )
}

/// One scheduled change by id.
pub fn get(conn: &Reader, id: i64) -> Result<Option<Scheduled>> {
    conn.row(
        &format!("SELECT {COLUMNS} FROM wafflectl_schedule WHERE id = ?1"),
        [id],
        read,
    )
}

/// Scheduled changes in due order: the pending ones, or all of them.
pub fn list(conn: &Reader, all: bool) -> Result<Vec<Scheduled>> {
    let filter = if all { "" } else { "WHERE state = ?1" };
    let sql = format!("SELECT {COLUMNS} FROM wafflectl_schedule {filter} ORDER BY due_at, id");
    if all {
        conn.rows(&sql, (), read)
    } else {
        conn.rows(&sql, [PENDING], read)
    }
}

/// The pending changes due at `now_db` or before, in due order.
pub fn due(conn: &Reader, now_db: &str) -> Result<Vec<Scheduled>> {
    conn.rows(
        &format!(
            "SELECT {COLUMNS} FROM wafflectl_schedule WHERE state = ?1 AND due_at <= ?2 \
             ORDER BY due_at, id"
        ),
        params![PENDING, now_db],
        read,
    )
}

/// The state of a scheduled change now (None when there is no such id).
pub fn state(conn: &Reader, id: i64) -> Result<Option<String>> {
    conn.row(
        "SELECT state FROM wafflectl_schedule WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
}

/// Ends a pending change as `state` (skipped, failed, cancelled) with `result`, in the open
/// transaction. Returns false, writing nothing, when it is no longer pending (another runner
/// or a cancel got there first): writers are serialized, so the read and the write agree.
pub fn finish(tx: &Tx<'_>, id: i64, state: &str, result: &str) -> Result<bool> {
    if self::state(tx, id)?.as_deref() != Some(PENDING) {
        return Ok(false);
    }
    tx.run(
        "UPDATE wafflectl_schedule SET state = ?1, ran_at = ?2, result = ?3 WHERE id = ?4",
        params![state, tx.now_db, result, id],
    )?;
    Ok(true)
}

/// Why a transaction that applies a scheduled change was rolled back by [`claim`].
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Another runner applied, skipped or failed it first, or it was cancelled.
    Taken,
    /// An object it changes is no longer as it was when scheduled: one line per difference.
    Drift(Vec<String>),
}

/// A scheduled change a write transaction applies (`WriteOptions::claim`): [`claim`] marks it
/// done in that transaction, or refuses and says why in `refused`, which the runner reads once
/// the transaction is rolled back.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: i64,
    /// The audit reason of the changes it makes (`scheduled #7: ...`).
    pub reason: String,
    /// The changes it was planned to make, with each object's state then.
    pub planned: Vec<Change>,
    pub refused: Arc<Mutex<Option<Refusal>>>,
}

impl Claim {
    pub fn new(id: i64, reason: String, planned: Vec<Change>) -> Claim {
        Claim {
            id,
            reason,
            planned,
            refused: Arc::new(Mutex::new(None)),
        }
    }

    /// Why [`claim`] refused, if it did.
    pub fn refusal(&self) -> Option<Refusal> {
        self.refused.lock().map(|r| r.clone()).unwrap_or(None)
    }

    fn refuse(&self, why: Refusal) -> Error {
        let message = match &why {
            Refusal::Taken => format!("scheduled change #{} is no longer pending", self.id),
            Refusal::Drift(lines) => format!(
                "scheduled change #{}: {} changed since it was scheduled",
                self.id,
                lines.join("; ")
            ),
        };
        if let Ok(mut r) = self.refused.lock() {
            *r = Some(why);
        }
        Error::runtime(message)
    }
}

/// In the transaction that applies scheduled change `c`, before its commit: claims the row
/// (pending → done, with the audit ids of `changes`), then checks that `changes` — what the
/// command did now — are the planned ones, each object as it was when scheduled. Any
/// difference is an error that rolls the whole transaction back (the claim too).
pub fn claim(tx: &Tx<'_>, c: &Claim, changes: &[Change], audit_ids: &[i64]) -> Result<()> {
    if state(tx, c.id)?.as_deref() != Some(PENDING) {
        return Err(c.refuse(Refusal::Taken));
    }
    let drift = drift(&c.planned, changes);
    if !drift.is_empty() {
        return Err(c.refuse(Refusal::Drift(drift)));
    }
    let ids = serde_json::to_string(audit_ids).unwrap_or_else(|_| "[]".into());
    tx.run(
        "UPDATE wafflectl_schedule SET state = ?1, ran_at = ?2, result = ?3, audit_ids = ?4 \
         WHERE id = ?5",
        params![DONE, tx.now_db, "applied", ids, c.id],
    )?;
    Ok(())
}

/// How the changes made now differ from the planned ones: an object whose state before the
/// change is not the one recorded, one no longer changed, one changed that was not planned.
pub fn drift(planned: &[Change], now: &[Change]) -> Vec<String> {
    let key = |c: &Change| (c.kind.clone(), c.name.clone());
    let mut lines = Vec::new();
    for p in planned {
        let what = format!("{} {}", p.kind, p.name);
        match now.iter().find(|n| key(n) == key(p)) {
            None => lines.push(format!("{what} (the command no longer changes it)")),
            Some(n) if n.before != p.before => {
                let null = Value::Null;
                let diff = super::audit::field_diff(
                    p.before.as_ref().unwrap_or(&null),
                    n.before.as_ref().unwrap_or(&null),
                );
                lines.push(format!("{what} ({diff})"));
            }
            Some(_) => {}
        }
    }
    for n in now {
        if !planned.iter().any(|p| key(p) == key(n)) {
            lines.push(format!(
                "{} {} (the command now changes it too)",
                n.kind, n.name
            ));
        }
    }
    lines
}

/// Chains a change being scheduled after the pending ones due before it (`earlier`, in due
/// order): an object one of them changes is expected as that change leaves it (its `after`),
/// not as it is now, so that `flag on x` at 18:00 and `flag off x` at 06:00 the next day both
/// apply. Changes that the earlier ones already make are dropped (nothing left to do then).
pub fn chain(planned: &mut Vec<Change>, earlier: &[Scheduled]) {
    for c in planned.iter_mut() {
        let last = earlier
            .iter()
            .flat_map(|s| &s.changes)
            .rfind(|e| e.kind == c.kind && e.name == c.name);
        if let Some(e) = last {
            c.before.clone_from(&e.after);
            c.action = match (&c.before, &c.after) {
                (None, Some(_)) => "create",
                (Some(_), None) => "delete",
                _ if c.action == "create" || c.action == "delete" => "update",
                _ => c.action.as_str(),
            }
            .to_string();
        }
    }
    planned.retain(|c| c.before != c.after);
}

/// Marks a pending change cancelled by the transaction's actor; false when it is not pending.
pub fn cancel(tx: &Tx<'_>, id: i64) -> Result<bool> {
    finish(tx, id, CANCELLED, &format!("cancelled by {}", tx.actor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(name: &str, before: Value) -> Change {
        Change {
            action: "update".into(),
            kind: "flag".into(),
            name: name.into(),
            before: Some(before),
            after: Some(json!({"everyone": true})),
        }
    }

    #[test]
    fn a_change_scheduled_after_another_of_the_same_object_expects_its_result() {
        let on = Scheduled {
            id: 1,
            due_at: "2026-12-24 18:00:00".into(),
            created_at: String::new(),
            scheduled_by: "ops".into(),
            command: vec![],
            reason: String::new(),
            changes: vec![change("a", json!({"everyone": null}))],
            state: PENDING.into(),
            ran_at: None,
            result: String::new(),
            audit_ids: vec![],
        };
        let mut off = vec![Change {
            after: Some(json!({"everyone": false})),
            ..change("a", json!({"everyone": null}))
        }];
        chain(&mut off, std::slice::from_ref(&on));
        assert_eq!(off[0].before, Some(json!({"everyone": true})));
        // turning on again what the earlier change turns on is nothing to do
        let mut again = vec![change("a", json!({"everyone": null}))];
        chain(&mut again, &[on]);
        assert!(again.is_empty());
    }

    #[test]
    fn drift_names_each_object_whose_state_moved_or_that_the_command_no_longer_changes() {
        let planned = [
            change("a", json!({"everyone": null})),
            change("b", json!({"everyone": null})),
        ];
        assert!(drift(&planned, &planned).is_empty());
        let now = [change("a", json!({"everyone": false}))];
        assert_eq!(
            drift(&planned, &now),
            [
                "flag a (everyone: null → false)",
                "flag b (the command no longer changes it)"
            ]
        );
        let extra = [
            planned[0].clone(),
            planned[1].clone(),
            change("c", json!({})),
        ];
        assert_eq!(
            drift(&planned, &extra),
            ["flag c (the command now changes it too)"]
        );
    }
}
