//! The confirmation question before a destructive change.

use super::Ctx;
use crate::error::{Error, Result};
use crate::output::ansi::{self, Style};
use crate::output::escape_controls;

impl Ctx {
    /// Asks before a destructive change. `--yes` skips the question; without a terminal (or with
    /// `--no-input`) it refuses with exit 2 naming `--yes`; a "no" is exit 3.
    ///
    /// The answer is a whole line ended by Enter (`y`, `yes`, `n`, `no`, any case; an empty line
    /// is no), so nothing typed is left on the terminal for the shell to read afterwards.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !self.interactive {
            // "Delete flag x?" -> "confirmation needed to delete flag x, ..."
            let what = question.trim_end_matches('?');
            let mut chars = what.chars();
            let what: String = match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => String::new(),
            };
            let why = if self.no_input {
                "and prompts are turned off (--no-input)"
            } else {
                "and there is no terminal to ask on"
            };
            return Err(
                Error::usage(format!("confirmation needed to {what}, {why}"))
                    .with_hint("pass --yes to confirm from a script"),
            );
        }
        let answer = ask_yes_no(question, self.color_err)
            .map_err(|e| Error::runtime(format!("prompt failed: {e}")))?;
        if answer {
            Ok(())
        } else {
            Err(Error::declined("declined; nothing was changed"))
        }
    }
}

impl Ctx {
    /// Guards a write (not a dry run) to a protected environment: it needs the environment's
    /// name typed at a prompt, or `--yes --confirm-env NAME` from a script. Either flag alone is
    /// refused (exit 2), as is a `--confirm-env` naming another environment; a wrong name typed
    /// at the prompt is a declined confirmation (exit 3). Once confirmed, the command's other
    /// writes pass.
    pub fn check_protected_write(&self, dry_run: bool) -> Result<()> {
        use std::sync::atomic::Ordering;
        // `--confirm-env prod` says where the script means to write: anywhere else is refused,
        // protected or not (a script pointed at the wrong store by mistake)
        if let Some(typed) = &self.confirm_env
            && !dry_run
            && self.environment.as_ref().is_none_or(|e| &e.name != typed)
        {
            let (here, hint) = match &self.environment {
                Some(e) => (
                    format!("environment {}", e.name),
                    format!(
                        "this command writes to {}: confirm with --yes --confirm-env {}",
                        e.name,
                        crate::output::shell_word(&e.name)
                    ),
                ),
                None => (
                    "the store this command writes to, which is no environment".to_string(),
                    "name the environment with --env, or leave --confirm-env out".to_string(),
                ),
            };
            return Err(Error::usage(format!(
                "--confirm-env {} does not match {here}; nothing was written",
                crate::error::cut(typed)
            ))
            .with_hint(hint));
        }
        let Some(env) = self.environment.as_ref().filter(|e| e.protected) else {
            return Ok(());
        };
        if dry_run || self.confirmed.load(Ordering::SeqCst) {
            return Ok(());
        }
        let name = &env.name;
        let word = crate::output::shell_word(name);
        let script = format!("pass --yes --confirm-env {word} to confirm from a script");
        match (&self.confirm_env, self.yes) {
            (Some(typed), true) if typed == name => {}
            (Some(_), _) => {
                return Err(Error::usage(format!(
                    "--confirm-env needs --yes to confirm a write to protected environment {name}"
                ))
                .with_hint(script));
            }
            (None, true) => {
                return Err(Error::usage(format!(
                    "environment {name} is protected: --yes alone does not confirm a write to it"
                ))
                .with_hint(format!("add --confirm-env {word}")));
            }
            (None, false) if !self.interactive => {
                let why = if self.no_input {
                    "prompts are turned off (--no-input)"
                } else {
                    "there is no terminal to ask on"
                };
                return Err(Error::usage(format!(
                    "environment {name} is protected: a write needs its name confirmed, and {why}"
                ))
                .with_hint(script));
            }
            (None, false) => {
                let typed = ask_line(
                    &format!("Type the environment's name to confirm a write to {name}:"),
                    self.color_err,
                )
                .map_err(|e| Error::runtime(format!("prompt failed: {e}")))?;
                if typed.trim() != name {
                    return Err(Error::declined(format!(
                        "'{}' is not {name}; declined, nothing was changed",
                        crate::error::cut(typed.trim())
                    )));
                }
            }
        }
        self.confirmed.store(true, Ordering::SeqCst);
        Ok(())
    }
}

/// Prints `question ` on stderr and reads one whole line from stdin (end of input: empty).
fn ask_line(question: &str, color: bool) -> std::io::Result<String> {
    use std::io::{BufRead, Write};
    let question = escape_controls(question, false);
    let mut err = std::io::stderr().lock();
    write!(err, "{} ", ansi::paint(&question, Style::Bold, color))?;
    err.flush()?;
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        writeln!(err)?;
    }
    Ok(line)
}

/// Prints `question [y/N] ` on stderr and reads whole lines from stdin until one is an answer.
/// End of input (Ctrl-D) is a no.
fn ask_yes_no(question: &str, color: bool) -> std::io::Result<bool> {
    use std::io::{BufRead, Write};
    let question = escape_controls(question, false);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut err = std::io::stderr().lock();
    loop {
        write!(err, "{} [y/N] ", ansi::paint(&question, Style::Bold, color))?;
        err.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(err)?;
            return Ok(false);
        }
        match parse_answer(&line) {
            Some(answer) => return Ok(answer),
            None => writeln!(err, "Please answer y (yes) or n (no).")?,
        }
    }
}

/// `y`/`yes` is yes, `n`/`no` or an empty line is no (any case, blanks ignored), else `None`.
fn parse_answer(line: &str) -> Option<bool> {
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "" | "n" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_answer;

    #[test]
    fn answers() {
        for yes in ["y", "Y", "yes", "YES\n", " yes \r\n"] {
            assert_eq!(parse_answer(yes), Some(true), "{yes:?}");
        }
        for no in ["", "\n", "n", "No", "no\n"] {
            assert_eq!(parse_answer(no), Some(false), "{no:?}");
        }
        for other in ["o", "yeah", "nope", "1"] {
            assert_eq!(parse_answer(other), None, "{other:?}");
        }
    }
}
