//! MemoryView Object: the object handles and the macros at the top of the
//! C section (`BASE_INACCESSIBLE`, `CHECK_RELEASED`, `CHECK_RESTRICTED`,
//! `VIEW_ADDR`, ...), plus the two guards this port adds: [`ExportPin`]
//! and [`FullView`] (a normalised copy of a foreign `Py_buffer`).

use core::mem::MaybeUninit;
use core::ptr::{addr_of, addr_of_mut, NonNull};

use cpython_sys::api::{err, Exc};
use cpython_sys::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use cpython_sys::{ft, Borrowed, PyResult};

use crate::layout::{self, MBUF_RELEASED, MV_RELEASED, MV_RESTRICTED, PYBUF_MAX_NDIM};
use crate::strided::Strided;

pub(crate) type PyMemoryViewObject = ffi::PyMemoryViewObject;
pub(crate) type PyManagedBufferObject = ffi::_PyManagedBufferObject;

// The pure modules' flag values are C's.
const _: () = {
    assert!(layout::MV_RELEASED == ffi::_Py_MEMORYVIEW_RELEASED as i32);
    assert!(layout::MV_C == ffi::_Py_MEMORYVIEW_C as i32);
    assert!(layout::MV_FORTRAN == ffi::_Py_MEMORYVIEW_FORTRAN as i32);
    assert!(layout::MV_SCALAR == ffi::_Py_MEMORYVIEW_SCALAR as i32);
    assert!(layout::MV_PIL == ffi::_Py_MEMORYVIEW_PIL as i32);
    assert!(layout::MV_RESTRICTED == ffi::_Py_MEMORYVIEW_RESTRICTED as i32);
    assert!(layout::MBUF_RELEASED == ffi::_Py_MANAGED_BUFFER_RELEASED as i32);
    assert!(layout::MBUF_FREE_FORMAT == ffi::_Py_MANAGED_BUFFER_FREE_FORMAT as i32);
    assert!(layout::PYBUF_FULL_RO == ffi::PyBUF_FULL_RO as i32);
    assert!(layout::PYBUF_READ == ffi::PyBUF_READ as i32);
    assert!(layout::PYBUF_WRITE == ffi::PyBUF_WRITE as i32);
    assert!(layout::PYBUF_INDIRECT == ffi::PyBUF_INDIRECT as i32);
    assert!(layout::PYBUF_C_CONTIGUOUS == ffi::PyBUF_C_CONTIGUOUS as i32);
    assert!(layout::PYBUF_F_CONTIGUOUS == ffi::PyBUF_F_CONTIGUOUS as i32);
    assert!(layout::PYBUF_ANY_CONTIGUOUS == ffi::PyBUF_ANY_CONTIGUOUS as i32);
    assert!(layout::PYBUF_MAX_NDIM == ffi::PyBUF_MAX_NDIM as usize);
};

/// `&arr[..n]` for a C array that may be NULL when `n == 0`.
///
/// # Safety
/// When `n > 0`, `p` points to `n` elements that stay unchanged for `'a`.
#[inline(always)]
pub(crate) unsafe fn arr<'a>(p: *const Py_ssize_t, n: usize) -> &'a [Py_ssize_t] {
    if p.is_null() || n == 0 {
        &[]
    } else {
        // SAFETY: caller's contract.
        unsafe { core::slice::from_raw_parts(p, n) }
    }
}

/// Copies `src` into `dest` (the common prefix when the lengths differ:
/// `copy_from_slice` without its panic path).
#[inline]
pub(crate) fn copy_into(dest: &mut [Py_ssize_t], src: &[Py_ssize_t]) {
    for (d, s) in dest.iter_mut().zip(src) {
        *d = *s;
    }
}

/// The bytes of a NUL-terminated format string (`"B"` for NULL, as
/// `init_shared_values` substitutes).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string unchanged for `'a`.
#[inline]
pub(crate) unsafe fn fmt_bytes<'a>(p: *const core::ffi::c_char) -> &'a [u8] {
    // The usual one- or two-byte formats are measured inline.
    // SAFETY: caller's contract.
    let head = unsafe { fmt_head(p) };
    if head.len() < 3 {
        return head;
    }
    // SAFETY: caller's contract (not NULL: fmt_head gives "B" for NULL).
    unsafe { core::ffi::CStr::from_ptr(p) }.to_bytes()
}

