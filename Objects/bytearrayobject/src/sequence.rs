//! C's "Functions stuffed into the type object": the sequence and mapping
//! slots, `__init__`, repr, comparison and deallocation.

use core::ffi::c_int;

use cpython_sys::api::buffer::View;
use cpython_sys::api::{self, buffer, err, Exc};
use cpython_sys::ffi::{self, PyObject, Py_ssize_t};
use cpython_sys::object::result_into_ptr;
use cpython_sys::{cmsg, Borrowed, Owned, PyResult};

use crate::object::{
    _canresize, _getbytevalue, bytearray_check, bytearray_from_object, new_uninit, ByteArray,
    PY_SSIZE_T_MAX,
};

/// # Safety
/// `op` is a live object for the call (slot contract).
#[inline(always)]
unsafe fn borrowed<'a>(op: *mut PyObject) -> Borrowed<'a> {
    // SAFETY: caller's contract.
    unsafe { Borrowed::from_ptr(op) }
}

/// `-1` with the exception set, the error return of the `int` slots.
#[inline(always)]
fn int_result(r: PyResult<()>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(_) => -1,
    }
}

/// `bytearray_length(self)`: sq_length and mp_length.
pub(crate) unsafe extern "C" fn bytearray_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a slot of our type: a live bytearray.
    unsafe { ByteArray::from_ptr(op) }.len()
}

/// `bytearray_iconcat(self, other)`: sq_inplace_concat.
pub(crate) unsafe extern "C" fn bytearray_iconcat(
    op: *mut PyObject,
    other: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a slot of our type; `other` is live for the call.
    let (ba, other) = unsafe { (ByteArray::from_ptr(op), borrowed(other)) };
    result_into_ptr(api::critical_section::with(ba.obj(), || {
        bytearray_iconcat_result(ba, other)
    }))
}

// C: bytearray_iconcat
pub(crate) fn bytearray_iconcat_result(ba: ByteArray<'_>, other: Borrowed<'_>) -> PyResult<Owned> {
    let mut slot = buffer::slot();
    let vo = View::simple(other, &mut slot).map_err(|_e| {
        // SAFETY: tp_name of live types are NUL-terminated strings.
        unsafe {
            err::format_cstr_cstr(
                Exc::TypeError,
                c"can't concat %.100s to %.100s",
                other.type_name(),
                ba.obj().type_name(),
            )
        }
    })?;
    let size = ba.len();
    if size > PY_SSIZE_T_MAX - vo.len() {
        return Err(err::no_memory());
    }
    ba.resize(size + vo.len())?;
    // SAFETY: the contents have room for size + vo.len bytes now; the view
    // stays acquired; `copy` allows overlap (other may view self: then the
    // resize above failed unless nothing moved).
    unsafe { core::ptr::copy(vo.buf(), ba.as_ptr().add(size as usize), vo.len() as usize) };
    Ok(ba.obj().new_ref())
}

/// `bytearray_repeat(self, count)`: sq_repeat.
pub(crate) unsafe extern "C" fn bytearray_repeat(
    op: *mut PyObject,
    count: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a slot of our type.
    let ba = unsafe { ByteArray::from_ptr(op) };
    result_into_ptr(bytearray_repeat_result(ba, count))
}

// C: bytearray_repeat
fn bytearray_repeat_result(ba: ByteArray<'_>, count: Py_ssize_t) -> PyResult<Owned> {
    let count = count.max(0);
    let mysize = ba.len();
    if count > 0 && mysize > PY_SSIZE_T_MAX / count {
        return Err(err::no_memory());
    }
    let size = mysize * count;
    let (result, rb) = new_uninit(size)?;
    if size != 0 {
        // SAFETY: the result has room for `size` bytes and `ba` holds
        // `mysize` readable ones (distinct objects); no Python code runs.
        unsafe { api::bytes::repeat(rb.as_ptr(), size, ba.as_ptr(), mysize) };
    }
    Ok(result)
}

/// `bytearray_irepeat(self, count)`: sq_inplace_repeat.
pub(crate) unsafe extern "C" fn bytearray_irepeat(
    op: *mut PyObject,
    count: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a slot of our type.
    let ba = unsafe { ByteArray::from_ptr(op) };
    result_into_ptr(api::critical_section::with(ba.obj(), || {
        bytearray_irepeat_result(ba, count)
    }))
}

