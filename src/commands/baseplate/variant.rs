//! `wafflectl variant NAME [KEY=VALUE ...]`: what `Experiments.variant(NAME, **inputs)` answers,
//! with every step; `--users-file` for many values of the bucketing input; `--file` to read an
//! experiments.json instead of the store.

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{now_secs, typed_scalar};
use crate::cli::VariantArgs;
use crate::context::Ctx;
use crate::engine::baseplate::{self as engine, Outcome, PyError, RESERVED, Step};
use crate::engine::stats::{self, ChiSquare, Spread};
use crate::error::{Error, Result};
use crate::output::{self, Fields, Table};

/// `KEY=VALUE` (true/false/numbers typed like JSON, else text) and `KEY:=JSON`, in order; a key
/// given twice is refused (exit 2), as Python refuses a keyword argument repeated in a call.
pub(crate) fn parse_inputs(args: &[String]) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    for a in args {
        let (key, value) = match (a.find(":="), a.find('=')) {
            (Some(i), Some(j)) if i < j => {
                let raw = &a[i + 2..];
                let v = serde_json::from_str(raw).map_err(|e| {
                    Error::usage(format!(
                        "input '{}': the value after := is not JSON: {e}",
                        crate::error::cut(a)
                    ))
                    .with_hint("quote text for JSON and the shell: zip:='\"01234\"'")
                })?;
                (&a[..i], v)
            }
            (_, Some(j)) => (&a[..j], typed_scalar(&a[j + 1..])),
            _ => {
                return Err(Error::usage(format!(
                    "input '{}' is not KEY=VALUE or KEY:=JSON",
                    crate::error::cut(a)
                ))
                .with_hint("e.g. user_id=t2_1 logged_in=true"));
            }
        };
        if key.is_empty() {
            return Err(Error::usage(format!(
                "input '{}' has no name before '='",
                crate::error::cut(a)
            )));
        }
        if RESERVED.contains(&key) {
            return Err(Error::usage(format!(
                "'{}' cannot be an input: Experiments.variant() takes it as its own argument",
                crate::error::cut(key)
            )));
        }
        if m.contains_key(key) {
            return Err(
                Error::usage(format!("input '{}' is given twice", crate::error::cut(key)))
                    .with_hint(
                        "give each input once: Experiments.variant() takes each keyword once",
                    ),
            );
        }
        m.insert(key.to_string(), value);
    }
    Ok(m)
}

/// The experiment's config: from `--file` (a missing key is `None`, as the real client answers
/// it), or from the store (a missing key is exit 1, naming the experiments there are).
fn load(ctx: &Ctx, a: &VariantArgs) -> Result<Option<Value>> {
    if let Some(path) = &a.file {
        let (file, warnings) = crate::interop::baseplate::read(path)?;
        for w in warnings {
            ctx.warn(w);
        }
        if !file.experiments.contains_key(&a.name) {
            ctx.warn(format!(
                "{} has no experiment '{}': variant() answers None",
                path.display(),
                a.name
            ));
        }
        return Ok(file.experiments.get(&a.name).cloned());
    }
    stored(ctx, &a.name).map(Some)
}

/// The config of the store's experiment `name` (a missing one is exit 1, naming the experiments
/// there are).
pub(crate) fn stored(ctx: &Ctx, name: &str) -> Result<Value> {
    let store = ctx.store()?;
    match crate::store::baseplate::get(store.conn(), name)? {
        Some(e) => Ok(e.config),
        None => {
            let keys = crate::store::baseplate::keys(store.conn())?;
            let hint = if keys.is_empty() {
                "the store has no baseplate experiments; create one with: wafflectl experiment create NAME --type ...".to_string()
            } else {
                let shown: Vec<&str> = keys.iter().take(10).map(String::as_str).collect();
                let more = if keys.len() > 10 {
                    format!(" and {} more", keys.len() - 10)
                } else {
                    String::new()
                };
                format!(
                    "baseplate experiments in the store: {}{more}",
                    shown.join(", ")
                )
            };
            Err(Error::runtime(format!(
                "baseplate experiment '{}' not found",
                crate::error::cut(name)
            ))
            .with_hint(hint)
            .missing(crate::error::NameKind::Experiment, name))
        }
    }
}

