//! `wafflectl init [--example]`

use crate::cli::{InitArgs, MutationArgs};
use crate::context::Ctx;
use crate::error::Result;
use crate::output;
use crate::store::Store;

pub(crate) fn run(ctx: &Ctx, a: InitArgs) -> Result<()> {
    let (mut store, report) = Store::init(&ctx.location()?, ctx.busy_timeout)?;
    if a.example {
        let m = MutationArgs {
            dry_run: false,
            reason: Some("wafflectl init --example".into()),
        };
        let (_, changes) = super::write_quiet(ctx, &mut store, &m, super::example::populate)?;
        if !changes.is_empty() {
            ctx.status(format!("added the example: {} objects", changes.len()));
        }
    }
    if ctx.json() {
        return output::json(&report);
    }
    if report.created_file {
        ctx.status(format!(
            "created store {} (schema version {})",
            report.path, report.schema_version
        ));
    } else if report.tables_added.is_empty() {
        ctx.status(format!(
            "store {} is up to date (schema version {})",
            report.path, report.schema_version
        ));
    } else {
        ctx.status(format!(
            "added tables to {}: {}",
            report.path,
            report.tables_added.join(", ")
        ));
    }
    Ok(())
}
