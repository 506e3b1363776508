//! How the store's modules run SQL, in a form a second backend can take without their SQL
//! changing: parameters written `$1`, `$2`… (PostgreSQL's own spelling; SQLite reads them as
//! named parameters, which are bound here by their number, not by where they first appear),
//! values from a small closed set ([`Param`]), and rows read by column position ([`Row`],
//! [`Column`]), on either backend: a SQLite connection (bound here through rusqlite) or a
//! PostgreSQL job (`postgres.rs`). Only each backend's own code (migrations, SQLite's writer
//! thread and backups) speaks to its driver directly.
//!
//! Portable habits the store keeps: booleans are integers 0 and 1 (read back as `bool`);
//! instants are bound as `DateTime<Utc>` or as Unix milliseconds; days as `NaiveDate`; a new
//! row's id comes from `INSERT … RETURNING id`; no SQLite-only function or catalogue table.

pub(in crate::store) use super::values::params;
pub use super::values::{Any, Param, Value};
use super::{Conn, Result, StoreError, Tx, postgres};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{ToSqlOutput, ValueRef};

/// One row of a result, read by column position.
pub struct Row<'r>(RowRef<'r>);

#[derive(Clone, Copy)]
enum RowRef<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r sqlx::postgres::PgRow),
}

impl Row<'_> {
    /// The value of column `i` (from 0) as `T`.
    pub fn get<T: Column>(&self, i: usize) -> Result<T> {
        T::read(self, i)
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        match self.0 {
            RowRef::Sqlite(r) => r.as_ref().column_count(),
            RowRef::Postgres(r) => sqlx::Row::len(r),
        }
    }

    /// The name of column `i`, as the query spelt it (or its `AS`).
    pub fn name(&self, i: usize) -> Result<&str> {
        match self.0 {
            RowRef::Sqlite(r) => Ok(r.as_ref().column_name(i)?),
            RowRef::Postgres(r) => postgres::name(r, i),
        }
    }

    /// Column `i` as whatever it holds, for code that reads rows it does not know the shape
    /// of (the export of a person's data).
    pub fn any(&self, i: usize) -> Result<Any> {
        let r = match self.0 {
            RowRef::Sqlite(r) => r,
            RowRef::Postgres(r) => return postgres::any(r, i),
        };
        Ok(match r.get_ref(i)? {
            ValueRef::Null => Any::Null,
            ValueRef::Integer(n) => Any::Int(n),
            ValueRef::Real(x) => Any::Real(x),
            ValueRef::Text(t) => Any::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Any::Blob(b.to_vec()),
        })
    }
}

/// What a column can be read as.
pub trait Column: Sized {
    fn read(row: &Row<'_>, i: usize) -> Result<Self>;
}

/// Columns each backend reads with its own conversions: SQLite with rusqlite's (times as it
/// writes them, booleans from integers), PostgreSQL from what [`Row::any`] finds, the same way.
macro_rules! columns {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn read(row: &Row<'_>, i: usize) -> Result<Self> {
                match row.0 {
                    RowRef::Sqlite(r) => Ok(r.get(i)?),
                    RowRef::Postgres(r) => postgres::column::<$t>(r, i)?.ok_or_else(|| {
                        StoreError::Corrupt(format!("column {i} is empty where a value is kept"))
                    }),
                }
            }
        }
        impl Column for Option<$t> {
            fn read(row: &Row<'_>, i: usize) -> Result<Self> {
                match row.0 {
                    RowRef::Sqlite(r) => Ok(r.get(i)?),
                    RowRef::Postgres(r) => postgres::column::<$t>(r, i),
                }
            }
        }
    )*};
}
columns!(i64, i32, u32, bool, String, Vec<u8>, DateTime<Utc>, NaiveDate);

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null(_) => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Time(t) => t.to_sql()?,
            Value::Day(d) => d.to_sql()?,
        })
    }
}

/// Binds `params` to a prepared statement by the number in each parameter's name, and checks
/// that every parameter is used: `$2` before `$1` in the text binds as written.
fn bind(statement: &mut rusqlite::Statement<'_>, params: &[&dyn Param]) -> Result<()> {
    let count = statement.parameter_count();
    if count != params.len() {
        return Err(rusqlite::Error::InvalidParameterCount(params.len(), count).into());
    }
    for index in 1..=count {
        let name = statement.parameter_name(index).unwrap_or("?");
        let number = name
            .strip_prefix('$')
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=count).contains(n))
            .ok_or_else(|| rusqlite::Error::InvalidParameterName(name.to_owned()))?;
        statement.raw_bind_parameter(index, params[number - 1].value())?;
    }
    Ok(())
}

