//! What `import`, `diff` and `lint` make of files they do not own (issue 18, items 10–13): bad
//! input of any size is a quick one-line error in bounded memory, a key twice in one object is a
//! warning (the last one counts, as in Python's json), the format comes from the content, and
//! `diff --exit-code` tells a drift check whether the store and the file differ.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Env, Run, assert_contains, assert_lacks};
use serde_json::json;

/// 50 MB: the size of the unknown field name in the issue.
const BIG: usize = 50_000_000;

/// A generous bound for one command on a 50 MB file (about a second on a laptop).
const QUICK: Duration = Duration::from_secs(10);

/// Runs `wafflectl ARGS` on `env`'s store, as `Env::cmd` does, under a 1 GB address-space limit
/// (`ulimit -v`, so no extra tool is needed). Returns what it printed and how long it took.
fn run_limited(env: &Env, args: &[&str]) -> (Run, Duration) {
    let bin = assert_cmd::cargo::cargo_bin("wafflectl");
    let start = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(bin)
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .current_dir(env.dir.path())
        .env_remove("WAFFLECTL_DB")
        .env("WAFFLECTL_NOW", common::NOW)
        .env("USER", "tester")
        .env("NO_COLOR", "1")
        .output()
        .expect("run wafflectl");
    (Run::from(out), start.elapsed())
}

