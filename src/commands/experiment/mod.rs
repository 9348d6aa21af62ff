//! `wafflectl experiment ...`: Open edX experiment definitions (`wafflectl_experiment`), their
//! bucket whitelists (the `NAME.N` sub-flags), key-values, per-user data and experiment IDs.

mod ids;
mod values;
pub(crate) mod whitelist;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::{ExperimentCmd, MutationArgs};
use crate::commands::check_id_free;
use crate::commands::overrides::OverrideOut;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{self, Fields, Table, list_or_dash, yes_no};
use crate::store::edx::{self, ExperimentRow};
use crate::store::toggles::{self, Flag};
use crate::time;
use crate::types::{BucketCount, ExperimentId, ExperimentName, either};

pub(crate) use whitelist::{BucketInfo, bucket_report};

pub(crate) fn run(ctx: &Ctx, cmd: ExperimentCmd) -> Result<()> {
    match cmd {
        ExperimentCmd::List => list(ctx),
        ExperimentCmd::Show { name } => match baseplate_row(ctx, &name)? {
            Some(e) => crate::commands::baseplate::show(ctx, &e),
            None => show(ctx, &name),
        },
        ExperimentCmd::Create {
            name,
            buckets,
            id,
            course_aware,
            no_course_aware,
            note,
            baseplate,
            m,
        } => {
            if baseplate.kind.is_some() {
                edx_only(
                    buckets.is_some(),
                    course_aware || no_course_aware,
                    note.is_some(),
                )?;
                return crate::commands::baseplate::create(ctx, &name, id, &baseplate, &m);
            }
            if baseplate.any() {
                return Err(Error::usage(
                    "baseplate options need --type (single_variant, multi_variant, feature_rollout, range_variant, r2 or feature_flag)",
                ));
            }
            create(
                ctx,
                &name,
                buckets.map_or(2, BucketCount::as_i64),
                id,
                either(course_aware, no_course_aware),
                note,
                &m,
            )
        }
        ExperimentCmd::Set {
            name,
            buckets,
            id,
            no_id,
            course_aware,
            no_course_aware,
            note,
            baseplate,
            m,
        } => {
            if let Some(e) = baseplate_row(ctx, &name)? {
                edx_only(
                    buckets.is_some() || no_id,
                    course_aware || no_course_aware,
                    note.is_some(),
                )?;
                return crate::commands::baseplate::set(ctx, e, id, &baseplate, &m);
            }
            if baseplate.any() {
                validate_experiment_name(&name)?;
                require_experiment(ctx.store()?.conn(), &name)?;
                return Err(Error::usage(format!(
                    "'{name}' is an edX experiment; baseplate options do not apply to it"
                )));
            }
            let id = match (id, no_id) {
                (Some(i), _) => Some(Some(i)),
                (None, true) => Some(None),
                (None, false) => None,
            };
            let change = DefinitionChange {
                buckets: buckets.map(BucketCount::as_i64),
                id,
                course_aware: either(course_aware, no_course_aware),
                note,
            };
            set(ctx, &name, change, &m)
        }
        ExperimentCmd::Delete {
            name,
            with_flags,
            m,
        } => {
            if baseplate_row(ctx, &name)?.is_some() {
                return crate::commands::baseplate::delete(ctx, &name, &m);
            }
            delete(ctx, &name, with_flags, &m)
        }
        ExperimentCmd::Whitelist(c) => whitelist::run(ctx, c),
        ExperimentCmd::Ids => ids::ids(ctx),
        ExperimentCmd::NextId => ids::next_id(ctx),
        ExperimentCmd::Kv(c) => values::run_kv(ctx, c),
        ExperimentCmd::Data(c) => values::run_data(ctx, c),
    }
}

/// The baseplate experiment stored under `name`, if any (one namespace with edX experiments).
fn baseplate_row(
    ctx: &Ctx,
    name: &str,
) -> Result<Option<crate::store::baseplate::BaseplateExperiment>> {
    if name.is_empty() {
        return Ok(None);
    }
    let store = ctx.store()?;
    crate::store::baseplate::get(store.conn(), name)
}

