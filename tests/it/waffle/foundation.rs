//! Issue 2: store, flags, switches, samples, users, groups, audit, conventions.
use crate::common;

use common::sql::{Column, columns, index_columns, index_list};
use common::terminal::{on_terminal, shell_line};
use common::{Env, assert_contains, assert_lacks};
use serde_json::json;

// ---------------------------------------------------------------- store

#[test]
fn init_creates_the_store_and_is_harmless_twice() {
    let env = Env::empty();
    env.ok_saying("init", "created store");
    assert!(env.db.exists());
    env.ok_saying("init", "up to date");
    let report = env.json("init");
    assert_eq!(report["created_file"], json!(false));
    assert_eq!(report["tables_added"], json!([]));
    let mode: String = env.one("PRAGMA journal_mode");
    assert_eq!(mode, "wal");
}

#[test]
fn store_location_follows_flag_then_env_then_default() {
    let env = Env::empty();
    // $WAFFLECTL_DB when no --db
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    c.current_dir(env.dir.path())
        .env("WAFFLECTL_DB", env.path("from_env.db"))
        .arg("init");
    c.assert().success();
    assert!(env.path("from_env.db").exists());
    // ./waffle.db otherwise
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    c.current_dir(env.dir.path())
        .env_remove("WAFFLECTL_DB")
        .arg("init");
    c.assert().success();
    assert!(env.path("waffle.db").exists());
}

#[test]
fn commands_on_a_missing_store_fail_with_a_hint() {
    let env = Env::empty();
    let err = env.fails("flag list", 1);
    assert_contains(&err, "no store at");
    assert_contains(&err, "hint: create it with: wafflectl --db ");
    assert!(!env.db.exists(), "only init creates a store");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let env = Env::empty();
    common::write(&env.db, "this is not a database\n");
    env.refuses("flag list", 1, "not a SQLite database");
    env.fails_unchanged("flag create x", 1);
    env.fails_unchanged("init", 1);
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "this is not a database\n"
    );
}

#[test]
fn a_store_newer_than_the_binary_is_refused() {
    let env = Env::new();
    env.exec("UPDATE wafflectl_meta SET value = '999' WHERE key = 'schema_version'");
    let err = env.refuses("flag list", 1, "schema version 999 is newer");
    assert_contains(&err, "hint: upgrade wafflectl");
}

#[test]
fn a_read_only_store_can_be_read_but_not_written() {
    let env = Env::new();
    env.ok("flag create x");
    let mut perms = std::fs::metadata(&env.db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&env.db, perms).unwrap();
    assert!(env.ok("flag list --format plain").starts_with("x\t"));
    env.refuses("flag on x", 1, "read-only");
}

#[test]
fn a_store_locked_by_another_writer_fails_after_the_busy_timeout() {
    let env = Env::new();
    env.ok("flag create x");
    let holder = env.sql();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE waffle_flag SET note = 'held' WHERE name = 'x';")
        .unwrap();
    let r = env.run_with_env("WAFFLECTL_BUSY_TIMEOUT_MS", "300", "flag on x");
    assert_eq!(r.code, 1);
    let err = r.stderr;
    assert!(err.starts_with("error: "), "{err}");
    assert_contains(&err, "locked by another writer (waited 0.3 s)");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(env.json("flag show x")["everyone"], json!(null));
}

