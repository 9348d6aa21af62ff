//! The [`Plan`]: the store compared with a file, object by object.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::rec::{Identity, Op, Rec};
use super::state::State;
use crate::engine::overrides::{self as precedence, StoredDate};
use crate::error::{Error, Result};
use crate::store::audit::{Change, field_diff};
use crate::store::edx::{Claim, IdUse, OverrideRow, Scope};
use crate::store::users::{GroupRow, UserRow};
use crate::time::text::Precision;

/// What happens to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// One object to add, change or remove. The "after" state is built from `op` when needed
/// (an import of 100,000 objects should not hold 100,000 JSON values).
#[derive(Debug, Clone)]
pub struct Item {
    pub action: Action,
    pub kind: &'static str,
    pub name: String,
    /// The object as it is now (changes and removals).
    pub before: Option<Value>,
    /// The row to write (or, for a removal, the row to delete).
    pub op: Op,
}

impl Item {
    fn new(
        action: Action,
        kind: &'static str,
        name: String,
        before: Option<Value>,
        op: Op,
    ) -> Item {
        Item {
            action,
            kind,
            name,
            before,
            op,
        }
    }
    pub fn is_removal(&self) -> bool {
        self.action == Action::Delete
    }
    /// The object as it will be (None for a removal).
    pub fn after(&self) -> Option<Value> {
        (!self.is_removal()).then(|| self.op.audit())
    }
    /// [`Item::after`] as JSON text.
    pub fn after_json(&self) -> Option<String> {
        (!self.is_removal()).then(|| self.op.audit_json())
    }
    /// The audit record of this item.
    pub fn change(&self) -> Change {
        Change {
            action: self.action.as_str().to_string(),
            kind: self.kind.to_string(),
            name: self.name.clone(),
            before: self.before.clone(),
            after: self.after(),
        }
    }
    /// `+ flag x`, `~ flag x: everyone: null → true`, `- switch y`.
    pub fn line(&self) -> String {
        match (self.action, &self.before) {
            (Action::Create, _) | (_, None) => format!("+ {} {}", self.kind, self.name),
            (Action::Delete, _) => format!("- {} {}", self.kind, self.name),
            (Action::Update, Some(b)) => {
                let a = self.op.audit();
                if let Op::Override(_) = self.op {
                    // A new current row: its date and author are history, not the change.
                    let value = |v: &Value| {
                        let mut v = v.clone();
                        if let Value::Object(m) = &mut v {
                            m.remove("change_date");
                            m.remove("changed_by");
                        }
                        v
                    };
                    let d = field_diff(&value(b), &value(&a));
                    return format!("~ {} {}: {d}", self.kind, self.name);
                }
                format!("~ {} {}: {}", self.kind, self.name, field_diff(b, &a))
            }
        }
    }
}

/// What an import would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In section order (groups, users, flags, ...), each section sorted by name.
    pub items: Vec<Item>,
    /// Objects of the file that are already as the file says.
    pub unchanged: usize,
    /// Experiment IDs the file gives an experiment that only key-values or per-user rows of
    /// the store use (allowed, as `experiment create --id` allows them, with a warning).
    pub unclaimed: Vec<UnclaimedId>,
    /// With `--create-only`: the objects that exist and differ, kept as they are (`None`
    /// without `--create-only`).
    pub kept: Option<Vec<Kept>>,
}

/// How a plan treats what the store has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Delete what the source lacks, in the kinds of object it has.
    pub prune: bool,
    /// Create what is missing, never change what exists (what differs is [`Plan::kept`]).
    pub create_only: bool,
}

/// An existing object that differs from the source, left as it is by `--create-only`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub kind: &'static str,
    pub name: String,
}

/// An ID that only key-values or per-user rows no definition claims use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnclaimedId {
    pub id: i64,
    pub key_values: i64,
    pub data_rows: i64,
}

#[derive(Serialize)]
struct Entry<'a> {
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<Value>,
}

/// The plan as `--json` prints it.
#[derive(Serialize)]
pub struct PlanJson<'a> {
    added: Vec<Entry<'a>>,
    changed: Vec<Entry<'a>>,
    removed: Vec<Entry<'a>>,
    unchanged: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    kept: Option<&'a [Kept]>,
}

