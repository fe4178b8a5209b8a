//! The searches: bytes_methods.c's `find_internal` and `_Py_bytes_count`
//! for bytearray, and the stringlib templates C compiles into the file
//! (`split.h`, `partition.h`, `transmogrify.h`'s replace), as Python-level
//! wrappers around the `stringlib` crate's plain-Rust algorithms (which
//! search with `memchr`/`memmem`).
//!
//! Each wrapper converts its arguments first (which may run Python code),
//! then pins the contents and works on them with no Python code running
//! while it holds a slice.

use cpython_sys::api::buffer::View;
use cpython_sys::api::{self, buffer, err, Exc};
use cpython_sys::ffi::Py_ssize_t;
use cpython_sys::{cmsg, Borrowed, Owned, PyErr, PyResult};

use crate::object::{from_slice, new_uninit, ByteArray, PY_SSIZE_T_MAX};

/// The needle of a search: one byte (an int argument) or a buffer.
enum Needle<'v> {
    Byte(u8),
    Bytes(&'v [u8]),
    Buffer(View<'v>),
}

/// `parse_args_finds_byte(function_name, &subobj, &byte)` and the buffer
/// acquisition after it.
fn parse_needle<'v>(subobj: Borrowed<'v>, slot: &'v mut buffer::Slot) -> PyResult<Needle<'v>> {
    if api::bytes::check_exact(subobj) {
        // An exact bytes object's buffer is its contents, which never
        // change: read directly (PyObject_GetBuffer would run no Python
        // code for it either).
        if let Some(b) = api::bytes::as_slice(subobj) {
            return Ok(Needle::Bytes(b));
        }
    }
    if buffer::check(subobj) {
        return Ok(Needle::Buffer(View::simple(subobj, slot)?));
    }
    if !api::number::index_check(subobj) {
        return Err(crate::object::format_type_name(
            Exc::TypeError,
            c"argument should be integer or bytes-like object, not '%.200s'",
            subobj,
        ));
    }
    let ival = api::number::as_ssize_t_clamped(subobj)?;
    if !(0..=255).contains(&ival) {
        return Err(err::set_string(
            Exc::ValueError,
            cmsg!("byte must be in range(0, 256)"),
        ));
    }
    Ok(Needle::Byte(ival as u8))
}

/// The searches [`find`] makes (bytes_methods.c's `find_internal` and
/// `_Py_bytes_count`).  The tail matches (startswith, endswith) stay
/// bytes_methods.c's, through `_bytearray_with_buffer`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FindKind {
    Find,
    Index,
    RFind,
    RIndex,
    Count,
}

/// `find_internal`/`_Py_bytes_count` for bytearray, by [`FindKind`].
pub(crate) fn find(
    ba: ByteArray<'_>,
    op: FindKind,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    // Pinned while the argument converts, as C pins around the whole
    // search: its __index__ or __buffer__ cannot resize the contents
    // (gh-142560: BufferError).
    let _pin = ba.pin();
    let mut slot = buffer::slot();
    let needle = parse_needle(sub, &mut slot)?;
    let byte;
    // SAFETY: no Python code runs while the slices live (to the end of
    // this function, which only makes the result int).
    let (hay, pat): (&[u8], &[u8]) = unsafe {
        (
            ba.bytes(),
            match &needle {
                Needle::Byte(b) => {
                    byte = [*b];
                    &byte
                }
                Needle::Bytes(b) => b,
                Needle::Buffer(v) => v.as_slice(),
            },
        )
    };
    let res: Py_ssize_t = match op {
        FindKind::Count => {
            let n = stringlib::fastsearch::count_in(hay, pat, start, end);
            return api::long::from_ssize_t(n as Py_ssize_t);
        }
        FindKind::Find | FindKind::Index => {
            stringlib::fastsearch::find_in(hay, pat, start, end, true)
        }
        FindKind::RFind | FindKind::RIndex => {
            stringlib::fastsearch::find_in(hay, pat, start, end, false)
        }
    };
    if res == -1 && matches!(op, FindKind::Index | FindKind::RIndex) {
        return Err(err::set_string(
            Exc::ValueError,
            cmsg!("subsection not found"),
        ));
    }
    api::long::from_ssize_t(res)
}

