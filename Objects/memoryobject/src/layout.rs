//! Shape, strides and contiguity arithmetic, the memoryview state flags,
//! `getbuffer` request checking and cast validation.
//!
//! Pure Rust: no libpython.  The C file's macros (`MV_C_CONTIGUOUS`,
//! `REQ_*`, ...) and its small arithmetic helpers (`init_strides_from_shape`,
//! `init_flags`, `equiv_shape`, `copy_shape`, ...) live here as functions
//! over slices.  Arithmetic on values that come from foreign exporters
//! wraps exactly as C's does (`-fwrapv` style) instead of panicking.

use core::ffi::CStr;

/// `PyBUF_MAX_NDIM`.
pub const PYBUF_MAX_NDIM: usize = 64;

// memoryview state flags (Include/cpython/memoryobject.h); the FFI half
// checks that they equal the C values.
pub const MV_RELEASED: i32 = 0x001;
pub const MV_C: i32 = 0x002;
pub const MV_FORTRAN: i32 = 0x004;
pub const MV_SCALAR: i32 = 0x008;
pub const MV_PIL: i32 = 0x010;
pub const MV_RESTRICTED: i32 = 0x020;
pub const MBUF_RELEASED: i32 = 0x001;
pub const MBUF_FREE_FORMAT: i32 = 0x002;

// getbuffer() request flags (Include/pybuffer.h).
pub const PYBUF_SIMPLE: i32 = 0;
pub const PYBUF_WRITABLE: i32 = 0x0001;
pub const PYBUF_FORMAT: i32 = 0x0004;
pub const PYBUF_ND: i32 = 0x0008;
pub const PYBUF_STRIDES: i32 = 0x0010 | PYBUF_ND;
pub const PYBUF_C_CONTIGUOUS: i32 = 0x0020 | PYBUF_STRIDES;
pub const PYBUF_F_CONTIGUOUS: i32 = 0x0040 | PYBUF_STRIDES;
pub const PYBUF_ANY_CONTIGUOUS: i32 = 0x0080 | PYBUF_STRIDES;
pub const PYBUF_INDIRECT: i32 = 0x0100 | PYBUF_STRIDES;
pub const PYBUF_FULL_RO: i32 = PYBUF_INDIRECT | PYBUF_FORMAT;
pub const PYBUF_READ: i32 = 0x100;
pub const PYBUF_WRITE: i32 = 0x200;

/// `MV_C_CONTIGUOUS(flags)`.
#[inline]
pub const fn mv_c_contiguous(flags: i32) -> bool {
    flags & (MV_SCALAR | MV_C) != 0
}
/// `MV_F_CONTIGUOUS(flags)`.
#[inline]
pub const fn mv_f_contiguous(flags: i32) -> bool {
    flags & (MV_SCALAR | MV_FORTRAN) != 0
}
/// `MV_ANY_CONTIGUOUS(flags)`.
#[inline]
pub const fn mv_any_contiguous(flags: i32) -> bool {
    flags & (MV_SCALAR | MV_C | MV_FORTRAN) != 0
}

/// `init_strides_from_shape`: C-contiguous strides.  `strides.len()`
/// must equal `shape.len()`; extra entries of either are ignored.
pub fn init_strides_from_shape(shape: &[isize], itemsize: isize, strides: &mut [isize]) {
    let n = shape.len().min(strides.len());
    let mut acc = itemsize;
    for i in (0..n).rev() {
        if let (Some(s), Some(d)) = (strides.get_mut(i), shape.get(i)) {
            *s = acc;
            acc = acc.wrapping_mul(*d);
        }
    }
}

/// `init_fortran_strides_from_shape`: Fortran-contiguous strides.
pub fn init_fortran_strides_from_shape(shape: &[isize], itemsize: isize, strides: &mut [isize]) {
    let mut acc = itemsize;
    for (s, d) in strides.iter_mut().zip(shape) {
        *s = acc;
        acc = acc.wrapping_mul(*d);
    }
}

