//! Tables: with colour forced on, headers line up with their columns; on a 60-column terminal
//! (a pseudo-terminal from util-linux `script`, as `.ci/run` installs) names are never broken —
//! notes and timestamps wrap first, or each record becomes a block of lines.

use crate::common;

use common::terminal::{screen, shell_line, terminal};
use common::{Env, succeeds};

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn store() -> Env {
    let env = Env::example();
    env.ok("switch create beta_footer --note 'shown to beta testers only; remove after the 2.0 launch next spring'");
    env.ok("switch create dark_mode_everywhere");
    env.ok(
        "sample create log_sampling 0.5 --note 'request logging, cut down when the disk is full'",
    );
    env.ok("flag create course_experience.relative_dates_for_self_paced --percent 12.5 --note 'gradual rollout'");
    env
}

/// Column start offsets of a header line: where each word group after 2+ spaces begins.
fn starts(line: &str) -> Vec<usize> {
    let b = line.as_bytes();
    let mut v = vec![0];
    for i in 2..b.len() {
        if b[i] != b' ' && b[i - 1] == b' ' && b[i - 2] == b' ' {
            v.push(i);
        }
    }
    v
}

#[test]
fn headers_line_up_with_colour_forced_on() {
    let env = store();
    for cmd in [
        &["flag", "list"][..],
        &["switch", "list"],
        &["sample", "list"],
        &["user", "list"],
        &["override", "list"],
        &["experiment", "list"],
        &["history", "--limit", "5"],
    ] {
        let plain = env.ok(&[&["--color", "never"][..], cmd].concat());
        let coloured = env.ok(&[&["--color", "always"][..], cmd].concat());
        assert!(
            coloured.contains("\x1b["),
            "{cmd:?}: no colour with --color always"
        );
        assert_eq!(
            strip_ansi(&coloured),
            plain,
            "{cmd:?}: colour moved the text"
        );
        // the header's columns start where the first row's do
        let lines: Vec<&str> = plain.lines().collect();
        let (head, row) = (starts(lines[0]), starts(lines[1]));
        for s in &row {
            assert!(
                head.contains(s),
                "{cmd:?}: column at {s} has no header above it\n{plain}"
            );
        }
    }
}

/// Runs wafflectl on a pseudo-terminal `cols` wide; returns what it printed (CRs removed).
fn at_width(env: &Env, cols: u16, args: &[&str]) -> String {
    let out = succeeds(
        terminal(env, &shell_line(env, args))
            .env("COLUMNS", cols.to_string())
            .stdin(std::process::Stdio::null()),
    );
    screen(&out)
}

#[test]
fn sixty_columns_never_break_names() {
    let env = store();
    let mut shot = String::new();
    for cmd in [
        &["switch", "list"][..],
        &["sample", "list"],
        &["flag", "list"],
        &["user", "list"],
    ] {
        let text = at_width(&env, 60, cmd);
        for l in text.lines() {
            assert!(
                l.chars().count() <= 60,
                "{cmd:?}: line over 60 columns: {l:?}"
            );
        }
        for name in [
            "beta_footer",
            "dark_mode_everywhere",
            "log_sampling",
            "course_experience.relative_dates_for_self_paced",
            "example_namespace.example_flag.1",
            "alice",
        ] {
            let listed = env.ok(&[cmd, &["--format", "plain"][..]].concat());
            if listed.lines().any(|l| l.split('\t').next() == Some(name)) {
                assert!(text.contains(name), "{cmd:?}: {name} broken\n{text}");
            }
        }
        // with colour, the same layout
        let coloured = at_width(&env, 60, &[&["--color", "always"][..], cmd].concat());
        assert_eq!(
            strip_ansi(&coloured),
            text,
            "{cmd:?}: colour changed the layout"
        );
        shot.push_str(&format!(
            "$ COLUMNS=60 wafflectl {}\n{text}\n",
            cmd.join(" ")
        ));
    }
    insta::assert_snapshot!("sixty_columns", shot);
}
