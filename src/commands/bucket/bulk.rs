//! `bucket NAME --users-file FILE|-`: one username per line in, `username<TAB>bucket` (or JSON
//! lines, or a `--summary`) out. The experiment's flags, overrides, key-values and the users the
//! flags can ask about are read once; each line then costs a few set lookups and its share of a
//! many-lane MD5 ([`crate::engine::lanes`]), without allocation. Chunks of the input are decided
//! on `--jobs` threads and written in input order ([`crate::commands::jobs`]), so memory does not
//! grow with the input and the output is the same for any number of jobs.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::Path;

use chrono::NaiveDateTime;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::cli::AttributeArgs;
use crate::context::Ctx;
use crate::engine::experiment::{Check, Experiment, Stage};
use crate::engine::stats::{self, Spread};
use crate::engine::trace::NoTrace;
use crate::engine::waffle::{Kind, RequestInfo, Subject};
use crate::error::{Error, Result};
use crate::output::{self, Table};
use crate::store::load::{self, Enrolled, UserIndex};

pub(crate) struct Options {
    pub(crate) summary: bool,
    pub(crate) assume_percent: Option<bool>,
    pub(crate) enrolled_at: Option<NaiveDateTime>,
    /// `--language` and what `--staff`, `--superuser` and `--group` add to every user.
    pub(crate) attrs: AttributeArgs,
    /// `--jobs`.
    pub(crate) jobs: Option<u16>,
}

/// A username from the file, looked up in the preloaded index only when a flag asks.
pub(crate) struct Line<'a> {
    pub(crate) name: &'a str,
    pub(crate) idx: &'a UserIndex,
    pub(crate) opts: &'a Options,
}

impl Subject for Line<'_> {
    fn kind(&self) -> Kind {
        Kind::User
    }
    fn username(&self) -> &str {
        self.name
    }
    fn is_staff(&self) -> bool {
        self.opts.attrs.staff || self.idx.staff.contains(self.name)
    }
    fn is_superuser(&self) -> bool {
        self.opts.attrs.superuser || self.idx.superusers.contains(self.name)
    }
    fn in_group(&self, group: &str) -> bool {
        self.opts.attrs.groups.iter().any(|g| g == group)
            || self
                .idx
                .groups
                .get(group)
                .is_some_and(|members| members.contains(self.name))
    }
}

/// Largest bucket count `--summary` tabulates.
const SUMMARY_MAX_BUCKETS: u32 = 1 << 20;
/// Inputs at least this large get a progress bar (when stderr is a terminal).
const LARGE_INPUT_BYTES: u64 = 16 << 20;
const LARGE_INPUT_LINES: u64 = 1 << 20;

/// Django's `username` column is `varchar(150)`: the LMS never sees a longer name.
const USERNAME_MAX_CHARS: usize = crate::types::USERNAME_MAX;
/// How many line numbers a warning about skipped lines names.
const FIRST_LINES: usize = 5;

/// Lines that are no username the LMS could see: skipped, and reported once at the end.
#[derive(Default)]
struct Skipped {
    count: u64,
    first: Vec<u64>,
}

impl Skipped {
    fn add(&mut self, line: u64) {
        self.count += 1;
        if self.first.len() < FIRST_LINES {
            self.first.push(line);
        }
    }
    /// Adds a later chunk's skipped lines, numbered from `base` + 1.
    fn extend(&mut self, later: &Skipped, base: u64) {
        for &l in &later.first {
            if self.first.len() < FIRST_LINES {
                self.first.push(base + l);
            }
        }
        self.count += later.count;
    }
    fn lines(&self) -> String {
        let list: Vec<String> = self.first.iter().map(u64::to_string).collect();
        let more = if self.count > self.first.len() as u64 {
            ", ..."
        } else {
            ""
        };
        format!("{}{more}", list.join(", "))
    }
}

#[derive(Default)]
struct Counts {
    users: u64,
    inner_space: Skipped,
    too_long: Skipped,
    per_bucket: Vec<u64>,
    hashed: Vec<u64>,
    main_off: u64,
    outside_window: u64,
    forced: u64,
    anonymous_hash: u64,
    unsettled: u64,
}

