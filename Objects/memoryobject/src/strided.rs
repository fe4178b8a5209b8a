//! Walking and copying strided (and PIL-style indirect) N-d buffers: the
//! "Copy memoryview buffers" section of the C file, as pure Rust.
//!
//! No libpython: the caller provides all memory (including the scratch
//! area an overlapping copy needs).  Items move through the raw type of a
//! native format of the item size (see [`with_itemsize!`]), one
//! monomorphised loop per size; other sizes move byte-wise per item.

use crate::native::Native;
use core::{ptr, slice};

/// A buffer with full (`PyBUF_FULL`) information over borrowed arrays.
///
/// # Invariants
/// `shape` and `strides` have the same length (ndim); `suboffsets` is
/// `None` or has that length too.  Functions that dereference `buf` are
/// `unsafe` and state what they need of the memory.
#[derive(Clone, Copy, Debug)]
pub struct Strided<'a> {
    pub buf: *mut u8,
    pub itemsize: isize,
    pub shape: &'a [isize],
    pub strides: &'a [isize],
    pub suboffsets: Option<&'a [isize]>,
}

impl<'a> Strided<'a> {
    #[inline]
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// `HAVE_SUBOFFSETS_IN_LAST_DIM(view)`.
    #[inline]
    fn suboffsets_in_last_dim(&self) -> bool {
        matches!(self.suboffsets.and_then(|s| s.last()), Some(x) if *x >= 0)
    }

    /// Whether the first dimension has a suboffset to follow.
    #[inline]
    fn suboffsets_in_dim0(&self) -> bool {
        matches!(self.suboffsets.and_then(|s| s.first()), Some(x) if *x >= 0)
    }

    /// The same buffer without its first dimension, at `buf`.
    #[inline]
    fn inner(&self, buf: *mut u8) -> Strided<'a> {
        Strided {
            buf,
            itemsize: self.itemsize,
            shape: self.shape.get(1..).unwrap_or(&[]),
            strides: self.strides.get(1..).unwrap_or(&[]),
            suboffsets: self.suboffsets.map(|s| s.get(1..).unwrap_or(&[])),
        }
    }

    /// `ADJUST_PTR(ptr, suboffsets, 0)` for this buffer's first dimension.
    ///
    /// # Safety
    /// With a non-negative first suboffset, `p` points to a readable
    /// pointer.
    #[inline(always)]
    pub unsafe fn adjust(&self, p: *mut u8) -> *mut u8 {
        // SAFETY: caller's contract.
        unsafe { adjust_ptr(p, self.suboffsets, 0) }
    }
}

/// `ADJUST_PTR(ptr, suboffsets, dim)`.
///
/// # Safety
/// With `suboffsets[dim] >= 0`, `p` points to a readable pointer.
#[inline(always)]
pub unsafe fn adjust_ptr(p: *mut u8, suboffsets: Option<&[isize]>, dim: usize) -> *mut u8 {
    match suboffsets.and_then(|s| s.get(dim)) {
        Some(&off) if off >= 0 => {
            // SAFETY: caller's contract (PIL-style indirection).
            unsafe { ptr::read_unaligned(p as *const *mut u8) }.wrapping_offset(off)
        }
        _ => p,
    }
}

/// The length in bytes of a C-contiguous buffer without suboffsets (its
/// items are then the bytes `buf[..len]` in C order); `None` otherwise.
pub fn c_contiguous_len(s: &Strided<'_>) -> Option<usize> {
    if s.suboffsets.is_some() {
        return None;
    }
    let len = crate::layout::init_len(s.shape, s.itemsize);
    if crate::layout::is_c_contiguous(len, s.itemsize, s.shape, s.strides) {
        usize::try_from(len).ok()
    } else {
        None
    }
}

/// Whether two C-contiguous buffers of the same length hold the same
/// bytes; `None` when either is not contiguous or the lengths differ.
///
/// # Safety
/// Each buffer is readable for all its items.
pub unsafe fn contiguous_bytes_eq(p: &Strided<'_>, q: &Strided<'_>) -> Option<bool> {
    let n = c_contiguous_len(p)?;
    if c_contiguous_len(q)? != n {
        return None;
    }
    if n == 0 {
        return Some(true);
    }
    // SAFETY: C-contiguous buffers of `n` > 0 bytes start at `buf`, which
    // is then non-null and readable for `n` bytes (caller's contract).
    let (a, b) = unsafe {
        (
            slice::from_raw_parts(p.buf, n),
            slice::from_raw_parts(q.buf, n),
        )
    };
    Some(a == b)
}