// C: bytearray_irepeat
fn bytearray_irepeat_result(ba: ByteArray<'_>, count: Py_ssize_t) -> PyResult<Owned> {
    let count = if count < 0 {
        0
    } else if count == 1 {
        return Ok(ba.obj().new_ref());
    } else {
        count
    };
    let mysize = ba.len();
    if count > 0 && mysize > PY_SSIZE_T_MAX / count {
        return Err(err::no_memory());
    }
    let size = mysize * count;
    ba.resize(size)?;
    let buf = ba.as_ptr();
    // SAFETY: the contents hold `size` bytes, the first `mysize` the
    // original ones (an in-place repeat, which _PyBytes_Repeat allows).
    unsafe { api::bytes::repeat(buf, size, buf, mysize) };
    Ok(ba.obj().new_ref())
}

/// The byte at `i` (in bounds), as its small int.
#[inline(always)]
fn byte_at(ba: ByteArray<'_>, i: Py_ssize_t) -> Owned {
    // SAFETY: 0 <= i < len (callers check); no Python code runs.
    api::long::from_unsigned_char(unsafe { ba.get(i) })
}

/// `bytearray_getitem(self, i)`: sq_item.
pub(crate) unsafe extern "C" fn bytearray_getitem(
    op: *mut PyObject,
    i: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a slot of our type.
    let ba = unsafe { ByteArray::from_ptr(op) };
    if i < 0 || i >= ba.len() {
        let _ = err::set_string(Exc::IndexError, cmsg!("bytearray index out of range"));
        return core::ptr::null_mut();
    }
    byte_at(ba, i).into_raw()
}

/// `bytearray_subscript(self, index)`: mp_subscript.
pub(crate) unsafe extern "C" fn bytearray_subscript(
    op: *mut PyObject,
    index: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a slot of our type; `index` is live for the call.
    let (ba, index) = unsafe { (ByteArray::from_ptr(op), borrowed(index)) };
    result_into_ptr(api::critical_section::with(ba.obj(), || {
        bytearray_subscript_result(ba, index)
    }))
}

// C: bytearray_subscript
fn bytearray_subscript_result(ba: ByteArray<'_>, index: Borrowed<'_>) -> PyResult<Owned> {
    if api::number::index_check(index) {
        let mut i = api::number::as_ssize_t_index_error(index)?;
        // Python code may have run (__index__): the size is read after.
        if i < 0 {
            i = i.wrapping_add(ba.len());
        }
        if i < 0 || i >= ba.len() {
            return Err(err::set_string(
                Exc::IndexError,
                cmsg!("bytearray index out of range"),
            ));
        }
        Ok(byte_at(ba, i))
    } else if api::slice::check(index) {
        let (start, stop, step) = api::slice::unpack(index)?;
        let (start, _stop, slicelength) = api::slice::adjust_indices(ba.len(), start, stop, step);
        if slicelength <= 0 {
            Ok(new_uninit(0)?.0)
        } else if step == 1 {
            // SAFETY: start..start + slicelength is within the contents
            // (adjust_indices), which stay in place: no Python code runs.
            unsafe { crate::object::from_raw(ba.as_ptr().add(start as usize), slicelength) }
        } else {
            let (result, rb) = new_uninit(slicelength)?;
            // SAFETY: no Python code runs while the slices live; distinct
            // objects.
            let (src, dst) = unsafe { (ba.bytes(), rb.bytes_mut()) };
            if step == -1 {
                // Reversed: the whole run, backwards (vectorised).
                let src = src.get(..=start as usize).unwrap_or(&[]);
                for (d, &b) in dst.iter_mut().zip(src.iter().rev()) {
                    *d = b;
                }
            } else {
                let sp = src.as_ptr();
                let mut cur = start;
                for d in dst.iter_mut() {
                    // SAFETY: the slicelength (= dst.len()) indices start,
                    // start + step, ... are within the contents
                    // (adjust_indices).
                    *d = unsafe { *sp.offset(cur) };
                    cur = cur.wrapping_add(step);
                }
            }
            Ok(result)
        }
    } else {
        Err(crate::object::format_type_name(
            Exc::TypeError,
            c"bytearray indices must be integers or slices, not %.200s",
            index,
        ))
    }
}

