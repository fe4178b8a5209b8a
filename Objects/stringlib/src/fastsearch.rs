//! `fastsearch.h`, `find.h`, `count.h`: finding and counting a needle.

use core::ffi::{c_int, c_void};

extern "C" {
    // libc's, as C's stringlib calls them (`STRINGLIB_FAST_MEMCHR`).
    fn memchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void;
    fn memrchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void;
}

/// `ADJUST_INDICES(start, end, len)`: clamps a Python `[start:end]` to a
/// sequence of `len` items (negative values count from the end).  The
/// result may still have `start > end`, as in C.
// C: ADJUST_INDICES
#[inline]
pub fn adjust_indices(start: isize, end: isize, len: isize) -> (isize, isize) {
    let end = if end > len {
        len
    } else if end < 0 {
        end.saturating_add(len).max(0)
    } else {
        end
    };
    let start = if start < 0 {
        start.saturating_add(len).max(0)
    } else {
        start
    };
    (start, end)
}

/// The first occurrence of `c` in `hay`.
// C: stringlib_find_char
#[inline]
pub fn find_char(hay: &[u8], c: u8) -> Option<usize> {
    if hay.is_empty() {
        return None;
    }
    // SAFETY: `hay` is readable for its length; libc's memchr reads only
    // that and returns NULL or a pointer into it.
    let p = unsafe { memchr(hay.as_ptr() as *const c_void, c_int::from(c), hay.len()) };
    if p.is_null() {
        None
    } else {
        Some((p as usize).wrapping_sub(hay.as_ptr() as usize))
    }
}

/// The last occurrence of `c` in `hay`.
// C: stringlib_rfind_char
#[inline]
pub fn rfind_char(hay: &[u8], c: u8) -> Option<usize> {
    if hay.is_empty() {
        return None;
    }
    // SAFETY: as find_char (glibc's memrchr, which C uses too).
    let p = unsafe { memrchr(hay.as_ptr() as *const c_void, c_int::from(c), hay.len()) };
    if p.is_null() {
        None
    } else {
        Some((p as usize).wrapping_sub(hay.as_ptr() as usize))
    }
}

/// Haystacks shorter than this are searched by [`find_short`] alone (a
/// longer one first in its head, for the near matches of a split or a
/// replace, then by the last-byte scan).
const SHORT: usize = 64;

/// Haystacks up to this long are searched in place (no libc call: a
/// memchr and a memcmp call cost more than the whole scan).
pub const TINY: usize = 32;

/// Bit `i` of the first mask set where `hay[i] == a`, of the second where
/// `hay[i] == b`, for a `hay` of 8 to 32 bytes: two overlapping loads
/// (SSE2, part of the x86-64 baseline) cover it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn eq_masks(hay: &[u8], a: u8, b: u8) -> (u32, u32) {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadl_epi64, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let n = hay.len();
    debug_assert!((8..=TINY).contains(&n));
    let p = hay.as_ptr();
    // SAFETY: for 16 <= n the 16-byte loads at 0 and n - 16 read within
    // `hay`, and for 8 <= n < 16 the 8-byte loads at 0 and n - 8 (the
    // lanes above them are zero, and masked off); unaligned loads.
    let (lo, hi, width, keep) = unsafe {
        if n >= 16 {
            let lo = _mm_loadu_si128(p.cast::<__m128i>());
            let hi = _mm_loadu_si128(p.add(n - 16).cast::<__m128i>());
            (lo, hi, 16, 0xffff)
        } else {
            let lo = _mm_loadl_epi64(p.cast::<__m128i>());
            let hi = _mm_loadl_epi64(p.add(n - 8).cast::<__m128i>());
            (lo, hi, 8, 0xff)
        }
    };
    let shift = n - width;
    let mask = |v: u8| {
        // SAFETY: SSE2 register operations, no memory access.
        let (l, h) = unsafe {
            let v = _mm_set1_epi8(i8::from_ne_bytes([v]));
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(lo, v)),
                _mm_movemask_epi8(_mm_cmpeq_epi8(hi, v)),
            )
        };
        #[allow(clippy::cast_sign_loss)]
        let (l, h) = (l as u32 & keep, h as u32 & keep);
        l | (h << shift)
    };
    (mask(a), mask(b))
}

/// [`eq_masks`] byte by byte, where there is no SSE2 (and to test it).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn eq_masks_portable(hay: &[u8], a: u8, b: u8) -> (u32, u32) {
    let (mut ma, mut mb) = (0u32, 0u32);
    for (i, &c) in hay.iter().take(TINY).enumerate() {
        ma |= u32::from(c == a) << i;
        mb |= u32::from(c == b) << i;
    }
    (ma, mb)
}

#[cfg(not(target_arch = "x86_64"))]
use eq_masks_portable as eq_masks;

/// Bit `i` set where `block[i] == c`: [`eq_masks`] of one 16-byte block
/// (one SSE2 compare on x86-64; the second mask, of the same byte, is
/// the same value).
#[inline(always)]
pub(crate) fn byte_mask16(block: &[u8; 16], c: u8) -> u32 {
    eq_masks(block, c, c).0
}