// ---------------------------------------------------------------------------
// split.h

/// How many items a split list is made with (`MAX_PREALLOC`).
const MAX_PREALLOC: Py_ssize_t = 12;

/// A split's result list, grown as `SPLIT_ADD` grows it: preallocated
/// for `PREALLOC_SIZE(maxsplit)` items, appended to after `MAX_PREALLOC`,
/// and cut to the items added (`FIX_PREALLOC_SIZE`).
struct SplitList {
    list: Owned,
    count: Py_ssize_t,
    /// The preallocated size (the list's own until `finish`).
    prealloc: Py_ssize_t,
}

impl SplitList {
    /// `PyList_New(PREALLOC_SIZE(maxcount))`.
    fn new(maxcount: Py_ssize_t) -> PyResult<SplitList> {
        let n = if maxcount >= MAX_PREALLOC {
            MAX_PREALLOC
        } else {
            maxcount + 1
        };
        Ok(SplitList {
            list: api::list::new(n)?,
            count: 0,
            prealloc: n,
        })
    }

    /// `SPLIT_ADD(data, left, right)`: a new bytearray of the piece.
    #[inline(always)]
    fn add(&mut self, piece: &[u8]) -> PyResult<()> {
        let sub = from_slice(piece)?;
        if self.count < self.prealloc {
            // SAFETY: a fresh list's NULL slot below its preallocated size.
            unsafe { api::list::set_fresh(self.list.borrow(), self.count, sub) };
        } else {
            api::list::append(self.list.borrow(), sub.borrow())?;
        }
        self.count += 1;
        Ok(())
    }

    /// `FIX_PREALLOC_SIZE(list)`; `reverse` for the rsplit family
    /// (`PyList_Reverse`).
    fn finish(self, reverse: bool) -> PyResult<Owned> {
        // SAFETY: the items past `count` are the preallocated NULL slots.
        unsafe { api::list::truncate_fresh(self.list.borrow(), self.count) };
        if reverse {
            api::list::reverse(self.list.borrow())?;
        }
        Ok(self.list)
    }
}

/// Adds the pieces, in order.
fn add_all<'a>(out: &mut SplitList, pieces: impl Iterator<Item = &'a [u8]>) -> PyResult<()> {
    for piece in pieces {
        out.add(piece)?;
    }
    Ok(())
}

/// `bytearray_split_impl`/`bytearray_rsplit_impl`: `stringlib_split`,
/// `stringlib_split_whitespace` and their r-forms, under the pin (as C's
/// `ob_exports++` there).  Inlined into split and rsplit: each gets only
/// its own direction's loops, with no second call frame.
#[inline(always)]
pub(crate) fn split(
    ba: ByteArray<'_>,
    sep: Borrowed<'_>,
    maxsplit: Py_ssize_t,
    right: bool,
) -> PyResult<Owned> {
    let _pin = ba.pin();
    let maxsplit = if maxsplit < 0 {
        PY_SSIZE_T_MAX
    } else {
        maxsplit
    };
    let mut slot = buffer::slot();
    let view = if sep.is(api::object::none().as_ptr()) {
        None
    } else {
        Some(View::simple(sep, &mut slot)?)
    };
    let mut out = SplitList::new(maxsplit)?;
    // SAFETY: pinned; no Python code runs while the slices live (new
    // bytearrays and list growth run none).
    let (hay, pat) = unsafe { (ba.bytes(), view.as_ref().map(|v| v.as_slice())) };
    let ms = maxsplit as usize;
    match (pat, right) {
        (None, false) => add_all(&mut out, stringlib::split::split_whitespace(hay, ms))?,
        (None, true) => add_all(&mut out, stringlib::split::rsplit_whitespace(hay, ms))?,
        (Some([]), _) => {
            return Err(err::set_string(Exc::ValueError, cmsg!("empty separator")));
        }
        (Some(p), false) => add_all(&mut out, stringlib::split::split_sep(hay, p, ms))?,
        (Some(p), true) => add_all(&mut out, stringlib::split::rsplit_sep(hay, p, ms))?,
    }
    out.finish(right)
}

