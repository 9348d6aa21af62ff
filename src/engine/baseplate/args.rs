//! The keyword arguments of one `Experiments.variant()` call (§4, §5).
//!
//! Providers read inputs two ways: by the caller's own names (targeting trees, the bucketing
//! event's unique id) and by lower-cased names (`{k.lower(): v}`, the later of two colliding
//! names winning: bucket value, r2 overrides and targeting). For bulk evaluation one input is a
//! [`Slot::Line`] that stands for the current line, so nothing is rebuilt per value.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::py::{self, V};

/// Where an input's value lives.
#[derive(Debug, Clone)]
pub(crate) enum Slot<'a> {
    Val(Cow<'a, Value>),
    /// The bulk line being evaluated (a str).
    Line,
}

impl Slot<'_> {
    pub(crate) fn view<'s>(&'s self, line: &'s str) -> V<'s> {
        match self {
            Slot::Val(v) => V::of(v),
            Slot::Line => V::Str(line),
        }
    }
}

/// Inputs as the provider sees them (the client's own parameters removed).
#[derive(Debug, Clone, Default)]
pub(crate) struct Args<'a> {
    orig: Vec<(Cow<'a, str>, Slot<'a>)>,
    /// Lower-cased name -> index into `orig` (the later of colliding names).
    lower: Vec<(String, usize)>,
}

impl<'a> Args<'a> {
    /// From distinct names in call order.
    pub(crate) fn new(entries: Vec<(Cow<'a, str>, Slot<'a>)>) -> Args<'a> {
        let mut lower: Vec<(String, usize)> = Vec::with_capacity(entries.len());
        for (i, (k, _)) in entries.iter().enumerate() {
            let lk = py::lower(k);
            match lower.iter_mut().find(|(l, _)| *l == lk) {
                Some(e) => e.1 = i,
                None => lower.push((lk.into_owned(), i)),
            }
        }
        Args {
            orig: entries,
            lower,
        }
    }

    #[cfg(test)]
    pub(crate) fn from_map(m: &'a Map<String, Value>) -> Args<'a> {
        Args::new(
            m.iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Slot::Val(Cow::Borrowed(v))))
                .collect(),
        )
    }

    /// `kwargs.get(name)`.
    pub(crate) fn get<'s>(&'s self, name: &str, line: &'s str) -> Option<V<'s>> {
        self.orig
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, s)| s.view(line))
    }

    /// `lower_kwargs.get(name)`.
    pub(crate) fn get_lower<'s>(&'s self, name: &str, line: &'s str) -> Option<V<'s>> {
        self.lower
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|&(_, i)| self.orig.get(i))
            .map(|(_, s)| s.view(line))
    }
}

/// One call: provider inputs plus what the client parameters do.
#[derive(Debug, Clone, Default)]
pub(crate) struct Call<'a> {
    pub(crate) args: Args<'a>,
    /// `experiment_name=` given twice: TypeError before anything happens.
    pub(crate) dup_name: bool,
    /// The `user=` value: a truthy one has no `event_fields()` (AttributeError).
    pub(crate) user: Option<Slot<'a>>,
    /// `bucketing_event_override=False` suppresses the event.
    pub(crate) no_log: bool,
}

impl<'a> Call<'a> {
    pub(crate) fn new(entries: impl Iterator<Item = (Cow<'a, str>, Slot<'a>)>) -> Call<'a> {
        let mut c = Call::default();
        let mut rest = Vec::new();
        for (k, s) in entries {
            match k.as_ref() {
                "experiment_name" => c.dup_name = true,
                "user" => c.user = Some(s),
                "bucketing_event_override" => {
                    c.no_log = matches!(&s, Slot::Val(v) if **v == Value::Bool(false));
                }
                "name" => {}
                _ => rest.push((k, s)),
            }
        }
        c.args = Args::new(rest);
        c
    }

    pub(crate) fn from_map(m: &'a Map<String, Value>) -> Call<'a> {
        Call::new(
            m.iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Slot::Val(Cow::Borrowed(v)))),
        )
    }

    /// A truthy `user` makes the client call `user.event_fields()` (AttributeError).
    pub(crate) fn user_raises(&self, line: &str) -> bool {
        self.user.as_ref().is_some_and(|s| py::truthy(s.view(line)))
    }
}
