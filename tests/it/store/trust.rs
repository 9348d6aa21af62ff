//! Issue 18, items 1–4: safe on databases and files wafflectl does not own. `init` never
//! creates a Django site's tables nor changes its journal mode, reads need no write (a Django
//! database never initialised, a read-only file or directory, another user), a dry run works on
//! a read-only store, and `init --example` goes only to an empty store.
use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Env, assert_contains, assert_lacks};

/// django.contrib.auth's and django-waffle's tables as their migrations create them on SQLite,
/// with `django_migrations` recording those apps (what `manage.py migrate` leaves on a site
/// without the Open edX apps).
const MIGRATED: &str = r#"
CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);
INSERT INTO django_migrations (app, name, applied) VALUES ('contenttypes', '0001_initial', '2026-01-01 00:00:00'), ('auth', '0001_initial', '2026-01-01 00:00:00'), ('waffle', '0001_initial', '2026-01-01 00:00:00');
CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE);
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "waffle_flag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "percent" decimal NULL, "testing" bool NOT NULL, "superusers" bool NOT NULL, "staff" bool NOT NULL, "authenticated" bool NOT NULL, "languages" text NOT NULL, "rollout" bool NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL, "everyone" bool NULL);
CREATE TABLE "waffle_flag_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flag_id" integer NOT NULL REFERENCES "waffle_flag" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "waffle_flag_users" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flag_id" integer NOT NULL REFERENCES "waffle_flag" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "waffle_sample" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "percent" decimal NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL);
CREATE TABLE "waffle_switch" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "active" bool NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL);
INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
VALUES ('site_flag', 1, NULL, 0, 1, 0, 0, '', 0, 'made by Django', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000');
INSERT INTO waffle_switch (name, active, note, created, modified) VALUES ('site_switch', 1, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
VALUES ('!', NULL, 0, 'alice', '', 'alice@example.com', 0, 1, '2026-01-01 00:00:00', '');
"#;

/// A Django site's SQLite database as `manage.py migrate` leaves it (rollback journal, the
/// default), with a flag, a switch and a user; not initialised by wafflectl.
fn django_site() -> Env {
    let env = Env::empty();
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(MIGRATED).unwrap();
    drop(c);
    env
}

fn tables(env: &Env) -> Vec<String> {
    env.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
}

fn journal_mode(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// The names in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// ------------------------------------------------------------ 1. init on a Django database

#[test]
fn init_refuses_a_django_site_whose_waffle_tables_are_missing() {
    // `manage.py migrate auth` only: django-waffle's tables are the site's to create
    let env = Env::empty();
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(
        r#"CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);
        INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2026-01-01 00:00:00');
        CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE);"#,
    )
    .unwrap();
    drop(c);
    let before = tables(&env);
    let err = env.refuses("init", 1, "the database lacks Django's tables:");
    for t in ["auth_user", "waffle_flag", "waffle_switch", "waffle_sample"] {
        assert_contains(&err, t);
    }
    // the Open edX apps were never migrated here: theirs are not demanded
    assert_lacks(&err, "waffle_utils");
    assert_contains(&err, "hint: ");
    assert_contains(&err, "manage.py migrate");
    assert_eq!(tables(&env), before, "init created tables");
    assert_eq!(journal_mode(&env.db), "delete");
    // --json and --example refuse the same way
    env.refuses("init --json", 1, "lacks Django's tables");
    assert_eq!(tables(&env), before);
}

#[test]
fn init_on_a_migrated_django_site_adds_only_edx_tables_never_migrated_and_keeps_the_journal() {
    let env = django_site();
    assert_eq!(journal_mode(&env.db), "delete");
    let r = env.run_ok("init");
    // says which tables it added: the Open edX apps' and its own
    assert_contains(&r.stderr, "added tables to");
    assert_contains(&r.stderr, "waffle_utils_waffleflagcourseoverridemodel");
    assert_contains(&r.stderr, "student_courseenrollment");
    assert_contains(&r.stderr, "wafflectl_audit");
    for t in ["auth_user", "waffle_flag", "waffle_switch"] {
        assert_lacks(&r.stderr, format!(" {t},").as_str());
    }
    assert_eq!(journal_mode(&env.db), "delete", "init switched the journal");
    // and every other command leaves it as it is
    env.ok("flag create wafflectl_made --everyone on");
    env.ok("switch off site_switch");
    env.ok("flag list");
    assert_eq!(
        journal_mode(&env.db),
        "delete",
        "a write switched the journal"
    );
    let doctor = env.ok("doctor");
    assert_contains(&doctor, "delete");
    assert_lacks(&doctor, "switch to WAL");
    assert_eq!(files(env.dir.path()), ["waffle.db"]);
}

#[test]
fn init_refuses_missing_tables_of_an_edx_app_the_site_migrated() {
    let env = django_site();
    env.exec(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('waffle_utils', '0001_initial', '2026-01-01 00:00:00')",
    );
    let before = tables(&env);
    let err = env.refuses("init", 1, "waffle_utils_waffleflagcourseoverridemodel");
    assert_contains(&err, "waffle_utils_waffleflagorgoverridemodel");
    assert_lacks(&err, "experiments_");
    assert_eq!(tables(&env), before);
}

#[test]
fn init_refuses_a_database_of_something_else_and_a_new_file_gets_wal() {
    let env = Env::empty();
    env.exec("CREATE TABLE orders (id integer PRIMARY KEY)");
    let before = tables(&env);
    env.refuses("init", 1, "neither Django's nor wafflectl's");
    assert_eq!(tables(&env), before);
    let fresh = Env::empty();
    fresh.ok("init");
    assert_eq!(journal_mode(&fresh.db), "wal");
}

// ------------------------------------------------------------ 2. reading needs no write

#[test]
fn reads_work_on_a_django_database_never_initialised_and_write_nothing() {
    let env = django_site();
    let before = env.bytes();
    let before_tables = tables(&env);
    let flags = env.json("flag list");
    assert_eq!(flags[0]["name"], "site_flag");
    assert_contains(&env.ok("switch list"), "site_switch");
    assert_eq!(env.json("user show alice")["username"], "alice");
    assert_eq!(env.json("experiment list"), serde_json::json!([]));
    assert_eq!(env.json("override list"), serde_json::json!([]));
    assert_eq!(
        env.json("eval site_flag --user alice")["active"],
        serde_json::json!(true),
        "{}",
        env.json("eval site_flag --user alice")
    );
    env.ok("bucket site_flag --user alice --buckets 2");
    assert_contains(&env.ok("export"), "site_flag");
    assert_contains(&env.ok("export --format django"), "site_flag");
    let doctor = env.ok("doctor");
    assert_lacks(&doctor, "switch to WAL");
    // history: no audit log yet
    let h = env.run_ok("history");
    assert_contains(&h.stderr, "no audit log yet");
    assert_eq!(env.json("history"), serde_json::json!([]));
    assert_eq!(env.bytes(), before, "a read changed the database");
    assert_eq!(files(env.dir.path()), ["waffle.db"]);
    // a write says to run init first, and writes nothing
    env.refuses(
        "flag create x",
        1,
        "a Django database without wafflectl's tables",
    );
    env.refuses(
        "flag off site_flag --dry-run",
        1,
        "without wafflectl's tables",
    );
    assert_eq!(tables(&env), before_tables);
}

#[test]
fn reads_and_dry_runs_work_on_a_read_only_file_and_leave_nothing_behind() {
    let env = Env::example();
    chmod(&env.db, 0o444);
    let before = env.bytes();
    assert!(env.count("flag list") > 0);
    env.ok("bucket example_namespace.example_flag --user alice");
    env.ok("eval new_dashboard --user alice");
    env.ok("export");
    assert_contains(&env.ok("doctor"), "WAL");
    assert!(env.count("history") > 0);
    // a dry run plans the change; a write is refused
    let out = env.ok("flag on new_dashboard --dry-run");
    assert_contains(&out, "would update flag new_dashboard");
    let out = env.ok("flag create brand_new --dry-run");
    assert_contains(&out, "brand_new");
    env.refuses("flag on new_dashboard", 1, "the store is read-only");
    assert_eq!(env.bytes(), before);
    assert_eq!(files(env.dir.path()), ["waffle.db"]);
    chmod(&env.db, 0o644);
    assert_eq!(
        env.json("flag show new_dashboard")["everyone"],
        serde_json::Value::Null
    );
}

#[test]
fn reads_and_dry_runs_work_in_a_read_only_directory() {
    let env = Env::example();
    chmod(env.dir.path(), 0o555);
    let before = env.bytes();
    let listed = env.run("flag list");
    let dry = env.run("flag off new_dashboard --dry-run");
    let write = env.run("flag on new_dashboard");
    let left = files(env.dir.path());
    chmod(env.dir.path(), 0o755);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert_contains(&listed.stdout, "new_dashboard");
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(write.code, 1, "{}", write.stderr);
    assert_contains(&write.stderr, "read-only");
    assert_eq!(left, ["waffle.db"]);
    assert_eq!(env.bytes(), before);
}

// ------------------------------------------------------------ 3. another user's reads

/// Whether this test process may run commands as other users (root); in CI it must.
fn can_switch_users() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("this test runs commands as other users: CI must run it as root");
    }
    eprintln!("not root: reads by another user not tested here");
    false
}

