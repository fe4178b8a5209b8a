//! Critical sections: `Include/cpython/critical_section.h`
//! (`Py_BEGIN_CRITICAL_SECTION`/`Py_END_CRITICAL_SECTION`).

use super::prelude::*;

/// Garbage collector interface.
/// `Py_BEGIN_CRITICAL_SECTION(op)` ... `Py_END_CRITICAL_SECTION()` around
/// `f`: free-threaded, one thread at a time runs a critical section on
/// `op` (it may be suspended while `f` blocks, as in C); with the GIL the
/// C macros do nothing, and neither does this.
#[inline(always)]
pub fn with<R>(op: Borrowed<'_>, f: impl FnOnce() -> R) -> R {
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
