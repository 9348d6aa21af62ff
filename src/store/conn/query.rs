//! The query API the store modules call: `rows`, `row`, `integer` and `each` read, `run` and
//! `insert` write, each statement translated once per connection for a server
//! ([`super::dialect::translate`]) and run by its backend.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::dialect::{param, translate};
use super::row::{Args, NetRow, Row, Value, params_from_iter, values};
use super::stand_in::with_stand_ins;
use super::{Conn, Reader};
use crate::error::{Error, Result};
use crate::store::mysql::My;

impl Reader {
    /// Every row `sql` returns, each read by `f` (the statement is cached).
    pub(in crate::store) fn rows<T, F: FnMut(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: impl Args,
        mut f: F,
    ) -> Result<Vec<T>> {
        match &self.conn {
            Conn::Sqlite(l) => l.rows(sql, &params.list(), |r| f(&Row::Lite(r))),
            _ => self
                .server_rows(sql, &params)?
                .iter()
                .map(|r| f(&Row::Net(r)).map_err(Error::from))
                .collect(),
        }
    }

    /// The first row `sql` returns, read by `f`, or None (the statement is cached).
    pub(in crate::store) fn row<T, F: FnOnce(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: impl Args,
        f: F,
    ) -> Result<Option<T>> {
        match &self.conn {
            Conn::Sqlite(l) => l.row(sql, &params.list(), |r| f(&Row::Lite(r))),
            _ => match self.server_rows(sql, &params)?.first() {
                Some(r) => Ok(Some(f(&Row::Net(r))?)),
                None => Ok(None),
            },
        }
    }

    /// The integer in the first column of the first row `sql` returns (an aggregate such as
    /// `count(*)`), 0 when it returns no row.
    pub(in crate::store) fn integer(&self, sql: &str, params: impl Args) -> Result<i64> {
        Ok(self.row(sql, params, |r| r.get(0))?.unwrap_or(0))
    }

    /// Hands every row `sql` returns to `f` as it is read (on a server, once the result has
    /// arrived), without collecting them into values (the statement is cached).
    pub(in crate::store) fn each<F: FnMut(&Row<'_>) -> Result<()>>(
        &self,
        sql: &str,
        params: impl Args,
        mut f: F,
    ) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.each(sql, &params.list(), |r| f(&Row::Lite(r))),
            _ => self
                .server_rows(sql, &params)?
                .iter()
                .try_for_each(|r| f(&Row::Net(r))),
        }
    }

    /// Runs a statement that returns no rows (the statement is cached).
    pub(in crate::store) fn run(&self, sql: &str, params: impl Args) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.run(sql, &params.list()),
            Conn::MySql(m) => self.mysql_exec(m, sql, &params, false).map(drop),
            Conn::Postgres(p) => {
                let t = self.translated(sql);
                let sql = &t.0;
                p.borrow_mut().exec(sql, &values(&params)?)?;
                Ok(())
            }
        }
    }

    /// Runs an INSERT into a table with an `id` key (the statement is cached) and returns the
    /// new row's id.
    pub(in crate::store) fn insert(&self, sql: &str, params: impl Args) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(l) => l.insert(sql, &params.list()),
            Conn::MySql(m) => self.mysql_exec(m, sql, &params, true),
            Conn::Postgres(_) => {
                let returning = format!("{sql} RETURNING id");
                Ok(self.row(&returning, params, |r| r.get(0))?.unwrap_or(0))
            }
        }
    }

    /// Runs a statement on MySQL/MariaDB, its parameters in the order its translation names
    /// them; returns the new row's id when `want_id`.
    fn mysql_exec(
        &self,
        m: &RefCell<My>,
        sql: &str,
        params: &dyn Args,
        want_id: bool,
    ) -> Result<i64> {
        let t = self.translated(sql);
        let (sql, order) = (&t.0, &t.1);
        m.borrow_mut()
            .exec(sql, ordered(values(params)?, order), want_id)
    }

    fn server_rows(&self, sql: &str, params: &dyn Args) -> Result<Vec<NetRow>> {
        let t = self.translated(sql);
        let (sql, order) = (&t.0, &t.1);
        match &self.conn {
            Conn::MySql(m) => m.borrow_mut().query(sql, ordered(values(params)?, order)),
            Conn::Postgres(p) => p.borrow_mut().query(sql, &values(params)?),
            Conn::Sqlite(_) => unreachable!("SQLite reads rows itself"),
        }
    }

    /// `sql` in this server's dialect (translations are cached per connection).
    fn translated(&self, sql: &str) -> Translation {
        if let Some(t) = self.translations.borrow().get(sql) {
            return t.clone();
        }
        let absent = self.absent.borrow();
        let stood_in;
        let sql_in = if absent.is_empty() {
            sql
        } else {
            stood_in = with_stand_ins(sql, &absent);
            &stood_in
        };
        let t = Rc::new(translate(sql_in, self.backend()));
        self.translations
            .borrow_mut()
            .insert(sql.to_string(), t.clone());
        t
    }

    /// The ids of the rows of `table` whose `column` is one of `names`, by that column's value:
    /// one query per 500 names. A name the server matches only by its collation (MySQL's
    /// case-insensitive one) comes back under the stored spelling, so a caller that misses a
    /// name looks it up alone.
    pub(in crate::store) fn ids_by_names<S: AsRef<str>>(
        &self,
        table: &str,
        column: &str,
        names: &[S],
    ) -> Result<HashMap<String, i64>> {
        let mut found = HashMap::new();
        for chunk in names.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(param).collect();
            let rows: Vec<(String, i64)> = self.rows(
                &format!(
                    "SELECT {column}, id FROM {table} WHERE {column} IN ({})",
                    marks.join(", ")
                ),
                params_from_iter(chunk.iter().map(AsRef::as_ref)),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            found.extend(rows);
        }
        Ok(found)
    }
}

