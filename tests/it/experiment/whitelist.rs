//! `wafflectl experiment whitelist add|remove|list`: bucket N is the flag `NAME.N`.

use crate::common;

use common::{DEMO_COURSE as COURSE, Env, assert_contains};
use serde_json::json;

const EXP: &str = "course_experience.upsell";

fn setup() -> Env {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("user add bob");
    env.ok("group add beta");
    env.ok(&format!("experiment create {EXP} --buckets 3 --id 17"));
    env
}

/// (everyone, superusers, staff) of a flag, None when it does not exist.
fn flag(env: &Env, name: &str) -> Option<(Option<i64>, i64, i64)> {
    env.maybe_with(
        "SELECT everyone, superusers, staff FROM waffle_flag WHERE name = ?1",
        [name],
    )
}

fn members(env: &Env, name: &str) -> (Vec<String>, Vec<String>) {
    let q = |sql: &str| -> Vec<String> { env.all_with(sql, [name]) };
    (
        q(
            "SELECT u.username FROM waffle_flag_users fu JOIN auth_user u ON u.id = fu.user_id JOIN waffle_flag f ON f.id = fu.flag_id WHERE f.name = ?1 ORDER BY 1",
        ),
        q(
            "SELECT g.name FROM waffle_flag_groups fg JOIN auth_group g ON g.id = fg.group_id JOIN waffle_flag f ON f.id = fg.flag_id WHERE f.name = ?1 ORDER BY 1",
        ),
    )
}

/// (enabled, choice, course) of every course override row of a flag, oldest first.
fn flag_overrides(env: &Env, flag: &str) -> Vec<(i64, String, String)> {
    let rows = env.course_rows().into_iter().filter(|r| r.3 == flag);
    rows.map(|r| (r.2, r.5, r.4)).collect()
}

#[test]
fn add_on_a_missing_bucket_flag_creates_it_without_superusers() {
    let env = setup();
    let b1 = format!("{EXP}.1");
    assert_eq!(flag(&env, &b1), None);
    env.ok_saying(
        &format!("experiment whitelist add {EXP} 1 --user alice"),
        format!("created flag {b1}"),
    );
    assert_eq!(flag(&env, &b1), Some((None, 0, 0)));
    assert_eq!(members(&env, &b1), (vec!["alice".to_string()], vec![]));
    // Again: unchanged, no audit.
    let r = env.run(&format!("experiment whitelist add {EXP} 1 --user alice"));
    assert_contains(&r.stderr, "unchanged");
}

