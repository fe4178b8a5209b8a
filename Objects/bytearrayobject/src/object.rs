//! The bytearray object: its storage, the export pin, and C's "Helpers"
//! and "Direct API functions" sections (`PyByteArray_*`).
//!
//! # The storage rule
//!
//! Every read or write of the contents goes through [`ByteArray`], and
//! every operation that runs Python code (an argument's `__index__`, a
//! buffer export, an iterator, a codec, `__eq__`) while it still needs the
//! contents holds a [`StoragePin`]: while a pin lives, the export count is
//! raised, so every resize fails with C's BufferError and the pointer and
//! length the operation read stay valid.  C raises the count by hand at
//! some call sites and forgets it at others (the use-after-free reports
//! of gh-91153 and its successors); here the pin is the one way to hold
//! the contents across a call, and the slice accessors say in their
//! contract that no Python code runs while a slice lives.

use core::ffi::{c_char, c_int, c_void};
use core::marker::PhantomData;
use core::ptr::{addr_of_mut, NonNull};

use cpython_sys::api::buffer::View;
use cpython_sys::api::{self, buffer, err, mem, Exc};
use cpython_sys::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use cpython_sys::{cmsg, ft, Borrowed, Owned, PyResult};

use crate::types::PyByteArray_Type;

pub(crate) const PY_SSIZE_T_MAX: Py_ssize_t = Py_ssize_t::MAX;

/// C's `PyByteArrayObject` (Include/cpython/bytearrayobject.h), the layout
/// every C caller and the `PyByteArray_AS_STRING` macro read.
pub(crate) type PyByteArrayObject = ffi::PyByteArrayObject;

/// `_PyByteArray_empty_string`: what `PyByteArray_AS_STRING` returns for an
/// empty bytearray (C code reads it as a C string; nothing writes it).
#[no_mangle]
pub static mut _PyByteArray_empty_string: [c_char; 1] = [0];

/// A bytearray (or subclass instance) that the holder keeps alive for
/// `'a`.
///
/// # Invariants
/// Points to a live `PyByteArrayObject` for `'a`, whose fields satisfy
/// C's rules: either `ob_bytes == ob_start == NULL`, `ob_alloc == 0` and
/// the size 0, or `ob_bytes` is a `PyMem_Malloc` block of `ob_alloc` bytes,
/// `ob_bytes <= ob_start`, `(ob_start - ob_bytes) + size + 1 <= ob_alloc`
/// and `ob_start[size] == 0`; `ob_exports >= 0`, and while it is above 0
/// `ob_bytes`, `ob_start` and the size do not change.
#[derive(Clone, Copy)]
pub(crate) struct ByteArray<'a>(NonNull<PyByteArrayObject>, PhantomData<&'a PyObject>);

