//! Constructors: allocating memoryviews, registering them with a managed
//! buffer, and the public `PyMemoryView_From*` functions.

use core::ffi::{c_char, c_int};
use core::ptr::addr_of_mut;

use cpython_sys::api::{self, buffer, err, Exc};
use cpython_sys::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::{Borrowed, Owned, PyResult};

use crate::copying;
use crate::layout::{
    self, MBUF_FREE_FORMAT, MV_C, MV_FORTRAN, MV_PIL, MV_RELEASED, MV_SCALAR, PYBUF_FULL_RO,
    PYBUF_MAX_NDIM, PYBUF_WRITE,
};
use crate::mbuf::{_PyManagedBuffer_FromObject, mbuf_alloc};
use crate::object::{arr, copy_into, fmt_bytes, memoryview_check, ManagedBuffer, MemoryView};

/// `init_shared_values(dest, src)`: the format C falls back to when the
/// exporter gives none.
// C: init_shared_values
#[inline(always)]
fn shared_format(src: &Py_buffer) -> *mut c_char {
    if src.format.is_null() {
        c"B".as_ptr() as *mut c_char
    } else {
        src.format
    }
}

/// `init_shape_strides(dest, src)`: copies shape and strides and
/// reconstructs missing values.
///
/// # Safety
/// `dest.shape`/`dest.strides` have room for `src.ndim` entries; `src`'s
/// non-NULL arrays hold `src.ndim` entries.
pub(crate) unsafe fn init_shape_strides(dest: &mut Py_buffer, src: &Py_buffer) {
    let n = usize::try_from(src.ndim).unwrap_or(0);
    if n == 0 {
        dest.shape = core::ptr::null_mut();
        dest.strides = core::ptr::null_mut();
        return;
    }
    // SAFETY: caller's contract: room for n entries in dest.
    let (dshape, dstrides) = unsafe {
        (
            core::slice::from_raw_parts_mut(dest.shape, n),
            core::slice::from_raw_parts_mut(dest.strides, n),
        )
    };
    if let ([d], [st]) = (&mut *dshape, &mut *dstrides) {
        *d = if src.shape.is_null() {
            src.len.checked_div(src.itemsize).unwrap_or(0)
        } else {
            // SAFETY: caller's contract: one entry.
            unsafe { *src.shape }
        };
        *st = if src.strides.is_null() {
            src.itemsize
        } else {
            // SAFETY: caller's contract: one entry.
            unsafe { *src.strides }
        };
        return;
    }
    // SAFETY: caller's contract (a NULL shape with ndim > 1 is treated as
    // 1-D data, where C would crash).
    unsafe {
        if src.shape.is_null() {
            for (i, d) in (0..usize::MAX).zip(dshape.iter_mut()) {
                *d = if i == 0 {
                    src.len.checked_div(src.itemsize).unwrap_or(0)
                } else {
                    1
                };
            }
        } else {
            copy_into(dshape, arr(src.shape, n));
        }
        if src.strides.is_null() {
            layout::init_strides_from_shape(dshape, dest.itemsize, dstrides);
        } else {
            copy_into(dstrides, arr(src.strides, n));
        }
    }
}

/// `init_suboffsets(dest, src)`.
///
/// # Safety
/// As `init_shape_strides`, for suboffsets.
pub(crate) unsafe fn init_suboffsets(dest: &mut Py_buffer, src: &Py_buffer) {
    if src.suboffsets.is_null() {
        dest.suboffsets = core::ptr::null_mut();
        return;
    }
    let n = usize::try_from(src.ndim).unwrap_or(0);
    if n > 0 {
        // SAFETY: caller's contract.
        unsafe { core::ptr::copy_nonoverlapping(src.suboffsets, dest.suboffsets, n) };
    }
}

/// `init_len(view)`.
pub(crate) fn init_len(mv: MemoryView) {
    let s = mv.strided();
    let len = layout::init_len(s.shape, s.itemsize);
    // SAFETY: live view under construction (GIL held).
    unsafe { (*mv.view()).len = len };
}

