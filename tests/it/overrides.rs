//! `wafflectl override set|clear|list` on edX's append-only override tables.

use crate::common;

use common::{DEMO_COURSE as COURSE, Env, assert_contains, assert_lacks, field, map_rows};

const FLAG: &str = "course_experience.relative_dates";

#[test]
fn set_appends_an_enabled_row_with_every_column() {
    let env = Env::with_flag(FLAG);
    env.ok("user add tester");
    env.ok_saying(
        &format!("override set {FLAG} --course {COURSE} on --note pilot"),
        format!("created course override {FLAG}@{COURSE}"),
    );
    let tester: i64 = env.one("SELECT id FROM auth_user WHERE username = 'tester'");
    assert_eq!(
        env.course_rows(),
        vec![(
            1,
            "2026-01-02 03:04:05".to_string(),
            1,
            FLAG.to_string(),
            COURSE.to_string(),
            "on".to_string(),
            "pilot".to_string(),
            Some(tester)
        )]
    );
}

#[test]
fn changed_by_is_null_when_the_actor_is_not_a_user() {
    let env = Env::with_flag(FLAG);
    env.ok(&format!("--actor nobody override set {FLAG} --org edX off"));
    let r = env.org_rows();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].5, "off");
    assert_eq!(r[0].7, None);
    // The audit row still names the actor.
    let actor: String =
        env.one("SELECT actor FROM wafflectl_audit WHERE object_kind = 'org override'");
    assert_eq!(actor, "nobody");
}

#[test]
fn setting_the_current_state_again_is_unchanged() {
    let env = Env::with_flag(FLAG);
    env.ok(&format!(
        "override set {FLAG} --course {COURSE} on --note n"
    ));
    let audits = env.audit_count();
    // Same choice, note not given (kept) or given identically: no row, no audit.
    for args in [
        vec!["override", "set", FLAG, "--course", COURSE, "on"],
        vec![
            "override", "set", FLAG, "--course", COURSE, "on", "--note", "n",
        ],
    ] {
        env.ok_saying(&args, "unchanged");
    }
    assert_eq!(env.course_rows().len(), 1);
    assert_eq!(env.audit_count(), audits);
    // A new note is a change: a new row.
    env.ok(&format!(
        "override set {FLAG} --course {COURSE} on --note other"
    ));
    assert_eq!(env.course_rows().len(), 2);
}

#[test]
fn on_then_off_appends_and_the_newest_wins() {
    let env = Env::with_flag(FLAG);
    env.ok(&format!("override set {FLAG} --course {COURSE} on"));
    env.ok(&format!("override set {FLAG} --course {COURSE} off"));
    let r = env.course_rows();
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].5.as_str(), r[1].5.as_str()), ("on", "off"));
    let list = env.json("override list");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["choice"], "off");
    assert_eq!(list[0]["id"], 2);
}

#[test]
fn clear_appends_a_disabled_row_keeping_the_choice() {
    let env = Env::with_flag(FLAG);
    env.ok(&format!(
        "override set {FLAG} --course {COURSE} off --note n"
    ));
    env.ok_saying(
        &format!("override clear {FLAG} --course {COURSE}"),
        "enabled: true → false",
    );
    let rows = env.course_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[1].2, rows[1].5.as_str(), rows[1].6.as_str()),
        (0, "off", "n")
    );
    assert_eq!(env.json("override list"), serde_json::json!([]));
    // Clearing again, or clearing what never existed, changes nothing.
    let audits = env.audit_count();
    let r = env.run(&format!("override clear {FLAG} --course {COURSE}"));
    assert_contains(&r.stderr, "unchanged");
    let r = env.run(&format!("override clear {FLAG} --org MITx"));
    assert_contains(&r.stderr, "no override of");
    assert_eq!(env.course_rows().len(), 2);
    assert!(env.org_rows().is_empty());
    assert_eq!(env.audit_count(), audits);
}

#[test]
fn clear_of_a_never_set_override_keeps_choice_on_when_set_later() {
    let env = Env::with_flag(FLAG);
    env.ok(&format!("override set {FLAG} --org edX on"));
    env.ok(&format!("override clear {FLAG} --org edX"));
    env.ok(&format!("override set {FLAG} --org edX on"));
    let r = env.org_rows();
    assert_eq!(r.iter().map(|r| r.2).collect::<Vec<_>>(), vec![1, 0, 1]);
    assert_eq!(env.json("override list")[0]["org"], "edX");
}

