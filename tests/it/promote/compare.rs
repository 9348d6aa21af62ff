//! `compare A B`: every difference per object, filters, `--exit-code`, bookkeeping is equal.

use std::collections::BTreeSet;

use crate::common;

use super::{db, promoted, staging};
use common::{Env, assert_contains, assert_lacks};

fn kinds(v: &serde_json::Value) -> BTreeSet<String> {
    v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_kind_of_object_appears() {
    let a = staging();
    let b = Env::new();
    let r = b.run_ok(&["compare", &db(&a), &db(&b)]);
    for line in [
        "< flag new_checkout\n",
        "< flag ns.exp.1\n",
        "< switch maintenance\n",
        "< sample ab\n",
        "< experiment ns.exp\n",
        "< key-value 17:enrollment_start\n",
        "< course override new_checkout@course-v1:a+b+c\n",
        "< org override new_checkout@edX\n",
        "< experiment bp_exp\n",
    ] {
        assert_contains(&r.stdout, line);
    }
    // Users and groups are compared only as the flags name them.
    assert_lacks(&r.stdout, "user alice");
    // One line per override, not per row of its history.
    assert_eq!(
        r.stdout.matches("course override").count(),
        1,
        "{}",
        r.stdout
    );
    let j = b.json(&["compare", &db(&a), &db(&b)]);
    assert_eq!(j["equal"], false);
    let want: BTreeSet<String> = [
        "flag",
        "switch",
        "sample",
        "experiment",
        "key-value",
        "course override",
        "org override",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(kinds(&j), want);
    let first = &j["differences"][0];
    assert_eq!(first["status"], "only_in_a");
    assert_eq!(first["b"], serde_json::Value::Null);
    // The other way round, everything is only in B.
    let r = b.run_ok(&["compare", &db(&b), &db(&a)]);
    assert_contains(&r.stdout, "> flag new_checkout\n");
    assert_lacks(&r.stdout, "< ");
}

#[test]
fn changed_fields_users_and_groups_by_name() {
    let a = staging();
    let b = promoted(&a);
    b.ok("flag set new_checkout --everyone off --remove-user bob --remove-group beta");
    b.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-03T00:00:00Z",
        "override set new_checkout --org edX on",
    );
    b.ok("experiment whitelist remove ns.exp 1 --user alice");
    b.ok("experiment kv set 17 enrollment_start 2026-02-01T00:00:00");
    b.ok("flag create only_b");
    let r = b.run_ok(&["compare", &db(&a), &db(&b)]);
    assert_contains(&r.stdout, "~ flag new_checkout: ");
    assert_contains(
        &r.stdout,
        "~ flag new_checkout: everyone: false → true, groups: [] → beta, users: alice → alice,bob\n",
    );
    assert_contains(&r.stdout, "~ flag ns.exp.1: users: [] → alice\n");
    assert_contains(
        &r.stdout,
        "~ org override new_checkout@edX: choice: on → off",
    );
    assert_contains(&r.stdout, "~ key-value 17:enrollment_start: value:");
    assert_contains(&r.stdout, "> flag only_b\n");
    assert_contains(&r.stderr, "5 differences: 0 only in");
    let j = b.json(&["compare", &db(&a), &db(&b)]);
    let checkout = j["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "new_checkout" && d["kind"] == "flag")
        .unwrap()
        .clone();
    assert_eq!(checkout["status"], "differs");
    assert_eq!(checkout["a"]["everyone"], true);
    assert_eq!(checkout["b"]["everyone"], false);
    assert_eq!(checkout["a"]["users"], serde_json::json!(["alice", "bob"]));
}

#[test]
fn kind_and_glob_filters() {
    let a = staging();
    let b = Env::new();
    let cmp = |extra: &[&str]| {
        let mut args = vec!["compare".to_string(), db(&a), db(&b)];
        args.extend(extra.iter().map(|s| s.to_string()));
        b.ok(&args)
    };
    assert_eq!(cmp(&["--kind", "switch"]), "< switch maintenance\n");
    assert_eq!(
        cmp(&["--kind", "switch", "--kind", "sample"]),
        "< switch maintenance\n< sample ab\n"
    );
    let new = cmp(&["new_*"]);
    assert_eq!(
        new,
        "< flag new_checkout\n< flag new_search\n\
         < course override new_checkout@course-v1:a+b+c\n< org override new_checkout@edX\n"
    );
    assert_eq!(
        cmp(&["new_*", "--kind", "override"]),
        "< course override new_checkout@course-v1:a+b+c\n< org override new_checkout@edX\n"
    );
    assert_eq!(cmp(&["new_?earch"]), "< flag new_search\n");
    // An experiment with its bucket sub-flags and key-values; not the flags.
    let exp = cmp(&["--kind", "experiment"]);
    assert_contains(&exp, "< flag ns.exp.1\n");
    assert_contains(&exp, "< key-value 17:enrollment_start\n");
    assert_contains(&exp, "< experiment ns.exp\n");
    assert_lacks(&exp, "new_checkout");
    assert_lacks(&exp, "bp_exp");
    assert_eq!(cmp(&["--kind", "baseplate"]), "< experiment bp_exp\n");
    assert_eq!(cmp(&["nothing*"]), "");
    b.fails(&["compare", &db(&a), &db(&b), "--kind", "user"], 2);
}

#[test]
fn exit_code_says_whether_they_differ() {
    let a = staging();
    let b = Env::new();
    let r = b.run(&["compare", &db(&a), &db(&b), "--exit-code"]);
    assert_eq!(r.code, 1);
    assert_contains(&r.stderr, "error: ");
    assert_contains(&r.stderr, "differ: 12 differences (--exit-code)");
    // Equal in what the filter selects.
    b.ok(&["compare", &db(&a), &db(&b), "--exit-code", "nothing*"]);
    b.ok(&[
        "promote",
        "*",
        "--from",
        &db(&a),
        "--to",
        &db(&b),
        "--create-users",
    ]);
    let r = b.run_ok(&["compare", &db(&a), &db(&b), "--exit-code"]);
    assert_eq!(r.stdout, "");
    assert_contains(&r.stderr, "are equal");
    assert_eq!(b.json(&["compare", &db(&a), &db(&b)])["equal"], true);
}

#[test]
fn bookkeeping_and_history_are_equal() {
    let a = staging();
    let b = promoted(&a);
    // Other ids, other times, and an override history that ends the same.
    b.exec(
        "UPDATE waffle_flag SET created = '2020-01-01 00:00:00', modified = '2020-01-02 00:00:00';
         UPDATE waffle_switch SET id = id + 100, created = '2020-01-01 00:00:00';
         UPDATE wafflectl_experiment SET modified = '2020-01-01 00:00:00';
         UPDATE experiments_experimentkeyvalue SET id = id + 50, modified = '2020-01-01 00:00:00';
         INSERT INTO waffle_utils_waffleflagorgoverridemodel
           (change_date, enabled, waffle_flag, org, override_choice, note, changed_by_id)
           VALUES ('2019-01-01 00:00:00', 1, 'new_checkout', 'edX', 'on', '', NULL);",
    );
    b.ok(&["compare", &db(&a), &db(&b), "--exit-code"]);
}

#[test]
fn three_stores_and_a_file() {
    let a = staging();
    let b = promoted(&a);
    let c = promoted(&b);
    for (x, y) in [(&a, &b), (&b, &c), (&a, &c), (&c, &a)] {
        c.ok(&["compare", &db(x), &db(y), "--exit-code"]);
    }
    c.ok("switch off maintenance");
    let r = c.run(&["compare", &db(&a), &db(&c), "--exit-code"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "~ switch maintenance: active: false → true\n");
    // An export compares as its store does.
    a.ok("export -o staging.json");
    let file = a.path("staging.json").to_string_lossy().into_owned();
    c.ok(&["compare", &file, &db(&b), "--exit-code"]);
    assert_eq!(
        c.ok(&["compare", &file, &db(&c)]),
        "~ switch maintenance: active: false → true\n"
    );
}

#[test]
fn a_missing_side_is_a_clear_error() {
    let a = Env::new();
    let err = a.fails(&["compare", &db(&a), "nowhere.db"], 1);
    assert_contains(&err, "nowhere.db");
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1);
}
