//! `wafflectl stale`: one test per settled case, orphans, where "changed" comes from, the
//! removal plan with `--refs`, `--fail-on`, and bad input. Every store is written at
//! `common::NOW` (2026-01-02) and judged later with `--now`.

use crate::common;

use common::{DEMO_COURSE as COURSE, Env, assert_contains, fields};
use serde_json::Value;

const LATER: &str = "2026-03-01T00:00:00Z";

fn stale(env: &Env, extra: &[&str]) -> Value {
    let mut args = vec!["stale", "--now", LATER];
    args.extend_from_slice(extra);
    env.json(&args)
}

/// (type, name, decides) of every stale toggle.
fn listed(rep: &Value) -> Vec<(String, String, String)> {
    fields(&rep["stale"], &["type", "name", "decides"])
        .into_iter()
        .map(|f| (f[0].clone(), f[1].clone(), f[2].clone()))
        .collect()
}

fn one(kind: &str, name: &str, decides: &str) -> (String, String, String) {
    (kind.to_string(), name.to_string(), decides.to_string())
}

fn finding<'a>(rep: &'a Value, name: &str) -> &'a Value {
    rep["stale"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rep["orphans"].as_array().unwrap())
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} not listed: {rep}"))
}

#[test]
fn flags_settle_by_everyone_or_by_having_no_criterion() {
    let env = Env::new();
    env.ok("flag create on.everyone --everyone on");
    env.ok("flag create off.everyone --everyone off");
    env.ok("flag create off.nobody");
    env.ok("flag create zero.percent --percent 0");
    for (name, opt) in [
        ("live.percent", &["--percent", "5"][..]),
        ("live.staff", &["--staff"]),
        ("live.testing", &["--testing"]),
        ("live.languages", &["--languages", "de"]),
    ] {
        let mut a = vec!["flag", "create", name];
        a.extend_from_slice(opt);
        env.ok(&a);
    }
    env.ok("user add alice");
    env.ok("flag create live.user --add-user alice");
    let rep = stale(&env, &[]);
    assert_eq!(
        listed(&rep),
        vec![
            one("flag", "off.everyone", "off"),
            one("flag", "off.nobody", "off"),
            one("flag", "on.everyone", "on"),
            one("flag", "zero.percent", "off"),
        ]
    );
    let f = finding(&rep, "off.nobody");
    assert_eq!(f["why"], "no criterion can admit anyone");
    assert_eq!(f["keep"], "the code path for off");
    assert_eq!(
        f["next"],
        serde_json::json!(["wafflectl flag delete off.nobody"])
    );
    assert_eq!(f["since"]["at"], "2026-01-02T03:04:05.000000Z");
    assert_eq!(finding(&rep, "on.everyone")["why"], "everyone = on");
}

#[test]
fn overrides_that_disagree_keep_a_flag_alive_and_agreeing_ones_are_cleared_first() {
    let env = Env::new();
    env.ok("flag create forced.on --everyone on");
    env.ok("flag create contradicted --everyone on");
    env.ok(&format!("override set forced.on --course {COURSE} on"));
    env.ok("override set contradicted --org edX off");
    let rep = stale(&env, &[]);
    assert_eq!(listed(&rep), vec![one("flag", "forced.on", "on")]);
    let f = finding(&rep, "forced.on");
    assert_eq!(f["why"], "everyone = on; its overrides are on too");
    assert_eq!(
        f["next"],
        serde_json::json!([
            format!("wafflectl override clear forced.on --course {COURSE}"),
            "wafflectl flag delete forced.on"
        ])
    );
}

#[test]
fn switches_and_samples_at_0_or_100() {
    let env = Env::new();
    env.ok("switch create sw.on --on");
    env.ok("switch create sw.off");
    env.ok("sample create s.none 0");
    env.ok("sample create s.all 100");
    env.ok("sample create s.half 50");
    let rep = stale(&env, &[]);
    assert_eq!(
        listed(&rep),
        vec![
            one("sample", "s.all", "on"),
            one("sample", "s.none", "off"),
            one("switch", "sw.off", "off"),
            one("switch", "sw.on", "on"),
        ]
    );
    assert_eq!(finding(&rep, "s.all")["why"], "percent = 100.0");
    assert_eq!(
        finding(&rep, "sw.on")["next"],
        serde_json::json!(["wafflectl switch delete sw.on"])
    );
}

