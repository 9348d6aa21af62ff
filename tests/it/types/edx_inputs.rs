//! Issue 11 items 1-3: typed dates, stored dates and course keys read exactly as edX reads them
//! (python-dateutil 2.9.0, edx-opaque-keys). The bulk proof is conformance/inputs/; these are
//! the fixed corner cases: exit codes, messages, store unchanged for refused values.
//! Every command runs with WAFFLECTL_NOW = 2026-01-02T03:04:05Z (today fills missing parts).

use crate::common;

use common::{Env, assert_contains, assert_lacks};

fn kv(env: &Env, id: i64, key: &str) -> Option<String> {
    env.maybe_with(
        "SELECT value FROM experiments_experimentkeyvalue WHERE experiment_id = ?1 AND key = ?2",
        rusqlite::params![id, key],
    )
}

#[test]
fn typed_dates_are_stored_as_the_instant_edx_reads() {
    let env = Env::new();
    for (typed, stored) in [
        ("12/31/99", "1999-12-31T00:00:00"),
        ("March 2020", "2020-03-02T00:00:00"),
        ("April 2000", "2000-04-02T00:00:00"),
        ("10:00 p.m.", "2026-01-02T22:00:00"),
        ("2020-03-05T10", "2020-03-05T10:00:00"),
        ("Thu Sep 25 10:36:28 2003", "2003-09-25T10:36:28"),
        ("20070928T121924Z", "2007-09-28T12:19:24"),
        ("28/02/2027", "2027-02-28T00:00:00"),
        ("Sun, 19 Oct 2025 02:51:00", "2025-10-19T02:51:00"),
        ("11 AM", "2026-01-02T11:00:00"),
        ("２０２０-０３-０５", "2020-03-05T00:00:00"),
    ] {
        let r = env.run(&["experiment", "kv", "set", "4", "enrollment_start", typed]);
        assert_eq!(r.code, 0, "{typed}: {}", r.stderr);
        assert_eq!(kv(&env, 4, "enrollment_start").as_deref(), Some(stored));
        assert!(
            r.stderr
                .contains(&format!("is stored as {stored}; edX reads it as")),
            "{typed}: {}",
            r.stderr
        );
    }
}

#[test]
fn an_offset_is_converted_and_said() {
    let env = Env::new();
    let r = env.run_ok("experiment kv set 4 enrollment_end 2020-03-05T10:00:00-05:00");
    assert_eq!(
        kv(&env, 4, "enrollment_end").as_deref(),
        Some("2020-03-05T15:00:00")
    );
    assert_contains(&r.stderr, "converted from UTC-05:00");
    let r = env.run_ok("experiment kv set 4 enrollment_end '2020-03-05 10:00 XYZT'");
    assert_eq!(
        kv(&env, 4, "enrollment_end").as_deref(),
        Some("2020-03-05T10:00:00")
    );
    assert_contains(&r.stderr, "'XYZT' ignored");
}

#[test]
fn what_edx_cannot_read_or_overflows_on_is_refused() {
    let env = Env::new();
    env.ok("experiment kv set 4 enrollment_start 2020-01-01");
    for bad in ["2147483648-01-01", "12345678901", "April 2147483648"] {
        let err = env.fails_unchanged(&format!("experiment kv set 4 enrollment_start '{bad}'"), 2);
        assert!(err.contains("overflow"), "{bad}: {err}");
        assert!(err.contains("server error"), "{bad}: {err}");
    }
    for bad in ["2020-13-45", "not-a-date", "2147483647-01-01"] {
        let err = env.fails_unchanged(&format!("experiment kv set 4 enrollment_end {bad}"), 2);
        assert!(err.contains("edX cannot read"), "{bad}: {err}");
    }
    for args in [
        "bucket e.x --buckets 2 --user u --now 12345678901",
        "bucket e.x --buckets 2 --user u --enrolled-at 2020-13-45",
    ] {
        env.fails_unchanged(args, 2);
    }
    env.ok("user add alice");
    env.fails_unchanged("user enroll alice a/b/c --at 'April 2147483648'", 2);
    assert_eq!(
        kv(&env, 4, "enrollment_start").as_deref(),
        Some("2020-01-01T00:00:00")
    );
}

#[test]
fn enroll_at_reads_as_dateutil() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("user enroll alice a/b/c --at '10:00 p.m.'");
    let created: String = env.one("SELECT created FROM student_courseenrollment");
    assert_eq!(created, "2026-01-02 22:00:00");
}

fn crash_store() -> Env {
    let env = Env::new();
    env.ok("experiment create experiments.t --buckets 2 --id 5");
    env.ok("flag set experiments.t --everyone on --create");
    env.ok("user add alice");
    env.exec("INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
             VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 5, 'enrollment_start', '12345678901')");
    env
}