impl Plan {
    fn count(&self, a: Action) -> usize {
        self.items.iter().filter(|i| i.action == a).count()
    }
    pub fn added(&self) -> usize {
        self.count(Action::Create)
    }
    pub fn removed(&self) -> usize {
        self.count(Action::Delete)
    }
    pub fn changed(&self) -> usize {
        self.count(Action::Update)
    }
    pub fn removals(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.is_removal())
    }
    /// `2 to add, 1 to change, 0 to remove, 5 unchanged` (or `2 added, ...` once `done`).
    pub fn summary(&self, done: bool) -> String {
        let (a, c, r) = if done {
            ("added", "changed", "removed")
        } else {
            ("to add", "to change", "to remove")
        };
        let kept = match &self.kept {
            Some(k) => format!(", {} kept (--create-only)", k.len()),
            None => String::new(),
        };
        format!(
            "{} {a}, {} {c}, {} {r}, {} unchanged{kept}",
            self.added(),
            self.changed(),
            self.removed(),
            self.unchanged
        )
    }
    /// Records an existing object `--create-only` leaves as it is.
    fn keep(&mut self, kind: &'static str, name: String) {
        self.kept
            .get_or_insert_with(Vec::new)
            .push(Kept { kind, name });
    }
    pub fn to_json(&self) -> PlanJson<'_> {
        let mut j = PlanJson {
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            unchanged: self.unchanged,
            kept: self.kept.as_deref(),
        };
        for i in &self.items {
            let e = Entry {
                kind: i.kind,
                name: &i.name,
                before: i.before.as_ref(),
                after: i.after(),
            };
            match i.action {
                Action::Create => j.added.push(e),
                Action::Update => j.changed.push(e),
                Action::Delete => j.removed.push(e),
            }
        }
        j
    }
}

/// Compares one section by key.
fn section<T: Rec>(
    plan: &mut Plan,
    cur: &[T],
    want: Option<&Vec<T>>,
    opts: &PlanOptions,
    now: &str,
) {
    let Some(want) = want else { return };
    let cur_by_key: HashMap<String, &T> = cur.iter().map(|c| (c.key(), c)).collect();
    let mut items: BTreeMap<String, Item> = BTreeMap::new();
    let mut wanted = HashSet::with_capacity(want.len());
    for w in want {
        let key = w.key();
        wanted.insert(key.clone());
        let mut row = w.clone();
        match cur_by_key.get(&key) {
            None => {
                row.set_id(0);
                row.complete(None, now);
                let kind = row.kind();
                items.insert(
                    key.clone(),
                    Item::new(Action::Create, kind, key, None, row.op()),
                );
            }
            Some(c) => {
                row.set_id(c.id());
                row.complete(Some(c), now);
                if row.same(c) {
                    plan.unchanged += 1;
                    continue;
                }
                if opts.create_only {
                    plan.keep(c.kind(), key);
                    continue;
                }
                row.touch(c, now);
                let kind = row.kind();
                items.insert(
                    key.clone(),
                    Item::new(Action::Update, kind, key, Some(Rec::audit(*c)), row.op()),
                );
            }
        }
    }
    if opts.prune {
        for c in cur {
            let key = c.key();
            if !wanted.contains(&key) {
                items.insert(
                    key.clone(),
                    Item::new(
                        Action::Delete,
                        c.kind(),
                        key,
                        Some(Rec::audit(c)),
                        c.clone().op(),
                    ),
                );
            }
        }
    }
    plan.items.extend(items.into_values());
}

