//! getters.

use core::ffi::c_void;

use cpython_sys::api;
use cpython_sys::ffi::{PyObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::typeobject::{getter_entry, GetSetTable, GETSET_SENTINEL};
use cpython_sys::{Borrowed, Owned, PyResult};

use crate::layout::{mv_any_contiguous, mv_c_contiguous, mv_f_contiguous};
use crate::object::MemoryView;

/// `_IntTupleFromSsizet(len, vals)`.
/// A NULL array (the getters' `PyTuple_New(0)`) is the empty tuple.
fn _IntTupleFromSsizet(vals: *const Py_ssize_t, len: usize) -> PyResult<Owned> {
    if vals.is_null() {
        return api::tuple::new(0);
    }
    int_tuple_from(vals, len)
}

/// The loop of [`_IntTupleFromSsizet`] (out of line: the getters' NULL
/// case, the common one for `suboffsets`, needs none of its registers).
/// `vals` is not NULL and has `len` entries (a view's array).
#[inline(never)]
fn int_tuple_from(vals: *const Py_ssize_t, len: usize) -> PyResult<Owned> {
    let t = api::tuple::new(len as Py_ssize_t)?;
    for i in 0..len {
        // SAFETY: i < len, the number of entries of `vals` (above).
        let o = api::long::from_ssize_t(unsafe { *vals.add(i) })?;
        // SAFETY: a fresh tuple of len slots, not seen by other code yet;
        // slot i is empty.
        unsafe { api::tuple::set_fresh(t.borrow(), i as Py_ssize_t, o) };
    }
    Ok(t)
}

/// The common shape of the getters: CHECK_RELEASED, then `f`.
fn getter(op: *mut PyObject, f: impl FnOnce(MemoryView) -> PyResult<Owned>) -> *mut PyObject {
    // SAFETY: a getter of our type receives a live memoryview.
    let mv = unsafe { MemoryView::from_ptr(op) };
    result_into_ptr(mv.check_released().and_then(|()| f(mv)))
}

unsafe extern "C" fn memory_obj_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        // SAFETY: NULL or the exporter, alive while the view is.
        match unsafe { Borrowed::from_ptr_opt(mv.view_copy().obj) } {
            None => Ok(api::object::none_ref()),
            Some(o) => Ok(o.new_ref()),
        }
    })
}

unsafe extern "C" fn memory_nbytes_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| api::long::from_ssize_t(mv.view_copy().len))
}

unsafe extern "C" fn memory_format_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        let f = mv.view_copy().format;
        // SAFETY: not released: the format string is alive.
        unsafe { api::unicode::from_raw_cstr(if f.is_null() { c"B".as_ptr() } else { f }) }
    })
}

unsafe extern "C" fn memory_itemsize_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| api::long::from_ssize_t(mv.view_copy().itemsize))
}

unsafe extern "C" fn memory_shape_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        _IntTupleFromSsizet(mv.view_copy().shape, mv.ndim())
    })
}

unsafe extern "C" fn memory_strides_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        _IntTupleFromSsizet(mv.view_copy().strides, mv.ndim())
    })
}

unsafe extern "C" fn memory_suboffsets_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        _IntTupleFromSsizet(mv.view_copy().suboffsets, mv.ndim())
    })
}

unsafe extern "C" fn memory_readonly_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| Ok(api::object::bool_from(mv.readonly())))
}

unsafe extern "C" fn memory_ndim_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(
        op,
        |mv| api::long::from_long(mv.ndim() as core::ffi::c_long),
    )
}

unsafe extern "C" fn memory_c_contiguous(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        Ok(api::object::bool_from(mv_c_contiguous(mv.flags())))
    })
}

unsafe extern "C" fn memory_f_contiguous(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        Ok(api::object::bool_from(mv_f_contiguous(mv.flags())))
    })
}

unsafe extern "C" fn memory_contiguous(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        Ok(api::object::bool_from(mv_any_contiguous(mv.flags())))
    })
}

use crate::doc;

pub(crate) static memory_getsetlist: GetSetTable<13> = GetSetTable([
    getter_entry(c"obj", memory_obj_get, doc::memory_obj_doc),
    getter_entry(c"nbytes", memory_nbytes_get, doc::memory_nbytes_doc),
    getter_entry(c"readonly", memory_readonly_get, doc::memory_readonly_doc),
    getter_entry(c"itemsize", memory_itemsize_get, doc::memory_itemsize_doc),
    getter_entry(c"format", memory_format_get, doc::memory_format_doc),
    getter_entry(c"ndim", memory_ndim_get, doc::memory_ndim_doc),
    getter_entry(c"shape", memory_shape_get, doc::memory_shape_doc),
    getter_entry(c"strides", memory_strides_get, doc::memory_strides_doc),
    getter_entry(
        c"suboffsets",
        memory_suboffsets_get,
        doc::memory_suboffsets_doc,
    ),
    getter_entry(
        c"c_contiguous",
        memory_c_contiguous,
        doc::memory_c_contiguous_doc,
    ),
    getter_entry(
        c"f_contiguous",
        memory_f_contiguous,
        doc::memory_f_contiguous_doc,
    ),
    getter_entry(c"contiguous", memory_contiguous, doc::memory_contiguous_doc),
    GETSET_SENTINEL,
]);