impl<'a> ByteArray<'a> {
    /// # Safety
    /// `op` is a live bytearray (or subclass instance), alive for `'a`.
    #[inline(always)]
    pub(crate) unsafe fn from_ptr(op: *mut PyObject) -> ByteArray<'a> {
        // SAFETY: non-NULL (caller's contract).
        ByteArray(
            unsafe { NonNull::new_unchecked(op as *mut PyByteArrayObject) },
            PhantomData,
        )
    }

    /// `PyByteArray_Check(o)`: `o` as a bytearray, if it is one.
    #[inline(always)]
    pub(crate) fn check(o: Borrowed<'a>) -> Option<ByteArray<'a>> {
        if bytearray_check(o) {
            // SAFETY: a live bytearray (checked), alive for 'a.
            Some(unsafe { ByteArray::from_ptr(o.as_ptr()) })
        } else {
            None
        }
    }

    #[inline(always)]
    fn raw(self) -> *mut PyByteArrayObject {
        self.0.as_ptr()
    }

    /// The object.
    #[inline(always)]
    pub(crate) fn obj(self) -> Borrowed<'a> {
        // SAFETY: live for 'a (invariant).
        unsafe { Borrowed::from_ptr(self.raw() as *mut PyObject) }
    }

    /// `Py_SIZE(self)`.
    #[inline(always)]
    pub(crate) fn len(self) -> Py_ssize_t {
        // SAFETY: a live object's field (invariant); relaxed atomic when
        // free-threaded, as Py_SET_SIZE stores it.
        unsafe { ft::load_ssize_relaxed(addr_of_mut!((*self.raw()).ob_base.ob_size)) }
    }

    /// `Py_SET_SIZE(self, n)`; the caller keeps the invariant.
    #[inline(always)]
    fn set_len(self, n: Py_ssize_t) {
        // SAFETY: a live object's field.
        unsafe { ft::store_ssize_relaxed(addr_of_mut!((*self.raw()).ob_base.ob_size), n) }
    }

    /// `self->ob_alloc`.
    #[inline(always)]
    pub(crate) fn alloc(self) -> Py_ssize_t {
        // SAFETY: a live object's field.
        unsafe { (*self.raw()).ob_alloc }
    }

    /// `self->ob_exports`.
    #[inline(always)]
    pub(crate) fn exports(self) -> Py_ssize_t {
        // SAFETY: a live object's field; atomic when free-threaded.
        unsafe { ft::load_ssize_relaxed(addr_of_mut!((*self.raw()).ob_exports)) }
    }

    /// `self->ob_exports += d` (atomic when free-threaded).
    #[inline(always)]
    fn add_exports(self, d: Py_ssize_t) {
        // SAFETY: a live object's field.
        unsafe { ft::add_ssize(addr_of_mut!((*self.raw()).ob_exports), d) };
    }

    /// `PyByteArray_AS_STRING(self)`: `ob_start`, or the static empty
    /// string when the size is 0.
    #[inline(always)]
    pub(crate) fn as_ptr(self) -> *mut u8 {
        if self.len() != 0 {
            // SAFETY: a live object's field.
            unsafe { (*self.raw()).ob_start as *mut u8 }
        } else {
            addr_of_mut!(_PyByteArray_empty_string) as *mut u8
        }
    }

    /// The byte at `i`: a relaxed atomic load when free-threaded (other
    /// threads may write the item through an export: the program's race,
    /// defined behaviour here).
    ///
    /// # Safety
    /// `0 <= i < len`.
    #[inline(always)]
    pub(crate) unsafe fn get(self, i: Py_ssize_t) -> u8 {
        // SAFETY: caller's contract: within the contents.
        unsafe { ft::load_u8_relaxed(self.as_ptr().add(i as usize)) }
    }

    /// Sets the byte at `i` (the store of [`get`](Self::get)).
    ///
    /// # Safety
    /// `0 <= i < len`.
    #[inline(always)]
    pub(crate) unsafe fn set(self, i: Py_ssize_t, v: u8) {
        // SAFETY: caller's contract: within the contents.
        unsafe { ft::store_u8_relaxed(self.as_ptr().add(i as usize), v) }
    }

    /// The contents.
    ///
    /// # Safety
    /// While the slice lives no Python code runs and nothing else writes
    /// or resizes the contents.
    #[inline(always)]
    pub(crate) unsafe fn bytes<'b>(self) -> &'b [u8] {
        // SAFETY: `len` bytes at AS_STRING (invariant), unchanged while the
        // slice lives (caller's contract).
        unsafe { core::slice::from_raw_parts(self.as_ptr(), self.len() as usize) }
    }

    /// The contents, writable.
    ///
    /// # Safety
    /// As [`bytes`](Self::bytes), and no other slice of the contents is
    /// alive.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn bytes_mut<'b>(self) -> &'b mut [u8] {
        // SAFETY: as `bytes`; exclusive by the caller's contract (an empty
        // bytearray gives an empty slice of the static string, which is
        // never written).
        unsafe { core::slice::from_raw_parts_mut(self.as_ptr(), self.len() as usize) }
    }

    /// Advances the logical start by `n` bytes (C's `self->ob_start -=
    /// growth` of a deletion at index 0, or its undoing with a negative
    /// `n`); the caller then resizes to the new size, or restores.
    #[inline]
    pub(crate) fn advance_start(self, n: Py_ssize_t) {
        // SAFETY: a live object's field; the start stays within the block
        // (callers delete at most the size, then undo exactly).
        unsafe {
            let raw = self.raw();
            (*raw).ob_start = (*raw).ob_start.wrapping_offset(n);
        }
    }

    /// `Py_SET_SIZE(self, n)` after a failed shrink that already moved the
    /// bytes (gh-19578's case): `n` is below the size, the block is kept.
    #[inline]
    pub(crate) fn set_len_shrunk(self, n: Py_ssize_t) {
        debug_assert!(n <= self.len());
        self.set_len(n);
    }

    /// Frees the block (deallocation).
    ///
    /// # Safety
    /// The object is being deallocated: nothing reads the contents again.
    #[inline]
    pub(crate) unsafe fn free_storage(self) {
        // SAFETY: ob_bytes is NULL or our PyMem block (invariant), freed
        // once (caller's contract).
        unsafe {
            let raw = self.raw();
            if !(*raw).ob_bytes.is_null() {
                mem::free_raw((*raw).ob_bytes as *mut c_void);
            }
        }
    }

    /// Holds the contents in place until the pin is dropped.
    #[inline(always)]
    pub(crate) fn pin(self) -> StoragePin<'a> {
        StoragePin::new(self)
    }

    /// `PyByteArray_Resize(self, requested_size)`.
    #[inline]
    pub(crate) fn resize(self, requested_size: Py_ssize_t) -> PyResult<()> {
        bytearray_resize(self, requested_size)
    }

    /// The one-byte append of `bytearray___init__`'s iterator loop: within
    /// the allocation the size grows in place, else through a resize.
    #[inline]
    pub(crate) fn push(self, value: u8) -> PyResult<()> {
        let n = self.len();
        // n + 1 cannot overflow: n < ob_alloc <= PY_SSIZE_T_MAX on the first
        // branch, and a resize checks the second.
        if n.wrapping_add(1) < self.alloc() {
            self.set_len(n + 1);
            // SAFETY: the new byte and the NUL after it lie within the
            // block when (ob_start - ob_bytes) + n + 2 <= ob_alloc, checked
            // here (C relies on the start being at the block's beginning,
            // which holds after __init__'s resize to 0).
            unsafe {
                let start = (*self.raw()).ob_start as *mut u8;
                let offset = start.offset_from((*self.raw()).ob_bytes as *mut u8);
                if offset.wrapping_add(n).wrapping_add(2) <= self.alloc() {
                    *start.add(n as usize + 1) = 0;
                    *start.add(n as usize) = value;
                    return Ok(());
                }
            }
            // Not enough room after an advanced start: undo and resize.
            self.set_len(n);
        }
        self.resize(n.wrapping_add(1))?;
        // SAFETY: the size is n + 1 now: byte n is within the contents.
        unsafe { *self.as_ptr().add(n as usize) = value };
        Ok(())
    }
}

