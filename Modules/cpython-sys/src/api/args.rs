//! Argument parsing: `Include/internal/pycore_modsupport.h`,
//! `Python/getargs.c` (`_PyArg_*`, the parsers Argument Clinic emits).

use super::prelude::*;

#[inline]
/// `_PyArg_BadArgument(fname, displayname, expected, arg)`.
pub fn bad_argument(fname: &CStr, displayname: &CStr, expected: &CStr, arg: Borrowed<'_>) -> PyErr {
    // SAFETY: NUL-terminated strings and a live object.
    unsafe {
        ffi::_PyArg_BadArgument(
            fname.as_ptr(),
            displayname.as_ptr(),
            expected.as_ptr(),
            arg.as_ptr(),
        );
        PyErr::assume_set()
    }
}

/// `_PyArg_UnpackKeywords(args, nargs, NULL, kwnames, parser, minpos,
/// maxpos, minkw, buf)` including the macro's fast path, for
/// `METH_FASTCALL|METH_KEYWORDS` methods.
///
/// # Safety
/// `args` points to `nargs` + len(kwnames) live objects; `kwnames` is NULL
/// or a tuple of str; `buf` has room for `maxpos` + keyword-only entries.
#[allow(clippy::too_many_arguments)]
#[inline]
pub unsafe fn unpack_keywords_fast(
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
    parser: &'static args::Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    buf: *mut *mut PyObject,
) -> PyResult<*const *mut PyObject> {
    // SAFETY: forwarded caller contract (keywords as names, no dict).
    unsafe {
        args::unpack_keywords_with(
            args,
            nargs,
            core::ptr::null_mut(),
            kwnames,
            parser,
            minpos,
            maxpos,
            minkw,
            buf,
        )
    }
}

/// The result of a `_PyArg_*` check: non-zero passes, zero means the
/// check set an exception.
#[inline(always)]
fn nonzero_or_err(r: c_int) -> PyResult<()> {
    if r != 0 {
        return Ok(());
    }
    err::fail()
}

/// `_PyArg_NoKwnames(funcname, kwnames)` (the macro: NULL passes).
#[inline]
pub fn no_kwnames(funcname: &CStr, kwnames: Option<Borrowed<'_>>) -> PyResult<()> {
    let Some(kwnames) = kwnames else {
        return Ok(());
    };
    // SAFETY: kwnames is the call's live keyword-name tuple.
    nonzero_or_err(unsafe { ffi::_PyArg_NoKwnames(funcname.as_ptr(), kwnames.as_ptr()) })
}

/// `_PyArg_NoKeywords(funcname, kwargs)` (the macro: NULL passes).
#[inline]
pub fn no_keywords(funcname: &CStr, kwargs: Option<Borrowed<'_>>) -> PyResult<()> {
    let Some(kwargs) = kwargs else {
        return Ok(());
    };
    // SAFETY: kwargs is the call's live keyword dict.
    nonzero_or_err(unsafe { ffi::_PyArg_NoKeywords(funcname.as_ptr(), kwargs.as_ptr()) })
}

/// `_PyArg_CheckPositional(name, nargs, min, max)` (the macro's fast path
/// included).
#[inline]
pub fn check_positional(
    name: &CStr,
    nargs: Py_ssize_t,
    min: Py_ssize_t,
    max: Py_ssize_t,
) -> PyResult<()> {
    if min <= nargs && nargs <= max {
        return Ok(());
    }
    // SAFETY: plain function; sets an exception when it returns 0.
    nonzero_or_err(unsafe { ffi::_PyArg_CheckPositional(name.as_ptr(), nargs, min, max) })
}

/// A static `_PyArg_Parser` (what Argument Clinic emits for a function
/// with keywords).  The parser builds its keyword tuple lazily.
///
/// # Invariants
/// Only used with the GIL held (CPython serialises its one-time
/// initialisation itself in the free-threaded build).
#[repr(transparent)]
pub struct Parser(core::cell::UnsafeCell<ffi::_PyArg_Parser>);

// SAFETY: CPython initialises and reads the parser under its own locking
// (the GIL, or the parser's once-flag in the free-threaded build).
unsafe impl Sync for Parser {}

/// `{"a", "b", NULL}`: the keyword array of a parser.
#[repr(transparent)]
pub struct Keywords<const N: usize>(pub [*const c_char; N]);
// SAFETY: points only to static string literals, never written.
unsafe impl<const N: usize> Sync for Keywords<N> {}

