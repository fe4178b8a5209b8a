//! Previously in abstract.c: `PyBuffer_ToContiguous`.

use core::ffi::{c_char, c_int, c_void};

use cpython_sys::api::{buffer, err, Exc};
use cpython_sys::ffi::{Py_buffer, Py_ssize_t};

use crate::copying;
use crate::object::{FullView, Scratch};

/// `PyBuffer_ToContiguous(buf, src, len, order)`.
///
/// # Safety
/// The C API contract: `src` is an acquired buffer and `buf` has room for
/// `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn PyBuffer_ToContiguous(
    buf: *mut c_void,
    src: *const Py_buffer,
    len: Py_ssize_t,
    order: c_char,
) -> c_int {
    let order = order as u8;
    debug_assert!(order == b'C' || order == b'F' || order == b'A');
    // SAFETY: API contract: `src` is an acquired buffer.
    let s = unsafe { &*src };
    if len != s.len {
        let _ = err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("PyBuffer_ToContiguous: len != view->len"),
        );
        return -1;
    }
    // SAFETY: `src` is a valid buffer description.
    if unsafe { buffer::is_contiguous(src, order) } {
        if len > 0 {
            // SAFETY: API contract: `buf` has room for len bytes and
            // `src->buf` holds len contiguous bytes.
            unsafe {
                core::ptr::copy_nonoverlapping(s.buf as *const u8, buf as *mut u8, len as usize)
            };
        }
        return 0;
    }
    // buffer_to_contiguous() assumes PyBUF_FULL: normalise (C builds a
    // Py_buffer_full copy with init_shape_strides/init_suboffsets).
    let mut scratch = Scratch::new();
    // SAFETY: `src` is a valid buffer description, unchanged during the
    // call.
    let Some(full) = (unsafe { FullView::new(s, &mut scratch) }) else {
        let _ = err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("memoryview: number of dimensions must not exceed 64"),
        );
        return -1;
    };
    // SAFETY: `buf` has room for len == product(shape) * itemsize bytes
    // (API contract) and is distinct from the exporter's memory.
    unsafe { copying::buffer_to_contiguous(buf as *mut u8, &full.strided(), order) };
    0
}
