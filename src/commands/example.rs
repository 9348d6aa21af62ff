//! The example `init --example` adds: a few users, a group, toggles of every kind. Idempotent:
//! objects that already exist are left alone.

use crate::error::Result;
use crate::store::Tx;
use crate::store::toggles::{self, Flag, Percent, Sample, Switch, audit_value};
use crate::store::users::{self, User};

fn user(tx: &mut Tx<'_>, name: &str, staff: bool, superuser: bool, groups: &[&str]) -> Result<()> {
    if users::get_user(tx, name)?.is_some() {
        return Ok(());
    }
    let u = User {
        id: 0,
        username: name.into(),
        email: format!("{name}@example.com"),
        is_staff: staff,
        is_superuser: superuser,
        is_active: true,
        date_joined: tx.now_db.clone(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    };
    users::save_user(tx, &u)?;
    tx.record("user", name, None, Some(u.audit()))?;
    Ok(())
}

fn flag(tx: &mut Tx<'_>, f: Flag) -> Result<()> {
    if toggles::get_flag(tx, &f.name)?.is_some() {
        return Ok(());
    }
    toggles::save_flag(tx, &f)?;
    tx.record("flag", &f.name.clone(), None, Some(f.audit()))?;
    Ok(())
}

pub fn populate(tx: &mut Tx<'_>) -> Result<()> {
    if users::get_group(tx, "beta")?.is_none() {
        users::insert_group(tx, "beta")?;
        tx.record(
            "group",
            "beta",
            None,
            Some(serde_json::json!({ "name": "beta" })),
        )?;
    }
    user(tx, "alice", false, false, &[])?;
    user(tx, "bob", false, false, &["beta"])?;
    user(tx, "carol", false, false, &[])?;
    user(tx, "staff", true, false, &[])?;
    user(tx, "root", true, true, &[])?;

    let now = tx.now_db.clone();
    let mut f = Flag::new("course_experience.relative_dates", &now);
    f.everyone = Some(true);
    f.note = "on for everyone".into();
    flag(tx, f)?;
    let mut f = Flag::new("new_dashboard", &now);
    f.percent = Some(Percent(250));
    f.rollout = true;
    f.groups = vec!["beta".into()];
    f.note = "gradual rollout; beta testers first".into();
    flag(tx, f)?;

    if toggles::get_switch(tx, "maintenance")?.is_none() {
        let s = Switch {
            id: 0,
            name: "maintenance".into(),
            active: false,
            note: String::new(),
            created: now.clone(),
            modified: now.clone(),
        };
        toggles::save_switch(tx, &s)?;
        tx.record("switch", "maintenance", None, Some(audit_value(&s)))?;
    }
    if toggles::get_sample(tx, "ab_test")?.is_none() {
        let s = Sample {
            id: 0,
            name: "ab_test".into(),
            percent: Percent(330),
            note: String::new(),
            created: now.clone(),
            modified: now,
        };
        toggles::save_sample(tx, &s)?;
        tx.record("sample", "ab_test", None, Some(audit_value(&s)))?;
    }
    Ok(())
}
