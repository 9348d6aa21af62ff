//! `bucket` and `eval` as people and scripts use them: output, bulk files, --find, percent rolls,
//! the example, and bad input. Stores are built with the CLI.

use crate::common;

use std::collections::HashMap;

use common::{DEMO_COURSE as DEMO, Env, NOW, assert_contains};
use serde_json::Value;

/// The experiment `init --example` defines.
const FLAG: &str = "example_namespace.example_flag";

#[test]
fn the_main_job_on_the_example() {
    let env = Env::example();
    let out = env.ok(&format!("bucket {FLAG} --user alice --course {DEMO}"));
    insta::assert_snapshot!("main_job", out);
    // §2: example_namespace.example_flag.course-v1:... is course-aware; staff are whitelisted
    // into bucket 1 whatever the hash says.
    let staff = env.json(&format!("bucket {FLAG} --user staff --course {DEMO}"));
    assert_eq!(staff["bucket"], 1);
    assert_eq!(staff["stage"], "forced");
    // Outside the demo course the main flag is off.
    let elsewhere = env.json(&format!(
        "bucket {FLAG} --user alice --course course-v1:edX+Other+2026"
    ));
    assert_eq!(elsewhere["bucket"], 0);
    assert_eq!(elsewhere["stage"], "main_flag_off");
}

#[test]
fn init_example_again_is_refused_and_the_example_stays_whole() {
    let env = Env::example();
    let before = env.ok("history --limit 0 --format plain");
    env.refuses("init --example", 1, "already holds data");
    assert_eq!(env.ok("history --limit 0 --format plain"), before);
    let e = env.json(&format!("experiment show {FLAG}"));
    assert_eq!(e["num_buckets"], 3);
    assert_eq!(e["course_aware"], true);
    assert!(e["experiment_id"].is_u64());
    let kv = env.json(&["experiment", "kv", "list", &e["experiment_id"].to_string()]);
    assert!(kv.to_string().contains("enrollment_start"), "{kv}");
}

#[test]
fn eval_of_the_example_shows_every_step() {
    let env = Env::example();
    let out = env.ok(&format!("eval {FLAG} --user carol --course {DEMO}"));
    insta::assert_snapshot!("eval_example", out);
    let v = env.json(&format!("eval {FLAG} --user carol --course {DEMO}"));
    assert_eq!(v["kind"], "experiment");
    assert!(v["bucket"].is_u64());
    for s in v["steps"].as_array().unwrap() {
        assert!(s["step"].is_string() && s["detail"].is_string(), "{s}");
    }
}

#[test]
fn plain_format_prints_only_the_bucket() {
    let env = Env::example();
    let out = env.ok(&format!(
        "bucket {FLAG} --user staff --course {DEMO} --format plain"
    ));
    assert_eq!(out, "1\n");
}

#[test]
fn an_unknown_user_is_a_plain_logged_in_user_and_the_output_says_so() {
    let env = Env::example();
    let out = env.ok(&format!("bucket {FLAG} --user dave --course {DEMO}"));
    assert_contains(&out, "dave (not in the store: a plain logged-in user)");
    let v = env.json(&format!("bucket {FLAG} --user dave --course {DEMO}"));
    assert_eq!(v["user_in_store"], false);
    // A stored user with --staff on the command line: forced into bucket 1.
    let v = env.json(&format!(
        "bucket {FLAG} --user alice --course {DEMO} --staff"
    ));
    assert_eq!(v["bucket"], 1);
}

#[test]
fn an_unregistered_flag_with_buckets_is_checked_like_stable_bucketer() {
    let env = Env::new();
    // No flag row: the main flag is off (bucket 0); the hash alone gives §2's answer.
    let v = env.json("bucket REV-1074 --user edx --buckets 2 --no-course-aware");
    assert_eq!(v["bucket"], 0);
    assert_eq!(v["hash_bucket"], 1);
    assert_eq!(v["definition"]["stored"], false);
    env.ok("flag create REV-1074 --everyone on");
    let v = env.json("bucket REV-1074 --user edx --buckets 2");
    assert_eq!(v["bucket"], 1, "ca812c4e… → 3855854273, odd");
    // §2 #7: exp.unaware + verified, 3 buckets → 2.
    env.ok("flag create exp.unaware --everyone on");
    let v =
        env.json("bucket exp.unaware --user verified --buckets 3 --course a/b/c --no-course-aware");
    assert_eq!(v["bucket"], 2);
}

