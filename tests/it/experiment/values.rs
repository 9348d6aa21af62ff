//! `wafflectl experiment kv ...` and `experiment data ...` in edX's experiments tables.

use crate::common;

use common::{Env, assert_contains, map_rows};
use serde_json::json;

/// (experiment_id, key, value, created, modified) of every key-value row.
fn kv_rows(env: &Env) -> Vec<(i64, String, String, String, String)> {
    env.all("SELECT experiment_id, key, value, created, modified FROM experiments_experimentkeyvalue ORDER BY id")
}

#[test]
fn kv_set_upserts_and_keeps_created() {
    let env = Env::new();
    env.ok_saying(
        "experiment kv set 17 owner 'growth team'",
        "created key-value 17:owner",
    );
    let later = env.run_with_env(
        "WAFFLECTL_NOW",
        "2026-02-03T04:05:06Z",
        "experiment kv set 17 owner 'data team'",
    );
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert_contains(&later.stderr, "value: growth team → data team");
    assert_eq!(
        kv_rows(&env),
        vec![(
            17,
            "owner".into(),
            "data team".into(),
            "2026-01-02 03:04:05".into(),
            "2026-02-03 04:05:06".into()
        )]
    );
    // Same value again: unchanged.
    let r = env.run("experiment kv set 17 owner 'data team'");
    assert_contains(&r.stderr, "unchanged");
    assert_eq!(kv_rows(&env).len(), 1);
}

#[test]
fn enrollment_dates_are_stored_normalised() {
    let env = Env::new();
    let cases = [
        ("enrollment_start", "March 5, 2020", "2020-03-05T00:00:00"),
        ("enrollment_end", "2020-06-01", "2020-06-01T00:00:00"),
    ];
    for (key, typed, stored) in cases {
        let r = env.run_ok(&["experiment", "kv", "set", "3", key, typed]);
        assert_contains(&r.stderr, format!("is stored as {stored}"));
    }
    env.ok("experiment kv set 4 enrollment_start 2020-03-05T10:30:00-05:00");
    env.ok("experiment kv set 4 enrollment_end 2020-03-05T10:30:00");
    let values: Vec<String> = kv_rows(&env).into_iter().map(|r| r.2).collect();
    assert_eq!(
        values,
        vec![
            "2020-03-05T00:00:00",
            "2020-06-01T00:00:00",
            "2020-03-05T15:30:00",
            "2020-03-05T10:30:00"
        ]
    );
    // Other keys are free text, even when they look like dates.
    env.ok("experiment kv set 4 launch 'March 5, 2020'");
    assert_eq!(env.json("experiment kv list 4")[2]["key"], "launch");
    assert_eq!(
        env.json("experiment kv list 4")[2]["value"],
        "March 5, 2020"
    );
}

#[test]
fn unparseable_dates_exit_2_and_store_nothing() {
    let env = Env::new();
    env.ok("experiment kv set 3 enrollment_start 2020-01-01");
    for bad in ["not-a-date", "2012-13-01", ""] {
        env.refuses(
            &format!("experiment kv set 3 enrollment_start '{bad}'"),
            2,
            "enrollment_start",
        );
        env.fails_unchanged(&format!("experiment kv set 9 enrollment_end '{bad}'"), 2);
    }
    assert_eq!(kv_rows(&env).len(), 1);
    assert_eq!(kv_rows(&env)[0].2, "2020-01-01T00:00:00");
}

#[test]
fn kv_bad_ids_and_keys_exit_2() {
    let env = Env::new();
    for id in ["32768", "-1", "x"] {
        env.fails_unchanged(&["experiment", "kv", "set", id, "k", "v"], 2);
        env.fails_unchanged(&["experiment", "kv", "unset", id, "k"], 2);
        env.fails(&["experiment", "kv", "list", id], 2);
    }
    env.fails_unchanged("experiment kv set 1 '' v", 2);
    let long = "k".repeat(256);
    env.fails_unchanged(&["experiment", "kv", "set", "1", &long, "v"], 2);
    env.ok("experiment kv set 32767 k v");
    env.ok("experiment kv set 0 k v");
}

