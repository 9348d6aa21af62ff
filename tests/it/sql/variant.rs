//! `sql variant`: the SQL that gives `variant --users-file`'s answer for a baseplate experiment
//! inside a warehouse. The SQL itself is run against DuckDB, PostgreSQL and MariaDB, row for row
//! against `variant --users-file`, by conformance/warehouse; here the command's contract: what is
//! hashed and how, the window at --now, columns, the JSON shape, and refusals that name what
//! cannot be rendered and leave the store alone.

use crate::common;

use common::{Env, assert_contains};

/// A store holding the baseplate experiments of `experiments.json` text `json`.
fn store(json: &str) -> Env {
    let env = Env::new();
    let path = env.write("experiments.json", json);
    env.ok(&["import", path.to_str().unwrap()]);
    env
}

const MV: &str = r#"{"mv": {"id": 42, "name": "mv_exp", "owner": "o", "type": "multi_variant",
  "version": "1", "start_ts": 0, "stop_ts": 4102444800,
  "experiment": {"variants": [{"name": "a", "size": 0.2}, {"name": "b", "size": 0.2},
    {"name": "c'é", "size": 0.2}], "experiment_version": 5, "shuffle_version": 3,
    "targeting": {"ALL": [{"EQ": {"field": "Country", "values": ["DE", null, 5]}},
                          {"NE": {"field": "logged_in", "value": "no"}}]},
    "overrides": [{"forced": {"EQ": {"field": "user_id", "value": "t2_3"}}}]}}}"#;

#[test]
fn the_hash_is_the_160_bit_modulo_by_chunks_behind_overrides_and_targeting() {
    let env = store(MV);
    let sql = env.json("sql variant mv --dialect duckdb --column country=u.country");
    let e = sql["expression"].as_str().unwrap();
    let lines: Vec<&str> = e.lines().map(str::trim).collect();
    // No bucketing value: no variant; then the override, then targeting, then the variant set.
    assert_eq!(
        lines[1],
        "WHEN \"user_id\" IS NULL THEN CAST(NULL AS VARCHAR)"
    );
    assert_eq!(
        lines[2],
        "WHEN (\"user_id\" IS NOT NULL AND CAST(\"user_id\" AS VARCHAR) IN ('t2_3')) THEN 'forced'"
    );
    // Country from its column (DE or NULL; 5 is never a text); logged_in has no column, so it
    // is missing in every row, which differs from "no".
    assert_eq!(
        lines[3],
        "WHEN NOT ((\"u\".\"country\" IS NULL OR CAST(\"u\".\"country\" AS VARCHAR) IN ('DE')) AND TRUE) THEN CAST(NULL AS VARCHAR)"
    );
    // sha1(seed ++ value) computed once per row, five 32-bit chunks by Horner's rule mod 1000,
    // then the variant set's ranges over the bucket.
    assert_contains(
        e,
        "FROM (SELECT sha1(('42.mv_exp.3' || CAST(\"user_id\" AS VARCHAR))) AS wafflectl_sha1) AS wafflectl_sha1_row",
    );
    for start in [1, 9, 17, 25, 33] {
        assert_contains(e, format!("substr(wafflectl_sha1, {start}, 8)").as_str());
    }
    assert_contains(e, "% 1000) * 4294967296 + ");
    assert_contains(
        e,
        "ELSE (SELECT CASE WHEN wafflectl_bucket < 200 THEN 'a' WHEN wafflectl_bucket < 400 THEN 'b' WHEN wafflectl_bucket < 600 THEN 'c''é' ELSE CAST(NULL AS VARCHAR) END FROM",
    );
    assert_eq!(sql["dialect"], "duckdb");
    assert_eq!(sql["setup"], serde_json::json!([]));
    assert_eq!(sql["columns"], serde_json::json!(["user_id", "u.country"]));
}

#[test]
fn many_buckets_take_smaller_chunks_and_postgres_needs_pgcrypto() {
    let env = store(
        r#"{"fr": {"id": 7, "name": "fr", "type": "feature_rollout", "start_ts": 0,
        "stop_ts": 4102444800, "experiment": {"variants": [{"name": "on", "size": 0.5}],
        "experiment_version": 1, "bucket_seed": "s", "bucket_val": "device_id",
        "num_buckets": 100000000000}}}"#,
    );
    let sql = env.json("sql variant fr --dialect postgres --column device_id=d.id");
    let e = sql["expression"].as_str().unwrap();
    // 10^11 buckets: 16-bit chunks (r * 65536 + chunk stays below 2^63), ten of them.
    let hash =
        "encode(digest(convert_to((E's' || CAST(\"d\".\"id\" AS text)), 'UTF8'), 'sha1'), 'hex')";
    assert_contains(e, format!("substr({hash}, 37, 4)").as_str());
    assert_contains(e, "% 100000000000) * 65536 + ");
    // The bucket once: width_bucket over the segments' ends picks from the array of variants.
    assert_contains(e, "ELSE (ARRAY[E'on', CAST(NULL AS text)])[width_bucket(");
    assert_contains(e, "CAST(ARRAY[50000000000] AS bigint[])) + 1]");
    assert_eq!(
        sql["setup"],
        serde_json::json!(["CREATE EXTENSION IF NOT EXISTS pgcrypto;"])
    );
    // MariaDB: SHA1 of the bytes, the variant as utf8mb4 text.
    let maria = env.ok("sql variant fr --dialect mariadb --column device_id=id");
    assert_contains(
        &maria,
        "substr(SHA1(CONCAT(X'73', CONVERT(`id` USING utf8mb4))), 37, 4)",
    );
    // No derived table may read the row's columns: the bucket once, through INTERVAL and ELT.
    assert_contains(&maria, "ELSE ELT(INTERVAL(");
    assert_contains(
        &maria,
        ", 50000000000) + 1, CONVERT(X'6f6e' USING utf8mb4), NULL)",
    );
}