/// `bytearray_setslice_linear(self, lo, hi, bytes, bytes_len)`.
///
/// # Safety
/// `bytes` points to `bytes_len` readable bytes that stay in place for the
/// call (which runs no Python code); they may lie in `ba`'s own contents
/// only while `ba` is exported (so that no resize happens).
#[inline(always)]
pub(crate) unsafe fn bytearray_setslice_linear(
    ba: ByteArray<'_>,
    lo: Py_ssize_t,
    hi: Py_ssize_t,
    bytes: *const u8,
    bytes_len: Py_ssize_t,
) -> PyResult<()> {
    let avail = hi - lo;
    let mut buf = ba.as_ptr();
    let growth = bytes_len - avail;
    let mut res = Ok(());
    debug_assert!(avail >= 0);

    if growth < 0 {
        _canresize(ba)?;
        if lo == 0 {
            // Shrink the buffer by advancing its logical start
            ba.advance_start(-growth);
        } else {
            // SAFETY: hi..size moves to lo + bytes_len, within the
            // contents (lo + bytes_len < hi <= size).
            unsafe {
                core::ptr::copy(
                    buf.add(hi as usize),
                    buf.add((lo + bytes_len) as usize),
                    (ba.len() - hi) as usize,
                )
            };
        }
        if let Err(e) = ba.resize(ba.len() + growth) {
            // Issue #19578: if growth < 0 and lo != 0, the operation is
            // completed, but a MemoryError is still raised and the memory
            // block is not shrunk.  Otherwise, the bytearray is restored in
            // its previous state and a MemoryError is raised.
            if lo == 0 {
                ba.advance_start(growth);
                return Err(e);
            }
            // memmove() removed bytes, the bytearray object cannot be
            // restored in its previous state.
            ba.set_len_shrunk(ba.len() + growth);
            res = Err(e);
        }
        buf = ba.as_ptr();
    } else if growth > 0 {
        if ba.len() > PY_SSIZE_T_MAX - growth {
            return Err(err::no_memory());
        }
        ba.resize(ba.len() + growth)?;
        buf = ba.as_ptr();
        // Make the place for the additional bytes
        // SAFETY: the contents grew by `growth`: hi..old_size moves to
        // lo + bytes_len..new_size.
        unsafe {
            core::ptr::copy(
                buf.add(hi as usize),
                buf.add((lo + bytes_len) as usize),
                (ba.len() - lo - bytes_len) as usize,
            )
        };
    }

    if bytes_len > 0 {
        // SAFETY: lo + bytes_len <= size now; `bytes` is readable (caller's
        // contract); `copy` allows the overlap of a view of ourselves.
        unsafe { core::ptr::copy(bytes, buf.add(lo as usize), bytes_len as usize) };
    }
    res
}

/// `bytearray_setslice(self, lo, hi, values)`: `self[lo:hi] = values`, or
/// `del self[lo:hi]` for `None`.
pub(crate) fn bytearray_setslice(
    ba: ByteArray<'_>,
    lo: Py_ssize_t,
    hi: Py_ssize_t,
    values: Option<Borrowed<'_>>,
) -> PyResult<()> {
    if let Some(v) = values {
        if v.is(ba.obj().as_ptr()) {
            // Make a copy and call this function recursively
            // SAFETY: our own contents, copied before anything changes
            // them; no Python code runs.
            let copy = unsafe { crate::object::from_raw(ba.as_ptr(), ba.len())? };
            return bytearray_setslice(ba, lo, hi, Some(copy.borrow()));
        }
    }
    let mut slot = buffer::slot();
    let view = match values {
        // del b[lo:hi]
        None => None,
        Some(v) => Some(View::simple(v, &mut slot).map_err(|_e| {
            // SAFETY: tp_name of a live type is a NUL-terminated string.
            unsafe {
                err::format_cstr(
                    Exc::TypeError,
                    c"can't set bytearray slice from %.100s",
                    v.type_name(),
                )
            }
        })?),
    };
    let (bytes, needed) = view
        .as_ref()
        .map_or((core::ptr::null(), 0), |v| (v.buf(), v.len()));

    // The bounds are clamped to the size read after the export call,
    // which may have run Python code that resized us: C clamps `hi` only,
    // and a `lo` beyond the new end (extend() whose argument's __buffer__
    // clears the bytearray) makes it grow over uninitialised memory.
    let lo = lo.max(0).min(ba.len());
    let hi = hi.max(lo).min(ba.len());
    // SAFETY: the view stays acquired until after the call; a view of
    // ourselves holds an export, so no resize moves the contents.
    unsafe { bytearray_setslice_linear(ba, lo, hi, bytes, needed) }
}