/// `last_dim_is_contiguous(dest, src)` (ndim >= 1).
pub fn last_dim_is_contiguous(dest: &Strided<'_>, src: &Strided<'_>) -> bool {
    !dest.suboffsets_in_last_dim()
        && !src.suboffsets_in_last_dim()
        && dest.strides.last() == Some(&dest.itemsize)
        && src.strides.last() == Some(&src.itemsize)
}

/// The byte range `[lo, hi)` a buffer without suboffsets can touch, or
/// `None` when it has suboffsets or the arithmetic overflows.
fn extent(v: &Strided<'_>) -> Option<(usize, usize)> {
    if v.suboffsets.is_some() {
        return None;
    }
    let base = v.buf as usize as i128;
    let (mut lo, mut hi) = (base, base.checked_add(v.itemsize as i128)?);
    for (n, s) in v.shape.iter().zip(v.strides) {
        if *n <= 0 {
            return Some((0, 0));
        }
        let span = (*n as i128).checked_sub(1)?.checked_mul(*s as i128)?;
        if span < 0 {
            lo = lo.checked_add(span)?;
        } else {
            hi = hi.checked_add(span)?;
        }
    }
    Some((usize::try_from(lo).ok()?, usize::try_from(hi).ok()?))
}

/// Whether copying `src` to `dest` item by item could read an item that
/// was already overwritten (then the copy goes through scratch memory).
pub fn may_overlap(dest: &Strided<'_>, src: &Strided<'_>) -> bool {
    match (extent(dest), extent(src)) {
        (Some((dl, dh)), Some((sl, sh))) => dl < sh && sl < dh,
        _ => true,
    }
}

/// Moves one item.
trait Mover {
    /// # Safety
    /// `s` readable and `d` writable for `n` bytes.
    unsafe fn mov(d: *mut u8, s: *const u8, n: usize);

    /// Moves `count` items of `n` bytes, `stride` apart from `s`, to
    /// consecutive places from `d`.
    ///
    /// # Safety
    /// Every source item readable, `d` writable for `count * n` bytes, no
    /// overlap.
    #[inline(always)]
    unsafe fn gather(d: *mut u8, s: *const u8, count: usize, stride: isize, n: usize) {
        let (mut d, mut s) = (d, s);
        for _ in 0..count {
            // SAFETY: caller's contract.
            unsafe { Self::mov(d, s, n) };
            d = d.wrapping_add(n);
            s = s.wrapping_offset(stride);
        }
    }
}

/// Items of a native size: one typed load and store.
struct Typed<T>(core::marker::PhantomData<T>);
impl<T: Native> Mover for Typed<T> {
    #[inline(always)]
    unsafe fn mov(d: *mut u8, s: *const u8, _n: usize) {
        // SAFETY: caller's contract; n == T::SIZE by dispatch.
        unsafe { T::store(d, T::load(s)) }
    }

    #[inline(always)]
    unsafe fn gather(d: *mut u8, s: *const u8, count: usize, stride: isize, _n: usize) {
        let (mut d, mut s, mut count) = (d, s, count);
        if T::SIZE == 1 && stride == 2 {
            // Every other byte (`m[::2]`): sixteen at a time.
            // SAFETY: caller's contract.
            let done = unsafe { gather_every_other_byte(d, s, count) };
            // done <= count (gather_every_other_byte's contract).
            d = d.wrapping_add(done);
            s = s.wrapping_add(done.wrapping_mul(2));
            count = count.wrapping_sub(done);
        }
        for _ in 0..count {
            // SAFETY: caller's contract.
            unsafe { T::store(d, T::load(s)) };
            d = d.wrapping_add(T::SIZE);
            s = s.wrapping_offset(stride);
        }
    }
}

/// Gathers the bytes at `s`, `s + 2`, `s + 4`, ... to `d` in blocks of
/// thirty-two (AVX2, where the CPU has it) or sixteen (SSE2); returns how
/// many bytes it moved (the rest is for the caller's loop).  With more
/// than sixteen items every one is moved: the last block is read from one
/// byte before its first item, which keeps every read between the first
/// and the last item.
///
/// # Safety
/// The `count` bytes `s + 2k` are readable (the items of one buffer, so
/// the bytes between them lie in the same exporter's memory) and `d` is
/// writable for `count` bytes, not overlapping them.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn gather_every_other_byte(d: *mut u8, s: *const u8, count: usize) -> usize {
    // SAFETY: forwarded; the AVX2 blocks only where the CPU has AVX2.
    unsafe { gather_every_other_byte_with(d, s, count, has_avx2()) }
}

