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

use serde_json::{Value, json};

use crate::cli::{ConformanceInputsArgs, InputKind};
use crate::engine::CourseKey;
use crate::engine::dateutil::{self, Failure};
use crate::error::{Error, Result};

fn failure(e: &Failure) -> &'static str {
    if e.is_overflow() { "overflow" } else { "value" }
}

fn date_case(s: &str, today: chrono::NaiveDate) -> Value {
    let fmt = |t: &chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    let mut v = match dateutil::parse_full(s, today) {
        Ok(p) => json!({"read": fmt(&p.naive), "offset": p.offset, "error": null}),
        Err(e) => json!({"read": null, "offset": null, "error": failure(&e)}),
    };
    match dateutil::typed(s, today) {
        Ok(t) => {
            v["stored"] = json!(t.stored);
            v["instant"] = json!(fmt(&t.instant));
            v["typed_error"] = Value::Null;
        }
        Err(e) => {
            v["stored"] = Value::Null;
            v["instant"] = Value::Null;
            v["typed_error"] = json!(failure(&e));
        }
    }
    v
}

fn key_case(s: &str) -> Value {
    match CourseKey::parse(s) {
        Ok(k) => json!({"ok": true, "canonical": k.to_string()}),
        Err(_) => json!({"ok": false, "canonical": null}),
    }
}

pub fn run(a: ConformanceInputsArgs) -> Result<()> {
    let f = std::fs::File::open(&a.file)
        .map_err(|e| Error::runtime(format!("cannot open {}: {e}", a.file.display())))?;
    let today = crate::time::now().date_naive();
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
            InputKind::Dates => date_case(&case, today),
            InputKind::Keys => key_case(&case),
        };
        writeln!(out, "{v}")?;
    }
    out.flush()?;
    Ok(())
}