/// `PyByteArray_Check(o)`.
#[inline(always)]
pub(crate) fn bytearray_check(o: Borrowed<'_>) -> bool {
    let tp = addr_of_mut!(PyByteArray_Type);
    // SAFETY: `o`'s type and ours are live type objects.
    core::ptr::eq(o.type_ptr(), tp) || unsafe { api::types::is_subtype(o.type_ptr(), tp) }
}

/// `PyErr_Format(exc, fmt, Py_TYPE(o)->tp_name)`: a message naming the
/// type of `o` (one `%s`/`%.200s` conversion in `fmt`).
#[inline]
pub(crate) fn format_type_name(
    exc: Exc,
    fmt: &core::ffi::CStr,
    o: Borrowed<'_>,
) -> cpython_sys::PyErr {
    // SAFETY: tp_name of a live type is a NUL-terminated string.
    unsafe { err::format_cstr(exc, fmt, o.type_name()) }
}

/// The export pin: `self->ob_exports++` ... `self->ob_exports--`, what C
/// does by hand around `_bytearray_with_buffer`'s operations.
///
/// # Invariants
/// While a pin lives, its bytearray's export count includes it, so the
/// contents' pointer and length do not change (every resize checks
/// `_canresize`).
pub(crate) struct StoragePin<'a>(ByteArray<'a>);