/// `bytearray_setitem(self, i, value)`: sq_ass_item.
pub(crate) unsafe extern "C" fn bytearray_setitem(
    op: *mut PyObject,
    i: Py_ssize_t,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: a slot of our type; `value` is NULL (delete) or live.
    let (ba, value) = unsafe { (ByteArray::from_ptr(op), Borrowed::from_ptr_opt(value)) };
    int_result(api::critical_section::with(ba.obj(), || {
        bytearray_setitem_result(ba, i, value)
    }))
}

// C: bytearray_setitem
fn bytearray_setitem_result(
    ba: ByteArray<'_>,
    mut i: Py_ssize_t,
    value: Option<Borrowed<'_>>,
) -> PyResult<()> {
    // GH-91153: the value's __index__ runs before the size is read (it may
    // change the size).
    let ival = value.map(_getbytevalue).transpose()?;
    if i < 0 {
        i = i.wrapping_add(ba.len());
    }
    if i < 0 || i >= ba.len() {
        return Err(err::set_string(
            Exc::IndexError,
            cmsg!("bytearray index out of range"),
        ));
    }
    match ival {
        None => bytearray_setslice(ba, i, i + 1, None),
        Some(v) => {
            // SAFETY: 0 <= i < len, checked after the last Python code ran.
            unsafe { ba.set(i, v) };
            Ok(())
        }
    }
}

/// `bytearray_ass_subscript(self, index, values)`: mp_ass_subscript.
pub(crate) unsafe extern "C" fn bytearray_ass_subscript(
    op: *mut PyObject,
    index: *mut PyObject,
    values: *mut PyObject,
) -> c_int {
    // SAFETY: a slot of our type; `index` live, `values` NULL or live.
    let (ba, index, values) = unsafe {
        (
            ByteArray::from_ptr(op),
            borrowed(index),
            Borrowed::from_ptr_opt(values),
        )
    };
    int_result(api::critical_section::with(ba.obj(), || {
        bytearray_ass_subscript_result(ba, index, values)
    }))
}

