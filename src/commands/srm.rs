//! `wafflectl srm NAME --observed FILE`: sample-ratio mismatch. Compares the observed users per
//! bucket (Open edX) or variant (baseplate) with what the definition expects, with the engine's
//! one chi-square goodness-of-fit test, and lists the causes the store can see.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::cli::{ObservedFormat, SrmArgs, SrmFailOn};
use crate::context::Ctx;
use crate::engine::names::NameSet;
use crate::engine::stats::{self, Fit};
use crate::error::{Error, NameKind, Result, cut};
use crate::output::{self, Table};
use crate::store::audit;
use crate::store::{Reader, edx, load, toggles};
use crate::time;

/// The longest line read from `--observed` (a longer one is an error, not a memory hog).
const MAX_LINE: u64 = 64 * 1024;
/// The largest JSON file read whole.
const MAX_JSON: u64 = 64 * 1024 * 1024;
/// The name of the baseplate cell of values that get no variant.
const UNASSIGNED: &str = "(none)";

/// What the definition expects, and what it knows of users it places by hand.
struct Expectation {
    /// `edx` or `baseplate`.
    system: &'static str,
    /// `bucket` or `variant`: what a cell is called in messages.
    cell_word: &'static str,
    cells: Vec<String>,
    shares: Vec<f64>,
    /// The baseplate cell of the unassigned buckets: tested only when the file names it.
    unassigned: Option<usize>,
    /// Users a whitelist forces, by username, with the cell they are forced into (edX).
    forced: HashMap<String, usize>,
    causes: Vec<Cause>,
    /// When the experiment was created (store text), the default start of the window.
    created: String,
}

impl Expectation {
    /// How many users the whitelists force into each cell.
    fn forced_per_cell(&self) -> Vec<u64> {
        let mut n = vec![0u64; self.cells.len()];
        for &c in self.forced.values() {
            n[c] += 1;
        }
        n
    }

    /// The index of the cell a file names; an error naming the cell (and `at`) otherwise.
    fn cell(&self, name: &str, at: &str) -> Result<usize> {
        let name = name.trim();
        let found = if self.system == "edx" {
            name.parse::<u64>()
                .ok()
                .filter(|n| n.to_string() == name)
                .and_then(|n| self.cells.iter().position(|c| *c == n.to_string()))
        } else if name == UNASSIGNED || name.eq_ignore_ascii_case("none") {
            self.unassigned
        } else {
            self.cells.iter().position(|c| c == name)
        };
        found.ok_or_else(|| {
            Error::usage(format!("{at}: unknown {} '{}'", self.cell_word, cut(name))).with_hint(
                format!(
                    "the experiment's {}s: {}",
                    self.cell_word,
                    self.cells.join(", ")
                ),
            )
        })
    }
}

/// A known cause of a mismatch the store shows.
#[derive(Debug, Serialize)]
struct Cause {
    /// `whitelist`, `override`, `main_flag`, `change`.
    kind: &'static str,
    detail: String,
}

/// The observed counts per cell, and the forced users left out of each.
struct Observed {
    format: ObservedFormat,
    counts: Vec<u64>,
    excluded: Vec<u64>,
    named: Vec<bool>,
    /// The sum of `counts`, kept within u64.
    total: u64,
}