/// Override rows are history, and edX reads only the current row of each (flag, course/org)
/// ([`precedence::current`]): a key counts by that row's value ([`same_override`]). For a key
/// the store has, a file whose current row says otherwise appends one row, dated now, that says
/// what the file's current row says (the store's history stays, as edX's admin keeps it); one
/// that agrees changes nothing, whatever history either holds. A key the store lacks gets the
/// file's rows as they are (undated ones dated now), so an export restores into an empty store
/// with its history. With `--prune` every row of a key the file lacks is deleted.
fn override_section(
    plan: &mut Plan,
    cur: &[OverrideRow],
    want: Option<&Vec<OverrideRow>>,
    opts: &PlanOptions,
    now: &str,
    precision: Precision,
) {
    let Some(want) = want else { return };
    type Key<'a> = (&'a str, Scope, &'a str);
    fn key_of(o: &OverrideRow) -> Key<'_> {
        (o.flag.as_str(), o.scope, o.key.as_str())
    }
    // Canonical text sorts chronologically; an undated row of the file is written now.
    let date_of = |o: &OverrideRow| {
        if o.change_date.is_empty() {
            return now.to_string();
        }
        precision
            .to_db(&o.change_date)
            .unwrap_or_else(|| o.change_date.clone())
    };
    // The store's rows hold their dates as text (Django writes text).
    let stored: Vec<StoredDate> = cur
        .iter()
        .map(|o| StoredDate::Text(o.change_date.clone()))
        .collect();
    // A dated row of the file that is a store row at the file's precision (a Django fixture's
    // milliseconds; the n-th of several with the same date is the n-th) is ordered by the
    // store's exact date and id, so the file's current row is the one the store's export had.
    let mut by_date: HashMap<(Key<'_>, String, usize), usize> = HashMap::with_capacity(cur.len());
    let mut count: HashMap<(Key<'_>, String), usize> = HashMap::with_capacity(cur.len());
    let mut cur_keys: BTreeMap<Key<'_>, Vec<usize>> = BTreeMap::new();
    for (i, o) in cur.iter().enumerate() {
        let d = date_of(o);
        let n = count.entry((key_of(o), d.clone())).or_insert(0);
        by_date.insert((key_of(o), d, *n), i);
        *n += 1;
        cur_keys.entry(key_of(o)).or_default().push(i);
    }
    let mut wcount: HashMap<(Key<'_>, String), usize> = HashMap::new();
    let mut want_keys: BTreeMap<Key<'_>, Vec<usize>> = BTreeMap::new();
    let mut wanted: Vec<(StoredDate, i64)> = Vec::with_capacity(want.len());
    for (i, o) in want.iter().enumerate() {
        let d = date_of(o);
        let hit = (!o.change_date.is_empty())
            .then(|| {
                let n = wcount.entry((key_of(o), d.clone())).or_insert(0);
                *n += 1;
                by_date.get(&(key_of(o), d.clone(), *n - 1)).copied()
            })
            .flatten();
        wanted.push(match hit {
            Some(c) => (stored[c].clone(), cur[c].id),
            None => (StoredDate::Text(d), o.id),
        });
        want_keys.entry(key_of(o)).or_default().push(i);
    }
    let mut items: Vec<(String, Item)> = Vec::new();
    for (k, rows) in &want_keys {
        let Some(&w) = precedence::current(rows, |&i| (&wanted[i].0, wanted[i].1)) else {
            continue;
        };
        let w = &want[w];
        let current = cur_keys
            .get(k)
            .and_then(|rows| precedence::current(rows, |&i| (&stored[i], cur[i].id)));
        match current {
            None => {
                for &i in rows {
                    let mut row = want[i].clone();
                    row.id = 0;
                    row.complete(None, now);
                    let (name, kind, date) = (row.key(), row.kind(), date_of(&row));
                    items.push((date, Item::new(Action::Create, kind, name, None, row.op())));
                }
            }
            Some(&c) => {
                let c = &cur[c];
                if same_override(w, c) {
                    plan.unchanged += 1;
                    continue;
                }
                if opts.create_only {
                    plan.keep(c.kind(), c.key());
                    continue;
                }
                let mut row = w.clone();
                row.id = 0;
                row.change_date = newer_than(&c.change_date, now);
                let (name, kind) = (row.key(), row.kind());
                items.push((
                    row.change_date.clone(),
                    Item::new(Action::Update, kind, name, Some(Rec::audit(c)), row.op()),
                ));
            }
        }
    }
    if opts.prune {
        for (k, rows) in &cur_keys {
            if want_keys.contains_key(k) {
                continue;
            }
            for &i in rows {
                let c = &cur[i];
                items.push((
                    c.change_date.clone(),
                    Item::new(
                        Action::Delete,
                        c.kind(),
                        c.key(),
                        Some(Rec::audit(c)),
                        c.clone().op(),
                    ),
                ));
            }
        }
    }
    items.sort_by(|a, b| (a.1.kind, &a.1.name, &a.0).cmp(&(b.1.kind, &b.1.name, &b.0)));
    plan.items.extend(items.into_iter().map(|(_, i)| i));
}

/// The date of a row appended to become its key's current row: `now`, unless the current row
/// is dated now or later (the same second, or a clock ahead of this one), then a microsecond
/// after it, since edX reads the newest date (and, among equal dates, the older row).
fn newer_than(current: &str, now: &str) -> String {
    let (n, c) = (
        StoredDate::Text(now.into()),
        StoredDate::Text(current.into()),
    );
    if n.sqlite_cmp(&c) == std::cmp::Ordering::Greater {
        return now.to_string();
    }
    let Some(t) = crate::time::parse_db(current) else {
        return now.to_string();
    };
    let next = crate::time::to_db(&(t + chrono::Duration::microseconds(1)));
    if StoredDate::Text(next.clone()).sqlite_cmp(&c) == std::cmp::Ordering::Greater {
        next
    } else {
        // the current row is spelled `YYYY-MM-DDTHH...`, which sorts after a space
        next.replacen(' ', "T", 1)
    }
}

/// Two current override rows of one key say the same: they force the same (an enabled `on` or
/// `off`, or nothing: a disabled row forces nothing, whatever its choice) with the same note.
/// Authors and dates are history, not the value.
fn same_override(a: &OverrideRow, b: &OverrideRow) -> bool {
    a.effective() == b.effective() && a.note == b.note
}

/// Checks that every user and group the file refers to exists after the import: in the file,
/// or in the store (unless `--prune` removes the store's ones). Exit 2 otherwise.
fn check_refs(cur: &State, want: &State, prune: bool, src: &str) -> Result<()> {
    fn names<'a, T>(
        file: &'a Option<Vec<T>>,
        store: &'a Option<Vec<T>>,
        prune: bool,
        name: impl Fn(&'a T) -> &'a str,
    ) -> HashSet<&'a str> {
        let mut s: HashSet<&str> = file.iter().flatten().map(&name).collect();
        if !(prune && file.is_some()) {
            s.extend(store.iter().flatten().map(&name));
        }
        s
    }
    let users = names(&want.users, &cur.users, prune, |u: &UserRow| {
        u.username.as_str()
    });
    let groups = names(&want.groups, &cur.groups, prune, |g: &GroupRow| {
        g.name.as_str()
    });
    let missing = |what: &str, owner: String, name: &str| {
        let name = crate::error::cut(name);
        let hint = match what {
            "user" => {
                format!("add the user to the file, or create it first: wafflectl user add {name}")
            }
            _ => {
                format!("add the group to the file, or create it first: wafflectl group add {name}")
            }
        };
        Error::usage(format!(
            "{src}: {owner} names {what} '{name}', which the file does not define and the store does not have"
        ))
        .with_hint(hint)
    };
    for u in want.users.iter().flatten() {
        for g in &u.groups {
            if !groups.contains(g.as_str()) {
                return Err(missing("group", format!("user '{}'", u.username), g));
            }
        }
    }
    for f in want.flags.iter().flatten() {
        for u in &f.users {
            if !users.contains(u.as_str()) {
                return Err(missing("user", format!("flag '{}'", f.name), u));
            }
        }
        for g in &f.groups {
            if !groups.contains(g.as_str()) {
                return Err(missing("group", format!("flag '{}'", f.name), g));
            }
        }
    }
    for o in want.overrides.iter().flatten() {
        if let Some(u) = &o.changed_by
            && !users.contains(u.as_str())
        {
            return Err(missing(
                "user",
                format!(
                    "the override of '{}' for {}",
                    crate::error::cut(&o.flag),
                    crate::error::cut(&o.key)
                ),
                u,
            ));
        }
    }
    // Django protects the author of an override row: a user --prune would remove must not have
    // written a row that stays. Rows stay unless --prune deletes their key (history is kept:
    // a key the file has keeps all its rows, whatever authors the file gives them).
    if prune && want.users.is_some() {
        let kept: Option<HashSet<(&str, Scope, &str)>> = want.overrides.as_ref().map(|rows| {
            rows.iter()
                .map(|o| (o.flag.as_str(), o.scope, o.key.as_str()))
                .collect()
        });
        for o in cur.overrides.iter().flatten() {
            let stays = kept
                .as_ref()
                .is_none_or(|k| k.contains(&(o.flag.as_str(), o.scope, o.key.as_str())));
            if let Some(u) = &o.changed_by
                && stays
                && !users.contains(u.as_str())
            {
                return Err(Error::usage(format!(
                    "{src}: --prune would remove user '{u}', who wrote an override row of '{}' that stays",
                    o.flag
                ))
                .with_hint("keep the user in the file: override rows are history, and Django protects their authors"));
            }
        }
    }
    for d in want.experiment_data.iter().flatten() {
        if !users.contains(d.user.as_str()) {
            return Err(missing(
                "user",
                format!("experiment data {}", d.key()),
                &d.user,
            ));
        }
    }
    for e in want.enrollments.iter().flatten() {
        if !users.contains(e.user.as_str()) {
            return Err(missing("user", format!("enrollment {}", e.key()), &e.user));
        }
    }
    Ok(())
}

/// The rows of a section once the file is imported: the file's, and the store's that the file
/// neither replaces (same key) nor prunes.
fn after_import<'a, T: Identity>(
    cur: &'a Option<Vec<T>>,
    want: &'a Option<Vec<T>>,
    prune: bool,
) -> (Vec<&'a T>, Vec<&'a T>) {
    let file: Vec<&T> = want.iter().flatten().collect();
    let in_file: HashSet<String> = file.iter().map(|r| r.key()).collect();
    let stays = cur
        .iter()
        .flatten()
        .filter(|r| match want {
            None => true,
            Some(_) => !prune && !in_file.contains(&r.key()),
        })
        .collect();
    (file, stays)
}

