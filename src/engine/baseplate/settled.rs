//! Whether an experiment answers the same to every caller, whatever the inputs, and why: what
//! `wafflectl stale` asks of a baseplate experiment.

use serde_json::Value;

use super::parse::{Kind, Off, Parsed};

/// Why every `variant()` call of a parsed experiment answers the same.
#[derive(Debug, Clone, PartialEq)]
pub enum Settled {
    /// `global_override` is set (and counts): every call answers its value.
    GlobalOverride(Value),
    /// `enabled` is falsy: every call answers None.
    Disabled,
    /// The window ended at this `stop_ts` (seconds): every call answers None.
    Ended(f64),
    /// The type is not one of the six: every call answers None.
    UnknownType,
}

impl Settled {
    /// The answer every call gives.
    pub fn answer(&self) -> Value {
        match self {
            Settled::GlobalOverride(v) => v.clone(),
            _ => Value::Null,
        }
    }
}

/// The constant answer of `p` at its parse time, if it has one. An experiment that has not
/// started yet is not settled: it will answer differently once it starts.
pub fn settled(p: &Parsed) -> Option<Settled> {
    let off = |o: Off| match o {
        Off::Disabled => Some(Settled::Disabled),
        Off::Ended(stop) => Some(Settled::Ended(stop)),
        Off::NotStarted => None,
    };
    match &p.kind {
        Kind::Forced {
            value,
            from_override: true,
            ..
        } => Some(Settled::GlobalOverride(value.clone())),
        Kind::Forced { .. } => match p.off {
            Some(o) => off(o),
            None => Some(Settled::UnknownType),
        },
        Kind::Simple(s) => match p.off {
            Some(o) => off(o),
            // A simple experiment also needs now < stop_ts on every call.
            None if p.now >= s.stop.to_f64() => Some(Settled::Ended(s.stop.to_f64())),
            None => None,
        },
        Kind::Legacy(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::baseplate::parse;
    use serde_json::json;

    /// Spec §6.3's base configs at T = 1 600 000 000.
    const T: f64 = 1.6e9;

    fn simple(extra: Value) -> Value {
        let mut c = json!({"id": 1, "name": "e", "type": "single_variant", "start_ts": 0,
            "stop_ts": 4102444800u64, "experiment": {"variants": [{"name": "a", "size": 0.5},
            {"name": "b", "size": 0.5}], "experiment_version": 1, "shuffle_version": 0}});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    }

    fn r2(extra: Value) -> Value {
        let mut c = simple(extra);
        c["type"] = json!("r2");
        c["experiment"] =
            json!({"variants": {"a": 50, "b": 50}, "targeting": {"logged_in": [true]}});
        c
    }

    fn of(c: Value) -> Option<Settled> {
        settled(&parse(&c, T).unwrap())
    }

    #[test]
    fn constant_answers_follow_parse_experiment() {
        assert_eq!(of(simple(json!({}))), None);
        assert_eq!(of(r2(json!({}))), None);
        assert_eq!(of(simple(json!({"enabled": 0}))), Some(Settled::Disabled));
        // The string "false" is truthy: enabled.
        assert_eq!(of(simple(json!({"enabled": "false"}))), None);
        // stop_ts == now: a simple experiment is off, a legacy one still on (§4.3).
        assert_eq!(of(simple(json!({"stop_ts": T}))), Some(Settled::Ended(T)));
        assert_eq!(of(r2(json!({"stop_ts": T}))), None);
        assert_eq!(
            of(r2(json!({"stop_ts": T - 1.0}))),
            Some(Settled::Ended(T - 1.0))
        );
        // A disabled legacy experiment ignores its global override; a simple one answers it.
        let go = json!({"enabled": false, "global_override": "gvar"});
        assert_eq!(of(r2(go.clone())), Some(Settled::Disabled));
        assert_eq!(of(simple(go)), Some(Settled::GlobalOverride(json!("gvar"))));
        assert_eq!(
            of(simple(json!({"global_override": null}))).map(|s| s.answer()),
            Some(Value::Null)
        );
        assert_eq!(
            of(simple(json!({"type": "dynamic_config"}))),
            Some(Settled::UnknownType)
        );
        assert_eq!(of(simple(json!({"start_ts": T + 1.0}))), None);
    }
}
