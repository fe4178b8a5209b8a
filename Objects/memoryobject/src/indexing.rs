//! Indexing and slicing.

use core::ffi::c_int;

use cpython_sys::api::{self, buffer, err, Exc};
use cpython_sys::ffi::{self, PyObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::{Borrowed, Owned, PyErr, PyResult};

use crate::constructors::{init_flags, init_len, mbuf_add_view_unflagged};
use crate::copying::copy_single;
use crate::layout::{self, SliceAdjust, PYBUF_FULL_RO, PYBUF_MAX_NDIM};
use crate::native::FmtChar;
use crate::object::{FullView, MemoryView, Scratch};
use crate::pack::{pack_single_dyn, unpack_single_dyn};
use crate::repr::adjust_fmt;
use crate::strided::{adjust_ptr, Strided};

/// Index error of `lookup_dimension`.
fn index_error(dim: usize) -> PyErr {
    err::format_int(
        Exc::IndexError,
        c"index out of bounds on dimension %d",
        (dim as c_int).wrapping_add(1),
    )
}

/// The address of the item at the (already bounds-checked) `indices`
/// (the pointer arithmetic of `lookup_dimension`).
///
/// # Safety
/// The view is not released (suboffsets dereference buffer memory).
// C: lookup_dimension
unsafe fn item_address(v: &Strided<'_>, indices: &[Py_ssize_t]) -> *mut u8 {
    let mut ptr = v.buf;
    for (dim, i) in (0..usize::MAX).zip(indices) {
        let stride = v.strides.get(dim).copied().unwrap_or(0);
        ptr = ptr.wrapping_offset(stride.wrapping_mul(*i));
        // SAFETY: caller's contract.
        ptr = unsafe { adjust_ptr(ptr, v.suboffsets, dim) };
    }
    ptr
}

/// The conversion loop of `ptr_from_tuple`: converts and bounds-checks
/// each index of the tuple whose item pointers are `items`, in order (each
/// one before the next is converted), and hands it to `f(dim, index,
/// stride)`; returns the number of indices.
#[inline(always)]
fn for_each_index(
    shape: &[Py_ssize_t],
    strides: &[Py_ssize_t],
    items: &[*mut PyObject],
    mut f: impl FnMut(usize, Py_ssize_t, Py_ssize_t),
) -> PyResult<usize> {
    let ndim = shape.len();
    if items.len() > ndim {
        // C passes `view->ndim`, an int (at most PyBUF_MAX_NDIM), to %d.
        return Err(err::format_int_ssize(
            Exc::TypeError,
            c"cannot index %d-dimension view with %zd-element tuple",
            ndim as c_int,
            items.len() as Py_ssize_t,
        ));
    }
    // (items.len() <= ndim: the zip stops at the last index; a view has
    // as many strides as dimensions)
    let dims = shape.iter().zip(strides);
    for (dim, (&item, (&nitems, &stride))) in items.iter().zip(dims).enumerate() {
        // SAFETY: an item of the tuple, which the caller's borrow keeps
        // alive (a tuple's items cannot be replaced, so `__index__` cannot
        // drop it).
        let Some(key) = (unsafe { Borrowed::from_ptr_opt(item) }) else {
            return Err(index_error(dim));
        };
        let index = api::number::as_ssize_t_index_error(key)?;
        let Some(index) = layout::normalize_index(index, nitems) else {
            return Err(index_error(dim));
        };
        f(dim, index, stride);
    }
    Ok(items.len())
}

/// `ptr_from_tuple` without the memory access: the checked indices.
fn indices_from_tuple(
    v: &Strided<'_>,
    tup: &[*mut PyObject],
    out: &mut [Py_ssize_t; PYBUF_MAX_NDIM],
) -> PyResult<usize> {
    for_each_index(v.shape, v.strides, tup, |dim, index, _| {
        if let Some(slot) = out.get_mut(dim) {
            *slot = index;
        }
    })
}

/// `ptr_from_tuple` for a view without suboffsets ([`MemoryView::plain_dims`]):
/// the item's address is pure arithmetic (nothing is read, so `__index__`
/// releasing the view in between is harmless: the caller re-checks before
/// reading).
// C: ptr_from_tuple
#[inline(always)]
fn address_from_tuple(
    buf: *mut u8,
    shape: &[Py_ssize_t],
    strides: &[Py_ssize_t],
    tup: &[*mut PyObject],
) -> PyResult<*mut u8> {
    let mut ptr = buf;
    for_each_index(shape, strides, tup, |_, index, stride| {
        ptr = ptr.wrapping_offset(stride.wrapping_mul(index));
    })?;
    Ok(ptr)
}

/// `memory_item(self, index)`: sq_item.
pub(crate) unsafe extern "C" fn memory_item(op: *mut PyObject, index: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a slot of our type: `op` is a live memoryview.
    result_into_ptr(memory_item_result(
        unsafe { MemoryView::from_ptr(op) },
        index,
    ))
}

// C: ptr_from_index
fn memory_item_result(self_: MemoryView, index: Py_ssize_t) -> PyResult<Owned> {
    self_.check_released()?;
    let fmt = adjust_fmt(self_)?;
    match self_.ndim() {
        0 => Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("invalid indexing of 0-dim memory"),
        )),
        1 => {
            // SAFETY: ndim 1; not released (checked above, no Python code
            // since).
            let Some(ptr) = (unsafe { self_.lookup_dimension_1d(index) }) else {
                return Err(index_error(0));
            };
            // SAFETY: as above.
            unsafe { unpack_single_dyn(self_, ptr, fmt) }
        }
        _ => Err(err::set_string(
            Exc::NotImplementedError,
            cpython_sys::cmsg!("multi-dimensional sub-views are not implemented"),
        )),
    }
}

