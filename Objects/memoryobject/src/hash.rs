//! Hash.

use cpython_sys::api_memory::{self as am, ExcType, PyMemBlock};
use cpython_sys::ffi::{PyObject, Py_hash_t};
use cpython_sys::{Borrowed, PyResult};

use crate::copying::buffer_to_contiguous;
use crate::layout::mv_c_contiguous;
use crate::native::{get_native_fmtchar, is_byte_format};
use crate::object::{ExportPin, Mv};

pub(crate) unsafe extern "C" fn memory_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: tp_hash of our type: a live memoryview.
    let mv = unsafe { Mv::from_ptr(op) };
    memory_hash_impl(mv).unwrap_or(-1)
}

fn memory_hash_impl(mv: Mv) -> PyResult<Py_hash_t> {
    if mv.hash() != -1 {
        return Ok(mv.hash());
    }
    mv.check_released()?;
    let view = mv.view_copy();
    if view.readonly == 0 {
        return Err(ExcType::ValueError.set(c"cannot hash writable memoryview object"));
    }
    // SAFETY: not released; no Python code runs while reading the format.
    let fmt = unsafe { mv.format_head() };
    if !matches!(get_native_fmtchar(fmt), Some((c, _)) if is_byte_format(c)) {
        return Err(ExcType::ValueError
            .set(c"memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
    }
    // SAFETY: view.obj is NULL or the exporter, kept alive by the managed
    // buffer of this view.
    let exporter = unsafe { Borrowed::from_ptr_opt(view.obj) };
    // The exporter's __hash__ may be Python code: pin the view so that it
    // cannot free the buffer read below.  Hashing a bytes object (the
    // common exporter of hashable views) runs none.
    let _pin = match exporter {
        Some(obj) if !am::bytes_check_exact(obj) => Some(ExportPin::new(mv)),
        _ => None,
    };
    if let Some(obj) = exporter {
        // Keep the original error message.
        am::object_hash(obj)?;
    }
    let len = usize::try_from(view.len).unwrap_or(0);
    let h = if mv_c_contiguous(mv.flags()) {
        let data = if len > 0 {
            // SAFETY: contiguous, pinned: len bytes at buf stay alive.
            unsafe { core::slice::from_raw_parts(view.buf as *const u8, len) }
        } else {
            &[]
        };
        am::hash_bytes(data)
    } else {
        let mem = PyMemBlock::new(len)?;
        // SAFETY: pinned view; `mem` is fresh memory of len bytes.
        unsafe { buffer_to_contiguous(mem.as_ptr(), &mv.strided(), b'C') };
        // SAFETY: just filled.
        am::hash_bytes(unsafe { core::slice::from_raw_parts(mem.as_ptr(), len) })
    };
    // Can't fail
    mv.set_hash(h);
    Ok(h)
}