/// `init_len`: product(shape) * itemsize (wrapping like C).
pub fn init_len(shape: &[isize], itemsize: isize) -> isize {
    shape
        .iter()
        .fold(1isize, |a, d| a.wrapping_mul(*d))
        .wrapping_mul(itemsize)
}

/// `_IsCContiguous` of Objects/abstract.c for a view with strides
/// (PyBuffer_IsContiguous without suboffsets).
pub fn is_c_contiguous(len: isize, itemsize: isize, shape: &[isize], strides: &[isize]) -> bool {
    if len == 0 {
        return true;
    }
    let mut sd = itemsize;
    for (dim, stride) in shape.iter().zip(strides).rev() {
        if *dim > 1 && *stride != sd {
            return false;
        }
        sd = sd.wrapping_mul(*dim);
    }
    true
}

/// `_IsFortranContiguous` of Objects/abstract.c for a view with strides.
pub fn is_f_contiguous(len: isize, itemsize: isize, shape: &[isize], strides: &[isize]) -> bool {
    if len == 0 {
        return true;
    }
    let mut sd = itemsize;
    for (dim, stride) in shape.iter().zip(strides) {
        if *dim > 1 && *stride != sd {
            return false;
        }
        sd = sd.wrapping_mul(*dim);
    }
    true
}

/// `init_flags(mv)`: the contiguity flags of a view with full information
/// (`shape`/`strides` have ndim entries).
pub fn init_flags(
    len: isize,
    itemsize: isize,
    shape: &[isize],
    strides: &[isize],
    has_suboffsets: bool,
) -> i32 {
    let mut flags = match shape.len() {
        0 => MV_SCALAR | MV_C | MV_FORTRAN,
        1 => {
            let shape0 = shape.first().copied().unwrap_or(0);
            return init_flags_1d(shape0, strides.first().copied(), itemsize, has_suboffsets);
        }
        _ => {
            // PyBuffer_IsContiguous(view, 'C'/'F'), which is false with
            // suboffsets (cleared below anyway).
            let mut f = 0;
            if is_c_contiguous(len, itemsize, shape, strides) {
                f |= MV_C;
            }
            if is_f_contiguous(len, itemsize, shape, strides) {
                f |= MV_FORTRAN;
            }
            f
        }
    };
    if has_suboffsets {
        flags |= MV_PIL;
        flags &= !(MV_C | MV_FORTRAN);
    }
    flags
}

/// [`init_flags`] of a one-dimensional view: MV_CONTIGUOUS_NDIM1, or
/// only MV_PIL with suboffsets.
#[inline(always)]
pub fn init_flags_1d(
    shape0: isize,
    stride0: Option<isize>,
    itemsize: isize,
    has_suboffsets: bool,
) -> i32 {
    if has_suboffsets {
        MV_PIL
    } else if shape0 == 1 || stride0 == Some(itemsize) {
        MV_C | MV_FORTRAN
    } else {
        0
    }
}

/// `equiv_shape(dest, src)`: equal, or equal up to a zero at the same
/// position.
pub fn equiv_shape(dshape: &[isize], sshape: &[isize]) -> bool {
    if dshape.len() != sshape.len() {
        return false;
    }
    for (d, s) in dshape.iter().zip(sshape) {
        if d != s {
            return false;
        }
        if *d == 0 {
            break;
        }
    }
    true
}

/// `zero_in_shape(mv)`.
pub fn zero_in_shape(shape: &[isize]) -> bool {
    shape.contains(&0)
}

/// Normalises an index of a dimension with `nitems` items
/// (`lookup_dimension`): `None` when out of bounds.
pub fn normalize_index(index: isize, nitems: isize) -> Option<isize> {
    let i = if index < 0 {
        index.wrapping_add(nitems)
    } else {
        index
    };
    if i < 0 || i >= nitems {
        None
    } else {
        Some(i)
    }
}