/// Runs wafflectl on `db` as the user and group `uid` (setpriv); returns the outcome.
fn run_as(uid: u32, db: &Path, args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("wafflectl");
    let id = uid.to_string();
    std::process::Command::new("setpriv")
        .args(["--reuid", &id, "--regid", &id, "--clear-groups"])
        .arg(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", format!("user{uid}"))
        .env("NO_COLOR", "1")
        .output()
        .expect("setpriv (util-linux) runs")
}

const OWNER: u32 = 1; // daemon
const READER: u32 = 65534; // nobody

#[test]
fn a_read_by_another_user_leaves_nothing_that_stops_the_owner_writing() {
    if !can_switch_users() {
        return;
    }
    let env = Env::empty();
    chmod(env.dir.path(), 0o755);
    // a folder both may create files in, as /tmp or a shared group folder
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o1777);
    let db = shared.join("waffle.db");
    let init = run_as(OWNER, &db, &["init", "--example"]);
    assert!(init.status.success(), "{init:?}");
    assert_eq!(journal_mode(&db), "wal");
    let read = run_as(READER, &db, &["flag", "list"]);
    assert!(read.status.success(), "{read:?}");
    assert_contains(&String::from_utf8_lossy(&read.stdout), "new_dashboard");
    assert_eq!(files(&shared), ["waffle.db"], "the read left files behind");
    let write = run_as(OWNER, &db, &["flag", "on", "new_dashboard"]);
    assert!(write.status.success(), "{write:?}");
    let show = run_as(READER, &db, &["flag", "show", "new_dashboard", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(shown["everyone"], serde_json::json!(true));
}

#[test]
fn a_replica_user_reads_a_store_it_may_not_write() {
    if !can_switch_users() {
        return;
    }
    let env = Env::example();
    // the store and its folder belong to root; nobody may only read them
    chmod(env.dir.path(), 0o755);
    let before = env.bytes();
    let read = run_as(READER, &env.db, &["flag", "list"]);
    assert!(read.status.success(), "{read:?}");
    let dry = run_as(
        READER,
        &env.db,
        &["flag", "on", "new_dashboard", "--dry-run"],
    );
    assert!(dry.status.success(), "{dry:?}");
    let write = run_as(READER, &env.db, &["flag", "on", "new_dashboard"]);
    assert_eq!(write.status.code(), Some(1), "{write:?}");
    assert_contains(&String::from_utf8_lossy(&write.stderr), "read-only");
    assert_eq!(env.bytes(), before);
    assert_eq!(files(env.dir.path()), ["waffle.db"]);
}

// ------------------------------------------------------------ 4. init --example

#[test]
fn init_example_is_refused_on_a_store_that_holds_anything() {
    let env = Env::new();
    env.ok("flag create mine");
    let err = env.refuses("init --example", 1, "already holds data");
    assert_contains(&err, "waffle_flag");
    assert_eq!(env.count("user list"), 0);
    // a Django site's database with a user and toggles: nothing added, not even wafflectl's
    // tables
    let site = django_site();
    let before = tables(&site);
    let err = site.refuses("init --example", 1, "already holds data");
    assert_contains(&err, "auth_user");
    assert_eq!(tables(&site), before);
    // an empty store takes the example
    let empty = Env::new();
    empty.ok("init --example");
    assert!(empty.count("user list") > 0);
}
