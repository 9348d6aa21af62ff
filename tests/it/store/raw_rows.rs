//! Issue 11 item 4: rows written by Django or by hand, read as Django's ORM on SQLite reads them.
//! Every row here is inserted by plain SQL; each expectation was observed with real Django 5.2
//! reading the same row (conformance/suite.py `test_raw_rows_read_as_django_reads_them` checks
//! them again on every CI run).

use crate::common;

use common::{Env, assert_contains, map_rows};
use rusqlite::params;
use rusqlite::types::Value;

const C: &str = "course-v1:edX+Raw+2020";

fn add(env: &Env, key: &str, date: &str, enabled: Value, choice: &str) {
    env.exec_with(
        "INSERT INTO waffle_utils_waffleflagcourseoverridemodel
               (change_date, enabled, waffle_flag, course_id, override_choice, note, changed_by_id)
             VALUES (?1, ?2, 'raw.flag', ?3, ?4, '', NULL)",
        params![date, enabled, key, choice],
    );
}

/// `eval raw.flag --course KEY`: on or off (the waffle flag itself is off for everyone).
fn active(env: &Env, key: &str) -> bool {
    let v = env.json(&["eval", "raw.flag", "--user", "u", "--course", key]);
    v["active"].as_bool().unwrap()
}

fn listed(env: &Env) -> Vec<(i64, String)> {
    map_rows(&env.json("override list raw.flag"), |r| {
        (
            r["id"].as_i64().unwrap(),
            r["choice"].as_str().unwrap().to_string(),
        )
    })
}

fn env() -> Env {
    let env = Env::new();
    env.ok("flag create raw.flag --everyone off");
    env
}

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn equal_change_dates_the_lowest_id_is_current() {
    let env = env();
    add(&env, C, "2020-01-01 00:00:00", Value::Integer(1), "on");
    add(&env, C, "2020-01-01 00:00:00", Value::Integer(1), "off");
    add(&env, C, "2020-01-01 00:00:00", Value::Integer(0), "off");
    assert_eq!(listed(&env), vec![(1, "on".to_string())]);
    assert!(active(&env, C));
    // bucket reads the same override: the main flag is on through it.
    env.ok("experiment create raw.flag --buckets 2");
    let b = env.json(&format!("bucket raw.flag --user u --course {C}"));
    assert!(
        b["reason"].as_str().unwrap().contains("course override on"),
        "{b:#}"
    );
}

#[test]
fn change_date_is_compared_as_text() {
    let env = env();
    // A `T` sorts after a space: the later instant loses.
    add(&env, C, "2020-01-01 00:00:01", Value::Integer(1), "on");
    add(&env, C, "2020-01-01T00:00:00", Value::Integer(1), "off");
    assert_eq!(listed(&env), vec![(2, "off".to_string())]);
    assert!(!active(&env, C));
    // An offset is not applied to the comparison: 10:00+05:00 (05:00 UTC) beats 06:00.
    let c2 = "course-v1:edX+Raw+2021";
    add(&env, c2, "2020-01-01 06:00:00", Value::Integer(1), "off");
    add(
        &env,
        c2,
        "2020-01-01 10:00:00+05:00",
        Value::Integer(1),
        "on",
    );
    assert!(active(&env, c2));
    let rows = env.json("override list raw.flag");
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["course_id"] == c2)
        .unwrap();
    // ... while the time shown is the instant Django reads (aware, converted to UTC).
    assert_eq!(row["changed"], "2020-01-01T05:00:00.000000Z");
}

