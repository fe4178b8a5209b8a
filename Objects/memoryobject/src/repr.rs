//! Representations: tolist, tobytes, hex, repr.

use core::ffi::c_int;

use cpython_sys::api::mem::PyMemBlock;
use cpython_sys::api::{self, err, Exc};
use cpython_sys::ffi::PyObject;
use cpython_sys::{Borrowed, Owned, PyResult};

use crate::copying::buffer_to_contiguous;
use crate::hexlify::hex_into;
use crate::layout::{mv_c_contiguous, MV_RELEASED};
use crate::native::{FmtChar, Native};
use crate::object::{fmt_single, MemoryView};
use crate::pack::{err_format, unpack_item, unpack_single, unpack_single_dyn};
use crate::strided::Strided;

/// `adjust_fmt(view)`: the single format character, allowing the explicit
/// native form '@x'.
pub(crate) fn adjust_fmt(mv: MemoryView) -> PyResult<FmtChar> {
    // SAFETY: callers checked that the view is not released and run no
    // Python code while reading the format.
    match unsafe { fmt_single(mv.view_copy().format) } {
        Some(c) => Ok(FmtChar::new(c)),
        None => {
            let p = mv.view_copy().format;
            let p = if p.is_null() { c"B".as_ptr() } else { p };
            // SAFETY: as above; the format is NUL-terminated.
            Err(unsafe {
                err::format_cstr(
                    Exc::NotImplementedError,
                    c"memoryview: unsupported format %s",
                    p,
                )
            })
        }
    }
}

/// How `tolist` unpacks one item: typed for a native format, or the
/// "format not supported" error, which C only raises when there is an
/// item to unpack (an empty view of any single-character format gives
/// `[]`).
trait Unpack {
    /// Whether every item unpacks to an immortal object (the small ints
    /// of 'B', True/False of '?'): then unpacking allocates nothing and
    /// runs no Python code, so the view cannot be released in between.
    const IMMORTAL: bool = false;

    /// # Safety
    /// As [`unpack_single`].
    unsafe fn unpack(self_: MemoryView, ptr: *const u8, fmt: &FmtChar) -> PyResult<Owned>;

    /// [`Self::unpack`] without the release check (the caller made it,
    /// and unpacking runs no Python code that could release the view).
    ///
    /// # Safety
    /// `ptr` points to a readable item.
    unsafe fn unpack_unchecked(self_: MemoryView, ptr: *const u8, fmt: &FmtChar)
        -> PyResult<Owned>;

    /// The item at `ptr` when [`Self::IMMORTAL`] (NULL otherwise).
    ///
    /// # Safety
    /// `ptr` is readable for one byte.
    #[inline(always)]
    unsafe fn unpack_immortal(_ptr: *const u8) -> *mut PyObject {
        core::ptr::null_mut()
    }
}

struct Typed<T>(core::marker::PhantomData<T>);
impl<T: Native> Unpack for Typed<T> {
    const IMMORTAL: bool = T::CHAR == b'B' || T::CHAR == b'?';

    #[inline(always)]
    unsafe fn unpack(self_: MemoryView, ptr: *const u8, _fmt: &FmtChar) -> PyResult<Owned> {
        // SAFETY: forwarded.
        unsafe { unpack_single::<T>(self_, ptr) }
    }

    #[inline(always)]
    unsafe fn unpack_unchecked(
        _self: MemoryView,
        ptr: *const u8,
        _fmt: &FmtChar,
    ) -> PyResult<Owned> {
        // SAFETY: forwarded.
        unsafe { unpack_item::<T>(ptr) }
    }

    #[inline(always)]
    unsafe fn unpack_immortal(ptr: *const u8) -> *mut PyObject {
        // SAFETY: caller's contract.
        let b: u8 = unsafe { crate::native::load_unaligned(ptr) };
        match T::CHAR {
            // 0..=255: always a small int.
            b'B' => {
                api::long::small_int(i64::from(b)).map_or(core::ptr::null_mut(), |p| p.as_ptr())
            }
            // unpack_single's `_Bool`: any nonzero byte is True.
            b'?' => api::object::py_bool(b != 0).as_ptr(),
            _ => core::ptr::null_mut(),
        }
    }
}

struct Unsupported;
impl Unpack for Unsupported {
    unsafe fn unpack(self_: MemoryView, _ptr: *const u8, fmt: &FmtChar) -> PyResult<Owned> {
        self_.check_released()?;
        Err(err_format(fmt))
    }

    unsafe fn unpack_unchecked(
        _self: MemoryView,
        _ptr: *const u8,
        fmt: &FmtChar,
    ) -> PyResult<Owned> {
        Err(err_format(fmt))
    }
}

