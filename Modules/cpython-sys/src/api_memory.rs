//! Safe wrappers for the C API that `Objects/memoryobject` uses beyond
//! [`crate::api`]: exceptions with more types and format arguments, number
//! conversions of the struct-module item types, bytes/list/slice helpers,
//! raw memory (`PyMem_*`), hashing, `_Py_strhex_with_sep` and the fastcall
//! flavour of `_PyArg_UnpackKeywords`.
//!
//! Same conventions as `api.rs`: every function needs an attached thread
//! state, takes `Borrowed`/`Owned` references, and returns `Err(PyErr)`
//! only with an exception set.

use crate::ffi::{self, PyObject, PyTypeObject, Py_hash_t, Py_ssize_t};
use crate::inline::{PyType_HasFeature, Py_TYPE};
use crate::object::{Borrowed, Owned, PyErr, PyResult};
use core::ffi::{c_char, c_int, c_long, c_void, CStr};
use core::ptr::NonNull;

#[inline(always)]
fn fail<T>() -> PyResult<T> {
    // SAFETY: only called right after a C API call reported failure, which
    // means it set an exception.
    Err(unsafe { PyErr::assume_set() })
}

/// The exception types raised by the memoryview implementation: the one
/// enum of the safe layer (`api::Exc`), with the setters memoryview uses.
pub use crate::api::Exc as ExcType;

impl ExcType {
    #[inline]
    /// `PyErr_SetString(exc, msg)`.
    pub fn set(self, msg: crate::api::err::Msg) -> PyErr {
        // SAFETY: valid exception type, NUL-terminated message.
        unsafe {
            ffi::PyErr_SetString(self.as_ptr(), msg.as_cstr().as_ptr());
            PyErr::assume_set()
        }
    }

    #[inline]
    /// `PyErr_Format(exc, fmt, s)` for a format with one `%s`/`%.200s`.
    pub fn format_str(self, fmt: &CStr, s: &CStr) -> PyErr {
        // SAFETY: the format takes one char* (caller's contract, checked
        // by the tests comparing messages with C).
        unsafe {
            ffi::PyErr_Format(self.as_ptr(), fmt.as_ptr(), s.as_ptr());
            PyErr::assume_set()
        }
    }

    #[inline]
    /// `PyErr_Format(exc, fmt, s)` where `s` comes from C (`tp_name`).
    ///
    /// # Safety
    /// `s` is a NUL-terminated string.
    pub unsafe fn format_raw_str(self, fmt: &CStr, s: *const c_char) -> PyErr {
        // SAFETY: caller guarantees `s`; the format takes one char*.
        unsafe {
            ffi::PyErr_Format(self.as_ptr(), fmt.as_ptr(), s);
            PyErr::assume_set()
        }
    }

    #[inline]
    /// `PyErr_Format(exc, fmt, n)` for a format with one `%d`.
    pub fn format_int(self, fmt: &CStr, n: c_int) -> PyErr {
        // SAFETY: the format takes one int.
        unsafe {
            ffi::PyErr_Format(self.as_ptr(), fmt.as_ptr(), n);
            PyErr::assume_set()
        }
    }

    #[inline]
    /// `PyErr_Format(exc, fmt, a, b)` for a format with `%d` then `%zd`.
    pub fn format_int_ssize(self, fmt: &CStr, a: c_int, b: Py_ssize_t) -> PyErr {
        // SAFETY: the format takes one int and one Py_ssize_t.
        unsafe {
            ffi::PyErr_Format(self.as_ptr(), fmt.as_ptr(), a, b);
            PyErr::assume_set()
        }
    }

    #[inline]
    /// `PyErr_Format(exc, fmt, n, s)` for a format with `%zd` then `%s`.
    pub fn format_ssize_str(self, fmt: &CStr, n: Py_ssize_t, s: &CStr) -> PyErr {
        // SAFETY: the format takes one Py_ssize_t and one char*.
        unsafe {
            ffi::PyErr_Format(self.as_ptr(), fmt.as_ptr(), n, s.as_ptr());
            PyErr::assume_set()
        }
    }

    #[inline]
    /// `PyErr_ExceptionMatches(exc)` for the exception `_e` stands for.
    pub fn matches(self, _e: &PyErr) -> bool {
        // SAFETY: an exception is set (PyErr invariant).
        unsafe { ffi::PyErr_ExceptionMatches(self.as_ptr()) != 0 }
    }
}