/// The number of bytes of `hay` equal to `c`, for dense ones: on x86-64
/// 64 bytes a step, each compare subtracted (a match is -1) from 16 byte
/// lanes, which are summed (`psadbw`) every 63 steps, before any can
/// wrap; about a quarter of an instruction a byte, where memchr from
/// match to match costs tens of instructions a match.
#[inline(never)]
pub(crate) fn count_byte(hay: &[u8], c: u8) -> usize {
    let mut n = 0usize;
    let mut rest = hay;
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{
            __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cvtsi128_si64, _mm_loadu_si128,
            _mm_sad_epu8, _mm_set1_epi8, _mm_setzero_si128, _mm_srli_si128, _mm_sub_epi8,
        };
        const STEP: usize = 64;
        // Each lane gains at most 4 a step: 63 steps stay under 256.
        const STEPS: usize = 63;
        // SAFETY: SSE2 register operations.
        let needle = unsafe { _mm_set1_epi8(i8::from_ne_bytes([c])) };
        let mut chunks = rest.chunks_exact(STEP * STEPS);
        let mut sum_lanes = |lanes: __m128i| {
            // SAFETY: SSE2 register operations.
            let (lo, hi) = unsafe {
                let sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
                (
                    _mm_cvtsi128_si64(sums),
                    _mm_cvtsi128_si64(_mm_srli_si128::<8>(sums)),
                )
            };
            #[allow(clippy::cast_sign_loss)]
            {
                n += lo as usize + hi as usize;
            }
        };
        let count_steps = |chunk: &[u8]| {
            // SAFETY: SSE2 register operations.
            let mut lanes = unsafe { _mm_setzero_si128() };
            for step in chunk.chunks_exact(STEP) {
                let p = step.as_ptr().cast::<__m128i>();
                // SAFETY: `step` is 64 bytes: four unaligned 16-byte loads
                // within it; the rest are SSE2 register operations.
                lanes = unsafe {
                    let a = _mm_cmpeq_epi8(_mm_loadu_si128(p), needle);
                    let b = _mm_cmpeq_epi8(_mm_loadu_si128(p.add(1)), needle);
                    let c = _mm_cmpeq_epi8(_mm_loadu_si128(p.add(2)), needle);
                    let d = _mm_cmpeq_epi8(_mm_loadu_si128(p.add(3)), needle);
                    _mm_sub_epi8(_mm_sub_epi8(lanes, _mm_add_epi8(a, b)), _mm_add_epi8(c, d))
                };
            }
            lanes
        };
        for chunk in &mut chunks {
            sum_lanes(count_steps(chunk));
        }
        rest = chunks.remainder();
        let whole = rest.len() - rest.len() % STEP;
        sum_lanes(count_steps(rest.get(..whole).unwrap_or(&[])));
        rest = rest.get(whole..).unwrap_or(&[]);
    }
    n + rest.iter().filter(|&&b| b == c).count()
}

/// Whether `needle` is at `p` in `hay`, its first and last bytes already
/// matched: the middle compared in place.
#[inline(always)]
fn matches_at(hay: &[u8], p: usize, needle: &[u8]) -> bool {
    let m = needle.len();
    if m < 3 {
        // Nothing between the first and the last byte.
        return true;
    }
    match (hay.get(p + 1..p + m - 1), needle.get(1..m - 1)) {
        (Some(h), Some(n)) => h.iter().zip(n).all(|(a, b)| a == b),
        _ => false,
    }
}

/// A needle of up to 16 bytes, compared whole at a position of a
/// haystack: on x86-64 one 16-byte load, a byte compare against the
/// needle (kept in a register) and a mask of its length.
#[derive(Clone, Copy)]
struct Needle16<'a> {
    needle: &'a [u8],
    /// The needle, zero-padded to 16 bytes.
    #[cfg(target_arch = "x86_64")]
    v: core::arch::x86_64::__m128i,
    /// One bit per needle byte (bits `0..needle.len()`).
    #[cfg(target_arch = "x86_64")]
    keep: i32,
}

impl<'a> Needle16<'a> {
    /// `None` for a needle longer than 16 bytes.
    #[inline(always)]
    fn new(needle: &'a [u8]) -> Option<Self> {
        let m = needle.len();
        if m > 16 {
            return None;
        }
        #[cfg(target_arch = "x86_64")]
        {
            let mut buf = [0u8; 16];
            buf.get_mut(..m)?.copy_from_slice(needle);
            // SAFETY: `buf` is 16 bytes (an unaligned load).
            let v = unsafe { core::arch::x86_64::_mm_loadu_si128(buf.as_ptr().cast()) };
            Some(Needle16 {
                needle,
                v,
                keep: (1 << m) - 1,
            })
        }
        #[cfg(not(target_arch = "x86_64"))]
        Some(Needle16 { needle })
    }

    /// Whether the needle is at `p` in `hay`.
    #[inline(always)]
    fn at(&self, hay: &[u8], p: usize) -> bool {
        #[cfg(target_arch = "x86_64")]
        if let Some(s) = hay.get(p..p.wrapping_add(16)) {
            use core::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8};
            // SAFETY: `s` is 16 bytes (an unaligned load); the rest are
            // SSE2 register operations.
            let eq = unsafe {
                _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(s.as_ptr().cast()), self.v))
            };
            return eq & self.keep == self.keep;
        }
        // Within 16 bytes of the end (and without SSE2).
        match hay.get(p..) {
            Some(rest) => rest.starts_with(self.needle),
            None => false,
        }
    }
}

/// The start positions in `hay` (8 to [`TINY`] bytes) where `needle`'s
/// first and last bytes both are: bit `p` for start `p`.  A bit needs the
/// last byte at `p + m - 1 < n`, so no start past the last is set.
#[inline(always)]
fn tiny_candidates(hay: &[u8], needle: &[u8]) -> u32 {
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
        return 0;
    };
    let (mf, ml) = eq_masks(hay, first, last);
    mf & ml.checked_shr((needle.len() - 1) as u32).unwrap_or(0)
}