/// `tolist_base`/`tolist_rec` for the format `T`: a nested list of the
/// items of `v` (ndim >= 1).
///
/// # Safety
/// `v` describes `self`'s buffer (valid while `self` is not released,
/// which every item re-checks).
// C: tolist_base
unsafe fn tolist_rec<U: Unpack>(
    self_: MemoryView,
    v: &Strided<'_>,
    fmt: &FmtChar,
) -> PyResult<Owned> {
    let (Some(&n), Some(&stride)) = (v.shape.first(), v.strides.first()) else {
        return Err(err::set_string(
            Exc::RuntimeError,
            cpython_sys::cmsg!("memoryview: internal error"),
        ));
    };
    let lst = api::list::new(n)?;
    let mut ptr = v.buf;
    if v.ndim() == 1 && !matches!(v.suboffsets, Some([s, ..]) if *s >= 0) {
        // tolist_base without indirection: no pointer to adjust.
        if U::IMMORTAL {
            // Nothing below allocates or runs Python code: one release
            // check covers every item.
            self_.check_released()?;
            let items = api::list::items_ptr(lst.borrow());
            if items.is_null() && n > 0 {
                return Err(err::set_string(
                    Exc::RuntimeError,
                    cpython_sys::cmsg!("memoryview: internal error"),
                ));
            }
            for i in 0..n {
                // SAFETY: an item of the buffer (not released: checked
                // above, and nothing here can release it).
                let item = unsafe { U::unpack_immortal(ptr) };
                if item.is_null() {
                    return Err(err::set_string(
                        Exc::RuntimeError,
                        cpython_sys::cmsg!("memoryview: internal error"),
                    ));
                }
                // SAFETY: `items` is the fresh list's array of n slots,
                // i < n; the slot takes a reference to an immortal object
                // (which needs no counting).
                unsafe { *items.offset(i) = item };
                ptr = ptr.wrapping_offset(stride);
            }
            return Ok(lst);
        }
        // C re-checks the release before every item; with one dimension
        // nothing between two items can release the view (unpacking only
        // allocates ints, floats or bytes, which never runs Python code),
        // so one check is the same.
        if n > 0 {
            self_.check_released()?;
        }
        for i in 0..n {
            // SAFETY: an item of the buffer, not released (above).
            let item = unsafe { U::unpack_unchecked(self_, ptr, fmt)? };
            // SAFETY: fresh list of n slots, i < n.
            unsafe { api::list::set_fresh(lst.borrow(), i, item) };
            ptr = ptr.wrapping_offset(stride);
        }
        return Ok(lst);
    }
    for i in 0..n {
        // The pointer read of a suboffset needs the buffer alive.
        self_.check_released()?;
        // SAFETY: not released: the buffer is alive (caller's contract).
        let xptr = unsafe { v.adjust(ptr) };
        let item = if v.ndim() == 1 {
            // SAFETY: an item of the buffer.
            unsafe { U::unpack(self_, xptr, fmt)? }
        } else {
            let inner = Strided {
                buf: xptr,
                itemsize: v.itemsize,
                shape: v.shape.get(1..).unwrap_or(&[]),
                strides: v.strides.get(1..).unwrap_or(&[]),
                suboffsets: v.suboffsets.map(|s| s.get(1..).unwrap_or(&[])),
            };
            // SAFETY: forwarded.
            unsafe { tolist_rec::<U>(self_, &inner, fmt)? }
        };
        // SAFETY: fresh list of n slots, i < n.
        unsafe { api::list::set_fresh(lst.borrow(), i, item) };
        ptr = ptr.wrapping_offset(stride);
    }
    Ok(lst)
}

/// `memoryview_tolist_impl(self)`.
pub(crate) fn memoryview_tolist_impl(self_: MemoryView) -> PyResult<Owned> {
    self_.check_released()?;
    let fmt = adjust_fmt(self_)?;
    if self_.ndim() == 0 {
        // SAFETY: a 0-dim view's item is at `buf`; unpack_single re-checks
        // that the view is not released.
        return unsafe { unpack_single_dyn(self_, self_.view_copy().buf as *const u8, fmt) };
    }
    let v = self_.strided();
    /// # Safety
    /// `v` is the view of `self` (ndim >= 1), checked not released.
    unsafe fn run<U: Unpack>(self_: MemoryView, v: &Strided<'_>, fmt: &FmtChar) -> PyResult<Owned> {
        // SAFETY: forwarded.
        unsafe { tolist_rec::<U>(self_, v, fmt) }
    }
    // SAFETY: `v` is the view of `self`, checked not released; every item
    // access re-checks.
    unsafe {
        with_native!(fmt.ch(), T => run::<Typed<T>>(self_, &v, &fmt),
                     _ => run::<Unsupported>(self_, &v, &fmt))
    }
}

/// Parses the `order` argument of tobytes (NULL: 'C').
fn parse_order(order: Option<&[u8]>) -> PyResult<u8> {
    match order {
        None | Some(b"C") => Ok(b'C'),
        Some(b"F") => Ok(b'F'),
        Some(b"A") => Ok(b'A'),
        Some(_) => Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("order must be 'C', 'F' or 'A'"),
        )),
    }
}

