//! Slices: `Include/sliceobject.h`, `Objects/sliceobject.c` (`PySlice_*`).

use super::prelude::*;

#[inline]
/// `PySlice_Check(o)`.
pub fn check(o: Borrowed<'_>) -> bool {
    object::is_type(o, core::ptr::addr_of_mut!(ffi::PySlice_Type))
}

/// `PySlice_Unpack(key, &start, &stop, &step)`.
///
/// A slice whose fields are all None or ints of one digit is unpacked
/// inline: `_PyEval_SliceIndex` takes such an int (or int subclass, which
/// `PyNumber_Index` returns unchanged without calling `__index__`) as its
/// value, which needs no clamping, and no Python code can run.  Any other
/// slice, and a zero step (an error), goes to `PySlice_Unpack`.
#[inline]
pub fn unpack(key: Borrowed<'_>) -> PyResult<(Py_ssize_t, Py_ssize_t, Py_ssize_t)> {
    // SAFETY: `key` is a live slice (callers check PySlice_Check, an exact
    // type check): its three fields are live references it holds.
    let (start, stop, step) = unsafe {
        let s = key.as_ptr() as *const ffi::PySliceObject;
        ((*s).start, (*s).stop, (*s).step)
    };
    if let Some(r) = slice::unpack_inline(start, stop, step) {
        return Ok(r);
    }
    let (mut start, mut stop, mut step) = (0, 0, 0);
    // SAFETY: `key` is a live slice (see above).
    if unsafe { ffi::PySlice_Unpack(key.as_ptr(), &mut start, &mut stop, &mut step) } < 0 {
        return err::fail();
    }
    Ok((start, stop, step))
}

/// The value of a one-digit int (or int subclass), else `None`.
#[inline(always)]
fn one_digit_index(o: *mut PyObject) -> Option<Py_ssize_t> {
    // SAFETY: `o` is a live object (a slice's field).
    long::one_digit(unsafe { Borrowed::from_ptr(o) })
}

/// `PySlice_Unpack` of a slice whose fields are None or one-digit ints
/// (live objects); `None` for any other slice or a zero step.
#[inline(always)]
fn unpack_inline(
    start: *mut PyObject,
    stop: *mut PyObject,
    step: *mut PyObject,
) -> Option<(Py_ssize_t, Py_ssize_t, Py_ssize_t)> {
    let none = crate::inline::Py_None();
    // A one-digit step is above -PY_SSIZE_T_MAX: no clamping.
    let step = if step == none {
        1
    } else {
        Some(slice::one_digit_index(step)?).filter(|s| *s != 0)?
    };
    let start = if start == none {
        if step < 0 {
            Py_ssize_t::MAX
        } else {
            0
        }
    } else {
        slice::one_digit_index(start)?
    };
    let stop = if stop == none {
        if step < 0 {
            Py_ssize_t::MIN
        } else {
            Py_ssize_t::MAX
        }
    } else {
        slice::one_digit_index(stop)?
    };
    Some((start, stop, step))
}

/// `PySlice_AdjustIndices(length, &start, &stop, step)` for `step != 0`,
/// `step >= -PY_SSIZE_T_MAX` (what [`unpack`] gives): clamps `start` and
/// `stop` to a sequence of `length` items and returns `(start, stop,
/// slicelength)`.  Pure arithmetic, as in C (inline there too).
#[inline]
pub fn adjust_indices(
    length: Py_ssize_t,
    start: Py_ssize_t,
    stop: Py_ssize_t,
    step: Py_ssize_t,
) -> (Py_ssize_t, Py_ssize_t, Py_ssize_t) {
    // Wrapping arithmetic and a checked division: no panic whatever the
    // arguments.  Within the contract nothing wraps.
    let clamp = |i: Py_ssize_t| {
        if i < 0 {
            let i = i.wrapping_add(length);
            if i < 0 {
                if step < 0 {
                    -1
                } else {
                    0
                }
            } else {
                i
            }
        } else if i >= length {
            if step < 0 {
                length.wrapping_sub(1)
            } else {
                length
            }
        } else {
            i
        }
    };
    let (start, stop) = (clamp(start), clamp(stop));
    let n = if step < 0 {
        if stop < start {
            start
                .wrapping_sub(stop)
                .wrapping_sub(1)
                .checked_div(step.wrapping_neg())
                .map_or(0, |q| q.wrapping_add(1))
        } else {
            0
        }
    } else if start < stop {
        stop.wrapping_sub(start)
            .wrapping_sub(1)
            .checked_div(step)
            .map_or(0, |q| q.wrapping_add(1))
    } else {
        0
    };
    (start, stop, n)
}
