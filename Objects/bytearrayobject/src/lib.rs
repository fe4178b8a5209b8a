//! bytearrayobject: the Rust twin of `Objects/bytearrayobject.c`.
//!
//! The sections follow the C file's, in its order: the object and its
//! storage with C's helpers and direct API (`object`), the slots
//! (`sequence`), the methods (`methods`, with Argument Clinic's parsing in
//! `clinic` and the stringlib templates' searches in `search`), the type
//! objects (`types`) and the iterator (`iter`).  Functions at the C
//! boundary keep their C names, and a C function folded into another is
//! marked `// C: name` where its work is done (`Tools/rust review
//! bytearrayobject` pairs them).  Calls into CPython go through
//! `cpython_sys::api`, one module per C API area; the byte algorithms are
//! the `stringlib` crate's, plain Rust.
//!
//! Memory safety: every operation that runs Python code while it needs
//! the contents holds the export pin (`object::StoragePin`), so the
//! contents cannot be resized or freed under it; see `object`.

#![cfg_attr(not(test), no_std)]
#![allow(non_upper_case_globals, non_snake_case, non_camel_case_types)]

#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/docstrings.rs"));
// Compile-time layout parity with the C twin (cpython-build::layout).
#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/layout_checks.rs"));

#[cfg(not(test))]
mod clinic;
#[cfg(not(test))]
mod iter;
#[cfg(not(test))]
mod methods;
#[cfg(not(test))]
mod object;
#[cfg(not(test))]
mod search;
#[cfg(not(test))]
mod sequence;
#[cfg(not(test))]
pub mod types;

#[cfg(not(test))]
pub use object::{
    _PyByteArray_empty_string, PyByteArray_AsString, PyByteArray_Concat, PyByteArray_FromObject,
    PyByteArray_FromStringAndSize, PyByteArray_Resize, PyByteArray_Size,
};
#[cfg(not(test))]
pub use types::{PyByteArrayIter_Type, PyByteArray_Type};
