//! Running wafflectl on a real (pseudo-)terminal: util-linux `script`, which `.ci/run`
//! installs. A machine without it fails these tests; it does not skip them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use super::{Args, Env, NOW};

/// `wafflectl --db STORE ARGS...` as one shell line, each word in single quotes.
pub fn shell_line(env: &Env, args: &(impl Args + ?Sized)) -> String {
    let bin = assert_cmd::cargo::cargo_bin("wafflectl");
    let mut line = format!(
        "{} --db {}",
        shell_quote(&bin.display().to_string()),
        shell_quote(&env.db.display().to_string())
    );
    for a in args.to_args() {
        line.push(' ');
        line.push_str(&shell_quote(&a));
    }
    line
}

pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `script` running the shell line `line` on a pseudo-terminal in the store's folder, with the
/// test clock and no colour; it gives up after 30 s. The caller sets stdin and runs it.
pub fn terminal(env: &Env, line: &str) -> Command {
    let mut c = Command::new("timeout");
    c.args(["30", "script", "-q", "-e", "-c", line, "/dev/null"])
        .current_dir(env.dir.path())
        .env("WAFFLECTL_NOW", NOW)
        .env("USER", "tester")
        .env("NO_COLOR", "1")
        .env_remove("WAFFLECTL_DB");
    c
}

/// What `script` printed, its carriage returns removed.
pub fn screen(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

/// Runs the shell line `line` on a pseudo-terminal with `typed` typed ahead at the keyboard;
/// stdin stays open until the command is done, so `script` does not see the end of input early.
pub fn on_terminal(env: &Env, line: &str, typed: &str) -> Output {
    let mut child = terminal(env, line)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) must be installed: .ci/run installs it");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(typed.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    out
}
