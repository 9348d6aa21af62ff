//! Course and org overrides count by their current value for each (flag, course/org): the row
//! edX reads. A file whose current value differs from the store's appends one row dated now
//! (the history stays); one whose current value agrees changes nothing, whatever its history.

use crate::common;

use common::{Env, assert_contains};

const COURSE: &str = "course-v1:a+b+c";

fn course_rows(env: &Env) -> Vec<(String, String, i64)> {
    let sql = env.sql();
    let mut st = sql
        .prepare(
            "SELECT change_date, override_choice, enabled FROM waffle_utils_waffleflagcourseoverridemodel
             ORDER BY change_date, id",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// An export says `on`; a newer row in the store says `off`. Importing the export makes `on`
/// current again by appending a row; diff says so first.
#[test]
fn a_newer_row_in_the_store_does_not_survive_an_import_that_says_otherwise() {
    let env = Env::with(&["flag create f"]);
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-01T00:00:00Z",
        &format!("override set f --course {COURSE} on"),
    );
    env.ok("export -o before.json");
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-01T12:00:00Z",
        &format!("override set f --course {COURSE} off"),
    );
    let diff = env.run_ok("diff before.json");
    assert_contains(
        &diff.stdout,
        format!("~ course override f@{COURSE}: choice: off → on"),
    );
    let plan = env.json("diff before.json");
    assert_eq!(plan["changed"].as_array().unwrap().len(), 1, "{plan}");
    let r = env.run_ok("import before.json");
    assert_contains(&r.stderr, "1 changed");
    // History kept: the two old rows, and the new current one dated now.
    assert_eq!(
        course_rows(&env),
        [
            ("2026-01-01 00:00:00".to_string(), "on".to_string(), 1),
            ("2026-01-01 12:00:00".to_string(), "off".to_string(), 1),
            ("2026-01-02 03:04:05".to_string(), "on".to_string(), 1),
        ]
    );
    assert_eq!(env.json("override list f")[0]["choice"], "on");
    // Now they agree: nothing more to do.
    let again = env.run_ok("import before.json");
    assert!(again.stderr.starts_with("unchanged"), "{}", again.stderr);
    assert_eq!(course_rows(&env).len(), 3);
}

/// A file whose history differs from the store's but whose current value agrees changes nothing.
#[test]
fn history_that_ends_the_same_is_no_change() {
    let env = Env::with(&["flag create f"]);
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-01T00:00:00Z",
        &format!("override set f --course {COURSE} off"),
    );
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-01T06:00:00Z",
        &format!("override set f --course {COURSE} on"),
    );
    let doc = format!(
        r#"{{"version": 1, "overrides": [
            {{"flag": "f", "course": "{COURSE}", "choice": "on", "change_date": "2025-06-01T00:00:00Z"}}]}}"#
    );
    env.write("o.json", &doc);
    let diff = env.run_ok("diff o.json");
    assert_eq!(diff.stdout, "");
    assert_contains(&diff.stderr, "no changes");
    let audit = env.audit_count();
    env.ok("import o.json");
    assert_eq!(course_rows(&env).len(), 2);
    assert_eq!(env.audit_count(), audit);
}

/// `--prune` deletes every row of a key the file does not have, and keeps the history of the
/// keys it has.
#[test]
fn prune_removes_the_rows_of_keys_the_file_lacks() {
    let env = Env::with(&["flag create f"]);
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-01T00:00:00Z",
        &format!("override set f --course {COURSE} off"),
    );
    env.ok(&format!("override set f --course {COURSE} on"));
    env.ok("override set f --org edX on");
    env.ok("override set f --org edX off");
    let doc = format!(
        r#"{{"version": 1, "overrides": [{{"flag": "f", "course": "{COURSE}", "choice": "on"}}]}}"#
    );
    env.write("o.json", &doc);
    let r = env.run_ok("import o.json --prune --yes");
    assert_contains(&r.stderr, "2 removed");
    assert_eq!(course_rows(&env).len(), 2, "the kept key's history stays");
    let orgs: i64 = env.one("SELECT count(*) FROM waffle_utils_waffleflagorgoverridemodel");
    assert_eq!(orgs, 0);
}
