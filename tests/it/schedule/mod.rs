//! Scheduled changes: `--at` on write commands, `schedule list|show|cancel|run`.

mod at;
mod run;

use crate::common::Env;

/// A time after every change the tests schedule (the harness's clock is 2026-01-02 03:04:05).
pub(crate) const LATER: &str = "2026-02-01T00:00:00Z";

/// `schedule run` (with any further arguments) with the clock at `now`.
pub(crate) fn run_at(env: &Env, now: &str, args: &str) -> crate::common::Run {
    env.run_with_env("WAFFLECTL_NOW", now, &format!("schedule run {args}"))
}

/// The audit rows of one object as (action, reason), oldest first.
pub(crate) fn audit_of(env: &Env, name: &str) -> Vec<(String, String)> {
    env.all_with(
        "SELECT action, reason FROM wafflectl_audit WHERE object_name = ?1 ORDER BY id",
        [name],
    )
}

/// `schedule run ARGS --json` with the clock at `now`, which must succeed: its JSON.
pub(crate) fn json_at(env: &Env, now: &str, args: &str) -> serde_json::Value {
    let r = run_at(env, now, &format!("{args} --json"));
    assert_eq!(r.code, 0, "schedule run {args}: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON output")
}
