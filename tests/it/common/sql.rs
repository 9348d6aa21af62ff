//! The store read and written directly, as Django or an admin would: rows back in a line
//! (`env.one("SELECT ...")`, `env.all("SELECT ...")`), raw rows in.

use super::Env;

/// A row read back from the store, column by column in `SELECT` order: one value or a tuple.
pub trait FromRow: Sized {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self>;
}

macro_rules! from_row_value {
    ($($t:ty),*) => {$(
        impl FromRow for $t {
            fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
                row.get(0)
            }
        }
    )*};
}

from_row_value!(
    i64,
    f64,
    bool,
    String,
    Option<i64>,
    Option<f64>,
    Option<String>
);

macro_rules! from_row_tuple {
    ($($t:ident $i:tt),*) => {
        impl<$($t: rusqlite::types::FromSql),*> FromRow for ($($t,)*) {
            fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
                Ok(($(row.get($i)?,)*))
            }
        }
    };
}

from_row_tuple!(A 0, B 1);
from_row_tuple!(A 0, B 1, C 2);
from_row_tuple!(A 0, B 1, C 2, D 3);
from_row_tuple!(A 0, B 1, C 2, D 3, E 4);
from_row_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
from_row_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
from_row_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// Queries on any SQLite connection (a store, or a reference database built by a test).
pub trait Sql {
    fn one_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> T;
    fn maybe_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Option<T>;
    fn all_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Vec<T>;

    fn one<T: FromRow>(&self, sql: &str) -> T {
        self.one_with(sql, [])
    }

    fn all<T: FromRow>(&self, sql: &str) -> Vec<T> {
        self.all_with(sql, [])
    }
}

impl Sql for rusqlite::Connection {
    fn one_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> T {
        self.query_row(sql, params, |r| T::from_row(r))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn maybe_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Option<T> {
        use rusqlite::OptionalExtension;
        self.query_row(sql, params, |r| T::from_row(r))
            .optional()
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn all_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Vec<T> {
        let mut stmt = self.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        stmt.query_map(params, |r| T::from_row(r))
            .and_then(|rows| rows.collect())
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// (name, declared type, NOT NULL, default, primary-key position) of every column of a table.
pub type Column = (String, String, bool, Option<String>, i64);

pub fn columns(conn: &rusqlite::Connection, table: &str) -> Vec<Column> {
    conn.all_with(
        r#"SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?1)"#,
        [table],
    )
}

/// (name, unique, origin, partial) of every index of a table, sorted by name.
pub fn index_list(conn: &rusqlite::Connection, table: &str) -> Vec<(String, bool, String, bool)> {
    let mut list: Vec<(String, bool, String, bool)> = conn.all_with(
        r#"SELECT name, "unique", origin, partial FROM pragma_index_list(?1)"#,
        [table],
    );
    list.sort();
    list
}

/// The indexed columns of an index, in order.
pub fn index_columns(conn: &rusqlite::Connection, index: &str) -> Vec<String> {
    conn.all_with("SELECT name FROM pragma_index_info(?1)", [index])
}

impl Env {
    /// The one row a query returns (it fails when there is none).
    pub fn one<T: FromRow>(&self, sql: &str) -> T {
        self.sql().one(sql)
    }

    pub fn one_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> T {
        self.sql().one_with(sql, params)
    }

    /// The row a query returns, or None when there is none.
    pub fn maybe_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Option<T> {
        self.sql().maybe_with(sql, params)
    }

    /// Every row a query returns, in its order.
    pub fn all<T: FromRow>(&self, sql: &str) -> Vec<T> {
        self.sql().all(sql)
    }

    pub fn all_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Vec<T> {
        self.sql().all_with(sql, params)
    }

    /// A plain SQL connection to the store.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open store")
    }

    /// Runs SQL on the store directly (rows written as Django or an admin would write them).
    pub fn exec(&self, sql: &str) {
        self.sql()
            .execute_batch(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub fn exec_with(&self, sql: &str, params: impl rusqlite::Params) {
        self.sql()
            .execute(sql, params)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Appends override rows as Django's admin writes them (no audit record, no author):
    /// (change_date, enabled, flag, course or org, choice, note). `scope` is `course` or `org`.
    pub fn raw_overrides(&self, scope: &str, rows: &[(&str, bool, &str, &str, &str, &str)]) {
        self.raw_overrides_by(scope, None, rows);
    }

    /// [`Env::raw_overrides`] with `changed_by` the user `author` (None: no author).
    pub fn raw_overrides_by(
        &self,
        scope: &str,
        author: Option<&str>,
        rows: &[(&str, bool, &str, &str, &str, &str)],
    ) {
        let key = override_key(scope);
        for (at, enabled, flag, which, choice, note) in rows {
            self.exec_with(
                &format!(
                    "INSERT INTO waffle_utils_waffleflag{scope}overridemodel
                     (change_date, enabled, waffle_flag, {key}, override_choice, note, changed_by_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT id FROM auth_user WHERE username = ?7))"
                ),
                rusqlite::params![at, enabled, flag, which, choice, note, author],
            );
        }
    }

    /// Every row of edX's course override table, oldest first.
    pub fn course_rows(&self) -> Vec<OverrideRow> {
        self.override_rows("course")
    }

    /// Every row of edX's org override table, oldest first.
    pub fn org_rows(&self) -> Vec<OverrideRow> {
        self.override_rows("org")
    }

    fn override_rows(&self, scope: &str) -> Vec<OverrideRow> {
        let key = override_key(scope);
        self.all(&format!(
            "SELECT id, change_date, enabled, waffle_flag, {key}, override_choice, note, changed_by_id \
             FROM waffle_utils_waffleflag{scope}overridemodel ORDER BY id"
        ))
    }

    /// How many audit records the store holds.
    pub fn audit_count(&self) -> i64 {
        self.one("SELECT count(*) FROM wafflectl_audit")
    }
}

/// A row of edX's course or org override table: (id, change_date, enabled, waffle_flag,
/// course_id or org, override_choice, note, changed_by_id).
pub type OverrideRow = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
);

/// The column naming what an override table's rows apply to: `scope` is `course` or `org`.
fn override_key(scope: &str) -> &'static str {
    match scope {
        "course" => "course_id",
        "org" => "org",
        _ => panic!("scope is course or org, not {scope}"),
    }
}

impl Env {
    /// Django 5.2's tables for `django.contrib.admin` and `contenttypes` on SQLite, with the content
    /// types a migrated conformance project has.
    pub fn with_admin_tables(&self) {
        self.sql()
            .execute_batch(
                r#"
CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL);
CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model");
CREATE TABLE "django_admin_log" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "object_id" text NULL, "object_repr" varchar(200) NOT NULL, "action_flag" smallint unsigned NOT NULL CHECK ("action_flag" >= 0), "change_message" text NOT NULL, "content_type_id" integer NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "action_time" datetime NOT NULL);
INSERT INTO django_content_type (id, app_label, model) VALUES
  (2, 'auth', 'group'), (3, 'auth', 'user'), (5, 'waffle', 'flag'), (6, 'waffle', 'sample'),
  (7, 'waffle', 'switch'), (8, 'waffle_utils', 'waffleflagcourseoverridemodel'),
  (9, 'waffle_utils', 'waffleflagorgoverridemodel');
"#,
            )
            .expect("create admin tables");
    }
}
