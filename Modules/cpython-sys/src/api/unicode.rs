//! Strings: `Include/unicodeobject.h`, `Objects/unicodeobject.c`
//! (`PyUnicode_*`) and the runtime's interned identifiers (`_Py_ID`).

use super::prelude::*;

/// `&_Py_ID(__reversed__)`.
#[inline]
pub fn id_reversed() -> Borrowed<'static> {
    let p = crate::_Py_ID!(_py___reversed__);
    // SAFETY: interned static string of the runtime, immortal.
    unsafe { Borrowed::from_ptr(p) }
}

/// `PyUnicode_CheckExact(o)`.
#[inline]
pub fn check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyUnicode_Type)
}

/// `_PyUnicode_EqualToASCIIString(o, s)`.
#[inline]
pub fn equal_to_ascii(o: Borrowed<'_>, s: &CStr) -> bool {
    // SAFETY: `o` is live (a str, as the C function requires: callers pass
    // keyword names, which the interpreter guarantees are str).
    unsafe { ffi::_PyUnicode_EqualToASCIIString(o.as_ptr(), s.as_ptr()) != 0 }
}

#[inline]
/// `PyUnicode_Check(o)`.
pub fn check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_UNICODE_SUBCLASS as u64) }
}

/// `PyUnicode_New(len, 127)`: a new, uninitialised ASCII str and its
/// character data (`len` bytes, to be filled with ASCII before the str is
/// used; the NUL terminator is already written).
pub fn new_ascii_uninit(len: Py_ssize_t) -> PyResult<(Owned, *mut u8)> {
    // SAFETY: new reference or NULL.
    let s = unsafe { Owned::from_owned_ptr(ffi::PyUnicode_New(len, 127))? };
    // SAFETY: a str of maxchar 127 is compact ASCII: its characters follow
    // the PyASCIIObject header (`PyUnicode_DATA`).
    let p = unsafe { (s.as_ptr() as *mut ffi::PyASCIIObject).add(1) as *mut u8 };
    Ok((s, p))
}

#[inline]
/// `PyUnicode_AsASCIIString(o)`.
pub fn as_ascii_string(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: live object; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyUnicode_AsASCIIString(o.as_ptr())) }
}

/// `PyUnicode_AsUTF8AndSize(o, &len)` as bytes (without the trailing NUL),
/// valid while `o` is alive.
#[inline]
pub fn as_utf8<'a>(o: Borrowed<'a>) -> PyResult<&'a [u8]> {
    let mut n: Py_ssize_t = 0;
    // SAFETY: live str object; the UTF-8 cache lives as long as `o`.
    let p = unsafe { ffi::PyUnicode_AsUTF8AndSize(o.as_ptr(), &mut n) };
    if p.is_null() {
        return err::fail();
    }
    // SAFETY: non-NULL result points to n bytes (plus NUL).
    Ok(unsafe { core::slice::from_raw_parts(p as *const u8, n as usize) })
}

#[inline]
/// `PyUnicode_FromString(s)`.
///
/// # Safety
/// `s` is a NUL-terminated UTF-8 string.
pub unsafe fn from_raw_cstr(s: *const c_char) -> PyResult<Owned> {
    // SAFETY: caller's contract; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyUnicode_FromString(s)) }
}

#[inline]
/// `PyUnicode_FromFormat(fmt, p)` for a format with one `%p` (the address
/// is only printed).
pub fn from_format_ptr(fmt: &CStr, addr: usize) -> PyResult<Owned> {
    // SAFETY: the format takes one pointer, which it only prints.
    unsafe {
        Owned::from_owned_ptr(ffi::PyUnicode_FromFormat(
            fmt.as_ptr(),
            addr as *const c_void,
        ))
    }
}

#[inline]
fn opt_cstr(s: Option<&CStr>) -> *const c_char {
    s.map_or(core::ptr::null(), CStr::as_ptr)
}

/// `PyUnicode_AsEncodedString(o, encoding, errors)` (NULL for `None`).
#[inline]
pub fn as_encoded_string(
    o: Borrowed<'_>,
    encoding: Option<&CStr>,
    errors: Option<&CStr>,
) -> PyResult<Owned> {
    // SAFETY: live object, NULL or NUL-terminated strings.
    unsafe {
        Owned::from_owned_ptr(ffi::PyUnicode_AsEncodedString(
            o.as_ptr(),
            opt_cstr(encoding),
            opt_cstr(errors),
        ))
    }
}

/// `PyUnicode_FromEncodedObject(o, encoding, errors)`.
#[inline]
pub fn from_encoded_object(
    o: Borrowed<'_>,
    encoding: Option<&CStr>,
    errors: Option<&CStr>,
) -> PyResult<Owned> {
    // SAFETY: live object, NULL or NUL-terminated strings.
    unsafe {
        Owned::from_owned_ptr(ffi::PyUnicode_FromEncodedObject(
            o.as_ptr(),
            opt_cstr(encoding),
            opt_cstr(errors),
        ))
    }
}

/// `PyUnicode_GetDefaultEncoding()` (`"utf-8"`).
#[inline]
pub fn default_encoding() -> &'static CStr {
    // SAFETY: a static NUL-terminated string of the runtime.
    unsafe { CStr::from_ptr(ffi::PyUnicode_GetDefaultEncoding()) }
}

/// `PyUnicode_DecodeLatin1(s, len, NULL)`.
#[inline]
pub fn decode_latin1(s: &[u8]) -> PyResult<Owned> {
    // SAFETY: `s` is readable for its length; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::PyUnicode_DecodeLatin1(
            s.as_ptr() as *const c_char,
            s.len() as Py_ssize_t,
            core::ptr::null(),
        ))
    }
}

/// `PyUnicode_FromStringAndSize(s, len)` of ASCII or UTF-8 text.
#[inline]
pub fn from_utf8(s: &[u8]) -> PyResult<Owned> {
    // SAFETY: `s` is readable for its length; new reference or NULL.
    unsafe {
        Owned::from_owned_ptr(ffi::PyUnicode_FromStringAndSize(
            s.as_ptr() as *const c_char,
            s.len() as Py_ssize_t,
        ))
    }
}

/// `&_Py_ID(iter)`.
#[inline]
pub fn id_iter() -> Borrowed<'static> {
    let p = crate::_Py_ID!(_py_iter);
    // SAFETY: interned static string of the runtime, immortal.
    unsafe { Borrowed::from_ptr(p) }
}

/// Argument Clinic's `str` converter: the UTF-8 form of a str as a C
/// string (valid while `o` is alive); ValueError "embedded null
/// character" when it contains a NUL.  The caller checked `o` is a str.
#[inline]
pub fn as_utf8_cstr<'a>(o: Borrowed<'a>) -> PyResult<&'a CStr> {
    let s = unicode::as_utf8(o)?;
    // SAFETY: PyUnicode_AsUTF8AndSize's buffer has a NUL after its `len`
    // bytes and lives as long as `o`; strlen (libc's, as C's check) stops
    // at the first NUL, which is that one unless the text embeds one.
    let c = unsafe { CStr::from_ptr(s.as_ptr().cast()) };
    if c.count_bytes() != s.len() {
        return Err(err::set_string(
            Exc::ValueError,
            crate::cmsg!("embedded null character"),
        ));
    }
    Ok(c)
}
