//! enumerate object: the Rust twin of `Objects/enumobject.c`.
//!
//! The sections follow the C file: the Argument Clinic part (`clinic`,
//! which C includes from `clinic/enumobject.c.h`), then `enumerate`, then
//! `reversed`, each ending with its type object.  Functions at the C
//! boundary keep their C names so one grep finds both versions.

#![cfg_attr(not(test), no_std)]
#![allow(non_upper_case_globals, non_snake_case, non_camel_case_types)]

use core::cell::Cell;
use core::ffi::{c_int, c_void};
use core::ptr::{addr_of_mut, null_mut};

use cpython_sys::api::{self, alloc, args, err, gc, tuple, vectorcall, Exc};
use cpython_sys::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use cpython_sys::ft::SsizeCell;
use cpython_sys::object::{opt_result_into_ptr, result_into_ptr, ObjField};
use cpython_sys::typeobject::{zeroed_type, MethodTable, METHOD_SENTINEL};
use cpython_sys::{as_pycfunction, Borrowed, Owned, PyResult, PyType_HEAD_INIT};

include!(concat!(env!("OUT_DIR"), "/docstrings.rs"));
// Compile-time layout parity with the C twin (cpython-build::layout).
include!(concat!(env!("OUT_DIR"), "/layout_checks.rs"));

const PY_SSIZE_T_MAX: Py_ssize_t = Py_ssize_t::MAX;

/// Turns a `*mut PyObject` received by a slot of our type into a borrowed
/// reference.
///
/// # Safety
/// `op` is a live object for the duration of the call (slot contract).
#[inline(always)]
unsafe fn borrowed<'a>(op: *mut PyObject) -> Borrowed<'a> {
    // SAFETY: caller's contract.
    unsafe { Borrowed::from_ptr(op) }
}

// ---------------------------------------------------------------------------
// clinic/enumobject.c.h

mod clinic {
    use super::*;

    static _keywords: args::Keywords<3> =
        args::Keywords([c"iterable".as_ptr(), c"start".as_ptr(), core::ptr::null()]);
    // SAFETY: `_keywords` is a NULL-terminated array of static strings.
    static _parser: args::Parser = unsafe { args::Parser::new(_keywords.0.as_ptr(), c"enumerate") };

    /// `enumerate.__new__` (tp_new).
    pub(super) unsafe extern "C" fn enum_new(
        type_: *mut PyTypeObject,
        args: *mut PyObject,
        kwargs: *mut PyObject,
    ) -> *mut PyObject {
        // SAFETY: tp_new receives a live args tuple (and NULL or a dict).
        let argtuple = unsafe { borrowed(args) };
        let nargs = tuple::len(argtuple);
        // SAFETY: tp_new receives NULL or the call's live keyword dict.
        let nkw = unsafe { Borrowed::from_ptr_opt(kwargs) }.map_or(0, api::dict::size);
        // Both counts are small (argument tuple and dict sizes).
        let noptargs = nargs.wrapping_add(nkw).wrapping_sub(1);
        let mut argsbuf: [*mut PyObject; 2] = [null_mut(); 2];
        // SAFETY: the tuple's item array holds `nargs` live objects; argsbuf
        // has room for both parameters.
        let fastargs = unsafe {
            args::unpack_keywords(
                tuple::items_ptr(argtuple),
                nargs,
                kwargs,
                &_parser,
                1,
                2,
                0,
                argsbuf.as_mut_ptr(),
            )
        };
        let fastargs = match fastargs {
            Ok(a) => a,
            Err(_) => return null_mut(),
        };
        // SAFETY: _PyArg_UnpackKeywords returned an array of at least
        // `minpos` live objects, and `noptargs` more when non-zero.
        let (iterable, start) = unsafe {
            let iterable = borrowed(*fastargs);
            let start = if noptargs != 0 {
                Borrowed::from_ptr_opt(*fastargs.add(1))
            } else {
                None
            };
            (iterable, start)
        };
        // SAFETY: tp_new receives a live type.
        result_into_ptr(unsafe { enum_new_impl(type_, iterable, start) })
    }

