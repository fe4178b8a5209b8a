//! Owned and borrowed object references, and the "exception is set" error.
//!
//! These are the types the Rust objects pass around instead of raw
//! `*mut PyObject`: a reference that is owned is released exactly once (on
//! drop), and a function that fails returns `Err(PyErr)` only after setting
//! a Python exception.

use crate::ffi::{PyObject, PyTypeObject, Py_ssize_t};
use crate::inline::{Py_DECREF, Py_INCREF, Py_REFCNT, Py_TYPE};
use core::marker::PhantomData;
use core::ptr::NonNull;

/// A Python exception has been set in the current thread state.
///
/// # Invariants
/// A value exists only after a Python exception was set (by CPython or by
/// the `err` module).  Returning NULL/-1 to C for it is therefore correct.
#[derive(Debug)]
#[must_use]
pub struct PyErr {
    _private: (),
}

impl PyErr {
    /// # Safety
    /// A Python exception must currently be set.
    #[inline(always)]
    pub unsafe fn assume_set() -> PyErr {
        PyErr { _private: () }
    }
}

/// Result of an operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;

/// A strong reference to a Python object.
///
/// # Invariants
/// The pointer is non-NULL, points to a live object, and this value owns
/// one reference to it, released when the value is dropped.
#[repr(transparent)]
pub struct Owned(NonNull<PyObject>);

impl Owned {
    /// Takes ownership of a new reference returned by the C API, or turns a
    /// NULL return (exception set) into `Err`.
    ///
    /// # Safety
    /// `ptr` is NULL with an exception set, or a new reference the caller
    /// gives up.
    #[inline(always)]
    pub unsafe fn from_owned_ptr(ptr: *mut PyObject) -> PyResult<Owned> {
        match NonNull::new(ptr) {
            // INVARIANT: the caller hands over a new reference.
            Some(p) => Ok(Owned(p)),
            // SAFETY: the C API returned NULL, so it set an exception.
            None => Err(unsafe { PyErr::assume_set() }),
        }
    }

    /// A reference to an immortal object (the small ints, `True`,
    /// `False`, `None`, ...) without touching its reference count, which
    /// `Py_INCREF`/`Py_DECREF` leave unchanged for immortal objects anyway.
    ///
    /// # Safety
    /// `ptr` points to an immortal object.
    #[inline(always)]
    pub unsafe fn from_immortal(ptr: *mut PyObject) -> Owned {
        debug_assert!(!ptr.is_null());
        // SAFETY: caller's contract: non-NULL (an object).
        // INVARIANT: references to immortal objects need no counting.
        Owned(unsafe { NonNull::new_unchecked(ptr) })
    }

    /// Takes ownership of a new, non-NULL reference.
    ///
    /// # Safety
    /// `ptr` is a non-NULL new reference the caller gives up.
    #[inline(always)]
    pub unsafe fn from_owned_nonnull(ptr: NonNull<PyObject>) -> Owned {
        // INVARIANT: the caller hands over a new reference.
        Owned(ptr)
    }

    /// Takes ownership of a reference held in a field that may be NULL
    /// (what `Py_XDECREF`/`Py_CLEAR` release: drop the result).
    ///
    /// # Safety
    /// `ptr` is NULL or a reference the caller gives up.
    #[inline(always)]
    pub unsafe fn from_owned_or_null(ptr: *mut PyObject) -> Option<Owned> {
        // INVARIANT: the caller hands over its reference.
        NonNull::new(ptr).map(Owned)
    }

    /// The raw pointer (still owned by `self`).
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut PyObject {
        self.0.as_ptr()
    }

    /// Gives the reference to the caller (C convention: "new reference").
    #[inline(always)]
    pub fn into_raw(self) -> *mut PyObject {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }

    /// A borrowed view of this reference.
    #[inline(always)]
    pub fn borrow(&self) -> Borrowed<'_> {
        Borrowed(self.0, PhantomData)
    }

    /// Identity comparison (`is`).
    #[inline(always)]
    pub fn is(&self, other: *mut PyObject) -> bool {
        self.0.as_ptr() == other
    }
}

impl Clone for Owned {
    #[inline(always)]
    fn clone(&self) -> Owned {
        // SAFETY: the object is live (type invariant).
        unsafe { Py_INCREF(self.0.as_ptr()) };
        // INVARIANT: we just took a new reference.
        Owned(self.0)
    }
}

impl Drop for Owned {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: we own one reference to a live object (type invariant).
        unsafe { Py_DECREF(self.0.as_ptr()) }
    }
}

/// A borrowed reference, valid for `'a`.
///
/// # Invariants
/// The pointer is non-NULL and the object stays alive for `'a` (someone else
/// holds a reference for at least that long).
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct Borrowed<'a>(NonNull<PyObject>, PhantomData<&'a PyObject>);

