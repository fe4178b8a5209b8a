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
