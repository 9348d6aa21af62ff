//! Issue 12 item 1 (and 5–7): errors say what is wrong and what to do; exit code, message and
//! an unchanged store for each.

use crate::common;

use common::{Env, assert_contains, assert_lacks};

#[test]
fn missing_required_arguments_are_named() {
    let env = Env::new();
    let cases: &[(&str, &str)] = &[
        ("flag on", "<NAME>"),
        ("flag create", "<NAME>"),
        ("sample create foo", "<PERCENT>"),
        ("experiment kv set 17", "<KEY>, <VALUE>"),
        ("override set F on", "--course"),
        ("bucket F", "--user"),
        ("experiment whitelist add F 2", "--staff"),
    ];
    for (args, named) in cases {
        let err = env.fails_unchanged(args, 2);
        let first = err.lines().next().unwrap();
        assert!(
            first.starts_with("error: the following required arguments were not provided: ")
                && first.contains(named),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn whitelist_add_with_swapped_arguments_says_the_order() {
    let env = Env::new();
    let err = env.refuses(
        "experiment whitelist add 1 NAME --staff",
        2,
        "<BUCKET> must be a whole number, not 'NAME'",
    );
    assert_contains(&err, "hint: the order is NAME BUCKET");
    assert_lacks(&err, "invalid digit");
}

fn example() -> Env {
    Env::with(&[
        "flag create new_dashboard",
        "switch create maintenance",
        "sample create sampled 10",
        "user add alice",
        "group add beta",
        "experiment create course_experience.upsell --buckets 2",
    ])
}

#[test]
fn misspelt_names_get_did_you_mean_and_never_a_hint_to_create_them() {
    let env = example();
    let cases: &[(&str, &str)] = &[
        ("flag show new_dashbord", "'new_dashboard'"),
        ("flag on new_dashbord", "'new_dashboard'"),
        ("flag delete new_dashbord --yes", "'new_dashboard'"),
        ("switch show maintenence", "'maintenance'"),
        ("sample show sampeld", "'sampled'"),
        (
            "experiment show course_experience.upsel",
            "'course_experience.upsell'",
        ),
        (
            "bucket course_experience.upsel --user alice",
            "'course_experience.upsell'",
        ),
        ("flag set new_dashboard --add-user alcie", "'alice'"),
        ("flag set new_dashboard --add-group bta", "'beta'"),
        ("user show alcie", "'alice'"),
        ("history new_dashbord", "'new_dashboard'"),
    ];
    for (args, close) in cases {
        let err = env.fails_unchanged(args, 1);
        assert!(
            err.contains(&format!("hint: did you mean {close}?")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("create"), "{args:?} hints to create: {err}");
    }
    let err = env.fails_unchanged("flag show zzzz", 1);
    assert_lacks(&err, "create");
}

#[test]
fn history_of_a_name_that_never_existed_says_so() {
    let env = example();
    let err = env.fails_unchanged("history no_such_thing", 1);
    assert_contains(
        &err,
        "nothing named 'no_such_thing' exists or was ever changed",
    );
    // A deleted flag still has its history.
    env.ok("flag delete new_dashboard --yes");
    assert!(env.ok("history new_dashboard").contains("delete"));
}

#[test]
fn bad_environment_values_are_errors() {
    let env = example();
    let cases: &[(&str, &str, &str)] = &[
        (
            "WAFFLECTL_NOW",
            "yesterday-ish",
            "WAFFLECTL_NOW is not a date",
        ),
        (
            "WAFFLECTL_BUSY_TIMEOUT_MS",
            "5s",
            "WAFFLECTL_BUSY_TIMEOUT_MS must be a whole number",
        ),
        (
            "WAFFLECTL_ACTR",
            "bob",
            "unknown environment variable WAFFLECTL_ACTR",
        ),
    ];
    for (var, value, msg) in cases {
        let before = env.bytes();
        let out = env
            .cmd()
            .env(var, value)
            .args(["flag", "on", "new_dashboard"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{var}={value}: {err}");
        assert!(
            err.starts_with(&format!("error: {msg}")),
            "{var}={value}: {err}"
        );
        assert_contains(&err, "hint: ");
        assert!(env.bytes() == before, "{var} changed the store");
    }
    let r = env.run_with_env("WAFFLECTL_ACTR", "bob", "flag list");
    assert_contains(&r.stderr, "did you mean WAFFLECTL_ACTOR?");
    // The test servers' variables CI exports for every process are known, not refused.
    for var in ["WAFFLECTL_TEST_MYSQL_URL", "WAFFLECTL_TEST_PG_RO_URL"] {
        assert_contains(
            &env.ok_with_env(var, "mysql://u@127.0.0.1/db", "flag list"),
            "new_dashboard",
        );
    }
}

#[test]
fn no_input_says_prompts_are_turned_off() {
    let env = example();
    let err = env.refuses(
        "flag delete new_dashboard --no-input",
        2,
        "prompts are turned off (--no-input)",
    );
    assert_lacks(&err, "no terminal");
    // On a terminal too: util-linux `script` gives us one (.ci/run installs it; its absence is a
    // failure, not a skip).
    let out = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{} --db {} flag delete new_dashboard --no-input",
            assert_cmd::cargo::cargo_bin("wafflectl").display(),
            env.db.display()
        ))
        .arg("/dev/null")
        .env("NO_COLOR", "1")
        .output()
        .expect("util-linux script, to run wafflectl on a terminal");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_contains(&text, "prompts are turned off (--no-input)");
    assert!(env.ok("flag list").contains("new_dashboard"));
}

/// A refused confirmation after a warning: exit 2, the store unchanged; returns stderr.
fn warns_then_fails(env: &Env, args: &str) -> String {
    let before = env.bytes();
    let r = env.run(args);
    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    assert!(r.stderr.starts_with("warning: "), "{}", r.stderr);
    assert!(env.bytes() == before, "{args:?} changed the store");
    r.stderr
}

#[test]
fn deleting_an_experiment_flag_warns_what_it_breaks() {
    let env = example();
    env.ok("experiment whitelist add course_experience.upsell 1 --staff");
    let err = warns_then_fails(&env, "flag delete course_experience.upsell");
    assert!(
        err.contains("warning: flag course_experience.upsell is the main flag of experiment course_experience.upsell")
            && err.contains("everyone in bucket 0"),
        "{err}"
    );
    assert_contains(
        &err,
        "confirmation needed to delete flag course_experience.upsell (the main flag of experiment course_experience.upsell)",
    );
    let err = warns_then_fails(&env, "flag delete course_experience.upsell.1");
    assert_contains(
        &err,
        "is bucket 1's whitelist of experiment course_experience.upsell",
    );
    env.ok_saying(
        "flag delete course_experience.upsell.1 --yes",
        "warning: flag course_experience.upsell.1 is bucket 1's whitelist",
    );
    // An ordinary flag: no warning.
    let r = env.run("flag delete new_dashboard --yes");
    assert_lacks(&r.stderr, "warning");
}

#[test]
fn an_empty_enrollment_window_warns() {
    let env = example();
    env.ok("experiment kv set 5 enrollment_start 2026-03-01");
    env.ok_saying("experiment kv set 5 enrollment_end 2026-02-01", "warning: the enrollment window of experiment 5 is empty: enrollment_end 2026-02-01T00:00:00 is not after enrollment_start 2026-03-01T00:00:00");
    let r = env.run("experiment kv set 5 enrollment_end 2026-04-01");
    assert_lacks(&r.stderr, "warning");
}

#[test]
fn export_to_a_missing_folder_says_the_folder_does_not_exist() {
    let env = example();
    let err = env.fails_unchanged("export -o /no/such/dir/x.json", 1);
    assert!(
        err.starts_with("error: cannot write /no/such/dir/x.json: the folder /no/such/dir does not exist\nhint: "),
        "{err}"
    );
    assert_lacks(&err, "os error");
}

#[test]
fn django_export_says_what_it_leaves_out() {
    let env = example();
    env.ok("user enroll alice course-v1:edX+DemoX+Demo_Course");
    let r = env.run_ok("export --format django");
    assert!(
        r.stderr.contains(
            "warning: the Django fixture leaves out 1 experiment definition, 1 enrollment"
        ) && r.stderr.contains("are not Django models")
            && r.stderr.contains("wafflectl export --format native"),
        "{}",
        r.stderr
    );
    // Nothing left out, nothing to say.
    let bare = Env::new();
    bare.ok("flag create x");
    let r = bare.run("export --format django");
    assert_lacks(&r.stderr, "warning");
}

#[test]
fn enroll_says_who_was_enrolled_where() {
    let env = example();
    let r = env.run("user enroll alice course-v1:edX+DemoX+Demo_Course");
    assert_eq!(
        r.stderr,
        "enrolled alice in course-v1:edX+DemoX+Demo_Course\n"
    );
    let r = env.run("user unenroll alice course-v1:edX+DemoX+Demo_Course");
    assert_eq!(
        r.stderr,
        "unenrolled alice from course-v1:edX+DemoX+Demo_Course\n"
    );
}

#[test]
fn actor_falls_back_to_the_login_name() {
    let env = example();
    env.cmd()
        .env_remove("USER")
        .env("LOGNAME", "loggy")
        .args(["switch", "on", "maintenance"])
        .assert()
        .success();
    let h = env.json("history maintenance --limit 1");
    assert_eq!(h[0]["actor"], "loggy", "{h}");
    // Neither variable: the OS user, never "unknown" on a system that knows who runs it.
    env.cmd()
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(["switch", "off", "maintenance"])
        .assert()
        .success();
    let h = env.json("history maintenance --limit 1");
    #[cfg(unix)]
    assert_ne!(h[0]["actor"], "unknown", "{h}");
}

fn native_with(env: &Env, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(&env.ok("export")).unwrap();
    edit(&mut doc);
    let path = env.write("edited.json", &doc.to_string());
    path.display().to_string()
}

#[test]
fn a_misspelt_field_in_a_native_file_names_field_object_and_allowed_fields() {
    let env = example();
    let file = native_with(&env, |d| {
        let f = d["flags"][0].as_object_mut().unwrap();
        let v = f.remove("everyone").unwrap();
        f.insert("everyon".into(), v);
    });
    let err = env.fails_unchanged(&["import", &file], 2);
    assert_contains(
        &err,
        "unknown field 'everyon' in flag 'course_experience.upsell' (flags[0]); its fields are: name, everyone,",
    );
    assert_contains(&err, "hint: did you mean 'everyone'?");
    assert_lacks(&err, '`');
}

#[test]
fn two_experiments_sharing_an_id_say_so() {
    let env = example();
    env.ok("experiment set course_experience.upsell --id 7");
    let file = native_with(&env, |d| {
        let mut other = d["experiments"][0].clone();
        other["name"] = "course_experience.other".into();
        d["experiments"].as_array_mut().unwrap().push(other);
    });
    let err = env.fails_unchanged(&["import", &file], 2);
    assert_contains(
        &err,
        "experiments 'course_experience.upsell' and 'course_experience.other' share experiment ID 7",
    );
}

#[test]
fn summary_of_a_handful_of_users_does_not_claim_an_even_spread() {
    let env = example();
    env.ok("flag on course_experience.upsell");
    let text = env
        .run_with_input(
            "bucket course_experience.upsell --users-file - --summary",
            "alice\nbob\ncarol\n",
        )
        .stdout;
    assert_contains(&text, "too few users to judge the spread");
    assert_lacks(&text, "consistent with an even spread");
}

#[test]
fn bucket_and_eval_take_several_users() {
    let env = example();
    env.ok("user add bob");
    env.ok("flag on course_experience.upsell");
    let one = |u: &str| {
        env.json(&["bucket", "course_experience.upsell", "--user", u])["bucket"]
            .as_i64()
            .unwrap()
    };
    let (a, b) = (one("alice"), one("bob"));
    // Text: one line per user.
    let out = env.ok("bucket course_experience.upsell --user alice --user bob");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[1].starts_with(&format!("alice  {a}")), "{out}");
    assert!(lines[2].starts_with(&format!("bob    {b}")), "{out}");
    // JSON: an array of the one-user records.
    let v = env.json("bucket course_experience.upsell --user alice --user bob");
    assert_eq!(v[0]["user"], "alice");
    assert_eq!(v[0]["bucket"], a);
    assert_eq!(v[1]["user"], "bob");
    assert_eq!(v[1]["bucket"], b);
    // One user stays one object.
    assert!(
        env.json("bucket course_experience.upsell --user alice")
            .is_object()
    );
    // eval, too.
    let out = env.ok("eval new_dashboard --user alice --user bob");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.starts_with("new_dashboard (flag) for alice: "), "{out}");
    let v = env.json("eval new_dashboard --user alice --user bob");
    assert_eq!(v.as_array().map(Vec::len), Some(2), "{v}");
    // Many users: the hint points to --users-file -.
    let mut args = "bucket course_experience.upsell".to_string();
    for u in ["u1", "u2", "u3", "u4", "u5", "u6"] {
        args.push_str(&format!(" --user {u}"));
    }
    env.ok_saying(&args, "--users-file -");
}

#[test]
fn misspelt_courses_get_did_you_mean() {
    let env = example();
    let course = "course-v1:edX+DemoX+Demo_Course";
    env.ok(&["override", "set", "new_dashboard", "--course", course, "on"]);
    env.ok(&["user", "enroll", "alice", course]);
    env.refuses(
        "user unenroll alice course-v1:edX+DemoX+Demo_Cours",
        1,
        format!("hint: did you mean '{course}'?"),
    );
    env.ok_saying(
        "override clear new_dashboard --course course-v1:edX+DemoX+Demo_Cours",
        format!("did you mean '{course}'?"),
    );
}