/// One experiment ID space, as `experiment create --id` keeps it ([`IdUse::claim`]): an
/// experiment of the file (edX definition or baseplate experiment) that takes an ID it does not
/// hold in the store may not take one that another experiment holds after the import (exit 2);
/// one that only the store's key-values or per-user rows use is returned, to warn about. (Two
/// experiments of the file with one ID are refused when the file is read.)
fn check_ids(cur: &State, want: &State, prune: bool, src: &str) -> Result<Vec<UnclaimedId>> {
    if want.experiments.is_none() && want.baseplate.is_none() {
        return Ok(Vec::new());
    }
    let (edx_file, edx_stays) = after_import(&cur.experiments, &want.experiments, prune);
    let (bp_file, bp_stays) = after_import(&cur.baseplate, &want.baseplate, prune);
    // The store's key-values and per-user rows that stay: all of them unless --prune removes
    // those the file leaves out (rows the file only brings come with their definition).
    fn kept_keys<T: Identity>(section: &Option<Vec<T>>, prune: bool) -> Option<HashSet<String>> {
        section
            .as_ref()
            .filter(|_| prune)
            .map(|rows| rows.iter().map(Identity::key).collect())
    }
    let kv_kept = kept_keys(&want.key_values, prune);
    let data_kept = kept_keys(&want.experiment_data, prune);
    let mut uses: BTreeMap<i64, IdUse> = BTreeMap::new();
    for e in edx_file.iter().chain(&edx_stays) {
        if let Some(id) = e.experiment_id {
            let u = uses.entry(id).or_insert_with(|| IdUse::unused(id));
            u.experiments.push(e.name.clone());
        }
    }
    for b in bp_file.iter().chain(&bp_stays) {
        if let Some(id) = b.exp_id() {
            let u = uses.entry(id).or_insert_with(|| IdUse::unused(id));
            u.baseplate.push(b.key.clone());
        }
    }
    for k in cur.key_values.iter().flatten() {
        if kv_kept.as_ref().is_none_or(|keep| keep.contains(&k.key())) {
            let id = k.experiment_id;
            uses.entry(id)
                .or_insert_with(|| IdUse::unused(id))
                .key_values += 1;
        }
    }
    for d in cur.experiment_data.iter().flatten() {
        if data_kept
            .as_ref()
            .is_none_or(|keep| keep.contains(&d.key()))
        {
            let id = d.experiment_id;
            uses.entry(id)
                .or_insert_with(|| IdUse::unused(id))
                .data_rows += 1;
        }
    }
    let held: HashMap<(&str, bool), Option<i64>> = cur
        .experiments
        .iter()
        .flatten()
        .map(|e| ((e.name.as_str(), false), e.experiment_id))
        .chain(
            cur.baseplate
                .iter()
                .flatten()
                .map(|b| ((b.key.as_str(), true), b.exp_id())),
        )
        .collect();
    let store_names: HashSet<&str> = edx_stays
        .iter()
        .map(|e| e.name.as_str())
        .chain(bp_stays.iter().map(|b| b.key.as_str()))
        .collect();
    let file_claims = edx_file
        .iter()
        .filter_map(|e| Some((e.name.as_str(), false, e.experiment_id?)))
        .chain(
            bp_file
                .iter()
                .filter_map(|b| Some((b.key.as_str(), true, b.exp_id()?))),
        );
    let mut unclaimed = Vec::new();
    for (name, baseplate, id) in file_claims {
        if held.get(&(name, baseplate)) == Some(&Some(id)) {
            continue; // it holds the ID already
        }
        let Some(u) = uses.get(&id) else { continue };
        match u.claim(name) {
            Claim::Taken { by, system } => {
                let place = if store_names.contains(by) {
                    " in the store"
                } else {
                    ""
                };
                return Err(Error::usage(format!(
                    "{src}: experiment '{name}' has ID {id}, which {system} '{by}'{place} already uses"
                ))
                .with_hint("choose a free ID (wafflectl experiment next-id) or include the other experiment in the file"));
            }
            Claim::Unclaimed {
                key_values,
                data_rows,
            } => unclaimed.push(UnclaimedId {
                id,
                key_values,
                data_rows,
            }),
            Claim::Free => {}
        }
    }
    Ok(unclaimed)
}

