//! Raw memory: `Include/pymem.h` (`PyMem_*`).

use super::prelude::*;

/// `PyMem_Malloc(len)` for memory whose ownership passes to C (e.g. a
/// format string freed by `PyMem_Free` in a deallocator).
#[inline]
pub fn malloc_raw(len: usize) -> PyResult<NonNull<u8>> {
    // SAFETY: plain allocation.
    let p = unsafe { ffi::PyMem_Malloc(len) } as *mut u8;
    NonNull::new(p).ok_or_else(err::no_memory)
}

/// `PyMem_Free(p)`.
///
/// # Safety
/// `p` is NULL or came from `PyMem_Malloc` and is not used afterwards.
#[inline]
pub unsafe fn free_raw(p: *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyMem_Free(p) }
}

/// Memory from `PyMem_Malloc`, freed on drop.
///
/// # Invariants
/// `ptr` was returned by `PyMem_Malloc(len)` (non-NULL; `len` may be 0) and
/// is freed exactly once, by `Drop`.
pub struct PyMemBlock {
    ptr: NonNull<u8>,
    len: usize,
}

impl PyMemBlock {
    /// `PyMem_Malloc(len)`; `MemoryError` on failure.
    #[inline]
    pub fn new(len: usize) -> PyResult<PyMemBlock> {
        // SAFETY: plain allocation (PyMem_Malloc(0) returns a unique
        // non-NULL pointer).
        let p = unsafe { ffi::PyMem_Malloc(len) } as *mut u8;
        match NonNull::new(p) {
            // INVARIANT: fresh allocation of `len` bytes.
            Some(ptr) => Ok(PyMemBlock { ptr, len }),
            None => Err(err::no_memory()),
        }
    }

    #[inline]
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for PyMemBlock {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: allocated by PyMem_Malloc, freed once (invariant).
        unsafe { ffi::PyMem_Free(self.ptr.as_ptr() as *mut c_void) }
    }
}

/// `PyMem_Realloc(p, len)`: `Err` (MemoryError set) leaves `p` allocated.
///
/// # Safety
/// `p` is NULL or came from `PyMem_Malloc`/`PyMem_Realloc` and was not
/// freed; on success it must not be used again (the result replaces it).
#[inline]
pub unsafe fn realloc_raw(p: *mut c_void, len: usize) -> PyResult<NonNull<u8>> {
    // SAFETY: caller's contract.
    let q = unsafe { ffi::PyMem_Realloc(p, len) } as *mut u8;
    NonNull::new(q).ok_or_else(err::no_memory)
}
