//! `export`, `import` and `diff` with wafflectl's native document.

use crate::common;

use common::{DEMO_COURSE, Env, NOW, assert_contains, named_mut, write};
use serde_json::Value;

/// A store with something of every kind: the example (users, a group, flags, a switch, a
/// sample), an enrollment, course and org override rows (two on one key at the same instant),
/// an experiment definition, key-values and per-user data.
fn seeded() -> Env {
    let env = Env::example();
    env.ok("user enroll alice course-v1:edX+DemoX+Demo_Course --at 2020-03-01");
    let at = "2026-01-01 10:00:00";
    let (flag, course) = ("new_dashboard", DEMO_COURSE);
    env.raw_overrides_by(
        "course",
        Some("root"),
        &[(at, true, flag, course, "on", "pilot")],
    );
    env.raw_overrides(
        "course",
        &[
            (at, false, flag, course, "on", ""),
            (
                "2025-12-24 08:00:00.250000",
                true,
                flag,
                "edX/Old/2012",
                "off",
                "",
            ),
        ],
    );
    env.raw_overrides(
        "org",
        &[("2026-01-01 11:00:00", true, flag, "MITx", "off", "not yet")],
    );
    env.exec(r#"
            INSERT INTO wafflectl_experiment
                (name, kind, num_buckets, experiment_id, course_aware, note, created, modified)
            VALUES ('course_experience.upsell', 'edx', 3, 17, 1, 'upsell', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
            INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
            VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 17, 'enrollment_start', '2020-03-05T00:00:00'),
                   ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 17, 'enrollment_end', '2021-03-05T00:00:00');
            INSERT INTO experiments_experimentdata (created, modified, experiment_id, key, value, user_id)
            VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 17, 'seen', 'true',
                    (SELECT id FROM auth_user WHERE username = 'bob'));
            "#);
    env
}

/// Objects in a native document (every entry of every section).
fn count_objects(text: &str) -> usize {
    let doc: Value = serde_json::from_str(text).unwrap();
    doc.as_object()
        .unwrap()
        .values()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .sum()
}

