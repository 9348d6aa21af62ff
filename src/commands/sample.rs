//! `wafflectl sample ...`

use crate::cli::{MutationArgs, SampleCmd};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::toggles::{self, Sample};
use crate::time;
use crate::types::Percent;

pub(crate) fn run(ctx: &Ctx, cmd: SampleCmd) -> Result<()> {
    match cmd {
        SampleCmd::List => list(ctx),
        SampleCmd::Show { name } => show(ctx, &name),
        SampleCmd::Create {
            name,
            percent,
            note,
            m,
        } => create(ctx, &name, percent.0, note, &m),
        SampleCmd::Set {
            name,
            percent,
            note,
            create,
            m,
        } => set(ctx, &name, percent.0, note, create, &m),
        SampleCmd::Delete { names, m } => super::delete_named(ctx, &names, &m, deletable()),
    }
}

pub(crate) fn require(store: &Store, name: &str) -> Result<Sample> {
    toggles::get_sample(store.conn(), name)?.ok_or_else(|| Error::not_found("sample", name))
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let samples = toggles::list_samples(store.conn())?;
    let header = ["NAME", "PERCENT", "NOTE", "MODIFIED"];
    super::print_rows(ctx, &samples, "no samples", header, |s| {
        [
            s.name.clone(),
            match &s.percent_unreadable {
                Some(u) => format!("{} (Django cannot read it)", u.stored),
                None => s.percent.to_string(),
            },
            s.note.clone(),
            time::db_to_human(&s.modified),
        ]
    })
}

fn show(ctx: &Ctx, name: &str) -> Result<()> {
    let store = ctx.store()?;
    let s = require(&store, name)?;
    let percent = match &s.percent_unreadable {
        Some(u) => format!("{} (Django cannot read it)", u.stored),
        None => format!("{} (each check is an independent random draw)", s.percent),
    };
    let text = (&*s.name, &*s.note, &*s.created, &*s.modified);
    super::show_toggle(ctx, &s, text, ("percent", percent))
}

fn create(
    ctx: &Ctx,
    name: &str,
    percent: Percent,
    note: Option<String>,
    m: &MutationArgs,
) -> Result<()> {
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        if toggles::get_sample(tx, name)?.is_some() {
            return Err(
                Error::runtime(format!("sample '{name}' already exists")).with_hint(format!(
                    "change it with: wafflectl sample set {name} PERCENT"
                )),
            );
        }
        insert(tx, name, percent, note)
    })
}

/// Creates the sample `name` and records it.
fn insert(
    tx: &mut crate::store::Tx<'_>,
    name: &str,
    percent: Percent,
    note: Option<String>,
) -> Result<()> {
    let s = Sample {
        id: 0,
        name: name.to_string(),
        percent_unreadable: None,
        percent,
        note: note.unwrap_or_default(),
        created: tx.now_db.clone(),
        modified: tx.now_db.clone(),
    };
    toggles::save_sample(tx, &s)?;
    super::record_toggle(tx, "sample", name, None, &s)
}

fn set(
    ctx: &Ctx,
    name: &str,
    percent: Percent,
    note: Option<String>,
    create: bool,
    m: &MutationArgs,
) -> Result<()> {
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = match toggles::get_sample(tx, name)? {
            Some(s) => s,
            None if create => return insert(tx, name, percent, note),
            None => return Err(Error::not_found("sample", name)),
        };
        let mut after = before.clone();
        after.percent = percent;
        after.percent_unreadable = None;
        if let Some(n) = note {
            after.note = n;
        }
        if after == before {
            return Ok(());
        }
        after.modified = tx.now_db.clone();
        toggles::save_sample(tx, &after)?;
        super::record_toggle(tx, "sample", name, Some(&before), &after)
    })
}

/// How `sample delete` and `delete --samples` delete a sample.
pub(crate) fn deletable() -> super::Deletable<Sample> {
    super::Deletable::plain("sample", "samples", toggles::get_sample, |tx, s| {
        toggles::delete_sample(tx, s.id)
    })
}
