//! Helpers to define static type objects and method tables the way the C
//! files do (`PyVarObject_HEAD_INIT(&PyType_Type, 0)`, `PyMethodDef[]`).

use crate::ffi;

/// `PyObject_HEAD_INIT(type)` for a statically allocated (immortal) object,
/// for the build's object layout.  Usable in a `static` initialiser.
#[cfg(not(Py_GIL_DISABLED))]
#[macro_export]
macro_rules! PyObject_HEAD_INIT {
    ($type:expr) => {
        $crate::ffi::PyObject {
            __bindgen_anon_1: $crate::ffi::_object__bindgen_ty_1 {
                ob_refcnt: $crate::inline::_Py_IMMORTAL_REFCNT,
            },
            ob_type: $type,
        }
    };
}

/// `PyObject_HEAD_INIT(type)` for a statically allocated (immortal) object,
/// for the build's object layout.  Usable in a `static` initialiser.
#[cfg(Py_GIL_DISABLED)]
#[macro_export]
macro_rules! PyObject_HEAD_INIT {
    ($type:expr) => {
        $crate::ffi::PyObject {
            ob_ref_local: $crate::inline::_Py_IMMORTAL_REFCNT_LOCAL,
            ob_type: $type,
            // SAFETY: the remaining fields (tid, mutex, gc bits, shared
            // refcount) are zero in C's initialiser too.
            ..unsafe { ::core::mem::zeroed() }
        }
    };
}

/// `PyVarObject_HEAD_INIT(&PyType_Type, 0)`: the header of a static type.
#[macro_export]
macro_rules! PyType_HEAD_INIT {
    () => {
        $crate::ffi::PyVarObject {
            ob_base: $crate::PyObject_HEAD_INIT!(unsafe {
                ::core::ptr::addr_of_mut!($crate::ffi::PyType_Type)
            }),
            ob_size: 0,
        }
    };
}

/// An all-zero `PyTypeObject`, the base for `..` in a static type
/// definition (C leaves unnamed slots zero as well).
pub const fn zeroed_type() -> ffi::PyTypeObject {
    // SAFETY: PyTypeObject is a C struct of pointers, integers and optional
    // function pointers, all of which are valid when zero.
    unsafe { core::mem::zeroed() }
}

/// The `{NULL, NULL}` sentinel that ends a method table.
pub const METHOD_SENTINEL: ffi::PyMethodDef = ffi::PyMethodDef {
    ml_name: core::ptr::null(),
    ml_meth: None,
    ml_flags: 0,
    ml_doc: core::ptr::null(),
};

/// A `PyMethodDef` table in static storage.
///
/// # Invariants
/// The table ends with [`METHOD_SENTINEL`] and only points to static data;
/// CPython reads it and never writes it.
#[repr(transparent)]
pub struct MethodTable<const N: usize>(pub [ffi::PyMethodDef; N]);

// SAFETY: immutable after construction; all pointers are to statics.
unsafe impl<const N: usize> Sync for MethodTable<N> {}

impl<const N: usize> MethodTable<N> {
    /// The pointer for `tp_methods` (CPython's field is `*mut` but it does
    /// not write through it).
    pub const fn as_ptr(&'static self) -> *mut ffi::PyMethodDef {
        self.0.as_ptr() as *mut ffi::PyMethodDef
    }
}

/// A `PyGetSetDef` table in static storage.
///
/// # Invariants
/// Ends with an all-NULL sentinel and only points to static data; CPython
/// reads it and never writes it.
#[repr(transparent)]
pub struct GetSetTable<const N: usize>(pub [ffi::PyGetSetDef; N]);

// SAFETY: immutable after construction; all pointers are to statics.
unsafe impl<const N: usize> Sync for GetSetTable<N> {}

impl<const N: usize> GetSetTable<N> {
    /// The pointer for `tp_getset` (CPython's field is `*mut` but it does
    /// not write through it).
    pub const fn as_ptr(&'static self) -> *mut ffi::PyGetSetDef {
        self.0.as_ptr() as *mut ffi::PyGetSetDef
    }
}

/// A getter's `get` function (`getter` in C).
pub type Getter =
    unsafe extern "C" fn(*mut ffi::PyObject, *mut core::ffi::c_void) -> *mut ffi::PyObject;

/// `{name, get, NULL, doc, NULL}`: a read-only attribute of a getset table.
pub const fn getter_entry(
    name: &'static core::ffi::CStr,
    get: Getter,
    doc: &'static core::ffi::CStr,
) -> ffi::PyGetSetDef {
    ffi::PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set: None,
        doc: doc.as_ptr(),
        closure: core::ptr::null_mut(),
    }
}

/// The all-NULL sentinel that ends a getset table.
pub const GETSET_SENTINEL: ffi::PyGetSetDef = ffi::PyGetSetDef {
    name: core::ptr::null(),
    get: None,
    set: None,
    doc: core::ptr::null(),
    closure: core::ptr::null_mut(),
};

/// Casts a method implementation to the `PyCFunction` type of `ml_meth`, as
/// the C tables do with `(PyCFunction)`.  The flags of the entry say how
/// CPython calls it.
#[macro_export]
macro_rules! as_pycfunction {
    ($f:expr) => {
        // SAFETY: function pointers of C ABI are cast as C does; METH_* flags
        // in the same entry describe the real signature.
        Some(unsafe {
            ::core::mem::transmute::<
                *const (),
                unsafe extern "C" fn(
                    *mut $crate::ffi::PyObject,
                    *mut $crate::ffi::PyObject,
                ) -> *mut $crate::ffi::PyObject,
            >($f as *const ())
        })
    };
}
