//! Validated values: each kind of value is checked by one rule, the same on the command line and
//! in an imported file, with Django 5.2's column sizes; numbers out of range are one-line usage
//! errors (exit 2) that leave the store unchanged.

use crate::common;

use common::{Env, assert_contains};

fn one_error_line(err: &str) -> &str {
    let mut lines = err.lines();
    let first = lines.next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{err}");
    assert!(lines.all(|l| l.starts_with("hint: ")), "{err}");
    first
}

#[test]
fn a_bucket_count_beyond_edx_hash_is_refused_everywhere() {
    let env = Env::new();
    let err = env.fails_unchanged(
        &["experiment", "create", "a.x", "--buckets", "4294967296"],
        2,
    );
    assert!(
        one_error_line(&err).contains("the number of buckets must be at most 4294967295"),
        "{err}"
    );
    env.ok(&["experiment", "create", "a.x", "--buckets", "3"]);
    for args in [
        &["experiment", "set", "a.x", "--buckets", "4294967296"][..],
        &["bucket", "a.x", "--user", "bob", "--buckets", "4294967296"][..],
        &["bucket", "a.x", "--user", "bob", "--buckets", "0"][..],
    ] {
        let err = env.fails_unchanged(args, 2);
        assert!(
            one_error_line(&err).contains("the number of buckets must be"),
            "{args:?}: {err}"
        );
    }
    // The largest count is accepted, and bucket uses it.
    let out = env.ok(&["bucket", "a.x", "--user", "bob", "--buckets", "4294967295"]);
    assert!(out.contains("(4294967295 buckets"), "{out}");
}

#[test]
fn import_refuses_a_bucket_count_beyond_edx_hash() {
    // Bug: import checked only the lower bound, so a file could store 2^32 buckets, which no
    // command can then evaluate.
    let env = Env::new();
    env.ok(&["experiment", "create", "a.x", "--buckets", "3"]);
    let file = env.path("big.json");
    let text = env
        .ok(&["export"])
        .replace("\"num_buckets\": 3", "\"num_buckets\": 4294967296");
    assert_contains(&text, "4294967296");
    common::write(&file, &text);
    let err = env.fails_unchanged(&["import", file.to_str().unwrap()], 2);
    assert!(
        one_error_line(&err).contains("num_buckets must be at most 4294967295 (edX's hash"),
        "{err}"
    );
    let ok = text.replace("4294967296", "4294967295");
    common::write(&file, &ok);
    env.ok(&["import", file.to_str().unwrap()]);
    let j = env.json(&["experiment", "show", "a.x"]);
    assert_eq!(j["num_buckets"], 4294967295u64, "{j}");
}

#[test]
fn absurd_numbers_are_usage_errors_not_panics_or_memory() {
    let env = Env::new();
    env.ok(&["experiment", "create", "a.x", "--buckets", "3"]);
    let cases: &[&[&str]] = &[
        &[
            "bucket",
            "a.x",
            "--find",
            "1",
            "--count",
            "18446744073709551615",
        ],
        &["bucket", "a.x", "--find", "1", "--count", "0"],
        &["bucket", "a.x", "--find", "99999999999999999999"],
        &["export", "--format", "django", "--indent", "4294967295"],
        &["history", "--limit", "18446744073709551616"],
        &["stale", "--days", "4294967295"],
        &["experiment", "kv", "list", "99999999999999999999"],
        &["experiment", "kv", "list", "32768"],
        &[
            "experiment",
            "whitelist",
            "add",
            "a.x",
            "4294967295",
            "--staff",
        ],
        &[
            "experiment",
            "whitelist",
            "add",
            "a.x",
            "99999999999999999999",
            "--staff",
        ],
        &[
            "experiment",
            "create",
            "b.x",
            "--id",
            "99999999999999999999",
        ],
        &[
            "experiment",
            "create",
            "b.y",
            "--type",
            "multi_variant",
            "--num-buckets",
            "4294967296",
        ],
    ];
    for args in cases {
        let r = env.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
        one_error_line(&r.stderr);
    }
}