fn open(path: &Path) -> Result<(Box<dyn Read>, Option<u64>)> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin().lock()), None));
    }
    let f = File::open(path).map_err(|e| {
        Error::runtime(format!(
            "cannot read users file {}: {}",
            path.display(),
            io_reason(&e)
        ))
        .with_hint("give a readable file with one username per line, or - for standard input")
    })?;
    let meta = f.metadata()?;
    if meta.is_dir() {
        return Err(Error::runtime(format!(
            "cannot read users file {}: it is a directory",
            path.display()
        )));
    }
    Ok((Box::new(f), Some(meta.len())))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn progress(ctx: &Ctx, total: Option<u64>) -> Option<ProgressBar> {
    if ctx.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = match total {
        Some(t) if t >= LARGE_INPUT_BYTES => {
            let pb = ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr());
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} bucketing [{bar:30}] {bytes}/{total_bytes} ({eta}) {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            pb
        }
        Some(_) => return None,
        // Standard input: a counter, shown once the input turns out to be large.
        None => {
            let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            pb.set_style(
                ProgressStyle::with_template("{spinner} bucketing {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb
        }
    };
    Some(pb)
}

/// Usernames hashed together (a few batches of the widest MD5 kernel).
const BATCH: usize = 64;

/// What deciding a user needs, shared by every worker thread.
struct Decider<'a> {
    exp: &'a Experiment,
    idx: &'a UserIndex,
    opts: &'a Options,
    json: bool,
    use_enrollments: bool,
}

/// One chunk's results: its output lines (or, for `--summary`, each user's stage and bucket)
/// and what the final counts and warnings need, with line numbers counted from the chunk's start.
#[derive(Default)]
struct Done {
    out: Vec<u8>,
    /// `--summary`: `stage << STAGE_SHIFT | bucket` per user.
    placed: Vec<u32>,
    lines: u64,
    users: u64,
    unsettled: u64,
    inner_space: Skipped,
    too_long: Skipped,
}

/// A chunk that stops the run: a line that is not UTF-8 (numbered from the chunk's start), or
/// an error of the decision.
enum Failed {
    NotUtf8 { line: u64 },
    Error(Error),
}

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed::Error(e)
    }
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Failed {
        Failed::Error(e.into())
    }
}

/// Where a `--summary` code keeps the stage (buckets are below [`SUMMARY_MAX_BUCKETS`]).
const STAGE_SHIFT: u32 = 24;
const MAIN_OFF: u32 = 0;
const OUTSIDE_WINDOW: u32 = 1;
const FORCED: u32 = 2;
const HASHED: u32 = 3;
const ANONYMOUS_HASH: u32 = 4;

