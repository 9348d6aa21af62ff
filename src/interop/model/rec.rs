//! What the plan knows about each kind of row: identity, audit record, completion.

use serde_json::Value;

use crate::store::baseplate::BaseplateExperiment;
use crate::store::edx::{DataRow, ExperimentRow, KeyValue, OverrideAudit, OverrideRow, Scope};
use crate::store::toggles::{Flag, Sample, Switch, audit_value};
use crate::store::users::{Enrollment, GroupRow, UserRow, password_marker};
use crate::time;

/// Which object a row is: its kind and key (unique in a file) and its row id.
pub(super) trait Identity {
    fn kind(&self) -> &'static str;
    fn key(&self) -> String;
    fn id(&self) -> i64;
    fn set_id(&mut self, id: i64);
}

/// [`Identity`] of a row whose id is the field `$id`.
macro_rules! identity {
    ($t:ty, kind: |$s:tt| $kind:expr, id: $id:ident, key: |$k:ident| $key:expr) => {
        impl Identity for $t {
            fn kind(&self) -> &'static str {
                let $s = self;
                $kind
            }
            fn key(&self) -> String {
                let $k = self;
                $key
            }
            fn id(&self) -> i64 {
                self.$id
            }
            fn set_id(&mut self, id: i64) {
                self.$id = id;
            }
        }
    };
}

/// Whether `$a` and `$b` have the same value in each of the named fields.
macro_rules! fields_eq {
    ($a:expr, $b:expr; $($field:ident),+ $(,)?) => {
        $($a.$field == $b.$field)&&+
    };
}

/// What the plan needs to know about a kind of row.
pub(super) trait Rec: Identity + Clone {
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
    if time::text::same(modified, cur_modified) {
        *modified = now.to_string();
    }
}

identity!(GroupRow, kind: |_| "group", id: id, key: |r| r.name.clone());

impl Rec for GroupRow {
    fn audit(&self) -> Value {
        GroupRow::audit(self)
    }
    fn complete(&mut self, _: Option<&Self>, _: &str) {}
    fn op(self) -> Op {
        Op::Group(self)
    }
}

identity!(UserRow, kind: |_| "user", id: id, key: |r| r.username.clone());

impl Rec for UserRow {
    fn audit(&self) -> Value {
        serde_json::to_value(self.audit_record()).unwrap_or(Value::Null)
    }
    fn same(&self, c: &Self) -> bool {
        fields_eq!(self, c; username, email, first_name, last_name, is_staff, is_superuser,
            is_active, groups)
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

/// `Rec` for a row that keeps `created`/`modified`: the file's values, or the current row's,
/// or `now` fill what the file left out, and a changed row is modified now unless the file
/// brought a newer time. `same` defaults to comparing the audit JSON.
macro_rules! stamped_rec {
    (
        $t:ty, $variant:ident, $kind:literal, id: $id:ident, key: |$k:ident| $key:expr,
        audit: $audit:expr $(, same: |$a:ident, $b:ident| $same:expr)? $(,)?
    ) => {
        identity!($t, kind: |_r| $kind, id: $id, key: |$k| $key);

        impl Rec for $t {
            fn audit(&self) -> Value {
                $audit(self)
            }
            $(
                fn same(&self, $b: &Self) -> bool {
                    let $a = self;
                    $same
                }
            )?
            fn complete(&mut self, cur: Option<&Self>, now: &str) {
                fill(&mut self.created, cur.map(|c| &c.created), now);
                fill(&mut self.modified, cur.map(|c| &c.modified), now);
            }
            fn touch(&mut self, cur: &Self, now: &str) {
                touch_modified(&mut self.modified, &cur.modified, now);
            }
            fn op(self) -> Op {
                Op::$variant(self)
            }
        }
    };
}

stamped_rec!(Flag, Flag, "flag", id: id, key: |f| f.name.clone(), audit: Flag::audit,
    same: |a, c| fields_eq!(a, c; name, everyone, percent, testing, superusers, staff,
        authenticated, languages, rollout, note, users, groups),
);
stamped_rec!(Switch, Switch, "switch", id: id, key: |s| s.name.clone(), audit: audit_value);
stamped_rec!(Sample, Sample, "sample", id: id, key: |s| s.name.clone(), audit: audit_value);
stamped_rec!(ExperimentRow, Experiment, "experiment", id: row_id, key: |e| e.name.clone(),
    audit: ExperimentRow::audit);
// `ID:KEY`.
stamped_rec!(KeyValue, KeyValue, "key-value", id: id,
    key: |k| format!("{}:{}", k.experiment_id, k.key), audit: KeyValue::audit);
// `ID:USER:KEY`.
stamped_rec!(DataRow, Data, "experiment data", id: id,
    key: |d| format!("{}:{}:{}", d.experiment_id, d.user, d.key), audit: DataRow::audit,
    same: |a, c| fields_eq!(a, c; experiment_id, user, key, value),
);

/// The audit record of an imported override row: [`OverrideRow::audit_record`] with the row's
/// author and date.
fn imported_override_audit(o: &OverrideRow) -> OverrideAudit<'_> {
    OverrideAudit {
        change_date: Some(time::db_to_json(&o.change_date)),
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

// `FLAG@COURSE` / `FLAG@ORG` (rows of one key are told apart by their date).
identity!(OverrideRow, kind: |r| override_kind(r.scope), id: id, key: |r| format!("{}@{}", r.flag, r.key));

impl Rec for OverrideRow {
    /// Unlike the inherent [`OverrideRow::audit`] (what `override set` records), an imported
    /// row also shows its author and date: call this one as `Rec::audit(row)`.
    fn audit(&self) -> Value {
        serde_json::to_value(imported_override_audit(self)).unwrap_or(Value::Null)
    }
    fn same(&self, c: &Self) -> bool {
        fields_eq!(self, c; flag, scope, key, choice, enabled, note, changed_by)
            && time::text::same(&self.change_date, &c.change_date)
    }
    fn complete(&mut self, cur: Option<&Self>, now: &str) {
        fill(&mut self.change_date, cur.map(|c| &c.change_date), now);
    }
    fn op(self) -> Op {
        Op::Override(self)
    }
}

// `USER@COURSE`.
identity!(Enrollment, kind: |_| "enrollment", id: id, key: |r| format!("{}@{}", r.user, r.course_id));

impl Rec for Enrollment {
    /// The enrollment as `user enroll` records it: one serialisation for both.
    fn audit(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
    fn same(&self, c: &Self) -> bool {
        fields_eq!(self, c; user, course_id, is_active, mode)
            && match (&self.created, &c.created) {
                (Some(a), Some(b)) => time::text::same(a, b),
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
impl Identity for BaseplateExperiment {
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
}

impl Rec for BaseplateExperiment {
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
    Experiment(ExperimentRow),
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
