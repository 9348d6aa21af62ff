//! `compare A B` and `promote NAME|GLOB --from A --to B` between SQLite stores.

mod compare;
#[allow(clippy::module_inception)] // promote/promote.rs: the tests of the command `promote`
mod promote;

use crate::common;

use common::Env;

/// A staging store with one of everything: a flag naming users and a group, with a course and
/// an org override (history: the course override changed twice), a switch, a sample, an edX
/// experiment with a whitelisted user and group in bucket 1 and a key-value, a baseplate
/// experiment.
pub fn staging() -> Env {
    let env = Env::with(&[
        "group add beta",
        "user add alice",
        "user add bob --staff",
        "flag create new_checkout --everyone on --add-user alice --add-user bob --add-group beta",
        "flag create new_search --percent 10",
        "flag create old_thing",
        "switch create maintenance --on",
        "sample create ab 33",
        "experiment create ns.exp --buckets 3 --id 17",
        "experiment whitelist add ns.exp 1 --user alice",
        "experiment whitelist add ns.exp 1 --group beta",
        "experiment kv set 17 enrollment_start 2026-01-01T00:00:00",
        "experiment create bp_exp --type r2 --id 900 --variant treat=10 --variant control=10",
    ]);
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2025-12-01T00:00:00Z",
        "override set new_checkout --course course-v1:a+b+c off",
    );
    env.ok("override set new_checkout --course course-v1:a+b+c on");
    env.ok("override set new_checkout --org edX off");
    env
}

/// The path of `env`'s store as a command-line word.
pub fn db(env: &Env) -> String {
    env.db.to_string_lossy().into_owned()
}

/// A new store holding everything of `a`, promoted (users and groups created).
pub fn promoted(a: &Env) -> Env {
    let b = Env::new();
    b.ok(&[
        "promote",
        "*",
        "--from",
        &db(a),
        "--to",
        &db(&b),
        "--create-users",
    ]);
    b
}