#[derive(Serialize)]
struct VariantOut<'a> {
    experiment: &'a str,
    variant: &'a Value,
    bucket: Option<u64>,
    event: bool,
    raises: Option<&'static str>,
    reason: &'a str,
    steps: &'a [Step],
}

pub(crate) fn run(ctx: &Ctx, a: VariantArgs) -> Result<()> {
    let inputs = parse_inputs(&a.inputs)?;
    let now = now_secs(ctx, a.now.as_ref());
    let config = load(ctx, &a)?;
    if let Some(path) = &a.users_file {
        return bulk(ctx, &a, config.as_ref(), &inputs, now, path);
    }
    let mut o: Outcome = engine::evaluate(config.as_ref(), &inputs, now);
    if a.no_event {
        o.event = false;
    }
    if ctx.format == output::Format::Plain {
        // Just the variant, as `bucket --format plain` prints just the bucket.
        return match o.raises {
            Some(e) => Err(Error::runtime(format!(
                "variant() raises {} for these inputs: there is no variant",
                e.name()
            ))
            .with_hint("run it without --format plain to see each step")),
            None => output::out(&variant_text(&o.variant, "None")),
        };
    }
    if ctx.json() {
        return output::json(&VariantOut {
            experiment: &a.name,
            variant: &o.variant,
            bucket: o.bucket,
            event: o.event,
            raises: o.raises.map(PyError::name),
            reason: &o.reason,
            steps: &o.steps,
        });
    }
    let mut f = Fields::new();
    f.add("experiment", a.name.clone());
    match o.raises {
        Some(e) => f.add("variant", format!("variant() raises {}", e.name())),
        None => f.add("variant", variant_text(&o.variant, "None")),
    };
    f.add(
        "bucket",
        o.bucket.map_or_else(|| "-".to_string(), |b| b.to_string()),
    );
    f.add(
        "event",
        if o.event {
            "a bucketing event is logged"
        } else {
            "no bucketing event"
        },
    );
    f.add("reason", o.reason.clone());
    let steps: Vec<String> = o
        .steps
        .iter()
        .map(|s| format!("{}: {}", s.step, s.detail))
        .collect();
    f.add("steps", steps.join("\n"));
    f.print(ctx.format, ctx.color)
}

/// A variant as text: strings as they are, None as `none`, any other override value as JSON.
fn variant_text(v: &Value, none: &str) -> String {
    match v {
        Value::Null => none.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Default)]
struct Tally {
    values: u64,
    raised: u64,
    bucketed: u64,
    /// variant text -> (all values, bucketed values)
    per_variant: BTreeMap<String, (u64, u64)>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.values += other.values;
        self.raised += other.raised;
        self.bucketed += other.bucketed;
        for (k, (n, b)) in other.per_variant {
            let e = self.per_variant.entry(k).or_default();
            e.0 += n;
            e.1 += b;
        }
    }
}

/// Values evaluated together (their hashes side by side).
const BATCH: usize = 64;

/// One worker thread's evaluator, counts and reused buffers.
struct Worker<'p> {
    bulk: Option<engine::Bulk<'p>>,
    tally: Tally,
    key: String,
    raw: Vec<u8>,
}

/// One chunk's output and, when a line is not UTF-8, the error after the lines before it.
struct Done {
    out: Vec<u8>,
    failed: bool,
}

/// What every worker shares.
struct Shared<'a> {
    summary: bool,
    json: bool,
    no_event: bool,
    fixed: &'a Map<String, Value>,
}