/// Errors of the buffer request checks of `memory_getbuf`, in C's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GetBufError {
    NotWritable,
    NotCContiguous,
    NotFContiguous,
    NotContiguous,
    NeedsSuboffsets,
    FormatWithoutShape,
}

impl GetBufError {
    /// The BufferError message C raises.
    pub fn message(self) -> cpython_sys::api::err::Msg {
        match self {
            GetBufError::NotWritable => {
                cpython_sys::cmsg!("memoryview: underlying buffer is not writable")
            }
            GetBufError::NotCContiguous => {
                cpython_sys::cmsg!("memoryview: underlying buffer is not C-contiguous")
            }
            GetBufError::NotFContiguous => {
                cpython_sys::cmsg!("memoryview: underlying buffer is not Fortran contiguous")
            }
            GetBufError::NotContiguous => {
                cpython_sys::cmsg!("memoryview: underlying buffer is not contiguous")
            }
            GetBufError::NeedsSuboffsets => {
                cpython_sys::cmsg!("memoryview: underlying buffer requires suboffsets")
            }
            GetBufError::FormatWithoutShape => {
                cpython_sys::cmsg!(
                    "memoryview: cannot cast to unsigned bytes if the format flag is present"
                )
            }
        }
    }
}

/// What `memory_getbuf` leaves out of the exported view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetBufPlan {
    /// `view->format = NULL`
    pub drop_format: bool,
    /// `view->strides = NULL`
    pub drop_strides: bool,
    /// `view->ndim = 1; view->shape = NULL`
    pub drop_shape: bool,
}

/// The request checks of `memory_getbuf`.
pub fn getbuf_plan(req: i32, baseflags: i32, readonly: bool) -> Result<GetBufPlan, GetBufError> {
    let has = |f: i32| req & f == f;
    if req & PYBUF_WRITABLE != 0 && readonly {
        return Err(GetBufError::NotWritable);
    }
    let drop_format = req & PYBUF_FORMAT == 0;
    // Each contiguity request is PYBUF_STRIDES and a bit of its own: with
    // none of those bits (the common requests) none is made, and the
    // three checks are skipped at once.
    let own_bits =
        (PYBUF_C_CONTIGUOUS | PYBUF_F_CONTIGUOUS | PYBUF_ANY_CONTIGUOUS) & !PYBUF_STRIDES;
    if req & own_bits != 0 {
        if has(PYBUF_C_CONTIGUOUS) && !mv_c_contiguous(baseflags) {
            return Err(GetBufError::NotCContiguous);
        }
        if has(PYBUF_F_CONTIGUOUS) && !mv_f_contiguous(baseflags) {
            return Err(GetBufError::NotFContiguous);
        }
        if has(PYBUF_ANY_CONTIGUOUS) && !mv_any_contiguous(baseflags) {
            return Err(GetBufError::NotContiguous);
        }
    }
    if !has(PYBUF_INDIRECT) && baseflags & MV_PIL != 0 {
        return Err(GetBufError::NeedsSuboffsets);
    }
    let drop_strides = !has(PYBUF_STRIDES);
    if drop_strides && !mv_c_contiguous(baseflags) {
        return Err(GetBufError::NotCContiguous);
    }
    let drop_shape = !has(PYBUF_ND);
    if drop_shape && !drop_format {
        return Err(GetBufError::FormatWithoutShape);
    }
    Ok(GetBufPlan {
        drop_format,
        drop_strides,
        drop_shape,
    })
}

/// Errors of `memoryview.cast()`, with C's exception type and message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastError {
    /// TypeError
    NotCContiguous,
    /// TypeError
    ZerosInShape,
    /// ValueError
    TooManyDims,
    /// TypeError
    Not1DtoND,
    /// ValueError
    BadDestFormat,
    /// TypeError
    TwoNonByteFormats,
    /// TypeError
    LenNotMultiple,
    /// ValueError
    ShapeNotPositive,
    /// ValueError
    ShapeOverflow,
    /// TypeError
    SizeMismatch,
}