#[test]
fn experiments_with_the_main_flag_off_or_everyone_forced_into_one_bucket() {
    let env = Env::new();
    // created with its main flag off
    env.ok("experiment create exp.off --buckets 3");
    // main flag on, bucket flag 1 on for everyone: all in bucket 1
    env.ok("experiment create exp.forced --buckets 3");
    env.ok("flag on exp.forced");
    env.ok("experiment whitelist add exp.forced 1 --everyone");
    // main flag on, no bucket flag: the hash decides
    env.ok("experiment create exp.live --buckets 3");
    env.ok("flag on exp.live");
    // forced, but an enrollment window sends users outside it to bucket 0
    env.ok("experiment create exp.window --buckets 2 --id 7");
    env.ok("flag on exp.window");
    env.ok("experiment whitelist add exp.window 1 --everyone");
    env.ok("experiment kv set 7 enrollment_start 2025-01-01");
    // main flag off, but on in one course
    env.ok("experiment create exp.course");
    env.ok(&format!("override set exp.course --course {COURSE} on"));
    let rep = stale(&env, &[]);
    assert_eq!(
        listed(&rep),
        vec![
            one("experiment", "exp.forced", "bucket 1"),
            one("experiment", "exp.off", "bucket 0"),
        ]
    );
    assert_eq!(
        finding(&rep, "exp.off")["why"],
        "main flag exp.off is off (everyone = off)"
    );
    assert_eq!(
        finding(&rep, "exp.forced")["why"],
        "main flag on; bucket flag exp.forced.1 is on for everyone"
    );
    assert_eq!(
        finding(&rep, "exp.forced")["next"],
        serde_json::json!(["wafflectl experiment delete exp.forced --with-flags"])
    );
    // its flags are part of the experiment, not listed on their own
    assert!(
        rep["stale"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["type"] != "flag")
    );
}