/// `import`, `diff` and `lint` of `file` each fail with exit 2, quickly, within the memory limit,
/// with one `error:` line (and at most one `hint:`) that quotes no more than about 100
/// characters of the file, and leave the store as it was. Returns the import's error line.
fn refused_cheaply(env: &Env, file: &str) -> String {
    let before = env.bytes();
    let mut first = String::new();
    for verb in ["import", "diff", "lint"] {
        let (r, took) = run_limited(env, &[verb, file]);
        let what = format!("{verb} {file}");
        assert_eq!(
            r.code, 2,
            "{what}: exit {}\nstderr: {:.500}",
            r.code, r.stderr
        );
        assert!(took < QUICK, "{what} took {took:?}");
        assert_eq!(r.stdout, "", "{what}");
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert!(
            lines[0].starts_with("error: ")
                && (lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: "))),
            "{what}: one error line and at most one hint: {:.1000}",
            r.stderr
        );
        for l in &lines {
            assert!(l.chars().count() < 1000, "{what}: a long line: {l:.300}");
            assert_lacks(l, "x".repeat(101).as_str());
        }
        if first.is_empty() {
            first = lines[0].to_string();
        }
        assert!(env.bytes() == before, "{what} changed the store");
    }
    first
}

fn x(n: usize) -> String {
    "x".repeat(n)
}

#[test]
fn a_50_mb_unknown_field_name_is_a_quick_one_line_error() {
    let env = Env::example();
    // In a native file (the issue's case) and in a Django fixture.
    env.write(
        "native.json",
        &format!(
            r#"{{"version": 1, "flags": [{{"name": "a", "{}": 1}}]}}"#,
            x(BIG)
        ),
    );
    let err = refused_cheaply(&env, "native.json");
    assert_contains(&err, "unknown field 'xxxx");
    assert_contains(&err, "… (50000000 characters)' in flag 'a' (flags[0])");
    std::fs::remove_file(env.path("native.json")).unwrap();
    env.write(
        "fixture.json",
        &format!(
            r#"[{{"model": "waffle.flag", "fields": {{"name": "a", "{}": 1}}}}]"#,
            x(BIG)
        ),
    );
    let err = refused_cheaply(&env, "fixture.json");
    assert_contains(&err, "object 1 (waffle.flag 'a'): unknown field 'xxxx");
    assert_contains(&err, "(50000000 characters)");
}

#[test]
fn huge_names_numbers_and_nesting_are_quick_one_line_errors() {
    let env = Env::example();
    let cases = [
        // A 50 MB string where a name is expected, in each format.
        (
            format!(r#"{{"version": 1, "flags": [{{"name": "{}"}}]}}"#, x(BIG)),
            "flag name is longer than 100 characters",
        ),
        (
            format!(r#"{{"version": 1, "flags": [{{"name": "a {}"}}]}}"#, x(BIG)),
            "flag name",
        ),
        (
            format!(
                r#"[{{"model": "auth.user", "fields": {{"username": "a {}"}}}}]"#,
                x(BIG)
            ),
            "username 'a xxxx",
        ),
        (
            format!(r#"{{"{}": {{"id": 1, "type": "single_variant"}}}}"#, x(BIG)),
            "is longer than 255 characters",
        ),
        // A 50 MB string where a date or a decimal is expected.
        (
            format!(
                r#"{{"version": 1, "switches": [{{"name": "s", "created": "{}"}}]}}"#,
                x(BIG)
            ),
            "is not a date and time",
        ),
        (
            format!(
                r#"{{"version": 1, "samples": [{{"name": "s", "percent": "{}"}}]}}"#,
                x(BIG)
            ),
            "is not a number",
        ),
        (
            format!(
                r#"{{"version": 1, "key_values": [{{"experiment_id": 1, "key": "enrollment_start", "value": "{}"}}]}}"#,
                x(BIG)
            ),
            "is not a date and time",
        ),
        (
            format!(
                r#"{{"version": 1, "experiments": [{{"name": "{}"}}]}}"#,
                x(BIG)
            ),
            "not a valid experiment name",
        ),
        // A number of a million digits.
        (
            format!(
                r#"{{"version": 1, "flags": [{{"name": "f", "percent": {}}}]}}"#,
                "9".repeat(1_000_000)
            ),
            "number out of range",
        ),
        // JSON nested a million deep, in each format.
        (
            format!(
                r#"{{"version": 1, "flags": {}{}}}"#,
                "[".repeat(1_000_000),
                "]".repeat(1_000_000)
            ),
            "error: big.json: ",
        ),
        (
            format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000)),
            "error: big.json: ",
        ),
        (
            format!(
                "{}1{}",
                r#"{"a": "#.repeat(1_000_000),
                "}".repeat(1_000_000)
            ),
            "error: big.json: ",
        ),
    ];
    for (text, says) in cases {
        env.write("big.json", &text);
        let err = refused_cheaply(&env, "big.json");
        assert_contains(&err, says);
    }
}

#[test]
fn did_you_mean_still_helps_with_a_typo() {
    let env = Env::example();
    env.write(
        "typo.json",
        r#"{"version": 1, "flags": [{"name": "a", "evryone": true}]}"#,
    );
    let err = env.refuses("import typo.json", 2, "unknown field 'evryone'");
    assert_contains(&err, "hint: did you mean 'everyone'?");
}

// ---------------------------------------------------------------------------------------------
// A key twice in one object
// ---------------------------------------------------------------------------------------------

#[test]
fn a_key_twice_in_a_native_file_warns_and_the_last_one_counts() {
    let env = Env::new();
    env.write(
        "twice.json",
        r#"{"version": 1,
            "flags": [{"name": "a", "note": "first", "everyone": true, "note": "last"}],
            "switches": [{"name": "s", "active": false, "active": true}]}"#,
    );
    let r = env.ok_saying(
        "import twice.json",
        "warning: twice.json: key 'note' appears more than once in flags[0] (name 'a'); the last one counts",
    );
    assert_contains(
        &r.stderr,
        "warning: twice.json: key 'active' appears more than once in switches[0] (name 's')",
    );
    assert_eq!(env.json("flag show a")["note"], json!("last"));
    assert_eq!(env.json("switch show s")["active"], json!(true));
    // diff reads it the same way (and warns again): nothing left to do.
    let r = env.ok_saying("diff twice.json", "key 'note' appears more than once");
    assert_eq!(r.stdout, "");
}

#[test]
fn a_key_twice_in_a_fixture_warns_and_the_last_one_counts() {
    let env = Env::new();
    env.write(
        "fixture.json",
        r#"[{"model": "waffle.flag", "fields": {"name": "b", "everyone": false, "everyone": true}}]"#,
    );
    env.ok_saying(
        "import fixture.json",
        "warning: fixture.json: key 'everyone' appears more than once in object 1.fields (name 'b'); the last one counts",
    );
    assert_eq!(env.json("flag show b")["everyone"], json!(true));
    // JSON lines: the line says where.
    env.write(
        "lines.json",
        "{\"model\": \"waffle.switch\", \"fields\": {\"name\": \"c\"}}\n{\"model\": \"waffle.switch\", \"fields\": {\"name\": \"d\", \"active\": false, \"active\": true}}\n",
    );
    env.ok_saying(
        "import lines.json",
        "warning: lines.json: key 'active' appears more than once in line 2: fields (name 'd')",
    );
    assert_eq!(env.json("switch show d")["active"], json!(true));
}

#[test]
fn a_key_twice_in_an_experiment_config_warns_and_the_last_one_counts() {
    let env = Env::new();
    env.write(
        "experiments.json",
        r#"{"e1": {"id": 1, "name": "e1", "type": "single_variant", "id": 2}}"#,
    );
    for verb in ["import", "diff", "lint"] {
        let r = env.run(&format!("{verb} experiments.json"));
        assert_contains(
            &r.stderr,
            "warning: experiments.json: key 'id' appears more than once in e1 (name 'e1'); the last one counts",
        );
    }
    let out = env.ok("export --format baseplate");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["e1"]["id"], json!(2));
}