#[test]
fn bad_input() {
    let env = Env::example();
    let e = env.fails_unchanged("bucket no.such --user alice", 1);
    assert!(e.contains("not defined") && e.contains("hint:"), "{e}");
    env.fails_unchanged("bucket no.such --user alice --buckets 0", 2);
    env.fails_unchanged(&format!("bucket {FLAG} --user alice --buckets 0"), 2);
    env.refuses(
        &format!("bucket {FLAG} --user alice --course demo"),
        2,
        "not a course key",
    );
    env.refuses(
        &format!("bucket {FLAG} --user alice --course {DEMO} --enrolled-at not-a-date"),
        2,
        "--enrolled-at",
    );
    env.fails_unchanged(&format!("bucket {FLAG} --user alice --now someday"), 2);
    env.refuses(
        &format!("bucket {FLAG} --users-file missing.txt"),
        1,
        "cannot read users file",
    );
    env.fails_unchanged(&format!("bucket {FLAG} --anonymous --staff"), 2);
    env.fails_unchanged(&format!("bucket {FLAG} --find 3"), 2);
    env.fails_unchanged(&format!("bucket {FLAG} --find -1"), 2);
    env.fails_unchanged(&format!("bucket {FLAG}"), 2);
    env.fails_unchanged(&format!("bucket {FLAG} --user a --anonymous"), 2);
    env.fails_unchanged(&format!("bucket {FLAG} --user a --experiment-id 40000"), 2);
    // An option of another mode is refused, never silently ignored.
    for (args, says) in [
        (
            "--user a --summary",
            "--summary works only with --users-file",
        ),
        ("--user a --count 2", "--count works only with --find"),
        ("--anonymous --base qa", "--base works only with --find"),
        (
            "--user a --jobs 2",
            "--jobs works only with --users-file or --find",
        ),
        (
            "--users-file u.txt --count 2",
            "--count works only with --find",
        ),
    ] {
        env.refuses(&format!("bucket {FLAG} {args}"), 2, says);
    }
    // An undefined name answers as django-waffle does (issue 11 item 5), with a note.
    let before = env.bytes();
    let r = env.run_ok("eval nothing.here");
    assert_contains(&r.stdout, "off (no such flag)");
    assert_contains(
        &r.stderr,
        "no experiment, flag, switch or sample named 'nothing.here'",
    );
    assert!(env.bytes() == before);
    env.fails_unchanged(&format!("eval {FLAG} --course x"), 2);
    let bad = env.path("bad.txt");
    std::fs::write(&bad, b"alice\n\xff\xfe\n").unwrap();
    env.refuses(
        &format!("bucket {FLAG} --users-file bad.txt"),
        2,
        "line 2 is not UTF-8",
    );
}

