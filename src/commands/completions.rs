//! Shell completion: the static scripts of `wafflectl completions SHELL` (kept in
//! `completions/`), and dynamic completion (`COMPLETE=bash wafflectl`), which also offers the
//! store's flag, switch, sample, experiment, user and group names where a command takes one.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::Ctx;
use crate::error::NameKind as Kind;
use crate::error::Result;

/// The completion script for `shell`, as `completions/` keeps it.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "wafflectl", &mut buf);
    buf
}

pub(crate) fn run(_ctx: &Ctx, a: CompletionsArgs) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(&script(a.shell))?;
    out.flush()?;
    Ok(())
}

/// Answers a shell's completion request and exits when `$COMPLETE` names a shell (the
/// registration script with no words, else the candidates for the words given); returns at once
/// otherwise. Called first thing in `main`.
pub fn complete_from_env() {
    crate::cli::set_name_source(candidates);
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
}

/// The store's names of `kind` that start with `typed` (what is typed so far). Best effort and
/// read-only: no store, a store that cannot be opened or a missing table gives no candidates,
/// and nothing is ever created or written.
fn candidates(kind: Kind, typed: &str) -> Vec<String> {
    let Some(location) = store_location() else {
        return Vec::new();
    };
    let Ok(conn) = crate::store::Store::open_for_reading(&location) else {
        return Vec::new();
    };
    crate::suggest::names(&conn, kind)
        .into_iter()
        .filter(|n| n.starts_with(typed))
        .collect()
}

/// The store the command line being completed names: its `--db` (the words the shell passes
/// after `--`), else `$WAFFLECTL_DB`, else `./waffle.db`; as `Ctx` resolves it.
fn store_location() -> Option<crate::store::Location> {
    let words: Vec<OsString> = std::env::args_os().collect();
    let db = db_word(&words)
        .or_else(|| {
            std::env::var_os("WAFFLECTL_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("waffle.db"));
    let text = db.to_str()?;
    // A server's password comes from $WAFFLECTL_DB_PASSWORD, as for any command.
    let password = crate::env::db_password().ok().flatten();
    match crate::types::DbUrl::parse(text, password) {
        Ok(None) => Some(crate::store::Location::File(db)),
        Ok(Some(url)) => Some(crate::store::Location::Server(url)),
        Err(_) => None,
    }
}

/// The value of the last `--db VALUE` or `--db=VALUE` among `words` (the last one wins, as
/// when the command runs); none before the `--` that ends the shell's own arguments.
fn db_word(words: &[OsString]) -> Option<PathBuf> {
    let start = words.iter().position(|w| w == "--").map_or(0, |i| i + 1);
    let mut db = None;
    let mut it = words[start..].iter();
    while let Some(w) = it.next() {
        let Some(w) = w.to_str() else { continue };
        if w == "--db" {
            if let Some(v) = it.next().filter(|v| !v.is_empty()) {
                db = Some(PathBuf::from(v));
            }
        } else if let Some(v) = w.strip_prefix("--db=").filter(|v| !v.is_empty()) {
            db = Some(PathBuf::from(v));
        }
    }
    db
}

#[cfg(test)]
mod tests {
    use super::db_word;
    use std::ffi::OsString;
    use std::path::PathBuf;

    fn words(w: &[&str]) -> Vec<OsString> {
        w.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_db_of_the_line_being_completed() {
        let w = words(&[
            "wafflectl",
            "--",
            "wafflectl",
            "--db",
            "a.db",
            "flag",
            "show",
            "",
        ]);
        assert_eq!(db_word(&w), Some(PathBuf::from("a.db")));
        let w = words(&[
            "x",
            "--",
            "wafflectl",
            "flag",
            "--db=b.db",
            "show",
            "--db",
            "c.db",
        ]);
        assert_eq!(db_word(&w), Some(PathBuf::from("c.db")));
        let w = words(&["x", "--", "wafflectl", "flag", "show", "--db"]);
        assert_eq!(db_word(&w), None);
    }
}
