//! Import writes through the same row writers as the single commands: what a single command
//! keeps (a row's `created`, the author of an override row), an import keeps too.

use crate::common;

use common::{Env, assert_contains};
use serde_json::Value;

/// Exports the store, lets `edit` change the document, and imports it with `extra` arguments
/// (the clock a month later).
fn round_trip(env: &Env, extra: &[&str], edit: impl FnOnce(&mut Value)) {
    let mut doc: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    edit(&mut doc);
    let file = env.write("edited.json", &doc.to_string());
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.ok_with_env("WAFFLECTL_NOW", "2026-03-01T00:00:00Z", &args[..]);
}

fn created(env: &Env, table: &str, name: &str) -> String {
    env.one_with(
        &format!("SELECT created FROM {table} WHERE name = ?1"),
        [name],
    )
}

/// Bug fixed: an import that changed an existing flag, switch, sample or experiment rewrote its
/// `created` with the file's value; `created` is when the row was made, and only an insert
/// writes it (as `flag set` and the other single commands do).
#[test]
fn an_import_that_changes_an_object_keeps_its_created() {
    let env = Env::new();
    env.ok(&["flag", "create", "f"]);
    env.ok(&["switch", "create", "s"]);
    env.ok(&["sample", "create", "p", "10"]);
    env.ok(&["experiment", "create", "exp.a", "--id", "7"]);
    let before = [
        created(&env, "waffle_flag", "f"),
        created(&env, "waffle_switch", "s"),
        created(&env, "waffle_sample", "p"),
        created(&env, "wafflectl_experiment", "exp.a"),
    ];
    assert_eq!(before[0], "2026-01-02 03:04:05");
    round_trip(&env, &[], |doc| {
        let old = "2020-05-05T00:00:00.000000Z";
        for (section, name, field, value) in [
            ("flags", "f", "everyone", Value::Bool(true)),
            ("switches", "s", "active", Value::Bool(true)),
            ("samples", "p", "percent", Value::from(20.0)),
            ("experiments", "exp.a", "note", Value::from("edited")),
        ] {
            let rows = doc[section].as_array_mut().unwrap();
            let row = rows.iter_mut().find(|r| r["name"] == name).unwrap();
            row[field] = value;
            row["created"] = Value::from(old);
        }
    });
    assert_eq!(env.json(&["flag", "show", "f"])["everyone"], true);
    assert_eq!(env.json(&["switch", "show", "s"])["active"], true);
    let after = [
        created(&env, "waffle_flag", "f"),
        created(&env, "waffle_switch", "s"),
        created(&env, "waffle_sample", "p"),
        created(&env, "wafflectl_experiment", "exp.a"),
    ];
    assert_eq!(after, before);
    // The change itself is dated now.
    let modified: String = env.one("SELECT modified FROM waffle_flag WHERE name = 'f'");
    assert_eq!(modified, "2026-03-01 00:00:00");
}

/// The author (`changed_by_id`) of the one org override row.
fn author(env: &Env) -> Option<i64> {
    env.one("SELECT changed_by_id FROM waffle_utils_waffleflagorgoverridemodel")
}

/// Override rows are history: a file cannot re-author a row that stays, so `--prune` of its
/// author is refused before anything is written (Django protects the author). A file without
/// that flag and org deletes its rows, and then the author goes too.
#[test]
fn prune_removes_a_former_author_once_the_rows_go() {
    let env = Env::new();
    env.ok(&["user", "add", "tester"]);
    env.ok(&["flag", "create", "f"]);
    env.ok(&["override", "set", "f", "--org", "edX", "on"]);
    assert!(author(&env).is_some(), "the override row names its author");
    let mut doc: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    doc["users"] = Value::Array(Vec::new());
    doc["overrides"][0]["changed_by"] = Value::Null;
    env.write("edited.json", &doc.to_string());
    env.refuses(
        "import edited.json --prune --yes",
        2,
        "--prune would remove user 'tester', who wrote an override row of 'f' that stays",
    );
    round_trip(&env, &["--prune", "--yes"], |doc| {
        doc["users"] = Value::Array(Vec::new());
        doc["overrides"] = Value::Array(Vec::new());
    });
    assert!(env.json(&["user", "list"]).as_array().unwrap().is_empty());
    let rows: i64 = env.one("SELECT count(*) FROM waffle_utils_waffleflagorgoverridemodel");
    assert_eq!(rows, 0);
}

/// An enrollment's audit record is one definition: an import records the enrollment exactly as
/// `user enroll` did.
#[test]
fn an_imported_enrollment_is_audited_as_user_enroll_audits_it() {
    let sql = "SELECT after FROM wafflectl_audit WHERE object_kind = 'enrollment'";
    let env = Env::new();
    env.ok(&["user", "add", "alice"]);
    env.ok(&[
        "user",
        "enroll",
        "alice",
        "course-v1:edX+D+2026",
        "--at",
        "2025-06-07T08:09:10.5Z",
    ]);
    let enrolled: String = env.one(sql);
    let file = env.write("all.json", &env.ok(&["export"]));

    let other = Env::new();
    other.ok(&["import", file.to_str().unwrap()]);
    let imported: String = other.one(sql);
    assert_eq!(imported, enrolled);
    assert_contains(&enrolled, "2025-06-07T08:09:10.500000Z");
}
