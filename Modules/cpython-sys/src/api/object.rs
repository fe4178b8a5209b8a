//! Objects in general: `Include/object.h`, `Objects/object.c`
//! (`PyObject_Hash`, `PyObject_IsTrue`, `PyObject_RichCompareBool`,
//! attributes, weak references) and the singletons (`Py_None`,
//! `Py_NotImplemented`, `Py_True`/`Py_False`, `Py_Ellipsis`).

use super::prelude::*;

/// `Py_None` as a borrowed reference.
#[inline]
pub fn none() -> Borrowed<'static> {
    // SAFETY: None is an immortal static.
    unsafe { Borrowed::from_ptr(crate::inline::Py_None()) }
}

/// `Py_RETURN_NONE`: a reference to None.  None is immortal (3.12+), so,
/// as in C, no count is taken (releasing it is a no-op too).
#[inline]
pub fn none_ref() -> Owned {
    // SAFETY: None is an immortal static.
    unsafe { Owned::from_immortal(crate::inline::Py_None()) }
}

/// `_PyObject_LookupSpecial(o, name)`: `Ok(None)` when the attribute does
/// not exist (no exception set).
#[inline]
pub fn lookup_special(o: Borrowed<'_>, name: Borrowed<'_>) -> PyResult<Option<Owned>> {
    // SAFETY: both live; new reference, or NULL with or without exception.
    let p = unsafe { ffi::_PyObject_LookupSpecial(o.as_ptr(), name.as_ptr()) };
    if p.is_null() {
        if err::occurred() {
            // SAFETY: an exception is set.
            return Err(unsafe { PyErr::assume_set() });
        }
        return Ok(None);
    }
    // SAFETY: checked non-NULL above; a new reference.
    Ok(Some(unsafe {
        Owned::from_owned_nonnull(core::ptr::NonNull::new_unchecked(p))
    }))
}

#[inline]
/// `Py_Ellipsis`.
pub fn ellipsis() -> *mut PyObject {
    core::ptr::addr_of_mut!(ffi::_Py_EllipsisObject)
}

#[inline]
/// `Py_IS_TYPE(o, tp)`.
pub fn is_type(o: Borrowed<'_>, tp: *mut PyTypeObject) -> bool {
    o.type_ptr() == tp
}

#[inline]
/// `PyBool_FromLong(v)`: True and False are immortal, so, as in C's
/// `Py_NewRef` of them, no count is taken.
pub fn bool_from(v: bool) -> Owned {
    // SAFETY: True and False are immortal statics.
    unsafe { Owned::from_immortal(py_bool(v).as_ptr()) }
}

/// `PyObject_IsTrue(o)`.
#[inline]
pub fn is_true(o: Borrowed<'_>) -> PyResult<bool> {
    // SAFETY: live object.
    match unsafe { ffi::PyObject_IsTrue(o.as_ptr()) } {
        r if r < 0 => err::fail(),
        r => Ok(r != 0),
    }
}

/// `PyObject_Hash(o)`.
#[inline]
pub fn hash(o: Borrowed<'_>) -> PyResult<Py_hash_t> {
    // SAFETY: live object.
    let h = unsafe { ffi::PyObject_Hash(o.as_ptr()) };
    if h == -1 {
        return err::fail();
    }
    Ok(h)
}

/// `PyObject_RichCompareBool(a, b, Py_EQ)`.
#[inline]
pub fn eq_bool(a: Borrowed<'_>, b: Borrowed<'_>) -> PyResult<bool> {
    // SAFETY: live objects.
    match unsafe { ffi::PyObject_RichCompareBool(a.as_ptr(), b.as_ptr(), ffi::Py_EQ as c_int) } {
        r if r < 0 => err::fail(),
        r => Ok(r != 0),
    }
}

/// `PyObject_GetAttrString(o, name)`.
#[inline]
pub fn get_attr_string(o: Borrowed<'_>, name: &CStr) -> PyResult<Owned> {
    // SAFETY: live object, NUL-terminated name; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_GetAttrString(o.as_ptr(), name.as_ptr())) }
}

/// `PyObject_ClearWeakRefs(o)`.
///
/// # Safety
/// `o` is an object being deallocated whose type supports weakrefs.
#[inline]
pub unsafe fn clear_weakrefs(o: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyObject_ClearWeakRefs(o) }
}

/// `Py_NotImplemented` as a borrowed reference (immortal).
#[inline]
pub fn not_implemented() -> Borrowed<'static> {
    // SAFETY: NotImplemented is an immortal static.
    unsafe { Borrowed::from_ptr(crate::inline::Py_NotImplemented()) }
}

/// `Py_True` or `Py_False` as a borrowed reference (immortal).
#[inline]
pub fn py_bool(v: bool) -> Borrowed<'static> {
    // SAFETY: True and False are immortal statics.
    unsafe { Borrowed::from_ptr(crate::inline::Py_Bool(v)) }
}

/// `PyObject_LengthHint(o, default)`.
#[inline]
pub fn length_hint(o: Borrowed<'_>, default: Py_ssize_t) -> PyResult<Py_ssize_t> {
    // SAFETY: live object.
    let n = unsafe { ffi::PyObject_LengthHint(o.as_ptr(), default) };
    if n < 0 {
        return err::fail();
    }
    Ok(n)
}

/// `_PyObject_GetState(o)`: the state `object.__reduce_ex__` pickles.
#[inline]
pub fn get_state(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: live object; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyObject_GetState(o.as_ptr())) }
}

/// `PyObject_Type(o)`'s name for messages: `_PyType_Name(Py_TYPE(o))`,
/// the part of `tp_name` after the last dot.
#[inline]
pub fn short_type_name(o: Borrowed<'_>) -> *const c_char {
    // SAFETY: live object, live type; the name lives as long as the type.
    unsafe { ffi::_PyType_Name(o.type_ptr()) }
}
