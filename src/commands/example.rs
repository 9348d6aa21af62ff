//! The example `init --example` adds: a few users, a group, toggles of every kind, and the Open
//! edX documentation's example experiment `example_namespace.example_flag` (3 buckets, an
//! experiment ID, on in the demo course by a course override, staff forced into bucket 1, an
//! `enrollment_start`, alice/bob/carol enrolled in the demo course). `init` adds it only to an
//! empty store (see `init::refuse_example_on_data`). Idempotent all the same: objects that
//! already exist are left alone.

use crate::commands::overrides::{Target, put_override};
use crate::engine::overrides::Choice;
use crate::error::Result;
use crate::store::Tx;
use crate::store::edx::{self, ExperimentRow, KeyValue, Scope};
use crate::store::toggles::{self, Flag, Sample, Switch, audit_value};
use crate::store::users::{self, User};
use crate::types::Percent;

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

pub(crate) fn populate(tx: &mut Tx<'_>) -> Result<()> {
    if users::get_group(tx, "beta")?.is_none() {
        users::insert_group(tx, "beta")?;
        tx.record("group", "beta", None, Some(users::group_audit("beta")))?;
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
    example_experiment(tx)?;
    if toggles::get_sample(tx, "ab_test")?.is_none() {
        let s = Sample {
            id: 0,
            name: "ab_test".into(),
            percent_unreadable: None,
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

/// The example experiment of the edX documentation.
pub(crate) const EXAMPLE_EXPERIMENT: &str = "example_namespace.example_flag";
/// The demo course of a fresh Open edX install.
pub(crate) const DEMO_COURSE: &str = "course-v1:edX+DemoX+Demo_Course";
/// The experiment ID the example asks for (another free one when it is taken).
const EXAMPLE_ID: i64 = 1;

fn example_experiment(tx: &mut Tx<'_>) -> Result<()> {
    let name = EXAMPLE_EXPERIMENT;
    let id = match edx::get_experiment(tx, name)? {
        Some(e) => e.experiment_id,
        None => {
            let taken = !edx::id_use(tx, EXAMPLE_ID)?.is_free();
            let id = if taken {
                edx::next_free_id(tx)?
            } else {
                Some(EXAMPLE_ID)
            };
            let mut e = ExperimentRow::new(name, &tx.now_db);
            e.num_buckets = 3;
            e.experiment_id = id;
            e.course_aware = true;
            e.note = "the Open edX documentation's example experiment".into();
            edx::save_experiment(tx, &e)?;
            tx.record("experiment", name, None, Some(e.audit()))?;
            id
        }
    };
    let now = tx.now_db.clone();
    // The main flag is off in general and on in the demo course by a course override.
    let mut main = Flag::new(name, &now);
    main.everyone = Some(false);
    main.note = "experiment kill switch: on only where overridden".into();
    flag(tx, main)?;
    if edx::current_row(tx, Scope::Course, name, DEMO_COURSE)?.is_none() {
        put_override(
            tx,
            Scope::Course,
            name,
            DEMO_COURSE,
            Target::Force(Choice::On),
            Some("run the example experiment in the demo course"),
        )?;
    }
    // Staff are whitelisted into bucket 1.
    let mut b1 = Flag::new(&edx::bucket_flag(name, 1), &now);
    b1.staff = true;
    b1.note = "staff see bucket 1".into();
    flag(tx, b1)?;
    if let Some(id) = id
        && edx::get_key_value(tx, id, "enrollment_start")?.is_none()
    {
        edx::set_key_value(tx, id, "enrollment_start", "2024-01-01T00:00:00")?;
        let after = edx::get_key_value(tx, id, "enrollment_start")?;
        tx.record(
            "key-value",
            &format!("{id}:enrollment_start"),
            None,
            after.as_ref().map(KeyValue::audit),
        )?;
    }
    for (u, at) in [
        ("alice", "2025-09-01 09:00:00"),
        ("bob", "2025-09-02 10:30:00"),
        ("carol", "2025-09-03 16:45:00"),
    ] {
        enroll(tx, u, DEMO_COURSE, at)?;
    }
    Ok(())
}

fn enroll(tx: &mut Tx<'_>, username: &str, course: &str, at: &str) -> Result<()> {
    let Some(u) = users::get_user(tx, username)? else {
        return Ok(());
    };
    if users::enrollment(tx, u.id, course)?.is_some() {
        return Ok(());
    }
    let e = users::Enrollment {
        id: 0,
        user: u.username.clone(),
        course_id: course.to_string(),
        created: Some(at.to_string()),
        is_active: true,
        mode: "audit".into(),
    };
    users::write_enrollment(tx, &e, u.id)?;
    let after = users::enrollment(tx, u.id, course)?;
    tx.record_action(
        "enroll",
        "enrollment",
        &format!("{username}@{course}"),
        None,
        after.map(|e| serde_json::to_value(e).unwrap_or_default()),
    )?;
    Ok(())
}
