//! getbuffer: memoryviews as exporters.

use core::ffi::c_int;

use cpython_sys::api::critical_section;
use cpython_sys::api::{err, Exc};
use cpython_sys::ffi::{PyObject, Py_buffer};

use crate::layout;
use crate::object::MemoryView;

pub(crate) unsafe extern "C" fn memory_getbuf(
    op: *mut PyObject,
    view: *mut Py_buffer,
    flags: c_int,
) -> c_int {
    // SAFETY: bf_getbuffer receives a live instance of our type and a
    // writable Py_buffer.
    let (mv, view) = unsafe { (MemoryView::from_ptr(op), &mut *view) };
    // Free-threaded, `release()` (in the same critical section) cannot run
    // between the check that the view is live and the export's count.
    critical_section::with(mv.borrowed(), || memory_getbuf_locked(mv, view, flags))
}

#[inline(always)]
fn memory_getbuf_locked(mv: MemoryView, view: &mut Py_buffer, flags: c_int) -> c_int {
    if mv.check_released().is_err() || mv.check_restricted().is_err() {
        return -1;
    }
    // SAFETY: the header of a constructed view, alive for the call.
    let base = unsafe { mv.view_ref() };
    let baseflags = mv.flags();

    // start with complete information
    *view = *base;
    view.obj = core::ptr::null_mut();

    let plan = match layout::getbuf_plan(flags, baseflags, base.readonly != 0) {
        Ok(p) => p,
        Err(e) => {
            let _ = err::set_string(Exc::BufferError, e.message());
            return -1;
        }
    };
    if plan.drop_format {
        // NULL indicates that the buffer's data type has been cast to 'B'.
        view.format = core::ptr::null_mut();
    }
    if plan.drop_strides {
        view.strides = core::ptr::null_mut();
    }
    if plan.drop_shape {
        view.ndim = 1;
        view.shape = core::ptr::null_mut();
    }
    view.obj = mv.borrowed().new_ref().into_raw();
    mv.add_exports(1);
    0
}

pub(crate) unsafe extern "C" fn memory_releasebuf(op: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: bf_releasebuffer receives a live instance of our type.
    let mv = unsafe { MemoryView::from_ptr(op) };
    mv.add_exports(-1);
    // PyBuffer_Release() decrements view->obj after this function returns.
}