#[test]
fn kv_list_and_unset() {
    let env = Env::new();
    env.assert_empty_list(
        "experiment kv list 17",
        "no key-values for experiment ID 17",
    );
    env.ok("experiment kv set 17 enrollment_start 'March 5, 2020'");
    env.ok("experiment kv set 17 enrollment_end 2020-06-01");
    env.ok("experiment kv set 17 owner 'growth team'");
    env.ok("experiment kv set 18 owner other");
    let list = env.json("experiment kv list 17");
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["key"], "enrollment_end");
    assert_eq!(list[0]["experiment_id"], 17);
    assert_eq!(list[0]["created"], "2026-01-02T03:04:05.000000Z");
    insta::assert_snapshot!("kv_list", env.ok("experiment kv list 17"));

    let r = env.run("experiment kv unset 17 owner --reason cleanup");
    assert_contains(&r.stderr, "deleted key-value 17:owner");
    assert_eq!(env.count("experiment kv list 17"), 2);
    env.refuses(
        "experiment kv unset 17 owner",
        1,
        "experiment ID 17 has no key 'owner'",
    );
    assert_eq!(env.json("history 17:owner")[0]["reason"], "cleanup");
}

#[test]
fn kv_dry_run_writes_nothing() {
    let env = Env::new();
    let out = env.ok_unchanged("experiment kv set 17 enrollment_start 2020-01-01 --dry-run");
    assert_eq!(out, "would create key-value 17:enrollment_start\n");
}

fn data_count(env: &Env) -> i64 {
    env.one("SELECT count(*) FROM experiments_experimentdata")
}

#[test]
fn data_set_upserts_per_user_id_and_key() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("user add bob");
    env.ok("experiment data set 17 alice seen_upsell true");
    env.ok("experiment data set 17 bob seen_upsell false");
    env.ok("experiment data set 18 alice seen_upsell true");
    let r = env.run("experiment data set 17 alice seen_upsell false");
    assert_contains(
        &r.stderr,
        "updated experiment data 17:alice:seen_upsell: value: true → false",
    );
    assert_eq!(data_count(&env), 3);
    let r = env.run("experiment data set 17 alice seen_upsell false");
    assert_contains(&r.stderr, "unchanged");
    let alice: (i64, String, String) = env.one("SELECT d.experiment_id, d.value, d.created FROM experiments_experimentdata d JOIN auth_user u ON u.id = d.user_id
             WHERE u.username = 'alice' AND d.experiment_id = 17");
    assert_eq!(alice, (17, "false".into(), "2026-01-02 03:04:05".into()));
}

#[test]
fn data_list_filters() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("user add bob");
    assert_eq!(env.json("experiment data list"), json!([]));
    env.ok("experiment data set 17 bob k 1");
    env.ok("experiment data set 17 alice k 2");
    env.ok("experiment data set 5 alice z 3");
    let all = env.json("experiment data list");
    let keys = map_rows(&all, |r| (r["experiment_id"].as_i64(), r["user"].as_str()));
    assert_eq!(
        keys,
        [
            (Some(5), Some("alice")),
            (Some(17), Some("alice")),
            (Some(17), Some("bob"))
        ]
    );
    assert_eq!(env.count("experiment data list 17"), 2);
    assert_eq!(env.count("experiment data list --user alice"), 2);
    let one = env.json("experiment data list 17 --user bob");
    assert_eq!(one[0]["value"], "1");
    assert_eq!(one.as_array().unwrap().len(), 1);
    insta::assert_snapshot!("data_list", env.ok("experiment data list"));
    let err = env.fails("experiment data list --user carol", 1);
    assert!(
        err.contains("user 'carol' not found") && err.contains("hint: add it first"),
        "{err}"
    );
    env.fails("experiment data list 40000", 2);
}

#[test]
fn data_errors_change_nothing() {
    let env = Env::new();
    env.ok("user add alice");
    let err = env.refuses(
        "experiment data set 17 carol k v",
        1,
        "user 'carol' not found",
    );
    let hint = format!(
        "hint: add it first: wafflectl --db {} user add carol",
        env.db.display()
    );
    assert_contains(&err, hint.as_str());
    env.fails_unchanged("experiment data set 32768 alice k v", 2);
    env.fails_unchanged("experiment data set 17 alice '' v", 2);
    env.fails_unchanged("experiment data set 17 '' k v", 2);
    env.fails_unchanged("experiment data unset 17 carol k", 1);
    env.refuses(
        "experiment data unset 17 alice k",
        1,
        "user 'alice' has no key 'k' for experiment ID 17",
    );
    assert_eq!(data_count(&env), 0);
}

#[test]
fn data_unset_and_user_delete_cascade() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("experiment data set 17 alice a 1");
    env.ok("experiment data set 17 alice b 2");
    let out = env.ok_unchanged("experiment data unset 17 alice a --dry-run");
    assert_eq!(out, "would delete experiment data 17:alice:a\n");
    env.ok("experiment data unset 17 alice a");
    assert_eq!(data_count(&env), 1);
    env.ok("user delete alice --yes");
    assert_eq!(data_count(&env), 0);
}
