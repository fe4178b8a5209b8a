//! Exceptions: `Include/pyerrors.h`, `Python/errors.c` (`PyErr_*`).
//!
//! The one exception enum of the layer, [`Exc`]; every setter returns the
//! [`PyErr`] that stands for the exception now set.  Messages for
//! `PyErr_SetString` come from [`cmsg!`](crate::cmsg) (aligned, see
//! [`AlignedMsg`]).

use super::prelude::*;

/// The built-in exception types the objects raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exc {
    BufferError,
    BytesWarning,
    ImportError,
    IndexError,
    MemoryError,
    NotImplementedError,
    OverflowError,
    RuntimeError,
    StopIteration,
    SystemError,
    TypeError,
    ValueError,
}

impl Exc {
    #[inline]
    pub(crate) fn as_ptr(self) -> *mut PyObject {
        // SAFETY: the PyExc_* globals are initialised before any object code
        // runs and never change afterwards.
        unsafe {
            match self {
                Exc::BufferError => ffi::PyExc_BufferError,
                Exc::BytesWarning => ffi::PyExc_BytesWarning,
                Exc::ImportError => ffi::PyExc_ImportError,
                Exc::IndexError => ffi::PyExc_IndexError,
                Exc::MemoryError => ffi::PyExc_MemoryError,
                Exc::NotImplementedError => ffi::PyExc_NotImplementedError,
                Exc::OverflowError => ffi::PyExc_OverflowError,
                Exc::RuntimeError => ffi::PyExc_RuntimeError,
                Exc::StopIteration => ffi::PyExc_StopIteration,
                Exc::SystemError => ffi::PyExc_SystemError,
                Exc::TypeError => ffi::PyExc_TypeError,
                Exc::ValueError => ffi::PyExc_ValueError,
            }
        }
    }
}

/// A NUL-terminated message in 8-byte aligned static storage, made by
/// [`cmsg!`](crate::cmsg).  `PyErr_SetString` decodes its message with
/// `ascii_decode`, a word at a time when the text is aligned and byte
/// by byte when it is not; Rust's `c"..."` literals have alignment 1,
/// C's string literals are aligned.
#[repr(C, align(8))]
pub struct AlignedMsg<const N: usize>(pub [u8; N]);

impl<const N: usize> AlignedMsg<N> {
    /// The first `N` bytes of `s` (compile time only: the macro's
    /// static).
    pub const fn new(s: &[u8]) -> Self {
        let mut a = [0u8; N];
        let mut i = 0;
        while i < N && i < s.len() {
            a[i] = s[i];
            i += 1;
        }
        AlignedMsg(a)
    }
}

/// A message for `PyErr_SetString`, made only by
/// [`cmsg!`](crate::cmsg): the types keep a byte-aligned `c"..."`
/// literal out of [`set_string`] and `ExcType::set`.
///
/// # Invariants
/// A NUL-terminated string in 8-byte aligned static storage.
#[derive(Clone, Copy, Debug)]
pub struct Msg(&'static CStr);

impl Msg {
    /// For [`cmsg!`](crate::cmsg) only.
    ///
    /// # Safety
    /// `c` lies in 8-byte aligned static storage.
    #[doc(hidden)]
    pub const unsafe fn from_aligned(c: &'static CStr) -> Msg {
        // INVARIANT: caller's contract.
        Msg(c)
    }

    /// The message as a C string.
    pub const fn as_cstr(self) -> &'static CStr {
        self.0
    }
}

/// Whether `b` is a C string: its only NUL is its last byte.
pub const fn is_c_string(b: &[u8]) -> bool {
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == 0 {
            return false;
        }
        i += 1;
    }
    b[b.len() - 1] == 0
}

