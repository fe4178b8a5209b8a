//! Hash.

use core::mem::MaybeUninit;

use cpython_sys::api::mem::PyMemBlock;
use cpython_sys::api::{self, err, Exc};
use cpython_sys::ffi::{self, PyObject, Py_hash_t};
use cpython_sys::{Borrowed, PyResult};

use crate::copying::buffer_to_contiguous;
use crate::layout::mv_c_contiguous;
use crate::native::is_byte_format;
use crate::object::{fmt_single, ExportPin, MemoryView};

/// Non-contiguous views up to this many bytes are gathered on the stack
/// for hashing (a frame well under a page: no stack probe).
const HASH_STACK_BYTES: usize = 2048;

pub(crate) unsafe extern "C" fn memory_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: tp_hash of our type: a live memoryview.
    let mv = unsafe { MemoryView::from_ptr(op) };
    memory_hash_result(mv).unwrap_or(-1)
}

fn memory_hash_result(mv: MemoryView) -> PyResult<Py_hash_t> {
    if mv.hash() != -1 {
        return Ok(mv.hash());
    }
    mv.check_released()?;
    let view = mv.view_copy();
    if view.readonly == 0 {
        return Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("cannot hash writable memoryview object"),
        ));
    }
    // SAFETY: not released; no Python code runs while reading the format.
    if !matches!(unsafe { fmt_single(view.format) }, Some(c) if is_byte_format(c)) {
        return Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("memoryview: hashing is restricted to formats 'B', 'b' or 'c'"),
        ));
    }
    // SAFETY: view.obj is NULL or the exporter, kept alive by the managed
    // buffer of this view.
    if let Some(obj) = unsafe { Borrowed::from_ptr_opt(view.obj) } {
        // Keep the original error message.
        if api::bytes::check_exact(obj) && !cpython_sys::FREE_THREADED {
            // Hashing a bytes object (the common exporter of hashable
            // views) runs no Python code; with the GIL, no other thread
            // can release the view meanwhile.
            api::object::hash(obj)?;
        } else {
            // The exporter's __hash__ may be Python code: pin the view so
            // that it cannot free the buffer read below.
            let _pin = ExportPin::new(mv)?;
            api::object::hash(obj)?;
            return hash_contents(mv, &view);
        }
    }
    hash_contents(mv, &view)
}

/// The rest of `memory_hash`: hashes the bytes of `view` (`mv`'s header)
/// and caches the result.
#[inline(always)]
fn hash_contents(mv: MemoryView, view: &ffi::Py_buffer) -> PyResult<Py_hash_t> {
    let h = if mv_c_contiguous(mv.flags()) {
        // SAFETY: contiguous, not released (pinned, or no Python code ran
        // since the check): len bytes at buf stay alive.
        unsafe { api::hash::bytes_raw(view.buf as *const u8, view.len) }
    } else {
        hash_gathered(mv, view)?
    };
    // Can't fail
    mv.set_hash(h);
    Ok(h)
}

/// The hash of a non-contiguous view: its bytes gathered in C order
/// first (out of line: its stack buffer and registers stay off the
/// contiguous path).
#[inline(never)]
fn hash_gathered(mv: MemoryView, view: &ffi::Py_buffer) -> PyResult<Py_hash_t> {
    let len = usize::try_from(view.len).unwrap_or(0);
    let s = mv.strided();
    // The gather writes product(shape) * itemsize bytes.  When that is
    // the view's len (always, unless an exporter's len disagrees with its
    // shape) and short, the copy goes to the stack, not the heap.
    let gathered = s
        .shape
        .iter()
        .try_fold(s.itemsize, |a, d| a.checked_mul(*d));
    if len <= HASH_STACK_BYTES && gathered == Some(view.len) {
        let mut stack = [MaybeUninit::<u8>::uninit(); HASH_STACK_BYTES];
        let p = stack.as_mut_ptr() as *mut u8;
        // SAFETY: the view is pinned or no Python code ran since the
        // release check; `stack` has room for the len bytes gathered.
        unsafe { buffer_to_contiguous(p, &s, b'C') };
        // SAFETY: the gather initialised all len bytes.
        Ok(api::hash::bytes(unsafe {
            core::slice::from_raw_parts(p, len)
        }))
    } else {
        let mem = PyMemBlock::new(len)?;
        // SAFETY: as above; `mem` is fresh memory of len bytes.
        unsafe { buffer_to_contiguous(mem.as_ptr(), &s, b'C') };
        // SAFETY: just filled.
        Ok(api::hash::bytes(unsafe {
            core::slice::from_raw_parts(mem.as_ptr(), len)
        }))
    }
}
