//! Issue 11 items 5–7: requests as the LMS makes them, odd input and `-o FILE`. Each odd input:
//! exit code, message, store unchanged.

use crate::common;

use common::{Env, assert_contains, assert_lacks};

/// An experiment whose main flag is on only for the `de` language, and whose bucket 2 flag is
/// on only for `fr`.
fn lang_env() -> Env {
    Env::with(&[
        "experiment create lang.exp --buckets 3",
        "flag set lang.exp --languages de --create",
        "flag set lang.exp.2 --languages fr --create",
        "flag unset lang.exp",
        "flag unset lang.exp.2",
    ])
}

#[test]
fn bucket_takes_the_request_language() {
    let env = lang_env();
    let no = env.json("bucket lang.exp --user alice");
    assert_eq!(
        (no["bucket"].as_i64(), no["stage"].as_str()),
        (Some(0), Some("main_flag_off"))
    );
    let de = env.json("bucket lang.exp --user alice --language de");
    assert_eq!(de["stage"], "hash", "{de:#}");
    // The bucket flag's language needs the main flag's too: de,fr is not one code, so only the
    // main flag matches `de`; a request in `fr` has the main flag off.
    let fr = env.json("bucket lang.exp --user alice --language fr");
    assert_eq!(fr["stage"], "main_flag_off");
    env.ok("flag set lang.exp --languages de,fr");
    let fr = env.json("bucket lang.exp --user alice --language fr");
    assert_eq!(
        (fr["bucket"].as_i64(), fr["stage"].as_str()),
        (Some(2), Some("forced"))
    );
    // Bulk and --find use it too.
    env.write("u.txt", "alice\nbob\n");
    let out = env.ok("bucket lang.exp --users-file u.txt --language fr");
    assert_eq!(out, "alice\t2\nbob\t2\n");
    let out = env.ok("bucket lang.exp --users-file u.txt");
    assert_eq!(out, "alice\t0\nbob\t0\n");
    let r = env.run_ok("bucket lang.exp --find 1 --language de");
    assert_lacks(&r.stderr, "does not reach the hash");
    let r = env.run("bucket lang.exp --find 1");
    assert_contains(&r.stderr, "does not reach the hash");
    env.fails_unchanged("bucket lang.exp --user a --language ''", 2);
}

#[test]
fn eval_of_an_undefined_name_is_waffle_flag_default() {
    let env = Env::new();
    let before = env.bytes();
    let r = env.run_ok("eval no.such.flag --user alice --json");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["active"], false);
    assert_eq!(v["defined"], false);
    assert!(v["steps"].to_string().contains("no such flag"), "{v:#}");
    assert_contains(
        &r.stderr,
        "warning: no experiment, flag, switch or sample named 'no.such.flag'",
    );
    assert!(env.bytes() == before, "eval changed the store");
}

fn bucket_env() -> Env {
    let env = Env::new();
    env.ok("experiment create odd.exp --buckets 3");
    env.ok("flag unset odd.exp");
    env.ok("flag set odd.exp --everyone on");
    env
}

/// `bucket --users-file` of `text`: (exit code, stdout, stderr), the store unchanged.
fn bulk(env: &Env, text: &[u8]) -> (i32, String, String) {
    let p = env.path("users.txt");
    std::fs::write(&p, text).unwrap();
    let before = env.bytes();
    let r = env.run("bucket odd.exp --users-file users.txt");
    assert!(env.bytes() == before, "bucket changed the store");
    (r.code, r.stdout, r.stderr)
}

#[test]
fn a_users_file_with_bom_crlf_blanks_and_spaces_buckets_the_real_names() {
    let env = bucket_env();
    let (_, clean, _) = bulk(&env, b"alice\nbob\ncarol\n");
    let (code, out, err) = bulk(&env, b"\xef\xbb\xbfalice\r\n\r\n  bob \t\r\n\ncarol  ");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, clean);
    assert!(err.is_empty(), "{err}");
    // The BOM would otherwise change alice's bucket: check one single-user answer.
    let single = env.json("bucket odd.exp --user alice");
    assert!(clean.starts_with(&format!("alice\t{}\n", single["bucket"])));
}

