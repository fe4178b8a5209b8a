//! Safe wrappers over the C API calls the Rust objects make.
//!
//! Each wrapper takes `Borrowed`/`Owned` references (so the objects are
//! known to be alive), returns `PyResult` (so a failure carries the fact
//! that an exception is set), and keeps the C function's name in its doc so
//! a grep finds both.  All require the GIL / an attached thread state, which
//! every entry point of an object implementation has.

use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::inline::{PyTuple_SET_ITEM, PyType_HasFeature, Py_TYPE};
use crate::object::{Borrowed, Owned, PyErr, PyResult};
use core::ffi::{c_char, c_int, CStr};

/// The built-in exception types the objects raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exc {
    BufferError,
    ImportError,
    IndexError,
    MemoryError,
    NotImplementedError,
    OverflowError,
    RuntimeError,
    StopIteration,
    SystemError,
    TypeError,
    ValueError,
}

impl Exc {
    #[inline]
    pub(crate) fn as_ptr(self) -> *mut PyObject {
        // SAFETY: the PyExc_* globals are initialised before any object code
        // runs and never change afterwards.
        unsafe {
            match self {
                Exc::BufferError => ffi::PyExc_BufferError,
                Exc::ImportError => ffi::PyExc_ImportError,
                Exc::IndexError => ffi::PyExc_IndexError,
                Exc::MemoryError => ffi::PyExc_MemoryError,
                Exc::NotImplementedError => ffi::PyExc_NotImplementedError,
                Exc::OverflowError => ffi::PyExc_OverflowError,
                Exc::RuntimeError => ffi::PyExc_RuntimeError,
                Exc::StopIteration => ffi::PyExc_StopIteration,
                Exc::SystemError => ffi::PyExc_SystemError,
                Exc::TypeError => ffi::PyExc_TypeError,
                Exc::ValueError => ffi::PyExc_ValueError,
            }
        }
    }
}

/// Exceptions: `PyErr_*`.
pub mod err {
    use super::*;

    /// A NUL-terminated message in 8-byte aligned static storage, made by
    /// [`cmsg!`](crate::cmsg).  `PyErr_SetString` decodes its message with
    /// `ascii_decode`, a word at a time when the text is aligned and byte
    /// by byte when it is not; Rust's `c"..."` literals have alignment 1,
    /// C's string literals are aligned.
    #[repr(C, align(8))]
    pub struct AlignedMsg<const N: usize>(pub [u8; N]);

    impl<const N: usize> AlignedMsg<N> {
        /// The first `N` bytes of `s` (compile time only: the macro's
        /// static).
        pub const fn new(s: &[u8]) -> Self {
            let mut a = [0u8; N];
            let mut i = 0;
            while i < N && i < s.len() {
                a[i] = s[i];
                i += 1;
            }
            AlignedMsg(a)
        }
    }

    /// A message for `PyErr_SetString`, made only by
    /// [`cmsg!`](crate::cmsg): the types keep a byte-aligned `c"..."`
    /// literal out of [`set_string`] and `ExcType::set`.
    ///
    /// # Invariants
    /// A NUL-terminated string in 8-byte aligned static storage.
    #[derive(Clone, Copy, Debug)]
    pub struct Msg(&'static CStr);

    impl Msg {
        /// For [`cmsg!`](crate::cmsg) only.
        ///
        /// # Safety
        /// `c` lies in 8-byte aligned static storage.
        #[doc(hidden)]
        pub const unsafe fn from_aligned(c: &'static CStr) -> Msg {
            // INVARIANT: caller's contract.
            Msg(c)
        }

        /// The message as a C string.
        pub const fn as_cstr(self) -> &'static CStr {
            self.0
        }
    }

    /// Whether `b` is a C string: its only NUL is its last byte.
    pub const fn is_c_string(b: &[u8]) -> bool {
        if b.is_empty() {
            return false;
        }
        let mut i = 0;
        while i + 1 < b.len() {
            if b[i] == 0 {
                return false;
            }
            i += 1;
        }
        b[b.len() - 1] == 0
    }

    /// `PyErr_SetString(exc, msg)`.
    #[inline]
    pub fn set_string(exc: Exc, msg: Msg) -> PyErr {
        // SAFETY: valid exception type and NUL-terminated message.
        unsafe {
            ffi::PyErr_SetString(exc.as_ptr(), msg.as_cstr().as_ptr());
            PyErr::assume_set()
        }
    }