impl Decider<'_> {
    #[inline]
    fn user(&self, d: &mut Done, name: &str, hash: Option<u32>) -> Result<()> {
        let subject = Line {
            name,
            idx: self.idx,
            opts: self.opts,
        };
        let enrolled = match self.opts.enrolled_at {
            Some(t) => Some(t),
            None if self.use_enrollments => match self.idx.enrolled.get(name) {
                Some(Enrolled::At(t)) => Some(*t),
                _ => None,
            },
            None => None,
        };
        let check = Check {
            subject: &subject,
            request: RequestInfo {
                language: self.opts.attrs.language.as_deref(),
            },
            enrolled,
            assume_percent: self.opts.assume_percent,
            hash,
        };
        let o = self.exp.evaluate(&check, &mut NoTrace);
        super::crash_check(self.exp, &o)?;
        let unsettled = !o.rolls.is_empty() && o.bucket_rests_on_roll();
        d.users += 1;
        if unsettled {
            d.unsettled += 1;
        }
        if self.opts.summary {
            let stage = match o.stage {
                Stage::MainOff => MAIN_OFF,
                Stage::OutsideWindow(_) => OUTSIDE_WINDOW,
                Stage::Forced { .. } => FORCED,
                Stage::Hashed { n: Some(_) } => HASHED,
                Stage::Hashed { n: None } => ANONYMOUS_HASH,
            };
            d.placed.push(stage << STAGE_SHIFT | o.bucket);
            return Ok(());
        }
        let out = &mut d.out;
        if self.json {
            out.extend_from_slice(b"{\"user\":");
            output::write_json_str(out, name)?;
            out.extend_from_slice(b",\"bucket\":");
            output::write_u64(out, u64::from(o.bucket))?;
            if unsettled {
                out.extend_from_slice(b",\"decided\":false");
            }
            out.extend_from_slice(b"}\n");
        } else {
            out.extend_from_slice(name.as_bytes());
            out.push(b'\t');
            output::write_u64(out, u64::from(o.bucket))?;
            out.push(b'\n');
        }
        Ok(())
    }

    /// Usernames hashed side by side, then each decided in order.
    fn batch(&self, d: &mut Done, names: &[&str]) -> Result<()> {
        let mut bytes: [&[u8]; BATCH] = [&[]; BATCH];
        for (b, n) in bytes.iter_mut().zip(names) {
            *b = n.as_bytes();
        }
        let mut n = [0u32; BATCH];
        self.exp
            .hasher()
            .n_many(&bytes[..names.len()], &mut n[..names.len()]);
        for (name, n) in names.iter().zip(n) {
            self.user(d, name, Some(n))?;
        }
        Ok(())
    }

    /// A chunk of whole lines (each ending in a newline, except perhaps the last one of the
    /// input), `first` when it starts the input: checked as UTF-8 in one go, then split.
    fn chunk(&self, bytes: &[u8], first: bool) -> std::result::Result<Done, Failed> {
        let text = std::str::from_utf8(bytes).map_err(|e| Failed::NotUtf8 {
            line: 1 + memchr::memchr_iter(b'\n', &bytes[..e.valid_up_to()]).count() as u64,
        })?;
        let text = text.strip_suffix('\n').unwrap_or(text);
        // A byte-order mark (Windows editors write one) is not part of the first username.
        let text = if first {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let mut d = Done {
            out: Vec::with_capacity(if self.opts.summary {
                0
            } else {
                bytes.len() * 5 / 4
            }),
            ..Done::default()
        };
        let mut batch = [""; BATCH];
        let mut k = 0;
        for line in text.split('\n') {
            d.lines += 1;
            // Surrounding blanks and a CRLF's `\r` are not part of the name.
            let name = line.trim();
            if crate::types::has_space(name) {
                d.inner_space.add(d.lines);
            } else if name.len() > USERNAME_MAX_CHARS && name.chars().count() > USERNAME_MAX_CHARS {
                d.too_long.add(d.lines);
            } else if !name.is_empty() {
                batch[k] = name;
                k += 1;
                if k == BATCH {
                    self.batch(&mut d, &batch)?;
                    k = 0;
                }
            }
        }
        self.batch(&mut d, &batch[..k])?;
        Ok(d)
    }
}

