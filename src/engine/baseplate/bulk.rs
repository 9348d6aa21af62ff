//! Bulk evaluation: one parsed experiment, many values of its bucketing input.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::PyError;
use super::args::{Call, Slot};
use super::eval::{self, NoTrace, Out};
use super::hash::Seed;
use super::parse::{Key, Kind, Parsed};

/// The same parsed experiment for many values of its `bucket_val` input (each a string, as read
/// from one line of a file), the other inputs fixed.
///
/// [`Bulk::eval`] gives exactly what [`super::evaluate`] gives for `inputs = fixed +
/// {bucket_val: line}` (one fresh client per value, so no dedup), at the `now` given to
/// [`super::parse`]. The seed's SHA-1 state is precomputed and steps are never formatted, so the
/// common path does not allocate.
pub struct Bulk<'a> {
    parsed: &'a Parsed,
    call: Call<'static>,
    #[cfg(test)]
    bucket_val: String,
}

/// One value's result, borrowing variant names from the parsed config.
#[derive(Debug, Clone, Copy)]
pub struct BulkOutcome<'a> {
    /// The variant when it is a string (None for Python None and for non-string values).
    pub variant: Option<&'a str>,
    /// The variant when it is neither a string nor None (a raw `global_override` value, or a
    /// variant `name` that is not a string).
    pub raw: Option<&'a Value>,
    /// The bucket when one was computed (and is a non-negative integer).
    pub bucket: Option<u64>,
    /// The client logs a bucketing event.
    pub event: bool,
    /// The exception class escaping `variant()`.
    pub raises: Option<PyError>,
}

impl BulkOutcome<'_> {
    /// The variant as a JSON value (Null, a string, or the raw value).
    #[cfg(test)]
    pub fn to_value(self) -> Value {
        match (self.variant, self.raw) {
            (Some(s), _) => Value::String(s.to_string()),
            (None, Some(v)) => v.clone(),
            (None, None) => Value::Null,
        }
    }
}

impl<'a> Bulk<'a> {
    /// Prepares `parsed` for values of its bucketing input, `fixed` holding the other inputs (a
    /// `fixed` entry named like the bucketing input is replaced by each value).
    pub fn new(parsed: &'a Parsed, fixed: &Map<String, Value>) -> Bulk<'a> {
        let bucket_val = match &parsed.kind {
            Kind::Legacy(l) => key_name(&l.bucket_val),
            Kind::Simple(s) => key_name(&s.bucket_val),
            Kind::Forced { .. } => "user_id".to_string(),
        };
        let mut entries: Vec<(Cow<'static, str>, Slot<'static>)> = fixed
            .iter()
            .map(|(k, v)| {
                let slot = if *k == bucket_val {
                    Slot::Line
                } else {
                    Slot::Val(Cow::Owned(v.clone()))
                };
                (Cow::Owned(k.clone()), slot)
            })
            .collect();
        if !fixed.contains_key(&bucket_val) {
            entries.push((Cow::Owned(bucket_val.clone()), Slot::Line));
        }
        Bulk {
            parsed,
            call: Call::new(entries.into_iter()),
            #[cfg(test)]
            bucket_val,
        }
    }

    /// The input name the lines fill: the configured `bucket_val` as spelled (a non-string
    /// `bucket_val`, or a forced experiment, gives `user_id`).
    #[cfg(test)]
    pub fn bucket_val(&self) -> &str {
        &self.bucket_val
    }

    /// The hasher of the lines, when the experiment hashes its bucketing value.
    fn seed(&self) -> Option<&'a Seed> {
        match &self.parsed.kind {
            Kind::Legacy(l) if matches!(l.bucket_val, Key::Str(_)) => Some(&l.hasher),
            Kind::Simple(s) if s.live && matches!(s.bucket_val, Key::Str(_)) => Some(&s.hasher),
            _ => None,
        }
    }

    /// The SHA-1 of the experiment's seed followed by each value, many side by side, for
    /// [`Bulk::eval_hashed`]; false (and `out` untouched) when the experiment hashes nothing.
    pub fn hash_many(&self, values: &[&[u8]], out: &mut [[u8; 20]]) -> bool {
        match self.seed() {
            Some(h) => {
                h.digest_many(values, out);
                true
            }
            None => false,
        }
    }

    /// Evaluates one value.
    #[cfg(test)]
    pub fn eval(&mut self, value: &str) -> BulkOutcome<'a> {
        self.eval_hashed(value, None)
    }

    /// Evaluates one value whose digest [`Bulk::hash_many`] computed.
    pub fn eval_hashed(&mut self, value: &str, digest: Option<&[u8; 20]>) -> BulkOutcome<'a> {
        let r = eval::call(self.parsed, &self.call, value, digest, &mut NoTrace);
        let (variant, raw) = match r.out {
            Out::None => (None, None),
            Out::Name(s) => (Some(s), None),
            Out::Raw(v) => (None, Some(v)),
        };
        BulkOutcome {
            variant,
            raw,
            bucket: r.bucket.and_then(super::py::Num::as_u64),
            event: r.event,
            raises: r.raises,
        }
    }
}

fn key_name(k: &Key) -> String {
    match k {
        Key::Str(s) => s.clone(),
        _ => "user_id".to_string(),
    }
}