/// `init_flags(mv)`.
#[inline]
pub(crate) fn init_flags(mv: MemoryView) {
    // SAFETY: a live view whose shape and strides are set (and not
    // written while this reads them); C tests the suboffsets pointer,
    // which for ndim 0 may be non-NULL.
    let (v, n) = unsafe { (&*mv.view(), mv.ndim()) };
    let f = if n == 1 {
        // The common case, as C's switch has it: MV_CONTIGUOUS_NDIM1.
        // SAFETY: ndim 1: shape and strides point to one entry (`MemoryView`
        // invariant).
        let (shape0, stride0) = unsafe { (*v.shape, *v.strides) };
        layout::init_flags_1d(shape0, Some(stride0), v.itemsize, !v.suboffsets.is_null())
    } else {
        // SAFETY: shape and strides point to ndim entries (or are unused
        // for ndim 0).
        let (shape, strides) = unsafe { (arr(v.shape, n), arr(v.strides, n)) };
        layout::init_flags(v.len, v.itemsize, shape, strides, !v.suboffsets.is_null())
    };
    mv.set_flags(f);
}

/// `memory_alloc(ndim)` followed by `init_shared_values(&mv->view, src)`:
/// a new memoryview with room for `ndim` shape, strides and suboffsets
/// entries, its buffer header written in one go from `src`, tracked by the
/// GC.  Shape, strides, suboffsets and flags are the caller's to fill in
/// before any Python code can see the view.
pub(crate) fn memory_alloc(ndim: usize, src: &Py_buffer) -> PyResult<(Owned, MemoryView)> {
    // SAFETY: PyMemoryView_Type is a ready variable-size GC type.
    let obj = unsafe {
        api::gc::new_var(
            addr_of_mut!(crate::types::PyMemoryView_Type),
            ndim.wrapping_mul(3) as Py_ssize_t,
        )?
    };
    // SAFETY: a fresh memoryview with 3*ndim items in ob_array.
    let mv = unsafe { MemoryView::from_ptr(obj.as_ptr()) };
    // SAFETY: initialising the fields of the fresh object; the three
    // arrays are the thirds of ob_array.
    unsafe {
        let p = mv.raw();
        (*p).mbuf = core::ptr::null_mut();
        (*p).hash = -1;
        // INVARIANT (`MemoryView`): without a managed buffer the view reads as
        // released; `register` clears the flag when it sets `mbuf`.
        (*p).flags = MV_RELEASED;
        (*p).exports = 0;
        let a = addr_of_mut!((*p).ob_array) as *mut Py_ssize_t;
        *mv.view() = Py_buffer {
            buf: src.buf,
            obj: src.obj,
            len: src.len,
            itemsize: src.itemsize,
            readonly: src.readonly,
            ndim: ndim as c_int,
            format: shared_format(src),
            shape: a,
            strides: a.wrapping_add(ndim),
            suboffsets: a.wrapping_add(ndim.wrapping_mul(2)),
            internal: src.internal,
        };
        (*p).weakreflist = core::ptr::null_mut();
        api::gc::track(obj.borrow());
    }
    Ok((obj, mv))
}

/// Registers `mv` with `mbuf` (`mv->mbuf = Py_NewRef(mbuf); exports++`).
fn register(mv: MemoryView, mbuf: ManagedBuffer) {
    // SAFETY: `register` is called once per view, right after
    // `memory_alloc` made it (mbuf NULL, not yet visible).
    unsafe { mv.set_mbuf(mbuf) };
    // INVARIANT (`MemoryView`): `mbuf` is set, so the view may read as live.
    mv.set_flags(mv.flags() & !MV_RELEASED);
    mbuf.add_exports(1);
}

/// `mbuf_add_view(mbuf, src)`: a new memoryview registered with `mbuf`
/// with a private copy of `src` (`None`: the master buffer).
#[inline]
pub(crate) fn mbuf_add_view(
    mbuf: ManagedBuffer,
    src: Option<&Py_buffer>,
) -> PyResult<(Owned, MemoryView)> {
    let (obj, mv) = mbuf_add_view_unflagged(mbuf, src)?;
    init_flags(mv);
    Ok((obj, mv))
}