fn baseplate(env: &Env, key: &str, config: &str) {
    env.exec_with("INSERT INTO wafflectl_baseplate (key, position, name, exp_id, type, config, created, modified)
             VALUES (?1, (SELECT COUNT(*) FROM wafflectl_baseplate), ?1, NULL, NULL, ?2, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')", [key, config]);
}

#[test]
fn baseplate_experiments_ended_disabled_or_overridden() {
    let env = Env::new();
    // no table: nothing to report, no error
    assert_eq!(listed(&stale(&env, &[])), vec![]);
    let live = r#"{"id":1,"type":"feature_rollout","start_ts":0,"stop_ts":4102444800,"enabled":true,"experiment":{"variants":[{"name":"on","size":0.5}],"experiment_version":1,"shuffle_version":0}}"#;
    baseplate(&env, "live", live);
    // ends 2026-01-15, before --now
    baseplate(
        &env,
        "ended",
        r#"{"id":2,"type":"feature_rollout","start_ts":0,"stop_ts":1768435200,"experiment":{"variants":[{"name":"on","size":0.5}],"experiment_version":1,"shuffle_version":0}}"#,
    );
    for (key, enabled) in [
        ("off.false", "false"),
        ("off.zero", "0"),
        ("off.empty", "\"\""),
        ("off.null", "null"),
    ] {
        baseplate(
            &env,
            key,
            &format!(
                r#"{{"id":3,"type":"feature_rollout","start_ts":0,"stop_ts":4102444800,"enabled":{enabled},"experiment":{{"variants":[{{"name":"on","size":0.5}}],"experiment_version":1,"shuffle_version":0}}}}"#
            ),
        );
    }
    baseplate(
        &env,
        "truthy",
        r#"{"id":4,"type":"r2","start_ts":0,"stop_ts":4102444800,"enabled":"false","experiment":{"variants":{"a":10},"targeting":{"logged_in":[true]}}}"#,
    );
    baseplate(
        &env,
        "forced",
        r#"{"id":5,"type":"feature_rollout","start_ts":0,"stop_ts":4102444800,"global_override":"on","experiment":{"variants":[{"name":"on","size":0.5}],"experiment_version":1,"shuffle_version":0}}"#,
    );
    // invalid to baseplate (experiment_version missing): answers None to everyone
    baseplate(
        &env,
        "broken",
        r#"{"id":6,"type":"feature_rollout","start_ts":0,"stop_ts":4102444800,"experiment":{"variants":[{"name":"on","size":0.5}]}}"#,
    );
    let rep = stale(&env, &[]);
    let b = |n: &str, d: &str| one("baseplate experiment", n, d);
    assert_eq!(
        listed(&rep),
        vec![
            b("broken", "no variant"),
            b("ended", "no variant"),
            b("forced", "variant \"on\""),
            b("off.empty", "no variant"),
            b("off.false", "no variant"),
            b("off.null", "no variant"),
            b("off.zero", "no variant"),
        ]
    );
    assert_eq!(
        finding(&rep, "ended")["why"],
        "stop_ts 2026-01-15 00:00:00 has passed"
    );
    assert_eq!(finding(&rep, "off.zero")["why"], "enabled = 0");
    assert_eq!(
        finding(&rep, "broken")["why"],
        "baseplate treats it as invalid (experiment_version is missing; it must be a non-zero integer (§2.5))"
    );
    assert_eq!(finding(&rep, "forced")["why"], "global_override is set");
    assert_eq!(
        finding(&rep, "forced")["next"],
        serde_json::json!(["wafflectl experiment delete forced"])
    );
    // before it ended, the window was still open
    let early = env.json("stale --now 2026-01-10 --days 0");
    assert!(listed(&early).iter().all(|(_, n, _)| n != "ended"));
}

#[test]
fn only_toggles_unchanged_for_the_given_days() {
    let env = Env::new();
    env.ok("flag create f --everyone on");
    // 10 days later: settled, but changed recently
    env.ok_saying(
        "stale --now 2026-01-12",
        "1 settled toggle(s) changed within the last 30 days are not listed",
    );
    let rep = env.json("stale --now 2026-01-12");
    assert_eq!(rep["settled_recently"], 1);
    assert_eq!(listed(&rep), vec![]);
    let rep = env.json("stale --now 2026-01-12 --days 5");
    assert_eq!(listed(&rep), vec![one("flag", "f", "on")]);
    // WAFFLECTL_NOW is the default clock
    let out = env.run_with_env("WAFFLECTL_NOW", "2026-06-01", "stale --json");
    let rep: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rep["now"], "2026-06-01T00:00:00.000000Z");
    assert_eq!(listed(&rep), vec![one("flag", "f", "on")]);
}

#[test]
fn changed_is_the_newest_of_audit_modified_and_override_change_date() {
    let env = Env::new();
    env.ok("flag create f --everyone on");
    let sql = env.sql();
    // the audit row is newest
    sql.execute(
        "UPDATE waffle_flag SET modified = '2025-01-01 00:00:00'",
        [],
    )
    .unwrap();
    let f = finding(&stale(&env, &[]), "f").clone();
    assert_eq!(f["since"]["source"], "audit log");
    assert_eq!(f["since"]["at"], "2026-01-02T03:04:05.000000Z");
    // no audit row: the row's modified column
    sql.execute("DELETE FROM wafflectl_audit", []).unwrap();
    let f = finding(&stale(&env, &[]), "f").clone();
    assert_eq!(f["since"]["source"], "modified column");
    assert_eq!(f["since"]["at"], "2025-01-01T00:00:00.000000Z");
    // an override row written later (by Django admin: no audit row)
    env.raw_overrides(
        "course",
        &[("2025-06-01 10:00:00.000000", true, "f", COURSE, "on", "")],
    );
    let f = finding(&stale(&env, &[]), "f").clone();
    assert_eq!(f["since"]["source"], "override change_date");
    assert_eq!(f["since"]["at"], "2025-06-01T10:00:00.000000Z");
    assert_eq!(f["since"]["object"], format!("course override f@{COURSE}"));
}

#[test]
fn orphaned_overrides_and_bucket_flags() {
    let env = Env::new();
    env.ok("override set ghost --org edX on");
    env.ok("experiment create a.exp --buckets 2");
    env.ok("flag create a.exp.5 --everyone on");
    env.ok("experiment create a.gone --buckets 2");
    env.ok("experiment whitelist add a.gone 1 --everyone");
    env.ok("experiment delete a.gone --yes");
    // orphans are listed whatever their age
    let rep = env.json("stale --now 2026-01-03");
    assert_eq!(
        fields(&rep["orphans"], &["type", "name"]),
        [
            ["org override", "ghost@edX"],
            ["bucket flag", "a.exp.5"],
            ["bucket flag", "a.gone.1"],
        ]
    );
    assert_eq!(
        finding(&rep, "ghost@edX")["next"],
        serde_json::json!(["wafflectl override clear ghost --org edX"])
    );
    assert_eq!(
        finding(&rep, "a.exp.5")["why"],
        "experiment a.exp has 2 buckets, so edX never reads bucket 5"
    );
    assert_eq!(
        finding(&rep, "a.gone.1")["why"],
        "experiment a.gone was deleted"
    );
    // the suggested command works
    env.ok("override clear ghost --org edX");
    let rep = env.json("stale --now 2026-01-03");
    assert_eq!(rep["orphans"].as_array().unwrap().len(), 2);
}

#[test]
fn human_output() {
    let env = Env::new();
    env.ok("flag create old.flag --everyone on");
    env.ok("switch create old.switch");
    env.ok("experiment create exp.off");
    env.ok(&format!("override set ghost --course {COURSE} off"));
    let r = env.run_ok(&format!("stale --now {LATER}"));
    insta::assert_snapshot!("stale_human", r.stdout);
    let r = env.run(&format!("stale --now {LATER} --format plain"));
    assert_contains(
        &r.stdout,
        "stale\tflag\told.flag\ton\t2026-01-02T03:04:05.000000Z\twafflectl flag delete old.flag\n",
    );
    let empty = Env::new();
    let r = empty.run("stale");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert_contains(&r.stderr, "no stale toggles");
}

#[test]
fn removal_plan_with_refs() {
    let env = Env::with(&[
        "flag create views.dashboard --everyone on",
        "switch create unused.switch",
    ]);
    let src = env.path("src");
    std::fs::create_dir_all(&src).unwrap();
    common::write(
        &src.join("views.py"),
        "def v(request):\n    if flag_is_active(request, 'views.dashboard'):\n        return 1\n    return 2\n",
    );
    let rep = env.json(&format!("stale --now {LATER} --refs src"));
    let f = finding(&rep, "views.dashboard");
    assert_eq!(f["keep"], "the code path for on");
    // the code still reads it: no command until that code is gone
    assert_eq!(f["next"], serde_json::json!([]));
    assert_eq!(f["held_back"]["reason"], "code reads it");
    assert_eq!(f["references"][0]["path"], "src/views.py");
    assert_eq!(f["references"][0]["line"], 2);
    assert_eq!(f["references"][0]["kind"], "call");
    assert_eq!(
        finding(&rep, "unused.switch")["references"],
        serde_json::json!([])
    );
    assert_eq!(rep["refs"]["unreferenced"][0]["name"], "unused.switch");
    let r = env.run(&format!("stale --now {LATER} --refs src"));
    assert_contains(
        &r.stdout,
        "\nflag views.dashboard — always on (everyone = on)\n  keep:   the code path for on\n  change:\n    src/views.py:2  call (flag_is_active)\n  then:   nothing yet: the code above still reads it; once it is changed and deployed, run wafflectl stale --refs again for the commands\n",
    );
    assert_contains(&r.stdout, "    wafflectl switch delete unused.switch\n");
    assert_contains(&r.stdout, "  code:   no references in the scanned trees\n");
    // --fail-on: exit 1 with the report printed
    let r = env.run(&format!("stale --now {LATER} --refs src --fail-on stale"));
    assert_eq!(r.code, 1);
    assert_contains(&r.stdout, "views.dashboard");
    assert_contains(&r.stderr, "error: 2 stale, 0 orphaned (--fail-on)");
    let r = env.run(&format!(
        "stale --now {LATER} --refs src --fail-on unreferenced"
    ));
    assert_eq!(r.code, 1);
    env.ok(&format!("stale --now {LATER} --refs src --fail-on overdue"));
    env.ok("stale --now 2026-01-03 --fail-on stale");
}

#[test]
fn bad_input_exits_2() {
    let env = Env::new();
    for (args, msg) in [
        (vec!["--days", "-1"], "error: unexpected argument '-1'"),
        (
            vec!["--days", "x"],
            "error: --days <N> must be a whole number, not 'x'",
        ),
        (
            vec!["--days", "36501"],
            "error: invalid value '36501' for '--days <N>'",
        ),
        (
            vec!["--now", "soon"],
            "error: --now: cannot read 'soon' as a date",
        ),
        (
            vec!["--fail-on", "unreferenced"],
            "error: --fail-on unreferenced needs source trees to scan",
        ),
        (
            vec!["--fail-on", "overdue"],
            "error: --fail-on overdue needs source trees to scan",
        ),
        (vec!["--fail-on", "nope"], "error: invalid value 'nope'"),
        (
            vec!["--refs", "missing/dir"],
            "error: no such file or folder: missing/dir",
        ),
    ] {
        let mut a = vec!["stale"];
        a.extend_from_slice(&args);
        let err = env.fails_unchanged(&a, 2);
        assert!(err.starts_with(msg), "{args:?}: {err}");
        assert!(err.lines().count() <= 2, "{err}");
    }
    env.ok("stale --days 0");
    env.ok("stale --days 36500");
    let r = Env::empty().run(&["stale"]);
    assert_eq!(r.code, 1);
}

/// The store and tree of `tests/removal_names` (every toggle settled: on for everyone).
fn names_env() -> Env {
    let env = Env::new();
    for f in [
        "app.show_banner",
        "app.same_file",
        "app.formatted",
        "app.class_attr",
        "openresponseassessment.mfe_views",
        "app.only_documented",
        "never.named",
    ] {
        env.ok(&["flag", "create", f, "--everyone", "on"]);
    }
    for s in [
        "app.kill_switch",
        "edx_proctoring.reds_api_redirect",
        "edx_proctoring.proctortrack_ping_failure_passthrough",
        "openresponseassessment.team_submissions",
        "kinds.stored_as_switch",
    ] {
        env.ok(&["switch", "create", s, "--on"]);
    }
    common::copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/removal_names"),
        &env.path("tree"),
    );
    env
}

