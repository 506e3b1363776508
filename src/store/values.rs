//! The values the store binds to its statements' parameters, and reads back from rows it does
//! not know the shape of: a closed set both backends can hold. Shared by `sql.rs` (the API the
//! store's modules use) and each backend's binding.

use chrono::{DateTime, NaiveDate, Utc};

/// A value bound to a parameter.
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    /// A null of a type, which PostgreSQL needs to know (a null integer cannot go into a text
    /// column there).
    Null(Kind),
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
    Time(DateTime<Utc>),
    Day(NaiveDate),
}

/// The type of a [`Value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Blob,
    Time,
    Day,
}

/// What can be bound to a `$N` parameter.
pub trait Param {
    fn value(&self) -> Value<'_>;
}

/// The type of a parameter's values, for its nulls.
pub trait Typed {
    const KIND: Kind;
}

macro_rules! typed {
    ($($t:ty => $kind:ident),*) => {$(
        impl Typed for $t {
            const KIND: Kind = Kind::$kind;
        }
    )*};
}
typed!(i64 => Int, i32 => Int, u32 => Int, bool => Int, str => Text, String => Text,
    [u8] => Blob, Vec<u8> => Blob, DateTime<Utc> => Time, NaiveDate => Day);

impl<T: Typed + ?Sized> Typed for &T {
    const KIND: Kind = T::KIND;
}

impl Param for i64 {
    fn value(&self) -> Value<'_> {
        Value::Int(*self)
    }
}

impl Param for i32 {
    fn value(&self) -> Value<'_> {
        Value::Int((*self).into())
    }
}

impl Param for u32 {
    fn value(&self) -> Value<'_> {
        Value::Int((*self).into())
    }
}

impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Int((*self).into())
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for DateTime<Utc> {
    fn value(&self) -> Value<'_> {
        Value::Time(*self)
    }
}

impl Param for NaiveDate {
    fn value(&self) -> Value<'_> {
        Value::Day(*self)
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param + Typed> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null(T::KIND), Param::value)
    }
}

/// The parameters of one statement, `$1` first: `params![team_id, day, code]`.
macro_rules! params {
    ($($param:expr),* $(,)?) => {
        &[$(&$param as &dyn $crate::store::values::Param),*] as &[&dyn $crate::store::values::Param]
    };
}
pub(in crate::store) use params;

/// A column's value whatever its type (see `sql::Row::any`).
#[derive(Clone, Debug, PartialEq)]
pub enum Any {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}
