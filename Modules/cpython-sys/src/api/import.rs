//! Imports: `Include/internal/pycore_import.h`.

use super::prelude::*;

/// `_PyImport_GetModuleAttrString(module, attr)`.
#[inline]
pub fn module_attr(module: &CStr, attr: &CStr) -> PyResult<Owned> {
    // SAFETY: NUL-terminated names; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_PyImport_GetModuleAttrString(
            module.as_ptr(),
            attr.as_ptr(),
        ))
    }
}
