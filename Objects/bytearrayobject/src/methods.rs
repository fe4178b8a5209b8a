//! C's "Methods" section: the `_impl` functions Argument Clinic's wrappers
//! (`clinic.rs`) call, in the C file's order, and the stringlib templates
//! C compiles into this file (`stringlib/ctype.h`, `join.h`,
//! `transmogrify.h` ...), as their bytearray instances.

use core::ffi::{c_int, CStr};
use core::mem::MaybeUninit;
use core::ptr::{addr_of, addr_of_mut};

use cpython_sys::api::buffer::View;
use cpython_sys::api::bytes_methods::{Case, Ctype, Search};
use cpython_sys::api::{self, buffer, err, Exc};
use cpython_sys::ffi::{self, PyObject, PyTypeObject, Py_buffer, Py_ssize_t};
use cpython_sys::{cmsg, Borrowed, Owned, PyResult};

use crate::object::{
    _PyByteArray_FromBufferObject, _bytearray_with_buffer, _canresize, from_raw, from_slice,
    new_uninit, ByteArray, PY_SSIZE_T_MAX,
};
use crate::search::FindKind;
use crate::sequence::bytearray_setslice;
use crate::types::PyByteArray_Type;

// ---------------------------------------------------------------------------
// find, count, index, rfind, rindex, startswith, endswith

/// `bytearray_find_impl(self, sub, start, end)`.
pub(crate) fn bytearray_find_impl(
    ba: ByteArray<'_>,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::find(ba, FindKind::Find, sub, start, end)
}

/// `bytearray_count_impl(self, sub, start, end)`.
pub(crate) fn bytearray_count_impl(
    ba: ByteArray<'_>,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::find(ba, FindKind::Count, sub, start, end)
}

/// `bytearray_clear_impl(self)`.
pub(crate) fn bytearray_clear_impl(ba: ByteArray<'_>) -> PyResult<Owned> {
    ba.resize(0)?;
    Ok(api::object::none_ref())
}

/// `bytearray_copy_impl(self)`.
pub(crate) fn bytearray_copy_impl(ba: ByteArray<'_>) -> PyResult<Owned> {
    // SAFETY: the contents stay in place for the copy (no Python code).
    unsafe { from_raw(ba.as_ptr(), ba.len()) }
}

/// `bytearray_index_impl(self, sub, start, end)`.
pub(crate) fn bytearray_index_impl(
    ba: ByteArray<'_>,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::find(ba, FindKind::Index, sub, start, end)
}

/// `bytearray_rfind_impl(self, sub, start, end)`.
pub(crate) fn bytearray_rfind_impl(
    ba: ByteArray<'_>,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::find(ba, FindKind::RFind, sub, start, end)
}

/// `bytearray_rindex_impl(self, sub, start, end)`.
pub(crate) fn bytearray_rindex_impl(
    ba: ByteArray<'_>,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::find(ba, FindKind::RIndex, sub, start, end)
}

/// `bytearray_startswith_impl(self, subobj, start, end)`.
pub(crate) fn bytearray_startswith_impl(
    ba: ByteArray<'_>,
    subobj: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    _bytearray_with_buffer(ba, Search::StartsWith, subobj, start, end)
}

/// `bytearray_endswith_impl(self, subobj, start, end)`.
pub(crate) fn bytearray_endswith_impl(
    ba: ByteArray<'_>,
    subobj: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    _bytearray_with_buffer(ba, Search::EndsWith, subobj, start, end)
}

// ---------------------------------------------------------------------------
// removeprefix, removesuffix, translate, maketrans

/// `bytearray_removeprefix_impl(self, prefix)`.
pub(crate) fn bytearray_removeprefix_impl(ba: ByteArray<'_>, prefix: &View<'_>) -> PyResult<Owned> {
    // SAFETY: no Python code runs while the slices live.
    let (s, p) = unsafe { (ba.bytes(), prefix.as_slice()) };
    match s.strip_prefix(p) {
        Some(rest) => from_slice(rest),
        None => from_slice(s),
    }
}

/// `bytearray_removesuffix_impl(self, suffix)`.
pub(crate) fn bytearray_removesuffix_impl(ba: ByteArray<'_>, suffix: &View<'_>) -> PyResult<Owned> {
    // SAFETY: no Python code runs while the slices live.
    let (s, p) = unsafe { (ba.bytes(), suffix.as_slice()) };
    match s.strip_suffix(p) {
        Some(rest) => from_slice(rest),
        None => from_slice(s),
    }
}

