//! `--at TIME` on write commands: the change is checked now and recorded, never applied.

use crate::common;

use common::{Env, assert_contains};

#[test]
fn at_records_the_change_and_leaves_the_store_as_it_was() {
    let env = Env::with(&[
        "flag create beta",
        "switch create maintenance",
        "sample create ab 10",
        "user add alice",
    ]);
    let before = env.ok("export");
    let audit = env.audit_count();
    let r = env.run_ok(&[
        "flag",
        "on",
        "beta",
        "--at",
        "2026-12-24T18:00:00Z",
        "--reason",
        "holiday launch",
    ]);
    assert_contains(&r.stderr, "would update flag beta: everyone: null → true");
    assert_contains(
        &r.stderr,
        "scheduled #1: flag on beta --reason 'holiday launch' at 2026-12-24 18:00 UTC",
    );
    env.ok("switch on maintenance --at 'tomorrow 09:00'");
    env.ok("sample set ab 50 --at 'in 2 hours'");
    env.ok("override set beta --org edX on --at 'in 3 days'");
    env.ok("user set alice --staff --at 'in 1 hour'");
    // the store's objects are untouched; only the schedule and its audit rows were written
    assert_eq!(env.ok("export"), before);
    assert_eq!(env.audit_count(), audit + 5);
    let list = env.json("schedule list");
    let rows: Vec<(i64, &str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["due_at"].as_str().unwrap(),
                r["summary"].as_str().unwrap(),
            )
        })
        .collect();
    // in due order, relative times read from the command's clock (2026-01-02 03:04:05)
    assert_eq!(
        rows,
        [
            (5, "2026-01-02T04:04:05.000000Z", "user set alice --staff"),
            (3, "2026-01-02T05:04:05.000000Z", "sample set ab 50"),
            (2, "2026-01-03T09:00:00.000000Z", "switch on maintenance"),
            (
                4,
                "2026-01-05T03:04:05.000000Z",
                "override set beta --org edX on"
            ),
            (
                1,
                "2026-12-24T18:00:00.000000Z",
                "flag on beta --reason 'holiday launch'"
            ),
        ]
    );
    let one = env.json("schedule show 1");
    assert_eq!(one["state"], "pending");
    assert_eq!(one["scheduled_by"], "tester");
    assert_eq!(one["reason"], "holiday launch");
    assert_eq!(one["created_at"], "2026-01-02T03:04:05.000000Z");
    assert_eq!(one["changes"][0]["object_name"], "beta");
    // the fingerprint: the object's state when it was scheduled
    assert_eq!(
        one["changes"][0]["before"]["everyone"],
        serde_json::Value::Null
    );
    assert_eq!(one["changes"][0]["after"]["everyone"], true);
    let shown = env.ok("schedule show 1");
    assert_contains(&shown, "would update flag beta: everyone: null → true");
    let history = env.json("history --limit 1");
    assert_eq!(history[0]["action"], "schedule");
    assert_eq!(history[0]["object_name"], "#5");
}

#[test]
fn the_stored_command_line_leaves_out_the_global_options_and_at() {
    let env = Env::with_flag("beta");
    let out = env.json(
        "--actor ops -y flag --quiet off beta --at=2026-06-01 --cache-key-prefix edx --reason why",
    );
    assert_eq!(
        out["command"],
        serde_json::json!(["flag", "off", "beta", "--reason", "why"])
    );
    assert_eq!(out["scheduled_by"], "ops");
    assert_eq!(out["due_at"], "2026-06-01T00:00:00.000000Z");
    assert_eq!(out["changes"][0]["dry_run"], true);
}

#[test]
fn bad_input_is_refused_when_scheduling_and_nothing_is_recorded() {
    let env = Env::with_flag("beta");
    for (cmd, code, says) in [
        // the times
        (
            "flag on beta --at soon",
            2,
            "--at: cannot read 'soon' as a time",
        ),
        (
            "flag on beta --at 'in two hours'",
            2,
            "cannot read 'in two hours'",
        ),
        ("flag on beta --at yesterday", 2, "is not in the future"),
        (
            "flag on beta --at 2020-01-01",
            2,
            "2020-01-01 00:00 UTC is not in the future",
        ),
        (
            "flag on beta --at 2026-01-02T03:04:05Z",
            2,
            "is not in the future (it is now 2026-01-02 03:04:05 UTC)",
        ),
        ("flag on beta --at 'in -2 hours'", 2, "out of range"),
        (
            "flag on beta --at 'in 99999999999 weeks'",
            2,
            "out of range",
        ),
        (
            "flag on beta --at tomorrow --dry-run",
            2,
            "'--at <TIME>' cannot be used with '--dry-run'",
        ),
        // what the real write refuses is refused now
        ("flag set beta --percent 250 --at tomorrow", 2, "percent"),
        ("switch on nothing_here --at tomorrow", 1, "not found"),
        ("flag set beta --add-user nobody --at tomorrow", 1, "nobody"),
    ] {
        let err = env.refuses(cmd, code, says);
        assert_eq!(err.lines().next().unwrap().matches("error:").count(), 1);
    }
    // a change that changes nothing now is not scheduled
    env.ok("flag on beta");
    env.refuses(
        "flag on beta --at tomorrow",
        1,
        "the command changes nothing now: nothing was scheduled",
    );
    // import, promote and apply cannot be scheduled: what they apply (a file, another store)
    // may change before it is due
    env.write("f.json", &env.ok("export"));
    for cmd in [
        "import f.json --at tomorrow",
        "promote beta --from f.json --to waffle.db --at tomorrow",
        "apply f.json --at tomorrow",
    ] {
        env.refuses(cmd, 2, "unexpected argument '--at'");
    }
    env.assert_empty_list("schedule list", "no pending scheduled changes");
    assert_eq!(env.count("schedule list --all"), 0);
}

#[test]
fn user_enroll_keeps_its_own_at_the_enrollment_time() {
    let env = Env::with(&["user add alice"]);
    env.ok("user enroll alice course-v1:edX+DemoX+Demo_Course --at 2020-03-01");
    let shown = env.json("user show alice");
    assert_contains(&shown["enrollments"].to_string(), "2020-03-01");
    assert_eq!(env.count("schedule list --all"), 0);
}

#[test]
fn a_store_of_schema_version_2_gets_the_schedule_table_on_its_first_open_for_writing() {
    let env = Env::with_flag("beta");
    env.exec(
        "DROP TABLE wafflectl_schedule; \
         UPDATE wafflectl_meta SET value = '2' WHERE key = 'schema_version'",
    );
    // a read-only file of the old schema reads an empty schedule, migrating nothing
    let mut perms = std::fs::metadata(&env.db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&env.db, perms.clone()).unwrap();
    if std::fs::OpenOptions::new()
        .write(true)
        .open(&env.db)
        .is_err()
    {
        env.assert_empty_list("schedule list", "no pending scheduled changes");
        let version: String =
            env.one("SELECT value FROM wafflectl_meta WHERE key = 'schema_version'");
        assert_eq!(version, "2");
    }
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&env.db, perms).unwrap();
    env.ok("flag on beta --at tomorrow");
    let version: String = env.one("SELECT value FROM wafflectl_meta WHERE key = 'schema_version'");
    assert_eq!(version, "3");
    assert_eq!(env.count("schedule list"), 1);
}