#[test]
fn a_percent_main_flag_is_never_pretended() {
    let env = Env::new();
    env.ok("user add robot1");
    env.ok("experiment create experiments.test --buckets 2 --id 0");
    env.ok("flag set experiments.test --everyone unset --percent 25");
    let args = [
        "bucket",
        "experiments.test",
        "--user",
        "robot1",
        "--course",
        "a/b/c",
    ];
    let v = env.json(&args);
    // If admitted: the hash (robot1 → 1); but undecided.
    assert_eq!(v["bucket"], 1);
    assert_eq!(v["decided"], false);
    assert_eq!(v["percent_rolls"][0]["flag"], "experiments.test");
    assert_eq!(v["percent_rolls"][0]["probability"], 0.25);
    let out = env.ok(&args);
    assert!(
        out.contains("random 25.0% roll") && out.contains("--assume-percent"),
        "{out}"
    );
    let mut out_args = args.to_vec();
    out_args.extend(["--assume-percent", "out"]);
    let v = env.json(&out_args);
    assert_eq!(
        (v["bucket"].as_u64(), v["decided"].as_bool()),
        (Some(0), Some(true))
    );
    let mut in_args = args.to_vec();
    in_args.extend(["--assume-percent", "in"]);
    let v = env.json(&in_args);
    assert_eq!(
        (v["bucket"].as_u64(), v["decided"].as_bool()),
        (Some(1), Some(true))
    );
    // robot0 hashes to 0 (§2: n = 2107049814): bucket 0 whatever the roll says.
    env.ok("user add robot0");
    let v = env.json("bucket experiments.test --user robot0 --course a/b/c");
    assert_eq!(
        (v["bucket"].as_u64(), v["decided"].as_bool()),
        (Some(0), Some(true))
    );
    let out = env.ok("bucket experiments.test --user robot0 --course a/b/c");
    assert_contains(&out, "bucket 0 either way");
    // eval: active null with the probability.
    let e = env.json("eval experiments.test --user robot1 --course a/b/c");
    assert!(e["active"].is_null());
    assert_eq!(e["probability"], 0.25);
}

#[test]
fn eval_kinds_follow_the_contract() {
    let env = Env::new();
    env.ok("group add beta");
    env.ok("user add alice --group beta");
    env.ok("switch create maintenance --on");
    env.ok("sample create ab_test 33");
    env.ok("flag create new_dashboard --percent 25 --add-group beta --languages de,fr");
    let s = env.json("eval maintenance");
    assert_eq!(
        (s["kind"].as_str(), s["active"].as_bool()),
        (Some("switch"), Some(true))
    );
    assert!(s.get("probability").is_none());
    let s = env.json("eval ab_test");
    assert_eq!(s["kind"], "sample");
    assert!(s["active"].is_null());
    assert_eq!(s["probability"], 0.33);
    // In the group: on; anonymous: the roll; with a listed language: on; no user: off.
    let f = env.json("eval new_dashboard --user alice");
    assert_eq!(
        (f["kind"].as_str(), f["active"].as_bool()),
        (Some("flag"), Some(true))
    );
    let f = env.json("eval new_dashboard --anonymous");
    assert!(f["active"].is_null());
    assert_eq!(f["probability"], 0.25);
    let f = env.json("eval new_dashboard --anonymous --assume-percent out");
    assert_eq!(f["active"], false);
    assert!(f.get("probability").is_none());
    let f = env.json("eval new_dashboard --anonymous --language fr");
    assert_eq!(f["active"], true);
    let f = env.json("eval new_dashboard");
    assert_eq!(f["active"], false);
    assert!(f["steps"].to_string().contains("no user on the request"));
    let out = env.ok("eval new_dashboard --user bob --group beta");
    insta::assert_snapshot!("eval_flag", out);
}

/// A store whose decisions depend on the user in every way bulk preloads: staff, superusers,
/// groups, a user list, enrollment dates, an authenticated-only main flag.
fn rich() -> Env {
    let env = Env::with(&[
        "group add beta",
        "experiment create bulk.exp --buckets 5 --id 3",
        "flag set bulk.exp --everyone unset --authenticated",
        "experiment kv set 3 enrollment_start 2025-01-01",
    ]);
    for i in 0..40 {
        let name = format!("u{i}");
        let mut args = vec!["user".to_string(), "add".into(), name.clone()];
        if i % 7 == 0 {
            args.push("--staff".into());
        }
        if i % 11 == 0 {
            args.push("--superuser".into());
        }
        if i % 5 == 0 {
            args.extend(["--group".into(), "beta".into()]);
        }
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        env.ok(&a);
        if i % 3 == 0 {
            let at = if i % 2 == 0 {
                "2024-06-01"
            } else {
                "2025-06-01"
            };
            env.ok(&["user", "enroll", &name, DEMO, "--at", at]);
        }
    }
    env.ok("experiment whitelist add bulk.exp 3 --staff");
    env.ok("experiment whitelist add bulk.exp 2 --group beta");
    env.ok("experiment whitelist add bulk.exp 4 --user u13");
    env.ok("flag create bulk.exp.1 --superusers");
    env
}