/// `bytearray_translate_impl(self, table, deletechars)`.
pub(crate) fn bytearray_translate_impl(
    ba: ByteArray<'_>,
    table: Borrowed<'_>,
    deletechars: Option<Borrowed<'_>>,
) -> PyResult<Owned> {
    let mut tslot = buffer::slot();
    let vtable = if table.is(api::object::none().as_ptr()) {
        None
    } else {
        let v = View::simple(table, &mut tslot)?;
        if v.len() != 256 {
            return Err(err::set_string(
                Exc::ValueError,
                cmsg!("translation table must be 256 characters long"),
            ));
        }
        Some(v)
    };
    let mut dslot = buffer::slot();
    let vdel = match deletechars {
        Some(d) => Some(View::simple(d, &mut dslot)?),
        None => None,
    };
    // Python code (buffer exports) ran above: the size is read after.
    let inlen = ba.len();
    let (result, rb) = new_uninit(inlen)?;
    // SAFETY: no Python code runs while the slices live; `result` is new.
    let (input, output, table_chars, del) = unsafe {
        (
            ba.bytes(),
            rb.bytes_mut(),
            vtable.as_ref().map(|v| v.as_slice()),
            vdel.as_ref().map_or(&[][..], |v| v.as_slice()),
        )
    };
    // The table is 256 bytes (checked above): indexed by a byte, never
    // out of bounds.
    let table_chars = table_chars.and_then(|t| <&[u8; 256]>::try_from(t).ok());
    if let (true, Some(t)) = (del.is_empty(), table_chars) {
        // If no deletions are required, use faster code
        for (o, &c) in output.iter_mut().zip(input) {
            *o = t[usize::from(c)];
        }
        return Ok(result);
    }
    // Built in one pass, with no zeroing first (a 1 KiB memset of C's int
    // table cost more than the rest on short inputs); i16 holds a byte
    // and -1.
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let mut trans_table: [i16; 256] = match table_chars {
        None => core::array::from_fn(|i| i as i16),
        Some(tc) => core::array::from_fn(|i| i16::from(tc[i])),
    };
    for &c in del {
        trans_table[usize::from(c)] = -1;
    }
    // Each byte is stored at `n`, which moves on only for a byte kept (no
    // branch per byte); `n` never passes the input's index.
    let out = output.as_mut_ptr();
    let mut n = 0usize;
    for &c in input {
        let t = trans_table[usize::from(c)];
        // SAFETY: n <= the index of `c` < inlen, the output's length.
        unsafe { *out.add(n) = t as u8 };
        n += usize::from(t != -1);
    }
    // Fix the size of the resulting bytearray
    if inlen > 0 {
        rb.resize(n as Py_ssize_t)?;
    }
    Ok(result)
}

/// `bytearray_maketrans_impl(frm, to)`.
pub(crate) fn bytearray_maketrans_impl(frm: &View<'_>, to: &View<'_>) -> PyResult<Owned> {
    api::bytes_methods::maketrans(frm.raw(), to.raw())
}

// ---------------------------------------------------------------------------
// replace, split, partition, rpartition, rsplit (stringlib)

/// `bytearray_replace_impl(self, old, new, count)`: `stringlib_replace`.
pub(crate) fn bytearray_replace_impl(
    ba: ByteArray<'_>,
    old: &View<'_>,
    new: &View<'_>,
    count: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::replace(ba, old, new, count)
}

/// `bytearray_split_impl(self, sep, maxsplit)`.
pub(crate) fn bytearray_split_impl(
    ba: ByteArray<'_>,
    sep: Borrowed<'_>,
    maxsplit: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::split(ba, sep, maxsplit, false)
}

/// `bytearray_partition(self, sep)`.
pub(crate) fn bytearray_partition_impl(ba: ByteArray<'_>, sep: Borrowed<'_>) -> PyResult<Owned> {
    let bytesep = _PyByteArray_FromBufferObject(sep)?;
    crate::search::partition(ba, bytesep.borrow(), false)
}

/// `bytearray_rpartition(self, sep)`.
pub(crate) fn bytearray_rpartition_impl(ba: ByteArray<'_>, sep: Borrowed<'_>) -> PyResult<Owned> {
    let bytesep = _PyByteArray_FromBufferObject(sep)?;
    crate::search::partition(ba, bytesep.borrow(), true)
}

