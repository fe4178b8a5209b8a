//! bytearrayobject: the Rust twin of `Objects/bytearrayobject.c`.
//!
//! The sections follow the C file's, in its order; functions at the C
//! boundary keep their C names, and a C function folded into another is
//! marked `// C: name` where its work is done (`Tools/rust review bytearrayobject`
//! pairs them; `Tools/rust check` fails while one is missing).  Calls into
//! CPython go through `cpython_sys::api`, one module per C API area.

#![cfg_attr(not(test), no_std)]
#![allow(non_upper_case_globals, non_snake_case, non_camel_case_types)]

#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/docstrings.rs"));
// Compile-time layout parity with the C twin (cpython-build::layout).
#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/layout_checks.rs"));
