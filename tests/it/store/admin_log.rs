//! Django admin history on a SQLite Django database: with `django_admin_log` and
//! `django_content_type` (as `manage.py migrate` creates them with django.contrib.admin), every
//! change also writes the LogEntry row Django admin writes, in the same transaction.

use crate::common;

use common::{Env, assert_lacks};

/// (action_flag, content type model, object_id, object_repr, change_message, user, time)
type Entry = (i64, String, Option<String>, String, String, String, String);

fn entries(env: &Env) -> Vec<Entry> {
    let conn = env.sql();
    let mut stmt = conn
        .prepare(
            "SELECT l.action_flag, c.model, l.object_id, l.object_repr, l.change_message, u.username, l.action_time
             FROM django_admin_log l JOIN django_content_type c ON c.id = l.content_type_id
             JOIN auth_user u ON u.id = l.user_id ORDER BY l.id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn id_of(env: &Env, sql: &str) -> String {
    env.sql()
        .query_row(sql, [], |r| r.get::<_, i64>(0))
        .unwrap()
        .to_string()
}

fn e(flag: i64, model: &str, id: Option<&str>, repr: &str, msg: &str) -> Entry {
    (
        flag,
        model.into(),
        id.map(String::from),
        repr.into(),
        msg.into(),
        "admin".into(),
        "2026-01-02 03:04:05".into(),
    )
}

#[test]
fn flag_changes_write_django_admin_entries() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "admin", "--superuser"]);
    let a = ["--actor", "admin"];
    env.ok(&[&a[..], &["flag", "create", "X"]].concat());
    env.ok(&[&a[..], &["flag", "on", "X"]].concat());
    env.ok(&[
        &a[..],
        &[
            "flag",
            "set",
            "X",
            "--percent",
            "12.5",
            "--note",
            "n",
            "--add-user",
            "admin",
            "--staff",
        ],
    ]
    .concat());
    let id = id_of(&env, "SELECT id FROM waffle_flag WHERE name = 'X'");
    env.ok(&[&a[..], &["flag", "delete", "X", "--yes"]].concat());
    let got = entries(&env);
    assert_eq!(
        got,
        [
            e(1, "flag", Some(&id), "X", r#"[{"added": {}}]"#),
            e(
                2,
                "flag",
                Some(&id),
                "X",
                r#"[{"changed": {"fields": ["Everyone"]}}]"#
            ),
            // in the admin form's field order, whatever order the options came in
            e(
                2,
                "flag",
                Some(&id),
                "X",
                r#"[{"changed": {"fields": ["Percent", "Staff", "Note", "Users"]}}]"#
            ),
            // Django admin writes no change message for a deletion, and the deleted row's id
            e(3, "flag", Some(&id), "X", ""),
        ]
    );
}

#[test]
fn switches_samples_users_groups_and_overrides_have_entries_too() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "admin"]);
    let a = ["--actor", "admin"];
    env.ok(&[&a[..], &["switch", "create", "s"]].concat());
    env.ok(&[&a[..], &["switch", "on", "s"]].concat());
    env.ok(&[&a[..], &["sample", "create", "p", "10"]].concat());
    env.ok(&[&a[..], &["sample", "set", "p", "20"]].concat());
    env.ok(&[&a[..], &["group", "add", "beta"]].concat());
    env.ok(&[&a[..], &["user", "set", "admin", "--staff"]].concat());
    env.ok(&[&a[..], &["flag", "create", "f"]].concat());
    env.ok(&[&a[..], &["override", "set", "f", "--org", "edX", "on"]].concat());
    let got: Vec<(i64, String, String, String)> = entries(&env)
        .into_iter()
        .map(|e| (e.0, e.1, e.3, e.4))
        .collect();
    let row = |f: i64, m: &str, r: &str, c: &str| (f, m.to_string(), r.to_string(), c.to_string());
    let override_id = id_of(
        &env,
        "SELECT id FROM waffle_utils_waffleflagorgoverridemodel",
    );
    assert_eq!(
        got,
        [
            row(1, "switch", "s", r#"[{"added": {}}]"#),
            row(2, "switch", "s", r#"[{"changed": {"fields": ["Active"]}}]"#),
            row(1, "sample", "p", r#"[{"added": {}}]"#),
            row(
                2,
                "sample",
                "p",
                r#"[{"changed": {"fields": ["Percent"]}}]"#
            ),
            row(1, "group", "beta", r#"[{"added": {}}]"#),
            row(
                2,
                "user",
                "admin",
                r#"[{"changed": {"fields": ["Staff status"]}}]"#
            ),
            row(1, "flag", "f", r#"[{"added": {}}]"#),
            // ConfigurationModel rows are append-only: each change is a new row
            row(
                1,
                "waffleflagorgoverridemodel",
                &format!("WaffleFlagOrgOverrideModel object ({override_id})"),
                r#"[{"added": {}}]"#
            ),
        ]
    );
}

#[test]
fn no_user_for_the_actor_means_no_entry_and_a_note() {
    let env = Env::new();
    env.with_admin_tables();
    let r = env.run(&["--actor", "nobody", "flag", "create", "X"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("note: no Django admin history written: no user 'nobody' in auth_user"),
        "{}",
        r.stderr
    );
    assert!(entries(&env).is_empty());
    // the change itself is made
    assert_eq!(env.json(&["flag", "show", "X"])["name"], "X");
}

#[test]
fn no_admin_log_dry_runs_and_databases_without_admin_write_nothing() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "admin"]);
    let before = entries(&env).len();
    env.ok(&["--actor", "admin", "--no-admin-log", "flag", "create", "X"]);
    env.ok(&["--actor", "admin", "flag", "on", "X", "--dry-run"]);
    assert_eq!(entries(&env).len(), before);

    // a store without Django admin's tables: no entry, no note, no error
    let plain = Env::new();
    plain.ok(&["user", "add", "admin"]);
    let r = plain.run(&["--actor", "nobody", "flag", "create", "X"]);
    assert_eq!(r.code, 0);
    assert_lacks(&r.stderr, "note:");
}

#[test]
fn a_failed_command_leaves_no_entry() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "admin"]);
    env.ok(&["--actor", "admin", "flag", "create", "X"]);
    let n = entries(&env).len();
    // an unknown user to add: the whole command fails and rolls back
    env.fails(
        &[
            "--actor",
            "admin",
            "flag",
            "set",
            "X",
            "--staff",
            "--add-user",
            "ghost",
        ],
        1,
    );
    assert_eq!(entries(&env).len(), n);
}

