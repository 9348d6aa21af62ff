//! The store's content as plain rows ([`State`]), and the [`Plan`] an import carries out.
//!
//! Both file formats are read into a `State` (sections the file does not have are `None`), the
//! store is loaded into another, and [`plan`] compares them object by object: added, changed
//! (before → after, as the audit log shows it) and, with `--prune`, removed. `diff` and
//! `import --dry-run` print the plan; `import` applies it in one transaction ([`apply`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Value, json};

use super::timefmt;
use crate::engine::overrides::{self as precedence, StoredDate};
use crate::error::{Error, Result};
use crate::store::Tx;
use crate::store::audit::{Change, field_diff};
use crate::store::baseplate::BaseplateExperiment;
use crate::store::edx::{self, DataRow, Experiment, KeyValue, OverrideAudit, OverrideRow, Scope};
use crate::store::toggles::{self, Flag, Sample, Switch, audit_value};
use crate::store::users::{self, Enrollment, UserRow, password_marker};

pub use crate::store::users::GroupRow;

/// Every kind of object wafflectl moves between systems. A section is `None` when a file does
/// not speak of that kind at all (it is then left alone, even with `--prune`).
#[derive(Debug, Clone, Default)]
pub struct State {
    pub groups: Option<Vec<GroupRow>>,
    pub users: Option<Vec<UserRow>>,
    pub flags: Option<Vec<Flag>>,
    pub switches: Option<Vec<Switch>>,
    pub samples: Option<Vec<Sample>>,
    pub overrides: Option<Vec<OverrideRow>>,
    pub experiments: Option<Vec<Experiment>>,
    pub key_values: Option<Vec<KeyValue>>,
    pub experiment_data: Option<Vec<DataRow>>,
    pub enrollments: Option<Vec<Enrollment>>,
    /// Baseplate experiments, in file order.
    pub baseplate: Option<Vec<BaseplateExperiment>>,
}

impl State {
    /// The whole store, every section present, rows in id order.
    pub fn load(conn: &Connection) -> Result<State> {
        Ok(State {
            groups: Some(users::group_rows(conn)?),
            users: Some(users::user_rows(conn)?),
            flags: Some(toggles::flags_by_id(conn)?),
            switches: Some(toggles::switches_by_id(conn)?),
            samples: Some(toggles::samples_by_id(conn)?),
            overrides: Some(edx::override_rows_by_id(conn)?),
            experiments: Some(edx::experiments_by_id(conn)?),
            key_values: Some(edx::key_values_by_id(conn)?),
            experiment_data: Some(edx::data_rows_by_id(conn)?),
            enrollments: Some(users::enrollments_by_id(conn)?),
            baseplate: Some(crate::store::baseplate::list(conn)?),
        })
    }