/// Compares the store (`cur`, every section loaded) with a file (`want`). `now` (DB text) dates
/// what the file leaves undated. [`plan_with`] without `--create-only`.
pub fn plan(cur: &State, want: &State, prune: bool, now: &str, src: &str) -> Result<Plan> {
    let opts = PlanOptions {
        prune,
        create_only: false,
    };
    plan_with(cur, want, &opts, now, src)
}

/// Compares the store (`cur`, every section loaded) with a source (`want`: a file, another
/// store, a selection of one) as `opts` asks. `--prune` with `--create-only` is refused (exit 2):
/// one deletes what the other promises to keep.
pub fn plan_with(
    cur: &State,
    want: &State,
    opts: &PlanOptions,
    now: &str,
    src: &str,
) -> Result<Plan> {
    if opts.prune && opts.create_only {
        return Err(
            Error::usage("--create-only and --prune cannot be used together")
                .with_hint("--create-only never changes or deletes what exists; drop one of them"),
        );
    }
    let prune = opts.prune;
    check_refs(cur, want, prune, src)?;
    let unclaimed = check_ids(cur, want, prune, src)?;
    let mut p = Plan {
        unclaimed,
        kept: opts.create_only.then(Vec::new),
        ..Plan::default()
    };
    fn all<T>(v: &Option<Vec<T>>) -> &[T] {
        v.as_deref().unwrap_or(&[])
    }
    section(&mut p, all(&cur.groups), want.groups.as_ref(), opts, now);
    section(&mut p, all(&cur.users), want.users.as_ref(), opts, now);
    section(&mut p, all(&cur.flags), want.flags.as_ref(), opts, now);
    section(
        &mut p,
        all(&cur.switches),
        want.switches.as_ref(),
        opts,
        now,
    );
    section(&mut p, all(&cur.samples), want.samples.as_ref(), opts, now);
    let (exps, kvs) = (&cur.experiments, &cur.key_values);
    section(&mut p, all(exps), want.experiments.as_ref(), opts, now);
    section(&mut p, all(kvs), want.key_values.as_ref(), opts, now);
    let (data, enrolled) = (&cur.experiment_data, &cur.enrollments);
    section(&mut p, all(data), want.experiment_data.as_ref(), opts, now);
    section(&mut p, all(enrolled), want.enrollments.as_ref(), opts, now);
    let overrides = want.overrides.as_ref();
    override_section(
        &mut p,
        all(&cur.overrides),
        overrides,
        opts,
        now,
        want.precision,
    );
    section(
        &mut p,
        all(&cur.baseplate),
        want.baseplate.as_ref(),
        opts,
        now,
    );
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::toggles::Flag;
    use crate::types::Percent;

    #[test]
    fn import_audit_text_is_sorted_and_hides_the_password() {
        let mut f = Flag::new("x", "2026-01-02 03:04:05");
        f.percent = Some(Percent(125));
        f.users = vec!["alice".into(), "bob".into()];
        f.note = "a \"quoted\"\nnote".into();
        let u = UserRow {
            username: "alice".into(),
            password: Some("pbkdf2$x".into()),
            groups: vec!["beta".into()],
            ..UserRow::default()
        };
        let o = OverrideRow {
            id: 1,
            flag: "f".into(),
            scope: Scope::Course,
            key: "course-v1:a+b+c".into(),
            changed_by_id: None,
            choice: "on".into(),
            enabled: true,
            note: String::new(),
            changed_by: Some("root".into()),
            change_date: "2026-01-02 03:04:05.5".into(),
        };
        let org = OverrideRow {
            scope: Scope::Org,
            key: "edX".into(),
            changed_by: None,
            ..o.clone()
        };
        // Keys sorted (as `Tx::record` stores them), the password only as a marker, override
        // rows with their author and date.
        let texts: Vec<String> = [Op::Flag(f), Op::User(u), Op::Override(o), Op::Override(org)]
            .iter()
            .map(Op::audit_json)
            .collect();
        assert_eq!(
            texts,
            [
                r#"{"authenticated":false,"everyone":null,"groups":[],"languages":"","name":"x","note":"a \"quoted\"\nnote","percent":12.5,"rollout":false,"staff":false,"superusers":false,"testing":false,"users":["alice","bob"]}"#,
                r#"{"email":"","first_name":"","groups":["beta"],"is_active":false,"is_staff":false,"is_superuser":false,"last_name":"","password":"set (c4d26b4a)","username":"alice"}"#,
                r#"{"change_date":"2026-01-02T03:04:05.500000Z","changed_by":"root","choice":"on","course_id":"course-v1:a+b+c","enabled":true,"flag":"f","note":""}"#,
                r#"{"change_date":"2026-01-02T03:04:05.500000Z","changed_by":null,"choice":"on","enabled":true,"flag":"f","note":"","org":"edX"}"#,
            ]
        );
    }

    fn flag(name: &str, everyone: Option<bool>) -> Flag {
        let mut f = Flag::new(name, "2026-01-02 03:04:05");
        f.everyone = everyone;
        f
    }

    #[test]
    fn plan_adds_changes_and_prunes() {
        let mut cur_a = flag("a", None);
        cur_a.id = 1;
        let mut cur_b = flag("b", None);
        cur_b.id = 2;
        let cur = State {
            flags: Some(vec![cur_a, cur_b]),
            ..State::default()
        };
        let mut a = flag("a", Some(true));
        a.modified = String::new();
        let want = State {
            flags: Some(vec![a, flag("c", None)]),
            ..State::default()
        };
        let now = "2026-02-02 00:00:00";
        let p = plan(&cur, &want, false, now, "f").unwrap();
        let lines: Vec<String> = p.items.iter().map(Item::line).collect();
        assert_eq!(lines, ["~ flag a: everyone: null → true", "+ flag c"]);
        match &p.items[0].op {
            Op::Flag(f) => {
                assert_eq!(f.id, 1);
                assert_eq!(f.modified, now, "a changed object is modified now");
            }
            other => panic!("{other:?}"),
        }
        let p = plan(&cur, &want, true, now, "f").unwrap();
        assert_eq!(p.removed(), 1);
        let lines: Vec<String> = p.items.iter().map(Item::line).collect();
        assert_eq!(lines[1], "- flag b", "sorted by name within a kind");
    }

    #[test]
    fn override_keys_compare_by_their_current_row() {
        let row = |id: i64, date: &str, choice: &str| OverrideRow {
            id,
            flag: "f".into(),
            scope: Scope::Course,
            key: "course-v1:a+b+c".into(),
            changed_by_id: None,
            choice: choice.into(),
            enabled: true,
            note: String::new(),
            changed_by: None,
            change_date: date.into(),
        };
        let cur = State {
            overrides: Some(vec![
                row(1, "2026-01-01 00:00:00", "on"),
                row(2, "2026-01-01 00:00:00", "off"),
            ]),
            ..State::default()
        };
        // Same rows, same order, spelled as an export spells dates: nothing to do, one key.
        let want = State {
            overrides: Some(vec![
                row(0, "2026-01-01T00:00:00.000000Z", "on"),
                row(0, "2026-01-01T00:00:00.000000Z", "off"),
            ]),
            ..State::default()
        };
        let p = plan(&cur, &want, true, "now", "f").unwrap();
        assert!(p.items.is_empty(), "{:?}", p.items);
        assert_eq!(p.unchanged, 1);
        // Other history ending in the same current value: nothing to do either.
        let want = State {
            overrides: Some(vec![
                row(0, "2020-01-01T00:00:00.000000Z", "off"),
                row(0, "2020-01-02T00:00:00.000000Z", "on"),
            ]),
            ..State::default()
        };
        assert!(
            plan(&cur, &want, true, "now", "f")
                .unwrap()
                .items
                .is_empty()
        );
        // An undated row saying what the current row says matches it; one saying otherwise
        // appends a row dated now. Of two rows with the same date, edX reads the lower id (`on`)
        // as current.
        let want = State {
            overrides: Some(vec![row(0, "", "on")]),
            ..State::default()
        };
        let now = "2026-02-02 00:00:00";
        let p = plan(&cur, &want, false, now, "f").unwrap();
        assert!(p.items.is_empty());
        let want = State {
            overrides: Some(vec![row(0, "", "off")]),
            ..State::default()
        };
        let p = plan(&cur, &want, false, now, "f").unwrap();
        assert_eq!((p.added(), p.changed()), (0, 1));
        match &p.items[0].op {
            Op::Override(o) => assert_eq!((o.id, o.change_date.as_str()), (0, now)),
            other => panic!("{other:?}"),
        }
        // A disabled current row forces nothing, whatever its choice.
        let mut off = row(0, "", "off");
        off.enabled = false;
        let mut cur_off = row(3, "2026-01-03 00:00:00", "on");
        cur_off.enabled = false;
        let cur2 = State {
            overrides: Some(vec![row(1, "2026-01-01 00:00:00", "on"), cur_off]),
            ..State::default()
        };
        let want = State {
            overrides: Some(vec![off]),
            ..State::default()
        };
        assert!(
            plan(&cur2, &want, false, now, "f")
                .unwrap()
                .items
                .is_empty()
        );
    }

    #[test]
    fn an_appended_override_row_is_newer_than_the_current_one() {
        let now = "2026-01-02 03:04:05";
        assert_eq!(newer_than("2026-01-01 00:00:00", now), now);
        assert_eq!(newer_than("", now), now);
        // The same second, or a clock ahead: a microsecond after the current row.
        assert_eq!(newer_than(now, now), "2026-01-02 03:04:05.000001");
        assert_eq!(
            newer_than("2026-06-01 00:00:00.5", now),
            "2026-06-01 00:00:00.500001"
        );
        assert_eq!(
            newer_than("2026-06-01T00:00:00", now),
            "2026-06-01T00:00:00.000001"
        );
    }

    #[test]
    fn create_only_keeps_what_exists_and_refuses_prune() {
        let mut cur_a = flag("a", None);
        cur_a.id = 1;
        let cur = State {
            flags: Some(vec![cur_a]),
            ..State::default()
        };
        let want = State {
            flags: Some(vec![flag("a", Some(true)), flag("b", None)]),
            ..State::default()
        };
        let only = PlanOptions {
            prune: false,
            create_only: true,
        };
        let p = plan_with(&cur, &want, &only, "now", "f").unwrap();
        let lines: Vec<String> = p.items.iter().map(Item::line).collect();
        assert_eq!(lines, ["+ flag b"]);
        assert_eq!(
            p.kept,
            Some(vec![Kept {
                kind: "flag",
                name: "a".into()
            }])
        );
        assert_eq!(
            p.summary(false),
            "1 to add, 0 to change, 0 to remove, 0 unchanged, 1 kept (--create-only)"
        );
        let both = PlanOptions {
            prune: true,
            create_only: true,
        };
        let e = plan_with(&cur, &want, &both, "now", "f").unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn references_must_exist_somewhere() {
        let mut f = flag("a", None);
        f.users = vec!["ghost".into()];
        let want = State {
            flags: Some(vec![f]),
            ..State::default()
        };
        let e = plan(&State::default(), &want, false, "now", "f.json").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.message.contains("user 'ghost'"), "{}", e.message);
    }
}