#[test]
fn deleting_a_user_deletes_its_admin_history_as_django_does() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "ann"]);
    env.ok(&["user", "add", "admin"]);
    env.ok(&["--actor", "ann", "flag", "create", "X"]);
    env.ok(&["--actor", "admin", "flag", "on", "X"]);
    // LogEntry.user is on_delete=CASCADE: ann's entries go with her (the foreign key would
    // otherwise make the commit fail), admin's stay, and admin's deletion of ann is recorded.
    env.ok(&["--actor", "admin", "user", "delete", "ann", "--yes"]);
    let got: Vec<(i64, String, String)> =
        entries(&env).into_iter().map(|e| (e.0, e.1, e.3)).collect();
    assert_eq!(
        got,
        [
            (2, "flag".into(), "X".into()),
            (3, "user".into(), "ann".into())
        ]
    );
}

#[test]
fn an_import_that_removes_a_user_deletes_its_admin_history() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "ann"]);
    env.ok(&["--actor", "ann", "flag", "create", "X"]);
    let file = env.path("empty.json");
    common::write(&file, r#"{"version": 1, "users": []}"#);
    env.ok(&["import", file.to_str().unwrap(), "--prune", "--yes"]);
    assert!(entries(&env).is_empty());
    assert_eq!(env.json(&["user", "list"]), serde_json::json!([]));
}

/// The deletion entries (action_flag 3) as (model, object_id, object_repr).
fn deletions(env: &Env) -> Vec<(String, Option<String>, String)> {
    entries(env)
        .into_iter()
        .filter(|e| e.0 == 3)
        .map(|e| (e.1, e.2, e.3))
        .collect()
}

#[test]
fn deletion_entries_carry_the_deleted_object_id_as_log_deletion_writes_it() {
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "admin"]);
    let a = ["--actor", "admin"];
    let run = |args: &[&str]| env.ok(&[&a[..], args].concat());
    run_all(&env, &a);
    let ids: Vec<(String, String, String)> = [
        ("flag", "f", "SELECT id FROM waffle_flag WHERE name = 'f'"),
        (
            "switch",
            "s",
            "SELECT id FROM waffle_switch WHERE name = 's'",
        ),
        (
            "sample",
            "p",
            "SELECT id FROM waffle_sample WHERE name = 'p'",
        ),
        ("group", "g", "SELECT id FROM auth_group WHERE name = 'g'"),
        ("user", "u", "SELECT id FROM auth_user WHERE username = 'u'"),
    ]
    .into_iter()
    .map(|(model, name, sql)| (model.to_string(), id_of(&env, sql), name.to_string()))
    .collect();
    // The deleting commands, each kind its own.
    run(&["flag", "delete", "f", "--yes"]);
    run(&["switch", "delete", "s", "--yes"]);
    run(&["sample", "delete", "p", "--yes"]);
    run(&["group", "delete", "g", "--yes"]);
    run(&["user", "delete", "u", "--yes"]);
    let want: Vec<(String, Option<String>, String)> = ids
        .iter()
        .map(|(m, id, name)| (m.clone(), Some(id.clone()), name.clone()))
        .collect();
    assert_eq!(deletions(&env), want);

    // An import with --prune deletes through the same rows: same entries.
    let env = Env::new();
    env.with_admin_tables();
    env.ok(&["user", "add", "admin"]);
    run_all(&env, &a);
    let ids: Vec<String> = [
        "SELECT id FROM auth_group WHERE name = 'g'",
        "SELECT id FROM auth_user WHERE username = 'u'",
        "SELECT id FROM waffle_flag WHERE name = 'f'",
        "SELECT id FROM waffle_switch WHERE name = 's'",
        "SELECT id FROM waffle_sample WHERE name = 'p'",
    ]
    .iter()
    .map(|sql| id_of(&env, sql))
    .collect();
    let file = env.write(
        "only-admin.json",
        r#"{"version": 1, "users": [{"username": "admin"}], "groups": [], "flags": [], "switches": [], "samples": []}"#,
    );
    env.ok(&[
        &a[..],
        &["import", file.to_str().unwrap(), "--prune", "--yes"],
    ]
    .concat());
    let mut got = deletions(&env);
    got.sort();
    let mut want: Vec<(String, Option<String>, String)> =
        ["group", "user", "flag", "switch", "sample"]
            .iter()
            .zip(["g", "u", "f", "s", "p"])
            .zip(&ids)
            .map(|((m, name), id)| (m.to_string(), Some(id.clone()), name.to_string()))
            .collect();
    want.sort();
    assert_eq!(got, want);
}

/// Creates a flag, a switch, a sample, a group and a user as `a`.
fn run_all(env: &Env, a: &[&str]) {
    for args in [
        &["flag", "create", "f"][..],
        &["switch", "create", "s"],
        &["sample", "create", "p", "10"],
        &["group", "add", "g"],
        &["user", "add", "u"],
    ] {
        env.ok(&[a, args].concat());
    }
}