/// `memory_item_multi(self, tup)` (out of line: its index array stays
/// off the single-index path).
#[inline(never)]
///
/// `tup` is the key's item pointers ([`is_multiindex`]); the caller
/// checked that the view is not released (C's CHECK_RELEASED here would
/// see the same flags: no Python code ran since).
fn memory_item_multi(self_: MemoryView, tup: &[*mut PyObject]) -> PyResult<Owned> {
    let fmt = adjust_fmt(self_)?;
    if tup.len() < self_.ndim() {
        return Err(err::set_string(
            Exc::NotImplementedError,
            cpython_sys::cmsg!("sub-views are not implemented"),
        ));
    }
    if let Some((buf, shape, strides)) = self_.plain_dims() {
        let ptr = address_from_tuple(buf, shape, strides, tup)?;
        // SAFETY: the item at `ptr` is read by unpack_single, which
        // re-checks the release first (CHECK_RELEASED_AGAIN).
        return unsafe { unpack_single_dyn(self_, ptr, fmt) };
    }
    let v = self_.strided();
    let mut idx = [0; PYBUF_MAX_NDIM];
    let n = indices_from_tuple(&v, tup, &mut idx)?;
    // CHECK_RELEASED_AGAIN (in C: at the start of unpack_single).
    self_.check_released()?;
    // SAFETY: not released, no Python code since the check.
    unsafe {
        let ptr = item_address(&v, idx.get(..n).unwrap_or(&[]));
        unpack_single_dyn(self_, ptr, fmt)
    }
}

/// `init_slice(base, key, dim)` on a fresh view of ours.
fn init_slice(mv: MemoryView, key: Borrowed<'_>, dim: usize) -> PyResult<()> {
    let (start, stop, step) = api::slice::unpack(key)?;
    // SAFETY: the fresh view has ndim > dim entries in its arrays.
    unsafe {
        let view = &mut *mv.view();
        let (shape, strides) = (view.shape.add(dim), view.strides.add(dim));
        let (start, _stop, slicelength) = api::slice::adjust_indices(*shape, start, stop, step);
        let n = usize::try_from(view.ndim).unwrap_or(0);
        let sub = if view.suboffsets.is_null() {
            None
        } else {
            Some(core::slice::from_raw_parts(view.suboffsets, n))
        };
        let (adjust, new_stride) = layout::init_slice(*strides, start, step, sub, dim);
        match adjust {
            SliceAdjust::Buf(d) => view.buf = (view.buf as *mut u8).wrapping_offset(d) as *mut _,
            SliceAdjust::Suboffset(k, d) => {
                let p = view.suboffsets.add(k);
                *p = (*p).wrapping_add(d);
            }
        }
        *shape = slicelength;
        *strides = new_stride;
    }
    Ok(())
}

