//! `wafflectl experiment create|set|show|list|delete`.

use crate::common;

use common::{Env, assert_contains, assert_lacks};
use serde_json::json;

const EXP: &str = "course_experience.upsell";

fn def(env: &Env, name: &str) -> Option<(String, i64, Option<i64>, i64, String)> {
    env.maybe_with(
        "SELECT kind, num_buckets, experiment_id, course_aware, note FROM wafflectl_experiment WHERE name = ?1",
        [name],
    )
}

fn flag_row(env: &Env, name: &str) -> Option<(Option<i64>, i64)> {
    env.maybe_with(
        "SELECT everyone, superusers FROM waffle_flag WHERE name = ?1",
        [name],
    )
}

#[test]
fn create_stores_the_definition_and_a_disabled_main_flag() {
    let env = Env::new();
    let r = env.run_ok(&format!(
        "experiment create {EXP} --buckets 3 --id 17 --note q3"
    ));
    assert_contains(&r.stderr, format!("created experiment {EXP}"));
    assert_contains(&r.stderr, format!("created flag {EXP}"));
    assert_eq!(
        def(&env, EXP),
        Some(("edx".into(), 3, Some(17), 1, "q3".into()))
    );
    // everyone = off, superusers = false: the experiment starts disabled.
    assert_eq!(flag_row(&env, EXP), Some((Some(0), 0)));
}

#[test]
fn create_defaults_and_course_awareness() {
    let env = Env::new();
    env.ok("experiment create a.default");
    assert_eq!(
        def(&env, "a.default"),
        Some(("edx".into(), 2, None, 1, "".into()))
    );
    env.ok("experiment create a.unaware --no-course-aware");
    assert_eq!(def(&env, "a.unaware").unwrap().3, 0);
    env.ok("experiment create a.one --buckets 1 --id 0");
    assert_eq!(def(&env, "a.one").unwrap().2, Some(0));
    env.ok("experiment create a.max --id 32767");
}

#[test]
fn create_keeps_an_existing_main_flag() {
    let env = Env::new();
    env.ok(&format!("flag create {EXP} --everyone on"));
    let r = env.run_ok(&format!("experiment create {EXP}"));
    assert_contains(&r.stderr, "exists already and is left as it is");
    assert_lacks(&r.stderr, "created flag");
    assert_eq!(flag_row(&env, EXP), Some((Some(1), 0)));
}

#[test]
fn create_rejects_bad_input_with_exit_2_and_no_change() {
    let env = Env::new();
    env.refuses("experiment create upsell", 2, "not namespaced");
    env.fails_unchanged("experiment create .upsell", 2);
    env.fails_unchanged("experiment create upsell.", 2);
    env.fails_unchanged("experiment create 'a b.c'", 2);
    env.refuses(
        &format!("experiment create {EXP} --buckets 0"),
        2,
        "at least 1",
    );
    env.fails_unchanged(&format!("experiment create {EXP} --buckets=-3"), 2);
    env.refuses(
        &format!("experiment create {EXP} --id 32768"),
        2,
        "0 to 32767",
    );
    env.fails_unchanged(&format!("experiment create {EXP} --id=-1"), 2);
    env.fails_unchanged(&format!("experiment create {EXP} --id x"), 2);
    let long = format!("a.{}", "x".repeat(97));
    // 99 characters: fine as a name, but `NAME.0` would not fit waffle_flag.name.
    env.fails_unchanged(&["experiment", "create", &long], 2);
}

#[test]
fn create_refuses_existing_names_and_ids_held_by_definitions() {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP} --id 17"));
    env.refuses(&format!("experiment create {EXP}"), 1, "already exists");
    let err = env.fails_unchanged("experiment create other.exp --id 17", 1);
    assert_contains(
        &err,
        format!("experiment ID 17 is taken by experiment '{EXP}'"),
    );
    assert_contains(&err, "next-id");
}

#[test]
fn create_accepts_an_id_taken_only_by_key_values_with_a_warning() {
    let env = Env::new();
    env.ok("experiment kv set 5 owner growth");
    env.ok_saying(
        &format!("experiment create {EXP} --id 5"),
        "warning: experiment ID 5 is already used by 1 key-value(s) and 0 per-user data row(s)",
    );
    assert_eq!(def(&env, EXP).unwrap().2, Some(5));
    // Data only: also a warning.
    env.ok("user add alice");
    env.ok("experiment data set 6 alice k v");
    env.ok_saying(
        "experiment create b.exp --id 6",
        "0 key-value(s) and 1 per-user data row(s)",
    );
}