    /// `PyErr_Format(exc, fmt, obj)` for a format with exactly one object
    /// conversion (`%S`, `%R`, `%U`, `%A`).
    #[inline]
    pub fn format_obj(exc: Exc, fmt: &CStr, obj: Borrowed<'_>) -> PyErr {
        // SAFETY: the format takes one PyObject* argument (caller's
        // contract, checked by the tests comparing messages with C).
        unsafe {
            ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), obj.as_ptr());
            PyErr::assume_set()
        }
    }

    /// `PyErr_Format(exc, fmt, s)` for a format with exactly one `%s` /
    /// `%.200s` conversion.
    ///
    /// # Safety
    /// `s` is a NUL-terminated string.
    #[inline]
    pub unsafe fn format_cstr(exc: Exc, fmt: &CStr, s: *const c_char) -> PyErr {
        // SAFETY: caller guarantees `s`; the format takes one char*.
        unsafe {
            ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), s);
            PyErr::assume_set()
        }
    }

    /// `PyErr_Format(exc, fmt, n)` for a format with exactly one `%zd`.
    #[inline]
    pub fn format_ssize(exc: Exc, fmt: &CStr, n: Py_ssize_t) -> PyErr {
        // SAFETY: the format takes one Py_ssize_t.
        unsafe {
            ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), n);
            PyErr::assume_set()
        }
    }

    /// `PyErr_Format(exc, fmt, n)` for a format with exactly one `%d`.
    #[inline]
    pub fn format_int(exc: Exc, fmt: &CStr, n: c_int) -> PyErr {
        // SAFETY: the format takes one int.
        unsafe {
            ffi::PyErr_Format(exc.as_ptr(), fmt.as_ptr(), n);
            PyErr::assume_set()
        }
    }

    /// `PyErr_Occurred() != NULL`.
    #[inline]
    pub fn occurred() -> bool {
        // SAFETY: no preconditions beyond the thread state.
        unsafe { !ffi::PyErr_Occurred().is_null() }
    }

    /// `PyErr_Clear()`, consuming the error it discards.
    #[inline]
    pub fn clear(_e: PyErr) {
        // SAFETY: no preconditions beyond the thread state.
        unsafe { ffi::PyErr_Clear() }
    }

    /// `PyErr_ExceptionMatches(exc)`.
    #[inline]
    pub fn exception_matches(_e: &PyErr, exc: Exc) -> bool {
        // SAFETY: an exception is set (PyErr invariant).
        unsafe { ffi::PyErr_ExceptionMatches(exc.as_ptr()) != 0 }
    }
}

/// `PyNumber_Index(o)`.
#[inline]
pub fn number_index(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: `o` is live; returns a new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyNumber_Index(o.as_ptr())) }
}

/// `PyNumber_Add(a, b)`.
#[inline]
pub fn number_add(a: Borrowed<'_>, b: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: both live; returns a new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyNumber_Add(a.as_ptr(), b.as_ptr())) }
}

/// `PyLong_AsSsize_t(o)`: `Err` when it returned -1 with an exception set.
#[inline]
pub fn long_as_ssize_t(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    if let Some(v) = long_one_digit(o) {
        return Ok(v);
    }
    // SAFETY: `o` is live.
    let v = unsafe { ffi::PyLong_AsSsize_t(o.as_ptr()) };
    if v == -1 && err::occurred() {
        // SAFETY: an exception is set.
        return Err(unsafe { PyErr::assume_set() });
    }
    Ok(v)
}

/// `PyLong_FromSsize_t(v)`.
#[inline]
pub fn long_from_ssize_t(v: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: returns a new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyLong_FromSsize_t(v)) }
}

/// `_PyLong_GetOne()`: the small int 1 (immortal).
#[inline]
pub fn long_one() -> Borrowed<'static> {
    // SAFETY: the small ints are immortal statics.
    unsafe { Borrowed::from_ptr(crate::inline::_PyLong_GetOne()) }
}

/// `PyLong_Check(o)`.
#[inline]
pub fn long_check(o: Borrowed<'_>) -> bool {
    // SAFETY: live object, live type.
    unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_LONG_SUBCLASS as u64) }
}

/// The value of `o` when it is an int (or int subclass) of one digit,
/// read inline as every `PyLong_As*` and `PyNumber_Index` path reads it
/// (no Python code runs for an int); `None` for anything else.
#[inline(always)]
pub fn long_one_digit(o: Borrowed<'_>) -> Option<Py_ssize_t> {
    if !long_check(o) {
        return None;
    }
    // SAFETY: `o` is a live int (checked).
    unsafe { crate::inline::_PyLong_CompactValue(o.as_ptr()) }
}