/// `bytearray_splitlines_impl`: `stringlib_splitlines` (a list grown by
/// appends, as C's).
pub(crate) fn splitlines(ba: ByteArray<'_>, keepends: bool) -> PyResult<Owned> {
    let list = api::list::new(0)?;
    // SAFETY: no Python code runs while the slice lives.
    let hay = unsafe { ba.bytes() };
    for line in stringlib::split::splitlines(hay, keepends) {
        let sub = from_slice(line)?;
        api::list::append(list.borrow(), sub.borrow())?;
    }
    Ok(list)
}

// ---------------------------------------------------------------------------
// partition.h

/// `stringlib_partition`/`stringlib_rpartition` of a bytearray and the
/// bytearray copy of the separator (`bytesep`).
pub(crate) fn partition(ba: ByteArray<'_>, bytesep: Borrowed<'_>, right: bool) -> PyResult<Owned> {
    let Some(sepba) = ByteArray::check(bytesep) else {
        return Err(err::bad_internal_call(
            c"Objects/bytearrayobject.c",
            line!() as core::ffi::c_int,
        ));
    };
    // SAFETY: no Python code runs while the slices live; `bytesep` is a
    // new bytearray of our own.
    let (hay, sep) = unsafe { (ba.bytes(), sepba.bytes()) };
    if sep.is_empty() {
        return Err(err::set_string(Exc::ValueError, cmsg!("empty separator")));
    }
    let pos = if right {
        stringlib::partition::rpartition(hay, sep)
    } else {
        stringlib::partition::partition(hay, sep)
    };
    let Some(pos) = pos else {
        let whole = from_slice(hay)?;
        let (e1, e2) = (new_uninit(0)?.0, new_uninit(0)?.0);
        return if right {
            api::tuple::from_owned([e1, e2, whole])
        } else {
            api::tuple::from_owned([whole, e1, e2])
        };
    };
    let before = from_slice(hay.get(..pos).unwrap_or(&[]))?;
    let after = from_slice(hay.get(pos + sep.len()..).unwrap_or(&[]))?;
    api::tuple::from_owned([before, bytesep.new_ref(), after])
}

// ---------------------------------------------------------------------------
// transmogrify.h: replace

/// `stringlib_replace(self, from, from_len, to, to_len, maxcount)`: always
/// a new bytearray (`return_self` copies a mutable object).
pub(crate) fn replace(
    ba: ByteArray<'_>,
    old: &View<'_>,
    new: &View<'_>,
    count: Py_ssize_t,
) -> PyResult<Owned> {
    let maxcount = if count < 0 {
        PY_SSIZE_T_MAX as usize
    } else {
        count as usize
    };
    // SAFETY: no Python code runs while the slices live (the new object
    // is made between the passes, which runs none).
    let (src, from, to) = unsafe { (ba.bytes(), old.as_slice(), new.as_slice()) };
    if from.len() != to.len() && !from.is_empty() {
        return match from {
            _ if src.len() <= stringlib::fastsearch::TINY => replace_tiny(src, from, to, maxcount),
            [c] if src.len() <= stringlib::fastsearch::SHORT_BYTE => {
                replace_short_byte(src, *c, to, maxcount)
            }
            [c] if src.len() <= stringlib::transmogrify::MASKED_BYTE => {
                replace_masked_byte(src, *c, to, maxcount)
            }
            _ => replace_planned(src, from, to, maxcount),
        };
    }
    if let (&[f], &[t]) = (from, to) {
        // One byte by one: replaced in place, `src`'s length.
        let (result, rb) = new_uninit(src.len() as Py_ssize_t)?;
        // SAFETY: `result` is new.
        stringlib::transmogrify::replace_byte_in_place(src, f, t, maxcount, unsafe {
            rb.bytes_mut()
        });
        return Ok(result);
    }
    let Ok(n) = stringlib::transmogrify::replace_len(src, from, to, maxcount) else {
        return Err(replace_too_long());
    };
    let (result, rb) = new_uninit(n as Py_ssize_t)?;
    // SAFETY: `result` is new.
    stringlib::transmogrify::replace_into(src, from, to, maxcount, unsafe { rb.bytes_mut() });
    Ok(result)
}