#[test]
fn set_changes_only_what_is_given() {
    let env = Env::new();
    env.ok(&format!(
        "experiment create {EXP} --buckets 3 --id 17 --note n"
    ));
    let r = env.run(&format!("experiment set {EXP} --buckets 4"));
    assert_contains(&r.stderr, "num_buckets: 3 → 4");
    assert_eq!(
        def(&env, EXP),
        Some(("edx".into(), 4, Some(17), 1, "n".into()))
    );
    env.ok(&format!(
        "experiment set {EXP} --no-course-aware --id 18 --note m"
    ));
    assert_eq!(
        def(&env, EXP),
        Some(("edx".into(), 4, Some(18), 0, "m".into()))
    );
    env.ok(&format!("experiment set {EXP} --no-id"));
    assert_eq!(def(&env, EXP).unwrap().2, None);
    let r = env.run(&format!("experiment set {EXP} --buckets 4"));
    assert_contains(&r.stderr, "unchanged");
    let audits: i64 =
        env.one("SELECT count(*) FROM wafflectl_audit WHERE object_kind = 'experiment'");
    assert_eq!(audits, 4);
}

#[test]
fn set_errors() {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP} --id 17"));
    env.ok("experiment create b.exp --id 18");
    let err = env.refuses(
        "experiment set no.such --buckets 3",
        1,
        "experiment 'no.such' not found",
    );
    assert_contains(&err, "experiment create no.such");
    env.fails_unchanged(&format!("experiment set {EXP} --buckets 0"), 2);
    env.fails_unchanged(&format!("experiment set {EXP} --id 99999"), 2);
    env.fails_unchanged(&format!("experiment set {EXP} --id 3 --no-id"), 2);
    env.refuses(
        &format!("experiment set {EXP} --id 18"),
        1,
        "taken by experiment 'b.exp'",
    );
    // Its own ID again is no conflict.
    env.ok(&format!("experiment set {EXP} --id 17"));
}

#[test]
fn set_warns_about_bucket_flags_left_beyond_fewer_buckets() {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP} --buckets 3"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --staff"));
    env.ok_saying(
        &format!("experiment set {EXP} --buckets 2"),
        format!("warning: flag {EXP}.2 is now beyond the experiment's 2 buckets"),
    );
}