/// `needle` (two bytes or more) in a haystack of up to [`TINY`] bytes,
/// the first occurrence or (`reverse`) the last: the starts where its
/// first and last bytes match, all found at once ([`tiny_candidates`]),
/// each verified in place, in the search's direction.  Under eight
/// bytes, position by position.
#[inline(always)]
fn search_tiny(hay: &[u8], needle: &[u8], reverse: bool) -> Option<usize> {
    // The callers pass two bytes or more; checked here so that `windows`
    // is known to get a size it accepts (no panic site in any build).
    if needle.is_empty() {
        return None;
    }
    if hay.len() < 8 {
        let mut windows = hay.windows(needle.len());
        let at = |w: &[u8]| w.iter().zip(needle).all(|(a, b)| a == b);
        return if reverse {
            windows.rposition(at)
        } else {
            windows.position(at)
        };
    }
    let mut cand = tiny_candidates(hay, needle);
    while cand != 0 {
        let p = if reverse {
            31 - cand.leading_zeros()
        } else {
            cand.trailing_zeros()
        } as usize;
        if matches_at(hay, p, needle) {
            return Some(p);
        }
        cand &= !(1u32 << p);
    }
    None
}

/// The first `needle` in a haystack of up to [`TINY`] bytes.
#[inline]
fn find_tiny(hay: &[u8], needle: &[u8]) -> Option<usize> {
    search_tiny(hay, needle, false)
}

/// The last `needle` in a haystack of up to [`TINY`] bytes.
#[inline]
fn rfind_tiny(hay: &[u8], needle: &[u8]) -> Option<usize> {
    search_tiny(hay, needle, true)
}

/// `needle` in a short `hay`: each occurrence of its first byte (libc's
/// memchr), then the rest compared.
#[inline]
fn find_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut i = 0;
    while let Some(window) = hay.get(i..) {
        if window.len() < needle.len() {
            return None;
        }
        let last = window.len() - needle.len();
        let p = find_char(window.get(..=last)?, first)?;
        if window.get(p + 1..p + needle.len()) == Some(rest) {
            return Some(i + p);
        }
        i += p + 1;
    }
    None
}

/// The last occurrence of `needle` (two or more bytes) in `hay`: each
/// occurrence of its last byte from the right (libc's memrchr), then the
/// rest compared (memmem's reverse finder has no SIMD prefilter).
#[inline]
fn rfind_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&last, init) = needle.split_last()?;
    let m = needle.len();
    if m > hay.len() {
        return None;
    }
    // Candidates for the needle's last byte: positions m-1 .. len-1.
    let mut end = hay.len();
    while end >= m {
        let p = rfind_char(hay.get(m - 1..end)?, last)? + m - 1;
        let start = p + 1 - m;
        if hay.get(start..p) == Some(init) {
            return Some(start);
        }
        end = p;
    }
    None
}

/// How many false candidates of the last-byte scan [`find_long`] allows
/// per 256 bytes searched before it hands over to memmem.
const FALSE_PER_256: usize = 1;

/// `needle` (two or more bytes) in `hay[from..]`, as a position in `hay`:
/// libc's memchr (AVX2 in glibc) on the needle's last byte, each candidate
/// compared, while candidates are rare (the common case, and C's
/// fastsearch looks at the last byte first too); once they are frequent,
/// memmem's prefilter and Two-Way take the rest.
fn find_long(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&last, init) = needle.split_last()?;
    let m = needle.len();
    // Candidate ends are searched from `end`; the first possible one ends
    // at from + m - 1.
    let mut end = from + m - 1;
    let mut false_hits = 0usize;
    loop {
        let p = end + find_char(hay.get(end..)?, last)?;
        let start = p + 1 - m;
        if hay.get(start..p) == Some(init) {
            return Some(start);
        }
        false_hits += 1;
        end = p + 1;
        if false_hits * 256 > (end - from) * FALSE_PER_256 + 256 * 8 {
            let next = start + 1;
            return memmem_find(hay.get(next..)?, needle).map(|q| q + next);
        }
    }
}

/// The search loops look at the density at every `DENSE_EVERY`th match
/// (a test of the count's low bits per match, where a density test
/// would cost a short count a few percent)...
pub(crate) const DENSE_EVERY: usize = 16;
/// ...and hand over to [`dense_matches`] when the matches so far are
/// more than one per `DENSE_SPAN` bytes...
pub(crate) const DENSE_SPAN: usize = 64;
/// ...and at least this many bytes are left.
const DENSE_REST: usize = 256;