/// `mbuf_add_view(mbuf, &src->view)` for a complete view `src` of ours
/// (the caller checked it is not released).  The new view copies src's
/// len, itemsize, ndim, shape, strides and suboffsets, the only inputs of
/// `init_flags`, so its flags are src's contiguity flags, copied instead
/// of computed again (`Lib/test/test_rust_objects.py` compares them).
pub(crate) fn mbuf_add_view_of(
    mbuf: ManagedBuffer,
    src: MemoryView,
) -> PyResult<(Owned, MemoryView)> {
    let flags = src.flags() & (MV_C | MV_FORTRAN | MV_SCALAR | MV_PIL);
    // SAFETY: the header of a constructed view that the caller keeps
    // alive; nothing writes it while the new view copies it.
    let (obj, mv) = mbuf_add_view_unflagged(mbuf, Some(unsafe { src.view_ref() }))?;
    mv.set_flags(flags);
    Ok((obj, mv))
}

/// `mbuf_add_view` without its `init_flags`, for a caller that changes
/// the shape first (slicing) and sets the flags after.
pub(crate) fn mbuf_add_view_unflagged(
    mbuf: ManagedBuffer,
    src: Option<&Py_buffer>,
) -> PyResult<(Owned, MemoryView)> {
    // SAFETY: the master buffer of a live managed buffer, not written
    // while the view is made.
    let src = src.unwrap_or_else(|| unsafe { &*mbuf.master() });
    let ndim = match usize::try_from(src.ndim) {
        Ok(n) if n <= PYBUF_MAX_NDIM => n,
        // C only checks the upper bound; a negative ndim is as bad.
        _ => {
            return Err(err::set_string(
                Exc::ValueError,
                cpython_sys::cmsg!("memoryview: number of dimensions must not exceed 64"),
            ));
        }
    };
    let (obj, mv) = memory_alloc(ndim, src)?;
    // SAFETY: the fresh view has room for ndim entries per array; `src`
    // is a valid buffer description.
    unsafe {
        let dest = &mut *mv.view();
        init_shape_strides(dest, src);
        init_suboffsets(dest, src);
    }
    register(mv, mbuf);
    Ok((obj, mv))
}

/// `mbuf_add_incomplete_view(mbuf, src, ndim)`: shape, strides,
/// suboffsets and flags are left to the caller.
pub(crate) fn mbuf_add_incomplete_view(
    mbuf: ManagedBuffer,
    src: Option<&Py_buffer>,
    ndim: usize,
) -> PyResult<(Owned, MemoryView)> {
    // SAFETY: the master buffer of a live managed buffer, not written
    // while the view is made.
    let src = src.unwrap_or_else(|| unsafe { &*mbuf.master() });
    debug_assert!(ndim <= PYBUF_MAX_NDIM);
    let (obj, mv) = memory_alloc(ndim, src)?;
    register(mv, mbuf);
    Ok((obj, mv))
}

/// `PyMemoryView_FromMemory(mem, size, flags)`.
///
/// # Safety
/// The C API contract: `mem` points to `size` bytes that outlive the view.
#[no_mangle]
pub unsafe extern "C" fn PyMemoryView_FromMemory(
    mem: *mut c_char,
    size: Py_ssize_t,
    flags: c_int,
) -> *mut PyObject {
    debug_assert!(!mem.is_null());
    let r = (|| {
        let (mbuf_obj, mbuf) = mbuf_alloc()?;
        let readonly = flags != PYBUF_WRITE;
        // SAFETY: the caller's memory outlives the view (API contract).
        unsafe {
            buffer::fill_info_no_obj(mbuf.master(), mem as *mut _, size, readonly, PYBUF_FULL_RO)
        };
        let r = mbuf_add_view(mbuf, None).map(|(o, _)| o);
        drop(mbuf_obj);
        r
    })();
    result_into_ptr(r)
}

/// `PyMemoryView_FromBuffer(info)`.
///
/// # Safety
/// The C API contract: `info` points to a valid buffer description whose memory outlives
/// the view.
#[no_mangle]
pub unsafe extern "C" fn PyMemoryView_FromBuffer(info: *const Py_buffer) -> *mut PyObject {
    // SAFETY: API contract: `info` is a valid buffer description.
    let info = unsafe { &*info };
    if info.buf.is_null() {
        let _ = err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("PyMemoryView_FromBuffer(): info->buf must not be NULL"),
        );
        return core::ptr::null_mut();
    }
    let r = (|| {
        let (mbuf_obj, mbuf) = mbuf_alloc()?;
        // info->obj is either NULL or a borrowed reference. This reference
        // should not be decremented in PyBuffer_Release().
        // SAFETY: master of the fresh managed buffer.
        unsafe {
            *mbuf.master() = *info;
            (*mbuf.master()).obj = core::ptr::null_mut();
        }
        let r = mbuf_add_view(mbuf, None).map(|(o, _)| o);
        drop(mbuf_obj);
        r
    })();
    result_into_ptr(r)
}