/// `is_multislice(key)`.
fn is_multislice(key: Borrowed<'_>) -> bool {
    let items = api::tuple::items(key);
    !items.is_empty() && items.iter().all(|&x| is_item(x, api::slice::check))
}

/// `is_multiindex(key)` (true for the empty tuple, as in C): the tuple's
/// item pointers when it is one, for the caller's index loop.
#[inline(always)]
fn is_multiindex(key: Borrowed<'_>) -> Option<&[*mut PyObject]> {
    if !api::tuple::check(key) {
        return None;
    }
    let items = api::tuple::items(key);
    items
        .iter()
        .all(|&x| is_item(x, api::number::index_check))
        .then_some(items)
}

/// `test` on a tuple item (false for a NULL slot, which a tuple being
/// built could have).
#[inline(always)]
fn is_item(x: *mut PyObject, test: fn(Borrowed<'_>) -> bool) -> bool {
    // SAFETY: an item of a tuple the caller borrows: live or NULL.
    unsafe { Borrowed::from_ptr_opt(x) }.is_some_and(test)
}

/// `memory_subscript(self, key)`: mp_subscript.
pub(crate) unsafe extern "C" fn memory_subscript(
    op: *mut PyObject,
    key: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a slot of our type; `key` is live for the call.
    result_into_ptr(unsafe {
        memory_subscript_result(MemoryView::from_ptr(op), Borrowed::from_ptr(key))
    })
}

/// The slice branch of `memory_subscript` (out of line: its large frame
/// (a `Py_buffer` copy) stays off the item path).
#[inline(never)]
fn memory_subscript_slice(self_: MemoryView, key: Borrowed<'_>) -> PyResult<Owned> {
    self_.check_restricted()?;
    let Some(mbuf) = self_.mbuf() else {
        return Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!("operation forbidden on released memoryview object"),
        ));
    };
    // SAFETY: the header of a constructed view that the caller keeps
    // alive; nothing writes it while the new view copies it.
    // (The flags are set once, for the sliced shape.)
    let (sliced, mv) = mbuf_add_view_unflagged(mbuf, Some(unsafe { self_.view_ref() }))?;
    init_slice(mv, key, 0)?;
    init_len(mv);
    init_flags(mv);
    Ok(sliced)
}

fn memory_subscript_result(self_: MemoryView, key: Borrowed<'_>) -> PyResult<Owned> {
    self_.check_released()?;
    if self_.ndim() == 0 {
        if api::tuple::check(key) && api::tuple::len(key) == 0 {
            let fmt = adjust_fmt(self_)?;
            // SAFETY: not released (checked above).
            return unsafe { unpack_single_dyn(self_, self_.view_copy().buf as *mut u8, fmt) };
        } else if key.is(api::object::ellipsis()) {
            return Ok(self_.borrowed().new_ref());
        }
        return Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("invalid indexing of 0-dim memory"),
        ));
    }

    if api::number::index_check(key) {
        let index = api::number::as_ssize_t_index_error(key)?;
        return memory_item_result(self_, index);
    } else if api::slice::check(key) {
        return memory_subscript_slice(self_, key);
    } else if let Some(items) = is_multiindex(key) {
        return memory_item_multi(self_, items);
    } else if is_multislice(key) {
        return Err(err::set_string(
            Exc::NotImplementedError,
            cpython_sys::cmsg!("multi-dimensional slicing is not implemented"),
        ));
    }
    Err(err::set_string(
        Exc::TypeError,
        cpython_sys::cmsg!("memoryview: invalid slice key"),
    ))
}

