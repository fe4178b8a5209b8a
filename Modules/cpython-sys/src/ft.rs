//! Fields that threads share in the free-threaded build: the Rust twin of
//! `Include/internal/pycore_pyatomic_ft_wrappers.h` (`FT_ATOMIC_*`).
//!
//! With the GIL these are plain loads and stores, as the C macros expand
//! to, so the default build's code is unchanged.  Free-threaded
//! (`cfg(Py_GIL_DISABLED)`), other threads may run the same object's code
//! at any time: a plain access to a field another thread writes is a data
//! race, undefined behaviour in Rust as in C.  The accesses are then
//! atomic, relaxed for single values (as C's `_RELAXED` wrappers) and
//! sequentially consistent for read-modify-write (as C's
//! `_Py_atomic_add_ssize`/`_Py_atomic_or_int`), so a counter never loses an
//! update and exactly one thread wins a flag's transition.
//!
//! CPython 3.13's own memoryview and enumerate do not use them on these
//! fields (upstream gh-127716, gh-155606): the Rust twins do.

#[cfg(Py_GIL_DISABLED)]
use core::sync::atomic::{AtomicI32, AtomicIsize, Ordering};

use crate::ffi::Py_ssize_t;
use core::ffi::c_int;

// `c_int` is `i32` on every platform CPython's free-threaded build supports.
const _: () = assert!(core::mem::size_of::<c_int>() == core::mem::size_of::<i32>());

/// `FT_ATOMIC_LOAD_SSIZE_RELAXED(*p)`.
///
/// # Safety
/// `p` points to a live, aligned `Py_ssize_t` that is only written through
/// this module's functions (or before other threads can see it).
#[inline(always)]
pub unsafe fn load_ssize_relaxed(p: *mut Py_ssize_t) -> Py_ssize_t {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: caller's contract: live and aligned; every concurrent access
        // is atomic.
        unsafe { AtomicIsize::from_ptr(p) }.load(Ordering::Relaxed)
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        // SAFETY: caller's contract; the GIL orders every access.
        unsafe { *p }
    }
}

/// `FT_ATOMIC_STORE_SSIZE_RELAXED(*p, v)`.
///
/// # Safety
/// As [`load_ssize_relaxed`].
#[inline(always)]
pub unsafe fn store_ssize_relaxed(p: *mut Py_ssize_t, v: Py_ssize_t) {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: as load_ssize_relaxed.
        unsafe { AtomicIsize::from_ptr(p) }.store(v, Ordering::Relaxed);
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller's contract; the GIL orders every access.
    unsafe {
        *p = v
    };
}

/// `FT_ATOMIC_ADD_SSIZE(*p, d)`: adds `d` (wrapping) and returns the value
/// before the addition.
///
/// # Safety
/// As [`load_ssize_relaxed`].
#[inline(always)]
pub unsafe fn add_ssize(p: *mut Py_ssize_t, d: Py_ssize_t) -> Py_ssize_t {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: as load_ssize_relaxed.
        unsafe { AtomicIsize::from_ptr(p) }.fetch_add(d, Ordering::SeqCst)
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller's contract; the GIL orders every access.
    unsafe {
        let old = *p;
        *p = old.wrapping_add(d);
        old
    }
}

/// `FT_ATOMIC_LOAD_INT_RELAXED(*p)`.
///
/// # Safety
/// `p` points to a live, aligned `int` that is only written through this
/// module's functions (or before other threads can see it).
#[inline(always)]
pub unsafe fn load_int_relaxed(p: *mut c_int) -> c_int {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: caller's contract: live and aligned; every concurrent access
        // is atomic.
        unsafe { AtomicI32::from_ptr(p) }.load(Ordering::Relaxed)
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        // SAFETY: caller's contract; the GIL orders every access.
        unsafe { *p }
    }
}