#[test]
fn enabled_is_what_django_hands_edx() {
    // Django's sqlite3 `bool` converter is b"1".__eq__: only a 1 is True.
    let cases: Vec<(Value, bool)> = vec![
        (Value::Integer(1), true),
        (t("1"), true),  // stored as INTEGER 1 (NUMERIC affinity)
        (t(" 1"), true), // idem
        (Value::Blob(b"1".to_vec()), true),
        (Value::Integer(2), false),
        (Value::Integer(-1), false),
        (Value::Real(0.5), false),
        (t("true"), false),
        (t("True"), false),
        (t("t"), false),
        (t("yes"), false),
        (t("on"), false),
        (t(""), false), // None to Django
        (Value::Blob(vec![]), false),
        (Value::Integer(0), false),
    ];
    let env = env();
    let before_any = listed(&env);
    assert!(before_any.is_empty());
    for (i, (v, want)) in cases.into_iter().enumerate() {
        let key = format!("course-v1:edX+En{i}+2020");
        add(&env, &key, "2020-01-01 00:00:00", v.clone(), "on");
        assert_eq!(active(&env, &key), want, "enabled = {v:?}");
    }
}

#[test]
fn waffle_booleans_are_what_django_hands_waffle() {
    let env = Env::new();
    env.ok("flag create b.flag");
    let set = |v: Value| {
        env.exec_with(
            "UPDATE waffle_flag SET everyone = ?1 WHERE name = 'b.flag'",
            [v],
        );
    };
    let eval = || env.json("eval b.flag --user u")["active"].clone();
    // everyone = 2 or 'true': Django reads False, so off for everyone.
    set(Value::Integer(2));
    assert_eq!(eval(), false);
    env.ok("flag set b.flag --authenticated");
    set(t("true"));
    assert_eq!(eval(), false);
    // everyone = '': Django reads None (unknown), so the other criteria decide.
    set(t(""));
    assert_eq!(eval(), true);
    // authenticated = 2: False to Django.
    env.exec("UPDATE waffle_flag SET authenticated = 2 WHERE name = 'b.flag'");
    assert_eq!(eval(), false);
}

#[test]
fn a_new_override_follows_the_current_row_as_edx_orders_them() {
    let env = env();
    // A row by another writer at this very instant (the test clock): a row appended with the
    // same change_date would lose the tie, so wafflectl writes one microsecond later.
    add(&env, C, "2026-01-02 03:04:05", Value::Integer(1), "on");
    env.ok(&format!("override set raw.flag --course {C} off"));
    assert!(!active(&env, C));
    let date: String =
        env.one("SELECT change_date FROM waffle_utils_waffleflagcourseoverridemodel WHERE id = 2");
    assert_eq!(date, "2026-01-02 03:04:05.000001");
    // A `T` form at the same instant sorts after anything wafflectl writes: refused, unchanged.
    let c2 = "course-v1:edX+Raw+T";
    add(&env, c2, "2026-01-02T03:04:05", Value::Integer(1), "on");
    env.refuses(
        &["override", "set", "raw.flag", "--course", c2, "off"],
        1,
        "sorts after any time wafflectl writes",
    );
}