#[inline]
/// `PyErr_NoMemory()`.
pub fn no_memory() -> PyErr {
    // SAFETY: no preconditions.
    unsafe {
        ffi::PyErr_NoMemory();
        PyErr::assume_set()
    }
}

#[inline]
/// `PyErr_BadInternalCall()` as raised from `file`.
pub fn bad_internal_call(file: &CStr, line: c_int) -> PyErr {
    // SAFETY: NUL-terminated file name.
    unsafe {
        ffi::_PyErr_BadInternalCall(file.as_ptr(), line);
        PyErr::assume_set()
    }
}

#[inline]
/// `_PyArg_BadArgument(fname, displayname, expected, arg)`.
pub fn bad_argument(fname: &CStr, displayname: &CStr, expected: &CStr, arg: Borrowed<'_>) -> PyErr {
    // SAFETY: NUL-terminated strings and a live object.
    unsafe {
        ffi::_PyArg_BadArgument(
            fname.as_ptr(),
            displayname.as_ptr(),
            expected.as_ptr(),
            arg.as_ptr(),
        );
        PyErr::assume_set()
    }
}

// ---------------------------------------------------------------------------
// Raw memory

/// Memory from `PyMem_Malloc`, freed on drop.
///
/// # Invariants
/// `ptr` was returned by `PyMem_Malloc(len)` (non-NULL; `len` may be 0) and
/// is freed exactly once, by `Drop`.
pub struct PyMemBlock {
    ptr: NonNull<u8>,
    len: usize,
}

impl PyMemBlock {
    /// `PyMem_Malloc(len)`; `MemoryError` on failure.
    #[inline]
    pub fn new(len: usize) -> PyResult<PyMemBlock> {
        // SAFETY: plain allocation (PyMem_Malloc(0) returns a unique
        // non-NULL pointer).
        let p = unsafe { ffi::PyMem_Malloc(len) } as *mut u8;
        match NonNull::new(p) {
            // INVARIANT: fresh allocation of `len` bytes.
            Some(ptr) => Ok(PyMemBlock { ptr, len }),
            None => Err(no_memory()),
        }
    }

    #[inline]
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for PyMemBlock {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: allocated by PyMem_Malloc, freed once (invariant).
        unsafe { ffi::PyMem_Free(self.ptr.as_ptr() as *mut c_void) }
    }
}

/// `PyMem_Malloc(len)` for memory whose ownership passes to C (e.g. a
/// format string freed by `PyMem_Free` in a deallocator).
pub fn mem_malloc_raw(len: usize) -> PyResult<NonNull<u8>> {
    // SAFETY: plain allocation.
    let p = unsafe { ffi::PyMem_Malloc(len) } as *mut u8;
    NonNull::new(p).ok_or_else(no_memory)
}

/// `PyMem_Free(p)`.
///
/// # Safety
/// `p` is NULL or came from `PyMem_Malloc` and is not used afterwards.
#[inline]
pub unsafe fn mem_free_raw(p: *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyMem_Free(p) }
}

// ---------------------------------------------------------------------------
// Objects

#[inline]
/// `Py_Ellipsis`.
pub fn ellipsis() -> *mut PyObject {
    core::ptr::addr_of_mut!(ffi::_Py_EllipsisObject)
}

#[inline]
/// `Py_IS_TYPE(o, tp)`.
pub fn is_type(o: Borrowed<'_>, tp: *mut PyTypeObject) -> bool {
    o.type_ptr() == tp
}

#[inline]
/// `_PyIndex_Check(o)`: the type has `nb_index`.
pub fn index_check(o: Borrowed<'_>) -> bool {
    // SAFETY: a live object's type is live; tp_as_number is NULL or valid.
    unsafe {
        let nb = (*Py_TYPE(o.as_ptr())).tp_as_number;
        !nb.is_null() && (*nb).nb_index.is_some()
    }
}

#[inline]
/// `PySlice_Check(o)`.
pub fn slice_check(o: Borrowed<'_>) -> bool {
    is_type(o, core::ptr::addr_of_mut!(ffi::PySlice_Type))
}

#[inline]
/// `PyBytes_Check(o)`.
pub fn bytes_check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_BYTES_SUBCLASS as u64) }
}

#[inline]
/// `PyBytes_CheckExact(o)`.
pub fn bytes_check_exact(o: Borrowed<'_>) -> bool {
    crate::api::bytes_check_exact(o)
}

#[inline]
/// `PyUnicode_Check(o)`.
pub fn unicode_check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_UNICODE_SUBCLASS as u64) }
}

#[inline]
/// `PyList_Check(o)`.
pub fn list_check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_LIST_SUBCLASS as u64) }
}