    /// `reversed.__new__` (tp_new).
    pub(super) unsafe extern "C" fn reversed_new(
        type_: *mut PyTypeObject,
        args: *mut PyObject,
        kwargs: *mut PyObject,
    ) -> *mut PyObject {
        let base_tp = addr_of_mut!(PyReversed_Type);
        // SAFETY: tp_new receives a live type; reading tp_init is fine.
        // (C compares the function pointers; so do we, as addresses.)
        let same_init = unsafe {
            type_ == base_tp
                || (*type_).tp_init.map(|f| f as usize) == (*base_tp).tp_init.map(|f| f as usize)
        };
        // SAFETY: tp_new receives NULL or the call's live keyword dict.
        let kwargs = unsafe { Borrowed::from_ptr_opt(kwargs) };
        if same_init && args::no_keywords(c"reversed", kwargs).is_err() {
            return null_mut();
        }
        // SAFETY: tp_new receives a live args tuple.
        let argtuple = unsafe { borrowed(args) };
        if args::check_positional(c"reversed", tuple::len(argtuple), 1, 1).is_err() {
            return null_mut();
        }
        let Some(seq) = tuple::get(argtuple, 0) else {
            return null_mut();
        };
        // SAFETY: tp_new receives a live type.
        result_into_ptr(unsafe { reversed_new_impl(type_, seq) })
    }
}

// ---------------------------------------------------------------------------
// enumerate

/// The enumerate object (same layout as C's `enumobject`).
///
/// # Invariants
/// `en_sit` and `en_result` are non-NULL once `enum_new_impl` returned the
/// object, and are only written there and in `enum_dealloc`; `en_result`
/// is a tuple of length 2.
#[repr(C)]
pub struct enumobject {
    ob_base: PyObject,
    /// current index of enumeration
    en_index: SsizeCell,
    /// secondary iterator of enumeration
    en_sit: ObjField,
    /// result tuple
    en_result: ObjField,
    /// index for sequences >= PY_SSIZE_T_MAX
    en_longindex: ObjField,
    /// borrowed reference (the immortal int 1)
    one: Cell<*mut PyObject>,
}

impl enumobject {
    /// # Safety
    /// `op` is a live instance of `PyEnum_Type` (or a subclass), alive for
    /// `'a`.
    #[inline(always)]
    unsafe fn cast<'a>(op: *mut PyObject) -> &'a enumobject {
        // SAFETY: caller's contract; the struct is the instance layout.
        unsafe { &*(op as *const enumobject) }
    }
}

/// # Safety
/// `type_` is `PyEnum_Type` or a subclass of it.
unsafe fn enum_new_impl(
    type_: *mut PyTypeObject,
    iterable: Borrowed<'_>,
    start: Option<Borrowed<'_>>,
) -> PyResult<Owned> {
    // SAFETY: instances of type_ have enumobject's layout.
    let obj = unsafe { alloc::tp_alloc(type_)? };
    // SAFETY: just allocated (zero-filled) with our layout, and `obj` keeps
    // it alive.
    let en = unsafe { enumobject::cast(obj.as_ptr()) };
    if let Some(start) = start {
        let start = api::number::index(start)?;
        debug_assert!(api::long::check(start.borrow()));
        match api::long::as_ssize_t(start.borrow()) {
            Ok(i) => {
                en.en_index.set(i);
                en.en_longindex.set(None);
            }
            Err(e) => {
                err::clear(e);
                en.en_index.set(PY_SSIZE_T_MAX);
                en.en_longindex.set(Some(start));
            }
        }
    } else {
        en.en_index.set(0);
        en.en_longindex.set(None);
    }
    en.en_sit.set(Some(api::iter::get_iter(iterable)?));
    en.en_result.set(Some(api::tuple::pack(&[
        api::object::none(),
        api::object::none(),
    ])?));
    en.one.set(api::long::one().as_ptr());
    Ok(obj)
}

