//! Copy memoryview buffers: the FFI side of the copies (exceptions and
//! scratch memory); the copying itself is in [`crate::strided`].
//!
//! All buffers here have full information (memoryviews, or foreign
//! buffers normalised through [`crate::object::FullView`]).

use cpython_sys::api::mem::PyMemBlock;
use cpython_sys::api::{err, Exc};
use cpython_sys::PyResult;

use crate::native;
use crate::object::MemoryView;
use crate::strided::{self, Strided};

/// `equiv_structure(dest, src)`.
pub(crate) fn equiv_structure(
    dest: &Strided<'_>,
    dfmt: &[u8],
    src: &Strided<'_>,
    sfmt: &[u8],
) -> PyResult<()> {
    if !native::equiv_format(dfmt, dest.itemsize, sfmt, src.itemsize)
        || !crate::layout::equiv_shape(dest.shape, src.shape)
    {
        return Err(err::set_string(
            Exc::ValueError,
            cpython_sys::cmsg!(
                "memoryview assignment: lvalue and rvalue have different structures"
            ),
        ));
    }
    Ok(())
}

/// `copy_single(self, dest, src)`: 1-D copy for slice assignment; the
/// buffers may overlap.
///
/// # Safety
/// `dest` (a slice of `self`'s view) and `src` are valid for all their
/// items while `self` is not released; `src`'s exporter holds its buffer.
pub(crate) unsafe fn copy_single(
    self_: MemoryView,
    dest: &Strided<'_>,
    dfmt: &[u8],
    src: &Strided<'_>,
    sfmt: &[u8],
) -> PyResult<()> {
    self_.check_released()?;
    debug_assert!(dest.ndim() == 1);
    equiv_structure(dest, dfmt, src, sfmt)?;
    if strided::last_dim_is_contiguous(dest, src) || !strided::may_overlap(dest, src) {
        // SAFETY: caller's contract; no overlap outside a contiguous row.
        unsafe { strided::copy_direct(dest, src) };
        return Ok(());
    }
    let n = dest.shape.first().copied().unwrap_or(0);
    let size = usize::try_from(n.wrapping_mul(dest.itemsize)).unwrap_or(0);
    let mem = PyMemBlock::new(size)?;
    // SAFETY: caller's contract; `mem` holds shape[0] * itemsize bytes.
    unsafe { strided::copy_via(dest, src, mem.as_ptr()) };
    Ok(())
}

/// `copy_buffer(dest, src)` into fresh memory (`dest` does not overlap
/// `src`): atomic, never fails after the structure check.
///
/// # Safety
/// Both are valid for all their items and do not overlap.
pub(crate) unsafe fn copy_buffer(
    dest: &Strided<'_>,
    dfmt: &[u8],
    src: &Strided<'_>,
    sfmt: &[u8],
) -> PyResult<()> {
    equiv_structure(dest, dfmt, src, sfmt)?;
    // SAFETY: caller's contract.
    unsafe { strided::copy_direct(dest, src) };
    Ok(())
}

/// `buffer_to_contiguous(mem, src, order)`: gathers `src` directly into
/// `mem` (`src->len` bytes).
///
/// # Safety
/// `src` is valid for reads of all items; `mem` is writable for
/// product(shape) * itemsize bytes and does not overlap `src`.
pub(crate) unsafe fn buffer_to_contiguous(mem: *mut u8, src: &Strided<'_>, order: u8) {
    // SAFETY: caller's contract.
    unsafe { strided::to_contiguous(mem, src, order) }
}
