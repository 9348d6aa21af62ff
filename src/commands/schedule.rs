//! Scheduled changes: `--at` on every write command ([`defer`], called by `commands::write`
//! and `write_quiet`), and `wafflectl schedule list|show|cancel|run`.

use std::ffi::OsString;

use chrono::{DateTime, Timelike, Utc};
use clap::{CommandFactory, Parser};
use serde::Serialize;

use crate::cli::{Cli, Command, MutationArgs, ScheduleCmd};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output;
use crate::store::schedule::{self, Claim, NewScheduled, Refusal, Scheduled};
use crate::store::{Store, Tx, WriteOptions};
use crate::types::AtTime;

pub(crate) fn run(ctx: &Ctx, c: ScheduleCmd) -> Result<()> {
    match c {
        ScheduleCmd::List { all } => list(ctx, all),
        ScheduleCmd::Show { id } => show(ctx, id),
        ScheduleCmd::Cancel {
            ids,
            dry_run,
            reason,
        } => cancel(
            ctx,
            &ids,
            &MutationArgs {
                dry_run,
                reason,
                at: None,
            },
        ),
        ScheduleCmd::Run { dry_run } => run_due(ctx, dry_run),
    }
}

/// A due time as people read it: `2026-12-24 18:00 UTC` (seconds when there are some).
fn human(t: &DateTime<Utc>) -> String {
    if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }
}

fn human_db(s: &str) -> String {
    crate::time::parse_db(s).map_or_else(|| s.to_string(), |t| human(&t))
}

/// The command line as one shell line: `flag on new_dashboard`.
fn summary(command: &[String]) -> String {
    command
        .iter()
        .map(|w| output::shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The command line `--at` records: the words after the program name, without the global
/// options (the store, output, actor, cache and confirmation options: `schedule run` brings its
/// own) and without `--at`. Fails (exit 2) on words that are not UTF-8.
fn stored_command(argv: &[OsString]) -> Result<Vec<String>> {
    let cli = Cli::command();
    // (long, short, takes a value) of each global option
    let globals: Vec<(Option<&str>, Option<char>, bool)> = cli
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| (a.get_long(), a.get_short(), a.get_action().takes_values()))
        .collect();
    let mut words = argv.iter().skip(1).map(|w| {
        w.to_str().map(str::to_string).ok_or_else(|| {
            Error::usage("the command line holds words that are not UTF-8: it cannot be scheduled")
        })
    });
    let mut out = Vec::new();
    let mut operands = false;
    while let Some(word) = words.next() {
        let word = word?;
        if operands {
            out.push(word);
            continue;
        }
        if word == "--" {
            operands = true;
            out.push(word);
            continue;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            let takes_value = if name == "at" {
                Some(true)
            } else {
                globals.iter().find(|g| g.0 == Some(name)).map(|g| g.2)
            };
            match takes_value {
                Some(value) => {
                    if value && !inline {
                        words.next().transpose()?;
                    }
                }
                None => out.push(word),
            }
            continue;
        }
        if let Some(shorts) = word.strip_prefix('-')
            && !shorts.is_empty()
            && shorts.chars().all(|c| c.is_ascii_alphabetic())
        {
            // a cluster of short flags (`-yq`): the global ones dropped
            let global = |c: char| globals.iter().any(|g| g.1 == Some(c) && !g.2);
            let kept: String = shorts.chars().filter(|c| !global(*c)).collect();
            if !kept.is_empty() {
                out.push(format!("-{kept}"));
            }
            continue;
        }
        out.push(word);
    }
    Ok(out)
}

/// Parses a stored command line as the command line it was.
fn parse(command: &[String]) -> std::result::Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("wafflectl".to_string()).chain(command.iter().cloned()))
}

