//! `wafflectl doctor`: checks the store for problems that break Django or mislead operators.

use crate::store::Reader;

use crate::cache::doctor::{Finding, Level};
use crate::cli::DoctorArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{self, Table};
use crate::store::{Store, health};

fn listing(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    s
}

/// One check: `ok_detail` when `bad` is empty, else `level` with the problem and the names.
fn check(
    out: &mut Vec<Finding>,
    name: &str,
    level: Level,
    bad: Vec<String>,
    problem: &str,
    ok_detail: &str,
) {
    if bad.is_empty() {
        out.push(Finding {
            check: name.into(),
            level: Level::Ok,
            detail: ok_detail.into(),
        });
    } else {
        out.push(Finding {
            check: name.into(),
            level,
            detail: format!("{problem}: {}", listing(&bad)),
        });
    }
}

/// A finding that is ok with the detail `good` when `ok`, else at `level` with the detail `bad`.
fn verdict(check: &str, ok: bool, level: Level, good: &str, bad: String) -> Finding {
    let (level, detail) = if ok {
        (Level::Ok, good.to_string())
    } else {
        (level, bad)
    };
    Finding {
        check: check.into(),
        level,
        detail,
    }
}

pub(crate) fn findings(store: &Store, today: chrono::NaiveDate) -> Result<Vec<Finding>> {
    let snap = store.snapshot()?;
    let c: &Reader = &snap;
    let mut out = Vec::new();
    // The file's own checks; a database server checks its storage and foreign keys itself.
    if store.path().is_some() {
        file_checks(c, store.is_django_site()?, &mut out)?;
    }
    django_checks(c, today, &mut out)?;
    Ok(out)
}

/// SQLite's integrity check, dangling foreign keys (SQLite does not enforce Django's), and WAL
/// (on wafflectl's own store: a Django site's database keeps the journal mode the site chose).
fn file_checks(c: &Reader, django_site: bool, out: &mut Vec<Finding>) -> Result<()> {
    let integrity = health::quick_check(c)?;
    out.push(verdict(
        "integrity",
        integrity == "ok",
        Level::Error,
        "SQLite quick_check passed",
        integrity,
    ));
    let broken = health::broken_references(c)?;
    check(
        out,
        "foreign keys",
        Level::Error,
        broken,
        "rows point at missing users, groups or flags",
        "every reference resolves",
    );
    let mode = health::journal_mode(c)?;
    if django_site {
        out.push(Finding {
            check: "journal mode".into(),
            level: Level::Ok,
            detail: format!("{mode} (the Django site's; wafflectl leaves it as it is)"),
        });
        return Ok(());
    }
    out.push(verdict(
        "journal mode",
        mode == "wal",
        Level::Warning,
        "WAL",
        format!("{mode} (run wafflectl init to switch to WAL)"),
    ));
    Ok(())
}

/// What Django or edX would misread, on every backend.
fn django_checks(c: &Reader, today: chrono::NaiveDate, out: &mut Vec<Finding>) -> Result<()> {
    let unreadable = crate::store::toggles::list_flags(c, None)?
        .into_iter()
        .filter_map(|f| {
            f.percent_unreadable
                .map(|u| format!("{} ({}: {})", f.name, u.stored, u.error))
        })
        .collect();
    check(
        out,
        "flag percents",
        Level::Error,
        unreadable,
        "percent Django cannot read (text, a blob, or more digits than decimal(3,1)); every read of these flags raises: the LMS fails with a server error wherever it checks them",
        "all readable by Django",
    );
    let unreadable = crate::store::toggles::list_samples(c)?
        .into_iter()
        .filter_map(|x| {
            x.percent_unreadable
                .map(|u| format!("{} ({}: {})", x.name, u.stored, u.error))
        })
        .collect();
    check(
        out,
        "sample percents",
        Level::Error,
        unreadable,
        "percent Django cannot read (text, a blob, or more digits than decimal(4,1)); every read of these samples raises: the LMS fails with a server error wherever it checks them",
        "all readable by Django",
    );
    check(
        out,
        "ignored criteria",
        Level::Warning,
        health::flags_with_ignored_criteria(c)?,
        "everyone is on or off, so their users, groups and percent are ignored",
        "no flag has criteria that everyone overrides",
    );
    check(
        out,
        "bucket flags forcing superusers",
        Level::Warning,
        health::bucket_flags_forcing_superusers(c)?,
        "superusers is on, so every superuser is forced into that bucket",
        "none",
    );
    check(
        out,
        "experiments without a main flag",
        Level::Warning,
        health::experiments_without_main_flag(c)?,
        "no main flag, so the experiment is off (bucket 0) everywhere",
        "every experiment has its main flag",
    );
    check(
        out,
        "overrides of unknown flags",
        Level::Warning,
        health::overridden_unknown_flags(c)?,
        "overrides name flags that do not exist (edX does not validate them)",
        "every override names an existing flag",
    );
    window_checks(c, today, out)?;
    Ok(())
}