/// The first bytes of a NUL-terminated format string, at most three (all
/// of it when shorter; `"B"` for NULL): enough to tell a single format
/// character, optionally prefixed with '@', from any other format without
/// measuring the whole string (C's `adjust_fmt` and `get_native_fmtchar`
/// read at most `fmt[0..2]`).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string unchanged for `'a`.
#[inline(always)]
pub(crate) unsafe fn fmt_head<'a>(p: *const core::ffi::c_char) -> &'a [u8] {
    if p.is_null() {
        return b"B";
    }
    let p = p as *const u8;
    let mut n = 0;
    // SAFETY: caller's contract: bytes up to the NUL are readable, and the
    // loop stops at the NUL.
    while n < 3 && unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: the `n` bytes just read.
    unsafe { core::slice::from_raw_parts(p, n) }
}

/// `adjust_fmt` on a raw format string: the single format character
/// after an optional '@' (`'B'` for NULL), reading at most `fmt[0..2]`
/// as C does.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn fmt_single(p: *const core::ffi::c_char) -> Option<u8> {
    if p.is_null() {
        return Some(b'B');
    }
    let mut p = p as *const u8;
    // SAFETY: caller's contract: each byte read is at or before the NUL
    // (p[1] is only read after a non-NUL p[0]).
    unsafe {
        if *p == b'@' {
            p = p.add(1);
        }
        let c = *p;
        if c != 0 && *p.add(1) == 0 {
            Some(c)
        } else {
            None
        }
    }
}

/// A live managed buffer.
///
/// # Invariants
/// Points to a live `_PyManagedBufferObject`; used with the GIL held and
/// only through raw place accesses, so Python code that runs meanwhile
/// may change it.
#[derive(Clone, Copy)]
pub(crate) struct ManagedBuffer(pub(crate) NonNull<PyManagedBufferObject>);

impl ManagedBuffer {
    #[inline(always)]
    pub(crate) fn raw(self) -> *mut PyManagedBufferObject {
        self.0.as_ptr()
    }
    #[inline(always)]
    pub(crate) fn as_obj(self) -> *mut PyObject {
        self.0.as_ptr() as *mut PyObject
    }
    // The flags and the export count are shared by every view of the
    // buffer, in every thread: `cpython_sys::ft` (atomic free-threaded).
    #[inline(always)]
    pub(crate) fn flags(self) -> i32 {
        // SAFETY: live object (invariant); the field is only accessed
        // through `ft`.
        unsafe { ft::load_int_relaxed(addr_of_mut!((*self.raw()).flags)) }
    }
    #[inline(always)]
    pub(crate) fn set_flags(self, f: i32) {
        // SAFETY: as flags.
        unsafe { ft::store_int_relaxed(addr_of_mut!((*self.raw()).flags), f) }
    }
    /// Sets `bit`; true when this call set it (one thread wins).
    #[inline(always)]
    pub(crate) fn set_flag_first(self, bit: i32) -> bool {
        // SAFETY: as flags.
        unsafe { ft::or_int(addr_of_mut!((*self.raw()).flags), bit) & bit == 0 }
    }
    #[inline(always)]
    pub(crate) fn exports(self) -> Py_ssize_t {
        // SAFETY: as flags.
        unsafe { ft::load_ssize_relaxed(addr_of_mut!((*self.raw()).exports)) }
    }
    #[inline(always)]
    pub(crate) fn set_exports(self, n: Py_ssize_t) {
        // SAFETY: as flags.
        unsafe { ft::store_ssize_relaxed(addr_of_mut!((*self.raw()).exports), n) }
    }
    /// Adds `d` to the export count; the count before.
    #[inline(always)]
    pub(crate) fn add_exports(self, d: Py_ssize_t) -> Py_ssize_t {
        // SAFETY: as flags.
        unsafe { ft::add_ssize(addr_of_mut!((*self.raw()).exports), d) }
    }
    #[inline(always)]
    pub(crate) fn master(self) -> *mut Py_buffer {
        // SAFETY: field address of a live object.
        unsafe { addr_of_mut!((*self.raw()).master) }
    }
}

