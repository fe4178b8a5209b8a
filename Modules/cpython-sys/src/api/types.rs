//! Type objects: `Include/object.h` (`PyType_*`).

use super::prelude::*;

/// Whether `o` is the built-in `_struct.Struct` type: a type object named
/// `_struct.Struct` with `Py_TPFLAGS_IMMUTABLETYPE`.  Python code can
/// neither create such a type (classes it defines are mutable) nor change
/// its attributes, so its `unpack_from` is the C one.
pub fn is_builtin_struct_type(o: Borrowed<'_>) -> bool {
    // SAFETY: a live object; PyType_Check reads its type's flags.
    if !unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_TYPE_SUBCLASS as u64) } {
        return false;
    }
    let tp = o.as_ptr() as *mut PyTypeObject;
    // SAFETY: `o` is a live type object (checked above); tp_name is a
    // NUL-terminated string for every type.
    unsafe {
        PyType_HasFeature(tp, ffi::Py_TPFLAGS_IMMUTABLETYPE as u64)
            && CStr::from_ptr((*tp).tp_name) == c"_struct.Struct"
    }
}

/// `PyType_IsSubtype(a, b)`: whether type `a` is `b` or a subtype of it.
///
/// # Safety
/// `a` and `b` are live type objects.
#[inline]
pub unsafe fn is_subtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> bool {
    // SAFETY: caller's contract.
    unsafe { ffi::PyType_IsSubtype(a, b) != 0 }
}
