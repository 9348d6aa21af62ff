//! `--db` as a database URL: read and checked (exit 2 when malformed or of an unknown scheme),
//! then connected to; a server that cannot be reached is exit 1, naming the host and port. No
//! message ever shows the password, wherever it came from. (The tests on running servers are in
//! tests/it/backends.rs.)

use assert_cmd::Command;

use crate::common::assert_contains;

/// Runs wafflectl with `args` (which name `--db` themselves) and `env`, in an empty folder;
/// returns the exit code and stderr, after checking that no file was written.
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::cargo_bin("wafflectl").unwrap();
    c.current_dir(dir.path())
        .env_remove("WAFFLECTL_DB")
        .env_remove("WAFFLECTL_DB_PASSWORD")
        .env("NO_COLOR", "1")
        .args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(written.is_empty(), "{args:?} wrote {written:?}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// [`run`], asserting exit `code` and that stderr never shows the password (`s3cret`); returns
/// stderr.
#[track_caller]
fn refused(args: &[&str], env: &[(&str, &str)], code: i32) -> String {
    let (got, err) = run(args, env);
    assert_eq!(got, code, "{args:?}: {err}");
    assert!(!err.contains("s3cret"), "{args:?}: {err}");
    err
}

#[test]
fn unreachable_servers_are_named_with_the_password_masked() {
    for (args, shown) in [
        (
            &[
                "--db",
                "mysql://edx:s3cret@db.example:3307/edxapp",
                "flag",
                "list",
            ][..],
            "mysql://edx:***@db.example:3307/edxapp: cannot connect to db.example:3307: ",
        ),
        (
            &[
                "--db",
                "postgres://site:s3cret@127.0.0.1/site?sslmode=require",
                "init",
            ][..],
            "postgres://site:***@127.0.0.1:5432/site?sslmode=require: cannot connect to 127.0.0.1:5432: ",
        ),
        (
            &[
                "--db",
                "mysql://site:s3cret@127.0.0.1/site?sslmode=verify-full&sslrootcert=%2Fno%2Fca.pem",
                "flag",
                "list",
            ][..],
            "mysql://site:***@127.0.0.1:3306/site?sslmode=verify-full&sslrootcert=/no/ca.pem: sslrootcert /no/ca.pem: No such file",
        ),
        (
            &[
                "--db",
                "postgres://site:s3cret@127.0.0.1/site?sslmode=verify-ca&sslrootcert=/no/ca.pem",
                "flag",
                "list",
            ][..],
            "postgres://site:***@127.0.0.1:5432/site?sslmode=verify-ca&sslrootcert=/no/ca.pem: sslrootcert /no/ca.pem: No such file",
        ),
        (
            &[
                "--db",
                "postgresql://site:s3cret%40x@[::1]/site",
                "flag",
                "on",
                "beta",
            ][..],
            "postgres://site:***@[::1]:5432/site: cannot connect to [::1]:5432: ",
        ),
    ] {
        let err = refused(args, &[], 1);
        assert!(
            err.starts_with(&format!("error: {shown}")),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn the_password_may_come_from_the_environment_and_is_never_shown() {
    let err = refused(
        &["flag", "list"],
        &[
            ("WAFFLECTL_DB", "mysql://edx@db.example/edxapp"),
            ("WAFFLECTL_DB_PASSWORD", "s3cret"),
        ],
        1,
    );
    assert!(
        err.starts_with("error: mysql://edx:***@db.example:3306/edxapp: "),
        "{err}"
    );
}

#[test]
fn malformed_urls_and_unknown_schemes_are_usage_errors() {
    for (url, says) in [
        ("redis://127.0.0.1/0", "unknown database URL scheme 'redis'"),
        ("mysql://db.example/edxapp", "the URL names no user"),
        ("mysql://edx:s3cret@db.example", "the URL names no database"),
        (
            "mysql://edx:s3cret@db.example/",
            "the URL's database name is empty",
        ),
        (
            "mysql://edx:s3cret@db.example:0/x",
            "the URL's port is not a number from 1 to 65535",
        ),
        (
            "mysql://edx:s3cret@db.example:99999/x",
            "the URL's port is not a number",
        ),
        ("mysql://edx:s3cret@:3306/x", "the URL names no host"),
        (
            "postgres://u:s3cret@h/d?sslmode=bogus",
            "unknown URL parameter 'sslmode=bogus'",
        ),
        (
            "mysql://u:s3cret@h/d?ssl=true",
            "unknown URL parameter 'ssl=true'",
        ),
        // the rules --cache URLs follow too (one parser): a fragment, a bad IPv6 address
        ("mysql://u:s3cret@h/d#x", "the URL has a '#'"),
        (
            "postgres://u:s3cret@[db.example]/d",
            "the URL's host is not an IPv6 address",
        ),
        (
            "postgres://u:s3cret@[::1/d",
            "the URL's host is not an IPv6 address",
        ),
    ] {
        let err = refused(&["--db", url, "flag", "list"], &[], 2);
        assert!(
            err.starts_with(&format!("error: --db: {says}")),
            "{url}: {err}"
        );
        assert!(
            err.contains("hint: use a SQLite path, mysql://"),
            "{url}: {err}"
        );
    }
}

#[test]
fn an_sslrootcert_without_a_certificate_is_refused_for_both_servers() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("empty.pem");
    std::fs::write(&pem, "not a certificate\n").unwrap();
    let pem = pem.to_str().unwrap();
    for scheme in ["mysql", "postgres"] {
        let url =
            format!("{scheme}://u:s3cret@127.0.0.1:1/d?sslmode=verify-full&sslrootcert={pem}");
        let err = refused(&["--db", &url, "flag", "list"], &[], 1);
        assert_contains(
            &err,
            format!("sslrootcert {pem}: no certificate in the file"),
        );
    }
}

#[test]
fn percent_escapes_are_decoded_in_every_part() {
    // an '@' and a '/' in the password, an encoded user and database: read, then refused at
    // connect time naming the decoded user and database, never the password
    let err = refused(
        &[
            "--db",
            "mysql://edx%2Dapp:s3%2Fcr%40et@[::1]:1/edx%5Fapp",
            "flag",
            "list",
        ],
        &[],
        1,
    );
    assert!(
        err.starts_with("error: mysql://edx-app:***@[::1]:1/edx_app: cannot connect to [::1]:1: "),
        "{err}"
    );
    assert!(!err.contains("s3") && !err.contains("et@"), "{err}");
}
