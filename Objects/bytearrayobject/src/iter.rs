//! C's "Bytearray Iterator" section: `bytearray_iterator`.

use core::ffi::{c_int, c_void};
use core::ptr::{addr_of_mut, null_mut};

use cpython_sys::api::{self, gc};
use cpython_sys::ffi::{self, PyObject, Py_ssize_t};
use cpython_sys::ft::SsizeCell;
use cpython_sys::object::{result_into_ptr, ObjField};
use cpython_sys::{Borrowed, Owned, PyResult};

use crate::object::ByteArray;
use crate::types::PyByteArrayIter_Type;

/// The iterator (C's `bytesiterobject`).
///
/// # Invariants
/// `it_seq` is NULL once the iterator is exhausted, else a bytearray.
#[repr(C)]
pub(crate) struct bytesiterobject {
    pub(crate) ob_base: PyObject,
    pub(crate) it_index: SsizeCell,
    /// Set to NULL when iterator is exhausted
    pub(crate) it_seq: ObjField,
}

impl bytesiterobject {
    /// # Safety
    /// `op` is a live instance of `PyByteArrayIter_Type`, alive for `'a`.
    #[inline(always)]
    unsafe fn cast<'a>(op: *mut PyObject) -> &'a bytesiterobject {
        // SAFETY: caller's contract; the struct is the instance layout.
        unsafe { &*(op as *const bytesiterobject) }
    }
}

pub(crate) unsafe extern "C" fn bytearrayiter_dealloc(op: *mut PyObject) {
    // SAFETY: tp_dealloc receives our instance with refcount zero.
    unsafe {
        gc::untrack(op);
        bytesiterobject::cast(op).it_seq.clear();
        gc::del(op);
    }
}

pub(crate) unsafe extern "C" fn bytearrayiter_traverse(
    op: *mut PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: tp_traverse receives a live instance; visit/arg from the GC.
    unsafe { gc::visit(bytesiterobject::cast(op).it_seq.as_ptr(), visit, arg) }
}

pub(crate) unsafe extern "C" fn bytearrayiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iternext receives a live instance of our type.
    let it = unsafe { bytesiterobject::cast(op) };
    // SAFETY: it_seq is cleared only here and in dealloc; no Python code
    // runs while the borrow lives.
    let Some(seq) = (unsafe { it.it_seq.borrow() }) else {
        return null_mut();
    };
    // SAFETY: it_seq holds a bytearray (invariant).
    let ba = unsafe { ByteArray::from_ptr(seq.as_ptr()) };
    let i = it.it_index.get();
    if i < ba.len() {
        it.it_index.set(i + 1);
        // SAFETY: 0 <= i < len; no Python code runs.
        return api::long::from_unsigned_char(unsafe { ba.get(i) }).into_raw();
    }
    it.it_seq.clear();
    null_mut()
}

pub(crate) unsafe extern "C" fn bytearrayiter_length_hint(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    let it = unsafe { bytesiterobject::cast(op) };
    let mut len: Py_ssize_t = 0;
    // SAFETY: it_seq is cleared only by tp_iternext and dealloc; no Python
    // code runs while the borrow lives (only the size is read).
    if let Some(seq) = unsafe { it.it_seq.borrow() } {
        // SAFETY: it_seq holds a bytearray (invariant), alive (borrowed).
        let ba = unsafe { ByteArray::from_ptr(seq.as_ptr()) };
        len = (ba.len() - it.it_index.get()).max(0);
    }
    result_into_ptr(api::long::from_ssize_t(len))
}

pub(crate) unsafe extern "C" fn bytearrayiter_reduce(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    let it = unsafe { bytesiterobject::cast(op) };
    let r = (|| -> PyResult<Owned> {
        // _PyEval_GetBuiltin can invoke arbitrary code, call must be
        // before access of iterator pointers (gh-101765).
        let iter = api::ceval::get_builtin(api::unicode::id_iter())?;
        match it.it_seq.get_owned() {
            Some(seq) => {
                let args = api::tuple::from_owned([seq])?;
                let index = api::long::from_ssize_t(it.it_index.get())?;
                api::tuple::from_owned([iter, args, index])
            }
            None => {
                let empty = api::tuple::from_owned([])?;
                api::tuple::from_owned([iter, api::tuple::from_owned([empty])?])
            }
        }
    })();
    result_into_ptr(r)
}

pub(crate) unsafe extern "C" fn bytearrayiter_setstate(
    op: *mut PyObject,
    state: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_O method of our type; `state` is live for the call.
    let (it, state) = unsafe { (bytesiterobject::cast(op), Borrowed::from_ptr(state)) };
    let r = (|| {
        let mut index = api::long::as_ssize_t(state)?;
        if let Some(seq) = it.it_seq.get_owned() {
            // SAFETY: a bytearray (invariant), kept alive by `seq`.
            let n = unsafe { ByteArray::from_ptr(seq.as_ptr()) }.len();
            if index < 0 {
                index = 0;
            } else if index > n {
                index = n; // iterator exhausted
            }
            it.it_index.set(index);
        }
        Ok(api::object::none_ref())
    })();
    result_into_ptr(r)
}

/// `bytearray_iter(seq)`: tp_iter.
pub(crate) unsafe extern "C" fn bytearray_iter(seq: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iter receives a live object.
    let seq = unsafe { Borrowed::from_ptr(seq) };
    if ByteArray::check(seq).is_none() {
        let _ = api::err::bad_internal_call(c"Objects/bytearrayobject.c", line!() as c_int);
        return null_mut();
    }
    let r = (|| {
        // SAFETY: our iterator type, GC-tracked below once initialised.
        let obj = unsafe { gc::new(addr_of_mut!(PyByteArrayIter_Type))? };
        // SAFETY: fresh instance with our layout (PyObject_GC_New leaves
        // the fields uninitialised); written before anything reads them.
        unsafe {
            let it = obj.as_ptr() as *mut bytesiterobject;
            core::ptr::write(addr_of_mut!((*it).it_index), SsizeCell::new(0));
            // ObjField has the layout of `PyObject *` (repr(transparent));
            // the field takes the new reference.
            core::ptr::write(
                addr_of_mut!((*it).it_seq) as *mut *mut PyObject,
                seq.new_ref().into_raw(),
            );
        }
        // SAFETY: fully initialised.
        unsafe { gc::track(obj.borrow()) };
        Ok(obj)
    })();
    result_into_ptr(r)
}