/// What scheduling with `--json` prints.
#[derive(Serialize)]
struct ScheduledJson<'a> {
    id: i64,
    due_at: String,
    scheduled_by: &'a str,
    command: &'a [String],
    summary: String,
    reason: &'a str,
    changes: Vec<super::ChangeRecord<'a>>,
}

/// `--at TIME` on a write command: runs its transaction `f` as a dry run (every check of the
/// real write runs now: bad input fails now), then records the command line, the changes it
/// would make and each object's state now, to be applied by `schedule run` when due.
/// Returns what `f` returned.
pub(crate) fn defer<T>(
    ctx: &Ctx,
    store: &mut Store,
    m: &MutationArgs,
    at: &AtTime,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
) -> Result<T> {
    if ctx.scheduled.is_some() {
        return Err(Error::usage("a scheduled change cannot schedule another"));
    }
    let due = crate::time::parse_at(&at.0, ctx.now).map_err(|e| Error {
        message: format!("--at: {}", e.message),
        ..e
    })?;
    if due <= ctx.now {
        return Err(Error::usage(format!(
            "--at: {} is not in the future (it is now {})",
            human(&due),
            human(&ctx.now)
        ))
        .with_hint("give a later time, or run the command without --at to change it now"));
    }
    let command = stored_command(&ctx.argv)?;
    if let Err(e) = parse(&command) {
        return Err(Error::usage(format!(
            "cannot schedule this command line: {}",
            e.kind()
        )));
    }
    let planned = store.transaction(
        &WriteOptions {
            dry_run: true,
            ..super::write_options(ctx, m)
        },
        f,
    )?;
    // what the pending changes due before it will have done by then
    let earlier: Vec<Scheduled> = schedule::list(store.conn(), false)?
        .into_iter()
        .filter(|s| crate::time::parse_db(&s.due_at).is_some_and(|t| t <= due))
        .collect();
    let mut changes = planned.changes.clone();
    schedule::chain(&mut changes, &earlier);
    if changes.is_empty() && !planned.changes.is_empty() {
        return Err(Error::runtime(
            "the changes scheduled before it already make this change: nothing was scheduled",
        )
        .with_hint("see them with: wafflectl schedule list"));
    }
    if changes.is_empty() {
        return Err(
            Error::runtime("the command changes nothing now: nothing was scheduled").with_hint(
                "a scheduled change applies what the command would change now, and only while \
                 each object is still as it is now",
            ),
        );
    }
    let reason = m.reason.clone().unwrap_or_default();
    let due_db = crate::time::to_db(&due);
    let record = MutationArgs {
        dry_run: false,
        reason: m.reason.clone(),
        at: None,
    };
    let done = store.transaction(&super::write_options(ctx, &record), |tx| {
        let id = schedule::insert(
            tx,
            &NewScheduled {
                due_at: &due_db,
                command: &command,
                reason: &reason,
                changes: &changes,
            },
        )?;
        let after = serde_json::json!({
            "due_at": crate::time::to_json(&due),
            "command": command,
            "state": schedule::PENDING,
        });
        tx.record_action(
            "schedule",
            "scheduled change",
            &format!("#{id}"),
            None,
            Some(after),
        )?;
        Ok(id)
    })?;
    let id = done.value;
    if ctx.json() {
        output::json(&ScheduledJson {
            id,
            due_at: crate::time::to_json(&due),
            scheduled_by: &ctx.actor,
            command: &command,
            summary: summary(&command),
            reason: &reason,
            changes: super::change_records(&changes, &[], true),
        })?;
    } else {
        for c in &changes {
            ctx.status(format!("  {}", c.line(true)));
        }
    }
    ctx.status(format!(
        "scheduled #{id}: {} at {}",
        summary(&command),
        human(&due)
    ));
    Ok(planned.value)
}

