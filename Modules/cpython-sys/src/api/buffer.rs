//! The buffer protocol (`Include/pybuffer.h`): acquiring and releasing
//! `Py_buffer`s, and the helpers of `Objects/abstract.c` that work on them.
//!
//! A `Py_buffer` filled in by an exporter is only valid until it is
//! released; [`with_buffer`] ties the release to the end of a closure so
//! that it happens exactly once, after the last use.

use crate::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use crate::object::{Borrowed, PyErr, PyResult};
use core::ffi::{c_char, c_int, c_void};
use core::mem::MaybeUninit;

/// An all-zero `Py_buffer` (`obj == NULL`: nothing to release).
#[inline]
pub const fn empty() -> Py_buffer {
    // SAFETY: Py_buffer is a C struct of pointers and integers, all valid
    // when zero.
    unsafe { core::mem::zeroed() }
}

/// A place for a [`View`]'s `Py_buffer`, left uninitialised as C leaves
/// its `Py_buffer` locals: the exporter fills it (and nothing reads it
/// when the export fails).
pub type Slot = MaybeUninit<Py_buffer>;

/// A new [`Slot`].
#[inline(always)]
pub const fn slot() -> Slot {
    MaybeUninit::uninit()
}

/// The `bf_getbuffer` slot of `o`'s type, if it has one.
#[inline(always)]
fn getbufferproc(o: Borrowed<'_>) -> ffi::getbufferproc {
    // SAFETY: `o` and its type are live; tp_as_buffer is NULL or points
    // to the type's buffer procedures.
    unsafe {
        let pb = (*o.type_ptr()).tp_as_buffer;
        if pb.is_null() {
            None
        } else {
            (*pb).bf_getbuffer
        }
    }
}

/// `PyObject_CheckBuffer(o)`, inline: whether the type has a
/// `bf_getbuffer` (a class with `__buffer__` has the slot wrapper).
#[inline]
pub fn check(o: Borrowed<'_>) -> bool {
    getbufferproc(o).is_some()
}

/// Whether exporting `o`'s buffer is known to run no Python code: an
/// exact bytes, bytearray or memoryview, whose `bf_getbuffer` only fills
/// the view (a subclass may define `__buffer__`, and other exporters may
/// call back).  A caller holding `o` borrowed from a container needs no
/// reference of its own across such an export.
#[inline]
pub fn export_runs_no_python(o: Borrowed<'_>) -> bool {
    let t = o.type_ptr();
    core::ptr::eq(t, &raw mut ffi::PyBytes_Type)
        || core::ptr::eq(t, &raw mut ffi::PyByteArray_Type)
        || core::ptr::eq(t, &raw mut ffi::PyMemoryView_Type)
}

/// `PyObject_GetBuffer(o, view, flags)` into caller-provided storage.
///
/// The exporter's `bf_getbuffer` is called directly, as
/// `PyObject_GetBuffer` calls it after its checks; when those checks
/// would fail (no slot, or the flags `PyBUF_READ`/`PyBUF_WRITE`, which
/// are not requests), `PyObject_GetBuffer` itself raises the error.
///
/// # Safety
/// `view` is valid for writes of a `Py_buffer`.  On success the caller
/// must release it exactly once with [`release`].
#[inline]
pub unsafe fn get_buffer(o: Borrowed<'_>, view: *mut Py_buffer, flags: c_int) -> PyResult<()> {
    const READ: c_int = ffi::PyBUF_READ as c_int;
    const WRITE: c_int = ffi::PyBUF_WRITE as c_int;
    match getbufferproc(o) {
        // SAFETY: the slot of `o`'s type; `view` is writable (caller's
        // contract).
        Some(f) if flags != READ && flags != WRITE => unsafe { get_buffer_with(f, o, view, flags) },
        _ => {
            // SAFETY: `o` is live; `view` is writable (caller's contract).
            if unsafe { ffi::PyObject_GetBuffer(o.as_ptr(), view, flags) } < 0 {
                // SAFETY: -1 means an exception is set.
                return Err(unsafe { PyErr::assume_set() });
            }
            Ok(())
        }
    }
}

/// Calls `getbufferproc` directly (`_PyMemoryView_FromBufferProc`).
///
/// # Safety
/// As [`get_buffer`]; `proc_` is the `bf_getbuffer` of `o`'s type or a
/// function with the same contract.
#[inline]
pub unsafe fn get_buffer_with(
    proc_: unsafe extern "C" fn(*mut PyObject, *mut Py_buffer, c_int) -> c_int,
    o: Borrowed<'_>,
    view: *mut Py_buffer,
    flags: c_int,
) -> PyResult<()> {
    // SAFETY: caller's contract.
    if unsafe { proc_(o.as_ptr(), view, flags) } < 0 {
        // SAFETY: a getbufferproc returns -1 with an exception set.
        return Err(unsafe { PyErr::assume_set() });
    }
    Ok(())
}