/// `memory_ass_sub(self, key, value)`: mp_ass_subscript.
pub(crate) unsafe extern "C" fn memory_ass_sub(
    op: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: a slot of our type; `key` and `value` (NULL: delete) are
    // live for the call.
    let r = unsafe {
        memory_ass_sub_result(
            MemoryView::from_ptr(op),
            Borrowed::from_ptr(key),
            Borrowed::from_ptr_opt(value),
        )
    };
    match r {
        Ok(()) => 0,
        Err(_) => -1,
    }
}

/// The one-dimensional slice assignment of `memory_ass_sub` (out of line:
/// its large frame stays off the item path).
#[inline(never)]
fn memory_ass_sub_slice(self_: MemoryView, key: Borrowed<'_>, value: Borrowed<'_>) -> PyResult<()> {
    // rvalue must be an exporter
    buffer::with_buffer(value, PYBUF_FULL_RO, |src| {
        // SAFETY: the header of a constructed 1-D view (one entry per
        // array, suboffsets NULL or one entry), which the caller keeps
        // alive; nothing writes it.
        let v = unsafe { self_.view_ref() };
        let has_sub = !v.suboffsets.is_null();
        // SAFETY: as above.
        let (mut shape, mut strides, mut sub) = unsafe {
            (
                [*v.shape],
                [*v.strides],
                [if has_sub { *v.suboffsets } else { -1 }],
            )
        };
        let mut buf = v.buf as *mut u8;
        let (start, stop, step) = api::slice::unpack(key)?;
        let (start, _stop, slicelength) = api::slice::adjust_indices(shape[0], start, stop, step);
        let _ = stop;
        let (adjust, new_stride) =
            layout::init_slice(strides[0], start, step, has_sub.then_some(&sub[..]), 0);
        match adjust {
            SliceAdjust::Buf(d) => buf = buf.wrapping_offset(d),
            SliceAdjust::Suboffset(k, d) => {
                if let Some(s) = sub.get_mut(k) {
                    *s = s.wrapping_add(d);
                }
            }
        }
        shape[0] = slicelength;
        strides[0] = new_stride;
        let dest = Strided {
            buf,
            itemsize: v.itemsize,
            shape: &shape,
            strides: &strides,
            suboffsets: has_sub.then_some(&sub[..]),
        };
        self_.check_released()?;
        let mut scratch = Scratch::new();
        // SAFETY: held by with_buffer for the closure.
        let Some(full) = (unsafe { FullView::new(src, &mut scratch) }) else {
            return Err(err::set_string(
                Exc::ValueError,
                cpython_sys::cmsg!(
                    "memoryview assignment: lvalue and rvalue have different structures"
                ),
            ));
        };
        // SAFETY: `self` is not released (checked above; copy_single
        // re-checks) and no Python code runs from here on; `src` is
        // held by with_buffer.
        unsafe {
            let dfmt = self_.format();
            let sfmt = full.format();
            copy_single(self_, &dest, dfmt, &full.strided(), sfmt)
        }
    })
}

/// The 0-dim branch of `memory_ass_sub` (out of line, as the other
/// branches but the single index).
#[inline(never)]
fn memory_ass_sub_0dim(
    self_: MemoryView,
    key: Borrowed<'_>,
    value: Borrowed<'_>,
    fmt: FmtChar,
) -> PyResult<()> {
    if key.is(api::object::ellipsis()) || (api::tuple::check(key) && api::tuple::len(key) == 0) {
        let buf = self_.view_copy().buf as *mut u8;
        // SAFETY: the item is the whole buffer; pack_single re-checks
        // that the view is not released before storing.
        return unsafe { pack_single_dyn(self_, || buf, value, fmt) };
    }
    Err(err::set_string(
        Exc::TypeError,
        cpython_sys::cmsg!("invalid indexing of 0-dim memory"),
    ))
}