pub(crate) fn run(ctx: &Ctx, a: SrmArgs) -> Result<()> {
    let now = ctx.now;
    let until = a.until.as_ref().map_or(now, |t| t.0);
    if let Some(s) = &a.since
        && s.0 > until
    {
        return Err(Error::usage("--since is after --until"));
    }
    let store = ctx.store()?;
    let conn = store.conn();
    let mut exp = expectation(conn, &a.name, now)?;
    let obs = read_observed(&exp, &a.observed, a.observed_format)?;
    if obs.total == 0 {
        ctx.warn(format!("{} holds no observations", a.observed.display()));
    }
    if obs.format != ObservedFormat::Rows {
        for (i, (&o, forced)) in obs.counts.iter().zip(exp.forced_per_cell()).enumerate() {
            if forced > o {
                ctx.warn(format!(
                    "{} {}: {o} observed, fewer than the {forced} users a whitelist forces into it",
                    exp.cell_word, exp.cells[i]
                ));
            }
        }
    }
    // The unassigned cell counts only when the file has it.
    let tested: Vec<usize> = (0..exp.cells.len())
        .filter(|&i| Some(i) != exp.unassigned || obs.named[i])
        .collect();
    let counts: Vec<u64> = tested
        .iter()
        .map(|&i| obs.counts[i] - obs.excluded[i])
        .collect();
    let shares: Vec<f64> = tested.iter().map(|&i| exp.shares[i]).collect();
    let fit = stats::goodness_of_fit(&counts, &shares);
    let since_db = a
        .since
        .as_ref()
        .map_or_else(|| exp.created.clone(), |t| time::to_db(&t.0));
    let until_db = time::to_db(&until);
    let mut causes = std::mem::take(&mut exp.causes);
    if store.has_audit_log() {
        causes.extend(changes(conn, &a.name, exp.system, &since_db, &until_db)?);
    }
    let share_sum: f64 = shares.iter().sum();
    let total: u64 = counts.iter().sum();
    let rows: Vec<CellOut> = tested
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let expected = fit.as_ref().map(|f| f.expected[k]);
            CellOut {
                cell: exp.cells[i].clone(),
                observed: obs.counts[i],
                forced: obs.excluded[i],
                tested: counts[k],
                expected,
                share: if total == 0 {
                    0.0
                } else {
                    counts[k] as f64 / total as f64
                },
                expected_share: shares[k] / share_sum,
                deviation: expected
                    .filter(|&e| e > 0.0)
                    .map(|e| (counts[k] as f64 - e) / e),
            }
        })
        .collect();
    let verdict = Verdict::of(fit.as_ref());
    let out = SrmOut {
        experiment: &a.name,
        system: exp.system,
        observed_format: format_name(obs.format),
        cells: &rows,
        total,
        forced: obs.excluded.iter().sum(),
        chi_square: fit.as_ref().map(|f| ChiSquareOut {
            statistic: f.test.statistic.is_finite().then_some(f.test.statistic),
            df: f.test.df,
            p_value: f.test.p_value,
        }),
        threshold: stats::SRM_THRESHOLD,
        enough_data: fit.as_ref().is_some_and(|f| f.enough_data),
        verdict,
        causes: &causes,
        since: time::db_to_json(&since_db),
        until: time::db_to_json(&until_db),
    };
    if ctx.json() {
        output::json(&out)?;
    } else {
        print(ctx, &exp, &out, fit.as_ref())?;
    }
    if a.fail_on == Some(SrmFailOn::Srm) && verdict == Verdict::Mismatch {
        return crate::commands::refs::fail_on(&["sample-ratio mismatch".to_string()]);
    }
    Ok(())
}

fn format_name(f: ObservedFormat) -> &'static str {
    match f {
        ObservedFormat::Counts => "counts",
        ObservedFormat::Json => "json",
        ObservedFormat::Rows => "rows",
    }
}

/// One cell of the table and of `--json`.
#[derive(Serialize)]
struct CellOut {
    cell: String,
    /// As the file says.
    observed: u64,
    /// Users the whitelist forces into this cell, left out of the test.
    forced: u64,
    /// observed − forced: what the test compares.
    tested: u64,
    expected: Option<f64>,
    share: f64,
    expected_share: f64,
    /// (tested − expected) / expected.
    deviation: Option<f64>,
}

#[derive(Serialize)]
struct ChiSquareOut {
    /// null when a cell that expects no users has some (the fit is then impossible, p 0).
    statistic: Option<f64>,
    df: u32,
    p_value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    Mismatch,
    NoMismatch,
    NotEnoughData,
    /// Fewer than two cells that expect users, or no users.
    NotApplicable,
}

impl Verdict {
    fn of(fit: Option<&Fit>) -> Verdict {
        match fit {
            None => Verdict::NotApplicable,
            Some(f) if f.mismatch() => Verdict::Mismatch,
            Some(f) if !f.enough_data => Verdict::NotEnoughData,
            Some(_) => Verdict::NoMismatch,
        }
    }
}