/// `bytearray_rsplit_impl(self, sep, maxsplit)`.
pub(crate) fn bytearray_rsplit_impl(
    ba: ByteArray<'_>,
    sep: Borrowed<'_>,
    maxsplit: Py_ssize_t,
) -> PyResult<Owned> {
    crate::search::split(ba, sep, maxsplit, true)
}

// ---------------------------------------------------------------------------
// reverse, insert, append, extend, pop, remove

/// `bytearray_reverse_impl(self)`.
pub(crate) fn bytearray_reverse_impl(ba: ByteArray<'_>) -> PyResult<Owned> {
    // SAFETY: no Python code runs while the slice lives.
    unsafe { ba.bytes_mut() }.reverse();
    Ok(api::object::none_ref())
}

/// `bytearray_insert_impl(self, index, item)`.
pub(crate) fn bytearray_insert_impl(
    ba: ByteArray<'_>,
    mut index: Py_ssize_t,
    item: u8,
) -> PyResult<Owned> {
    let n = ba.len();
    if n == PY_SSIZE_T_MAX {
        return Err(err::set_string(
            Exc::OverflowError,
            cmsg!("cannot add more objects to bytearray"),
        ));
    }
    ba.resize(n + 1)?;
    if index < 0 {
        index = index.wrapping_add(n).max(0);
    }
    let index = index.min(n) as usize;
    let buf = ba.as_ptr();
    // SAFETY: the size is n + 1 now: bytes index..n move up by one within
    // it, then byte `index` (<= n) is written; no Python code runs.
    unsafe {
        core::ptr::copy(buf.add(index), buf.add(index + 1), n as usize - index);
        *buf.add(index) = item;
    }
    Ok(api::object::none_ref())
}

/// `bytearray_append_impl(self, item)`.
pub(crate) fn bytearray_append_impl(ba: ByteArray<'_>, item: u8) -> PyResult<Owned> {
    let n = ba.len();
    if n == PY_SSIZE_T_MAX {
        return Err(err::set_string(
            Exc::OverflowError,
            cmsg!("cannot add more objects to bytearray"),
        ));
    }
    ba.resize(n + 1)?;
    // SAFETY: the size is n + 1: byte n is within the contents.
    unsafe { *ba.as_ptr().add(n as usize) = item };
    Ok(api::object::none_ref())
}

/// `bytearray_extend(self, iterable_of_ints)`.
pub(crate) fn bytearray_extend_impl(
    ba: ByteArray<'_>,
    iterable_of_ints: Borrowed<'_>,
) -> PyResult<Owned> {
    // bytearray_setslice code only accepts something supporting PEP 3118.
    if buffer::check(iterable_of_ints) {
        bytearray_setslice(ba, ba.len(), ba.len(), Some(iterable_of_ints))?;
        return Ok(api::object::none_ref());
    }
    let it = api::iter::get_iter(iterable_of_ints).map_err(|e| {
        if err::exception_matches(&e, Exc::TypeError) {
            crate::object::format_type_name(
                Exc::TypeError,
                c"can't extend bytearray with %.100s",
                iterable_of_ints,
            )
        } else {
            e
        }
    })?;
    // Try to determine the length of the argument. 32 is arbitrary.
    let mut buf_size = api::object::length_hint(iterable_of_ints, 32)?;
    let (bytearray_obj, tmp) = new_uninit(buf_size)?;
    let mut len: Py_ssize_t = 0;
    while let Some(item) = api::iter::next_item(it.borrow())? {
        let value = crate::object::_getbytevalue(item.borrow()).map_err(|e| {
            if err::exception_matches(&e, Exc::TypeError) && api::unicode::check(iterable_of_ints) {
                err::set_string(
                    Exc::TypeError,
                    cmsg!("expected iterable of integers; got: 'str'"),
                )
            } else {
                e
            }
        })?;
        drop(item);
        if len >= buf_size {
            if len == PY_SSIZE_T_MAX {
                return Err(err::no_memory());
            }
            let addition = if len != 0 { len >> 1 } else { 1 };
            buf_size = if addition > PY_SSIZE_T_MAX - len - 1 {
                PY_SSIZE_T_MAX
            } else {
                len + addition + 1
            };
            tmp.resize(buf_size)?;
        }
        // SAFETY: len < buf_size == the temporary's size; the pointer is
        // read after any resize (nobody else sees the temporary).
        unsafe { *tmp.as_ptr().add(len as usize) = value };
        len += 1;
    }
    // Resize down to exact size.
    tmp.resize(len)?;
    bytearray_setslice(ba, ba.len(), ba.len(), Some(bytearray_obj.borrow()))?;
    Ok(api::object::none_ref())
}

