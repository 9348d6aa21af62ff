//! Bad files for `import` (and `diff`): each is exit 2 with a message naming the file and the
//! problem, and the store stays byte-for-byte as it was.

use crate::common;

use common::{Env, assert_contains, write};

/// A store with the example in it, and `text` written to `bad.json` in the test's folder.
fn env_with(text: &str) -> Env {
    let env = Env::example();
    write(&env.path("bad.json"), text);
    env
}

/// `import bad.json [extra...]` fails with 2, store unchanged; `diff` fails alike. Returns the
/// import's stderr.
fn rejected(text: &str, extra: &[&str]) -> String {
    let env = env_with(text);
    let mut args = vec!["import", "bad.json"];
    args.extend_from_slice(extra);
    let err = env.fails_unchanged(&args, 2);
    let mut args = vec!["diff", "bad.json"];
    args.extend_from_slice(extra);
    env.fails_unchanged(&args, 2);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: ")),
        "one error line and at most one hint: {err}"
    );
    err
}

/// `rejected`, and the first line of the error says `what`. Returns the error.
fn rejected_saying(text: &str, extra: &[&str], what: &str) -> String {
    let err = rejected(text, extra);
    assert_contains(first_line(&err), what);
    err
}

fn first_line(err: &str) -> &str {
    err.lines().next().unwrap()
}

#[test]
fn malformed_json() {
    let err = rejected("{\"version\": 1, \"flags\": [", &[]);
    assert!(
        first_line(&err).starts_with("error: bad.json: malformed JSON at line 1 column"),
        "{err}"
    );
    // As fixtures; with JSON lines the line number is the file's.
    for (text, starts) in [
        (
            "[{\"model\": \"waffle.flag\", \"fields\": {\"name\": \"x\",}}]",
            "error: bad.json: malformed JSON at line 1 column",
        ),
        (
            "{\"model\": \"waffle.switch\",\"pk\": 1,\"fields\": {\"name\": \"s\"}}\n{\"model\": oops}\n",
            "error: bad.json: malformed JSON at line 2 column",
        ),
        ("", "error: bad.json: the file is empty"),
    ] {
        let env = env_with(text);
        let err = env.fails_unchanged("import --format django bad.json", 2);
        assert!(err.starts_with(starts), "{text:?}: {err}");
    }
}

