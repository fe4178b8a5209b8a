//! The memoryview type object and its method table (the end of the C
//! file).

use core::ffi::c_int;
use core::ptr::addr_of_mut;

use cpython_sys::ffi::{self, PyTypeObject, Py_ssize_t};
use cpython_sys::typeobject::{zeroed_type, MethodTable, METHOD_SENTINEL};
use cpython_sys::{as_pycfunction, PyType_HEAD_INIT};

use crate::clinic::*;
use crate::compare::memory_richcompare;
use crate::doc;
use crate::getbuffer::{memory_getbuf, memory_releasebuf};
use crate::getters::memory_getsetlist;
use crate::hash::memory_hash;
use crate::indexing::{memory_as_mapping, memory_as_sequence};
use crate::iter::memory_iter;
use crate::object::PyMemoryViewObject;
use crate::release::{memory_clear, memory_dealloc, memory_enter, memory_exit, memory_traverse};
use crate::repr::memory_repr;

/// Buffer methods.
static mut memory_as_buffer: ffi::PyBufferProcs = ffi::PyBufferProcs {
    bf_getbuffer: Some(memory_getbuf),
    bf_releasebuffer: Some(memory_releasebuf),
};

const FASTCALL_KW: c_int = (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int;

static memory_methods: MethodTable<10> = MethodTable([
    ffi::PyMethodDef {
        ml_name: c"release".as_ptr(),
        ml_meth: as_pycfunction!(memoryview_release),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::memoryview_release__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"tobytes".as_ptr(),
        ml_meth: as_pycfunction!(memoryview_tobytes),
        ml_flags: FASTCALL_KW,
        ml_doc: doc::memoryview_tobytes__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"hex".as_ptr(),
        ml_meth: as_pycfunction!(memoryview_hex),
        ml_flags: FASTCALL_KW,
        ml_doc: doc::memoryview_hex__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"tolist".as_ptr(),
        ml_meth: as_pycfunction!(memoryview_tolist),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::memoryview_tolist__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"cast".as_ptr(),
        ml_meth: as_pycfunction!(memoryview_cast),
        ml_flags: FASTCALL_KW,
        ml_doc: doc::memoryview_cast__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"toreadonly".as_ptr(),
        ml_meth: as_pycfunction!(memoryview_toreadonly),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::memoryview_toreadonly__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"_from_flags".as_ptr(),
        ml_meth: as_pycfunction!(memoryview__from_flags),
        ml_flags: FASTCALL_KW | ffi::METH_CLASS as c_int,
        ml_doc: doc::memoryview__from_flags__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__enter__".as_ptr(),
        ml_meth: Some(memory_enter),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: core::ptr::null(),
    },
    ffi::PyMethodDef {
        ml_name: c"__exit__".as_ptr(),
        ml_meth: Some(memory_exit),
        ml_flags: ffi::METH_VARARGS as c_int,
        ml_doc: doc::memory_exit_doc.as_ptr(),
    },
    METHOD_SENTINEL,
]);

/// `PyMemoryView_Type`, exported to C exactly as the C file does.
#[no_mangle]
pub static mut PyMemoryView_Type: PyTypeObject = PyTypeObject {
    ob_base: PyType_HEAD_INIT!(),
    tp_name: c"memoryview".as_ptr(),
    tp_basicsize: core::mem::offset_of!(PyMemoryViewObject, ob_array) as Py_ssize_t,
    tp_itemsize: core::mem::size_of::<Py_ssize_t>() as Py_ssize_t,
    tp_dealloc: Some(memory_dealloc),
    tp_repr: Some(memory_repr),
    tp_as_sequence: addr_of_mut!(memory_as_sequence),
    tp_as_mapping: addr_of_mut!(memory_as_mapping),
    tp_hash: Some(memory_hash),
    tp_getattro: Some(ffi::PyObject_GenericGetAttr),
    tp_as_buffer: addr_of_mut!(memory_as_buffer),
    tp_flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC | ffi::Py_TPFLAGS_SEQUENCE) as _,
    tp_doc: doc::memoryview__doc__.as_ptr(),
    tp_traverse: Some(memory_traverse),
    tp_clear: Some(memory_clear),
    tp_richcompare: Some(memory_richcompare),
    tp_weaklistoffset: core::mem::offset_of!(PyMemoryViewObject, weakreflist) as Py_ssize_t,
    tp_iter: Some(memory_iter),
    tp_methods: memory_methods.as_ptr(),
    tp_getset: memory_getsetlist.as_ptr(),
    tp_new: Some(memoryview),
    ..zeroed_type()
};
