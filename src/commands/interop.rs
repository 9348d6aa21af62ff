//! `wafflectl export`, `import` and `diff`.

use std::path::Path;

use crate::cli::{DiffArgs, ExportArgs, ImportArgs, MutationArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::interop::model::{self, Plan, PlanOptions, State};
use crate::interop::{self, django, native};
use crate::output::{self, Format};
use crate::store::Store;
use crate::types::FileFormat;

/// The format `--format` asks for; `None` = detect from the file (the default, and `--json`).
fn asked_format(ctx: &Ctx, verb: &str) -> Result<Option<FileFormat>> {
    match (ctx.file_format, ctx.format) {
        (Some(f), _) => Ok(Some(f)),
        (None, f @ (Format::Plain | Format::Csv | Format::Markdown)) => {
            Err(Error::usage(format!("{verb} has no {} format", f.as_str()))
                .with_hint("use --format native (the default), django or baseplate"))
        }
        (None, Format::Table | Format::Json) => Ok(None),
    }
}

/// Reads the whole store in one read transaction, so the snapshot is consistent.
fn snapshot(store: &Store) -> Result<State> {
    State::load(&*store.snapshot()?)
}

/// A Django fixture holds Django models only: say what of the store it leaves out.
fn warn_left_out_of_fixture(ctx: &Ctx, state: &interop::model::State) {
    let count = |n: usize, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    let len = |v: Option<usize>| v.unwrap_or(0);
    let left: Vec<String> = [
        count(
            len(state.experiments.as_ref().map(Vec::len)),
            "experiment definition",
            "experiment definitions",
        ),
        count(
            len(state.enrollments.as_ref().map(Vec::len)),
            "enrollment",
            "enrollments",
        ),
        count(
            len(state.baseplate.as_ref().map(Vec::len)),
            "baseplate experiment",
            "baseplate experiments",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !left.is_empty() {
        ctx.warn(format!(
            "the Django fixture leaves out {}: experiment definitions, enrollments and baseplate experiments are not Django models; export everything with: wafflectl export --format native",
            left.join(", ")
        ));
    }
}

pub(crate) fn export(ctx: &Ctx, a: ExportArgs) -> Result<()> {
    let format = asked_format(ctx, "export")?.unwrap_or(FileFormat::Native);
    let store = ctx.store()?;
    let state = snapshot(&store)?;
    let pb = super::progress(ctx, state.len() as u64, "exporting");
    let mut written = 0u64;
    let bytes = match format {
        FileFormat::Native => {
            let doc = native::from_state(&state, |n| {
                written += n;
                pb.inc(n)
            });
            native::to_text(&doc)?.into_bytes()
        }
        FileFormat::Django => django::export(&state, usize::from(a.indent), || {
            written += 1;
            pb.inc(1)
        })?,
        FileFormat::Baseplate => {
            let rows = state.baseplate.as_deref().unwrap_or_default();
            written = rows.len() as u64;
            interop::baseplate::to_text(rows)?.into_bytes()
        }
    };
    pb.finish_and_clear();
    if format == FileFormat::Django {
        warn_left_out_of_fixture(ctx, &state);
    }
    let mode = match (&a.mode, format) {
        (Some(m), _) => Some(parse_mode(m)?),
        (None, FileFormat::Baseplate) => Some(0o644),
        (None, _) => None,
    };
    let guard = interop::Overwrite {
        store: store.path(),
        force: a.force,
    };
    interop::write_output(a.output.as_deref(), &bytes, mode, guard)?;
    if let Some(p) = a.output.as_deref().filter(|p| p.as_os_str() != "-") {
        ctx.status(format!(
            "exported {written} objects to {} ({})",
            p.display(),
            match format {
                FileFormat::Native => "native",
                FileFormat::Django => "Django fixture",
                FileFormat::Baseplate => "baseplate experiments.json",
            }
        ));
    }
    Ok(())
}

/// Reads and validates a file into a [`State`] (format from `--format`, else from the content),
/// printing the format's warnings.
pub(crate) fn read(ctx: &Ctx, file: &Path, verb: &str) -> Result<(State, String)> {
    read_as(ctx, file, asked_format(ctx, verb)?)
}

/// [`read`] in the format `asked` (`None`: from the content), for a command whose `--format` is
/// its output's, not the file's (`compare`).
pub(crate) fn read_as(
    ctx: &Ctx,
    file: &Path,
    asked: Option<FileFormat>,
) -> Result<(State, String)> {
    let loaded = interop::load(file, asked, ctx.now.date_naive())?;
    for w in &loaded.warnings {
        ctx.warn(w);
    }
    // a baseplate file's experiments sharing an ID: lint reports them, a plan refuses them
    loaded.state.check_duplicates(&loaded.src)?;
    Ok((loaded.state, loaded.src))
}

/// Warns, as `experiment create --id` does, about IDs the file gives experiments that only
/// key-values or per-user rows use.
pub(crate) fn warn_unclaimed(ctx: &Ctx, plan: &Plan) {
    for u in &plan.unclaimed {
        ctx.warn(super::unclaimed_warning(u.id, u.key_values, u.data_rows));
    }
}

/// Prints a plan: item lines on stdout (JSON with `--json`), the summary on stderr.
pub(crate) fn print_plan(ctx: &Ctx, plan: &Plan, note: &str) -> Result<()> {
    warn_unclaimed(ctx, plan);
    if ctx.json() {
        return output::json(&plan.to_json());
    }
    print_kept(ctx, plan);
    if plan.items.is_empty() {
        ctx.status(format!("no changes ({} unchanged){note}", plan.unchanged));
        return Ok(());
    }
    let mut s = String::new();
    for i in &plan.items {
        s.push_str(&i.line());
        s.push('\n');
    }
    output::out(&s)?;
    ctx.status(format!("{}{note}", plan.summary(false)));
    Ok(())
}

/// `--mode 0600` (octal) for the exported file.
fn parse_mode(s: &str) -> Result<u32> {
    u32::from_str_radix(s.trim_start_matches("0o"), 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .ok_or_else(|| {
            Error::usage(format!("--mode '{s}' is not an octal file mode"))
                .with_hint("e.g. --mode 0644 or --mode 0400")
        })
}

fn now_db(ctx: &Ctx) -> String {
    crate::time::to_db(&ctx.now)
}

pub(crate) fn diff(ctx: &Ctx, a: DiffArgs) -> Result<()> {
    let (want, src) = read(ctx, &a.file, "diff")?;
    let store = ctx.store()?;
    let cur = snapshot(&store)?;
    let plan = model::plan(&cur, &want, a.prune, &now_db(ctx), &src)?;
    print_plan(ctx, &plan, "")?;
    if a.exit_code && !plan.items.is_empty() {
        // As `git diff --exit-code`: the differences are printed, the status says there are some.
        return Err(Error::runtime(format!(
            "{src} and the store differ: {} (--exit-code)",
            plan.summary(false)
        )));
    }
    Ok(())
}

/// Asks before a plan deletes objects, as the delete commands ask: `Delete 2 objects WHY (flag,
/// user)?` (nothing to ask when it deletes none).
pub(crate) fn confirm_removals(ctx: &Ctx, plan: &Plan, why: &str) -> Result<()> {
    let n = plan.removed();
    if n == 0 {
        return Ok(());
    }
    let mut kinds: Vec<&str> = plan.removals().map(|i| i.kind).collect();
    kinds.dedup();
    ctx.confirm(&format!(
        "Delete {n} object{} {why} ({})?",
        if n == 1 { "" } else { "s" },
        kinds.join(", ")
    ))
}

pub(crate) fn import(ctx: &Ctx, a: ImportArgs) -> Result<()> {
    let (want, src) = read(ctx, &a.file, "import")?;
    let opts = PlanOptions {
        prune: a.prune,
        create_only: a.create_only,
    };
    let mut store = ctx.store()?;
    if a.m.dry_run {
        let cur = snapshot(&store)?;
        let plan = model::plan_with(&cur, &want, &opts, &now_db(ctx), &src)?;
        return print_plan(ctx, &plan, " (dry run: nothing written)");
    }
    if a.prune {
        let cur = snapshot(&store)?;
        let plan = model::plan(&cur, &want, true, &now_db(ctx), &src)?;
        confirm_removals(ctx, &plan, &format!("that {src} does not have"))?;
    }
    let reason = match &a.m.reason {
        Some(r) => format!("import {src}: {r}"),
        None => format!("import {src}"),
    };
    let m = MutationArgs {
        dry_run: false,
        reason: Some(reason),
        at: None,
    };
    store.prepare_large_write()?;
    let (plan, _) = super::write_quiet(ctx, &mut store, &m, |tx| {
        let cur = State::load(tx)?;
        let plan = model::plan_with(&cur, &want, &opts, &tx.now_db, &src)?;
        let pb = super::progress(ctx, plan.items.len() as u64, "importing");
        model::apply(tx, &plan, || pb.inc(1))?;
        pb.finish_and_clear();
        Ok(plan)
    })?;
    report_import(ctx, &plan, &format!("imported {src}"), &src)
}

/// What an import (or a promotion) wrote: `--json`, or the changes and the summary on stderr
/// (`unchanged` when it wrote nothing), with what `--create-only` kept.
pub(crate) fn report_import(ctx: &Ctx, plan: &Plan, done: &str, src: &str) -> Result<()> {
    warn_unclaimed(ctx, plan);
    if ctx.json() {
        return output::json(&plan.to_json());
    }
    print_kept(ctx, plan);
    if plan.items.is_empty() {
        ctx.status(format!(
            "unchanged ({} objects already as in {src})",
            plan.unchanged
        ));
        return Ok(());
    }
    super::status_changes(ctx, plan.items.iter().map(|i| i.change().line(false)));
    ctx.status(format!("{done}: {}", plan.summary(true)));
    Ok(())
}

/// `kept flag x (exists and differs; --create-only)`, one line per object.
fn print_kept(ctx: &Ctx, plan: &Plan) {
    let lines = plan.kept.iter().flatten().map(|k| {
        format!(
            "kept {} {} (exists and differs; --create-only)",
            k.kind, k.name
        )
    });
    super::status_changes(ctx, lines.collect::<Vec<_>>().into_iter());
}