/// The contents of a bytes object (`PyBytes_AS_STRING`, `PyBytes_GET_SIZE`),
/// `None` when `o` is not bytes.
#[inline]
pub fn bytes_as_slice<'a>(o: Borrowed<'a>) -> Option<&'a [u8]> {
    if !bytes_check(o) {
        return None;
    }
    // SAFETY: a bytes object (checked) holds ob_size bytes at ob_sval, which
    // never change after creation and live as long as the object.
    unsafe {
        let b = o.as_ptr() as *mut ffi::PyBytesObject;
        let n = (*b).ob_base.ob_size;
        let p = core::ptr::addr_of!((*b).ob_sval) as *const u8;
        Some(core::slice::from_raw_parts(p, usize::try_from(n).ok()?))
    }
}

/// `PyBytes_AS_STRING(o)`: the NUL-terminated contents of a bytes object
/// (valid as long as `o`), `None` when `o` is not bytes.  What C code that
/// reads a bytes object as a C string sees: the bytes up to the first NUL.
#[inline]
pub fn bytes_as_cstr_ptr(o: Borrowed<'_>) -> Option<*const c_char> {
    if !bytes_check(o) {
        return None;
    }
    // SAFETY: a bytes object (checked); ob_sval holds ob_size bytes and a
    // NUL after them, unchanged for the object's lifetime.
    Some(
        unsafe { core::ptr::addr_of!((*(o.as_ptr() as *mut ffi::PyBytesObject)).ob_sval) }
            as *const c_char,
    )
}

#[inline]
/// `PyBytes_FromStringAndSize(bytes, len)`.
pub fn bytes_from_slice(bytes: &[u8]) -> PyResult<Owned> {
    // SAFETY: `bytes` is readable for its length; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::PyBytes_FromStringAndSize(
            bytes.as_ptr() as *const c_char,
            bytes.len() as Py_ssize_t,
        ))
    }
}

#[inline]
/// `PyBytes_FromString(s)`.
pub fn bytes_from_cstr(s: &CStr) -> PyResult<Owned> {
    // SAFETY: NUL-terminated; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyBytes_FromString(s.as_ptr())) }
}

/// A new, uninitialised bytes object of `len` bytes
/// (`PyBytes_FromStringAndSize(NULL, len)`) and the address of its
/// contents, which the caller must fill before exposing the object.
#[inline]
pub fn bytes_new_uninit(len: Py_ssize_t) -> PyResult<(Owned, *mut u8)> {
    // SAFETY: NULL source means "uninitialised"; new reference or NULL.
    let b =
        unsafe { Owned::from_owned_ptr(ffi::PyBytes_FromStringAndSize(core::ptr::null(), len))? };
    // SAFETY: a fresh bytes object; ob_sval has room for len + 1 bytes.
    let p = unsafe {
        core::ptr::addr_of_mut!((*(b.as_ptr() as *mut ffi::PyBytesObject)).ob_sval) as *mut u8
    };
    Ok((b, p))
}

/// `PyUnicode_New(len, 127)`: a new, uninitialised ASCII str and its
/// character data (`len` bytes, to be filled with ASCII before the str is
/// used; the NUL terminator is already written).
pub fn ascii_new_uninit(len: Py_ssize_t) -> PyResult<(Owned, *mut u8)> {
    // SAFETY: new reference or NULL.
    let s = unsafe { Owned::from_owned_ptr(ffi::PyUnicode_New(len, 127))? };
    // SAFETY: a str of maxchar 127 is compact ASCII: its characters follow
    // the PyASCIIObject header (`PyUnicode_DATA`).
    let p = unsafe { (s.as_ptr() as *mut ffi::PyASCIIObject).add(1) as *mut u8 };
    Ok((s, p))
}

#[inline]
/// `PyUnicode_AsASCIIString(o)`.
pub fn unicode_as_ascii_string(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: live object; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyUnicode_AsASCIIString(o.as_ptr())) }
}

/// `PyUnicode_AsUTF8AndSize(o, &len)` as bytes (without the trailing NUL),
/// valid while `o` is alive.
#[inline]
pub fn unicode_as_utf8<'a>(o: Borrowed<'a>) -> PyResult<&'a [u8]> {
    let mut n: Py_ssize_t = 0;
    // SAFETY: live str object; the UTF-8 cache lives as long as `o`.
    let p = unsafe { ffi::PyUnicode_AsUTF8AndSize(o.as_ptr(), &mut n) };
    if p.is_null() {
        return fail();
    }
    // SAFETY: non-NULL result points to n bytes (plus NUL).
    Ok(unsafe { core::slice::from_raw_parts(p as *const u8, n as usize) })
}