impl Tx<'_> {
    /// Runs a statement that returns no rows; how many rows it changed.
    pub(in crate::store) fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize> {
        match self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                bind(&mut statement, params)?;
                Ok(statement.raw_execute()?)
            }
            Conn::Postgres(job) => job.execute(sql, params),
        }
    }

    /// Every row a query returns, each read by `read`.
    pub(in crate::store) fn all<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        mut read: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                bind(&mut statement, params)?;
                let mut rows = statement.raw_query();
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(read(&Row(RowRef::Sqlite(row)))?);
                }
                Ok(out)
            }
            Conn::Postgres(job) => {
                let rows = job.fetch_all(sql, params)?;
                rows.iter().map(|row| read(&Row(RowRef::Postgres(row)))).collect()
            }
        }
    }

    /// The first row a query returns, if any.
    pub(in crate::store) fn optional<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        read: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        match self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                bind(&mut statement, params)?;
                let mut rows = statement.raw_query();
                rows.next()?.map(|row| read(&Row(RowRef::Sqlite(row)))).transpose()
            }
            Conn::Postgres(job) => {
                let row = job.fetch_optional(sql, params)?;
                row.as_ref().map(|row| read(&Row(RowRef::Postgres(row)))).transpose()
            }
        }
    }

    /// The first row of a query that always returns one (an aggregate, `RETURNING`).
    pub(in crate::store) fn one<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        read: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.optional(sql, params, read)?
            .ok_or_else(|| StoreError::Corrupt("a query that returns a row returned none".into()))
    }

    /// Runs statements without parameters or results, such as savepoints.
    pub(in crate::store) fn batch(&self, sql: &str) -> Result<()> {
        match self.conn {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Conn::Postgres(job) => job.batch(sql),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx_on(conn: &rusqlite::Connection) -> Tx<'_> {
        Tx::sqlite(conn)
    }

    #[test]
    fn parameters_bind_by_their_number_wherever_they_first_appear() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let tx = tx_on(&conn);
        let row = tx
            .one("SELECT $2, $1, $2 || $1", params![1_i64, "two"], |r| {
                Ok((r.get::<String>(0)?, r.get::<i64>(1)?, r.get::<String>(2)?))
            })
            .unwrap();
        assert_eq!(row, ("two".to_owned(), 1, "two1".to_owned()));
    }

    #[test]
    fn a_parameter_left_unbound_or_misnamed_is_an_error_not_a_null() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let tx = tx_on(&conn);
        assert!(tx.one("SELECT $1, $2", params![1_i64], |r| r.get::<i64>(0)).is_err());
        assert!(tx.one("SELECT $1, $3", params![1_i64, 2_i64], |r| r.get::<i64>(0)).is_err());
        assert!(tx.one("SELECT ?1", params![1_i64], |r| r.get::<i64>(0)).is_err());
    }

    #[test]
    fn values_read_back_as_they_were_bound() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let tx = tx_on(&conn);
        tx.batch("CREATE TABLE t (n INTEGER, b INTEGER, s TEXT, x BLOB, at TEXT, day TEXT)")
            .unwrap();
        let at = DateTime::from_timestamp_millis(1_765_000_000_123).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let none: Option<i64> = None;
        let written = tx
            .execute(
                "INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6), ($7, $7, $7, $7, $7, $7)",
                params![7_i64, true, "text", vec![1_u8, 2], at, day, none],
            )
            .unwrap();
        assert_eq!(written, 2);
        let rows = tx
            .all("SELECT n, b, s, x, at, day FROM t ORDER BY n IS NULL", params![], |r| {
                Ok((
                    r.get::<Option<i64>>(0)?,
                    r.get::<Option<bool>>(1)?,
                    r.get::<Option<String>>(2)?,
                    r.get::<Option<Vec<u8>>>(3)?,
                    r.get::<Option<DateTime<Utc>>>(4)?,
                    r.get::<Option<NaiveDate>>(5)?,
                ))
            })
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    Some(7),
                    Some(true),
                    Some("text".to_owned()),
                    Some(vec![1, 2]),
                    Some(at),
                    Some(day)
                ),
                (None, None, None, None, None, None),
            ]
        );
        let id =
            tx.optional("SELECT n FROM t WHERE s = $1", params!["nothing"], |r| r.get::<i64>(0));
        assert_eq!(id.unwrap(), None);
        let names = tx
            .one("SELECT n AS number, s FROM t WHERE n = $1", params![7_i64], |r| {
                Ok((r.len(), r.name(0)?.to_owned(), r.any(1)?))
            })
            .unwrap();
        assert_eq!(names, (2, "number".to_owned(), Any::Text("text".into())));
    }
}