impl<'a> Borrowed<'a> {
    /// # Safety
    /// `ptr` is non-NULL and a reference to it is held elsewhere for `'a`.
    #[inline(always)]
    pub unsafe fn from_ptr(ptr: *mut PyObject) -> Borrowed<'a> {
        // SAFETY: the caller guarantees non-NULL.
        // INVARIANT: the caller guarantees the lifetime.
        Borrowed(unsafe { NonNull::new_unchecked(ptr) }, PhantomData)
    }

    /// `None` for NULL.
    ///
    /// # Safety
    /// As `from_ptr` when non-NULL.
    #[inline(always)]
    pub unsafe fn from_ptr_opt(ptr: *mut PyObject) -> Option<Borrowed<'a>> {
        // INVARIANT: the caller guarantees the lifetime.
        NonNull::new(ptr).map(|p| Borrowed(p, PhantomData))
    }

    #[inline(always)]
    pub fn as_ptr(self) -> *mut PyObject {
        self.0.as_ptr()
    }

    /// A new strong reference (`Py_NewRef`).
    #[inline(always)]
    pub fn new_ref(self) -> Owned {
        // SAFETY: the object is live for 'a (type invariant).
        unsafe { Py_INCREF(self.0.as_ptr()) };
        // INVARIANT: we just took a new reference.
        Owned(self.0)
    }

    /// `Py_TYPE(self)`.
    #[inline(always)]
    pub fn type_ptr(self) -> *mut PyTypeObject {
        // SAFETY: the object is live (type invariant).
        unsafe { Py_TYPE(self.0.as_ptr()) }
    }

    /// `Py_TYPE(self)` as an object, borrowed for as long as `self`: a live
    /// object keeps its type alive (an instance holds a reference to its
    /// heap type; static types are never freed).
    #[inline(always)]
    pub fn type_object(self) -> Borrowed<'a> {
        // SAFETY: the type of a live object, alive at least as long (above).
        unsafe { Borrowed::from_ptr(self.type_ptr() as *mut PyObject) }
    }

    /// `Py_TYPE(self)->tp_name`, for error messages.
    #[inline(always)]
    pub fn type_name(self) -> *const core::ffi::c_char {
        // SAFETY: every live object has a live type with a NUL-terminated name.
        unsafe { (*self.type_ptr()).tp_name }
    }

    /// `Py_REFCNT(self)`.
    #[inline(always)]
    pub fn refcnt(self) -> Py_ssize_t {
        // SAFETY: the object is live (type invariant).
        unsafe { Py_REFCNT(self.0.as_ptr()) }
    }

    /// Identity comparison (`is`).
    #[inline(always)]
    pub fn is(self, other: *mut PyObject) -> bool {
        self.0.as_ptr() == other
    }
}

/// Converts the result of a Rust implementation into the C return
/// convention of a function returning `PyObject *`.
#[inline(always)]
pub fn result_into_ptr(r: PyResult<Owned>) -> *mut PyObject {
    match r {
        Ok(o) => o.into_raw(),
        Err(_) => core::ptr::null_mut(),
    }
}

/// Same, for an optional result where `Ok(None)` means NULL without an
/// exception (end of iteration in `tp_iternext`).
#[inline(always)]
pub fn opt_result_into_ptr(r: PyResult<Option<Owned>>) -> *mut PyObject {
    match r {
        Ok(Some(o)) => o.into_raw(),
        Ok(None) | Err(_) => core::ptr::null_mut(),
    }
}

/// A `PyObject *` member of an object struct that owns its reference (or
/// is NULL), like `en_sit` in C.  Interior mutability because object
/// methods receive a shared `&Self` (Python code they call may re-enter
/// them).
///
/// # Invariants
/// The pointer is NULL or points to a live object whose reference this
/// field owns.  It has the layout of `PyObject *`, so C code reading the
/// struct sees the same thing.
#[repr(transparent)]
pub struct ObjField(core::cell::Cell<*mut PyObject>);

impl ObjField {
    /// Stores `v` and returns the previous value (the caller now owns it).
    #[inline(always)]
    pub fn replace(&self, v: Option<Owned>) -> Option<Owned> {
        let new = v.map_or(core::ptr::null_mut(), Owned::into_raw);
        // Free-threaded, an atomic swap: two threads replacing the field at
        // once each get a different old value (a plain read and write
        // could give both the same one, released twice).
        #[cfg(Py_GIL_DISABLED)]
        // SAFETY: the cell's storage is a valid, aligned pointer slot that
        // is only accessed through this field.
        let old = unsafe { core::sync::atomic::AtomicPtr::from_ptr(self.0.as_ptr()) }
            .swap(new, core::sync::atomic::Ordering::AcqRel);
        #[cfg(not(Py_GIL_DISABLED))]
        let old = self.0.replace(new);
        // SAFETY: the field owned `old` (invariant); ownership moves out.
        NonNull::new(old).map(|p| unsafe { Owned::from_owned_nonnull(p) })
    }

    /// `Py_XSETREF(field, v)`: stores `v`, then releases the old value.
    #[inline(always)]
    pub fn set(&self, v: Option<Owned>) {
        drop(self.replace(v));
    }

    /// `Py_CLEAR(field)`.
    #[inline(always)]
    pub fn clear(&self) {
        self.set(None);
    }

    /// A new strong reference to the current value: stays valid even if
    /// Python code called meanwhile replaces the field.
    #[inline(always)]
    pub fn get_owned(&self) -> Option<Owned> {
        // SAFETY: NULL or live (invariant); borrowed only to take a new ref.
        unsafe { Borrowed::from_ptr_opt(self.0.get()) }.map(Borrowed::new_ref)
    }

    /// A borrowed reference to the current value.
    ///
    /// # Safety
    /// Nothing may replace or clear the field while the result is in use
    /// (e.g. the field is only written at creation and deallocation).
    #[inline(always)]
    pub unsafe fn borrow<'a>(&'a self) -> Option<Borrowed<'a>> {
        // SAFETY: NULL or live (invariant), kept alive per the caller.
        unsafe { Borrowed::from_ptr_opt(self.0.get()) }
    }

    /// Whether the field is NULL.
    #[inline(always)]
    pub fn is_null(&self) -> bool {
        self.0.get().is_null()
    }

    /// The raw pointer, for `Py_VISIT`.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut PyObject {
        self.0.get()
    }
}