/// [`count`] of a needle of two or more bytes in a haystack of at least
/// `SHORT` bytes: libc's memchr (AVX2 in glibc) from candidate to
/// candidate on the needle's last byte, as [`find_long`], each candidate
/// compared and matches kept apart (non-overlapping, as C counts); once
/// false candidates are frequent, memmem counts the rest, and once
/// matches are dense (more than one per 64 bytes), [`count_windows`]
/// does.
fn count_long(hay: &[u8], needle: &[u8], maxcount: usize) -> usize {
    let Some(&last) = needle.last() else {
        return 0;
    };
    let m = needle.len();
    let (mut n, mut false_hits) = (0usize, 0usize);
    // Candidate ends are searched from `end`: a match ends there or later
    // (after a match, one that does not overlap it).
    let mut end = m - 1;
    while let Some(p) = hay.get(end..).and_then(|rest| find_char(rest, last)) {
        let p = end + p;
        let start = p + 1 - m;
        if hay.get(start..=p) == Some(needle) {
            n += 1;
            if n == maxcount {
                return n;
            }
            end = p + m;
            if goes_dense(n, p + 1, m, hay.len()) {
                return count_windows(hay, needle, p + 1, n, maxcount);
            }
            continue;
        }
        false_hits += 1;
        end = p + 1;
        if false_hits * 256 > p * FALSE_PER_256 + 256 * 8 {
            let rest = hay.get(start + 1..).unwrap_or(&[]);
            return n + memmem_count(rest, needle, maxcount - n);
        }
    }
    n
}

/// The longest needle [`dense_matches`] takes: a window then holds 17
/// starts or more, and [`Needle16`] compares it in one step.
const WINDOW_NEEDLE: usize = 16;

/// Whether a search loop that has found `n` matches of an `m`-byte
/// needle in `len` bytes, the last ending at `at`, goes over to
/// [`dense_matches`] (with at least `DENSE_REST` bytes left for the
/// windows to pay for themselves).
#[inline(always)]
pub(crate) fn goes_dense(n: usize, at: usize, m: usize, len: usize) -> bool {
    n % DENSE_EVERY == 0 && n * DENSE_SPAN > at && m <= WINDOW_NEEDLE && len - at >= DENSE_REST
}

/// The dense search: `n` (at most `maxcount`) matches found so far, each
/// further match of `needle` (not empty) at `from` or later in
/// `hay`, non-overlapping, given to `on_match` until `maxcount`; returns
/// the new count.  Windows of [`TINY`] bytes, each giving
/// [`tiny_candidates`] for `TINY + 1 - m` starts at once (the next window
/// begins after them, so each start is looked at once), each candidate
/// verified whole ([`Needle16`]); the last few bytes by [`find`].  A
/// memchr call per match costs more than a window.  A needle longer than
/// [`WINDOW_NEEDLE`] is searched by [`find`] alone.
#[inline(always)]
pub(crate) fn dense_matches(
    hay: &[u8],
    needle: &[u8],
    from: usize,
    mut n: usize,
    maxcount: usize,
    mut on_match: impl FnMut(usize),
) -> usize {
    let m = needle.len();
    if n >= maxcount {
        return n;
    }
    // Starts before `next_ok` overlap the last match.
    let (mut i, mut next_ok) = (from, from);
    if let Some(whole) = Needle16::new(needle) {
        let step = TINY + 1 - m;
        let last_window = hay.len().saturating_sub(TINY);
        while i <= last_window {
            let Some(window) = hay.get(i..i + TINY) else {
                break;
            };
            let mut cand = tiny_candidates(window, needle);
            while cand != 0 {
                let j = cand.trailing_zeros() as usize;
                cand &= cand - 1;
                if i + j >= next_ok && whole.at(hay, i + j) {
                    on_match(i + j);
                    n += 1;
                    if n == maxcount {
                        return n;
                    }
                    next_ok = i + j + m;
                }
            }
            i += step;
        }
    }
    let at = i.max(next_ok);
    tiny_matches(hay, needle, at, n, maxcount, on_match)
}

/// [`dense_matches`] without the windows, for what is left after them
/// (or all of a short haystack): the matches at `from` or later, the
/// candidates of up to [`TINY`] bytes found at once
/// ([`tiny_candidates`]), a longer or shorter rest by [`find`].
#[inline(always)]
pub(crate) fn tiny_matches(
    hay: &[u8],
    needle: &[u8],
    from: usize,
    mut n: usize,
    maxcount: usize,
    mut on_match: impl FnMut(usize),
) -> usize {
    let m = needle.len();
    if n >= maxcount || m == 0 {
        return n;
    }
    if let Some(rest) = hay.get(from..).filter(|r| (8..=TINY).contains(&r.len())) {
        let mut cand = tiny_candidates(rest, needle);
        // Starts before `next_ok` overlap the last match.
        let mut next_ok = 0;
        while cand != 0 {
            let j = cand.trailing_zeros() as usize;
            cand &= cand - 1;
            if j >= next_ok && matches_at(rest, j, needle) {
                on_match(from + j);
                n += 1;
                if n == maxcount {
                    break;
                }
                next_ok = j + m;
            }
        }
        return n;
    }
    let mut at = from;
    while let Some(p) = hay.get(at..).and_then(|rest| find(rest, needle)) {
        on_match(at + p);
        n += 1;
        if n == maxcount {
            break;
        }
        at += p + m;
    }
    n
}

/// [`count`]'s dense path ([`dense_matches`]).  Out of line: its own
/// registers hold the vectors and the count, with nothing spilled.
#[inline(never)]
fn count_windows(hay: &[u8], needle: &[u8], from: usize, n: usize, maxcount: usize) -> usize {
    dense_matches(hay, needle, from, n, maxcount, |_| {})
}

