//! Issue 18 items 14–15: what write commands print with `--json`, dynamic shell completion from
//! the store, and the smaller wording and format rules (history times, `variant` plain output
//! and repeated inputs, `--percent 100`, hints that name `--db`, `eval`'s enrollment step).

use crate::common;

use common::{DEMO_COURSE, Env, NOW, assert_contains, assert_lacks};
use serde_json::json;

/// Runs a write command with `--json`; returns its parsed stdout (the change records).
#[track_caller]
fn records(env: &Env, args: &str) -> Vec<serde_json::Value> {
    let v = env.json(args);
    v.as_array()
        .unwrap_or_else(|| panic!("{args}: not a JSON array: {v}"))
        .clone()
}

/// The keys every change record has, in order.
const RECORD_KEYS: [&str; 8] = [
    "object_kind",
    "object_name",
    "action",
    "changed",
    "before",
    "after",
    "dry_run",
    "audit_id",
];

#[track_caller]
fn assert_record_shape(r: &serde_json::Value) {
    let keys: Vec<&str> = r
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {r}"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, RECORD_KEYS, "{r}");
}

#[test]
fn write_commands_print_one_json_record_per_change() {
    let env = Env::new();
    let created = records(&env, "flag create new_dashboard --percent 25");
    assert_eq!(created.len(), 1);
    let r = &created[0];
    assert_record_shape(r);
    assert_eq!(r["object_kind"], "flag");
    assert_eq!(r["object_name"], "new_dashboard");
    assert_eq!(r["action"], "create");
    assert_eq!(r["before"], json!(null));
    assert_eq!(r["after"]["percent"], json!(25.0));
    assert!(r["changed"].as_array().unwrap().contains(&json!("percent")));
    assert_eq!(r["dry_run"], json!(false));
    // the audit id is the change's row in history
    let history = env.json("history --limit 1");
    assert_eq!(r["audit_id"], history[0]["id"]);

    let on = records(&env, "flag on new_dashboard --reason launch");
    assert_record_shape(&on[0]);
    assert_eq!(on[0]["action"], "update");
    assert_eq!(on[0]["changed"], json!(["everyone"]));
    assert_eq!(on[0]["before"]["everyone"], json!(null));
    assert_eq!(on[0]["after"]["everyone"], json!(true));
    assert_eq!(on[0]["audit_id"], env.json("history --limit 1")[0]["id"]);

    // other nouns: the same shape
    let sw = records(&env, "switch create maintenance --on");
    assert_record_shape(&sw[0]);
    assert_eq!(sw[0]["object_kind"], "switch");
    let sample = records(&env, "sample create ab 10");
    let set = records(&env, "sample set ab 50");
    assert_eq!(set[0]["object_kind"], "sample");
    assert_eq!(set[0]["changed"], json!(["percent"]));
    assert_eq!(
        set[0]["audit_id"].as_i64().unwrap(),
        sample[0]["audit_id"].as_i64().unwrap() + 1
    );
    let user = records(&env, "user add alice --staff");
    assert_record_shape(&user[0]);
    assert_eq!(user[0]["object_kind"], "user");
    assert_eq!(user[0]["action"], "create");
    let ov = records(&env, "override set new_dashboard --org edX off");
    assert_record_shape(&ov[0]);
    assert_eq!(ov[0]["object_kind"], "org override");

    // nothing changed: an empty list, no audit row
    let audit = env.count("history --limit 0");
    assert_eq!(
        records(&env, "flag on new_dashboard"),
        Vec::<serde_json::Value>::new()
    );
    assert_eq!(env.count("history --limit 0"), audit);

    // several changes in one command: one record each
    let deleted = records(
        &env,
        "delete --flags new_dashboard --switches maintenance --yes",
    );
    assert_eq!(deleted.len(), 2);
    for d in &deleted {
        assert_record_shape(d);
        assert_eq!(d["action"], "delete");
        assert_eq!(d["after"], json!(null));
        assert!(d["audit_id"].is_i64());
    }
}

#[test]
fn a_dry_run_prints_the_same_record_without_an_audit_id_and_writes_nothing() {
    let env = Env::new();
    env.ok("flag create f");
    env.ok("user add alice");
    let before = env.bytes();
    for (args, kind, action, changed) in [
        ("flag on f --dry-run", "flag", "update", json!(["everyone"])),
        (
            "flag set f --staff --add-user alice --dry-run",
            "flag",
            "update",
            json!(["staff", "users"]),
        ),
        (
            "user set alice --staff --dry-run",
            "user",
            "update",
            json!(["is_staff"]),
        ),
        (
            "switch create s --dry-run",
            "switch",
            "create",
            json!(["active", "name", "note"]),
        ),
    ] {
        let r = records(&env, args);
        assert_eq!(r.len(), 1, "{args}");
        assert_record_shape(&r[0]);
        assert_eq!(r[0]["object_kind"], kind, "{args}");
        assert_eq!(r[0]["action"], action, "{args}");
        assert_eq!(r[0]["changed"], changed, "{args}");
        assert_eq!(r[0]["dry_run"], json!(true), "{args}");
        assert_eq!(r[0]["audit_id"], json!(null), "{args}");
        assert!(env.bytes() == before, "{args} wrote to the store");
    }
}

