//! `wafflectl switch ...`

use crate::cli::{MutationArgs, SwitchCmd};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::yes_no;
use crate::store::Store;
use crate::store::toggles::{self, Switch};
use crate::time;

pub(crate) fn run(ctx: &Ctx, cmd: SwitchCmd) -> Result<()> {
    match cmd {
        SwitchCmd::List => list(ctx),
        SwitchCmd::Show { name } => show(ctx, &name),
        SwitchCmd::Create {
            name,
            on,
            off: _,
            note,
            m,
        } => create(ctx, &name, on, note, &m),
        SwitchCmd::On(c) => set_active(ctx, &c.name, true, c.create, &c.m),
        SwitchCmd::Off(c) => set_active(ctx, &c.name, false, c.create, &c.m),
        SwitchCmd::Delete { names, m } => super::delete_named(ctx, &names, &m, deletable()),
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

pub(crate) fn require(store: &Store, name: &str) -> Result<Switch> {
    toggles::get_switch(store.conn(), name)?.ok_or_else(|| Error::not_found("switch", name))
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let switches = toggles::list_switches(store.conn())?;
    let header = ["NAME", "ACTIVE", "NOTE", "MODIFIED"];
    super::print_rows(ctx, &switches, "no switches", header, |s| {
        [
            s.name.clone(),
            on_off(s.active).into(),
            s.note.clone(),
            time::db_to_human(&s.modified),
        ]
    })
}

fn show(ctx: &Ctx, name: &str) -> Result<()> {
    let store = ctx.store()?;
    let s = require(&store, name)?;
    let text = (&*s.name, &*s.note, &*s.created, &*s.modified);
    super::show_toggle(ctx, &s, text, ("active", yes_no(s.active).into()))
}

fn create(ctx: &Ctx, name: &str, on: bool, note: Option<String>, m: &MutationArgs) -> Result<()> {
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        if toggles::get_switch(tx, name)?.is_some() {
            return Err(
                Error::runtime(format!("switch '{name}' already exists")).with_hint(format!(
                    "turn it on or off with: wafflectl switch on|off {name}"
                )),
            );
        }
        insert(tx, name, on, note.unwrap_or_default())
    })
}

/// Creates the switch `name` and records it.
fn insert(tx: &mut crate::store::Tx<'_>, name: &str, active: bool, note: String) -> Result<()> {
    let s = Switch {
        id: 0,
        name: name.to_string(),
        active,
        note,
        created: tx.now_db.clone(),
        modified: tx.now_db.clone(),
    };
    toggles::save_switch(tx, &s)?;
    super::record_toggle(tx, "switch", name, None, &s)
}

fn set_active(ctx: &Ctx, name: &str, active: bool, create: bool, m: &MutationArgs) -> Result<()> {
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = match toggles::get_switch(tx, name)? {
            Some(s) => s,
            None if create => return insert(tx, name, active, String::new()),
            None => return Err(Error::not_found("switch", name)),
        };
        if before.active == active {
            return Ok(());
        }
        let after = Switch {
            active,
            modified: tx.now_db.clone(),
            ..before.clone()
        };
        toggles::save_switch(tx, &after)?;
        super::record_toggle(tx, "switch", name, Some(&before), &after)
    })
}

/// How `switch delete` and `delete --switches` delete a switch.
pub(crate) fn deletable() -> super::Deletable<Switch> {
    super::Deletable::plain("switch", "switches", toggles::get_switch, |tx, s| {
        toggles::delete_switch(tx, s.id)
    })
}
