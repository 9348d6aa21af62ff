//! Bad input typed on the command line stays cheap (issue 18, item 10, beyond the file readers):
//! a 100,000-character argument to any command family gets the documented exit code, one
//! `error:` line (and at most one `hint:`) quoting at most about 100 characters of it, and
//! leaves the store as it was. Dates over 255 characters are refused before the date parser;
//! languages made of millions of commas are read in one quick pass.

use crate::common;

use std::time::{Duration, Instant};

use common::{Env, assert_contains, assert_lacks, named_mut};
use serde_json::json;

/// The size for a typed argument (the OS caps one argument near 128 KiB).
const LONG: usize = 100_000;

/// No error or hint line is longer than this (a quote is cut to about 100 characters).
const LINE_MAX: usize = 300;

/// `args` with every `X` replaced by 100,000 `x`s.
fn long(args: &str) -> Vec<String> {
    let x = "x".repeat(LONG);
    args.split_whitespace()
        .map(|w| if w == "X" { x.clone() } else { w.to_string() })
        .collect()
}

/// Runs `args` (with `X` the long argument) and checks the refusal: exit `code`, nothing on
/// stdout, one `error:` line and at most one `hint:`, no line over [`LINE_MAX`] characters, the
/// store byte for byte as before. Returns the error line.
fn refused(env: &Env, args: &str, code: i32) -> String {
    let before = env.bytes();
    let r = env.run(&long(args));
    assert_eq!(r.code, code, "{args}: exit {}\n{:.600}", r.code, r.stderr);
    assert_eq!(r.stdout, "", "{args}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        !lines.is_empty()
            && lines[0].starts_with("error: ")
            && (lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: "))),
        "{args}: one error line and at most one hint: {:.1000}",
        r.stderr
    );
    for l in &lines {
        assert!(
            l.chars().count() <= LINE_MAX,
            "{args}: a line of {} characters: {l:.400}",
            l.chars().count()
        );
        assert_lacks(l, "x".repeat(101).as_str());
    }
    assert!(env.bytes() == before, "{args} changed the store");
    lines[0].to_string()
}

/// A warning (stderr) from a command that otherwise succeeds quotes the long text cut, too.
fn warned(env: &Env, args: &str) {
    let r = env.run(&long(args));
    assert_eq!(r.code, 0, "{args}: exit {}\n{:.600}", r.code, r.stderr);
    assert!(
        r.stderr.starts_with("warning: "),
        "{args}: {:.600}",
        r.stderr
    );
    for l in r.stderr.lines() {
        assert!(l.chars().count() <= LINE_MAX, "{args}: {l:.400}");
    }
}

#[test]
fn a_long_argument_is_a_short_error_in_every_command_family() {
    let env = Env::example();
    let validation = [
        // flag
        "flag create X",
        "flag set new_dashboard --percent X",
        "flag create ok_flag --percent X",
        "flag set new_dashboard --everyone X",
        // switch, sample
        "switch create X",
        "sample create ok_sample X",
        "sample set ok_sample X",
        // user, group
        "user add X",
        "user set alice --group X",
        "user enroll alice course-v1:edX+DemoX+Demo_Course --at X",
        "user enroll alice X",
        "group add X",
        // override
        "override set new_dashboard --org X on",
        "override set new_dashboard --org edX X",
        "override set new_dashboard --course X on",
        // experiment
        "experiment create X",
        "experiment create ok.exp --buckets X",
        "experiment create ok.exp --id X",
        "experiment whitelist add example_namespace.example_flag X --user alice",
        // kv, data
        "experiment kv list X",
        "experiment kv set X enrollment_start 2020-01-01",
        "experiment kv set 1 enrollment_start X",
        "experiment kv set 1 enrollment_end X",
        "experiment data list X",
        "experiment data set X alice k v",
        // bucket
        "bucket example_namespace.example_flag --user alice --now X",
        "bucket example_namespace.example_flag --user alice --enrolled-at X",
        "bucket example_namespace.example_flag --user alice --buckets X",
        "bucket example_namespace.example_flag --user alice --experiment-id X",
        "bucket example_namespace.example_flag --find X",
        "bucket example_namespace.example_flag --find 1 --count X",
        // eval, variant, history
        "eval X",
        "variant some.experiment X",
        "history --since X",
        "history --limit X",
        // clap's own refusals quote the value too
        "completions X",
        "export --format X",
        "delete X --yes",
        "X",
        "experiment kv X",
    ];
    for args in validation {
        refused(&env, args, 2);
    }
    // Names that are not there: a runtime failure (exit 1), still one short line.
    let missing = [
        "flag show X",
        "flag set new_dashboard --add-user X",
        "flag set new_dashboard --add-group X",
        "switch show X",
        "sample show X",
        "user show X",
        "user add ok_user --group X",
        "experiment whitelist add example_namespace.example_flag 1 --user X",
        "experiment whitelist add example_namespace.example_flag 1 --group X",
        "variant X",
        "history X",
    ];
    for args in missing {
        refused(&env, args, 1);
    }
    warned(&env, "flag set new_dashboard --remove-user X");
    warned(&env, "flag set new_dashboard --remove-group X");
}

#[test]
fn the_cut_quote_says_how_long_the_text_was() {
    let env = Env::example();
    let line = refused(&env, "experiment kv list X", 2);
    assert_contains(&line, format!("{}… (100000 characters)", "x".repeat(100)));
    // The value is quoted once, not once by clap and once by the parser.
    let line = refused(&env, "sample create ok_sample X", 2);
    assert_eq!(line.matches("(100000 characters)").count(), 1, "{line}");
    let line = refused(&env, "flag create ok_flag --percent X", 2);
    assert_eq!(line.matches("(100000 characters)").count(), 1, "{line}");
}

/// A date over 255 characters is refused before the date parser, with the message the file
/// readers give (one limit for both); a 2 MB value on the command line would take seconds.
#[test]
fn an_overlong_date_is_refused_before_it_is_parsed() {
    let env = Env::example();
    let value = "1".repeat(256);
    let r = env.run(&["experiment", "kv", "set", "1", "enrollment_start", &value]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("is not a date and time"),
        "kv set: {}",
        r.stderr
    );
    let file = env.write(
        "kv.json",
        &json!({"version": 1, "key_values": [
            {"experiment_id": 1, "key": "enrollment_start", "value": value}
        ]})
        .to_string(),
    );
    let r = env.run(&["import", file.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("is not a date and time"),
        "import: {}",
        r.stderr
    );
    // 255 characters is still handed to the parser (and refused by it, for its own reason).
    let r = env.run(&[
        "experiment",
        "kv",
        "set",
        "1",
        "enrollment_start",
        &"1".repeat(255),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_lacks(&r.stderr, "is not a date and time");
    // The other date parser (--since, people's dates) keeps the same limit.
    let r = env.run(&["history", "--since", &value]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "is not a date and time");
    // The largest argument the OS passes, refused at once.
    let start = Instant::now();
    refused(&env, "experiment kv set 1 enrollment_start X", 2);
    assert!(start.elapsed() < Duration::from_secs(10));
}

/// Millions of commas in a flag's languages (through import) are read in one quick pass and
/// mean no languages, as django-waffle reads them; real items keep their order, trimmed.
#[test]
fn languages_of_millions_of_commas_are_read_quickly() {
    let env = Env::example();
    let exported = env.path("all.json");
    env.ok(&["export", "-o", exported.to_str().unwrap()]);
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    let flag = named_mut(&mut state["flags"], "new_dashboard");
    flag["languages"] = json!(format!(
        " en ,{}\u{3000}de\u{a0},, fr",
        ",".repeat(50_000_000)
    ));
    let file = env.write("commas.json", &state.to_string());
    let start = Instant::now();
    env.ok(&["import", file.to_str().unwrap()]);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(10), "import took {took:?}");
    let shown = env.json(&["flag", "show", "new_dashboard"]);
    assert_eq!(shown["languages"], "en,de,fr", "{shown}");
    // The command line reads languages the same way.
    env.ok(&[
        "flag",
        "set",
        "new_dashboard",
        "--languages",
        " ,, it ,\u{3000}",
    ]);
    let shown = env.json(&["flag", "show", "new_dashboard"]);
    assert_eq!(shown["languages"], "it", "{shown}");
}