#[test]
fn no_delete_step_for_a_toggle_the_code_declares_reads_or_builds() {
    let env = names_env();
    let rep = stale(&env, &["--refs", "tree"]);
    for (name, reason) in [
        // built at run time: ora2's helper, edx-proctoring's template
        ("openresponseassessment.mfe_views", "name built at run time"),
        (
            "openresponseassessment.team_submissions",
            "name built at run time",
        ),
        (
            "edx_proctoring.proctortrack_ping_failure_passthrough",
            "name built at run time",
        ),
        // resolved from constants, in the same file or imported
        ("edx_proctoring.reds_api_redirect", "code reads it"),
        ("app.show_banner", "code reads it"),
        ("app.kill_switch", "code reads it"),
        ("app.same_file", "code reads it"),
        ("app.class_attr", "code reads it"),
        ("app.formatted", "code reads it"),
    ] {
        let f = finding(&rep, name);
        assert_eq!(f["next"], serde_json::json!([]), "{name}: {f}");
        assert_eq!(f["held_back"]["reason"], reason, "{name}: {f}");
    }
    // what no code reads keeps its commands: documentation is not code
    assert_eq!(
        finding(&rep, "app.only_documented")["next"],
        serde_json::json!(["wafflectl flag delete app.only_documented"])
    );
    assert_eq!(
        finding(&rep, "never.named")["next"],
        serde_json::json!(["wafflectl flag delete never.named"])
    );
    let r = env.run(&format!("stale --now {LATER} --refs tree"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let deletes: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains(" delete "))
        .collect();
    assert!(
        deletes
            .iter()
            .all(|l| l.contains("never.named") || l.contains("app.only_documented")),
        "{deletes:#?}"
    );
    assert_contains(
        &r.stdout,
        "  then:   nothing yet: tree/proctoring/views.py:12 builds edx_proctoring.*_ping_failure_passthrough at run time, so the code may read this toggle: keep its row while that code runs\n",
    );
}

#[test]
fn a_switch_read_as_a_flag_gets_no_plan_for_its_stored_kind() {
    let env = names_env();
    let rep = stale(&env, &["--refs", "tree"]);
    let f = finding(&rep, "kinds.stored_as_switch");
    // today: "keep the code path for on" and `switch delete`: the code reads a flag with no row
    assert_eq!(
        f["keep"],
        "the code path for off (what runs today: no flag row)"
    );
    assert_eq!(f["next"], serde_json::json!([]));
    assert_eq!(f["held_back"]["reason"], "kind mismatch");
    assert_contains(
        f["why"].as_str().unwrap(),
        "stored as a switch, read as a flag: the code sees no flag row, so off",
    );
    // without --refs the code is not known: the stored kind's plan stands
    let plain = stale(&env, &[]);
    assert_eq!(
        finding(&plain, "kinds.stored_as_switch")["keep"],
        "the code path for on"
    );
}

#[test]
fn an_override_of_a_flag_the_code_declares_is_no_orphan_to_clear() {
    let env = Env::new();
    env.ok(&["override", "set", "ns.code_only", "--org", "edX", "on"]);
    let src = env.path("src");
    std::fs::create_dir_all(&src).unwrap();
    common::write(
        &src.join("toggles.py"),
        "NS = 'ns'\nCODE_ONLY = CourseWaffleFlag(f'{NS}.code_only', __name__)\n",
    );
    // without the code: an orphan, cleared
    let rep = stale(&env, &[]);
    assert_eq!(
        finding(&rep, "ns.code_only@edX")["next"],
        serde_json::json!(["wafflectl override clear ns.code_only --org edX"])
    );
    // the code reads ns.code_only as a course flag: the override is in force
    let rep = stale(&env, &["--refs", "src"]);
    let f = finding(&rep, "ns.code_only@edX");
    assert_eq!(f["next"], serde_json::json!([]));
    assert_eq!(f["held_back"]["reason"], "code reads it");
    assert_eq!(
        f["keep"],
        "the override: code reads this flag, so the override is in force"
    );
    assert_eq!(f["references"][0]["path"], "src/toggles.py");
    assert_eq!(f["references"][0]["line"], 2);
}
