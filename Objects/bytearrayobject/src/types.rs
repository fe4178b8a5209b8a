//! The type objects and their tables (the end of each section of the C
//! file): `PyByteArray_Type` and `PyByteArrayIter_Type`, exported to C with
//! C's layout.

use core::ffi::c_int;
use core::ptr::addr_of_mut;

use cpython_sys::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::typeobject::{zeroed_type, MethodTable, METHOD_SENTINEL};
use cpython_sys::{as_pycfunction, Borrowed, PyType_HEAD_INIT};

use crate::clinic::*;
use crate::doc;
use crate::iter::*;
use crate::object::{
    bytearray_getbuffer, bytearray_releasebuffer, ByteArray, PyByteArrayObject, PyByteArray_Concat,
};
use crate::sequence::*;

static mut bytearray_as_sequence: ffi::PySequenceMethods = ffi::PySequenceMethods {
    sq_length: Some(bytearray_length),
    sq_concat: Some(PyByteArray_Concat),
    sq_repeat: Some(bytearray_repeat),
    sq_item: Some(bytearray_getitem),
    was_sq_slice: core::ptr::null_mut(),
    sq_ass_item: Some(bytearray_setitem),
    was_sq_ass_slice: core::ptr::null_mut(),
    sq_contains: Some(bytearray_contains),
    sq_inplace_concat: Some(bytearray_iconcat),
    sq_inplace_repeat: Some(bytearray_irepeat),
};

static mut bytearray_as_mapping: ffi::PyMappingMethods = ffi::PyMappingMethods {
    mp_length: Some(bytearray_length),
    mp_subscript: Some(bytearray_subscript),
    mp_ass_subscript: Some(bytearray_ass_subscript),
};

static mut bytearray_as_buffer: ffi::PyBufferProcs = ffi::PyBufferProcs {
    bf_getbuffer: Some(bytearray_getbuffer),
    bf_releasebuffer: Some(bytearray_releasebuffer),
};

static bytearray_methods: MethodTable<55> = MethodTable([
    ffi::PyMethodDef {
        ml_name: c"__alloc__".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_alloc),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::alloc_doc.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__reduce__".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_reduce),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::bytearray_reduce__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__reduce_ex__".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_reduce_ex),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_reduce_ex__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__sizeof__".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_sizeof),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::bytearray_sizeof__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"append".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_append),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_append__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"capitalize".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_capitalize),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_capitalize__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"center".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_center),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::stringlib_center__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"clear".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_clear),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::bytearray_clear__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"copy".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_copy),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::bytearray_copy__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"count".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_count),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_count__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"decode".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_decode),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::bytearray_decode__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"endswith".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_endswith),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_endswith__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"expandtabs".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_expandtabs),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::stringlib_expandtabs__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"extend".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_extend),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_extend__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"find".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_find),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_find__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"fromhex".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_fromhex),
        ml_flags: (ffi::METH_O | ffi::METH_CLASS) as c_int,
        ml_doc: doc::bytearray_fromhex__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"hex".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_hex),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::bytearray_hex__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"index".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_index),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_index__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"insert".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_insert),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_insert__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"isalnum".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_isalnum),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_isalnum__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"isalpha".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_isalpha),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_isalpha__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"isascii".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_isascii),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_isascii__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"isdigit".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_isdigit),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_isdigit__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"islower".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_islower),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_islower__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"isspace".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_isspace),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_isspace__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"istitle".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_istitle),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_istitle__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"isupper".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_isupper),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_isupper__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"join".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_join),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_join__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"ljust".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_ljust),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::stringlib_ljust__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"lower".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_lower),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_lower__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"lstrip".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_lstrip),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_lstrip__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"maketrans".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_maketrans),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_STATIC) as c_int,
        ml_doc: doc::bytearray_maketrans__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"partition".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_partition),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_partition__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"pop".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_pop),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_pop__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"remove".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_remove),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_remove__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"replace".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_replace),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_replace__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"removeprefix".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_removeprefix),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_removeprefix__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"removesuffix".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_removesuffix),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_removesuffix__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"reverse".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_reverse),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::bytearray_reverse__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"rfind".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_rfind),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_rfind__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"rindex".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_rindex),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_rindex__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"rjust".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_rjust),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::stringlib_rjust__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"rpartition".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_rpartition),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::bytearray_rpartition__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"rsplit".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_rsplit),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::bytearray_rsplit__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"rstrip".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_rstrip),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_rstrip__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"split".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_split),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::bytearray_split__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"splitlines".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_splitlines),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::bytearray_splitlines__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"startswith".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_startswith),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_startswith__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"strip".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_strip),
        ml_flags: ffi::METH_FASTCALL as c_int,
        ml_doc: doc::bytearray_strip__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"swapcase".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_swapcase),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_swapcase__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"title".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_title),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_title__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"translate".as_ptr(),
        ml_meth: as_pycfunction!(bytearray_translate),
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc::bytearray_translate__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"upper".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_upper),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::_Py_upper__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"zfill".as_ptr(),
        ml_meth: as_pycfunction!(stringlib_zfill),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::stringlib_zfill__doc__.as_ptr(),
    },
    METHOD_SENTINEL,
]);

