//! `wafflectl experiment kv ...` (experiments_experimentkeyvalue) and
//! `wafflectl experiment data ...` (experiments_experimentdata).

use super::validate_id;
use crate::cli::{DataCmd, KvCmd, MutationArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{self, Table};
use crate::store::Store;
use crate::store::edx::{self, DataRow, KeyValue};
use crate::store::users::{self, User};
use crate::time;
use crate::types::{ExperimentId, KvKey, Username};

use crate::engine::window::DATE_KEYS;

pub(crate) fn run_kv(ctx: &Ctx, cmd: KvCmd) -> Result<()> {
    match cmd {
        KvCmd::List { id } => kv_list(ctx, id.get()),
        KvCmd::Set { id, key, value, m } => kv_set(ctx, id.get(), &key, &value, &m),
        KvCmd::Unset { id, key, m } => kv_unset(ctx, id.get(), &key, &m),
    }
}

pub(crate) fn run_data(ctx: &Ctx, cmd: DataCmd) -> Result<()> {
    match cmd {
        DataCmd::List { id, user } => data_list(ctx, id.map(ExperimentId::get), user.as_deref()),
        DataCmd::Set {
            id,
            user,
            key,
            value,
            m,
        } => data_set(ctx, id.get(), &user, &key, &value, &m),
        DataCmd::Unset { id, user, key, m } => data_unset(ctx, id.get(), &user, &key, &m),
    }
}

/// A key of `key` CharField(255), by the rule import uses too ([`KvKey`]).
fn validate_key(key: &str) -> Result<()> {
    key.parse::<KvKey>().map(drop)
}

fn validate_username(u: &str) -> Result<()> {
    u.parse::<Username>().map(drop)
}

fn kv_name(id: i64, key: &str) -> String {
    format!("{id}:{key}")
}

fn kv_list(ctx: &Ctx, id: i64) -> Result<()> {
    validate_id(id)?;
    let store = ctx.store()?;
    let rows = edx::key_value_rows(store.conn(), id)?;
    if ctx.json() {
        return output::json(&rows);
    }
    if rows.is_empty() {
        ctx.status(format!("no key-values for experiment ID {id}"));
        return Ok(());
    }
    let mut t = Table::new(["KEY", "VALUE", "MODIFIED"]);
    for kv in &rows {
        t.row([
            kv.key.clone(),
            kv.value.clone(),
            time::db_to_human(&kv.modified),
        ]);
    }
    t.print(ctx.format, ctx.color)
}

/// The value to store: dates of the enrollment window read as edX's dateutil reads them and
/// normalised (see [`time::parse_typed`]), with the line saying what was stored; anything else
/// as given.
pub(crate) fn normalise_value(
    key: &str,
    value: &str,
    today: chrono::NaiveDate,
) -> Result<(String, Option<String>)> {
    if DATE_KEYS.contains(&key) {
        let t = time::parse_typed_on(key, value, today)?;
        let note = time::typed_note(key, value, &t);
        return Ok((t.stored, Some(note)));
    }
    Ok((value.to_string(), None))
}

/// Warns when the enrollment window of `id` is now empty (end not after start).
fn warn_closed_window(ctx: &Ctx, conn: &crate::store::Reader, id: i64) -> Result<()> {
    let start = edx::get_key_value(conn, id, DATE_KEYS[0])?.map(|k| k.value);
    let end = edx::get_key_value(conn, id, DATE_KEYS[1])?.map(|k| k.value);
    let today = ctx.now.date_naive();
    let w = crate::engine::window::Window::new(start.as_deref(), end.as_deref(), today);
    if let Some((s, e)) = w.closed() {
        let f = |d: chrono::NaiveDateTime| time::to_normal(&d);
        ctx.warn(format!(
            "the enrollment window of experiment {id} is empty: enrollment_end {} is not after enrollment_start {}, so every user with a course lands in bucket 0",
            f(e),
            f(s)
        ));
    }
    Ok(())
}

fn kv_set(ctx: &Ctx, id: i64, key: &str, value: &str, m: &MutationArgs) -> Result<()> {
    validate_id(id)?;
    validate_key(key)?;
    let (stored, note) = normalise_value(key, value, ctx.now.date_naive())?;
    if let Some(n) = note {
        ctx.status(n);
    }
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = edx::get_key_value(tx, id, key)?;
        if before.as_ref().is_some_and(|b| b.value == stored) {
            return Ok(());
        }
        edx::set_key_value(tx, id, key, &stored)?;
        if DATE_KEYS.contains(&key) {
            warn_closed_window(ctx, tx, id)?;
        }
        let after = edx::get_key_value(tx, id, key)?;
        tx.record(
            "key-value",
            &kv_name(id, key),
            before.as_ref().map(KeyValue::audit),
            after.as_ref().map(KeyValue::audit),
        )?;
        Ok(())
    })
}

