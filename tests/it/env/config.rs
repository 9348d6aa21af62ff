//! The config file: where it is looked up, and each problem in it as one line naming the file,
//! the line and the key (exit 2).

use crate::common;

use common::{Env, assert_contains, assert_lacks};

use super::{config, write_mode};

/// A config file naming one SQLite environment `name` on `db`.
fn naming(name: &str, db: &str) -> String {
    format!("[environments.{name}]\ndb = \"{db}\"\n")
}

/// The environment names `env list --json` prints.
fn listed(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["env", "list", "--json"]);
    super::names(&env.run_bare(&all[..], vars))
}

#[test]
fn lookup_order_is_flag_variable_working_folder_then_user_config() {
    let env = Env::empty();
    let home = env.path("home");
    let xdg = env.path("xdg");
    write_mode(&env.path("given.toml"), &naming("given", "g.db"), 0o600);
    write_mode(&env.path("var.toml"), &naming("from_var", "v.db"), 0o600);
    write_mode(
        &xdg.join("wafflectl/config.toml"),
        &naming("xdg", "x.db"),
        0o600,
    );
    write_mode(
        &home.join(".config/wafflectl/config.toml"),
        &naming("home", "h.db"),
        0o600,
    );
    let home_s = home.to_str().unwrap();
    let var = [("WAFFLECTL_CONFIG", "var.toml"), ("HOME", home_s)];
    // nothing in the working folder yet: the user's config directory
    assert_eq!(listed(&env, &[], &[("HOME", home_s)]), ["xdg"]);
    config(&env, &naming("local", "l.db"));
    assert_eq!(
        listed(&env, &["--config", "given.toml"], &var),
        ["given"],
        "--config first"
    );
    assert_eq!(
        listed(&env, &[], &var),
        ["from_var"],
        "then $WAFFLECTL_CONFIG"
    );
    assert_eq!(
        listed(&env, &[], &[("HOME", home_s)]),
        ["local"],
        "then ./wafflectl.toml"
    );
    std::fs::remove_file(env.path("wafflectl.toml")).unwrap();
    std::fs::remove_dir_all(&xdg).unwrap();
    // $XDG_CONFIG_HOME unset: ~/.config
    let r = env
        .cmd_bare()
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home_s)
        .args(["env", "list", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&r.stdout).contains("\"home\""));
    // no file anywhere: no environments, not an error
    std::fs::remove_dir_all(&home).unwrap();
    assert!(listed(&env, &[], &[("HOME", home_s)]).is_empty());
    let r = env.run_bare("env list", &[("HOME", home_s)]);
    assert_eq!(r.code, 0);
    assert_contains(&r.stderr, "no environments");
}