/// Refuses edX-only options on a baseplate experiment.
fn edx_only(buckets: bool, course_aware: bool, note: bool) -> Result<()> {
    for (given, opt) in [
        (buckets, "--buckets/--no-id (use --num-buckets)"),
        (course_aware, "--[no-]course-aware"),
        (note, "--note"),
    ] {
        if given {
            return Err(Error::usage(format!(
                "{opt} applies to edX experiments, not baseplate ones"
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Validation (exit 2, before the store is touched)
// ---------------------------------------------------------------------------------------------

/// A flag name that edX's `ExperimentWaffleFlag` accepts: namespaced (`app.name`).
pub(crate) fn validate_experiment_name(name: &str) -> Result<()> {
    name.parse::<ExperimentName>().map(drop)
}

pub(crate) fn validate_buckets(n: i64) -> Result<()> {
    BucketCount::new(n).map(drop)
}

pub(crate) fn validate_id(id: i64) -> Result<()> {
    ExperimentId::new(id).map(drop)
}

/// The definition of `name`, or exit 1 with a hint to create it.
pub(crate) fn require_experiment(conn: &crate::store::Reader, name: &str) -> Result<ExperimentRow> {
    edx::get_experiment(conn, name)?.ok_or_else(|| {
        Error::runtime(format!("experiment '{name}' not found")).with_hint(format!(
            "define it with: wafflectl experiment create {name} (list them with: wafflectl experiment list)"
        ))
        .missing(crate::error::NameKind::Experiment, name)
    })
}

// ---------------------------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------------------------

/// `on` / `off` / `unset` of a main flag, `missing` when there is no row.
fn main_flag_word(f: Option<&Flag>) -> &'static str {
    match f {
        None => "missing",
        Some(f) => output::tri(f.everyone),
    }
}

/// One line on the main flag's state.
fn main_flag_text(f: Option<&Flag>) -> String {
    let Some(f) = f else {
        return "missing: the experiment is off everywhere (except where an override turns it on)"
            .into();
    };
    match f.everyone {
        Some(true) => "on for everyone".into(),
        Some(false) => {
            "off for everyone: the experiment is off (except where an override turns it on)".into()
        }
        None => {
            let mut who = Vec::new();
            let crit = crate::commands::flag::criteria(f);
            if crit != "-" {
                who.push(crit);
            }
            if !f.users.is_empty() {
                who.push(format!("users {}", f.users.join(", ")));
            }
            if !f.groups.is_empty() {
                who.push(format!("groups {}", f.groups.join(", ")));
            }
            if let Some(p) = f.percent.filter(|p| p.0 > 0) {
                who.push(format!("{p}% at random"));
            }
            if who.is_empty() {
                "unset, nobody matches: the experiment is off".into()
            } else {
                format!("unset; on for: {}", who.join("; "))
            }
        }
    }
}

/// An item of `experiment list --json`: the definition and the main flag's state.
#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    e: &'a ExperimentRow,
    main_flag: &'static str,
}

/// `experiment show --json`.
#[derive(Serialize)]
struct ShowOut<'a> {
    #[serde(flatten)]
    e: &'a ExperimentRow,
    main_flag: Option<&'a Flag>,
    overrides: &'a [OverrideOut],
    buckets: &'a [BucketInfo],
    /// null when the experiment has no ID.
    key_values: Option<BTreeMap<String, String>>,
    warnings: &'a [String],
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let read = store.snapshot()?;
    let all = edx::list_experiments(&read)?;
    let mut mains = Vec::with_capacity(all.len());
    for e in &all {
        mains.push(toggles::get_flag(&read, &e.name)?);
    }
    let bp_rows = crate::store::baseplate::list(&read)?;
    drop(read);
    let now = crate::commands::baseplate::now_secs(ctx, None);
    let bp = crate::commands::baseplate::list_items(&bp_rows, now);
    if ctx.json() {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Item<'a> {
            Edx(ListItem<'a>),
            Baseplate(&'a crate::commands::baseplate::ListItem<'a>),
        }
        let items: Vec<Item<'_>> = all
            .iter()
            .zip(&mains)
            .map(|(e, f)| {
                Item::Edx(ListItem {
                    e,
                    main_flag: main_flag_word(f.as_ref()),
                })
            })
            .chain(bp.iter().map(Item::Baseplate))
            .collect();
        return output::json(&items);
    }
    if all.is_empty() && bp.is_empty() {
        ctx.status("no experiments");
        return Ok(());
    }
    let mut t = Table::new([
        "NAME",
        "KIND",
        "BUCKETS",
        "ID",
        "COURSE AWARE",
        "MAIN FLAG",
        "NOTE",
    ]);
    for (e, f) in all.iter().zip(&mains) {
        t.row([
            e.name.clone(),
            e.kind.clone(),
            e.num_buckets.to_string(),
            e.experiment_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into()),
            yes_no(e.course_aware).to_string(),
            main_flag_word(f.as_ref()).to_string(),
            if e.note.is_empty() {
                "-".into()
            } else {
                e.note.clone()
            },
        ]);
    }
    for (b, row) in bp.iter().zip(&bp_rows) {
        let buckets = match row.config.pointer("/experiment/num_buckets") {
            Some(n) => n.to_string(),
            None => "1000".into(),
        };
        t.row([
            b.name.to_string(),
            format!("baseplate {}", b.type_.unwrap_or("-")),
            buckets,
            b.experiment_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into()),
            "-".into(),
            "-".into(),
            b.status.to_string(),
        ]);
    }
    t.print(ctx.format, ctx.color)
}

fn show(ctx: &Ctx, name: &str) -> Result<()> {
    validate_experiment_name(name)?;
    let store = ctx.store()?;
    let conn = store.conn();
    let e = require_experiment(conn, name)?;
    let main = toggles::get_flag(conn, name)?;
    let overrides = crate::commands::overrides::current_overrides(conn, Some(name))?;
    let (buckets, warnings) = bucket_report(conn, &e)?;
    let kvs = match e.experiment_id {
        Some(id) => Some(edx::key_value_rows(conn, id)?),
        None => None,
    };
    if ctx.json() {
        let key_values = kvs.as_ref().map(|rows| {
            rows.iter()
                .map(|kv| (kv.key.clone(), kv.value.clone()))
                .collect::<BTreeMap<_, _>>()
        });
        return output::json(&ShowOut {
            e: &e,
            main_flag: main.as_ref(),
            overrides: &overrides,
            buckets: &buckets,
            key_values,
            warnings: &warnings,
        });
    }
    let mut f = Fields::new();
    f.add("name", &e.name)
        .add("kind", &e.kind)
        .add(
            "buckets",
            format!("{} (bucket 0 is control)", e.num_buckets),
        )
        .add(
            "experiment id",
            e.experiment_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "- (no enrollment window, no key-values)".into()),
        )
        .add(
            "course aware",
            if e.course_aware {
                "yes (the course is part of the hash)"
            } else {
                "no (a user gets the same bucket in every course)"
            },
        )
        .add("note", if e.note.is_empty() { "-" } else { &e.note })
        .add("created", time::db_to_human(&e.created))
        .add("modified", time::db_to_human(&e.modified))
        .add("main flag", main_flag_text(main.as_ref()));
    let ov = if overrides.is_empty() {
        "-".to_string()
    } else {
        overrides
            .iter()
            .map(|o| {
                let key = match o.scope {
                    edx::Scope::Course => o.course_id.clone().unwrap_or_default(),
                    edx::Scope::Org => o.org.clone().unwrap_or_default(),
                };
                let note = if o.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", o.note)
                };
                format!("{} {key}: {}{note}", o.scope.as_str(), o.choice)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    f.add("overrides", ov);
    // Only buckets that force someone (`whitelist list` shows every bucket).
    let forcing: Vec<&BucketInfo> = buckets
        .iter()
        .filter(|b| b.beyond_buckets || b.forced_text() != "-")
        .collect();
    if forcing.is_empty() {
        f.add("whitelists", "none: every bucket comes from the hash");
    }
    for b in forcing {
        let label = if b.beyond_buckets {
            format!("{} (beyond)", b.flag)
        } else {
            format!("bucket {}", b.bucket)
        };
        f.add(label, b.forced_text());
    }
    let kv_text = match &kvs {
        None => "- (no experiment id)".to_string(),
        Some(rows) if rows.is_empty() => "-".to_string(),
        Some(rows) => rows
            .iter()
            .map(|kv| format!("{} = {}", kv.key, kv.value))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    f.add("key-values", kv_text);
    f.print(ctx.format, ctx.color)?;
    for w in &warnings {
        ctx.warn(w);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn create(
    ctx: &Ctx,
    name: &str,
    buckets: i64,
    id: Option<i64>,
    course_aware: Option<bool>,
    note: Option<String>,
    m: &MutationArgs,
) -> Result<()> {
    validate_experiment_name(name)?;
    validate_buckets(buckets)?;
    crate::interop::check::bucket_flags_fit(name, buckets)?;
    if let Some(i) = id {
        validate_id(i)?;
    }
    let mut store = ctx.store()?;
    if edx::get_experiment(store.conn(), name)?.is_some() {
        return Err(
            Error::runtime(format!("experiment '{name}' already exists")).with_hint(format!(
                "change it with: wafflectl experiment set {name} ..."
            )),
        );
    }
    if let Some(i) = id {
        check_id_free(ctx, store.conn(), i, name)?;
    }
    if let Some(f) = toggles::get_flag(store.conn(), name)? {
        ctx.status(format!(
            "main flag {name} exists already and is left as it is ({})",
            main_flag_text(Some(&f))
        ));
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        let mut e = ExperimentRow::new(name, &tx.now_db);
        e.num_buckets = buckets;
        e.experiment_id = id;
        e.course_aware = course_aware.unwrap_or(true);
        e.note = note.unwrap_or_default();
        edx::save_experiment(tx, &e)?;
        tx.record("experiment", name, None, Some(e.audit()))?;
        if toggles::get_flag(tx, name)?.is_none() {
            // A new experiment starts disabled, as the edX docs advise.
            let mut f = Flag::new(name, &tx.now_db);
            f.everyone = Some(false);
            toggles::save_flag(tx, &f)?;
            tx.record("flag", name, None, Some(f.audit()))?;
        }
        Ok(())
    })
}

struct DefinitionChange {
    buckets: Option<i64>,
    /// `Some(None)` removes the ID.
    id: Option<Option<i64>>,
    course_aware: Option<bool>,
    note: Option<String>,
}

fn set(ctx: &Ctx, name: &str, c: DefinitionChange, m: &MutationArgs) -> Result<()> {
    validate_experiment_name(name)?;
    if let Some(n) = c.buckets {
        validate_buckets(n)?;
        crate::interop::check::bucket_flags_fit(name, n)?;
    }
    if let Some(Some(i)) = c.id {
        validate_id(i)?;
    }
    let mut store = ctx.store()?;
    let before = require_experiment(store.conn(), name)?;
    if let Some(Some(i)) = c.id
        && before.experiment_id != Some(i)
    {
        check_id_free(ctx, store.conn(), i, name)?;
    }
    let mut after = before.clone();
    if let Some(n) = c.buckets {
        after.num_buckets = n;
    }
    if let Some(i) = c.id {
        after.experiment_id = i;
    }
    if let Some(a) = c.course_aware {
        after.course_aware = a;
    }
    if let Some(n) = &c.note {
        after.note = n.clone();
    }
    if after.num_buckets < before.num_buckets {
        for (k, flag) in edx::bucket_flags(store.conn(), name)? {
            if k >= after.num_buckets && k < before.num_buckets {
                ctx.warn(format!(
                    "flag {flag} is now beyond the experiment's {} buckets; edX will not consult it (delete it with: wafflectl flag delete {flag})",
                    after.num_buckets
                ));
            }
        }
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        let current = require_experiment(tx, name)?;
        if current.audit() == after.audit() {
            return Ok(());
        }
        let mut e = after.clone();
        e.modified = tx.now_db.clone();
        edx::save_experiment(tx, &e)?;
        tx.record("experiment", name, Some(current.audit()), Some(e.audit()))?;
        Ok(())
    })
}

fn delete(ctx: &Ctx, name: &str, with_flags: bool, m: &MutationArgs) -> Result<()> {
    validate_experiment_name(name)?;
    let mut store = ctx.store()?;
    require_experiment(store.conn(), name)?;
    let mut flags: Vec<String> = Vec::new();
    if with_flags {
        if toggles::get_flag(store.conn(), name)?.is_some() {
            flags.push(name.to_string());
        }
        flags.extend(
            edx::bucket_flags(store.conn(), name)?
                .into_iter()
                .map(|(_, f)| f),
        );
    }
    if !m.dry_run {
        let question = if flags.is_empty() {
            format!("Delete experiment {name}?")
        } else {
            format!(
                "Delete experiment {name} and its flags {}?",
                list_or_dash(&flags)
            )
        };
        ctx.confirm(&question)?;
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        let e = require_experiment(tx, name)?;
        edx::delete_experiment(tx, e.row_id)?;
        tx.record("experiment", name, Some(e.audit()), None)?;
        for f in &flags {
            if let Some(flag) = toggles::get_flag(tx, f)? {
                toggles::delete_flag(tx, flag.id)?;
                tx.record("flag", f, Some(flag.audit()), None)?;
            }
        }
        Ok(())
    })
}
