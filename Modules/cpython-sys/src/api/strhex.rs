//! Hex strings: `Include/internal/pycore_strhex.h` (`_Py_strhex*`).

use super::prelude::*;

/// `_Py_strhex_with_sep(bytes, len, sep, bytes_per_sep)` on a slice.
#[inline]
pub fn with_sep(bytes: &[u8], sep: Option<Borrowed<'_>>, bytes_per_sep: c_int) -> PyResult<Owned> {
    // SAFETY: a slice: `len` readable bytes.
    unsafe {
        strhex::with_sep_raw(
            bytes.as_ptr(),
            bytes.len() as Py_ssize_t,
            sep,
            bytes_per_sep,
        )
    }
}

/// `_Py_strhex_with_sep(bytes, len, sep, bytes_per_sep)`.
///
/// # Safety
/// `bytes` points to `len` readable bytes (it may be NULL when `len` is
/// 0) that stay alive and unchanged while `sep`'s length is taken (which
/// may run Python code for a str or bytes subclass).
#[inline]
pub unsafe fn with_sep_raw(
    bytes: *const u8,
    len: Py_ssize_t,
    sep: Option<Borrowed<'_>>,
    bytes_per_sep: c_int,
) -> PyResult<Owned> {
    let sep = sep.map_or(core::ptr::null_mut(), Borrowed::as_ptr);
    // SAFETY: caller's contract for `bytes`; `sep` is NULL or live; new
    // reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_Py_strhex_with_sep(
            bytes as *const c_char,
            len,
            sep,
            bytes_per_sep,
        ))
    }
}