#[test]
fn a_stored_value_the_lms_overflows_on_makes_bucket_exit_1() {
    let env = crash_store();
    let err = env.refuses(
        "bucket experiments.t --user alice --course a/b/c",
        1,
        "key-value enrollment_start",
    );
    assert_contains(&err, "12345678901");
    assert_contains(&err, "server error for this experiment");
    let out = env.ok("eval experiments.t --user alice --course a/b/c");
    assert_contains(&out, "OverflowError");
    assert_contains(&out, "no bucket: the LMS fails with a server error");
    // Without a course the window is not read: no error.
    env.ok("bucket experiments.t --user alice");
}

#[test]
fn stored_non_ascii_digits_are_read() {
    let env = Env::new();
    env.ok("experiment create experiments.t --buckets 2 --id 5");
    env.ok("flag set experiments.t --everyone on --create");
    env.exec("INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
             VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 5, 'enrollment_end', '２０２０-０３-０５')");
    let out = env.ok("eval experiments.t --user alice --course a/b/c --enrolled-at 2020-03-04");
    assert_contains(&out, "enrollment_end 2020-03-05T00:00:00");
}

#[test]
fn doctor_reports_windows() {
    let env = crash_store();
    env.exec("INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value) VALUES
             ('2026-01-01', '2026-01-01', 7, 'enrollment_start', '2020-13-45'),
             ('2026-01-01', '2026-01-01', 8, 'enrollment_start', '2021-01-01'),
             ('2026-01-01', '2026-01-01', 8, 'enrollment_end', '2020-01-01');");
    let r = env.run("doctor");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_contains(&r.stdout, "enrollment dates edX cannot parse");
    assert_contains(&r.stdout, "7:enrollment_start");
    assert_contains(&r.stdout, "enrollment dates that crash the LMS");
    assert_contains(&r.stdout, "5:enrollment_start");
    assert!(r.stdout.contains("experiment ID 8 (end"), "{}", r.stdout);
}

#[test]
fn import_validates_enrollment_dates_as_kv_set() {
    let env = Env::new();
    let file = env.write("in.json", r#"{"version": 1, "key_values": [{"experiment_id": 3, "key": "enrollment_start", "value": "2020-13-45"}]}"#,
    );
    env.refuses("import in.json", 2, "key-value 3:enrollment_start");
    env.fails("diff in.json", 2);
    common::write(
        &file,
        r#"{"version": 1, "key_values": [{"experiment_id": 3, "key": "enrollment_start", "value": "12345678901"}]}"#,
    );
    env.fails_unchanged("import in.json", 2);
    // A native file's dates are stored as kv set stores them.
    common::write(
        &file,
        r#"{"version": 1, "key_values": [{"experiment_id": 3, "key": "enrollment_end", "value": "12/31/99 10:00 p.m."}]}"#,
    );
    env.ok("import in.json");
    assert_eq!(
        kv(&env, 3, "enrollment_end").as_deref(),
        Some("1999-12-31T22:00:00")
    );
    env.ok("import in.json");
    let out = env.ok("diff in.json");
    assert_lacks(&out, "enrollment_end");
}

#[test]
fn course_keys_as_opaque_keys_reads_them() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok_saying(
        "user enroll alice course-v1:edX+Demo+2020+type@problem+block@x",
        "is course-v1:edX+Demo+2020 as edX reads it",
    );
    for ok in [
        "library-v1:UniX+Phys",
        "ccx-v1:edX+Demo+2020+ccx@3",
        "course-v1:a:x+b+c",
        "course-v1:edX+Demo+2020+branch@draft",
    ] {
        env.ok(&["user", "enroll", "alice", ok]);
    }
    for bad in ["a~x/b/c", "a:x/b/c", "course-v1:a%x+b+c", "ccx-v1:a+b+c"] {
        let err = env.fails_unchanged(&["user", "enroll", "alice", bad], 2);
        assert!(err.contains("is not a course key"), "{bad}: {err}");
    }
    // A key that starts with '-' is given as --course=KEY (or after --).
    env.ok("user enroll alice -- -edX/Demo/2020");
    env.ok("bucket e.x --buckets 2 --user alice --course=-edX/Demo/2020");
    let rows: i64 = env.one(
        "SELECT COUNT(*) FROM student_courseenrollment WHERE course_id = 'course-v1:edX+Demo+2020'",
    );
    assert_eq!(rows, 1);
}

#[test]
fn import_reads_course_keys_as_edx_and_stores_the_canonical_text() {
    let env = Env::new();
    let file = env.write("in.json", r#"{"version": 1, "overrides": [{"flag": "f", "course": "course-v1:a+b+c+type@problem+block@p", "choice": "on"}]}"#,
    );
    env.ok("import in.json");
    let key: String = env.one("SELECT course_id FROM waffle_utils_waffleflagcourseoverridemodel");
    assert_eq!(key, "course-v1:a+b+c");
    common::write(
        &file,
        r#"{"version": 1, "overrides": [{"flag": "g", "course": "a~x/b/c", "choice": "on"}]}"#,
    );
    env.refuses("import in.json", 2, "is not a course key");
}