/// The tables of django-waffle §1.4 and django.contrib.auth §1.4b, as Django's migrations create
/// them on SQLite (spec/django-waffle.md).
const DJANGO_DDL: &str = r#"
CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE);
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id");
CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id");
CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id");
CREATE TABLE "waffle_flag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "percent" decimal NULL, "testing" bool NOT NULL, "superusers" bool NOT NULL, "staff" bool NOT NULL, "authenticated" bool NOT NULL, "languages" text NOT NULL, "rollout" bool NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL, "everyone" bool NULL);
CREATE INDEX "waffle_flag_created_4a6e8cef" ON "waffle_flag" ("created");
CREATE TABLE "waffle_flag_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flag_id" integer NOT NULL REFERENCES "waffle_flag" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "waffle_flag_groups_flag_id_c11c0c05" ON "waffle_flag_groups" ("flag_id");
CREATE UNIQUE INDEX "waffle_flag_groups_flag_id_group_id_8ba0c71b_uniq" ON "waffle_flag_groups" ("flag_id", "group_id");
CREATE INDEX "waffle_flag_groups_group_id_a97c4f66" ON "waffle_flag_groups" ("group_id");
CREATE TABLE "waffle_flag_users" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flag_id" integer NOT NULL REFERENCES "waffle_flag" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "waffle_flag_users_flag_id_833c37b0" ON "waffle_flag_users" ("flag_id");
CREATE UNIQUE INDEX "waffle_flag_users_flag_id_user_id_b46f76b0_uniq" ON "waffle_flag_users" ("flag_id", "user_id");
CREATE INDEX "waffle_flag_users_user_id_8026df9b" ON "waffle_flag_users" ("user_id");
CREATE TABLE "waffle_sample" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "percent" decimal NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL);
CREATE INDEX "waffle_sample_created_76198bd5" ON "waffle_sample" ("created");
CREATE TABLE "waffle_switch" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "active" bool NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL);
CREATE INDEX "waffle_switch_created_c004e77e" ON "waffle_switch" ("created");
"#;

const DJANGO_TABLES: &[&str] = &[
    "auth_group",
    "auth_user",
    "auth_user_groups",
    "waffle_flag",
    "waffle_flag_groups",
    "waffle_flag_users",
    "waffle_sample",
    "waffle_switch",
];

/// (name, unique, columns) of an index.
type Index = (String, bool, Vec<String>);

/// Every column and every index of `table`.
fn shape(conn: &rusqlite::Connection, table: &str) -> (Vec<Column>, Vec<Index>) {
    let mut idx: Vec<Index> = index_list(conn, table)
        .into_iter()
        .map(|(name, unique, _, _)| {
            let cols = index_columns(conn, &name);
            // the UNIQUE column constraint: compare its columns, not its generated name
            let name = if name.starts_with("sqlite_autoindex") {
                "<unique constraint>".to_string()
            } else {
                name
            };
            (name, unique, cols)
        })
        .collect();
    idx.sort();
    (columns(conn, table), idx)
}

#[test]
fn fresh_store_tables_match_the_django_schema() {
    let env = Env::new();
    let ours = env.sql();
    let reference = rusqlite::Connection::open_in_memory().unwrap();
    reference.execute_batch(DJANGO_DDL).unwrap();
    for t in DJANGO_TABLES {
        let (want_cols, want_idx) = shape(&reference, t);
        let (got_cols, got_idx) = shape(&ours, t);
        assert!(!want_cols.is_empty());
        assert_eq!(got_cols, want_cols, "columns of {t}");
        assert_eq!(got_idx, want_idx, "indexes of {t}");
    }
    // wafflectl's own tables exist too
    for t in ["wafflectl_meta", "wafflectl_audit", "wafflectl_experiment"] {
        let (cols, _) = shape(&ours, t);
        assert!(!cols.is_empty(), "{t} missing");
    }
    // no Django column has a DB default
    for t in DJANGO_TABLES {
        let (cols, _) = shape(&ours, t);
        assert!(cols.iter().all(|c| c.3.is_none()), "{t} has a default");
    }
}

