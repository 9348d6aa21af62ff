//! One module per noun; each verb validates input, calls the store/engine and prints.

pub(crate) mod baseplate;
pub(crate) mod bucket;
pub(crate) mod compare;
pub mod completions;
pub(crate) mod conformance;
pub mod doctor;
pub(crate) mod env;
pub(crate) mod eval;
pub(crate) mod example;
pub(crate) mod experiment;
pub(crate) mod flag;
pub(crate) mod history;
pub(crate) mod init;
pub(crate) mod interop;
pub(crate) mod jobs;
pub(crate) mod overrides;
pub(crate) mod plan;
pub(crate) mod promote;
pub(crate) mod refs;
pub(crate) mod removal;
pub(crate) mod report;
pub(crate) mod revert;
pub(crate) mod sample;
pub(crate) mod schedule;
pub(crate) mod sql;
pub(crate) mod srm;
pub(crate) mod stale;
pub(crate) mod switch;
pub(crate) mod user;

use crate::cli::{Command, MutationArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::{Change, Store, Tx, WriteOptions};

/// Prints the rows of a list command: a JSON array with `--json`, else the status line `none`
/// when there are no rows, else a table with `header` and the `cells` of each row.
pub(crate) fn print_rows<T: serde::Serialize, const N: usize>(
    ctx: &Ctx,
    rows: &[T],
    none: &str,
    header: [&str; N],
    cells: impl Fn(&T) -> [String; N],
) -> Result<()> {
    if ctx.json() {
        return crate::output::json(rows);
    }
    if rows.is_empty() {
        ctx.status(none);
        return Ok(());
    }
    let mut t = crate::output::Table::new(header);
    for r in rows {
        t.row(cells(r));
    }
    t.print(ctx.format, ctx.color)
}

/// Prints one switch or sample: its row as JSON with `--json`, else its name, the `value` line,
/// note and times.
pub(crate) fn show_toggle<T: serde::Serialize>(
    ctx: &Ctx,
    row: &T,
    (name, note, created, modified): (&str, &str, &str, &str),
    value: (&str, String),
) -> Result<()> {
    if ctx.json() {
        return crate::output::json(row);
    }
    let mut f = crate::output::Fields::new();
    f.add("name", name)
        .add(value.0, value.1)
        .add("note", if note.is_empty() { "-" } else { note })
        .add("created", crate::time::db_to_human(created))
        .add("modified", crate::time::db_to_human(modified));
    f.print(ctx.format, ctx.color)
}

/// Records the creation (no `before`) or change of a switch or sample the caller has just saved.
pub(crate) fn record_toggle<T: serde::Serialize>(
    tx: &mut Tx<'_>,
    kind: &str,
    name: &str,
    before: Option<&T>,
    after: &T,
) -> Result<()> {
    use crate::store::toggles::audit_value;
    tx.record(
        kind,
        name,
        before.map(audit_value),
        Some(audit_value(after)),
    )?;
    Ok(())
}

/// How messages, audit reasons and plan files name a store given on the command line (`compare`,
/// `promote`, `plan`): as typed, a URL without its password.
pub(crate) fn store_label(spec: &str) -> String {
    match crate::types::DbUrl::parse(spec, None) {
        Ok(Some(url)) => url.without_password(),
        _ => spec.to_string(),
    }
}

/// Objects from which on a progress bar is worth drawing.
const PROGRESS_FROM: u64 = 2000;

/// A progress bar on stderr, drawn only on a terminal, without `--quiet`, for large jobs.
pub(crate) fn progress(ctx: &Ctx, len: u64, what: &str) -> indicatif::ProgressBar {
    if ctx.quiet || len < PROGRESS_FROM || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    pb.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

/// The store's options for a command's write: the actor, `--reason`, `--dry-run` and the clock.
/// A scheduled change being applied (`schedule run`) claims it in the same transaction and
/// records its own reason.
pub(crate) fn write_options(ctx: &Ctx, m: &MutationArgs) -> WriteOptions {
    let claim = ctx.scheduled.clone();
    WriteOptions {
        actor: ctx.actor.clone(),
        reason: match &claim {
            Some(c) => c.reason.clone(),
            None => m.reason.clone().unwrap_or_default(),
        },
        dry_run: m.dry_run,
        now: ctx.now,
        admin_log: ctx.admin_log,
        claim,
    }
}

/// Runs `f` in one store transaction (see [`Store::transaction`]) and, once committed, deletes
/// the site's stale cache keys; returns the value and the changes without reporting them.
/// With `--at`, plans the change and schedules it instead ([`schedule::defer`]).
pub(crate) fn write_quiet<T>(
    ctx: &Ctx,
    store: &mut Store,
    m: &MutationArgs,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
) -> Result<(T, Vec<Change>)> {
    ctx.check_protected_write(m.dry_run)?;
    if let Some(at) = &m.at {
        return schedule::defer(ctx, store, m, at, f).map(|v| (v, Vec::new()));
    }
    let done = store.transaction(&write_options(ctx, m), f)?;
    if let Some(committed) = &done.committed {
        after_commit(ctx, committed);
    }
    Ok((done.value, done.changes))
}

/// Runs `f` as [`write_quiet`] does, then reports what it did (see [`report`]); with `--at`,
/// plans and schedules it ([`schedule::defer`]).
pub(crate) fn write<T>(
    ctx: &Ctx,
    store: &mut Store,
    m: &MutationArgs,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
) -> Result<T> {
    ctx.check_protected_write(m.dry_run)?;
    if let Some(at) = &m.at {
        return schedule::defer(ctx, store, m, at, f);
    }
    let done = store.transaction(&write_options(ctx, m), f)?;
    // The report first, then what happened to the site's cache; a failed report (a closed pipe)
    // still leaves the cache deleted, as the change is committed.
    let reported = report(ctx, m.dry_run, &done.changes, &done.audit_ids);
    if let Some(committed) = &done.committed {
        after_commit(ctx, committed);
    }
    reported.map(|()| done.value)
}

/// Runs after a write committed (never after a dry run): says why no admin history was written
/// when that is so, then deletes the stale keys from `--cache`. A cache that cannot be reached
/// is a warning that lists the keys left stale; the command still succeeds.
fn after_commit(ctx: &Ctx, done: &crate::store::admin_log::ChangeRecord) {
    use crate::cache::Deleted;
    if let Some(note) = &done.admin_note {
        ctx.status(format!("note: {note}"));
    }
    let Some(cache) = &ctx.cache else { return };
    match crate::cache::after_commit(cache, done) {
        Deleted::Nothing => {}
        Deleted::Keys { keys, cached } => ctx.status(format!(
            "cache: deleted {keys} key{} at {} ({cached} {} cached)",
            if keys == 1 { "" } else { "s" },
            cache.server,
            if cached == 1 { "was" } else { "were" }
        )),
        Deleted::Failed { error, keys } => {
            ctx.warn(format!(
                "the change is committed, but the cache at {} could not be updated ({error}); \
                 until they expire, these {} keys may be stale:",
                cache.server,
                keys.len()
            ));
            for k in &keys {
                ctx.status(format!("  {k}"));
            }
        }
    }
}

/// Refuses an ID another experiment of either system holds (exit 1); warns when it only has
/// key-values or data.
pub(crate) fn check_id_free(
    ctx: &Ctx,
    conn: &crate::store::Reader,
    id: i64,
    for_name: &str,
) -> Result<()> {
    let u = crate::store::edx::id_use(conn, id)?;
    match u.claim(for_name) {
        crate::store::edx::Claim::Taken { by, system } => Err(Error::runtime(format!(
            "experiment ID {id} is taken by {system} '{by}'"
        ))
        .with_hint("pick a free one with: wafflectl experiment next-id")),
        crate::store::edx::Claim::Unclaimed {
            key_values,
            data_rows,
        } => {
            ctx.warn(unclaimed_warning(id, key_values, data_rows));
            Ok(())
        }
        crate::store::edx::Claim::Free => Ok(()),
    }
}

/// The warning for an ID that only unclaimed key-values or per-user rows use.
pub(crate) fn unclaimed_warning(id: i64, key_values: i64, data_rows: i64) -> String {
    format!(
        "experiment ID {id} is already used by {key_values} key-value(s) and {data_rows} per-user data row(s) that no definition claims; using it anyway"
    )
}

/// What a write command prints with `--json`: one record per change, the same shape for every
/// write command (documented in docs/guide.md, "Changes as JSON").
#[derive(serde::Serialize)]
pub(crate) struct ChangeRecord<'a> {
    pub(crate) object_kind: &'a str,
    pub(crate) object_name: &'a str,
    /// `create`, `update`, `delete`, or the command's own word (`override`, `enroll`...).
    pub(crate) action: &'a str,
    /// The fields the change set (every field of an object created or deleted).
    pub(crate) changed: Vec<String>,
    pub(crate) before: Option<&'a serde_json::Value>,
    pub(crate) after: Option<&'a serde_json::Value>,
    /// True when nothing was written (`--dry-run`).
    pub(crate) dry_run: bool,
    /// The change's row in the audit log (`wafflectl history`); null after a dry run.
    pub(crate) audit_id: Option<i64>,
}

/// The `--json` records of `changes` (with their audit row ids, unless a dry run wrote none).
pub(crate) fn change_records<'a>(
    changes: &'a [Change],
    audit_ids: &[i64],
    dry_run: bool,
) -> Vec<ChangeRecord<'a>> {
    changes
        .iter()
        .enumerate()
        .map(|(i, c)| ChangeRecord {
            object_kind: &c.kind,
            object_name: &c.name,
            action: &c.action,
            changed: c.changed_fields(),
            before: c.before.as_ref(),
            after: c.after.as_ref(),
            dry_run,
            audit_id: if dry_run {
                None
            } else {
                audit_ids.get(i).copied()
            },
        })
        .collect()
}

