//! A file exported from a store and read back into the same store changes nothing: `diff` reports
//! no change and `import` writes no row and no audit record, in every format that carries the
//! objects. And a command that names one field leaves every other field as it was.

use crate::common;

use common::{Env, assert_contains};
use serde_json::Value;

/// Course and org overrides with several rows per flag and course/org, dated to the microsecond
/// (two of them in the same millisecond), written by wafflectl and by Django's admin.
fn store_with_override_history() -> Env {
    let env = Env::example();
    let set = |at: &str, args: &str| {
        env.ok_with_env("WAFFLECTL_NOW", at, args);
    };
    set(
        "2026-01-02T03:04:05.123456Z",
        "override set f --course course-v1:a+b+c on --note first",
    );
    set(
        "2026-01-02T03:04:05.123999Z",
        "override set f --course course-v1:a+b+c off",
    );
    set(
        "2026-01-03T00:00:00.000500Z",
        "override set f --course course-v1:a+b+c on",
    );
    set(
        "2026-01-02T03:04:05.999001Z",
        "override set f --org edX off",
    );
    set("2026-01-04T10:00:00.250250Z", "override set f --org edX on");
    set(
        "2026-01-04T10:00:00.250250Z",
        "override set g --course course-v1:a+b+c on",
    );
    env.raw_overrides(
        "course",
        &[
            (
                "2026-01-05 08:00:00.654321",
                true,
                "f",
                "course-v1:x+y+z",
                "on",
                "",
            ),
            (
                "2026-01-05 08:00:00.654987",
                false,
                "f",
                "course-v1:x+y+z",
                "off",
                "",
            ),
        ],
    );
    env.raw_overrides(
        "org",
        &[(
            "2026-01-06 09:30:15.000001",
            true,
            "g",
            "MITx",
            "on",
            "admin",
        )],
    );
    env
}

fn override_rows(env: &Env) -> i64 {
    env.one(
        "SELECT (SELECT count(*) FROM waffle_utils_waffleflagcourseoverridemodel)
              + (SELECT count(*) FROM waffle_utils_waffleflagorgoverridemodel)",
    )
}

/// Exports in `format`, then checks that `diff` and `import` of that file find nothing to do.
#[track_caller]
fn assert_round_trip(env: &Env, format: &str) {
    let file = format!("export.{format}.json");
    env.ok(&["export", "--format", format, "-o", &file]);
    let diff = env.run_ok(&["diff", "--format", format, &file]);
    assert_eq!(diff.stdout, "", "{format}: diff lists changes");
    assert_contains(&diff.stderr, "no changes");
    let plan = env.json(&["diff", "--format", format, &file]);
    for part in ["added", "changed", "removed"] {
        assert_eq!(plan[part], serde_json::json!([]), "{format}: {part}");
    }
    let (rows, audit) = (override_rows(env), env.audit_count());
    let before = env.ok("export");
    let r = env.run_ok(&["import", "--format", format, &file]);
    assert!(r.stderr.starts_with("unchanged"), "{format}: {}", r.stderr);
    assert_eq!(override_rows(env), rows, "{format}: override rows added");
    assert_eq!(env.audit_count(), audit, "{format}: audit rows added");
    assert_eq!(env.ok("export"), before, "{format}: the store changed");
}

#[test]
fn a_django_fixture_of_microsecond_overrides_reads_back_as_no_change() {
    let env = store_with_override_history();
    // The fixture holds milliseconds, as Django writes them.
    env.ok("export --format django -o d.json");
    let text = std::fs::read_to_string(env.path("d.json")).unwrap();
    assert_contains(&text, "\"change_date\": \"2026-01-02T03:04:05.123Z\"");
    assert_round_trip(&env, "django");
}

#[test]
fn native_and_baseplate_exports_read_back_as_no_change() {
    let env = store_with_override_history();
    env.ok("experiment create bp_exp --type r2 --id 900 --variant treat=10 --variant control=10");
    assert_round_trip(&env, "native");
    assert_round_trip(&env, "baseplate");
}

