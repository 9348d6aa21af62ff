//! `export --format django` and `import --format django`: Django fixtures as `manage.py
//! dumpdata` writes them. The files in tests/interop_fixtures/ are real dumpdata output of
//! Django 5.2 + django-waffle 5.0.0 (a group, two users, a flag, a switch, a sample).

use crate::common;

use common::{DEMO_COURSE, Env, write};
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/interop_fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// What every layout of the reference dump must give.
fn assert_reference_store(env: &Env) {
    let f = env.json("flag show f1");
    assert_eq!(f["percent"], 12.5);
    assert_eq!(f["superusers"], true);
    assert_eq!(f["everyone"], Value::Null);
    assert_eq!(f["users"], serde_json::json!(["alice"]));
    assert_eq!(f["groups"], serde_json::json!(["beta"]));
    assert_eq!(f["created"], "2026-11-21T13:15:27.703000Z");
    assert_eq!(env.json("switch show s1")["active"], true);
    assert_eq!(env.json("sample show p")["percent"], 100.0);
    let alice = env.json("user show alice");
    assert_eq!(alice["groups"], serde_json::json!(["beta"]));
    assert_eq!(alice["email"], "a@x.com");
    let password: String = env.one("SELECT password FROM auth_user WHERE username = 'alice'");
    assert!(password.starts_with("pbkdf2_sha256$"), "{password}");
}

#[test]
fn reads_dumpdata_with_and_without_natural_keys_and_json_lines() {
    let mut exports = Vec::new();
    for name in [
        "dumpdata-natural.json",
        "dumpdata-pks.json",
        "dumpdata.jsonl",
    ] {
        let env = Env::new();
        let r = env.run(&["--format", "django", "import", &fixture(name)]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stderr.contains("6 added"), "{name}: {}", r.stderr);
        assert_reference_store(&env);
        exports.push(env.ok("export"));
        // Upsert by natural key: the same dump again changes nothing.
        let again = env.run(&["--format", "django", "import", &fixture(name)]);
        assert!(again.stderr.starts_with("unchanged"), "{}", again.stderr);
    }
    assert_eq!(exports[0], exports[1]);
    assert_eq!(exports[0], exports[2]);
}

#[test]
fn models_it_does_not_keep_are_skipped_with_one_warning() {
    let env = Env::new();
    let other_models = fixture("dumpdata-with-other-models.json");
    let r = env.run_ok(&["import", "--format", "django", &other_models]);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "warning: {}: skipped 45 objects of models wafflectl does not keep: auth.permission (36), contenttypes.contenttype (9)",
            fixture("dumpdata-with-other-models.json")
        )]
    );
    assert_reference_store(&env);
    let quiet = Env::new();
    let r = quiet.run(&["-q", "import", &fixture("dumpdata-with-other-models.json")]);
    assert_eq!(r.stderr, "", "--quiet silences the warning");
}

#[test]
fn upsert_keeps_ids_and_takes_django_defaults_for_missing_fields() {
    let env = Env::new();
    env.ok("flag create x --everyone on --staff");
    let id = |env: &Env| -> i64 { env.one("SELECT id FROM waffle_flag WHERE name = 'x'") };
    let before = id(&env);
    let file = env.path("min.json");
    // The spec's minimal fixture: omitted fields take the model defaults, as loaddata does.
    write(
        &file,
        r#"[{"model":"waffle.flag","fields":{"name":"x","percent":12.5}},{"model":"waffle.switch","fields":{"name":"s","active":false}},{"model":"waffle.sample","fields":{"name":"p","percent":"7.5"}}]"#,
    );
    let r = env.run_ok("import min.json");
    insta::assert_snapshot!("min_fixture_import", r.stderr);
    assert_eq!(id(&env), before, "updated in place");
    let f = env.json("flag show x");
    assert_eq!(f["everyone"], Value::Null);
    assert_eq!(f["staff"], false);
    assert_eq!(f["superusers"], true);
    assert_eq!(f["percent"], 12.5);
}

