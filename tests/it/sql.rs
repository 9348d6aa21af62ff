//! `sql bucket`: the SQL that gives `bucket --users-file`'s answer inside a warehouse. The SQL
//! itself is run against DuckDB, PostgreSQL and MariaDB by conformance/warehouse; here the
//! command's contract: who is listed with which bucket, what is hashed, quoting, the JSON shape,
//! and refusals that leave the store alone.

use crate::common;

use common::{DEMO_COURSE as DEMO, Env, assert_contains};

/// The experiment `init --example` defines.
const FLAG: &str = "example_namespace.example_flag";

/// The `WHEN … IN (…) THEN b` arms of a DuckDB expression: (usernames, bucket).
fn arms(expression: &str) -> Vec<(Vec<String>, u32)> {
    expression
        .lines()
        .filter_map(|l| l.trim().strip_prefix("WHEN "))
        .map(|l| {
            let (cond, then) = l.rsplit_once(" THEN ").unwrap();
            let list = cond
                .split_once(" IN (")
                .unwrap()
                .1
                .strip_suffix(')')
                .unwrap();
            let names = list
                .split(", ")
                .map(|q| q.trim_matches('\'').replace("''", "'"))
                .collect();
            (names, then.parse().unwrap())
        })
        .collect()
}

#[test]
fn listed_users_get_the_bucket_bucket_gives_them() {
    let env = Env::example();
    env.ok("user add fixed_qa");
    env.ok(&format!(
        "experiment whitelist add {FLAG} 2 --user fixed_qa"
    ));
    let sql = env.json(&format!(
        "sql bucket {FLAG} --dialect duckdb --course {DEMO}"
    ));
    let expression = sql["expression"].as_str().unwrap();
    let arms = arms(expression);
    assert!(!arms.is_empty(), "{expression}");
    let mut seen = 0;
    for (names, bucket) in &arms {
        for name in names {
            let one = env.json(&format!("bucket {FLAG} --user {name} --course {DEMO}"));
            assert_eq!(one["bucket"], *bucket, "{name} in {expression}");
            seen += 1;
        }
    }
    assert!(seen >= 2, "{expression}");
    assert!(
        arms.iter()
            .any(|(n, b)| *b == 2 && n.contains(&"fixed_qa".into()))
    );
    // Everyone else is hashed with the course-aware group name.
    assert_contains(
        expression,
        format!("ELSE CAST(CAST(translate(md5(('{FLAG}.{DEMO}' || CAST(\"username\" AS VARCHAR)))")
            .as_str(),
    );
    assert_contains(expression, "% 3\nEND");
    assert_eq!(sql["dialect"], "duckdb");
    assert_eq!(sql["setup"], serde_json::json!([]));
    assert_eq!(sql["columns"], serde_json::json!(["username"]));
}

#[test]
fn a_main_flag_off_for_everyone_is_bucket_0() {
    let env = Env::new();
    env.ok("experiment create exp.off --buckets 4");
    env.ok("flag set exp.off --everyone off");
    let out = env.ok("sql bucket exp.off --dialect postgres");
    assert_eq!(out.trim(), "0");
    // Turned on, the same command hashes (PostgreSQL: the UTF-8 bytes, bit strings).
    env.ok("flag set exp.off --everyone on");
    let out = env.ok("sql bucket exp.off --dialect postgres --user-column t.user");
    assert_contains(
        &out,
        "md5(convert_to((E'exp.off' || CAST(\"t\".\"user\" AS text)), 'UTF8'))",
    );
    assert_contains(&out, "AS bit(32)) AS bigint) % 4");
}

#[test]
fn names_round_trip_through_each_dialects_quoting() {
    let env = Env::new();
    let name = "exp.o'b\\é";
    env.ok(&["experiment", "create", name, "--buckets", "2"]);
    env.ok(&["flag", "set", name, "--everyone", "on"]);
    let duck = env.ok(&["sql", "bucket", name, "--dialect", "duckdb"]);
    assert_contains(&duck, "'exp.o''b\\é'");
    let pg = env.ok(&["sql", "bucket", name, "--dialect", "postgres"]);
    assert_contains(&pg, "E'exp.o''b\\\\é'");
    // MariaDB reads backslashes in quotes by sql_mode: the bytes in hex instead.
    let maria = env.ok(&["sql", "bucket", name, "--dialect", "mariadb"]);
    assert_contains(&maria, "X'6578702e6f27625cc3a9'");
    assert_contains(
        &maria,
        "MD5(CONCAT(X'6578702e6f27625cc3a9', CONVERT(`username` USING utf8mb4)))",
    );
}

#[test]
fn a_course_column_is_refused_when_the_course_decides_more_than_the_hash() {
    let env = Env::new();
    env.ok("experiment create exp.c --buckets 3 --course-aware");
    env.ok("flag set exp.c --everyone on");
    let out = env.ok("sql bucket exp.c --dialect duckdb --course-column c.course_id");
    assert_contains(
        &out,
        "CASE WHEN \"c\".\"course_id\" IS NULL THEN 'exp.c' ELSE ('exp.c.' || CAST(\"c\".\"course_id\" AS VARCHAR)) END",
    );
    env.ok(&format!("experiment whitelist add exp.c 1 --course {DEMO}"));
    env.refuses(
        "sql bucket exp.c --dialect duckdb --course-column course_id",
        2,
        "error: --course-column: flag 'exp.c.1' has a course or org override",
    );
}

#[test]
fn bad_input_exits_with_the_documented_codes() {
    let env = Env::new();
    env.refuses(
        "sql bucket nope --dialect duckdb",
        1,
        "experiment 'nope' is not defined",
    );
    env.ok("experiment create exp.b --buckets 2");
    env.refuses(
        "sql bucket exp.b --dialect oracle",
        2,
        "invalid value 'oracle'",
    );
    env.refuses(
        "sql bucket exp.b --dialect duckdb --user-column t.",
        2,
        "error: column name \"t.\" is empty or has an empty part",
    );
}

mod variant;