fn check_keyword(
    a: &vectorcall::Args<'_>,
    index: Py_ssize_t,
    name: &core::ffi::CStr,
) -> PyResult<()> {
    let Some(kw) = a.kwname(index) else {
        return Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("bad keyword names"),
        ));
    };
    if !api::unicode::equal_to_ascii(kw, name) {
        return Err(err::format_obj(
            Exc::TypeError,
            c"'%S' is an invalid keyword argument for enumerate()",
            kw,
        ));
    }
    Ok(())
}

// TODO (as in C): Use AC when bpo-43447 is supported
unsafe extern "C" fn enumerate_vectorcall(
    type_: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    let tp = type_ as *mut PyTypeObject;
    // SAFETY: the vectorcall contract.
    let a = unsafe { vectorcall::Args::new(args, nargsf, kwnames) };
    // SAFETY: this vectorcall is only installed on PyEnum_Type.
    result_into_ptr(unsafe { enumerate_vectorcall_result(tp, a) })
}

/// # Safety
/// `tp` is `PyEnum_Type`.
unsafe fn enumerate_vectorcall_result(
    tp: *mut PyTypeObject,
    a: vectorcall::Args<'_>,
) -> PyResult<Owned> {
    let nargs = a.nargs();
    let nkwargs = a.nkwargs();
    // Argument counts are bounded by the call's argument array.
    let total = nargs.wrapping_add(nkwargs);
    let arg = |i| {
        a.get(i)
            .ok_or_else(|| err::set_string(Exc::TypeError, cpython_sys::cmsg!("missing argument")))
    };

    // Manually implement enumerate(iterable, start=...)
    if total == 2 {
        if nkwargs == 1 {
            check_keyword(&a, 0, c"start")?;
        } else if nkwargs == 2 {
            let kw0 = a.kwname(0);
            if kw0.is_some_and(|k| api::unicode::equal_to_ascii(k, c"start")) {
                check_keyword(&a, 1, c"iterable")?;
                // SAFETY: forwarded caller contract.
                return unsafe { enum_new_impl(tp, arg(1)?, Some(arg(0)?)) };
            }
            check_keyword(&a, 0, c"iterable")?;
            check_keyword(&a, 1, c"start")?;
        }
        // SAFETY: forwarded caller contract.
        return unsafe { enum_new_impl(tp, arg(0)?, Some(arg(1)?)) };
    }

    if total == 1 {
        if nkwargs == 1 {
            check_keyword(&a, 0, c"iterable")?;
        }
        // SAFETY: forwarded caller contract.
        return unsafe { enum_new_impl(tp, arg(0)?, None) };
    }

    if nargs == 0 {
        return Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("enumerate() missing required argument 'iterable'"),
        ));
    }

    Err(err::format_ssize(
        Exc::TypeError,
        c"enumerate() takes at most 2 arguments (%zd given)",
        total,
    ))
}

unsafe extern "C" fn enum_dealloc(op: *mut PyObject) {
    // SAFETY: tp_dealloc receives our instance with refcount zero.
    unsafe {
        gc::untrack(op);
        let en = enumobject::cast(op);
        en.en_sit.clear();
        en.en_result.clear();
        en.en_longindex.clear();
        alloc::tp_free(op);
    }
}

unsafe extern "C" fn enum_traverse(
    op: *mut PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: tp_traverse receives a live instance of our type.
    let en = unsafe { enumobject::cast(op) };
    for field in [&en.en_sit, &en.en_result, &en.en_longindex] {
        // SAFETY: visit/arg come from the GC; the member is NULL or live.
        let r = unsafe { gc::visit(field.as_ptr(), visit, arg) };
        if r != 0 {
            return r;
        }
    }
    0
}

/// Builds the `(index, item)` result, recycling the cached result tuple
/// when nobody else holds it (the common tail of enum_next and
/// enum_next_long in C).
#[inline(always)]
fn enum_result(en: &enumobject, next_index: Owned, next_item: Owned) -> PyResult<Owned> {
    // SAFETY: en_result is only written at creation and deallocation (type
    // invariant), so it outlives this call.
    if let Some(result) = unsafe { en.en_result.borrow() } {
        // SAFETY: en_result is the 2-tuple made in enum_new_impl (invariant).
        return match unsafe { tuple::recycle_pair(result, next_index, next_item) } {
            Ok(t) => Ok(t),
            Err((next_index, next_item)) => api::tuple::from_owned([next_index, next_item]),
        };
    }
    api::tuple::from_owned([next_index, next_item])
}