/// `PyBuffer_Release(view)`: releases a view acquired with
/// [`get_buffer`] (a view whose `obj` is NULL is left alone).
///
/// # Safety
/// `view` points to a `Py_buffer` that was acquired and not released yet,
/// or whose `obj` is NULL.
#[inline]
pub unsafe fn release(view: *mut Py_buffer) {
    // SAFETY: caller's contract.
    unsafe { ffi::PyBuffer_Release(view) }
}

/// Acquires a buffer of `o` with `flags`, runs `f` on it and releases it
/// (also when `f` fails).  The `Py_buffer` does not move while acquired.
#[inline]
pub fn with_buffer<R>(
    o: Borrowed<'_>,
    flags: c_int,
    f: impl FnOnce(&Py_buffer) -> PyResult<R>,
) -> PyResult<R> {
    let mut view = empty();
    // SAFETY: `view` is local storage; released below exactly once.
    unsafe { get_buffer(o, &mut view, flags)? };
    let r = f(&view);
    // SAFETY: acquired above, not released yet.
    unsafe { release(&mut view) };
    r
}

/// `PyBuffer_IsContiguous(view, order)` (order `b'C'`, `b'F'` or `b'A'`).
///
/// # Safety
/// `view` is a valid buffer description: its `shape`/`strides`/
/// `suboffsets` are NULL or point to `ndim` elements.
#[inline]
pub unsafe fn is_contiguous(view: *const Py_buffer, order: u8) -> bool {
    // SAFETY: caller's contract; the function only reads the description.
    unsafe { ffi::PyBuffer_IsContiguous(view, order as c_char) != 0 }
}

/// `PyBuffer_FillInfo(view, NULL, buf, len, readonly, flags)` for a view
/// with no exporting object (cannot fail then).
///
/// # Safety
/// `view` is valid for writes; `buf` points to `len` bytes that outlive
/// every use of the view.
#[inline]
pub unsafe fn fill_info_no_obj(
    view: *mut Py_buffer,
    buf: *mut c_void,
    len: Py_ssize_t,
    readonly: bool,
    flags: c_int,
) {
    // SAFETY: caller's contract; with obj == NULL and no PyBUF_WRITABLE
    // conflict only reachable for readonly requests, the call only fills
    // in fields.
    unsafe {
        ffi::PyBuffer_FillInfo(
            view,
            core::ptr::null_mut(),
            buf,
            len,
            readonly as c_int,
            flags,
        );
    }
}

/// `PyBuffer_FillInfo(view, obj, buf, len, readonly, flags)`: fills `view`
/// for an exporter of one contiguous block (taking a reference to `obj`).
///
/// The fields are stored inline, as C stores them (no call: this is every
/// bytearray export).  The requests C refuses (`PyBUF_READ`/`PyBUF_WRITE`,
/// a writable view of read-only memory) go to `PyBuffer_FillInfo` itself,
/// for its exact errors.  `tests/inline.rs` checks every field against
/// C's for every flag combination.
///
/// # Safety
/// `view` is valid for writes; `buf` points to `len` bytes that stay valid
/// until the view is released (the exporter's job).
#[inline]
pub unsafe fn fill_info(
    view: *mut Py_buffer,
    obj: Borrowed<'_>,
    buf: *mut c_void,
    len: Py_ssize_t,
    readonly: bool,
    flags: c_int,
) -> PyResult<()> {
    const READ: c_int = ffi::PyBUF_READ as c_int;
    const WRITE: c_int = ffi::PyBUF_WRITE as c_int;
    const WRITABLE: c_int = ffi::PyBUF_WRITABLE as c_int;
    const FORMAT: c_int = ffi::PyBUF_FORMAT as c_int;
    const ND: c_int = ffi::PyBUF_ND as c_int;
    const STRIDES: c_int = ffi::PyBUF_STRIDES as c_int;
    if view.is_null()
        || flags == READ
        || flags == WRITE
        || (flags & WRITABLE == WRITABLE && readonly)
    {
        // SAFETY: caller's contract; C raises the error.
        if unsafe {
            ffi::PyBuffer_FillInfo(view, obj.as_ptr(), buf, len, c_int::from(readonly), flags)
        } < 0
        {
            return crate::api::err::fail();
        }
        return Ok(());
    }
    // SAFETY: `view` is valid for writes (caller's contract); `shape` and
    // `strides` point into the view itself, as C's do.
    unsafe {
        let v = &mut *view;
        v.obj = obj.new_ref().into_raw();
        v.buf = buf;
        v.len = len;
        v.readonly = c_int::from(readonly);
        v.itemsize = 1;
        v.format = if flags & FORMAT == FORMAT {
            c"B".as_ptr() as *mut c_char
        } else {
            core::ptr::null_mut()
        };
        v.ndim = 1;
        v.shape = if flags & ND == ND {
            core::ptr::addr_of_mut!(v.len)
        } else {
            core::ptr::null_mut()
        };
        v.strides = if flags & STRIDES == STRIDES {
            core::ptr::addr_of_mut!(v.itemsize)
        } else {
            core::ptr::null_mut()
        };
        v.suboffsets = core::ptr::null_mut();
        v.internal = core::ptr::null_mut();
    }
    Ok(())
}

