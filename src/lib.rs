//! wafflectl: administer django-waffle toggles and Open edX experiments in a SQLite store.
//!
//! Layout: [`cli`] (clap definitions only), [`commands`] (one module per noun), [`store`]
//! (SQLite, schema, audit), [`engine`] (pure decision logic), [`interop`] (file formats),
//! [`output`] (tables, JSON, plain).

pub mod cli;
pub mod commands;
pub mod context;
pub mod engine;
pub mod error;
pub mod interop;
pub mod output;
pub mod scan;
pub mod store;
pub mod time;

use std::ffi::OsString;

use clap::Parser;

pub use context::Ctx;
pub use error::{Error, Result};

/// Parses `args`, runs the command and returns the process exit code. Errors are printed here,
/// as one `error: ...` line and an optional `hint: ...` line.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let ctx = Ctx::from_cli(&cli);
    match commands::dispatch(&ctx, cli.command) {
        Ok(()) => 0,
        Err(e) => {
            print_error(&ctx, &e);
            e.exit_code()
        }
    }
}

fn print_error(ctx: &Ctx, e: &Error) {
    if e.kind == error::Kind::BrokenPipe {
        return;
    }
    let (err, hint) = if ctx.color_err {
        ("\x1b[1;31merror\x1b[0m", "\x1b[36mhint\x1b[0m")
    } else {
        ("error", "hint")
    };
    // Control characters (from a stored or typed name) escaped as in data output.
    let esc = |t: &str| output::escape_controls(t, true).into_owned();
    eprintln!("{err}: {}", esc(&e.message));
    if let Some(h) = &e.hint {
        eprintln!("{hint}: {}", esc(h));
    }
}

/// clap's errors, reduced to our one-line form (help and version print as usual).
fn clap_error(e: clap::Error) -> u8 {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return 2;
        }
        _ => {}
    }
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("error: invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("error: {first}");
    let rest: Vec<&str> = lines.collect();
    let possible = rest.iter().find_map(|l| {
        l.strip_prefix("[possible values: ")
            .and_then(|v| v.strip_suffix(']'))
    });
    if let Some(values) = possible {
        eprintln!("hint: possible values: {values}");
    } else if let Some(tip) = rest.iter().find_map(|l| l.strip_prefix("tip: ")) {
        eprintln!("hint: {tip}");
    } else if let Some(usage) = rest.iter().find_map(|l| l.strip_prefix("Usage: ")) {
        eprintln!("hint: usage: {usage}");
    }
    2
}
