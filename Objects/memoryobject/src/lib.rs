//! memoryview: the Rust twin of `Objects/memoryobject.c` (the managed
//! buffer, `memoryview`, its iterator and the buffer C API).
//!
//! # Layout of the crate
//!
//! Pure logic, without libpython (compiled and unit-tested by
//! `cargo test -p memoryobject`):
//! - [`native`]: the table of native formats and the one generic element
//!   abstraction ([`native::Native`], dispatched by [`with_native!`]);
//! - [`layout`]: shape/strides/contiguity arithmetic, flags, `getbuffer`
//!   request checks, cast validation;
//! - [`strided`]: walking and copying strided/indirect N-d buffers;
//! - [`structfmt`]: struct module formats decoded for comparisons;
//! - [`hexlify`]: hex digits for `hex()`.
//!
//! The FFI half follows the C file's sections in order, one module each
//! (`mbuf`, `object`, `copying`, `constructors`, `abstract_`, `release`,
//! `cast`, `getbuffer`, `pack`, `unpacker`, `repr`, `indexing`, `compare`,
//! `hash`, `getters`, `iter`, `types`; `clinic` is the Argument Clinic
//! part).  Functions at the C boundary keep their C names.
//!
//! The FFI half is compiled only outside `cfg(test)`: the unit-test binary
//! is a normal executable that does not link libpython, so it must not
//! reference any `Py*` symbol.  Gating the modules is the simplest way to
//! guarantee that (the pure modules never import `cpython_sys`).

#![cfg_attr(not(test), no_std)]
#![allow(non_upper_case_globals, non_snake_case, non_camel_case_types)]

#[macro_use]
pub mod native;
pub mod hexlify;
pub mod layout;
pub mod strided;
pub mod structfmt;
#[cfg(test)]
mod testrng;

#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/docstrings.rs"));
// Compile-time layout parity with the C twin (cpython-build::layout).
#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/layout_checks.rs"));

#[cfg(not(test))]
mod abstract_;
#[cfg(not(test))]
mod cast;
#[cfg(not(test))]
mod clinic;
#[cfg(not(test))]
mod compare;
#[cfg(not(test))]
mod constructors;
#[cfg(not(test))]
mod copying;
#[cfg(not(test))]
mod getbuffer;
#[cfg(not(test))]
mod getters;
#[cfg(not(test))]
mod hash;
#[cfg(not(test))]
mod indexing;
#[cfg(not(test))]
mod iter;
#[cfg(not(test))]
mod mbuf;
#[cfg(not(test))]
mod object;
#[cfg(not(test))]
mod pack;
#[cfg(not(test))]
mod release;
#[cfg(not(test))]
mod repr;
#[cfg(not(test))]
mod types;
#[cfg(not(test))]
mod unpacker;

#[cfg(not(test))]
pub use abstract_::PyBuffer_ToContiguous;
#[cfg(not(test))]
pub use constructors::{
    _PyMemoryView_FromBufferProc, PyMemoryView_FromBuffer, PyMemoryView_FromMemory,
    PyMemoryView_FromObject, PyMemoryView_GetContiguous,
};
#[cfg(not(test))]
pub use iter::_PyMemoryIter_Type;
#[cfg(not(test))]
pub use mbuf::_PyManagedBuffer_Type;
#[cfg(not(test))]
pub use types::PyMemoryView_Type;
