//! Comparisons: `==`/`!=` with typed fast paths and the struct module for
//! everything else.

use core::ffi::c_int;

use cpython_sys::api::{self, buffer, err, Exc};
use cpython_sys::ffi::{self, PyObject};
use cpython_sys::{Borrowed, PyErr, PyResult};

use crate::layout::{equiv_shape, PYBUF_FULL_RO};
use crate::native::{get_native_fmtchar, Native};
use crate::object::{memoryview_check, ExportPin, FullView, MemoryView, Scratch};
use crate::strided::{contiguous_bytes_eq, zip_items, Strided};
use crate::structfmt::StructFormat;
use crate::unpacker::{struct_get_unpacker, SlowUnpacker, Unpacker};

/// The outcome of a comparison (`MV_COMPARE_*` and 0/1 in C).
enum Equal {
    Yes,
    No,
    NotImpl,
}

/// `fix_struct_error_int()`: a StructError means "not equal"; other
/// exceptions (ImportError, MemoryError) propagate.
fn fix_struct_error_int(e: PyErr) -> PyResult<Equal> {
    if err::exception_matches(&e, Exc::ImportError) || err::exception_matches(&e, Exc::MemoryError)
    {
        return Err(e);
    }
    // StructError: invalid or unknown format -> not equal
    api::err::clear(e);
    Ok(Equal::No)
}

/// From this many items on, contiguous buffers compare with one `memcmp`
/// (below it the item loop is as fast and has no call).
const MEMCMP_MIN_ITEMS: isize = 16;

/// `cmp_base`/`cmp_rec` with the typed fast path for format `T`.
///
/// # Safety
/// Both describe buffers valid for all their items (kept by the caller).
// C: cmp_base, cmp_rec, unpack_cmp
unsafe fn cmp_typed<T: Native>(p: &Strided<'_>, q: &Strided<'_>) -> bool {
    if p.ndim() == 0 {
        // SAFETY: caller's contract.
        return unsafe { T::item_eq(T::load(p.buf), T::load(q.buf)) };
    }
    if T::BYTES_EQ_IMPLIES_EQ
        && p.shape.iter().fold(1isize, |a, d| a.saturating_mul(*d)) >= MEMCMP_MIN_ITEMS
    {
        // SAFETY: caller's contract.
        if let Some(eq) = unsafe { contiguous_bytes_eq(p, q) } {
            // Unequal bytes may still be equal items (`?`): compared below.
            if eq || T::BYTEWISE_EQ {
                return eq;
            }
        }
    }
    if let ([n], [ps], [qs], None, None) =
        (p.shape, p.strides, q.strides, p.suboffsets, q.suboffsets)
    {
        // cmp_base without suboffsets: one loop, no recursion.
        // SAFETY: caller's contract.
        return unsafe { eq_1d::<T>(p.buf, *ps, q.buf, *qs, *n) };
    }
    // SAFETY: caller's contract.
    let r = unsafe {
        zip_items(p, q, &mut |a, b| {
            if T::item_eq(T::load(a), T::load(b)) {
                None
            } else {
                Some(())
            }
        })
    };
    r.is_none()
}

/// `cmp_base` of two one-dimensional item sequences without suboffsets
/// (`n` items from `a` and `b`, `sa` and `sb` bytes apart), with one
/// `memcmp` for packed byte-comparable items.
///
/// # Safety
/// Each of the `n` items of both sequences is readable for `T::SIZE`
/// bytes.
#[inline(always)]
unsafe fn eq_1d<T: Native>(a: *mut u8, sa: isize, b: *mut u8, sb: isize, n: isize) -> bool {
    let size = T::SIZE as isize;
    if T::BYTES_EQ_IMPLIES_EQ && n >= MEMCMP_MIN_ITEMS && sa == size && sb == size {
        if let Some(len) = n.checked_mul(size) {
            // SAFETY: caller's contract: n packed items of `size` bytes.
            let eq = unsafe {
                core::slice::from_raw_parts(a, len as usize)
                    == core::slice::from_raw_parts(b, len as usize)
            };
            // Unequal bytes may still be equal items (`?`): the loop below.
            if eq || T::BYTEWISE_EQ {
                return eq;
            }
        }
    }
    let (mut a, mut b) = (a, b);
    for _ in 0..n {
        // SAFETY: caller's contract: items of the two sequences.
        if !unsafe { T::item_eq(T::load(a), T::load(b)) } {
            return false;
        }
        a = a.wrapping_offset(sa);
        b = b.wrapping_offset(sb);
    }
    true
}