/// `Py_None` as a borrowed reference.
#[inline]
pub fn none() -> Borrowed<'static> {
    // SAFETY: None is an immortal static.
    unsafe { Borrowed::from_ptr(crate::inline::Py_None()) }
}

/// `Py_RETURN_NONE`: a reference to None.  None is immortal (3.12+), so,
/// as in C, no count is taken (releasing it is a no-op too).
#[inline]
pub fn none_ref() -> Owned {
    // SAFETY: None is an immortal static.
    unsafe { Owned::from_immortal(crate::inline::Py_None()) }
}

/// `PyObject_GetIter(o)`.
#[inline]
pub fn object_get_iter(o: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: `o` is live; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_GetIter(o.as_ptr())) }
}

/// `Py_TYPE(it)->tp_iternext(it)`: `None` for NULL, whether or not an
/// exception is set (the caller passes that on, as the C code does).
#[inline]
pub fn iternext(it: Borrowed<'_>) -> Option<Owned> {
    // SAFETY: `it` is live; an iterator's type has tp_iternext (checked by
    // PyObject_GetIter, which produced every iterator we call this on).
    unsafe {
        let f = (*Py_TYPE(it.as_ptr())).tp_iternext?;
        Owned::from_owned_ptr(f(it.as_ptr())).ok()
    }
}

/// `PyObject_CallNoArgs(callable)`.
#[inline]
pub fn call_no_args(callable: Borrowed<'_>) -> PyResult<Owned> {
    // SAFETY: `callable` is live; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PyObject_CallNoArgs(callable.as_ptr())) }
}

/// `_PyObject_LookupSpecial(o, name)`: `Ok(None)` when the attribute does
/// not exist (no exception set).
#[inline]
pub fn lookup_special(o: Borrowed<'_>, name: Borrowed<'_>) -> PyResult<Option<Owned>> {
    // SAFETY: both live; new reference, or NULL with or without exception.
    let p = unsafe { ffi::_PyObject_LookupSpecial(o.as_ptr(), name.as_ptr()) };
    if p.is_null() {
        if err::occurred() {
            // SAFETY: an exception is set.
            return Err(unsafe { PyErr::assume_set() });
        }
        return Ok(None);
    }
    // SAFETY: checked non-NULL above; a new reference.
    Ok(Some(unsafe {
        Owned::from_owned_nonnull(core::ptr::NonNull::new_unchecked(p))
    }))
}

/// `&_Py_ID(__reversed__)`.
#[inline]
pub fn id_reversed() -> Borrowed<'static> {
    let p = crate::_Py_ID!(_py___reversed__);
    // SAFETY: interned static string of the runtime, immortal.
    unsafe { Borrowed::from_ptr(p) }
}

/// `PySequence_Check(o)`.
#[inline]
pub fn sequence_check(o: Borrowed<'_>) -> bool {
    // SAFETY: `o` is live; cannot fail.
    unsafe { ffi::PySequence_Check(o.as_ptr()) != 0 }
}

/// `PySequence_Size(o)`.
#[inline]
pub fn sequence_size(o: Borrowed<'_>) -> PyResult<Py_ssize_t> {
    // SAFETY: `o` is live.
    let n = unsafe { ffi::PySequence_Size(o.as_ptr()) };
    if n == -1 {
        // SAFETY: -1 means an exception is set.
        return Err(unsafe { PyErr::assume_set() });
    }
    Ok(n)
}

/// `PyTuple_CheckExact(o)`.
#[inline(always)]
pub fn tuple_check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyTuple_Type)
}

/// `PyBytes_CheckExact(o)`.
#[inline]
pub fn bytes_check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyBytes_Type)
}

/// `PyUnicode_CheckExact(o)`.
#[inline]
pub fn unicode_check_exact(o: Borrowed<'_>) -> bool {
    core::ptr::eq(o.type_ptr(), &raw mut ffi::PyUnicode_Type)
}