#[test]
fn a_newer_disabled_row_cancels_an_older_enabled_one() {
    let env = Env::with_flag(FLAG);
    // Two rows written directly, as Django would: an enabled `on`, then a newer disabled `on`.
    env.raw_overrides(
        "course",
        &[
            ("2025-01-01 00:00:00", true, FLAG, COURSE, "on", ""),
            ("2025-06-01 00:00:00.500000", false, FLAG, COURSE, "on", ""),
        ],
    );
    assert_eq!(env.json("override list"), serde_json::json!([]));
    let h = env.json("override list --history");
    assert_eq!(field(&h, "state"), ["cleared", "replaced"]);
}

#[test]
fn the_newest_change_date_wins_over_the_highest_id() {
    let env = Env::with_flag(FLAG);
    // Row 1 has the later change_date, row 2 the higher id: row 1 is current.
    env.raw_overrides(
        "org",
        &[
            ("2025-03-01 00:00:00", true, FLAG, "edX", "off", "later"),
            ("2025-02-01 00:00:00", true, FLAG, "edX", "on", "earlier"),
        ],
    );
    let list = env.json("override list");
    assert_eq!(list[0]["choice"], "off");
    assert_eq!(list[0]["note"], "later");
    // Equal change dates: the higher id wins.
    env.ok(&format!("override set {FLAG} --course {COURSE} on"));
    env.ok(&format!("override set {FLAG} --course {COURSE} off"));
    let list = env.json(&format!("override list {FLAG}"));
    let course = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scope"] == "course")
        .unwrap();
    assert_eq!(course["choice"], "off");
}

#[test]
fn an_enabled_unset_choice_is_no_override() {
    let env = Env::with_flag(FLAG);
    env.raw_overrides(
        "org",
        &[("2025-03-01 00:00:00", true, FLAG, "edX", "unset", "")],
    );
    assert_eq!(env.json("override list"), serde_json::json!([]));
    assert_eq!(env.json("override list --history")[0]["state"], "no effect");
}

#[test]
fn course_override_beats_org_override_in_list() {
    let env = Env::with_flag(FLAG);
    env.ok("user add tester");
    env.ok(&format!(
        "override set {FLAG} --org edX off --note 'org-wide pause'"
    ));
    env.ok(&format!(
        "override set {FLAG} --course {COURSE} on --note 'pilot course'"
    ));
    env.ok(&format!(
        "override set {FLAG} --course MITx/6.002x/2012_Fall on"
    ));
    env.ok("override set other.flag --course edX/Other/2020 off");
    let list = env.json("override list");
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let course = rows.iter().find(|r| r["course_id"] == COURSE).unwrap();
    assert_eq!(course["beats_org_override"], "off");
    assert_eq!(course["org"], "edX");
    let org = rows.iter().find(|r| r["scope"] == "org").unwrap();
    assert_eq!(org["beaten_in_courses"], serde_json::json!([COURSE]));
    // A course of another org, and the same org on another flag, are not affected.
    let mit = rows.iter().find(|r| r["org"] == "MITx").unwrap();
    assert_eq!(mit["beats_org_override"], serde_json::Value::Null);
    let other = rows.iter().find(|r| r["flag"] == "other.flag").unwrap();
    assert_eq!(other["beats_org_override"], serde_json::Value::Null);
    insta::assert_snapshot!("override_list", env.ok("override list"));
    insta::assert_snapshot!(
        "override_list_flag",
        env.ok(&format!("override list {FLAG}"))
    );
}