#[inline]
/// `PyUnicode_FromString(s)`.
///
/// # Safety
/// `s` is a NUL-terminated UTF-8 string.
pub unsafe fn unicode_from_raw_cstr(s: *const c_char) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyUnicode_FromString(s)) }
}

#[inline]
/// `PyUnicode_FromFormat(fmt, p)` for a format with one `%p` (the address
/// is only printed).
pub fn unicode_from_format_ptr(fmt: &CStr, addr: usize) -> PyResult<Owned> {
    // SAFETY: the format takes one pointer, which it only prints.
    unsafe {
        Owned::from_owned_ptr(ffi::PyUnicode_FromFormat(
            fmt.as_ptr(),
            addr as *const c_void,
        ))
    }
}

#[inline]
/// `PyList_New(n)`.
pub fn list_new(n: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyList_New(n)) }
}

/// The item array of a list (`ob_item`), for filling a list fresh from
/// [`list_new`] slot by slot.
#[inline]
pub fn list_items(list: Borrowed<'_>) -> *mut *mut PyObject {
    if !list_check(list) {
        return core::ptr::null_mut();
    }
    // SAFETY: a live list object.
    unsafe { (*(list.as_ptr() as *mut ffi::PyListObject)).ob_item }
}

/// `PyList_SET_ITEM(list, i, v)` on a list fresh from [`list_new`]: the
/// slot takes the reference.
///
/// # Safety
/// `list` is a list created by [`list_new`] with length > `i >= 0`, whose
/// slot `i` is still NULL.
#[inline]
pub unsafe fn list_set_fresh(list: Borrowed<'_>, i: Py_ssize_t, v: Owned) {
    // SAFETY: caller's contract: ob_item has room for index i.
    unsafe {
        let l = list.as_ptr() as *mut ffi::PyListObject;
        *(*l).ob_item.offset(i) = v.into_raw();
    }
}

/// `PySequence_Fast_GET_SIZE` for a list or tuple (0 otherwise).
#[inline]
pub fn fast_len(seq: Borrowed<'_>) -> Py_ssize_t {
    if list_check(seq) || crate::api::tuple::check(seq) {
        // SAFETY: lists and tuples are PyVarObjects whose ob_size is the
        // length.
        unsafe { crate::inline::Py_SIZE(seq.as_ptr()) }
    } else {
        0
    }
}

/// `PySequence_Fast_GET_ITEM(seq, i)` for a list or tuple, bounds-checked.
/// The result is a new reference (a list may change under Python code).
#[inline]
pub fn fast_item(seq: Borrowed<'_>, i: Py_ssize_t) -> Option<Owned> {
    if i < 0 || i >= fast_len(seq) {
        return None;
    }
    // SAFETY: list or tuple with i in bounds; items are live (a tuple
    // being filled is never passed here).
    unsafe {
        let p = if list_check(seq) {
            *(*(seq.as_ptr() as *mut ffi::PyListObject))
                .ob_item
                .offset(i)
        } else {
            crate::inline::PyTuple_GET_ITEM(seq.as_ptr(), i)
        };
        Borrowed::from_ptr_opt(p).map(Borrowed::new_ref)
    }
}

// ---------------------------------------------------------------------------
// Numbers

#[inline]
/// `PyLong_FromLongLong(v)`.
pub fn long_from_i64(v: i64) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromLongLong(v)) }
}

#[inline]
/// `PyLong_FromUnsignedLongLong(v)`.
pub fn long_from_u64(v: u64) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromUnsignedLongLong(v)) }
}

#[inline]
/// `PyLong_FromLong(v)`.
pub fn long_from_long(v: c_long) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromLong(v)) }
}

#[inline]
/// `PyLong_FromVoidPtr(p)`.
pub fn long_from_void_ptr(p: usize) -> PyResult<Owned> {
    // SAFETY: the pointer is only converted to an int.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromVoidPtr(p as *mut c_void)) }
}

#[inline]
/// `PyFloat_FromDouble(v)`.
pub fn float_from_f64(v: f64) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyFloat_FromDouble(v)) }
}

#[inline]
/// `PyBool_FromLong(v)`.
pub fn bool_from(v: bool) -> Owned {
    // SAFETY: True/False are immortal; a new reference to one of them.
    unsafe { Borrowed::from_ptr(crate::inline::Py_Bool(v)).new_ref() }
}