/// `PyMemoryView_FromObjectAndFlags(v, flags)` (static in C).
pub(crate) fn PyMemoryView_FromObjectAndFlags(v: Borrowed<'_>, flags: c_int) -> PyResult<Owned> {
    if memoryview_check(v) {
        // SAFETY: checked to be a memoryview; `v` keeps it alive.
        let mv = unsafe { MemoryView::from_ptr(v.as_ptr()) };
        mv.check_released()?;
        mv.check_restricted()?;
        let Some(mbuf) = mv.mbuf() else {
            return Err(err::set_string(
                Exc::ValueError,
                cpython_sys::cmsg!("operation forbidden on released memoryview object"),
            ));
        };
        return mbuf_add_view_of(mbuf, mv).map(|(o, _)| o);
    }
    if buffer::check(v) {
        let (mbuf_obj, mbuf) = _PyManagedBuffer_FromObject(v, flags)?;
        let r = mbuf_add_view(mbuf, None).map(|(o, _)| o);
        drop(mbuf_obj);
        return r;
    }
    // SAFETY: tp_name is a NUL-terminated string.
    Err(unsafe {
        err::format_cstr(
            Exc::TypeError,
            c"memoryview: a bytes-like object is required, not '%.200s'",
            v.type_name(),
        )
    })
}

/// `_PyMemoryView_FromBufferProc(v, flags, bufferproc)`.
///
/// # Safety
/// The C API contract: `v` is a live object and `bufferproc` a getbufferproc for it.
#[no_mangle]
pub unsafe extern "C" fn _PyMemoryView_FromBufferProc(
    v: *mut PyObject,
    flags: c_int,
    bufferproc: ffi::getbufferproc,
) -> *mut PyObject {
    let r = (|| {
        let (mbuf_obj, mbuf) = mbuf_alloc()?;
        let Some(proc_) = bufferproc else {
            return Err(api::err::bad_internal_call(c"Objects/memoryobject.c", 0));
        };
        // SAFETY: `v` is live (caller); `proc_` is its getbufferproc;
        // master is storage inside the managed buffer, released by
        // mbuf_release.
        let got =
            unsafe { buffer::get_buffer_with(proc_, Borrowed::from_ptr(v), mbuf.master(), flags) };
        if let Err(e) = got {
            // SAFETY: nothing acquired.
            unsafe { (*mbuf.master()).obj = core::ptr::null_mut() };
            drop(mbuf_obj);
            return Err(e);
        }
        let r = mbuf_add_view(mbuf, None).map(|(o, _)| o);
        drop(mbuf_obj);
        r
    })();
    result_into_ptr(r)
}

/// `PyMemoryView_FromObject(v)`.
///
/// # Safety
/// The C API contract: `v` is a live object.
#[no_mangle]
pub unsafe extern "C" fn PyMemoryView_FromObject(v: *mut PyObject) -> *mut PyObject {
    // SAFETY: API contract: `v` is a live object.
    result_into_ptr(PyMemoryView_FromObjectAndFlags(
        unsafe { Borrowed::from_ptr(v) },
        PYBUF_FULL_RO,
    ))
}

/// `mbuf_copy_format(mbuf, fmt)`: copies the format from a base object
/// that might vanish.
fn mbuf_copy_format(mbuf: ManagedBuffer, fmt: *const c_char) -> PyResult<()> {
    if fmt.is_null() {
        return Ok(());
    }
    // SAFETY: a NUL-terminated format string of a live view.
    let bytes = unsafe { fmt_bytes(fmt) };
    let cp = api::mem::malloc_raw(bytes.len().wrapping_add(1))?;
    // SAFETY: `cp` has room for the string and its NUL.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), cp.as_ptr(), bytes.len());
        *cp.as_ptr().add(bytes.len()) = 0;
        (*mbuf.master()).format = cp.as_ptr() as *mut c_char;
    }
    mbuf.set_flags(mbuf.flags() | MBUF_FREE_FORMAT);
    Ok(())
}

