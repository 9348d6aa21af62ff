//! Every existing name of one kind, for "did you mean" (best effort: a missing table or an
//! unreadable row contributes nothing).

use super::Reader;
use crate::error::NameKind as Kind;

fn column(conn: &Reader, sql: &str) -> Vec<String> {
    conn.rows(sql, (), |r| Ok(r.get::<_, String>(0).ok()))
        .map(|names| names.into_iter().flatten().collect())
        .unwrap_or_default()
}

/// Every existing name of `kind` in the store, sorted, without duplicates (empty when a table
/// is missing).
pub(crate) fn of(conn: &Reader, kind: Kind) -> Vec<String> {
    let sql: &[&str] = match kind {
        Kind::Flag => &["SELECT name FROM waffle_flag"],
        Kind::Switch => &["SELECT name FROM waffle_switch"],
        Kind::Sample => &["SELECT name FROM waffle_sample"],
        Kind::Experiment => &[
            "SELECT name FROM wafflectl_experiment",
            "SELECT \"key\" FROM wafflectl_baseplate",
        ],
        Kind::User => &["SELECT username FROM auth_user"],
        Kind::Group => &["SELECT name FROM auth_group"],
        Kind::Course => &[
            "SELECT DISTINCT course_id FROM waffle_utils_waffleflagcourseoverridemodel",
            "SELECT DISTINCT course_id FROM student_courseenrollment",
        ],
        Kind::Any => &[
            "SELECT name FROM waffle_flag",
            "SELECT name FROM waffle_switch",
            "SELECT name FROM waffle_sample",
            "SELECT name FROM wafflectl_experiment",
            "SELECT \"key\" FROM wafflectl_baseplate",
            "SELECT username FROM auth_user",
            "SELECT name FROM auth_group",
            "SELECT DISTINCT object_name FROM wafflectl_audit",
        ],
    };
    let mut all: Vec<String> = sql.iter().flat_map(|s| column(conn, s)).collect();
    all.sort();
    all.dedup();
    all
}