#[test]
fn init_on_a_django_database_adds_only_missing_tables_and_reads_django_rows() {
    let env = Env::empty();
    {
        let c = env.sql();
        c.execute_batch(DJANGO_DDL).unwrap();
        // as Django writes a flag: decimal as text, datetime text without zone, superusers default true
        c.execute(
            "INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
             VALUES ('django_made', NULL, '12.5', 0, 1, 1, 0, 'de,fr', 1, 'from django', '2026-11-21 12:55:18.747123', '2026-11-21 12:55:18.791000')",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
             VALUES ('pbkdf2_sha256$x', NULL, 0, 'alice', '', 'a@x', 0, 1, '2026-11-21 12:00:00', '')",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO waffle_flag_users (flag_id, user_id) VALUES (1, 1)",
            [],
        )
        .unwrap();
    }
    let before: Vec<(String, String)> =
        env.all("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name");
    // without init, wafflectl reads it; a write says what to do
    assert_eq!(env.json("flag list")[0]["name"], "django_made");
    let err = env.fails("flag create other", 1);
    assert_contains(&err, "a Django database without wafflectl's tables");
    let report = env.json("init");
    let added: Vec<String> = serde_json::from_value(report["tables_added"].clone()).unwrap();
    assert!(added.contains(&"wafflectl_audit".to_string()));
    assert!(added.contains(&"waffle_utils_waffleflagcourseoverridemodel".to_string()));
    for t in DJANGO_TABLES {
        assert!(!added.contains(&t.to_string()), "{t} was re-created");
    }
    let after: Vec<(String, String)> =
        env.all("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name");
    for (name, sql) in &before {
        assert!(
            after.contains(&(name.clone(), sql.clone())),
            "{name} changed"
        );
    }
    let raw: (String, String) = env.one("SELECT typeof(percent), modified FROM waffle_flag");
    assert_eq!(
        raw,
        ("real".to_string(), "2026-11-21 12:55:18.791000".to_string()),
        "init touched the row"
    );
    let f = env.json("flag show django_made");
    assert_eq!(
        f,
        json!({
            "name": "django_made", "everyone": null, "percent": 12.5, "testing": false, "superusers": true,
            "staff": true, "authenticated": false, "languages": "de,fr", "rollout": true, "note": "from django",
            "created": "2026-11-21T12:55:18.747123Z", "modified": "2026-11-21T12:55:18.791000Z",
            "users": ["alice"], "groups": []
        })
    );
    // a change made by wafflectl is stored the way Django stores it
    env.ok("flag set django_made --percent 30");
    let (p, ty): (String, String) =
        env.one("SELECT CAST(percent AS TEXT), typeof(percent) FROM waffle_flag");
    assert_eq!((p.as_str(), ty.as_str()), ("30", "integer"));
}

// ---------------------------------------------------------------- flags

#[test]
fn flag_create_show_list_and_json_shape() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("group add beta");
    env.ok("flag create new_dashboard --percent 25 --rollout --note 'gradual rollout'");
    env.ok("flag create beta_ui --staff --add-group beta --add-user alice --languages 'de, fr'");
    insta::assert_snapshot!("flag_list", env.ok("flag list"));
    insta::assert_snapshot!("flag_show", env.ok("flag show beta_ui"));
    assert_eq!(env.ok("flag list --format plain").lines().count(), 2);
    let list = env.json("flag list");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        list[0],
        json!({
            "name": "beta_ui", "everyone": null, "percent": null, "testing": false, "superusers": false,
            "staff": true, "authenticated": false, "languages": "de,fr", "rollout": false, "note": "",
            "created": "2026-01-02T03:04:05.000000Z", "modified": "2026-01-02T03:04:05.000000Z",
            "users": ["alice"], "groups": ["beta"]
        })
    );
    assert_eq!(list[1]["percent"], json!(25.0));
    assert_eq!(env.count("flag list --prefix new_"), 1);
}

#[test]
fn new_flags_do_not_force_superusers_unless_asked() {
    let env = Env::new();
    env.ok("flag create a");
    env.ok("flag create b --superusers");
    let sup: Vec<i64> = env.all("SELECT superusers FROM waffle_flag ORDER BY name");
    assert_eq!(sup, vec![0, 1]);
    assert!(
        env.ok("flag show b")
            .contains("every superuser gets this flag")
    );
}

#[test]
fn flag_set_changes_only_the_options_given() {
    let env = Env::with(&["flag create f --everyone on --percent 47 --staff --note 'keep me'"]);
    env.ok("flag set f --authenticated");
    let f = env.json("flag show f");
    assert_eq!(
        (
            f["everyone"].clone(),
            f["percent"].clone(),
            f["staff"].clone(),
            f["authenticated"].clone(),
            f["note"].clone()
        ),
        (
            json!(true),
            json!(47.0),
            json!(true),
            json!(true),
            json!("keep me")
        )
    );
    env.ok("flag set f --no-staff --percent unset --everyone unset --testing");
    let f = env.json("flag show f");
    assert_eq!(f["staff"], json!(false));
    assert_eq!(f["percent"], json!(null));
    assert_eq!(f["everyone"], json!(null));
    assert_eq!(f["testing"], json!(true));
    assert_eq!(f["authenticated"], json!(true));
}

