//! `schedule run`: each due change applied once, in due order, as scheduled; drift skips it.

use crate::common;

use super::{LATER, audit_of, json_at, run_at};
use common::{Env, assert_contains, assert_lacks};

#[test]
fn due_changes_are_applied_once_in_due_order_with_their_audit_rows() {
    let env = Env::with(&[
        "flag create beta",
        "switch create maintenance",
        "sample create ab 10",
        "user add alice",
        "experiment create course_experience.upsell --buckets 2 --id 17",
    ]);
    env.ok("flag on beta --at '2026-01-05 10:00' --reason launch");
    env.ok("switch on maintenance --at 'in 1 hour'");
    env.ok("sample set ab 50 --at 'in 2 hours'");
    env.ok("override set beta --course course-v1:edX+DemoX+Demo_Course off --at 'in 3 hours'");
    env.ok("experiment whitelist add course_experience.upsell 1 --user alice --at 'in 4 hours'");
    env.ok("user add bob --staff --at 'in 5 hours'");
    // not yet due: nothing happens
    let r = run_at(&env, "2026-01-02T03:30:00Z", "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "nothing is due");
    assert_eq!(env.json("switch show maintenance")["active"], false);
    // two are due at 05:30; the dry run lists them and applies nothing
    let due = json_at(&env, "2026-01-02T05:30:00Z", "--dry-run");
    let ids: Vec<i64> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 3]);
    assert_eq!(env.json("switch show maintenance")["active"], false);
    let r = run_at(&env, "2026-01-02T05:30:00Z", "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "applied #2: switch on maintenance");
    assert_contains(&r.stderr, "applied #3: sample set ab 50");
    assert_eq!(env.json("switch show maintenance")["active"], true);
    assert_eq!(env.json("sample show ab")["percent"], 50.0);
    assert_eq!(
        env.json("flag show beta")["everyone"],
        serde_json::Value::Null
    );
    // the rest, later; the delete comes last (due order), after the others changed beta
    let ran = json_at(&env, LATER, "");
    let done: Vec<(i64, &str)> = ran
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        done,
        [
            (4, "applied"),
            (5, "applied"),
            (6, "applied"),
            (1, "applied")
        ]
    );
    assert_eq!(env.json("flag show beta")["everyone"], true);
    assert_eq!(env.json("user show bob")["is_staff"], true);
    let wl = env.ok("experiment whitelist list course_experience.upsell");
    assert_contains(&wl, "alice");
    let course = env.json("override list beta");
    assert_contains(&course.to_string(), "course-v1:edX+DemoX+Demo_Course");
    // one audit row per change, made by who scheduled it, with the schedule's reason
    assert_eq!(
        audit_of(&env, "maintenance"),
        [
            ("create".to_string(), String::new()),
            (
                "update".to_string(),
                "scheduled #2: switch on maintenance".to_string()
            )
        ]
    );
    assert_eq!(
        audit_of(&env, "beta").last().unwrap(),
        &("update".to_string(), "scheduled #1: launch".to_string())
    );
    let shown = env.json("schedule show 1");
    assert_eq!(shown["state"], "done");
    assert_eq!(shown["ran_at"], "2026-02-01T00:00:00.000000Z");
    let audit_id = shown["audit_ids"][0].as_i64().unwrap();
    let (actor, name): (String, String) = env.one_with(
        "SELECT actor, object_name FROM wafflectl_audit WHERE id = ?1",
        [audit_id],
    );
    assert_eq!((actor.as_str(), name.as_str()), ("tester", "beta"));
    // run again: nothing is due any more, nothing changes
    let audit = env.audit_count();
    let r = run_at(&env, LATER, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "nothing is due");
    assert_eq!(env.audit_count(), audit);
}