fn enum_next_long(en: &enumobject, next_item: Owned) -> PyResult<Owned> {
    // Free-threaded, one long step at a time per enumerate (under the
    // object's critical section, as is __reduce__'s read of the index):
    // next() calls racing on the field would otherwise read an index
    // another thread is releasing (C's 3.13 enumerate crashes there).
    // With the GIL the section is nothing.
    // SAFETY: `en` is a live enumerate object (its header first).
    let obj = unsafe { Borrowed::from_ptr(en as *const enumobject as *mut PyObject) };
    let next_index = api::critical_section::with(obj, || enum_step_long(en))?;
    enum_result(en, next_index, next_item)
}

/// The long index's step of enum_next_long: returns the index for the
/// result and stores the next one.  The caller holds the object's
/// critical section.
#[inline(always)]
fn enum_step_long(en: &enumobject) -> PyResult<Owned> {
    if en.en_longindex.is_null() {
        en.en_longindex
            .set(Some(api::long::from_ssize_t(PY_SSIZE_T_MAX)?));
    }
    // SAFETY: `one` is the immortal small int 1, set at creation.
    let one = unsafe { Borrowed::from_ptr(en.one.get()) };
    let missing = || {
        err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("enumerate index missing"),
        )
    };
    // SAFETY: nothing replaces the field during the addition: the index
    // is an exact int (PyNumber_Index made it, and sums of exact ints are
    // exact ints), int + int runs no Python code, and every other writer
    // (this step; deallocation, which nothing can race) holds the
    // critical section, or the GIL.
    let index = unsafe { en.en_longindex.borrow() }.ok_or_else(missing)?;
    let stepped_up = api::number::add(index, one)?;
    // The field's reference moves to the result, as in C.
    en.en_longindex
        .replace(Some(stepped_up))
        .ok_or_else(missing)
}

unsafe extern "C" fn enum_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iternext receives a live instance of our type.
    let en = unsafe { enumobject::cast(op) };
    // SAFETY: en_sit is set at creation and only cleared at deallocation
    // (type invariant), which cannot happen while we are being called.
    let Some(it) = (unsafe { en.en_sit.borrow() }) else {
        return null_mut();
    };
    let Some(next_item) = api::iter::next(it) else {
        return null_mut();
    };
    opt_result_into_ptr(enum_next_result(en, next_item).map(Some))
}

fn enum_next_result(en: &enumobject, next_item: Owned) -> PyResult<Owned> {
    if en.en_index.get() == PY_SSIZE_T_MAX {
        return enum_next_long(en, next_item);
    }
    let next_index = api::long::from_ssize_t(en.en_index.get())?;
    // Cannot overflow: the PY_SSIZE_T_MAX case took the branch above.
    en.en_index.set(en.en_index.get().wrapping_add(1));
    enum_result(en, next_index, next_item)
}

unsafe extern "C" fn enum_reduce(op: *mut PyObject, _ignored: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type: `op` is a live instance.
    let en = unsafe { enumobject::cast(op) };
    // SAFETY: as above.
    let tp = unsafe { borrowed(op) }.type_object().new_ref();
    let r = (|| {
        let Some(sit) = en.en_sit.get_owned() else {
            return Err(err::set_string(
                Exc::TypeError,
                cpython_sys::cmsg!("enumerate object not initialized"),
            ));
        };
        // Under the critical section of next()'s long step (free-threaded):
        // the index read here is not released meanwhile.
        // SAFETY: `op` is a live enumerate object.
        let longindex =
            api::critical_section::with(unsafe { borrowed(op) }, || en.en_longindex.get_owned());
        let state = match longindex {
            Some(longindex) => api::tuple::from_owned([sit, longindex])?,
            None => api::tuple::from_owned([sit, api::long::from_ssize_t(en.en_index.get())?])?,
        };
        api::tuple::from_owned([tp, state])
    })();
    result_into_ptr(r)
}