#[test]
fn add_each_kind_of_entry() {
    let env = setup();
    let b2 = format!("{EXP}.2");
    env.ok(&format!("experiment whitelist add {EXP} 2 --user bob"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --user alice"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --group beta"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --staff"));
    assert_eq!(flag(&env, &b2), Some((None, 0, 1)));
    assert_eq!(
        members(&env, &b2),
        (
            vec!["alice".to_string(), "bob".to_string()],
            vec!["beta".to_string()]
        )
    );
    env.ok(&format!("experiment whitelist add {EXP} 0 --everyone"));
    assert_eq!(flag(&env, &format!("{EXP}.0")), Some((Some(1), 0, 0)));
    // --course / --org: an `on` override of the bucket flag (and the flag exists).
    let b1 = format!("{EXP}.1");
    env.ok(&format!(
        "experiment whitelist add {EXP} 1 --course {COURSE}"
    ));
    assert_eq!(
        flag_overrides(&env, &b1),
        vec![(1, "on".into(), COURSE.into())]
    );
    assert_eq!(flag(&env, &b1), Some((None, 0, 0)));
    env.ok(&format!("experiment whitelist add {EXP} 1 --org MITx"));
    let list = env.json(&["override", "list", &b1]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    // Adding the same course again appends nothing.
    env.ok(&format!(
        "experiment whitelist add {EXP} 1 --course {COURSE}"
    ));
    assert_eq!(flag_overrides(&env, &b1).len(), 1);
}

#[test]
fn add_replaces_a_force_off_override_with_force_on() {
    let env = setup();
    let b1 = format!("{EXP}.1");
    env.ok(&["override", "set", &b1, "--course", COURSE, "off"]);
    env.ok(&format!(
        "experiment whitelist add {EXP} 1 --course {COURSE}"
    ));
    assert_eq!(
        flag_overrides(&env, &b1),
        vec![
            (1, "off".into(), COURSE.into()),
            (1, "on".into(), COURSE.into())
        ]
    );
}

#[test]
fn bad_input_changes_nothing() {
    let env = setup();
    let err = env.refuses(
        &format!("experiment whitelist add {EXP} 3 --staff"),
        2,
        "bucket 3 is outside 0..2",
    );
    assert_contains(&err, "--buckets 4");
    env.fails_unchanged(&format!("experiment whitelist remove {EXP} 7 --staff"), 2);
    env.fails_unchanged(&format!("experiment whitelist add {EXP} -1 --staff"), 2);
    env.fails_unchanged(&format!("experiment whitelist add {EXP} x --staff"), 2);
    let err = env.refuses(
        "experiment whitelist add no.such 1 --staff",
        1,
        "experiment 'no.such' not found",
    );
    let hint = format!(
        "hint: define it with: wafflectl --db {} experiment create no.such",
        env.db.display()
    );
    assert_contains(&err, hint.as_str());
    env.fails_unchanged("experiment whitelist add nodot 1 --staff", 2);
    env.refuses(
        &format!("experiment whitelist add {EXP} 1 --user carol"),
        1,
        "user 'carol' not found",
    );
    env.fails_unchanged(
        &format!("experiment whitelist add {EXP} 1 --group gamma"),
        1,
    );
    env.refuses(
        &format!("experiment whitelist add {EXP} 1 --course DemoX"),
        2,
        "course-v1:ORG+COURSE+RUN",
    );
    env.fails_unchanged(&format!("experiment whitelist add {EXP} 1 --org a/b"), 2);
    // Exactly one target.
    env.fails_unchanged(&format!("experiment whitelist add {EXP} 1"), 2);
    env.fails_unchanged(
        &format!("experiment whitelist add {EXP} 1 --staff --everyone"),
        2,
    );
}

#[test]
fn remove_each_kind_of_entry() {
    let env = setup();
    let b1 = format!("{EXP}.1");
    env.ok(&format!("experiment whitelist add {EXP} 1 --user alice"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --user bob"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --group beta"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --staff"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --everyone"));
    env.ok(&format!(
        "experiment whitelist add {EXP} 1 --course {COURSE}"
    ));

    env.ok(&format!("experiment whitelist remove {EXP} 1 --user alice"));
    env.ok(&format!("experiment whitelist remove {EXP} 1 --group beta"));
    assert_eq!(members(&env, &b1), (vec!["bob".to_string()], vec![]));
    env.ok(&format!("experiment whitelist remove {EXP} 1 --staff"));
    env.ok(&format!("experiment whitelist remove {EXP} 1 --everyone"));
    assert_eq!(flag(&env, &b1), Some((None, 0, 0)));
    env.ok(&format!(
        "experiment whitelist remove {EXP} 1 --course {COURSE}"
    ));
    assert_eq!(
        flag_overrides(&env, &b1),
        vec![
            (1, "on".into(), COURSE.into()),
            (0, "on".into(), COURSE.into())
        ]
    );
}

#[test]
fn remove_of_what_is_not_there_warns_and_changes_nothing() {
    let env = setup();
    let before = env.bytes();
    // No bucket flag at all: it is not created.
    let r = env.run_ok(&format!("experiment whitelist remove {EXP} 2 --user alice"));
    assert!(
        r.stderr
            .contains(&format!("bucket 2 of {EXP} has no flag ({EXP}.2)")),
        "{}",
        r.stderr
    );
    assert_contains(&r.stderr, "unchanged");
    assert_eq!(flag(&env, &format!("{EXP}.2")), None);
    let r = env.run(&format!(
        "experiment whitelist remove {EXP} 2 --course {COURSE}"
    ));
    assert_contains(
        &r.stderr,
        format!("course {COURSE} is not whitelisted in bucket 2"),
    );
    assert!(env.bytes() == before);
    // A flag without that entry.
    env.ok(&format!("experiment whitelist add {EXP} 1 --user bob"));
    let r = env.run(&format!("experiment whitelist remove {EXP} 1 --user alice"));
    assert_contains(
        &r.stderr,
        "warning: user alice is not whitelisted in bucket 1",
    );
    // everyone = off is not a whitelist entry: left as it is.
    env.ok(&format!("flag off {EXP}.1"));
    let r = env.run(&format!("experiment whitelist remove {EXP} 1 --everyone"));
    assert_contains(&r.stderr, "everyone is not whitelisted");
    assert_eq!(flag(&env, &format!("{EXP}.1")), Some((Some(0), 0, 0)));
    // An `off` override is not a whitelist entry either.
    env.ok(&format!("override set {EXP}.1 --org edX off"));
    let r = env.run(&format!("experiment whitelist remove {EXP} 1 --org edX"));
    assert_contains(&r.stderr, "org edX is not whitelisted");
}

#[test]
fn dry_run_and_reason() {
    let env = setup();
    let out = env.ok_unchanged(&format!(
        "experiment whitelist add {EXP} 1 --course {COURSE} --dry-run"
    ));
    assert_eq!(
        out,
        format!("would create flag {EXP}.1\nwould create course override {EXP}.1@{COURSE}\n")
    );
    env.ok(&format!(
        "experiment whitelist add {EXP} 1 --staff --reason 'QA accounts'"
    ));
    let h = env.json(&["history", &format!("{EXP}.1")]);
    assert_eq!(h[0]["reason"], "QA accounts");
}

#[test]
fn list_shows_every_bucket_and_warns_about_traps() {
    let env = setup();
    env.ok("user add root --superuser");
    env.ok("user add carol --staff");
    env.ok("user set alice --add-group beta");
    env.ok(&format!("experiment whitelist add {EXP} 1 --user alice"));
    env.ok(&format!(
        "experiment whitelist add {EXP} 1 --course {COURSE}"
    ));
    env.ok(&format!("experiment whitelist add {EXP} 2 --group beta"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --user carol"));
    env.ok(&format!(
        "experiment whitelist add {EXP} 2 --course {COURSE}"
    ));
    env.ok(&format!("experiment whitelist add {EXP} 1 --staff"));
    env.ok(&format!("override set {EXP}.2 --org MITx off"));
    // A sub-flag made with Django's defaults (superusers on), a percent, one beyond the buckets.
    env.ok(&format!("flag create {EXP}.0 --superusers --percent 5"));
    env.ok(&format!("flag create {EXP}.4 --everyone on"));

    let r = env.run_ok(&format!("experiment whitelist list {EXP}"));
    insta::assert_snapshot!("whitelist_list", r.stdout);
    insta::assert_snapshot!("whitelist_list_warnings", r.stderr);

    let j = env.json(&format!("experiment whitelist list {EXP}"));
    assert_eq!(j["num_buckets"], 3);
    let buckets = j["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 4);
    assert_eq!(buckets[3]["bucket"], 4);
    assert_eq!(buckets[3]["beyond_buckets"], true);
    assert_eq!(buckets[2]["orgs_off"], json!(["MITx"]));
    assert_eq!(buckets[1]["courses_on"], json!([COURSE]));
    let warnings: Vec<String> = j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    let has = |s: &str| warnings.iter().any(|w| w.contains(s));
    assert!(
        has(&format!(
            "flag {EXP}.0 has superusers on: every superuser is forced into bucket 0"
        )),
        "{warnings:?}"
    );
    assert!(
        has(&format!("flag {EXP}.0 has a percent (5.0)")),
        "{warnings:?}"
    );
    assert!(
        has(&format!(
            "flag {EXP}.4 is beyond the experiment's 3 bucket(s)"
        )),
        "{warnings:?}"
    );
    assert!(
        has("user alice is forced into buckets 1 and 2; the lowest (1) wins"),
        "{warnings:?}"
    );
    // carol is staff (bucket 1) and named in bucket 2.
    assert!(
        has("user carol is forced into buckets 1 and 2"),
        "{warnings:?}"
    );
    assert!(
        has(&format!("course {COURSE} is forced into buckets 1 and 2")),
        "{warnings:?}"
    );
    assert!(!has("user bob"), "{warnings:?}");
    // `show` carries the same warnings.
    assert_eq!(
        env.json(&format!("experiment show {EXP}"))["warnings"],
        j["warnings"]
    );
}

#[test]
fn list_warns_about_everyone_and_authenticated_bucket_flags() {
    let env = setup();
    env.ok(&format!("experiment whitelist add {EXP} 1 --everyone"));
    env.ok(&["flag", "create", &format!("{EXP}.2"), "--authenticated"]);
    let j = env.json(&format!("experiment whitelist list {EXP}"));
    let w = j["warnings"].to_string();
    assert_contains(&w, format!("flag {EXP}.1 is on for everyone"));
    assert_contains(&w, format!("flag {EXP}.2 has authenticated on"));
}

#[test]
fn list_of_a_fresh_experiment() {
    let env = setup();
    let r = env.run_ok(&format!("experiment whitelist list {EXP}"));
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("whitelist_list_fresh", r.stdout);
    env.fails("experiment whitelist list no.such", 1);
}
