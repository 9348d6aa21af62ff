//! `wafflectl experiment ids` and `experiment next-id`: experiment IDs in use anywhere in the
//! store (definitions, key-values, per-user data) — the union the edX docs query by hand.

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output;
use crate::store::edx::{self, MAX_EXPERIMENT_ID};

pub(crate) fn ids(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let rows = edx::ids_in_use(store.conn())?;
    let header = ["ID", "EXPERIMENT", "KEY-VALUES", "DATA ROWS"];
    crate::commands::print_rows(ctx, &rows, "no experiment IDs in use", header, |u| {
        [
            u.id.to_string(),
            holders(u),
            u.key_values.to_string(),
            u.data_rows.to_string(),
        ]
    })
}

/// `experiment next-id --json`: the lowest free experiment ID.
#[derive(serde::Serialize)]
struct NextId {
    id: i64,
}

pub(crate) fn next_id(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let Some(id) = edx::next_free_id(store.conn())? else {
        return Err(Error::runtime(format!(
            "every experiment ID (0–{MAX_EXPERIMENT_ID}) is in use"
        ))
        .with_hint("see them with: wafflectl experiment ids"));
    };
    if ctx.json() {
        return output::json(&NextId { id });
    }
    output::out(&id.to_string())
}

/// `upsell, checkout_test (baseplate)`: the experiments holding an ID, and which system each is.
pub(crate) fn holders(u: &edx::IdUse) -> String {
    let all: Vec<String> = u
        .experiments
        .iter()
        .cloned()
        .chain(u.baseplate.iter().map(|k| format!("{k} (baseplate)")))
        .collect();
    if all.is_empty() {
        "-".to_string()
    } else {
        all.join(", ")
    }
}
