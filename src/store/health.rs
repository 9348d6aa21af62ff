//! The store-level facts `doctor` judges: SQLite's own checks and the queries that find rows
//! Django or edX would misread. Each returns what it found; deciding what is a problem and
//! printing it is the command's business.

use super::Reader;
use crate::error::Result;

fn names(conn: &Reader, sql: &str) -> Result<Vec<String>> {
    conn.rows(sql, (), |r| r.get::<_, String>(0))
}

/// The backend's integrity check (SQLite's `quick_check`: `ok` when the file is sound).
pub(crate) fn quick_check(c: &Reader) -> Result<String> {
    c.integrity_check()
}

/// Rows whose foreign keys point at nothing, as `TABLE row ID`.
pub(crate) fn broken_references(c: &Reader) -> Result<Vec<String>> {
    c.broken_references()
}

/// The journal mode (`wal` for a store wafflectl created; a Django site's database keeps its own).
pub(crate) fn journal_mode(c: &Reader) -> Result<String> {
    c.journal_mode()
}

/// Flags whose `everyone` is set while they also list users, groups or a percent.
pub(crate) fn flags_with_ignored_criteria(c: &Reader) -> Result<Vec<String>> {
    names(
        c,
        &format!(
            "SELECT name FROM waffle_flag f WHERE everyone IS NOT NULL AND (
             EXISTS (SELECT 1 FROM waffle_flag_users u WHERE u.flag_id = f.id)
          OR EXISTS (SELECT 1 FROM waffle_flag_groups g WHERE g.flag_id = f.id)
          OR (percent IS NOT NULL AND {})) ORDER BY name",
            c.positive("percent")
        ),
    )
}

/// Bucket flags (`EXPERIMENT.N`) with `superusers` on and `everyone` unset.
pub(crate) fn bucket_flags_forcing_superusers(c: &Reader) -> Result<Vec<String>> {
    // `EXPERIMENT.N` as edX names a bucket flag (engine::sub_flag), matched here
    let experiments = names(c, "SELECT name FROM wafflectl_experiment")?;
    let flags = names(
        c,
        "SELECT name FROM waffle_flag WHERE superusers AND everyone IS NULL ORDER BY name",
    )?;
    Ok(flags
        .into_iter()
        .filter(|flag| {
            experiments
                .iter()
                .any(|exp| crate::engine::sub_flag::index(exp, flag).is_some())
        })
        .collect())
}

/// Experiment definitions without a flag of their own name.
pub(crate) fn experiments_without_main_flag(c: &Reader) -> Result<Vec<String>> {
    names(
        c,
        "SELECT name FROM wafflectl_experiment e WHERE NOT EXISTS (SELECT 1 FROM waffle_flag f WHERE f.name = e.name) ORDER BY name",
    )
}

/// Flag names that course or org override rows name but no flag row has.
pub(crate) fn overridden_unknown_flags(c: &Reader) -> Result<Vec<String>> {
    names(
        c,
        "SELECT waffle_flag FROM (SELECT waffle_flag FROM waffle_utils_waffleflagcourseoverridemodel
         UNION SELECT waffle_flag FROM waffle_utils_waffleflagorgoverridemodel) o
         WHERE NOT EXISTS (SELECT 1 FROM waffle_flag f WHERE f.name = o.waffle_flag) ORDER BY waffle_flag",
    )
}