/// Stored enrollment windows read as edX reads them: values its dateutil cannot parse (everyone
/// in the experiment's courses gets bucket 0), values it overflows on (the LMS fails with a
/// server error) and windows that admit no one (end ≤ start).
fn window_checks(c: &Reader, today: chrono::NaiveDate, out: &mut Vec<Finding>) -> Result<()> {
    use crate::engine::window::{Bound, DATE_KEYS, Window};
    use std::collections::BTreeMap;
    let mut by_id: BTreeMap<i64, BTreeMap<String, String>> = BTreeMap::new();
    for kv in crate::store::edx::key_values_by_id(c)? {
        if DATE_KEYS.contains(&kv.key.as_str()) {
            by_id
                .entry(kv.experiment_id)
                .or_default()
                .insert(kv.key, kv.value);
        }
    }
    let (mut unreadable, mut crash, mut empty) = (Vec::new(), Vec::new(), Vec::new());
    for (id, kvs) in &by_id {
        let get = |k: &str| kvs.get(k).map(String::as_str);
        let w = Window::new(get("enrollment_start"), get("enrollment_end"), today);
        for (key, b) in [("enrollment_start", &w.start), ("enrollment_end", &w.end)] {
            match b {
                Bound::Unreadable(t, why) => unreadable.push(format!("{id}:{key} {t:?} ({why})")),
                Bound::Crash(t, why) => crash.push(format!("{id}:{key} {t:?} ({why})")),
                _ => {}
            }
        }
        if let (Bound::At(s), Bound::At(e)) = (&w.start, &w.end)
            && e <= s
        {
            empty.push(format!(
                "experiment ID {id} (end {} ≤ start {})",
                crate::time::to_normal(e),
                crate::time::to_normal(s)
            ));
        }
    }
    check(
        out,
        "enrollment dates edX cannot parse",
        Level::Warning,
        unreadable,
        "edX logs an error and puts everyone in bucket 0 for these experiments",
        "every enrollment_start/enrollment_end is readable",
    );
    check(
        out,
        "enrollment dates that crash the LMS",
        Level::Error,
        crash,
        "dateutil raises OverflowError, which edX does not catch: a server error on every page that checks the experiment",
        "none",
    );
    check(
        out,
        "empty enrollment windows",
        Level::Warning,
        empty,
        "enrollment_end is not after enrollment_start, so no enrollment is inside (bucket 0 for everyone)",
        "none",
    );
    Ok(())
}

/// Which instructions the bulk commands hash with, and how many threads they use by default.
fn bulk_hashing() -> Result<Finding> {
    use crate::engine::lanes::{self, Isa};
    let isa = lanes::isa();
    let chosen = if isa == Isa::best() {
        String::new()
    } else {
        format!(" (WAFFLECTL_SIMD; the CPU has {})", Isa::best().name())
    };
    let jobs = super::jobs::count(None)?;
    Ok(Finding {
        check: "bulk hashing".into(),
        level: Level::Ok,
        detail: format!(
            "{}{chosen}: {} messages per instruction; --jobs {jobs} by default",
            isa.name(),
            isa.lanes()
        ),
    })
}

pub(crate) fn run(ctx: &Ctx, _a: DoctorArgs) -> Result<()> {
    let store = ctx.store()?;
    let mut found = vec![Finding {
        check: "store identity".into(),
        level: Level::Ok,
        detail: store
            .identity()?
            .unwrap_or_else(|| "none yet (wafflectl init sets it)".into()),
    }];
    found.extend(findings(&store, ctx.now.date_naive())?);
    // Issue 10 hook: with --cache, what the site's cache holds that the store contradicts.
    if let Some(cache) = &ctx.cache {
        found.extend(crate::cache::doctor::findings(cache, &store)?);
    }
    found.push(bulk_hashing()?);
    let worst = found.iter().map(|f| f.level).max().unwrap_or(Level::Ok);
    if ctx.json() {
        output::json(&found)?;
    } else {
        let mut t = Table::new(["CHECK", "RESULT", "DETAIL"]);
        for f in &found {
            let level = match f.level {
                Level::Ok => "ok",
                Level::Warning => "warning",
                Level::Error => "error",
            };
            t.row([f.check.clone(), level.to_string(), f.detail.clone()]);
        }
        t.print(ctx.format, ctx.color)?;
    }
    if worst == Level::Error {
        return Err(Error::runtime("the store has problems (see above)"));
    }
    Ok(())
}