    /// Number of objects (override rows count one each).
    pub fn len(&self) -> usize {
        fn n<T>(v: &Option<Vec<T>>) -> usize {
            v.as_ref().map_or(0, Vec::len)
        }
        n(&self.groups)
            + n(&self.users)
            + n(&self.flags)
            + n(&self.switches)
            + n(&self.samples)
            + n(&self.overrides)
            + n(&self.experiments)
            + n(&self.key_values)
            + n(&self.experiment_data)
            + n(&self.enrollments)
            + n(&self.baseplate)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Refuses (exit 2) two objects with the same identity in one file.
    pub fn check_duplicates(&self, src: &str) -> Result<()> {
        fn dup<T>(
            src: &str,
            what: &str,
            rows: &Option<Vec<T>>,
            key: impl Fn(&T) -> String,
        ) -> Result<()> {
            let mut seen = HashSet::new();
            for r in rows.iter().flatten() {
                let k = key(r);
                if !seen.insert(k.clone()) {
                    return Err(Error::usage(format!("{src}: {what} '{k}' appears twice"))
                        .with_hint("each object may appear only once in a file"));
                }
            }
            Ok(())
        }
        dup(src, "group", &self.groups, |g| g.name.clone())?;
        dup(src, "user", &self.users, |u| u.username.clone())?;
        dup(src, "flag", &self.flags, |f| f.name.clone())?;
        dup(src, "switch", &self.switches, |s| s.name.clone())?;
        dup(src, "sample", &self.samples, |s| s.name.clone())?;
        dup(src, "experiment", &self.experiments, |e| e.name.clone())?;
        let mut ids: HashMap<i64, &str> = HashMap::new();
        for e in self.experiments.iter().flatten() {
            let Some(id) = e.experiment_id else { continue };
            if let Some(first) = ids.insert(id, &e.name) {
                return Err(Error::usage(format!(
                    "{src}: experiments '{first}' and '{}' share experiment ID {id}",
                    e.name
                ))
                .with_hint("each experiment needs its own ID; find a free one with: wafflectl experiment next-id"));
            }
        }
        dup(src, "key-value", &self.key_values, Rec::key)?;
        dup(src, "experiment data", &self.experiment_data, Rec::key)?;
        dup(src, "enrollment", &self.enrollments, Rec::key)?;
        dup(src, "baseplate experiment", &self.baseplate, Rec::key)?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Identity and audit values of each kind of row
// ---------------------------------------------------------------------------------------------

/// What the plan needs to know about a kind of row.
trait Rec: Clone {
    fn kind(&self) -> &'static str;
    fn key(&self) -> String;
    fn id(&self) -> i64;
    fn set_id(&mut self, id: i64);
    /// The object as the audit log records it (no ids, no bookkeeping timestamps).
    fn audit(&self) -> Value;
    /// Same content as `cur` (what [`Rec::audit`] shows). Kinds imported by the hundred
    /// thousand compare their fields instead of building the JSON.
    fn same(&self, cur: &Self) -> bool {
        self.audit() == cur.audit()
    }
    /// Fills what the file left out: from the current row, or `now` for a new object.
    fn complete(&mut self, cur: Option<&Self>, now: &str);
    /// The content changed: bump `modified` to `now` unless the file brought a newer one.
    fn touch(&mut self, _cur: &Self, _now: &str) {}
    fn op(self) -> Op;
}

/// Empty (not given) → the current value, else `now`.
fn fill(v: &mut String, cur: Option<&String>, now: &str) {
    if v.is_empty() {
        *v = cur.cloned().unwrap_or_else(|| now.to_string());
    }
}

fn touch_modified(modified: &mut String, cur_modified: &str, now: &str) {
    if timefmt::same(modified, cur_modified) {
        *modified = now.to_string();
    }
}

impl Rec for GroupRow {
    fn kind(&self) -> &'static str {
        "group"
    }
    fn key(&self) -> String {
        self.name.clone()
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        json!({ "name": self.name })
    }
    fn complete(&mut self, _: Option<&Self>, _: &str) {}
    fn op(self) -> Op {
        Op::Group(self)
    }
}

impl Rec for UserRow {
    fn kind(&self) -> &'static str {
        "user"
    }
    fn key(&self) -> String {
        self.username.clone()
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        serde_json::to_value(self.audit_record()).unwrap_or(Value::Null)
    }
    fn same(&self, c: &Self) -> bool {
        self.username == c.username
            && self.email == c.email
            && self.first_name == c.first_name
            && self.last_name == c.last_name
            && self.is_staff == c.is_staff
            && self.is_superuser == c.is_superuser
            && self.is_active == c.is_active
            && self.groups == c.groups
            && password_marker(self.password.as_deref()) == password_marker(c.password.as_deref())
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        if self.password.is_none() {
            self.password = cur.and_then(|c| c.password.clone());
        }
        if self.last_login.is_none() {
            self.last_login = cur.and_then(|c| c.last_login.clone());
        }
        fill(&mut self.date_joined, cur.map(|c| &c.date_joined), now);
    }
    fn op(self) -> Op {
        Op::User(self)
    }
}

impl Rec for Flag {
    fn kind(&self) -> &'static str {
        "flag"
    }
    fn key(&self) -> String {
        self.name.clone()
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        Flag::audit(self)
    }
    fn same(&self, c: &Self) -> bool {
        self.name == c.name
            && self.everyone == c.everyone
            && self.percent == c.percent
            && self.testing == c.testing
            && self.superusers == c.superusers
            && self.staff == c.staff
            && self.authenticated == c.authenticated
            && self.languages == c.languages
            && self.rollout == c.rollout
            && self.note == c.note
            && self.users == c.users
            && self.groups == c.groups
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        touch_modified(&mut self.modified, &cur.modified, now);
    }
    fn op(self) -> Op {
        Op::Flag(self)
    }
}

impl Rec for Switch {
    fn kind(&self) -> &'static str {
        "switch"
    }
    fn key(&self) -> String {
        self.name.clone()
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        audit_value(self)
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        touch_modified(&mut self.modified, &cur.modified, now);
    }
    fn op(self) -> Op {
        Op::Switch(self)
    }
}

