//! Open edX data: course/org overrides (`waffle_utils_*`), experiment definitions
//! (`wafflectl_experiment`), experiment key-values and per-user data (`experiments_*`).
//!
//! The readers here are the ones the bucketing engine's callers use: [`get_experiment`],
//! [`current_override`] and [`key_values`]. Nothing here prints.
//!
//! One file per table: [`overrides`], [`experiments`] (with the bucket sub-flags), [`key_values`],
//! [`data`] and the experiment ID space ([`ids`]).

mod data;
mod experiments;
mod ids;
mod key_values;
mod overrides;

pub use data::*;
pub use experiments::*;
pub use ids::*;
pub use key_values::*;
pub use overrides::*;

/// Largest experiment ID: edX's `PositiveSmallIntegerField` (0–32767).
pub const MAX_EXPERIMENT_ID: i64 = crate::types::MAX_EXPERIMENT_ID;

/// The `kind` of an Open edX experiment definition in `wafflectl_experiment`.
pub const KIND_EDX: &str = "edx";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::overrides::Choice;
    use crate::store::schema;
    use crate::store::{Reader, params};

    fn store() -> Reader {
        let conn = crate::store::sqlite::in_memory();
        for t in schema::DJANGO_TABLES {
            for stmt in t.ddl {
                conn.execute_batch(stmt).unwrap();
            }
        }
        for m in schema::MIGRATIONS {
            conn.execute_batch(m).unwrap();
        }
        conn
    }

    fn add_override(
        conn: &Reader,
        scope: Scope,
        date: &str,
        enabled: bool,
        key: &str,
        choice: &str,
    ) {
        conn.run(
            &format!(
                "INSERT INTO {} (change_date, enabled, waffle_flag, {}, override_choice, note, changed_by_id)
                 VALUES (?1, ?2, 'f', ?3, ?4, '', NULL)",
                scope.table(),
                scope.key_column()
            ),
            params![date, enabled, key, choice],
        )
        .unwrap();
    }

    #[test]
    fn current_override_is_the_newest_row_and_only_when_enabled() {
        let conn = store();
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            None
        );
        // (change_date, enabled, choice) added in turn, and the course's choice after each
        let steps = [
            ("2020-01-01 00:00:00", true, "on", Some(Choice::On)),
            // newer (with a fraction): off
            ("2020-01-01 00:00:00.5", true, "off", Some(Choice::Off)),
            // same text, higher id: edX's query on SQLite returns the lower id, so still off
            ("2020-01-01 00:00:00.5", false, "on", Some(Choice::Off)),
            // compared as text, as SQLite compares it: the `T` form sorts after every space
            // form of the same day, although it is an earlier instant
            ("2020-01-01T00:00:00", false, "on", None),
            // an older row added later does not win
            ("2019-01-01 00:00:00", true, "on", None),
        ];
        for (date, enabled, choice, want) in steps {
            add_override(&conn, Scope::Course, date, enabled, "a/b/c", choice);
            assert_eq!(
                current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
                want,
                "after {date} {enabled} {choice}"
            );
        }
        // Org scope is separate; `unset` is no choice.
        add_override(&conn, Scope::Org, "2020-01-01 00:00:00", true, "a", "unset");
        assert_eq!(current_override(&conn, Scope::Org, "f", "a").unwrap(), None);
        add_override(&conn, Scope::Org, "2021-01-01 00:00:00", true, "a", "off");
        let current = current_rows(&conn, Scope::Org, None).unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].effective(), Some(Choice::Off));
    }

    #[test]
    fn experiments_key_values_and_ids() {
        let conn = store();
        conn.execute_batch(
            "INSERT INTO wafflectl_experiment (name, kind, num_buckets, experiment_id, course_aware, note, created, modified)
             VALUES ('a.b', 'edx', 3, 2, 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
             VALUES ('2026-01-01', '2026-01-01', 2, 'enrollment_start', '2020-01-01T00:00:00'),
                    ('2026-01-01', '2026-01-01', 0, 'x', 'y');
             INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
             VALUES ('a.b.1', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01'),
                    ('a.b.01', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01'),
                    ('a.b.10', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01'),
                    ('a.bc.1', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01');",
        )
        .unwrap();
        let e = get_experiment(&conn, "a.b").unwrap().unwrap();
        assert_eq!(
            (e.num_buckets, e.experiment_id, e.course_aware),
            (3, Some(2), false)
        );
        assert_eq!(e.bucket_flag(2), "a.b.2");
        assert!(get_experiment(&conn, "a.c").unwrap().is_none());
        let kv = key_values(&conn, 2).unwrap();
        assert_eq!(
            kv.get("enrollment_start").map(String::as_str),
            Some("2020-01-01T00:00:00")
        );
        assert_eq!(kv.len(), 1);
        assert_eq!(
            bucket_flags(&conn, "a.b").unwrap(),
            vec![(1, "a.b.1".to_string()), (10, "a.b.10".to_string())]
        );
        let ids: Vec<i64> = ids_in_use(&conn).unwrap().iter().map(|u| u.id).collect();
        assert_eq!(ids, vec![0, 2]);
        assert_eq!(next_free_id(&conn).unwrap(), Some(1));
        assert!(id_use(&conn, 1).unwrap().is_free());
        assert_eq!(
            id_use(&conn, 2).unwrap().experiments,
            vec!["a.b".to_string()]
        );
    }
}
