//! The methods bytes and bytearray share: `Include/internal/
//! pycore_bytes_methods.h`, `Objects/bytes_methods.c` (`_Py_bytes_*`).
//!
//! The searches take the contents as a raw pointer and a length: they call
//! Python code (the argument's `__index__` or buffer export) while they
//! read, so the caller keeps the contents allocated and in place for the
//! call (bytearray pins them), and no Rust reference to them is alive
//! meanwhile.

use super::prelude::*;

/// A search of `bytes_methods.c` with the shape of `_Py_bytes_find`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// `_Py_bytes_find`
    Find,
    /// `_Py_bytes_index`
    Index,
    /// `_Py_bytes_rfind`
    RFind,
    /// `_Py_bytes_rindex`
    RIndex,
    /// `_Py_bytes_count`
    Count,
    /// `_Py_bytes_startswith`
    StartsWith,
    /// `_Py_bytes_endswith`
    EndsWith,
}

/// `_Py_bytes_find(str, len, sub, start, end)` and its kin, by [`Search`].
///
/// # Safety
/// `s` points to `len` bytes that stay allocated and in place for the
/// call, during which Python code may run.
#[inline]
pub unsafe fn search(
    op: Search,
    s: *const u8,
    len: Py_ssize_t,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    let f = match op {
        Search::Find => ffi::_Py_bytes_find,
        Search::Index => ffi::_Py_bytes_index,
        Search::RFind => ffi::_Py_bytes_rfind,
        Search::RIndex => ffi::_Py_bytes_rindex,
        Search::Count => ffi::_Py_bytes_count,
        Search::StartsWith => ffi::_Py_bytes_startswith,
        Search::EndsWith => ffi::_Py_bytes_endswith,
    };
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(f(s as *const c_char, len, sub.as_ptr(), start, end)) }
}

/// `_Py_bytes_contains(str, len, arg)`.
///
/// # Safety
/// As [`search`].
#[inline]
pub unsafe fn contains(s: *const u8, len: Py_ssize_t, arg: Borrowed<'_>) -> PyResult<bool> {
    // SAFETY: caller's contract.
    match unsafe { ffi::_Py_bytes_contains(s as *const c_char, len, arg.as_ptr()) } {
        r if r < 0 => err::fail(),
        r => Ok(r != 0),
    }
}

/// A character-class test of `bytes_methods.c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctype {
    /// `_Py_bytes_isspace`
    IsSpace,
    /// `_Py_bytes_isalpha`
    IsAlpha,
    /// `_Py_bytes_isalnum`
    IsAlnum,
    /// `_Py_bytes_isascii`
    IsAscii,
    /// `_Py_bytes_isdigit`
    IsDigit,
    /// `_Py_bytes_islower`
    IsLower,
    /// `_Py_bytes_isupper`
    IsUpper,
    /// `_Py_bytes_istitle`
    IsTitle,
}

/// `_Py_bytes_isspace(cptr, len)` and its kin, by [`Ctype`]: a bool.
#[inline]
pub fn test(op: Ctype, s: &[u8]) -> PyResult<Owned> {
    let f = match op {
        Ctype::IsSpace => ffi::_Py_bytes_isspace,
        Ctype::IsAlpha => ffi::_Py_bytes_isalpha,
        Ctype::IsAlnum => ffi::_Py_bytes_isalnum,
        Ctype::IsAscii => ffi::_Py_bytes_isascii,
        Ctype::IsDigit => ffi::_Py_bytes_isdigit,
        Ctype::IsLower => ffi::_Py_bytes_islower,
        Ctype::IsUpper => ffi::_Py_bytes_isupper,
        Ctype::IsTitle => ffi::_Py_bytes_istitle,
    };
    // SAFETY: `s` is readable for its length; the tests run no Python
    // code; new reference (a bool) or NULL.
    unsafe { Owned::from_owned_ptr(f(s.as_ptr() as *const c_char, s.len() as Py_ssize_t)) }
}

/// A case conversion of `bytes_methods.c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `_Py_bytes_lower`
    Lower,
    /// `_Py_bytes_upper`
    Upper,
    /// `_Py_bytes_title`
    Title,
    /// `_Py_bytes_capitalize`
    Capitalize,
    /// `_Py_bytes_swapcase`
    SwapCase,
}

/// `_Py_bytes_lower(result, cptr, len)` and its kin, by [`Case`]: writes
/// the converted `src` into `out` (`min` of both lengths).
#[inline]
pub fn convert(op: Case, src: &[u8], out: &mut [u8]) {
    let f = match op {
        Case::Lower => ffi::_Py_bytes_lower,
        Case::Upper => ffi::_Py_bytes_upper,
        Case::Title => ffi::_Py_bytes_title,
        Case::Capitalize => ffi::_Py_bytes_capitalize,
        Case::SwapCase => ffi::_Py_bytes_swapcase,
    };
    let n = src.len().min(out.len());
    // SAFETY: both are valid for `n` bytes and do not overlap (a shared
    // and a mutable borrow); no Python code runs.
    unsafe {
        f(
            out.as_mut_ptr() as *mut c_char,
            src.as_ptr() as *const c_char,
            n as Py_ssize_t,
        )
    }
}

/// `_Py_bytes_maketrans(frm, to)`.
#[inline]
pub fn maketrans(frm: &Py_buffer, to: &Py_buffer) -> PyResult<Owned> {
    // SAFETY: two acquired buffers; the function only reads them (its
    // parameters are not const in C); new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_Py_bytes_maketrans(
            frm as *const Py_buffer as *mut Py_buffer,
            to as *const Py_buffer as *mut Py_buffer,
        ))
    }
}