/// `bytes_item(o, i)` for an exact bytes object and an index in bounds:
/// the small int of byte `i` (`_PyLong_FromUnsignedChar`, an immortal
/// static, so no count is taken); `None` for anything else.
#[inline]
pub fn bytes_item_exact(o: Borrowed<'_>, i: Py_ssize_t) -> Option<Owned> {
    if !bytes_check_exact(o) {
        return None;
    }
    let b = *crate::api_memory::bytes_as_slice(o)?.get(usize::try_from(i).ok()?)?;
    let p = crate::inline::small_int(i64::from(b))?;
    // SAFETY: a small int (0..=255 are all small ints): an immortal
    // static.
    Some(unsafe { Owned::from_immortal(p) })
}

/// `PySequence_GetItem(o, i)`.
#[inline]
pub fn sequence_get_item(o: Borrowed<'_>, i: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: `o` is live; new reference or NULL.
    unsafe { Owned::from_owned_ptr(ffi::PySequence_GetItem(o.as_ptr(), i)) }
}

/// `PySequence_GetItem(o, i)` for an index `i >= 0`, which it passes to
/// the type's `sq_item` unchanged: that slot is called directly (one call
/// less per item).  A type without `sq_item`, or a negative index, goes
/// through `PySequence_GetItem`.
#[inline(always)]
pub fn sequence_get_item_nonneg(o: Borrowed<'_>, i: Py_ssize_t) -> PyResult<Owned> {
    // SAFETY: `o` is live, its type too; tp_as_sequence is NULL or points
    // to the type's sequence methods.
    let sq_item = unsafe {
        let sq = (*o.type_ptr()).tp_as_sequence;
        if sq.is_null() {
            None
        } else {
            (*sq).sq_item
        }
    };
    match sq_item {
        // SAFETY: the slot of `o`'s type, called as PySequence_GetItem
        // calls it (a non-negative index); new reference or NULL.
        Some(f) if i >= 0 => unsafe { Owned::from_owned_ptr(f(o.as_ptr(), i)) },
        _ => sequence_get_item(o, i),
    }
}

/// `_PyUnicode_EqualToASCIIString(o, s)`.
#[inline]
pub fn unicode_equal_to_ascii(o: Borrowed<'_>, s: &CStr) -> bool {
    // SAFETY: `o` is live (a str, as the C function requires: callers pass
    // keyword names, which the interpreter guarantees are str).
    unsafe { ffi::_PyUnicode_EqualToASCIIString(o.as_ptr(), s.as_ptr()) != 0 }
}

/// A new tuple holding new references to `items` (`PyTuple_Pack`).
#[inline]
pub fn tuple_pack(items: &[Borrowed<'_>]) -> PyResult<Owned> {
    let n = items.len() as Py_ssize_t;
    // SAFETY: returns a new reference or NULL.
    let t = unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(n))? };
    for (i, item) in items.iter().enumerate() {
        // SAFETY: `t` is a fresh tuple of len(items) slots; i is in bounds;
        // the slot takes the new reference.
        unsafe { PyTuple_SET_ITEM(t.as_ptr(), i as Py_ssize_t, item.new_ref().into_raw()) };
    }
    Ok(t)
}

/// A new tuple that takes ownership of `items`.
#[inline]
pub fn tuple_from_owned<const N: usize>(items: [Owned; N]) -> PyResult<Owned> {
    // SAFETY: returns a new reference or NULL.
    let t = unsafe { Owned::from_owned_ptr(ffi::PyTuple_New(N as Py_ssize_t))? };
    for (i, item) in items.into_iter().enumerate() {
        // SAFETY: fresh tuple of N slots; the slot takes the reference.
        unsafe { PyTuple_SET_ITEM(t.as_ptr(), i as Py_ssize_t, item.into_raw()) };
    }
    Ok(t)
}

/// A borrowed reference to a type object as an object.
#[inline]
pub fn type_as_object<'a>(tp: *mut PyTypeObject) -> Borrowed<'a> {
    // SAFETY: callers pass Py_TYPE of a live object, which that object keeps
    // alive.
    unsafe { Borrowed::from_ptr(tp as *mut PyObject) }
}

/// Garbage collector interface.
/// `Py_BEGIN_CRITICAL_SECTION(op)` ... `Py_END_CRITICAL_SECTION()` around
/// `f`: free-threaded, one thread at a time runs a critical section on
/// `op` (it may be suspended while `f` blocks, as in C); with the GIL the
/// C macros do nothing, and neither does this.
#[inline(always)]
pub fn with_critical_section<R>(op: Borrowed<'_>, f: impl FnOnce() -> R) -> R {
    #[cfg(Py_GIL_DISABLED)]
    {
        let mut cs = core::mem::MaybeUninit::<ffi::PyCriticalSection>::uninit();
        // SAFETY: `op` is live; `cs` is storage for the section, ended
        // below on the same thread (a panic aborts: no unwinding skips it).
        unsafe { ffi::PyCriticalSection_Begin(cs.as_mut_ptr(), op.as_ptr()) };
        let r = f();
        // SAFETY: the section begun above, the innermost on this thread.
        unsafe { ffi::PyCriticalSection_End(cs.as_mut_ptr()) };
        r
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        let _ = op;
        f()
    }
}

