//! `wafflectl plan` (a saved plan) and `apply` (carrying it out, unless the target drifted).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::cli::{ApplyArgs, MutationArgs, PlanArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::interop::model::{self, Plan, State};
use crate::interop::plan_file::{self, Changes, Options, PlanFile, Source, Target};
use crate::interop::{self, native};
use crate::output;

/// The source's whole state: a file (native, Django fixture, baseplate; `-` for stdin) read as
/// import reads it, else a store (`Ctx::with_store`: a SQLite path, a URL or an environment).
fn read_source(ctx: &Ctx, spec: &str) -> Result<(State, Source)> {
    let path = Path::new(spec);
    if spec == "-" || (path.is_file() && !interop::is_sqlite_file(path)) {
        let (state, src) = super::interop::read(ctx, path, "plan")?;
        let source = Source {
            kind: "file".into(),
            name: src,
            store_id: None,
        };
        return Ok((state, source));
    }
    let store = ctx.with_store(spec)?.store().map_err(|mut e| {
        if e.hint.as_deref() == Some(crate::store::HINT_NO_STORE) {
            e.hint = Some(
                "the source is a file (native, Django fixture, baseplate), a store (its SQLite path, or a mysql:// or postgres:// URL) or - for stdin".into(),
            );
        }
        e
    })?;
    let state = State::load(&*store.snapshot()?)?;
    let source = Source {
        kind: "store".into(),
        name: super::store_label(spec),
        store_id: store.identity()?,
    };
    Ok((state, source))
}

/// The target's identity: a plan is made for one store.
fn identity(store: &crate::store::Store) -> Result<String> {
    store.identity()?.ok_or_else(|| {
        Error::runtime("the store has no identity (wafflectl has not initialised it), so a plan cannot name it")
            .with_hint("add wafflectl's tables (never Django's) with: wafflectl init")
    })
}

pub(crate) fn plan(ctx: &Ctx, a: PlanArgs) -> Result<()> {
    let (source_state, source) = read_source(ctx, &a.source)?;
    let selected = if a.names.is_empty() {
        source_state
    } else {
        model::select(&source_state, &a.names)?
    };
    // The content is saved as a native document and read back: the plan is made from exactly
    // what `apply` will plan from again.
    let content = serde_json::to_value(native::from_state_sections(&selected))?;
    let today = ctx.now.date_naive();
    let want = native::parse(&serde_json::to_string(&content)?, &source.name, today)?.0;
    let store = ctx.store()?;
    let target = Target {
        store_id: identity(&store)?,
        name: super::store_label(&ctx.db.to_string_lossy()),
    };
    let cur = State::load(&*store.snapshot()?)?;
    let plan = model::plan(
        &cur,
        &want,
        a.prune,
        &crate::time::to_db(&ctx.now),
        &source.name,
    )?;
    let file = PlanFile {
        format: plan_file::FORMAT.into(),
        version: plan_file::VERSION,
        made_at: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        made_by: ctx.actor.clone(),
        source,
        target,
        options: Options {
            prune: a.prune,
            select: a.names.clone(),
        },
        summary: plan.summary(false),
        changes: Changes::of(&plan)?,
        fingerprints: model::fingerprints(&cur, &want, a.prune),
        content,
    };
    let guard = interop::Overwrite {
        store: store.path(),
        force: false,
    };
    interop::write_output(Some(&a.output), file.to_text()?.as_bytes(), None, guard)?;
    let to_stdout = a.output.as_os_str() == "-";
    if to_stdout {
        super::interop::warn_unclaimed(ctx, &plan);
        ctx.status(format!("plan: {}", plan.summary(false)));
        return Ok(());
    }
    super::interop::print_plan(
        ctx,
        &plan,
        &format!(
            " (plan written to {}; apply it with: wafflectl apply {})",
            a.output.display(),
            crate::output::shell_word(&a.output.to_string_lossy())
        ),
    )
}

/// The refusal naming each object that changed since the plan was made (exit 1).
fn drift_error(src: &str, lines: &[String], note: &str) -> Error {
    let n = lines.len();
    Error::runtime(format!(
        "{src}: {n} object{} changed since the plan was made, nothing applied: {}{note}",
        if n == 1 { "" } else { "s" },
        lines.join("; ")
    ))
    .with_hint("review the changes and make a new plan")
}