#[test]
fn flag_set_create_and_membership_edits() {
    let env = Env::new();
    env.fails_unchanged("flag set nope --staff", 1);
    env.ok("flag set nope --staff --create");
    assert_eq!(env.json("flag show nope")["staff"], json!(true));
    env.ok("user add alice");
    env.ok("user add bob");
    env.ok("flag set nope --add-user bob --add-user alice");
    assert_eq!(env.json("flag show nope")["users"], json!(["alice", "bob"]));
    env.ok_saying(
        "flag set nope --remove-user bob --remove-user carol",
        "warning: user 'carol' was not in flag nope's list",
    );
    assert_eq!(env.json("flag show nope")["users"], json!(["alice"]));
    let rows: i64 = env.one("SELECT count(*) FROM waffle_flag_users");
    assert_eq!(rows, 1);
}

#[test]
fn flag_on_off_unset_set_everyone() {
    let env = Env::new();
    env.ok("flag create f");
    for (verb, want) in [
        ("on", json!(true)),
        ("off", json!(false)),
        ("unset", json!(null)),
    ] {
        env.ok(&["flag", verb, "f"]);
        assert_eq!(env.json("flag show f")["everyone"], want, "{verb}");
    }
    let raw: Option<i64> = env.one("SELECT everyone FROM waffle_flag");
    assert_eq!(raw, None);
}

#[test]
fn unknown_users_and_groups_cannot_be_added_to_a_flag() {
    let env = Env::new();
    env.ok("flag create f");
    let err = env.fails_unchanged("flag set f --add-user ghost", 1);
    let db = env.db.display();
    assert!(
        err.contains("user 'ghost' not found")
            && err.contains(&format!(
                "hint: add it first: wafflectl --db {db} user add ghost"
            )),
        "{err}"
    );
    env.refuses(
        "flag set f --add-group nobody",
        1,
        format!("hint: add it first: wafflectl --db {db} group add nobody").as_str(),
    );
    env.fails_unchanged("flag create g --add-user ghost", 1);
}

#[test]
fn bad_flag_input_is_refused_and_changes_nothing() {
    let env = Env::new();
    env.ok("flag create f");
    env.ok("sample create s 10");
    for args in [
        vec!["flag", "create", ""],
        vec!["flag", "create", "a b"],
        vec!["flag", "create", "tab\tname"],
        vec!["flag", "set", "f", "--percent", "-1"],
        vec!["flag", "set", "f", "--percent", "100"],
        vec!["flag", "set", "f", "--percent", "12.34"],
        vec!["flag", "set", "f", "--percent", "abc"],
        vec!["flag", "set", "f", "--everyone", "maybe"],
        vec!["sample", "set", "s", "101"],
        vec!["sample", "set", "s", "-1"],
        vec!["sample", "create", "t", "100.01"],
    ] {
        let err = env.fails_unchanged(&args, 2);
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error: ")).count(),
            1,
            "{args:?}: {err}"
        );
    }
    env.refuses("flag create f", 1, "flag 'f' already exists");
    for args in [
        vec!["flag", "show", "missing"],
        vec!["flag", "on", "missing"],
        vec!["flag", "delete", "missing", "--yes"],
        vec!["flag", "delete", "f", "missing", "--yes"],
    ] {
        env.refuses(&args, 1, "flag 'missing' not found");
    }
    assert_eq!(env.count("flag list"), 1);
}

#[test]
fn delete_needs_yes_without_a_terminal_and_removes_memberships() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("flag create f --add-user alice");
    env.ok("flag create g");
    env.refuses("flag delete f", 2, "--yes");
    let r = env.run_ok("flag delete f g --dry-run");
    assert_eq!(r.stdout, "would delete flag f\nwould delete flag g\n");
    env.ok("flag delete f g --yes");
    assert_eq!(env.json("flag list"), json!([]));
    let rows: i64 = env.one("SELECT count(*) FROM waffle_flag_users");
    assert_eq!(rows, 0);
}