pub mod gc {
    use super::*;

    /// `_PyObject_GC_IS_TRACKED(o)`.
    #[inline]
    pub fn is_tracked(o: Borrowed<'_>) -> bool {
        // SAFETY: `o` is a live GC object (callers use it on tuples).
        unsafe { crate::inline::_PyObject_GC_IS_TRACKED(o.as_ptr()) }
    }

    /// `_PyObject_GC_TRACK(o)`.
    ///
    /// # Safety
    /// `o` is a live GC object that is not tracked.
    #[inline]
    pub unsafe fn track(o: Borrowed<'_>) {
        // SAFETY: caller's contract; the GIL is held by every caller of
        // this layer.
        unsafe { crate::inline::_PyObject_GC_TRACK(o.as_ptr()) }
    }

    /// `PyObject_GC_UnTrack(o)`.
    ///
    /// # Safety
    /// `o` is a live GC object.
    #[inline]
    pub unsafe fn untrack(o: *mut PyObject) {
        // SAFETY: caller's contract; the GIL is held by every caller of
        // this layer.
        unsafe { crate::inline::PyObject_GC_UnTrack(o) }
    }

    /// `Py_VISIT(o)`: calls `visit` for a non-NULL member and returns its
    /// non-zero result.
    ///
    /// # Safety
    /// `visit`/`arg` are what tp_traverse received; `o` is NULL or live.
    #[inline]
    pub unsafe fn visit(
        o: *mut PyObject,
        visit: ffi::visitproc,
        arg: *mut core::ffi::c_void,
    ) -> c_int {
        match visit {
            // SAFETY: caller's contract.
            Some(f) if !o.is_null() => unsafe { f(o, arg) },
            _ => 0,
        }
    }
}

/// Allocation and deallocation through the type's slots.
pub mod alloc {
    use super::*;

    /// `type->tp_alloc(type, 0)`.
    ///
    /// # Safety
    /// `tp` is a live, ready type whose instances have the layout the caller
    /// will treat the result as.
    #[inline]
    pub unsafe fn tp_alloc(tp: *mut PyTypeObject) -> PyResult<Owned> {
        // SAFETY: caller's contract: a live type.
        let Some(f) = (unsafe { (*tp).tp_alloc }) else {
            // Ready types always have tp_alloc.
            return Err(err::set_string(
                Exc::TypeError,
                crate::cmsg!("type has no tp_alloc"),
            ));
        };
        // SAFETY: caller's contract; a new reference or NULL.
        unsafe { Owned::from_owned_ptr(f(tp, 0)) }
    }

    /// `Py_TYPE(o)->tp_free(o)`.
    ///
    /// # Safety
    /// `o` is an object whose refcount reached zero, being deallocated.
    #[inline]
    pub unsafe fn tp_free(o: *mut PyObject) {
        // SAFETY: caller's contract; heap and static types have tp_free.
        unsafe {
            if let Some(f) = (*Py_TYPE(o)).tp_free {
                f(o.cast());
            }
        }
    }
}

/// Argument parsing: `Include/internal/pycore_modsupport.h`.
pub mod args {
    use super::*;

    /// `_PyArg_NoKwnames(funcname, kwnames)` (the macro: NULL passes).
    #[inline]
    pub fn no_kwnames(funcname: &CStr, kwnames: Option<Borrowed<'_>>) -> PyResult<()> {
        let Some(kwnames) = kwnames else {
            return Ok(());
        };
        // SAFETY: kwnames is the call's live keyword-name tuple.
        if unsafe { ffi::_PyArg_NoKwnames(funcname.as_ptr(), kwnames.as_ptr()) } != 0 {
            return Ok(());
        }
        // SAFETY: a zero result means an exception is set.
        Err(unsafe { PyErr::assume_set() })
    }