/// A live memoryview.
///
/// # Invariants
/// Points to a live `PyMemoryViewObject` that the holder keeps alive
/// (a borrowed argument of a slot, or an owned reference).  `view`'s
/// `shape`/`strides`/`suboffsets` point into `ob_array` (or are NULL) and
/// are only written while the view is being constructed, before it is
/// visible to Python code; `shape` and `strides` are NULL only when `ndim`
/// is 0 (`init_shape_strides`, `cast_to_ND`).  `mbuf` is set whenever
/// `flags` lacks `MV_RELEASED`: `memory_alloc` starts a view released
/// until `register` sets `mbuf`, and `mbuf` is only cleared after
/// `_memory_release` set the flag (`memory_clear`, `memory_dealloc`);
/// the other writes of `flags` (`init_flags`, `cast_to_1D`/`cast_to_ND`)
/// are on fresh views, after `register`.
#[derive(Clone, Copy)]
pub(crate) struct MemoryView(pub(crate) NonNull<PyMemoryViewObject>);

impl MemoryView {
    /// # Safety
    /// `op` is a live memoryview (or subclass-free instance of
    /// `PyMemoryView_Type`, which has no subclasses) kept alive by the
    /// caller while the handle is used.
    #[inline(always)]
    pub(crate) unsafe fn from_ptr(op: *mut PyObject) -> MemoryView {
        // SAFETY: caller's contract: non-NULL.
        MemoryView(unsafe { NonNull::new_unchecked(op as *mut PyMemoryViewObject) })
    }

    #[inline(always)]
    pub(crate) fn raw(self) -> *mut PyMemoryViewObject {
        self.0.as_ptr()
    }

    #[inline(always)]
    pub(crate) fn as_obj(self) -> *mut PyObject {
        self.0.as_ptr() as *mut PyObject
    }

