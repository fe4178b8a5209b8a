//! The garbage collector: `Include/objimpl.h`,
//! `Include/internal/pycore_gc.h` (`PyObject_GC_*`, `_PyObject_GC_TRACK`,
//! `Py_VISIT`).

use super::prelude::*;

/// `PyObject_GC_New(T, tp)`: a new, untracked GC object of `tp`'s basic
/// size; the caller initialises it and then tracks it.
///
/// # Safety
/// `tp` is a ready GC type with a fixed size.
#[inline]
pub unsafe fn new(tp: *mut PyTypeObject) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyObject_GC_New(tp)) }
}

/// `PyObject_GC_NewVar(T, tp, n)`.
///
/// # Safety
/// `tp` is a ready variable-size GC type.
#[inline]
pub unsafe fn new_var(tp: *mut PyTypeObject, n: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyObject_GC_NewVar(tp, n) as *mut PyObject) }
}

/// `PyObject_GC_Del(o)`.
///
/// # Safety
/// `o` is an untracked GC object whose refcount reached zero.
#[inline]
pub unsafe fn del(o: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyObject_GC_Del(o as *mut c_void) }
}

/// `_PyObject_GC_IS_TRACKED(o)`.
#[inline]
pub fn is_tracked(o: Borrowed<'_>) -> bool {
    // SAFETY: `o` is a live GC object (callers use it on tuples).
    unsafe { crate::inline::_PyObject_GC_IS_TRACKED(o.as_ptr()) }
}

/// `_PyObject_GC_TRACK(o)`.
///
/// # Safety
/// `o` is a live GC object that is not tracked.
#[inline]
pub unsafe fn track(o: Borrowed<'_>) {
    // SAFETY: caller's contract; the GIL is held by every caller of
    // this layer.
    unsafe { crate::inline::_PyObject_GC_TRACK(o.as_ptr()) }
}

/// `PyObject_GC_UnTrack(o)`.
///
/// # Safety
/// `o` is a live GC object.
#[inline]
pub unsafe fn untrack(o: *mut PyObject) {
    // SAFETY: caller's contract; the GIL is held by every caller of
    // this layer.
    unsafe { crate::inline::PyObject_GC_UnTrack(o) }
}

/// `Py_VISIT(o)`: calls `visit` for a non-NULL member and returns its
/// non-zero result.
///
/// # Safety
/// `visit`/`arg` are what tp_traverse received; `o` is NULL or live.
#[inline]
pub unsafe fn visit(o: *mut PyObject, visit: ffi::visitproc, arg: *mut core::ffi::c_void) -> c_int {
    match visit {
        // SAFETY: caller's contract.
        Some(f) if !o.is_null() => unsafe { f(o, arg) },
        _ => 0,
    }
}