impl Parser {
    /// # Safety
    /// `keywords` is a NULL-terminated array of static NUL-terminated
    /// strings.
    #[inline]
    pub const unsafe fn new(keywords: *const *const c_char, fname: &'static CStr) -> Parser {
        // SAFETY: an all-zero _PyArg_Parser is the C static initialiser
        // `{0}` plus the fields set below.
        let mut p: ffi::_PyArg_Parser = unsafe { core::mem::zeroed() };
        p.keywords = keywords;
        p.fname = fname.as_ptr();
        Parser(core::cell::UnsafeCell::new(p))
    }
}

/// `_PyArg_UnpackKeywords(args, nargs, kwargs, NULL, parser, minpos,
/// maxpos, minkw, buf)` including the macro's fast path (the tp_new
/// form: keywords in a dict).  Returns the argument array (borrowed
/// from `args` or `buf`).
///
/// # Safety
/// As [`unpack_keywords_with`], with `kwargs` NULL or a dict.
#[allow(clippy::too_many_arguments)]
#[inline]
pub unsafe fn unpack_keywords(
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwargs: *mut PyObject,
    parser: &'static Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    buf: *mut *mut PyObject,
) -> PyResult<*const *mut PyObject> {
    // SAFETY: forwarded caller contract.
    unsafe {
        unpack_keywords_with(
            args,
            nargs,
            kwargs,
            core::ptr::null_mut(),
            parser,
            minpos,
            maxpos,
            minkw,
            buf,
        )
    }
}

/// `_PyArg_UnpackKeywords(args, nargs, kwargs, kwnames, parser, minpos,
/// maxpos, minkw, buf)` including the macro's fast path: keywords come
/// either in a dict (`kwargs`, tp_new) or as names after the positional
/// arguments (`kwnames`, vectorcall / METH_FASTCALL); the other is NULL.
///
/// # Safety
/// `args` points to `nargs` live objects (plus one per keyword name);
/// `kwargs` is NULL or a dict, `kwnames` NULL or a tuple of str; `buf`
/// has room for `maxpos` + keyword-only arguments.
#[allow(clippy::too_many_arguments)]
#[inline]
pub unsafe fn unpack_keywords_with(
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwargs: *mut PyObject,
    kwnames: *mut PyObject,
    parser: &'static Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    buf: *mut *mut PyObject,
) -> PyResult<*const *mut PyObject> {
    if minkw == 0
        && kwargs.is_null()
        && kwnames.is_null()
        && (minpos as Py_ssize_t) <= nargs
        && nargs <= maxpos as Py_ssize_t
        && !args.is_null()
    {
        return Ok(args);
    }
    // SAFETY: caller's contract; the parser is 'static.
    let r = unsafe {
        ffi::_PyArg_UnpackKeywords(
            args,
            nargs,
            kwargs,
            kwnames,
            parser.0.get(),
            minpos,
            maxpos,
            minkw,
            buf,
        )
    };
    if r.is_null() {
        // SAFETY: NULL means an exception is set.
        return Err(unsafe { PyErr::assume_set() });
    }
    Ok(r)
}

impl args::Parser {
    /// The `_PyArg_Parser *` CPython's argument parser takes.
    #[inline]
    pub fn as_raw(&'static self) -> *mut ffi::_PyArg_Parser {
        // `Parser` is `repr(transparent)` over `UnsafeCell<_PyArg_Parser>`,
        // which has the layout of `_PyArg_Parser` and allows the writes
        // CPython makes through this pointer (its lazy initialisation).
        self as *const Self as *mut ffi::_PyArg_Parser
    }
}

/// `_PyEval_SliceIndex(v, &pi)`, Argument Clinic's `slice_index(accept=
/// {int, NoneType})` converter: `None` gives `default`, an object with
/// `__index__` its value clamped to the `Py_ssize_t` range; anything else
/// is a TypeError.
#[inline]
pub fn slice_index(v: Borrowed<'_>, default: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if let Some(i) = long::one_digit(v) {
        return Ok(i);
    }
    let mut pi = default;
    // SAFETY: live object; `pi` is local.
    if unsafe { ffi::_PyEval_SliceIndex(v.as_ptr(), &mut pi) } == 0 {
        return err::fail();
    }
    Ok(pi)
}
