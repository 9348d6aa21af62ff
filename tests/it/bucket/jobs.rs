//! `--jobs` and `$WAFFLECTL_JOBS` on the bulk commands (`bucket --users-file`, `bucket --find`,
//! `variant --users-file`, `--summary`): any number of threads writes the same bytes as one,
//! in input order, over inputs of several chunks; line numbers in warnings and errors count
//! from the start of the input; bad values are exit 2 with one error line. `$WAFFLECTL_SIMD`
//! picks a narrower hash kernel with the same answers.

use crate::common;

use common::{DEMO_COURSE as DEMO, Env, NOW};

/// Users in the file: with these names, about 9 MB, several 2 MiB chunks.
const USERS: usize = 300_000;
/// Lines planted in late chunks.
const SPACED_LINE: usize = 250_001;
const LONG_LINE: usize = 280_002;

/// A course-aware experiment with a staff whitelist and an enrollment window, and a users file
/// with store users early, blank and CRLF lines, and lines to skip in late chunks.
fn edx() -> Env {
    let env = Env::new();
    env.ok("experiment create wide.exp --buckets 7 --id 9 --course-aware");
    env.ok("flag on wide.exp");
    env.ok("experiment kv set 9 enrollment_start 2025-01-01");
    env.ok("user add boss --staff");
    env.ok("user add early");
    env.ok(&["user", "enroll", "early", DEMO, "--at", "2024-06-01"]);
    env.ok("experiment whitelist add wide.exp 3 --staff");
    let mut text = String::with_capacity(USERS * 32);
    for i in 1..=USERS {
        match i {
            2 => text.push_str("boss\n"),
            3 => text.push_str("early\r\n"),
            4 => text.push('\n'),
            SPACED_LINE => text.push_str("has space\n"),
            LONG_LINE => {
                text.push_str(&"x".repeat(151));
                text.push('\n');
            }
            _ => {
                text.push_str(&format!("learner_{i:07}@example.org\n"));
            }
        }
    }
    env.write("users.txt", &text);
    env
}

fn bucket_cmd(extra: &str) -> String {
    format!("bucket wide.exp --users-file users.txt --course {DEMO} --now {NOW} {extra}")
}

#[test]
fn edx_bulk_output_is_the_same_for_every_job_count() {
    let env = edx();
    let one = env.run(&bucket_cmd("--jobs 1"));
    assert_eq!(one.code, 0, "{}", one.stderr);
    let lines: Vec<&str> = one.stdout.lines().collect();
    // Every user but the blank line and the two skipped ones, in input order.
    assert_eq!(lines.len(), USERS - 3);
    assert!(lines[0].starts_with("learner_0000001@example.org\t"));
    assert_eq!(lines[1], "boss\t3", "staff are whitelisted into bucket 3");
    assert_eq!(lines[2], "early\t0", "enrolled before the window: bucket 0");
    assert!(lines[3].starts_with("learner_0000005@example.org\t"));
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with(&format!("learner_{USERS:07}@"))
    );
    // Warnings name the lines of the whole input, not of a chunk.
    assert!(
        one.stderr.contains(&format!("(lines {SPACED_LINE})")),
        "{}",
        one.stderr
    );
    assert!(
        one.stderr.contains(&format!("(lines {LONG_LINE})")),
        "{}",
        one.stderr
    );
    // Spot checks against the single-user path, in the last chunk too.
    for line in [lines[0], lines[150_000], lines[USERS - 4]] {
        let (user, b) = line.split_once('\t').unwrap();
        let single = env.json(&format!(
            "bucket wide.exp --user {user} --course {DEMO} --now {NOW}"
        ));
        assert_eq!(single["bucket"].to_string(), b, "{user}");
    }
    for jobs in [2, 3, 8] {
        let many = env.run(&bucket_cmd(&format!("--jobs {jobs}")));
        assert_eq!(many.code, 0, "--jobs {jobs}: {}", many.stderr);
        assert!(
            many.stdout == one.stdout,
            "--jobs {jobs} changed the output"
        );
        assert_eq!(many.stderr, one.stderr, "--jobs {jobs}");
    }
    let from_env = env.run_with_env("WAFFLECTL_JOBS", "3", &bucket_cmd(""));
    assert!(
        from_env.stdout == one.stdout,
        "WAFFLECTL_JOBS=3 changed the output"
    );
    let default = env.run(&bucket_cmd(""));
    assert!(
        default.stdout == one.stdout,
        "the default job count changed the output"
    );
}