/// `bytearray_pop_impl(self, index)`.
pub(crate) fn bytearray_pop_impl(ba: ByteArray<'_>, mut index: Py_ssize_t) -> PyResult<Owned> {
    let n = ba.len();
    if n == 0 {
        return Err(err::set_string(
            Exc::IndexError,
            cmsg!("pop from empty bytearray"),
        ));
    }
    if index < 0 {
        index = index.wrapping_add(n);
    }
    if index < 0 || index >= n {
        return Err(err::set_string(
            Exc::IndexError,
            cmsg!("pop index out of range"),
        ));
    }
    _canresize(ba)?;
    let buf = ba.as_ptr();
    let index = index as usize;
    // SAFETY: 0 <= index < n: the byte is read, and the bytes after it
    // (with the NUL at n) move down by one, within the n + 1 of the block;
    // no Python code runs.
    let value = unsafe {
        let value = *buf.add(index);
        core::ptr::copy(buf.add(index + 1), buf.add(index), n as usize - index);
        value
    };
    ba.resize(n - 1)?;
    Ok(api::long::from_unsigned_char(value))
}

/// `bytearray_remove_impl(self, value)`.
pub(crate) fn bytearray_remove_impl(ba: ByteArray<'_>, value: u8) -> PyResult<Owned> {
    let n = ba.len();
    // C: stringlib_find_char
    // SAFETY: no Python code runs while the slice lives.
    let Some(where_) = stringlib::fastsearch::find_char(unsafe { ba.bytes() }, value) else {
        return Err(err::set_string(
            Exc::ValueError,
            cmsg!("value not found in bytearray"),
        ));
    };
    _canresize(ba)?;
    let buf = ba.as_ptr();
    // SAFETY: where_ < n: the bytes after it (with the NUL at n) move down
    // by one within the n + 1 of the block; no Python code runs.
    unsafe { core::ptr::copy(buf.add(where_ + 1), buf.add(where_), n as usize - where_) };
    ba.resize(n - 1)?;
    Ok(api::object::none_ref())
}

// ---------------------------------------------------------------------------
// strip, lstrip, rstrip

/// Which ends `bytearray_strip_impl_helper` strips.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum StripType {
    /// `LEFTSTRIP`
    Left,
    /// `RIGHTSTRIP`
    Right,
    /// `BOTHSTRIP`
    Both,
}

/// `bytearray_strip_impl_helper(self, bytes, striptype)`.
pub(crate) fn bytearray_strip_impl_helper(
    ba: ByteArray<'_>,
    bytes: Borrowed<'_>,
    striptype: StripType,
) -> PyResult<Owned> {
    let mut slot = buffer::slot();
    let view = if bytes.is(api::object::none().as_ptr()) {
        None
    } else {
        Some(View::simple(bytes, &mut slot)?)
    };
    let (left, right) = (striptype != StripType::Right, striptype != StripType::Left);
    // SAFETY: no Python code runs while the slices live.
    let s = unsafe { ba.bytes() };
    let r = match &view {
        // SAFETY: as above.
        Some(v) => stringlib::strip::strip_bytes(s, unsafe { v.as_slice() }, left, right),
        // C's default set, "\t\n\r\f\v ".
        None => stringlib::strip::strip_space(s, left, right),
    };
    from_slice(s.get(r).unwrap_or(&[]))
}

// ---------------------------------------------------------------------------
// decode, __alloc__, join, splitlines, fromhex, hex

/// `bytearray_decode_impl(self, encoding, errors)`.
pub(crate) fn bytearray_decode_impl(
    ba: ByteArray<'_>,
    encoding: Option<&CStr>,
    errors: Option<&CStr>,
) -> PyResult<Owned> {
    let encoding = encoding.unwrap_or_else(|| api::unicode::default_encoding());
    api::unicode::from_encoded_object(ba.obj(), Some(encoding), errors)
}

/// `bytearray_alloc(self)`: `__alloc__`.
pub(crate) fn bytearray_alloc_impl(ba: ByteArray<'_>) -> PyResult<Owned> {
    api::long::from_ssize_t(ba.alloc())
}