pub(crate) fn run(
    ctx: &Ctx,
    conn: &crate::store::Reader,
    exp: &Experiment,
    path: &Path,
    opts: &Options,
) -> Result<()> {
    if opts.summary && exp.def().num_buckets > SUMMARY_MAX_BUCKETS {
        return Err(Error::usage(format!(
            "--summary tabulates at most {SUMMARY_MAX_BUCKETS} buckets (this experiment has {})",
            exp.def().num_buckets
        )));
    }
    let jobs = crate::commands::jobs::count(opts.jobs)?;
    let idx = load::user_index(conn, exp)?;
    let (input, total) = open(path)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let pb = progress(ctx, total);
    let decider = Decider {
        exp,
        idx: &idx,
        opts,
        json: ctx.json(),
        use_enrollments: exp.window_applies() && !exp.window().is_empty(),
    };
    let mut counts = Counts::default();
    if opts.summary {
        counts.per_bucket = vec![0; exp.def().num_buckets as usize];
        counts.hashed = vec![0; exp.def().num_buckets as usize];
    }
    let mut chunks = crate::commands::jobs::Chunks::new(input);
    let mut first = true;
    let mut line_no: u64 = 0;
    let produce = || {
        let chunk = chunks.next_chunk().map_err(|e| {
            Error::runtime(format!("cannot read users file {}: {e}", path.display()))
        })?;
        if let (Some(pb), Some(_)) = (&pb, total) {
            pb.set_position(chunks.read);
        }
        let starts = std::mem::replace(&mut first, false);
        Ok(chunk.map(|c| (c, starts)))
    };
    let consume = |r: std::result::Result<Done, Failed>| -> Result<bool> {
        let d = match r {
            Ok(d) => d,
            Err(Failed::NotUtf8 { line }) => {
                return Err(Error::usage(format!(
                    "users file {} line {} is not UTF-8",
                    path.display(),
                    line_no + line
                )));
            }
            Err(Failed::Error(e)) => return Err(e),
        };
        out.write_all(&d.out)?;
        counts.inner_space.extend(&d.inner_space, line_no);
        counts.too_long.extend(&d.too_long, line_no);
        line_no += d.lines;
        counts.users += d.users;
        counts.unsettled += d.unsettled;
        for &code in &d.placed {
            let bucket = (code & ((1 << STAGE_SHIFT) - 1)) as usize;
            counts.per_bucket[bucket] += 1;
            match code >> STAGE_SHIFT {
                MAIN_OFF => counts.main_off += 1,
                OUTSIDE_WINDOW => counts.outside_window += 1,
                FORCED => counts.forced += 1,
                HASHED => counts.hashed[bucket] += 1,
                _ => counts.anonymous_hash += 1,
            }
        }
        if let (Some(pb), None) = (&pb, total) {
            if line_no >= LARGE_INPUT_LINES && pb.is_hidden() {
                pb.set_draw_target(ProgressDrawTarget::stderr());
            }
            pb.set_message(format!("{line_no} lines"));
            pb.tick();
        }
        Ok(true)
    };
    crate::commands::jobs::ordered(
        jobs,
        || (),
        produce,
        |(), (bytes, starts): (Vec<u8>, bool)| decider.chunk(&bytes, starts),
        consume,
    )?;
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    if opts.summary {
        drop(out);
        summary(ctx, exp, &counts)?;
    } else {
        out.flush()?;
    }
    let shown = if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        format!("users file {}", path.display())
    };
    if counts.inner_space.count > 0 {
        ctx.warn(format!(
            "{} line(s) of {shown} hold a name with whitespace inside (lines {}): skipped, as no LMS username contains whitespace or a control character",
            counts.inner_space.count,
            counts.inner_space.lines()
        ));
    }
    if counts.too_long.count > 0 {
        ctx.warn(format!(
            "{} line(s) of {shown} hold a name longer than Django's {USERNAME_MAX_CHARS}-character username limit (lines {}): skipped",
            counts.too_long.count,
            counts.too_long.lines()
        ));
    }
    if counts.users == 0 {
        ctx.warn(format!("{shown} holds no username: nothing bucketed"));
    }
    if counts.unsettled > 0 {
        ctx.warn(format!(
            "{} users' buckets rest on a random percent roll, taken as admitting them; settle it with --assume-percent in|out",
            counts.unsettled
        ));
    }
    Ok(())
}

fn share(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    }
}

/// `bucket --users-file F --summary --json`.
#[derive(Serialize)]
struct SummaryJson<'a> {
    flag: &'a str,
    course: Option<String>,
    users: u64,
    buckets: Vec<BucketCountJson>,
    stages: StagesJson,
    unsettled_rolls: u64,
    chi_square: Option<ChiSquareJson>,
}

#[derive(Serialize)]
struct BucketCountJson {
    bucket: usize,
    users: u64,
    share: f64,
    hashed: u64,
}

/// How many users each stage of the decision placed.
#[derive(Serialize)]
struct StagesJson {
    hash: u64,
    forced: u64,
    main_flag_off: u64,
    outside_window: u64,
}

/// The uniformity test over the users the hash placed.
#[derive(Serialize)]
struct ChiSquareJson {
    users: u64,
    statistic: f64,
    df: u32,
    p_value: f64,
}