impl Shared<'_> {
    /// A chunk of whole lines (`first` when it starts the input).
    fn chunk(&self, w: &mut Worker<'_>, bytes: &[u8], first: bool) -> Result<Done> {
        // As reading line by line did: the lines before one that is not UTF-8 are answered.
        let (valid, failed) = match std::str::from_utf8(bytes) {
            Ok(t) => (t, false),
            Err(e) => {
                let upto = memchr::memrchr(b'\n', &bytes[..e.valid_up_to()]).map_or(0, |i| i + 1);
                // The bytes before the last newline before the error are UTF-8.
                (
                    std::str::from_utf8(&bytes[..upto]).unwrap_or_default(),
                    true,
                )
            }
        };
        let mut out = Vec::with_capacity(if self.summary { 0 } else { bytes.len() * 2 });
        let text = valid.strip_suffix('\n').unwrap_or(valid);
        let mut batch = [""; BATCH];
        let mut k = 0;
        if !text.is_empty() || !failed {
            for (i, line) in text.split('\n').enumerate() {
                let mut value = line.trim_end_matches('\r');
                if first && i == 0 {
                    value = value.strip_prefix('\u{feff}').unwrap_or(value);
                }
                let value = value.trim_ascii();
                if value.is_empty() {
                    continue;
                }
                batch[k] = value;
                k += 1;
                if k == BATCH {
                    self.batch(w, &batch, &mut out)?;
                    k = 0;
                }
            }
        }
        self.batch(w, &batch[..k], &mut out)?;
        Ok(Done { out, failed })
    }

    /// Values hashed side by side, then each evaluated in order.
    fn batch(&self, w: &mut Worker<'_>, values: &[&str], out: &mut Vec<u8>) -> Result<()> {
        let mut bytes: [&[u8]; BATCH] = [&[]; BATCH];
        for (b, v) in bytes.iter_mut().zip(values) {
            *b = v.as_bytes();
        }
        let mut digests = [[0u8; 20]; BATCH];
        let hashed = w
            .bulk
            .as_ref()
            .is_some_and(|b| b.hash_many(&bytes[..values.len()], &mut digests[..values.len()]));
        for (value, d) in values.iter().zip(&digests) {
            self.value(w, value, hashed.then_some(d), out)?;
        }
        Ok(())
    }

    fn value(
        &self,
        w: &mut Worker<'_>,
        value: &str,
        digest: Option<&[u8; 20]>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let tally = &mut w.tally;
        tally.values += 1;
        let r = match w.bulk.as_mut() {
            Some(b) => b.eval_hashed(value, digest),
            None => engine::BulkOutcome {
                variant: None,
                raw: None,
                bucket: None,
                event: false,
                raises: None,
            },
        };
        let event = r.event && !self.no_event;
        if r.raises.is_some() {
            tally.raised += 1;
        }
        if self.summary {
            let key = &mut w.key;
            key.clear();
            match (r.raises, r.variant, r.raw) {
                (Some(e), _, _) => {
                    key.push_str("(raises ");
                    key.push_str(e.name());
                    key.push(')');
                }
                (None, Some(v), _) => key.push_str(v),
                (None, None, Some(raw)) => {
                    w.raw.clear();
                    serde_json::to_writer(&mut w.raw, raw)?;
                    key.push_str(std::str::from_utf8(&w.raw).unwrap_or_default());
                }
                (None, None, None) => key.push_str("(none)"),
            }
            let entry = match tally.per_variant.get_mut(key.as_str()) {
                Some(e) => e,
                None => tally.per_variant.entry(key.clone()).or_default(),
            };
            entry.0 += 1;
            if r.bucket.is_some() && r.raises.is_none() {
                entry.1 += 1;
                tally.bucketed += 1;
            }
            return Ok(());
        }
        if self.json {
            out.extend_from_slice(b"{\"value\":");
            output::write_json_str(out, value)?;
            out.extend_from_slice(b",\"variant\":");
            match (r.variant, r.raw) {
                (Some(v), _) => output::write_json_str(out, v)?,
                (None, Some(raw)) => serde_json::to_writer(&mut *out, raw)?,
                (None, None) => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"bucket\":");
            match r.bucket {
                Some(b) => output::write_u64(out, b)?,
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(if event {
                b",\"event\":true"
            } else {
                b",\"event\":false"
            });
            match r.raises {
                Some(e) => {
                    out.extend_from_slice(b",\"raises\":\"");
                    out.extend_from_slice(e.name().as_bytes());
                    out.extend_from_slice(b"\"}");
                }
                None => out.extend_from_slice(b",\"raises\":null}"),
            }
            out.push(b'\n');
        } else {
            out.extend_from_slice(value.as_bytes());
            out.push(b'\t');
            if r.raises.is_none() {
                match (r.variant, r.raw) {
                    (Some(v), _) => out.extend_from_slice(v.as_bytes()),
                    (None, Some(raw)) => serde_json::to_writer(&mut *out, raw)?,
                    (None, None) => {}
                }
            }
            out.push(b'\n');
        }
        Ok(())
    }
}