    #[inline(always)]
    pub(crate) fn borrowed(&self) -> Borrowed<'_> {
        // SAFETY: live while the handle is (invariant: the holder keeps the
        // object alive while the handle is used); the result borrows the
        // handle.
        unsafe { Borrowed::from_ptr(self.as_obj()) }
    }

    // Flags, export count and hash are read and written by every thread
    // that uses the view: `cpython_sys::ft` (atomic free-threaded).
    #[inline(always)]
    pub(crate) fn flags(self) -> i32 {
        // SAFETY: live object (invariant); the field is only accessed
        // through `ft`.
        unsafe { ft::load_int_relaxed(addr_of_mut!((*self.raw()).flags)) }
    }
    #[inline(always)]
    pub(crate) fn set_flags(self, f: i32) {
        // SAFETY: as flags.
        unsafe { ft::store_int_relaxed(addr_of_mut!((*self.raw()).flags), f) }
    }
    /// Sets `bit`; true when this call set it (one thread wins).
    #[inline(always)]
    pub(crate) fn set_flag_first(self, bit: i32) -> bool {
        // SAFETY: as flags.
        unsafe { ft::or_int(addr_of_mut!((*self.raw()).flags), bit) & bit == 0 }
    }
    #[inline(always)]
    pub(crate) fn exports(self) -> Py_ssize_t {
        // SAFETY: as flags.
        unsafe { ft::load_ssize_relaxed(addr_of_mut!((*self.raw()).exports)) }
    }
    /// Adds `d` to the export count; the count before.
    #[inline(always)]
    pub(crate) fn add_exports(self, d: Py_ssize_t) -> Py_ssize_t {
        // SAFETY: as flags.
        unsafe { ft::add_ssize(addr_of_mut!((*self.raw()).exports), d) }
    }
    #[inline(always)]
    pub(crate) fn hash(self) -> ffi::Py_hash_t {
        // SAFETY: as flags (Py_hash_t is Py_ssize_t).
        unsafe { ft::load_ssize_relaxed(addr_of_mut!((*self.raw()).hash)) }
    }
    #[inline(always)]
    pub(crate) fn set_hash(self, h: ffi::Py_hash_t) {
        // SAFETY: as hash.
        unsafe { ft::store_ssize_relaxed(addr_of_mut!((*self.raw()).hash), h) }
    }
    /// The managed buffer (NULL only after `memory_clear`).
    #[inline(always)]
    pub(crate) fn mbuf(self) -> Option<ManagedBuffer> {
        // SAFETY: live object; mbuf is NULL or a live managed buffer that
        // this view holds a reference to.
        NonNull::new(unsafe { (*self.raw()).mbuf }).map(ManagedBuffer)
    }

    /// `mv->mbuf = Py_NewRef(mbuf)` (`register`): the view holds the
    /// managed buffer from now on.
    ///
    /// # Safety
    /// The view is fresh (`memory_alloc`), not yet registered: its `mbuf`
    /// is NULL and no other code sees it.
    #[inline(always)]
    pub(crate) unsafe fn set_mbuf(self, mbuf: ManagedBuffer) {
        // SAFETY: a live managed buffer (ManagedBuffer invariant).
        let r = unsafe { Borrowed::from_ptr(mbuf.as_obj()) }.new_ref();
        // SAFETY: a live view (invariant); the field takes the reference,
        // and was NULL (caller's contract): nothing leaks.
        unsafe { (*self.raw()).mbuf = r.into_raw() as *mut PyManagedBufferObject };
    }

    /// `Py_CLEAR(mv->mbuf)` of a released view: the reference the field
    /// held (dropping it releases it), `None` when the field is empty or
    /// the view is not released (a live view keeps its managed buffer:
    /// `MemoryView` invariant).
    #[inline(always)]
    pub(crate) fn take_mbuf(self) -> Option<cpython_sys::Owned> {
        if self.flags() & MV_RELEASED == 0 {
            return None;
        }
        // SAFETY: a live view (invariant); the field owns its reference
        // (or is NULL), which moves to the result; the view is released,
        // so nothing reads the field as set (invariant).
        unsafe {
            let m = (*self.raw()).mbuf;
            (*self.raw()).mbuf = core::ptr::null_mut();
            cpython_sys::Owned::from_owned_or_null(m as *mut PyObject)
        }
    }

    /// The managed buffer as an object, or NULL (for `tp_traverse`).
    #[inline(always)]
    pub(crate) fn mbuf_obj(self) -> *mut PyObject {
        // SAFETY: a live view (invariant).
        unsafe { (*self.raw()).mbuf as *mut PyObject }
    }

    /// Whether weak references to the view exist (`weakreflist`).
    #[inline(always)]
    pub(crate) fn has_weakrefs(self) -> bool {
        // SAFETY: a live view (invariant).
        unsafe { !(*self.raw()).weakreflist.is_null() }
    }

    /// `VIEW_ADDR(mv)`.
    #[inline(always)]
    pub(crate) fn view(self) -> *mut Py_buffer {
        // SAFETY: field address of a live object.
        unsafe { addr_of_mut!((*self.raw()).view) }
    }

    /// The `Py_buffer` header, borrowed (no copy).
    ///
    /// # Safety
    /// The view is not under construction (nothing writes its header while
    /// the reference is used) and the holder keeps it alive for `'a`.
    #[inline(always)]
    pub(crate) unsafe fn view_ref<'a>(self) -> &'a Py_buffer {
        // SAFETY: caller's contract.
        unsafe { &*self.view() }
    }

    /// A copy of the `Py_buffer` header (pointers included).
    #[inline(always)]
    pub(crate) fn view_copy(self) -> Py_buffer {
        // SAFETY: live object; Py_buffer is plain data.
        unsafe { *addr_of!((*self.raw()).view) }
    }

    #[inline(always)]
    pub(crate) fn ndim(self) -> usize {
        // SAFETY: live object; ndim is in 0..=64 for every memoryview.
        usize::try_from(unsafe { (*self.raw()).view.ndim }).unwrap_or(0)
    }

    #[inline(always)]
    pub(crate) fn readonly(self) -> bool {
        // SAFETY: live object.
        unsafe { (*self.raw()).view.readonly != 0 }
    }

    /// `view.shape[..ndim]`.
    #[inline(always)]
    pub(crate) fn shape(&self) -> &[Py_ssize_t] {
        let v = self.view_copy();
        // SAFETY: shape points to ndim entries of ob_array (or is NULL for
        // ndim 0), unchanged after construction (invariant); the slice
        // borrows the handle, whose object the holder keeps alive.
        unsafe { arr(v.shape, self.ndim()) }
    }

    /// The view as a [`Strided`] (full information, as every memoryview
    /// has).  `buf` is only valid while the view is not released.
    #[inline(always)]
    pub(crate) fn strided(&self) -> Strided<'_> {
        let v = self.view_copy();
        let n = self.ndim();
        // SAFETY: as `shape`.
        unsafe {
            Strided {
                buf: v.buf as *mut u8,
                itemsize: v.itemsize,
                shape: arr(v.shape, n),
                strides: arr(v.strides, n),
                suboffsets: if v.suboffsets.is_null() {
                    None
                } else {
                    Some(arr(v.suboffsets, n))
                },
            }
        }
    }

    /// `(buf, shape, strides)` of a view without suboffsets (`None` for
    /// one with them): what the multi-index paths need, without building
    /// a whole [`Strided`].  `buf` is only valid while the view is not
    /// released.
    #[inline(always)]
    pub(crate) fn plain_dims(&self) -> Option<(*mut u8, &[Py_ssize_t], &[Py_ssize_t])> {
        let v = self.view_copy();
        if !v.suboffsets.is_null() {
            return None;
        }
        let n = self.ndim();
        if n == 0 {
            return Some((v.buf as *mut u8, &[], &[]));
        }
        // SAFETY: ndim > 0: shape and strides point to ndim entries of
        // ob_array, unchanged after construction (invariant); the holder
        // keeps the object alive while the slices are used.
        unsafe {
            Some((
                v.buf as *mut u8,
                core::slice::from_raw_parts(v.shape, n),
                core::slice::from_raw_parts(v.strides, n),
            ))
        }
    }

    /// The format string's bytes.  Only valid while the view is not
    /// released (it may point into the exporter).
    ///
    /// # Safety
    /// The view is not released, and no Python code runs while the result
    /// is used.
    #[inline(always)]
    pub(crate) unsafe fn format<'a>(self) -> &'a [u8] {
        // SAFETY: caller's contract: the exporter keeps the format alive.
        unsafe { fmt_bytes(self.view_copy().format) }
    }

    /// The format's first bytes ([`fmt_head`]): for the single-character
    /// checks, which need no more.
    ///
    /// # Safety
    /// As [`MemoryView::format`].
    #[inline(always)]
    pub(crate) unsafe fn format_head<'a>(self) -> &'a [u8] {
        // SAFETY: caller's contract: the exporter keeps the format alive.
        unsafe { fmt_head(self.view_copy().format) }
    }

    /// `lookup_dimension(view, view->buf, 0, index)` of a 1-D view: the
    /// item's address, reading the view's single shape/stride/suboffset
    /// entry directly.
    ///
    /// # Safety
    /// As [`MemoryView::item_address_1d`].
    #[inline(always)]
    pub(crate) unsafe fn lookup_dimension_1d(self, index: Py_ssize_t) -> Option<*mut u8> {
        let i = self.check_index_1d(index)?;
        // SAFETY: caller's contract.
        Some(unsafe { self.item_address_1d(i) })
    }

    /// The bounds check of `lookup_dimension` for a 1-D view: the index
    /// made non-negative, `None` when out of bounds.
    #[inline(always)]
    pub(crate) fn check_index_1d(self, index: Py_ssize_t) -> Option<Py_ssize_t> {
        // SAFETY: live object; shape is NULL or points to at least one
        // entry when ndim >= 1 (invariant); a NULL shape (ndim 0) gives
        // no items.
        let nitems = unsafe {
            let shape = (*self.raw()).view.shape;
            if shape.is_null() || (*self.raw()).view.ndim < 1 {
                0
            } else {
                *shape
            }
        };
        layout::normalize_index(index, nitems)
    }

    /// The pointer arithmetic of `lookup_dimension` for dimension 0 with
    /// an already bounds-checked index.
    ///
    /// # Safety
    /// `ndim == 1` and the view is not released (suboffsets dereference
    /// buffer memory).
    #[inline(always)]
    pub(crate) unsafe fn item_address_1d(self, i: Py_ssize_t) -> *mut u8 {
        // SAFETY: live object; with ndim 1, strides points to one entry
        // and suboffsets is NULL or does (invariant); the suboffset
        // indirection reads the live buffer (caller's contract).
        unsafe {
            let v = addr_of!((*self.raw()).view);
            let stride = *(*v).strides;
            let ptr = ((*v).buf as *mut u8).wrapping_offset(stride.wrapping_mul(i));
            let sub = (*v).suboffsets;
            if !sub.is_null() && *sub >= 0 {
                return core::ptr::read_unaligned(ptr as *const *mut u8).wrapping_offset(*sub);
            }
            ptr
        }
    }

    /// `BASE_INACCESSIBLE(mv)`.
    #[inline(always)]
    pub(crate) fn base_inaccessible(self) -> bool {
        if self.flags() & MV_RELEASED != 0 {
            return true;
        }
        // SAFETY: not released, so `mbuf` is set (invariant) and this
        // view holds a reference to it; its flags are accessed through `ft`.
        unsafe {
            ft::load_int_relaxed(addr_of_mut!((*(*self.raw()).mbuf).flags)) & MBUF_RELEASED != 0
        }
    }

    /// `CHECK_RELEASED(mv)` (and `CHECK_RELEASED_AGAIN`, gh-92888: after
    /// any call that may have run Python code).
    #[inline(always)]
    pub(crate) fn check_released(self) -> PyResult<()> {
        if self.base_inaccessible() {
            return Err(err::set_string(
                Exc::ValueError,
                cpython_sys::cmsg!("operation forbidden on released memoryview object"),
            ));
        }
        Ok(())
    }

    /// `CHECK_RESTRICTED(mv)`.
    #[inline(always)]
    pub(crate) fn check_restricted(self) -> PyResult<()> {
        if self.flags() & MV_RESTRICTED != 0 {
            return Err(err::set_string(
                Exc::ValueError,
                cpython_sys::cmsg!("cannot create new view on restricted memoryview"),
            ));
        }
        Ok(())
    }
}

