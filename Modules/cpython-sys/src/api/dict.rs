//! Dictionaries: `Include/dictobject.h` (`PyDict_*`).

use super::prelude::*;

/// `PyDict_Size(d)` of a dict (which cannot fail).
#[inline]
pub fn size(d: Borrowed<'_>) -> Py_ssize_t {
    // SAFETY: a live object; a dict's size is its `ma_used`, for anything
    // else PyDict_Size sets an exception and returns -1 (callers pass the
    // keyword dict of a call, always a dict).
    unsafe { ffi::PyDict_Size(d.as_ptr()) }
}