/// How many items `join` keeps views of on the stack (`NB_STATIC_BUFFERS`).
const NB_STATIC_BUFFERS: usize = 10;

/// `bytearray_join(self, iterable_of_bytes)`: `stringlib_bytes_join` with
/// `self` pinned (a custom iterator cannot resize or free it).
pub(crate) fn bytearray_join_impl(
    ba: ByteArray<'_>,
    iterable_of_bytes: Borrowed<'_>,
) -> PyResult<Owned> {
    let pin = ba.pin();
    stringlib_bytes_join(&pin, iterable_of_bytes)
}

/// The acquired views of `join`'s items, released when dropped.
///
/// # Invariants
/// The first `n` entries of `bufs` are acquired buffers (or, for exact
/// bytes, a `Py_buffer` whose `buf`, `len` and `obj` alone are set, `obj`
/// holding a reference), each released once.  The rest, and an exact
/// bytes entry's other fields, are uninitialised (as C leaves them): they
/// are read through raw pointers, field by field, never as a whole.
struct JoinBuffers<'b> {
    bufs: &'b mut [MaybeUninit<Py_buffer>],
    n: usize,
}

impl JoinBuffers<'_> {
    /// The entries in use.
    #[inline(always)]
    fn held(&self) -> &[MaybeUninit<Py_buffer>] {
        self.bufs.get(..self.n).unwrap_or(&[])
    }
}

impl Drop for JoinBuffers<'_> {
    fn drop(&mut self) {
        let n = self.n;
        for b in self.bufs.iter_mut().take(n) {
            // SAFETY: initialised, acquired and not released yet
            // (invariant); PyBuffer_Release of an exact bytes "view" drops
            // its reference (bytes has no releasebuffer).
            unsafe { buffer::release(b.as_mut_ptr()) };
        }
    }
}

/// Fails with join's OverflowError when `sz + add` passes PY_SSIZE_T_MAX.
#[inline(always)]
fn join_add(sz: Py_ssize_t, add: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if add > PY_SSIZE_T_MAX - sz {
        return Err(err::set_string(
            Exc::OverflowError,
            cmsg!("join() result is too long"),
        ));
    }
    Ok(sz + add)
}

