//! clinic/bytearrayobject.c.h and stringlib/clinic/transmogrify.h.h:
//! argument parsing of the methods, as Argument Clinic generates it (the
//! same `_PyArg_*` calls and converters, so the same error messages).

use core::ffi::{c_int, CStr};
use core::ptr::null_mut;

use cpython_sys::api::args::{Keywords, Parser};
use cpython_sys::api::buffer::View;
use cpython_sys::api::bytes_methods::{Case, Ctype};
use cpython_sys::api::{self, args, buffer};
use cpython_sys::ffi::{PyObject, PyTypeObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::{Borrowed, Owned, PyResult};

use crate::methods::{self as m, StripType};
use crate::object::{_getbytevalue, ByteArray, PY_SSIZE_T_MAX};

type Impl = fn(ByteArray<'_>) -> PyResult<Owned>;
type ImplO = fn(ByteArray<'_>, Borrowed<'_>) -> PyResult<Owned>;
type ImplFind = fn(ByteArray<'_>, Borrowed<'_>, Py_ssize_t, Py_ssize_t) -> PyResult<Owned>;

/// Argument `i` of a fastcall (or of an unpacked argument array).
///
/// # Safety
/// `i` is below the number of live arguments in `args`.
#[inline(always)]
unsafe fn arg<'a>(args: *const *mut PyObject, i: usize) -> Borrowed<'a> {
    // SAFETY: caller's contract.
    unsafe { Borrowed::from_ptr(*args.add(i)) }
}

/// An optional argument slot of `_PyArg_UnpackKeywords`' result: NULL when
/// not given.
///
/// # Safety
/// `i` is below the parser's number of parameters.
#[inline(always)]
unsafe fn opt_arg<'a>(args: *const *mut PyObject, i: usize) -> Option<Borrowed<'a>> {
    // SAFETY: caller's contract; the slot is NULL or a live object.
    unsafe { Borrowed::from_ptr_opt(*args.add(i)) }
}

/// The number of keyword arguments of a fastcall.
#[inline]
fn kwnames_len(kwnames: *mut PyObject) -> Py_ssize_t {
    // SAFETY: NULL or the call's tuple of keyword names.
    unsafe { Borrowed::from_ptr_opt(kwnames) }.map_or(0, api::tuple::len)
}

/// `f` on `self` in its critical section (`Py_BEGIN_CRITICAL_SECTION`):
/// free-threaded, one thread at a time reads or resizes the contents (C
/// 3.13 takes no lock, and races there); with the GIL it is nothing.
///
/// # Safety
/// `op` is a live bytearray.
#[inline(always)]
unsafe fn locked<R>(op: *mut PyObject, f: impl FnOnce(ByteArray<'_>) -> R) -> R {
    // SAFETY: caller's contract.
    let ba = unsafe { ByteArray::from_ptr(op) };
    api::critical_section::with(ba.obj(), || f(ba))
}

/// A METH_NOARGS method of our type.
///
/// # Safety
/// `op` is a live bytearray (the method's self).
#[inline(always)]
unsafe fn noargs(op: *mut PyObject, f: Impl) -> *mut PyObject {
    // SAFETY: caller's contract.
    result_into_ptr(unsafe { locked(op, f) })
}

/// A METH_O method of our type.
///
/// # Safety
/// `op` is a live bytearray, `a` a live object.
#[inline(always)]
unsafe fn meth_o(op: *mut PyObject, a: *mut PyObject, f: ImplO) -> *mut PyObject {
    // SAFETY: caller's contract.
    let a = unsafe { Borrowed::from_ptr(a) };
    // SAFETY: caller's contract.
    result_into_ptr(unsafe { locked(op, |ba| f(ba, a)) })
}

/// Clinic's `Py_ssize_t` converter: `_PyNumber_Index` then
/// `PyLong_AsSsize_t`.
#[inline(always)]
fn ssize_arg(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    api::number::index_as_isize(o)
}

/// Clinic's `str` converter for argument `display` of `fname`.
#[inline]
fn str_arg<'a>(fname: &CStr, display: &CStr, o: Borrowed<'a>) -> PyResult<&'a CStr> {
    if !api::unicode::check(o) {
        return Err(args::bad_argument(fname, display, c"str", o));
    }
    api::unicode::as_utf8_cstr(o)
}

/// Clinic's `char` converter: a bytes or bytearray of length 1.
#[inline]
fn char_arg(fname: &CStr, o: Borrowed<'_>) -> PyResult<u8> {
    if let Some(&[c]) = api::bytes::as_slice(o) {
        return Ok(c);
    }
    if let Some(b) = ByteArray::check(o) {
        if b.len() == 1 {
            // SAFETY: one byte; no Python code runs.
            return Ok(unsafe { *b.as_ptr() });
        }
    }
    Err(args::bad_argument(
        fname,
        c"argument 2",
        c"a byte string of length 1",
        o,
    ))
}

/// The find family's wrapper: `(sub[, start[, end]])`, positional, with
/// `slice_index` converters.
///
/// A function, not a closure, so that it is inlined into each method
/// with its implementation known (one closure type would be shared by
/// all the methods and called indirectly); the method turns its result
/// into C's.
///
/// # Safety
/// The METH_FASTCALL contract: `op` is a live bytearray, `a` holds `nargs`
/// live objects.
#[inline(always)]
unsafe fn find_family(
    name: &CStr,
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    f: ImplFind,
) -> PyResult<Owned> {
    args::check_positional(name, nargs, 1, 3)?;
    // SAFETY: at least one argument (checked).
    let sub = unsafe { arg(a, 0) };
    let mut start = 0;
    let mut end = PY_SSIZE_T_MAX;
    if nargs >= 2 {
        // SAFETY: nargs >= 2.
        start = args::slice_index(unsafe { arg(a, 1) }, start)?;
        if nargs >= 3 {
            // SAFETY: nargs >= 3.
            end = args::slice_index(unsafe { arg(a, 2) }, end)?;
        }
    }
    // SAFETY: the method's self.
    unsafe { locked(op, |ba| f(ba, sub, start, end)) }
}

// ---------------------------------------------------------------------------
// __init__

static init_keywords: Keywords<4> = Keywords([
    c"source".as_ptr(),
    c"encoding".as_ptr(),
    c"errors".as_ptr(),
    core::ptr::null(),
]);
// SAFETY: a NULL-terminated array of static strings.
static init_parser: Parser = unsafe { Parser::new(init_keywords.0.as_ptr(), c"bytearray") };

/// `bytearray___init__(self, args, kwargs)`: tp_init.
pub(crate) unsafe extern "C" fn bytearray___init__(
    op: *mut PyObject,
    argtuple: *mut PyObject,
    kwargs: *mut PyObject,
) -> c_int {
    // SAFETY: tp_init receives a live args tuple and NULL or a dict.
    if kwargs.is_null() && api::tuple::len(unsafe { Borrowed::from_ptr(argtuple) }) == 0 {
        // `bytearray()`: no arguments to parse, so the parser's frame
        // (and its register saves) stays out of the common call.
        // SAFETY: tp_init of our type: a live bytearray.
        let r = unsafe {
            locked(op, |ba| {
                crate::sequence::bytearray___init___impl(ba, None, None, None)
            })
        };
        return if r.is_ok() { 0 } else { -1 };
    }
    // SAFETY: as this function's.
    unsafe { bytearray___init___parse(op, argtuple, kwargs) }
}

/// The argument parsing of `bytearray___init__`, for calls with arguments.
#[inline(never)]
unsafe fn bytearray___init___parse(
    op: *mut PyObject,
    argtuple: *mut PyObject,
    kwargs: *mut PyObject,
) -> c_int {
    let r = (|| {
        // SAFETY: tp_init receives a live args tuple and NULL or a dict.
        let (targs, kw) = unsafe { (Borrowed::from_ptr(argtuple), Borrowed::from_ptr_opt(kwargs)) };
        let nargs = api::tuple::len(targs);
        let mut noptargs = nargs.wrapping_add(kw.map_or(0, api::dict::size));
        let mut argsbuf: [*mut PyObject; 3] = [null_mut(); 3];
        // SAFETY: the tuple's items are live; argsbuf has room for 3.
        let fa = unsafe {
            args::unpack_keywords(
                api::tuple::items_ptr(targs),
                nargs,
                kwargs,
                &init_parser,
                0,
                3,
                0,
                argsbuf.as_mut_ptr(),
            )?
        };
        let (mut source, mut encoding, mut errors) = (None, None, None);
        'skip: {
            if noptargs == 0 {
                break 'skip;
            }
            // SAFETY: three slots, NULL when not given.
            if let Some(a) = unsafe { opt_arg(fa, 0) } {
                source = Some(a);
                noptargs -= 1;
                if noptargs == 0 {
                    break 'skip;
                }
            }
            // SAFETY: as above.
            if let Some(a) = unsafe { opt_arg(fa, 1) } {
                encoding = Some(str_arg(c"bytearray", c"argument 'encoding'", a)?);
                noptargs -= 1;
                if noptargs == 0 {
                    break 'skip;
                }
            }
            // SAFETY: the last given slot is live.
            if let Some(a) = unsafe { opt_arg(fa, 2) } {
                errors = Some(str_arg(c"bytearray", c"argument 'errors'", a)?);
            }
        }
        // SAFETY: tp_init of our type: a live bytearray.
        unsafe {
            locked(op, |ba| {
                crate::sequence::bytearray___init___impl(ba, source, encoding, errors)
            })
        }
    })();
    match r {
        Ok(()) => 0,
        Err(_) => -1,
    }
}