    /// `_PyArg_NoKeywords(funcname, kwargs)` (the macro: NULL passes).
    #[inline]
    pub fn no_keywords(funcname: &CStr, kwargs: Option<Borrowed<'_>>) -> PyResult<()> {
        let Some(kwargs) = kwargs else {
            return Ok(());
        };
        // SAFETY: kwargs is the call's live keyword dict.
        if unsafe { ffi::_PyArg_NoKeywords(funcname.as_ptr(), kwargs.as_ptr()) } != 0 {
            return Ok(());
        }
        // SAFETY: a zero result means an exception is set.
        Err(unsafe { PyErr::assume_set() })
    }

    /// `_PyArg_CheckPositional(name, nargs, min, max)` (the macro's fast path
    /// included).
    #[inline]
    pub fn check_positional(
        name: &CStr,
        nargs: Py_ssize_t,
        min: Py_ssize_t,
        max: Py_ssize_t,
    ) -> PyResult<()> {
        if min <= nargs && nargs <= max {
            return Ok(());
        }
        // SAFETY: plain function; sets an exception when it returns 0.
        if unsafe { ffi::_PyArg_CheckPositional(name.as_ptr(), nargs, min, max) } != 0 {
            return Ok(());
        }
        // SAFETY: a zero result means an exception is set.
        Err(unsafe { PyErr::assume_set() })
    }

    /// A static `_PyArg_Parser` (what Argument Clinic emits for a function
    /// with keywords).  The parser builds its keyword tuple lazily.
    ///
    /// # Invariants
    /// Only used with the GIL held (CPython serialises its one-time
    /// initialisation itself in the free-threaded build).
    #[repr(transparent)]
    pub struct Parser(core::cell::UnsafeCell<ffi::_PyArg_Parser>);

    // SAFETY: CPython initialises and reads the parser under its own locking
    // (the GIL, or the parser's once-flag in the free-threaded build).
    unsafe impl Sync for Parser {}

    /// `{"a", "b", NULL}`: the keyword array of a parser.
    #[repr(transparent)]
    pub struct Keywords<const N: usize>(pub [*const c_char; N]);
    // SAFETY: points only to static string literals, never written.
    unsafe impl<const N: usize> Sync for Keywords<N> {}

    impl Parser {
        /// # Safety
        /// `keywords` is a NULL-terminated array of static NUL-terminated
        /// strings.
        #[inline]
        pub const unsafe fn new(keywords: *const *const c_char, fname: &'static CStr) -> Parser {
            // SAFETY: an all-zero _PyArg_Parser is the C static initialiser
            // `{0}` plus the fields set below.
            let mut p: ffi::_PyArg_Parser = unsafe { core::mem::zeroed() };
            p.keywords = keywords;
            p.fname = fname.as_ptr();
            Parser(core::cell::UnsafeCell::new(p))
        }
    }

    /// `_PyArg_UnpackKeywords(args, nargs, kwargs, NULL, parser, minpos,
    /// maxpos, minkw, buf)` including the macro's fast path (the tp_new
    /// form: keywords in a dict).  Returns the argument array (borrowed
    /// from `args` or `buf`).
    ///
    /// # Safety
    /// As [`unpack_keywords_with`], with `kwargs` NULL or a dict.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub unsafe fn unpack_keywords(
        args: *const *mut PyObject,
        nargs: Py_ssize_t,
        kwargs: *mut PyObject,
        parser: &'static Parser,
        minpos: c_int,
        maxpos: c_int,
        minkw: c_int,
        buf: *mut *mut PyObject,
    ) -> PyResult<*const *mut PyObject> {
        // SAFETY: forwarded caller contract.
        unsafe {
            unpack_keywords_with(
                args,
                nargs,
                kwargs,
                core::ptr::null_mut(),
                parser,
                minpos,
                maxpos,
                minkw,
                buf,
            )
        }
    }

    /// `_PyArg_UnpackKeywords(args, nargs, kwargs, kwnames, parser, minpos,
    /// maxpos, minkw, buf)` including the macro's fast path: keywords come
    /// either in a dict (`kwargs`, tp_new) or as names after the positional
    /// arguments (`kwnames`, vectorcall / METH_FASTCALL); the other is NULL.
    ///
    /// # Safety
    /// `args` points to `nargs` live objects (plus one per keyword name);
    /// `kwargs` is NULL or a dict, `kwnames` NULL or a tuple of str; `buf`
    /// has room for `maxpos` + keyword-only arguments.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub unsafe fn unpack_keywords_with(
        args: *const *mut PyObject,
        nargs: Py_ssize_t,
        kwargs: *mut PyObject,
        kwnames: *mut PyObject,
        parser: &'static Parser,
        minpos: c_int,
        maxpos: c_int,
        minkw: c_int,
        buf: *mut *mut PyObject,
    ) -> PyResult<*const *mut PyObject> {
        if minkw == 0
            && kwargs.is_null()
            && kwnames.is_null()
            && (minpos as Py_ssize_t) <= nargs
            && nargs <= maxpos as Py_ssize_t
            && !args.is_null()
        {
            return Ok(args);
        }
        // SAFETY: caller's contract; the parser is 'static.
        let r = unsafe {
            ffi::_PyArg_UnpackKeywords(
                args,
                nargs,
                kwargs,
                kwnames,
                parser.0.get(),
                minpos,
                maxpos,
                minkw,
                buf,
            )
        };
        if r.is_null() {
            // SAFETY: NULL means an exception is set.
            return Err(unsafe { PyErr::assume_set() });
        }
        Ok(r)
    }
}