impl<'a> StoragePin<'a> {
    #[inline(always)]
    fn new(ba: ByteArray<'a>) -> StoragePin<'a> {
        ba.add_exports(1);
        StoragePin(ba)
    }

    /// The pinned contents' address (`PyByteArray_AS_STRING`).
    #[inline(always)]
    pub(crate) fn ptr(&self) -> *mut u8 {
        self.0.as_ptr()
    }

    /// The pinned contents' length.
    #[inline(always)]
    pub(crate) fn len(&self) -> Py_ssize_t {
        self.0.len()
    }
}

impl Drop for StoragePin<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        self.0.add_exports(-1);
    }
}

// ---------------------------------------------------------------------------
// Helpers

/// `_getbytevalue(arg, &value)`: an int in range(0, 256), else ValueError
/// "byte must be in range(0, 256)" (TypeError from `__index__`).
#[inline]
pub(crate) fn _getbytevalue(arg: Borrowed<'_>) -> PyResult<u8> {
    let (face_value, _overflow) = api::long::as_long_and_overflow(arg)?;
    // An overflow gives -1 or the clamped value: out of range either way
    // (C's comment: "this includes an overflow in converting to C long").
    if !(0..256).contains(&face_value) || _overflow != 0 {
        return Err(err::set_string(
            Exc::ValueError,
            cmsg!("byte must be in range(0, 256)"),
        ));
    }
    Ok(face_value as u8)
}

/// `bytearray_getbuffer(obj, view, flags)`: bf_getbuffer.
pub(crate) unsafe extern "C" fn bytearray_getbuffer(
    op: *mut PyObject,
    view: *mut Py_buffer,
    flags: c_int,
) -> c_int {
    // SAFETY: bf_getbuffer receives a live instance of our type.
    let ba = unsafe { ByteArray::from_ptr(op) };
    if view.is_null() {
        let _ = err::set_string(
            Exc::BufferError,
            cmsg!("bytearray_getbuffer: view==NULL argument is obsolete"),
        );
        return -1;
    }
    // In the critical section (free-threaded): no resize falls between
    // reading the contents' place and counting the export.
    api::critical_section::with(ba.obj(), || {
        let ptr = ba.as_ptr() as *mut c_void;
        // SAFETY: `view` is the caller's writable Py_buffer; the contents
        // stay in place until the matching release (the count below
        // forbids any resize meanwhile).
        if unsafe { buffer::fill_info(view, ba.obj(), ptr, ba.len(), false, flags) }.is_err() {
            return -1;
        }
        ba.add_exports(1);
        0
    })
}

/// `bytearray_releasebuffer(obj, view)`: bf_releasebuffer.
pub(crate) unsafe extern "C" fn bytearray_releasebuffer(op: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: bf_releasebuffer receives a live instance of our type.
    let ba = unsafe { ByteArray::from_ptr(op) };
    ba.add_exports(-1);
    debug_assert!(ba.exports() >= 0);
}

// C: _bytearray_with_buffer
/// `_bytearray_with_buffer(self, op, sub, start, end)`: a search of
/// bytes_methods.c on the pinned contents.
#[inline]
pub(crate) fn _bytearray_with_buffer(
    ba: ByteArray<'_>,
    op: api::bytes_methods::Search,
    sub: Borrowed<'_>,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> PyResult<Owned> {
    let pin = ba.pin();
    // SAFETY: the pin keeps the contents allocated and in place for the
    // call, which may run Python code (sub's __index__ or buffer export).
    unsafe { api::bytes_methods::search(op, pin.ptr(), pin.len(), sub, start, end) }
}