static enum_methods: MethodTable<3> = MethodTable([
    ffi::PyMethodDef {
        ml_name: c"__reduce__".as_ptr(),
        ml_meth: as_pycfunction!(enum_reduce),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::reduce_doc.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__class_getitem__".as_ptr(),
        ml_meth: Some(ffi::Py_GenericAlias),
        ml_flags: (ffi::METH_O | ffi::METH_CLASS) as c_int,
        ml_doc: c"'enumerate' objects are generic over the type of their values".as_ptr(),
    },
    METHOD_SENTINEL,
]);

/// `PyEnum_Type`, exported to C exactly as `Objects/enumobject.c` does.
#[no_mangle]
pub static mut PyEnum_Type: PyTypeObject = PyTypeObject {
    ob_base: PyType_HEAD_INIT!(),
    tp_name: c"enumerate".as_ptr(),
    tp_basicsize: core::mem::size_of::<enumobject>() as Py_ssize_t,
    tp_itemsize: 0,
    tp_dealloc: Some(enum_dealloc),
    tp_getattro: Some(ffi::PyObject_GenericGetAttr),
    tp_flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC | ffi::Py_TPFLAGS_BASETYPE) as _,
    tp_doc: doc::enum_new__doc__.as_ptr(),
    tp_traverse: Some(enum_traverse),
    tp_iter: Some(ffi::PyObject_SelfIter),
    tp_iternext: Some(enum_next),
    tp_methods: enum_methods.as_ptr(),
    tp_alloc: Some(ffi::PyType_GenericAlloc),
    tp_new: Some(clinic::enum_new),
    tp_free: Some(ffi::PyObject_GC_Del),
    tp_vectorcall: Some(enumerate_vectorcall),
    ..zeroed_type()
};

// ---------------------------------------------------------------------------
// Reversed Object

/// The reversed object (same layout as C's `reversedobject`).
///
/// # Invariants
/// `seq` is NULL once the iterator is exhausted, otherwise the sequence.
#[repr(C)]
pub struct reversedobject {
    ob_base: PyObject,
    index: SsizeCell,
    seq: ObjField,
}

impl reversedobject {
    /// # Safety
    /// `op` is a live instance of `PyReversed_Type` (or a subclass), alive
    /// for `'a`.
    #[inline(always)]
    unsafe fn cast<'a>(op: *mut PyObject) -> &'a reversedobject {
        // SAFETY: caller's contract; the struct is the instance layout.
        unsafe { &*(op as *const reversedobject) }
    }
}

/// # Safety
/// `type_` is `PyReversed_Type` or a subclass of it.
unsafe fn reversed_new_impl(type_: *mut PyTypeObject, seq: Borrowed<'_>) -> PyResult<Owned> {
    let reversed_meth = api::object::lookup_special(seq, api::unicode::id_reversed())?;
    if let Some(reversed_meth) = reversed_meth {
        if reversed_meth.is(api::object::none().as_ptr()) {
            drop(reversed_meth);
            // SAFETY: tp_name of a live type is a NUL-terminated string.
            return Err(unsafe {
                err::format_cstr(
                    Exc::TypeError,
                    c"'%.200s' object is not reversible",
                    seq.type_name(),
                )
            });
        }
        return api::call::no_args(reversed_meth.borrow());
    }

    if !api::sequence::check(seq) {
        // SAFETY: tp_name of a live type is a NUL-terminated string.
        return Err(unsafe {
            err::format_cstr(
                Exc::TypeError,
                c"'%.200s' object is not reversible",
                seq.type_name(),
            )
        });
    }

    let n = api::sequence::size(seq)?;

    // SAFETY: instances of type_ have reversedobject's layout.
    let obj = unsafe { alloc::tp_alloc(type_)? };
    // SAFETY: just allocated with our layout; `obj` keeps it alive.
    let ro = unsafe { reversedobject::cast(obj.as_ptr()) };
    // n >= 0 (a successful PySequence_Size).
    ro.index.set(n.wrapping_sub(1));
    ro.seq.set(Some(seq.new_ref()));
    Ok(obj)
}

