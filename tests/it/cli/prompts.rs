//! Confirmation prompts on a real terminal: a pseudo-terminal from util-linux `script` (which
//! `.ci/run` installs), so this runs in CI too. The answer is a whole line: typing `no⏎` must
//! decline (exit 3) and leave nothing behind on the terminal for the shell to read.

use crate::common;

use common::terminal::{on_terminal, screen, shell_line, shell_quote};
use common::{Env, assert_contains};

/// Runs `wafflectl ARGS` on a pseudo-terminal with `typed` already typed ahead, then has the
/// shell read whatever input is left. Returns what the terminal showed (CRs removed).
fn typed_ahead(env: &Env, args: &[&str], typed: &str) -> String {
    let inner = format!(
        "{}; echo \"exit=$?\"; if read -r -t 1 rest; then echo \"left=[$rest]\"; else echo left=none; fi",
        shell_line(env, args)
    );
    let out = on_terminal(
        env,
        &format!("bash --norc --noprofile -c {}", shell_quote(&inner)),
        typed,
    );
    let text = screen(&out);
    assert!(
        text.contains("exit="),
        "script did not run the command: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn no_enter_declines_and_leaves_nothing_behind() {
    let env = Env::new();
    env.ok("flag create old_flag");
    let before = env.bytes();
    let shown = typed_ahead(&env, &["flag", "delete", "old_flag"], "no\n");
    assert_contains(&shown, "Delete flag old_flag? [y/N]");
    assert_contains(&shown, "exit=3");
    assert!(shown.contains("left=none"), "input left over: {shown}");
    assert!(env.bytes() == before, "the store changed");
}

#[test]
fn enter_alone_is_no_and_yes_enter_confirms() {
    let env = Env::new();
    env.ok("flag create old_flag");
    let shown = typed_ahead(&env, &["flag", "delete", "old_flag"], "\n");
    assert_contains(&shown, "exit=3");
    assert_contains(&shown, "left=none");
    let shown = typed_ahead(&env, &["flag", "delete", "old_flag"], "maybe\nYes\n");
    assert_contains(&shown, "Please answer y (yes) or n (no).");
    assert_contains(&shown, "exit=0");
    assert_contains(&shown, "left=none");
    let gone = env.run("flag show old_flag");
    assert_eq!(gone.code, 1, "{}", gone.stderr);
}