impl CastError {
    /// Whether C raises ValueError (else TypeError).
    pub fn is_value_error(self) -> bool {
        matches!(
            self,
            CastError::TooManyDims
                | CastError::BadDestFormat
                | CastError::ShapeNotPositive
                | CastError::ShapeOverflow
        )
    }

    pub fn message(self) -> cpython_sys::api::err::Msg {
        match self {
            CastError::NotCContiguous => {
                cpython_sys::cmsg!("memoryview: casts are restricted to C-contiguous views")
            }
            CastError::ZerosInShape => {
                cpython_sys::cmsg!("memoryview: cannot cast view with zeros in shape or strides")
            }
            CastError::TooManyDims => {
                cpython_sys::cmsg!("memoryview: number of dimensions must not exceed 64")
            }
            CastError::Not1DtoND => {
                cpython_sys::cmsg!("memoryview: cast must be 1D -> ND or ND -> 1D")
            }
            CastError::BadDestFormat => {
                cpython_sys::cmsg!("memoryview: destination format must be a native single character format prefixed with an optional '@'")
            }
            CastError::TwoNonByteFormats => {
                cpython_sys::cmsg!("memoryview: cannot cast between two non-byte formats")
            }
            CastError::LenNotMultiple => {
                cpython_sys::cmsg!("memoryview: length is not a multiple of itemsize")
            }
            CastError::ShapeNotPositive => {
                cpython_sys::cmsg!("memoryview.cast(): elements of shape must be integers > 0")
            }
            CastError::ShapeOverflow => {
                cpython_sys::cmsg!("memoryview.cast(): product(shape) > SSIZE_MAX")
            }
            CastError::SizeMismatch => {
                cpython_sys::cmsg!("memoryview: product(shape) * itemsize != buffer size")
            }
        }
    }
}

/// The first checks of `memoryview_cast_impl` (before the shape argument
/// is looked at): `has_shape` says whether one was given.  `shape` gives
/// the view's shape; it is only asked for when the check needs it (a new
/// shape, or a view that is not 1-D), as in C.
pub fn cast_precheck<'a>(
    flags: i32,
    ndim: usize,
    has_shape: bool,
    shape: impl FnOnce() -> &'a [isize],
) -> Result<(), CastError> {
    if !mv_c_contiguous(flags) {
        return Err(CastError::NotCContiguous);
    }
    if (has_shape || ndim != 1) && zero_in_shape(shape()) {
        return Err(CastError::ZerosInShape);
    }
    Ok(())
}

/// The checks of the new number of dimensions `len(shape)`: returns it.
pub fn cast_ndim_check(self_ndim: usize, new_ndim: usize) -> Result<usize, CastError> {
    if new_ndim > PYBUF_MAX_NDIM {
        return Err(CastError::TooManyDims);
    }
    if self_ndim != 1 && new_ndim != 1 {
        return Err(CastError::Not1DtoND);
    }
    Ok(new_ndim)
}

/// `cast_to_1D` checks: the destination format (ASCII bytes of the
/// argument) against the source format and length.  Both formats are
/// given as C reads them, up to their first NUL (at most their first three
/// bytes are needed: a single character after an optional '@').  Returns
/// the new itemsize and the static format string.
#[inline]
pub fn cast_to_1d_check(
    srcfmt: &[u8],
    destfmt: &[u8],
    len: isize,
) -> Result<(isize, &'static CStr), CastError> {
    use crate::native::{adjust_fmt, is_byte_format, native_size_fmtstr, strip_at};
    let (at, dest) = strip_at(destfmt);
    let &[destchar] = dest else {
        return Err(CastError::BadDestFormat);
    };
    let Some((itemsize, fmt)) = native_size_fmtstr(destchar, at) else {
        return Err(CastError::BadDestFormat);
    };
    // A byte format is native: no size lookup for the source.
    if !is_byte_format(destchar) && !adjust_fmt(srcfmt).is_some_and(is_byte_format) {
        return Err(CastError::TwoNonByteFormats);
    }
    let itemsize = itemsize as isize;
    // itemsize > 0: a native size.
    if len.checked_rem(itemsize) != Some(0) {
        return Err(CastError::LenNotMultiple);
    }
    Ok((itemsize, fmt))
}