/// Native byte order for `PyFloat_Pack2`/`PyFloat_Unpack2`.
const LE: c_int = if cfg!(target_endian = "little") { 1 } else { 0 };

#[inline]
/// `PyFloat_Unpack2(bits, PY_LITTLE_ENDIAN)` for a native half float.
pub fn float_unpack2(bits: u16) -> f64 {
    let b = bits.to_ne_bytes();
    // SAFETY: reads the two bytes of `b`; never fails for 'e'.
    unsafe { ffi::PyFloat_Unpack2(b.as_ptr() as *const c_char, LE) }
}

#[inline]
/// `PyFloat_Pack2(x, p, PY_LITTLE_ENDIAN)`: the native half float bits.
pub fn float_pack2(x: f64) -> PyResult<u16> {
    let mut b = [0u8; 2];
    // SAFETY: writes two bytes into `b`.
    if unsafe { ffi::PyFloat_Pack2(x, b.as_mut_ptr() as *mut c_char, LE) } < 0 {
        return fail();
    }
    Ok(u16::from_ne_bytes(b))
}

/// `_PyNumber_Index(o)` then `PyLong_AsLong` (`pylong_as_ld`; on targets
/// whose `long` is narrower, `PyLong_AsLongLong`).  An int (or subclass,
/// which `_PyNumber_Index` returns unchanged) of one digit is read inline,
/// as `PyLong_AsLong` reads it; no Python code runs for any int.
#[inline]
pub fn index_as_i64(o: Borrowed<'_>) -> PyResult<i64> {
    if let Some(v) = crate::api::long_one_digit(o) {
        return Ok(v as i64);
    }
    // SAFETY: live object; new reference or NULL.
    let tmp = unsafe { Owned::from_owned_ptr(ffi::_PyNumber_Index(o.as_ptr()))? };
    // PyLong_AsLongLong goes through _PyLong_AsByteArray for an int of
    // more than one digit; PyLong_AsLong accumulates the digits.
    // SAFETY: `tmp` is an int.
    #[allow(clippy::useless_conversion)]
    let v = unsafe {
        if core::mem::size_of::<core::ffi::c_long>() == 8 {
            i64::from(ffi::PyLong_AsLong(tmp.as_ptr()))
        } else {
            ffi::PyLong_AsLongLong(tmp.as_ptr())
        }
    };
    if v == -1 && crate::api::err::occurred() {
        return fail();
    }
    Ok(v)
}

/// `_PyNumber_Index(o)` then `PyLong_AsSsize_t` (`pylong_as_zd`), with
/// the inline read of [`index_as_i64`] for an int of one digit.
#[inline]
pub fn index_as_isize(o: Borrowed<'_>) -> PyResult<isize> {
    if let Some(v) = crate::api::long_one_digit(o) {
        return Ok(v);
    }
    // SAFETY: live object; new reference or NULL.
    let tmp = unsafe { Owned::from_owned_ptr(ffi::_PyNumber_Index(o.as_ptr()))? };
    // SAFETY: `tmp` is an int.
    let v = unsafe { ffi::PyLong_AsSsize_t(tmp.as_ptr()) };
    if v == -1 && crate::api::err::occurred() {
        return fail();
    }
    Ok(v)
}

/// `_PyNumber_Index(o)` then `PyLong_AsUnsignedLong` (`pylong_as_lu`; on
/// targets whose `long` is narrower, `PyLong_AsUnsignedLongLong`), with
/// the inline read of [`index_as_i64`] for a non-negative int of one digit.
#[inline]
pub fn index_as_u64(o: Borrowed<'_>) -> PyResult<u64> {
    if let Some(v) = crate::api::long_one_digit(o) {
        if v >= 0 {
            return Ok(v as u64);
        }
    }
    // SAFETY: live object; new reference or NULL.
    let tmp = unsafe { Owned::from_owned_ptr(ffi::_PyNumber_Index(o.as_ptr()))? };
    // SAFETY: `tmp` is an int.
    #[allow(clippy::useless_conversion)]
    let v = unsafe {
        if core::mem::size_of::<core::ffi::c_ulong>() == 8 {
            u64::from(ffi::PyLong_AsUnsignedLong(tmp.as_ptr()))
        } else {
            ffi::PyLong_AsUnsignedLongLong(tmp.as_ptr())
        }
    };
    if v == u64::MAX && crate::api::err::occurred() {
        return fail();
    }
    Ok(v)
}