/// `stringlib_bytes_join` when every item is an exact bytes object: the
/// same result and errors, with no buffers and no references taken.  C's
/// pre-pass runs no Python code for such items, and neither does this
/// function (lengths, the overflow error, the allocation), so the items
/// stay in the sequence, unchanged, from the first pass to the copy.
/// `None` (nothing done) at the first item of another type: the general
/// path then starts over.  A list in a free-threaded build takes the
/// general path (another thread could drop an item between the passes).
#[inline]
fn join_exact_bytes(
    sep: &crate::object::StoragePin<'_>,
    seq: api::sequence::FastSeq<'_>,
) -> Option<PyResult<Owned>> {
    if cfg!(Py_GIL_DISABLED) && seq.is_list() {
        return None;
    }
    // SAFETY: no Python code runs in this function (see above).
    let item = |i| unsafe { seq.item_borrowed(i) }.filter(|o| api::bytes::check_exact(*o));
    let (seqlen, seplen) = (seq.len(), sep.len());
    let mut sz: Py_ssize_t = 0;
    for i in 0..seqlen {
        let len = api::bytes::as_slice(item(i)?)?.len() as Py_ssize_t;
        let r = join_add(sz, len).and_then(|sz| if i != 0 { join_add(sz, seplen) } else { Ok(sz) });
        match r {
            Ok(n) => sz = n,
            Err(e) => return Some(Err(e)),
        }
    }
    let (res, rb) = match new_uninit(sz) {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    let out = rb.as_ptr();
    let mut at = 0usize;
    for i in 0..seqlen {
        let b = item(i).and_then(api::bytes::as_slice).unwrap_or(&[]);
        // SAFETY: sz counted every item and separator (the items are the
        // same, unchanged); `sep` is pinned; the result is new.
        unsafe {
            if i != 0 && seplen != 0 {
                core::ptr::copy_nonoverlapping(sep.ptr(), out.add(at), seplen as usize);
                at += seplen as usize;
            }
            core::ptr::copy_nonoverlapping(b.as_ptr(), out.add(at), b.len());
        }
        at += b.len();
    }
    Some(Ok(res))
}

// C: stringlib_bytes_join
fn stringlib_bytes_join(
    sep: &crate::object::StoragePin<'_>,
    iterable: Borrowed<'_>,
) -> PyResult<Owned> {
    let seq_owned = api::sequence::fast(iterable, cmsg!("can only join an iterable"))?;
    // PySequence_Fast gives a list or a tuple.
    let Some(seq) = api::sequence::FastSeq::of(seq_owned.borrow()) else {
        return Err(err::bad_internal_call(
            c"Objects/stringlib/join.h",
            line!() as c_int,
        ));
    };
    let seqlen = seq.len();
    if seqlen == 0 {
        return Ok(new_uninit(0)?.0);
    }
    if let Some(r) = join_exact_bytes(sep, seq) {
        return r;
    }
    let seplen = sep.len();
    let mut static_buffers = [MaybeUninit::<Py_buffer>::uninit(); NB_STATIC_BUFFERS];
    let heap;
    let bufs: &mut [MaybeUninit<Py_buffer>] = if seqlen as usize > NB_STATIC_BUFFERS {
        heap = api::mem::PyMemBlock::new(
            (seqlen as usize).saturating_mul(core::mem::size_of::<Py_buffer>()),
        )?;
        // SAFETY: a fresh block of room for seqlen Py_buffers (PyMem_Malloc
        // is aligned for any type), left uninitialised (MaybeUninit).
        unsafe {
            core::slice::from_raw_parts_mut(
                heap.as_ptr() as *mut MaybeUninit<Py_buffer>,
                seqlen as usize,
            )
        }
    } else {
        &mut static_buffers[..]
    };
    let mut held = JoinBuffers { bufs, n: 0 };
    let mut sz: Py_ssize_t = 0;
    // Do a pre-pass to figure out the total amount of space we'll need
    // (sz), and see whether all arguments are bytes-like.
    for i in 0..seqlen {
        // SAFETY: used with no Python code run but for the export below,
        // across which it is held by `_hold` unless the export runs none.
        let Some(item) = (unsafe { seq.item_borrowed(i) }) else {
            break;
        };
        let Some(slot) = held.bufs.get_mut(i as usize) else {
            break;
        };
        let itemlen = if api::bytes::check_exact(item) {
            // Fast path.
            let s = api::bytes::as_slice(item).unwrap_or(&[]);
            let len = s.len() as Py_ssize_t;
            let v = slot.as_mut_ptr();
            // SAFETY: `v` is writable; as C, only the fields join and
            // PyBuffer_Release read are set (bytes has no releasebuffer).
            unsafe {
                addr_of_mut!((*v).buf).write(s.as_ptr() as *mut core::ffi::c_void);
                addr_of_mut!((*v).len).write(len);
                addr_of_mut!((*v).obj).write(item.new_ref().into_raw());
            }
            len
        } else {
            // An item whose __buffer__ may run is held by our own
            // reference (it may drop the sequence's, and the error below
            // reads its type); a memoryview or bytearray export runs no
            // Python code, and the sequence's reference holds it.
            let _hold = (!buffer::export_runs_no_python(item)).then(|| item.new_ref());
            // SAFETY: `slot` is writable; released by JoinBuffers.
            if unsafe { buffer::get_buffer(item, slot.as_mut_ptr(), ffi::PyBUF_SIMPLE as c_int) }
                .is_err()
            {
                // SAFETY: tp_name of a live type is a NUL-terminated string.
                return Err(unsafe {
                    err::format_ssize_cstr(
                        Exc::TypeError,
                        c"sequence item %zd: expected a bytes-like object, %.80s found",
                        i,
                        item.type_name(),
                    )
                });
            }
            // SAFETY: filled by the exporter.
            unsafe { addr_of!((*slot.as_ptr()).len).read() }
        };
        held.n = i as usize + 1; // for error cleanup
        sz = join_add(sz, itemlen)?;
        if i != 0 {
            sz = join_add(sz, seplen)?;
        }
        if seqlen != seq.len() {
            return Err(err::set_string(
                Exc::RuntimeError,
                cmsg!("sequence changed size during iteration"),
            ));
        }
    }
    // Allocate result space.
    let (res, rb) = new_uninit(sz)?;
    // Catenate everything.  The separator's address is read once: it is
    // pinned, and the copies below cannot move it.
    let (sep_ptr, seplen) = (sep.ptr(), seplen as usize);
    let mut p = rb.as_ptr();
    for (i, b) in held.held().iter().enumerate() {
        // SAFETY: one of the first `n` entries, whose `buf` and `len` are
        // set (invariant).
        let (buf, len) = unsafe {
            let v = b.as_ptr();
            (addr_of!((*v).buf).read(), addr_of!((*v).len).read())
        };
        if i != 0 && seplen != 0 {
            // SAFETY: sz counted every separator; `sep` is pinned.
            unsafe {
                core::ptr::copy_nonoverlapping(sep_ptr, p, seplen);
                p = p.add(seplen);
            }
        }
        // SAFETY: sz counted every item; the views are held; an item may
        // be `self` (pinned, unchanged) but never the new result.
        unsafe {
            core::ptr::copy_nonoverlapping(buf as *const u8, p, len as usize);
            p = p.add(len as usize);
        }
    }
    Ok(res)
}

/// `bytearray_splitlines_impl(self, keepends)`.
pub(crate) fn bytearray_splitlines_impl(ba: ByteArray<'_>, keepends: bool) -> PyResult<Owned> {
    crate::search::splitlines(ba, keepends)
}

/// `bytearray_fromhex_impl(type, string)`.
pub(crate) fn bytearray_fromhex_impl(
    tp: *mut PyTypeObject,
    string: Borrowed<'_>,
) -> PyResult<Owned> {
    let exact = core::ptr::eq(tp, addr_of_mut!(PyByteArray_Type));
    let result = api::bytes::from_hex(string, exact)?;
    if !exact {
        // SAFETY: a live type object (the class the method was called on).
        let tp = unsafe { Borrowed::from_ptr(tp as *mut PyObject) };
        return api::call::one_arg(tp, result.borrow());
    }
    Ok(result)
}

/// `bytearray_hex_impl(self, sep, bytes_per_sep)`.
pub(crate) fn bytearray_hex_impl(
    ba: ByteArray<'_>,
    sep: Option<Borrowed<'_>>,
    bytes_per_sep: c_int,
) -> PyResult<Owned> {
    // Prevent 'self' from being freed or resized if computing len(sep)
    // mutates 'self' in _Py_strhex_with_sep() (gh-143195).
    let pin = ba.pin();
    // SAFETY: the pin keeps the contents in place while sep's code runs.
    unsafe { api::strhex::with_sep_raw(pin.ptr(), pin.len(), sep, bytes_per_sep) }
}

// ---------------------------------------------------------------------------
// pickling, __sizeof__

/// `_common_reduce(self, proto)`.
pub(crate) fn _common_reduce(ba: ByteArray<'_>, proto: c_int) -> PyResult<Owned> {
    let state = api::object::get_state(ba.obj())?;
    let tp = ba.obj().type_object().new_ref();
    // Python code ran (__getstate__): the contents are read after.
    if ba.len() == 0 {
        let args = api::tuple::from_owned([])?;
        return api::tuple::from_owned([tp, args, state]);
    }
    let args = if proto < 3 {
        // use str based reduction for backwards compatibility with Python 2.x
        // SAFETY: no Python code runs while the slice lives.
        let latin1 = api::unicode::decode_latin1(unsafe { ba.bytes() })?;
        let enc = api::unicode::from_utf8(b"latin-1")?;
        api::tuple::from_owned([latin1, enc])?
    } else {
        // use more efficient byte based reduction
        // SAFETY: as above.
        let b = api::bytes::from_slice(unsafe { ba.bytes() })?;
        api::tuple::from_owned([b])?
    };
    api::tuple::from_owned([tp, args, state])
}

/// `bytearray_sizeof_impl(self)`.
pub(crate) fn bytearray_sizeof_impl(ba: ByteArray<'_>) -> PyResult<Owned> {
    // SAFETY: a live object's type.
    let basic = unsafe { (*ba.obj().type_ptr()).tp_basicsize } as usize;
    api::long::from_size_t(basic + ba.alloc() as usize)
}

// ---------------------------------------------------------------------------
// stringlib/ctype.h and stringlib/transmogrify.h, bytearray's instances

/// `stringlib_isspace(self)` and its kin.
pub(crate) fn stringlib_ctype(ba: ByteArray<'_>, op: Ctype) -> PyResult<Owned> {
    // SAFETY: no Python code runs while the slice lives.
    api::bytes_methods::test(op, unsafe { ba.bytes() })
}

/// `stringlib_lower(self)` and its kin: a new bytearray, converted.
pub(crate) fn stringlib_case(ba: ByteArray<'_>, op: Case) -> PyResult<Owned> {
    let (newobj, nb) = new_uninit(ba.len())?;
    // SAFETY: no Python code runs while the slices live; distinct objects.
    api::bytes_methods::convert(op, unsafe { ba.bytes() }, unsafe { nb.bytes_mut() });
    Ok(newobj)
}

/// `return_self(self)` of a mutable type: a copy.
#[inline]
fn return_self(ba: ByteArray<'_>) -> PyResult<Owned> {
    bytearray_copy_impl(ba)
}

/// `stringlib_expandtabs_impl(self, tabsize)`.
pub(crate) fn stringlib_expandtabs_impl(ba: ByteArray<'_>, tabsize: c_int) -> PyResult<Owned> {
    // SAFETY: no Python code runs while the slices live (the new object is
    // made between the two passes, which runs none either).
    let src = unsafe { ba.bytes() };
    let Ok(n) = stringlib::transmogrify::expandtabs_len(src, tabsize) else {
        return Err(err::set_string(
            Exc::OverflowError,
            cmsg!("result too long"),
        ));
    };
    let (u, ub) = new_uninit(n as Py_ssize_t)?;
    // SAFETY: as above; `u` is new.
    stringlib::transmogrify::expandtabs_into(src, tabsize, unsafe { ub.bytes_mut() });
    Ok(u)
}

/// `pad(self, left, right, fill)`.
fn pad(ba: ByteArray<'_>, left: Py_ssize_t, right: Py_ssize_t, fill: u8) -> PyResult<Owned> {
    let left = left.max(0);
    let right = right.max(0);
    if left == 0 && right == 0 {
        return return_self(ba);
    }
    let (u, ub) = new_uninit(left + ba.len() + right)?;
    // SAFETY: no Python code runs while the slices live; `u` is new.
    let (src, out) = unsafe { (ba.bytes(), ub.bytes_mut()) };
    stringlib::transmogrify::pad_into(src, left as usize, fill, out);
    Ok(u)
}

/// `stringlib_ljust_impl(self, width, fillchar)`.
pub(crate) fn stringlib_ljust_impl(
    ba: ByteArray<'_>,
    width: Py_ssize_t,
    fillchar: u8,
) -> PyResult<Owned> {
    if ba.len() >= width {
        return return_self(ba);
    }
    pad(ba, 0, width - ba.len(), fillchar)
}

/// `stringlib_rjust_impl(self, width, fillchar)`.
pub(crate) fn stringlib_rjust_impl(
    ba: ByteArray<'_>,
    width: Py_ssize_t,
    fillchar: u8,
) -> PyResult<Owned> {
    if ba.len() >= width {
        return return_self(ba);
    }
    pad(ba, width - ba.len(), 0, fillchar)
}

/// `stringlib_center_impl(self, width, fillchar)`.
pub(crate) fn stringlib_center_impl(
    ba: ByteArray<'_>,
    width: Py_ssize_t,
    fillchar: u8,
) -> PyResult<Owned> {
    let len = ba.len();
    if len >= width {
        return return_self(ba);
    }
    let marg = width - len;
    let left = marg / 2 + (marg & width & 1);
    pad(ba, left, marg - left, fillchar)
}

/// `stringlib_zfill_impl(self, width)`.
pub(crate) fn stringlib_zfill_impl(ba: ByteArray<'_>, width: Py_ssize_t) -> PyResult<Owned> {
    if ba.len() >= width {
        return return_self(ba);
    }
    let fill = width - ba.len();
    let s = pad(ba, fill, 0, b'0')?;
    if let Some(sb) = ByteArray::check(s.borrow()) {
        // SAFETY: `s` is new; no Python code runs while the slice lives.
        stringlib::transmogrify::zfill_sign(unsafe { sb.bytes_mut() }, fill as usize);
    }
    Ok(s)
}

/// `bytearray_mod(v, w)`'s body: `_PyBytes_FormatEx` on the pinned
/// contents.
pub(crate) fn bytearray_mod_impl(ba: ByteArray<'_>, w: Borrowed<'_>) -> PyResult<Owned> {
    // Increase exports to prevent bytearray storage from changing during op.
    let pin = ba.pin();
    // SAFETY: the pin keeps the contents in place while the formatting
    // runs Python code (__str__, __index__ ...).
    unsafe { api::bytes::format_ex(pin.ptr(), pin.len(), w, true) }
}