/// The starts of the non-overlapping matches of `needle` in `hay`, from
/// the left, at most `maxcount`, as bits (bit `p` for a match at `p`):
/// for a `hay` of up to [`TINY`] bytes and a `needle` not empty, `None`
/// for any other.
#[inline(always)]
pub fn tiny_match_mask(hay: &[u8], needle: &[u8], maxcount: usize) -> Option<u32> {
    if hay.len() > TINY || needle.is_empty() {
        return None;
    }
    if let ([c], 8..) = (needle, hay.len()) {
        // Every occurrence of one byte is a match: one compare mask, and
        // the first `maxcount` of its bits.
        return Some(keep_first(eq_masks(hay, *c, *c).0, maxcount));
    }
    let mut mask = 0u32;
    tiny_matches(hay, needle, 0, 0, maxcount, |p| {
        mask |= u32::try_from(p)
            .ok()
            .and_then(|p| 1u32.checked_shl(p))
            .unwrap_or(0);
    });
    Some(mask)
}

/// A word of match bits (bit `p` for a match at `p`): the masks of
/// [`tiny_match_mask`] (`u32`) and [`byte_match_mask64`] (`u64`), walked
/// by the same loops.
pub trait MaskWord: Copy + core::ops::BitXor<Output = Self> {
    /// The bits of the word.
    const BITS: usize;
    /// Whether no bit is set.
    fn is_empty(self) -> bool;
    /// The lowest bit set (the word's width when none is).
    fn lowest(self) -> usize;
    /// The word without its lowest bit.
    fn without_lowest(self) -> Self;
}

macro_rules! mask_word {
    ($($t:ty),*) => {$(
        impl MaskWord for $t {
            const BITS: usize = <$t>::BITS as usize;
            #[inline(always)]
            fn is_empty(self) -> bool {
                self == 0
            }
            #[inline(always)]
            fn lowest(self) -> usize {
                self.trailing_zeros() as usize
            }
            #[inline(always)]
            fn without_lowest(self) -> Self {
                self & self.wrapping_sub(1)
            }
        }
    )*};
}
mask_word!(u32, u64);

/// The first `maxcount` bits of `mask`.
#[inline(always)]
pub(crate) fn keep_first<M: MaskWord>(mask: M, maxcount: usize) -> M {
    if maxcount >= M::BITS {
        return mask;
    }
    let mut past = mask;
    for _ in 0..maxcount {
        past = past.without_lowest();
    }
    mask ^ past
}

/// The longest haystack [`byte_match_mask64`] takes.
pub const SHORT_BYTE: usize = 2 * TINY;

/// The first `maxcount` occurrences of `c` in a `hay` of more than
/// [`TINY`] and up to [`SHORT_BYTE`] bytes, as bits (`None` for any other
/// length): two [`eq_masks`] of 32 bytes, the second of the last 32,
/// overlapping the first.
#[inline(always)]
pub fn byte_match_mask64(hay: &[u8], c: u8, maxcount: usize) -> Option<u64> {
    let n = hay.len();
    if !(TINY + 1..=SHORT_BYTE).contains(&n) {
        return None;
    }
    let (head, tail) = (hay.get(..TINY)?, hay.get(n - TINY..)?);
    let mask = u64::from(eq_masks(head, c, c).0) | u64::from(eq_masks(tail, c, c).0) << (n - TINY);
    Some(keep_first(mask, maxcount))
}

/// Bit `i` set where `chunk[i] == c`: two [`byte_mask16`].
#[inline(always)]
pub(crate) fn byte_mask32(chunk: &[u8; 32], c: u8) -> u32 {
    let (lo, hi) = chunk.split_first_chunk::<16>().unwrap_or((&[0; 16], &[]));
    let hi = hi.first_chunk::<16>().map_or(0, |hi| byte_mask16(hi, c));
    byte_mask16(lo, c) | hi << 16
}

/// Bit `i` set where `chunk[i] == c`: four [`byte_mask16`], one SSE2
/// compare each on x86-64.
#[inline(always)]
pub(crate) fn byte_mask64(chunk: &[u8; 64], c: u8) -> u64 {
    let mut mask = 0;
    for (k, block) in chunk.chunks_exact(16).enumerate() {
        if let Some(block) = block.first_chunk::<16>() {
            mask |= u64::from(byte_mask16(block, c)) << (16 * k);
        }
    }
    mask
}

/// The number of bits set in `mask`, one at a time: the few matches of
/// a short haystack cost less so than a population count without the
/// POPCNT instruction (not in the x86-64 baseline).
#[inline(always)]
pub(crate) fn count_bits<M: MaskWord>(mask: M) -> usize {
    let (mut n, mut bits) = (0, mask);
    while !bits.is_empty() {
        bits = bits.without_lowest();
        n += 1;
    }
    n
}

/// memmem's count, out of line (see [`memmem_find`]).
#[inline(never)]
fn memmem_count(hay: &[u8], needle: &[u8], maxcount: usize) -> usize {
    let mut n = 0;
    for _ in memchr::memmem::find_iter(hay, needle) {
        if n == maxcount {
            break;
        }
        n += 1;
    }
    n
}

/// memmem's search, out of line: its finder's large stack frame stays out
/// of the callers' (small searches never pay for it).
#[inline(never)]
fn memmem_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The first occurrence of `needle` in `hay` (an empty needle is found at
/// 0).  Always inlined: a one-byte needle (an int argument, a one-byte
/// separator) goes straight to memchr; longer ones to [`find_bytes`].
// C: stringlib_find, FASTSEARCH(..., FAST_SEARCH)
#[inline(always)]
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => Some(0),
        [c] => find_char(hay, *c),
        _ if hay.len() <= TINY => find_tiny(hay, needle),
        _ => find_bytes(hay, needle),
    }
}