impl Rec for Sample {
    fn kind(&self) -> &'static str {
        "sample"
    }
    fn key(&self) -> String {
        self.name.clone()
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        audit_value(self)
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        touch_modified(&mut self.modified, &cur.modified, now);
    }
    fn op(self) -> Op {
        Op::Sample(self)
    }
}

/// The audit record of an imported override row: [`OverrideRow::audit_record`] with the row's
/// author and date.
fn imported_override_audit(o: &OverrideRow) -> OverrideAudit<'_> {
    OverrideAudit {
        change_date: Some(timefmt::to_json(&o.change_date)),
        changed_by: Some(o.changed_by.as_deref()),
        ..o.audit_record()
    }
}

/// The audit kind of an override row.
pub fn override_kind(scope: Scope) -> &'static str {
    match scope {
        Scope::Course => "course override",
        Scope::Org => "org override",
    }
}

impl Rec for OverrideRow {
    fn kind(&self) -> &'static str {
        override_kind(self.scope)
    }
    /// `FLAG@COURSE` / `FLAG@ORG` (rows of one key are told apart by their date).
    fn key(&self) -> String {
        format!("{}@{}", self.flag, self.key)
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    /// Unlike the inherent [`OverrideRow::audit`] (what `override set` records), an imported
    /// row also shows its author and date: call this one as `Rec::audit(row)`.
    fn audit(&self) -> Value {
        serde_json::to_value(imported_override_audit(self)).unwrap_or(Value::Null)
    }
    fn same(&self, c: &Self) -> bool {
        self.flag == c.flag
            && self.scope == c.scope
            && self.key == c.key
            && self.choice == c.choice
            && self.enabled == c.enabled
            && self.note == c.note
            && self.changed_by == c.changed_by
            && timefmt::same(&self.change_date, &c.change_date)
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.change_date, cur.map(|c| &c.change_date), now);
    }
    fn op(self) -> Op {
        Op::Override(self)
    }
}

impl Rec for Experiment {
    fn kind(&self) -> &'static str {
        "experiment"
    }
    fn key(&self) -> String {
        self.name.clone()
    }
    fn id(&self) -> i64 {
        self.row_id
    }
    fn set_id(&mut self, id: i64) {
        self.row_id = id;
    }
    fn audit(&self) -> Value {
        Experiment::audit(self)
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        touch_modified(&mut self.modified, &cur.modified, now);
    }
    fn op(self) -> Op {
        Op::Experiment(self)
    }
}

impl Rec for KeyValue {
    fn kind(&self) -> &'static str {
        "key-value"
    }
    /// `ID:KEY`.
    fn key(&self) -> String {
        format!("{}:{}", self.experiment_id, self.key)
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        KeyValue::audit(self)
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        touch_modified(&mut self.modified, &cur.modified, now);
    }
    fn op(self) -> Op {
        Op::KeyValue(self)
    }
}

impl Rec for DataRow {
    fn kind(&self) -> &'static str {
        "experiment data"
    }
    /// `ID:USER:KEY`.
    fn key(&self) -> String {
        format!("{}:{}:{}", self.experiment_id, self.user, self.key)
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        DataRow::audit(self)
    }
    fn same(&self, c: &Self) -> bool {
        self.experiment_id == c.experiment_id
            && self.user == c.user
            && self.key == c.key
            && self.value == c.value
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        touch_modified(&mut self.modified, &cur.modified, now);
    }
    fn op(self) -> Op {
        Op::Data(self)
    }
}

impl Rec for Enrollment {
    fn kind(&self) -> &'static str {
        "enrollment"
    }
    /// `USER@COURSE`.
    fn key(&self) -> String {
        format!("{}@{}", self.user, self.course_id)
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn audit(&self) -> Value {
        json!({
            "course_id": self.course_id,
            "created": self.created.as_deref().map(timefmt::to_json),
            "is_active": self.is_active,
            "mode": self.mode,
        })
    }
    fn same(&self, c: &Self) -> bool {
        self.user == c.user
            && self.course_id == c.course_id
            && self.is_active == c.is_active
            && self.mode == c.mode
            && match (&self.created, &c.created) {
                (Some(a), Some(b)) => timefmt::same(a, b),
                (None, None) => true,
                _ => false,
            }
    }
    fn complete(&mut self, _: Option<&Self>, _: &str) {}
    fn op(self) -> Op {
        Op::Enrollment(self)
    }
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

/// The row to write (or, for a removal, the row to delete).
impl Rec for BaseplateExperiment {
    fn kind(&self) -> &'static str {
        "experiment"
    }
    fn key(&self) -> String {
        self.key.clone()
    }
    fn id(&self) -> i64 {
        self.position
    }
    /// The position of the store's row is kept unless the file gave one (new rows do).
    fn set_id(&mut self, _id: i64) {}
    fn audit(&self) -> Value {
        BaseplateExperiment::audit(self)
    }
    fn same(&self, cur: &Self) -> bool {
        self.config == cur.config
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.created, cur.map(|c| &c.created), now);
        fill(&mut self.modified, cur.map(|c| &c.modified), now);
    }
    fn touch(&mut self, cur: &Self, now: &str) {
        if self.config != cur.config {
            self.modified = now.to_string();
        }
    }
    fn op(self) -> Op {
        Op::Baseplate(self)
    }
}

