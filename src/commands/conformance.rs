//! `wafflectl conformance-inputs dates|keys FILE` (hidden): how wafflectl reads each case, one
//! JSON object a line, for conformance/inputs/ to compare with python-dateutil 2.9.0 and
//! edx-opaque-keys in bulk. Needs no store.
//!
//! dates: `{"read": "YYYY-MM-DDTHH:MM:SS.ffffff"|null, "offset": seconds|null,
//! "error": null|"value"|"overflow", "stored": text|null, "instant": ...|null,
//! "typed_error": null|"value"|"overflow"}` — `read` is what edX makes of the text stored as is,
//! `stored`/`instant` what `kv set` would store and the instant edX reads from it.
//! keys: `{"ok": bool, "canonical": text|null}`.

use std::io::{BufRead, BufReader, Write};

use serde::Serialize;

use crate::cli::{ConformanceInputsArgs, InputKind};
use crate::engine::CourseKey;
use crate::engine::dateutil::{self, Failure};
use crate::error::{Error, Result};

fn failure(e: &Failure) -> &'static str {
    if e.is_overflow() { "overflow" } else { "value" }
}

/// One date case (see the module's documentation).
#[derive(Serialize)]
struct DateCase {
    read: Option<String>,
    offset: Option<i64>,
    error: Option<&'static str>,
    stored: Option<String>,
    instant: Option<String>,
    typed_error: Option<&'static str>,
}

/// One course key case.
#[derive(Serialize)]
struct KeyCase {
    ok: bool,
    canonical: Option<String>,
}

fn date_case(s: &str, today: chrono::NaiveDate) -> DateCase {
    let fmt = |t: &chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    let (read, offset, error) = match dateutil::parse_full(s, today) {
        Ok(p) => (Some(fmt(&p.naive)), p.offset, None),
        Err(e) => (None, None, Some(failure(&e))),
    };
    let (stored, instant, typed_error) = match dateutil::typed(s, today) {
        Ok(t) => (Some(t.stored), Some(fmt(&t.instant)), None),
        Err(e) => (None, None, Some(failure(&e))),
    };
    DateCase {
        read,
        offset,
        error,
        stored,
        instant,
        typed_error,
    }
}

fn key_case(s: &str) -> KeyCase {
    let canonical = CourseKey::parse(s).ok().map(|k| k.to_string());
    KeyCase {
        ok: canonical.is_some(),
        canonical,
    }
}

pub(crate) fn run(ctx: &crate::context::Ctx, a: ConformanceInputsArgs) -> Result<()> {
    let f = std::fs::File::open(&a.file)
        .map_err(|e| Error::runtime(format!("cannot open {}: {e}", a.file.display())))?;
    let today = ctx.now.date_naive();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line?;
        let case: String = serde_json::from_str(&line).map_err(|e| {
            Error::usage(format!(
                "{}: line {}: not a JSON string: {e}",
                a.file.display(),
                n + 1
            ))
        })?;
        let v = match a.kind {
            InputKind::Dates => serde_json::to_string(&date_case(&case, today))?,
            InputKind::Keys => serde_json::to_string(&key_case(&case))?,
        };
        writeln!(out, "{v}")?;
    }
    out.flush()?;
    Ok(())
}