#[test]
fn export_import_export_is_byte_identical() {
    let a = seeded();
    let file = a.path("a.json");
    a.ok(&["export", "-o", file.to_str().unwrap()]);
    let exported = std::fs::read(&file).unwrap();

    let b = Env::new();
    let before = b.audit_count();
    b.ok(&["import", file.to_str().unwrap()]);
    let again = b.path("b.json");
    b.ok(&["export", "-o", again.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(std::fs::read(&again).unwrap()).unwrap(),
        String::from_utf8(exported).unwrap()
    );

    // One audit row per object, each naming the file.
    let objects = count_objects(&std::fs::read_to_string(&file).unwrap());
    assert_eq!((b.audit_count() - before) as usize, objects);
    let reasons: Vec<String> =
        b.all("SELECT DISTINCT reason FROM wafflectl_audit WHERE action = 'create'");
    assert_eq!(reasons, [format!("import {}", file.display())]);

    // Importing the same file again changes nothing and records nothing.
    let n = b.audit_count();
    let r = b.run_ok(&["import", file.to_str().unwrap()]);
    assert!(r.stderr.starts_with("unchanged"), "{}", r.stderr);
    assert_eq!(b.audit_count(), n);
}

#[test]
fn export_is_sorted_and_stable() {
    let env = seeded();
    let out = env.ok("export");
    insta::assert_snapshot!("native_export", out);
    assert_eq!(env.ok("export -o -"), out, "-o - is stdout");
    assert_eq!(
        env.ok("--json export"),
        out,
        "--json exports the native document"
    );
    assert_eq!(env.ok("--format native export"), out);
}

#[test]
fn export_to_a_file_is_atomic_and_leaves_no_temporary_file() {
    let env = Env::new();
    let out = env.path("out/toggles.json");
    std::fs::create_dir(env.path("out")).unwrap();
    write(&out, "old content");
    let r = env.run_ok(&["export", "-o", out.to_str().unwrap()]);
    assert!(r.stdout.is_empty());
    assert_contains(&r.stderr, "exported 0 objects to");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    let names: Vec<_> = std::fs::read_dir(env.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["toggles.json"]);
    // A folder that does not exist: exit 1, nothing created.
    let bad = env.path("missing/x.json");
    env.fails(&["export", "-o", bad.to_str().unwrap()], 1);
}

fn edited_example(env: &Env) -> String {
    let text = env.ok("export");
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    // Change a flag, add a switch and a user, drop the sample (kept unless --prune).
    let nd = named_mut(&mut doc["flags"], "new_dashboard");
    nd["everyone"] = Value::Bool(true);
    nd["users"] = serde_json::json!(["dave"]);
    doc["switches"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "dark_mode", "active": true}));
    doc["users"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"username": "dave", "is_staff": true}));
    doc["samples"] = serde_json::json!([]);
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn diff_dry_run_and_import_agree() {
    let env = Env::example();
    write(&env.path("edited.json"), &edited_example(&env));
    let f = "edited.json"; // relative to the test's folder, so snapshots are stable

    let diff = env.run_ok(&["diff", f]);
    insta::assert_snapshot!(
        "diff",
        format!("{}--- stderr\n{}", diff.stdout, diff.stderr)
    );

    let pruned = env.run(&["diff", f, "--prune"]);
    assert_contains(&pruned.stdout, "- sample ab_test\n");
    assert_contains(&pruned.stderr, "1 to remove");

    let before = env.bytes();
    let dry = env.run_ok(&["import", f, "--dry-run"]);
    assert_eq!(dry.stdout, diff.stdout, "--dry-run prints what diff prints");
    assert_contains(&dry.stderr, "dry run: nothing written");
    assert!(env.bytes() == before, "--dry-run wrote to the store");

    let json = env.json(&["diff", f]);
    assert_eq!(json["added"].as_array().unwrap().len(), 2);
    assert_eq!(json["changed"][0]["kind"], "flag");
    assert_eq!(json["changed"][0]["before"]["everyone"], Value::Null);
    assert_eq!(json["changed"][0]["after"]["everyone"], true);
    assert_eq!(json["removed"], serde_json::json!([]));
    let objects = count_objects(&std::fs::read_to_string(env.path(f)).unwrap());
    assert_eq!(
        json["unchanged"],
        objects - 3,
        "all but the 2 added and 1 changed"
    );
    assert_eq!(env.json(&["import", f, "--dry-run"]), json);

    let r = env.run_ok(&["import", f, "--reason", "sync from staging"]);
    insta::assert_snapshot!("import", r.stderr);
    let shown = env.json("flag show new_dashboard");
    assert_eq!(shown["everyone"], true);
    assert_eq!(shown["users"], serde_json::json!(["dave"]));
    assert_eq!(env.json("switch show dark_mode")["active"], true);
    assert_eq!(env.json("user show dave")["is_staff"], true);
    env.ok("sample show ab_test");
    let history = env.json("history new_dashboard");
    assert_eq!(
        history[0]["reason"],
        format!("import {f}: sync from staging")
    );
    assert_eq!(history[0]["action"], "update");

    // Nothing left to do.
    let diff = env.run(&["diff", f]);
    assert_eq!(diff.stdout, "");
    assert_eq!(diff.stderr, format!("no changes ({objects} unchanged)\n"));
}

#[test]
fn prune_asks_first_and_deletes_only_with_consent() {
    let env = Env::example();
    env.write("edited.json", &edited_example(&env));
    let err = env.refuses("import edited.json --prune", 2, "confirmation needed");
    assert_contains(&err, "--yes");
    env.ok("import edited.json --prune --yes");
    env.fails("sample show ab_test", 1);
    let history = env.json("history ab_test");
    assert_eq!(history[0]["action"], "delete");
}