/// `PyMemoryView_Check(v)`.
#[inline(always)]
pub(crate) fn memoryview_check(v: Borrowed<'_>) -> bool {
    v.type_ptr() == core::ptr::addr_of_mut!(crate::types::PyMemoryView_Type)
}

/// Holds one export of a memoryview while code that may call back into
/// Python (a `__hash__`, the struct module, a finalizer run by the GC)
/// reads its buffer: `release()` then fails with BufferError instead of
/// freeing memory that is still being read.  C has no such guard in those
/// places (it reads freed memory); where C re-checks after a callback
/// instead (`CHECK_RELEASED_AGAIN`), this port re-checks too.
///
/// # Invariants
/// The memoryview is live for the guard's lifetime (the guard holds a
/// strong reference) and its `exports` count includes this guard.
pub(crate) struct ExportPin {
    mv: MemoryView,
    _ref: cpython_sys::Owned,
}

impl ExportPin {
    /// Pins `mv`, which the caller found live.  Free-threaded, another
    /// thread may have released it since: the check is repeated where
    /// `release()` cannot run (in the view's critical section), and fails
    /// as `CHECK_RELEASED` does.  With the GIL nothing ran in between and
    /// this cannot fail.
    #[inline(always)]
    pub(crate) fn new(mv: MemoryView) -> PyResult<ExportPin> {
        cpython_sys::api::critical_section::with(mv.borrowed(), || {
            if cpython_sys::FREE_THREADED {
                mv.check_released()?;
            }
            let r = mv.borrowed().new_ref();
            mv.add_exports(1);
            // INVARIANT: reference taken, export counted.
            Ok(ExportPin { mv, _ref: r })
        })
    }
}