/// The items of a memoryview of at most one dimension without suboffsets
/// as (first item, stride, count); `None` for any other view.
fn flat_items(v: &ffi::Py_buffer) -> Option<(*mut u8, isize, isize)> {
    if !v.suboffsets.is_null() {
        return None;
    }
    match v.ndim {
        0 => Some((v.buf as *mut u8, 0, 1)),
        // SAFETY: a memoryview of one dimension has one shape and one
        // strides entry (`MemoryView` invariant).
        1 => Some(unsafe { (v.buf as *mut u8, *v.strides, *v.shape) }),
        _ => None,
    }
}

/// `memory_richcompare` of two memoryviews, not released, of at most one
/// dimension without suboffsets and with the same native format: the
/// comparison without building the general strided descriptions.  `None`
/// for every other pair (the general path decides those).
fn compare_flat(vm: MemoryView, wm: MemoryView) -> Option<Equal> {
    // SAFETY: the headers of two live memoryviews, not written while they
    // are read (no Python code runs here).
    let (v, w) = unsafe { (&*vm.view(), &*wm.view()) };
    if v.ndim != w.ndim {
        return None;
    }
    let (p, ps, n) = flat_items(v)?;
    let (q, qs, m) = flat_items(w)?;
    if n != m {
        // equiv_shape of two 1-D shapes.
        return Some(Equal::No);
    }
    // SAFETY: neither is released (the caller checked; no Python code
    // since).
    let (vh, wh) = unsafe { (vm.format_head(), wm.format_head()) };
    let (a, _) = get_native_fmtchar(vh)?;
    let (b, _) = get_native_fmtchar(wh)?;
    if a != b {
        return None;
    }
    // SAFETY: the buffers of two views that are not released hold their
    // `n` items; no Python code runs in the typed loop.
    let eq = with_native!(a, T => unsafe { eq_1d::<T>(p, ps, q, qs, n) }, _ => return None);
    Some(if eq { Equal::Yes } else { Equal::No })
}

/// `memory_richcompare` of a memoryview (not released) and an exact
/// bytes object, when the view has at most one dimension, no suboffsets
/// and the format 'B' (the bytes' own buffer format): the comparison of
/// the acquired buffer, without acquiring it.  No Python code runs, so no
/// pin is needed.  `None` for every other pair (the general path).
fn compare_bytes(vm: MemoryView, w: Borrowed<'_>) -> Option<Equal> {
    if !api::bytes::check_exact(w) {
        return None;
    }
    let data = api::bytes::as_slice(w)?;
    // SAFETY: the header of a live memoryview, not written while it is
    // read (no Python code runs here).
    let v = unsafe { &*vm.view() };
    if v.ndim != 1 {
        // equiv_shape: bytes export one dimension.
        return Some(Equal::No);
    }
    let (p, ps, n) = flat_items(v)?;
    if n != data.len() as isize {
        // equiv_shape of two 1-D shapes.
        return Some(Equal::No);
    }
    // SAFETY: not released (the caller checked; no Python code since).
    let (a, _) = get_native_fmtchar(unsafe { vm.format_head() })?;
    if a != b'B' {
        return None;
    }
    // SAFETY: `v`'s buffer holds its `n` items (not released); `data` is
    // the n bytes of `w`, which the caller's borrow keeps alive.
    let eq = unsafe { eq_1d::<crate::native::FB>(p, ps, data.as_ptr() as *mut u8, 1, n) };
    Some(if eq { Equal::Yes } else { Equal::No })
}

/// `struct_unpack_cmp` over all items.
///
/// # Safety
/// As `cmp_typed`.
// C: struct_unpack_cmp
unsafe fn cmp_struct(
    p: &Strided<'_>,
    q: &Strided<'_>,
    up: &SlowUnpacker,
    uq: &SlowUnpacker,
) -> PyResult<bool> {
    let mut one = |a: *mut u8, b: *mut u8| -> Option<PyResult<()>> {
        // SAFETY: items of the two buffers (caller's contract).
        let r = unsafe {
            (|| {
                let v = up.unpack_single(a)?;
                let w = uq.unpack_single(b)?;
                api::object::eq_bool(v.borrow(), w.borrow())
            })()
        };
        match r {
            Ok(true) => None,
            Ok(false) => Some(Ok(())),
            Err(e) => Some(Err(e)),
        }
    };
    if p.ndim() == 0 {
        return match one(p.buf, q.buf) {
            None => Ok(true),
            Some(Ok(())) => Ok(false),
            Some(Err(e)) => Err(e),
        };
    }
    // SAFETY: forwarded.
    match unsafe { zip_items(p, q, &mut one) } {
        None => Ok(true),
        Some(Ok(())) => Ok(false),
        Some(Err(e)) => Err(e),
    }
}