/// Tuples.
pub mod tuple {
    use super::*;
    use crate::inline::{PyTuple_GET_ITEM, PyTuple_GET_SIZE, Py_INCREF};

    /// `PyTuple_Check(o)`.
    #[inline]
    pub fn check(o: Borrowed<'_>) -> bool {
        // SAFETY: live object, live type.
        unsafe { PyType_HasFeature(o.type_ptr(), ffi::Py_TPFLAGS_TUPLE_SUBCLASS as u64) }
    }

    /// `PyTuple_GET_SIZE(t)`; 0 for something that is not a tuple.
    #[inline]
    pub fn len(t: Borrowed<'_>) -> Py_ssize_t {
        if !check(t) {
            return 0;
        }
        // SAFETY: checked to be a tuple.
        unsafe { PyTuple_GET_SIZE(t.as_ptr()) }
    }

    /// `PyTuple_GET_ITEM(t, i)` with the tuple and the bounds checked.
    #[inline]
    pub fn get<'a>(t: Borrowed<'a>, i: Py_ssize_t) -> Option<Borrowed<'a>> {
        if i < 0 || i >= len(t) {
            return None;
        }
        // SAFETY: a tuple, i in bounds; the tuple keeps its items alive.
        unsafe { Borrowed::from_ptr_opt(PyTuple_GET_ITEM(t.as_ptr(), i)) }
    }

    /// The item pointers of tuple `t` (empty for something that is not a
    /// tuple).  A tuple's items do not change while something holds a
    /// reference to it, so the slice lives as long as the borrow of `t`.
    #[inline]
    pub fn items<'a>(t: Borrowed<'a>) -> &'a [*mut PyObject] {
        if !check(t) {
            return &[];
        }
        // SAFETY: a tuple (checked): `ob_item` (never NULL, also for the
        // empty tuple) holds ob_size >= 0 item slots; the borrow of `t`
        // keeps it, and so its items, alive.
        unsafe {
            let n = PyTuple_GET_SIZE(t.as_ptr()) as usize;
            core::slice::from_raw_parts(crate::inline::_PyTuple_ITEMS(t.as_ptr()), n)
        }
    }

    /// Reuses the 2-tuple `t` for `(a, b)` when the one reference to `t` is
    /// the one the caller borrows from (enumerate's result-tuple recycling,
    /// bpo-42536 included): returns a new reference to `t`.  Otherwise gives
    /// `a` and `b` back.
    ///
    /// # Safety
    /// `t` is a tuple of length 2 whose items are set.
    #[inline(always)]
    pub unsafe fn recycle_pair(
        t: Borrowed<'_>,
        a: Owned,
        b: Owned,
    ) -> Result<Owned, (Owned, Owned)> {
        let tp = t.as_ptr();
        // SAFETY: `t` is live; uniquely referenced means only the holder
        // the caller borrows from has it, so nobody else can observe the
        // change.  Free-threaded, that also needs this thread to own `t`:
        // two threads that both saw a count of 1 would both rewrite it
        // (C's 3.13 enumerate does, and crashes).
        if !unsafe { crate::inline::_PyObject_IsUniquelyReferenced(tp) } {
            return Err((a, b));
        }
        // SAFETY: exclusively referenced 2-tuple (caller's contract); the
        // slots own their items, which we take out before storing the new
        // ones (the C order: incref, swap, then decref the old items, which
        // may run code).
        unsafe {
            Py_INCREF(tp);
            let items = _tuple_items(tp);
            let old_a = *items;
            let old_b = *items.add(1);
            *items = a.into_raw();
            *items.add(1) = b.into_raw();
            let result = Owned::from_owned_nonnull(core::ptr::NonNull::new_unchecked(tp));
            crate::inline::Py_DECREF(old_a);
            crate::inline::Py_DECREF(old_b);
            if !crate::inline::_PyObject_GC_IS_TRACKED(tp) {
                gc::track(result.borrow());
            }
            Ok(result)
        }
    }

    #[inline(always)]
    unsafe fn _tuple_items(t: *mut PyObject) -> *mut *mut PyObject {
        // SAFETY: caller passes a tuple.
        unsafe { crate::inline::_PyTuple_ITEMS(t) }
    }
}