#[derive(Debug, Clone)]
pub enum Op {
    Group(GroupRow),
    User(UserRow),
    Flag(Flag),
    Switch(Switch),
    Sample(Sample),
    Override(OverrideRow),
    Experiment(Experiment),
    KeyValue(KeyValue),
    Data(DataRow),
    Enrollment(Enrollment),
    Baseplate(BaseplateExperiment),
}

impl Op {
    /// The row as the audit log records it.
    pub fn audit(&self) -> Value {
        match self {
            Op::Group(r) => Rec::audit(r),
            Op::User(r) => Rec::audit(r),
            Op::Flag(r) => Rec::audit(r),
            Op::Switch(r) => Rec::audit(r),
            Op::Sample(r) => Rec::audit(r),
            Op::Override(r) => Rec::audit(r),
            Op::Experiment(r) => Rec::audit(r),
            Op::KeyValue(r) => Rec::audit(r),
            Op::Data(r) => Rec::audit(r),
            Op::Enrollment(r) => Rec::audit(r),
            Op::Baseplate(r) => Rec::audit(r),
        }
    }
}

impl Op {
    /// The audit JSON text an import stores for the row: sorted, as [`Tx::record`] stores it,
    /// for flags, users and overrides.
    pub fn audit_json(&self) -> String {
        match self {
            Op::Flag(_) | Op::User(_) | Op::Override(_) => {
                crate::store::audit::sorted(self.audit()).to_string()
            }
            other => other.audit().to_string(),
        }
    }
}

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
        format!(
            "{} {a}, {} {c}, {} {r}, {} unchanged",
            self.added(),
            self.changed(),
            self.removed(),
            self.unchanged
        )
    }
    pub fn to_json(&self) -> PlanJson<'_> {
        let mut j = PlanJson {
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            unchanged: self.unchanged,
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
fn section<T: Rec>(plan: &mut Plan, cur: &[T], want: Option<&Vec<T>>, prune: bool, now: &str) {
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
                row.touch(c, now);
                let kind = row.kind();
                items.insert(
                    key.clone(),
                    Item::new(Action::Update, kind, key, Some(Rec::audit(*c)), row.op()),
                );
            }
        }
    }
    if prune {
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

/// Override rows are history: a dated row of the file is the store's row with the same flag,
/// course/org and `change_date` (the n-th of several with the same date matches the n-th); a row
/// without a date means "the current override of this key is ...": it matches the key's current
/// row (the one edX reads, [`precedence::current`]) when that says the same, and is appended
/// (dated now) otherwise.
fn override_section(
    plan: &mut Plan,
    cur: &[OverrideRow],
    want: Option<&Vec<OverrideRow>>,
    prune: bool,
    now: &str,
) {
    let Some(want) = want else { return };
    type Key<'a> = (&'a str, Scope, &'a str);
    fn key_of(o: &OverrideRow) -> Key<'_> {
        (o.flag.as_str(), o.scope, o.key.as_str())
    }
    // Canonical text sorts chronologically.
    let date_of =
        |o: &OverrideRow| timefmt::to_db(&o.change_date).unwrap_or_else(|| o.change_date.clone());
    let cur_dates: Vec<String> = cur.iter().map(date_of).collect();
    // The store's rows hold their dates as text (Django writes text).
    let stored: Vec<StoredDate> = cur
        .iter()
        .map(|o| StoredDate::Text(o.change_date.clone()))
        .collect();
    // Current rows by (key, date, ordinal), and the rows of each key.
    let mut by_date: HashMap<(Key<'_>, &str, usize), usize> = HashMap::with_capacity(cur.len());
    let mut count: HashMap<(Key<'_>, &str), usize> = HashMap::with_capacity(cur.len());
    let mut of_key: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    for (i, o) in cur.iter().enumerate() {
        let k = key_of(o);
        let d = cur_dates[i].as_str();
        let n = count.entry((k, d)).or_insert(0);
        by_date.insert((k, d, *n), i);
        *n += 1;
        of_key.entry(k).or_default().push(i);
    }
    let newest: HashMap<Key<'_>, usize> = of_key
        .into_iter()
        .filter_map(|(k, rows)| {
            precedence::current(&rows, |&i| (&stored[i], cur[i].id)).map(|&i| (k, i))
        })
        .collect();
    let mut matched = vec![false; cur.len()];
    let mut items: Vec<(String, Item)> = Vec::new();
    let want_dates: Vec<String> = want.iter().map(date_of).collect();
    let mut wcount: HashMap<(Key<'_>, &str), usize> = HashMap::new();
    for (wi, w) in want.iter().enumerate() {
        let k = key_of(w);
        let hit = if w.change_date.is_empty() {
            newest.get(&k).copied().filter(|&i| {
                let c = &cur[i];
                c.choice == w.choice && c.enabled == w.enabled && c.note == w.note
            })
        } else {
            let d = want_dates[wi].as_str();
            let n = wcount.entry((k, d)).or_insert(0);
            let hit = by_date.get(&(k, d, *n)).copied();
            *n += 1;
            hit
        };
        let mut row = w.clone();
        match hit {
            Some(i) if !matched[i] => {
                matched[i] = true;
                let c = &cur[i];
                row.id = c.id;
                row.complete(Some(c), now);
                if w.change_date.is_empty() || row.same(c) {
                    plan.unchanged += 1;
                    continue;
                }
                let name = row.key();
                let kind = row.kind();
                items.push((
                    want_dates[wi].clone(),
                    Item::new(Action::Update, kind, name, Some(Rec::audit(c)), row.op()),
                ));
            }
            _ => {
                row.id = 0;
                row.complete(None, now);
                let name = row.key();
                let date = date_of(&row);
                let kind = row.kind();
                items.push((date, Item::new(Action::Create, kind, name, None, row.op())));
            }
        }
    }
    if prune {
        for (i, c) in cur.iter().enumerate() {
            if !matched[i] {
                items.push((
                    cur_dates[i].clone(),
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
                format!("the override of '{}' for {}", o.flag, o.key),
                u,
            ));
        }
    }
    // Django protects the author of an override row: a user --prune would remove must not have
    // written a row that stays.
    if prune && want.users.is_some() && want.overrides.is_none() {
        for o in cur.overrides.iter().flatten() {
            if let Some(u) = &o.changed_by
                && !users.contains(u.as_str())
            {
                return Err(Error::usage(format!(
                    "{src}: --prune would remove user '{u}', who wrote an override row of '{}' that stays",
                    o.flag
                ))
                .with_hint("add the user (or the overrides section) to the file"));
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
    // Experiment IDs stay unique across the file's and the remaining store's definitions.
    if let Some(exps) = &want.experiments {
        let in_file: HashSet<&str> = exps.iter().map(|e| e.name.as_str()).collect();
        let mut taken: HashMap<i64, &str> = HashMap::new();
        if !prune {
            for e in cur.experiments.iter().flatten() {
                if let Some(id) = e.experiment_id
                    && !in_file.contains(e.name.as_str())
                {
                    taken.insert(id, &e.name);
                }
            }
        }
        for e in exps {
            if let Some(id) = e.experiment_id
                && let Some(other) = taken.get(&id)
            {
                return Err(Error::usage(format!(
                    "{src}: experiment '{}' has ID {id}, which experiment '{other}' in the store already uses",
                    e.name
                ))
                .with_hint("choose a free ID (wafflectl experiment next-id) or include the other experiment in the file"));
            }
        }
    }
    Ok(())
}

/// Compares the store (`cur`, every section loaded) with a file (`want`). `now` (DB text) dates
/// what the file leaves undated.
pub fn plan(cur: &State, want: &State, prune: bool, now: &str, src: &str) -> Result<Plan> {
    check_refs(cur, want, prune, src)?;
    let mut p = Plan::default();
    fn all<T>(v: &Option<Vec<T>>) -> &[T] {
        v.as_deref().unwrap_or(&[])
    }
    section(&mut p, all(&cur.groups), want.groups.as_ref(), prune, now);
    section(&mut p, all(&cur.users), want.users.as_ref(), prune, now);
    section(&mut p, all(&cur.flags), want.flags.as_ref(), prune, now);
    section(
        &mut p,
        all(&cur.switches),
        want.switches.as_ref(),
        prune,
        now,
    );
    section(&mut p, all(&cur.samples), want.samples.as_ref(), prune, now);
    section(
        &mut p,
        all(&cur.experiments),
        want.experiments.as_ref(),
        prune,
        now,
    );
    section(
        &mut p,
        all(&cur.key_values),
        want.key_values.as_ref(),
        prune,
        now,
    );
    section(
        &mut p,
        all(&cur.experiment_data),
        want.experiment_data.as_ref(),
        prune,
        now,
    );
    section(
        &mut p,
        all(&cur.enrollments),
        want.enrollments.as_ref(),
        prune,
        now,
    );
    override_section(
        &mut p,
        all(&cur.overrides),
        want.overrides.as_ref(),
        prune,
        now,
    );
    section(
        &mut p,
        all(&cur.baseplate),
        want.baseplate.as_ref(),
        prune,
        now,
    );
    Ok(p)
}

// ---------------------------------------------------------------------------------------------
// Applying a plan
// ---------------------------------------------------------------------------------------------

fn ids(conn: &Connection, sql: &str) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn lookup(map: &HashMap<String, i64>, what: &str, name: &str) -> Result<i64> {
    map.get(name)
        .copied()
        .ok_or_else(|| Error::runtime(format!("{what} '{name}' not found")))
}

fn lookup_all(map: &HashMap<String, i64>, what: &str, names: &[String]) -> Result<Vec<i64>> {
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
/// [`users::delete_user`] refuses such a user), so a file may re-author a row and prune its
/// former author. `tick` is called after each object.
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
    let mut groups = ids(tx, "SELECT id, name FROM auth_group")?;
    let mut users = ids(tx, "SELECT id, username FROM auth_user")?;
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
                let gids = lookup_all(&groups, "group", &u.groups)?;
                let id = users::write_user(tx, u, &gids)?;
                users.insert(u.username.clone(), id);
            }
            Op::Flag(f) => {
                let uids = lookup_all(&users, "user", &f.users)?;
                let gids = lookup_all(&groups, "group", &f.groups)?;
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
                    Some(u) => Some(lookup(&users, "user", u)?),
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
                edx::write_data(tx, d, lookup(&users, "user", &d.user)?)?;
            }
            Op::Enrollment(e) => {
                users::write_enrollment(tx, e, lookup(&users, "user", &e.user)?)?;
            }
            Op::Baseplate(e) => crate::store::baseplate::save(tx, e)?,
        }
        tx.record_bulk(
            item.action.as_str(),
            item.kind,
            &item.name,
            item.before.as_ref().map(Value::to_string).as_deref(),
            item.after_json().as_deref(),
        )?;
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
    use super::*;
    use crate::store::toggles::Percent;

    #[test]
    fn fast_audit_text_is_the_audit_value_as_text() {
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
        for op in [Op::Flag(f), Op::User(u), Op::Override(o), Op::Override(org)] {
            assert_eq!(
                op.audit_json(),
                crate::store::audit::sorted(op.audit()).to_string()
            );
        }
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
    fn override_rows_match_by_date_and_order() {
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
        // Same rows, same order, spelled as an export spells dates: nothing to do.
        let want = State {
            overrides: Some(vec![
                row(0, "2026-01-01T00:00:00.000000Z", "on"),
                row(0, "2026-01-01T00:00:00.000000Z", "off"),
            ]),
            ..State::default()
        };
        let p = plan(&cur, &want, true, "now", "f").unwrap();
        assert!(p.items.is_empty(), "{:?}", p.items);
        assert_eq!(p.unchanged, 2);
        // An undated row saying what the current row says matches it; one saying otherwise is
        // new. Of two rows with the same date, edX reads the lower id (`on`) as current.
        let want = State {
            overrides: Some(vec![row(0, "", "on")]),
            ..State::default()
        };
        let p = plan(&cur, &want, false, "2026-02-02 00:00:00", "f").unwrap();
        assert!(p.items.is_empty());
        let want = State {
            overrides: Some(vec![row(0, "", "off")]),
            ..State::default()
        };
        let p = plan(&cur, &want, false, "2026-02-02 00:00:00", "f").unwrap();
        assert_eq!(p.added(), 1);
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