/// A statement in a server's dialect, and MySQL's parameter order (see [`translate`]).
pub(super) type Translation = Rc<(String, Vec<usize>)>;

/// Parameters in the order MySQL's `?` markers want them.
fn ordered(values: Vec<Value>, order: &[usize]) -> Vec<Value> {
    order
        .iter()
        .map(|&i| values.get(i).cloned().unwrap_or(Value::Null))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::columns::text;
    use crate::store::conn::{dialect::insert_sql, params};

    #[test]
    fn mysql_parameters_are_sent_in_marker_order() {
        let v = ordered(vec![Value::Integer(1), Value::Text("a".into())], &[1, 0, 1]);
        assert_eq!(
            v,
            [
                Value::Text("a".into()),
                Value::Integer(1),
                Value::Text("a".into())
            ]
        );
    }

    #[test]
    fn row_is_none_without_a_match_and_reads_the_first_row_otherwise() {
        let db = crate::store::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)")
            .unwrap();
        let first = |sql: &str, p: i64| db.row(sql, [p], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(
            first("SELECT n FROM t WHERE n >= ?1 ORDER BY n", 1),
            Some(1)
        );
        assert_eq!(first("SELECT n FROM t WHERE n > ?1", 5), None);
    }

    #[test]
    fn insert_returns_each_new_rows_id_and_each_hands_rows_over_in_order() {
        let db = crate::store::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT)")
            .unwrap();
        let sql = insert_sql("t", &["n"]);
        let a = db.insert(&sql, ["a"]).unwrap();
        let b = db.insert(&sql, ["b"]).unwrap();
        assert_eq!(b, a + 1);
        db.run("UPDATE t SET n = ?1 WHERE id = ?2", params!["c", b])
            .unwrap();
        let mut seen = Vec::new();
        db.each("SELECT id, n FROM t ORDER BY id", (), |r| {
            seen.push((r.get::<_, i64>(0)?, text(r, "n")?));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(a, "a".to_string()), (b, "c".to_string())]);
    }

    #[test]
    fn a_row_handlers_error_stops_each_and_is_returned() {
        let db = crate::store::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let mut seen = 0;
        let e = db
            .each("SELECT n FROM t ORDER BY n", (), |r| {
                seen += 1;
                match r.get::<_, i64>(0)? {
                    2 => Err(Error::runtime("stop at 2")),
                    _ => Ok(()),
                }
            })
            .unwrap_err();
        assert_eq!(e.message, "stop at 2");
        assert_eq!(seen, 2);
    }
}