#[test]
fn datetimes_in_every_form_django_reads() {
    let env = env();
    // (stored change_date, the instant Django 5.2 reads; None = Django cannot read it)
    let cases = [
        ("2020-03-05 10:00:00", Some("2020-03-05T10:00:00.000000Z")),
        ("2020-03-05", Some("2020-03-05T00:00:00.000000Z")),
        ("20200305T100000", Some("2020-03-05T10:00:00.000000Z")),
        ("2020-03-05T10", Some("2020-03-05T10:00:00.000000Z")),
        ("2020-03-05T10:00:00,5", Some("2020-03-05T10:00:00.500000Z")),
        (
            "2020-03-05T10:00:00.1234567",
            Some("2020-03-05T10:00:00.123456Z"),
        ),
        (
            "2020-03-05T10:00:00-0130",
            Some("2020-03-05T11:30:00.000000Z"),
        ),
        (
            "2020-03-05 10:00:00 +05:00",
            Some("2020-03-05T05:00:00.000000Z"),
        ),
        ("2020-3-5 9:7:6.5 -02", Some("2020-03-05T11:07:06.500000Z")),
        ("2020-02-30", None),
        ("March 5 2020", None),
        // fromisoformat's ISO week dates (Python 3.11), with times and zones
        ("2020-W10-4", Some("2020-03-05T00:00:00.000000Z")),
        ("2020W104", Some("2020-03-05T00:00:00.000000Z")),
        ("2020-W10", Some("2020-03-02T00:00:00.000000Z")),
        ("2020W10T10:00", Some("2020-03-02T10:00:00.000000Z")),
        (
            "2020-W10-4 10:00:00+05:00",
            Some("2020-03-05T05:00:00.000000Z"),
        ),
        ("2020W104T1000", Some("2020-03-05T10:00:00.000000Z")),
        ("2020-W01-1", Some("2019-12-30T00:00:00.000000Z")),
        ("2020-W53-1", Some("2020-12-28T00:00:00.000000Z")),
        // `YYYY-Www-` then a digit at 10: the date is `YYYY-Www`, the time `04`
        ("2020-W10-04", Some("2020-03-02T04:00:00.000000Z")),
        ("2020W1041000", Some("2020-03-02T10:00:00.000000Z")),
        ("2021-W53-1", None),
        ("2020-W10-8", None),
        ("2020-W104", None),
        ("9999-W52-7", None),
        ("0000-01-01 00:00:00", None),
        // any one character separates date and time, the rest is ASCII
        ("2020-03-05\u{e9}10:00", Some("2020-03-05T10:00:00.000000Z")),
        ("2020-03-05 10:00\u{e9}", None),
        // Django's own pattern reads any Unicode decimal digit (and `$` before a final newline)
        (
            "\u{ff12}\u{ff10}\u{ff12}\u{ff10}-\u{ff10}\u{ff13}-\u{ff10}\u{ff15} \u{ff11}\u{ff10}:\u{ff10}\u{ff10}",
            Some("2020-03-05T10:00:00.000000Z"),
        ),
        (
            "2020-03-05 10:00:00.\u{661}\u{662} +\u{660}\u{665}:\u{663}\u{660}",
            Some("2020-03-05T04:30:00.120000Z"),
        ),
        ("2020-03-05 10:00Z\n", Some("2020-03-05T10:00:00.000000Z")),
        ("2020-03-05 10:00Z\n\n", None),
    ];
    for (i, (stored, _)) in cases.iter().enumerate() {
        add(
            &env,
            &format!("course-v1:edX+D{i}+2020"),
            stored,
            Value::Integer(1),
            "on",
        );
    }
    let rows = env.json("override list raw.flag");
    for (i, (stored, want)) in cases.iter().enumerate() {
        let key = format!("course-v1:edX+D{i}+2020");
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["course_id"] == key.as_str())
            .unwrap();
        assert_eq!(row["changed"], want.unwrap_or(stored), "{stored}");
    }
    // An enrollment's `created` in a form Django reads decides the enrollment as Django does.
    env.ok("user add eve");
    env.ok("experiment create raw.flag --buckets 2");
    env.exec_with(
        "INSERT INTO student_courseenrollment (course_id, created, is_active, mode, user_id)
             SELECT ?1, '2020-3-5 9:00', 1, 'audit', id FROM auth_user WHERE username = 'eve'",
        [C],
    );
    let b = env.json(&format!("bucket raw.flag --user eve --course {C}"));
    assert_eq!(b["enrolled"], "2020-03-05T09:00:00", "{b:#}");
}

#[test]
fn a_real_percent_is_rounded_as_django_rounds_it() {
    let env = Env::new();
    // (stored REAL, what Django 5.2 reads: 15 significant digits, then half to even)
    for (i, (stored, want)) in [(12.25, 12.2), (12.35, 12.4), (0.15, 0.2), (33.333, 33.3)]
        .into_iter()
        .enumerate()
    {
        let name = format!("pct.f{i}");
        env.ok(&["flag", "create", &name]);
        env.exec_with(
            "UPDATE waffle_flag SET percent = ?1 WHERE name = ?2",
            params![stored, name],
        );
        let v = env.json(&["flag", "show", &name]);
        assert_eq!(v["percent"].as_f64(), Some(want), "{stored}");
    }
}

