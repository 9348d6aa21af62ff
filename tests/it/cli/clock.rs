//! One clock per command: `$WAFFLECTL_NOW` (or the system clock) is read once, and every part of
//! the command that needs "today" (typed dates with parts left out, import's key-values, the
//! rows it writes) uses that one instant. A typed time is read after the command line is
//! parsed, against that instant, and a bad one is still a one-line usage error naming its option.

use crate::common;

use common::{DEMO_COURSE, Env, assert_contains};

const LATE: &str = "2030-06-15T23:00:00Z";

#[test]
fn typed_dates_fill_in_the_commands_today() {
    let env = Env::example();
    env.ok("user add zed");
    let r = env.run_with_env(
        "WAFFLECTL_NOW",
        LATE,
        &["user", "enroll", "zed", DEMO_COURSE, "--at", "10:00"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let created: String = env.one_with(
        "SELECT e.created FROM student_courseenrollment e JOIN auth_user u ON u.id = e.user_id WHERE u.username = ?1",
        ["zed"],
    );
    assert!(created.starts_with("2030-06-15 10:00:00"), "{created}");

    let r = env.run_with_env(
        "WAFFLECTL_NOW",
        LATE,
        &[
            "experiment",
            "kv",
            "set",
            "41",
            "enrollment_start",
            "March 5",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let typed: String =
        env.one("SELECT value FROM experiments_experimentkeyvalue WHERE experiment_id = 41");
    assert_eq!(typed, "2030-03-05T00:00:00");

    // import reads a file's dates against the same today as `kv set`
    env.write(
        "kv.json",
        r#"{"version": 1, "key_values": [{"experiment_id": 42, "key": "enrollment_start", "value": "March 5"}]}"#,
    );
    let r = env.run_with_env("WAFFLECTL_NOW", LATE, "import kv.json --yes");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let imported: String =
        env.one("SELECT value FROM experiments_experimentkeyvalue WHERE experiment_id = 42");
    assert_eq!(imported, typed);
}

#[test]
fn a_bad_typed_time_is_one_usage_line_naming_its_option() {
    let env = Env::example();
    env.ok("user add zed");
    let err = env.refuses(
        &["user", "enroll", "zed", DEMO_COURSE, "--at", "soonish"],
        2,
        "error: --at: edX cannot read 'soonish' as a date",
    );
    assert!(err.lines().count() <= 2, "{err}");
    let err = env.refuses(
        "bucket example_namespace.example_flag --user zed --now soonish",
        2,
        "error: --now: edX cannot read 'soonish' as a date",
    );
    assert_contains(&err, "hint: ");
}