#[test]
fn a_named_file_that_is_missing_is_an_error() {
    let env = Env::empty();
    let r = env.run_bare("--config nope.toml env list", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "error: --config: no config file at nope.toml");
    let r = env.run_bare("env list", &[("WAFFLECTL_CONFIG", "gone.toml")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "$WAFFLECTL_CONFIG: no config file at gone.toml");
    // --env with no config file at all
    let r = env.run_bare("--env prod flag list", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "no config file names environments");
}

/// Each problem: exit 2, one error line naming the file, the line and the key.
#[test]
fn problems_name_the_file_line_and_key() {
    let env = Env::empty();
    let cases: &[(&str, &str)] = &[
        (
            "[environments.a]\ndb = \"a.db\"\n\n[environments.b]\ndb = \"b.db\"\npasword_env = \"X\"\n",
            "wafflectl.toml:6: unknown field `pasword_env`",
        ),
        (
            "[environments.a]\ndb = \"ftp://x@h/d\"\n",
            "wafflectl.toml:2: environments.a.db: unknown database URL scheme 'ftp'",
        ),
        (
            "[environments.a]\ndb = \"postgres://u@h\"\n",
            "wafflectl.toml:2: environments.a.db: the URL names no database",
        ),
        (
            "[environments.a]\ndb = \"postgres://u@h/d\"\npassword_env = \"P\"\npassword_command = [\"pass\", \"show\", \"x\"]\n",
            "wafflectl.toml:4: environments.a.password_command: give one of password_env, password_command and password, not password_env and password_command",
        ),
        (
            "[environments.a]\ndb = \"a.db\"\npassword_env = \"P\"\n",
            "wafflectl.toml:3: environments.a.password_env: db is a SQLite file, which has no password",
        ),
        (
            "[environments.a]\ndb = \"a.db\"\ncache = \"redis://h:99999\"\n",
            "wafflectl.toml:3: environments.a.cache:",
        ),
        (
            "[environments.a]\ndb = \"a.db\"\nprotected = \"yes\"\n",
            "wafflectl.toml:3:",
        ),
        ("[environments.a]\n", "wafflectl.toml:1: missing field `db`"),
        (
            "[environmnts.a]\ndb = \"a.db\"\n",
            "wafflectl.toml:1: unknown field `environmnts`",
        ),
        (
            "[environments.'a/b']\ndb = \"a.db\"\n",
            "wafflectl.toml:1: environment name 'a/b'",
        ),
        (
            "[environments.a]\ndb = \"postgres://u@h/d\"\npassword_command = []\n",
            "wafflectl.toml:3: environments.a.password_command: must list the program",
        ),
    ];
    for (text, says) in cases {
        config(&env, text);
        let r = env.run_bare("env list", &[]);
        assert_eq!(r.code, 2, "{text}\n{}", r.stderr);
        assert_contains(&r.stderr, format!("error: {says}"));
        let first = r.stderr.lines().next().unwrap();
        assert!(first.starts_with("error: wafflectl.toml:"), "{first}");
        assert!(r.stderr.lines().count() <= 2, "{}", r.stderr);
    }
}

/// A password in a file others can read is refused, with how to fix it, before any connection.
#[test]
fn a_readable_file_holding_a_password_is_refused_before_connecting() {
    let env = Env::empty();
    let port = super::closed_port();
    let cases = [
        format!("[environments.prod]\ndb = \"postgres://app@127.0.0.1:{port}/db\"\npassword = \"hunter2-secret\"\n"),
        format!("[environments.prod]\ndb = \"postgres://app:hunter2-secret@127.0.0.1:{port}/db\"\n"),
        "[environments.prod]\ndb = \"a.db\"\ncache = \"redis://:hunter2-secret@127.0.0.1:6379/0\"\n".to_string(),
    ];
    for text in &cases {
        for mode in [0o644, 0o640] {
            write_mode(&env.path("wafflectl.toml"), text, mode);
            for args in ["--env prod flag list", "env list", "env check"] {
                let r = env.run_bare(args, &[]);
                assert_eq!(r.code, 2, "{args}: {}", r.stderr);
                assert_contains(&r.stderr, "refusing to read a password from it");
                assert_contains(&r.stderr, "hint: chmod 600 wafflectl.toml");
                assert_contains(
                    &r.stderr,
                    if mode == 0o644 {
                        "readable by every user (mode 644)"
                    } else {
                        "readable by its group (mode 640)"
                    },
                );
                // refused before connecting: no connection error
                assert_lacks(&r.stderr, "cannot connect");
                assert_lacks(&r.stderr, "hunter2");
                assert_lacks(&r.stdout, "hunter2");
            }
        }
        // the same file made private: accepted
        write_mode(&env.path("wafflectl.toml"), text, 0o600);
        let r = env.run_bare("env list", &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_lacks(&r.stdout, "hunter2");
    }
}

/// A relative SQLite path is read from the config file's folder, wherever wafflectl runs.
#[test]
fn relative_paths_are_read_from_the_config_files_folder() {
    let env = Env::empty();
    std::fs::create_dir(env.path("ops")).unwrap();
    let r = env.run_bare("--db ops/s.db init -q", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    write_mode(&env.path("ops/w.toml"), &naming("s", "s.db"), 0o600);
    let r = env.run_bare("--config ops/w.toml --env s flag create beta", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run_bare("--db ops/s.db flag list --json", &[]);
    assert_contains(&r.stdout, "\"beta\"");
    assert!(!env.path("s.db").exists());
}