/// One step of `copy_shape`: `len` so far times the next dimension `x`.
pub fn copy_shape_step(len: isize, x: isize) -> Result<isize, CastError> {
    if x <= 0 {
        return Err(CastError::ShapeNotPositive);
    }
    match isize::MAX.checked_div(len) {
        Some(max) if x <= max => len.checked_mul(x).ok_or(CastError::ShapeOverflow),
        _ => Err(CastError::ShapeOverflow),
    }
}

/// `init_slice` on one dimension: the new `buf` offset (added to `buf`
/// when there are no suboffsets before `dim`), or the index of the
/// suboffset to adjust, then the new shape and stride.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceAdjust {
    /// `buf += delta`
    Buf(isize),
    /// `suboffsets[n] += delta`
    Suboffset(usize, isize),
}

/// `init_slice(base, key, dim)` after `PySlice_Unpack` and
/// `PySlice_AdjustIndices`.
pub fn init_slice(
    stride: isize,
    start: isize,
    step: isize,
    suboffsets: Option<&[isize]>,
    dim: usize,
) -> (SliceAdjust, isize) {
    let delta = stride.wrapping_mul(start);
    let adjust = match suboffsets {
        Some(sub) if dim > 0 => {
            match sub.get(..dim).and_then(|s| s.iter().rposition(|x| *x >= 0)) {
                Some(n) => SliceAdjust::Suboffset(n, delta),
                None => SliceAdjust::Buf(delta),
            }
        }
        _ => SliceAdjust::Buf(delta),
    };
    (adjust, stride.wrapping_mul(step))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::Rng;

    #[test]
    fn strides() {
        let mut s = [0isize; 3];
        init_strides_from_shape(&[2, 3, 4], 8, &mut s);
        assert_eq!(s, [96, 32, 8]);
        init_fortran_strides_from_shape(&[2, 3, 4], 8, &mut s);
        assert_eq!(s, [8, 16, 48]);
        assert_eq!(init_len(&[2, 3, 4], 8), 192);
        assert_eq!(init_len(&[], 8), 8);
    }

    #[test]
    fn flags() {
        assert_eq!(
            init_flags(8, 8, &[], &[], false),
            MV_SCALAR | MV_C | MV_FORTRAN
        );
        assert_eq!(init_flags(8, 1, &[8], &[1], false), MV_C | MV_FORTRAN);
        assert_eq!(init_flags(4, 1, &[4], &[2], false), 0);
        assert_eq!(init_flags(1, 1, &[1], &[7], false), MV_C | MV_FORTRAN);
        assert_eq!(init_flags(24, 4, &[2, 3], &[12, 4], false), MV_C);
        assert_eq!(init_flags(24, 4, &[2, 3], &[4, 8], false), MV_FORTRAN);
        assert_eq!(init_flags(0, 4, &[0, 3], &[4, 8], false), MV_C | MV_FORTRAN);
        assert_eq!(
            init_flags(12, 4, &[1, 3], &[99, 4], false),
            MV_C | MV_FORTRAN
        );
        assert_eq!(init_flags(24, 4, &[2, 3], &[12, 4], true), MV_PIL);
    }

    #[test]
    fn shapes_and_indices() {
        assert!(equiv_shape(&[1, 0, 5], &[1, 0, 7]));
        assert!(!equiv_shape(&[1, 2], &[1, 3]));
        assert!(!equiv_shape(&[1], &[1, 1]));
        assert_eq!(normalize_index(-1, 5), Some(4));
        assert_eq!(normalize_index(5, 5), None);
        assert_eq!(normalize_index(-6, 5), None);
        assert_eq!(normalize_index(isize::MIN, 5), None);
    }

    #[test]
    fn getbuf() {
        let c = MV_C | MV_FORTRAN;
        assert_eq!(
            getbuf_plan(PYBUF_SIMPLE, c, true),
            Ok(GetBufPlan {
                drop_format: true,
                drop_strides: true,
                drop_shape: true
            })
        );
        assert_eq!(
            getbuf_plan(PYBUF_WRITABLE, c, true),
            Err(GetBufError::NotWritable)
        );
        assert_eq!(
            getbuf_plan(PYBUF_FORMAT, c, false),
            Err(GetBufError::FormatWithoutShape)
        );
        assert_eq!(
            getbuf_plan(PYBUF_FULL_RO, MV_PIL, false),
            Ok(GetBufPlan {
                drop_format: false,
                drop_strides: false,
                drop_shape: false
            })
        );
        assert_eq!(
            getbuf_plan(PYBUF_STRIDES, MV_PIL, false),
            Err(GetBufError::NeedsSuboffsets)
        );
        assert_eq!(
            getbuf_plan(PYBUF_ND, 0, false),
            Err(GetBufError::NotCContiguous)
        );
        assert_eq!(
            getbuf_plan(PYBUF_F_CONTIGUOUS, MV_C, false),
            Err(GetBufError::NotFContiguous)
        );
        assert_eq!(
            getbuf_plan(PYBUF_ANY_CONTIGUOUS, 0, false),
            Err(GetBufError::NotContiguous)
        );
    }

    /// The contiguity checks, skipped when no request has its own bit,
    /// against the three checks made for every request (C's order), over
    /// every request flag combination and every base flag combination.
    #[test]
    fn getbuf_contiguity_skip_is_exact() {
        let has = |req: i32, f: i32| req & f == f;
        for req in 0..0x400 {
            for baseflags in 0..0x20 {
                let unskipped = if has(req, PYBUF_C_CONTIGUOUS) && !mv_c_contiguous(baseflags) {
                    Some(GetBufError::NotCContiguous)
                } else if has(req, PYBUF_F_CONTIGUOUS) && !mv_f_contiguous(baseflags) {
                    Some(GetBufError::NotFContiguous)
                } else if has(req, PYBUF_ANY_CONTIGUOUS) && !mv_any_contiguous(baseflags) {
                    Some(GetBufError::NotContiguous)
                } else {
                    None
                };
                let got = getbuf_plan(req, baseflags, false).err();
                match unskipped {
                    Some(e) => assert_eq!(got, Some(e), "{req:#x} {baseflags:#x}"),
                    None => assert!(
                        !matches!(
                            got,
                            Some(GetBufError::NotFContiguous | GetBufError::NotContiguous)
                        ),
                        "{req:#x} {baseflags:#x}"
                    ),
                }
            }
        }
    }

    #[test]
    fn casts() {
        assert_eq!(
            cast_precheck(0, 1, false, || &[4]),
            Err(CastError::NotCContiguous)
        );
        // A 1-D view without a new shape: the shape is not looked at.
        assert_eq!(
            cast_precheck(MV_C, 1, false, || panic!("shape read")),
            Ok(())
        );
        assert_eq!(
            cast_precheck(MV_C, 1, true, || &[0]),
            Err(CastError::ZerosInShape)
        );
        assert_eq!(
            cast_precheck(MV_C, 2, false, || &[2, 0]),
            Err(CastError::ZerosInShape)
        );
        assert_eq!(cast_precheck(MV_C, 2, false, || &[2, 3]), Ok(()));
        assert_eq!(cast_precheck(MV_C, 0, false, || &[]), Ok(()));
        assert_eq!(cast_ndim_check(2, 2), Err(CastError::Not1DtoND));
        assert_eq!(cast_ndim_check(1, 65), Err(CastError::TooManyDims));
        assert_eq!(cast_ndim_check(0, 0), Err(CastError::Not1DtoND));
        assert_eq!(cast_ndim_check(1, 0), Ok(0));
        assert_eq!(cast_to_1d_check(b"B", b"i", 8), Ok((4, c"i")));
        assert_eq!(cast_to_1d_check(b"B", b"@i", 8), Ok((4, c"@i")));
        assert_eq!(
            cast_to_1d_check(b"B", b"i", 7),
            Err(CastError::LenNotMultiple)
        );
        assert_eq!(
            cast_to_1d_check(b"i", b"l", 8),
            Err(CastError::TwoNonByteFormats)
        );
        assert_eq!(cast_to_1d_check(b"<i", b"B", 8), Ok((1, c"B")));
        assert_eq!(
            cast_to_1d_check(b"B", b"<i", 8),
            Err(CastError::BadDestFormat)
        );
        for bad in [&b""[..], b"@", b"@@i", b"ii", b"@ii", b"x"] {
            assert_eq!(
                cast_to_1d_check(b"B", bad, 8),
                Err(CastError::BadDestFormat)
            );
        }
        // A byte destination needs nothing of the source; a source format
        // that is not native is not a byte format.
        assert_eq!(cast_to_1d_check(b"<q", b"@c", 8), Ok((1, c"@c")));
        assert_eq!(
            cast_to_1d_check(b"bb", b"h", 8),
            Err(CastError::TwoNonByteFormats)
        );
        assert_eq!(cast_to_1d_check(b"@b", b"h", 8), Ok((2, c"h")));
        assert_eq!(copy_shape_step(8, 0), Err(CastError::ShapeNotPositive));
        assert_eq!(
            copy_shape_step(8, isize::MAX / 4),
            Err(CastError::ShapeOverflow)
        );
        assert_eq!(copy_shape_step(8, 3), Ok(24));
    }

    #[test]
    fn slices() {
        assert_eq!(init_slice(8, 2, -1, None, 0), (SliceAdjust::Buf(16), -8));
        assert_eq!(
            init_slice(8, 2, 1, Some(&[-1, 4]), 1),
            (SliceAdjust::Buf(16), 8)
        );
        assert_eq!(
            init_slice(8, 2, 1, Some(&[0, -1, 4]), 2),
            (SliceAdjust::Suboffset(0, 16), 8)
        );
    }

    /// Property: C and Fortran strides computed from a shape are always
    /// recognised as contiguous in their order, and `init_flags` agrees.
    #[test]
    fn prop_contiguity() {
        let mut rng = Rng::new(7);
        for _ in 0..2000 {
            let ndim = rng.below(5) as usize;
            let mut shape = [0isize; 4];
            for d in shape.iter_mut().take(ndim) {
                *d = rng.below(4) as isize;
            }
            let shape = &shape[..ndim];
            let itemsize = [1isize, 2, 4, 8][rng.below(4) as usize];
            let len = init_len(shape, itemsize);
            let mut cs = [0isize; 4];
            let mut fs = [0isize; 4];
            init_strides_from_shape(shape, itemsize, &mut cs[..ndim]);
            init_fortran_strides_from_shape(shape, itemsize, &mut fs[..ndim]);
            assert!(is_c_contiguous(len, itemsize, shape, &cs[..ndim]));
            assert!(is_f_contiguous(len, itemsize, shape, &fs[..ndim]));
            assert!(mv_c_contiguous(init_flags(
                len,
                itemsize,
                shape,
                &cs[..ndim],
                false
            )));
            assert!(mv_f_contiguous(init_flags(
                len,
                itemsize,
                shape,
                &fs[..ndim],
                false
            )));
            // Effectively 1-D shapes are both.
            let big = shape.iter().filter(|d| **d > 1).count();
            if big <= 1 {
                assert!(is_f_contiguous(len, itemsize, shape, &cs[..ndim]));
            }
        }
    }
}
