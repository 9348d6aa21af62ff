//! `env list` and `env check`: every environment, secrets masked in every output and error;
//! `check` connects, and an environment that cannot be reached is a row with its error (exit 1).

use crate::common;

use common::{Env, assert_contains, assert_lacks};

use super::{closed_port, config, two_stores};

/// The secret every config here holds somewhere; no output may show it.
const SECRET: &str = "s3cr3t-Pw";

/// A config with a SQLite environment, a server one that cannot be reached (its password in
/// the URL of this private file), one whose password comes from a variable and one from a
/// command, and a protected one with a cache that cannot be reached.
fn mixed(env: &Env) {
    let closed = closed_port();
    let r = env.run_bare("--db staging.db init -q", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run_bare("--db staging.db flag create beta", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run_bare("--db staging.db switch create maintenance", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run_bare("--db staging.db user add alice", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    config(
        env,
        &format!(
            r#"
[environments.staging]
db = "staging.db"

[environments.gone]
db = "mysql://app:{SECRET}@127.0.0.1:{closed}/edxapp"

[environments.pgvar]
db = "postgres://app@127.0.0.1:{closed}/edxapp"
password_env = "PG_PW"

[environments.pgcmd]
db = "postgres://app@127.0.0.1:{closed}/edxapp"
password_command = ["printf", "{SECRET}"]

[environments.cached]
db = "staging.db"
cache = "redis://:{SECRET}@127.0.0.1:{closed}/1"
cache_key_prefix = "edx"
protected = true
"#
        ),
    );
}

#[test]
fn list_shows_every_environment_with_secrets_masked() {
    let env = Env::empty();
    mixed(&env);
    let r = env.run_bare("env list", &[("PG_PW", SECRET)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{}", r.stdout);
    assert!(lines[1].starts_with("staging "), "{}", r.stdout);
    assert_contains(&r.stdout, "mysql://app:***@127.0.0.1:");
    assert_contains(&r.stdout, "$PG_PW");
    assert_contains(&r.stdout, "command: printf …");
    assert_lacks(&r.stdout, SECRET);
    assert_lacks(&r.stderr, SECRET);
    let r = env.run_bare("env list --json", &[("PG_PW", SECRET)]);
    assert_lacks(&r.stdout, SECRET);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["staging", "gone", "pgvar", "pgcmd", "cached"]);
    assert_eq!(v[0]["backend"], "sqlite");
    assert_eq!(v[1]["backend"], "mysql");
    assert_eq!(v[1]["password"], "in the URL (file)");
    assert_eq!(v[2]["backend"], "postgres");
    assert_eq!(v[2]["password"], "$PG_PW");
    assert_eq!(v[4]["protected"], true);
    assert_eq!(v[4]["cache_key_prefix"], "edx");
    assert!(v[4]["cache"].as_str().unwrap().contains(":***@127.0.0.1:"));
}

#[test]
fn check_reports_each_and_fails_when_one_cannot_be_reached() {
    let env = Env::empty();
    mixed(&env);
    let r = env.run_bare("env check --json", &[("PG_PW", SECRET)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_lacks(&r.stdout, SECRET);
    assert_lacks(&r.stderr, SECRET);
    assert_contains(&r.stderr, "error: 4 of 5 environments failed their check");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let staging = &v[0];
    assert_eq!(staging["ok"], true, "{staging}");
    assert_eq!(staging["backend"], "sqlite");
    assert!(staging["schema_version"].as_i64().unwrap() >= 2);
    assert!(staging["store_id"].as_str().unwrap().starts_with("ws-"));
    assert_eq!(staging["counts"]["flags"], 1);
    assert_eq!(staging["counts"]["switches"], 1);
    assert_eq!(staging["counts"]["samples"], 0);
    assert_eq!(staging["counts"]["users"], 1);
    assert_eq!(staging["cache"], "-");
    // the store's identity is the one doctor shows
    let doctor = env.run_bare("--db staging.db doctor", &[]);
    assert_contains(&doctor.stdout, staging["store_id"].as_str().unwrap());
    for i in 1..=3 {
        let row = &v[i];
        assert_eq!(row["ok"], false, "{row}");
        let e = row["error"].as_str().unwrap();
        assert_contains(e, "cannot connect to 127.0.0.1:");
        assert!(!e.contains('\n'));
    }
    assert_contains(v[1]["error"].as_str().unwrap(), "mysql://app:***@");
    // the store answers, the cache does not
    let cached = &v[4];
    assert_eq!(cached["ok"], false, "{cached}");
    assert_eq!(cached["counts"]["flags"], 1);
    assert_contains(
        cached["cache"].as_str().unwrap(),
        "cache: cannot read redis://:***@127.0.0.1:",
    );
    // the table says the same
    let r = env.run_bare("env check", &[("PG_PW", SECRET)]);
    assert_eq!(r.code, 1);
    assert_lacks(&r.stdout, SECRET);
    assert_contains(&r.stdout, "IDENTITY");
    let staging_line = r.stdout.lines().find(|l| l.starts_with("staging")).unwrap();
    assert_contains(staging_line, " ok ");
    assert_contains(staging_line, "ws-");
    let gone = r.stdout.lines().find(|l| l.starts_with("gone")).unwrap();
    assert_contains(gone, "error: mysql://app:***@127.0.0.1:");
}

#[test]
fn check_names_some_and_passes_when_all_answer() {
    let env = two_stores();
    let r = env.run_bare("env check prod staging --json", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["name"], "prod");
    assert_eq!(v[0]["protected"], true);
    assert_eq!(v[1]["name"], "staging");
    assert_ne!(v[0]["store_id"], v[1]["store_id"]);
    // a check writes nothing, protected or not
    let r = env.run_bare("env check prod", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // a missing variable is the row's error, the others still checked
    config(
        &env,
        "[environments.a]\ndb = \"prod.db\"\n\n[environments.b]\ndb = \"postgres://u@127.0.0.1:1/d\"\npassword_env = \"UNSET_PW_VAR\"\n",
    );
    let r = env.run_bare("env check --json", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["ok"], true);
    assert_contains(
        v[1]["error"].as_str().unwrap(),
        "$UNSET_PW_VAR, which is not set",
    );
}
