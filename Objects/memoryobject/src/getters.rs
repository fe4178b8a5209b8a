//! getters.

use core::ffi::c_void;

use cpython_sys::api_memory as am;
use cpython_sys::ffi::{self, PyObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::{api, Borrowed, Owned, PyResult};

use crate::layout::{mv_any_contiguous, mv_c_contiguous, mv_f_contiguous};
use crate::object::Mv;

/// `_IntTupleFromSsizet(len, vals)`.
/// A NULL array (the getters' `PyTuple_New(0)`) is the empty tuple.
fn _IntTupleFromSsizet(vals: *const Py_ssize_t, len: usize) -> PyResult<Owned> {
    if vals.is_null() {
        // SAFETY: the empty tuple (a new reference) or NULL.
        return unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(0)) };
    }
    int_tuple_from(vals, len)
}

/// The loop of [`_IntTupleFromSsizet`] (out of line: the getters' NULL
/// case, the common one for `suboffsets`, needs none of its registers).
/// `vals` is not NULL and has `len` entries (a view's array).
#[inline(never)]
fn int_tuple_from(vals: *const Py_ssize_t, len: usize) -> PyResult<Owned> {
    // SAFETY: returns a new reference or NULL.
    let t = unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(len as Py_ssize_t))? };
    for i in 0..len {
        // SAFETY: i < len, the number of entries of `vals` (above).
        let o = api::long_from_ssize_t(unsafe { *vals.add(i) })?;
        // SAFETY: fresh tuple of len slots; the slot takes the reference.
        unsafe { cpython_sys::inline::PyTuple_SET_ITEM(t.as_ptr(), i as Py_ssize_t, o.into_raw()) };
    }
    Ok(t)
}

/// The common shape of the getters: CHECK_RELEASED, then `f`.
fn getter(op: *mut PyObject, f: impl FnOnce(Mv) -> PyResult<Owned>) -> *mut PyObject {
    // SAFETY: a getter of our type receives a live memoryview.
    let mv = unsafe { Mv::from_ptr(op) };
    result_into_ptr(mv.check_released().and_then(|()| f(mv)))
}

unsafe extern "C" fn memory_obj_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        // SAFETY: NULL or the exporter, alive while the view is.
        match unsafe { Borrowed::from_ptr_opt(mv.view_copy().obj) } {
            None => Ok(api::none_ref()),
            Some(o) => Ok(o.new_ref()),
        }
    })
}

unsafe extern "C" fn memory_nbytes_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| api::long_from_ssize_t(mv.view_copy().len))
}

unsafe extern "C" fn memory_format_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| {
        let f = mv.view_copy().format;
        // SAFETY: not released: the format string is alive.
        unsafe { am::unicode_from_raw_cstr(if f.is_null() { c"B".as_ptr() } else { f }) }
    })
}

unsafe extern "C" fn memory_itemsize_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| api::long_from_ssize_t(mv.view_copy().itemsize))
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
    getter(op, |mv| Ok(am::bool_from(mv.readonly())))
}

unsafe extern "C" fn memory_ndim_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| am::long_from_long(mv.ndim() as core::ffi::c_long))
}

unsafe extern "C" fn memory_c_contiguous(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| Ok(am::bool_from(mv_c_contiguous(mv.flags()))))
}

unsafe extern "C" fn memory_f_contiguous(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| Ok(am::bool_from(mv_f_contiguous(mv.flags()))))
}

unsafe extern "C" fn memory_contiguous(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    getter(op, |mv| Ok(am::bool_from(mv_any_contiguous(mv.flags()))))
}

/// A `PyGetSetDef` table in static storage.
///
/// # Invariants
/// Ends with an all-NULL sentinel and only points to static data; CPython
/// never writes it.
#[repr(transparent)]
pub(crate) struct GetSetTable<const N: usize>(pub(crate) [ffi::PyGetSetDef; N]);

// SAFETY: immutable after construction; all pointers are to statics.
unsafe impl<const N: usize> Sync for GetSetTable<N> {}

impl<const N: usize> GetSetTable<N> {
    pub(crate) const fn as_ptr(&'static self) -> *mut ffi::PyGetSetDef {
        self.0.as_ptr() as *mut ffi::PyGetSetDef
    }
}

type Getter = unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject;

const fn gs(
    name: &'static core::ffi::CStr,
    get: Getter,
    doc: &'static core::ffi::CStr,
) -> ffi::PyGetSetDef {
    ffi::PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set: None,
        doc: doc.as_ptr(),
        closure: core::ptr::null_mut(),
    }
}

use crate::doc;

pub(crate) static memory_getsetlist: GetSetTable<13> = GetSetTable([
    gs(c"obj", memory_obj_get, doc::memory_obj_doc),
    gs(c"nbytes", memory_nbytes_get, doc::memory_nbytes_doc),
    gs(c"readonly", memory_readonly_get, doc::memory_readonly_doc),
    gs(c"itemsize", memory_itemsize_get, doc::memory_itemsize_doc),
    gs(c"format", memory_format_get, doc::memory_format_doc),
    gs(c"ndim", memory_ndim_get, doc::memory_ndim_doc),
    gs(c"shape", memory_shape_get, doc::memory_shape_doc),
    gs(c"strides", memory_strides_get, doc::memory_strides_doc),
    gs(
        c"suboffsets",
        memory_suboffsets_get,
        doc::memory_suboffsets_doc,
    ),
    gs(
        c"c_contiguous",
        memory_c_contiguous,
        doc::memory_c_contiguous_doc,
    ),
    gs(
        c"f_contiguous",
        memory_f_contiguous,
        doc::memory_f_contiguous_doc,
    ),
    gs(c"contiguous", memory_contiguous, doc::memory_contiguous_doc),
    ffi::PyGetSetDef {
        name: core::ptr::null(),
        get: None,
        set: None,
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
]);
