//! `wafflectl experiment ids` and `experiment next-id`.

use crate::common;

use std::collections::BTreeSet;

use common::{Env, assert_contains};
use serde_json::json;

#[test]
fn ids_lists_every_source_with_counts() {
    let env = Env::new();
    env.assert_empty_list("experiment ids", "no experiment IDs in use");
    env.ok("user add alice");
    env.ok("user add bob");
    env.ok("experiment create course_experience.upsell --id 17");
    env.ok("experiment create discounts.holdback"); // no ID: not listed
    env.ok("experiment kv set 17 enrollment_start 2020-01-01");
    env.ok("experiment kv set 17 enrollment_end 2020-06-01");
    // An ID taken only by key-values (no definition claims it).
    env.ok("experiment kv set 3 owner optimizely");
    // An ID taken only by per-user data.
    env.ok("experiment data set 250 alice seen 1");
    env.ok("experiment data set 250 bob seen 1");
    env.ok("experiment data set 17 bob seen 1");
    let ids = env.json("experiment ids");
    assert_eq!(
        ids,
        json!([
            {"id": 3, "experiments": [], "baseplate": [], "key_values": 1, "data_rows": 0},
            {"id": 17, "experiments": ["course_experience.upsell"], "baseplate": [], "key_values": 2, "data_rows": 1},
            {"id": 250, "experiments": [], "baseplate": [], "key_values": 0, "data_rows": 2},
        ])
    );
    assert!(ids[0]["id"].is_i64());
    insta::assert_snapshot!("ids", env.ok("experiment ids"));
    assert_eq!(
        env.ok("experiment ids --format plain").lines().next(),
        Some("3\t-\t1\t0")
    );
}

#[test]
fn next_id_finds_the_smallest_gap() {
    let env = Env::new();
    assert_eq!(env.ok("experiment next-id"), "0\n");
    assert_eq!(env.json("experiment next-id"), json!({"id": 0}));
    env.ok("user add alice");
    env.ok("experiment create a.zero --id 0");
    env.ok("experiment kv set 1 k v");
    env.ok("experiment data set 2 alice k v");
    env.ok("experiment create a.four --id 4");
    assert_eq!(env.ok("experiment next-id"), "3\n");
    assert_eq!(env.ok("experiment next-id --format plain"), "3\n");
    env.ok("experiment kv set 3 k v");
    assert_eq!(env.json("experiment next-id"), json!({"id": 5}));
    // Freeing an ID makes it the next one again.
    env.ok("experiment data unset 2 alice k");
    assert_eq!(env.json("experiment next-id"), json!({"id": 2}));
    // And create accepts what next-id hands out.
    let id = env.ok("experiment next-id");
    env.ok(&["experiment", "create", "a.next", "--id", id.trim()]);
}

#[test]
fn next_id_when_every_id_is_taken() {
    let env = Env::new();
    let conn = env.sql();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 32767)
         INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
         SELECT '2026-01-01 00:00:00', '2026-01-01 00:00:00', i, 'k', 'v' FROM n;",
    )
    .unwrap();
    drop(conn);
    let err = env.fails("experiment next-id", 1);
    assert_contains(&err, "every experiment ID (0–32767) is in use");
    env.ok("experiment kv unset 32767 k");
    assert_eq!(env.ok("experiment next-id"), "32767\n");
}

/// The query of the edX docs, run on a store filled through the CLI, gives the IDs that
/// `experiment ids` reports for per-user data and key-values.
#[test]
fn the_edx_docs_query_agrees_with_ids() {
    let env = Env::new();
    for u in ["alice", "bob", "carol"] {
        env.ok(&["user", "add", u]);
    }
    env.ok("experiment create a.defined_only --id 900");
    env.ok("experiment create a.with_kv --id 12");
    for (id, key) in [
        ("12", "enrollment_start"),
        ("12", "owner"),
        ("40", "x"),
        ("7", "y"),
    ] {
        env.ok(&["experiment", "kv", "set", id, key, "2020-01-01"]);
    }
    for (id, user) in [
        ("40", "alice"),
        ("40", "bob"),
        ("3", "carol"),
        ("32767", "alice"),
        ("0", "bob"),
    ] {
        env.ok(&["experiment", "data", "set", id, user, "k", "v"]);
    }
    let docs: Vec<i64> = env.all(
        "select distinct experiment_id from experiments_experimentdata union select distinct experiment_id from experiments_experimentkeyvalue order by experiment_id;",
    );
    let ids = env.json("experiment ids");
    let from_cli: Vec<i64> = ids
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["key_values"].as_i64().unwrap() > 0 || u["data_rows"].as_i64().unwrap() > 0)
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(docs, vec![0, 3, 7, 12, 40, 32767]);
    assert_eq!(from_cli, docs);
    // The definition-only ID is reported too, on top of what the docs' query finds.
    let all: BTreeSet<i64> = ids
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert!(all.contains(&900));
    assert_eq!(all.len(), docs.len() + 1);
}

#[test]
fn ids_are_answered_from_the_experiment_id_indexes() {
    let env = Env::new();
    let conn = env.sql();
    for table in [
        "experiments_experimentdata",
        "experiments_experimentkeyvalue",
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT experiment_id, count(*) FROM {table} GROUP BY experiment_id"
            ))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join(" | ");
        assert!(plan.contains("COVERING INDEX"), "{table}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{table}: {plan}");
    }
}
