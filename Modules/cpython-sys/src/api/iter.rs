//! Iterators: `PyObject_GetIter` and `tp_iternext` (`Include/abstract.h`).

use super::prelude::*;

/// `PyObject_GetIter(o)`.
#[inline]
pub fn get_iter(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: `o` is live; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_GetIter(o.as_ptr())) }
}

/// `Py_TYPE(it)->tp_iternext(it)`: `None` for NULL, whether or not an
/// exception is set (the caller passes that on, as the C code does).
#[inline]
pub fn next(it: Borrowed<'_>) -> Option<Owned> {
    // SAFETY: `it` is live; an iterator's type has tp_iternext (checked by
    // PyObject_GetIter, which produced every iterator we call this on).
    unsafe {
        let f = (*Py_TYPE(it.as_ptr())).tp_iternext?;
        Owned::from_owned_ptr(f(it.as_ptr())).ok()
    }
}

/// `PyIter_Next(it)`: the next item, `Ok(None)` at the end (a
/// StopIteration raised by the iterator is cleared, as C's function does),
/// `Err` on any other exception.
#[inline]
pub fn next_item(it: Borrowed<'_>) -> PyResult<Option<Owned>> {
    if let Some(item) = iter::next(it) {
        return Ok(Some(item));
    }
    match err::current() {
        None => Ok(None),
        Some(e) if err::exception_matches(&e, Exc::StopIteration) => {
            err::clear(e);
            Ok(None)
        }
        Some(e) => Err(e),
    }
}