#[test]
fn a_newer_or_unknown_version() {
    let err = rejected(r#"{"version": 2, "flags": []}"#, &[]);
    assert_eq!(
        err,
        "error: bad.json: file version 2 is newer than this wafflectl understands (1)\nhint: upgrade wafflectl to read this file\n"
    );
    rejected_saying(
        r#"{"version": "1.0", "flags": []}"#,
        &[],
        "unknown file version \"1.0\"",
    );
    rejected_saying(r#"{"version": 0}"#, &[], "unknown file version 0");
    rejected_saying(
        r#"{"flags": []}"#,
        &[],
        "not a wafflectl native file (no \"version\")",
    );
}

#[test]
fn an_unknown_field() {
    // A fixture object with a field its (known) model does not have.
    let err = rejected(
        r#"[{"model": "waffle.flag", "pk": 1, "fields": {"name": "x", "everyone": true, "colour": "red"}}]"#,
        &["--format", "django"],
    );
    assert_eq!(
        first_line(&err),
        "error: bad.json: object 1 (waffle.flag 'x'): unknown field 'colour' for waffle.flag"
    );
    // The same in a native file (a typo must not be ignored).
    let err = rejected(
        r#"{"version": 1, "flags": [{"name": "x", "everyon": true}]}"#,
        &[],
    );
    assert!(
        first_line(&err).contains(
            "unknown field 'everyon' in flag 'x' (flags[0]); its fields are: name, everyone,"
        ) && err.contains("hint: did you mean 'everyone'?"),
        "{err}"
    );
}

#[test]
fn a_percent_out_of_range() {
    let err = rejected(
        r#"{"version": 1, "flags": [{"name": "x", "percent": 100}]}"#,
        &[],
    );
    assert_eq!(
        first_line(&err),
        "error: bad.json: flag 'x': percent must be a number from 0 to 99.9"
    );
    rejected_saying(
        r#"{"version": 1, "samples": [{"name": "s", "percent": 100.1}]}"#,
        &[],
        "sample 's': percent must be a number from 0 to 100.0",
    );
    rejected_saying(
        r#"{"version": 1, "flags": [{"name": "x", "percent": -5}]}"#,
        &[],
        "flag 'x': percent must be a number from 0 to 99.9",
    );
    rejected_saying(
        r#"{"version": 1, "flags": [{"name": "x", "percent": 12.34}]}"#,
        &[],
        "one decimal place",
    );
    rejected_saying(
        r#"[{"model": "waffle.flag", "fields": {"name": "x", "percent": "150.0"}}]"#,
        &["--format", "django"],
        "flag 'x': percent must be a number from 0 to 99.9",
    );
}

#[test]
fn a_duplicate_name_inside_one_file() {
    let err = rejected(
        r#"{"version": 1, "switches": [{"name": "s"}, {"name": "t"}, {"name": "s", "active": true}]}"#,
        &[],
    );
    assert_eq!(
        first_line(&err),
        "error: bad.json: switch 's' appears twice"
    );
    let err = rejected(
        r#"[{"model": "auth.user", "fields": {"username": "zed"}}, {"model": "auth.user", "fields": {"username": "zed"}}]"#,
        &["--format", "django"],
    );
    assert_eq!(
        first_line(&err),
        "error: bad.json: user 'zed' appears twice"
    );
    let err = rejected(
        r#"{"version": 1, "experiments": [{"name": "a.b", "experiment_id": 3}, {"name": "c.d", "experiment_id": 3}]}"#,
        &[],
    );
    assert_eq!(
        first_line(&err),
        "error: bad.json: experiments 'a.b' and 'c.d' share experiment ID 3"
    );
}

#[test]
fn a_user_list_naming_a_user_nobody_has() {
    // The store has alice, bob, carol, staff and root; the file defines dave.
    let err = rejected(
        r#"{"version": 1, "users": [{"username": "dave"}], "flags": [{"name": "x", "users": ["dave", "ghost"]}]}"#,
        &[],
    );
    let (error, hint) = err.split_once('\n').unwrap();
    assert_eq!(
        error,
        "error: bad.json: flag 'x' names user 'ghost', which the file does not define and the store does not have"
    );
    // the suggested command carries the store's --db (a temporary path here)
    assert!(
        hint.starts_with("hint: add the user to the file, or create it first: wafflectl --db ")
            && hint.ends_with("/waffle.db user add ghost\n"),
        "{hint}"
    );
    rejected_saying(
        r#"[{"model": "waffle.flag", "fields": {"name": "x", "users": [["alice"], ["ghost"]]}}]"#,
        &["--format", "django"],
        "names user 'ghost'",
    );
    // A pk the file does not define cannot be trusted to mean the same user here.
    let err = rejected_saying(
        r#"[{"model": "waffle.flag", "pk": 1, "fields": {"name": "x", "users": [1]}}]"#,
        &["--format", "django"],
        "names user pk 1, which the file does not define",
    );
    assert_contains(&err, "hint: dump with --natural-foreign");
    // Groups alike.
    rejected_saying(
        r#"{"version": 1, "flags": [{"name": "x", "groups": ["ghosts"]}]}"#,
        &[],
        "names group 'ghosts'",
    );
    // With --prune, a user the file does not define will be gone: it cannot be referred to.
    rejected_saying(
        r#"{"version": 1, "users": [], "flags": [{"name": "x", "users": ["alice"]}]}"#,
        &["--prune", "--yes"],
        "names user 'alice'",
    );
}

#[test]
fn other_invalid_objects() {
    rejected_saying(
        r#"{"version": 1, "flags": [{"name": "has space"}]}"#,
        &[],
        "flag name 'has space' contains whitespace",
    );
    rejected_saying(
        r#"{"version": 1, "overrides": [{"flag": "f", "course": "not a course", "choice": "on"}]}"#,
        &[],
        "is not a course key",
    );
    rejected_saying(
        r#"{"version": 1, "overrides": [{"flag": "f", "org": "edX", "choice": "maybe"}]}"#,
        &[],
        "override choice 'maybe'",
    );
    rejected_saying(
        r#"{"version": 1, "switches": [{"name": "s", "created": "yesterday"}]}"#,
        &[],
        "'yesterday' is not a date and time",
    );
    rejected_saying(
        r#"{"version": 1, "key_values": [{"experiment_id": 40000, "key": "k"}]}"#,
        &[],
        "experiment ID 40000 is not in 0–32767",
    );
    rejected_saying(
        r#"[{"model": "waffle.sample", "fields": {"name": "p"}}]"#,
        &["--format", "django"],
        "field 'percent': missing",
    );
    rejected_saying(
        r#"[{"fields": {"name": "p"}}]"#,
        &["--format", "django"],
        "object 1: no \"model\"",
    );
}

#[test]
fn prune_may_not_remove_the_author_of_an_override_that_stays() {
    let env = env_with(r#"{"version": 1, "users": [{"username": "alice"}]}"#);
    env.exec("INSERT INTO waffle_utils_waffleflagorgoverridemodel
                (change_date, enabled, waffle_flag, org, override_choice, note, changed_by_id)
             VALUES ('2026-01-01 00:00:00', 1, 'f', 'edX', 'on', '', (SELECT id FROM auth_user WHERE username = 'root'))");
    let err = env.fails_unchanged("--yes import bad.json --prune", 2);
    assert!(
        first_line(&err)
            .contains("--prune would remove user 'root', who wrote an override row of 'f'"),
        "{err}"
    );
    // Without --prune nothing is removed, so the file is fine.
    env.ok("import bad.json");
}