/// Vectorcall argument arrays.
pub mod vectorcall {
    use super::*;
    use crate::inline::{PyTuple_GET_ITEM, PyTuple_GET_SIZE};

    /// The arguments of a vectorcall: `nargs` positional ones followed by
    /// one per keyword name.
    ///
    /// # Invariants
    /// `args` points to `nargs + nkwargs` live objects for `'a`;
    /// `kwnames` is NULL (then `nkwargs` is 0) or a tuple of `nkwargs` str.
    #[derive(Clone, Copy)]
    pub struct Args<'a> {
        args: *const *mut PyObject,
        nargs: Py_ssize_t,
        nkwargs: Py_ssize_t,
        kwnames: Option<Borrowed<'a>>,
    }

    impl<'a> Args<'a> {
        /// # Safety
        /// The arguments a `vectorcallfunc` received.
        #[inline]
        pub unsafe fn new(
            args: *const *mut PyObject,
            nargsf: usize,
            kwnames: *mut PyObject,
        ) -> Self {
            // SAFETY: the caller keeps kwnames alive for the call.
            let kwnames = unsafe { Borrowed::from_ptr_opt(kwnames) };
            // SAFETY: the vectorcall contract: kwnames is NULL or a tuple.
            let nkwargs = kwnames.map_or(0, |k| unsafe { PyTuple_GET_SIZE(k.as_ptr()) });
            // INVARIANT: the vectorcall contract.
            Args {
                args,
                nargs: crate::inline::PyVectorcall_NARGS(nargsf),
                nkwargs,
                kwnames,
            }
        }

        #[inline]
        pub fn nargs(&self) -> Py_ssize_t {
            self.nargs
        }

        #[inline]
        pub fn nkwargs(&self) -> Py_ssize_t {
            self.nkwargs
        }

        /// Keyword name `i` (`PyTuple_GET_ITEM(kwnames, i)`).
        #[inline]
        pub fn kwname(&self, i: Py_ssize_t) -> Option<Borrowed<'a>> {
            let kwnames = self.kwnames?;
            if i < 0 || i >= self.nkwargs {
                return None;
            }
            // SAFETY: a tuple of nkwargs live str (invariant); i in bounds.
            Some(unsafe { Borrowed::from_ptr(PyTuple_GET_ITEM(kwnames.as_ptr(), i)) })
        }

        /// Argument `i` (positional first, then keyword values).
        #[inline]
        pub fn get(&self, i: Py_ssize_t) -> Option<Borrowed<'a>> {
            if i < 0 || i >= self.nargs.wrapping_add(self.nkwargs) {
                return None;
            }
            // SAFETY: in bounds; the array holds live objects (invariant).
            Some(unsafe { Borrowed::from_ptr(*self.args.offset(i)) })
        }
    }
}

/// `c"..."` for a message of `PyErr_SetString`, in aligned storage (see
/// [`err::AlignedMsg`]): `cmsg!("text")` is an [`err::Msg`].  A NUL in
/// the text is a compile-time error.
#[macro_export]
macro_rules! cmsg {
    ($s:literal) => {{
        const BYTES: &[u8] = concat!($s, "\0").as_bytes();
        const _: () = assert!($crate::api::err::is_c_string(BYTES));
        static MSG: $crate::api::err::AlignedMsg<{ BYTES.len() }> =
            $crate::api::err::AlignedMsg::new(BYTES);
        // SAFETY: MSG holds all of BYTES, whose only NUL is the last byte
        // (asserted at compile time above), in an aligned static.
        unsafe {
            $crate::api::err::Msg::from_aligned(core::ffi::CStr::from_bytes_with_nul_unchecked(
                &MSG.0,
            ))
        }
    }};
}
