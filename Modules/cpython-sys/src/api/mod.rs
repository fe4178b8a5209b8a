//! The safe layer: one wrapper per C API function the Rust objects call,
//! organised as CPython's headers are, one module per C API area.  Every
//! object crate goes through it (`Tools/rust check` fails on a raw call
//! in an object crate).
//!
//! Conventions, the same in every module:
//! - a wrapper takes `Borrowed`/`Owned` references (so the objects are
//!   known to be alive), or is `unsafe` with a `# Safety` section when it
//!   takes a raw pointer;
//! - it returns `PyResult`, and `Err(PyErr)` only with an exception set;
//! - its doc comment names the C function (or macro) it wraps, so one
//!   grep finds both;
//! - every function needs an attached thread state (the GIL, or a
//!   free-threaded thread state), which every entry point of an object
//!   implementation has.
//!
//! | module | C API area |
//! |---|---|
//! | [`err`] | exceptions (`PyErr_*`), the [`Exc`] enum, [`cmsg!`](crate::cmsg) |
//! | [`object`] | `PyObject_*` of `object.h`, the singletons |
//! | [`types`] | type objects (`PyType_*`) |
//! | [`long`], [`float`] | `PyLong_*`, `PyFloat_*` |
//! | [`number`] | the number protocol (`PyNumber_*`, `__index__`) |
//! | [`sequence`], [`iter`], [`call`] | the other abstract protocols |
//! | [`tuple`], [`list`], [`dict`], [`bytes`], [`unicode`], [`slice`] | the concrete types |
//! | [`buffer`] | the buffer protocol (`Py_buffer`) |
//! | [`bytes_methods`] | the methods bytes and bytearray share (`_Py_bytes_*`) |
//! | [`ceval`] | the evaluation loop's helpers (`_PyEval_GetBuiltin`) |
//! | [`mem`], [`hash`], [`strhex`], [`import`] | memory, hashing, hex, imports |
//! | [`gc`], [`alloc`] | the collector and the type's allocation slots |
//! | [`args`], [`vectorcall`] | argument parsing and vectorcall arrays |
//! | [`critical_section`] | free-threaded critical sections |

pub mod alloc;
pub mod args;
pub mod buffer;
pub mod bytes;
pub mod bytes_methods;
pub mod call;
pub mod ceval;
pub mod critical_section;
pub mod dict;
pub mod err;
pub mod float;
pub mod gc;
pub mod hash;
pub mod import;
pub mod iter;
pub mod list;
pub mod long;
pub mod mem;
pub mod number;
pub mod object;
pub mod sequence;
pub mod slice;
pub mod strhex;
pub mod tuple;
pub mod types;
pub mod unicode;
pub mod vectorcall;

pub use err::Exc;

/// What the modules of the layer use, glob-imported by each.
#[allow(unused_imports)]
mod prelude {
    pub(crate) use super::err::{self, Exc};
    pub(crate) use super::{
        alloc, args, buffer, bytes, bytes_methods, call, ceval, critical_section, dict, float, gc,
        hash, import, iter, list, long, mem, number, object, sequence, slice, strhex, tuple, types,
        unicode, vectorcall,
    };
    pub(crate) use crate::ffi::{self, PyObject, PyTypeObject, Py_buffer, Py_hash_t, Py_ssize_t};
    pub(crate) use crate::inline::{PyTuple_SET_ITEM, PyType_HasFeature, Py_TYPE};
    pub(crate) use crate::object::{Borrowed, Owned, PyErr, PyResult};
    pub(crate) use core::ffi::{c_char, c_int, c_long, c_void, CStr};
    pub(crate) use core::ptr::NonNull;
}