fn kv_unset(ctx: &Ctx, id: i64, key: &str, m: &MutationArgs) -> Result<()> {
    validate_id(id)?;
    validate_key(key)?;
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = edx::get_key_value(tx, id, key)?.ok_or_else(|| {
            Error::runtime(format!("experiment ID {id} has no key '{key}'")).with_hint(format!(
                "list its keys with: wafflectl experiment kv list {id}"
            ))
        })?;
        edx::delete_key_value(tx, before.id)?;
        tx.record("key-value", &kv_name(id, key), Some(before.audit()), None)?;
        Ok(())
    })
}

fn data_name(id: i64, user: &str, key: &str) -> String {
    format!("{id}:{user}:{key}")
}

fn data_list(ctx: &Ctx, id: Option<i64>, user: Option<&str>) -> Result<()> {
    if let Some(i) = id {
        validate_id(i)?;
    }
    if let Some(u) = user {
        validate_username(u)?;
    }
    let store = ctx.store()?;
    let user_id = match user {
        Some(u) => Some(users::require_user(store.conn(), u)?.id),
        None => None,
    };
    let rows = edx::data_rows(store.conn(), id, user_id)?;
    let header = ["ID", "USER", "KEY", "VALUE", "MODIFIED"];
    crate::commands::print_rows(ctx, &rows, "no experiment data", header, |d| {
        [
            d.experiment_id.to_string(),
            d.user.clone(),
            d.key.clone(),
            d.value.clone(),
            time::db_to_human(&d.modified),
        ]
    })
}

/// Checks a data row's experiment ID, username and key (exit 2), then opens the store and finds
/// the user (exit 1 when there is none).
fn open_data(ctx: &Ctx, id: i64, user: &str, key: &str) -> Result<(Store, User)> {
    validate_id(id)?;
    validate_username(user)?;
    validate_key(key)?;
    let store = ctx.store()?;
    let u = users::require_user(store.conn(), user)?;
    Ok((store, u))
}

fn data_set(
    ctx: &Ctx,
    id: i64,
    user: &str,
    key: &str,
    value: &str,
    m: &MutationArgs,
) -> Result<()> {
    let (mut store, u) = open_data(ctx, id, user, key)?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = edx::get_data(tx, id, u.id, key)?;
        if before.as_ref().is_some_and(|b| b.value == value) {
            return Ok(());
        }
        edx::set_data(tx, id, u.id, key, value)?;
        let after = edx::get_data(tx, id, u.id, key)?;
        tx.record(
            "experiment data",
            &data_name(id, user, key),
            before.as_ref().map(DataRow::audit),
            after.as_ref().map(DataRow::audit),
        )?;
        Ok(())
    })
}

fn data_unset(ctx: &Ctx, id: i64, user: &str, key: &str, m: &MutationArgs) -> Result<()> {
    let (mut store, u) = open_data(ctx, id, user, key)?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = edx::get_data(tx, id, u.id, key)?.ok_or_else(|| {
            Error::runtime(format!(
                "user '{user}' has no key '{key}' for experiment ID {id}"
            ))
            .with_hint(format!(
                "list the user's data with: wafflectl experiment data list --user {user}"
            ))
        })?;
        edx::delete_data(tx, before.id)?;
        tx.record(
            "experiment data",
            &data_name(id, user, key),
            Some(before.audit()),
            None,
        )?;
        Ok(())
    })
}
