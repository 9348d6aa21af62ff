//! The behaviour vectors of spec/edx.md through the binary: §8 V1–V18 and V23, the §6.1 and
//! §6.2 scenarios with the real hash, and the override tables of §6.4 and §6.5. Every store is
//! built with the CLI. Expected buckets come from the spec's hash tables (§2), never from our
//! own code.

use crate::common;

use common::{Env, NOW, assert_contains};
use serde_json::Value;

const EXP: &str = "experiments.test";

/// The §8 baseline: experiment `experiments.test`, 2 buckets, course-aware, experiment ID 0,
/// users robot0 and robot1 (not staff), main flag on for everyone (V3).
fn v_env() -> Env {
    let env = Env::new();
    env.ok("user add robot0");
    env.ok("user add robot1");
    env.ok(&format!("experiment create {EXP} --buckets 2 --id 0"));
    env.ok(&format!("flag on {EXP}"));
    env
}

/// `bucket` as JSON, with the clock fixed.
fn bucket(env: &Env, args: &str) -> Value {
    env.json(&format!("bucket {EXP} --now {NOW} {args}"))
}

/// `eval` of the experiment as JSON (for the analytics event).
fn eval(env: &Env, args: &str) -> Value {
    env.json(&format!("eval {EXP} --now {NOW} {args}"))
}

/// Asserts the bucket from `bucket` and from `eval`, and whether the LMS sends the event
/// (with that bucket).
fn expect(env: &Env, args: &str, want: u64, event: bool) -> Value {
    let b = bucket(env, args);
    assert_eq!(b["bucket"], want, "bucket {args:?}: {b:#}");
    let e = eval(env, args);
    assert_eq!(e["kind"], "experiment");
    assert_eq!(e["bucket"], want, "eval {args:?}: {e:#}");
    assert_eq!(e["active"], want != 0);
    assert_eq!(b["event"], e["event"]);
    if event {
        assert_eq!(
            e["event"]["name"], "edx.bi.experiment.user.bucketed",
            "{e:#}"
        );
        assert_eq!(e["event"]["properties"]["bucket"], want);
    } else {
        assert!(
            e["event"].is_null(),
            "no event expected for {args:?}: {e:#}"
        );
    }
    e
}

const R1: &str = "--user robot1 --course a/b/c";

#[test]
fn v1_main_flag_row_absent() {
    let env = v_env();
    env.ok(&format!("flag delete {EXP} --yes"));
    let e = expect(&env, R1, 0, false);
    let steps = e["steps"].to_string();
    assert_contains(&steps, "no such flag");
}

#[test]
fn v2_course_override_turns_the_main_flag_on() {
    let env = v_env();
    env.ok(&format!("flag off {EXP}"));
    env.ok(&format!("override set {EXP} --course a/b/c on"));
    // §2: experiments.test.a/b/c + robot1 → n = 3616172947, odd.
    let e = expect(&env, R1, 1, true);
    let p = &e["event"]["properties"];
    assert_eq!(p["app_label"], "experiments");
    assert_eq!(p["experiment"], "test");
    assert_eq!(p["course_id"], "a/b/c");
    assert_eq!(p["is_staff"], false);
    assert_eq!(p["nonInteraction"], 1);
    assert_eq!(p.as_object().unwrap().len(), 7, "exactly 7 properties: {p}");
}

#[test]
fn v3_main_flag_on_for_everyone() {
    let env = v_env();
    let b = bucket(&env, R1);
    assert_eq!(b["bucket"], 1);
    assert_eq!(b["stage"], "hash");
    assert_eq!(b["flag"], EXP);
    assert_eq!(b["user"], "robot1");
    assert_eq!(b["course"], "a/b/c");
    assert!(b["reason"].as_str().unwrap().contains("3616172947"));
    expect(&env, R1, 1, true);
}

#[test]
fn v4_bucket_zero_from_the_hash_still_sends_the_event() {
    let env = v_env();
    // §2: experiments.test.a/b/c + robot0 → n = 2107049814, even.
    expect(&env, "--user robot0 --course a/b/c", 0, true);
}

#[test]
fn v5_course_unaware_hashes_the_bare_name() {
    let env = v_env();
    env.ok(&format!("experiment set {EXP} --no-course-aware"));
    // §2: experiments.test + robot1 → n = 560232555, odd.
    expect(&env, R1, 1, true);
    // The definition option on the command line gives the same.
    let env = v_env();
    assert_eq!(
        bucket(&env, "--user robot1 --course a/b/c --no-course-aware")["bucket"],
        1
    );
    // And robot0 course-unaware: 1052099650, even.
    assert_eq!(
        bucket(&env, "--user robot0 --course a/b/c --no-course-aware")["bucket"],
        0
    );
}