#[test]
fn list_and_show() {
    let env = Env::new();
    env.assert_empty_list("experiment list", "no experiments");
    env.ok("user add alice");
    env.ok("user add staffer --staff");
    env.ok(&format!(
        "experiment create {EXP} --buckets 3 --id 17 --note 'upsell test'"
    ));
    env.ok("experiment create discounts.holdback --buckets 10 --no-course-aware");
    env.ok("flag on discounts.holdback");
    env.ok(&format!(
        "override set {EXP} --course course-v1:edX+DemoX+Demo_Course on --note pilot"
    ));
    env.ok(&format!("override set {EXP} --org MITx off"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --user alice"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --staff"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --org edX"));
    env.ok("experiment kv set 17 enrollment_start 'March 5, 2020'");
    env.ok("experiment kv set 17 owner 'growth team'");

    let list = env.json("experiment list");
    assert_eq!(list[0]["name"], "course_experience.upsell");
    assert_eq!(list[0]["main_flag"], "off");
    assert_eq!(list[1]["name"], "discounts.holdback");
    assert_eq!(list[1]["main_flag"], "on");
    assert_eq!(list[1]["course_aware"], false);
    assert_eq!(list[1]["experiment_id"], serde_json::Value::Null);
    insta::assert_snapshot!("experiment_list", env.ok("experiment list"));

    let show = env.json(&format!("experiment show {EXP}"));
    assert_eq!(show["num_buckets"], 3);
    assert_eq!(show["experiment_id"], 17);
    assert_eq!(show["main_flag"]["everyone"], false);
    assert_eq!(show["overrides"].as_array().unwrap().len(), 2);
    assert_eq!(show["buckets"][1]["users"], json!(["alice"]));
    assert_eq!(show["buckets"][1]["staff"], true);
    assert_eq!(show["buckets"][2]["orgs_on"], json!(["edX"]));
    assert_eq!(show["buckets"][0]["exists"], false);
    assert_eq!(
        show["key_values"],
        json!({"enrollment_start": "2020-03-05T00:00:00", "owner": "growth team"})
    );
    assert_eq!(show["warnings"], json!([]));
    insta::assert_snapshot!("experiment_show", env.ok(&format!("experiment show {EXP}")));

    let other = env.json("experiment show discounts.holdback");
    assert_eq!(other["key_values"], serde_json::Value::Null);
    assert_eq!(other["buckets"].as_array().unwrap().len(), 10);
    insta::assert_snapshot!(
        "experiment_show_no_id",
        env.ok("experiment show discounts.holdback")
    );
}

#[test]
fn show_describes_a_missing_main_flag_and_an_unset_one() {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP}"));
    env.ok(&format!("flag delete {EXP} --yes"));
    let out = env.ok(&format!("experiment show {EXP}"));
    assert_contains(
        &out,
        "main flag      missing: the experiment is off everywhere",
    );
    assert_eq!(
        env.json(&format!("experiment show {EXP}"))["main_flag"],
        serde_json::Value::Null
    );
    assert_eq!(env.json("experiment list")[0]["main_flag"], "missing");
    env.ok(&format!("flag create {EXP} --staff"));
    let out = env.ok(&format!("experiment show {EXP}"));
    assert_contains(&out, "main flag      unset; on for: staff");
}

#[test]
fn show_of_unknown_or_bad_names() {
    let env = Env::new();
    let err = env.fails("experiment show no.such", 1);
    // the suggested command runs on the same store (`--db`, as given)
    let hint = format!(
        "hint: define it with: wafflectl --db {} experiment create no.such",
        env.db.display()
    );
    assert_contains(&err, hint.as_str());
    env.fails("experiment show nodot", 2);
}

#[test]
fn delete_asks_and_removes_the_definition_only() {
    let env = Env::new();
    env.ok(&format!("experiment create {EXP} --id 4"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --staff"));
    env.ok("experiment kv set 4 owner x");
    // No terminal and no --yes: exit 2, nothing deleted.
    env.refuses(&format!("experiment delete {EXP}"), 2, "--yes");
    env.fails_unchanged("experiment delete no.such --yes", 1);
    // --dry-run needs no confirmation and writes nothing.
    let out = env.ok_unchanged(&format!("experiment delete {EXP} --dry-run"));
    assert_eq!(out, format!("would delete experiment {EXP}\n"));

    env.ok(&format!("experiment delete {EXP} --yes --reason ended"));
    assert_eq!(def(&env, EXP), None);
    // The flags and key-values stay.
    assert!(flag_row(&env, EXP).is_some());
    assert!(flag_row(&env, &format!("{EXP}.1")).is_some());
    assert_eq!(env.count("experiment kv list 4"), 1);
    let h = env.json(&format!("history {EXP}"));
    assert_eq!(h[0]["action"], "delete");
    assert_eq!(h[0]["reason"], "ended");
}

#[test]
fn delete_with_flags_removes_main_and_bucket_flags_with_their_lists() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("group add beta");
    env.ok(&format!("experiment create {EXP} --buckets 3"));
    env.ok(&format!("experiment whitelist add {EXP} 1 --user alice"));
    env.ok(&format!("experiment whitelist add {EXP} 2 --group beta"));
    env.ok(&["flag", "create", &format!("{EXP}.7")]);
    env.ok(&["flag", "create", &format!("{EXP}.x")]);
    env.ok(&["flag", "create", &format!("{EXP}.1.extra")]);
    env.ok("flag create other.flag --add-user alice");
    let r = env.run_ok(&format!("experiment delete {EXP} --with-flags --yes"));
    for f in [
        EXP.to_string(),
        format!("{EXP}.1"),
        format!("{EXP}.2"),
        format!("{EXP}.7"),
    ] {
        assert!(flag_row(&env, &f).is_none(), "{f} still exists");
        assert_contains(&r.stderr, format!("deleted flag {f}\n"));
    }
    // Not bucket flags: kept.
    assert!(flag_row(&env, &format!("{EXP}.x")).is_some());
    assert!(flag_row(&env, &format!("{EXP}.1.extra")).is_some());
    let (users, groups): (i64, i64) = env.one("SELECT (SELECT count(*) FROM waffle_flag_users), (SELECT count(*) FROM waffle_flag_groups)");
    assert_eq!(
        (users, groups),
        (1, 0),
        "only other.flag's user row remains"
    );
}
