//! Floats: `Include/floatobject.h`, `Objects/floatobject.c` (`PyFloat_*`).

use super::prelude::*;

#[inline]
/// `PyFloat_FromDouble(v)`.
pub fn from_f64(v: f64) -> PyResult<Owned> {
    // SAFETY: new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyFloat_FromDouble(v)) }
}

#[inline]
/// `PyFloat_Unpack2(bits, PY_LITTLE_ENDIAN)` for a native half float.
pub fn unpack2(bits: u16) -> f64 {
    let b = bits.to_ne_bytes();
    // SAFETY: reads the two bytes of `b`; never fails for 'e'.
    unsafe { ffi::PyFloat_Unpack2(b.as_ptr() as *const c_char, LE) }
}

#[inline]
/// `PyFloat_Pack2(x, p, PY_LITTLE_ENDIAN)`: the native half float bits.
pub fn pack2(x: f64) -> PyResult<u16> {
    let mut b = [0u8; 2];
    // SAFETY: writes two bytes into `b`.
    if unsafe { ffi::PyFloat_Pack2(x, b.as_mut_ptr() as *mut c_char, LE) } < 0 {
        return err::fail();
    }
    Ok(u16::from_ne_bytes(b))
}

/// `PyFloat_AsDouble(o)`.
#[inline]
pub fn as_f64(o: Borrowed<'_>) -> PyResult<f64> {
    // SAFETY: live object.
    let d = unsafe { ffi::PyFloat_AsDouble(o.as_ptr()) };
    if d == -1.0 && err::occurred() {
        return err::fail();
    }
    Ok(d)
}

/// Native byte order for `PyFloat_Pack2`/`PyFloat_Unpack2`.
const LE: c_int = if cfg!(target_endian = "little") { 1 } else { 0 };
