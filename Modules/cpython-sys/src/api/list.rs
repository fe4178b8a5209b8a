//! Lists: `Include/listobject.h`, `Objects/listobject.c` (`PyList_*`).

use super::prelude::*;

#[inline]
/// `PyList_Check(o)`.
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_LIST_SUBCLASS as u64) }
}

#[inline]
/// `PyList_New(n)`.
pub fn new(n: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyList_New(n)) }
}

/// The item array of a list (`ob_item`), for filling a list fresh from
/// [`list_new`] slot by slot.
#[inline]
pub fn items_ptr(list: Borrowed<'_>) -> *mut *mut PyObject {
    if !list::check(list) {
        return core::ptr::null_mut();
    }
    // SAFETY: a live list object.
    unsafe { (*(list.as_ptr() as *mut ffi::PyListObject)).ob_item }
}

/// `PyList_SET_ITEM(list, i, v)` on a list fresh from [`list_new`]: the
/// slot takes the reference.
///
/// # Safety
/// `list` is a list created by [`list_new`] with length > `i >= 0`, whose
/// slot `i` is still NULL.
#[inline]
pub unsafe fn set_fresh(list: Borrowed<'_>, i: Py_ssize_t, v: Owned) {
    // SAFETY: caller's contract: ob_item has room for index i.
    unsafe {
        let l = list.as_ptr() as *mut ffi::PyListObject;
        *(*l).ob_item.offset(i) = v.into_raw();
    }
}

/// `PyList_CheckExact(o)`.
#[inline]
pub fn check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyList_Type)
}

/// `PyList_GET_SIZE(list)` (0 for anything that is not a list).
#[inline]
pub fn len(list: Borrowed<'_>) -> Py_ssize_t {
    if !list::check(list) {
        return 0;
    }
    // SAFETY: a live list: a PyVarObject whose ob_size is its length.
    unsafe { crate::inline::Py_SIZE(list.as_ptr()) }
}

/// `PyList_Append(list, item)`.
#[inline]
pub fn append(list: Borrowed<'_>, item: Borrowed<'_>) -> PyResult<()> {
    // SAFETY: live objects.
    if unsafe { ffi::PyList_Append(list.as_ptr(), item.as_ptr()) } < 0 {
        return err::fail();
    }
    Ok(())
}

/// `Py_SET_SIZE(list, n)` of a list filled fresh (split.h's
/// `FIX_PREALLOC_SIZE`): the slots from `n` on are NULL and dropped from
/// its length (the allocation stays).
///
/// # Safety
/// `list` is a list made by [`new`] (then appended to), `n` is at most its
/// length, and its slots from `n` on are NULL.
#[inline]
pub unsafe fn truncate_fresh(list: Borrowed<'_>, n: Py_ssize_t) {
    // SAFETY: caller's contract; a list is a PyVarObject.
    unsafe { (*(list.as_ptr() as *mut ffi::PyVarObject)).ob_size = n };
}

/// `PyList_Reverse(list)`.
#[inline]
pub fn reverse(list: Borrowed<'_>) -> PyResult<()> {
    // SAFETY: a live object.
    if unsafe { ffi::PyList_Reverse(list.as_ptr()) } < 0 {
        return err::fail();
    }
    Ok(())
}
