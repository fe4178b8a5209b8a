//! Optimized pack/unpack for all native format specifiers.
//!
//! `unpack_single`/`pack_single` are generic over the item type
//! ([`Native`]); callers dispatch on the format once ([`with_native!`]) and
//! then loop with the monomorphised function.  `*_dyn` dispatch per item
//! (single item access).

use cpython_sys::api::{self, err, Exc};
use cpython_sys::{Borrowed, Owned, PyErr, PyResult};

use crate::native::{FmtChar, Native, Wide};
use crate::object::MemoryView;

/// `type_error_int(fmt)`.
fn type_error_int(fmt: &FmtChar) -> PyErr {
    err::format_str(
        Exc::TypeError,
        c"memoryview: invalid type for format '%s'",
        fmt.as_cstr(),
    )
}

/// `value_error_int(fmt)`.
fn value_error_int(fmt: &FmtChar) -> PyErr {
    err::format_str(
        Exc::ValueError,
        c"memoryview: invalid value for format '%s'",
        fmt.as_cstr(),
    )
}

/// `fix_error_int(fmt)`: TypeError and OverflowError/ValueError get the
/// format in the message.
fn fix_error_int(e: PyErr, fmt: &FmtChar) -> PyErr {
    if err::exception_matches(&e, Exc::TypeError) {
        cpython_sys::api::err::clear(e);
        return type_error_int(fmt);
    }
    if err::exception_matches(&e, Exc::OverflowError) || err::exception_matches(&e, Exc::ValueError)
    {
        cpython_sys::api::err::clear(e);
        return value_error_int(fmt);
    }
    e
}

/// The "format not supported" error of unpack_single/pack_single.
pub(crate) fn err_format(fmt: &FmtChar) -> PyErr {
    err::format_str(
        Exc::NotImplementedError,
        c"memoryview: format %s not supported",
        fmt.as_cstr(),
    )
}

/// Converts an unpacked item to a Python object (the `convert_*` labels).
#[inline(always)]
pub(crate) fn wide_to_object(w: Wide) -> PyResult<Owned> {
    match w {
        Wide::Signed(v) => match api::long::small_int(v) {
            // SAFETY: the small ints are immortal.
            Some(p) => Ok(unsafe { Owned::from_immortal(p.as_ptr()) }),
            None => api::long::from_i64(v),
        },
        Wide::Unsigned(v) => match i64::try_from(v).ok().and_then(api::long::small_int) {
            // SAFETY: the small ints are immortal.
            Some(p) => Ok(unsafe { Owned::from_immortal(p.as_ptr()) }),
            None => api::long::from_u64(v),
        },
        Wide::Float(d) => api::float::from_f64(d),
        Wide::Half(bits) => api::float::from_f64(api::float::unpack2(bits)),
        Wide::Bool(b) => Ok(api::object::bool_from(b)),
        Wide::Char(c) => api::bytes::from_slice(&[c]),
        Wide::Ptr(p) => api::long::from_void_ptr(p),
    }
}

/// `unpack_single(self, ptr, fmt)` for the format `T`.
///
/// # Safety
/// `ptr` points to an item of `self`'s buffer, readable while `self` is
/// not released.
#[inline(always)]
pub(crate) unsafe fn unpack_single<T: Native>(
    self_: MemoryView,
    ptr: *const u8,
) -> PyResult<Owned> {
    self_.check_released()?;
    // SAFETY: not released, so the buffer is alive (caller's contract).
    unsafe { unpack_item::<T>(ptr) }
}

/// `unpack_single` after its release check: the item at `ptr` as an
/// object (no Python code runs: ints, floats, bytes and bools are made by
/// C functions that only allocate).
///
/// # Safety
/// `ptr` points to a readable item.
#[inline(always)]
pub(crate) unsafe fn unpack_item<T: Native>(ptr: *const u8) -> PyResult<Owned> {
    if T::CHAR == b'c' {
        // C's `PyBytes_FromStringAndSize(ptr, 1)`: the byte is read there.
        // SAFETY: one readable byte at `ptr` (caller's contract).
        return api::bytes::from_slice(unsafe { core::slice::from_raw_parts(ptr, 1) });
    }
    // SAFETY: caller's contract.
    let raw = unsafe { T::load(ptr) };
    wide_to_object(T::to_wide(raw))
}