/// `_canresize(self)`: BufferError while the contents are exported.
#[inline]
pub(crate) fn _canresize(ba: ByteArray<'_>) -> PyResult<()> {
    if ba.exports() > 0 {
        return Err(err::set_string(
            Exc::BufferError,
            cmsg!("Existing exports of data: object cannot be re-sized"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Direct API functions

/// `PyByteArray_FromObject(input)`: `bytearray(input)`.
///
/// # Safety
/// `input` is a live object (the C API's contract).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_FromObject(input: *mut PyObject) -> *mut PyObject {
    // SAFETY: the C API contract: a live object.
    let input = unsafe { Borrowed::from_ptr(input) };
    cpython_sys::object::result_into_ptr(bytearray_from_object(input))
}

/// `PyByteArray_FromObject`, for Rust callers.
#[inline]
pub(crate) fn bytearray_from_object(input: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: the address of our static type, a live object.
    let tp = unsafe { Borrowed::from_ptr(addr_of_mut!(PyByteArray_Type) as *mut PyObject) };
    api::call::one_arg(tp, input)
}

/// `_PyByteArray_FromBufferObject(obj)`: a new bytearray with a copy of
/// `obj`'s buffer.
pub(crate) fn _PyByteArray_FromBufferObject(obj: Borrowed<'_>) -> PyResult<Owned> {
    let mut slot = buffer::slot();
    let view = View::get(obj, &mut slot, ffi::PyBUF_FULL_RO as c_int)?;
    let (result, ba) = new_uninit(view.len())?;
    // SAFETY: the new bytearray has room for view.len bytes; `view` is
    // acquired with at least that many.
    unsafe { buffer::to_contiguous(ba.as_ptr(), view.raw(), view.len(), b'C')? };
    Ok(result)
}

/// `PyByteArray_FromStringAndSize(bytes, size)`.
///
/// # Safety
/// `bytes` is NULL or points to `size` readable bytes (the C API's
/// contract).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_FromStringAndSize(
    bytes: *const c_char,
    size: Py_ssize_t,
) -> *mut PyObject {
    let r = new_uninit(size).map(|(obj, ba)| {
        if !bytes.is_null() && size > 0 {
            // SAFETY: the C API contract: `bytes` points to `size` readable
            // bytes; the new object has room for them.
            unsafe {
                core::ptr::copy_nonoverlapping(bytes as *const u8, ba.as_ptr(), size as usize)
            };
        }
        obj
    });
    cpython_sys::object::result_into_ptr(r)
}

/// `PyByteArray_FromStringAndSize(NULL, size)`: a new bytearray of `size`
/// uninitialised bytes (and the trailing NUL), which the caller fills.
#[inline]
pub(crate) fn new_uninit(size: Py_ssize_t) -> PyResult<(Owned, ByteArray<'static>)> {
    if size < 0 {
        return Err(err::set_string(
            Exc::SystemError,
            cmsg!("Negative size passed to PyByteArray_FromStringAndSize"),
        ));
    }
    // Prevent buffer overflow when setting alloc to size+1.
    if size == PY_SSIZE_T_MAX {
        return Err(err::no_memory());
    }
    // SAFETY: our static type has no GC; every field is set below before
    // the object is used.
    let new = unsafe { api::alloc::object_new(addr_of_mut!(PyByteArray_Type))? };
    let p = new.as_ptr() as *mut PyByteArrayObject;
    let (bytes, alloc) = if size == 0 {
        (core::ptr::null_mut(), 0)
    } else {
        // size + 1 <= PY_SSIZE_T_MAX (checked above).
        let alloc = size + 1;
        let block = match mem::malloc_raw(alloc as usize) {
            Ok(b) => b.as_ptr(),
            Err(e) => {
                // C sets the fields it reads in dealloc before the
                // Py_DECREF: an empty object.
                // SAFETY: the fresh object's fields.
                unsafe {
                    (*p).ob_bytes = core::ptr::null_mut();
                    (*p).ob_start = core::ptr::null_mut();
                    (*p).ob_alloc = 0;
                    (*p).ob_exports = 0;
                    (*p).ob_base.ob_size = 0;
                }
                drop(new);
                return Err(e);
            }
        };
        // SAFETY: the block has alloc = size + 1 bytes.
        unsafe { *block.add(size as usize) = 0 };
        (block as *mut c_char, alloc)
    };
    // SAFETY: the fresh object's fields (invariant established: empty, or
    // a block of size + 1 bytes with the NUL at size).
    unsafe {
        (*p).ob_base.ob_size = size;
        (*p).ob_alloc = alloc;
        (*p).ob_bytes = bytes;
        (*p).ob_start = bytes;
        (*p).ob_exports = 0;
    }
    // SAFETY: a live bytearray kept alive by `new`, which the caller owns;
    // 'static stands for "as long as the caller keeps `new`".
    let ba = unsafe { ByteArray::from_ptr(p as *mut PyObject) };
    Ok((new, ba))
}

/// `PyByteArray_FromStringAndSize(bytes, len)` of a Rust slice.
#[inline]
pub(crate) fn from_slice(bytes: &[u8]) -> PyResult<Owned> {
    let (obj, ba) = new_uninit(bytes.len() as Py_ssize_t)?;
    if !bytes.is_empty() {
        // SAFETY: the new object has room for the bytes; `bytes` cannot be
        // its contents (it is new).
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), ba.as_ptr(), bytes.len()) };
    }
    Ok(obj)
}

