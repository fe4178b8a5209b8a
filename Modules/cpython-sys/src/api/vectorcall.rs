//! Vectorcall argument arrays: `Include/cpython/abstract.h`.

use super::prelude::*;

use crate::inline::{PyTuple_GET_ITEM, PyTuple_GET_SIZE};

/// The arguments of a vectorcall: `nargs` positional ones followed by
/// one per keyword name.
///
/// # Invariants
/// `args` points to `nargs + nkwargs` live objects for `'a`;
/// `kwnames` is NULL (then `nkwargs` is 0) or a tuple of `nkwargs` str.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    nkwargs: Py_ssize_t,
    kwnames: Option<Borrowed<'a>>,
}

impl<'a> Args<'a> {
    /// # Safety
    /// The arguments a `vectorcallfunc` received.
    #[inline]
    pub unsafe fn new(args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> Self {
        // SAFETY: the caller keeps kwnames alive for the call.
        let kwnames = unsafe { Borrowed::from_ptr_opt(kwnames) };
        // SAFETY: the vectorcall contract: kwnames is NULL or a tuple.
        let nkwargs = kwnames.map_or(0, |k| unsafe { PyTuple_GET_SIZE(k.as_ptr()) });
        // INVARIANT: the vectorcall contract.
        Args {
            args,
            nargs: crate::inline::PyVectorcall_NARGS(nargsf),
            nkwargs,
            kwnames,
        }
    }

    #[inline]
    pub fn nargs(&self) -> Py_ssize_t {
        self.nargs
    }

    #[inline]
    pub fn nkwargs(&self) -> Py_ssize_t {
        self.nkwargs
    }

    /// Keyword name `i` (`PyTuple_GET_ITEM(kwnames, i)`).
    #[inline]
    pub fn kwname(&self, i: Py_ssize_t) -> Option<Borrowed<'a>> {
        let kwnames = self.kwnames?;
        if i < 0 || i >= self.nkwargs {
            return None;
        }
        // SAFETY: a tuple of nkwargs live str (invariant); i in bounds.
        Some(unsafe { Borrowed::from_ptr(PyTuple_GET_ITEM(kwnames.as_ptr(), i)) })
    }

    /// Argument `i` (positional first, then keyword values).
    #[inline]
    pub fn get(&self, i: Py_ssize_t) -> Option<Borrowed<'a>> {
        if i < 0 || i >= self.nargs.wrapping_add(self.nkwargs) {
            return None;
        }
        // SAFETY: in bounds; the array holds live objects (invariant).
        Some(unsafe { Borrowed::from_ptr(*self.args.offset(i)) })
    }
}
