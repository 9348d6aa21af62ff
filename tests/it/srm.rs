//! `wafflectl srm NAME --observed FILE` through the binary: the verdict against p-values computed
//! here from the normal distribution, every input format, bad input, `--fail-on srm`, baseplate
//! variant sizes, whitelists and audit-log changes as causes, and the JSON shape. Also the one
//! goodness-of-fit rule as `variant --summary` now applies it.

use crate::common;

use common::{Env, assert_contains, assert_lacks, map_rows};
use serde_json::Value;

/// A 50/50 Open edX experiment with its main flag on for everyone.
const EXP: &str = "course_experience.upsell";

fn edx_env(buckets: u32) -> Env {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP} --buckets {buckets}"));
    env.ok(&format!("flag set {EXP} --everyone on"));
    env
}

/// `srm EXP --observed FILE --json` on a file holding `text`.
fn srm_json(env: &Env, name: &str, text: &str, extra: &str) -> Value {
    let path = env.write("observed", text);
    env.json(&format!("srm {name} --observed {} {extra}", path.display()))
}

/// The upper tail of the standard normal, ∫ₓ^∞ φ(t) dt, by Simpson's rule: independent of the
/// gamma-function code the tool uses.
fn normal_tail(z: f64) -> f64 {
    let (a, b, n) = (z, z + 40.0, 200_000);
    let h = (b - a) / n as f64;
    let phi = |t: f64| (-t * t / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut s = phi(a) + phi(b);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        s += w * phi(a + i as f64 * h);
    }
    s * h / 3.0
}

/// The two-sided p-value of `x` successes out of `n` against 1/2, by the normal approximation
/// that Pearson's chi-square with one degree of freedom equals: χ² = z².
fn two_cell_p(x: u64, n: u64) -> (f64, f64) {
    let n = n as f64;
    let z = (x as f64 - n / 2.0) / (n / 4.0).sqrt();
    (z * z, 2.0 * normal_tail(z.abs()))
}

#[test]
fn balanced_counts_are_no_mismatch() {
    let env = edx_env(2);
    let v = srm_json(&env, EXP, "0,10000\n1,10050\n", "--fail-on srm");
    assert_eq!(v["verdict"], "no_mismatch");
    let (chi, p) = two_cell_p(10000, 20050);
    assert!((v["chi_square"]["statistic"].as_f64().unwrap() - chi).abs() < 1e-9);
    assert!((v["chi_square"]["p_value"].as_f64().unwrap() - p).abs() < 1e-9);
    let out = env.ok(&format!(
        "srm {EXP} --observed {}",
        env.path("observed").display()
    ));
    assert_contains(&out, "no sample-ratio mismatch (p ≥ 0.0005)");
}

