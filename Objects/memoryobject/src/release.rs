//! Release/GC management.

use core::ffi::{c_int, c_void};

use cpython_sys::api::critical_section;
use cpython_sys::api::{self, err, Exc};
use cpython_sys::ffi::{self, PyObject};
use cpython_sys::{Owned, PyResult};

use crate::layout::MV_RELEASED;
use crate::mbuf::mbuf_release;
use crate::object::MemoryView;

/// `_memory_release(self)`: this view will not access the buffer again;
/// the last view of a managed buffer releases it.
pub(crate) fn _memory_release(mv: MemoryView) {
    debug_assert!(mv.exports() == 0);
    // One step, so that of two threads releasing the view one does the
    // rest (C tests, then sets: gh-127716).
    if !mv.set_flag_first(MV_RELEASED) {
        return;
    }
    if let Some(mbuf) = mv.mbuf() {
        // The count before: the last view releases the buffer, once
        // (gh-155606 is C's lost update of this count).
        let before = mbuf.add_exports(-1);
        debug_assert!(before > 0);
        if before == 1 {
            mbuf_release(mbuf);
        }
    }
}

/// `memoryview_release_impl(self)`.
pub(crate) fn memoryview_release_impl(mv: MemoryView) -> PyResult<Owned> {
    // Free-threaded, no export is counted (`memory_getbuf`, `ExportPin`)
    // between the test and the release.
    critical_section::with(mv.borrowed(), || memoryview_release_locked(mv))
}

#[inline(always)]
fn memoryview_release_locked(mv: MemoryView) -> PyResult<Owned> {
    let n = mv.exports();
    if n == 0 {
        _memory_release(mv);
        return Ok(cpython_sys::api::object::none_ref());
    }
    if n > 0 {
        let s = if n == 1 { c"" } else { c"s" };
        return Err(err::format_ssize_str(
            Exc::BufferError,
            c"memoryview has %zd exported buffer%s",
            n,
            s,
        ));
    }
    Err(err::set_string(
        Exc::SystemError,
        cpython_sys::cmsg!("memoryview: negative export count"),
    ))
}

pub(crate) unsafe extern "C" fn memory_dealloc(op: *mut PyObject) {
    // SAFETY: tp_dealloc receives our instance with refcount zero.
    let mv = unsafe { MemoryView::from_ptr(op) };
    debug_assert!(mv.exports() == 0);
    // SAFETY: a GC object being deallocated.
    unsafe { api::gc::untrack(op) };
    _memory_release(mv);
    // Py_CLEAR(self->mbuf): released just above.
    drop(mv.take_mbuf());
    // SAFETY: our instance being deallocated (untracked above), with
    // weakref support.
    unsafe {
        if mv.has_weakrefs() {
            api::object::clear_weakrefs(op);
        }
        api::gc::del(op);
    }
}

pub(crate) unsafe extern "C" fn memory_traverse(
    op: *mut PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: tp_traverse receives a live instance; mbuf is NULL or live;
    // visit/arg are the collector's.
    unsafe { cpython_sys::api::gc::visit(MemoryView::from_ptr(op).mbuf_obj(), visit, arg) }
}

pub(crate) unsafe extern "C" fn memory_clear(op: *mut PyObject) -> c_int {
    // SAFETY: tp_clear receives a live instance.
    let mv = unsafe { MemoryView::from_ptr(op) };
    if mv.exports() == 0 {
        _memory_release(mv);
        // Py_CLEAR(self->mbuf): released just above.
        drop(mv.take_mbuf());
    }
    0
}

pub(crate) unsafe extern "C" fn memory_enter(
    op: *mut PyObject,
    _args: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    let mv = unsafe { MemoryView::from_ptr(op) };
    if mv.check_released().is_err() {
        return core::ptr::null_mut();
    }
    mv.borrowed().new_ref().into_raw()
}

pub(crate) unsafe extern "C" fn memory_exit(
    op: *mut PyObject,
    _args: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_VARARGS method of our type.
    cpython_sys::object::result_into_ptr(memoryview_release_impl(unsafe {
        MemoryView::from_ptr(op)
    }))
}