// C: bytearray_ass_subscript
fn bytearray_ass_subscript_result(
    ba: ByteArray<'_>,
    index: Borrowed<'_>,
    values: Option<Borrowed<'_>>,
) -> PyResult<()> {
    // No pointer into the contents is kept across index.__index__() or
    // _getbytevalue(), which may alter the bytearray (gh-91153).
    let (start, mut stop, mut step, slicelen);
    if api::number::index_check(index) {
        let mut i = api::number::as_ssize_t_index_error(index)?;
        // GH-91153: the value's __index__ runs before the size check.
        let ival = values.map(_getbytevalue).transpose()?;
        if i < 0 {
            i = i.wrapping_add(ba.len());
        }
        if i < 0 || i >= ba.len() {
            return Err(err::set_string(
                Exc::IndexError,
                cmsg!("bytearray index out of range"),
            ));
        }
        match ival {
            // Fall through to slice assignment
            None => {
                start = i;
                stop = i + 1;
                step = 1;
                slicelen = 1;
            }
            Some(v) => {
                // SAFETY: 0 <= i < len, checked after the last Python code.
                unsafe { ba.set(i, v) };
                return Ok(());
            }
        }
    } else if api::slice::check(index) {
        let (a, b, c) = api::slice::unpack(index)?;
        let (a, b, n) = api::slice::adjust_indices(ba.len(), a, b, c);
        (start, stop, step, slicelen) = (a, b, c, n);
    } else {
        return Err(crate::object::format_type_name(
            Exc::TypeError,
            c"bytearray indices must be integers or slices, not %.200s",
            index,
        ));
    }

    let values_ba = match values {
        None => None,
        Some(v) if v.is(ba.obj().as_ptr()) || !bytearray_check(v) => {
            if api::number::check(v) || api::unicode::check(v) {
                return Err(err::set_string(
                    Exc::TypeError,
                    cmsg!("can assign only bytes, buffers, or iterables of ints in range(0, 256)"),
                ));
            }
            // Make a copy and call this function recursively
            let copy = bytearray_from_object(v)?;
            return bytearray_ass_subscript_result(ba, index, Some(copy.borrow()));
        }
        Some(v) => ByteArray::check(v),
    };
    let (bytes, needed) = values_ba.map_or((core::ptr::null(), 0), |v| {
        (v.as_ptr() as *const u8, v.len())
    });

    // Make sure b[5:2] = ... inserts before 5, not before 2.
    if (step < 0 && start < stop) || (step > 0 && start > stop) {
        stop = start;
    }
    if step == 1 {
        // SAFETY: `values` is another bytearray (a copy was made of
        // ourselves), alive for the call; no Python code runs.
        return unsafe { bytearray_setslice_linear(ba, start, stop, bytes, needed) };
    }
    if needed == 0 {
        // Delete slice
        _canresize(ba)?;
        if slicelen == 0 {
            // Nothing to do here.
            return Ok(());
        }
        let mut start = start;
        if step < 0 {
            stop = start + 1;
            start = stop + step * (slicelen - 1) - 1;
            step = -step;
        }
        let _ = stop;
        let size = ba.len() as usize;
        let buf = ba.as_ptr();
        let (step, slicelen) = (step as usize, slicelen as usize);
        if step == 2 {
            // Every other byte: the kept ones (start + 1, start + 3, ...
            // before the tail) gathered down, one load and store each,
            // not a memmove call per byte.
            // A byte after each deleted one, but after the last only
            // within the contents.
            let kept = if start as usize + 2 * slicelen - 1 < size {
                slicelen
            } else {
                slicelen - 1
            };
            for i in 0..kept {
                let at = start as usize + i;
                // SAFETY: at + i + 1 = start + 2i + 1 < size (kept's
                // bound; slicelen >= 1 and start < size), read before it
                // can be overwritten (the writes, at start + i, stay below
                // the reads); no Python code runs.
                unsafe { *buf.add(at) = *buf.add(at + i + 1) };
            }
        } else {
            // Before each deleted byte but the last, the next is `step`
            // on: the `step - 1` bytes between move down.  After the last,
            // the run ends at the next index or the end of the contents.
            let mut to = start as usize;
            let mut cur = start as usize;
            for _ in 1..slicelen {
                // SAFETY: cur and cur + step are deleted indices < size
                // (the slice's indices are within the contents); the bytes
                // between move down to `to` = cur - i, within the
                // contents; no Python code runs.
                unsafe { core::ptr::copy(buf.add(cur + 1), buf.add(to), step - 1) };
                to += step - 1;
                cur += step;
            }
            let lim = (cur + step).min(size) - cur - 1;
            // SAFETY: cur < size is the last deleted index; the `lim`
            // bytes after it, within the contents, move down to `to`.
            unsafe { core::ptr::copy(buf.add(cur + 1), buf.add(to), lim) };
        }
        // Move the tail of the bytes, in one chunk
        let cur = start as usize + slicelen * step;
        if cur < size {
            // SAFETY: cur..size is within the contents, and moves down by
            // slicelen <= cur.
            unsafe { core::ptr::copy(buf.add(cur), buf.add(cur - slicelen), size - cur) };
        }
        return ba.resize((size - slicelen) as Py_ssize_t);
    }
    // Assign slice
    if needed != slicelen {
        return Err(err::format_ssize_ssize(
            Exc::ValueError,
            c"attempt to assign bytes of size %zd to extended slice of size %zd",
            needed,
            slicelen,
        ));
    }
    // SAFETY: two distinct bytearrays (ourselves were copied); no Python
    // code runs while the slices live.
    let (buf, src) = unsafe { (ba.bytes_mut(), values_ba.map_or(&[][..], |v| v.bytes())) };
    let dst = buf.as_mut_ptr();
    let mut cur = start;
    for &b in src {
        // SAFETY: the slicelen (= src.len()) indices start, start + step,
        // ... are within the contents (adjust_indices); no Python code
        // runs.
        unsafe { *dst.offset(cur) = b };
        cur = cur.wrapping_add(step);
    }
    Ok(())
}