/// `PyLong_AsVoidPtr(o)`.
#[inline]
pub fn long_as_void_ptr(o: Borrowed<'_>) -> PyResult<usize> {
    // SAFETY: live object.
    let p = unsafe { ffi::PyLong_AsVoidPtr(o.as_ptr()) };
    if p.is_null() && crate::api::err::occurred() {
        return fail();
    }
    Ok(p as usize)
}

/// `PyFloat_AsDouble(o)`.
#[inline]
pub fn float_as_f64(o: Borrowed<'_>) -> PyResult<f64> {
    // SAFETY: live object.
    let d = unsafe { ffi::PyFloat_AsDouble(o.as_ptr()) };
    if d == -1.0 && crate::api::err::occurred() {
        return fail();
    }
    Ok(d)
}

/// `PyObject_IsTrue(o)`.
#[inline]
pub fn is_true(o: Borrowed<'_>) -> PyResult<bool> {
    // SAFETY: live object.
    match unsafe { ffi::PyObject_IsTrue(o.as_ptr()) } {
        r if r < 0 => fail(),
        r => Ok(r != 0),
    }
}

/// `PyLong_AsInt(o)`.
#[inline]
pub fn long_as_int(o: Borrowed<'_>) -> PyResult<c_int> {
    // One digit (|v| < 2**30) always fits a C int.
    if let Some(v) = crate::api::long_one_digit(o) {
        return Ok(v as c_int);
    }
    // SAFETY: live object.
    let v = unsafe { ffi::PyLong_AsInt(o.as_ptr()) };
    if v == -1 && crate::api::err::occurred() {
        return fail();
    }
    Ok(v)
}

/// `PyNumber_AsSsize_t(o, PyExc_IndexError)`.  An int (or int subclass,
/// which `PyNumber_Index` returns unchanged, without calling
/// `__index__`) of one digit is read inline.
#[inline(always)]
pub fn number_as_ssize_index_error(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    if let Some(v) = crate::api::long_one_digit(o) {
        return Ok(v);
    }
    // SAFETY: live object and a live exception type.
    let v = unsafe { ffi::PyNumber_AsSsize_t(o.as_ptr(), ffi::PyExc_IndexError) };
    if v == -1 && crate::api::err::occurred() {
        return fail();
    }
    Ok(v)
}

/// `PyLong_AsSsize_t(o)` for an int (`PyLong_Check` passed).
#[inline]
pub fn long_as_ssize(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    crate::api::long_as_ssize_t(o)
}

// ---------------------------------------------------------------------------
// Slices

/// `PySlice_Unpack(key, &start, &stop, &step)`.
///
/// A slice whose fields are all None or ints of one digit is unpacked
/// inline: `_PyEval_SliceIndex` takes such an int (or int subclass, which
/// `PyNumber_Index` returns unchanged without calling `__index__`) as its
/// value, which needs no clamping, and no Python code can run.  Any other
/// slice, and a zero step (an error), goes to `PySlice_Unpack`.
#[inline]
pub fn slice_unpack(key: Borrowed<'_>) -> PyResult<(Py_ssize_t, Py_ssize_t, Py_ssize_t)> {
    // SAFETY: `key` is a live slice (callers check PySlice_Check, an exact
    // type check): its three fields are live references it holds.
    let (start, stop, step) = unsafe {
        let s = key.as_ptr() as *const ffi::PySliceObject;
        ((*s).start, (*s).stop, (*s).step)
    };
    if let Some(r) = slice_unpack_inline(start, stop, step) {
        return Ok(r);
    }
    let (mut start, mut stop, mut step) = (0, 0, 0);
    // SAFETY: `key` is a live slice (see above).
    if unsafe { ffi::PySlice_Unpack(key.as_ptr(), &mut start, &mut stop, &mut step) } < 0 {
        return fail();
    }
    Ok((start, stop, step))
}

/// The value of a one-digit int (or int subclass), else `None`.
#[inline(always)]
fn one_digit_index(o: *mut PyObject) -> Option<Py_ssize_t> {
    // SAFETY: `o` is a live object (a slice's field).
    crate::api::long_one_digit(unsafe { Borrowed::from_ptr(o) })
}