#[test]
fn a_percent_django_cannot_read_makes_the_lms_fail() {
    let env = Env::new();
    env.ok("user add u");
    // (SQL literal, as shown): text and blobs raise TypeError, more digits than decimal(3,1)
    // holds raise InvalidOperation (observed with Django 5.2's Flag.objects.get).
    let cases = [
        ("'abc'", "\"abc\" (text)"),
        ("x'3235'", "x'3235' (blob)"),
        ("100", "100"),
        ("99.95", "99.95"),
    ];
    for (i, (lit, shown)) in cases.iter().enumerate() {
        let name = format!("bad.p{i}");
        env.ok(&["experiment", "create", &name, "--buckets", "2"]);
        env.exec_with(
            &format!("UPDATE waffle_flag SET percent = {lit} WHERE name = ?1"),
            [&name],
        );
        // flag show / list: the stored value, and that Django cannot read it
        let show = env.ok(&["flag", "show", &name]);
        assert_contains(&show, format!("{shown} (Django cannot read it)"));
        let list = env.ok("flag list");
        assert_contains(&list, "(Django cannot read it)");
        let j = env.json(&["flag", "show", &name]);
        assert_eq!(j["percent_unreadable"]["stored"], *shown, "{j:#}");
        // eval: the deciding step is the server error
        let ev = env.json(&["eval", &name, "--user", "u"]);
        assert_eq!(ev["active"], serde_json::Value::Null, "{ev:#}");
        let e = ev["server_error"].as_str().unwrap();
        assert!(
            e.starts_with(&format!(
                "the LMS fails with a server error reading flag {name}: percent {shown}"
            )),
            "{e}"
        );
        assert_eq!(ev["steps"][2]["detail"].as_str(), Some(e), "{ev:#}");
        // bucket: exit 1 naming the flag and the value
        let err = env.fails(&["bucket", &name, "--user", "u"], 1);
        assert_contains(&err, format!("flag {name}: percent {shown}"));
    }
    // doctor reports them
    let r = env.run("doctor");
    assert_ne!(r.code, 0);
    assert!(
        r.stdout.contains("bad.p0 (\"abc\" (text): TypeError"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("bad.p3 (99.95: decimal.InvalidOperation"));
}

#[test]
fn a_change_keeps_an_unreadable_percent_until_one_is_set() {
    let env = Env::new();
    env.ok("flag create bad.keep");
    env.exec("UPDATE waffle_flag SET percent = 'abc' WHERE name = 'bad.keep'");
    let stored = |env: &Env| -> String {
        env.one("SELECT quote(percent) FROM waffle_flag WHERE name = 'bad.keep'")
    };
    env.ok("flag set bad.keep --staff");
    assert_eq!(stored(&env), "'abc'");
    env.ok("flag set bad.keep --percent 12.5");
    assert_eq!(stored(&env), "12.5");
    let j = env.json("flag show bad.keep");
    assert!(j.get("percent_unreadable").is_none(), "{j:#}");
}

#[test]
fn a_sample_percent_django_cannot_read_makes_the_lms_fail() {
    let env = Env::with(&["sample create bad.s 10"]);
    env.exec("UPDATE waffle_sample SET percent = x'3130' WHERE name = 'bad.s'");
    let ev = env.json("eval bad.s");
    assert_eq!(ev["active"], serde_json::Value::Null, "{ev:#}");
    assert!(
        ev["server_error"].as_str().unwrap().starts_with(
            "the LMS fails with a server error reading sample bad.s: percent x'3130' (blob)"
        ),
        "{ev:#}"
    );
    assert!(
        env.ok("sample show bad.s")
            .contains("x'3130' (blob) (Django cannot read it)")
    );
    let r = env.run("doctor");
    assert!(
        r.stdout.contains("bad.s (x'3130' (blob): TypeError"),
        "{}",
        r.stdout
    );
    // decimal(4,1) holds 999.9: 150 is read (and always on), 1000 is not
    env.exec("UPDATE waffle_sample SET percent = 1000 WHERE name = 'bad.s'");
    assert!(env.json("sample show bad.s")["percent_unreadable"].is_object());
    env.ok("sample set bad.s 5");
    assert!(
        env.json("sample show bad.s")
            .get("percent_unreadable")
            .is_none()
    );
}
