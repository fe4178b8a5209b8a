//! Rust versions of CPython's static inline functions on hot paths.
//!
//! bindgen cannot see `static inline` functions.  Calling C shims for
//! reference counting or tuple access would put a function call in every
//! loop, so these follow `Include/object.h`, `Include/cpython/tupleobject.h`
//! and friends of CPython 3.13 line by line, for the object layout the build
//! was configured with (`cfg(Py_GIL_DISABLED)`: the free-threaded refcount
//! fields; `cfg(Py_DEBUG)`: the reference-total bookkeeping of Py_REF_DEBUG).
//! `tests/inline.rs` checks each one against the C macro on live objects.
//!
//! Every function here is `unsafe`: the caller guarantees the pointers are
//! valid objects of the stated type and that the GIL (or, free-threaded, an
//! attached thread state) is held.  The safe layer (`object.rs` and friends)
//! is what the object crates use.

#![allow(non_snake_case, non_upper_case_globals)]

use crate::ffi::{self, PyObject, PyTupleObject, PyTypeObject, PyVarObject, Py_ssize_t};
use core::ptr::addr_of_mut;

/// `_Py_IMMORTAL_REFCNT` (64-bit, default build): the low 32 bits all set.
#[cfg(not(Py_GIL_DISABLED))]
pub const _Py_IMMORTAL_REFCNT: Py_ssize_t = u32::MAX as Py_ssize_t;
/// `_Py_IMMORTAL_REFCNT_LOCAL` (free-threaded build).
#[cfg(Py_GIL_DISABLED)]
pub const _Py_IMMORTAL_REFCNT_LOCAL: u32 = u32::MAX;
/// `_Py_REF_SHARED_SHIFT` (free-threaded build).
#[cfg(Py_GIL_DISABLED)]
pub const _Py_REF_SHARED_SHIFT: u32 = 2;
/// `_PyGC_PREV_MASK_FINALIZED` (default build; pycore_gc.h).
#[cfg(not(Py_GIL_DISABLED))]
pub const _PyGC_PREV_MASK_FINALIZED: usize = 1;
/// `_PyGC_PREV_MASK`: the address bits of `_gc_prev` (default build).
#[cfg(not(Py_GIL_DISABLED))]
pub const _PyGC_PREV_MASK: usize = usize::MAX << 2;
/// `_PyGC_BITS_TRACKED` (free-threaded build; pycore_gc.h).
#[cfg(Py_GIL_DISABLED)]
pub const _PyGC_BITS_TRACKED: u8 = 1;
/// `PY_VECTORCALL_ARGUMENTS_OFFSET`.
pub const PY_VECTORCALL_ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

/// Index of the low (refcount) half of `ob_refcnt_split` (`PY_BIG_ENDIAN`).
#[cfg(not(Py_GIL_DISABLED))]
const REFCNT_LOW: usize = if cfg!(target_endian = "big") { 1 } else { 0 };