fn bulk(
    ctx: &Ctx,
    a: &VariantArgs,
    config: Option<&Value>,
    fixed: &Map<String, Value>,
    now: f64,
    path: &std::path::Path,
) -> Result<()> {
    let jobs = crate::commands::jobs::count(a.jobs)?;
    let parsed = match config {
        None => None,
        Some(c) => match engine::parse(c, now) {
            Ok(p) => Some(p),
            Err(inv) => {
                ctx.warn(format!(
                    "baseplate treats '{}' as invalid ({}): every variant is None",
                    a.name, inv.message
                ));
                None
            }
        },
    };
    let read_error = |e: std::io::Error| {
        Error::runtime(format!("cannot read users file {}: {e}", path.display()))
    };
    let (input, len): (Box<dyn Read>, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let f = std::fs::File::open(path).map_err(read_error)?;
        let len = f.metadata().ok().map(|m| m.len());
        (Box::new(f), len)
    };
    let pb = crate::commands::progress(ctx, len.unwrap_or(0), "values");
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let shared = Shared {
        summary: a.summary,
        json: ctx.json(),
        no_event: a.no_event,
        fixed,
    };
    let mut chunks = crate::commands::jobs::Chunks::new(input);
    let mut first = true;
    let workers = crate::commands::jobs::ordered(
        jobs,
        || Worker {
            bulk: parsed.as_ref().map(|p| engine::Bulk::new(p, shared.fixed)),
            tally: Tally::default(),
            key: String::new(),
            raw: Vec::new(),
        },
        || {
            let chunk = chunks.next_chunk().map_err(read_error)?;
            pb.set_position(chunks.read);
            Ok(chunk.map(|c| (c, std::mem::replace(&mut first, false))))
        },
        |w: &mut Worker<'_>, (bytes, starts): (Vec<u8>, bool)| shared.chunk(w, &bytes, starts),
        |done: Result<Done>| {
            let done = done?;
            out.write_all(&done.out)?;
            if done.failed {
                return Err(read_error(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                )));
            }
            Ok(true)
        },
    )?;
    let mut tally = Tally::default();
    for w in workers {
        tally.add(w.tally);
    }
    pb.finish_and_clear();
    out.flush()?;
    drop(out);
    if tally.values == 0 {
        ctx.warn(format!("{} holds no values", path.display()));
    }
    if tally.raised > 0 {
        ctx.warn(format!(
            "for {} values the real client's variant() raises instead of answering (their variant column is empty; --json shows the exception)",
            tally.raised
        ));
    }
    if a.summary {
        let expected = parsed.as_ref().and_then(engine::expected_shares);
        return summary(ctx, &a.name, &tally, expected.as_deref());
    }
    Ok(())
}

#[derive(Serialize)]
struct SummaryRow {
    variant: String,
    values: u64,
    share: f64,
    bucketed: u64,
    expected_share: Option<f64>,
}