#[test]
fn group_names_may_have_150_characters_as_django_allows() {
    // Bug: group names were held to a toggle's 100 characters, but auth_group.name is
    // varchar(150) in Django 5.2.
    let env = Env::new();
    let long = "g".repeat(150);
    env.ok(&["group", "add", &long]);
    env.ok(&["user", "add", "alice", "--group", &long]);
    let err = env.fails_unchanged(&["group", "add", &"g".repeat(151)], 2);
    assert_eq!(
        one_error_line(&err),
        "error: group name is longer than 150 characters"
    );
    // A file may carry such a group too.
    let file = env.path("groups.json");
    let text = env.ok(&["export"]);
    env.ok(&["user", "delete", "alice", "--yes"]);
    env.ok(&["group", "delete", &long, "--yes"]);
    common::write(&file, &text);
    env.ok(&["import", file.to_str().unwrap()]);
    let j = env.json(&["user", "show", "alice"]);
    assert_eq!(j["groups"][0], long, "{j}");
}

#[test]
fn usernames_follow_one_rule_in_every_command() {
    // Bug: `experiment data` only refused an empty username, while `user add` and import also
    // refuse whitespace and more than 150 characters.
    let env = Env::new();
    for u in ["a b", "tab\there"] {
        for args in [
            &["user", "add", u][..],
            &["experiment", "data", "set", "17", u, "k", "v"][..],
            &["experiment", "data", "list", "17", "--user", u][..],
        ] {
            let err = env.fails_unchanged(args, 2);
            assert_eq!(
                one_error_line(&err),
                format!(
                    "error: username '{}' contains whitespace",
                    u.escape_default()
                ),
                "{args:?}"
            );
        }
    }
    let long = "u".repeat(151);
    for args in [
        &["user", "add", &long][..],
        &["experiment", "data", "unset", "17", &long, "k"][..],
    ] {
        let err = env.fails_unchanged(args, 2);
        assert_eq!(
            one_error_line(&err),
            "error: username is longer than 150 characters",
            "{args:?}"
        );
    }
    env.ok(&["user", "add", &"u".repeat(150)]);
}

#[test]
fn names_typed_on_the_command_line_keep_their_messages_and_hints() {
    let env = Env::new();
    let err = env.fails_unchanged(&["flag", "create", "a b"], 2);
    assert_eq!(
        err,
        "error: flag name 'a b' contains whitespace\n\
         hint: names are single words such as course_experience.relative_dates\n"
    );
    let err = env.fails_unchanged(&["switch", "on", &"s".repeat(101)], 2);
    assert_eq!(err, "error: switch name is longer than 100 characters\n");
    let err = env.fails_unchanged(&["experiment", "kv", "list", "40000"], 2);
    assert_eq!(
        err,
        "error: experiment ID must be from 0 to 32767 (got 40000)\n\
         hint: find a free one with: wafflectl experiment next-id\n"
    );
    let err = env.fails_unchanged(&["bucket", "a.x", "--user", "u", "--course", "nope"], 2);
    one_error_line(&err);
    // A stored name that is no longer valid can still be looked at.
    env.ok(&["flag", "create", "ok_name"]);
    env.sql()
        .execute(
            "UPDATE waffle_flag SET name = 'odd name' WHERE name = 'ok_name'",
            [],
        )
        .unwrap();
    env.ok(&["flag", "show", "odd name"]);
}

#[test]
fn typed_times_name_their_option_when_they_are_not_dates() {
    let env = Env::new();
    env.ok(&["flag", "create", "beta"]);
    for (args, option) in [
        (&["history", "--since", "soon"][..], "--since"),
        (&["stale", "--now", "soon"][..], "--now"),
        (&["refs", "--now", "soon"][..], "--now"),
        (&["variant", "x", "--now", "soon"][..], "--now"),
        (
            &["bucket", "a.b", "--user", "bob", "--now", "soon"][..],
            "--now",
        ),
        (
            &["eval", "beta", "--user", "bob", "--now", "soon"][..],
            "--now",
        ),
        (
            &["user", "enroll", "bob", "course-v1:a+b+c", "--at", "soon"][..],
            "--at",
        ),
        (
            &["experiment", "set", "x", "--start", "soon"][..],
            "--start",
        ),
    ] {
        let err = env.fails_unchanged(args, 2);
        let line = one_error_line(&err);
        assert!(
            line.starts_with(&format!("error: {option}: "))
                && line.contains("read 'soon' as a date"),
            "{args:?}: {err}"
        );
    }
    // A readable time is taken: the flag was created after 2020, so nothing is listed since 2030.
    assert_eq!(
        env.ok(&["history", "--since", "March 5, 2030", "--format", "plain"]),
        ""
    );
    assert!(
        !env.ok(&["history", "--since", "2020-03-05", "--format", "plain"])
            .is_empty()
    );
}
