//! Reading PostgreSQL's rows the way SQLite's are read: integers of any width and booleans
//! (from comparisons) as integers, times and days from the text both backends keep.

use crate::store::values::Any;
use crate::store::{Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::{Column as _, Row as _, TypeInfo as _, ValueRef as _};

/// The name of column `i`.
pub fn name(row: &PgRow, i: usize) -> Result<&str> {
    let column =
        row.columns().get(i).ok_or_else(|| StoreError::Corrupt(format!("no column {i}")))?;
    Ok(column.name())
}

/// Column `i` as whatever it holds; booleans (from comparisons) as 0 or 1, as SQLite gives.
pub fn any(row: &PgRow, i: usize) -> Result<Any> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Any::Null);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INT8" => Any::Int(row.try_get::<i64, _>(i)?),
        "INT4" => Any::Int(row.try_get::<i32, _>(i)?.into()),
        "INT2" => Any::Int(row.try_get::<i16, _>(i)?.into()),
        "BOOL" => Any::Int(row.try_get::<bool, _>(i)?.into()),
        "FLOAT8" => Any::Real(row.try_get::<f64, _>(i)?),
        "FLOAT4" => Any::Real(row.try_get::<f32, _>(i)?.into()),
        "BYTEA" => Any::Blob(row.try_get::<Vec<u8>, _>(i)?),
        "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => Any::Text(row.try_get::<String, _>(i)?),
        other => return Err(StoreError::Corrupt(format!("column {i} has type {other}"))),
    })
}

/// Column `i` as `T`, or `None` when it is null.
pub fn column<T: FromAny>(row: &PgRow, i: usize) -> Result<Option<T>> {
    match any(row, i)? {
        Any::Null => Ok(None),
        value => T::from_any(value).map(Some).ok_or_else(|| {
            StoreError::Corrupt(format!("column {i} is not a {}", std::any::type_name::<T>()))
        }),
    }
}

/// Reading a Rust value from what a PostgreSQL column held.
pub trait FromAny: Sized {
    fn from_any(value: Any) -> Option<Self>;
}

impl FromAny for i64 {
    fn from_any(value: Any) -> Option<Self> {
        match value {
            Any::Int(n) => Some(n),
            _ => None,
        }
    }
}

impl FromAny for i32 {
    fn from_any(value: Any) -> Option<Self> {
        i64::from_any(value).and_then(|n| n.try_into().ok())
    }
}

impl FromAny for u32 {
    fn from_any(value: Any) -> Option<Self> {
        i64::from_any(value).and_then(|n| n.try_into().ok())
    }
}

impl FromAny for bool {
    fn from_any(value: Any) -> Option<Self> {
        i64::from_any(value).map(|n| n != 0)
    }
}

impl FromAny for String {
    fn from_any(value: Any) -> Option<Self> {
        match value {
            Any::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl FromAny for Vec<u8> {
    fn from_any(value: Any) -> Option<Self> {
        match value {
            Any::Blob(b) => Some(b),
            _ => None,
        }
    }
}

impl FromAny for DateTime<Utc> {
    /// The text `time_text` writes (and RFC 3339), as rusqlite reads it.
    fn from_any(value: Any) -> Option<Self> {
        let text = String::from_any(value)?;
        let format =
            if text.as_bytes().get(10) == Some(&b'T') { "%FT%T%.f%#z" } else { "%F %T%.f%#z" };
        DateTime::parse_from_str(&text, format).ok().map(|t| t.with_timezone(&Utc))
    }
}

impl FromAny for NaiveDate {
    fn from_any(value: Any) -> Option<Self> {
        NaiveDate::parse_from_str(&String::from_any(value)?, "%F").ok()
    }
}