impl Drop for ExportPin {
    fn drop(&mut self) {
        // memory_releasebuf: the count goes back down.
        self.mv.add_exports(-1);
    }
}

/// Room for the shape and strides a foreign `Py_buffer` may lack, in the
/// caller's frame (uninitialised: nothing to zero on the common path,
/// where the exporter provides both).
pub(crate) struct Scratch {
    shape: [MaybeUninit<Py_ssize_t>; PYBUF_MAX_NDIM],
    strides: [MaybeUninit<Py_ssize_t>; PYBUF_MAX_NDIM],
}

impl Scratch {
    #[inline(always)]
    pub(crate) fn new() -> Scratch {
        Scratch {
            shape: [MaybeUninit::uninit(); PYBUF_MAX_NDIM],
            strides: [MaybeUninit::uninit(); PYBUF_MAX_NDIM],
        }
    }
}

/// The first `n` entries of `room` (at most its length), zeroed.
fn zeroed_prefix(room: &mut [MaybeUninit<Py_ssize_t>], n: usize) -> &mut [Py_ssize_t] {
    let room = room.get_mut(..n).unwrap_or_default();
    for x in room.iter_mut() {
        x.write(0);
    }
    // SAFETY: every entry of `room` was just initialised, and
    // MaybeUninit<T> has T's layout.
    unsafe { core::slice::from_raw_parts_mut(room.as_mut_ptr() as *mut Py_ssize_t, room.len()) }
}

