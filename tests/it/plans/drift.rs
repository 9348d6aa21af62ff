//! `apply` refuses, writing nothing, once any object the plan read changed in the target: one
//! test per kind of object, each changing it after the plan was made.

use super::Stores;
use crate::common::assert_contains;

/// Stores set up with `both` (and staging also with `staging`), a plan of the whole staging
/// store, then `change` on prod: apply must refuse (exit 1, prod untouched) and say `says`.
#[track_caller]
fn refused(both: &[&str], staging: &[&str], change: &[&str], says: &[&str]) {
    let s = Stores::new(both, staging);
    s.plan(&[]);
    for c in change {
        s.prod.ok(*c);
    }
    let err = s.prod.refuses(
        "apply plan.json",
        1,
        "changed since the plan was made, nothing applied",
    );
    for needle in says {
        assert_contains(&err, *needle);
    }
}

#[test]
fn a_flag() {
    refused(
        &["flag create beta"],
        &["flag on beta"],
        &["flag set beta --note late"],
        &[
            "1 object changed",
            "flag beta: note: \"\" → late since the plan was made",
        ],
    );
}

#[test]
fn a_flags_users() {
    refused(
        &["flag create beta", "user add alice"],
        &["flag on beta"],
        &["flag set beta --add-user alice"],
        &["flag beta: users: [] → alice since the plan was made"],
    );
}

#[test]
fn a_switch() {
    refused(
        &["switch create maint"],
        &["switch on maint"],
        &["switch delete maint --yes"],
        &["switch maint: deleted since the plan was made"],
    );
}

#[test]
fn a_sample() {
    refused(
        &[],
        &["sample create ab 25"],
        &["sample create ab 50"],
        &["sample ab: created since the plan was made"],
    );
}

#[test]
fn a_course_override() {
    refused(
        &["flag create beta"],
        &["override set beta --course course-v1:a+b+c on"],
        &["override set beta --course course-v1:a+b+c off"],
        &["course override beta@course-v1:a+b+c: created since the plan was made"],
    );
}

#[test]
fn an_org_override() {
    refused(
        &["flag create beta", "override set beta --org edX on"],
        &[],
        &["override set beta --org edX off"],
        &["org override beta@edX: changed since the plan was made (now 2 rows"],
    );
}

#[test]
fn an_experiment() {
    refused(
        &["experiment create course.exp --buckets 2 --id 17"],
        &["experiment set course.exp --buckets 3"],
        &["experiment set course.exp --note late"],
        &["experiment course.exp: note: \"\" → late since the plan was made"],
    );
}

#[test]
fn a_key_value() {
    refused(
        &[
            "experiment create course.exp --id 17",
            "experiment kv set 17 owner growth",
        ],
        &["experiment kv set 17 owner search"],
        &["experiment kv set 17 owner ads"],
        &["key-value 17:owner: value: growth → ads since the plan was made"],
    );
}

#[test]
fn a_baseplate_experiment() {
    refused(
        &["experiment create checkout --type feature_rollout --id 5 --variant on=0.5"],
        &[],
        &["experiment delete checkout --yes"],
        &["baseplate experiment checkout: deleted since the plan was made"],
    );
}

#[test]
fn a_user() {
    refused(
        &["user add alice"],
        &["user set alice --staff"],
        &["user set alice --superuser"],
        &["user alice: is_superuser: false → true since the plan was made"],
    );
}

#[test]
fn a_group() {
    refused(
        &[],
        &["group add beta"],
        &["group add beta"],
        &["group beta: created since the plan was made"],
    );
}

#[test]
fn each_changed_object_is_named() {
    refused(
        &["flag create beta", "switch create maint"],
        &["flag on beta", "switch on maint"],
        &["flag set beta --note late", "switch delete maint --yes"],
        &[
            "2 objects changed",
            "flag beta: note:",
            "switch maint: deleted since the plan was made",
        ],
    );
}

#[test]
fn objects_the_plan_did_not_read_may_change() {
    let s = Stores::new(
        &["flag create beta", "switch create maint"],
        &["flag on beta"],
    );
    s.plan(&["beta"]);
    s.prod.ok("switch on maint");
    s.prod.ok("flag create other");
    s.prod.run_ok("apply plan.json");
    assert_eq!(s.prod.json("flag show beta")["everyone"], true);
}

/// A change committed after `apply` checked the plan but before its transaction took the write
/// lock is caught inside the transaction: apply checks again against what it reads there.
#[test]
fn a_change_made_while_apply_waits_for_the_lock_is_caught() {
    let s = Stores::new(&["flag create beta"], &["flag on beta"]);
    s.plan(&[]);
    let sql = s.prod.sql();
    sql.execute_batch(
        "BEGIN IMMEDIATE; UPDATE waffle_flag SET note = 'sneaky' WHERE name = 'beta';",
    )
    .unwrap();
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("wafflectl");
    let child = std::process::Command::new(bin)
        .current_dir(s.prod.dir.path())
        .env("WAFFLECTL_NOW", crate::common::NOW)
        .env("WAFFLECTL_BUSY_TIMEOUT_MS", "60000")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(&s.prod.db)
        .args(["apply", "plan.json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run apply");
    // apply reads the store (the change is not committed yet: the plan checks out), then waits
    // for the write lock this connection holds.
    std::thread::sleep(std::time::Duration::from_secs(2));
    sql.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_contains(
        &err,
        "flag beta: note: \"\" → sneaky since the plan was made",
    );
    assert_eq!(
        s.prod.json("flag show beta")["everyone"],
        serde_json::Value::Null
    );
}

#[test]
fn with_prune_an_object_created_since_is_drift() {
    let s = Stores::new(&["switch create maint"], &["switch on maint"]);
    s.prod.ok("switch create old");
    let out = s.plan(&["--prune"]).stdout;
    assert_contains(&out, "- switch old");
    s.prod.ok("switch create newer");
    s.prod.refuses(
        "apply plan.json",
        1,
        "switch newer: created since the plan was made",
    );
    s.prod.ok("switch delete newer --yes");
    let r = s.prod.run_ok("apply plan.json");
    assert_contains(&r.stderr, "0 added, 1 changed, 1 removed");
    s.prod.fails("switch show old", 1);
}