/// `unpack_single` dispatching on the format character.
///
/// # Safety
/// As [`unpack_single`].
#[inline(always)]
pub(crate) unsafe fn unpack_single_dyn(
    self_: MemoryView,
    ptr: *const u8,
    fmt: FmtChar,
) -> PyResult<Owned> {
    // SAFETY: forwarded.
    with_native!(fmt.ch(), T => unsafe { unpack_single::<T>(self_, ptr) }, _ => {
        self_.check_released()?;
        Err(err_format(&fmt))
    })
}

/// [`unpack_item`] dispatching on the format character.
///
/// # Safety
/// As [`unpack_item`].
#[inline(always)]
pub(crate) unsafe fn unpack_item_dyn(ptr: *const u8, fmt: FmtChar) -> PyResult<Owned> {
    // SAFETY: forwarded.
    with_native!(fmt.ch(), T => unsafe { unpack_item::<T>(ptr) }, _ => Err(err_format(&fmt)))
}

/// Converts `item` for the format `T` (what `pack_single` does before it
/// stores).  Python code may run (`__index__`, `__float__`, `__bool__`).
// C: pylong_as_ld, pylong_as_lu, pylong_as_lld, pylong_as_llu, pylong_as_zd, pylong_as_zu
#[inline(always)]
fn convert<T: Native>(item: Borrowed<'_>, fmt: &FmtChar) -> PyResult<Wide> {
    let w = match T::CHAR {
        // C's pylong_as_zd: PyLong_AsSsize_t is shorter than PyLong_AsLong
        // for an int of more than one digit.
        b'n' => Wide::Signed(
            api::number::index_as_isize(item).map_err(|e| fix_error_int(e, fmt))? as i64,
        ),
        b'b' | b'h' | b'i' | b'l' | b'q' => {
            Wide::Signed(api::number::index_as_i64(item).map_err(|e| fix_error_int(e, fmt))?)
        }
        b'B' | b'H' | b'I' | b'L' | b'Q' | b'N' => {
            Wide::Unsigned(api::number::index_as_u64(item).map_err(|e| fix_error_int(e, fmt))?)
        }
        b'f' | b'd' => Wide::Float(api::float::as_f64(item).map_err(|e| fix_error_int(e, fmt))?),
        b'e' => {
            let d = api::float::as_f64(item).map_err(|e| fix_error_int(e, fmt))?;
            Wide::Half(api::float::pack2(d).map_err(|e| fix_error_int(e, fmt))?)
        }
        // preserve the original error
        b'?' => Wide::Bool(api::object::is_true(item)?),
        b'c' => {
            let Some(b) = api::bytes::as_slice(item) else {
                return Err(type_error_int(fmt));
            };
            match b {
                [c] => Wide::Char(*c),
                _ => return Err(value_error_int(fmt)),
            }
        }
        b'P' => Wide::Ptr(api::long::as_void_ptr(item).map_err(|e| fix_error_int(e, fmt))?),
        _ => return Err(err_format(fmt)),
    };
    Ok(w)
}

/// `pack_single(self, ptr, item, fmt)` for the format `T`.  The item's
/// address is computed by `loc` only after the conversion (which may run
/// Python code) and the re-check that the view is not released.
///
/// # Safety
/// `loc` returns the address of an item of `self`'s buffer, writable while
/// `self` is not released.
pub(crate) unsafe fn pack_single<T: Native>(
    self_: MemoryView,
    loc: impl FnOnce() -> *mut u8,
    item: Borrowed<'_>,
    fmt: &FmtChar,
) -> PyResult<()> {
    let w = convert::<T>(item, fmt)?;
    // CHECK_RELEASED_INT_AGAIN: the conversion (or the index conversions
    // before it) may have run Python code.  C skips the check for 'c',
    // whose conversion runs no Python code, and then writes into freed
    // memory when an index's __index__ released the view; here that case
    // raises the ValueError of every other format.
    self_.check_released()?;
    let Some(raw) = T::from_wide(w) else {
        return Err(value_error_int(fmt));
    };
    // SAFETY: not released: the buffer is alive (caller's contract).
    unsafe { T::store(loc(), raw) };
    Ok(())
}

/// `pack_single` dispatching on the format character.
///
/// # Safety
/// As [`pack_single`].
#[inline(always)]
pub(crate) unsafe fn pack_single_dyn(
    self_: MemoryView,
    loc: impl FnOnce() -> *mut u8,
    item: Borrowed<'_>,
    fmt: FmtChar,
) -> PyResult<()> {
    // SAFETY: forwarded.
    with_native!(fmt.ch(), T => unsafe { pack_single::<T>(self_, loc, item, &fmt) }, _ => Err(err_format(&fmt)))
}