#[test]
fn v6_lowest_forced_bucket_wins() {
    let env = v_env();
    env.ok(&format!("experiment whitelist add {EXP} 1 --everyone"));
    env.ok(&format!("experiment whitelist add {EXP} 0 --everyone"));
    let e = expect(&env, R1, 0, true);
    assert_eq!(bucket(&env, R1)["stage"], "forced");
    assert_eq!(e["event"]["properties"]["bucket"], 0);
}

#[test]
fn v7_course_override_off_on_bucket_zero_lets_bucket_one_win() {
    let env = v_env();
    env.ok(&format!("experiment whitelist add {EXP} 0 --everyone"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --everyone"));
    env.ok("override set experiments.test.0 --course a/b/c off");
    // robot0 would hash to 0: the 1 comes from the forced bucket.
    expect(&env, "--user robot0 --course a/b/c", 1, true);
}

#[test]
fn v8_future_start_and_not_enrolled() {
    let env = v_env();
    env.ok("experiment kv set 0 enrollment_start 2030-01-01");
    expect(&env, R1, 0, false);
    assert_eq!(bucket(&env, R1)["stage"], "outside_window");
}

#[test]
fn v9_the_end_is_exclusive() {
    let env = v_env();
    env.ok("experiment kv set 0 enrollment_end 2012-01-06");
    env.ok("user enroll robot1 a/b/c --at 2012-01-06T00:00:00Z");
    expect(&env, R1, 0, false);
}

#[test]
fn v10_the_start_is_inclusive() {
    let env = v_env();
    env.ok("experiment kv set 0 enrollment_start 2012-01-06");
    env.ok("user enroll robot1 a/b/c --at 2012-01-06T00:00:00Z");
    expect(&env, R1, 1, true);
}

/// A value edX's admin (or a script) could store but `experiment kv set` refuses to write.
fn store_raw_key_value(env: &Env, key: &str, value: &str) {
    env.exec_with(
        "INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
             VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, ?1, ?2)",
        [key, value],
    );
}

#[test]
fn v11_an_unreadable_start_puts_everyone_outside() {
    let env = v_env();
    // `kv set` refuses it: a person typing it gets exit 2.
    env.fails_unchanged("experiment kv set 0 enrollment_start garbage", 2);
    store_raw_key_value(&env, "enrollment_start", "garbage");
    let e = expect(&env, R1, 0, false);
    assert!(
        e["steps"].to_string().contains("cannot be read as a date"),
        "{e:#}"
    );
}

#[test]
fn v12_no_experiment_id_ignores_the_window() {
    let env = v_env();
    env.ok("experiment kv set 0 enrollment_start 2099-01-01");
    env.ok(&format!("experiment set {EXP} --no-id"));
    expect(&env, R1, 1, true);
}

#[test]
fn v13_no_course() {
    let env = v_env();
    // §2: experiments.test + robot1 → 560232555, odd.
    let e = expect(&env, "--user robot1", 1, true);
    assert!(e["event"]["properties"]["course_id"].is_null());
    assert_eq!(e["event"]["session_key"], "tracked.experiments.test");
}

#[test]
fn v14_anonymous_hashes_to_zero_without_event() {
    let env = v_env();
    let b = bucket(&env, "--anonymous --course a/b/c");
    assert!(b["user"].is_null());
    assert_eq!(b["anonymous"], true);
    expect(&env, "--anonymous --course a/b/c", 0, false);
}

#[test]
fn v15_anonymous_can_be_forced() {
    let env = v_env();
    env.ok(&format!("experiment whitelist add {EXP} 1 --everyone"));
    expect(&env, "--anonymous --course a/b/c", 1, false);
}

#[test]
fn v16_org_override_off() {
    let env = v_env();
    env.ok(&format!("override set {EXP} --org a off"));
    expect(&env, R1, 0, false);
}

#[test]
fn v17_course_override_beats_org_override() {
    let env = v_env();
    env.ok(&format!("override set {EXP} --org a off"));
    env.ok(&format!("override set {EXP} --course a/b/c on"));
    expect(&env, R1, 1, true);
}

#[test]
fn v18_a_newer_disabled_row_cancels_the_override() {
    let env = v_env();
    env.ok(&format!("flag off {EXP}"));
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2025-01-01T00:00:00Z",
        &format!("override set {EXP} --course a/b/c on"),
    );
    // The newer row: disabled, choice still `on` (what `override clear` appends).
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2025-06-01T00:00:00Z",
        &format!("override clear {EXP} --course a/b/c"),
    );
    let rows: Vec<(i64, String)> = env.all("SELECT enabled, override_choice FROM waffle_utils_waffleflagcourseoverridemodel ORDER BY change_date");
    assert_eq!(rows, vec![(1, "on".to_string()), (0, "on".to_string())]);
    expect(&env, R1, 0, false);
}