/// `srm --json`.
#[derive(Serialize)]
struct SrmOut<'a> {
    experiment: &'a str,
    system: &'static str,
    observed_format: &'static str,
    cells: &'a [CellOut],
    total: u64,
    forced: u64,
    chi_square: Option<ChiSquareOut>,
    threshold: f64,
    enough_data: bool,
    verdict: Verdict,
    causes: &'a [Cause],
    since: String,
    until: String,
}

fn p_text(p: f64) -> String {
    if p != 0.0 && p < 1e-4 {
        format!("{p:.3e}")
    } else {
        format!("{p:.4}")
    }
}

fn print(ctx: &Ctx, exp: &Expectation, out: &SrmOut<'_>, fit: Option<&Fit>) -> Result<()> {
    let word = exp.cell_word.to_uppercase();
    let with_forced = out.forced > 0;
    let mut head = vec![word.as_str(), "OBSERVED"];
    if with_forced {
        head.extend(["FORCED", "TESTED"]);
    }
    head.extend(["EXPECTED", "SHARE", "EXPECTED SHARE", "DEVIATION"]);
    let mut t = Table::new(head);
    for c in out.cells {
        let mut row = vec![c.cell.clone(), c.observed.to_string()];
        if with_forced {
            row.extend([c.forced.to_string(), c.tested.to_string()]);
        }
        row.extend([
            c.expected.map_or("-".into(), |e| format!("{e:.1}")),
            format!("{:.2}%", 100.0 * c.share),
            format!("{:.2}%", 100.0 * c.expected_share),
            c.deviation
                .map_or("-".into(), |d| format!("{:+.2}%", 100.0 * d)),
        ]);
        t.row(row);
    }
    t.print(ctx.format, ctx.color)?;
    let mut lines = Vec::new();
    let users = if with_forced {
        format!(
            "{} users tested ({} forced by a whitelist left out)",
            out.total, out.forced
        )
    } else {
        format!("{} users tested", out.total)
    };
    match fit {
        Some(f) => {
            let statistic = if f.test.statistic.is_finite() {
                format!("{:.3}", f.test.statistic)
            } else {
                "infinite (users in a cell that expects none)".into()
            };
            lines.push(format!(
                "{users}; chi-square goodness-of-fit: statistic {statistic}, {} degrees of freedom, p-value {}",
                f.test.df,
                p_text(f.test.p_value)
            ));
        }
        None => lines.push(format!(
            "{users}; chi-square goodness-of-fit: not applicable"
        )),
    }
    lines.push(match out.verdict {
        Verdict::Mismatch => format!(
            "sample-ratio mismatch (p < {}): the {}s did not get the users the definition expects",
            stats::SRM_THRESHOLD,
            exp.cell_word
        ),
        Verdict::NoMismatch => {
            format!("no sample-ratio mismatch (p ≥ {})", stats::SRM_THRESHOLD)
        }
        Verdict::NotEnoughData => format!(
            "not enough data to judge: every {} must expect at least {} users",
            exp.cell_word,
            stats::MIN_EXPECTED_PER_CELL
        ),
        Verdict::NotApplicable => format!(
            "not applicable: the test needs users and at least 2 {}s that expect some",
            exp.cell_word
        ),
    });
    if out.causes.is_empty() {
        lines.push("known causes in the store: none".into());
    } else {
        lines.push("known causes in the store:".into());
        for c in out.causes {
            lines.push(format!("  {}: {}", c.kind, c.detail));
        }
    }
    output::out(&(lines.join("\n") + "\n"))
}

// ---------------------------------------------------------------------------------------------
// What the definition expects
// ---------------------------------------------------------------------------------------------

