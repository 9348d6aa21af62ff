//! `promote NAME|GLOB --from A --to B`: what travels, users and groups by name, `--create-users`,
//! `--create-only`, `--dry-run`, audit and Django admin history on the target.

use crate::common;

use super::{db, staging};
use common::{Env, assert_contains, assert_lacks};

fn promote(target: &Env, from: &Env, extra: &[&str]) -> common::Run {
    let mut args = vec!["promote".to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(["--from".into(), db(from), "--to".into(), db(target)]);
    target.run(&args)
}

#[test]
fn missing_users_and_groups_are_all_listed_and_nothing_is_written() {
    let a = staging();
    let b = Env::with(&["user add bob"]);
    let before = b.bytes();
    let r = promote(&b, &a, &["new_checkout", "ns.exp"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_contains(&r.stderr, "error: ");
    assert_contains(
        &r.stderr,
        "lacks what the promoted flags name: user alice; group beta",
    );
    assert_contains(&r.stderr, "hint: ");
    assert_contains(&r.stderr, "--create-users");
    assert!(b.bytes() == before, "the target changed");
}

#[test]
fn a_flag_travels_with_its_users_groups_and_current_overrides() {
    let a = staging();
    let b = Env::with(&["user add bob"]);
    let r = promote(&b, &a, &["new_checkout", "--create-users"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "created user alice");
    assert_contains(&r.stderr, "created group beta");
    assert_contains(&r.stderr, "promoted from");
    let f = b.json("flag show new_checkout");
    assert_eq!(f["everyone"], true);
    assert_eq!(f["users"], serde_json::json!(["alice", "bob"]));
    assert_eq!(f["groups"], serde_json::json!(["beta"]));
    // Plain users: never staff or superuser, unusable password, active, in no group.
    let (staff, su, active, pw): (i64, i64, i64, String) = b.one(
        "SELECT is_staff, is_superuser, is_active, password FROM auth_user WHERE username = 'alice'",
    );
    assert_eq!((staff, su, active), (0, 0, 1));
    assert!(pw.starts_with('!'), "{pw}");
    let groups: i64 = b.one("SELECT count(*) FROM auth_user_groups");
    assert_eq!(groups, 0);
    // bob existed: left as he was (the source's bob is staff).
    let staff: i64 = b.one("SELECT is_staff FROM auth_user WHERE username = 'bob'");
    assert_eq!(staff, 0);
    // The current overrides, one row each (not the source's history).
    let list = b.json("override list new_checkout");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let rows: i64 = b.one("SELECT count(*) FROM waffle_utils_waffleflagcourseoverridemodel");
    assert_eq!(rows, 1);
    // Nothing else travelled.
    assert_eq!(b.run("flag show new_search").code, 1);
    assert_eq!(b.run("switch show maintenance").code, 1);
    b.ok(&["compare", &db(&a), &db(&b), "new_checkout", "--exit-code"]);
}

#[test]
fn an_experiment_travels_with_sub_flags_whitelists_and_key_values() {
    let a = staging();
    a.ok("override set ns.exp.2 --course course-v1:a+b+c on");
    let b = Env::new();
    let r = promote(&b, &a, &["ns.exp", "--create-users"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = b.json("experiment show ns.exp");
    assert_eq!(e["experiment_id"], 17, "{e}");
    let sub = b.json("flag show ns.exp.1");
    assert_eq!(sub["users"], serde_json::json!(["alice"]));
    assert_eq!(sub["groups"], serde_json::json!(["beta"]));
    let kv: String = b.one(
        "SELECT value FROM experiments_experimentkeyvalue WHERE experiment_id = 17 AND key = 'enrollment_start'",
    );
    assert_eq!(kv, "2026-01-01T00:00:00");
    let o: i64 = b.one(
        "SELECT count(*) FROM waffle_utils_waffleflagcourseoverridemodel WHERE waffle_flag = 'ns.exp.2'",
    );
    assert_eq!(o, 1);
    b.ok(&[
        "compare",
        &db(&a),
        &db(&b),
        "--kind",
        "experiment",
        "--exit-code",
    ]);
    assert_eq!(b.run("flag show new_checkout").code, 1);
}

#[test]
fn an_experiment_under_another_id_is_refused() {
    let a = staging();
    let b = Env::with(&["experiment create ns.exp --buckets 3 --id 18"]);
    let r = promote(&b, &a, &["ns.exp", "--create-users"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_contains(&r.stderr, "'ns.exp' has ID 17 in");
    assert_contains(&r.stderr, "but ID 18 in");
}

#[test]
fn twice_is_unchanged_and_writes_no_audit_row() {
    let a = staging();
    let b = Env::new();
    promote(&b, &a, &["*", "--create-users"]);
    let audit = b.audit_count();
    let before = b.bytes();
    let r = promote(&b, &a, &["*", "--create-users"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("unchanged"), "{}", r.stderr);
    assert_eq!(b.audit_count(), audit);
    assert!(b.bytes() == before, "the target changed");
    let j = b.json(&["promote", "*", "--from", &db(&a), "--to", &db(&b)]);
    assert_eq!(j["added"], serde_json::json!([]));
    assert_eq!(j["changed"], serde_json::json!([]));
    assert!(j["unchanged"].as_u64().unwrap() > 5, "{j}");
}

#[test]
fn dry_run_writes_nothing() {
    let a = staging();
    let b = Env::new();
    let before = b.bytes();
    let r = promote(&b, &a, &["new_*", "--create-users", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stdout, "+ flag new_checkout\n");
    assert_contains(&r.stdout, "+ user alice\n");
    assert_contains(&r.stderr, "dry run: nothing written");
    assert!(b.bytes() == before, "--dry-run wrote");
}

#[test]
fn audit_rows_and_django_admin_history_on_the_target() {
    let a = staging();
    let b = Env::with(&["user add admin --superuser"]);
    b.with_admin_tables();
    let r = b.run(&[
        "--actor",
        "admin",
        "promote",
        "new_checkout",
        "maintenance",
        "--from",
        &db(&a),
        "--to",
        &db(&b),
        "--create-users",
        "--reason",
        "release 42",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (actor, reason): (String, String) = b.one(
        "SELECT actor, reason FROM wafflectl_audit WHERE object_name = 'new_checkout' AND object_kind = 'flag'",
    );
    assert_eq!(actor, "admin");
    assert_eq!(reason, format!("promote from {}: release 42", db(&a)));
    let logged: i64 = b.one(
        "SELECT count(*) FROM django_admin_log WHERE object_repr IN ('new_checkout', 'maintenance')",
    );
    assert_eq!(logged, 2);
    // The source is only read.
    let source_audit: i64 =
        a.one("SELECT count(*) FROM wafflectl_audit WHERE reason LIKE 'promote%'");
    assert_eq!(source_audit, 0);
}

#[test]
fn create_only_keeps_what_the_target_has() {
    let a = staging();
    let b = Env::with(&["flag create new_checkout --everyone off"]);
    b.ok("override set new_checkout --org edX on");
    let r = promote(&b, &a, &["new_*", "--create-only", "--create-users"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(
        &r.stderr,
        "kept flag new_checkout (exists and differs; --create-only)",
    );
    assert_contains(&r.stderr, "kept org override new_checkout@edX");
    assert_contains(&r.stderr, "created flag new_search");
    assert_contains(
        &r.stderr,
        "created course override new_checkout@course-v1:a+b+c",
    );
    assert_eq!(b.json("flag show new_checkout")["everyone"], false);
    let j = b.json(&[
        "promote",
        "new_*",
        "--from",
        &db(&a),
        "--to",
        &db(&b),
        "--create-only",
        "--dry-run",
    ]);
    assert_eq!(j["kept"].as_array().unwrap().len(), 2, "{j}");
}

#[test]
fn a_newer_override_in_the_target_is_overridden_by_appending() {
    let a = staging();
    let b = Env::new();
    promote(&b, &a, &["new_checkout", "--create-users"]);
    b.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-06-01T00:00:00Z",
        "override set new_checkout --course course-v1:a+b+c off",
    );
    let r = promote(&b, &a, &["new_checkout"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "1 changed");
    let rows: i64 = b.one("SELECT count(*) FROM waffle_utils_waffleflagcourseoverridemodel");
    assert_eq!(rows, 3, "history kept, one row appended");
    let list = b.json("override list new_checkout");
    let course = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["course"].is_string() || o["course_id"].is_string())
        .cloned()
        .unwrap_or_default();
    assert_eq!(course["choice"], "on", "{list}");
}

#[test]
fn bad_selections_and_targets() {
    let a = staging();
    let b = Env::new();
    let r = promote(&b, &a, &["nothing_*"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "error: 'nothing_*' names no flag");
    let r = b.run(&[
        "promote",
        "new_checkout",
        "--from",
        &db(&a),
        "--to",
        "nowhere.db",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_contains(&r.stderr, "nowhere.db");
    assert_lacks(&r.stderr, "panicked");
    b.fails(&["promote", "--from", &db(&a), "--to", &db(&b)], 2);
}

/// The target's cache: after the commit, the keys the promotion made stale are deleted from the
/// site's cache (here one that cannot be reached, so the warning lists them); a dry run touches
/// no cache.
#[test]
fn the_targets_cache_keys_are_deleted_after_the_commit() {
    let a = staging();
    let b = Env::new();
    let cache = ["--cache", "redis://127.0.0.1:1/0"];
    let dry = b.run(
        &[
            &cache[..],
            &[
                "promote",
                "new_search",
                "--from",
                &db(&a),
                "--to",
                &db(&b),
                "--dry-run",
            ],
        ]
        .concat(),
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_lacks(&dry.stderr, "cache");
    let r = b.run(
        &[
            &cache[..],
            &["promote", "new_search", "--from", &db(&a), "--to", &db(&b)],
        ]
        .concat(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(
        &r.stderr,
        "the change is committed, but the cache at redis://127.0.0.1:1/0",
    );
    assert_contains(&r.stderr, ":1:flags:all");
    assert_contains(
        &r.stderr,
        format!(":1:waffle:5.0.0{}", common::md5_hex("flag:new_search")).as_str(),
    );
}

/// `--from` may be a file `export` writes: the same objects travel as from the store.
#[test]
fn from_an_exported_file() {
    let a = staging();
    a.ok("export -o staging.json");
    let file = a.path("staging.json").to_string_lossy().into_owned();
    let b = Env::new();
    let r = b.run(&[
        "promote",
        "new_*",
        "ns.exp",
        "--from",
        &file,
        "--to",
        &db(&b),
        "--create-users",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "promoted from");
    b.ok(&[
        "compare",
        &db(&a),
        &db(&b),
        "new_*",
        "ns.exp",
        "--exit-code",
    ]);
    let reason: String = b.one("SELECT reason FROM wafflectl_audit ORDER BY id DESC LIMIT 1");
    assert_eq!(reason, format!("promote from {file}"));
}
