//! The evaluation loop's helpers: `Include/internal/pycore_ceval.h`.

use super::prelude::*;

/// `_PyEval_GetBuiltin(name)`: the builtin `name` (AttributeError when it
/// is missing).  It may run Python code (a module's `__getattr__`).
#[inline]
pub fn get_builtin(name: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: live name; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyEval_GetBuiltin(name.as_ptr())) }
}