fn expectation(
    conn: &Reader,
    name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Expectation> {
    if let Some(e) = edx::get_experiment(conn, name)?
        && e.kind == edx::KIND_EDX
    {
        return edx_expectation(conn, &e);
    }
    if let Some(b) = crate::store::baseplate::get(conn, name)? {
        let secs = now.timestamp() as f64 + f64::from(now.timestamp_subsec_micros()) / 1e6;
        return baseplate_expectation(&b, secs);
    }
    Err(
        Error::runtime(format!("experiment '{}' not found", cut(name)))
            .with_hint("list them with: wafflectl experiment list")
            .missing(NameKind::Experiment, name),
    )
}

/// Equal buckets; users the bucket flags list (users, groups, staff, superusers) are forced, the
/// lowest bucket first, as edX walks them.
fn edx_expectation(conn: &Reader, e: &edx::ExperimentRow) -> Result<Expectation> {
    const MAX_CELLS: i64 = 10_000;
    if !(1..=MAX_CELLS).contains(&e.num_buckets) {
        return Err(Error::runtime(format!(
            "experiment '{}' has {} buckets; srm tests 1 to {MAX_CELLS}",
            e.name, e.num_buckets
        )));
    }
    let n = e.num_buckets as usize;
    let (buckets, _) = crate::commands::experiment::whitelist::bucket_report(conn, e)?;
    let mut forced: HashMap<String, usize> = HashMap::new();
    let mut causes = Vec::new();
    // Loaded once, when a bucket flag first names them.
    let mut staff: Option<NameSet> = None;
    let mut superusers: Option<NameSet> = None;
    for b in buckets.iter().filter(|b| !b.beyond_buckets) {
        let text = b.forced_text();
        if text == "-" {
            continue;
        }
        let k = b.bucket as usize;
        let before = forced.len();
        let mut add = |u: &str| {
            forced.entry(u.to_string()).or_insert(k);
        };
        if b.everyone != Some(false) {
            b.users.iter().for_each(|u| add(u));
            for g in &b.groups {
                crate::store::whitelist::group_members(conn, g)?
                    .iter()
                    .for_each(|u| add(u));
            }
            if b.staff {
                let names = match &staff {
                    Some(v) => v,
                    None => staff.insert(load::staff_names(conn)?),
                };
                names.iter().for_each(|u| add(u));
            }
            if b.superusers {
                let names = match &superusers {
                    Some(v) => v,
                    None => superusers.insert(load::superuser_names(conn)?),
                };
                names.iter().for_each(|u| add(u));
            }
        }
        let listed = forced.len() - before;
        let mut detail = format!("bucket {k} ({}) forces {text}", b.flag);
        if b.everyone == Some(true) {
            detail.push_str(": every user, the hash decides nobody");
        } else if listed > 0 {
            detail.push_str(&format!(
                " ({listed} user{} in the store, left out of the test)",
                if listed == 1 { "" } else { "s" }
            ));
        }
        causes.push(Cause {
            kind: "whitelist",
            detail,
        });
    }
    for o in crate::commands::overrides::current_overrides(conn, Some(&e.name))? {
        let key = o.course_id.clone().or(o.org.clone()).unwrap_or_default();
        causes.push(Cause {
            kind: "override",
            detail: format!(
                "{} override {key}: {} for the main flag (users it turns off get bucket 0)",
                o.scope.as_str(),
                o.choice
            ),
        });
    }
    let main = toggles::get_flag(conn, &e.name)?;
    let main_text = match &main {
        None => Some("missing: users get bucket 0 except where an override turns it on".into()),
        Some(f) if f.everyone == Some(true) => None,
        Some(f) if f.everyone == Some(false) => {
            Some("off for everyone: users get bucket 0 except where an override turns it on".into())
        }
        Some(f) => {
            let mut who = crate::commands::flag::criteria(f);
            if let Some(p) = f.percent.filter(|p| p.0 > 0) {
                who = format!("{who}; {p}% at random");
            }
            Some(format!(
                "not on for everyone ({who}): the users it leaves out get bucket 0"
            ))
        }
    };
    if let Some(detail) = main_text {
        causes.push(Cause {
            kind: "main_flag",
            detail,
        });
    }
    Ok(Expectation {
        system: "edx",
        cell_word: "bucket",
        cells: (0..n).map(|b| b.to_string()).collect(),
        shares: vec![1.0; n],
        unassigned: None,
        forced,
        causes,
        created: e.created.clone(),
    })
}

/// The variant sizes (each variant's share of the buckets) and the unassigned rest.
fn baseplate_expectation(
    b: &crate::store::baseplate::BaseplateExperiment,
    now: f64,
) -> Result<Expectation> {
    use crate::engine::baseplate as bp;
    let parsed = bp::parse(&b.config, now).map_err(|inv| {
        Error::runtime(format!(
            "baseplate treats '{}' as invalid ({}): it has no variant sizes to test",
            b.key, inv.message
        ))
    })?;
    let sizes = bp::expected_shares(&parsed).ok_or_else(|| {
        Error::runtime(format!(
            "'{}' has no variant sizes to test (a forced answer, or more than a million buckets)",
            b.key
        ))
    })?;
    let mut cells: Vec<String> = sizes.iter().map(|(n, _)| n.clone()).collect();
    let mut shares: Vec<f64> = sizes.iter().map(|(_, s)| *s).collect();
    let rest = (1.0 - shares.iter().sum::<f64>()).max(0.0);
    cells.push(UNASSIGNED.into());
    shares.push(rest);
    let mut causes = Vec::new();
    let overrides = b
        .config
        .pointer("/experiment/overrides")
        .is_some_and(|o| match o {
            Value::Object(m) => m.keys().any(|k| k != "__case_sensitive__"),
            Value::Array(a) => !a.is_empty(),
            Value::Null => false,
            _ => true,
        });
    if overrides {
        causes.push(Cause {
            kind: "override",
            detail:
                "the experiment's overrides put matching users in a variant whatever the hash says"
                    .into(),
        });
    }
    Ok(Expectation {
        system: "baseplate",
        cell_word: "variant",
        unassigned: Some(cells.len() - 1),
        cells,
        shares,
        forced: HashMap::new(),
        causes,
        created: b.created.clone(),
    })
}

/// Audit-log changes in the window that move users between cells: the definition (bucket count,
/// variant sizes), its bucket flags (whitelists), its main flag and their overrides.
fn changes(
    conn: &Reader,
    name: &str,
    system: &str,
    since: &str,
    until: &str,
) -> Result<Vec<Cause>> {
    let related = |object: &str| -> bool {
        let base = object.split_once('@').map_or(object, |(b, _)| b);
        if base == name {
            return true;
        }
        system == "edx"
            && base
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
    };
    let mut out = Vec::new();
    let mut entries = audit::entries(conn, None, Some(since), 0)?;
    entries.reverse();
    for e in entries {
        let change = &e.change;
        if e.at.as_str() > until || !related(&change.name) {
            continue;
        }
        // The definition's creation opens the window; it moves nobody.
        if change.action == "create" && change.name == name {
            continue;
        }
        let summary = change.summary();
        let what = if summary.is_empty() {
            String::new()
        } else {
            format!(": {summary}")
        };
        out.push(Cause {
            kind: "change",
            detail: format!(
                "{} {} {} {}{what} (audit #{}, by {})",
                time::db_to_human(&e.at),
                change.action,
                change.kind,
                change.name,
                e.id,
                e.actor
            ),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Reading --observed
// ---------------------------------------------------------------------------------------------

fn open(path: &Path) -> Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let f = std::fs::File::open(path)
        .map_err(|e| Error::runtime(format!("cannot read {}: {e}", path.display())))?;
    Ok(Box::new(f))
}

fn read_observed(
    exp: &Expectation,
    path: &Path,
    format: Option<ObservedFormat>,
) -> Result<Observed> {
    let mut r = BufReader::with_capacity(1 << 16, open(path)?);
    let io = |e: std::io::Error| Error::runtime(format!("cannot read {}: {e}", path.display()));
    let detect = format.is_none();
    let format = match format {
        Some(f) => f,
        None => {
            let buf = r.fill_buf().map_err(io)?;
            let text = buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(buf);
            match text.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{' | b'[') => ObservedFormat::Json,
                _ => ObservedFormat::Counts, // settled on the first line by `read_lines`
            }
        }
    };
    let n = exp.cells.len();
    let mut obs = Observed {
        format,
        counts: vec![0; n],
        excluded: vec![0; n],
        named: vec![false; n],
        total: 0,
    };
    if format == ObservedFormat::Json {
        read_json(exp, r, &mut obs)?;
    } else {
        read_lines(exp, r, &mut obs, detect, path)?;
    }
    if obs.format != ObservedFormat::Rows {
        // Counts: the forced users are assumed to be among the observed.
        for ((x, f), &o) in obs
            .excluded
            .iter_mut()
            .zip(exp.forced_per_cell())
            .zip(&obs.counts)
        {
            *x = f.min(o);
        }
    }
    Ok(obs)
}

/// A count as text: a whole number from 0 to u64::MAX.
fn count_of(text: &str, at: &str) -> Result<u64> {
    let t = text.trim();
    t.parse::<u64>().map_err(|_| {
        let why = if t.is_empty() {
            "an empty count".to_string()
        } else if t.starts_with('-') && t[1..].bytes().all(|b| b.is_ascii_digit()) && t.len() > 1 {
            format!("a negative count '{}'", cut(t))
        } else if t.bytes().all(|b| b.is_ascii_digit()) {
            format!("a count '{}' larger than {}", cut(t), u64::MAX)
        } else {
            format!("'{}' is not a whole number of users", cut(t))
        };
        Error::usage(format!("{at}: {why}"))
    })
}

fn add_count(obs: &mut Observed, exp: &Expectation, cell: usize, n: u64, at: &str) -> Result<()> {
    if obs.format != ObservedFormat::Rows && obs.named[cell] {
        let e = Error::usage(format!(
            "{at}: {} {} is listed twice",
            exp.cell_word, exp.cells[cell]
        ));
        return Err(if obs.format == ObservedFormat::Counts {
            e.with_hint("if the file holds one id,bucket row per user, add --observed-format rows")
        } else {
            e
        });
    }
    obs.named[cell] = true;
    let too_many = || Error::usage(format!("{at}: the counts add up to more than {}", u64::MAX));
    obs.total = obs.total.checked_add(n).ok_or_else(too_many)?;
    obs.counts[cell] += n;
    Ok(())
}

/// `cell,count` lines or `id,cell` rows, a comma or a tab between; a header line, a BOM, CRLF,
/// blanks and empty lines are allowed. Without `--observed-format` the first data line decides:
/// a first field naming a cell means counts, else rows.
fn read_lines(
    exp: &Expectation,
    mut r: impl BufRead,
    obs: &mut Observed,
    detect: bool,
    path: &Path,
) -> Result<()> {
    let mut decided = !detect;
    let mut buf = Vec::new();
    let mut total_rows = 0u64;
    for line_no in 1u64.. {
        buf.clear();
        let read = (&mut r)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::runtime(format!("cannot read {}: {e}", path.display())))?;
        if read == 0 {
            break;
        }
        let at = format!("line {line_no}");
        if buf.len() as u64 > MAX_LINE {
            return Err(Error::usage(format!("{at}: longer than {MAX_LINE} bytes")));
        }
        let text =
            std::str::from_utf8(&buf).map_err(|_| Error::usage(format!("{at}: not UTF-8 text")))?;
        let text = if line_no == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let text = text.trim_end_matches(['\n', '\r']).trim();
        if text.is_empty() {
            continue;
        }
        let fields: Vec<&str> = text.split([',', '\t']).map(str::trim).collect();
        let [first, second] = fields[..] else {
            return Err(Error::usage(format!(
                "{at}: expected two fields ({}), found {}",
                if obs.format == ObservedFormat::Rows {
                    format!("id,{}", exp.cell_word)
                } else {
                    format!("{},count", exp.cell_word)
                },
                fields.len()
            )));
        };
        let header = |a: &str, b: &str| {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            let cell = ["bucket", "variant", "cell"].contains(&a.as_str());
            let id = ["id", "user", "username", "user_id"].contains(&a.as_str());
            let counts = cell && b == "count";
            let rows = id && ["bucket", "variant", "cell"].contains(&b.as_str());
            (counts, rows)
        };
        if !decided {
            decided = true;
            let (counts, rows) = header(first, second);
            if counts || rows {
                obs.format = if rows {
                    ObservedFormat::Rows
                } else {
                    ObservedFormat::Counts
                };
                continue;
            }
            if exp.cell(first, &at).is_err() {
                obs.format = ObservedFormat::Rows;
            }
        } else if total_rows == 0 && !detect {
            // A header with a forced format.
            let (counts, rows) = header(first, second);
            if (counts && obs.format == ObservedFormat::Counts)
                || (rows && obs.format == ObservedFormat::Rows)
            {
                total_rows += 1;
                continue;
            }
        }
        total_rows += 1;
        if obs.format == ObservedFormat::Rows {
            let cell = exp.cell(second, &at)?;
            if exp.forced.contains_key(first) {
                obs.excluded[cell] += 1;
            }
            add_count(obs, exp, cell, 1, &at)?;
        } else {
            let cell = exp.cell(first, &at)?;
            let n = count_of(second, &at)?;
            add_count(obs, exp, cell, n, &at)?;
        }
    }
    Ok(())
}

/// `{"CELL": COUNT, ...}` or `[{"bucket"|"variant": CELL, "count": COUNT}, ...]`.
fn read_json(exp: &Expectation, r: impl Read, obs: &mut Observed) -> Result<()> {
    let mut text = Vec::new();
    r.take(MAX_JSON + 1)
        .read_to_end(&mut text)
        .map_err(|e| Error::runtime(format!("cannot read the observed file: {e}")))?;
    if text.len() as u64 > MAX_JSON {
        return Err(Error::usage(format!(
            "the JSON file is larger than {} MiB; give raw id,bucket rows instead",
            MAX_JSON >> 20
        )));
    }
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&text);
    let v: Entries = serde_json::from_slice(text).map_err(|e| {
        Error::usage(format!("not valid observed counts JSON: {e}")).with_hint(
            "write {\"0\": 10000, \"1\": 10600} or [{\"bucket\": 0, \"count\": 10000}, ...]",
        )
    })?;
    let count = |v: &Value, at: &str| -> Result<u64> {
        let why = match v {
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(c), _, _) => return Ok(c),
                (None, Some(_), _) => format!("a negative count {n}"),
                (None, None, Some(f)) if f.fract() == 0.0 && f > 0.0 => {
                    format!("a count {n} larger than {}", u64::MAX)
                }
                _ => format!("{n} is not a whole number of users"),
            },
            other => format!("the count must be a whole number, not {other}"),
        };
        Err(Error::usage(format!("{at}: {why}")))
    };
    match v {
        Entries::Object(pairs) => {
            for (k, c) in pairs {
                let at = format!("entry \"{}\"", cut(&k));
                let cell = exp.cell(&k, &at)?;
                let n = count(&c, &at)?;
                add_count(obs, exp, cell, n, &at)?;
            }
        }
        Entries::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let at = format!("item {}", i + 1);
                let Value::Object(m) = item else {
                    return Err(Error::usage(format!(
                        "{at}: expected an object {{\"{}\": ..., \"count\": ...}}",
                        exp.cell_word
                    )));
                };
                let mut cell = None;
                let mut n = None;
                for (k, v) in &m {
                    match k.as_str() {
                        "bucket" | "variant" => {
                            let name = match v {
                                Value::String(s) => s.clone(),
                                Value::Number(x) => x.to_string(),
                                Value::Null => UNASSIGNED.to_string(),
                                other => other.to_string(),
                            };
                            cell = Some(exp.cell(&name, &at)?);
                        }
                        "count" => n = Some(count(v, &at)?),
                        other => {
                            return Err(Error::usage(format!(
                                "{at}: unknown key '{}' (expected {} and count)",
                                cut(other),
                                exp.cell_word
                            )));
                        }
                    }
                }
                let (Some(cell), Some(n)) = (cell, n) else {
                    return Err(Error::usage(format!(
                        "{at}: needs both \"{}\" and \"count\"",
                        exp.cell_word
                    )));
                };
                add_count(obs, exp, cell, n, &at)?;
            }
        }
    }
    Ok(())
}

/// A JSON object read with its keys in order and repeats kept (so a repeated cell is an error,
/// not silently the last one), or an array.
enum Entries {
    Object(Vec<(String, Value)>),
    Array(Vec<Value>),
}

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of counts or an array of {bucket, count} objects")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = m.next_entry::<String, Value>()? {
                    out.push(e);
                }
                Ok(Entries::Object(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = s.next_element::<Value>()? {
                    out.push(e);
                }
                Ok(Entries::Array(out))
            }
        }
        d.deserialize_any(V)
    }
}
