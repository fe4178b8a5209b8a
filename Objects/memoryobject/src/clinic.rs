//! clinic/memoryobject.c.h: argument parsing of the methods, as Argument
//! Clinic generates it (same `_PyArg_*` calls, same error messages).

use core::ffi::c_int;
use core::ptr::null_mut;

use cpython_sys::api::args::{Keywords, Parser};
use cpython_sys::api::{self, Exc};
use cpython_sys::ffi::{PyObject, PyTypeObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::Borrowed;

use crate::object::MemoryView;

/// # Safety
/// `p` is a live object for the call.
#[inline(always)]
unsafe fn borrowed<'a>(p: *mut PyObject) -> Borrowed<'a> {
    // SAFETY: caller's contract.
    unsafe { Borrowed::from_ptr(p) }
}

/// The number of keyword arguments of a vectorcall.
#[inline]
fn kwnames_len(kwnames: *mut PyObject) -> Py_ssize_t {
    // SAFETY: NULL or the call's tuple of keyword names.
    unsafe { Borrowed::from_ptr_opt(kwnames) }.map_or(0, api::tuple::len)
}

static memoryview_keywords: Keywords<2> = Keywords([c"object".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static memoryview_parser: Parser =
    unsafe { Parser::new(memoryview_keywords.0.as_ptr(), c"memoryview") };

/// `memoryview(object)`: tp_new.
pub(crate) unsafe extern "C" fn memoryview(
    _type: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new receives a live args tuple (and NULL or a dict).
    let argtuple = unsafe { borrowed(args) };
    let nargs = api::tuple::len(argtuple);
    let mut argsbuf: [*mut PyObject; 1] = [null_mut(); 1];
    // SAFETY: the tuple's items are live; argsbuf has room for 1.
    let fastargs = unsafe {
        api::args::unpack_keywords(
            api::tuple::items_ptr(argtuple),
            nargs,
            kwargs,
            &memoryview_parser,
            1,
            1,
            0,
            argsbuf.as_mut_ptr(),
        )
    };
    let Ok(fastargs) = fastargs else {
        return null_mut();
    };
    // SAFETY: at least one live argument on success.
    let object = unsafe { borrowed(*fastargs) };
    result_into_ptr(crate::constructors::memoryview_impl(object))
}

static from_flags_keywords: Keywords<3> =
    Keywords([c"object".as_ptr(), c"flags".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static from_flags_parser: Parser =
    unsafe { Parser::new(from_flags_keywords.0.as_ptr(), c"_from_flags") };

/// `memoryview._from_flags(object, flags)` (METH_FASTCALL|METH_KEYWORDS|
/// METH_CLASS).
pub(crate) unsafe extern "C" fn memoryview__from_flags(
    _type: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
    // SAFETY: the fastcall contract; argsbuf has room for 2.
    let args = unsafe {
        api::args::unpack_keywords_fast(
            args,
            nargs,
            kwnames,
            &from_flags_parser,
            2,
            2,
            0,
            argsbuf.as_mut_ptr(),
        )
    };
    let Ok(args) = args else {
        return null_mut();
    };
    // SAFETY: two live arguments on success.
    let (object, flags) = unsafe { (borrowed(*args), borrowed(*args.add(1))) };
    let Ok(flags) = api::long::as_int(flags) else {
        return null_mut();
    };
    result_into_ptr(crate::constructors::memoryview__from_flags_impl(
        object, flags,
    ))
}

pub(crate) unsafe extern "C" fn memoryview_release(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    result_into_ptr(crate::release::memoryview_release_impl(unsafe {
        MemoryView::from_ptr(op)
    }))
}

static cast_keywords: Keywords<3> =
    Keywords([c"format".as_ptr(), c"shape".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static cast_parser: Parser = unsafe { Parser::new(cast_keywords.0.as_ptr(), c"cast") };

pub(crate) unsafe extern "C" fn memoryview_cast(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let noptargs = nargs.wrapping_add(kwnames_len(kwnames)).wrapping_sub(1);
    let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
    // SAFETY: the fastcall contract; argsbuf has room for 2.
    let args = unsafe {
        api::args::unpack_keywords_fast(
            args,
            nargs,
            kwnames,
            &cast_parser,
            1,
            2,
            0,
            argsbuf.as_mut_ptr(),
        )
    };
    let Ok(args) = args else {
        return null_mut();
    };
    // SAFETY: at least one live argument on success.
    let format = unsafe { borrowed(*args) };
    if !api::unicode::check(format) {
        let _ = api::args::bad_argument(c"cast", c"argument 'format'", c"str", format);
        return null_mut();
    }
    let shape = if noptargs != 0 {
        // SAFETY: the second slot is live when given.
        unsafe { Borrowed::from_ptr_opt(*args.add(1)) }
    } else {
        None
    };
    // SAFETY: a method of our type.
    result_into_ptr(crate::cast::memoryview_cast_impl(
        unsafe { MemoryView::from_ptr(op) },
        format,
        shape,
    ))
}

pub(crate) unsafe extern "C" fn memoryview_toreadonly(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    result_into_ptr(crate::cast::memoryview_toreadonly_impl(unsafe {
        MemoryView::from_ptr(op)
    }))
}

pub(crate) unsafe extern "C" fn memoryview_tolist(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    result_into_ptr(crate::repr::memoryview_tolist_impl(unsafe {
        MemoryView::from_ptr(op)
    }))
}

static tobytes_keywords: Keywords<2> = Keywords([c"order".as_ptr(), core::ptr::null()]);
// SAFETY: a NULL-terminated array of static strings.
static tobytes_parser: Parser = unsafe { Parser::new(tobytes_keywords.0.as_ptr(), c"tobytes") };

pub(crate) unsafe extern "C" fn memoryview_tobytes(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let noptargs = nargs.wrapping_add(kwnames_len(kwnames));
    let mut argsbuf: [*mut PyObject; 1] = [null_mut(); 1];
    // SAFETY: the fastcall contract; argsbuf has room for 1.
    let args = unsafe {
        api::args::unpack_keywords_fast(
            args,
            nargs,
            kwnames,
            &tobytes_parser,
            0,
            1,
            0,
            argsbuf.as_mut_ptr(),
        )
    };
    let Ok(args) = args else {
        return null_mut();
    };
    let mut order: Option<&[u8]> = None;
    // Keeps the str alive while `order` borrows its UTF-8 form.
    let arg0;
    if noptargs != 0 {
        // SAFETY: the first slot is live when given.
        arg0 = unsafe { borrowed(*args) };
        if arg0.is(api::object::none().as_ptr()) {
            order = None;
        } else if api::unicode::check(arg0) {
            let Ok(s) = api::unicode::as_utf8(arg0) else {
                return null_mut();
            };
            if s.contains(&0) {
                let _ = api::err::set_string(
                    Exc::ValueError,
                    cpython_sys::cmsg!("embedded null character"),
                );
                return null_mut();
            }
            order = Some(s);
        } else {
            let _ = api::args::bad_argument(c"tobytes", c"argument 'order'", c"str or None", arg0);
            return null_mut();
        }
    }
    // SAFETY: a method of our type.
    result_into_ptr(crate::repr::memoryview_tobytes_impl(
        unsafe { MemoryView::from_ptr(op) },
        order,
    ))
}

static hex_keywords: Keywords<3> = Keywords([
    c"sep".as_ptr(),
    c"bytes_per_sep".as_ptr(),
    core::ptr::null(),
]);
// SAFETY: a NULL-terminated array of static strings.
static hex_parser: Parser = unsafe { Parser::new(hex_keywords.0.as_ptr(), c"hex") };

pub(crate) unsafe extern "C" fn memoryview_hex(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let mut noptargs = nargs.wrapping_add(kwnames_len(kwnames));
    let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
    // SAFETY: the fastcall contract; argsbuf has room for 2.
    let args = unsafe {
        api::args::unpack_keywords_fast(
            args,
            nargs,
            kwnames,
            &hex_parser,
            0,
            2,
            0,
            argsbuf.as_mut_ptr(),
        )
    };
    let Ok(args) = args else {
        return null_mut();
    };
    let mut sep = None;
    let mut bytes_per_sep: c_int = 1;
    'skip: {
        if noptargs == 0 {
            break 'skip;
        }
        // SAFETY: the slots are NULL (not given) or live.
        if let Some(s) = unsafe { Borrowed::from_ptr_opt(*args) } {
            sep = Some(s);
            noptargs = noptargs.wrapping_sub(1);
            if noptargs == 0 {
                break 'skip;
            }
        }
        // SAFETY: given, hence live.
        let Some(bps) = (unsafe { Borrowed::from_ptr_opt(*args.add(1)) }) else {
            break 'skip;
        };
        match api::long::as_int(bps) {
            Ok(v) => bytes_per_sep = v,
            Err(_) => return null_mut(),
        }
    }
    // SAFETY: a method of our type.
    result_into_ptr(crate::repr::memoryview_hex_impl(
        unsafe { MemoryView::from_ptr(op) },
        sep,
        bytes_per_sep,
    ))
}
