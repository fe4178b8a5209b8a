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

/// `x`, unchanged, but opaque to the optimiser: a barrier for LLVM's
/// loop strength reduction.  When values after a scan loop derive from the
/// index the loop stops at, LLVM may keep each of them as a counter of its
/// own, stepped on every byte (two or three per iteration where one
/// index does).  Passing the index through here makes those values
/// derive from an unknown number, computed once after the loop.  No
/// instruction is emitted.
#[inline(always)]
pub(crate) fn opaque(mut x: usize) -> usize {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    // SAFETY: the template is a comment, so no instruction is emitted;
    // the one operand is `x`'s own register (`inout`), and the options
    // declare what holds: no memory or stack is touched and the flags
    // are kept.  `x` comes out as it went in.
    unsafe {
        core::arch::asm!("/* {0} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    x
}

/// A result longer than `isize::MAX` bytes (C's `PY_SSIZE_T_MAX`): the
/// caller raises OverflowError with C's message for the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

#[cfg(test)]
mod tests {
    #[test]
    fn opaque_is_the_identity() {
        for x in [
            0,
            1,
            2,
            0x8000_0000,
            usize::MAX / 2,
            usize::MAX - 1,
            usize::MAX,
        ] {
            assert_eq!(super::opaque(x), x);
            // Arithmetic on either side of the barrier.
            assert_eq!(super::opaque(x.wrapping_add(7)).wrapping_sub(7), x);
        }
    }
}