/// A foreign `Py_buffer` normalised to full information: missing shape
/// (1-D: `len / itemsize`), missing strides (C-contiguous) and a missing
/// format (`"B"`) are filled in, as `init_shape_strides` and
/// `init_shared_values` do for a memoryview.  The exporter's arrays are
/// borrowed; only missing ones are written, to a [`Scratch`].
///
/// # Invariants
/// `shape` and `strides` have `ndim <= PYBUF_MAX_NDIM` entries, as has
/// `suboffsets` when present.
pub(crate) struct FullView<'a> {
    pub(crate) buf: *mut u8,
    pub(crate) itemsize: Py_ssize_t,
    pub(crate) format: *const core::ffi::c_char,
    shape: &'a [Py_ssize_t],
    strides: &'a [Py_ssize_t],
    suboffsets: Option<&'a [Py_ssize_t]>,
}

impl<'a> FullView<'a> {
    /// `None` when `ndim` is negative or exceeds `PyBUF_MAX_NDIM`.
    ///
    /// # Safety
    /// `src` is a valid buffer description whose non-NULL arrays hold
    /// `ndim` entries and stay unchanged for `'a` (a NULL shape with
    /// ndim > 1 is treated as 1-D data).
    #[inline]
    pub(crate) unsafe fn new(src: &Py_buffer, scratch: &'a mut Scratch) -> Option<FullView<'a>> {
        let ndim = usize::try_from(src.ndim)
            .ok()
            .filter(|n| *n <= PYBUF_MAX_NDIM)?;
        let shape: &'a [Py_ssize_t] = if src.shape.is_null() {
            let shape = zeroed_prefix(&mut scratch.shape, ndim);
            for (i, d) in (0..usize::MAX).zip(shape.iter_mut()) {
                *d = if i == 0 {
                    src.len.checked_div(src.itemsize).unwrap_or(0)
                } else {
                    1
                };
            }
            shape
        } else {
            // SAFETY: caller's contract: ndim entries, unchanged for 'a.
            unsafe { arr(src.shape, ndim) }
        };
        let strides: &'a [Py_ssize_t] = if src.strides.is_null() {
            let strides = zeroed_prefix(&mut scratch.strides, ndim);
            layout::init_strides_from_shape(shape, src.itemsize, strides);
            strides
        } else {
            // SAFETY: caller's contract: ndim entries, unchanged for 'a.
            unsafe { arr(src.strides, ndim) }
        };
        // INVARIANT: ndim entries each (arr gives ndim entries for ndim >
        // 0, and none for 0).
        Some(FullView {
            buf: src.buf as *mut u8,
            itemsize: src.itemsize,
            format: if src.format.is_null() {
                c"B".as_ptr()
            } else {
                src.format
            },
            shape,
            strides,
            // SAFETY: caller's contract: ndim entries, unchanged for 'a.
            suboffsets: (!src.suboffsets.is_null()).then(|| unsafe { arr(src.suboffsets, ndim) }),
        })
    }

    pub(crate) fn strided(&self) -> Strided<'_> {
        Strided {
            buf: self.buf,
            itemsize: self.itemsize,
            shape: self.shape,
            strides: self.strides,
            suboffsets: self.suboffsets,
        }
    }

    /// The format's bytes.
    ///
    /// # Safety
    /// The exporter still holds the buffer (it owns the format string).
    pub(crate) unsafe fn format<'f>(&self) -> &'f [u8] {
        // SAFETY: caller's contract.
        unsafe { fmt_bytes(self.format) }
    }
}
