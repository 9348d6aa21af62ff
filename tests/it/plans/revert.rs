//! `revert AUDIT_ID...`: the state before audit rows, restored through the plan.

use super::last_audit_id;
use crate::common::{Env, assert_contains};

/// A clock after the fixed one, so an override row a revert appends is the newest.
const LATER: &str = "2026-01-03T00:00:00Z";

/// Runs `revert ID` (at the later clock), which must succeed.
#[track_caller]
/// Confirmed with `--yes`: undoing a creation deletes the object, which is asked first.
fn revert(env: &Env, id: i64) -> String {
    let r = env.run_with_env(
        "WAFFLECTL_NOW",
        LATER,
        &["revert".to_string(), id.to_string(), "--yes".into()],
    );
    assert_eq!(r.code, 0, "revert #{id}: {}", r.stderr);
    r.stderr
}

/// The newest audit row's reason and object.
fn last_reason(env: &Env) -> String {
    env.json("history --limit 1")[0]["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_flag_update_create_and_delete() {
    let env = Env::with(&["user add alice", "group add g", "flag create beta"]);
    env.ok("flag set beta --everyone on --percent 20 --add-user alice");
    let id = last_audit_id(&env);
    let said = revert(&env, id);
    assert_contains(&said, "updated flag beta");
    let f = env.json("flag show beta");
    assert_eq!(f["everyone"], serde_json::Value::Null);
    assert_eq!(f["users"], serde_json::json!([]));
    assert_eq!(last_reason(&env), format!("revert #{id}"));

    env.ok("flag create gamma --add-group g");
    let id = last_audit_id(&env);
    // undoing the creation deletes the flag: asked as `flag delete` asks, refused unconfirmed
    let r = env.run_with_env("WAFFLECTL_NOW", LATER, &["revert", &id.to_string()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "confirmation needed");
    env.ok("flag show gamma");
    revert(&env, id);
    env.fails("flag show gamma", 1);

    env.ok("flag set beta --percent 12.5 --add-user alice --add-group g");
    env.ok("flag delete beta --yes");
    let id = last_audit_id(&env);
    revert(&env, id);
    let f = env.json("flag show beta");
    assert_eq!(f["users"], serde_json::json!(["alice"]));
    assert_eq!(f["groups"], serde_json::json!(["g"]));
    assert_eq!(f["percent"], 12.5);
}

#[test]
fn switches_and_samples() {
    let env = Env::new();
    for (create, update, delete, show, field, before) in [
        (
            "switch create maint",
            "switch on maint",
            "switch delete maint --yes",
            "switch show maint",
            "active",
            serde_json::json!(false),
        ),
        (
            "sample create ab 25",
            "sample set ab 50",
            "sample delete ab --yes",
            "sample show ab",
            "percent",
            serde_json::json!(25.0),
        ),
    ] {
        env.ok(create);
        env.ok(update);
        revert(&env, last_audit_id(&env));
        assert_eq!(env.json(show)[field], before, "{update}");
        env.ok(delete);
        revert(&env, last_audit_id(&env));
        assert_eq!(env.json(show)[field], before, "{delete}");
        // Reverting the creation deletes it.
        let created = env.json(&["history", show.split(' ').nth(2).unwrap(), "--limit", "0"]);
        let first = created.as_array().unwrap().last().unwrap()["id"]
            .as_i64()
            .unwrap();
        let r = env.run_with_env(
            "WAFFLECTL_NOW",
            LATER,
            &[
                "revert".to_string(),
                first.to_string(),
                "--force".into(),
                "--yes".into(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        env.fails(show, 1);
    }
}

#[test]
fn overrides_get_a_row_with_the_former_value() {
    let env = Env::with(&["flag create beta"]);
    env.ok("override set beta --org edX on");
    env.ok("override set beta --org edX off");
    revert(&env, last_audit_id(&env));
    let cur = env.json("override list beta");
    assert_eq!(cur[0]["choice"], "on");
    assert_eq!(cur[0]["enabled"], true);
    // History is kept: three rows.
    assert_eq!(env.count("override list beta --history"), 3);

    env.ok("override set beta --course course-v1:a+b+c on");
    revert(&env, last_audit_id(&env));
    let rows = env.json("override list beta --history");
    let course: Vec<&serde_json::Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["scope"] == "course")
        .collect();
    assert_eq!(course.len(), 2);
    let cur = env.json("override list beta");
    let course_now = cur
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scope"] == "course");
    assert!(
        course_now.is_none_or(|r| r["enabled"] == false),
        "a created override is undone by a disabled row: {cur}"
    );
}

#[test]
fn experiments_key_values_and_baseplate() {
    let env = Env::with(&["experiment create course.exp --buckets 2 --id 17"]);
    env.ok("experiment set course.exp --buckets 3");
    revert(&env, last_audit_id(&env));
    assert_eq!(env.json("experiment show course.exp")["num_buckets"], 2);

    env.ok("experiment kv set 17 owner growth");
    env.ok("experiment kv set 17 owner search");
    revert(&env, last_audit_id(&env));
    env.ok("experiment kv unset 17 owner");
    revert(&env, last_audit_id(&env));
    let kv = env.json("experiment kv list 17");
    assert_contains(&kv.to_string(), "\"growth\"");

    env.ok("experiment create checkout --type multi_variant --id 4242 --owner growth --variant a=0.1 --variant b=0.1 --variant c=0.1");
    let before = env.json("experiment show checkout");
    env.ok("experiment delete checkout --yes");
    revert(&env, last_audit_id(&env));
    assert_eq!(
        env.json("experiment show checkout")["config"],
        before["config"]
    );
}

#[test]
fn users_and_groups() {
    let env = Env::with(&[
        "group add g",
        "user add alice --staff --group g --email a@example.com",
    ]);
    env.ok("user set alice --superuser");
    revert(&env, last_audit_id(&env));
    assert_eq!(env.json("user show alice")["is_superuser"], false);
    let before = env.json("user show alice");
    env.ok("user delete alice --yes");
    revert(&env, last_audit_id(&env));
    let after = env.json("user show alice");
    assert_eq!(after["email"], before["email"]);
    assert_eq!(after["groups"], before["groups"]);
    assert_eq!(after["is_staff"], true);
    env.ok("group add h");
    revert(&env, last_audit_id(&env));
    env.fails("group show h", 2);
}

#[test]
fn a_later_change_is_named_and_needs_force() {
    let env = Env::with(&["flag create beta"]);
    env.ok("flag on beta");
    let first = last_audit_id(&env);
    env.ok_with_env("USER", "bob", "flag off beta");
    let later = last_audit_id(&env);
    let err = env.refuses(
        &["revert", &first.to_string()],
        1,
        format!("flag 'beta' changed after #{first}: #{later} by bob at 2026-01-02 03:04:05: everyone: true → false").as_str(),
    );
    assert_contains(&err, "--force");
    // Both together need no --force: the state before the first.
    env.run_ok(&[
        "revert",
        &first.to_string(),
        &later.to_string(),
        "--dry-run",
    ]);
    env.run_ok(&["revert", &first.to_string(), "--force", "--reason", "oops"]);
    assert_eq!(
        env.json("flag show beta")["everyone"],
        serde_json::Value::Null
    );
    assert_eq!(last_reason(&env), format!("revert #{first}: oops"));
}

#[test]
fn bad_ids_and_kinds_fail_before_writing() {
    let env = Env::with(&["user add alice", "flag create beta"]);
    env.refuses("revert 999", 1, "there is no audit row #999");
    let ok = last_audit_id(&env);
    env.refuses(&["revert", &ok.to_string(), "999"], 1, "#999");
    env.ok("user enroll alice course-v1:a+b+c");
    let enrolled = last_audit_id(&env);
    let err = env.refuses(
        &["revert", &enrolled.to_string()],
        1,
        "which revert cannot restore",
    );
    assert_contains(&err, "revert restores: flag, switch, sample");
    env.fails("revert 0", 2);
    env.fails("revert", 2);
}

#[test]
fn dry_run_shows_and_writes_nothing() {
    let env = Env::with(&["flag create beta"]);
    env.ok("flag on beta");
    let id = last_audit_id(&env);
    let out = env.ok_unchanged(&["revert", &id.to_string(), "--dry-run"]);
    assert_contains(&out, "~ flag beta: everyone: true → null");
}

#[test]
fn per_user_experiment_data() {
    let env = Env::with(&["user add alice", "experiment create course.exp --id 17"]);
    env.ok("experiment data set 17 alice goal 1");
    env.ok("experiment data set 17 alice goal 2");
    revert(&env, last_audit_id(&env));
    assert_contains(&env.json("experiment data list 17").to_string(), "\"1\"");
    env.ok("experiment data unset 17 alice goal");
    revert(&env, last_audit_id(&env));
    assert_contains(&env.json("experiment data list 17").to_string(), "\"1\"");
}