/// Whether the CPU and the OS support AVX2 (CPUID leaf 7 and the YMM
/// state enabled in XCR0), detected once.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn has_avx2() -> bool {
    use core::sync::atomic::{AtomicU8, Ordering::Relaxed};
    /// 0: not yet detected, 1: no, 2: yes.
    static STATE: AtomicU8 = AtomicU8::new(0);
    match STATE.load(Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let yes = detect_avx2();
            STATE.store(if yes { 2 } else { 1 }, Relaxed);
            yes
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[cold]
fn detect_avx2() -> bool {
    use core::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv};
    // CPUID is part of x86_64 (always present).  Rust before 1.87 declares
    // the intrinsics unsafe; later releases safe, hence the allow.
    #[allow(unused_unsafe)]
    // SAFETY: CPUID exists on every x86_64 processor; leaves 0 and 1
    // always answer.
    let (max_leaf, ecx) = unsafe { (__cpuid(0).eax, __cpuid(1).ecx) };
    if max_leaf < 7 {
        return false;
    }
    // OSXSAVE (the OS saves extended state, XGETBV works) and AVX.
    if ecx & (1 << 27) == 0 || ecx & (1 << 28) == 0 {
        return false;
    }
    // SAFETY: XGETBV is enabled (OSXSAVE, checked above).
    let xcr0 = unsafe { _xgetbv(0) };
    // The OS saves the XMM and YMM registers.
    if xcr0 & 0b110 != 0b110 {
        return false;
    }
    #[allow(unused_unsafe)]
    // SAFETY: leaf 7 exists (max_leaf checked above).
    let ebx = unsafe { __cpuid_count(7, 0).ebx };
    ebx & (1 << 5) != 0
}

/// Thirty-two bytes from s + 2i .. s + 2i + 64 (exclusive) to slots
/// i .. i + 32 of `d`, while items i + 32 exist; returns the first item
/// not moved.
///
/// # Safety
/// As [`gather_every_other_byte`], and the CPU supports AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn gather_every_other_byte_avx2(d: *mut u8, s: *const u8, count: usize) -> usize {
    use core::arch::x86_64::*;
    // An unsafe call before Rust 1.87 (the rust-version, 1.85, needs the
    // block), a safe one in an avx2 function since.
    #[allow(unused_unsafe)]
    // SAFETY: the caller guarantees AVX2 (this function's contract).
    let mask = unsafe { _mm256_set1_epi16(0x00ff) };
    let mut i: usize = 0;
    while i.wrapping_add(32) < count {
        // SAFETY: the 64 bytes read lie between item i and item i + 32,
        // which exists; the 32 written are slots i .. i + 32 of `d`;
        // unaligned loads and stores.
        unsafe {
            let p = s.add(i.wrapping_mul(2)) as *const __m256i;
            let a = _mm256_and_si256(_mm256_loadu_si256(p), mask);
            let b = _mm256_and_si256(_mm256_loadu_si256(p.add(1)), mask);
            // packus works per 128-bit lane: a0 b0 a1 b1 in 8-byte units;
            // the permutation puts them in order: a0 a1 b0 b1.
            let packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0b11_01_10_00);
            _mm256_storeu_si256(d.add(i) as *mut __m256i, packed);
        }
        i = i.wrapping_add(32);
    }
    i
}

