//! Issue 20: one reader of stored datetimes. What a `datetime` column holds is shown as the
//! instant Django reads from it, the same in `--json` listings, `history --json`, tables and the
//! native export; text Django cannot read is shown as stored, everywhere.

use crate::common;

use common::{Env, assert_contains, named};

/// A flag whose `created` Django reads with its `+0100` offset and whose `modified` Django
/// cannot read (year 0 is no Python datetime).
fn env() -> Env {
    let env = Env::new();
    env.ok("flag create odd.dates --everyone off");
    env.exec(
        "UPDATE waffle_flag SET created = '2026-11-21T12:55:18+0100', modified = '0000-01-01 00:00:00'
         WHERE name = 'odd.dates';
         UPDATE wafflectl_audit SET at = '2026-11-21T12:55:18+0100' WHERE object_name = 'odd.dates'",
    );
    env
}

const CREATED: &str = "2026-11-21T11:55:18.000000Z";
const MODIFIED: &str = "0000-01-01 00:00:00";

#[test]
fn listings_and_the_native_export_read_stored_datetimes_alike() {
    let env = env();
    let list = env.json("flag list");
    let flag = &list.as_array().unwrap()[0];
    assert_eq!(flag["created"], CREATED);
    assert_eq!(flag["modified"], MODIFIED);

    let export: serde_json::Value =
        serde_json::from_str(&env.ok("export --format native -o -")).unwrap();
    let flag = named(&export["flags"], "odd.dates");
    assert_eq!(flag["created"], CREATED);
    assert_eq!(flag["modified"], MODIFIED);
}

#[test]
fn history_reads_the_audit_time_as_django_would() {
    let env = env();
    let history = env.json("history odd.dates");
    assert_eq!(history.as_array().unwrap()[0]["at"], CREATED);
    assert_contains(&env.ok("history odd.dates"), "2026-11-21 11:55:18");
}
