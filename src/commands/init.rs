//! `wafflectl init [--example]`

use crate::cli::{InitArgs, MutationArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output;
use crate::store::{Location, Store};

/// `init --example` adds demo users (a superuser among them), flags and an experiment: only to
/// a new or empty store, never to one that holds anything (a Django site's database above all).
fn refuse_example_on_data(location: &Location) -> Result<()> {
    if let Location::File(path) = location
        && std::fs::metadata(path).map_or(true, |m| m.len() == 0)
    {
        return Ok(());
    }
    let conn = Store::open_for_reading(location)?;
    let held = crate::store::tables_with_rows(&conn)?;
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::runtime(format!(
        "{location} already holds data (rows in {}): init --example adds its demo users, \
         among them a superuser, only to an empty store; nothing was written",
        held.join(", ")
    ))
    .with_hint("run wafflectl init without --example, or give --db a new file for the example"))
}

pub(crate) fn run(ctx: &Ctx, a: InitArgs) -> Result<()> {
    ctx.check_protected_write(false)?;
    let location = ctx.location()?;
    if a.example {
        refuse_example_on_data(&location)?;
    }
    let (mut store, report) = Store::init(&location, ctx.busy_timeout)?;
    if a.example {
        let m = MutationArgs {
            dry_run: false,
            reason: Some("wafflectl init --example".into()),
            at: None,
        };
        let (_, changes) = super::write_quiet(ctx, &mut store, &m, super::example::populate)?;
        if !changes.is_empty() {
            ctx.status(format!("added the example: {} objects", changes.len()));
        }
    }
    if ctx.json() {
        return output::json(&report);
    }
    let id = report.store_id.as_deref().unwrap_or("-");
    if report.created_file {
        ctx.status(format!(
            "created store {} (schema version {}, identity {id})",
            report.path, report.schema_version
        ));
    } else if report.tables_added.is_empty() {
        ctx.status(format!(
            "store {} is up to date (schema version {}, identity {id})",
            report.path, report.schema_version
        ));
    } else {
        ctx.status(format!(
            "added tables to {}: {} (identity {id})",
            report.path,
            report.tables_added.join(", ")
        ));
    }
    Ok(())
}