#[test]
fn history_shows_every_row_newest_first() {
    let env = Env::with_flag(FLAG);
    env.ok("user add tester");
    env.ok(&format!(
        "override set {FLAG} --course {COURSE} on --note try"
    ));
    env.ok(&format!("override set {FLAG} --course {COURSE} off"));
    env.ok(&format!("override clear {FLAG} --course {COURSE}"));
    env.ok(&format!("--actor ops override set {FLAG} --org edX on"));
    let h = env.json("override list --history");
    let ids: Vec<(String, i64, bool)> = map_rows(&h, |r| {
        let scope = r["scope"].as_str().unwrap().to_string();
        (
            scope,
            r["id"].as_i64().unwrap(),
            r["enabled"].as_bool().unwrap(),
        )
    });
    assert_eq!(
        ids,
        vec![
            ("org".into(), 1, true),
            ("course".into(), 3, false),
            ("course".into(), 2, true),
            ("course".into(), 1, true),
        ]
    );
    assert_eq!(h[1]["changed_by"], "tester");
    assert_eq!(h[0]["changed_by"], serde_json::Value::Null);
    insta::assert_snapshot!("override_list_history", env.ok("override list --history"));
}

#[test]
fn list_of_nothing_is_empty() {
    let env = Env::new();
    let r = env.run("override list");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert_contains(&r.stderr, "no overrides in force");
    assert_eq!(env.json("override list --history"), serde_json::json!([]));
}

#[test]
fn bad_course_keys_and_orgs_exit_2_and_change_nothing() {
    let env = Env::with_flag(FLAG);
    for bad in ["DemoX", "course-v1:edX+DemoX", "edX/DemoX", "a b/c/d", ""] {
        let err = env.fails_unchanged(&["override", "set", FLAG, "--course", bad, "on"], 2);
        assert!(
            err.contains("course-v1:ORG+COURSE+RUN") && err.contains("ORG/COURSE/RUN"),
            "{bad}: {err}"
        );
        env.fails_unchanged(&["override", "clear", FLAG, "--course", bad], 2);
    }
    env.refuses(
        &format!("override set {FLAG} --org {COURSE} on"),
        2,
        "use --course",
    );
    env.fails_unchanged(&format!("override set {FLAG} --org 'ed X' on"), 2);
    env.fails_unchanged(&format!("override set {FLAG} --org '' on"), 2);
    // Exactly one scope, and a choice, are required.
    env.fails_unchanged(
        &format!("override set {FLAG} --org edX --course {COURSE} on"),
        2,
    );
    env.fails_unchanged(&format!("override set {FLAG} on"), 2);
    env.fails_unchanged(&format!("override set {FLAG} --org edX maybe"), 2);
    env.fails_unchanged("override set 'bad name' --org edX on", 2);
    env.fails_unchanged("override list 'bad name'", 2);
}

#[test]
fn a_missing_flag_warns_or_with_strict_fails() {
    let env = Env::new();
    env.ok_saying(
        "override set no.such.flag --org edX on",
        "warning: flag 'no.such.flag' does not exist",
    );
    assert_eq!(env.org_rows().len(), 1);
    let err = env.refuses(
        "override set other.flag --org edX on --strict",
        1,
        "flag 'other.flag' does not exist",
    );
    assert_contains(&err, "hint: create it first");
    // An existing flag: no warning.
    env.ok("flag create real.flag");
    let r = env.run_ok("override set real.flag --org edX on --strict");
    assert_lacks(&r.stderr, "warning");
}

#[test]
fn dry_run_writes_nothing_and_reason_is_audited() {
    let env = Env::with_flag(FLAG);
    let before = env.bytes();
    let r = env.run_ok(&format!(
        "override set {FLAG} --course {COURSE} on --dry-run"
    ));
    assert_eq!(
        r.stdout,
        format!("would create course override {FLAG}@{COURSE}\n")
    );
    assert!(env.bytes() == before);
    let plan = env.json(&format!("override set {FLAG} --org edX off --dry-run"));
    assert_eq!(plan[0]["object_kind"], "org override");
    assert_eq!(plan[0]["after"]["choice"], "off");
    assert!(env.org_rows().is_empty());

    env.ok(&format!(
        "override set {FLAG} --course {COURSE} on --reason INC-42"
    ));
    env.ok(&format!(
        "override clear {FLAG} --course {COURSE} --reason done"
    ));
    let h = env.json(&["history", &format!("{FLAG}@{COURSE}")]);
    assert_eq!(field(&h, "reason"), ["done", "INC-42"]);
    assert_eq!(h[0]["before"]["enabled"], true);
    assert_eq!(h[0]["after"]["enabled"], false);
}
