//! `--env`: the environment's store, refused beside `--db`/`--cache`, unknown names with a
//! suggestion; protected environments: a write needs the name typed, or `--yes --confirm-env`.

use crate::common;

use common::terminal::{on_terminal, screen, shell_quote};
use common::{Env, assert_contains, assert_lacks};

use super::two_stores;

/// The flag names of the store `db` of the test's folder.
fn flags(env: &Env, db: &str) -> Vec<String> {
    super::names(&env.run_bare(&["--db", db, "flag", "list", "--json"][..], &[]))
}

#[test]
fn env_selects_the_store_and_wafflectl_env_too() {
    let env = two_stores();
    let r = env.run_bare("--env staging flag create beta", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(flags(&env, "staging.db"), ["beta"]);
    assert!(flags(&env, "prod.db").is_empty());
    let r = env.run_bare("flag create gamma", &[("WAFFLECTL_ENV", "staging")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(flags(&env, "staging.db"), ["beta", "gamma"]);
    // an environment beats $WAFFLECTL_DB
    let r = env.run_bare(
        "--env staging flag list --json",
        &[("WAFFLECTL_DB", "prod.db")],
    );
    assert_contains(&r.stdout, "gamma");
}

#[test]
fn env_with_db_or_cache_is_refused_not_mixed() {
    let env = two_stores();
    for (args, vars, says) in [
        (
            "--env staging --db prod.db flag create x",
            vec![],
            "--db and --env",
        ),
        (
            "--env staging --cache redis://127.0.0.1:6379/0 flag create x",
            vec![],
            "--cache and --env",
        ),
        (
            "--db prod.db flag create x",
            vec![("WAFFLECTL_ENV", "staging")],
            "--db and $WAFFLECTL_ENV",
        ),
    ] {
        let r = env.run_bare(args, &vars);
        assert_eq!(r.code, 2, "{args}: {}", r.stderr);
        assert_contains(&r.stderr, format!("error: {says} both name the store"));
    }
    assert!(flags(&env, "staging.db").is_empty());
    assert!(flags(&env, "prod.db").is_empty());
}

#[test]
fn an_unknown_environment_suggests_the_closest_and_lists_them() {
    let env = two_stores();
    let r = env.run_bare("--env stagin flag list", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(
        &r.stderr,
        "error: no environment 'stagin' in wafflectl.toml",
    );
    assert_contains(
        &r.stderr,
        "hint: did you mean staging? (it has staging, prod)",
    );
    let r = env.run_bare("env check qa", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "hint: it has staging, prod");
}

#[test]
fn hints_name_the_environment() {
    let env = two_stores();
    let r = env.run_bare("--env staging flag show nope", &[]);
    assert_eq!(r.code, 1);
    assert_contains(&r.stderr, "wafflectl --env staging flag list");
    // a missing store: create it in the environment
    super::config(&env, "[environments.new]\ndb = \"new.db\"\n");
    let r = env.run_bare("--env new flag list", &[]);
    assert_eq!(r.code, 1);
    assert_contains(&r.stderr, "hint: create it with: wafflectl --env new init");
}

/// Every way short of the name confirmed is refused, and writes nothing.
#[test]
fn a_protected_write_needs_yes_and_the_name() {
    let env = two_stores();
    for (args, code, says) in [
        (
            "--env prod flag create x",
            2,
            "environment prod is protected: a write needs its name confirmed, and there is no terminal to ask on",
        ),
        (
            "--env prod --no-input flag create x",
            2,
            "and prompts are turned off (--no-input)",
        ),
        (
            "--env prod --yes flag create x",
            2,
            "environment prod is protected: --yes alone does not confirm a write to it",
        ),
        (
            "--env prod --confirm-env prod flag create x",
            2,
            "--confirm-env needs --yes",
        ),
        (
            "--env prod --yes --confirm-env staging flag create x",
            2,
            "--confirm-env staging does not match environment prod",
        ),
        (
            "--env prod --confirm-env Prod flag create x",
            2,
            "does not match",
        ),
        ("--env prod init", 2, "environment prod is protected"),
    ] {
        let before = std::fs::read(env.path("prod.db")).unwrap();
        let r = env.run_bare(args, &[]);
        assert_eq!(r.code, code, "{args}: {}", r.stderr);
        assert_contains(&r.stderr, says);
        assert_contains(&r.stderr, "hint: ");
        assert_eq!(
            std::fs::read(env.path("prod.db")).unwrap(),
            before,
            "{args}"
        );
    }
    let r = env.run_bare("--env prod --yes --confirm-env prod flag create x", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(flags(&env, "prod.db"), ["x"]);
    // other writes and a deletion are guarded the same way
    let r = env.run_bare("--env prod --yes switch create s", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = env.run_bare("--env prod --yes flag delete x", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_contains(&r.stderr, "--yes alone");
    assert_eq!(flags(&env, "prod.db"), ["x"]);
    let r = env.run_bare("--env prod --yes --confirm-env prod flag delete x", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(flags(&env, "prod.db").is_empty());
    // an unprotected environment needs nothing
    let r = env.run_bare("--env staging flag create x", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // but a script that confirms prod while pointed elsewhere is stopped
    for (args, says) in [
        (
            "--env staging --yes --confirm-env prod flag create y",
            "--confirm-env prod does not match environment staging",
        ),
        (
            "--db staging.db --yes --confirm-env prod flag create y",
            "which is no environment",
        ),
    ] {
        let r = env.run_bare(args, &[]);
        assert_eq!(r.code, 2, "{args}: {}", r.stderr);
        assert_contains(&r.stderr, says);
    }
    assert_eq!(flags(&env, "staging.db"), ["x"]);
}

#[test]
fn dry_runs_and_reads_are_not_guarded() {
    let env = two_stores();
    let r = env.run_bare("--env prod flag create x --dry-run", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stdout, "would create flag x");
    let r = env.run_bare("--env prod flag list", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(flags(&env, "prod.db").is_empty());
}

/// On a terminal: the name typed is the confirmation; another name declines (exit 3).
#[test]
fn the_name_typed_at_the_prompt_confirms() {
    let env = two_stores();
    let bin = assert_cmd::cargo::cargo_bin("wafflectl");
    let line = |args: &str| {
        format!(
            "env -u WAFFLECTL_ENV -u WAFFLECTL_CONFIG XDG_CONFIG_HOME={} {} {args}; echo \"exit=$?\"",
            shell_quote(&env.path("xdg").display().to_string()),
            shell_quote(&bin.display().to_string())
        )
    };
    let run = |args: &str, typed: &str| {
        let out = on_terminal(
            &env,
            &format!("bash --norc --noprofile -c {}", shell_quote(&line(args))),
            typed,
        );
        screen(&out)
    };
    let shown = run("--env prod flag create x", "staging\n");
    assert_contains(
        &shown,
        "Type the environment's name to confirm a write to prod:",
    );
    assert_contains(
        &shown,
        "'staging' is not prod; declined, nothing was changed",
    );
    assert_contains(&shown, "exit=3");
    assert!(flags(&env, "prod.db").is_empty());
    let shown = run("--env prod flag create x", "prod\n");
    assert_contains(&shown, "exit=0");
    assert_contains(&shown, "created flag x");
    assert_eq!(flags(&env, "prod.db"), ["x"]);
    // a deletion asks its question, then the name; --yes answers the first only
    let shown = run("--env prod flag delete x", "y\nprod\n");
    assert_contains(&shown, "Delete flag x? [y/N]");
    assert_contains(&shown, "exit=0");
    assert!(flags(&env, "prod.db").is_empty());
    // --yes alone is refused on a terminal too
    let shown = run("--env prod --yes flag create z", "prod\n");
    assert_contains(&shown, "exit=2");
    assert_lacks(&shown, "Type the environment's name");
}

/// `init` reports the store's identity, and `doctor` shows the same one.
#[test]
fn init_and_doctor_show_the_store_identity() {
    let env = Env::empty();
    let r = env.run_bare("--db w.db init --json", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let id = report["store_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("ws-") && id.len() == 35, "{id}");
    let again = env.run_bare("--db w.db init", &[]);
    assert_contains(&again.stderr, "is up to date (schema version ");
    assert_contains(&again.stderr, format!(", identity {id})"));
    let doctor = env.run_bare("--db w.db doctor", &[]);
    assert_contains(&doctor.stdout, "store identity");
    assert_contains(&doctor.stdout, &id);
    let other = env.run_bare("--db other.db init", &[]);
    assert_contains(&other.stderr, "created store other.db (schema version ");
    assert_contains(&other.stderr, ", identity ws-");
    assert_lacks(&other.stderr, &id);
}