/// `PySlice_Unpack` of a slice whose fields are None or one-digit ints
/// (live objects); `None` for any other slice or a zero step.
#[inline(always)]
fn slice_unpack_inline(
    start: *mut PyObject,
    stop: *mut PyObject,
    step: *mut PyObject,
) -> Option<(Py_ssize_t, Py_ssize_t, Py_ssize_t)> {
    let none = crate::inline::Py_None();
    // A one-digit step is above -PY_SSIZE_T_MAX: no clamping.
    let step = if step == none {
        1
    } else {
        Some(one_digit_index(step)?).filter(|s| *s != 0)?
    };
    let start = if start == none {
        if step < 0 {
            Py_ssize_t::MAX
        } else {
            0
        }
    } else {
        one_digit_index(start)?
    };
    let stop = if stop == none {
        if step < 0 {
            Py_ssize_t::MIN
        } else {
            Py_ssize_t::MAX
        }
    } else {
        one_digit_index(stop)?
    };
    Some((start, stop, step))
}

// ---------------------------------------------------------------------------
// Objects, calls, hashing

/// `PyObject_Hash(o)`.
#[inline]
pub fn object_hash(o: Borrowed<'_>) -> PyResult<Py_hash_t> {
    // SAFETY: live object.
    let h = unsafe { ffi::PyObject_Hash(o.as_ptr()) };
    if h == -1 {
        return fail();
    }
    Ok(h)
}

/// `_Py_HashBytes(bytes, len)` of a slice.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> Py_hash_t {
    // SAFETY: a slice: `len` readable bytes.
    unsafe { hash_bytes_raw(bytes.as_ptr(), bytes.len() as Py_ssize_t) }
}

/// `_Py_HashBytes(bytes, len)`.
///
/// # Safety
/// `bytes` points to `len` readable bytes (it may be NULL when `len` is
/// 0: `_Py_HashBytes` reads nothing then).
#[inline]
pub unsafe fn hash_bytes_raw(bytes: *const u8, len: Py_ssize_t) -> Py_hash_t {
    // SAFETY: caller's contract; cannot fail.
    unsafe { ffi::_Py_HashBytes(bytes as *const c_void, len) }
}

/// `PyObject_RichCompareBool(a, b, Py_EQ)`.
#[inline]
pub fn eq_bool(a: Borrowed<'_>, b: Borrowed<'_>) -> PyResult<bool> {
    // SAFETY: live objects.
    match unsafe { ffi::PyObject_RichCompareBool(a.as_ptr(), b.as_ptr(), ffi::Py_EQ as c_int) } {
        r if r < 0 => fail(),
        r => Ok(r != 0),
    }
}

/// `_PyImport_GetModuleAttrString(module, attr)`.
#[inline]
pub fn import_module_attr(module: &CStr, attr: &CStr) -> PyResult<Owned> {
    // SAFETY: NUL-terminated names; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_PyImport_GetModuleAttrString(
            module.as_ptr(),
            attr.as_ptr(),
        ))
    }
}

/// Whether `o` is the built-in `_struct.Struct` type: a type object named
/// `_struct.Struct` with `Py_TPFLAGS_IMMUTABLETYPE`.  Python code can
/// neither create such a type (classes it defines are mutable) nor change
/// its attributes, so its `unpack_from` is the C one.
pub fn is_builtin_struct_type(o: Borrowed<'_>) -> bool {
    // SAFETY: a live object; PyType_Check reads its type's flags.
    if !unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_TYPE_SUBCLASS as u64) } {
        return false;
    }
    let tp = o.as_ptr() as *mut PyTypeObject;
    // SAFETY: `o` is a live type object (checked above); tp_name is a
    // NUL-terminated string for every type.
    unsafe {
        PyType_HasFeature(tp, ffi::Py_TPFLAGS_IMMUTABLETYPE as u64)
            && CStr::from_ptr((*tp).tp_name) == c"_struct.Struct"
    }
}

/// `PyObject_CallOneArg(f, arg)`.
#[inline]
pub fn call_one_arg(f: Borrowed<'_>, arg: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: live objects; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_CallOneArg(f.as_ptr(), arg.as_ptr())) }
}

/// `PyObject_GetAttrString(o, name)`.
#[inline]
pub fn get_attr_string(o: Borrowed<'_>, name: &CStr) -> PyResult<Owned> {
    // SAFETY: live object, NUL-terminated name; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_GetAttrString(o.as_ptr(), name.as_ptr())) }
}

/// `_Py_strhex_with_sep(bytes, len, sep, bytes_per_sep)` on a slice.
#[inline]
pub fn strhex_with_sep(
    bytes: &[u8],
    sep: Option<Borrowed<'_>>,
    bytes_per_sep: c_int,
) -> PyResult<Owned> {
    // SAFETY: a slice: `len` readable bytes.
    unsafe {
        strhex_with_sep_raw(
            bytes.as_ptr(),
            bytes.len() as Py_ssize_t,
            sep,
            bytes_per_sep,
        )
    }
}

