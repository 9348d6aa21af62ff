//! An environment's password: from a variable, from a command (run without a shell, its first
//! line), or from the config file when it is private. A stand-in PostgreSQL server records the
//! password the client sent, so each source is checked where it counts: on the wire.

use crate::common;

use common::{Env, assert_contains, assert_lacks};

use super::{FakePg, config};

/// Runs `env check` on a config with one environment `app` on a stand-in server, its password
/// given by `source`; returns the password the server received, and the run.
fn sent(source: &str, vars: &[(&str, &str)]) -> (Option<String>, common::Run) {
    let env = Env::empty();
    let pg = FakePg::start();
    config(
        &env,
        &format!("[environments.app]\ndb = \"{}\"\n{source}\n", pg.url()),
    );
    let r = env.run_bare("--env app flag list", vars);
    (pg.password(), r)
}

#[test]
fn a_variable_gives_the_password() {
    let (got, r) = sent(
        "password_env = \"APP_DB_PW\"",
        &[("APP_DB_PW", "from-var-1")],
    );
    assert_eq!(got.as_deref(), Some("from-var-1"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_lacks(&r.stderr, "from-var-1");
}

#[test]
fn a_command_gives_the_first_line_it_prints() {
    let (got, r) = sent(
        r#"password_command = ["printf", "%s\n%s\n", "from-cmd-2", "second line"]"#,
        &[],
    );
    assert_eq!(got.as_deref(), Some("from-cmd-2"));
    assert_lacks(&r.stderr, "from-cmd-2");
    // an argument is one word whatever it holds: no shell reads it
    let (got, _) = sent(r#"password_command = ["echo", "a b;$HOME"]"#, &[]);
    assert_eq!(got.as_deref(), Some("a b;$HOME"));
}

#[test]
fn a_private_file_gives_the_password() {
    let (got, r) = sent("password = \"from-file-3\"", &[]);
    assert_eq!(got.as_deref(), Some("from-file-3"));
    assert_lacks(&r.stderr, "from-file-3");
}

#[test]
fn without_a_source_the_url_takes_it_from_wafflectl_db_password() {
    let (got, _) = sent("", &[("WAFFLECTL_DB_PASSWORD", "from-env-4")]);
    assert_eq!(got.as_deref(), Some("from-env-4"));
}

#[test]
fn a_failing_or_silent_command_is_an_error_naming_the_environment_never_its_output() {
    let env = Env::empty();
    let cases = [
        (
            r#"["sh", "-c", "printf '%s-%s' leak ed; printf '%s-%s' leak ed >&2; exit 3"]"#,
            "exited with status 3 (its output is not shown)",
        ),
        (r#"["true"]"#, "printed no password"),
        (r#"["/nonexistent/pass-tool"]"#, "could not be started"),
    ];
    for (argv, says) in cases {
        config(
            &env,
            &format!(
                "[environments.prod]\ndb = \"postgres://app@127.0.0.1:{}/db\"\npassword_command = {argv}\n",
                super::closed_port()
            ),
        );
        let r = env.run_bare("--env prod flag list", &[]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_contains(&r.stderr, "error: environment prod: password_command");
        assert_contains(&r.stderr, says);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert_lacks(&r.stderr, "leak-ed");
        assert_lacks(&r.stdout, "leak-ed");
        // listing the environments runs no password command, whatever $WAFFLECTL_ENV says
        let r = env.run_bare("env list", &[("WAFFLECTL_ENV", "prod")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}

#[test]
fn a_variable_that_is_not_set_is_named() {
    let env = Env::empty();
    config(
        &env,
        "[environments.prod]\ndb = \"postgres://app@127.0.0.1:1/db\"\npassword_env = \"PROD_PW\"\n",
    );
    let r = env.run_bare("--env prod flag list", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(
        &r.stderr,
        "error: environment prod: password_env names $PROD_PW, which is not set",
    );
}