#[test]
fn names_no_lms_username_can_be_are_skipped_and_reported() {
    let env = bucket_env();
    let long = "x".repeat(151);
    let ok150 = "y".repeat(150);
    let text = format!("alice\nbob smith\n{long}\n{ok150}\ncarol\tdave\nerin\n");
    let (code, out, err) = bulk(&env, text.as_bytes());
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(names, vec!["alice", ok150.as_str(), "erin"]);
    assert!(
        err.contains("2 line(s) of users file") && err.contains("whitespace inside (lines 2, 5)"),
        "{err}"
    );
    assert!(
        err.contains("1 line(s)") && err.contains("150-character username limit (lines 3)"),
        "{err}"
    );
}

#[test]
fn an_empty_users_file_says_so() {
    let env = bucket_env();
    for text in [&b""[..], b"\n\n  \r\n", b"\xef\xbb\xbf"] {
        let (code, out, err) = bulk(&env, text);
        assert_eq!(code, 0);
        assert!(out.is_empty());
        assert_contains(&err, "holds no username: nothing bucketed");
    }
}

#[test]
fn numbers_out_of_range_are_exit_2_without_a_panic() {
    let env = bucket_env();
    let cases: &[(&str, &str)] = &[
        (
            "bucket odd.exp --find 1 --count 18446744073709551615",
            "--count",
        ),
        ("bucket odd.exp --find 1 --count 100001", "--count"),
        ("bucket odd.exp --find 1 --count 0", "--count"),
        ("export --format django --indent 4294967295", "--indent"),
        ("export --format django --indent 65", "--indent"),
        ("history --limit 18446744073709551615", "--limit"),
        (
            "experiment create big.exp --buckets 4294967296",
            "at most 4294967295",
        ),
        (
            "experiment set odd.exp --buckets 9223372036854775807",
            "at most",
        ),
        ("bucket odd.exp --user a --buckets 4294967296", "at most"),
        (
            "experiment whitelist add --user x odd.exp 9223372036854775807",
            "beyond the last bucket",
        ),
        (
            "experiment whitelist remove --user x odd.exp 4294967295",
            "beyond the last bucket",
        ),
        (
            "experiment whitelist add --user x odd.exp 3",
            "outside 0..2",
        ),
    ];
    for (args, msg) in cases {
        let e = env.fails_unchanged(args, 2);
        assert!(e.contains(msg), "{args:?}: {e}");
        assert!(!e.contains("internal error"), "{args:?}: {e}");
    }
    // The largest count is accepted and the search is linear: 2000 names come back quickly.
    let out = env.ok("bucket odd.exp --find 2 --count 2000");
    assert_eq!(out.lines().count(), 2000);
}

#[test]
fn a_stored_bucket_count_out_of_range_is_an_error_not_one_bucket() {
    let env = bucket_env();
    env.exec("UPDATE wafflectl_experiment SET num_buckets = 4294967296 WHERE name = 'odd.exp'");
    env.refuses(
        "bucket odd.exp --user alice",
        1,
        "4294967296 buckets stored",
    );
}

#[test]
fn a_non_numeric_schema_version_is_refused_in_one_line() {
    let env = Env::new();
    env.exec("UPDATE wafflectl_meta SET value = 'two' WHERE key = 'schema_version'");
    let e = env.fails_unchanged("flag list", 1);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("schema version") && e.contains("'two'"), "{e}");
}

#[test]
fn control_characters_in_names_and_notes_are_escaped() {
    let env = Env::with(&["flag create ctl.flag --note ok"]);
    env.exec("UPDATE waffle_flag SET note = 'red\x1b[31m\x07bell\r\nsecond', name = 'ctl\x1b[2J' WHERE name = 'ctl.flag'");
    let list = env.ok("flag list");
    assert!(!list.contains('\x1b') && !list.contains('\x07'), "{list:?}");
    assert_contains(&list, "ctl\\x1b[2J");
    let show = env.ok(&["flag", "show", "ctl\x1b[2J"]);
    assert!(!show.contains('\x1b') && !show.contains('\r'), "{show:?}");
    assert_contains(&show, "red\\x1b[31m\\x07bell\\r");
    let plain = env.ok("--format plain flag list");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    // JSON keeps the stored text (serde escapes it).
    let j = env.json(&["flag", "show", "ctl\x1b[2J"]);
    assert_eq!(j["note"], "red\x1b[31m\x07bell\r\nsecond");
}