/// `_Py_strhex_with_sep(bytes, len, sep, bytes_per_sep)`.
///
/// # Safety
/// `bytes` points to `len` readable bytes (it may be NULL when `len` is
/// 0) that stay alive and unchanged while `sep`'s length is taken (which
/// may run Python code for a str or bytes subclass).
#[inline]
pub unsafe fn strhex_with_sep_raw(
    bytes: *const u8,
    len: Py_ssize_t,
    sep: Option<Borrowed<'_>>,
    bytes_per_sep: c_int,
) -> PyResult<Owned> {
    let sep = sep.map_or(core::ptr::null_mut(), Borrowed::as_ptr);
    // SAFETY: caller's contract for `bytes`; `sep` is NULL or live; new
    // reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_Py_strhex_with_sep(
            bytes as *const c_char,
            len,
            sep,
            bytes_per_sep,
        ))
    }
}

/// `PyObject_ClearWeakRefs(o)`.
///
/// # Safety
/// `o` is an object being deallocated whose type supports weakrefs.
#[inline]
pub unsafe fn clear_weakrefs(o: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyObject_ClearWeakRefs(o) }
}

// ---------------------------------------------------------------------------
// GC allocation

/// `PyObject_GC_New(T, tp)`: a new, untracked GC object of `tp`'s basic
/// size; the caller initialises it and then tracks it.
///
/// # Safety
/// `tp` is a ready GC type with a fixed size.
#[inline]
pub unsafe fn gc_new(tp: *mut PyTypeObject) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyObject_GC_New(tp)) }
}

/// `PyObject_GC_NewVar(T, tp, n)`.
///
/// # Safety
/// `tp` is a ready variable-size GC type.
#[inline]
pub unsafe fn gc_new_var(tp: *mut PyTypeObject, n: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::_PyObject_GC_NewVar(tp, n) as *mut PyObject) }
}

/// `PyObject_GC_Del(o)`.
///
/// # Safety
/// `o` is an untracked GC object whose refcount reached zero.
#[inline]
pub unsafe fn gc_del(o: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyObject_GC_Del(o as *mut c_void) }
}

/// `_PyObject_GC_TRACK(o)`.
///
/// # Safety
/// `o` is a live, initialised, untracked GC object.
#[inline]
pub unsafe fn gc_track(o: *mut PyObject) {
    // SAFETY: caller's contract; the GIL is held by every caller of this
    // layer.
    unsafe { crate::inline::_PyObject_GC_TRACK(o) }
}

/// `PyObject_GC_UnTrack(o)` (a no-op when not tracked).
///
/// # Safety
/// `o` is a live GC object (or one being deallocated).
#[inline]
pub unsafe fn gc_untrack(o: *mut PyObject) {
    // SAFETY: caller's contract.
    unsafe { crate::api::gc::untrack(o) }
}

// ---------------------------------------------------------------------------
// Argument parsing (fastcall)

impl crate::api::args::Parser {
    /// The `_PyArg_Parser *` CPython's argument parser takes.
    #[inline]
    pub fn as_raw(&'static self) -> *mut ffi::_PyArg_Parser {
        // `Parser` is `repr(transparent)` over `UnsafeCell<_PyArg_Parser>`,
        // which has the layout of `_PyArg_Parser` and allows the writes
        // CPython makes through this pointer (its lazy initialisation).
        self as *const Self as *mut ffi::_PyArg_Parser
    }
}

/// `_PyArg_UnpackKeywords(args, nargs, NULL, kwnames, parser, minpos,
/// maxpos, minkw, buf)` including the macro's fast path, for
/// `METH_FASTCALL|METH_KEYWORDS` methods.
///
/// # Safety
/// `args` points to `nargs` + len(kwnames) live objects; `kwnames` is NULL
/// or a tuple of str; `buf` has room for `maxpos` + keyword-only entries.
#[allow(clippy::too_many_arguments)]
#[inline]
pub unsafe fn unpack_keywords_fast(
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
    parser: &'static crate::api::args::Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    buf: *mut *mut PyObject,
) -> PyResult<*const *mut PyObject> {
    // SAFETY: forwarded caller contract (keywords as names, no dict).
    unsafe {
        crate::api::args::unpack_keywords_with(
            args,
            nargs,
            core::ptr::null_mut(),
            kwnames,
            parser,
            minpos,
            maxpos,
            minkw,
            buf,
        )
    }
}