/// Checks the plan against the target's state `cur` and makes it again from its content:
/// refuses (exit 1) when an object it read changed since (naming each), and (exit 2) when its
/// changes do not follow from its content (an edited file). Returns the plan to write.
fn check(file: &PlanFile, src: &str, cur: &State, want: &State, now: &str) -> Result<Plan> {
    let drifted = model::drift(&file.fingerprints, cur);
    let again = model::plan(cur, want, file.options.prune, now, src);
    if !drifted.is_empty() {
        // Once applied, the objects a plan writes are changed: it applies once.
        let once = match &again {
            Ok(p) if p.items.is_empty() => {
                " (the store already holds what the plan writes: was it applied? a plan applies once)"
            }
            _ => "",
        };
        // How each object was when the plan was made: the plan's `before`, else (an object
        // the plan left as the source has it) the source's version as planned now.
        let planned: HashMap<(&str, &str), serde_json::Value> = again
            .as_ref()
            .map(|p| {
                p.items
                    .iter()
                    .filter_map(|i| Some(((i.kind, i.name.as_str()), i.after()?)))
                    .collect()
            })
            .unwrap_or_default();
        let befores = file.changes.befores();
        let lines: Vec<String> = drifted
            .iter()
            .map(|d| {
                let key = (d.kind.as_str(), d.name.as_str());
                d.line(befores.get(&key).copied().or_else(|| planned.get(&key)))
            })
            .collect();
        return Err(drift_error(src, &lines, once));
    }
    let again = again?;
    if !Changes::of(&again)?.same_as(&file.changes) {
        // With --prune, an object created since in a pruned kind is one the plan never read:
        // the plan made again deletes it. That is drift too, not an edited file.
        let fingerprinted: HashSet<(&str, &str)> = file
            .fingerprints
            .iter()
            .map(|f| (f.kind.as_str(), f.name.as_str()))
            .collect();
        let read = |kind: &str, name: &str| {
            fingerprinted.contains(&(kind, name))
                || (kind == "experiment" && fingerprinted.contains(&("baseplate experiment", name)))
        };
        let new: Vec<String> = again
            .items
            .iter()
            .filter(|i| !read(i.kind, &i.name))
            .map(|i| format!("{} {}: created since the plan was made", i.kind, i.name))
            .collect();
        if !new.is_empty() {
            return Err(drift_error(src, &new, ""));
        }
        return Err(Error::usage(format!(
            "{src}: the plan's changes do not follow from its content (was the file edited?); nothing applied"
        ))
        .with_hint("make the plan again: wafflectl plan SOURCE -o plan.json"));
    }
    Ok(again)
}

pub(crate) fn apply(ctx: &Ctx, a: ApplyArgs) -> Result<()> {
    let (file, src) = plan_file::read(&a.file)?;
    let want = file.content_state(&src, ctx.now.date_naive())?;
    let mut store = ctx.store()?;
    let here = store.identity()?;
    if here.as_deref() != Some(file.target.store_id.as_str()) {
        return Err(Error::runtime(format!(
            "{src} was made for store {} ({}), not this one ({})",
            file.target.store_id,
            crate::error::cut(&file.target.name),
            here.as_deref().unwrap_or("a store without an identity")
        ))
        .with_hint("make a plan against this store: wafflectl plan SOURCE -o plan.json"));
    }
    // Checked before the transaction (a dry run, and a refusal that takes no write lock), and
    // again inside it against what the transaction reads.
    let cur = State::load(&*store.snapshot()?)?;
    let now = crate::time::to_db(&ctx.now);
    let plan = check(&file, &src, &cur, &want, &now)?;
    if a.m.dry_run {
        return super::interop::print_plan(ctx, &plan, " (dry run: nothing written)");
    }
    // The command's own mutation options, with the reason naming the plan.
    let mut m: MutationArgs = a.m.clone().into();
    m.reason = Some(match &a.m.reason {
        Some(r) => format!("apply {src}: {r}"),
        None => format!("apply {src}"),
    });
    if plan.items.is_empty() {
        if ctx.json() {
            return output::json(&plan.to_json());
        }
        ctx.status(format!("no changes ({} unchanged)", plan.unchanged));
        return Ok(());
    }
    store.prepare_large_write()?;
    let (plan, _) = super::write_quiet(ctx, &mut store, &m, |tx| {
        let cur = State::load(tx)?;
        let plan = check(&file, &src, &cur, &want, &tx.now_db)?;
        let pb = super::progress(ctx, plan.items.len() as u64, "applying");
        model::apply(tx, &plan, || pb.inc(1))?;
        pb.finish_and_clear();
        Ok(plan)
    })?;
    super::interop::warn_unclaimed(ctx, &plan);
    if ctx.json() {
        return output::json(&plan.to_json());
    }
    super::status_changes(ctx, plan.items.iter().map(|i| i.change().line(false)));
    ctx.status(format!("applied {src}: {}", plan.summary(true)));
    Ok(())
}
