//! Casting format and shape.

use core::ffi::c_char;

use cpython_sys::api::{self, err, Exc};
use cpython_sys::{Borrowed, Owned, PyErr, PyResult};

use crate::constructors::{init_flags, mbuf_add_incomplete_view};
use crate::layout::{self, CastError};
use crate::object::{fmt_head, memoryview_check, MemoryView};

fn raise(e: CastError) -> PyErr {
    if e.is_value_error() {
        err::set_string(Exc::ValueError, e.message())
    } else {
        err::set_string(Exc::TypeError, e.message())
    }
}

/// `cast_to_1D(mv, format)`: the (incomplete) view `mv` becomes a 1-D
/// view of `format` over the same bytes.
fn cast_to_1D(mv: MemoryView, format: Borrowed<'_>) -> PyResult<()> {
    let asciifmt = api::unicode::as_ascii_string(format)?;
    // C reads the new format as a C string (`PyBytes_AS_STRING`): what
    // follows an embedded NUL is ignored ("i\0x" casts to 'i').
    let dest = match api::bytes::as_cstr_ptr(asciifmt.borrow()) {
        // SAFETY: the NUL-terminated contents of `asciifmt`, alive and
        // unchanged until it is dropped at the end of this function.
        Some(p) => unsafe { fmt_head(p) },
        None => b"",
    };
    // The incomplete view shares the source's format (init_shared_values);
    // the source is not released (checked by the caller, no Python code
    // ran since).
    // SAFETY: see above.  The format's first bytes are all the check
    // needs (a single character after an optional '@').
    let src = unsafe { mv.format_head() };
    // SAFETY: live view under construction.
    let len = unsafe { (*mv.view()).len };
    let (itemsize, fmt) = layout::cast_to_1d_check(src, dest, len).map_err(raise)?;
    let nitems = len.checked_div(itemsize).unwrap_or(0);
    // SAFETY: the fresh view has room for at least one entry per array.
    unsafe {
        let v = &mut *mv.view();
        v.format = fmt.as_ptr() as *mut c_char;
        v.itemsize = itemsize;
        v.ndim = 1;
        *v.shape = nitems;
        *v.strides = itemsize;
        v.suboffsets = core::ptr::null_mut();
    }
    // init_flags(mv) on the values just written, which the compiler folds:
    // one dimension whose stride is the item size, no suboffsets.
    mv.set_flags(layout::init_flags(
        len,
        itemsize,
        &[nitems],
        &[itemsize],
        false,
    ));
    Ok(())
}

/// `copy_shape(shape, seq, ndim, itemsize)`: validates and stores the new
/// shape; returns product(shape) * itemsize.
fn copy_shape(mv: MemoryView, seq: Borrowed<'_>, ndim: usize, itemsize: isize) -> PyResult<isize> {
    let mut len = itemsize;
    for i in 0..ndim {
        let Some(tmp) = api::sequence::fast_item(seq, i as isize) else {
            // The list shrank while __index__-free conversions ran: C would
            // read past the end; report it like a bad element.
            return Err(err::set_string(
                Exc::TypeError,
                cpython_sys::cmsg!("memoryview.cast(): elements of shape must be integers"),
            ));
        };
        if !cpython_sys::api::long::check(tmp.borrow()) {
            return Err(err::set_string(
                Exc::TypeError,
                cpython_sys::cmsg!("memoryview.cast(): elements of shape must be integers"),
            ));
        }
        let x = api::long::as_ssize_t(tmp.borrow())?;
        len = layout::copy_shape_step(len, x).map_err(raise)?;
        // SAFETY: the view has room for ndim shape entries.
        unsafe { *(*mv.view()).shape.add(i) = x };
    }
    Ok(len)
}

/// `cast_to_ND(mv, shape, ndim)`.
fn cast_to_ND(mv: MemoryView, shape: Borrowed<'_>, ndim: usize) -> PyResult<()> {
    // SAFETY: live view under construction.
    let (itemsize, vlen) = unsafe { ((*mv.view()).itemsize, (*mv.view()).len) };
    // SAFETY: as above.
    unsafe { (*mv.view()).ndim = ndim as core::ffi::c_int };
    let len = if ndim == 0 {
        // SAFETY: as above.
        unsafe {
            (*mv.view()).shape = core::ptr::null_mut();
            (*mv.view()).strides = core::ptr::null_mut();
        }
        itemsize
    } else {
        let len = copy_shape(mv, shape, ndim, itemsize)?;
        // SAFETY: room for ndim entries per array.
        unsafe {
            let v = &mut *mv.view();
            let s = core::slice::from_raw_parts(v.shape, ndim);
            let st = core::slice::from_raw_parts_mut(v.strides, ndim);
            layout::init_strides_from_shape(s, itemsize, st);
        }
        len
    };
    if vlen != len {
        return Err(raise(CastError::SizeMismatch));
    }
    init_flags(mv);
    Ok(())
}

/// `memoryview_cast_impl(self, format, shape)`.
pub(crate) fn memoryview_cast_impl(
    self_: MemoryView,
    format: Borrowed<'_>,
    shape: Option<Borrowed<'_>>,
) -> PyResult<Owned> {
    self_.check_released()?;
    self_.check_restricted()?;
    layout::cast_precheck(self_.flags(), self_.ndim(), shape.is_some(), || {
        self_.shape()
    })
    .map_err(raise)?;
    let ndim = match shape {
        Some(s) => {
            // CHECK_LIST_OR_TUPLE(shape)
            if !api::list::check(s) && !cpython_sys::api::tuple::check(s) {
                return Err(err::set_string(
                    Exc::TypeError,
                    cpython_sys::cmsg!("shape must be a list or a tuple"),
                ));
            }
            layout::cast_ndim_check(self_.ndim(), api::sequence::fast_len(s) as usize)
                .map_err(raise)?
        }
        None => 1,
    };
    let Some(mbuf) = self_.mbuf() else {
        return Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("operation forbidden on released memoryview object"),
        ));
    };
    // SAFETY: the header of a constructed view that `self_`'s holder
    // keeps alive; nothing writes it while the new view copies it.
    let src = unsafe { self_.view_ref() };
    let (obj, mv) = mbuf_add_incomplete_view(mbuf, Some(src), if ndim == 0 { 1 } else { ndim })?;
    cast_to_1D(mv, format)?;
    if let Some(s) = shape {
        cast_to_ND(mv, s, ndim)?;
    }
    debug_assert!(memoryview_check(obj.borrow()));
    Ok(obj)
}

/// `memoryview_toreadonly_impl(self)`.
pub(crate) fn memoryview_toreadonly_impl(self_: MemoryView) -> PyResult<Owned> {
    self_.check_released()?;
    self_.check_restricted()?;
    let Some(mbuf) = self_.mbuf() else {
        return Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("operation forbidden on released memoryview object"),
        ));
    };
    // Even if self is already readonly, we still need to create a new
    // object for .release() to work correctly.
    let (obj, mv) = crate::constructors::mbuf_add_view_of(mbuf, self_)?;
    // SAFETY: the fresh view.
    unsafe { (*mv.view()).readonly = 1 };
    Ok(obj)
}