#[test]
fn history_json_times_are_iso_8601_utc() {
    let env = Env::new();
    env.ok("flag create f");
    let h = env.json("history");
    assert_eq!(h[0]["at"], "2026-01-02T03:04:05.000000Z");
    // tables keep the readable form
    assert_contains(&env.ok("history"), "2026-01-02 03:04:05");
}

fn baseplate() -> Env {
    let env = Env::new();
    env.ok(
        "experiment create checkout_v2 --type single_variant --variant control=0.5 \
         --variant treatment=0.5",
    );
    env
}

#[test]
fn variant_plain_prints_just_the_variant() {
    let env = baseplate();
    let json = env.json("variant checkout_v2 user_id=t2_1");
    let variant = json["variant"].as_str().unwrap().to_string();
    let plain = env.ok("variant checkout_v2 user_id=t2_1 --format plain");
    assert_eq!(plain, format!("{variant}\n"));
    // no bucketing input: variant() answers None
    assert_eq!(env.ok("variant checkout_v2 --format plain"), "None\n");
    // where variant() raises there is no variant to print: exit 1 naming the exception
    env.ok(&[
        "experiment",
        "create",
        "gt_exp",
        "--type",
        "single_variant",
        "--variant",
        "a=0.5",
        "--variant",
        "b=0.5",
        "--target",
        r#"{"GT":{"field":"age","value":3}}"#,
    ]);
    let r = env.run("variant gt_exp user_id=t2_1 --format plain");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("error: variant() raises TypeError"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_variant_input_given_twice_is_refused() {
    let env = baseplate();
    for args in [
        "variant checkout_v2 user_id=t2_1 user_id=t2_2",
        "variant checkout_v2 user_id=t2_1 user_id:='\"t2_2\"'",
    ] {
        let err = env.refuses(args, 2, "input 'user_id' is given twice");
        assert_eq!(err.lines().count(), 2, "{err}");
    }
}

#[test]
fn percent_100_on_a_flag_points_at_everyone_on() {
    let env = Env::new();
    env.ok("flag create f");
    for args in ["flag set f --percent 100", "flag create g --percent 100"] {
        let err = env.refuses(args, 2, "0 to 99.9");
        assert_contains(&err, "hint:");
        assert_contains(&err, "--everyone on");
    }
    // other values out of range do not mention it
    assert_lacks(
        &env.fails_unchanged("flag set f --percent 150", 2),
        "--everyone",
    );
}

#[test]
fn hints_name_db_when_the_store_came_from_db() {
    let env = Env::empty();
    // Env's commands pass --db
    let err = env.fails("flag list", 1);
    assert_contains(&err, "no store at");
    assert_contains(
        &err,
        format!(
            "hint: create it with: wafflectl --db {} init",
            env.db.display()
        )
        .as_str(),
    );
    assert_lacks(&err, "$WAFFLECTL_DB");
    // from the environment: name the variable, not --db
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    let out = c
        .current_dir(env.dir.path())
        .env("WAFFLECTL_DB", "elsewhere.db")
        .env("WAFFLECTL_NOW", NOW)
        .args(["flag", "list"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_contains(&err, "hint: create it with: wafflectl init");
    assert_contains(&err, "$WAFFLECTL_DB");
    assert_lacks(&err, "--db");
    assert!(
        !env.path("elsewhere.db").exists(),
        "only init creates a store"
    );
}

#[test]
fn commands_a_hint_suggests_carry_the_same_db() {
    let env = Env::new();
    let db = env.db.display().to_string();
    env.refuses(
        "flag show nope",
        1,
        format!("hint: list them with: wafflectl --db {db} flag list"),
    );
    env.refuses(
        "flag set f2 --add-user ghost --create",
        1,
        format!("wafflectl --db {db} user add ghost"),
    );
    // a path with a space is quoted for the shell
    let spaced = env.path("my store.db");
    std::fs::copy(&env.db, &spaced).unwrap();
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    let out = c
        .current_dir(env.dir.path())
        .env_remove("WAFFLECTL_DB")
        .args(["--db", "my store.db", "switch", "show", "nope"])
        .output()
        .unwrap();
    assert_contains(
        &String::from_utf8_lossy(&out.stderr),
        "hint: list them with: wafflectl --db 'my store.db' switch list",
    );
    // from $WAFFLECTL_DB: the suggested command needs no --db
    let r = assert_cmd::Command::cargo_bin("wafflectl")
        .unwrap()
        .current_dir(env.dir.path())
        .env("WAFFLECTL_DB", &env.db)
        .args(["flag", "show", "nope"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert_contains(&err, "hint: list them with: wafflectl flag list");
}

#[test]
fn init_on_a_file_that_is_not_a_store_does_not_suggest_init() {
    let env = Env::empty();
    common::write(&env.db, "this is not a database\n");
    let err = env.refuses("init", 1, "not a SQLite database");
    assert_lacks(&err, "init");
    assert_contains(&err, "hint: check --db");
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "this is not a database\n"
    );
}

#[test]
fn eval_says_not_enrolled_once() {
    let env = Env::example();
    env.ok("user add dave");
    let out = env.ok(&[
        "eval",
        "example_namespace.example_flag",
        "--user",
        "dave",
        "--course",
        DEMO_COURSE,
    ]);
    assert_eq!(out.matches("not enrolled").count(), 1, "{out}");
    assert_contains(&out, "enrollment         not enrolled in the course");
    assert_contains(
        &out,
        "experiment ID 1: now 2026-01-02T03:04:05 ≥ enrollment_start",
    );
}

#[test]
fn migrating_maps_waffle_flag_group_and_user() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/migrating.md"),
    )
    .unwrap();
    for row in ["| `--group G`, `-g G`", "| `--user U`, `-u U`"] {
        assert!(
            doc.lines().any(|l| l.starts_with(row)),
            "docs/migrating.md has no row for {row}"
        );
    }
}

/// What the binary offers for the last word of `words` when a shell asks (`COMPLETE=fish`: one
/// candidate a line, help after a tab), names only (options start with `-`).
fn complete(env: &Env, words: &[&str]) -> Vec<String> {
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    let out = c
        .current_dir(env.dir.path())
        .env_remove("WAFFLECTL_DB")
        .env("COMPLETE", "fish")
        .arg("--")
        .arg("wafflectl")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{words:?}: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .filter(|c| !c.starts_with('-'))
        .collect()
}

#[test]
fn completion_offers_the_stores_names() {
    let env = Env::new();
    env.ok("flag create new_dashboard");
    env.ok("flag create new_checkout");
    env.ok("flag create beta_ui");
    env.ok("switch create maintenance");
    env.ok("switch create mobile");
    env.ok("sample create ab_test 10");
    env.ok("user add alice");
    env.ok("user add albert");
    env.ok("user add bob");
    env.ok("experiment create course_experience.upsell --buckets 2");
    let db = env.db.to_str().unwrap();
    let before = env.bytes();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--db", db, "flag", "show", ""],
            &[
                "beta_ui",
                "course_experience.upsell",
                "new_checkout",
                "new_dashboard",
            ],
        ),
        (
            &["--db", db, "flag", "show", "new_"],
            &["new_checkout", "new_dashboard"],
        ),
        (&["flag", "on", "--db", db, "b"], &["beta_ui"]),
        (
            &["--db", db, "switch", "on", "m"],
            &["maintenance", "mobile"],
        ),
        (&["--db", db, "switch", "on", "ma"], &["maintenance"]),
        (&["--db", db, "sample", "set", ""], &["ab_test"]),
        (
            &["--db", db, "experiment", "show", "c"],
            &["course_experience.upsell"],
        ),
        (&["--db", db, "user", "show", "al"], &["albert", "alice"]),
        (
            &["--db", db, "flag", "set", "beta_ui", "--add-user", "b"],
            &["bob"],
        ),
        (&["--db", db, "flag", "show", "zzz"], &[]),
    ];
    for (words, want) in cases {
        assert_eq!(complete(&env, words), *want, "{words:?}");
    }
    assert!(env.bytes() == before, "completion wrote to the store");

    // --db=PATH, and $WAFFLECTL_DB when no --db is given
    assert_eq!(
        complete(&env, &[&format!("--db={db}"), "switch", "show", "mo"]),
        ["mobile"]
    );
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    let out = c
        .current_dir(env.dir.path())
        .env("WAFFLECTL_DB", db)
        .env("COMPLETE", "fish")
        .args(["--", "wafflectl", "user", "show", "b"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "bob\n");
}

#[test]
fn completion_without_a_store_offers_no_names_and_creates_nothing() {
    let env = Env::empty();
    assert!(complete(&env, &["flag", "show", ""]).is_empty());
    assert!(complete(&env, &["--db", "other.db", "user", "show", ""]).is_empty());
    assert!(!env.path("waffle.db").exists());
    assert!(!env.path("other.db").exists());
    // a file that is not a store: silently nothing
    common::write(&env.path("junk.db"), "not a database\n");
    assert!(complete(&env, &["--db", "junk.db", "flag", "show", ""]).is_empty());
    assert_eq!(
        std::fs::read_to_string(env.path("junk.db")).unwrap(),
        "not a database\n"
    );
    // subcommands are still offered
    assert!(complete(&env, &["fl"]).contains(&"flag".to_string()));
}

#[test]
fn the_registration_script_calls_back_into_the_binary() {
    let env = Env::empty();
    let mut c = assert_cmd::Command::cargo_bin("wafflectl").unwrap();
    let out = c
        .current_dir(env.dir.path())
        .env("COMPLETE", "bash")
        .output()
        .unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    assert_contains(&script, "COMPLETE=\"bash\"");
    assert_contains(&script, "complete ");
}