// ---------------------------------------------------------------------------------------------
// The format from the content
// ---------------------------------------------------------------------------------------------

const GOOD_EXPERIMENT: &str = r#"{"e": {"id": 1, "name": "e", "owner": "o", "version": "1", "type": "feature_rollout", "start_ts": 0, "stop_ts": 4102444800, "enabled": true, "experiment": {"variants": [{"name": "on", "size": 0.5}], "experiment_version": 1, "shuffle_version": 0, "bucket_val": "user_id", "log_bucketing": true}}}"#;

#[test]
fn an_experiments_json_is_recognised_without_format() {
    let env = Env::new();
    env.write("experiments.json", GOOD_EXPERIMENT);
    assert_eq!(env.ok("diff experiments.json"), "+ experiment e\n");
    env.ok_saying("import experiments.json", "imported experiments.json");
    let names: Vec<serde_json::Value> = env
        .json("experiment list")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].clone())
        .collect();
    assert_eq!(names, [json!("e")]);
    env.ok_saying("lint experiments.json", "1 experiments, nothing to report");
}

#[test]
fn lint_reads_a_native_file_and_says_what_it_does_with_a_fixture() {
    let env = Env::new();
    env.write("experiments.json", GOOD_EXPERIMENT);
    env.ok("import experiments.json");
    env.ok("flag create f1");
    env.ok("export -o all.json");
    // Its baseplate experiments are linted, not its sections ("version", "flags", ...).
    env.ok_saying(
        "lint all.json",
        "all.json: 1 experiments, nothing to report",
    );
    let lines = env.json("lint all.json");
    assert_eq!(lines, json!([]));
    env.ok("export --format django -o fixture.json");
    env.refuses(
        "lint fixture.json",
        2,
        "fixture.json: this is a Django fixture, and lint checks baseplate experiments",
    );
    // A native file without baseplate experiments: nothing to lint.
    env.write("plain.json", r#"{"version": 1, "flags": []}"#);
    env.ok_saying(
        "lint plain.json",
        "without baseplate experiments, nothing to lint",
    );
}

#[test]
fn a_format_the_content_contradicts_is_refused_naming_all_three() {
    let env = Env::example();
    env.write("experiments.json", GOOD_EXPERIMENT);
    env.ok("export -o native.json");
    for (args, says) in [
        (
            "import --format baseplate native.json",
            "native.json: this is a wafflectl native file, not a baseplate experiments.json",
        ),
        (
            "diff --format django experiments.json",
            "experiments.json: this is a baseplate experiments.json, not a Django fixture",
        ),
        (
            "import --format native experiments.json",
            "experiments.json: this is a baseplate experiments.json, not a wafflectl native file",
        ),
    ] {
        let err = env.refuses(args, 2, says);
        for format in ["native", "django", "baseplate"] {
            assert_contains(&err, format!("{format} ("));
        }
    }
    // Not JSON at all: the hint names the three formats too.
    env.write("broken.json", "{");
    let err = env.refuses("import broken.json", 2, "malformed JSON");
    for format in ["native (", "django (", "baseplate ("] {
        assert_contains(&err, format);
    }
}

// ---------------------------------------------------------------------------------------------
// diff --exit-code
// ---------------------------------------------------------------------------------------------

#[test]
fn diff_exit_code_says_whether_the_file_and_the_store_differ() {
    let env = Env::example();
    env.ok("export -o toggles.json");
    // Equal: 0, as without --exit-code.
    let r = env.run_ok("diff --exit-code toggles.json");
    assert_eq!(r.stdout, "");
    // Different: the differences, and 1.
    env.ok("switch on maintenance");
    let r = env.run("diff --exit-code toggles.json");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "~ switch maintenance: active: true → false\n");
    assert_contains(&r.stderr, "(--exit-code)");
    env.ok("export -o toggles.json");
    env.ok("flag create newer");
    // Only --prune shows what the file lacks: without it, nothing differs.
    env.run_ok("diff --exit-code toggles.json");
    let r = env.run("diff --exit-code --prune toggles.json");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "- flag newer\n");
    assert_contains(
        &r.stderr,
        "error: toggles.json and the store differ: 0 to add, 0 to change, 1 to remove",
    );
    // Without --exit-code a difference is still 0.
    env.ok("diff --prune toggles.json");
    // With --json the plan is printed all the same.
    let r = env.run("diff --exit-code --prune toggles.json --json");
    assert_eq!(r.code, 1);
    let plan: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(plan["removed"][0]["name"], json!("newer"));
    // A bad file: 2.
    env.write("broken.json", "{\"version\": 1, \"flags\": [");
    env.fails_unchanged("diff --exit-code broken.json", 2);
}