#[test]
fn v23_superusers_criterion_turns_the_main_flag_on() {
    let env = Env::new();
    env.ok("user add robot1 --superuser");
    env.ok(&format!("experiment create {EXP} --buckets 2 --id 0"));
    env.ok(&format!("flag set {EXP} --everyone unset --superusers"));
    // Main on for the superuser → hash: robot1 → 1.
    let e = expect(&env, R1, 1, true);
    assert_eq!(e["event"]["properties"]["is_staff"], false);
    // A plain user is not admitted.
    env.ok("user add robot0");
    expect(&env, "--user robot0 --course a/b/c", 0, false);
    // is_staff in the event is the user's own.
    env.ok("user set robot1 --staff");
    let e = expect(&env, R1, 1, true);
    assert_eq!(e["event"]["properties"]["is_staff"], true);
}

// ---- §6.1 ExperimentWaffleFlagTests, with the real hash -----------------------------------------
//
// The test helper turns the main flag on (or off) and `experiments.test.1` on. Because `.1` is on,
// every run that reaches the bucket flags is forced into bucket 1 whatever the hash says.

fn t61_env(main_on: bool) -> Env {
    let env = v_env();
    if !main_on {
        env.ok(&format!("flag off {EXP}"));
    }
    env.ok(&format!("experiment whitelist add {EXP} 1 --everyone"));
    env
}

fn t61(env: &Env) -> u64 {
    bucket(env, R1)["bucket"].as_u64().unwrap()
}

#[test]
fn t61_basic_happy_path_and_not_enabled() {
    assert_eq!(t61(&t61_env(true)), 1);
    assert_eq!(t61(&t61_env(false)), 0);
}

/// Each case: `key` set to a date (or not), robot1 enrolled at a date (or not), the bucket.
/// Then the key stored as text edX cannot read (as its admin would), enrolled 2012-01-07 → 0.
fn t61_window(key: &str, cases: &[(Option<&str>, Option<&str>, u64)]) {
    for &(date, enrolled, want) in cases {
        let env = t61_env(true);
        if let Some(d) = date {
            env.ok(&format!("experiment kv set 0 {key} {d}"));
        }
        if let Some(at) = enrolled {
            env.ok(&format!("user enroll robot1 a/b/c --at {at}"));
        }
        assert_eq!(t61(&env), want, "{key} {date:?}, enrolled {enrolled:?}");
    }
    let env = t61_env(true);
    store_raw_key_value(&env, key, "not-a-date");
    env.ok("user enroll robot1 a/b/c --at 2012-01-07");
    assert_eq!(t61(&env), 0, "{key} not-a-date");
}

#[test]
fn t61_enrollment_start() {
    // (start, enrolled, expected); #6 is the unreadable start.
    t61_window(
        "enrollment_start",
        &[
            (Some("2012-01-06"), None, 1),
            (Some("9999-01-06"), None, 0),
            (Some("2012-01-06"), Some("2012-01-05"), 0),
            (Some("2012-01-06"), Some("2012-01-07"), 1),
            (None, Some("2012-01-07"), 1),
        ],
    );
}

#[test]
fn t61_enrollment_end() {
    t61_window(
        "enrollment_end",
        &[
            (Some("2012-01-06"), None, 0),
            (Some("9999-01-06"), None, 1),
            (Some("2012-01-06"), Some("2012-01-05"), 1),
            (Some("2012-01-06"), Some("2012-01-07"), 0),
            (None, Some("2012-01-07"), 1),
        ],
    );
}

#[test]
fn t61_enrolled_at_on_the_command_line_replaces_the_store() {
    let env = t61_env(true);
    env.ok("experiment kv set 0 enrollment_start 2012-01-06");
    env.ok("user enroll robot1 a/b/c --at 2012-01-07");
    assert_eq!(t61(&env), 1);
    assert_eq!(
        bucket(
            &env,
            "--user robot1 --course a/b/c --enrolled-at 2012-01-05"
        )["bucket"],
        0
    );
}