/// Prints what a write did: with `--json` the JSON array of [`ChangeRecord`]s on stdout (empty
/// when nothing changed); `unchanged` or a status line per change on stderr; without `--json`,
/// a dry run's planned changes as data on stdout.
pub(crate) fn report(
    ctx: &Ctx,
    dry_run: bool,
    changes: &[Change],
    audit_ids: &[i64],
) -> Result<()> {
    if ctx.json() {
        crate::output::json(&change_records(changes, audit_ids, dry_run))?;
        if dry_run {
            return Ok(());
        }
    } else if dry_run {
        if changes.is_empty() {
            ctx.status("unchanged (dry run: nothing written)");
            return Ok(());
        }
        let mut s = String::new();
        for c in changes {
            s.push_str(&c.line(true));
            s.push('\n');
        }
        crate::output::out(&s)?;
        ctx.status("dry run: nothing written");
        return Ok(());
    }
    if changes.is_empty() {
        ctx.status("unchanged");
        return Ok(());
    }
    status_changes(ctx, changes.iter().map(|c| c.line(false)));
    Ok(())
}

/// The status lines of a write's changes, for every write command and import alike: the first
/// 20, then how many more the audit log holds.
pub(crate) fn status_changes(ctx: &Ctx, lines: impl ExactSizeIterator<Item = String>) {
    const SHOWN: usize = 20;
    let total = lines.len();
    for line in lines.take(SHOWN) {
        ctx.status(line);
    }
    if total > SHOWN {
        ctx.status(format!(
            "... and {} more changes (see wafflectl history)",
            total - SHOWN
        ));
    }
}

