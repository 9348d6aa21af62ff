//! `wafflectl history [NAME] [--since T] [--limit N]`

use crate::cli::HistoryArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{self, Table};
use crate::store::audit;
use crate::time;

pub(crate) fn run(ctx: &Ctx, a: HistoryArgs) -> Result<()> {
    let since = a.since.map(|t| time::to_db(&t.0));
    let store = ctx.store()?;
    if !store.has_audit_log() {
        // a Django database wafflectl was never initialised on: nothing recorded yet
        if ctx.json() {
            return output::json(&Vec::<audit::Entry>::new());
        }
        ctx.status(
            "no audit log yet: wafflectl has not been initialised on this database \
             (wafflectl init starts one; until then nothing is recorded)",
        );
        return Ok(());
    }
    let mut entries = audit::entries(
        store.conn(),
        a.name.as_deref(),
        since.as_deref(),
        a.limit as usize,
    )?;
    if ctx.json() {
        // ISO 8601 with `Z`, like every other JSON time.
        for e in &mut entries {
            e.at = time::db_to_json(&e.at);
        }
        return output::json(&entries);
    }
    if entries.is_empty() {
        if let Some(name) = a.name.as_deref()
            && !crate::suggest::names(store.conn(), crate::error::NameKind::Any)
                .iter()
                .any(|n| n == name)
        {
            return Err(Error::runtime(format!(
                "nothing named '{}' exists or was ever changed in this store",
                crate::error::cut(name)
            ))
            .with_hint("see every change with: wafflectl history")
            .missing(crate::error::NameKind::Any, name));
        }
        ctx.status("no changes recorded");
        return Ok(());
    }
    let mut t = Table::new(["ID", "AT", "ACTOR", "ACTION", "OBJECT", "CHANGE", "REASON"]);
    for e in &entries {
        let change = &e.change;
        t.row([
            e.id.to_string(),
            time::db_to_human(&e.at),
            e.actor.clone(),
            change.action.clone(),
            format!("{} {}", change.kind, change.name),
            change.summary(),
            e.reason.clone(),
        ]);
    }
    t.print(ctx.format, ctx.color)
}