/// `bytearray_contains(self, arg)`: sq_contains.
pub(crate) unsafe extern "C" fn bytearray_contains(op: *mut PyObject, arg: *mut PyObject) -> c_int {
    // SAFETY: a slot of our type; `arg` is live for the call.
    let (ba, arg) = unsafe { (ByteArray::from_ptr(op), borrowed(arg)) };
    let pin = ba.pin();
    // SAFETY: the pin keeps the contents in place while `arg`'s __index__
    // or buffer export runs.
    match unsafe { api::bytes_methods::contains(pin.ptr(), pin.len(), arg) } {
        Ok(b) => c_int::from(b),
        Err(_) => -1,
    }
}

// ---------------------------------------------------------------------------
// __init__

/// `bytearray___init___impl(self, arg, encoding, errors)`.  Inlined into
/// its two callers (the call without arguments keeps only its first
/// lines), as C's clinic wrapper inlines it.
#[inline(always)]
pub(crate) fn bytearray___init___impl(
    ba: ByteArray<'_>,
    arg: Option<Borrowed<'_>>,
    encoding: Option<&core::ffi::CStr>,
    errors: Option<&core::ffi::CStr>,
) -> PyResult<()> {
    if ba.len() != 0 {
        // Empty previous contents (yes, do this first of all!)
        ba.resize(0)?;
    }
    let without_string = || {
        err::set_string(
            Exc::TypeError,
            if encoding.is_some() {
                cmsg!("encoding without a string argument")
            } else {
                cmsg!("errors without a string argument")
            },
        )
    };
    // Make a quick exit if no first argument
    let Some(arg) = arg else {
        if encoding.is_some() || errors.is_some() {
            return Err(without_string());
        }
        return Ok(());
    };

    if api::unicode::check(arg) {
        // Encode via the codec registry
        let Some(encoding) = encoding else {
            return Err(err::set_string(
                Exc::TypeError,
                cmsg!("string argument without an encoding"),
            ));
        };
        let encoded = api::unicode::as_encoded_string(arg, Some(encoding), errors)?;
        debug_assert!(api::bytes::check(encoded.borrow()));
        bytearray_iconcat_result(ba, encoded.borrow())?;
        return Ok(());
    }

    // If it's not unicode, there can't be encoding or errors
    if encoding.is_some() || errors.is_some() {
        return Err(without_string());
    }

    // Is it an int?
    if api::number::index_check(arg) {
        match api::number::as_ssize_t_overflow_error(arg) {
            Err(e) => {
                if !err::exception_matches(&e, Exc::TypeError) {
                    return Err(e);
                }
                err::clear(e); // fall through
            }
            Ok(count) => {
                if count < 0 {
                    return Err(err::set_string(Exc::ValueError, cmsg!("negative count")));
                }
                if count > 0 {
                    ba.resize(count)?;
                    // SAFETY: `count` bytes, no Python code runs.
                    unsafe { ba.bytes_mut() }.fill(0);
                }
                return Ok(());
            }
        }
    }

    // Use the buffer API
    if buffer::check(arg) {
        let mut slot = buffer::slot();
        let view = View::get(arg, &mut slot, ffi::PyBUF_FULL_RO as c_int)?;
        let size = view.len();
        ba.resize(size)?;
        // SAFETY: room for `size` bytes; the view is acquired.
        if let Err(e) = unsafe { buffer::to_contiguous(ba.as_ptr(), view.raw(), size, b'C') } {
            // Not left uninitialised (as in C) where Python code can read.
            // SAFETY: no Python code runs while the slice lives.
            unsafe { ba.bytes_mut() }.fill(0);
            return Err(e);
        }
        return Ok(());
    }

    let exact_seq = api::list::check_exact(arg) || api::tuple::check_exact(arg);
    if let Some(seq) = api::sequence::FastSeq::of(arg).filter(|_| exact_seq) {
        let size = seq.len();
        ba.resize(size)?;
        let out = ba.as_ptr();
        let mut slow = false;
        for i in 0..size {
            // SAFETY: no Python code runs while the item is used (it is
            // an exact int below, whose value reads run none).
            let Some(item) = (unsafe { seq.item_borrowed(i) }) else {
                break;
            };
            if !api::long::check_exact(item) {
                // Resize to 0 and go through slowpath
                if ba.len() != 0 {
                    ba.resize(0)?;
                }
                slow = true;
                break;
            }
            // An exact int: no Python code runs.  A one-digit value is
            // read inline (what PyLong_AsLongAndOverflow gives for it).
            let value = match api::long::one_digit(item)
                .and_then(|v| u8::try_from(v).ok())
                .map_or_else(|| _getbytevalue(item), Ok)
            {
                Ok(v) => v,
                Err(e) => {
                    // C leaves the bytes not written yet uninitialised
                    // in the object, where Python code can read them; here
                    // they are zero.
                    // SAFETY: no Python code runs while the slice lives.
                    if let Some(rest) = unsafe { ba.bytes_mut() }.get_mut(i as usize..) {
                        rest.fill(0);
                    }
                    return Err(e);
                }
            };
            // SAFETY: i < size, the size set above (no Python code ran,
            // so the contents are still at `out`).
            unsafe { *out.add(i as usize) = value };
        }
        if !slow {
            return Ok(());
        }
    }

    // slowpath: Get the iterator
    let it = api::iter::get_iter(arg).map_err(|e| {
        if err::exception_matches(&e, Exc::TypeError) {
            // SAFETY: tp_name of a live type is a NUL-terminated string.
            unsafe {
                err::format_cstr(
                    Exc::TypeError,
                    c"cannot convert '%.200s' object to bytearray",
                    arg.type_name(),
                )
            }
        } else {
            e
        }
    })?;
    // Run the iterator to exhaustion
    while let Some(item) = api::iter::next_item(it.borrow())? {
        // Interpret it as an int (__index__)
        let value = _getbytevalue(item.borrow())?;
        drop(item);
        // Append the byte (size and pointer read anew: Python code ran)
        ba.push(value)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// repr, str, comparison, deallocation

/// `bytearray_repr(self)`: tp_repr.
pub(crate) unsafe extern "C" fn bytearray_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a slot of our type.
    let ba = unsafe { ByteArray::from_ptr(op) };
    result_into_ptr(bytearray_repr_result(ba))
}

// C: bytearray_repr
pub(crate) fn bytearray_repr_result(ba: ByteArray<'_>) -> PyResult<Owned> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let class_name = api::object::short_type_name(ba.obj());
    // SAFETY: a type's name is a NUL-terminated string living as long as
    // the type.
    let class_name = unsafe { core::ffi::CStr::from_ptr(class_name) }.to_bytes();
    let length = ba.len();
    let newsize = class_name.len() as Py_ssize_t;
    if length > (PY_SSIZE_T_MAX - 6 - newsize) / 4 {
        return Err(err::set_string(
            Exc::OverflowError,
            cmsg!("bytearray object is too large to make repr"),
        ));
    }
    let newsize = newsize + 6 + length * 4;
    let block = api::mem::PyMemBlock::new(newsize as usize)?;
    // SAFETY: the block is ours, `newsize` bytes; the contents are read
    // while no Python code runs.
    let (out, bytes) = unsafe {
        (
            core::slice::from_raw_parts_mut(block.as_ptr(), block.len()),
            ba.bytes(),
        )
    };
    // Figure out which quote to use; single is preferred
    let mut quote = b'\'';
    for &c in bytes {
        if c == b'"' {
            quote = b'\''; // back to single
            break;
        } else if c == b'\'' {
            quote = b'"';
        }
    }
    let mut p = 0usize;
    let mut put = |c: u8| {
        if let Some(d) = out.get_mut(p) {
            *d = c;
        }
        p += 1;
    };
    for &c in class_name {
        put(c);
    }
    for &c in b"(b" {
        put(c);
    }
    put(quote);
    for &c in bytes {
        if c == b'\'' || c == b'\\' {
            put(b'\\');
            put(c);
        } else if c == b'\t' {
            put(b'\\');
            put(b't');
        } else if c == b'\n' {
            put(b'\\');
            put(b'n');
        } else if c == b'\r' {
            put(b'\\');
            put(b'r');
        } else if c == 0 {
            for &d in b"\\x00" {
                put(d);
            }
        } else if !(b' '..0x7f).contains(&c) {
            put(b'\\');
            put(b'x');
            put(HEX[usize::from(c >> 4)]);
            put(HEX[usize::from(c & 0xf)]);
        } else {
            put(c);
        }
    }
    put(quote);
    put(b')');
    let n = p.min(out.len());
    api::unicode::from_utf8(out.get(..n).unwrap_or(&[]))
}

/// `bytearray_str(op)`: tp_str.
pub(crate) unsafe extern "C" fn bytearray_str(op: *mut PyObject) -> *mut PyObject {
    if api::err::bytes_warning() != 0
        && err::warn(Exc::BytesWarning, cmsg!("str() on a bytearray instance")).is_err()
    {
        return core::ptr::null_mut();
    }
    // SAFETY: a slot of our type.
    unsafe { bytearray_repr(op) }
}

/// `bytearray_richcompare(self, other, op)`: tp_richcompare.
pub(crate) unsafe extern "C" fn bytearray_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: tp_richcompare receives two live objects.
    let (a, b) = unsafe { (borrowed(a), borrowed(b)) };
    result_into_ptr(bytearray_richcompare_result(a, b, op))
}