/// A scheduled change as `schedule list` and `show` print it with `--json`.
#[derive(Serialize)]
struct ScheduledView<'a> {
    id: i64,
    state: &'a str,
    due_at: String,
    /// `due_at` for tables.
    #[serde(skip)]
    due: String,
    summary: String,
    command: &'a [String],
    scheduled_by: &'a str,
    created_at: String,
    reason: &'a str,
    changes: Vec<super::ChangeRecord<'a>>,
    ran_at: Option<String>,
    result: &'a str,
    audit_ids: &'a [i64],
}

fn view(s: &Scheduled) -> ScheduledView<'_> {
    ScheduledView {
        id: s.id,
        state: &s.state,
        due_at: crate::time::db_to_json(&s.due_at),
        due: human_db(&s.due_at),
        summary: summary(&s.command),
        command: &s.command,
        scheduled_by: &s.scheduled_by,
        created_at: crate::time::db_to_json(&s.created_at),
        reason: &s.reason,
        changes: super::change_records(&s.changes, &[], true),
        ran_at: s.ran_at.as_deref().map(crate::time::db_to_json),
        result: &s.result,
        audit_ids: &s.audit_ids,
    }
}

fn list(ctx: &Ctx, all: bool) -> Result<()> {
    let store = ctx.store()?;
    let rows = schedule::list(store.conn(), all)?;
    let views: Vec<ScheduledView<'_>> = rows.iter().map(view).collect();
    let none = if all {
        "no scheduled changes"
    } else {
        "no pending scheduled changes"
    };
    super::print_rows(
        ctx,
        &views,
        none,
        ["ID", "DUE", "STATE", "COMMAND", "BY", "REASON"],
        |v| {
            [
                v.id.to_string(),
                v.due.clone(),
                v.state.to_string(),
                v.summary.clone(),
                v.scheduled_by.to_string(),
                v.reason.to_string(),
            ]
        },
    )
}

/// The scheduled change `id`, or a not-found error (exit 1).
fn require(conn: &crate::store::Reader, id: i64) -> Result<Scheduled> {
    schedule::get(conn, id)?.ok_or_else(|| {
        Error::runtime(format!("no scheduled change #{id}"))
            .with_hint("list them with: wafflectl schedule list --all")
    })
}

fn show(ctx: &Ctx, id: i64) -> Result<()> {
    let store = ctx.store()?;
    let s = require(store.conn(), id)?;
    if ctx.json() {
        return output::json(&view(&s));
    }
    let mut f = output::Fields::new();
    f.add("id", format!("#{}", s.id))
        .add("state", s.state.as_str())
        .add("due", human_db(&s.due_at))
        .add("command", summary(&s.command))
        .add("scheduled by", s.scheduled_by.as_str())
        .add("scheduled at", crate::time::db_to_human(&s.created_at))
        .add("reason", if s.reason.is_empty() { "-" } else { &s.reason });
    let planned: Vec<String> = s.changes.iter().map(|c| c.line(true)).collect();
    f.add("changes", planned.join("\n"));
    if let Some(ran) = &s.ran_at {
        f.add("ran at", crate::time::db_to_human(ran));
    }
    if !s.result.is_empty() {
        f.add("result", s.result.as_str());
    }
    if !s.audit_ids.is_empty() {
        let ids: Vec<String> = s.audit_ids.iter().map(i64::to_string).collect();
        f.add("audit ids", ids.join(", "));
    }
    f.print(ctx.format, ctx.color)
}

fn cancel(ctx: &Ctx, ids: &[i64], m: &MutationArgs) -> Result<()> {
    let mut store = ctx.store()?;
    super::write(ctx, &mut store, m, |tx| {
        for &id in ids {
            let s = require(tx, id)?;
            if s.state != schedule::PENDING {
                return Err(Error::runtime(format!(
                    "scheduled change #{id} is {}, not pending: only a pending change can be \
                     cancelled",
                    s.state
                )));
            }
            schedule::cancel(tx, id)?;
            let state = |state: &str| {
                serde_json::json!({
                    "due_at": crate::time::db_to_json(&s.due_at),
                    "command": s.command,
                    "state": state,
                })
            };
            tx.record_action(
                "cancel",
                "scheduled change",
                &format!("#{id}"),
                Some(state(schedule::PENDING)),
                Some(state(schedule::CANCELLED)),
            )?;
        }
        Ok(())
    })
}