#[test]
fn t61_forcing_bucket() {
    let env = t61_env(true);
    env.ok(&format!("experiment whitelist add {EXP} 0 --everyone"));
    assert_eq!(t61(&env), 0);
    let env = t61_env(true);
    env.ok("flag create experiments.test.0 --everyone off");
    assert_eq!(t61(&env), 1);
}

#[test]
fn t61_tracking_event_properties() {
    let env = t61_env(true);
    let e = eval(&env, R1);
    let ev = &e["event"];
    assert_eq!(ev["name"], "edx.bi.experiment.user.bucketed");
    let p = &ev["properties"];
    assert_eq!(p["app_label"], "experiments");
    assert_eq!(p["experiment"], "test");
    assert_eq!(p["bucket"], 1);
    assert_eq!(p["course_id"], "a/b/c");
    assert_eq!(p["is_staff"], false);
    assert_eq!(p["nonInteraction"], 1);
    assert_eq!(ev["session_key"], "tracked.experiments.test.a/b/c");
    let id: i64 = env.one("SELECT id FROM auth_user WHERE username = 'robot1'");
    assert_eq!(ev["user_id"], id);
}

#[test]
fn t61_is_enabled_is_bucket_not_zero() {
    let env = t61_env(true);
    assert_eq!(eval(&env, R1)["active"], true);
    let env = t61_env(false);
    assert_eq!(eval(&env, R1)["active"], false);
}

#[test]
fn t61_app_label_and_experiment_name() {
    let env = Env::new();
    env.ok("user add robot1");
    env.ok("experiment create namespace.flag.name --buckets 2");
    env.ok("flag on namespace.flag.name");
    let e = env.json("eval namespace.flag.name --user robot1");
    assert_eq!(e["event"]["properties"]["app_label"], "namespace");
    assert_eq!(e["event"]["properties"]["experiment"], "flag.name");
}

// ---- §6.2 course awareness, with the real hash (the right-hand column) --------------------------

#[test]
fn t62_course_awareness() {
    let env = Env::new();
    env.ok("user add robot0");
    env.ok("experiment create exp.aware --buckets 20");
    env.ok("experiment create exp.unaware --buckets 20 --no-course-aware");
    env.ok("flag on exp.aware");
    env.ok("flag on exp.unaware");
    env.ok("override set exp.aware.1 --course x/y/1 on");
    env.ok("override set exp.unaware.1 --course x/y/1 on");
    // (flag, course, expected) from §2: exp.aware.x/y/22 + robot0 → 1748574275 % 20 = 15;
    // exp.aware.x/y/333 → 3403696722 % 20 = 2; exp.aware → 2219812859 % 20 = 19;
    // exp.unaware → 1003219135 % 20 = 15.
    let cases: &[(&str, Option<&str>, u64)] = &[
        ("exp.aware", Some("x/y/1"), 1),
        ("exp.aware", Some("x/y/22"), 15),
        ("exp.aware", Some("x/y/333"), 2),
        ("exp.aware", None, 19),
        ("exp.unaware", Some("x/y/1"), 1),
        ("exp.unaware", Some("x/y/22"), 15),
        ("exp.unaware", Some("x/y/333"), 15),
        ("exp.unaware", None, 15),
    ];
    for &(flag, course, want) in cases {
        let mut args = vec!["bucket", flag, "--user", "robot0", "--now", NOW];
        if let Some(c) = course {
            args.extend(["--course", c]);
        }
        let b = env.json(&args);
        assert_eq!(b["bucket"], want, "{flag} {course:?}: {b:#}");
        let forced = course == Some("x/y/1");
        assert_eq!(
            b["stage"],
            if forced { "forced" } else { "hash" },
            "{flag} {course:?}"
        );
    }
}

// ---- §6.4 CourseWaffleFlag precedence, through eval ---------------------------------------------

const TF: &str = "test_namespace.test_flag";
const C1: &str = "edX/DemoX/Demo_Course";
const C2: &str = "edX/DemoX/Demo_Course_2";
const C3: &str = "CollegeX/DemoX/Demo_Course";

fn active(env: &Env, course: &str) -> bool {
    let v = env.json(&["eval", TF, "--user", "u", "--course", course]);
    assert_eq!(v["kind"], "flag");
    v["active"].as_bool().expect("a decided flag")
}

/// Sets the waffle value and the course (on C1) and org (edX) overrides; `None` clears.
fn state(env: &Env, waffle: bool, course: Option<&str>, org: Option<&str>) {
    env.ok(&["flag", if waffle { "on" } else { "off" }, TF]);
    match course {
        Some(c) => env.ok(&["override", "set", TF, "--course", C1, c]),
        None => env.ok(&format!("override clear {TF} --course {C1}")),
    };
    match org {
        Some(o) => env.ok(&["override", "set", TF, "--org", "edX", o]),
        None => env.ok(&format!("override clear {TF} --org edX")),
    };
}