#[test]
fn ten_thousand_against_ten_thousand_six_hundred_is_a_mismatch() {
    let env = edx_env(2);
    let v = srm_json(&env, EXP, "0,10000\n1,10600\n", "");
    let (chi, p) = two_cell_p(10000, 20600);
    assert!(p < 0.0005, "the case is a mismatch by the formula: {p}");
    let got = v["chi_square"]["p_value"].as_f64().unwrap();
    assert!((got - p).abs() <= 1e-6 * p, "p-value {got}, formula {p}");
    assert!((v["chi_square"]["statistic"].as_f64().unwrap() - chi).abs() < 1e-9);
    assert_eq!(v["chi_square"]["df"], 1);
    assert_eq!(v["verdict"], "mismatch");
    assert_eq!(v["enough_data"], true);
    // Without --fail-on a mismatch is a finding, not a failure.
    let file = env.path("observed");
    let out = env.ok(&format!("srm {EXP} --observed {}", file.display()));
    assert_contains(&out, "sample-ratio mismatch (p < 0.0005)");
    assert_contains(&out, "p-value 2.9");
    // With it, exit 1 and one error line; the store is untouched.
    let err = env.refuses(
        &format!("srm {EXP} --observed {} --fail-on srm", file.display()),
        1,
        "sample-ratio mismatch",
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn every_input_format_gives_the_same_test() {
    let env = edx_env(3);
    let want = srm_json(&env, EXP, "0,40\n1,55\n2,35\n", "");
    assert_eq!(want["observed_format"], "counts");
    let same = |v: &Value, format: &str| {
        assert_eq!(v["observed_format"], format, "{v}");
        assert_eq!(v["chi_square"], want["chi_square"], "{format}");
        assert_eq!(v["cells"], want["cells"], "{format}");
    };
    // A header, CRLF, a BOM, blanks and tabs.
    same(
        &srm_json(
            &env,
            EXP,
            "\u{feff}bucket,count\r\n0, 40\r\n\r\n1\t55\r\n2,35\r\n",
            "",
        ),
        "counts",
    );
    same(
        &srm_json(&env, EXP, r#"{"0": 40, "1": 55, "2": 35}"#, ""),
        "json",
    );
    same(
        &srm_json(
            &env,
            EXP,
            r#" [{"bucket": 0, "count": 40}, {"bucket": "1", "count": 55}, {"bucket": 2, "count": 35}]"#,
            "",
        ),
        "json",
    );
    // Raw rows, one per user, counted.
    let mut rows = String::new();
    for (b, n) in [(0, 40), (1, 55), (2, 35)] {
        for i in 0..n {
            rows.push_str(&format!("u{b}_{i},{b}\n"));
        }
    }
    same(&srm_json(&env, EXP, &rows, ""), "rows");
    same(
        &srm_json(&env, EXP, &format!("id,bucket\n{rows}"), ""),
        "rows",
    );
    // Ids that look like buckets are counts unless --observed-format says rows.
    let numeric = "0,1\n1,1\n2,0\n0,2\n";
    env.refuses(
        &format!(
            "srm {EXP} --observed {}",
            env.write("numeric", numeric).display()
        ),
        2,
        "listed twice",
    );
    let v = srm_json(&env, EXP, numeric, "--observed-format rows");
    assert_eq!(v["observed_format"], "rows");
    assert_eq!(v["total"], 4);
    // stdin, with what `bucket --users-file` prints (username TAB bucket).
    let users: String = (0..300).map(|i| format!("user{i}\n")).collect();
    let assigned = env.ok_with_input(&format!("bucket {EXP} --users-file -"), &users);
    assert_eq!(assigned.lines().count(), 300);
    let out = env.ok_with_input(&format!("srm {EXP} --observed - --json"), &assigned);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["observed_format"], "rows");
    assert_eq!(v["total"], 300);
    let counted: Vec<u64> = (0..3)
        .map(|b| {
            assigned
                .lines()
                .filter(|l| l.ends_with(&format!("\t{b}")))
                .count() as u64
        })
        .collect();
    let got = map_rows(&v["cells"], |c| c["observed"].as_u64().unwrap());
    assert_eq!(got, counted);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let env = edx_env(2);
    let cases: &[(&str, &str)] = &[
        ("0,100\n1,-3\n", "line 2: a negative count '-3'"),
        ("0,100\n1,1.5\n", "line 2: '1.5' is not a whole number"),
        (
            "0,100\n1,18446744073709551616\n",
            "line 2: a count '18446744073709551616' larger than 18446744073709551615",
        ),
        (
            "0,18446744073709551615\n1,1\n",
            "line 2: the counts add up to more than",
        ),
        ("0,100\n7,100\n", "line 2: unknown bucket '7'"),
        ("0,100\n0,100\n", "line 2: bucket 0 is listed twice"),
        ("0,100,3\n", "line 1: expected two fields"),
        ("u1,0\nu2,5\n", "line 2: unknown bucket '5'"),
        (r#"{"0": 100, "1": -4}"#, "entry \"1\": a negative count"),
        (
            r#"{"0": 100, "1": 2.5}"#,
            "entry \"1\": 2.5 is not a whole number",
        ),
        (
            r#"{"0": 100, "1": 1e30}"#,
            "larger than 18446744073709551615",
        ),
        (
            r#"{"0": 100, "1": "7"}"#,
            "the count must be a whole number",
        ),
        (r#"{"0": 100, "x": 7}"#, "unknown bucket 'x'"),
        (r#"{"0": 100, "0": 7}"#, "bucket 0 is listed twice"),
        (r#"[{"bucket": 0}]"#, "item 1: needs both"),
        (
            r#"[{"bucket": 0, "count": 1, "extra": 2}]"#,
            "unknown key 'extra'",
        ),
        (r#"{"0": 100"#, "not valid observed counts JSON"),
    ];
    for (text, says) in cases {
        let path = env.write("bad", text);
        let err = env.refuses(
            &format!("srm {EXP} --observed {}", path.display()),
            2,
            *says,
        );
        let first = err.lines().next().unwrap();
        assert!(first.starts_with("error: "), "{err}");
        assert!(
            err.lines().skip(1).all(|l| l.starts_with("hint: ")),
            "one error line (and hints): {err}"
        );
    }
    // A line longer than 64 KiB, and bytes that are not UTF-8.
    let long = format!("0,{}\n", "1".repeat(70_000));
    let path = env.write("long", &long);
    env.refuses(
        &format!("srm {EXP} --observed {}", path.display()),
        2,
        "line 1: longer than",
    );
    let path = env.path("latin1");
    std::fs::write(&path, b"0,1\n\xff,2\n").unwrap();
    env.refuses(
        &format!("srm {EXP} --observed {}", path.display()),
        2,
        "line 2: not UTF-8",
    );
    // An experiment that does not exist is exit 1; a missing file too.
    env.refuses(
        &format!("srm nope --observed {}", path.display()),
        1,
        "experiment 'nope' not found",
    );
    env.refuses(
        &format!("srm {EXP} --observed missing.csv"),
        1,
        "cannot read",
    );
    env.refuses(
        &format!(
            "srm {EXP} --observed {} --since 2026-02-01 --until 2026-01-01",
            path.display()
        ),
        2,
        "--since is after --until",
    );
}

#[test]
fn not_enough_data_under_five_expected_per_bucket() {
    let env = edx_env(2);
    let v = srm_json(&env, EXP, "0,9\n1,0\n", "--fail-on srm");
    // χ² = 9, p ≈ 0.0027: below 0.05, but 4.5 expected per bucket is too few to judge.
    assert_eq!(v["verdict"], "not_enough_data");
    assert_eq!(v["enough_data"], false);
    let v = srm_json(&env, EXP, "0,10\n1,0\n", "");
    assert_eq!(v["enough_data"], true);
    // A file with a header and nothing else: no test, and a warning.
    let path = env.write("empty", "bucket,count\n");
    let r = env.run_ok(&format!("srm {EXP} --observed {} --json", path.display()));
    assert_contains(&r.stderr, "holds no observations");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["verdict"], "not_applicable");
    assert_eq!(v["chi_square"], Value::Null);
}

#[test]
fn baseplate_variant_sizes_and_the_unassigned_rest() {
    let env = Env::new();
    env.ok("experiment create checkout --type multi_variant --id 77 --variant a=0.1 --variant b=0.2 --variant c=0.2 --start 2026-01-01 --stop 2027-01-01");
    // Exactly the sizes, with the unassigned half as its own cell.
    let v = srm_json(
        &env,
        "checkout",
        r#"[{"variant": "a", "count": 1000}, {"variant": "b", "count": 2000}, {"variant": "c", "count": 2000}, {"variant": null, "count": 5000}]"#,
        "",
    );
    assert_eq!(v["system"], "baseplate");
    assert_eq!(v["chi_square"]["df"], 3);
    assert_eq!(v["chi_square"]["statistic"], 0.0);
    assert_eq!(v["verdict"], "no_mismatch");
    let cells: Vec<(String, f64)> = map_rows(&v["cells"], |c| {
        let cell = c["cell"].as_str().unwrap().to_string();
        (cell, c["expected_share"].as_f64().unwrap())
    });
    let names: Vec<&str> = cells.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "(none)"]);
    for ((_, got), want) in cells.iter().zip([0.1, 0.2, 0.2, 0.5]) {
        assert!((got - want).abs() < 1e-9, "{cells:?}");
    }
    // Without the rest, the variants alone: 1:2:2. a is short by 30 %: a mismatch.
    let v = srm_json(&env, "checkout", "a,700\nb,2000\nc,2000\n", "");
    assert_eq!(v["chi_square"]["df"], 2);
    assert_eq!(v["cells"].as_array().unwrap().len(), 3);
    let expected_a = v["cells"][0]["expected"].as_f64().unwrap();
    assert!((expected_a - 4700.0 / 5.0).abs() < 1e-9);
    let chi: f64 = [(700.0, 940.0), (2000.0, 1880.0), (2000.0, 1880.0)]
        .iter()
        .map(|(o, e)| (o - e) * (o - e) / e)
        .sum();
    assert!((v["chi_square"]["statistic"].as_f64().unwrap() - chi).abs() < 1e-9);
    // df 2: the survival function is exactly e^(−χ²/2).
    let p = (-chi / 2.0).exp();
    assert!((v["chi_square"]["p_value"].as_f64().unwrap() - p).abs() <= 1e-9 * p);
    assert_eq!(v["verdict"], "mismatch");
    env.refuses(
        &format!(
            "srm checkout --observed {} --fail-on srm",
            env.path("observed").display()
        ),
        1,
        "sample-ratio mismatch",
    );
    // A variant of size 0 is a cell that expects nobody: none observed is no mismatch, any
    // observed is one.
    env.ok("experiment create paused --type multi_variant --id 78 --variant on=0.5 --variant off=0 --variant also=0.1 --start 2026-01-01 --stop 2027-01-01");
    let v = srm_json(
        &env,
        "paused",
        "on,5000\noff,0\nalso,1000\n(none),4000\n",
        "",
    );
    let names: Vec<&str> = map_rows(&v["cells"], |c| c["cell"].as_str().unwrap());
    assert_eq!(names, ["on", "off", "also", "(none)"]);
    assert_eq!(v["cells"][1]["expected"], 0.0);
    assert_eq!(v["chi_square"]["df"], 2);
    assert_eq!(v["verdict"], "no_mismatch");
    let v = srm_json(
        &env,
        "paused",
        "on,5000\noff,3\nalso,1000\n(none),4000\n",
        "",
    );
    assert_eq!(v["verdict"], "mismatch");
    // Unknown variants are named.
    let path = env.write("bad", "a,1\nd,2\n");
    env.refuses(
        &format!("srm checkout --observed {}", path.display()),
        2,
        "line 2: unknown variant 'd'",
    );
}

#[test]
fn whitelists_are_causes_and_their_users_are_left_out() {
    let env = edx_env(2);
    env.ok("user add alice");
    env.ok("user add bob");
    env.ok("user add root --staff");
    env.ok("group add beta");
    env.ok("user set bob --add-group beta");
    env.ok(&format!("experiment whitelist add {EXP} 1 --user alice"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --group beta"));
    env.ok(&format!("experiment whitelist add {EXP} 0 --staff"));
    // Raw rows: the forced users are recognised by name and left out.
    let mut rows = String::from("alice,1\nbob,1\nroot,0\n");
    for i in 0..100 {
        rows.push_str(&format!("u{i},{}\n", i % 2));
    }
    let v = srm_json(&env, EXP, &rows, "");
    assert_eq!(v["forced"], 3);
    assert_eq!(v["total"], 100);
    assert_eq!(v["cells"][1]["observed"], 52);
    assert_eq!(v["cells"][1]["forced"], 2);
    assert_eq!(v["cells"][1]["tested"], 50);
    assert_eq!(v["chi_square"]["statistic"], 0.0);
    let details: Vec<String> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "whitelist")
        .map(|c| c["detail"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(details.len(), 2, "{details:?}");
    assert_contains(&details[0], "bucket 0");
    assert_contains(&details[0], "staff (1 user in the store");
    assert_contains(&details[1], "bucket 1");
    assert_contains(&details[1], "2 users in the store");
    // Counts: the forced users are taken from their buckets.
    let v = srm_json(&env, EXP, "0,51\n1,52\n", "");
    assert_eq!(v["cells"][0]["tested"], 50);
    assert_eq!(v["cells"][1]["tested"], 50);
    let out = env.ok(&format!(
        "srm {EXP} --observed {}",
        env.path("observed").display()
    ));
    assert_contains(&out, "FORCED");
    assert_contains(&out, "whitelist: bucket 1");
}

#[test]
fn main_flag_overrides_and_audit_changes_are_causes() {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP} --buckets 2"));
    env.ok(&format!("flag set {EXP} --everyone unset --percent 50"));
    env.ok(&format!(
        "override set {EXP} --course course-v1:edX+DemoX+Demo_Course off"
    ));
    env.ok(&format!("experiment set {EXP} --buckets 3"));
    let v = srm_json(&env, EXP, "0,100\n1,100\n2,100\n", "");
    let causes = v["causes"].to_string();
    assert_contains(&causes, "main_flag");
    assert_contains(&causes, "50.0% at random");
    assert_contains(&causes, "course-v1:edX+DemoX+Demo_Course");
    assert_contains(&causes, "num_buckets: 2 → 3");
    // The definition's creation opens the window and is no cause.
    assert_lacks(&causes, "create experiment");
    // A window before any change shows none of the audit log.
    let v = srm_json(
        &env,
        EXP,
        "0,100\n1,100\n2,100\n",
        "--since 2025-01-01 --until 2025-06-01",
    );
    assert_lacks(&v["causes"].to_string(), "num_buckets");
    assert_contains(v["since"].as_str().unwrap(), "2025-01-01T00:00:00");
    assert_contains(v["until"].as_str().unwrap(), "2025-06-01T00:00:00");
}

#[test]
fn json_shape() {
    let env = edx_env(2);
    let v = srm_json(&env, EXP, "0,120\n1,80\n", "");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "experiment",
        "system",
        "observed_format",
        "cells",
        "total",
        "forced",
        "chi_square",
        "threshold",
        "enough_data",
        "verdict",
        "causes",
        "since",
        "until",
    ] {
        assert!(keys.contains(&k), "{k} missing: {keys:?}");
    }
    assert_eq!(v["experiment"], EXP);
    assert_eq!(v["system"], "edx");
    assert_eq!(v["threshold"], 0.0005);
    let cell = &v["cells"][0];
    for k in [
        "cell",
        "observed",
        "forced",
        "tested",
        "expected",
        "share",
        "expected_share",
        "deviation",
    ] {
        assert!(cell.get(k).is_some(), "cell {k} missing: {cell}");
    }
    assert_eq!(cell["cell"], "0");
    assert_eq!(cell["expected"], 100.0);
    assert!((cell["deviation"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    assert!((cell["share"].as_f64().unwrap() - 0.6).abs() < 1e-12);
}

/// `variant --summary` uses the same rule for enough data: every outcome expects 5 hashed
/// values (it used to want 50 values in all).
#[test]
fn variant_summary_judges_from_five_expected_per_outcome() {
    let env = Env::new();
    env.ok("experiment create split --type multi_variant --id 9 --variant a=0.3 --variant b=0.3 --variant c=0.4 --start 2026-01-01 --stop 2027-01-01");
    let ids: String = (0..30).map(|i| format!("t2_{i}\n")).collect();
    let out = env.ok_with_input("variant split --users-file - --summary", &ids);
    assert_contains(
        &out,
        "chi-square test against the configured sizes over the 30 hashed values",
    );
    assert_lacks(&out, "too few");
    let few: String = (0..12).map(|i| format!("t2_{i}\n")).collect();
    let out = env.ok_with_input("variant split --users-file - --summary", &few);
    assert_contains(&out, "too few hashed values (12)");
}