/// What became of one due change in `schedule run`.
#[derive(Serialize)]
struct Ran {
    id: i64,
    summary: String,
    due_at: String,
    /// `applied`, `skipped` or `failed`.
    outcome: &'static str,
    /// Why it was skipped or failed.
    detail: String,
    audit_ids: Vec<i64>,
}

/// How one due change ended, as the runner saw it.
enum Outcome {
    Applied(Vec<i64>),
    /// Another runner (or a cancel) got to it first: nothing to say.
    Taken,
    Skipped(String),
    Failed(String),
}

fn run_due(ctx: &Ctx, dry_run: bool) -> Result<()> {
    let mut store = ctx.store()?;
    let due = schedule::due(store.conn(), &crate::time::to_db(&ctx.now))?;
    if dry_run {
        let views: Vec<ScheduledView<'_>> = due.iter().map(view).collect();
        return super::print_rows(
            ctx,
            &views,
            "nothing is due",
            ["ID", "DUE", "COMMAND", "BY"],
            |v| {
                [
                    v.id.to_string(),
                    v.due.clone(),
                    v.summary.clone(),
                    v.scheduled_by.to_string(),
                ]
            },
        );
    }
    if due.is_empty() {
        if ctx.json() {
            return output::json(&Vec::<Ran>::new());
        }
        ctx.status("nothing is due");
        return Ok(());
    }
    let pb = super::progress(ctx, due.len() as u64, "running scheduled changes");
    let mut ran = Vec::new();
    for s in &due {
        pb.inc(1);
        // another runner may have taken it since the list was read
        if schedule::state(store.conn(), s.id)?.as_deref() != Some(schedule::PENDING) {
            continue;
        }
        let outcome = match apply_one(ctx, s) {
            Outcome::Skipped(why) => end(ctx, &mut store, s, schedule::SKIPPED, why)?,
            Outcome::Failed(why) => end(ctx, &mut store, s, schedule::FAILED, why)?,
            other => other,
        };
        let (word, detail, audit_ids) = match outcome {
            Outcome::Taken => continue,
            Outcome::Applied(ids) => ("applied", String::new(), ids),
            Outcome::Skipped(why) => ("skipped", why, Vec::new()),
            Outcome::Failed(why) => ("failed", why, Vec::new()),
        };
        let line = format!(
            "{word} #{}: {} (due {}, scheduled by {})",
            s.id,
            summary(&s.command),
            human_db(&s.due_at),
            s.scheduled_by
        );
        if word == "applied" {
            ctx.status(line);
        } else {
            ctx.warn(format!("{line}: {detail}"));
        }
        ran.push(Ran {
            id: s.id,
            summary: summary(&s.command),
            due_at: crate::time::db_to_json(&s.due_at),
            outcome: word,
            detail,
            audit_ids,
        });
    }
    pb.finish_and_clear();
    if ctx.json() {
        output::json(&ran)?;
    }
    let not_applied: Vec<String> = ran
        .iter()
        .filter(|r| r.outcome != "applied")
        .map(|r| format!("#{} {}", r.id, r.outcome))
        .collect();
    if !not_applied.is_empty() {
        return Err(Error::runtime(format!(
            "{} of the due changes {} not applied: {}",
            not_applied.len(),
            if not_applied.len() == 1 {
                "was"
            } else {
                "were"
            },
            not_applied.join(", ")
        ))
        .with_hint(
            "see wafflectl schedule show ID; schedule the change again (with --at) if it \
             still applies",
        ));
    }
    if ran.is_empty() {
        ctx.status("nothing left to run: another runner applied the due changes");
    }
    Ok(())
}

