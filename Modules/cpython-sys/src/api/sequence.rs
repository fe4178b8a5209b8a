//! The sequence protocol: `Include/abstract.h`, `Objects/abstract.c`
//! (`PySequence_*`, `PySequence_Fast_*`).

use super::prelude::*;

/// `PySequence_Check(o)`.
#[inline]
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: `o` is live; cannot fail.
    unsafe { ffi::PySequence_Check(o.as_ptr()) != 0 }
}

/// `PySequence_Size(o)`.
#[inline]
pub fn size(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    // SAFETY: `o` is live.
    let n = unsafe { ffi::PySequence_Size(o.as_ptr()) };
    if n == -1 {
        // SAFETY: -1 means an exception is set.
        return Err(unsafe { PyErr::assume_set() });
    }
    Ok(n)
}

/// `PySequence_GetItem(o, i)`.
#[inline]
pub fn get_item(o: Borrowed<'_>, i: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: `o` is live; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PySequence_GetItem(o.as_ptr(), i)) }
}

/// `PySequence_GetItem(o, i)` for an index `i >= 0`, which it passes to
/// the type's `sq_item` unchanged: that slot is called directly (one call
/// less per item).  A type without `sq_item`, or a negative index, goes
/// through `PySequence_GetItem`.
#[inline(always)]
pub fn get_item_nonneg(o: Borrowed<'_>, i: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: `o` is live, its type too; tp_as_sequence is NULL or points
    // to the type's sequence methods.
    let sq_item = unsafe {
        let sq = (*o.type_ptr()).tp_as_sequence;
        if sq.is_null() {
            None
        } else {
            (*sq).sq_item
        }
    };
    match sq_item {
        // SAFETY: the slot of `o`'s type, called as PySequence_GetItem
        // calls it (a non-negative index); new reference or NULL.
        Some(f) if i >= 0 => unsafe { Owned::from_owned_ptr(f(o.as_ptr(), i)) },
        _ => sequence::get_item(o, i),
    }
}

/// A list or a tuple, read as the `PySequence_Fast_*` macros read it, with
/// its kind found once (the macros test it at every item).
///
/// # Invariants
/// `seq` is a list or a tuple (exact or a subclass), live for `'a`, and a
/// list exactly when `is_list`.
#[derive(Clone, Copy)]
pub struct FastSeq<'a> {
    seq: Borrowed<'a>,
    is_list: bool,
}

impl<'a> FastSeq<'a> {
    /// `seq` as a fast sequence, if it is a list or a tuple.
    #[inline(always)]
    pub fn of(seq: Borrowed<'a>) -> Option<FastSeq<'a>> {
        let is_list = list::check(seq);
        // INVARIANT: a list, or else checked to be a tuple.
        (is_list || tuple::check(seq)).then_some(FastSeq { seq, is_list })
    }

    /// `PySequence_Fast_GET_SIZE(seq)`: the size now (a list's changes
    /// when Python code runs).
    #[inline(always)]
    pub fn len(self) -> Py_ssize_t {
        // SAFETY: lists and tuples are live PyVarObjects whose ob_size is
        // the length (invariant).
        unsafe { crate::inline::Py_SIZE(self.seq.as_ptr()) }
    }

    /// Whether it is a list (which other threads may change while this
    /// one runs, in a free-threaded build), not a tuple.
    #[inline(always)]
    pub fn is_list(self) -> bool {
        self.is_list
    }

    /// Whether the sequence is empty now.
    #[inline(always)]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// `PySequence_Fast_GET_ITEM(seq, i)`, bounds-checked against the size
    /// now, as a new reference (Python code may drop a list's).
    #[inline(always)]
    pub fn item(self, i: Py_ssize_t) -> Option<Owned> {
        // SAFETY: the reference is taken at once, before any Python code.
        unsafe { self.item_borrowed(i) }.map(Borrowed::new_ref)
    }

    /// `PySequence_Fast_GET_ITEM(seq, i)`, bounds-checked, borrowed.
    ///
    /// # Safety
    /// No Python code runs while the result is used: a list's item may
    /// be dropped by it.
    #[inline(always)]
    pub unsafe fn item_borrowed(self, i: Py_ssize_t) -> Option<Borrowed<'a>> {
        if i < 0 || i >= self.len() {
            return None;
        }
        // SAFETY: a list or tuple (invariant) with i in bounds; its items
        // are live (a tuple being filled is never passed here).
        unsafe {
            let p = if self.is_list {
                *(*(self.seq.as_ptr() as *mut ffi::PyListObject))
                    .ob_item
                    .offset(i)
            } else {
                crate::inline::PyTuple_GET_ITEM(self.seq.as_ptr(), i)
            };
            Borrowed::from_ptr_opt(p)
        }
    }
}

/// `PySequence_Fast_GET_SIZE` for a list or tuple (0 otherwise).
#[inline]
pub fn fast_len(seq: Borrowed<'_>) -> Py_ssize_t {
    FastSeq::of(seq).map_or(0, FastSeq::len)
}

/// `PySequence_Fast_GET_ITEM(seq, i)` for a list or tuple, bounds-checked.
/// The result is a new reference (a list may change under Python code).
#[inline]
pub fn fast_item(seq: Borrowed<'_>, i: Py_ssize_t) -> Option<Owned> {
    FastSeq::of(seq)?.item(i)
}

/// `PySequence_Fast(o, msg)`: `o` itself if a list or tuple, else a list
/// of its items; TypeError `msg` when it is not iterable.
#[inline]
pub fn fast(o: Borrowed<'_>, msg: err::Msg) -> PyResult<Owned> {
    // SAFETY: live object, NUL-terminated message; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PySequence_Fast(o.as_ptr(), msg.as_cstr().as_ptr())) }
}