/// The multi-index branch of `memory_ass_sub` (out of line: its index
/// array stays off the single-index path).
#[inline(never)]
fn memory_ass_sub_multi(
    self_: MemoryView,
    key: &[*mut PyObject],
    value: Borrowed<'_>,
    fmt: FmtChar,
) -> PyResult<()> {
    if key.len() < self_.ndim() {
        return Err(err::set_string(
            Exc::NotImplementedError,
            cpython_sys::cmsg!("sub-views are not implemented"),
        ));
    }
    if let Some((buf, shape, strides)) = self_.plain_dims() {
        let ptr = address_from_tuple(buf, shape, strides, key)?;
        // SAFETY: pure arithmetic on the buffer's address; pack_single
        // re-checks that the view is not released before it stores.
        return unsafe { pack_single_dyn(self_, || ptr, value, fmt) };
    }
    let v = self_.strided();
    let mut idx = [0; PYBUF_MAX_NDIM];
    let n = indices_from_tuple(&v, key, &mut idx)?;
    // SAFETY: the address is computed after pack_single's re-check.
    unsafe {
        pack_single_dyn(
            self_,
            || item_address(&v, idx.get(..n).unwrap_or(&[])),
            value,
            fmt,
        )
    }
}

fn memory_ass_sub_result(
    self_: MemoryView,
    key: Borrowed<'_>,
    value: Option<Borrowed<'_>>,
) -> PyResult<()> {
    self_.check_released()?;
    let fmt = adjust_fmt(self_)?;
    if self_.readonly() {
        return Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("cannot modify read-only memory"),
        ));
    }
    let Some(value) = value else {
        return Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("cannot delete memory"),
        ));
    };
    let ndim = self_.ndim();
    if ndim == 0 {
        return memory_ass_sub_0dim(self_, key, value, fmt);
    }

    if api::number::index_check(key) {
        if 1 < ndim {
            return Err(err::set_string(
                Exc::NotImplementedError,
                cpython_sys::cmsg!("sub-views are not implemented"),
            ));
        }
        let index = api::number::as_ssize_t_index_error(key)?;
        let Some(i) = self_.check_index_1d(index) else {
            return Err(index_error(0));
        };
        // SAFETY: ndim 1; the address is computed after pack_single's
        // re-check.
        return unsafe { pack_single_dyn(self_, || self_.item_address_1d(i), value, fmt) };
    }
    // one-dimensional: fast path
    if api::slice::check(key) && ndim == 1 {
        return memory_ass_sub_slice(self_, key, value);
    }
    if let Some(items) = is_multiindex(key) {
        return memory_ass_sub_multi(self_, items, value, fmt);
    }
    if api::slice::check(key) || is_multislice(key) {
        // Call memory_subscript() to produce a sliced lvalue, then copy
        // rvalue into lvalue. This is already implemented in _testbuffer.c.
        return Err(err::set_string(
            Exc::NotImplementedError,
            cpython_sys::cmsg!("memoryview slice assignments are currently restricted to ndim = 1"),
        ));
    }
    Err(err::set_string(
        Exc::TypeError,
        cpython_sys::cmsg!("memoryview: invalid slice key"),
    ))
}

/// `memory_length(self)`: mp_length and sq_length.
pub(crate) unsafe extern "C" fn memory_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a slot of our type.
    let mv = unsafe { MemoryView::from_ptr(op) };
    memory_length_result(mv).unwrap_or(-1)
}

pub(crate) fn memory_length_result(mv: MemoryView) -> PyResult<Py_ssize_t> {
    mv.check_released()?;
    let v = mv.view_copy();
    if v.ndim == 0 {
        return Err(err::set_string(
            Exc::TypeError,
            cpython_sys::cmsg!("0-dim memory has no length"),
        ));
    }
    // SAFETY: ndim > 0: `shape` points to ndim entries of ob_array (`MemoryView`
    // invariant).
    Ok(unsafe { *v.shape })
}

/// As mapping.
pub(crate) static mut memory_as_mapping: ffi::PyMappingMethods = ffi::PyMappingMethods {
    mp_length: Some(memory_length),
    mp_subscript: Some(memory_subscript),
    mp_ass_subscript: Some(memory_ass_sub),
};

/// As sequence.
pub(crate) static mut memory_as_sequence: ffi::PySequenceMethods = ffi::PySequenceMethods {
    sq_length: Some(memory_length),
    sq_concat: None,
    sq_repeat: None,
    sq_item: Some(memory_item),
    was_sq_slice: core::ptr::null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: core::ptr::null_mut(),
    sq_contains: None,
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};