/// `PyBuffer_ToContiguous(buf, view, len, order)`.
///
/// # Safety
/// `buf` is valid for writes of `len` bytes; `view` is an acquired buffer
/// of at least `len` bytes.
#[inline]
pub unsafe fn to_contiguous(
    buf: *mut u8,
    view: *const Py_buffer,
    len: Py_ssize_t,
    order: u8,
) -> PyResult<()> {
    // SAFETY: caller's contract.
    if unsafe { ffi::PyBuffer_ToContiguous(buf as *mut c_void, view, len, order as c_char) } < 0 {
        return crate::api::err::fail();
    }
    Ok(())
}

/// An acquired buffer, released when dropped (`PyObject_GetBuffer` ...
/// `PyBuffer_Release`).  The `Py_buffer` lives in the caller's slot, which
/// the guard borrows: it does not move while acquired.
///
/// # Invariants
/// `self.0` was filled by a successful `PyObject_GetBuffer` and is
/// released exactly once, by `Drop`.
pub struct View<'v>(&'v mut Py_buffer);

impl<'v> View<'v> {
    /// `PyObject_GetBuffer(o, slot, flags)`.
    #[inline]
    pub fn get(o: Borrowed<'_>, slot: &'v mut Slot, flags: c_int) -> PyResult<View<'v>> {
        // SAFETY: `slot` is writable; the guard releases it (invariant).
        unsafe { get_buffer(o, slot.as_mut_ptr(), flags)? };
        // SAFETY: a successful export filled the whole Py_buffer.
        Ok(View(unsafe { slot.assume_init_mut() }))
    }

    /// `PyObject_GetBuffer(o, slot, PyBUF_SIMPLE)`.
    #[inline]
    pub fn simple(o: Borrowed<'_>, slot: &'v mut Slot) -> PyResult<View<'v>> {
        View::get(o, slot, ffi::PyBUF_SIMPLE as c_int)
    }

    /// The `Py_buffer` (for the C functions that take one).
    #[inline]
    pub fn raw(&self) -> &Py_buffer {
        self.0
    }

    /// `view.len`.
    #[inline]
    pub fn len(&self) -> Py_ssize_t {
        self.0.len
    }

    /// `view.len == 0`.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// `view.buf`.
    #[inline]
    pub fn buf(&self) -> *const u8 {
        self.0.buf as *const u8
    }

    /// The contents of a `PyBUF_SIMPLE` view as a slice.
    ///
    /// # Safety
    /// The view is of one contiguous block (`PyBUF_SIMPLE`), and nothing
    /// writes it while the slice lives: no Python code runs meanwhile (an
    /// exporter's contents change only through Python code or C the
    /// caller calls).
    #[inline]
    pub unsafe fn as_slice(&self) -> &[u8] {
        if self.0.len <= 0 || self.0.buf.is_null() {
            return &[];
        }
        // SAFETY: an acquired simple buffer points to `len` readable bytes
        // until released (after the slice, which borrows the guard);
        // unchanged meanwhile by the caller's contract.
        unsafe { core::slice::from_raw_parts(self.0.buf as *const u8, self.0.len as usize) }
    }

    /// `PyBuffer_IsContiguous(view, 'C')`.
    #[inline]
    pub fn is_c_contiguous(&self) -> bool {
        // SAFETY: an acquired buffer is a valid description.
        unsafe { is_contiguous(self.0, b'C') }
    }
}

impl Drop for View<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: acquired, not released before (invariant).
        unsafe { release(self.0) }
    }
}