#[test]
fn control_characters_are_escaped_in_warnings_status_lines_and_errors() {
    let env = Env::new();
    env.ok("experiment create ctl.exp --buckets 2");
    let name = "a\x1b[2J\x07\u{9b}";
    let raw = ['\x1b', '\x07', '\u{9b}'];
    // A warning (a user that is not in the store): one line, escaped as data output escapes it.
    let r = env.run_ok(&["--format", "plain", "bucket", "ctl.exp", "--user", name]);
    assert!(!r.stderr.contains(raw), "{:?}", r.stderr);
    assert_contains(
        &r.stderr,
        r"warning: user 'a\x1b[2J\x07\u{9b}' is not in the store",
    );
    // A status line (the path of a new store).
    let db = env.path(&format!("{name}.db"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wafflectl"))
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains(raw), "{err:?}");
    assert_contains(&err, r"a\x1b[2J\x07\u{9b}.db");
    // An error echoing the name.
    let e = env.fails_unchanged(&["user", "add", name], 2);
    assert!(!e.contains(raw), "{e:?}");
    assert_contains(&e, r"'a\x1b[2J\x07\u{9b}'");
}

#[cfg(unix)]
mod output_file {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_existing_file_keeps_its_permissions_and_a_new_one_follows_the_umask() {
        let env = Env::new();
        let p = env.write("fixture.json", "old");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        env.ok("export --format django -o fixture.json");
        assert_eq!(mode(&p), 0o600);
        assert!(std::fs::read_to_string(&p).unwrap().starts_with('['));
        // A new file: 0666 less the umask (the test process's umask applies to the child).
        let n = env.path("new.json");
        env.ok("export -o new.json");
        let umask = {
            let probe = env.path("probe");
            std::fs::File::create(&probe).unwrap();
            mode(&probe)
        };
        assert_eq!(mode(&n), umask);
        // Baseplate keeps its 0644 default, and --mode sets the mode explicitly.
        env.ok("export --format baseplate -o fixture.json");
        assert_eq!(mode(&p), 0o644);
        env.ok("export --mode 0640 -o fixture.json");
        assert_eq!(mode(&p), 0o640);
        // A symlink: its target is replaced, the link stays.
        let link = env.path("link.json");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        env.ok("export -o link.json");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(mode(&p), 0o640);
    }

    #[test]
    fn dev_null_and_fifos_are_written_into_not_replaced() {
        let env = Env::new();
        env.ok("export -o /dev/null");
        let m = std::fs::metadata("/dev/null").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(m.file_type().is_char_device(), "/dev/null was replaced");
        let fifo = env.path("pipe");
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !ok.map(|s| s.success()).unwrap_or(false) {
            return; // no mkfifo on this machine
        }
        let f2 = fifo.clone();
        let reader = std::thread::spawn(move || std::fs::read_to_string(&f2).unwrap());
        env.ok("export -o pipe");
        let got = reader.join().unwrap();
        assert_contains(&got, "\"version\"");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn the_store_and_sqlite_databases_need_force() {
        let env = Env::new();
        env.ok("flag create keep.me");
        let store = env.db.to_str().unwrap().to_string();
        let e = env.fails_unchanged(&["export", "-o", &store], 1);
        assert!(
            e.contains("it is the store this command reads") && e.contains("--force"),
            "{e}"
        );
        let wal = format!("{store}-wal");
        env.fails_unchanged(&["export", "-o", &wal], 1);
        // Another SQLite database (a Django one, say).
        let other = env.path("django.sqlite3");
        std::fs::copy(&env.db, &other).unwrap();
        let before = std::fs::read(&other).unwrap();
        env.refuses("export -o django.sqlite3", 1, "it is an SQLite database");
        assert_eq!(std::fs::read(&other).unwrap(), before);
        env.ok("export -o django.sqlite3 --force");
        assert!(std::fs::read_to_string(&other).unwrap().contains("keep.me"));
    }
}
