//! `--cache`: which django-waffle keys a write makes stale, and what happens when the cache
//! cannot be reached (a warning listing the keys, exit 0, the change committed). No server is
//! needed: port 1 on loopback refuses every connection, and the warning lists the keys.

use crate::common;

use common::{Env, Run, assert_contains, assert_lacks, md5_hex};

/// Nothing listens on port 1: every connection is refused at once.
const DOWN_REDIS: &str = "redis://127.0.0.1:1/0";
const DOWN_MEMCACHED: &str = "memcached://127.0.0.1:1";

fn run(env: &Env, args: &[&str]) -> Run {
    let out = env
        .cmd()
        .env_remove("WAFFLECTL_CACHE")
        .args(args)
        .output()
        .expect("run wafflectl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs a write that must succeed with the cache down; returns the keys its warning lists.
#[track_caller]
fn stale_keys(env: &Env, args: &[&str]) -> Vec<String> {
    let r = run(env, args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    listed_keys(&r.stderr)
}

/// The keys a warning lists (the indented lines after it).
fn listed_keys(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .skip_while(|l| !l.starts_with("warning: "))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn flag_keys_match_the_observed_django_waffle_keys() {
    let env = Env::new();
    let r = run(&env, &["--cache", DOWN_REDIS, "flag", "create", "foo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // spec django-waffle §2.5, observed: flag `foo` and its users key; Django's default key
    // function adds `:1:` (KEY_PREFIX '' and VERSION 1).
    assert_eq!(
        listed_keys(&r.stderr),
        [
            ":1:waffle:5.0.0d89193f4bdeaf8b976994c25b7f1a564",
            ":1:flags:all",
            ":1:waffle:5.0.04943c0d60b3f3f16d434f8f33f7570bd",
            &format!(":1:waffle:5.0.0{}", md5_hex("flag:foo:groups")),
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn unreachable_cache_is_a_warning_after_commit() {
    let env = Env::new();
    let r = run(&env, &["--cache", DOWN_MEMCACHED, "flag", "create", "foo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(
        &r.stderr,
        "warning: the change is committed, but the cache at memcached://127.0.0.1:1 could not be updated",
    );
    assert_contains(&r.stderr, "these 4 keys may be stale");
    // The change's own line comes first, then what happened to the cache.
    let created = r.stderr.find("created flag foo").expect("the change line");
    assert!(created < r.stderr.find("warning:").unwrap(), "{}", r.stderr);
    // committed all the same
    assert_eq!(env.json(&["flag", "show", "foo"])["name"], "foo");
}

#[test]
fn key_prefix_version_and_waffle_prefix_shape_every_key() {
    let env = Env::new();
    assert_eq!(
        stale_keys(
            &env,
            &[
                "--cache",
                DOWN_REDIS,
                "--cache-key-prefix",
                "edx",
                "--cache-version",
                "7",
                "--waffle-cache-prefix",
                "w:",
                "switch",
                "create",
                "foo",
            ]
        ),
        [
            format!("edx:7:w:5.0.0{}", md5_hex("switch:foo")),
            "edx:7:switches:all".to_string(),
        ]
    );
    assert_eq!(
        stale_keys(
            &env,
            &["--cache", DOWN_REDIS, "sample", "create", "s", "10"]
        ),
        [
            format!(":1:waffle:5.0.0{}", md5_hex("sample:s")),
            ":1:samples:all".to_string(),
        ]
    );
}

#[test]
fn environment_variable_names_the_cache() {
    let env = Env::new();
    let out = env
        .cmd()
        .env("WAFFLECTL_CACHE", DOWN_REDIS)
        .args(["flag", "create", "foo"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains(&stderr, "redis://127.0.0.1:1/0");
    assert_eq!(listed_keys(&stderr).len(), 4, "{stderr}");
}

#[test]
fn dry_runs_and_unchanged_writes_touch_no_cache() {
    let env = Env::new();
    env.ok(&["flag", "create", "foo"]);
    let r = run(
        &env,
        &["--cache", DOWN_REDIS, "flag", "on", "foo", "--dry-run"],
    );
    assert_eq!(r.code, 0);
    assert_lacks(&r.stderr, "warning");
    env.ok(&["flag", "on", "foo"]);
    let r = run(&env, &["--cache", DOWN_REDIS, "flag", "on", "foo"]);
    assert_eq!(r.code, 0);
    assert_contains(&r.stderr, "unchanged");
    assert_lacks(&r.stderr, "warning");
}

#[test]
fn several_objects_in_one_write_list_each_key_once() {
    let env = Env::new();
    env.ok(&["flag", "create", "a"]);
    env.ok(&["flag", "create", "b"]);
    let keys = stale_keys(
        &env,
        &["--cache", DOWN_REDIS, "flag", "delete", "a", "b", "--yes"],
    );
    assert_eq!(keys.len(), 7, "{keys:?}");
    assert_eq!(keys.iter().filter(|k| *k == ":1:flags:all").count(), 1);
    assert!(keys.contains(&format!(":1:waffle:5.0.0{}", md5_hex("flag:b"))));
}

#[test]
fn deleting_a_user_drops_every_flags_member_keys() {
    let env = Env::new();
    env.ok(&["user", "add", "ann"]);
    env.ok(&["flag", "create", "a", "--add-user", "ann"]);
    env.ok(&["flag", "create", "b"]);
    let keys = stale_keys(
        &env,
        &["--cache", DOWN_REDIS, "user", "delete", "ann", "--yes"],
    );
    for f in ["a", "b"] {
        for what in ["users", "groups"] {
            let k = format!(":1:waffle:5.0.0{}", md5_hex(&format!("flag:{f}:{what}")));
            assert!(keys.contains(&k), "{k} not in {keys:?}");
        }
    }
    assert_eq!(keys.len(), 4, "{keys:?}");
}

#[test]
fn imports_drop_the_keys_of_what_they_change() {
    let env = Env::new();
    let file = env.path("in.json");
    common::write(
        &file,
        r#"[{"model":"waffle.switch","fields":{"name":"s","active":true}}]"#,
    );
    assert_eq!(
        stale_keys(
            &env,
            &[
                "--cache",
                DOWN_REDIS,
                "import",
                file.to_str().unwrap(),
                "--format",
                "django",
            ]
        ),
        [
            format!(":1:waffle:5.0.0{}", md5_hex("switch:s")),
            ":1:switches:all".to_string(),
        ]
    );
}

#[test]
fn bad_cache_urls_are_usage_errors() {
    let env = Env::new();
    for url in [
        "127.0.0.1:6379",
        "ftp://host",
        "redis://",
        "redis://host:port/0",
        "redis://host:6379/db",
        "memcached://host:11211/1",
    ] {
        let r = run(&env, &["--cache", url, "flag", "create", "x"]);
        assert_eq!(r.code, 2, "{url}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{url}: {}", r.stderr);
    }
    let out = env
        .cmd()
        .env("WAFFLECTL_CACHE", "mongodb://x")
        .args(["flag", "create", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains(&stderr, "WAFFLECTL_CACHE");
    // nothing was written
    assert_eq!(env.json(&["flag", "list"]), serde_json::json!([]));
}

#[test]
fn passwords_are_masked_in_messages() {
    let env = Env::new();
    let r = run(
        &env,
        &[
            "--cache",
            "redis://:s3cret@127.0.0.1:1/2",
            "flag",
            "create",
            "x",
        ],
    );
    assert_eq!(r.code, 0);
    assert_lacks(&r.stderr, "s3cret");
    assert_contains(&r.stderr, "redis://:***@127.0.0.1:1/2");
}

#[test]
fn doctor_with_an_unreachable_cache_is_an_error() {
    let env = Env::new();
    let r = run(&env, &["--cache", DOWN_REDIS, "doctor"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_contains(&r.stdout, "site cache");
    assert_contains(&r.stdout, "cannot read redis://127.0.0.1:1/0");
}

#[test]
fn bad_cache_urls_say_why_in_one_line_without_the_password() {
    let env = Env::new();
    for (url, says) in [
        (
            "redis://:s3cret@127.0.0.1:6379/x",
            "'x' is not a Redis database number",
        ),
        (
            "redis://:s3cret@127.0.0.1:port/0",
            "the URL's port is not a number",
        ),
        (
            "redis://:s3cret@[::1/0",
            "the URL's host is not an IPv6 address",
        ),
        (
            "redis://:s3cret@127.0.0.1/0?sslrootcert=/ca.pem",
            "sslrootcert is for TLS",
        ),
        (
            "rediss://:s3cret@127.0.0.1/0?timeout=2",
            "unknown cache URL option 'timeout'",
        ),
        ("rediss://:s3cret@127.0.0.1/0#tls", "the URL has a '#'"),
        ("memcached://:s3cret@127.0.0.1", "memcached has no password"),
    ] {
        let r = run(&env, &["--cache", url, "flag", "create", "x"]);
        assert_eq!(r.code, 2, "{url}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{url}: {}", r.stderr);
        assert!(
            lines[0].starts_with(&format!("error: --cache: {says}")),
            "{url}: {}",
            r.stderr
        );
        assert!(lines[1].starts_with("hint: use redis://"), "{}", r.stderr);
        assert!(!r.stderr.contains("s3cret"), "{url}: {}", r.stderr);
    }
    assert_eq!(env.json(&["flag", "list"]), serde_json::json!([]));
}

#[test]
fn rediss_acl_users_and_encoded_passwords_are_accepted() {
    let env = Env::new();
    // nothing listens on port 1: the URL was read, then the connection refused
    for (url, shown) in [
        (
            "rediss://app:pa%2Fs3cret%40x@127.0.0.1:1/2?sslrootcert=%2Fno%2Fca.pem",
            "rediss://app:***@127.0.0.1:1/2?sslrootcert=/no/ca.pem could not be updated (sslrootcert /no/ca.pem: No such file",
        ),
        (
            "REDISS://app:pa%2Fs3cret@127.0.0.1:1",
            "rediss://app:***@127.0.0.1:1/0 could not be updated (",
        ),
        (
            "redis://:s3cret@[::1]:1/3",
            "redis://:***@[::1]:1/3 could not be updated (",
        ),
    ] {
        let name = format!("f{}", url.len());
        let r = run(&env, &["--cache", url, "flag", "create", &name]);
        assert_eq!(r.code, 0, "{url}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "warning: the change is committed, but the cache at {shown}"
            )),
            "{url}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("s3cret"), "{url}: {}", r.stderr);
    }
}
