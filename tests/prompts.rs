//! Confirmation prompts on a real terminal: a pseudo-terminal from util-linux `script` (which
//! `.ci/run` installs), so this runs in CI too. The answer is a whole line: typing `no⏎` must
//! decline (exit 3) and leave nothing behind on the terminal for the shell to read.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Env, assert_contains};

/// Runs `wafflectl ARGS` on a pseudo-terminal with `typed` already typed ahead, then has the
/// shell read whatever input is left. Returns what the terminal showed (CRs removed).
fn on_terminal(env: &Env, args: &[&str], typed: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("wafflectl");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let inner = format!(
        "'{}' --db '{}' {}; echo \"exit=$?\"; if read -r -t 1 rest; then echo \"left=[$rest]\"; else echo left=none; fi",
        bin.display(),
        env.db.display(),
        quoted.join(" ")
    );
    let mut child = Command::new("timeout")
        .args(["30", "script", "-q", "-e", "-c"])
        .arg(format!(
            "bash --norc --noprofile -c {}",
            shell_quote(&inner)
        ))
        .arg("/dev/null")
        .current_dir(env.dir.path())
        .env("WAFFLECTL_NOW", common::NOW)
        .env("USER", "tester")
        .env("NO_COLOR", "1")
        .env_remove("WAFFLECTL_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) must be installed: .ci/run installs it");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(typed.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // keep stdin open until the command is done, so script does not see end of input early
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(
        text.contains("exit="),
        "script did not run the command: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn no_enter_declines_and_leaves_nothing_behind() {
    let env = Env::new();
    env.ok("flag create old_flag");
    let before = env.bytes();
    let shown = on_terminal(&env, &["flag", "delete", "old_flag"], "no\n");
    assert_contains(&shown, "Delete flag old_flag? [y/N]");
    assert_contains(&shown, "exit=3");
    assert!(shown.contains("left=none"), "input left over: {shown}");
    assert!(env.bytes() == before, "the store changed");
}

#[test]
fn enter_alone_is_no_and_yes_enter_confirms() {
    let env = Env::new();
    env.ok("flag create old_flag");
    let shown = on_terminal(&env, &["flag", "delete", "old_flag"], "\n");
    assert_contains(&shown, "exit=3");
    assert_contains(&shown, "left=none");
    let shown = on_terminal(&env, &["flag", "delete", "old_flag"], "maybe\nYes\n");
    assert_contains(&shown, "Please answer y (yes) or n (no).");
    assert_contains(&shown, "exit=0");
    assert_contains(&shown, "left=none");
    let gone = env.run("flag show old_flag");
    assert_eq!(gone.code, 1, "{}", gone.stderr);
}