// ---------------------------------------------------------------------------
// find, count, clear, copy, index, rfind, rindex, startswith, endswith

pub(crate) unsafe extern "C" fn bytearray_find(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { find_family(c"find", op, a, nargs, m::bytearray_find_impl) })
}

pub(crate) unsafe extern "C" fn bytearray_count(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { find_family(c"count", op, a, nargs, m::bytearray_count_impl) })
}

pub(crate) unsafe extern "C" fn bytearray_clear(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    unsafe { noargs(op, m::bytearray_clear_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_copy(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    unsafe { noargs(op, m::bytearray_copy_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_index(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { find_family(c"index", op, a, nargs, m::bytearray_index_impl) })
}

pub(crate) unsafe extern "C" fn bytearray_rfind(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { find_family(c"rfind", op, a, nargs, m::bytearray_rfind_impl) })
}

pub(crate) unsafe extern "C" fn bytearray_rindex(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { find_family(c"rindex", op, a, nargs, m::bytearray_rindex_impl) })
}

pub(crate) unsafe extern "C" fn bytearray_startswith(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe {
        find_family(c"startswith", op, a, nargs, m::bytearray_startswith_impl)
    })
}

pub(crate) unsafe extern "C" fn bytearray_endswith(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { find_family(c"endswith", op, a, nargs, m::bytearray_endswith_impl) })
}

// ---------------------------------------------------------------------------
// removeprefix, removesuffix, translate, maketrans, replace

pub(crate) unsafe extern "C" fn bytearray_removeprefix(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe {
        meth_o(op, a, |ba, a| {
            let mut slot = buffer::slot();
            let prefix = View::simple(a, &mut slot)?;
            m::bytearray_removeprefix_impl(ba, &prefix)
        })
    }
}

pub(crate) unsafe extern "C" fn bytearray_removesuffix(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe {
        meth_o(op, a, |ba, a| {
            let mut slot = buffer::slot();
            let suffix = View::simple(a, &mut slot)?;
            m::bytearray_removesuffix_impl(ba, &suffix)
        })
    }
}

static translate_keywords: Keywords<3> =
    Keywords([c"".as_ptr(), c"delete".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static translate_parser: Parser =
    unsafe { Parser::new(translate_keywords.0.as_ptr(), c"translate") };

pub(crate) unsafe extern "C" fn bytearray_translate(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let r = (|| {
        let noptargs = nargs.wrapping_add(kwnames_len(kwnames)).wrapping_sub(1);
        let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
        // SAFETY: the fastcall contract; argsbuf has room for 2.
        let fa = unsafe {
            args::unpack_keywords_fast(
                a,
                nargs,
                kwnames,
                &translate_parser,
                1,
                2,
                0,
                argsbuf.as_mut_ptr(),
            )?
        };
        // SAFETY: at least one live argument; the second when given.
        let table = unsafe { arg(fa, 0) };
        let deletechars = if noptargs != 0 {
            // SAFETY: as above.
            unsafe { opt_arg(fa, 1) }
        } else {
            None
        };
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_translate_impl(ba, table, deletechars)) }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_maketrans(
    _null: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    let r = (|| {
        args::check_positional(c"maketrans", nargs, 2, 2)?;
        let (mut s0, mut s1) = (buffer::slot(), buffer::slot());
        // SAFETY: two live arguments (checked).
        let frm = View::simple(unsafe { arg(a, 0) }, &mut s0)?;
        // SAFETY: as above.
        let to = View::simple(unsafe { arg(a, 1) }, &mut s1)?;
        m::bytearray_maketrans_impl(&frm, &to)
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_replace(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    let r = (|| {
        args::check_positional(c"replace", nargs, 2, 3)?;
        let (mut s0, mut s1) = (buffer::slot(), buffer::slot());
        // SAFETY: at least two live arguments (checked).
        let old = View::simple(unsafe { arg(a, 0) }, &mut s0)?;
        // SAFETY: as above.
        let new = View::simple(unsafe { arg(a, 1) }, &mut s1)?;
        let count = if nargs >= 3 {
            // SAFETY: nargs >= 3.
            ssize_arg(unsafe { arg(a, 2) })?
        } else {
            -1
        };
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_replace_impl(ba, &old, &new, count)) }
    })();
    result_into_ptr(r)
}

// ---------------------------------------------------------------------------
// split, partition, rpartition, rsplit

static split_keywords: Keywords<3> =
    Keywords([c"sep".as_ptr(), c"maxsplit".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static split_parser: Parser = unsafe { Parser::new(split_keywords.0.as_ptr(), c"split") };
// SAFETY: a NULL-terminated array of static strings.
static rsplit_parser: Parser = unsafe { Parser::new(split_keywords.0.as_ptr(), c"rsplit") };

/// The wrapper of split and rsplit: `(sep=None, maxsplit=-1)`.
///
/// A function, not a closure, so that it is inlined into each method
/// with its implementation known (one closure type would be shared by
/// all the methods and called indirectly); the method turns its result
/// into C's.
///
/// # Safety
/// The METH_FASTCALL|METH_KEYWORDS contract; `op` is a live bytearray.
#[inline(always)]
unsafe fn split_family(
    parser: &'static Parser,
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
    f: fn(ByteArray<'_>, Borrowed<'_>, Py_ssize_t) -> PyResult<Owned>,
) -> PyResult<Owned> {
    let mut noptargs = nargs.wrapping_add(kwnames_len(kwnames));
    let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
    // SAFETY: the fastcall contract; argsbuf has room for 2.
    let fa = unsafe {
        args::unpack_keywords_fast(a, nargs, kwnames, parser, 0, 2, 0, argsbuf.as_mut_ptr())?
    };
    let mut sep = api::object::none();
    let mut maxsplit: Py_ssize_t = -1;
    'skip: {
        if noptargs == 0 {
            break 'skip;
        }
        // SAFETY: two slots, NULL when not given.
        if let Some(s) = unsafe { opt_arg(fa, 0) } {
            sep = s;
            noptargs -= 1;
            if noptargs == 0 {
                break 'skip;
            }
        }
        // SAFETY: as above.
        if let Some(n) = unsafe { opt_arg(fa, 1) } {
            maxsplit = ssize_arg(n)?;
        }
    }
    // SAFETY: the method's self.
    unsafe { locked(op, |ba| f(ba, sep, maxsplit)) }
}

pub(crate) unsafe extern "C" fn bytearray_split(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL|METH_KEYWORDS contract.
    result_into_ptr(unsafe {
        split_family(
            &split_parser,
            op,
            a,
            nargs,
            kwnames,
            m::bytearray_split_impl,
        )
    })
}

pub(crate) unsafe extern "C" fn bytearray_partition(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe { meth_o(op, a, m::bytearray_partition_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_rpartition(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe { meth_o(op, a, m::bytearray_rpartition_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_rsplit(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL|METH_KEYWORDS contract.
    result_into_ptr(unsafe {
        split_family(
            &rsplit_parser,
            op,
            a,
            nargs,
            kwnames,
            m::bytearray_rsplit_impl,
        )
    })
}

// ---------------------------------------------------------------------------
// reverse, insert, append, extend, pop, remove

pub(crate) unsafe extern "C" fn bytearray_reverse(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    unsafe { noargs(op, m::bytearray_reverse_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_insert(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    let r = (|| {
        args::check_positional(c"insert", nargs, 2, 2)?;
        // SAFETY: two live arguments (checked).
        let index = ssize_arg(unsafe { arg(a, 0) })?;
        // SAFETY: as above.
        let item = _getbytevalue(unsafe { arg(a, 1) })?;
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_insert_impl(ba, index, item)) }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_append(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe {
        meth_o(op, a, |ba, a| {
            m::bytearray_append_impl(ba, _getbytevalue(a)?)
        })
    }
}

pub(crate) unsafe extern "C" fn bytearray_extend(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe { meth_o(op, a, m::bytearray_extend_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_pop(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    let r = (|| {
        args::check_positional(c"pop", nargs, 0, 1)?;
        let index = if nargs >= 1 {
            // SAFETY: one live argument.
            ssize_arg(unsafe { arg(a, 0) })?
        } else {
            -1
        };
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_pop_impl(ba, index)) }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_remove(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe {
        meth_o(op, a, |ba, a| {
            m::bytearray_remove_impl(ba, _getbytevalue(a)?)
        })
    }
}

// ---------------------------------------------------------------------------
// strip, lstrip, rstrip

/// The strip family's wrapper: `([bytes])`, positional.
///
/// A function, not a closure, so that it is inlined into each method
/// with its implementation known (one closure type would be shared by
/// all the methods and called indirectly); the method turns its result
/// into C's.
///
/// # Safety
/// The METH_FASTCALL contract; `op` is a live bytearray.
#[inline(always)]
unsafe fn strip_family(
    name: &CStr,
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    striptype: StripType,
) -> PyResult<Owned> {
    args::check_positional(name, nargs, 0, 1)?;
    let bytes = if nargs >= 1 {
        // SAFETY: one live argument.
        unsafe { arg(a, 0) }
    } else {
        api::object::none()
    };
    // SAFETY: the method's self.
    unsafe {
        locked(op, |ba| {
            m::bytearray_strip_impl_helper(ba, bytes, striptype)
        })
    }
}

// C: bytearray_strip_impl
pub(crate) unsafe extern "C" fn bytearray_strip(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { strip_family(c"strip", op, a, nargs, StripType::Both) })
}

// C: bytearray_lstrip_impl
pub(crate) unsafe extern "C" fn bytearray_lstrip(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { strip_family(c"lstrip", op, a, nargs, StripType::Left) })
}

// C: bytearray_rstrip_impl
pub(crate) unsafe extern "C" fn bytearray_rstrip(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { strip_family(c"rstrip", op, a, nargs, StripType::Right) })
}

// ---------------------------------------------------------------------------
// decode, __alloc__, join, splitlines, fromhex, hex

static decode_keywords: Keywords<3> =
    Keywords([c"encoding".as_ptr(), c"errors".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static decode_parser: Parser = unsafe { Parser::new(decode_keywords.0.as_ptr(), c"decode") };

pub(crate) unsafe extern "C" fn bytearray_decode(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let r = (|| {
        let mut noptargs = nargs.wrapping_add(kwnames_len(kwnames));
        let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
        // SAFETY: the fastcall contract; argsbuf has room for 2.
        let fa = unsafe {
            args::unpack_keywords_fast(
                a,
                nargs,
                kwnames,
                &decode_parser,
                0,
                2,
                0,
                argsbuf.as_mut_ptr(),
            )?
        };
        let (mut encoding, mut errors) = (None, None);
        'skip: {
            if noptargs == 0 {
                break 'skip;
            }
            // SAFETY: two slots, NULL when not given.
            if let Some(e) = unsafe { opt_arg(fa, 0) } {
                encoding = Some(str_arg(c"decode", c"argument 'encoding'", e)?);
                noptargs -= 1;
                if noptargs == 0 {
                    break 'skip;
                }
            }
            // SAFETY: as above.
            if let Some(e) = unsafe { opt_arg(fa, 1) } {
                errors = Some(str_arg(c"decode", c"argument 'errors'", e)?);
            }
        }
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_decode_impl(ba, encoding, errors)) }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_alloc(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    unsafe { noargs(op, m::bytearray_alloc_impl) }
}

pub(crate) unsafe extern "C" fn bytearray_join(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe { meth_o(op, a, m::bytearray_join_impl) }
}

static splitlines_keywords: Keywords<2> = Keywords([c"keepends".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static splitlines_parser: Parser =
    unsafe { Parser::new(splitlines_keywords.0.as_ptr(), c"splitlines") };

pub(crate) unsafe extern "C" fn bytearray_splitlines(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let r = (|| {
        let noptargs = nargs.wrapping_add(kwnames_len(kwnames));
        let mut argsbuf: [*mut PyObject; 1] = [null_mut(); 1];
        // SAFETY: the fastcall contract; argsbuf has room for 1.
        let fa = unsafe {
            args::unpack_keywords_fast(
                a,
                nargs,
                kwnames,
                &splitlines_parser,
                0,
                1,
                0,
                argsbuf.as_mut_ptr(),
            )?
        };
        let mut keepends = false;
        if noptargs != 0 {
            // SAFETY: the slot is live when given.
            if let Some(k) = unsafe { opt_arg(fa, 0) } {
                keepends = api::object::is_true(k)?;
            }
        }
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_splitlines_impl(ba, keepends)) }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_fromhex(
    tp: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O|METH_CLASS: the class and a live argument.
    let string = unsafe { Borrowed::from_ptr(a) };
    if !api::unicode::check(string) {
        let _ = args::bad_argument(c"fromhex", c"argument", c"str", string);
        return null_mut();
    }
    result_into_ptr(m::bytearray_fromhex_impl(tp as *mut PyTypeObject, string))
}

static hex_keywords: Keywords<3> = Keywords([
    c"sep".as_ptr(),
    c"bytes_per_sep".as_ptr(),
    core::ptr::null(),
]);
// SAFETY: a NULL-terminated array of static strings.
static hex_parser: Parser = unsafe { Parser::new(hex_keywords.0.as_ptr(), c"hex") };

pub(crate) unsafe extern "C" fn bytearray_hex(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let r = (|| {
        let mut noptargs = nargs.wrapping_add(kwnames_len(kwnames));
        let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
        // SAFETY: the fastcall contract; argsbuf has room for 2.
        let fa = unsafe {
            args::unpack_keywords_fast(
                a,
                nargs,
                kwnames,
                &hex_parser,
                0,
                2,
                0,
                argsbuf.as_mut_ptr(),
            )?
        };
        let mut sep = None;
        let mut bytes_per_sep: c_int = 1;
        'skip: {
            if noptargs == 0 {
                break 'skip;
            }
            // SAFETY: two slots, NULL when not given.
            if let Some(s) = unsafe { opt_arg(fa, 0) } {
                sep = Some(s);
                noptargs -= 1;
                if noptargs == 0 {
                    break 'skip;
                }
            }
            // SAFETY: as above.
            if let Some(b) = unsafe { opt_arg(fa, 1) } {
                bytes_per_sep = api::long::as_int(b)?;
            }
        }
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::bytearray_hex_impl(ba, sep, bytes_per_sep)) }
    })();
    result_into_ptr(r)
}

// ---------------------------------------------------------------------------
// __reduce__, __reduce_ex__, __sizeof__

// C: bytearray_reduce_impl
pub(crate) unsafe extern "C" fn bytearray_reduce(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    unsafe { noargs(op, |ba| m::_common_reduce(ba, 2)) }
}

// C: bytearray_reduce_ex_impl
pub(crate) unsafe extern "C" fn bytearray_reduce_ex(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    let r = (|| {
        args::check_positional(c"__reduce_ex__", nargs, 0, 1)?;
        let proto = if nargs >= 1 {
            // SAFETY: one live argument.
            api::long::as_int(unsafe { arg(a, 0) })?
        } else {
            0
        };
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::_common_reduce(ba, proto)) }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearray_sizeof(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    unsafe { noargs(op, m::bytearray_sizeof_impl) }
}

// ---------------------------------------------------------------------------
// stringlib/ctype.h (METH_NOARGS) and stringlib/clinic/transmogrify.h.h

macro_rules! ctype_methods {
    ($($name:ident => $e:expr;)*) => {$(
        pub(crate) unsafe extern "C" fn $name(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
            // SAFETY: METH_NOARGS method of our type.
            unsafe { noargs(op, |ba| $e(ba)) }
        }
    )*};
}

ctype_methods! {
    stringlib_isspace => |ba| m::stringlib_ctype(ba, Ctype::IsSpace);
    stringlib_isalpha => |ba| m::stringlib_ctype(ba, Ctype::IsAlpha);
    stringlib_isalnum => |ba| m::stringlib_ctype(ba, Ctype::IsAlnum);
    stringlib_isascii => |ba| m::stringlib_ctype(ba, Ctype::IsAscii);
    stringlib_isdigit => |ba| m::stringlib_ctype(ba, Ctype::IsDigit);
    stringlib_islower => |ba| m::stringlib_ctype(ba, Ctype::IsLower);
    stringlib_isupper => |ba| m::stringlib_ctype(ba, Ctype::IsUpper);
    stringlib_istitle => |ba| m::stringlib_ctype(ba, Ctype::IsTitle);
    stringlib_lower => |ba| m::stringlib_case(ba, Case::Lower);
    stringlib_upper => |ba| m::stringlib_case(ba, Case::Upper);
    stringlib_title => |ba| m::stringlib_case(ba, Case::Title);
    stringlib_capitalize => |ba| m::stringlib_case(ba, Case::Capitalize);
    stringlib_swapcase => |ba| m::stringlib_case(ba, Case::SwapCase);
}

static expandtabs_keywords: Keywords<2> = Keywords([c"tabsize".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static expandtabs_parser: Parser =
    unsafe { Parser::new(expandtabs_keywords.0.as_ptr(), c"expandtabs") };

pub(crate) unsafe extern "C" fn stringlib_expandtabs(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let r = (|| {
        let noptargs = nargs.wrapping_add(kwnames_len(kwnames));
        let mut argsbuf: [*mut PyObject; 1] = [null_mut(); 1];
        // SAFETY: the fastcall contract; argsbuf has room for 1.
        let fa = unsafe {
            args::unpack_keywords_fast(
                a,
                nargs,
                kwnames,
                &expandtabs_parser,
                0,
                1,
                0,
                argsbuf.as_mut_ptr(),
            )?
        };
        let mut tabsize: c_int = 8;
        if noptargs != 0 {
            // SAFETY: the slot is live when given.
            if let Some(t) = unsafe { opt_arg(fa, 0) } {
                tabsize = api::long::as_int(t)?;
            }
        }
        // SAFETY: the method's self.
        unsafe { locked(op, |ba| m::stringlib_expandtabs_impl(ba, tabsize)) }
    })();
    result_into_ptr(r)
}

/// The padding family's wrapper: `(width, fillchar=b' ')`, positional.
///
/// A function, not a closure, so that it is inlined into each method
/// with its implementation known (one closure type would be shared by
/// all the methods and called indirectly); the method turns its result
/// into C's.
///
/// # Safety
/// The METH_FASTCALL contract; `op` is a live bytearray.
#[inline(always)]
unsafe fn pad_family(
    name: &CStr,
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
    f: fn(ByteArray<'_>, Py_ssize_t, u8) -> PyResult<Owned>,
) -> PyResult<Owned> {
    args::check_positional(name, nargs, 1, 2)?;
    // SAFETY: at least one live argument (checked).
    let width = ssize_arg(unsafe { arg(a, 0) })?;
    let fillchar = if nargs >= 2 {
        // SAFETY: nargs >= 2.
        char_arg(name, unsafe { arg(a, 1) })?
    } else {
        b' '
    };
    // SAFETY: the method's self.
    unsafe { locked(op, |ba| f(ba, width, fillchar)) }
}

pub(crate) unsafe extern "C" fn stringlib_ljust(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { pad_family(c"ljust", op, a, nargs, m::stringlib_ljust_impl) })
}

pub(crate) unsafe extern "C" fn stringlib_rjust(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { pad_family(c"rjust", op, a, nargs, m::stringlib_rjust_impl) })
}

pub(crate) unsafe extern "C" fn stringlib_center(
    op: *mut PyObject,
    a: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: the METH_FASTCALL contract.
    result_into_ptr(unsafe { pad_family(c"center", op, a, nargs, m::stringlib_center_impl) })
}

pub(crate) unsafe extern "C" fn stringlib_zfill(
    op: *mut PyObject,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type.
    unsafe { meth_o(op, a, |ba, a| m::stringlib_zfill_impl(ba, ssize_arg(a)?)) }
}