/// Users picked afresh each run: a seed from the standard library's random hasher keys.
fn random_picks<T: Clone>(from: &[T], count: usize) -> Vec<T> {
    use std::hash::{BuildHasher, Hasher};
    let mut state = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        | 1;
    (0..count)
        .map(|_| {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            from[(state % from.len() as u64) as usize].clone()
        })
        .collect()
}

#[test]
fn bulk_output_agrees_with_single_user_output() {
    let env = rich();
    let mut names: Vec<String> = (0..40).map(|i| format!("u{i}")).collect();
    names.extend((0..9_960).map(|i| format!("learner_{i:05}")));
    env.write("users.txt", &(names.join("\n") + "\n"));
    let bulk_cmd = format!("bucket bulk.exp --users-file users.txt --course {DEMO} --now {NOW}");
    let tsv = env.ok(&bulk_cmd);
    let bulk: Vec<(String, String)> = tsv
        .lines()
        .map(|l| {
            let (u, b) = l.split_once('\t').expect("user<TAB>bucket");
            (u.to_string(), b.to_string())
        })
        .collect();
    assert_eq!(bulk.len(), names.len());
    let jl = env.ok(&format!("{bulk_cmd} --json"));
    assert_eq!(jl.lines().count(), bulk.len());
    for (line, (u, b)) in jl.lines().zip(&bulk) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            (v["user"].as_str(), v["bucket"].to_string()),
            (Some(u.as_str()), b.clone())
        );
    }
    // Spot checks with `bucket --user`: every store user (they exercise every path bulk
    // preloads), and ten users drawn at random from the bulk output, new ones each run. The
    // whole population is compared inside the crate, without a process per user.
    let mut checks: Vec<(String, String)> = bulk
        .iter()
        .filter(|(u, _)| !u.starts_with("learner_"))
        .cloned()
        .collect();
    assert_eq!(checks.len(), 40);
    checks.extend(random_picks(&bulk, 10));
    for (u, b) in &checks {
        let single = env.json(&format!(
            "bucket bulk.exp --user {u} --course {DEMO} --now {NOW}"
        ));
        assert_eq!(
            single["bucket"].to_string(),
            *b,
            "{u}: bulk says {b}, `bucket --user` says {single}"
        );
    }
    // The store users exercise every path.
    let buckets: HashMap<&str, &str> = bulk.iter().map(|(u, b)| (u.as_str(), b.as_str())).collect();
    assert_eq!(buckets["u7"], "3", "staff → bucket 3");
    assert_eq!(buckets["u11"], "1", "superuser → bucket 1");
    assert_eq!(
        buckets["u35"], "2",
        "staff and beta: the lowest forced bucket wins"
    );
    assert_eq!(
        buckets["u0"], "0",
        "enrolled before the start: the window comes before forced buckets"
    );
    assert_eq!(buckets["u5"], "2", "beta → bucket 2");
    assert_eq!(buckets["u13"], "4", "listed user → bucket 4");
    assert_eq!(buckets["u12"], "0", "enrolled before the start → 0");
}

#[test]
fn bulk_reads_stdin_skips_blank_lines_and_trims() {
    let env = Env::example();
    let text = env.ok_with_input(
        &format!("bucket {FLAG} --users-file - --course {DEMO}"),
        "alice\n\n  staff \r\nbob",
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("alice\t"));
    assert_eq!(lines[1], "staff\t1");
    assert!(lines[2].starts_with("bob\t"));
}