/// `struct_unpack_cmp` over all items for two formats decoded in Rust
/// (no Python code runs).
///
/// # Safety
/// As `cmp_typed`, and each format's size is at most its buffer's
/// itemsize.
unsafe fn cmp_decoded(
    p: &Strided<'_>,
    q: &Strided<'_>,
    fp: &StructFormat,
    fq: &StructFormat,
) -> bool {
    let size = fp.size();
    if fp == fq
        && fp.bytewise_eq()
        && p.itemsize == q.itemsize
        && usize::try_from(p.itemsize) == Ok(size)
    {
        // SAFETY: caller's contract.
        if let Some(eq) = unsafe { contiguous_bytes_eq(p, q) } {
            return eq;
        }
    }
    let (np, nq) = (p.itemsize as usize, q.itemsize as usize);
    let mut one = |a: *mut u8, b: *mut u8| {
        // SAFETY: items of the two buffers, readable for their itemsizes
        // (caller's contract), which are non-negative for a valid buffer.
        let (a, b) = unsafe {
            (
                core::slice::from_raw_parts(a, np),
                core::slice::from_raw_parts(b, nq),
            )
        };
        if fp.items_eq(a, fq, b) {
            None
        } else {
            Some(())
        }
    };
    if p.ndim() == 0 {
        return one(p.buf, q.buf).is_none();
    }
    // SAFETY: forwarded.
    unsafe { zip_items(p, q, &mut one) }.is_none()
}

/// The part of `memory_richcompare` that runs no Python code: unequal
/// shapes, or the typed comparison for identical primitive C type formats
/// (`vhead`/`whead`: the formats' [`fmt_head`](crate::object::fmt_head)s).
/// `None` when the struct module is needed.
fn compare_fast(vv: &Strided<'_>, vhead: &[u8], ww: &Strided<'_>, whead: &[u8]) -> Option<Equal> {
    if !equiv_shape(vv.shape, ww.shape) {
        return Some(Equal::No);
    }
    // Use fast unpacking for identical primitive C type formats.
    let vc = get_native_fmtchar(vhead).map(|(c, _)| c);
    let wc = get_native_fmtchar(whead).map(|(c, _)| c);
    if let (Some(a), Some(b)) = (vc, wc) {
        if a == b {
            // SAFETY: both buffers are valid (not released / acquired) for
            // the caller's call and no Python code runs in the typed loop.
            let eq = with_native!(a, T => unsafe { cmp_typed::<T>(vv, ww) }, _ => false);
            return Some(if eq { Equal::Yes } else { Equal::No });
        }
    }
    None
}

/// Compares `v` (ours, not released, pinned) with the buffer `w`.
fn compare_views(vv: &Strided<'_>, vfmt: &[u8], ww: &Strided<'_>, wfmt: &[u8]) -> PyResult<Equal> {
    if let Some(r) = compare_fast(vv, vfmt, ww, wfmt) {
        return Ok(r);
    }
    compare_struct(vv, vfmt, ww, wfmt)
}

/// The struct module comparison of `compare_views` (Python code may run:
/// both buffers must be pinned / held by the caller).
fn compare_struct(vv: &Strided<'_>, vfmt: &[u8], ww: &Strided<'_>, wfmt: &[u8]) -> PyResult<Equal> {
    // Use struct module unpacking. NOTE: Even for equal format strings,
    // memcmp() cannot be used for item comparison since it would give
    // incorrect results in the case of NaNs or uninitialized padding
    // bytes.
    let up = match struct_get_unpacker(vfmt, vv.itemsize) {
        Ok(u) => u,
        Err(e) => return fix_struct_error_int(e),
    };
    let uq = match struct_get_unpacker(wfmt, ww.itemsize) {
        Ok(u) => u,
        Err(e) => return fix_struct_error_int(e),
    };
    let eq = match (up, uq) {
        (Unpacker::Fast(fp, _), Unpacker::Fast(fq, _)) => {
            // SAFETY: as above; the formats' sizes fit the itemsizes
            // (struct_get_unpacker checked them).
            unsafe { cmp_decoded(vv, ww, &fp, &fq) }
        }
        (up, uq) => {
            let up = up.into_slow(vfmt, vv.itemsize)?;
            let uq = uq.into_slow(wfmt, ww.itemsize)?;
            // SAFETY: as above; the struct module may run Python code,
            // which the pins make unable to free either buffer.
            unsafe { cmp_struct(vv, ww, &up, &uq)? }
        }
    };
    Ok(if eq { Equal::Yes } else { Equal::No })
}

