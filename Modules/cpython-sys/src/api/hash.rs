//! Hashing: `Include/cpython/pyhash.h` (`_Py_HashBytes`).

use super::prelude::*;

/// `_Py_HashBytes(bytes, len)` of a slice.
#[inline]
pub fn bytes(bytes: &[u8]) -> Py_hash_t {
    // SAFETY: a slice: `len` readable bytes.
    unsafe { hash::bytes_raw(bytes.as_ptr(), bytes.len() as Py_ssize_t) }
}

/// `_Py_HashBytes(bytes, len)`.
///
/// # Safety
/// `bytes` points to `len` readable bytes (it may be NULL when `len` is
/// 0: `_Py_HashBytes` reads nothing then).
#[inline]
pub unsafe fn bytes_raw(bytes: *const u8, len: Py_ssize_t) -> Py_hash_t {
    // SAFETY: caller's contract; cannot fail.
    unsafe { ffi::_Py_HashBytes(bytes as *const c_void, len) }
}
