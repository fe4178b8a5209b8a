//! Allocation and deallocation through the type's slots (`tp_alloc`,
//! `tp_free`).

use super::prelude::*;

/// `type->tp_alloc(type, 0)`.
///
/// # Safety
/// `tp` is a live, ready type whose instances have the layout the caller
/// will treat the result as.
#[inline]
pub unsafe fn tp_alloc(tp: *mut PyTypeObject) -> PyResult<Owned> {
    // SAFETY: caller's contract: a live type.
    let Some(f) = (unsafe { (*tp).tp_alloc }) else {
        // Ready types always have tp_alloc.
        return Err(err::set_string(
            Exc::TypeError,
            crate::cmsg!("type has no tp_alloc"),
        ));
    };
    // SAFETY: caller's contract; a new reference or NULL.
    unsafe { Owned::from_owned_ptr(f(tp, 0)) }
}

/// `Py_TYPE(o)->tp_free(o)`.
///
/// # Safety
/// `o` is an object whose refcount reached zero, being deallocated; its
/// type is ready (every type with instances is).
#[inline]
pub unsafe fn tp_free(o: *mut PyObject) {
    // SAFETY: caller's contract.  PyType_Ready gives every type a tp_free
    // (inherited from `object` at the latest), so C calls it unchecked and
    // so do we.
    unsafe {
        let f = (*Py_TYPE(o)).tp_free.unwrap_unchecked();
        f(o.cast());
    }
}

/// `PyObject_New(T, tp)` (`_PyObject_New`): a new object of a type
/// without GC, its fields past the header uninitialised.
///
/// # Safety
/// `tp` is a live type whose instances are not GC-tracked; the caller
/// initialises every field before the object is used.
#[inline]
pub unsafe fn object_new(tp: *mut PyTypeObject) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyObject_New(tp)) }
}