/// Count and share per variant; a chi-square test of the hashed values against the configured
/// sizes (over the variants and the unassigned buckets).
fn summary(ctx: &Ctx, name: &str, t: &Tally, expected: Option<&[(String, f64)]>) -> Result<()> {
    let share = |n: u64, d: u64| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    let exp_of = |v: &str| -> Option<f64> {
        let e = expected?;
        if v == "(none)" {
            Some(1.0 - e.iter().map(|(_, s)| s).sum::<f64>())
        } else {
            e.iter().find(|(n, _)| n == v).map(|(_, s)| *s)
        }
    };
    let mut names: Vec<String> = t.per_variant.keys().cloned().collect();
    if let Some(e) = expected {
        for (n, _) in e {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    let rows: Vec<SummaryRow> = names
        .iter()
        .map(|v| {
            let (n, b) = t.per_variant.get(v).copied().unwrap_or((0, 0));
            SummaryRow {
                variant: v.clone(),
                values: n,
                share: share(n, t.values),
                bucketed: b,
                expected_share: exp_of(v),
            }
        })
        .collect();
    // Chi-square over the hashed values: observed per category vs expected share.
    let test = if t.bucketed > 0 && expected.is_some() {
        let (observed, shares): (Vec<u64>, Vec<f64>) = rows
            .iter()
            .filter_map(|r| Some((r.bucketed, r.expected_share?)))
            .unzip();
        stats::goodness_of_fit(&observed, &shares)
    } else {
        None
    };
    if ctx.json() {
        /// `variant --users-file F --summary --json`.
        #[derive(Serialize)]
        struct SummaryJson<'a, R> {
            experiment: &'a str,
            values: u64,
            bucketed: u64,
            raised: u64,
            variants: &'a [R],
            chi_square: Option<ChiSquareJson>,
        }
        /// The test of the hashed values against the configured sizes.
        #[derive(Serialize)]
        struct ChiSquareJson {
            statistic: f64,
            df: u32,
            p_value: f64,
        }
        let v = SummaryJson {
            experiment: name,
            values: t.values,
            bucketed: t.bucketed,
            raised: t.raised,
            variants: &rows,
            chi_square: test.as_ref().map(|f| ChiSquareJson {
                statistic: f.test.statistic,
                df: f.test.df,
                p_value: f.test.p_value,
            }),
        };
        return output::json(&v);
    }
    let mut tb = Table::new(["VARIANT", "VALUES", "SHARE", "EXPECTED"]);
    for r in &rows {
        tb.row([
            r.variant.clone(),
            r.values.to_string(),
            format!("{:.2}%", 100.0 * r.share),
            r.expected_share
                .map_or("-".into(), |p| format!("{:.2}%", 100.0 * p)),
        ]);
    }
    tb.print(ctx.format, ctx.color)?;
    let mut lines = vec![format!(
        "{} values: {} reached the hash (EXPECTED is the share of buckets each variant holds)",
        t.values, t.bucketed
    )];
    match test.as_ref().map(|f| (f.spread(), f.test)) {
        Some((Spread::TooFewData, _)) => lines.push(format!(
            "chi-square test: too few hashed values ({}) to judge the spread: the test needs about 5 per outcome",
            t.bucketed
        )),
        Some((spread, ChiSquare { statistic: s, df, p_value: p })) => {
            let verdict = match spread {
                Spread::Off => "the hashed values do not follow the configured sizes",
                Spread::WeakEvidence => "weak evidence against the configured sizes",
                _ => "consistent with the configured sizes",
            };
            lines.push(format!(
                "chi-square test against the configured sizes over the {} hashed values: statistic {s:.3}, {df} degrees of freedom, p-value {p:.4} ({verdict})",
                t.bucketed
            ));
        }
        None => lines.push(
            "chi-square test: not applicable (needs hashed values and at least 2 outcomes)".into(),
        ),
    }
    output::out(&lines.join("\n"))
}