/// [`find`] of a needle of two bytes or more in a haystack longer than
/// [`TINY`].
#[inline]
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        _ if needle.len() > hay.len() => None,
        _ if hay.len() < SHORT => find_short(hay, needle),
        _ => {
            // A match near the start is found without preparing memmem's
            // finder (C's fastsearch prepares nothing either).
            let head = hay.get(..SHORT + needle.len() - 1).unwrap_or(hay);
            if let Some(p) = find_short(head, needle) {
                return Some(p);
            }
            find_long(hay, needle, SHORT)
        }
    }
}

/// The last occurrence of `needle` in `hay` (an empty needle is found at
/// the end).  Always inlined, as [`find`].
// C: stringlib_rfind, FASTSEARCH(..., FAST_RSEARCH)
#[inline(always)]
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => Some(hay.len()),
        [c] => rfind_char(hay, *c),
        _ if hay.len() <= TINY => rfind_tiny(hay, needle),
        _ => rfind_bytes(hay, needle),
    }
}

/// The number of non-overlapping occurrences of `needle` in `hay`, at
/// most `maxcount`; an empty needle occurs `hay.len() + 1` times.
// C: stringlib_count, FASTSEARCH(..., FAST_COUNT)
#[inline]
pub fn count(hay: &[u8], needle: &[u8], maxcount: usize) -> usize {
    match needle {
        [] => hay.len().saturating_add(1).min(maxcount),
        _ if needle.len() > hay.len() || maxcount == 0 => 0,
        _ if hay.len() <= TINY => tiny_matches(hay, needle, 0, 0, maxcount, |_| {}),
        [c] => {
            // libc's memchr (AVX2 in glibc) from match to match while
            // they are sparse, as C counts; dense ones by [`count_byte`].
            let (mut n, mut at) = (0, 0);
            while let Some(p) = hay.get(at..).and_then(|rest| find_char(rest, *c)) {
                n += 1;
                at += p + 1;
                if n == maxcount {
                    break;
                }
                if goes_dense(n, at, 1, hay.len()) {
                    // Every byte equal to `c` is a match: the first
                    // `maxcount` of them.
                    let rest = hay.get(at..).unwrap_or(&[]);
                    return n.saturating_add(count_byte(rest, *c)).min(maxcount);
                }
            }
            n
        }
        _ if hay.len() < SHORT => {
            let (mut n, mut i) = (0, 0);
            while let Some(p) = hay.get(i..).and_then(|rest| find_short(rest, needle)) {
                n += 1;
                if n == maxcount {
                    break;
                }
                i += p + needle.len();
            }
            n
        }
        _ => count_long(hay, needle, maxcount),
    }
}

/// `_Py_bytes_find`/`_Py_bytes_rfind` (`find_internal`) after the
/// argument parsing: the position of `needle` in `hay[start:end]` as an
/// index of `hay`, or -1.
// C: find_internal
#[inline(always)]
pub fn find_in(hay: &[u8], needle: &[u8], start: isize, end: isize, forward: bool) -> isize {
    let (start, end) = adjust_indices(start, end, hay.len() as isize);
    if end.saturating_sub(start) < needle.len() as isize {
        return -1;
    }
    let Some(window) = hay.get(start as usize..end as usize) else {
        return -1;
    };
    let found = if forward {
        find(window, needle)
    } else {
        rfind(window, needle)
    };
    found.map_or(-1, |p| p as isize + start)
}

/// `_Py_bytes_count` after the argument parsing: the occurrences of
/// `needle` in `hay[start:end]`.
// C: _Py_bytes_count
#[inline]
pub fn count_in(hay: &[u8], needle: &[u8], start: isize, end: isize) -> usize {
    let (start, end) = adjust_indices(start, end, hay.len() as isize);
    if end < start {
        // stringlib_count of a negative length.
        return 0;
    }
    // start <= end <= len here.
    hay.get(start as usize..end as usize)
        .map_or(0, |window| count(window, needle, usize::MAX))
}

#[cfg(test)]
pub(crate) mod tests {
    extern crate std;
    use super::*;

    fn naive_find(h: &[u8], n: &[u8]) -> Option<usize> {
        (0..=h.len()).find(|&i| h.get(i..i + n.len()) == Some(n))
    }

