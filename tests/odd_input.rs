//! Issue 11 items 5–7: requests as the LMS makes them, odd input and `-o FILE`. Each odd input:
//! exit code, message, store unchanged.

mod common;

use common::{Env, write};

/// An experiment whose main flag is on only for the `de` language, and whose bucket 2 flag is
/// on only for `fr`.
fn lang_env() -> Env {
    let env = Env::new();
    env.ok(&["experiment", "create", "lang.exp", "--buckets", "3"]);
    env.ok(&["flag", "set", "lang.exp", "--languages", "de", "--create"]);
    env.ok(&["flag", "set", "lang.exp.2", "--languages", "fr", "--create"]);
    env.ok(&["flag", "unset", "lang.exp"]);
    env.ok(&["flag", "unset", "lang.exp.2"]);
    env
}

#[test]
fn bucket_takes_the_request_language() {
    let env = lang_env();
    let no = env.json(&["bucket", "lang.exp", "--user", "alice"]);
    assert_eq!(
        (no["bucket"].as_i64(), no["stage"].as_str()),
        (Some(0), Some("main_flag_off"))
    );
    let de = env.json(&["bucket", "lang.exp", "--user", "alice", "--language", "de"]);
    assert_eq!(de["stage"], "hash", "{de:#}");
    // The bucket flag's language needs the main flag's too: de,fr is not one code, so only the
    // main flag matches `de`; a request in `fr` has the main flag off.
    let fr = env.json(&["bucket", "lang.exp", "--user", "alice", "--language", "fr"]);
    assert_eq!(fr["stage"], "main_flag_off");
    env.ok(&["flag", "set", "lang.exp", "--languages", "de,fr"]);
    let fr = env.json(&["bucket", "lang.exp", "--user", "alice", "--language", "fr"]);
    assert_eq!(
        (fr["bucket"].as_i64(), fr["stage"].as_str()),
        (Some(2), Some("forced"))
    );
    // Bulk and --find use it too.
    let users = env.path("u.txt");
    write(&users, "alice\nbob\n");
    let u = users.to_str().unwrap();
    let out = env.ok(&["bucket", "lang.exp", "--users-file", u, "--language", "fr"]);
    assert_eq!(out, "alice\t2\nbob\t2\n");
    let out = env.ok(&["bucket", "lang.exp", "--users-file", u]);
    assert_eq!(out, "alice\t0\nbob\t0\n");
    let r = env.run(&["bucket", "lang.exp", "--find", "1", "--language", "de"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stderr.contains("does not reach the hash"),
        "{}",
        r.stderr
    );
    let r = env.run(&["bucket", "lang.exp", "--find", "1"]);
    assert!(r.stderr.contains("does not reach the hash"), "{}", r.stderr);
    env.fails_unchanged(&["bucket", "lang.exp", "--user", "a", "--language", ""], 2);
}

#[test]
fn eval_of_an_undefined_name_is_waffle_flag_default() {
    let env = Env::new();
    let before = env.bytes();
    let r = env.run(&["eval", "no.such.flag", "--user", "alice", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["active"], false);
    assert_eq!(v["defined"], false);
    assert!(v["steps"].to_string().contains("no such flag"), "{v:#}");
    assert!(
        r.stderr
            .contains("warning: no experiment, flag, switch or sample named 'no.such.flag'"),
        "{}",
        r.stderr
    );
    assert!(env.bytes() == before, "eval changed the store");
}