/// `bytearray_mod(v, w)`: nb_remainder.
unsafe extern "C" fn bytearray_mod(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: nb_remainder receives two live objects.
    let (v, w) = unsafe { (Borrowed::from_ptr(v), Borrowed::from_ptr(w)) };
    let Some(ba) = ByteArray::check(v) else {
        return cpython_sys::api::object::not_implemented()
            .new_ref()
            .into_raw();
    };
    result_into_ptr(crate::methods::bytearray_mod_impl(ba, w))
}

static mut bytearray_as_number: ffi::PyNumberMethods = ffi::PyNumberMethods {
    nb_remainder: Some(bytearray_mod),
    // SAFETY: PyNumberMethods is a C struct of optional function pointers,
    // all valid when zero (C leaves the other slots zero too).
    ..unsafe { core::mem::zeroed() }
};

/// `PyByteArray_Type`, exported to C exactly as `Objects/bytearrayobject.c`
/// does.
#[no_mangle]
pub static mut PyByteArray_Type: PyTypeObject = PyTypeObject {
    ob_base: PyType_HEAD_INIT!(),
    tp_name: c"bytearray".as_ptr(),
    tp_basicsize: core::mem::size_of::<PyByteArrayObject>() as Py_ssize_t,
    tp_itemsize: 0,
    tp_dealloc: Some(bytearray_dealloc),
    tp_repr: Some(bytearray_repr),
    tp_as_number: addr_of_mut!(bytearray_as_number),
    tp_as_sequence: addr_of_mut!(bytearray_as_sequence),
    tp_as_mapping: addr_of_mut!(bytearray_as_mapping),
    tp_str: Some(bytearray_str),
    tp_getattro: Some(ffi::PyObject_GenericGetAttr),
    tp_as_buffer: addr_of_mut!(bytearray_as_buffer),
    tp_flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_BASETYPE | ffi::_Py_TPFLAGS_MATCH_SELF)
        as _,
    tp_doc: doc::bytearray_doc.as_ptr(),
    tp_richcompare: Some(bytearray_richcompare),
    tp_iter: Some(bytearray_iter),
    tp_methods: bytearray_methods.as_ptr(),
    tp_init: Some(bytearray___init__),
    tp_alloc: Some(ffi::PyType_GenericAlloc),
    tp_new: Some(ffi::PyType_GenericNew),
    tp_free: Some(ffi::PyObject_Free),
    ..zeroed_type()
};

static bytearrayiter_methods: MethodTable<4> = MethodTable([
    ffi::PyMethodDef {
        ml_name: c"__length_hint__".as_ptr(),
        ml_meth: as_pycfunction!(bytearrayiter_length_hint),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::length_hint_doc.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__reduce__".as_ptr(),
        ml_meth: as_pycfunction!(bytearrayiter_reduce),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::bytearray_reduce__doc__.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__setstate__".as_ptr(),
        ml_meth: as_pycfunction!(bytearrayiter_setstate),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::setstate_doc.as_ptr(),
    },
    METHOD_SENTINEL,
]);

/// `PyByteArrayIter_Type`, exported to C exactly as the C file does.
#[no_mangle]
pub static mut PyByteArrayIter_Type: PyTypeObject = PyTypeObject {
    ob_base: PyType_HEAD_INIT!(),
    tp_name: c"bytearray_iterator".as_ptr(),
    tp_basicsize: core::mem::size_of::<bytesiterobject>() as Py_ssize_t,
    tp_itemsize: 0,
    tp_dealloc: Some(bytearrayiter_dealloc),
    tp_getattro: Some(ffi::PyObject_GenericGetAttr),
    tp_flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC) as _,
    tp_traverse: Some(bytearrayiter_traverse),
    tp_iter: Some(ffi::PyObject_SelfIter),
    tp_iternext: Some(bytearrayiter_next),
    tp_methods: bytearrayiter_methods.as_ptr(),
    ..zeroed_type()
};