/// `Py_RETURN_RICHCOMPARE(left, right, op)`.
#[inline(always)]
fn richcompare_ord(ord: core::cmp::Ordering, op: c_int) -> Owned {
    use core::cmp::Ordering::*;
    let r = match op as u32 {
        ffi::Py_LT => ord == Less,
        ffi::Py_LE => ord != Greater,
        ffi::Py_EQ => ord == Equal,
        ffi::Py_NE => ord != Equal,
        ffi::Py_GT => ord == Greater,
        ffi::Py_GE => ord != Less,
        _ => return api::object::not_implemented().new_ref(),
    };
    api::object::bool_from(r)
}

// C: bytearray_richcompare
fn bytearray_richcompare_result(a: Borrowed<'_>, b: Borrowed<'_>, op: c_int) -> PyResult<Owned> {
    let eq_ne = op as u32 == ffi::Py_EQ || op as u32 == ffi::Py_NE;
    if !buffer::check(a) || !buffer::check(b) {
        if (api::unicode::check(a) || api::unicode::check(b))
            && api::err::bytes_warning() != 0
            && eq_ne
        {
            err::warn(
                Exc::BytesWarning,
                cmsg!("Comparison between bytearray and string"),
            )?;
        }
        return Ok(api::object::not_implemented().new_ref());
    }
    // Bytearrays can be compared to anything that supports the buffer API.
    let mut sa = buffer::slot();
    let va = match View::simple(a, &mut sa) {
        Ok(v) => v,
        Err(e) => {
            err::clear(e);
            return Ok(api::object::not_implemented().new_ref());
        }
    };
    let mut sb = buffer::slot();
    let vb = match View::simple(b, &mut sb) {
        Ok(v) => v,
        Err(e) => {
            err::clear(e);
            return Ok(api::object::not_implemented().new_ref());
        }
    };
    if va.len() != vb.len() && eq_ne {
        // Shortcut: if the lengths differ, the objects differ
        return Ok(api::object::bool_from(op as u32 == ffi::Py_NE));
    }
    // SAFETY: two acquired simple buffers; no Python code runs while the
    // slices live.
    let (x, y) = unsafe { (va.as_slice(), vb.as_slice()) };
    // memcmp of the common part, then the sizes (Ord on slices is exactly
    // that, with unsigned bytes as memcmp).
    let ord = x.cmp(y);
    Ok(richcompare_ord(ord, op))
}

/// `bytearray_dealloc(self)`: tp_dealloc.
pub(crate) unsafe extern "C" fn bytearray_dealloc(op: *mut PyObject) {
    // SAFETY: tp_dealloc receives our instance with refcount zero.
    let ba = unsafe { ByteArray::from_ptr(op) };
    if ba.exports() > 0 {
        let e = err::set_string(
            Exc::SystemError,
            cmsg!("deallocated bytearray object has exported buffers"),
        );
        err::print(e);
    }
    // SAFETY: the object is being destroyed: its block is freed once and
    // the object itself after.
    unsafe {
        ba.free_storage();
        api::alloc::tp_free(op);
    }
}