fn memory_richcompare_result(v: Borrowed<'_>, w: Borrowed<'_>, op: c_int) -> PyResult<Equal> {
    if op != ffi::Py_EQ as c_int && op != ffi::Py_NE as c_int {
        return Ok(Equal::NotImpl);
    }
    debug_assert!(memoryview_check(v));
    // SAFETY: tp_richcompare of our type: `v` is a memoryview.
    let vm = unsafe { MemoryView::from_ptr(v.as_ptr()) };
    if vm.base_inaccessible() {
        return Ok(if v.is(w.as_ptr()) {
            Equal::Yes
        } else {
            Equal::No
        });
    }
    if memoryview_check(w) {
        // SAFETY: checked to be a memoryview; the caller keeps it alive.
        let wm = unsafe { MemoryView::from_ptr(w.as_ptr()) };
        if wm.base_inaccessible() {
            return Ok(if v.is(w.as_ptr()) {
                Equal::Yes
            } else {
                Equal::No
            });
        }
        // No Python code has run since the checks, and none runs in the
        // fast paths: no pins needed there (as in C).
        if let Some(r) = compare_flat(vm, wm) {
            return Ok(r);
        }
        // SAFETY: both not released (checked above).
        let (vh, wh) = unsafe { (vm.format_head(), wm.format_head()) };
        if let Some(r) = compare_fast(&vm.strided(), vh, &wm.strided(), wh) {
            return Ok(r);
        }
        let _vpin = ExportPin::new(vm)?;
        let _wpin = ExportPin::new(wm)?;
        // SAFETY: both pinned (not released, cannot be released).
        let (vf, wf) = unsafe { (vm.format(), wm.format()) };
        return compare_struct(&vm.strided(), vf, &wm.strided(), wf);
    }
    if let Some(r) = compare_bytes(vm, w) {
        return Ok(r);
    }
    let _vpin = ExportPin::new(vm)?;
    let mut wbuf = buffer::empty();
    // SAFETY: local storage, released below exactly once.
    if let Err(e) = unsafe { buffer::get_buffer(w, &mut wbuf, PYBUF_FULL_RO) } {
        api::err::clear(e);
        return Ok(Equal::NotImpl);
    }
    let r = (|| {
        let mut scratch = Scratch::new();
        // SAFETY: an acquired buffer description, held until the release
        // below.
        let Some(full) = (unsafe { FullView::new(&wbuf, &mut scratch) }) else {
            // ndim out of range: the shapes cannot be equivalent.
            return Ok(Equal::No);
        };
        // SAFETY: `v` is pinned, `w`'s buffer is held until the release
        // below.
        let (vf, wf) = unsafe { (vm.format(), full.format()) };
        compare_views(&vm.strided(), vf, &full.strided(), wf)
    })();
    // SAFETY: acquired above.
    unsafe { buffer::release(&mut wbuf) };
    r
}

pub(crate) unsafe extern "C" fn memory_richcompare(
    v: *mut PyObject,
    w: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: tp_richcompare receives two live objects.
    let (v, w) = unsafe { (Borrowed::from_ptr(v), Borrowed::from_ptr(w)) };
    let eq = op == ffi::Py_EQ as c_int;
    let res: *mut PyObject = match memory_richcompare_result(v, w, op) {
        Ok(Equal::NotImpl) => api::object::not_implemented().as_ptr(),
        Ok(Equal::Yes) => api::object::py_bool(eq).as_ptr(),
        Ok(Equal::No) => api::object::py_bool(!eq).as_ptr(),
        Err(_) => return core::ptr::null_mut(),
    };
    // SAFETY: NotImplemented/True/False are immortal statics.
    unsafe { Borrowed::from_ptr(res) }.new_ref().into_raw()
}