pub(crate) fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    let file_command = matches!(
        command,
        Command::Export(_) | Command::Import(_) | Command::Diff(_)
    );
    if !file_command && ctx.file_format.is_some() {
        return Err(Error::usage(
            "--format native|django|baseplate applies to export, import and diff only",
        )
        .with_hint("use --format table, json, plain, csv or markdown"));
    }
    match command {
        Command::Init(a) => init::run(ctx, a),
        Command::Flag(c) => flag::run(ctx, c),
        Command::Switch(c) => switch::run(ctx, c),
        Command::Sample(c) => sample::run(ctx, c),
        Command::User(c) => user::run(ctx, c),
        Command::Group(c) => user::run_group(ctx, c),
        Command::Override(c) => overrides::run(ctx, c),
        Command::Experiment(c) => experiment::run(ctx, c),
        Command::Bucket(a) => bucket::run(ctx, a),
        Command::Variant(a) => baseplate::variant::run(ctx, a),
        Command::Sql(c) => sql::run(ctx, c),
        Command::Lint(a) => baseplate::lint::run(ctx, a),
        Command::Srm(a) => srm::run(ctx, a),
        Command::Eval(a) => eval::run(ctx, a),
        Command::History(a) => history::run(ctx, a),
        Command::Export(a) => interop::export(ctx, a),
        Command::Import(a) => interop::import(ctx, a),
        Command::Diff(a) => interop::diff(ctx, a),
        Command::Doctor(a) => doctor::run(ctx, a),
        Command::Stale(a) => stale::run(ctx, a),
        Command::Refs(a) => refs::run(ctx, a),
        Command::Report(a) => report::run(ctx, a),
        Command::Delete(a) => delete_kinds(ctx, a),
        Command::Completions(a) => completions::run(ctx, a),
        Command::ConformanceInputs(a) => conformance::run(ctx, a),
        Command::Plan(a) => plan::plan(ctx, a),
        Command::Apply(a) => plan::apply(ctx, a),
        Command::Revert(a) => revert::run(ctx, a),
        Command::Env(c) => env::run(ctx, c),
        Command::Schedule(c) => schedule::run(ctx, c),
        Command::Compare(a) => compare::run(ctx, a),
        Command::Promote(a) => promote::run(ctx, a),
    }
}

