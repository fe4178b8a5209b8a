//! Integers: `Include/longobject.h`, `Objects/longobject.c` (`PyLong_*`).

use super::prelude::*;

/// `PyLong_AsSsize_t(o)`: `Err` when it returned -1 with an exception set.
#[inline]
pub fn as_ssize_t(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    if let Some(v) = long::one_digit(o) {
        return Ok(v);
    }
    // SAFETY: `o` is live.
    let v = unsafe { ffi::PyLong_AsSsize_t(o.as_ptr()) };
    if v == -1 && err::occurred() {
        // SAFETY: an exception is set.
        return Err(unsafe { PyErr::assume_set() });
    }
    Ok(v)
}

/// `PyLong_FromSsize_t(v)`.
#[inline]
pub fn from_ssize_t(v: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: returns a new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromSsize_t(v)) }
}

/// `_PyLong_GetOne()`: the small int 1 (immortal).
#[inline]
pub fn one() -> Borrowed<'static> {
    // SAFETY: the small ints are immortal statics.
    unsafe { Borrowed::from_ptr(crate::inline::_PyLong_GetOne()) }
}

/// `PyLong_Check(o)`.
#[inline]
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_LONG_SUBCLASS as u64) }
}

/// The value of `o` when it is an int (or int subclass) of one digit,
/// read inline as every `PyLong_As*` and `PyNumber_Index` path reads it
/// (no Python code runs for an int); `None` for anything else.
#[inline(always)]
pub fn one_digit(o: Borrowed<'_>) -> Option<Py_ssize_t> {
    if !long::check(o) {
        return None;
    }
    // SAFETY: `o` is a live int (checked).
    unsafe { crate::inline::_PyLong_CompactValue(o.as_ptr()) }
}

#[inline]
/// `PyLong_FromLongLong(v)`.
pub fn from_i64(v: i64) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromLongLong(v)) }
}

#[inline]
/// `PyLong_FromUnsignedLongLong(v)`.
pub fn from_u64(v: u64) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromUnsignedLongLong(v)) }
}

#[inline]
/// `PyLong_FromLong(v)`.
pub fn from_long(v: c_long) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromLong(v)) }
}

#[inline]
/// `PyLong_FromVoidPtr(p)`.
pub fn from_void_ptr(p: usize) -> PyResult<Owned> {
    // SAFETY: the pointer is only converted to an int.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromVoidPtr(p as *mut c_void)) }
}

/// `PyLong_AsVoidPtr(o)`.
#[inline]
pub fn as_void_ptr(o: Borrowed<'_>) -> PyResult<usize> {
    // SAFETY: live object.
    let p = unsafe { ffi::PyLong_AsVoidPtr(o.as_ptr()) };
    if p.is_null() && err::occurred() {
        return err::fail();
    }
    Ok(p as usize)
}

/// `PyLong_AsInt(o)`.
#[inline]
pub fn as_int(o: Borrowed<'_>) -> PyResult<c_int> {
    // One digit (|v| < 2**30) always fits a C int.
    if let Some(v) = long::one_digit(o) {
        return Ok(v as c_int);
    }
    // SAFETY: live object.
    let v = unsafe { ffi::PyLong_AsInt(o.as_ptr()) };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok(v)
}

/// The cached small int for `v` when `-5 <= v < 257` (what
/// `PyLong_FromLong(v)` returns for it: `_PyLong_SMALL_INTS`), immortal.
#[inline(always)]
pub fn small_int(v: i64) -> Option<Borrowed<'static>> {
    let p = crate::inline::small_int(v)?;
    // SAFETY: a small int of the runtime: an immortal static.
    Some(unsafe { Borrowed::from_ptr(p) })
}

/// `PyLong_AsLongAndOverflow(o, &overflow)`: `(value, overflow)`; `Err`
/// when `o` is not an int (nor has `__index__`) or `__index__` failed.
#[inline]
pub fn as_long_and_overflow(o: Borrowed<'_>) -> PyResult<(c_long, c_int)> {
    if let Some(v) = long::one_digit(o) {
        return Ok((v as c_long, 0));
    }
    let mut overflow: c_int = 0;
    // SAFETY: live object; `overflow` is local.
    let v = unsafe { ffi::PyLong_AsLongAndOverflow(o.as_ptr(), &mut overflow) };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok((v, overflow))
}

/// `_PyLong_FromUnsignedChar(c)`: the small int of a byte (immortal).
#[inline(always)]
pub fn from_unsigned_char(c: u8) -> Owned {
    match long::small_int(i64::from(c)) {
        // SAFETY: a small int is an immortal static.
        Some(b) => unsafe { Owned::from_immortal(b.as_ptr()) },
        // pycore_long.h requires _PY_NSMALLPOSINTS >= 257: every byte
        // has its small int, so this arm is never taken.
        None => long::one().new_ref(),
    }
}

/// `PyLong_FromSize_t(v)`.
#[inline]
pub fn from_size_t(v: usize) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromSize_t(v)) }
}

/// `PyLong_CheckExact(o)`.
#[inline]
pub fn check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyLong_Type)
}