#[test]
fn sections_missing_from_a_file_are_left_alone_even_with_prune() {
    let env = Env::example();
    env.write(
        "switches.json",
        r#"{"version": 1, "switches": [{"name": "maintenance", "active": true}]}"#,
    );
    let flags = env.json("flag list");
    env.ok_saying(
        &["--yes", "import", "switches.json", "--prune"],
        "0 removed",
    );
    assert_eq!(env.json("flag list"), flags);
    assert_eq!(env.json("switch show maintenance")["active"], true);
}

#[test]
fn stdin_works_and_files_without_timestamps_get_now() {
    let env = Env::new();
    let doc = r#"{"version": 1,
        "groups": ["beta"],
        "users": [{"username": "alice", "groups": ["beta"]}],
        "flags": [{"name": "f", "percent": 12.5, "users": ["alice"], "languages": " de , fr "}],
        "samples": [{"name": "s", "percent": "33.0"}],
        "overrides": [{"flag": "f", "org": "MITx", "choice": "off"}],
        "experiments": [{"name": "ns.exp", "num_buckets": 3, "experiment_id": 5}],
        "key_values": [{"experiment_id": 5, "key": "enrollment_start", "value": "2020-01-01"}],
        "experiment_data": [{"experiment_id": 5, "user": "alice", "key": "k", "value": "v"}],
        "enrollments": [{"user": "alice", "course_id": "course-v1:a+b+c", "created": "2020-01-01T00:00:00Z"}]}"#;
    let r = env.run_with_input("import -", doc);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "imported stdin: 9 added");
    let f = env.json("flag show f");
    assert_eq!(f["percent"], 12.5);
    assert_eq!(f["languages"], "de,fr");
    assert_eq!(
        f["superusers"], false,
        "native files default to wafflectl's superusers=false"
    );
    assert_eq!(f["created"], "2026-01-02T03:04:05.000000Z");
    let (enabled, changed): (i64, String) =
        env.one("SELECT enabled, change_date FROM waffle_utils_waffleflagorgoverridemodel");
    assert_eq!((enabled, changed.as_str()), (1, "2026-01-02 03:04:05"));
    let reason: String = env.one("SELECT reason FROM wafflectl_audit ORDER BY id DESC LIMIT 1");
    assert_eq!(reason, "import stdin");

    // An undated override row saying what the current row says is already there.
    let r = env.run_with_input("diff -", doc);
    assert_eq!(r.stdout, "");
}

#[test]
fn a_changed_object_is_modified_now_unless_the_file_brings_a_newer_time() {
    let env = Env::example();
    let text = env.ok("export");
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["switches"][0]["active"] = Value::Bool(true);
    doc["flags"][0]["note"] = Value::String("edited".into());
    doc["flags"][0]["modified"] = Value::String("2026-01-05T00:00:00.000000Z".into());
    env.write("t.json", &doc.to_string());
    env.ok_with_env("WAFFLECTL_NOW", "2026-03-01T00:00:00Z", "import t.json");
    let s = env.json("switch show maintenance");
    assert_eq!(s["modified"], "2026-03-01T00:00:00.000000Z");
    assert_eq!(s["created"], format!("{}", "2026-01-02T03:04:05.000000Z"));
    let f = env.json("flag show course_experience.relative_dates");
    assert_eq!(f["modified"], "2026-01-05T00:00:00.000000Z");
    assert_eq!(NOW, "2026-01-02T03:04:05Z");
}

#[test]
fn format_options() {
    let env = Env::new();
    let err = env.fails("--format plain export", 2);
    assert_contains(&err, "no plain format");
    env.write(
        "f.json",
        r#"[{"model": "waffle.switch", "fields": {"name": "s"}}]"#,
    );
    let err = env.refuses("--format native import f.json", 2, "Django fixture");
    assert_contains(&err, "--format django");
    // Without --format, a fixture is recognised.
    env.ok("import f.json");
    assert_eq!(env.json("switch show s")["active"], false);
    let err = env.fails("--format django flag list", 2);
    assert_contains(&err, "export, import and diff only");
    env.fails(&["import", env.path("nope.json").to_str().unwrap()], 1);
}