/// [`replace`] of up to 32 bytes into a result of another length: the
/// matches found once, for the length and the result
/// (`stringlib::transmogrify::replace_tiny`).  Out of line, so that the
/// other paths keep their registers.
#[inline(never)]
fn replace_tiny(src: &[u8], from: &[u8], to: &[u8], maxcount: usize) -> PyResult<Owned> {
    let plan = match stringlib::transmogrify::replace_tiny(src, from, to, maxcount) {
        Some(Ok(plan)) => plan,
        Some(Err(_)) => return Err(replace_too_long()),
        // Not a short haystack after all (the caller checked).
        None => return replace_planned(src, from, to, maxcount),
    };
    write_tiny(&plan, src, from, to)
}

/// [`replace`] of a one-byte `old` in 33 to 64 bytes into a result of
/// another length: as [`replace_tiny`], with a mask of 64 bits
/// (`stringlib::transmogrify::replace_short_byte`).  Out of line, apart
/// from [`replace_tiny`], so that its wider mask does not cost the
/// shorter haystacks a register.
#[inline(never)]
fn replace_short_byte(src: &[u8], c: u8, to: &[u8], maxcount: usize) -> PyResult<Owned> {
    let plan = match stringlib::transmogrify::replace_short_byte(src, c, to, maxcount) {
        Some(Ok(plan)) => plan,
        Some(Err(_)) => return Err(replace_too_long()),
        // Not 33 to 64 bytes after all (the caller checked).
        None => return replace_planned(src, &[c], to, maxcount),
    };
    write_tiny(&plan, src, &[c], to)
}

/// [`replace`] of a one-byte `old` in more than `SHORT_BYTE` and up to
/// `MASKED_BYTE` bytes (65 to 512) into a result of another length: the
/// first match found by memchr, the others by compare masks
/// (`stringlib::transmogrify::ByteReplacePlan`).  Out of line, as
/// [`replace_tiny`].
#[inline(never)]
fn replace_masked_byte(src: &[u8], c: u8, to: &[u8], maxcount: usize) -> PyResult<Owned> {
    let mut plan = stringlib::transmogrify::ByteReplacePlan::EMPTY;
    if !plan.search(src, c, to.len(), maxcount) {
        // Not 65 to 512 bytes after all (the caller checked).
        return replace_planned(src, &[c], to, maxcount);
    }
    let Ok(len) = plan.result_len() else {
        return Err(replace_too_long());
    };
    let (result, rb) = new_uninit(len as Py_ssize_t)?;
    // SAFETY: `result` is new.
    plan.write(src, to, unsafe { rb.bytes_mut() });
    Ok(result)
}

/// The result of a planned short replace.
#[inline(always)]
fn write_tiny<M: stringlib::fastsearch::MaskWord>(
    plan: &stringlib::transmogrify::TinyReplace<M>,
    src: &[u8],
    from: &[u8],
    to: &[u8],
) -> PyResult<Owned> {
    let (result, rb) = new_uninit(plan.result_len() as Py_ssize_t)?;
    // SAFETY: `result` is new.
    plan.write(src, from, to, unsafe { rb.bytes_mut() });
    Ok(result)
}

/// [`replace`] of more than 32 bytes into a result of another length: the
/// first matches found once, for the length and the result
/// (`stringlib::transmogrify::ReplacePlan`).  Out of line, as
/// [`replace_tiny`].
#[inline(never)]
fn replace_planned(src: &[u8], from: &[u8], to: &[u8], maxcount: usize) -> PyResult<Owned> {
    let mut plan = stringlib::transmogrify::ReplacePlan::EMPTY;
    plan.search(src, from, to, maxcount);
    let Ok(len) = plan.result_len() else {
        return Err(replace_too_long());
    };
    let (result, rb) = new_uninit(len as Py_ssize_t)?;
    // SAFETY: `result` is new.
    plan.write(src, from, to, maxcount, unsafe { rb.bytes_mut() });
    Ok(result)
}

/// C's OverflowError for a replace result past `PY_SSIZE_T_MAX`.
fn replace_too_long() -> PyErr {
    err::set_string(Exc::OverflowError, cmsg!("replace bytes is too long"))
}
