//! Reading rows back from a store in a line: `env.one("SELECT ...")`, `env.all("SELECT ...")`.

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
