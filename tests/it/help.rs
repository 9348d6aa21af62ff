//! `--help` of every command, from the clap tree (so a new command is covered): a snapshot each,
//! and the rules every page follows — own options first, the global options under their own
//! heading, every positional described, and two or three examples at the end.

use clap::CommandFactory;

/// Every visible command path (`[]` is wafflectl itself), parents before children.
fn paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        out.push(prefix.to_vec());
        for sub in cmd.get_subcommands() {
            if sub.is_hide_set() || sub.get_name() == "help" {
                continue;
            }
            let mut p = prefix.to_vec();
            p.push(sub.get_name().to_string());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&wafflectl::cli::Cli::command(), &[], &mut out);
    out
}

fn help(path: &[String]) -> String {
    let out = assert_cmd::Command::cargo_bin("wafflectl")
        .unwrap()
        .args(path)
        .arg("--help")
        .env("COLUMNS", "100")
        .env_remove("WAFFLECTL_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{path:?} --help failed");
    assert!(out.stderr.is_empty(), "{path:?} --help wrote to stderr");
    String::from_utf8(out.stdout).unwrap()
}

fn snapshot_name(path: &[String]) -> String {
    if path.is_empty() {
        "wafflectl".into()
    } else {
        format!("wafflectl-{}", path.join("-"))
    }
}

#[test]
fn every_command_help_is_snapshotted() {
    let paths = paths();
    assert!(paths.len() > 50, "only {} commands found", paths.len());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/help");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for p in &paths {
            insta::assert_snapshot!(
                snapshot_name(p),
                help(p),
                &format!("wafflectl {} --help", p.join(" "))
            );
        }
    });
}

/// How the help lists each global option: `--db <PATH|URL>`, `-y, --yes`, `--cache-version <N>`.
fn global_flags() -> Vec<String> {
    let cmd = wafflectl::cli::Cli::command();
    let flags: Vec<String> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| {
            let long = format!("--{}", a.get_long().expect("global options are long"));
            let named = match a.get_value_names() {
                Some(v) if a.get_action().takes_values() => format!("{long} <{}>", v[0]),
                _ => long,
            };
            match a.get_short() {
                Some(s) => format!("-{s}, {named}"),
                None => named,
            }
        })
        .collect();
    assert!(
        flags.iter().any(|f| f.starts_with("--cache-key-prefix")),
        "{flags:?}"
    );
    flags
}

/// The lines of the last `Examples:` section, which must end the page.
fn examples(text: &str) -> Option<Vec<&str>> {
    let at = text.rfind("\nExamples:\n")?;
    Some(
        text[at + "\nExamples:\n".len()..]
            .lines()
            .filter(|l| !l.trim().is_empty())
            // a long example goes on over lines ending in `\`, indented further
            .filter(|l| !l.starts_with("   "))
            .collect(),
    )
}

#[test]
fn every_help_reads_well() {
    let mut problems = Vec::new();
    for p in paths() {
        let name = format!("wafflectl {}", p.join(" "));
        let text = help(&p);
        match examples(&text) {
            None => problems.push(format!("{name}: no Examples section")),
            Some(ex) => {
                if !(2..=3).contains(&ex.len()) {
                    problems.push(format!("{name}: {} examples, want 2 or 3", ex.len()));
                }
                if let Some(bad) = ex.iter().find(|l| !l.starts_with("  ")) {
                    problems.push(format!("{name}: help does not end with examples: {bad:?}"));
                }
            }
        }
        if let Some(long) = text
            .lines()
            .find(|l| !l.starts_with("Usage:") && l.chars().count() > 100)
        {
            problems.push(format!("{name}: line wider than 100 columns: {long:?}"));
        }
        // own options first, then the global ones under their own heading
        let own = text.find("\nOptions:\n");
        let global = text.find("\nGlobal options:\n");
        match (own, global) {
            (Some(o), Some(g)) if o < g => {}
            _ => problems.push(format!("{name}: want Options: before Global options:")),
        }
        if let Some(g) = global {
            // every global option of the clap tree (the --cache* ones too), under the heading
            let (own_part, global_part) = text.split_at(g);
            let global_part = global_part
                .split("\nExamples:\n")
                .next()
                .unwrap_or(global_part);
            for flag in global_flags() {
                let listed = |part: &str| part.lines().any(|l| l.trim_start().starts_with(&flag));
                if listed(own_part) {
                    problems.push(format!("{name}: {flag} listed among its own options"));
                }
                if !listed(global_part) {
                    problems.push(format!("{name}: {flag} missing under Global options"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_positional_is_described_and_no_option_is_hidden() {
    fn walk(cmd: &clap::Command, name: &str, problems: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            if a.is_positional() && a.get_help().is_none() && a.get_long_help().is_none() {
                problems.push(format!("{name}: <{}> has no description", a.get_id()));
            }
            if a.is_hide_set() {
                problems.push(format!("{name}: --{} is hidden", a.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if !sub.is_hide_set() {
                walk(sub, &format!("{name} {}", sub.get_name()), problems);
            }
        }
    }
    let mut problems = Vec::new();
    walk(&wafflectl::cli::Cli::command(), "wafflectl", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_forms_are_listed() {
    let text = help(&["flag".into(), "set".into()]);
    for f in [
        "--no-staff",
        "--no-superusers",
        "--no-authenticated",
        "--no-testing",
        "--no-rollout",
    ] {
        assert!(text.contains(f), "flag set --help lacks {f}");
    }
    let text = help(&["user".into(), "set".into()]);
    for f in ["--no-staff", "--no-superuser"] {
        assert!(text.contains(f), "user set --help lacks {f}");
    }
}
