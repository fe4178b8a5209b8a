//! Calls: `Include/abstract.h`, `Objects/call.c` (`PyObject_Call*`).

use super::prelude::*;

/// `PyObject_CallNoArgs(callable)`.
#[inline]
pub fn no_args(callable: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: `callable` is live; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_CallNoArgs(callable.as_ptr())) }
}

/// `PyObject_CallOneArg(f, arg)`.
#[inline]
pub fn one_arg(f: Borrowed<'_>, arg: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: live objects; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_CallOneArg(f.as_ptr(), arg.as_ptr())) }
}
