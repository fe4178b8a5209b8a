//! stringlib: the byte-string algorithms of CPython's `Objects/stringlib/`
//! templates (`fastsearch.h`, `find.h`, `count.h`, `split.h`,
//! `partition.h`, `transmogrify.h`) and of `Objects/bytes_methods.c`, as C
//! instantiates them for `bytes` and `bytearray`, in plain Rust.
//!
//! Nothing here touches a Python object: searches return positions,
//! splits iterate over ranges, and transforms write into a buffer the
//! caller sized with the matching length function, which reports an
//! overflow instead of wrapping.  The Python-level wrappers (argument
//! parsing, new objects, exceptions) are the object crates'; `cargo test`
//! runs this crate without libpython.
//!
//! Searching: a single byte goes through libc's `memchr`/`memrchr`, as C
//! does (glibc picks its AVX2 version at run time); a longer needle
//! through the `memchr` crate's `memmem` (SIMD "packed pair" prefilter and
//! Two-Way), which replaces C's `fastsearch`.  Without `std` the crate's
//! x86-64 code uses SSE2 (no run-time AVX2 detection).
//!
//! The element type is `u8` only: C's unicode instances (UCS-2/UCS-4) are
//! not ported; a str port would make these functions generic over the
//! code unit.
//!
//! No function panics: indices come from the searches and are used
//! through `get`, and sizes are checked before any arithmetic that could
//! overflow.

#![no_std]

pub mod fastsearch;
pub mod partition;
pub mod split;
pub mod strip;
pub mod transmogrify;

/// A result longer than `isize::MAX` bytes (C's `PY_SSIZE_T_MAX`): the
/// caller raises OverflowError with C's message for the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;