#[test]
fn edx_json_and_summary_are_the_same_for_every_job_count() {
    let env = edx();
    for extra in ["--json", "--summary", "--summary --json"] {
        let one = env.ok(&bucket_cmd(&format!("{extra} --jobs 1")));
        for jobs in [3, 8] {
            let many = env.ok(&bucket_cmd(&format!("{extra} --jobs {jobs}")));
            assert!(many == one, "{extra} --jobs {jobs} changed the output");
        }
    }
    let s = env.json(&bucket_cmd("--summary --jobs 3"));
    assert_eq!(s["users"], (USERS - 3) as u64);
    assert_eq!(s["stages"]["forced"], 1, "{s}");
    assert_eq!(s["stages"]["outside_window"], 1, "{s}");
}

#[test]
fn edx_every_kernel_gives_the_same_buckets() {
    let env = edx();
    let best = env.ok(&bucket_cmd("--jobs 2"));
    for isa in ["scalar", "sse2"] {
        let out = env.ok_with_env("WAFFLECTL_SIMD", isa, &bucket_cmd("--jobs 2"));
        assert!(out == best, "WAFFLECTL_SIMD={isa} changed the output");
    }
    let r = env.run_with_env("WAFFLECTL_SIMD", "neon", &bucket_cmd(""));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: WAFFLECTL_SIMD must be avx512, avx2, sse2 or scalar")
    );
}

#[test]
fn a_line_that_is_not_utf8_is_named_from_the_start_of_the_input() {
    let env = Env::new();
    env.ok("experiment create wide.exp --buckets 7");
    let mut bytes = Vec::new();
    for i in 1..=200_000 {
        if i == 190_000 {
            bytes.extend_from_slice(b"bad\xff\n");
        } else {
            bytes.extend_from_slice(format!("learner_{i:07}@example.org\n").as_bytes());
        }
    }
    std::fs::write(env.path("users.txt"), &bytes).unwrap();
    for jobs in [1, 4] {
        let r = env.run(&format!(
            "bucket wide.exp --users-file users.txt --summary --jobs {jobs}"
        ));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(
            r.stderr.trim_end(),
            "error: users file users.txt line 190000 is not UTF-8",
            "--jobs {jobs}"
        );
    }
}

#[test]
fn find_with_jobs_finds_names_in_the_bucket() {
    let env = Env::new();
    env.ok("experiment create wide.exp --buckets 7");
    env.ok("flag on wide.exp");
    for jobs in [1, 3] {
        let out = env.ok(&format!(
            "bucket wide.exp --find 5 --count 20 --base qa_ --jobs {jobs}"
        ));
        let names: Vec<&str> = out.lines().collect();
        assert_eq!(names.len(), 20);
        let distinct: std::collections::HashSet<&&str> = names.iter().collect();
        assert_eq!(distinct.len(), 20, "{out}");
        for n in names.iter().take(5) {
            let b = env.json(&format!("bucket wide.exp --user {n}"));
            assert_eq!(b["bucket"], 5, "{n}");
        }
    }
}

