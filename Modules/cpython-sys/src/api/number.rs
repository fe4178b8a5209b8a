//! The number protocol: `Include/abstract.h`, `Objects/abstract.c`
//! (`PyNumber_*`, `_PyIndex_Check`), and the `__index__` conversions
//! built on it.

use super::prelude::*;

/// `PyNumber_Index(o)`.
#[inline]
pub fn index(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: `o` is live; returns a new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyNumber_Index(o.as_ptr())) }
}

/// `PyNumber_Add(a, b)`.
#[inline]
pub fn add(a: Borrowed<'_>, b: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: both live; returns a new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyNumber_Add(a.as_ptr(), b.as_ptr())) }
}

#[inline]
/// `_PyIndex_Check(o)`: the type has `nb_index`.
pub fn index_check(o: Borrowed<'_>) -> bool {
    // SAFETY: a live object's type is live; tp_as_number is NULL or valid.
    unsafe {
        let nb = (*Py_TYPE(o.as_ptr())).tp_as_number;
        !nb.is_null() && (*nb).nb_index.is_some()
    }
}

/// `_PyNumber_Index(o)` then `PyLong_AsLong` (`pylong_as_ld`; on targets
/// whose `long` is narrower, `PyLong_AsLongLong`).  An int (or subclass,
/// which `_PyNumber_Index` returns unchanged) of one digit is read inline,
/// as `PyLong_AsLong` reads it; no Python code runs for any int.
#[inline]
pub fn index_as_i64(o: Borrowed<'_>) -> PyResult<i64> {
    if let Some(v) = long::one_digit(o) {
        return Ok(v as i64);
    }
    // SAFETY: live object; new reference or NULL.
    let tmp = unsafe { Owned::from_owned_ptr(ffi::_PyNumber_Index(o.as_ptr()))? };
    // PyLong_AsLongLong goes through _PyLong_AsByteArray for an int of
    // more than one digit; PyLong_AsLong accumulates the digits.
    // SAFETY: `tmp` is an int.
    #[allow(clippy::useless_conversion)]
    let v = unsafe {
        if core::mem::size_of::<core::ffi::c_long>() == 8 {
            i64::from(ffi::PyLong_AsLong(tmp.as_ptr()))
        } else {
            ffi::PyLong_AsLongLong(tmp.as_ptr())
        }
    };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok(v)
}

/// `_PyNumber_Index(o)` then `PyLong_AsSsize_t` (`pylong_as_zd`), with
/// the inline read of [`index_as_i64`] for an int of one digit.
#[inline]
pub fn index_as_isize(o: Borrowed<'_>) -> PyResult<isize> {
    if let Some(v) = long::one_digit(o) {
        return Ok(v);
    }
    // SAFETY: live object; new reference or NULL.
    let tmp = unsafe { Owned::from_owned_ptr(ffi::_PyNumber_Index(o.as_ptr()))? };
    // SAFETY: `tmp` is an int.
    let v = unsafe { ffi::PyLong_AsSsize_t(tmp.as_ptr()) };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok(v)
}

/// `_PyNumber_Index(o)` then `PyLong_AsUnsignedLong` (`pylong_as_lu`; on
/// targets whose `long` is narrower, `PyLong_AsUnsignedLongLong`), with
/// the inline read of [`index_as_i64`] for a non-negative int of one digit.
#[inline]
pub fn index_as_u64(o: Borrowed<'_>) -> PyResult<u64> {
    if let Some(v) = long::one_digit(o) {
        if v >= 0 {
            return Ok(v as u64);
        }
    }
    // SAFETY: live object; new reference or NULL.
    let tmp = unsafe { Owned::from_owned_ptr(ffi::_PyNumber_Index(o.as_ptr()))? };
    // SAFETY: `tmp` is an int.
    #[allow(clippy::useless_conversion)]
    let v = unsafe {
        if core::mem::size_of::<core::ffi::c_ulong>() == 8 {
            u64::from(ffi::PyLong_AsUnsignedLong(tmp.as_ptr()))
        } else {
            ffi::PyLong_AsUnsignedLongLong(tmp.as_ptr())
        }
    };
    if v == u64::MAX && err::occurred() {
        return err::fail();
    }
    Ok(v)
}

/// `PyNumber_AsSsize_t(o, PyExc_IndexError)`.  An int (or int subclass,
/// which `PyNumber_Index` returns unchanged, without calling
/// `__index__`) of one digit is read inline.
#[inline(always)]
pub fn as_ssize_t_index_error(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    if let Some(v) = long::one_digit(o) {
        return Ok(v);
    }
    // SAFETY: live object and a live exception type.
    let v = unsafe { ffi::PyNumber_AsSsize_t(o.as_ptr(), ffi::PyExc_IndexError) };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok(v)
}

/// `PyNumber_Check(o)`.
#[inline]
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object.
    unsafe { ffi::PyNumber_Check(o.as_ptr()) != 0 }
}

/// `PyNumber_AsSsize_t(o, PyExc_OverflowError)`: an int too large for a
/// `Py_ssize_t` raises OverflowError.
#[inline]
pub fn as_ssize_t_overflow_error(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    if let Some(v) = long::one_digit(o) {
        return Ok(v);
    }
    // SAFETY: live object and a live exception type.
    let v = unsafe { ffi::PyNumber_AsSsize_t(o.as_ptr(), ffi::PyExc_OverflowError) };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok(v)
}

/// `PyNumber_AsSsize_t(o, NULL)`: an int too large for a `Py_ssize_t` is
/// clamped to its range.
#[inline]
pub fn as_ssize_t_clamped(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    if let Some(v) = long::one_digit(o) {
        return Ok(v);
    }
    // SAFETY: live object; NULL asks for clamping.
    let v = unsafe { ffi::PyNumber_AsSsize_t(o.as_ptr(), core::ptr::null_mut()) };
    if v == -1 && err::occurred() {
        return err::fail();
    }
    Ok(v)
}