#[test]
fn a_fixture_counts_by_each_overrides_current_row() {
    // An override counts by its current row: history the fixture edits (a note of an old
    // row, a row a millisecond later than another old one) is no change; a row that makes
    // another value current appends one row, dated now, and keeps the store's history.
    let env = store_with_override_history();
    env.ok("export --format django -o d.json");
    let text = std::fs::read_to_string(env.path("d.json")).unwrap();
    let mut doc: Vec<Value> = serde_json::from_str(&text).unwrap();
    let first = doc
        .iter_mut()
        .find(|o| o["fields"]["change_date"] == "2026-01-02T03:04:05.123Z")
        .expect("the first override row");
    first["fields"]["note"] = "edited".into();
    let mut later = first.clone();
    later["fields"]["change_date"] = "2026-01-02T03:04:05.124Z".into();
    later.as_object_mut().unwrap().remove("pk");
    doc.push(later.clone());
    env.write("d.json", &serde_json::to_string(&doc).unwrap());
    let diff = env.run_ok("diff --format django d.json");
    assert_eq!(diff.stdout, "", "history is no change");
    // Newer than the store's current row (2026-01-03, on): off becomes current.
    later["fields"]["change_date"] = "2026-01-04T00:00:00.000Z".into();
    later["fields"]["override_choice"] = "off".into();
    doc.push(later);
    env.write("d.json", &serde_json::to_string(&doc).unwrap());
    let plan = env.json("diff --format django d.json");
    assert_eq!(plan["added"], serde_json::json!([]), "{plan}");
    assert_eq!(plan["changed"].as_array().unwrap().len(), 1, "{plan}");
    let changed = &plan["changed"][0];
    assert_eq!(changed["name"], "f@course-v1:a+b+c");
    assert_eq!(changed["before"]["choice"], "on");
    assert_eq!(changed["after"]["choice"], "off");
    // Appended now, not at the file's date; the store's current row is dated after the
    // command's clock (2026-01-02 03:04:05), so a microsecond after it, to become current.
    assert_eq!(
        changed["after"]["change_date"],
        "2026-01-03T00:00:00.000501Z"
    );
    let rows = override_rows(&env);
    env.ok("import --format django d.json");
    assert_eq!(override_rows(&env), rows + 1);
}

/// The config of `key` as `export --format baseplate` writes it.
fn exported_config(env: &Env, key: &str) -> serde_json::Map<String, Value> {
    env.ok("export --format baseplate -o out.json");
    let text = std::fs::read_to_string(env.path("out.json")).unwrap();
    let doc: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    doc[key].as_object().unwrap().clone()
}

#[test]
fn experiment_set_changes_only_the_fields_it_names() {
    let env = Env::new();
    // As authored elsewhere: a version that does not follow experiment_version, fields in an
    // order of their own, a float written with a fraction, a field wafflectl does not know.
    let file = r##"{
  "checkout": {
    "version": "7",
    "id": 31,
    "name": "checkout",
    "type": "single_variant",
    "owner": "growth",
    "start_ts": 1767225600.5,
    "stop_ts": 4102444800,
    "enabled": true,
    "team": {"slack": "#growth"},
    "experiment": {
      "variants": [{"name": "a", "size": 0.25}, {"name": "b", "size": 0.25}],
      "experiment_version": 3,
      "shuffle_version": 0,
      "bucket_val": "user_id"
    }
  },
  "legacy": {
    "id": 32,
    "name": "legacy",
    "owner": "core",
    "type": "r2",
    "version": "5",
    "start_ts": 0,
    "stop_ts": 4102444800,
    "enabled": true,
    "experiment": {"variants": {"treat": 10, "control": 10}, "seed": "s1"}
  }
}
"##;
    env.write("experiments.json", file);
    env.ok("import --format baseplate experiments.json");
    for key in ["checkout", "legacy"] {
        let before = exported_config(&env, key);
        env.ok(&["experiment", "set", key, "--owner", "someone-else"]);
        let after = exported_config(&env, key);
        assert_eq!(after["owner"], "someone-else", "{key}");
        let keys: Vec<&String> = after.keys().collect();
        assert_eq!(
            keys,
            before.keys().collect::<Vec<_>>(),
            "{key}: field order"
        );
        for (field, value) in &before {
            if field != "owner" {
                assert_eq!(
                    serde_json::to_string(&after[field]).unwrap(),
                    serde_json::to_string(value).unwrap(),
                    "{key}: {field} changed"
                );
            }
        }
    }
    let original: serde_json::Map<String, Value> = serde_json::from_str(file).unwrap();
    assert_eq!(
        exported_config(&env, "checkout")["version"],
        original["checkout"]["version"]
    );
    // Naming experiment_version still moves the version that follows it.
    env.ok("experiment set checkout --experiment-version 4");
    assert_eq!(exported_config(&env, "checkout")["version"], "4");
}