#[test]
fn the_window_is_decided_at_now() {
    let env = store(
        r#"{"w": {"id": 1, "name": "w", "type": "feature_rollout", "start_ts": 1700000000,
        "stop_ts": 1800000000, "experiment": {"variants": [{"name": "on", "size": 1.0}],
        "experiment_version": 1}},
        "g": {"id": 2, "name": "g", "type": "single_variant", "start_ts": 0, "stop_ts": 1,
        "enabled": false, "global_override": "gvar", "experiment": {}}}"#,
    );
    // Inside: the hash decides; at stop_ts a simple experiment is over; before start too.
    assert_contains(
        &env.ok("sql variant w --dialect duckdb --now 1750000000"),
        "ELSE (SELECT 'on' FROM",
    );
    for now in ["1800000000", "1600000000"] {
        assert_eq!(
            env.ok(&["sql", "variant", "w", "--dialect", "duckdb", "--now", now])
                .trim(),
            "CAST(NULL AS VARCHAR)",
            "--now {now}"
        );
    }
    // A global override answers everyone, even disabled.
    assert_eq!(env.ok("sql variant g --dialect postgres").trim(), "E'gvar'");
}

#[test]
fn what_sql_cannot_decide_exactly_is_refused_by_name() {
    let env = store(
        r#"{"cmp": {"id": 1, "name": "cmp", "type": "feature_rollout", "start_ts": 0,
        "stop_ts": 4102444800, "experiment": {"variants": [{"name": "on", "size": 0.5}],
        "experiment_version": 1, "targeting": {"GE": {"field": "build", "value": 100}}}},
        "r2": {"id": 2, "name": "r2", "type": "r2", "start_ts": 0, "stop_ts": 4102444800,
        "experiment": {"variants": {"a": 10}, "targeting": {"logged_in": [true]}}}}"#,
    );
    env.refuses(
        "sql variant cmp --dialect duckdb",
        1,
        "error: baseplate experiment 'cmp': targeting operator GE on \"build\" is not rendered as SQL",
    );
    env.refuses(
        "sql variant r2 --dialect mysql",
        1,
        "type r2 (legacy) is not rendered as SQL",
    );
}

#[test]
fn bad_input_exits_with_the_documented_codes() {
    let env = store(MV);
    env.refuses(
        "sql variant nope --dialect duckdb",
        1,
        "baseplate experiment 'nope' not found",
    );
    env.refuses(
        "sql variant mv --dialect oracle",
        2,
        "invalid value 'oracle'",
    );
    env.refuses(
        "sql variant mv --dialect duckdb --column country",
        2,
        "--column 'country' is not FIELD=COL",
    );
    env.refuses(
        "sql variant mv --dialect duckdb --column Country=c",
        2,
        "baseplate reads input names in lower case",
    );
    env.refuses(
        "sql variant mv --dialect duckdb --column user=c",
        2,
        "user is an argument of variant() itself",
    );
    env.refuses(
        "sql variant mv --dialect duckdb --column a=x --column a=y",
        2,
        "--column gives input 'a' twice",
    );
    env.refuses(
        "sql variant mv --dialect duckdb --column user_id=t.",
        2,
        "column name \"t.\" is empty or has an empty part",
    );
}

#[test]
fn an_invalid_config_gives_no_variant_with_a_warning() {
    let env = store(
        r#"{"bad": {"id": 1, "name": "bad", "type": "multi_variant", "start_ts": 0,
        "stop_ts": 4102444800, "experiment": {"variants": [{"name": "a", "size": 0.5}],
        "experiment_version": 1}}}"#,
    );
    let r = env.run_ok("sql variant bad --dialect duckdb");
    assert_eq!(r.stdout.trim(), "CAST(NULL AS VARCHAR)");
    assert_contains(&r.stderr, "baseplate treats 'bad' as invalid");
}