/// `_Py_ThreadId()`: the thread pointer the free-threaded build stores in
/// `ob_tid` for the owning thread.
#[cfg(Py_GIL_DISABLED)]
#[inline(always)]
pub fn _Py_ThreadId() -> usize {
    let tid: usize;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads the FS segment base slot, which on x86_64 Linux/BSD holds
    // the thread control block pointer; no memory is written.
    unsafe {
        core::arch::asm!("mov {}, fs:0", out(reg) tid, options(nostack, readonly, preserves_flags));
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: reads the thread pointer register; no side effects.
    unsafe {
        core::arch::asm!("mrs {}, tpidr_el0", out(reg) tid, options(nostack, nomem, preserves_flags));
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    // SAFETY: plain exported function without preconditions.
    unsafe {
        tid = ffi::_Py_GetThreadLocal_Addr();
    }
    tid
}

/// `_Py_IsOwnedByCurrentThread(ob)`.
///
/// # Safety
/// `ob` points to a live object.
#[cfg(Py_GIL_DISABLED)]
#[inline(always)]
pub unsafe fn _Py_IsOwnedByCurrentThread(ob: *mut PyObject) -> bool {
    // SAFETY: caller guarantees `ob` is live; ob_tid is only written by the
    // owning thread, a relaxed read is what C does.
    unsafe {
        core::sync::atomic::AtomicUsize::from_ptr(addr_of_mut!((*ob).ob_tid))
            .load(core::sync::atomic::Ordering::Relaxed)
            == _Py_ThreadId()
    }
}

/// `_Py_IsImmortal(op)`.
///
/// # Safety
/// `op` points to a live object.
#[inline(always)]
pub unsafe fn _Py_IsImmortal(op: *mut PyObject) -> bool {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller guarantees `op` is live.
    unsafe {
        ((*op).__bindgen_anon_1.ob_refcnt as i32) < 0
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `op` is live; relaxed load as in C.
    unsafe {
        core::sync::atomic::AtomicU32::from_ptr(addr_of_mut!((*op).ob_ref_local))
            .load(core::sync::atomic::Ordering::Relaxed)
            == _Py_IMMORTAL_REFCNT_LOCAL
    }
}

/// `Py_REFCNT(ob)`.
///
/// # Safety
/// `ob` points to a live object.
#[inline(always)]
pub unsafe fn Py_REFCNT(ob: *mut PyObject) -> Py_ssize_t {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller guarantees `ob` is live.
    unsafe {
        (*ob).__bindgen_anon_1.ob_refcnt
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `ob` is live; mirrors Py_REFCNT in object.h.
    unsafe {
        use core::sync::atomic::{AtomicIsize, AtomicU32, Ordering::Relaxed};
        let local = AtomicU32::from_ptr(addr_of_mut!((*ob).ob_ref_local)).load(Relaxed);
        if local == _Py_IMMORTAL_REFCNT_LOCAL {
            return _Py_IMMORTAL_REFCNT_LOCAL as Py_ssize_t;
        }
        let shared = AtomicIsize::from_ptr(addr_of_mut!((*ob).ob_ref_shared)).load(Relaxed);
        (local as Py_ssize_t) + (shared >> _Py_REF_SHARED_SHIFT)
    }
}

/// `_PyObject_IsUniquelyReferenced(ob)` (Include/internal/pycore_object.h):
/// whether the caller's reference is the only one and no other thread can
/// make another.  With the GIL, `Py_REFCNT(ob) == 1`; free-threaded, the
/// object must also be owned by this thread with no shared references
/// (the whole `ob_ref_shared`, flags included, zero), since another
/// thread may otherwise be taking a reference at the same time.
///
/// # Safety
/// `ob` points to a live object.
#[inline(always)]
pub unsafe fn _PyObject_IsUniquelyReferenced(ob: *mut PyObject) -> bool {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller guarantees `ob` is live.
    unsafe {
        Py_REFCNT(ob) == 1
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `ob` is live; relaxed loads as in C.
    unsafe {
        use core::sync::atomic::{AtomicIsize, AtomicU32, Ordering::Relaxed};
        _Py_IsOwnedByCurrentThread(ob)
            && AtomicU32::from_ptr(addr_of_mut!((*ob).ob_ref_local)).load(Relaxed) == 1
            && AtomicIsize::from_ptr(addr_of_mut!((*ob).ob_ref_shared)).load(Relaxed) == 0
    }
}

/// `Py_INCREF(op)`.
///
/// # Safety
/// `op` points to a live object.
#[inline(always)]
pub unsafe fn Py_INCREF(op: *mut PyObject) {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller guarantees `op` is live; the GIL serialises refcounts.
    unsafe {
        let low = addr_of_mut!((*op).__bindgen_anon_1.ob_refcnt_split[REFCNT_LOW]);
        let new = (*low).wrapping_add(1);
        if new == 0 {
            // Immortal: do nothing.
            return;
        }
        *low = new;
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `op` is live; atomics as in object.h.
    unsafe {
        use core::sync::atomic::{AtomicIsize, AtomicU32, Ordering};
        let local_ref = AtomicU32::from_ptr(addr_of_mut!((*op).ob_ref_local));
        let new_local = local_ref.load(Ordering::Relaxed).wrapping_add(1);
        if new_local == 0 {
            return;
        }
        if _Py_IsOwnedByCurrentThread(op) {
            local_ref.store(new_local, Ordering::Relaxed);
        } else {
            AtomicIsize::from_ptr(addr_of_mut!((*op).ob_ref_shared))
                .fetch_add(1 << _Py_REF_SHARED_SHIFT, Ordering::SeqCst);
        }
    }
    #[cfg(Py_DEBUG)]
    // SAFETY: exported bookkeeping function of Py_REF_DEBUG builds.
    unsafe {
        ffi::_Py_INCREF_IncRefTotal();
    }
}

/// `Py_DECREF(op)`.
///
/// # Safety
/// `op` points to a live object and the caller owns the reference it drops.
#[inline(always)]
pub unsafe fn Py_DECREF(op: *mut PyObject) {
    #[cfg(all(not(Py_GIL_DISABLED), not(Py_DEBUG)))]
    // SAFETY: caller owns a reference to the live object `op`.
    unsafe {
        if _Py_IsImmortal(op) {
            return;
        }
        let rc = addr_of_mut!((*op).__bindgen_anon_1.ob_refcnt);
        *rc = (*rc).wrapping_sub(1);
        if *rc == 0 {
            ffi::_Py_Dealloc(op);
        }
    }
    #[cfg(all(not(Py_GIL_DISABLED), Py_DEBUG))]
    // SAFETY: caller owns a reference to the live object `op`.
    unsafe {
        let rc = addr_of_mut!((*op).__bindgen_anon_1.ob_refcnt);
        if *rc <= 0 {
            ffi::_Py_NegativeRefcount(c"<Rust object>".as_ptr(), 0, op);
        }
        if _Py_IsImmortal(op) {
            return;
        }
        ffi::_Py_DECREF_DecRefTotal();
        *rc = (*rc).wrapping_sub(1);
        if *rc == 0 {
            ffi::_Py_Dealloc(op);
        }
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller owns a reference to the live object `op`.
    unsafe {
        use core::sync::atomic::{AtomicU32, Ordering::Relaxed};
        let local_ref = AtomicU32::from_ptr(addr_of_mut!((*op).ob_ref_local));
        let mut local = local_ref.load(Relaxed);
        if local == _Py_IMMORTAL_REFCNT_LOCAL {
            return;
        }
        #[cfg(Py_DEBUG)]
        ffi::_Py_DECREF_DecRefTotal();
        if _Py_IsOwnedByCurrentThread(op) {
            #[cfg(Py_DEBUG)]
            if local == 0 {
                ffi::_Py_NegativeRefcount(c"<Rust object>".as_ptr(), 0, op);
            }
            local = local.wrapping_sub(1);
            local_ref.store(local, Relaxed);
            if local == 0 {
                ffi::_Py_MergeZeroLocalRefcount(op);
            }
        } else {
            #[cfg(Py_DEBUG)]
            ffi::_Py_DecRefSharedDebug(op, c"<Rust object>".as_ptr(), 0);
            #[cfg(not(Py_DEBUG))]
            ffi::_Py_DecRefShared(op);
        }
    }
}

/// `Py_XDECREF(op)`.
///
/// # Safety
/// `op` is NULL or a live object whose reference the caller owns.
#[inline(always)]
pub unsafe fn Py_XDECREF(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: non-NULL, and the caller's guarantee carries over.
        unsafe { Py_DECREF(op) }
    }
}

/// `Py_TYPE(ob)`.
///
/// # Safety
/// `ob` points to a live object.
#[inline(always)]
pub unsafe fn Py_TYPE(ob: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: caller guarantees `ob` is live.
    unsafe { (*ob).ob_type }
}

/// `Py_SIZE(ob)`.
///
/// # Safety
/// `ob` points to a live variable-size object.
#[inline(always)]
pub unsafe fn Py_SIZE(ob: *mut PyObject) -> Py_ssize_t {
    // SAFETY: caller guarantees `ob` is a live PyVarObject.
    unsafe { (*(ob as *mut PyVarObject)).ob_size }
}

/// `PyType_HasFeature(tp, feature)`.
///
/// # Safety
/// `tp` points to a live type object.
#[inline(always)]
pub unsafe fn PyType_HasFeature(tp: *mut PyTypeObject, feature: u64) -> bool {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: caller guarantees `tp` is live.
    let flags = unsafe { (*tp).tp_flags };
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `tp` is live; relaxed load as in C.
    let flags = unsafe {
        core::sync::atomic::AtomicU64::from_ptr(addr_of_mut!((*tp).tp_flags).cast::<u64>())
            .load(core::sync::atomic::Ordering::Relaxed)
    };
    // tp_flags is a C `unsigned long`: u64 here, u32 on ILP32 targets.
    #[allow(clippy::useless_conversion)]
    let flags = u64::from(flags);
    (flags & feature) != 0
}

/// `_PyLong_IsCompact(op)` followed by `_PyLong_CompactValue(op)`
/// (Include/cpython/longintrepr.h): the value of an int whose magnitude
/// fits one digit, which is also what `PyLong_AsSsize_t` returns for it;
/// `None` for a larger int.
///
/// # Safety
/// `op` points to a live object of int type or a subclass
/// (`PyLong_Check`).
#[inline(always)]
pub unsafe fn _PyLong_CompactValue(op: *mut PyObject) -> Option<Py_ssize_t> {
    // SAFETY: caller's contract: the object is a PyLongObject.
    let (tag, digit) = unsafe {
        let v = &(*(op as *mut ffi::PyLongObject)).long_value;
        (v.lv_tag, v.ob_digit[0])
    };
    if tag >= 2 << ffi::_PyLong_NON_SIZE_BITS {
        return None;
    }
    // The sign bits are 0 (positive), 1 (zero) or 2 (negative).
    let sign = 1 - (tag & ffi::_PyLong_SIGN_MASK as usize) as Py_ssize_t;
    Some(sign.wrapping_mul(digit as Py_ssize_t))
}

/// The cached small int for `v` (`_PyLong_SMALL_INTS[_PY_NSMALLNEGINTS +
/// v]`, what `PyLong_FromLong(v)` returns) when `-5 <= v < 257`.  The
/// small ints are immortal statics of the runtime.
#[inline(always)]
pub fn small_int(v: i64) -> Option<*mut PyObject> {
    const NEG: i64 = ffi::_PY_NSMALLNEGINTS as i64;
    const POS: i64 = ffi::_PY_NSMALLPOSINTS as i64;
    /// The length of the array behind `p` (no memory access).
    fn array_len<T, const N: usize>(_: *mut [T; N]) -> usize {
        N
    }
    if !(-NEG..POS).contains(&v) {
        return None;
    }
    // In 0..NEG+POS (checked above): no overflow.
    let idx = v.wrapping_add(NEG) as usize;
    // SAFETY: only the address of the static array is taken (no reference
    // to the `static mut` is made, no memory is read or written).
    let arr = unsafe { addr_of_mut!(ffi::_PyRuntime.static_objects.singletons.small_ints) };
    if idx >= array_len(arr) {
        return None;
    }
    // SAFETY: `idx` is within the array (checked above).
    Some(unsafe { (arr as *mut ffi::PyLongObject).add(idx) } as *mut PyObject)
}

/// `_PyLong_GetOne()`: the small int 1 (`_PyLong_SMALL_INTS`, a static
/// immortal object of the runtime).  Only an address is computed.
#[inline(always)]
pub fn _PyLong_GetOne() -> *mut PyObject {
    const ONE: usize = ffi::_PY_NSMALLNEGINTS as usize + 1;
    // pycore_long.h requires _PY_NSMALLPOSINTS >= 257.
    const _: () = assert!(ffi::_PY_NSMALLPOSINTS > 1);
    // SAFETY: only the address of the static array is taken (no reference
    // to the `static mut`, no memory access).
    let arr = unsafe { addr_of_mut!(ffi::_PyRuntime.static_objects.singletons.small_ints) };
    // ONE is within the array of _PY_NSMALLNEGINTS + _PY_NSMALLPOSINTS
    // (asserted above): an in-bounds offset.
    (arr as *mut ffi::PyLongObject).wrapping_add(ONE) as *mut PyObject
}

/// `&_Py_ID(NAME)`: the runtime's static interned str `NAME`, named by its
/// field `_py_NAME` (`_Py_SINGLETON(strings.identifiers._py_NAME)`).
/// Only an address is computed.
#[macro_export]
macro_rules! _Py_ID {
    ($field:ident) => {
        // SAFETY: only the address of a field of the static runtime state
        // is taken (no reference to the `static mut`, no memory access).
        unsafe {
            core::ptr::addr_of_mut!(
                $crate::ffi::_PyRuntime
                    .static_objects
                    .singletons
                    .strings
                    .identifiers
                    .$field
                    ._ascii
                    .ob_base
            )
        }
    };
}

/// `PyTuple_GET_SIZE(op)`.
///
/// # Safety
/// `op` points to a live tuple.
#[inline(always)]
pub unsafe fn PyTuple_GET_SIZE(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a tuple is a PyVarObject.
    unsafe { Py_SIZE(op) }
}

/// Address of the item array of a tuple.
///
/// # Safety
/// `op` points to a live tuple.
#[inline(always)]
pub unsafe fn _PyTuple_ITEMS(op: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: caller guarantees `op` is a tuple; ob_item is its trailing array.
    unsafe { addr_of_mut!((*(op as *mut PyTupleObject)).ob_item) as *mut *mut PyObject }
}

/// `PyTuple_GET_ITEM(op, i)`: a borrowed reference (or NULL in a tuple that
/// is still being filled).
///
/// # Safety
/// `op` points to a live tuple and `0 <= i < len(op)`.
#[inline(always)]
pub unsafe fn PyTuple_GET_ITEM(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: caller guarantees `i` is in bounds.
    unsafe { *_PyTuple_ITEMS(op).offset(i) }
}

/// `PyTuple_SET_ITEM(op, i, v)`: steals `v`, does not release the old item.
///
/// # Safety
/// `op` points to a live tuple, `0 <= i < len(op)`, and the caller gives
/// up its reference to `v`.
#[inline(always)]
pub unsafe fn PyTuple_SET_ITEM(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) {
    // SAFETY: caller guarantees `i` is in bounds.
    unsafe { *_PyTuple_ITEMS(op).offset(i) = v }
}

/// `_PyObject_GC_IS_TRACKED(op)` (Include/internal/pycore_gc.h).
///
/// # Safety
/// `op` points to a live object of a GC type.
#[inline(always)]
pub unsafe fn _PyObject_GC_IS_TRACKED(op: *mut PyObject) -> bool {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: a GC object is preceded by its PyGC_Head (_Py_AS_GC).
    unsafe {
        let gc = (op as *mut ffi::PyGC_Head).sub(1);
        (*gc)._gc_next != 0
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `op` is live; _PyGC_BITS_TRACKED is bit 0;
    // a relaxed load as in C.
    unsafe {
        core::sync::atomic::AtomicU8::from_ptr(addr_of_mut!((*op).ob_gc_bits))
            .load(core::sync::atomic::Ordering::Relaxed)
            & _PyGC_BITS_TRACKED
            != 0
    }
}

/// `_PyThreadState_GET()` (Include/internal/pycore_pystate.h): this
/// thread's thread state, the thread-local `_Py_tss_tstate`.  On x86-64
/// Linux with a static libpython it is read as C reads it there (the
/// initial-exec TLS model: a GOTTPOFF load, which the linker turns into a
/// constant offset, and an %fs-relative load); otherwise (a shared
/// libpython, whose C code reaches the variable through the dynamic TLS
/// model, or another target) through `PyThreadState_GetUnchecked()`.
#[inline(always)]
pub fn _PyThreadState_GET() -> *mut ffi::PyThreadState {
    #[cfg(all(target_arch = "x86_64", target_os = "linux", not(Py_ENABLE_SHARED)))]
    {
        let tstate: *mut ffi::PyThreadState;
        // SAFETY: reads this thread's slot of the thread-local pointer
        // `_Py_tss_tstate`, which libpython (linked statically into the
        // same executable) defines: the two loads C emits for it.  No
        // memory is written, no stack is used, the flags are kept.
        unsafe {
            core::arch::asm!(
                "mov {t}, qword ptr [rip + _Py_tss_tstate@GOTTPOFF]",
                "mov {t}, qword ptr fs:[{t}]",
                t = out(reg) tstate,
                options(nostack, readonly, preserves_flags, pure),
            );
        }
        tstate
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux", not(Py_ENABLE_SHARED))))]
    // SAFETY: no precondition (NULL when no thread state is attached).
    unsafe {
        ffi::PyThreadState_GetUnchecked()
    }
}

/// `_PyObject_GC_TRACK(op)` (Include/internal/pycore_object.h): links
/// the object at the end of the current interpreter's generation 0 (the
/// free-threaded build sets its tracked bit instead).
///
/// # Safety
/// `op` points to a live, fully initialised object of a GC type that is
/// not tracked, and the caller holds the GIL (an attached thread state).
#[inline(always)]
pub unsafe fn _PyObject_GC_TRACK(op: *mut PyObject) {
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: a GC object is preceded by its PyGC_Head; with an attached
    // thread state, `tstate->interp->gc.generation0` is the live list head
    // of a circular doubly linked list whose `_gc_prev` (low two bits
    // flags, zero for a list head) is its last element.  The four stores
    // are _PyObject_GC_TRACK's, in its order; the GIL excludes every other
    // writer.
    unsafe {
        let gc = (op as *mut ffi::PyGC_Head).sub(1);
        let tstate = _PyThreadState_GET();
        let generation0 = (*(*tstate).interp).gc.generation0;
        let last = ((*generation0)._gc_prev & _PyGC_PREV_MASK) as *mut ffi::PyGC_Head;
        (*last)._gc_next = gc as usize;
        (*gc)._gc_prev = ((*gc)._gc_prev & !_PyGC_PREV_MASK) | last as usize;
        (*gc)._gc_next = generation0 as usize;
        (*generation0)._gc_prev = gc as usize;
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `op` is live and, being under construction,
    // visible to this thread only; relaxed load and store as in C.
    unsafe {
        use core::sync::atomic::{AtomicU8, Ordering::Relaxed};
        let bits = AtomicU8::from_ptr(addr_of_mut!((*op).ob_gc_bits));
        bits.store(bits.load(Relaxed) | _PyGC_BITS_TRACKED, Relaxed);
    }
}

/// `PyObject_GC_UnTrack(op)` as Include/internal/pycore_object.h's
/// `_PyObject_GC_UNTRACK` inlines it: unlinks a tracked object from its
/// generation (free-threaded: clears the tracked bit); an untracked object
/// is left alone, as the exported function does.
///
/// # Safety
/// `op` points to a live object of a GC type (or one being deallocated)
/// and the caller holds the GIL (an attached thread state).
#[inline(always)]
pub unsafe fn PyObject_GC_UnTrack(op: *mut PyObject) {
    // SAFETY: caller's contract.
    if !unsafe { _PyObject_GC_IS_TRACKED(op) } {
        return;
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: a tracked object's PyGC_Head is linked between two live
    // heads of its generation's list (the prev field's low two bits are
    // flags); these are _PyObject_GC_UNTRACK's stores, in its order.
    unsafe {
        let gc = (op as *mut ffi::PyGC_Head).sub(1);
        let prev = ((*gc)._gc_prev & _PyGC_PREV_MASK) as *mut ffi::PyGC_Head;
        let next = (*gc)._gc_next as *mut ffi::PyGC_Head;
        (*prev)._gc_next = next as usize;
        (*next)._gc_prev = ((*next)._gc_prev & !_PyGC_PREV_MASK) | prev as usize;
        (*gc)._gc_next = 0;
        (*gc)._gc_prev &= _PyGC_PREV_MASK_FINALIZED;
    }
    #[cfg(Py_GIL_DISABLED)]
    // SAFETY: caller guarantees `op` is live; relaxed load and store as in
    // C (the object is being destroyed or is owned by this thread).
    unsafe {
        use core::sync::atomic::{AtomicU8, Ordering::Relaxed};
        let bits = AtomicU8::from_ptr(addr_of_mut!((*op).ob_gc_bits));
        bits.store(bits.load(Relaxed) & !_PyGC_BITS_TRACKED, Relaxed);
    }
}

/// `PyVectorcall_NARGS(n)`.
#[inline(always)]
pub const fn PyVectorcall_NARGS(n: usize) -> Py_ssize_t {
    (n & !PY_VECTORCALL_ARGUMENTS_OFFSET) as Py_ssize_t
}

/// `Py_None`.
#[inline(always)]
pub fn Py_None() -> *mut PyObject {
    core::ptr::addr_of_mut!(ffi::_Py_NoneStruct)
}

/// `Py_True` / `Py_False`.
#[inline(always)]
pub fn Py_Bool(v: bool) -> *mut PyObject {
    if v {
        core::ptr::addr_of_mut!(ffi::_Py_TrueStruct) as *mut PyObject
    } else {
        core::ptr::addr_of_mut!(ffi::_Py_FalseStruct) as *mut PyObject
    }
}

/// `Py_NotImplemented`.
#[inline(always)]
pub fn Py_NotImplemented() -> *mut PyObject {
    core::ptr::addr_of_mut!(ffi::_Py_NotImplementedStruct)
}
