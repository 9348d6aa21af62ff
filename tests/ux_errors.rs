//! Issue 12 item 1 (and 5–7): errors say what is wrong and what to do; exit code, message and
//! an unchanged store for each.

mod common;

use common::Env;

#[test]
fn missing_required_arguments_are_named() {
    let env = Env::new();
    let cases: &[(&[&str], &str)] = &[
        (&["flag", "on"], "<NAME>"),
        (&["flag", "create"], "<NAME>"),
        (&["sample", "create", "foo"], "<PERCENT>"),
        (&["experiment", "kv", "set", "17"], "<KEY>, <VALUE>"),
        (&["override", "set", "F", "on"], "--course"),
        (&["bucket", "F"], "--user"),
        (&["experiment", "whitelist", "add", "F", "2"], "--staff"),
    ];
    for (args, named) in cases {
        let err = env.fails_unchanged(args, 2);
        let first = err.lines().next().unwrap();
        assert!(
            first.starts_with("error: the following required arguments were not provided: ")
                && first.contains(named),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn whitelist_add_with_swapped_arguments_says_the_order() {
    let env = Env::new();
    let err = env.fails_unchanged(&["experiment", "whitelist", "add", "1", "NAME", "--staff"], 2);
    assert!(err.contains("<BUCKET> must be a whole number, not 'NAME'"), "{err}");
    assert!(err.contains("hint: the order is NAME BUCKET"), "{err}");
    assert!(!err.contains("invalid digit"), "{err}");
}