#[test]
fn bad_job_counts_are_usage_errors() {
    let env = Env::new();
    env.ok("experiment create wide.exp --buckets 7");
    env.write("users.txt", "alice\n");
    for bad in ["0", "1025", "-1", "many", "99999999999"] {
        let r = env.run(&[
            "bucket",
            "wide.exp",
            "--users-file",
            "users.txt",
            "--jobs",
            bad,
        ]);
        assert_eq!(r.code, 2, "--jobs {bad}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
        assert!(r.stdout.is_empty());
        let r = env.run(&["variant", "x", "--users-file", "users.txt", "--jobs", bad]);
        assert_eq!(r.code, 2, "variant --jobs {bad}: {}", r.stderr);
        let r = env.run_with_env(
            "WAFFLECTL_JOBS",
            bad,
            "bucket wide.exp --users-file users.txt",
        );
        assert_eq!(r.code, 2, "WAFFLECTL_JOBS={bad}: {}", r.stderr);
        assert_eq!(
            r.stderr.lines().filter(|l| l.starts_with("error:")).count(),
            1
        );
        assert!(r.stdout.is_empty());
    }
    // A bad $WAFFLECTL_JOBS is refused whatever the command, as every WAFFLECTL_ variable is.
    let r = env.run_with_env("WAFFLECTL_JOBS", "0", "flag list");
    assert_eq!(r.code, 2, "{}", r.stderr);
    // --jobs belongs to the bulk modes.
    let r = env.run("bucket wide.exp --user alice --jobs 2");
    assert_eq!(r.code, 2, "{}", r.stderr);
    env.ok("bucket wide.exp --users-file users.txt --jobs 1024");
}

/// Ids in the baseplate file: about 5 MB, three chunks.
const IDS: usize = 150_000;

/// A targeted multi_variant experiment and a file of ids over several chunks.
fn baseplate() -> Env {
    let env = Env::new();
    env.ok(&[
        "experiment",
        "create",
        "checkout_v2",
        "--type",
        "multi_variant",
        "--id",
        "4242",
        "--variant",
        "a=0.1",
        "--variant",
        "b=0.2",
        "--variant",
        "c=0.3",
        "--target",
        r#"{"EQ":{"field":"logged_in","value":true}}"#,
    ]);
    env.ok("experiment create search_r2 --type r2 --id 7 --variant treat=10 --target logged_in=true --override user_name:gary=treat --seed s1");
    let mut text = String::with_capacity(IDS * 40);
    for i in 0..IDS {
        text.push_str(&format!("t2_{i:x}_account_of_some_length\n"));
        if i == 7 {
            text.push_str("  \r\n");
        }
    }
    env.write("ids.txt", &text);
    env
}

#[test]
fn variant_bulk_output_is_the_same_for_every_job_count() {
    let env = baseplate();
    for name in ["checkout_v2", "search_r2"] {
        for extra in ["", "--json", "--summary", "--summary --json"] {
            let cmd =
                format!("variant {name} --users-file ids.txt --now {NOW} logged_in=true {extra}");
            let one = env.ok(&format!("{cmd} --jobs 1"));
            if extra.is_empty() {
                assert_eq!(one.lines().count(), IDS);
                let line = one.lines().nth(IDS - 10).unwrap();
                let (id, v) = line.split_once('\t').unwrap();
                let single = env.json(&format!(
                    "variant {name} user_id={id} logged_in=true --now {NOW}"
                ));
                let want = single["variant"].as_str().unwrap_or("");
                assert_eq!(v, want, "{name} {id}");
            }
            for jobs in [3, 8] {
                let many = env.ok(&format!("{cmd} --jobs {jobs}"));
                assert!(
                    many == one,
                    "{name} {extra} --jobs {jobs} changed the output"
                );
            }
        }
        let cmd =
            format!("variant {name} --users-file ids.txt --now {NOW} logged_in=true --jobs 2");
        let best = env.ok(&cmd);
        let scalar = env.ok_with_env("WAFFLECTL_SIMD", "scalar", &cmd);
        assert!(
            scalar == best,
            "{name}: WAFFLECTL_SIMD=scalar changed the output"
        );
    }
}