/// `memory_from_contiguous_copy(src, order)`: a memoryview over a
/// contiguous copy of `src` (a memoryview's view, ndim > 0).
fn memory_from_contiguous_copy(src: MemoryView, order: u8) -> PyResult<Owned> {
    let sv = src.view_copy();
    let (bytes, _) = api::bytes::new_uninit(sv.len)?;
    let (mbuf_obj, mbuf) = _PyManagedBuffer_FromObject(bytes.borrow(), PYBUF_FULL_RO)?;
    drop(bytes);
    mbuf_copy_format(mbuf, sv.format)?;
    let ndim = src.ndim();
    let (mv_obj, mv) = mbuf_add_incomplete_view(mbuf, None, ndim)?;
    drop(mbuf_obj);
    // SAFETY: the fresh view has room for ndim entries per array.
    unsafe {
        let dest = &mut *mv.view();
        // shared values are initialized correctly except for itemsize
        dest.itemsize = sv.itemsize;
        core::ptr::copy_nonoverlapping(sv.shape, dest.shape, ndim);
        let shape = core::slice::from_raw_parts(dest.shape, ndim);
        let strides = core::slice::from_raw_parts_mut(dest.strides, ndim);
        if order == b'C' || order == b'A' {
            layout::init_strides_from_shape(shape, dest.itemsize, strides);
        } else {
            layout::init_fortran_strides_from_shape(shape, dest.itemsize, strides);
        }
        dest.suboffsets = core::ptr::null_mut();
    }
    init_flags(mv);
    // SAFETY: `src` is not released (checked by the caller and no Python
    // code ran since) and `mv` is fresh memory of src->len bytes.
    unsafe {
        let (d, s) = (mv.strided(), src.strided());
        copying::copy_buffer(&d, mv.format(), &s, src.format())?;
    }
    Ok(mv_obj)
}

/// `PyMemoryView_GetContiguous(obj, buffertype, order)`.
///
/// # Safety
/// The C API contract: `obj` is a live object.
#[no_mangle]
pub unsafe extern "C" fn PyMemoryView_GetContiguous(
    obj: *mut PyObject,
    buffertype: c_int,
    order: c_char,
) -> *mut PyObject {
    debug_assert!(buffertype == layout::PYBUF_READ || buffertype == PYBUF_WRITE);
    let order = order as u8;
    let r = (|| {
        // SAFETY: API contract: `obj` is live.
        let mv_obj =
            PyMemoryView_FromObjectAndFlags(unsafe { Borrowed::from_ptr(obj) }, PYBUF_FULL_RO)?;
        // SAFETY: a memoryview we own.
        let mv = unsafe { MemoryView::from_ptr(mv_obj.as_ptr()) };
        if buffertype == PYBUF_WRITE && mv.readonly() {
            return Err(err::set_string(
                Exc::BufferError,
                cpython_sys::cmsg!("underlying buffer is not writable"),
            ));
        }
        // SAFETY: a memoryview's view has full information.
        if unsafe { buffer::is_contiguous(mv.view(), order) } {
            return Ok(mv_obj);
        }
        if buffertype == PYBUF_WRITE {
            return Err(err::set_string(
                Exc::BufferError,
                cpython_sys::cmsg!(
                    "writable contiguous buffer requested for a non-contiguous object."
                ),
            ));
        }
        memory_from_contiguous_copy(mv, order)
    })();
    result_into_ptr(r)
}

/// `memoryview_impl(type, object)`.
pub(crate) fn memoryview_impl(object: Borrowed<'_>) -> PyResult<Owned> {
    PyMemoryView_FromObjectAndFlags(object, PYBUF_FULL_RO)
}

/// `memoryview__from_flags_impl(type, object, flags)`.
pub(crate) fn memoryview__from_flags_impl(object: Borrowed<'_>, flags: c_int) -> PyResult<Owned> {
    PyMemoryView_FromObjectAndFlags(object, flags)
}