/// `PyBuffer_ToContiguous(dest, &self->view, len, order)` for a view of
/// ours that is not released.
fn view_to_contiguous(self_: MemoryView, dest: *mut u8, order: u8) {
    let view = self_.view();
    // SAFETY: a memoryview's view is a valid full buffer description.
    if unsafe { cpython_sys::api::buffer::is_contiguous(view, order) } {
        let v = self_.view_copy();
        if v.len > 0 {
            // SAFETY: contiguous: `len` bytes at buf, alive (not released);
            // `dest` has room for len bytes (callers).
            unsafe { core::ptr::copy_nonoverlapping(v.buf as *const u8, dest, v.len as usize) };
        }
        return;
    }
    // SAFETY: as above; `dest` is fresh memory of len bytes.
    unsafe { buffer_to_contiguous(dest, &self_.strided(), order) };
}

/// `memoryview_tobytes_impl(self, order)`.
pub(crate) fn memoryview_tobytes_impl(self_: MemoryView, order: Option<&[u8]>) -> PyResult<Owned> {
    self_.check_released()?;
    let ord = parse_order(order)?;
    let len = self_.view_copy().len;
    let (bytes, dest) = api::bytes::new_uninit(len)?;
    // Allocating may have run a finalizer.
    self_.check_released()?;
    view_to_contiguous(self_, dest, ord);
    Ok(bytes)
}

/// `memoryview_hex_impl(self, sep, bytes_per_sep)`.
pub(crate) fn memoryview_hex_impl(
    self_: MemoryView,
    sep: Option<Borrowed<'_>>,
    bytes_per_sep: c_int,
) -> PyResult<Owned> {
    self_.check_released()?;
    let v = self_.view_copy();
    if sep.is_none() {
        // No separator: _Py_strhex_with_sep() is the plain digits, which
        // are written here straight into the str.
        let len = usize::try_from(v.len).unwrap_or(0);
        // _Py_strhex_impl: `arglen >= PY_SSIZE_T_MAX / 2` is a MemoryError.
        if len >= (isize::MAX as usize) / 2 {
            return Err(api::err::no_memory());
        }
        // len <= isize::MAX / 2 (above): no overflow.
        let (s, dest) = api::unicode::new_ascii_uninit(len.wrapping_mul(2) as isize)?;
        self_.check_released()?;
        // SAFETY: `dest` holds 2 * len bytes, written in full below.
        let dest = unsafe { core::slice::from_raw_parts_mut(dest, len.wrapping_mul(2)) };
        if mv_c_contiguous(self_.flags()) {
            if len > 0 {
                // SAFETY: not released, contiguous: len bytes at buf; no
                // Python code runs until the digits are written.
                let data = unsafe { core::slice::from_raw_parts(v.buf as *const u8, len) };
                hex_into(data, dest);
            }
        } else {
            let mem = PyMemBlock::new(len)?;
            self_.check_released()?;
            view_to_contiguous(self_, mem.as_ptr(), b'C');
            // SAFETY: just filled with len bytes.
            hex_into(
                unsafe { core::slice::from_raw_parts(mem.as_ptr(), len) },
                dest,
            );
        }
        return Ok(s);
    }
    if mv_c_contiguous(self_.flags()) {
        // _Py_strhex_with_sep() takes the length of `sep` before it reads
        // the data: Python code for a str or bytes subclass with __len__,
        // which could release the view (C would then read freed memory);
        // the pin keeps the buffer.  An exact str or bytes runs no Python
        // code and needs no pin.
        let buf = v.buf as *const u8;
        if sep.is_some_and(|s| api::unicode::check_exact(s) || api::bytes::check_exact(s)) {
            // SAFETY: contiguous and not released (checked above): len
            // bytes at buf, and taking the length of an exact str or bytes
            // runs no Python code.
            return unsafe { api::strhex::with_sep_raw(buf, v.len, sep, bytes_per_sep) };
        }
        let _pin = crate::object::ExportPin::new(self_)?;
        // SAFETY: as above, and pinned while `sep`'s length is taken.
        return unsafe { api::strhex::with_sep_raw(buf, v.len, sep, bytes_per_sep) };
    }
    let (bytes, dest) = api::bytes::new_uninit(v.len)?;
    self_.check_released()?;
    view_to_contiguous(self_, dest, b'C');
    let data = api::bytes::as_slice(bytes.borrow()).unwrap_or(&[]);
    api::strhex::with_sep(data, sep, bytes_per_sep)
}

pub(crate) unsafe extern "C" fn memory_repr(
    op: *mut cpython_sys::ffi::PyObject,
) -> *mut cpython_sys::ffi::PyObject {
    // SAFETY: tp_repr receives a live instance.
    let mv = unsafe { MemoryView::from_ptr(op) };
    let r = if mv.flags() & MV_RELEASED != 0 {
        api::unicode::from_format_ptr(c"<released memory at %p>", op as usize)
    } else {
        api::unicode::from_format_ptr(c"<memory at %p>", op as usize)
    };
    cpython_sys::object::result_into_ptr(r)
}
