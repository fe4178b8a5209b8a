//! Bytes: `Include/bytesobject.h`, `Objects/bytesobject.c` (`PyBytes_*`).

use super::prelude::*;

/// `PyBytes_CheckExact(o)`.
#[inline]
pub fn check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyBytes_Type)
}

/// `bytes_item(o, i)` for an exact bytes object and an index in bounds:
/// the small int of byte `i` (`_PyLong_FromUnsignedChar`, an immortal
/// static, so no count is taken); `None` for anything else.
#[inline]
pub fn item_exact(o: Borrowed<'_>, i: Py_ssize_t) -> Option<Owned> {
    if !bytes::check_exact(o) {
        return None;
    }
    let b = *bytes::as_slice(o)?.get(usize::try_from(i).ok()?)?;
    let p = crate::inline::small_int(i64::from(b))?;
    // SAFETY: a small int (0..=255 are all small ints): an immortal
    // static.
    Some(unsafe { Owned::from_immortal(p) })
}

#[inline]
/// `PyBytes_Check(o)`.
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_BYTES_SUBCLASS as u64) }
}

/// The contents of a bytes object (`PyBytes_AS_STRING`, `PyBytes_GET_SIZE`),
/// `None` when `o` is not bytes.
#[inline]
pub fn as_slice<'a>(o: Borrowed<'a>) -> Option<&'a [u8]> {
    if !bytes::check(o) {
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
pub fn as_cstr_ptr(o: Borrowed<'_>) -> Option<*const c_char> {
    if !bytes::check(o) {
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
pub fn from_slice(bytes: &[u8]) -> PyResult<Owned> {
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
pub fn from_cstr(s: &CStr) -> PyResult<Owned> {
    // SAFETY: NUL-terminated; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyBytes_FromString(s.as_ptr())) }
}

/// A new, uninitialised bytes object of `len` bytes
/// (`PyBytes_FromStringAndSize(NULL, len)`) and the address of its
/// contents, which the caller must fill before exposing the object.
#[inline]
pub fn new_uninit(len: Py_ssize_t) -> PyResult<(Owned, *mut u8)> {
    // SAFETY: NULL source means "uninitialised"; new reference or NULL.
    let b =
        unsafe { Owned::from_owned_ptr(ffi::PyBytes_FromStringAndSize(core::ptr::null(), len))? };
    // SAFETY: a fresh bytes object; ob_sval has room for len + 1 bytes.
    let p = unsafe {
        core::ptr::addr_of_mut!((*(b.as_ptr() as *mut ffi::PyBytesObject)).ob_sval) as *mut u8
    };
    Ok((b, p))
}

/// `_PyBytes_Repeat(dest, len_dest, src, len_src)`: fills `dest` with
/// copies of `src` (the last one cut short), doubling the copied part.
///
/// # Safety
/// `dest` is valid for writes of `len_dest` bytes and `src` for reads of
/// `len_src` bytes; `src` may be the start of `dest` (an in-place repeat).
#[inline]
pub unsafe fn repeat(dest: *mut u8, len_dest: Py_ssize_t, src: *const u8, len_src: Py_ssize_t) {
    // SAFETY: caller's contract.
    unsafe { ffi::_PyBytes_Repeat(dest as *mut c_char, len_dest, src as *const c_char, len_src) }
}

/// `_PyBytes_FromHex(string, use_bytearray)`.
#[inline]
pub fn from_hex(string: Borrowed<'_>, use_bytearray: bool) -> PyResult<Owned> {
    // SAFETY: live object; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_PyBytes_FromHex(
            string.as_ptr(),
            c_int::from(use_bytearray),
        ))
    }
}

/// `_PyBytes_FormatEx(format, len, args, use_bytearray)`: `format % args`.
///
/// # Safety
/// `format` points to `len` bytes that stay allocated and in place for the
/// call, during which Python code runs (the caller pins them).
#[inline]
pub unsafe fn format_ex(
    format: *const u8,
    len: Py_ssize_t,
    args: Borrowed<'_>,
    use_bytearray: bool,
) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::_PyBytes_FormatEx(
            format as *const c_char,
            len,
            args.as_ptr(),
            c_int::from(use_bytearray),
        ))
    }
}