unsafe extern "C" fn reversed_vectorcall(
    type_: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the vectorcall contract: NULL or the live keyword-name tuple.
    if args::no_kwnames(c"reversed", unsafe { Borrowed::from_ptr_opt(kwnames) }).is_err() {
        return null_mut();
    }
    // SAFETY: the vectorcall contract.
    let a = unsafe { vectorcall::Args::new(args, nargsf, kwnames) };
    if args::check_positional(c"reversed", a.nargs(), 1, 1).is_err() {
        return null_mut();
    }
    let Some(seq) = a.get(0) else {
        return null_mut();
    };
    // SAFETY: only installed on PyReversed_Type.
    result_into_ptr(unsafe { reversed_new_impl(type_ as *mut PyTypeObject, seq) })
}

unsafe extern "C" fn reversed_dealloc(op: *mut PyObject) {
    // SAFETY: tp_dealloc receives our instance with refcount zero.
    unsafe {
        gc::untrack(op);
        reversedobject::cast(op).seq.clear();
        alloc::tp_free(op);
    }
}

unsafe extern "C" fn reversed_traverse(
    op: *mut PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: tp_traverse receives a live instance; visit/arg from the GC.
    unsafe { gc::visit(reversedobject::cast(op).seq.as_ptr(), visit, arg) }
}

unsafe extern "C" fn reversed_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iternext receives a live instance of our type.
    let ro = unsafe { reversedobject::cast(op) };
    let index = ro.index.get();

    if index >= 0 {
        // SAFETY: `seq` is only cleared by reversed_next and dealloc; the
        // borrow is used for a call that runs no Python code (item access
        // of an exact tuple, bytes or str), or pinned.
        if let Some(seq) = unsafe { ro.seq.borrow() } {
            let item = if api::tuple::check_exact(seq) {
                // tupleitem, inline: the item itself for an index in
                // bounds (always, as a tuple cannot shrink), else the
                // IndexError of PySequence_GetItem.
                match tuple::get(seq, index) {
                    Some(item) => Ok(item.new_ref()),
                    None => api::sequence::get_item(seq, index),
                }
            } else if api::unicode::check_exact(seq) {
                // str's item access runs no Python code (it makes a
                // one-character str): `seq` stays ours without a pin.
                api::sequence::get_item_nonneg(seq, index)
            } else if api::bytes::check_exact(seq) {
                // bytes_item, inline: the small int of the byte; an index
                // out of bounds gets PySequence_GetItem's IndexError (no
                // Python code runs either way).
                match api::bytes::item_exact(seq, index) {
                    Some(item) => Ok(item),
                    None => api::sequence::get_item_nonneg(seq, index),
                }
            } else {
                reversed_getitem_pinned(seq, index)
            };
            match item {
                Ok(item) => {
                    // C's `ro->index--`; index >= -1 always (see setstate).
                    ro.index.set(ro.index.get().wrapping_sub(1));
                    return item.into_raw();
                }
                Err(e) => return reversed_stop(ro, Some(e)),
            }
        }
    }
    reversed_stop(ro, None)
}

/// `PySequence_GetItem` on a sequence whose `__getitem__` may run Python
/// code, which may re-enter this iterator and clear `seq` (C would then
/// use freed memory): the call holds its own reference.
#[inline(always)]
fn reversed_getitem_pinned(seq: Borrowed<'_>, index: Py_ssize_t) -> PyResult<Owned> {
    let pinned = seq.new_ref();
    // index >= 0 (the caller's test).
    api::sequence::get_item_nonneg(pinned.borrow(), index)
}

/// The end of iteration: IndexError and StopIteration from the sequence
/// become a plain stop, other errors propagate.
#[cold]
fn reversed_stop(ro: &reversedobject, e: Option<cpython_sys::PyErr>) -> *mut PyObject {
    if let Some(e) = e {
        if err::exception_matches(&e, Exc::IndexError)
            || err::exception_matches(&e, Exc::StopIteration)
        {
            err::clear(e);
        }
    }
    ro.index.set(-1);
    ro.seq.clear();
    null_mut()
}