/// `PyErr_SetString(exc, msg)`.
#[inline]
pub fn set_string(exc: Exc, msg: Msg) -> PyErr {
    // SAFETY: valid exception type and NUL-terminated message.
    unsafe {
        ffi::PyErr_SetString(exc.as_ptr(), msg.as_cstr().as_ptr());
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, obj)` for a format with exactly one object
/// conversion (`%S`, `%R`, `%U`, `%A`).
#[inline]
pub fn format_obj(exc: Exc, fmt: &CStr, obj: Borrowed<'_>) -> PyErr {
    // SAFETY: the format takes one PyObject* argument (caller's
    // contract, checked by the tests comparing messages with C).
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), obj.as_ptr());
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, s)` for a format with exactly one `%s` /
/// `%.200s` conversion.
///
/// # Safety
/// `s` is a NUL-terminated string.
#[inline]
pub unsafe fn format_cstr(exc: Exc, fmt: &CStr, s: *const c_char) -> PyErr {
    // SAFETY: caller guarantees `s`; the format takes one char*.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), s);
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, n)` for a format with exactly one `%zd`.
#[inline]
pub fn format_ssize(exc: Exc, fmt: &CStr, n: Py_ssize_t) -> PyErr {
    // SAFETY: the format takes one Py_ssize_t.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), n);
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, n)` for a format with exactly one `%d`.
#[inline]
pub fn format_int(exc: Exc, fmt: &CStr, n: c_int) -> PyErr {
    // SAFETY: the format takes one int.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), n);
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, s)` for a format with exactly one `%s` /
/// `%.200s` conversion of a Rust string.
#[inline]
pub fn format_str(exc: Exc, fmt: &CStr, s: &CStr) -> PyErr {
    // SAFETY: the format takes one char* (caller's contract, checked by
    // the tests comparing messages with C).
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), s.as_ptr());
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, a, b)` for a format with `%d` then `%zd`.
#[inline]
pub fn format_int_ssize(exc: Exc, fmt: &CStr, a: c_int, b: Py_ssize_t) -> PyErr {
    // SAFETY: the format takes one int and one Py_ssize_t.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), a, b);
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, n, s)` for a format with `%zd` then `%s`.
#[inline]
pub fn format_ssize_str(exc: Exc, fmt: &CStr, n: Py_ssize_t, s: &CStr) -> PyErr {
    // SAFETY: the format takes one Py_ssize_t and one char*.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), n, s.as_ptr());
        PyErr::assume_set()
    }
}

/// `PyErr_Occurred() != NULL`.
#[inline]
pub fn occurred() -> bool {
    // SAFETY: no preconditions beyond the thread state.
    unsafe { !ffi::PyErr_Occurred().is_null() }
}

/// `PyErr_Clear()`, consuming the error it discards.
#[inline]
pub fn clear(_e: PyErr) {
    // SAFETY: no preconditions beyond the thread state.
    unsafe { ffi::PyErr_Clear() }
}

/// `PyErr_ExceptionMatches(exc)`.
#[inline]
pub fn exception_matches(_e: &PyErr, exc: Exc) -> bool {
    // SAFETY: an exception is set (PyErr invariant).
    unsafe { ffi::PyErr_ExceptionMatches(exc.as_ptr()) != 0 }
}

/// The `Err` of a C API call that reported failure (and so set an
/// exception).
#[inline(always)]
pub(crate) fn fail<T>() -> PyResult<T> {
    // SAFETY: only called right after a C API call reported failure, which
    // means it set an exception.
    Err(unsafe { PyErr::assume_set() })
}

#[inline]
/// `PyErr_NoMemory()`.
pub fn no_memory() -> PyErr {
    // SAFETY: no preconditions.
    unsafe {
        ffi::PyErr_NoMemory();
        PyErr::assume_set()
    }
}

#[inline]
/// `PyErr_BadInternalCall()` as raised from `file`.
pub fn bad_internal_call(file: &CStr, line: c_int) -> PyErr {
    // SAFETY: NUL-terminated file name.
    unsafe {
        ffi::_PyErr_BadInternalCall(file.as_ptr(), line);
        PyErr::assume_set()
    }
}

/// `c"..."` for a message of `PyErr_SetString`, in aligned storage (see
/// [`err::AlignedMsg`]): `cmsg!("text")` is an [`err::Msg`].  A NUL in
/// the text is a compile-time error.
#[macro_export]
macro_rules! cmsg {
    ($s:literal) => {{
        const BYTES: &[u8] = concat!($s, "\0").as_bytes();
        const _: () = assert!($crate::api::err::is_c_string(BYTES));
        static MSG: $crate::api::err::AlignedMsg<{ BYTES.len() }> =
            $crate::api::err::AlignedMsg::new(BYTES);
        // SAFETY: MSG holds all of BYTES, whose only NUL is the last byte
        // (asserted at compile time above), in an aligned static.
        unsafe {
            $crate::api::err::Msg::from_aligned(core::ffi::CStr::from_bytes_with_nul_unchecked(
                &MSG.0,
            ))
        }
    }};
}

/// `PyErr_Format(exc, fmt, a, b)` for a format with two `%zd`.
#[inline]
pub fn format_ssize_ssize(exc: Exc, fmt: &CStr, a: Py_ssize_t, b: Py_ssize_t) -> PyErr {
    // SAFETY: the format takes two Py_ssize_t.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), a, b);
        PyErr::assume_set()
    }
}

/// `PyErr_Format(exc, fmt, a, b)` for a format with two `%s`/`%.100s`.
///
/// # Safety
/// `a` and `b` are NUL-terminated strings.
#[inline]
pub unsafe fn format_cstr_cstr(exc: Exc, fmt: &CStr, a: *const c_char, b: *const c_char) -> PyErr {
    // SAFETY: caller's contract; the format takes two char*.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), a, b);
        PyErr::assume_set()
    }
}

/// `PyErr_WarnEx(category, msg, 1)`: `Err` when the warning was turned
/// into an exception.
#[inline]
pub fn warn(category: Exc, msg: Msg) -> PyResult<()> {
    // SAFETY: a live warning category and a NUL-terminated message.
    if unsafe { ffi::PyErr_WarnEx(category.as_ptr(), msg.as_cstr().as_ptr(), 1) } < 0 {
        return fail();
    }
    Ok(())
}

/// `_Py_GetConfig()->bytes_warning`: the `-b` option's level.
#[inline]
pub fn bytes_warning() -> c_int {
    // SAFETY: the interpreter's configuration is live while a thread state
    // is attached (every entry point of an object has one).
    unsafe { (*ffi::_Py_GetConfig()).bytes_warning }
}

/// `PyErr_Print()` of the exception `e`: prints it to `sys.stderr` and
/// clears it (as C deallocators report errors they cannot raise).
#[inline]
pub fn print(_e: PyErr) {
    // SAFETY: an exception is set (a `PyErr` exists).
    unsafe { ffi::PyErr_Print() }
}

/// The exception set, if one is (`PyErr_Occurred()`), as a `PyErr`: for
/// a C protocol that returns NULL with or without an exception (an
/// iterator's end).
#[inline]
pub fn current() -> Option<PyErr> {
    if occurred() {
        // SAFETY: an exception is set (checked).
        Some(unsafe { PyErr::assume_set() })
    } else {
        None
    }
}

/// `PyErr_Format(exc, fmt, n, s)` for a format with `%zd` then a `%s` of
/// a C string.
///
/// # Safety
/// `s` is a NUL-terminated string.
#[inline]
pub unsafe fn format_ssize_cstr(exc: Exc, fmt: &CStr, n: Py_ssize_t, s: *const c_char) -> PyErr {
    // SAFETY: caller's contract; the format takes a Py_ssize_t and a char*.
    unsafe {
        ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), n, s);
        PyErr::assume_set()
    }
}