/// [`gather_every_other_byte`] with the AVX2 blocks or without them.
///
/// # Safety
/// As [`gather_every_other_byte`]; `avx2` only when [`has_avx2`].
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn gather_every_other_byte_with(
    d: *mut u8,
    s: *const u8,
    count: usize,
    avx2: bool,
) -> usize {
    use core::arch::x86_64::*;
    if count <= 16 {
        return 0;
    }
    let mut i: usize = 0;
    if avx2 {
        // SAFETY: caller's contract, AVX2 present.
        i = unsafe { gather_every_other_byte_avx2(d, s, count) };
    }
    // For the blocks below: SSE2 is part of the x86_64 baseline; loads
    // and stores are unaligned.  A block at item i reads
    // s + 2i .. s + 2i + 32 (exclusive), up to the byte before item
    // i + 16, which must exist; it writes slots i .. i + 16 of `d`.
    // SAFETY: SSE2 (x86_64 baseline), no memory access.
    let mask = unsafe { _mm_set1_epi16(0x00ff) };
    /// Sixteen bytes from s + 2i to slots i .. i + 16 of `d`.
    ///
    /// # Safety
    /// Items i .. i + 16 of the gather exist (see above).
    #[inline(always)]
    unsafe fn block(d: *mut u8, s: *const u8, i: usize, mask: __m128i) {
        // SAFETY: caller's contract; see above.
        unsafe {
            let p = s.add(i.wrapping_mul(2)) as *const __m128i;
            let a = _mm_and_si128(_mm_loadu_si128(p), mask);
            let b = _mm_and_si128(_mm_loadu_si128(p.add(1)), mask);
            _mm_storeu_si128(d.add(i) as *mut __m128i, _mm_packus_epi16(a, b));
        }
    }
    // Four blocks while items i + 64 exist, then single blocks.
    while i.wrapping_add(64) < count {
        // SAFETY: item i + 64 exists.
        unsafe {
            block(d, s, i, mask);
            block(d, s, i.wrapping_add(16), mask);
            block(d, s, i.wrapping_add(32), mask);
            block(d, s, i.wrapping_add(48), mask);
        }
        i = i.wrapping_add(64);
    }
    while i.wrapping_add(16) < count {
        // SAFETY: item i + 16 exists.
        unsafe { block(d, s, i, mask) };
        i = i.wrapping_add(16);
    }
    // The last sixteen items (count > 16, so k >= 1): read one byte early,
    // from s + 2k - 1 up to the last item s + 2(count - 1) inclusive, and
    // take the high byte of each 16-bit lane.  Slots already written get
    // the same bytes again.
    let k = count.wrapping_sub(16);
    // SAFETY: the 32 bytes read lie between item k - 1 and the last item
    // (k >= 1); slots k .. count of `d` are written.
    unsafe {
        let p = s.add(k.wrapping_mul(2).wrapping_sub(1)) as *const __m128i;
        let a = _mm_srli_epi16(_mm_loadu_si128(p), 8);
        let b = _mm_srli_epi16(_mm_loadu_si128(p.add(1)), 8);
        _mm_storeu_si128(d.add(k) as *mut __m128i, _mm_packus_epi16(a, b));
    }
    count
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
unsafe fn gather_every_other_byte(_d: *mut u8, _s: *const u8, _count: usize) -> usize {
    0
}

/// Items of any other size.
struct Bytes;
impl Mover for Bytes {
    #[inline(always)]
    unsafe fn mov(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: caller's contract (memmove: d == s is fine).
        unsafe { ptr::copy(s, d, n) }
    }
}

/// `copy_rec` without the scratch area: every item of `src` to the same
/// position of `dest`, rows of a contiguous last dimension at once.
///
/// # Safety
/// Both buffers are valid for all their items (reads of `src`, writes of
/// `dest`, pointer reads for suboffsets); they do not overlap except in a
/// contiguous last dimension (which moves with memmove).
unsafe fn copy_rec<M: Mover>(dest: &Strided<'_>, src: &Strided<'_>, last_contig: bool) {
    let (Some(&n), Some(&ds), Some(&ss)) = (
        dest.shape.first(),
        dest.strides.first(),
        src.strides.first(),
    ) else {
        return;
    };
    let isz = dest.itemsize as usize;
    let (mut dp, mut sp) = (dest.buf, src.buf);
    if dest.ndim() == 1 {
        if last_contig {
            if n > 0 {
                // SAFETY: caller's contract: n items of itemsize bytes.
                unsafe { ptr::copy(sp, dp, (n as usize).wrapping_mul(isz)) };
            }
            return;
        }
        if !dest.suboffsets_in_dim0() && !src.suboffsets_in_dim0() {
            if ds == dest.itemsize {
                // A gather into contiguous memory (tobytes, hash, hex).
                // SAFETY: caller's contract.
                unsafe { M::gather(dp, sp, n as usize, ss, isz) };
                return;
            }
            // No indirection: the plain gather/scatter loop.
            for _ in 0..n {
                // SAFETY: caller's contract.
                unsafe { M::mov(dp, sp, isz) };
                dp = dp.wrapping_offset(ds);
                sp = sp.wrapping_offset(ss);
            }
            return;
        }
        for _ in 0..n {
            // SAFETY: caller's contract.
            unsafe { M::mov(dest.adjust(dp), src.adjust(sp), isz) };
            dp = dp.wrapping_offset(ds);
            sp = sp.wrapping_offset(ss);
        }
        return;
    }
    for _ in 0..n {
        // SAFETY: caller's contract.
        unsafe {
            copy_rec::<M>(
                &dest.inner(dest.adjust(dp)),
                &src.inner(src.adjust(sp)),
                last_contig,
            );
        }
        dp = dp.wrapping_offset(ds);
        sp = sp.wrapping_offset(ss);
    }
}

/// Copies `src` to `dest` (same ndim >= 1, shape and itemsize), without
/// scratch memory.
///
/// # Safety
/// As `copy_rec`: valid memory, and no overlap outside of a contiguous
/// last dimension (check [`may_overlap`] first).
pub unsafe fn copy_direct(dest: &Strided<'_>, src: &Strided<'_>) {
    if dest.ndim() == 0 {
        // A scalar: the one item.
        // SAFETY: caller's contract.
        unsafe { ptr::copy(src.buf, dest.buf, dest.itemsize.max(0) as usize) };
        return;
    }
    let last_contig = last_dim_is_contiguous(dest, src);
    if let ([n], true) = (dest.shape, last_contig) {
        // One contiguous row: one memmove, without the walk's set-up.
        let len = (*n).max(0).wrapping_mul(dest.itemsize.max(0)) as usize;
        // SAFETY: caller's contract: n items of itemsize bytes each side.
        unsafe { ptr::copy(src.buf, dest.buf, len) };
        return;
    }
    // SAFETY: forwarded.
    unsafe {
        with_itemsize!(dest.itemsize, T => copy_rec::<Typed<T>>(dest, src, last_contig),
                       _ => copy_rec::<Bytes>(dest, src, last_contig))
    }
}

/// `copy_base` with scratch memory: gathers the 1-D `src` into `mem`,
/// then scatters it to `dest`, so overlapping buffers copy correctly.
///
/// # Safety
/// As [`copy_direct`] but overlap is allowed; `mem` is writable for
/// `shape[0] * itemsize` bytes and does not overlap either buffer.
// C: copy_base
pub unsafe fn copy_via(dest: &Strided<'_>, src: &Strided<'_>, mem: *mut u8) {
    let n = dest.shape.first().copied().unwrap_or(0);
    let m = Strided {
        buf: mem,
        itemsize: dest.itemsize,
        shape: dest.shape,
        strides: core::slice::from_ref(&dest.itemsize),
        suboffsets: None,
    };
    if n <= 0 {
        return;
    }
    // SAFETY: `m` is fresh memory: no overlap with either buffer.
    unsafe {
        copy_direct(&m, src);
        copy_direct(dest, &m);
    }
}

/// The strides of a contiguous buffer of `src`'s shape in `order`
/// (`b'C'`/`b'A'`: C order, else Fortran), as `buffer_to_contiguous`
/// sets up its destination.
pub fn contiguous_strides(src: &Strided<'_>, order: u8, out: &mut [isize]) {
    let n = src.ndim().min(out.len());
    let out = out.get_mut(..n).unwrap_or_default();
    if order == b'C' || order == b'A' {
        crate::layout::init_strides_from_shape(src.shape, src.itemsize, out);
    } else {
        crate::layout::init_fortran_strides_from_shape(src.shape, src.itemsize, out);
    }
}

/// `buffer_to_contiguous(mem, src, order)`: gathers `src` (ndim >= 1)
/// directly into `mem` in C or Fortran order.
///
/// # Safety
/// `src` is valid for reads of all its items; `mem` is writable for
/// product(shape) * itemsize bytes and does not overlap `src`.
pub unsafe fn to_contiguous(mem: *mut u8, src: &Strided<'_>, order: u8) {
    if let ([n], [stride], None) = (src.shape, src.strides, src.suboffsets) {
        // One dimension (C and Fortran order coincide): a gather straight
        // into `mem`, without the general walk's set-up.
        let (n, isz) = ((*n).max(0) as usize, src.itemsize.max(0) as usize);
        // SAFETY: caller's contract: n items of isz bytes, `stride` apart,
        // readable; `mem` writable for n * isz bytes, no overlap.
        unsafe {
            if *stride == src.itemsize {
                ptr::copy_nonoverlapping(src.buf, mem, n.wrapping_mul(isz));
            } else {
                with_itemsize!(src.itemsize,
                               T => Typed::<T>::gather(mem, src.buf, n, *stride, isz),
                               _ => Bytes::gather(mem, src.buf, n, *stride, isz))
            }
        };
        return;
    }
    // One dimension (the common case) does without zeroing room for 64.
    let (mut one, mut all);
    let strides: &mut [isize] = if src.ndim() <= 1 {
        one = [0isize; 1];
        &mut one
    } else {
        all = [0isize; crate::layout::PYBUF_MAX_NDIM];
        &mut all
    };
    contiguous_strides(src, order, strides);
    let dest = Strided {
        buf: mem,
        itemsize: src.itemsize,
        shape: src.shape,
        strides: strides.get(..src.ndim()).unwrap_or(&[]),
        suboffsets: None,
    };
    // SAFETY: forwarded; fresh destination.
    unsafe { copy_direct(&dest, src) }
}

/// Calls `f(p, q)` for the items of two buffers of the same shape, in C
/// order, and stops at the first `Some` result (the recursive walk of
/// `cmp_rec`/`cmp_base`).
///
/// # Safety
/// Pointer reads for suboffsets must be valid in both buffers; `f`
/// receives the item addresses.
pub unsafe fn zip_items<R>(
    p: &Strided<'_>,
    q: &Strided<'_>,
    f: &mut impl FnMut(*mut u8, *mut u8) -> Option<R>,
) -> Option<R> {
    let (Some(&n), Some(&ps), Some(&qs)) = (p.shape.first(), p.strides.first(), q.strides.first())
    else {
        return None;
    };
    let (mut pp, mut qp) = (p.buf, q.buf);
    for _ in 0..n {
        // SAFETY: caller's contract.
        let (xp, xq) = unsafe { (p.adjust(pp), q.adjust(qp)) };
        let r = if p.ndim() == 1 {
            f(xp, xq)
        } else {
            // SAFETY: forwarded.
            unsafe { zip_items(&p.inner(xp), &q.inner(xq), f) }
        };
        if r.is_some() {
            return r;
        }
        pp = pp.wrapping_offset(ps);
        qp = qp.wrapping_offset(qs);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::init_strides_from_shape;
    use crate::testrng::Rng;

    fn view<'a>(
        buf: &mut [u8],
        off: isize,
        itemsize: isize,
        shape: &'a [isize],
        strides: &'a [isize],
    ) -> Strided<'a> {
        Strided {
            buf: buf.as_mut_ptr().wrapping_offset(off),
            itemsize,
            shape,
            strides,
            suboffsets: None,
        }
    }

    /// Reference: the byte offsets of the items, in C order.
    fn offsets(shape: &[isize], strides: &[isize], base: isize, out: &mut Vec<isize>) {
        match shape.split_first() {
            None => out.push(base),
            Some((&n, rest)) => {
                for i in 0..n {
                    offsets(rest, &strides[1..], base + i * strides[0], out);
                }
            }
        }
    }

    /// The every-other-byte paths this CPU can run: SSE2 always, AVX2
    /// when present.
    #[cfg(target_arch = "x86_64")]
    fn gather_paths() -> Vec<bool> {
        if has_avx2() {
            vec![false, true]
        } else {
            vec![false]
        }
    }

    /// `count` bytes from `s`, `s + 2`, ... through one path of
    /// `gather_every_other_byte_with` (and the byte loop for the rest).
    #[cfg(target_arch = "x86_64")]
    fn gather_with(s: *const u8, count: usize, avx2: bool) -> Vec<u8> {
        let mut out = vec![0u8; count];
        // SAFETY: the callers' items are readable; `out` has count bytes.
        unsafe {
            let done = gather_every_other_byte_with(out.as_mut_ptr(), s, count, avx2);
            assert!(done == 0 || done == count);
            for (k, o) in out.iter_mut().enumerate().skip(done) {
                *o = *s.add(2 * k);
            }
        }
        out
    }

    /// Every-other-byte gathers whose first item starts a page and whose
    /// last item ends one, with inaccessible pages around: a read outside
    /// the items faults.
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    #[test]
    fn gather_every_other_byte_reads_only_between_the_items() {
        use core::ffi::{c_int, c_long, c_void};
        extern "C" {
            fn mmap(
                a: *mut c_void,
                n: usize,
                p: c_int,
                f: c_int,
                fd: c_int,
                o: c_long,
            ) -> *mut c_void;
            fn mprotect(a: *mut c_void, n: usize, p: c_int) -> c_int;
            fn munmap(a: *mut c_void, n: usize) -> c_int;
        }
        const PAGE: usize = 4096;
        const PROT_NONE: c_int = 0;
        const PROT_RW: c_int = 3;
        const MAP_PRIVATE_ANON: c_int = 0x02 | 0x20;
        // SAFETY: an anonymous private mapping of three pages; the outer
        // two are made inaccessible, the middle one is used in bounds.
        unsafe {
            let base = mmap(
                core::ptr::null_mut(),
                3 * PAGE,
                PROT_RW,
                MAP_PRIVATE_ANON,
                -1,
                0,
            );
            assert!(!base.is_null() && base as isize != -1);
            let base = base as *mut u8;
            assert_eq!(mprotect(base as *mut c_void, PAGE, PROT_NONE), 0);
            assert_eq!(
                mprotect(base.add(2 * PAGE) as *mut c_void, PAGE, PROT_NONE),
                0
            );
            let page = core::slice::from_raw_parts_mut(base.add(PAGE), PAGE);
            for (i, b) in page.iter_mut().enumerate() {
                *b = (i * 7 + 1) as u8;
            }
            for n in (1..200usize).chain([2047, 2048]) {
                let span = 2 * (n - 1) + 1;
                for off in [0, PAGE - span] {
                    let shape = [n as isize];
                    let strides = [2isize];
                    let v = view(page, off as isize, 1, &shape, &strides);
                    let mut out = vec![0u8; n];
                    to_contiguous(out.as_mut_ptr(), &v, b'C');
                    let want: Vec<u8> = (0..n).map(|k| page[off + 2 * k]).collect();
                    assert_eq!(out, want, "n={n} off={off}");
                    for avx2 in gather_paths() {
                        let got = gather_with(page.as_ptr().add(off), n, avx2);
                        assert_eq!(got, want, "n={n} off={off} avx2={avx2}");
                    }
                }
            }
            assert_eq!(munmap(base as *mut c_void, 3 * PAGE), 0);
        }
    }

    #[test]
    fn gather_every_other_byte_all_lengths() {
        // Lengths around the 16-byte blocks, forward and from the end of
        // the source (the blocks must not read past the last item).
        let src: Vec<u8> = (0..=255u8).cycle().take(200).collect();
        for n in 0..100usize {
            for (start, stride) in [(0isize, 2isize), (1, 2), (199, -2)] {
                if start + (n as isize - 1).max(0) * stride < 0 {
                    continue;
                }
                let mut buf = src.clone();
                let shape = [n as isize];
                let strides = [stride];
                let v = view(&mut buf, start, 1, &shape, &strides);
                let mut out = vec![0u8; n];
                // SAFETY: `v` lies in `buf`; `out` has n bytes.
                unsafe { to_contiguous(out.as_mut_ptr(), &v, b'C') };
                let want: Vec<u8> = (0..n)
                    .map(|k| src[(start + k as isize * stride) as usize])
                    .collect();
                assert_eq!(out, want, "n={n} start={start} stride={stride}");
                #[cfg(target_arch = "x86_64")]
                if stride == 2 {
                    for avx2 in gather_paths() {
                        let got = gather_with(src[start as usize..].as_ptr(), n, avx2);
                        assert_eq!(got, want, "n={n} start={start} avx2={avx2}");
                    }
                }
            }
        }
    }

    #[test]
    fn to_contiguous_fortran() {
        // 2x3 C-contiguous bytes 0..6 -> Fortran order.
        let mut src: Vec<u8> = (0..6).collect();
        let shape = [2isize, 3];
        let strides = [3isize, 1];
        let v = view(&mut src, 0, 1, &shape, &strides);
        let mut out = [0u8; 6];
        // SAFETY: `out` has room for the 6 items `v` describes in `src`.
        unsafe { to_contiguous(out.as_mut_ptr(), &v, b'F') };
        assert_eq!(out, [0, 3, 1, 4, 2, 5]);
        // SAFETY: as above.
        unsafe { to_contiguous(out.as_mut_ptr(), &v, b'C') };
        assert_eq!(out, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn suboffsets() {
        // Two rows reached through pointers (PIL style).
        let mut row0 = [1u8, 2, 3];
        let mut row1 = [4u8, 5, 6];
        let mut ptrs = [row0.as_mut_ptr(), row1.as_mut_ptr()];
        let shape = [2isize, 3];
        let strides = [core::mem::size_of::<*mut u8>() as isize, 1];
        let sub = [0isize, -1];
        let v = Strided {
            buf: ptrs.as_mut_ptr() as *mut u8,
            itemsize: 1,
            shape: &shape,
            strides: &strides,
            suboffsets: Some(&sub),
        };
        let mut out = [0u8; 6];
        // SAFETY: `out` has room for the 6 items; `v`'s buffer is `ptrs`,
        // whose pointers point to the rows `row0` and `row1`.
        unsafe { to_contiguous(out.as_mut_ptr(), &v, b'C') };
        assert_eq!(out, [1, 2, 3, 4, 5, 6]);
        assert!(may_overlap(&v, &v));
    }

    #[test]
    fn overlap_detection() {
        let mut b = [0u8; 32];
        let shape = [4isize];
        let s2 = [2isize];
        let a = view(&mut b, 0, 1, &shape, &s2);
        let c = view(&mut b, 16, 1, &shape, &s2);
        assert!(!may_overlap(&a, &c));
        let d = view(&mut b, 1, 1, &shape, &s2);
        assert!(may_overlap(&a, &d));
        let neg = [-2isize];
        let e = view(&mut b, 22, 1, &shape, &neg);
        assert!(may_overlap(&c, &e));
    }

    /// Property: every copy (direct when disjoint, through scratch when
    /// overlapping) gives the same result as a reference copy that reads
    /// all source items before writing.
    #[test]
    fn prop_copies() {
        let mut rng = Rng::new(42);
        for round in 0..3000 {
            let itemsize = [1isize, 2, 3, 4, 8][rng.below(5) as usize];
            let n = rng.below(6) as isize;
            let dstride = (rng.below(5) as isize - 2) * itemsize;
            let sstride = (rng.below(5) as isize - 2) * itemsize;
            let dstride = if dstride == 0 { itemsize } else { dstride };
            let sstride = if sstride == 0 { itemsize } else { sstride };
            let size = 256usize;
            let mut mem: Vec<u8> = (0..size).map(|_| rng.below(256) as u8).collect();
            let doff = 96 + rng.below(32) as isize;
            let soff = 96 + rng.below(32) as isize;
            let shape = [n];
            let ds = [dstride];
            let ss = [sstride];
            // Reference.
            let mut expect = mem.clone();
            let mut so = Vec::new();
            let mut dof = Vec::new();
            offsets(&shape, &ss, soff, &mut so);
            offsets(&shape, &ds, doff, &mut dof);
            let items: Vec<Vec<u8>> = so
                .iter()
                .map(|o| mem[*o as usize..(*o + itemsize) as usize].to_vec())
                .collect();
            for (o, it) in dof.iter().zip(&items) {
                expect[*o as usize..(*o + itemsize) as usize].copy_from_slice(it);
            }
            let base = mem.as_mut_ptr();
            let d = Strided {
                buf: base.wrapping_offset(doff),
                itemsize,
                shape: &shape,
                strides: &ds,
                suboffsets: None,
            };
            let s = Strided {
                buf: base.wrapping_offset(soff),
                itemsize,
                shape: &shape,
                strides: &ss,
                suboffsets: None,
            };
            let mut scratch = vec![0u8; (n * itemsize) as usize + 1];
            // SAFETY: both describe at most 5 items of at most 8 bytes, at
            // most 2 items apart, from offsets 96..128: inside the 256
            // bytes of `mem`; `scratch` has room for the `n` items.
            unsafe {
                if last_dim_is_contiguous(&d, &s) || !may_overlap(&d, &s) {
                    copy_direct(&d, &s);
                } else {
                    copy_via(&d, &s, scratch.as_mut_ptr());
                }
            }
            assert_eq!(mem, expect, "round {round}");
        }
    }

    /// Property: gathering an N-d strided view into C order matches the
    /// reference item order.
    #[test]
    fn prop_gather() {
        let mut rng = Rng::new(3);
        for _ in 0..1000 {
            let ndim = 1 + rng.below(3) as usize;
            let itemsize = [1isize, 2, 4, 8, 5][rng.below(5) as usize];
            let mut shape = vec![0isize; ndim];
            for d in shape.iter_mut() {
                *d = rng.below(4) as isize;
            }
            // A C-contiguous parent twice as large in every dimension,
            // viewed with every other element (optionally reversed).
            let pshape: Vec<isize> = shape.iter().map(|d| d * 2 + 1).collect();
            let mut pstrides = vec![0isize; ndim];
            init_strides_from_shape(&pshape, itemsize, &mut pstrides);
            let total = crate::layout::init_len(&pshape, itemsize) as usize;
            let mut mem: Vec<u8> = (0..total).map(|i| (i * 7 % 251) as u8).collect();
            let mut strides = vec![0isize; ndim];
            let mut off = 0isize;
            for i in 0..ndim {
                if rng.below(2) == 0 {
                    strides[i] = pstrides[i] * 2;
                } else {
                    strides[i] = -pstrides[i] * 2;
                    off += pstrides[i] * (pshape[i] - 1);
                }
            }
            let mut so = Vec::new();
            offsets(&shape, &strides, off, &mut so);
            let expect: Vec<u8> = so
                .iter()
                .flat_map(|o| mem[*o as usize..(*o + itemsize) as usize].to_vec())
                .collect();
            let v = Strided {
                buf: mem.as_mut_ptr().wrapping_offset(off),
                itemsize,
                shape: &shape,
                strides: &strides,
                suboffsets: None,
            };
            let mut out = vec![0u8; expect.len() + 1];
            // SAFETY: `out` has room for the items `v` describes inside `mem`.
            unsafe { to_contiguous(out.as_mut_ptr(), &v, b'C') };
            assert_eq!(&out[..expect.len()], &expect[..]);
        }
    }
}