unsafe extern "C" fn reversed_len(op: *mut PyObject, _ignored: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    let ro = unsafe { reversedobject::cast(op) };
    let r = (|| {
        let Some(seq) = ro.seq.get_owned() else {
            return api::long::from_ssize_t(0);
        };
        let seqsize = api::sequence::size(seq.borrow())?;
        // index <= PY_SSIZE_T_MAX - 1 (a sequence size minus one).
        let position = ro.index.get().wrapping_add(1);
        api::long::from_ssize_t(if seqsize < position { 0 } else { position })
    })();
    result_into_ptr(r)
}

unsafe extern "C" fn reversed_reduce(op: *mut PyObject, _ignored: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS method of our type.
    let ro = unsafe { reversedobject::cast(op) };
    // SAFETY: as above.
    let tp = unsafe { borrowed(op) }.type_object().new_ref();
    let r = (|| match ro.seq.get_owned() {
        Some(seq) => {
            let args = api::tuple::from_owned([seq])?;
            api::tuple::from_owned([tp, args, api::long::from_ssize_t(ro.index.get())?])
        }
        None => {
            let empty = api::tuple::from_owned([])?;
            api::tuple::from_owned([tp, api::tuple::from_owned([empty])?])
        }
    })();
    result_into_ptr(r)
}

unsafe extern "C" fn reversed_setstate(op: *mut PyObject, state: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O method of our type; `state` is live for the call.
    let (ro, state) = unsafe { (reversedobject::cast(op), borrowed(state)) };
    let r = (|| {
        let mut index = api::long::as_ssize_t(state)?;
        if let Some(seq) = ro.seq.get_owned() {
            let n = api::sequence::size(seq.borrow())?;
            if index < -1 {
                index = -1;
            } else if index > n.wrapping_sub(1) {
                // n >= 0 (a successful PySequence_Size).
                index = n.wrapping_sub(1);
            }
            ro.index.set(index);
        }
        Ok(api::object::none_ref())
    })();
    result_into_ptr(r)
}

static reversediter_methods: MethodTable<4> = MethodTable([
    ffi::PyMethodDef {
        ml_name: c"__length_hint__".as_ptr(),
        ml_meth: as_pycfunction!(reversed_len),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::length_hint_doc.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__reduce__".as_ptr(),
        ml_meth: as_pycfunction!(reversed_reduce),
        ml_flags: ffi::METH_NOARGS as c_int,
        ml_doc: doc::reduce_doc.as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"__setstate__".as_ptr(),
        ml_meth: as_pycfunction!(reversed_setstate),
        ml_flags: ffi::METH_O as c_int,
        ml_doc: doc::setstate_doc.as_ptr(),
    },
    METHOD_SENTINEL,
]);

/// `PyReversed_Type`, exported to C exactly as `Objects/enumobject.c` does.
#[no_mangle]
pub static mut PyReversed_Type: PyTypeObject = PyTypeObject {
    ob_base: PyType_HEAD_INIT!(),
    tp_name: c"reversed".as_ptr(),
    tp_basicsize: core::mem::size_of::<reversedobject>() as Py_ssize_t,
    tp_itemsize: 0,
    tp_dealloc: Some(reversed_dealloc),
    tp_getattro: Some(ffi::PyObject_GenericGetAttr),
    tp_flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC | ffi::Py_TPFLAGS_BASETYPE) as _,
    tp_doc: doc::reversed_new__doc__.as_ptr(),
    tp_traverse: Some(reversed_traverse),
    tp_iter: Some(ffi::PyObject_SelfIter),
    tp_iternext: Some(reversed_next),
    tp_methods: reversediter_methods.as_ptr(),
    tp_alloc: Some(ffi::PyType_GenericAlloc),
    tp_new: Some(clinic::reversed_new),
    tp_free: Some(ffi::PyObject_GC_Del),
    tp_vectorcall: Some(reversed_vectorcall),
    ..zeroed_type()
};