/// Runs wafflectl under a pseudo-terminal (util-linux `script`), typing `input` at the prompt.
fn prompted(env: &Env, args: &str, input: &str) -> (i32, String) {
    let out = on_terminal(env, &shell_line(env, args), input);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_declined_confirmation_exits_3_and_changes_nothing() {
    let env = Env::new();
    env.ok("flag create f");
    let before = env.bytes();
    let (code, screen) = prompted(&env, "flag delete f", "n\n");
    assert_contains(&screen, "Delete flag f?");
    assert_eq!(code, 3, "{screen}");
    assert!(env.bytes() == before);
    let (code, screen) = prompted(&env, "flag delete f", "y\n");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(env.json("flag list"), json!([]));
}

// ---------------------------------------------------------------- switches and samples

#[test]
fn switches_lifecycle() {
    let env = Env::new();
    env.ok("switch create maintenance");
    env.ok("switch create new_footer --on --note 'ships with 2.0'");
    insta::assert_snapshot!("switch_list", env.ok("switch list"));
    env.ok("switch on maintenance");
    let r = env.run("switch on maintenance");
    assert_eq!((r.code, r.stderr.as_str()), (0, "unchanged\n"));
    assert_eq!(
        env.json("switch show maintenance"),
        json!({"name": "maintenance", "active": true, "note": "", "created": "2026-01-02T03:04:05.000000Z", "modified": "2026-01-02T03:04:05.000000Z"})
    );
    env.ok("switch off maintenance");
    assert_eq!(env.json("switch show maintenance")["active"], json!(false));
    env.fails_unchanged("switch create maintenance", 1);
    env.fails_unchanged("switch on missing", 1);
    env.fails_unchanged("switch show missing", 1);
    env.fails_unchanged("switch delete maintenance", 2);
    env.ok("switch delete maintenance new_footer -y");
    assert_eq!(env.json("switch list"), json!([]));
}

#[test]
fn samples_lifecycle() {
    let env = Env::new();
    env.ok("sample create ab_test 33");
    env.ok("sample create always 100");
    env.ok("sample create never 0");
    insta::assert_snapshot!("sample_list", env.ok("sample list"));
    env.ok("sample set ab_test 12.5");
    let s = env.json("sample show ab_test");
    assert_eq!(
        s,
        json!({"name": "ab_test", "percent": 12.5, "note": "", "created": "2026-01-02T03:04:05.000000Z", "modified": "2026-01-02T03:04:05.000000Z"})
    );
    let stored: String =
        env.one("SELECT CAST(percent AS TEXT) FROM waffle_sample WHERE name = 'always'");
    assert_eq!(stored, "100");
    env.fails_unchanged("sample create ab_test 5", 1);
    env.fails_unchanged("sample set missing 5", 1);
    env.ok("sample delete never --yes");
    assert_eq!(env.count("sample list"), 2);
}

// ---------------------------------------------------------------- users and groups

#[test]
fn users_and_groups() {
    let env = Env::new();
    env.ok("group add beta");
    env.ok("group add qa");
    env.ok("user add alice --email alice@example.com --group beta");
    env.ok("user add root --staff --superuser");
    env.ok("user add old --inactive");
    insta::assert_snapshot!("user_list", env.ok("user list"));
    insta::assert_snapshot!("group_list", env.ok("group list"));
    let u = env.json("user show alice");
    assert_eq!(u["groups"], json!(["beta"]));
    assert_eq!(u["email"], json!("alice@example.com"));
    assert_eq!(u["is_staff"], json!(false));
    let pw: String = env.one("SELECT password FROM auth_user WHERE username = 'alice'");
    assert_eq!(pw, "!", "an unusable password");
    env.ok("user set alice --staff --add-group qa --remove-group beta");
    let u = env.json("user show alice");
    assert_eq!(
        (u["is_staff"].clone(), u["groups"].clone()),
        (json!(true), json!(["qa"]))
    );
    env.fails_unchanged("user add alice", 1);
    env.fails_unchanged("user add bob --group nope", 1);
    env.fails_unchanged("user add ''", 2);
    env.fails_unchanged("user show ghost", 1);
    // deleting a group removes memberships and flag entries
    env.ok("flag create f --add-group qa --add-user alice");
    env.ok("group delete qa --yes");
    assert_eq!(env.json("flag show f")["groups"], json!([]));
    assert_eq!(env.json("user show alice")["groups"], json!([]));
    env.ok("user delete alice --yes");
    assert_eq!(env.json("flag show f")["users"], json!([]));
    env.fails_unchanged("user delete alice --yes", 1);
}

// ---------------------------------------------------------------- audit, dry run, history

#[test]
fn every_effective_change_is_audited_and_no_change_records_nothing() {
    let env = Env::new();
    env.ok("--actor ops flag create f --reason 'ticket 42'");
    env.ok_with_env("WAFFLECTL_ACTOR", "deploybot", "flag on f");
    let r = env.run("flag on f");
    assert_eq!(r.stderr, "unchanged\n");
    let r = env.run("flag set f --everyone on");
    assert_eq!(r.stderr, "unchanged\n");
    let h = env.json("history");
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 2, "{h:?}");
    assert_eq!(h[0]["actor"], json!("deploybot"));
    assert_eq!(h[0]["action"], json!("update"));
    assert_eq!(h[0]["before"]["everyone"], json!(null));
    assert_eq!(h[0]["after"]["everyone"], json!(true));
    assert_eq!(h[1]["actor"], json!("ops"));
    assert_eq!(h[1]["action"], json!("create"));
    assert_eq!(h[1]["reason"], json!("ticket 42"));
    assert_eq!(h[1]["before"], json!(null));
    assert_eq!(h[1]["object_kind"], json!("flag"));
    // $USER is the fallback actor
    env.ok("switch create s");
    assert_eq!(env.json("history --limit 1")[0]["actor"], json!("tester"));
    insta::assert_snapshot!("history", env.ok("history"));
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let env = Env::new();
    env.ok("flag create f");
    env.ok("user add alice");
    let before = env.bytes();
    for (args, plan) in [
        (
            vec!["flag", "create", "g", "--dry-run"],
            "would create flag g\n",
        ),
        (
            vec!["flag", "on", "f", "--dry-run"],
            "would update flag f: everyone: null → true\n",
        ),
        (
            vec![
                "flag",
                "set",
                "f",
                "--percent",
                "5",
                "--add-user",
                "alice",
                "--dry-run",
            ],
            "would update flag f: percent: null → 5.0, users: [] → alice\n",
        ),
        (
            vec!["switch", "create", "s", "--on", "--dry-run"],
            "would create switch s\n",
        ),
        (
            vec!["sample", "create", "p", "5", "--dry-run"],
            "would create sample p\n",
        ),
        (
            vec!["user", "set", "alice", "--staff", "--dry-run"],
            "would update user alice: is_staff: false → true\n",
        ),
        (
            vec!["group", "add", "g", "--dry-run"],
            "would create group g\n",
        ),
        (
            vec!["user", "delete", "alice", "--dry-run"],
            "would delete user alice\n",
        ),
    ] {
        let r = env.run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, plan, "{args:?}");
        assert!(env.bytes() == before, "{args:?} wrote to the store");
    }
    let plan = env.json("flag on f --dry-run");
    assert_eq!(plan[0]["action"], json!("update"));
    assert_eq!(plan[0]["after"]["everyone"], json!(true));
    assert_eq!(env.count("history"), 2);
}