/// `PyByteArray_FromStringAndSize(ptr, len)` of the contents of a pinned
/// bytearray (or any other bytes that stay in place).
///
/// # Safety
/// `ptr` points to `len` readable bytes that stay in place during the
/// call (which runs no Python code).
#[inline]
pub(crate) unsafe fn from_raw(ptr: *const u8, len: Py_ssize_t) -> PyResult<Owned> {
    let (obj, ba) = new_uninit(len)?;
    // SAFETY: caller's contract; the new object has room for `len` bytes
    // and cannot overlap them.
    unsafe { core::ptr::copy_nonoverlapping(ptr, ba.as_ptr(), len as usize) };
    Ok(obj)
}

/// `PyByteArray_Size(self)`.
///
/// # Safety
/// `op` is a live bytearray (the C API's contract).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Size(op: *mut PyObject) -> Py_ssize_t {
    debug_assert!(!op.is_null());
    // SAFETY: the C API contract: a live bytearray.
    unsafe { ByteArray::from_ptr(op) }.len()
}

/// `PyByteArray_AsString(self)`.
///
/// # Safety
/// `op` is a live bytearray (the C API's contract).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_AsString(op: *mut PyObject) -> *mut c_char {
    debug_assert!(!op.is_null());
    // SAFETY: the C API contract: a live bytearray.
    unsafe { ByteArray::from_ptr(op) }.as_ptr() as *mut c_char
}

/// `PyByteArray_Resize(self, requested_size)`.
///
/// # Safety
/// `op` is a live bytearray (the C API's contract).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Resize(
    op: *mut PyObject,
    requested_size: Py_ssize_t,
) -> c_int {
    // SAFETY: the C API contract: a live bytearray.
    let ba = unsafe { ByteArray::from_ptr(op) };
    if requested_size < 0 {
        // C asserts; a negative size from a C caller is an error here.
        let _ = err::bad_internal_call(c"Objects/bytearrayobject.c", line!() as c_int);
        return -1;
    }
    match bytearray_resize(ba, requested_size) {
        Ok(()) => 0,
        Err(_) => -1,
    }
}

