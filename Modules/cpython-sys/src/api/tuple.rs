//! Tuples: `Include/tupleobject.h`, `Objects/tupleobject.c` (`PyTuple_*`).

use super::prelude::*;

/// `PyTuple_CheckExact(o)`.
#[inline(always)]
pub fn check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyTuple_Type)
}

/// A new tuple holding new references to `items` (`PyTuple_Pack`).
#[inline]
pub fn pack(items: &[Borrowed<'_>]) -> PyResult<Owned> {
    let n = items.len() as Py_ssize_t;
    // SAFETY: returns a new reference or NULL.
    let t = unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(n))? };
    for (i, item) in items.iter().enumerate() {
        // SAFETY: `t` is a fresh tuple of len(items) slots; i is in bounds;
        // the slot takes the new reference.
        unsafe { PyTuple_SET_ITEM(t.as_ptr(), i as Py_ssize_t, item.new_ref().into_raw()) };
    }
    Ok(t)
}

/// A new tuple that takes ownership of `items`.
#[inline]
pub fn from_owned<const N: usize>(items: [Owned; N]) -> PyResult<Owned> {
    // SAFETY: returns a new reference or NULL.
    let t = unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(N as Py_ssize_t))? };
    for (i, item) in items.into_iter().enumerate() {
        // SAFETY: fresh tuple of N slots; the slot takes the reference.
        unsafe { PyTuple_SET_ITEM(t.as_ptr(), i as Py_ssize_t, item.into_raw()) };
    }
    Ok(t)
}

use crate::inline::{PyTuple_GET_ITEM, PyTuple_GET_SIZE, Py_INCREF};

/// `PyTuple_Check(o)`.
#[inline]
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_TUPLE_SUBCLASS as u64) }
}

/// `PyTuple_GET_SIZE(t)`; 0 for something that is not a tuple.
#[inline]
pub fn len(t: Borrowed<'_>) -> Py_ssize_t {
    if !check(t) {
        return 0;
    }
    // SAFETY: checked to be a tuple.
    unsafe { PyTuple_GET_SIZE(t.as_ptr()) }
}

/// `PyTuple_GET_ITEM(t, i)` with the tuple and the bounds checked.
#[inline]
pub fn get<'a>(t: Borrowed<'a>, i: Py_ssize_t) -> Option<Borrowed<'a>> {
    if i < 0 || i >= len(t) {
        return None;
    }
    // SAFETY: a tuple, i in bounds; the tuple keeps its items alive.
    unsafe { Borrowed::from_ptr_opt(PyTuple_GET_ITEM(t.as_ptr(), i)) }
}

/// The item pointers of tuple `t` (empty for something that is not a
/// tuple).  A tuple's items do not change while something holds a
/// reference to it, so the slice lives as long as the borrow of `t`.
#[inline]
pub fn items<'a>(t: Borrowed<'a>) -> &'a [*mut PyObject] {
    if !check(t) {
        return &[];
    }
    // SAFETY: a tuple (checked): `ob_item` (never NULL, also for the
    // empty tuple) holds ob_size >= 0 item slots; the borrow of `t`
    // keeps it, and so its items, alive.
    unsafe {
        let n = PyTuple_GET_SIZE(t.as_ptr()) as usize;
        core::slice::from_raw_parts(crate::inline::_PyTuple_ITEMS(t.as_ptr()), n)
    }
}

/// Reuses the 2-tuple `t` for `(a, b)` when the one reference to `t` is
/// the one the caller borrows from (enumerate's result-tuple recycling,
/// bpo-42536 included): returns a new reference to `t`.  Otherwise gives
/// `a` and `b` back.
///
/// # Safety
/// `t` is a tuple of length 2 whose items are set.
#[inline(always)]
pub unsafe fn recycle_pair(t: Borrowed<'_>, a: Owned, b: Owned) -> Result<Owned, (Owned, Owned)> {
    let tp = t.as_ptr();
    // SAFETY: `t` is live; uniquely referenced means only the holder
    // the caller borrows from has it, so nobody else can observe the
    // change.  Free-threaded, that also needs this thread to own `t`:
    // two threads that both saw a count of 1 would both rewrite it
    // (C's 3.13 enumerate does, and crashes).
    if !unsafe { crate::inline::_PyObject_IsUniquelyReferenced(tp) } {
        return Err((a, b));
    }
    // SAFETY: exclusively referenced 2-tuple (caller's contract); the
    // slots own their items, which we take out before storing the new
    // ones (the C order: incref, swap, then decref the old items, which
    // may run code).
    unsafe {
        Py_INCREF(tp);
        let items = _tuple_items(tp);
        let old_a = *items;
        let old_b = *items.add(1);
        *items = a.into_raw();
        *items.add(1) = b.into_raw();
        let result = Owned::from_owned_nonnull(core::ptr::NonNull::new_unchecked(tp));
        crate::inline::Py_DECREF(old_a);
        crate::inline::Py_DECREF(old_b);
        if !crate::inline::_PyObject_GC_IS_TRACKED(tp) {
            gc::track(result.borrow());
        }
        Ok(result)
    }
}

#[inline(always)]
unsafe fn _tuple_items(t: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: caller passes a tuple.
    unsafe { crate::inline::_PyTuple_ITEMS(t) }
}

/// `_PyTuple_ITEMS(t)`: the address of the item array, for the argument
/// parsers (what Argument Clinic passes to `_PyArg_UnpackKeywords`).
///
/// # Safety
/// `t` is a tuple.
#[inline(always)]
pub unsafe fn items_ptr(t: Borrowed<'_>) -> *const *mut PyObject {
    // SAFETY: caller's contract.
    unsafe { crate::inline::_PyTuple_ITEMS(t.as_ptr()) }
}

/// `PyTuple_New(n)`: a new tuple of `n` empty slots, which the caller
/// fills with [`set_fresh`] before anything else sees the tuple.
#[inline]
pub fn new(n: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(n)) }
}

/// `PyTuple_SET_ITEM(t, i, v)` on a tuple fresh from [`new`]: the slot
/// takes the reference.
///
/// # Safety
/// `t` is a tuple made by [`new`] with length > `i >= 0`, not yet seen by
/// other code, whose slot `i` is still empty.
#[inline]
pub unsafe fn set_fresh(t: Borrowed<'_>, i: Py_ssize_t, v: Owned) {
    // SAFETY: caller's contract.
    unsafe { PyTuple_SET_ITEM(t.as_ptr(), i, v.into_raw()) }
}
