//! Memoryview Iterator.

use core::cell::Cell;
use core::ffi::{c_char, c_int, c_void};
use core::ptr::addr_of_mut;

use cpython_sys::api::{self, err, Exc};
use cpython_sys::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use cpython_sys::ft::SsizeCell;
use cpython_sys::object::{opt_result_into_ptr, result_into_ptr, ObjField};
use cpython_sys::typeobject::zeroed_type;
use cpython_sys::{Borrowed, Owned, PyResult, PyType_HEAD_INIT};

use crate::indexing::memory_length_result;
use crate::native::FmtChar;
use crate::object::{memoryview_check, MemoryView};
use crate::pack::unpack_item_dyn;
use crate::repr::adjust_fmt;

/// The iterator (`memoryiterobject`, same layout as C's).  C points
/// `it_fmt` into the view's format string, which the exporter owns; here it
/// points to the static one-character string of [`FMT_STRINGS`] instead, so
/// it can never dangle.
///
/// # Invariants
/// `it_seq` is NULL once exhausted, else a memoryview; `it_fmt` points to
/// an entry of `FMT_STRINGS`: the adjusted format of that view when the
/// iterator was created.
#[repr(C)]
pub(crate) struct memoryiterobject {
    pub(crate) ob_base: PyObject,
    pub(crate) it_index: SsizeCell,
    /// Set to NULL when iterator is exhausted
    pub(crate) it_seq: ObjField,
    pub(crate) it_length: Cell<Py_ssize_t>,
    pub(crate) it_fmt: Cell<*const c_char>,
}

/// NUL-terminated one-character strings for every byte value.
static FMT_STRINGS: [[u8; 2]; 256] = {
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i][0] = i as u8;
        i += 1;
    }
    t
};

/// The static string of the format character `c`.
fn fmt_string(c: u8) -> *const c_char {
    FMT_STRINGS
        .get(c as usize)
        .map_or(c"".as_ptr(), |s| s.as_ptr() as *const c_char)
}

/// The format character `it_fmt` points to.
fn fmt_char(p: *const c_char) -> u8 {
    // SAFETY: `it_fmt` always points into FMT_STRINGS (invariant), a
    // static array.
    unsafe { *(p as *const u8) }
}

unsafe extern "C" fn memoryiter_dealloc(op: *mut PyObject) {
    // SAFETY: tp_dealloc receives our instance with refcount zero.
    unsafe {
        api::gc::untrack(op);
        (*(op as *mut memoryiterobject)).it_seq.clear();
        api::gc::del(op);
    }
}

unsafe extern "C" fn memoryiter_traverse(
    op: *mut PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: tp_traverse receives a live instance.
    unsafe {
        cpython_sys::api::gc::visit((*(op as *mut memoryiterobject)).it_seq.as_ptr(), visit, arg)
    }
}

unsafe extern "C" fn memoryiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iternext receives a live instance of our type.
    let it = unsafe { &*(op as *const memoryiterobject) };
    opt_result_into_ptr(memoryiter_next_result(it))
}

fn memoryiter_next_result(it: &memoryiterobject) -> PyResult<Option<Owned>> {
    // SAFETY: only this function (at exhaustion, below) and dealloc clear
    // the field, and nothing in between runs Python code: unpacking an
    // item only allocates an int, float or bytes object (no finalizer
    // can run), as in C, which reads `it->it_seq` the same way.
    let Some(seq_obj) = (unsafe { it.it_seq.borrow() }) else {
        return Ok(None);
    };
    let index = it.it_index.get();
    if index < it.it_length.get() {
        // SAFETY: it_seq is a memoryview (invariant), alive while the
        // field holds it.
        let seq = unsafe { MemoryView::from_ptr(seq_obj.as_ptr()) };
        seq.check_released()?;
        it.it_index.set(index.wrapping_add(1));
        // SAFETY: ndim 1 (memory_iter checked it; views never change
        // their ndim) and not released (checked above).
        let ptr = unsafe { seq.item_address_1d(index) };
        if ptr.is_null() {
            return Ok(None);
        }
        // SAFETY: an item of the view, not released (checked above, and
        // no Python code since).
        return unsafe { unpack_item_dyn(ptr, FmtChar::new(fmt_char(it.it_fmt.get()))) }.map(Some);
    }
    it.it_seq.clear();
    Ok(None)
}

pub(crate) unsafe extern "C" fn memory_iter(seq: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iter receives a live object.
    result_into_ptr(memory_iter_result(unsafe { Borrowed::from_ptr(seq) }))
}

fn memory_iter_result(seq: Borrowed<'_>) -> PyResult<Owned> {
    if !memoryview_check(seq) {
        return Err(api::err::bad_internal_call(
            c"Objects/memoryobject.c",
            line!() as c_int,
        ));
    }
    // SAFETY: checked to be a memoryview; `seq` is alive for the call.
    let obj = unsafe { MemoryView::from_ptr(seq.as_ptr()) };
    obj.check_released()?;
    match obj.ndim() {
        0 => {
            return Err(err::set_string(
                Exc::TypeError,
                cpython_sys::cmsg!("invalid indexing of 0-dim memory"),
            ))
        }
        1 => {}
        _ => {
            return Err(err::set_string(
                Exc::NotImplementedError,
                cpython_sys::cmsg!("multi-dimensional sub-views are not implemented"),
            ))
        }
    }
    let fmt = adjust_fmt(obj)?;
    // With the GIL this cannot fail (checked above, and no Python code ran
    // since).  Free-threaded, another thread may have released the view:
    // the error is raised (C stores -1 and returns the iterator with the
    // exception set, a SystemError).
    let length = memory_length_result(obj)?;
    // SAFETY: _PyMemoryIter_Type is a ready fixed-size GC type.
    let it_obj = unsafe { api::gc::new(addr_of_mut!(_PyMemoryIter_Type))? };
    // SAFETY: fresh instance with our layout; fields are written before
    // anything can read them.
    unsafe {
        let it = it_obj.as_ptr() as *mut memoryiterobject;
        core::ptr::write(addr_of_mut!((*it).it_fmt), Cell::new(fmt_string(fmt.ch())));
        core::ptr::write(addr_of_mut!((*it).it_length), Cell::new(length));
        core::ptr::write(addr_of_mut!((*it).it_index), SsizeCell::new(0));
        // ObjField has the layout of `PyObject *` (repr(transparent)); the
        // field takes the new reference.
        core::ptr::write(
            addr_of_mut!((*it).it_seq) as *mut *mut PyObject,
            seq.new_ref().into_raw(),
        );
        api::gc::track(it_obj.borrow());
    }
    Ok(it_obj)
}

/// `_PyMemoryIter_Type`, exported to C exactly as the C file does.
#[no_mangle]
pub static mut _PyMemoryIter_Type: PyTypeObject = PyTypeObject {
    ob_base: PyType_HEAD_INIT!(),
    tp_name: c"memory_iterator".as_ptr(),
    tp_basicsize: core::mem::size_of::<memoryiterobject>() as Py_ssize_t,
    tp_dealloc: Some(memoryiter_dealloc),
    tp_getattro: Some(ffi::PyObject_GenericGetAttr),
    tp_flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC) as _,
    tp_traverse: Some(memoryiter_traverse),
    tp_iter: Some(ffi::PyObject_SelfIter),
    tp_iternext: Some(memoryiter_next),
    ..zeroed_type()
};
