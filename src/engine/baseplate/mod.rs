//! Reddit baseplate experiments (`spec/baseplate.md`): what `Experiments.variant()` of Python
//! baseplate 1.5.5 returns for one experiment config and one set of inputs, whether it logs a
//! bucketing event, and which exception escapes — plus bulk evaluation and a linter.
//!
//! Configs and inputs are JSON values given Python's meaning (§9): `py` models the operations
//! baseplate applies to them (`==`, ordering, `in`, truthiness, `str()`), `parse` is
//! `parse_experiment`, `eval` the providers' `variant()` and the client's event rule, `hash` the
//! SHA-1 bucketing, `tree` the targeting trees, `lint` the authoring checks, `rule` the decision as a rule over text
//! inputs for `sql variant`.
//!
//! Limits of the model (documented where they apply): integers beyond u64 are floats (serde_json);
//! targeting trees deeper than [`tree::MAX_TREE_DEPTH`] are invalid; `int()` of strings longer than a
//! few thousand digits is a ValueError (Python 3.11+); `repr` of exotic non-printable Unicode in
//! list/dict values may differ.

mod args;
mod bulk;
mod eval;
mod hash;
mod lint;
mod parse;
mod py;
mod rule;
mod settled;
mod shares;
mod tree;

#[cfg(test)]
mod vectors;

use serde_json::{Map, Value};

pub use bulk::{Bulk, BulkOutcome};
pub use lint::{Finding, Level, lint, shared_ids};
pub use parse::parse;
pub use rule::{RESERVED, Rule, Test, rule};
pub use settled::{Settled, settled};
pub use shares::expected_shares;

/// A Python exception class that escapes `variant()` or makes a config invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
// The names are Python's exception classes, spelled as Python spells them.
#[allow(clippy::enum_variant_names)]
pub enum PyError {
    TypeError,
    KeyError,
    ValueError,
    AssertionError,
    AttributeError,
    /// `bucket % 0`: r2 with no variants, `num_buckets: 0`.
    ZeroDivisionError,
    /// `int(inf)`: a size or percentage so large that `size * n` overflows to infinity.
    OverflowError,
}

impl PyError {
    /// The Python class name, e.g. `"TypeError"`.
    pub fn name(self) -> &'static str {
        match self {
            PyError::TypeError => "TypeError",
            PyError::KeyError => "KeyError",
            PyError::ValueError => "ValueError",
            PyError::AssertionError => "AssertionError",
            PyError::AttributeError => "AttributeError",
            PyError::ZeroDivisionError => "ZeroDivisionError",
            PyError::OverflowError => "OverflowError",
        }
    }
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `parse_experiment` failed: the exception and a one-line message naming the rule (e.g.
/// "experiment_version must be a non-zero integer, got 0 (§2.5)").
#[derive(Debug, Clone)]
pub struct Invalid {
    pub error: PyError,
    /// A short stable id of the broken rule, e.g. `"experiment_version-zero"` (the lint rule).
    pub rule: &'static str,
    pub message: String,
}

/// One step of a decision, for people.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    /// "window", "enabled", "type", "global_override", "overrides", "bucket value",
    /// "targeting", "bucket", "variant set", "event", "call", "config".
    pub step: &'static str,
    pub detail: String,
}

/// What one `Experiments.variant()` call does.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Null, a string, or any JSON value (global_override returns its raw value).
    pub variant: Value,
    /// The bucket when one was computed (and is a non-negative integer).
    pub bucket: Option<u64>,
    /// The client logs a bucketing event (§5).
    pub event: bool,
    /// The exception class escaping `Experiments.variant()`, else None.
    pub raises: Option<PyError>,
    /// One line: what decided.
    pub reason: String,
    /// Every step taken, in order.
    pub steps: Vec<Step>,
}

/// Exactly what `Experiments.variant(key, **inputs)` does on a fresh client (one request) whose
/// file holds `config` under that key (None = key missing), with `time.time() == now`.
///
/// An invalid config gives variant Null, event false, raises None and a reason naming the rule.
/// The client's own parameters among `inputs` act as in Python: `experiment_name` raises
/// TypeError (given twice), a truthy `user` raises AttributeError (no `event_fields()`),
/// `bucketing_event_override: false` suppresses the event, `name` is dropped.
pub fn evaluate(config: Option<&Value>, inputs: &Map<String, Value>, now: f64) -> Outcome {
    let mut out = Outcome {
        variant: Value::Null,
        bucket: None,
        event: false,
        raises: None,
        reason: String::new(),
        steps: Vec::new(),
    };
    let call = args::Call::from_map(inputs);
    if call.dup_name {
        out.raises = Some(PyError::TypeError);
        out.reason = "TypeError: variant() got multiple values for experiment_name".into();
        return out;
    }
    let Some(config) = config else {
        out.reason = "no experiment under that key: None".into();
        out.steps.push(Step {
            step: "config",
            detail: "the key is not in the file".into(),
        });
        return out;
    };
    let parsed = match parse(config, now) {
        Ok(p) => p,
        Err(inv) => {
            out.reason = format!("invalid config ({}): {}", inv.error.name(), inv.message);
            out.steps.push(Step {
                step: "config",
                detail: out.reason.clone(),
            });
            return out;
        }
    };
    let mut tr = eval::Steps {
        steps: parsed.notes.clone(),
        reason: String::new(),
    };
    let r = eval::call(&parsed, &call, "", None, &mut tr);
    out.variant = r.out.to_value();
    out.bucket = r.bucket.and_then(py::Num::as_u64);
    out.event = r.event;
    out.raises = r.raises;
    out.reason = tr.reason;
    out.steps = tr.steps;
    out
}