#[test]
fn t64_course_override_table() {
    let env = Env::with_flag(TF);
    for (w, c, want) in [
        (false, Some("on"), true),
        (true, Some("off"), false),
        (true, None, true),
        (false, None, false),
    ] {
        state(&env, w, c, None);
        assert_eq!(active(&env, C1), want, "waffle {w}, course {c:?}");
        // Course 2 has no course override: the waffle value.
        assert_eq!(active(&env, C2), w);
    }
}

#[test]
fn t64_org_override_tables() {
    let env = Env::with_flag(TF);
    for (w, o, want) in [
        (false, None, false),
        (true, None, true),
        (false, Some("on"), true),
        (true, Some("on"), true),
        (false, Some("off"), false),
        (true, Some("off"), false),
    ] {
        state(&env, w, None, o);
        assert_eq!(active(&env, C1), want, "waffle {w}, org {o:?}");
        assert_eq!(active(&env, C2), want, "waffle {w}, org {o:?} (course 2)");
        // Another org: the waffle value, for all six.
        assert_eq!(active(&env, C3), w, "waffle {w}, org {o:?} (CollegeX)");
    }
}

#[test]
fn t64_course_and_org_override_table() {
    let env = Env::with_flag(TF);
    let rows: &[(bool, Option<&str>, Option<&str>, bool)] = &[
        (false, None, None, false),
        (true, None, None, true),
        (false, Some("on"), None, true),
        (true, Some("on"), None, true),
        (false, Some("on"), Some("on"), true),
        (true, Some("on"), Some("on"), true),
        (false, Some("on"), Some("off"), true),
        (true, Some("on"), Some("off"), true),
        (false, None, Some("on"), true),
        (true, None, Some("on"), true),
        (false, Some("off"), Some("on"), false),
        (true, Some("off"), Some("on"), false),
        (false, Some("off"), Some("off"), false),
        (true, Some("off"), Some("off"), false),
        (false, Some("off"), None, false),
        (true, Some("off"), None, false),
        (false, None, Some("off"), false),
        (true, None, Some("off"), false),
    ];
    for &(w, c, o, want) in rows {
        state(&env, w, c, o);
        assert_eq!(active(&env, C1), want, "({w}, {c:?}, {o:?})");
    }
}

#[test]
fn t64_undefined_flag_is_off() {
    let env = Env::new();
    // A name nothing knows: django-waffle's WAFFLE_FLAG_DEFAULT (off), marked as undefined.
    let v = env.json(&format!("eval {TF} --user u --course {C1}"));
    assert_eq!(
        (v["active"].clone(), v["defined"].clone()),
        (false.into(), false.into())
    );
    assert_eq!(v["kind"], "flag");
    // Only a cleared override row names it: it is a flag without a row → off.
    env.ok(&format!("override set {TF} --course {C1} on"));
    env.ok(&format!("override clear {TF} --course {C1}"));
    let v = env.json(&format!("eval {TF} --user u --course {C1}"));
    assert_eq!(v["active"], false);
    assert!(v["steps"].to_string().contains("no such flag"), "{v:#}");
}

// ---- §6.5 override_value ------------------------------------------------------------------------

#[test]
fn t65_override_value() {
    let env = Env::with_flag(TF);
    // (T, on) → on: forces a waffle-off flag on.
    env.ok(&format!("flag off {TF}"));
    env.ok(&format!("override set {TF} --course {C1} on"));
    assert!(active(&env, C1));
    // (T, off) → off: forces a waffle-on flag off.
    env.ok(&format!("flag on {TF}"));
    env.ok(&format!("override set {TF} --course {C1} off"));
    assert!(!active(&env, C1));
    // Writing on then off (two rows) gives off: the last two rows are on, off.
    let last: Vec<String> = env.all("SELECT override_choice FROM waffle_utils_waffleflagcourseoverridemodel ORDER BY id DESC LIMIT 2");
    assert_eq!(last, ["off", "on"]);
    // (F, on) → unset: a disabled row leaves the waffle value.
    env.ok(&format!("override set {TF} --course {C1} on"));
    env.ok(&format!("override clear {TF} --course {C1}"));
    env.ok(&format!("flag off {TF}"));
    assert!(!active(&env, C1));
    env.ok(&format!("flag on {TF}"));
    assert!(active(&env, C1));
}