#[test]
fn summary_counts_and_tests_uniformity() {
    let env = Env::new();
    env.ok("experiment create exp.sum --buckets 4");
    env.ok("flag on exp.sum");
    env.ok("user add forced");
    env.ok("experiment whitelist add exp.sum 3 --user forced");
    let mut names: Vec<String> = (0..20_000).map(|i| format!("s{i}")).collect();
    names.push("forced".into());
    env.write("u.txt", &names.join("\n"));
    let v = env.json("bucket exp.sum --users-file u.txt --summary");
    assert_eq!(v["users"], 20_001);
    assert_eq!(v["stages"]["hash"], 20_000);
    assert_eq!(v["stages"]["forced"], 1);
    let buckets = v["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 4);
    let total: u64 = buckets.iter().map(|b| b["users"].as_u64().unwrap()).sum();
    assert_eq!(total, 20_001);
    let hashed: Vec<u64> = buckets
        .iter()
        .map(|b| b["hashed"].as_u64().unwrap())
        .collect();
    // The statistic, recomputed here from the counts.
    let expected = 20_000.0 / 4.0;
    let chi2: f64 = hashed
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    let t = &v["chi_square"];
    assert_eq!(t["df"], 3);
    assert_eq!(t["users"], 20_000);
    assert!((t["statistic"].as_f64().unwrap() - chi2).abs() < 1e-9);
    let p = t["p_value"].as_f64().unwrap();
    assert!(p > 0.001 && p <= 1.0, "MD5 spreads users evenly: p = {p}");
    let out = env.ok("bucket exp.sum --users-file u.txt --summary");
    insta::assert_snapshot!("summary", out);
}

#[test]
fn find_generates_usernames_that_bucket_confirms() {
    let env = Env::example();
    let v = env.json(&format!(
        "bucket {FLAG} --find 2 --count 5 --course {DEMO} --base qa_"
    ));
    let names: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["user"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 5);
    for n in &names {
        assert!(n.starts_with("qa_2_"), "{n}");
        let b = env.ok(&format!(
            "bucket {FLAG} --user {n} --course {DEMO} --format plain -q"
        ));
        assert_eq!(b.trim(), "2", "{n}");
    }
    // Outside the demo course the main flag is off: the names still hash to the bucket, and
    // the command says why `bucket` gives 0 today.
    let r = env.run_ok(&format!(
        "bucket {FLAG} --find 1 --course course-v1:edX+Other+2026 --json"
    ));
    assert_contains(&r.stderr, "main flag is off");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let n = v[0]["user"].as_str().unwrap();
    let b = env.json(&format!(
        "bucket {FLAG} --user {n} --course course-v1:edX+Other+2026"
    ));
    assert_eq!(
        (b["bucket"].as_u64(), b["hash_bucket"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn find_without_a_course_warns_only_for_a_course_aware_experiment() {
    let env = Env::example();
    env.ok("experiment create exp.aware --buckets 4 --course-aware");
    env.ok("experiment create exp.plain --buckets 4 --no-course-aware");
    env.ok("flag on exp.aware");
    env.ok("flag on exp.plain");
    let says = "is course-aware: these names land in bucket 2 only where no course applies";
    // Course-aware, no --course: the names hold for no course only, and the command says so.
    let r = env.run_ok("bucket exp.aware --find 2 --count 8");
    assert_contains(&r.stderr, format!("exp.aware {says}"));
    assert_contains(&r.stderr, "--course COURSE");
    assert_eq!(r.stdout.lines().count(), 8);
    // The same for the example experiment, whose main flag is on in the demo course only.
    let r = env.run_ok(&format!("bucket {FLAG} --find 2"));
    assert_contains(&r.stderr, format!("{FLAG} {says}"));
    // With --course, or for an experiment that is not course-aware, nothing to warn about.
    for args in [
        format!("bucket exp.aware --find 2 --count 3 --course {DEMO}"),
        format!("bucket {FLAG} --find 2 --course {DEMO}"),
        "bucket exp.plain --find 2 --count 3".to_string(),
        format!("bucket exp.plain --find 2 --count 3 --course {DEMO}"),
    ] {
        let r = env.run_ok(&args);
        assert!(!r.stderr.contains("course-aware"), "{args}: {}", r.stderr);
    }
}