/// Fails with exit 2 unless every name is valid; used before any store access.
pub(crate) fn validate_names(kind: &str, names: &[String]) -> Result<()> {
    for n in names {
        crate::types::check_name(kind, n, crate::types::TOGGLE_NAME_MAX)?;
    }
    Ok(())
}

/// What `delete` needs to know about one kind of named object (flag, switch, sample).
pub(crate) struct Deletable<T> {
    pub(crate) kind: &'static str,
    pub(crate) plural: &'static str,
    pub(crate) load: fn(&crate::store::Reader, &str) -> Result<Option<T>>,
    pub(crate) remove: fn(&crate::store::Tx<'_>, &T) -> Result<()>,
    pub(crate) audit: fn(&T) -> serde_json::Value,
    /// What deleting this name breaks, if anything: (a few words for the question, a warning).
    pub(crate) breaks: fn(&crate::store::Reader, &str) -> Result<Option<Breaks>>,
}

impl<T: serde::Serialize> Deletable<T> {
    /// A kind whose audit record is its row and whose deletion breaks nothing (switch, sample).
    pub(crate) fn plain(
        kind: &'static str,
        plural: &'static str,
        load: fn(&crate::store::Reader, &str) -> Result<Option<T>>,
        remove: fn(&crate::store::Tx<'_>, &T) -> Result<()>,
    ) -> Self {
        Deletable {
            kind,
            plural,
            load,
            remove,
            audit: crate::store::toggles::audit_value,
            breaks: breaks_nothing,
        }
    }
}

/// What deleting a name breaks: (a few words for the confirmation question, a warning line).
pub(crate) type Breaks = (String, String);

/// For kinds whose deletion breaks nothing else.
pub(crate) fn breaks_nothing(_: &crate::store::Reader, _: &str) -> Result<Option<Breaks>> {
    Ok(None)
}

/// The shared `delete NAME...` verb: every name must exist (else exit 1, nothing deleted), then a
/// confirmation (skipped by --dry-run), then one transaction deleting and auditing each.
pub(crate) fn delete_named<T>(
    ctx: &Ctx,
    names: &[String],
    m: &crate::cli::MutationArgs,
    d: Deletable<T>,
) -> Result<()> {
    validate_names(d.kind, names)?;
    let mut store = ctx.store()?;
    let mut breaks = Vec::new();
    for n in names {
        (d.load)(store.conn(), n)?.ok_or_else(|| Error::not_found(d.kind, n))?;
        if let Some((short, warning)) = (d.breaks)(store.conn(), n)? {
            ctx.warn(warning);
            breaks.push(short);
        }
    }
    if !m.dry_run {
        let what = if names.len() == 1 { d.kind } else { d.plural };
        let also = if breaks.is_empty() {
            String::new()
        } else {
            format!(" ({})", breaks.join("; "))
        };
        ctx.confirm(&format!("Delete {what} {}{also}?", names.join(", ")))?;
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        for n in names {
            if !delete_one(tx, &d, n)? {
                return Err(Error::not_found(d.kind, n));
            }
        }
        Ok(())
    })
}

/// Deletes the object `name` of `d`'s kind and records it; false when there is none.
fn delete_one<T>(tx: &mut Tx<'_>, d: &Deletable<T>, name: &str) -> Result<bool> {
    let Some(obj) = (d.load)(tx, name)? else {
        return Ok(false);
    };
    (d.remove)(tx, &obj)?;
    tx.record(d.kind, name, Some((d.audit)(&obj)), None)?;
    Ok(true)
}

/// `wafflectl delete --flags A,B --switches C --samples D`: `manage.py waffle_delete` in one
/// transaction with one confirmation. Names that do not exist are skipped with a warning (as
/// `waffle_delete` counts them as 0), or with `--strict` fail before anything is deleted.
fn delete_kinds(ctx: &Ctx, a: crate::cli::DeleteArgs) -> Result<()> {
    use crate::store::toggles;
    let clean = |v: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in v.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
        out
    };
    let (flags, switches, samples) = (clean(&a.flags), clean(&a.switches), clean(&a.samples));
    if flags.is_empty() && switches.is_empty() && samples.is_empty() {
        return Err(Error::usage("nothing to delete").with_hint(
            "name what to delete: wafflectl delete --flags A,B --switches C --samples D",
        ));
    }
    validate_names("flag", &flags)?;
    validate_names("switch", &switches)?;
    validate_names("sample", &samples)?;
    let mut store = ctx.store()?;
    let conn = store.conn();
    let mut found: Vec<(&str, String)> = Vec::new();
    let mut missing: Vec<(&str, String)> = Vec::new();
    let named = |kind: &'static str, names: &[String]| -> Vec<(&'static str, String)> {
        names.iter().map(|n| (kind, n.clone())).collect()
    };
    let mut all = named("flag", &flags);
    all.extend(named("switch", &switches));
    all.extend(named("sample", &samples));
    for (kind, n) in all {
        let exists = match kind {
            "flag" => toggles::get_flag(conn, &n)?.is_some(),
            "switch" => toggles::get_switch(conn, &n)?.is_some(),
            _ => toggles::get_sample(conn, &n)?.is_some(),
        };
        if exists { &mut found } else { &mut missing }.push((kind, n));
    }
    if let Some((kind, n)) = missing.first().filter(|_| a.strict) {
        return Err(Error::not_found(kind, n).with_hint("nothing was deleted"));
    }
    for (kind, n) in &missing {
        ctx.warn(format!("no {kind} '{}'; skipped", crate::error::cut(n)));
    }
    if found.is_empty() {
        ctx.status("nothing to delete");
        return Ok(());
    }
    if !a.m.dry_run {
        let list: Vec<String> = found.iter().map(|(k, n)| format!("{k} {n}")).collect();
        ctx.confirm(&format!("Delete {}?", list.join(", ")))?;
    }
    crate::commands::write(ctx, &mut store, &a.m, |tx| {
        for (kind, n) in &found {
            match *kind {
                "flag" => delete_one(tx, &flag::deletable(), n)?,
                "switch" => delete_one(tx, &switch::deletable(), n)?,
                _ => delete_one(tx, &sample::deletable(), n)?,
            };
        }
        Ok(())
    })
}