// C: PyByteArray_Resize
/// The body of `PyByteArray_Resize`: the same growth policy (so
/// `__alloc__` and `sys.getsizeof` match C), all sizes unsigned as in C.
fn bytearray_resize(ba: ByteArray<'_>, requested_size: Py_ssize_t) -> PyResult<()> {
    let raw = ba.raw();
    let mut alloc = ba.alloc() as usize;
    // SAFETY: a live object's fields; ob_start is within ob_bytes' block
    // (invariant), or both are NULL.
    let (ob_bytes, ob_start) = unsafe { ((*raw).ob_bytes as *mut u8, (*raw).ob_start as *mut u8) };
    let logical_offset = (ob_start as usize).wrapping_sub(ob_bytes as usize);
    let size = requested_size as usize;
    debug_assert!(logical_offset <= alloc);
    debug_assert!(requested_size >= 0);

    if requested_size == ba.len() {
        return Ok(());
    }
    _canresize(ba)?;

    // size and logical_offset are at most PY_SSIZE_T_MAX: no overflow.
    if size + logical_offset < alloc {
        // Current buffer is large enough to host the requested size,
        // decide on a strategy.
        if size < alloc / 2 {
            // Major downsize; resize down to exact size
            alloc = size + 1;
        } else {
            // Minor downsize; quick exit
            ba.set_len(requested_size);
            // SAFETY: size + offset + 1 <= alloc: the NUL is in the block.
            unsafe { *ob_start.add(size) = 0 };
            return Ok(());
        }
    } else {
        // Need growing, decide on a strategy
        // C compares as double; both are at most PY_SSIZE_T_MAX, so the
        // signed conversion (one instruction, where unsigned takes a dozen)
        // gives the same doubles.
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_wrap)]
        if (requested_size as f64) <= (alloc as isize as f64) * 1.125 {
            // Moderate upsize; overallocate similar to list_resize()
            alloc = size + (size >> 3) + if size < 9 { 3 } else { 6 };
        } else {
            // Major upsize; resize up to exact size
            alloc = size + 1;
        }
    }
    if alloc > PY_SSIZE_T_MAX as usize {
        return Err(err::no_memory());
    }

    let sval = if logical_offset > 0 {
        let sval = mem::malloc_raw(alloc)?.as_ptr();
        let n = size.min(ba.len() as usize);
        // SAFETY: both blocks hold at least `n` bytes (the old contents and
        // the new allocation of alloc > size bytes); distinct blocks.  The
        // old block is freed once and replaced below.
        unsafe {
            core::ptr::copy_nonoverlapping(ba.as_ptr(), sval, n);
            mem::free_raw(ob_bytes as *mut c_void);
        }
        sval
    } else {
        // SAFETY: ob_bytes is NULL or our PyMem block; on success it is
        // replaced below and not used again.
        unsafe { mem::realloc_raw(ob_bytes as *mut c_void, alloc)?.as_ptr() }
    };

    // SAFETY: the new block of `alloc` > size bytes (invariant restored).
    unsafe {
        (*raw).ob_bytes = sval as *mut c_char;
        (*raw).ob_start = sval as *mut c_char;
        ba.set_len(requested_size);
        (*raw).ob_alloc = alloc as Py_ssize_t;
        *sval.add(size) = 0; // Trailing null byte
    }
    Ok(())
}

/// `PyByteArray_Concat(a, b)`: sq_concat.
///
/// # Safety
/// `a` and `b` are live objects (the C API's contract).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: the C API contract (and sq_concat's): live objects.
    let (a, b) = unsafe { (Borrowed::from_ptr(a), Borrowed::from_ptr(b)) };
    cpython_sys::object::result_into_ptr(bytearray_concat(a, b))
}

// C: PyByteArray_Concat
fn bytearray_concat(a: Borrowed<'_>, b: Borrowed<'_>) -> PyResult<Owned> {
    let concat_error = |_e| {
        // SAFETY: tp_name of live types are NUL-terminated strings.
        unsafe {
            err::format_cstr_cstr(
                Exc::TypeError,
                c"can't concat %.100s to %.100s",
                b.type_name(),
                a.type_name(),
            )
        }
    };
    let mut sa = buffer::slot();
    let mut sb = buffer::slot();
    let va = View::simple(a, &mut sa).map_err(concat_error)?;
    let vb = View::simple(b, &mut sb).map_err(concat_error)?;
    if va.len() > PY_SSIZE_T_MAX - vb.len() {
        return Err(err::no_memory());
    }
    let (result, ba) = new_uninit(va.len() + vb.len())?;
    // SAFETY: the new object has room for both; the views point to their
    // lengths in readable bytes, held until the guards drop; no Python
    // code runs.
    unsafe {
        core::ptr::copy_nonoverlapping(va.buf(), ba.as_ptr(), va.len() as usize);
        core::ptr::copy_nonoverlapping(
            vb.buf(),
            ba.as_ptr().add(va.len() as usize),
            vb.len() as usize,
        );
    }
    Ok(result)
}