fn seeded() -> Env {
    let env = Env::example();
    env.ok("user set alice --add-group beta");
    env.exec(r#"
            UPDATE auth_user SET password = 'md5$salt$hash', first_name = 'Alice',
                   last_login = '2026-01-01 09:30:00.123000' WHERE username = 'alice';
            INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
            VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00.5', 17, 'enrollment_start', '2020-03-05T00:00:00');
            INSERT INTO experiments_experimentdata (created, modified, experiment_id, key, value, user_id)
            VALUES ('2026-01-01 00:00:00', '2026-01-01 00:00:00', 17, 'seen', 'true',
                    (SELECT id FROM auth_user WHERE username = 'bob'));
            "#);
    let (flag, at) = ("new_dashboard", "2026-01-01 10:00:00.999000");
    env.raw_overrides_by(
        "course",
        Some("root"),
        &[(at, true, flag, DEMO_COURSE, "on", "pilot")],
    );
    env.raw_overrides(
        "org",
        &[("2026-01-01 11:00:00", false, flag, "MITx", "off", "")],
    );
    env
}

#[test]
fn export_writes_the_dumpdata_shape() {
    let env = seeded();
    let out = env.ok("--format django export");
    insta::assert_snapshot!("django_export", out);
    let one_line = env.ok("--format django export --indent 0");
    assert!(!one_line.trim_end().contains('\n'));
    assert!(
        one_line.starts_with(r#"[{"model": "auth.group", "fields": {"name": "beta", "permissions": []}}, {"model": "auth.user", "fields": {"password": "md5$salt$hash", "last_login": "2026-01-01T09:30:00.123Z", "#),
        "{one_line}"
    );
    // Both layouts hold the same objects.
    let a: Value = serde_json::from_str(&out).unwrap();
    let b: Value = serde_json::from_str(&one_line).unwrap();
    assert_eq!(a, b);
}

#[test]
fn django_export_imports_back_to_the_same_store() {
    let a = seeded();
    let file = a.path("fixture.json");
    a.ok(&["--format", "django", "export", "-o", file.to_str().unwrap()]);
    let b = Env::new();
    b.ok(&["import", "--format", "django", file.to_str().unwrap()]);
    // Everything a fixture carries comes back (experiment definitions and enrollments are not
    // Django models, so the native export of `b` lacks them).
    let strip = |text: String| -> Value {
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["experiments"] = Value::Null;
        v["enrollments"] = Value::Null;
        v
    };
    assert_eq!(strip(b.ok("export")), strip(a.ok("export")));
    let (password, last_login): (String, String) =
        b.one("SELECT password, last_login FROM auth_user WHERE username = 'alice'");
    assert_eq!(password, "md5$salt$hash");
    assert_eq!(
        last_login, "2026-01-01 09:30:00.123000",
        "milliseconds, as in the fixture"
    );
}

#[test]
fn overrides_and_experiment_rows_from_dumpdata_with_pks() {
    let env = Env::new();
    env.write("edx.json", r#"[
{"model": "auth.user", "pk": 4, "fields": {"password": "!", "username": "staffer", "is_staff": true, "date_joined": "2025-01-01T00:00:00Z"}},
{"model": "waffle_utils.waffleflagcourseoverridemodel", "pk": 9, "fields": {"change_date": "2025-06-01T12:00:00.123Z", "changed_by": 4, "enabled": true, "waffle_flag": "course_experience.relative_dates", "course_id": "course-v1:edX+DemoX+Demo_Course", "override_choice": "off", "note": ""}},
{"model": "waffle_utils.waffleflagorgoverridemodel", "pk": 2, "fields": {"change_date": "2025-06-02T12:00:00Z", "changed_by": null, "enabled": true, "waffle_flag": "course_experience.relative_dates", "org": "edX", "override_choice": "on", "note": "org-wide"}},
{"model": "experiments.experimentkeyvalue", "pk": 1, "fields": {"created": "2025-01-01T00:00:00Z", "modified": "2025-01-01T00:00:00Z", "experiment_id": 17, "key": "enrollment_start", "value": "2020-03-05"}},
{"model": "experiments.experimentdata", "pk": 5, "fields": {"created": "2025-01-01T00:00:00Z", "modified": "2025-01-01T00:00:00Z", "user": 4, "experiment_id": 17, "key": "bucket", "value": "1"}}
]"#,
    );
    env.ok("import --format django edx.json");
    let row: (String, String, i64, String) = env.one("SELECT o.change_date, o.override_choice, o.enabled, u.username FROM waffle_utils_waffleflagcourseoverridemodel o
             JOIN auth_user u ON u.id = o.changed_by_id");
    assert_eq!(
        row,
        (
            "2025-06-01 12:00:00.123000".into(),
            "off".into(),
            1,
            "staffer".into()
        )
    );
    let kv: String = env.one("SELECT value FROM experiments_experimentkeyvalue WHERE experiment_id = 17 AND key = 'enrollment_start'");
    assert_eq!(kv, "2020-03-05");
    let data: String = env.one(
        "SELECT u.username FROM experiments_experimentdata d JOIN auth_user u ON u.id = d.user_id",
    );
    assert_eq!(data, "staffer");
    // The override rows are matched by flag, course/org and date: importing again is a no-op.
    let again = env.run("import edx.json");
    assert!(again.stderr.starts_with("unchanged"), "{}", again.stderr);
}