/// `FT_ATOMIC_STORE_INT_RELAXED(*p, v)`.
///
/// # Safety
/// As [`load_int_relaxed`].
#[inline(always)]
pub unsafe fn store_int_relaxed(p: *mut c_int, v: c_int) {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: as load_int_relaxed.
        unsafe { AtomicI32::from_ptr(p) }.store(v, Ordering::Relaxed);
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller's contract; the GIL orders every access.
    unsafe {
        *p = v
    };
}

/// `_Py_atomic_or_int(p, bits)` free-threaded, `*p |= bits` with the GIL:
/// sets `bits` and returns the value before, so of two threads setting the
/// same bit exactly one sees it clear.
///
/// # Safety
/// As [`load_int_relaxed`].
#[inline(always)]
pub unsafe fn or_int(p: *mut c_int, bits: c_int) -> c_int {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: as load_int_relaxed.
        unsafe { AtomicI32::from_ptr(p) }.fetch_or(bits, Ordering::SeqCst)
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller's contract; the GIL orders every access.
    unsafe {
        let old = *p;
        *p = old | bits;
        old
    }
}

/// A `Py_ssize_t` field of an object that threads share (an iterator's
/// position, a cached count): `Cell<Py_ssize_t>` with the GIL, relaxed
/// atomic loads and stores free-threaded.  Same size and alignment as
/// `Py_ssize_t`, so a `#[repr(C)]` object keeps C's layout.
///
/// A load followed by a store is not one step: two threads may both read
/// the same position, as in C (each gets a consistent value; neither a
/// torn one nor undefined behaviour).
#[repr(transparent)]
pub struct SsizeCell(core::cell::UnsafeCell<Py_ssize_t>);

// INVARIANT: every access goes through `get`/`set`, which are atomic
// free-threaded and GIL-ordered otherwise.
impl SsizeCell {
    /// A new cell holding `v`.
    #[inline(always)]
    pub const fn new(v: Py_ssize_t) -> SsizeCell {
        SsizeCell(core::cell::UnsafeCell::new(v))
    }

    /// The value (`FT_ATOMIC_LOAD_SSIZE_RELAXED`).
    #[inline(always)]
    pub fn get(&self) -> Py_ssize_t {
        // SAFETY: the cell's own aligned storage; every access goes through
        // this type (invariant).
        unsafe { load_ssize_relaxed(self.0.get()) }
    }

    /// Stores `v` (`FT_ATOMIC_STORE_SSIZE_RELAXED`).
    #[inline(always)]
    pub fn set(&self, v: Py_ssize_t) {
        // SAFETY: as get.
        unsafe { store_ssize_relaxed(self.0.get(), v) }
    }
}

const _: () = {
    assert!(core::mem::size_of::<SsizeCell>() == core::mem::size_of::<Py_ssize_t>());
    assert!(core::mem::align_of::<SsizeCell>() == core::mem::align_of::<Py_ssize_t>());
};

/// One byte of a buffer other threads may read or write (a bytearray's
/// item, through an export): a relaxed atomic load when free-threaded, so
/// that a program's race on the contents is not undefined behaviour on
/// the Rust side; a plain load with the GIL.
///
/// # Safety
/// `p` points to a live byte.
#[inline(always)]
pub unsafe fn load_u8_relaxed(p: *const u8) -> u8 {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: caller's contract; a u8 has alignment 1.  An atomic load
        // only reads.
        unsafe { core::sync::atomic::AtomicU8::from_ptr(p as *mut u8) }.load(Ordering::Relaxed)
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        // SAFETY: caller's contract.
        unsafe { *p }
    }
}

/// The store of [`load_u8_relaxed`].
///
/// # Safety
/// `p` points to a live, writable byte.
#[inline(always)]
pub unsafe fn store_u8_relaxed(p: *mut u8, v: u8) {
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: caller's contract; a u8 has alignment 1.
        unsafe { core::sync::atomic::AtomicU8::from_ptr(p) }.store(v, Ordering::Relaxed);
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller's contract.
    unsafe {
        *p = v
    }
}