#[test]
fn a_change_whose_object_changed_is_skipped_and_the_others_still_apply() {
    let env = Env::with(&["flag create beta", "switch create a", "switch create b"]);
    env.ok("flag on beta --at 'in 1 hour'");
    env.ok("switch on a --at 'in 1 hour'");
    env.ok("switch on b --at 'in 2 hours'");
    // someone changes beta by hand meanwhile
    env.ok("flag set beta --percent 5");
    let before = env.json("flag show beta");
    let r = run_at(&env, LATER, "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_contains(
        &r.stderr,
        "skipped #1: flag on beta (due 2026-01-02 04:04:05 UTC, scheduled by tester): changed \
         since it was scheduled: flag beta (percent: null → 5.0)",
    );
    assert_contains(&r.stderr, "applied #2: switch on a");
    assert_contains(&r.stderr, "applied #3: switch on b");
    assert_contains(
        &r.stderr,
        "error: 1 of the due changes was not applied: #1 skipped",
    );
    assert_eq!(env.json("flag show beta"), before);
    assert_eq!(env.json("switch show b")["active"], true);
    let shown = env.json("schedule show 1");
    assert_eq!(shown["state"], "skipped");
    assert_contains(shown["result"].as_str().unwrap(), "percent: null → 5.0");
    // a skipped change is not tried again; it can be scheduled again
    let r = run_at(&env, LATER, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    env.ok("flag on beta --at 'in 1 hour'");
    let r = run_at(&env, LATER, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(env.json("flag show beta")["everyone"], true);
}

#[test]
fn a_change_that_fails_is_marked_failed_with_the_error() {
    let env = Env::with(&["flag create beta", "switch create a"]);
    env.ok("flag on beta --at 'in 1 hour'");
    env.ok("switch on a --at 'in 2 hours'");
    env.ok("flag delete beta -y");
    let r = run_at(&env, LATER, "--json");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let ran: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(ran[0]["outcome"], "failed");
    assert_contains(ran[0]["detail"].as_str().unwrap(), "beta");
    assert_eq!(ran[1]["outcome"], "applied");
    assert_contains(
        &r.stderr,
        "error: 1 of the due changes was not applied: #1 failed",
    );
    assert_eq!(env.json("schedule show 1")["state"], "failed");
    assert_eq!(env.json("switch show a")["active"], true);
}

#[test]
fn cancel_ends_a_pending_change_with_an_audit_row() {
    let env = Env::with(&["flag create beta", "switch create a"]);
    env.ok("flag on beta --at 'in 1 hour'");
    env.ok("switch on a --at 'in 2 hours'");
    // planned against the state #1 leaves: it expects #1 to have run
    env.ok("flag off beta --at 'in 3 hours'");
    env.ok("schedule cancel 1 --dry-run");
    assert_eq!(env.json("schedule show 1")["state"], "pending");
    let r = env.run_ok("schedule cancel 1 --reason 'launch moved'");
    assert_contains(&r.stderr, "cancel scheduled change #1");
    assert_eq!(env.json("schedule show 1")["state"], "cancelled");
    assert_eq!(env.json("schedule show 1")["result"], "cancelled by tester");
    assert_eq!(
        audit_of(&env, "#1").last().unwrap(),
        &("cancel".to_string(), "launch moved".to_string())
    );
    env.refuses("schedule cancel 1", 1, "#1 is cancelled, not pending");
    env.refuses("schedule cancel 9", 1, "no scheduled change #9");
    env.refuses("schedule cancel 2 9", 1, "no scheduled change #9");
    assert_eq!(env.json("schedule show 2")["state"], "pending");
    env.refuses("schedule cancel 0", 2, "0");
    env.refuses("schedule show 9", 1, "no scheduled change #9");
    assert_eq!(env.count("schedule list"), 2);
    assert_eq!(env.count("schedule list --all"), 3);
    let r = run_at(&env, LATER, "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_lacks(&r.stderr, "#1");
    assert_contains(&r.stderr, "applied #2: switch on a");
    assert_contains(&r.stderr, "skipped #3: flag off beta");
    assert_contains(&r.stderr, "flag beta (everyone: true → null)");
    // beta was never changed
    assert_eq!(audit_of(&env, "beta").len(), 1);
    assert_eq!(
        env.json("flag show beta")["everyone"],
        serde_json::Value::Null
    );
}

#[test]
fn two_runners_at_once_apply_each_of_200_due_changes_exactly_once() {
    const CHANGES: usize = 200;
    let env = Env::new();
    // the switches made directly, as Django would; their changes scheduled with --at
    let mut sql = String::new();
    for i in 0..CHANGES {
        sql.push_str(&format!(
            "INSERT INTO waffle_switch (name, active, note, created, modified) VALUES \
             ('s{i:03}', 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00');"
        ));
    }
    env.exec(&sql);
    let env = &env;
    std::thread::scope(|s| {
        for t in 0..4 {
            s.spawn(move || {
                for i in (t..CHANGES).step_by(4) {
                    env.ok(format!("switch on s{i:03} --at 'in {} minutes'", 1 + i % 7).as_str());
                }
            });
        }
    });
    assert_eq!(env.count("schedule list"), CHANGES);
    let runs: Vec<common::Run> = std::thread::scope(|s| {
        let a = s.spawn(|| run_at(env, LATER, "--no-admin-log"));
        let b = s.spawn(|| run_at(env, LATER, "--no-admin-log"));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    for r in &runs {
        assert_eq!(r.code, 0, "a runner failed: {}", r.stderr);
    }
    let applied: usize = runs
        .iter()
        .map(|r| r.stderr.matches("applied #").count())
        .sum();
    assert_eq!(applied, CHANGES, "each change reported applied once");
    let per_switch: Vec<(String, i64)> = env.all(
        "SELECT object_name, count(*) FROM wafflectl_audit \
         WHERE object_kind = 'switch' AND action = 'update' GROUP BY object_name",
    );
    assert_eq!(per_switch.len(), CHANGES);
    for (name, n) in &per_switch {
        assert_eq!(*n, 1, "{name} changed {n} times");
    }
    let states: Vec<(String, i64)> =
        env.all("SELECT state, count(*) FROM wafflectl_schedule GROUP BY state");
    assert_eq!(states, [("done".to_string(), CHANGES as i64)]);
    let on: i64 = env.one("SELECT count(*) FROM waffle_switch WHERE active = 1");
    assert_eq!(on, CHANGES as i64);
}

#[test]
fn on_at_one_time_and_off_at_a_later_one_both_apply() {
    let env = Env::with_flag("banner");
    env.ok("flag on banner --at '2026-12-24 18:00'");
    let r = env.run_ok("flag off banner --at '2026-12-27 06:00'");
    // planned against the state the earlier change leaves
    assert_contains(
        &r.stderr,
        "would update flag banner: everyone: true → false",
    );
    env.refuses(
        "flag on banner --at '2026-12-25 06:00'",
        1,
        "the changes scheduled before it already make this change",
    );
    let r = run_at(&env, "2026-12-25T00:00:00Z", "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(env.json("flag show banner")["everyone"], true);
    let r = run_at(&env, "2026-12-28T00:00:00Z", "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "applied #2: flag off banner");
    assert_eq!(env.json("flag show banner")["everyone"], false);
}