    /// A seeded linear congruential generator: `next(k)` is a
    /// pseudo-random number below `k` (the same sequence every run).
    pub(crate) fn lcg(seed: u32) -> impl FnMut(u32) -> u32 {
        let mut x = seed;
        move |k| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) % k
        }
    }

    fn naive_rfind(h: &[u8], n: &[u8]) -> Option<usize> {
        (0..=h.len())
            .rev()
            .find(|&i| h.get(i..i + n.len()) == Some(n))
    }

    fn naive_count(h: &[u8], n: &[u8]) -> usize {
        if n.is_empty() {
            return h.len() + 1;
        }
        let (mut i, mut c) = (0, 0);
        while i + n.len() <= h.len() {
            if &h[i..i + n.len()] == n {
                c += 1;
                i += n.len();
            } else {
                i += 1;
            }
        }
        c
    }

    /// Every string over {a, b} up to length `n`.
    pub(crate) fn strings(n: usize) -> impl Iterator<Item = ([u8; 8], usize)> {
        (0..=n).flat_map(|len| {
            (0..1u32 << len).map(move |bits| {
                let mut s = [0u8; 8];
                for (i, b) in s.iter_mut().enumerate().take(len) {
                    *b = if bits >> i & 1 == 1 { b'b' } else { b'a' };
                }
                (s, len)
            })
        })
    }

    #[test]
    fn searches_match_naive_exhaustively() {
        for (h, hl) in strings(7) {
            let h = &h[..hl];
            for (n, nl) in strings(4) {
                let n = &n[..nl];
                assert_eq!(find(h, n), naive_find(h, n), "{h:?} {n:?}");
                assert_eq!(rfind(h, n), naive_rfind(h, n), "{h:?} {n:?}");
                assert_eq!(count(h, n, usize::MAX), naive_count(h, n), "{h:?} {n:?}");
                assert_eq!(count(h, n, 1), naive_count(h, n).min(1));
            }
        }
    }

    #[test]
    fn python_results() {
        // b''.find(b'', 1) == -1; b'abc'.find(b'', 3) == 3;
        // b'abc'.count(b'', 4) == 0 ... as CPython 3.13 gives them.
        assert_eq!(find_in(b"", b"", 1, isize::MAX, true), -1);
        assert_eq!(find_in(b"abc", b"", 3, isize::MAX, true), 3);
        assert_eq!(find_in(b"abc", b"", 4, isize::MAX, true), -1);
        assert_eq!(find_in(b"abc", b"", 0, isize::MAX, false), 3);
        assert_eq!(find_in(b"abcabc", b"bc", -3, isize::MAX, true), 4);
        assert_eq!(find_in(b"abcabc", b"bc", 0, -2, false), 1);
        assert_eq!(find_in(b"abcabc", b"c", 3, 1, true), -1);
        assert_eq!(count_in(b"abc", b"", 0, isize::MAX), 4);
        assert_eq!(count_in(b"abc", b"", 3, isize::MAX), 1);
        assert_eq!(count_in(b"abc", b"", 4, isize::MAX), 0);
        assert_eq!(count_in(b"abc", b"", 2, 1), 0);
        assert_eq!(count_in(b"aaaa", b"aa", 0, isize::MAX), 2);
        assert_eq!(count_in(b"aaaa", b"a", -2, isize::MAX), 2);
        assert_eq!(adjust_indices(-10, -10, 5), (0, 0));
        assert_eq!(adjust_indices(isize::MIN, isize::MIN, 5), (0, 0));
    }

    #[test]
    fn long_haystacks_match_naive() {
        // Pseudo-random strings over {a, b} past the short-haystack limit:
        // the memmem paths against the naive searches.
        let mut next = lcg(12345);
        for len in [8, 16, 31, TINY, TINY + 1, SHORT - 1, SHORT, 100, 300] {
            let h: std::vec::Vec<u8> = (0..len).map(|_| b'a' + next(2) as u8).collect();
            for nlen in 2..=6 {
                for _ in 0..8 {
                    let n: std::vec::Vec<u8> = (0..nlen).map(|_| b'a' + next(2) as u8).collect();
                    assert_eq!(find(&h, &n), naive_find(&h, &n));
                    assert_eq!(rfind(&h, &n), naive_rfind(&h, &n));
                    assert_eq!(count(&h, &n, usize::MAX), naive_count(&h, &n));
                }
            }
        }
    }

    /// The SSE2 byte masks against the byte-by-byte ones, for every
    /// length they serve, with bytes at both ends of the range (0x00 and
    /// 0xff: the signed lanes) and the searched bytes at every position.
    #[test]
    fn eq_masks_match_portable() {
        let mut next = lcg(99);
        let alphabet = [0u8, 1, 0x7f, 0x80, 0xfe, 0xff];
        for len in 8..=TINY {
            for _ in 0..300 {
                let h: std::vec::Vec<u8> = (0..len).map(|_| alphabet[next(6) as usize]).collect();
                let (a, b) = (alphabet[next(6) as usize], alphabet[next(6) as usize]);
                assert_eq!(
                    eq_masks(&h, a, b),
                    eq_masks_portable(&h, a, b),
                    "{h:?} {a} {b}"
                );
            }
        }
    }

    /// The short scans (in place up to TINY, first byte by memchr up to
    /// SHORT) over a wider alphabet than a and b: haystacks over five
    /// letters, needles over three of them and two others, and needles cut
    /// from the haystack, against the naive searches.
    #[test]
    fn short_haystack_skips_match_naive() {
        let mut next = lcg(777);
        // Every length up to TINY + 1: both load widths of the masks (8
        // and 16 bytes) at every overlap, and the scan under eight bytes.
        for len in (2..=TINY + 1).chain([40, SHORT - 1]) {
            for _ in 0..300 {
                let h: std::vec::Vec<u8> = (0..len).map(|_| b"abcde"[next(5) as usize]).collect();
                let nlen = 2 + next(if len > 16 { 14 } else { 4 }) as usize;
                let n: std::vec::Vec<u8> = (0..nlen).map(|_| b"abcxy"[next(5) as usize]).collect();
                assert_eq!(find(&h, &n), naive_find(&h, &n), "{h:?} {n:?}");
                assert_eq!(rfind(&h, &n), naive_rfind(&h, &n), "{h:?} {n:?}");
                // A needle taken from the haystack: present at least once.
                let at = next(len as u32) as usize;
                let n = &h[at..(at + nlen).min(len)];
                assert_eq!(find(&h, n), naive_find(&h, n), "{h:?} {n:?}");
                assert_eq!(rfind(&h, n), naive_rfind(&h, n), "{h:?} {n:?}");
            }
        }
    }

    #[test]
    fn match_masks_match_naive() {
        // tiny_match_mask up to TINY bytes, byte_match_mask64 past it up to
        // SHORT_BYTE (both masks at every overlap): the first `maxcount`
        // matches, and `None` where the length is not theirs.
        let mut rng = lcg(31);
        for len in 0..=SHORT_BYTE + 1 {
            for every in [1, 2, 5, 40] {
                let h: std::vec::Vec<u8> = (0..len)
                    .map(|_| if rng(every) == 0 { b'a' } else { b'b' })
                    .collect();
                for needle in [&b"a"[..], b"ab", b"ba", b"aa"] {
                    for maxcount in [0, 1, 2, 15, 31, 32, 33, 63, 64, usize::MAX] {
                        let (mut want, mut i, mut n) = (0u64, 0, 0);
                        while let Some(p) = naive_find(&h[i..], needle) {
                            if n == maxcount {
                                break;
                            }
                            want |= 1u64.checked_shl((i + p) as u32).unwrap_or(0);
                            i += p + needle.len();
                            n += 1;
                        }
                        let tiny = tiny_match_mask(&h, needle, maxcount);
                        let wide = byte_match_mask64(&h, needle[0], maxcount);
                        if len <= TINY {
                            assert_eq!(
                                tiny.map(u64::from),
                                Some(want),
                                "{h:?} {needle:?} {maxcount}"
                            );
                        } else {
                            assert_eq!(tiny, None);
                        }
                        if needle.len() == 1 && len > TINY && len <= SHORT_BYTE {
                            assert_eq!(wide, Some(want), "{h:?} {maxcount}");
                        } else if len <= TINY || len > SHORT_BYTE {
                            assert_eq!(wide, None);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn count_byte_matches_naive() {
        // Lengths around a 64-byte step and a 63-step round of lanes;
        // every byte a match (the lanes' most) and random densities.
        let mut rng = lcg(5);
        for len in [0, 1, 15, 16, 63, 64, 65, 4031, 4032, 4033, 8081, 10000] {
            let all = std::vec![b'a'; len];
            assert_eq!(count_byte(&all, b'a'), len);
            assert_eq!(count_byte(&all, b'b'), 0);
            for every in [2, 7, 200] {
                let h: std::vec::Vec<u8> = (0..len)
                    .map(|_| if rng(every) == 0 { b'a' } else { b'b' })
                    .collect();
                assert_eq!(count_byte(&h, b'a'), naive_count(&h, b"a"), "{len} {every}");
            }
        }
    }

    #[test]
    fn dense_matches_counted_by_windows() {
        // Matches frequent enough for the window path, overlapping
        // candidates, every needle length (one byte too) up to WINDOW_NEEDLE and one
        // past it, every maxcount boundary: against the naive count.
        let mut rng = lcg(7);
        for round in 0..400u32 {
            // Short haystacks too (one mask of candidates, then a few
            // bytes by find).
            let len = if round % 3 == 0 {
                18 + rng(30)
            } else {
                64 + rng(700)
            } as usize;
            let alphabet: &[u8] = if round % 2 == 0 { b"ab" } else { b"abcz" };
            let h: std::vec::Vec<u8> = (0..len)
                .map(|_| alphabet[rng(alphabet.len() as u32) as usize])
                .collect();
            for m in 1..=WINDOW_NEEDLE + 1 {
                let at = rng((len - m) as u32) as usize;
                let n = &h[at..at + m];
                let all = naive_count(&h, n);
                for maxcount in [usize::MAX, all, all.saturating_sub(1), 9, 10, 1] {
                    assert_eq!(
                        count(&h, n, maxcount),
                        all.min(maxcount),
                        "{h:?} {n:?} {maxcount}"
                    );
                }
            }
        }
        for (unit, n) in [
            (&b"ab"[..], &b"aba"[..]),
            (b"a", b"aa"),
            (b"abcd", b"abcd"),
            (b"xy", b"yx"),
        ] {
            for reps in [40usize, 97, 500] {
                let h = unit.repeat(reps);
                assert_eq!(
                    count(&h, n, usize::MAX),
                    naive_count(&h, n),
                    "{unit:?} {reps}"
                );
            }
        }
    }

    #[test]
    fn last_byte_scan_and_handover() {
        // Rare candidates (the memchr scan), then frequent ones (memmem
        // takes over): every position of the needle against the naive
        // search.
        for decoys in [0usize, 7, 100] {
            for at in [64usize, 65, 200, 1500, 1998] {
                let mut h = std::vec![b'x'; 2000];
                if decoys > 0 {
                    for i in (0..2000).step_by(decoys) {
                        h[i] = b'z';
                    }
                }
                h[at] = b'y';
                h[at + 1] = b'z';
                for n in [&b"yz"[..], b"xyz", b"xxyz", b"zz"] {
                    assert_eq!(find(&h, n), naive_find(&h, n), "{decoys} {at} {n:?}");
                    assert_eq!(
                        count(&h, n, usize::MAX),
                        naive_count(&h, n),
                        "{decoys} {at} {n:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_haystacks() {
        let mut h = [b'x'; 4096];
        h[4000..4004].copy_from_slice(b"abcd");
        h[100] = b'a';
        assert_eq!(find(&h, b"abcd"), Some(4000));
        assert_eq!(rfind(&h, b"a"), Some(4000));
        assert_eq!(find(&h, b"a"), Some(100));
        assert_eq!(count(&h, b"a", usize::MAX), naive_count(&h, b"a"));
        assert_eq!(count(&h, b"xx", usize::MAX), naive_count(&h, b"xx"));
    }
}