fn summary(ctx: &Ctx, exp: &Experiment, c: &Counts) -> Result<()> {
    let hashed_total: u64 = c.hashed.iter().sum();
    let test = stats::uniformity(&c.hashed);
    if ctx.json() {
        let buckets = c
            .per_bucket
            .iter()
            .enumerate()
            .map(|(b, &n)| BucketCountJson {
                bucket: b,
                users: n,
                share: share(n, c.users),
                hashed: c.hashed[b],
            })
            .collect();
        let v = SummaryJson {
            flag: &exp.def().name,
            course: exp.course().map(|k| k.to_string()),
            users: c.users,
            buckets,
            stages: StagesJson {
                hash: hashed_total,
                forced: c.forced,
                main_flag_off: c.main_off,
                outside_window: c.outside_window,
            },
            unsettled_rolls: c.unsettled,
            chi_square: test.as_ref().map(|f| ChiSquareJson {
                users: hashed_total,
                statistic: f.test.statistic,
                df: f.test.df,
                p_value: f.test.p_value,
            }),
        };
        return output::json(&v);
    }
    let widest = c.per_bucket.iter().copied().max().unwrap_or(0);
    let mut t = Table::new(["BUCKET", "USERS", "SHARE", "HISTOGRAM"]);
    for (b, &n) in c.per_bucket.iter().enumerate() {
        let bar = if widest == 0 {
            0
        } else {
            ((n as f64 / widest as f64) * 40.0).round() as usize
        };
        t.row([
            b.to_string(),
            n.to_string(),
            format!("{:.2}%", 100.0 * share(n, c.users)),
            "#".repeat(bar),
        ]);
    }
    t.print(ctx.format, ctx.color)?;
    let mut lines = vec![format!(
        "{} users: {hashed_total} bucketed by the hash, {} forced by bucket flags, {} with the main flag off, {} outside the enrollment window",
        c.users, c.forced, c.main_off, c.outside_window
    )];
    match test {
        Some(f) => {
            let t = f.test;
            let verdict = match f.spread() {
                Spread::TooFewData => {
                    "too few users to judge the spread: the test needs about 5 per bucket"
                }
                Spread::Off => "the hashed users are not spread evenly",
                Spread::WeakEvidence => "weak evidence of an uneven spread",
                Spread::Consistent => "consistent with an even spread",
            };
            lines.push(format!(
                "chi-square test of uniformity over the {hashed_total} hashed users: statistic {:.3}, {} degrees of freedom, p-value {:.4} ({verdict})",
                t.statistic, t.df, t.p_value
            ));
        }
        None => lines.push(
            "chi-square test of uniformity: not applicable (needs hashed users and at least 2 buckets)"
                .into(),
        ),
    }
    output::out(&lines.join("\n"))
}

#[cfg(test)]
mod tests {
    //! The bulk path (`--users-file`) decides every user exactly as the single-user path
    //! (`--user`) does: compared here, in the library, over 100,000 users of a store that
    //! exercises every step (staff, superusers, groups, whitelists, enrollments before and
    //! inside the window).

    use super::*;
    use crate::commands::bucket::{DefinitionOptions, definition, enrollment, request_user};
    use crate::engine::CourseKey;
    use crate::store::Store;

    const DEMO: &str = "course-v1:edX+DemoX+Demo_Course";
    const NOW: &str = "2026-01-02T03:04:05";