#[test]
fn history_filters_by_name_time_and_limit() {
    let env = Env::new();
    env.ok("flag create a");
    env.ok_with_env("WAFFLECTL_NOW", "2026-03-01T00:00:00Z", "flag create b");
    env.ok_with_env("WAFFLECTL_NOW", "2026-03-02T00:00:00Z", "flag on a");
    let names = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["object_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(env.json("history")), ["a", "b", "a"]);
    assert_eq!(names(env.json("history a")), ["a", "a"]);
    assert_eq!(names(env.json("history --since 2026-03-01")), ["a", "b"]);
    assert_eq!(names(env.json("history --limit 1")), ["a"]);
    env.fails("history --since 'not a date'", 2);
}

// ---------------------------------------------------------------- output conventions

#[test]
fn empty_lists_are_ok() {
    let env = Env::new();
    for noun in ["flag", "switch", "sample", "user", "group"] {
        let r = env.run(&[noun, "list"]);
        assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{noun}");
        assert!(r.stderr.starts_with("no "), "{noun}: {}", r.stderr);
        assert_eq!(env.json(&[noun, "list"]), json!([]), "{noun}");
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = Env::new();
    {
        let c = env.sql();
        let tx = c.unchecked_transaction().unwrap();
        for i in 0..3000 {
            tx.execute(
                "INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
                 VALUES (?1, NULL, NULL, 0, 0, 0, 0, '', 0, 'a note long enough to fill the pipe quickly', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                [format!("flag_{i:05}")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wafflectl"))
        .args(["--db", env.db.to_str().unwrap(), "flag", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with("NAME"));
    } // stdout closed here, like `| head -1`
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn colour_follows_color_and_no_color() {
    let env = Env::new();
    env.ok("flag create f");
    let plain = env.ok("flag list");
    assert_lacks(&plain, '\x1b');
    let coloured = env.ok("--color always flag list");
    assert!(coloured.contains("\x1b["), "{coloured:?}");
    let never = env
        .cmd()
        .env_remove("NO_COLOR")
        .args(["--color", "never", "flag", "list"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&never.stdout).contains('\x1b'));
}

#[test]
fn usage_errors_are_one_line_with_a_hint() {
    let env = Env::new();
    let err = env.fails("flag bogus", 2);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.lines().nth(1).unwrap().starts_with("hint: "), "{err}");
    let err = env.fails("flag set f --everyone maybe", 2);
    assert_contains(&err, "hint: possible values: on, off, unset");
    let err = env.fails("flag list --format django", 2);
    assert_contains(&err, "export, import and diff only");
    env.ok("--help");
    env.ok("flag create --help");
}

// ---------------------------------------------------------------- doctor

#[test]
fn doctor_reports_problems_django_would_trip_on() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("flag create fine --percent 5");
    let clean = env.json("doctor");
    assert!(
        clean
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["level"] == json!("ok")),
        "{clean}"
    );
    // a percent Django cannot read, and a list that `everyone` overrides
    env.ok("flag create broken --add-user alice --everyone on");
    env.exec("UPDATE waffle_flag SET percent = 100 WHERE name = 'broken'");
    let r = env.run("doctor --json");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let level = |check: &str| {
        found
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == json!(check))
            .unwrap()["level"]
            .clone()
    };
    assert_eq!(level("flag percents"), json!("error"));
    assert_eq!(level("ignored criteria"), json!("warning"));
    assert_eq!(level("integrity"), json!("ok"));
    assert_contains(&r.stderr, "error: the store has problems");
}

#[test]
fn plain_show_output_is_one_record_per_line() {
    let env = Env::new();
    env.ok("user add bob");
    env.ok("user enroll bob a/b/c --at 2020-03-01");
    env.ok("user enroll bob course-v1:edX+DemoX+Demo_Course --at 2020-03-02");
    let human = env.ok("user show bob");
    assert_contains(&human, "a/b/c (audit, 2020-03-01 00:00:00)\n");
    let plain = env.ok("user show bob --format plain");
    for line in plain.lines() {
        assert_eq!(line.matches('\t').count(), 1, "{line:?}");
    }
    assert_contains(
        &plain,
        "enrollments\ta/b/c (audit, 2020-03-01 00:00:00); course-v1:edX+DemoX+Demo_Course",
    );
}

#[test]
fn a_flags_history_includes_its_overrides() {
    let env = Env::new();
    env.ok("flag create f");
    env.ok("flag create f2");
    env.ok("override set f --course a/b/c on");
    env.ok("override set f2 --org a off");
    let h = env.json("history f");
    let names: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["object_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[1], "f");
    assert!(names[0].starts_with("f@"), "{names:?}");
}

#[test]
fn test_command_lines_split_like_a_shell() {
    // The harness's own rule for `env.ok("...")`: whitespace splits, single quotes group.
    use common::Args;
    assert_eq!(
        "kv set 17 owner 'growth team'".to_args(),
        ["kv", "set", "17", "owner", "growth team"]
    );
    assert_eq!("user add ''".to_args(), ["user", "add", ""]);
    assert_eq!("a  'b'c' d' ".to_args(), ["a", "bc d"]);
    assert_eq!(["x y", "z"].to_args(), ["x y", "z"]);
}