/// Marks a change skipped or failed in its own transaction; another runner that already did
/// (or applied it meanwhile) makes this one say nothing.
fn end(ctx: &Ctx, store: &mut Store, s: &Scheduled, state: &str, why: String) -> Result<Outcome> {
    let m = MutationArgs::default();
    let (marked, _) =
        super::write_quiet(ctx, store, &m, |tx| schedule::finish(tx, s.id, state, &why))?;
    Ok(match (marked, state) {
        (false, _) => Outcome::Taken,
        (true, schedule::SKIPPED) => Outcome::Skipped(why),
        (true, _) => Outcome::Failed(why),
    })
}

/// Runs the stored command of `s` on the same store, as the one who scheduled it, with its
/// writes claiming `s` and checking its objects in their transaction.
fn apply_one(ctx: &Ctx, s: &Scheduled) -> Outcome {
    let cli = match parse(&s.command) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("").trim();
            return Outcome::Failed(format!(
                "the stored command line no longer parses: {}",
                first.strip_prefix("error: ").unwrap_or(first)
            ));
        }
    };
    if matches!(cli.command, Command::Schedule(_)) {
        return Outcome::Failed("a scheduled change cannot run `schedule` commands".into());
    }
    let reason = if s.reason.is_empty() {
        format!("scheduled #{}: {}", s.id, summary(&s.command))
    } else {
        format!("scheduled #{}: {}", s.id, s.reason)
    };
    let claim = Claim::new(s.id, reason, s.changes.clone());
    let mut run_ctx = ctx.clone();
    run_ctx.actor = s.scheduled_by.clone();
    run_ctx.format = output::Format::Table;
    run_ctx.file_format = None;
    // confirmed when it was scheduled
    run_ctx.yes = true;
    run_ctx.interactive = false;
    run_ctx.no_input = true;
    run_ctx.argv = Vec::new();
    run_ctx.scheduled = Some(claim.clone());
    let ran = super::dispatch(&run_ctx, cli.command);
    match (ran, claim.refusal()) {
        (_, Some(Refusal::Taken)) => Outcome::Taken,
        (_, Some(Refusal::Drift(lines))) => Outcome::Skipped(format!(
            "changed since it was scheduled: {}",
            lines.join("; ")
        )),
        (Err(e), None) => Outcome::Failed(e.message),
        (Ok(()), None) => {
            // the command ended without a write (nothing to do any more), or committed its
            // claim: the row says which
            let Ok(store) = ctx.store() else {
                return Outcome::Failed("cannot read the store after the change".into());
            };
            match schedule::get(store.conn(), s.id) {
                Ok(Some(row)) if row.state == schedule::DONE => Outcome::Applied(row.audit_ids),
                Ok(Some(row)) if row.state == schedule::PENDING => Outcome::Skipped(
                    "the command changes nothing now: its objects changed since it was scheduled"
                        .into(),
                ),
                Ok(_) => Outcome::Taken,
                Err(e) => Outcome::Failed(e.message),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(line: &[&str]) -> Vec<String> {
        let argv: Vec<OsString> = line.iter().map(OsString::from).collect();
        stored_command(&argv).unwrap()
    }

    #[test]
    fn the_stored_command_line_has_no_global_options_and_no_at() {
        assert_eq!(
            stored(&[
                "wafflectl",
                "--db",
                "x.db",
                "-yq",
                "flag",
                "on",
                "beta",
                "--at=tomorrow",
                "--cache",
                "redis://h:1/0",
                "--reason",
                "launch",
                "--json",
            ]),
            ["flag", "on", "beta", "--reason", "launch"]
        );
        assert_eq!(
            stored(&[
                "wafflectl",
                "flag",
                "on",
                "--at",
                "in 2 hours",
                "--",
                "--db"
            ]),
            ["flag", "on", "--", "--db"]
        );
    }
}