    /// Runs one command in-process on the store at `db`; it must succeed.
    fn cli(db: &Path, args: &[&str]) {
        let mut all = vec!["wafflectl", "-q", "--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        assert_eq!(crate::run(all), 0, "wafflectl {args:?}");
    }

    fn rich(db: &Path) -> Vec<String> {
        cli(db, &["init"]);
        cli(db, &["group", "add", "beta"]);
        cli(db, &["group", "add", "qa"]);
        cli(
            db,
            &[
                "experiment",
                "create",
                "bulk.exp",
                "--buckets",
                "5",
                "--id",
                "3",
            ],
        );
        cli(
            db,
            &[
                "flag",
                "set",
                "bulk.exp",
                "--everyone",
                "unset",
                "--authenticated",
            ],
        );
        cli(
            db,
            &[
                "experiment",
                "kv",
                "set",
                "3",
                "enrollment_start",
                "2025-01-01",
            ],
        );
        let mut stored = Vec::new();
        for i in 0..120 {
            let name = format!("u{i}");
            let mut args = vec!["user", "add", name.as_str()];
            if i % 7 == 0 {
                args.push("--staff");
            }
            if i % 11 == 0 {
                args.push("--superuser");
            }
            if i % 5 == 0 {
                args.extend(["--group", "beta"]);
            }
            if i % 13 == 0 {
                args.extend(["--group", "qa"]);
            }
            cli(db, &args);
            if i % 3 == 0 {
                let at = if i % 2 == 0 {
                    "2024-06-01"
                } else {
                    "2025-06-01"
                };
                cli(db, &["user", "enroll", &name, DEMO, "--at", at]);
            }
            stored.push(name);
        }
        let whitelist: [&[&str]; 4] = [
            &["3", "--staff"],
            &["2", "--group", "beta"],
            &["4", "--user", "u13"],
            &["4", "--group", "qa"],
        ];
        for entry in whitelist {
            let mut args = vec!["experiment", "whitelist", "add", "bulk.exp"];
            args.extend(entry);
            cli(db, &args);
        }
        cli(db, &["flag", "create", "bulk.exp.1", "--superusers"]);
        stored
    }

    #[test]
    fn bulk_decides_as_single_for_100000_users() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("waffle.db");
        let mut names = rich(&db);
        let store_users = names.len();
        names.extend((0..100_000 - store_users).map(|i| format!("learner_{i:06}")));

        let store = Store::open(
            &crate::store::Location::File(db.clone()),
            std::time::Duration::ZERO,
        )
        .unwrap();
        let conn = store.conn();
        let now = crate::time::parse_typed_on("--now", NOW, chrono::NaiveDate::default())
            .unwrap()
            .instant;
        let course = CourseKey::parse(DEMO).unwrap();
        let (def, _) = definition(conn, "bulk.exp", DefinitionOptions::default()).unwrap();
        let exp = load::experiment(conn, def, Some(course), now).unwrap();

        // Bulk: the preloaded index, many hashes at a time, output lines.
        let idx = load::user_index(conn, &exp).unwrap();
        let opts = Options {
            summary: false,
            assume_percent: None,
            enrolled_at: None,
            attrs: AttributeArgs::default(),
            jobs: None,
        };
        let decider = Decider {
            exp: &exp,
            idx: &idx,
            opts: &opts,
            json: false,
            use_enrollments: exp.window_applies() && !exp.window().is_empty(),
        };
        let input = names.join("\n") + "\n";
        let Ok(done) = decider.chunk(input.as_bytes(), true) else {
            panic!("the chunk failed")
        };
        let out = String::from_utf8(done.out).unwrap();
        let bulk: Vec<(&str, u32)> = out
            .lines()
            .map(|l| {
                let (u, b) = l.split_once('\t').unwrap();
                (u, b.parse().unwrap())
            })
            .collect();
        assert_eq!(bulk.len(), names.len());

        // Single: the store's user, its enrollment, one evaluation each.
        let mut stages = std::collections::BTreeMap::new();
        for (name, (bulk_name, bulk_bucket)) in names.iter().zip(&bulk) {
            assert_eq!(name, bulk_name);
            let w = request_user(conn, Some(name), false, false, false, &[]).unwrap();
            let (enrolled, _) = enrollment(conn, &w, exp.course(), None).unwrap();
            let check = Check {
                subject: &w.person,
                request: RequestInfo::default(),
                enrolled: match enrolled {
                    Enrolled::At(t) => Some(t),
                    _ => None,
                },
                assume_percent: None,
                hash: None,
            };
            let o = exp.evaluate(&check, &mut NoTrace);
            assert_eq!(o.bucket, *bulk_bucket, "{name}: single {o:?}");
            let stage = match o.stage {
                Stage::MainOff => "main off",
                Stage::OutsideWindow(_) => "outside window",
                Stage::Forced { bucket, .. } => ["0", "1", "2", "3", "4"][bucket as usize],
                Stage::Hashed { .. } => "hash",
            };
            *stages.entry(stage).or_insert(0u32) += 1;
        }
        // Every path was taken: outside the window, forced into buckets 1 to 4, the hash.
        for s in ["outside window", "1", "2", "3", "4", "hash"] {
            assert!(stages.contains_key(s), "{s} never taken: {stages:?}");
        }
    }
}
