//! wafflectl: administer django-waffle toggles and Open edX experiments in a SQLite store.
//!
//! Layout: [`cli`] (clap definitions only), [`commands`] (one module per noun), [`store`]
//! (SQLite, schema, audit), [`engine`] (pure decision logic), [`interop`] (file formats),
//! [`output`] (tables, JSON, plain).

pub(crate) mod cache;
pub mod cli;
pub mod commands;
pub(crate) mod config;
pub(crate) mod context;
pub(crate) mod engine;
pub(crate) mod env;
pub(crate) mod error;
pub(crate) mod interop;
pub(crate) mod output;
pub(crate) mod scan;
pub(crate) mod server_url;
pub(crate) mod store;
pub(crate) mod suggest;
pub(crate) mod time;
pub(crate) mod tls;
pub(crate) mod types;
pub(crate) mod warehouse;

use std::ffi::OsString;

use clap::Parser;

pub(crate) use context::Ctx;
pub(crate) use error::Error;
use output::ansi::Style;

/// Parses `args`, runs the command and returns the process exit code. Errors are printed here,
/// as one `error: ...` line and an optional `hint: ...` line.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // `$WAFFLECTL_NOW` is read with the clock, once, into `Ctx::now` (no value parser reads
    // it); a bad value is refused below (`env::check`), after the usage errors of the command line.
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let base = Ctx::from_cli(&cli);
    // `--env`/`$WAFFLECTL_ENV`: the environment's store, password, cache and protection
    // (`env list|check` read the config themselves: an environment's password is not needed)
    let select = |ctx: Ctx| match cli.command {
        cli::Command::Env(_) => Ok(ctx),
        _ => ctx.select_environment(&cli),
    };
    let mut ctx = match env::check().and_then(|()| select(base.clone())) {
        Ok(ctx) => ctx,
        Err(e) => {
            print_error(&base, &e);
            return e.exit_code();
        }
    };
    ctx.argv = args;
    match commands::dispatch(&ctx, cli.command) {
        Ok(()) => 0,
        Err(e) => {
            let e = ctx.name_db(suggest::enrich(e, || ctx.location()));
            print_error(&ctx, &e);
            e.exit_code()
        }
    }
}

fn print_error(ctx: &Ctx, e: &Error) {
    if e.kind == error::Kind::BrokenPipe {
        return;
    }
    let err = output::ansi::paint("error", Style::Error, ctx.color_err);
    let hint = output::ansi::paint("hint", Style::Hint, ctx.color_err);
    // Control characters (from a stored or typed name) escaped, a newline too: one line.
    let esc = |t: &str| output::escape_control(t);
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
    if let Some(code) = our_error(&e) {
        return code;
    }
    if let Some(code) = number_error(&e) {
        return code;
    }
    if let Some(code) = quoted_error(&e) {
        return code;
    }
    let text = cut_typed(&e, e.render().to_string());
    let mut raw = text.lines();
    let first = raw
        .by_ref()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("error: invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // A first line ending in ':' (clap's "the following required arguments were not provided:")
    // is continued by the indented lines up to the first blank one: the missing arguments.
    let mut message = first.to_string();
    if let Some(head) = first.strip_suffix(':') {
        let listed: Vec<&str> = raw
            .by_ref()
            .take_while(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect();
        if !listed.is_empty() {
            message = format!("{head}: {}", listed.join(", "));
        }
    }
    eprintln!("error: {message}");
    let rest: Vec<&str> = raw.map(str::trim).filter(|l| !l.is_empty()).collect();
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

/// clap's text with the value or argument the user typed quoted through [`error::cut`], so a
/// 100,000-character argument gives a one-line error (clap quotes it whole, in the message and
/// in its tip).
fn cut_typed(e: &clap::Error, text: String) -> String {
    use clap::error::{ContextKind, ContextValue};
    let mut text = text;
    for kind in [
        ContextKind::InvalidValue,
        ContextKind::InvalidArg,
        ContextKind::InvalidSubcommand,
    ] {
        if let Some(ContextValue::String(typed)) = e.get(kind) {
            let short = error::cut(typed);
            if short.len() < typed.len() {
                text = text.replace(typed.as_str(), &short);
            }
        }
    }
    text
}

/// A value one of [`types`]' parsers refused: its own message and hint, as any usage error.
fn our_error(e: &clap::Error) -> Option<u8> {
    use clap::error::{ContextKind, ContextValue};
    use std::error::Error as _;
    let source = e.source()?;
    let named;
    let ours = match source.downcast_ref::<types::BadTime>() {
        Some(types::BadTime(t)) => {
            // "--now <T>" → "--now: cannot read 'soon' as a date"
            let arg = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(s)) => s.split_whitespace().next().unwrap_or(""),
                _ => "",
            };
            named = Error {
                message: format!("{arg}: {}", t.message),
                ..t.clone()
            };
            &named
        }
        None => types::our_error(source)?,
    };
    let esc = |t: &str| output::escape_control(t);
    eprintln!("error: {}", esc(&ours.message));
    if let Some(h) = &ours.hint {
        eprintln!("hint: {}", esc(h));
    }
    Some(ours.exit_code())
}

/// A value refused by a parser whose message already quotes it (`'abc' is not a number`): the
/// argument and that message, so the value is quoted once, not twice as clap's
/// "invalid value 'abc' for '<PERCENT>': 'abc' ..." would.
fn quoted_error(e: &clap::Error) -> Option<u8> {
    use clap::error::{ContextKind, ContextValue, ErrorKind as K};
    use std::error::Error as _;
    if e.kind() != K::ValueValidation {
        return None;
    }
    let get = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let (arg, value) = (
        get(ContextKind::InvalidArg)?,
        get(ContextKind::InvalidValue)?,
    );
    let why = e.source()?.to_string();
    if !why.contains(&format!("'{}'", error::cut(value))) {
        return None;
    }
    let why = output::escape_controls(&why, true).into_owned();
    eprintln!("error: {arg}: {why}");
    Some(2)
}

/// A word where a number belongs (`experiment whitelist add 1 NAME`): say which argument wanted a
/// number and, for a bucket, the order of the arguments, instead of Rust's parser text.
fn number_error(e: &clap::Error) -> Option<u8> {
    use clap::error::{ContextKind, ContextValue, ErrorKind as K};
    if e.kind() != K::ValueValidation {
        return None;
    }
    let text = e.render().to_string();
    if !text.contains("invalid digit found in string") {
        return None;
    }
    let get = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg)?;
    let value = get(ContextKind::InvalidValue)?;
    let usage = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: ").map(str::to_string));
    eprintln!(
        "error: {arg} must be a whole number, not '{}'",
        error::cut(&value)
    );
    if arg == "<BUCKET>" {
        eprintln!(
            "hint: the order is NAME BUCKET, e.g. wafflectl experiment whitelist add course_experience.upsell 1 --staff"
        );
    } else if let Some(usage) = usage {
        eprintln!("hint: usage: {usage}");
    }
    Some(2)
}
