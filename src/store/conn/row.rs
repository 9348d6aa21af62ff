//! The rows a query returns ([`Row`], read by column name or position, from SQLite or from a
//! server's result) and the parameters it takes ([`Args`]), as SQLite's value type.

use std::rc::Rc;

use rusqlite::types::{FromSql, ToSqlOutput};

use crate::error::{Error, Result};

/// A statement parameter (any value the store binds).
pub(in crate::store) use rusqlite::ToSql as Param;
pub(in crate::store) use rusqlite::params;
pub(in crate::store) use rusqlite::types::{Value, ValueRef};
/// What reading one column of a row returns.
pub(in crate::store) type ColumnResult<T> = rusqlite::Result<T>;

/// A decimal column's value as SQLite keeps what Django writes there (NUMERIC affinity: an
/// integer when the number is whole, else a real), so that one reader serves every backend;
/// Django reads the same number from both (`decimal(3,1)` and `decimal(4,1)` fit a double).
pub(in crate::store) fn decimal(text: &str) -> Value {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Integer(f as i64),
        Ok(f) if f.is_finite() => Value::Real(f),
        _ => Value::Text(text.to_string()),
    }
}

/// A server's result row: the column names (shared by every row of a result) and the values.
pub(in crate::store) struct NetRow {
    cols: Rc<[String]>,
    vals: Vec<Value>,
}

impl NetRow {
    pub(in crate::store) fn new(cols: Rc<[String]>, vals: Vec<Value>) -> NetRow {
        NetRow { cols, vals }
    }
}

/// A result row, read by column name or position.
pub(in crate::store) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Net(&'a NetRow),
}

/// A column of a [`Row`]: its position or its name.
pub(in crate::store) trait Col: Copy {
    fn lite_get<T: FromSql>(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<T>;
    fn lite_ref<'a>(self, r: &'a rusqlite::Row<'_>) -> rusqlite::Result<ValueRef<'a>>;
    fn position(self, cols: &[String]) -> rusqlite::Result<usize>;
}

impl Col for usize {
    fn lite_get<T: FromSql>(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<T> {
        r.get(self)
    }
    fn lite_ref<'a>(self, r: &'a rusqlite::Row<'_>) -> rusqlite::Result<ValueRef<'a>> {
        r.get_ref(self)
    }
    fn position(self, cols: &[String]) -> rusqlite::Result<usize> {
        if self < cols.len() {
            Ok(self)
        } else {
            Err(rusqlite::Error::InvalidColumnIndex(self))
        }
    }
}

impl Col for &str {
    fn lite_get<T: FromSql>(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<T> {
        r.get(self)
    }
    fn lite_ref<'a>(self, r: &'a rusqlite::Row<'_>) -> rusqlite::Result<ValueRef<'a>> {
        r.get_ref(self)
    }
    fn position(self, cols: &[String]) -> rusqlite::Result<usize> {
        cols.iter()
            .position(|c| c.eq_ignore_ascii_case(self))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(self.to_string()))
    }
}

impl Row<'_> {
    /// The column's value as stored (read as the backend's Django reads it).
    pub(in crate::store) fn get_ref<C: Col>(&self, col: C) -> rusqlite::Result<ValueRef<'_>> {
        match self {
            Row::Lite(r) => col.lite_ref(r),
            Row::Net(r) => Ok(ValueRef::from(&r.vals[col.position(&r.cols)?])),
        }
    }

    /// The column converted to `T`.
    pub(in crate::store) fn get<C: Col, T: FromSql>(&self, col: C) -> rusqlite::Result<T> {
        match self {
            Row::Lite(r) => col.lite_get(r),
            Row::Net(r) => {
                let i = col.position(&r.cols)?;
                T::column_result(ValueRef::from(&r.vals[i])).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(
                            i,
                            r.cols[i].clone(),
                            ValueRef::from(&r.vals[i]).data_type(),
                        )
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        i,
                        ValueRef::from(&r.vals[i]).data_type(),
                        Box::new(other),
                    ),
                })
            }
        }
    }
}

/// A statement's parameters: `()`, an array of values, `params![...]`, or [`params_from_iter`].
pub(in crate::store) trait Args {
    fn list(&self) -> Vec<&dyn Param>;
}

impl Args for () {
    fn list(&self) -> Vec<&dyn Param> {
        Vec::new()
    }
}

impl<T: Param, const N: usize> Args for [T; N] {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|v| v as &dyn Param).collect()
    }
}

impl Args for &[&dyn Param] {
    fn list(&self) -> Vec<&dyn Param> {
        self.to_vec()
    }
}

impl Args for Vec<Value> {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|v| v as &dyn Param).collect()
    }
}

/// Parameters from an iterator of values.
pub(in crate::store) fn params_from_iter<I>(iter: I) -> Vec<Value>
where
    I: IntoIterator,
    I::Item: Param,
{
    iter.into_iter()
        .map(|p| match p.to_sql() {
            Ok(out) => owned(out),
            Err(_) => Value::Null,
        })
        .collect()
}

/// A parameter's value, owned.
pub(in crate::store) fn owned(out: ToSqlOutput<'_>) -> Value {
    match out {
        ToSqlOutput::Borrowed(v) => match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        },
        ToSqlOutput::Owned(v) => v,
        _ => Value::Null,
    }
}

/// The parameters as values, for a server.
pub(in crate::store) fn values(args: &dyn Args) -> Result<Vec<Value>> {
    args.list()
        .into_iter()
        .map(|p| {
            p.to_sql()
                .map(owned)
                .map_err(|e| Error::runtime(format!("store: {e}")))
        })
        .collect()
}
