//! `transmogrify.h`: expandtabs, the padding of ljust/rjust/center/zfill,
//! and replace.  Each transform has a length function (which reports an
//! overflow past `isize::MAX`, where C raises OverflowError) and a
//! function that writes the result into a buffer of that length.

use crate::fastsearch::{
    byte_mask16, byte_match_mask64, count, dense_matches, find, find_char, goes_dense,
    tiny_match_mask, tiny_matches, MaskWord, DENSE_EVERY, TINY,
};
use crate::Overflow;

const MAX: usize = isize::MAX as usize;

/// Copies `src` to the front of `out` (as much as fits); returns the rest.
#[inline(always)]
fn put<'o>(out: &'o mut [u8], src: &[u8]) -> &'o mut [u8] {
    let n = src.len().min(out.len());
    let (head, rest) = out.split_at_mut(n);
    head.copy_from_slice(src.get(..n).unwrap_or(&[]));
    rest
}

/// [`put`] for the pieces of a short haystack: up to 32 bytes are copied
/// inline, by two overlapping moves of the widest size that fits (as
/// memcpy does for its small sizes), without a call.
#[inline(always)]
fn put_small<'o>(out: &'o mut [u8], src: &[u8]) -> &'o mut [u8] {
    let n = src.len();
    if n > 32 || n > out.len() {
        return put(out, src);
    }
    let (head, rest) = out.split_at_mut(n);
    // Two tests to any size (an empty piece is common: matches side by
    // side, at the start, at the end).
    if n >= 8 {
        if !copy_ends::<16>(head, src) {
            copy_ends::<8>(head, src);
        }
    } else if n >= 2 {
        if !copy_ends::<4>(head, src) {
            copy_ends::<2>(head, src);
        }
    } else if let (Some(d), Some(&c)) = (head.first_mut(), src.first()) {
        *d = c;
    }
    rest
}

/// Copies `src` to `dst` (of the same length, `W` to `2 * W` bytes) by its
/// first and its last `W` bytes; false, copying nothing, for a shorter
/// `src`.
#[inline(always)]
fn copy_ends<const W: usize>(dst: &mut [u8], src: &[u8]) -> bool {
    let (Some(&a), Some(&b)) = (src.first_chunk::<W>(), src.last_chunk::<W>()) else {
        return false;
    };
    if let Some(d) = dst.first_chunk_mut::<W>() {
        *d = a;
    }
    if let Some(d) = dst.last_chunk_mut::<W>() {
        *d = b;
    }
    true
}

/// The length of `stringlib_expandtabs_impl(self, tabsize)`'s result
/// (its first pass); `Err` where C raises "result too long".  The bytes
/// between tabs and line breaks are counted a run at a time (the memchr
/// crate's `memchr3`).
// C: stringlib_expandtabs_impl
pub fn expandtabs_len(src: &[u8], tabsize: i32) -> Result<usize, Overflow> {
    // i: the length of the lines done; j: the column in the current line.
    let (mut i, mut j) = (0usize, 0usize);
    let mut rest = src;
    loop {
        let run = memchr::memchr3(b'\t', b'\n', b'\r', rest).unwrap_or(rest.len());
        if j > MAX - run {
            return Err(Overflow);
        }
        j += run;
        let Some((&c, tail)) = rest.get(run..).and_then(<[u8]>::split_first) else {
            break;
        };
        rest = tail;
        if c == b'\t' {
            if tabsize > 0 {
                let t = tabsize as usize;
                let incr = t - j % t;
                if j > MAX - incr {
                    return Err(Overflow);
                }
                j += incr;
            }
        } else {
            if j > MAX - 1 {
                return Err(Overflow);
            }
            j += 1;
            if i > MAX - j {
                return Err(Overflow);
            }
            i += j;
            j = 0;
        }
    }
    if i > MAX - j {
        return Err(Overflow);
    }
    Ok(i + j)
}

/// The second pass of `stringlib_expandtabs_impl`: writes the result into
/// `out` (of [`expandtabs_len`] bytes), a run at a time.
pub fn expandtabs_into(src: &[u8], tabsize: i32, out: &mut [u8]) {
    let mut q = out;
    let mut j = 0usize;
    let mut rest = src;
    loop {
        let run = memchr::memchr3(b'\t', b'\n', b'\r', rest).unwrap_or(rest.len());
        q = put(q, rest.get(..run).unwrap_or(&[]));
        j += run;
        let Some((&c, tail)) = rest.get(run..).and_then(<[u8]>::split_first) else {
            break;
        };
        rest = tail;
        if c == b'\t' {
            if tabsize > 0 {
                let t = tabsize as usize;
                let n = t - j % t;
                j += n;
                let k = n.min(q.len());
                let (spaces, tail) = q.split_at_mut(k);
                spaces.fill(b' ');
                q = tail;
            }
        } else {
            q = put(q, &[c]);
            j = 0;
        }
    }
}

/// `pad(self, left, right, fill)`'s copy: `out` is `left` fill bytes,
/// `src`, then fill bytes to its end.
// C: pad
#[inline]
pub fn pad_into(src: &[u8], left: usize, fill: u8, out: &mut [u8]) {
    let left = left.min(out.len());
    let (l, rest) = out.split_at_mut(left);
    // An empty side is skipped, as C does: a memset call costs a dozen
    // instructions even for no bytes.
    if !l.is_empty() {
        l.fill(fill);
    }
    let r = put(rest, src);
    if !r.is_empty() {
        r.fill(fill);
    }
}

/// zfill's sign move, on the `pad(self, fill, 0, '0')` result `s`: a sign
/// after the zeros moves to the front.
// C: stringlib_zfill_impl
pub fn zfill_sign(s: &mut [u8], fill: usize) {
    if let Some(&c @ (b'+' | b'-')) = s.get(fill) {
        if let Some(first) = s.first_mut() {
            *first = c;
        }
        if let Some(at) = s.get_mut(fill) {
            *at = b'0';
        }
    }
}

/// The number of replacements `stringlib_replace` makes.
fn replacements(src: &[u8], from: &[u8], maxcount: usize) -> usize {
    if from.is_empty() {
        src.len().saturating_add(1).min(maxcount)
    } else {
        count(src, from, maxcount)
    }
}

/// The length of `stringlib_replace(self, from, to, maxcount)`'s result;
/// `Err` where C raises "replace bytes is too long".
// C: stringlib_replace
#[inline]
pub fn replace_len(src: &[u8], from: &[u8], to: &[u8], maxcount: usize) -> Result<usize, Overflow> {
    let len = src.len();
    if len < from.len() || maxcount == 0 || (from.is_empty() && to.is_empty()) {
        return Ok(len);
    }
    if !from.is_empty() && (len == 0 || from.len() == to.len()) {
        // Replaced in place (or nothing to replace): the same length,
        // found without counting.
        return Ok(len);
    }
    let n = replacements(src, from, maxcount);
    if n == 0 {
        return Ok(len);
    }
    result_len(len, from.len(), to.len(), n)
}

/// `stringlib_replace` of a short haystack, planned with one search: the
/// matches as a mask ([`tiny_match_mask`], or [`byte_match_mask64`] for
/// a one-byte `from` in up to 64 bytes) and the result's length.
#[derive(Clone, Copy, Debug)]
pub struct TinyReplace<M = u32> {
    /// Bit `p` set for a replacement at `p`.
    mask: M,
    result_len: usize,
}

/// [`replace_len`] and [`replace_into`] together for a `src` of up to
/// [`TINY`] bytes, a `from` not empty and a `to` of another length
/// (`None` for any other: the same length is replaced in place, with
/// one search already): the haystack is searched once, not once per
/// pass.  `Err` as [`replace_len`].
#[inline]
pub fn replace_tiny(
    src: &[u8],
    from: &[u8],
    to: &[u8],
    maxcount: usize,
) -> Option<Result<TinyReplace, Overflow>> {
    if from.len() == to.len() {
        return None;
    }
    let mask = tiny_match_mask(src, from, maxcount)?;
    Some(mask_plan(mask, src.len(), from.len(), to.len()))
}

/// [`replace_tiny`] of a one-byte `from` (`c`) in more than [`TINY`] and
/// up to twice as many bytes (`None` for any other length): two
/// compare masks ([`byte_match_mask64`]).
#[inline]
pub fn replace_short_byte(
    src: &[u8],
    c: u8,
    to: &[u8],
    maxcount: usize,
) -> Option<Result<TinyReplace<u64>, Overflow>> {
    if to.len() == 1 {
        return None;
    }
    let mask = byte_match_mask64(src, c, maxcount)?;
    Some(mask_plan(mask, src.len(), 1, to.len()))
}

/// The plan of the matches of `mask`: its count and the result's length.
#[inline(always)]
fn mask_plan<M: MaskWord>(
    mask: M,
    len: usize,
    from_len: usize,
    to_len: usize,
) -> Result<TinyReplace<M>, Overflow> {
    // Bit by bit: the few matches of a short haystack cost less so than
    // a population count without the POPCNT instruction.
    let (mut n, mut bits) = (0, mask);
    while !bits.is_empty() {
        bits = bits.without_lowest();
        n += 1;
    }
    let result_len = if n == 0 {
        Ok(len)
    } else {
        result_len(len, from_len, to_len, n)
    };
    result_len.map(|result_len| TinyReplace { mask, result_len })
}

impl<M: MaskWord> TinyReplace<M> {
    /// The length of the result.
    pub fn result_len(&self) -> usize {
        self.result_len
    }

    /// Writes the result into `out` (of [`Self::result_len`] bytes), for
    /// the `src`, `from` and `to` it was planned with.
    #[inline]
    pub fn write(&self, src: &[u8], from: &[u8], to: &[u8], out: &mut [u8]) {
        // A delete has its own copy of the loop, with no `to` to write.
        if to.is_empty() {
            self.write_pieces(src, from, &[], out);
        } else {
            self.write_pieces(src, from, to, out);
        }
    }

    /// [`Self::write`]'s loop.
    #[inline(always)]
    fn write_pieces(&self, src: &[u8], from: &[u8], to: &[u8], out: &mut [u8]) {
        let mut q = out;
        // The end of the last match.
        let mut done = 0;
        let mut mask = self.mask;
        while !mask.is_empty() {
            let p = mask.lowest();
            mask = mask.without_lowest();
            // A match starts at or after the end of the last.
            let Some(piece) = src.get(done..p) else {
                break;
            };
            q = put_small(q, piece);
            q = put_small(q, to);
            done = p + from.len();
        }
        put_small(q, src.get(done..).unwrap_or(&[]));
    }
}

/// How many matches a [`ReplacePlan`] keeps.
const PLANNED: usize = 16;

/// `stringlib_replace` into another length of a haystack longer than
/// [`TINY`], planned with one search: the first [`PLANNED`] matches are
/// kept as they are found for the length, and written from there; only
/// a haystack with more matches is searched again, past them.
#[derive(Clone, Copy, Debug)]
pub struct ReplacePlan {
    /// The starts of the first `planned` matches, in order.
    at: [usize; PLANNED],
    planned: usize,
    /// Whether matches past `at` follow (then `at` is full).
    more: bool,
    /// Kept in the plan (not a `Result` around it), so that the plan is
    /// built in place, not copied out.
    result_len: Result<usize, Overflow>,
}

impl ReplacePlan {
    /// A plan of nothing, to be filled in place by [`Self::search`] (a
    /// plan returned by value was copied, 160 bytes by memcpy, on the way
    /// out).
    pub const EMPTY: Self = Self {
        at: [0; PLANNED],
        planned: 0,
        more: false,
        result_len: Ok(0),
    };

    /// [`replace_len`] and [`replace_into`] together: see
    /// [`ReplacePlan`].  An empty `from` or a `to` as long (replaced in
    /// place, found without counting) plans nothing: the plan is
    /// [`replace_len`], and [`replace_into`] writes it.
    #[inline]
    pub fn search(&mut self, src: &[u8], from: &[u8], to: &[u8], maxcount: usize) {
        self.planned = 0;
        self.more = false;
        self.result_len = Ok(src.len());
        if from.is_empty() || from.len() == to.len() {
            self.more = true;
            self.result_len = replace_len(src, from, to, maxcount);
            return;
        }
        // The end of the last match; the count kept in a register.
        let (mut done, mut n) = (0, 0);
        for slot in self.at.iter_mut().take(maxcount) {
            let Some(p) = src.get(done..).and_then(|rest| find(rest, from)) else {
                break;
            };
            *slot = done + p;
            done += p + from.len();
            n += 1;
        }
        self.planned = n;
        if n == PLANNED && n < maxcount {
            let more = count(src.get(done..).unwrap_or(&[]), from, maxcount - n);
            self.more = more != 0;
            n += more;
        }
        if n != 0 {
            self.result_len = result_len(src.len(), from.len(), to.len(), n);
        }
    }

    /// The length of the result; `Err` as [`replace_len`].
    pub fn result_len(&self) -> Result<usize, Overflow> {
        self.result_len
    }

    /// Writes the result into `out` (of [`Self::result_len`] bytes, `Ok`),
    /// for the `src`, `from`, `to` and `maxcount` it was planned with.
    #[inline]
    pub fn write(&self, src: &[u8], from: &[u8], to: &[u8], maxcount: usize, out: &mut [u8]) {
        // A delete has its own copy of the loop, with no `to` to write.
        let (q, done) = if to.is_empty() {
            self.write_planned(src, from, &[], out)
        } else {
            self.write_planned(src, from, to, out)
        };
        let rest = src.get(done..).unwrap_or(&[]);
        if self.more {
            replace_into(rest, from, to, maxcount - self.planned, q);
        } else if !rest.is_empty() {
            // (A match at the end leaves nothing: no memcpy call.)
            put(q, rest);
        }
    }

    /// The planned matches' pieces: returns the rest of `out` and the
    /// end of the last match.
    #[inline(always)]
    fn write_planned<'o>(
        &self,
        src: &[u8],
        from: &[u8],
        to: &[u8],
        out: &'o mut [u8],
    ) -> (&'o mut [u8], usize) {
        let mut q = out;
        let mut done = 0;
        for &p in self.at.iter().take(self.planned) {
            // A match starts at or after the end of the last.
            let Some(piece) = src.get(done..p) else {
                break;
            };
            q = put_small(q, piece);
            q = put_small(q, to);
            done = p + from.len();
        }
        (q, done)
    }
}

/// `len + n * (to_len - from_len)` for `n >= 1` replacements, or `Err`
/// past `isize::MAX`: C's `to_len - from_len > (PY_SSIZE_T_MAX - self_len)
/// / count` (the interleave's `to_len > ...` is the case from_len == 0).
fn result_len(len: usize, from_len: usize, to_len: usize, n: usize) -> Result<usize, Overflow> {
    if to_len <= from_len {
        // Shrinks or keeps the size: the n matches lie within `len`.
        return Ok(len.saturating_sub(n.saturating_mul(from_len - to_len)));
    }
    let grow = to_len - from_len;
    if n == 0 || len > MAX || grow > (MAX - len) / n {
        return Err(Overflow);
    }
    Ok(len + n * grow)
}

/// Writes `stringlib_replace(self, from, to, maxcount)`'s result into
/// `out` (of [`replace_len`] bytes).
// C: stringlib_replace_interleave, stringlib_replace_delete_single_character,
// C: stringlib_replace_delete_substring, stringlib_replace_single_character_in_place,
// C: stringlib_replace_substring_in_place, stringlib_replace_single_character,
// C: stringlib_replace_substring
pub fn replace_into(src: &[u8], from: &[u8], to: &[u8], maxcount: usize, out: &mut [u8]) {
    let len = src.len();
    if len < from.len() || maxcount == 0 || (from.is_empty() && to.is_empty()) {
        put(out, src);
        return;
    }
    if from.is_empty() {
        // Insert `to` before every byte (and at the end), `n` times.
        let n = len.saturating_add(1).min(maxcount);
        let mut q = put(out, to);
        let mut rest = src;
        for _ in 1..n {
            let Some((&c, tail)) = rest.split_first() else {
                break;
            };
            q = put(q, &[c]);
            q = put(q, to);
            rest = tail;
        }
        put(q, rest);
        return;
    }
    if from.len() == to.len() {
        // C's replace_*_in_place: copy everything, then overwrite the
        // matches.
        if let (&[f], &[t]) = (from, to) {
            if maxcount >= src.len() {
                // Every occurrence: one pass that copies and replaces
                // together (a select the compiler vectorises), no search.
                // Past 64 bytes, libc's memchr (AVX2 in glibc) first finds
                // where the select starts, and what comes before is
                // copied (a byte found late, or not at all, costs what
                // it costs C).
                let (mut out, mut src) = (out, src);
                if src.len() > 64 {
                    let p = find_char(src, f).unwrap_or(src.len());
                    let (head, rest) = src.split_at(p.min(src.len()));
                    out = put(out, head);
                    src = rest;
                }
                // The compiler's vector loop takes 32 bytes a step and
                // leaves a shorter input to a byte loop: the bulk goes in
                // 32-byte blocks, and the rest (a 16-byte input too) in
                // 16-byte blocks, one vector each.
                let select = |d: &mut [u8], s: &[u8]| {
                    for (d, &c) in d.iter_mut().zip(s) {
                        *d = if c == f { t } else { c };
                    }
                };
                let (mut d32, mut s32) = (out.chunks_exact_mut(32), src.chunks_exact(32));
                for (d, s) in (&mut d32).zip(&mut s32) {
                    select(d, s);
                }
                let (dr, sr) = (d32.into_remainder(), s32.remainder());
                let (mut d16, mut s16) = (dr.chunks_exact_mut(16), sr.chunks_exact(16));
                for (d, s) in (&mut d16).zip(&mut s16) {
                    select(d, s);
                }
                select(d16.into_remainder(), s16.remainder());
            } else {
                // replace_single_character_in_place: the first `maxcount`
                // occurrences (the memchr crate's iterator), one byte
                // stored each.
                put(out, src);
                for p in memchr::memchr_iter(f, src).take(maxcount) {
                    if let Some(d) = out.get_mut(p) {
                        *d = t;
                    }
                }
            }
            return;
        }
        put(out, src);
        if src.len() <= TINY {
            tiny_matches(src, from, 0, 0, maxcount, |p| {
                if let Some(dst) = out.get_mut(p..p + to.len()) {
                    dst.copy_from_slice(to);
                }
            });
            return;
        }
        let mut i = 0;
        let mut n = 0;
        // Until too little is left for another match.
        while n < maxcount && src.len() - i >= from.len() {
            let Some(p) = src.get(i..).and_then(|rest| find(rest, from)) else {
                break;
            };
            if let Some(dst) = out.get_mut(i + p..i + p + to.len()) {
                dst.copy_from_slice(to);
            }
            i += p + from.len();
            n += 1;
            if goes_dense(n, i, from.len(), src.len()) {
                substitute_dense(src, from, to, i, n, maxcount, out);
                break;
            }
        }
        return;
    }
    if src.len() <= TINY {
        // One candidate mask (dense_matches' tail), written as below.
        replace_dense(src, from, to, 0, 0, maxcount, out);
        return;
    }
    if let [c] = from {
        replace_byte(src, *c, to, maxcount, out);
        return;
    }
    let mut q = out;
    let mut rest = src;
    let mut n = 0;
    while n < maxcount {
        let Some(p) = find(rest, from) else {
            break;
        };
        q = put(q, rest.get(..p).unwrap_or(&[]));
        q = put(q, to);
        rest = rest.get(p + from.len()..).unwrap_or(&[]);
        n += 1;
        let at = src.len() - rest.len();
        if goes_dense(n, at, from.len(), src.len()) {
            replace_dense(src, from, to, at, n, maxcount, q);
            return;
        }
    }
    put(q, rest);
}

/// [`replace_into`]'s general loop for a one-byte `from` (C's
/// replace_delete_single_character and replace_single_character): from
/// match to match by libc's memchr while they are sparse, as C does,
/// then by [`replace_byte_blocks`].
// C: stringlib_replace_delete_single_character, stringlib_replace_single_character
fn replace_byte(src: &[u8], c: u8, to: &[u8], maxcount: usize, out: &mut [u8]) {
    // A delete has its own copy of the loop, with no `to` to write.
    if to.is_empty() {
        byte_loop(src, c, &[], maxcount, out);
    } else {
        byte_loop(src, c, to, maxcount, out);
    }
}

/// [`replace_byte`]'s loop.
#[inline(always)]
fn byte_loop(src: &[u8], c: u8, to: &[u8], maxcount: usize, out: &mut [u8]) {
    let (mut q, mut rest, mut n) = (out, src, 0);
    let mut dense = false;
    while n < maxcount {
        let Some(p) = find_char(rest, c) else {
            break;
        };
        let (piece, tail) = rest.split_at(p.min(rest.len()));
        q = put_small(q, piece);
        q = put_small(q, to);
        rest = tail.get(1..).unwrap_or(&[]);
        n += 1;
        if n % DENSE_EVERY == 0 && !dense {
            let at = src.len() - rest.len();
            if goes_dense(n, at, 1, src.len()) {
                // Once: the blocks stop only for good (see there).
                dense = true;
                let stop;
                (q, stop, n) = replace_byte_blocks(src, c, to, at, n, maxcount, q);
                rest = src.get(stop..).unwrap_or(&[]);
            }
        }
    }
    put(q, rest);
}

/// [`replace_byte`] of dense matches, from `i` on (`out` is the result
/// from there), `n` replacements made: 16 bytes a step, each copied
/// whole, then, at each match (one compare mask, [`byte_mask16`]), `to`
/// (of up to 16 bytes, padded to 16) and the next 16 bytes of `src`
/// stored over the rest: 16-byte moves where memchr and memcpy would be
/// called.  The moves reach up to 16 bytes past what they mean to write
/// (the next ones overwrite it), and 16 past the block read, so a step
/// runs while `out` has room for the widest step ([`BLOCK_ROOM`]), `src`
/// has 32 bytes and `maxcount` allows 16 more; those only shrink, so
/// once it stops it is done.  Returns `out` from where it stopped, the
/// position in `src` and the new count.
#[inline(never)]
fn replace_byte_blocks<'o>(
    src: &[u8],
    c: u8,
    to: &[u8],
    i: usize,
    n: usize,
    maxcount: usize,
    out: &'o mut [u8],
) -> (&'o mut [u8], usize, usize) {
    // A delete has its own copy of the loop, with no `to` to store.
    let (q, i, n) = if to.is_empty() {
        byte_blocks(src, c, &[], i, n, maxcount, out)
    } else {
        byte_blocks(src, c, to, i, n, maxcount, out)
    };
    (out.get_mut(q..).unwrap_or(&mut []), i, n)
}

/// The most a step of [`byte_blocks`] writes to: the `k`th match (from
/// 0) of the block at `j` goes to `j + k * (m - 1)`, at most 240 for a
/// `to` of `m <= 16` bytes, and the bytes after it to 16 past that; a
/// store is 16 bytes.
const BLOCK_ROOM: usize = 240 + 16 + 16;

/// [`replace_byte_blocks`]' loop: returns the position in `out`, in
/// `src` and the count where it stopped.
#[inline(always)]
fn byte_blocks(
    src: &[u8],
    c: u8,
    to: &[u8],
    mut i: usize,
    mut n: usize,
    maxcount: usize,
    out: &mut [u8],
) -> (usize, usize, usize) {
    let m = to.len();
    let mut to16 = [0u8; 16];
    let Some(head) = to16.get_mut(..m) else {
        return (0, i, n);
    };
    head.copy_from_slice(to);
    // `out[q..]` is the result from `src[i..]` on.
    let mut q = 0;
    // A step has room for its up to 16 matches while `n <= last_step`.
    let Some(last_step) = maxcount.checked_sub(16) else {
        return (q, i, n);
    };
    while n <= last_step {
        let (Some(window), Some(dst)) = (
            src.get(i..).and_then(|s| s.first_chunk::<32>()),
            out.get_mut(q..)
                .and_then(|o| o.first_chunk_mut::<BLOCK_ROOM>()),
        ) else {
            break;
        };
        let Some((block, _)) = window.split_first_chunk::<16>() else {
            break;
        };
        let mut store = |at: usize, bytes: &[u8; 16]| {
            if let Some(d) = dst.get_mut(at..).and_then(|d| d.first_chunk_mut::<16>()) {
                *d = *bytes;
            }
        };
        store(0, block);
        // `o`: where `src[i + last]` goes; `last`: the block's offset
        // past the last match (no match: the block as stored).
        let (mut o, mut last) = (0, 0);
        let mut bits = byte_mask16(block, c);
        while bits != 0 {
            // Below 16: a bit of a 16-byte block's mask.
            let j = bits.trailing_zeros() as usize & 15;
            bits &= bits - 1;
            o += j - last;
            if m != 0 {
                store(o, &to16);
                o += m;
            }
            if let Some(after) = window.get(j + 1..).and_then(|w| w.first_chunk::<16>()) {
                store(o, after);
            }
            last = j + 1;
            n += 1;
        }
        q += o + (16 - last);
        i += 16;
    }
    (q, i, n)
}

/// [`replace_into`]'s in-place loop (`to` as long as `from`) from `at`
/// on, `n` replacements made: by [`dense_matches`], once matches are
/// dense.  Out of line, so that the vectors do not crowd the
/// caller's loop.
#[inline(never)]
fn substitute_dense(
    src: &[u8],
    from: &[u8],
    to: &[u8],
    at: usize,
    n: usize,
    maxcount: usize,
    out: &mut [u8],
) {
    dense_matches(src, from, at, n, maxcount, |p| {
        if let Some(dst) = out.get_mut(p..p + to.len()) {
            dst.copy_from_slice(to);
        }
    });
}

/// [`replace_into`]'s general loop from `at` on (`out` is the result from
/// there), `n` replacements made: by [`dense_matches`], as
/// [`substitute_dense`].
#[inline(never)]
fn replace_dense(
    src: &[u8],
    from: &[u8],
    to: &[u8],
    at: usize,
    n: usize,
    maxcount: usize,
    out: &mut [u8],
) {
    let mut q = out;
    // The end of the last match.
    let mut done = at;
    dense_matches(src, from, at, n, maxcount, |p| {
        q = put(core::mem::take(&mut q), src.get(done..p).unwrap_or(&[]));
        q = put(core::mem::take(&mut q), to);
        done = p + from.len();
    });
    put(q, src.get(done..).unwrap_or(&[]));
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec;
    use std::vec::Vec;

    fn replace(src: &[u8], from: &[u8], to: &[u8], maxcount: usize) -> Vec<u8> {
        let n = replace_len(src, from, to, maxcount).unwrap();
        let mut out = vec![0xAAu8; n];
        replace_into(src, from, to, maxcount, &mut out);
        // The one-search plans give the same result.
        if let Some(plan) = replace_tiny(src, from, to, maxcount) {
            let plan = plan.unwrap();
            let mut again = vec![0x55u8; plan.result_len()];
            plan.write(src, from, to, &mut again);
            assert_eq!(again, out, "{src:?} {from:?} {to:?} {maxcount}");
        }
        if let (&[c], 33..=64) = (from, src.len()) {
            if let Some(plan) = replace_short_byte(src, c, to, maxcount) {
                let plan = plan.unwrap();
                let mut again = vec![0x55u8; plan.result_len()];
                plan.write(src, from, to, &mut again);
                assert_eq!(again, out, "{src:?} {from:?} {to:?} {maxcount}");
            }
        }
        // Searched twice in one plan: nothing of the first search stays.
        let mut plan = ReplacePlan::EMPTY;
        plan.search(
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            b"a",
            b"",
            usize::MAX,
        );
        plan.search(src, from, to, maxcount);
        let mut again = vec![0x55u8; plan.result_len().unwrap()];
        plan.write(src, from, to, maxcount, &mut again);
        assert_eq!(again, out, "{src:?} {from:?} {to:?} {maxcount}");
        out
    }

    fn expandtabs(src: &[u8], t: i32) -> Vec<u8> {
        let mut out = vec![0u8; expandtabs_len(src, t).unwrap()];
        expandtabs_into(src, t, &mut out);
        out
    }

    #[test]
    fn python_results() {
        assert_eq!(replace(b"", b"", b"x", MAX), b"x");
        assert_eq!(replace(b"abc", b"", b"-", 2), b"-a-bc");
        assert_eq!(replace(b"abc", b"", b"-", MAX), b"-a-b-c-");
        assert_eq!(replace(b"Python", b"", b".", MAX), b".P.y.t.h.o.n.");
        assert_eq!(replace(b"aaa", b"a", b"", MAX), b"");
        assert_eq!(replace(b"aaa", b"a", b"", 2), b"a");
        assert_eq!(replace(b"abab", b"ab", b"xy", 1), b"xyab");
        assert_eq!(replace(b"abab", b"b", b"XYZ", MAX), b"aXYZaXYZ");
        assert_eq!(replace(b"abab", b"ab", b"Z", MAX), b"ZZ");
        assert_eq!(replace(b"abc", b"abcd", b"Z", MAX), b"abc");
        assert_eq!(replace(b"abc", b"b", b"Z", 0), b"abc");
        assert_eq!(replace(b"", b"a", b"Z", MAX), b"");
        assert_eq!(replace(b"aaaa", b"aa", b"b", MAX), b"bb");
        assert_eq!(expandtabs(b"a\tb", 8), b"a       b");
        assert_eq!(expandtabs(b"ab\tc\n\td", 4), b"ab  c\n    d");
        assert_eq!(expandtabs(b"a\tb", 0), b"ab");
        assert_eq!(expandtabs(b"a\tb", -1), b"ab");
        let mut z = *b"00-42";
        zfill_sign(&mut z, 2);
        assert_eq!(&z, b"-0042");
        let mut z = *b"000";
        zfill_sign(&mut z, 3);
        assert_eq!(&z, b"000");
        let mut p = [0u8; 7];
        pad_into(b"abc", 2, b'*', &mut p);
        assert_eq!(&p, b"**abc**");
    }

    #[test]
    fn overflow_is_reported() {
        assert_eq!(result_len(10, 1, 3, 4), Ok(18));
        assert_eq!(result_len(10, 3, 1, 4), Ok(2));
        assert_eq!(result_len(MAX - 1, 0, 1, 1), Ok(MAX));
        assert_eq!(result_len(MAX - 1, 0, 2, 1), Err(Overflow));
        assert_eq!(result_len(MAX / 2, 1, 3, MAX / 4 + 1), Ok(MAX));
        assert_eq!(result_len(MAX / 2, 1, 3, MAX / 4 + 2), Err(Overflow));
        assert_eq!(result_len(1, 0, MAX, 2), Err(Overflow));
    }

    /// C's expandtabs loops, transcribed, as the reference.
    fn ref_expandtabs(src: &[u8], t: i32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut j = 0usize;
        for &c in src {
            if c == b'\t' {
                if t > 0 {
                    let n = t as usize - j % t as usize;
                    j += n;
                    out.extend(core::iter::repeat_n(b' ', n));
                }
            } else {
                j += 1;
                out.push(c);
                if c == b'\n' || c == b'\r' {
                    j = 0;
                }
            }
        }
        out
    }

    #[test]
    fn expandtabs_matches_c_exhaustively() {
        let alphabet = [b'a', b'\t', b'\n', b'\r'];
        for len in 0..=6u32 {
            for code in 0..4u32.pow(len) {
                let s: Vec<u8> = (0..len)
                    .map(|k| alphabet[(code / 4u32.pow(k) % 4) as usize])
                    .collect();
                for t in [-1, 0, 1, 3, 8] {
                    assert_eq!(expandtabs(&s, t), ref_expandtabs(&s, t), "{s:?} {t}");
                }
            }
        }
    }

    /// C's general replace, transcribed naively, as the reference.
    fn naive(src: &[u8], from: &[u8], to: &[u8], maxcount: usize) -> Vec<u8> {
        if src.len() < from.len() || maxcount == 0 {
            return src.to_vec();
        }
        let mut out = Vec::new();
        if from.is_empty() {
            let n = (src.len() + 1).min(maxcount);
            for (k, &c) in src.iter().enumerate() {
                if k < n {
                    out.extend_from_slice(to);
                }
                out.push(c);
            }
            if n > src.len() {
                out.extend_from_slice(to);
            }
            return out;
        }
        let (mut i, mut n) = (0, 0);
        while i < src.len() {
            if n < maxcount && src[i..].starts_with(from) {
                out.extend_from_slice(to);
                i += from.len();
                n += 1;
            } else {
                out.push(src[i]);
                i += 1;
            }
        }
        out
    }

    #[test]
    fn replace_matches_naive_exhaustively() {
        for (h, hl) in crate::fastsearch::tests::strings(6) {
            let h = &h[..hl];
            for from in [&b""[..], b"a", b"ab", b"aa", b"bab"] {
                for to in [&b""[..], b"X", b"XY", b"XYZ"] {
                    for m in [0, 1, 2, MAX] {
                        assert_eq!(
                            replace(h, from, to, m),
                            naive(h, from, to, m),
                            "{h:?} {from:?} {to:?} {m}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn short_replace_matches_naive() {
        // 8 to 40 bytes: one mask of candidates (up to 32), then a few
        // bytes by find; past 32, the plan (and lengths around 64);
        // overlapping candidates; every maxcount boundary; dense and
        // sparse haystacks, for pieces of every copy width, and `to` of
        // every width (past 32 bytes, by memcpy).
        let mut rng = crate::fastsearch::tests::lcg(12345);
        let long = [b'X'; 40];
        let tos: Vec<&[u8]> = [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33]
            .iter()
            .map(|&n| &long[..n])
            .collect();
        for len in (8..=40usize).chain([63, 64, 65]) {
            for i in 0..24 {
                let alphabet: &[u8] = if i % 2 == 0 { b"ab" } else { b"abbbbbbbbbbb" };
                let h: Vec<u8> = (0..len)
                    .map(|_| alphabet[rng(alphabet.len() as u32) as usize])
                    .collect();
                for from in [&b"a"[..], b"b", b"ab", b"aa", b"aba", b"abab", b"bb"] {
                    for &to in &tos {
                        for m in [1, 2, 3, 16, 31, 32, 33, 63, 64, MAX] {
                            assert_eq!(
                                replace(&h, from, to, m),
                                naive(&h, from, to, m),
                                "{h:?} {from:?} {to:?} {m}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn one_byte_replace_matches_naive() {
        // A one-byte `from` into another length: memchr while sparse,
        // 16-byte blocks once dense (a match every 2 to 40 bytes); `to`
        // up to 16 bytes and one past; maxcount around a block's 16 and
        // the total; all of `src` deleted (no room in `out` for a block).
        let mut rng = crate::fastsearch::tests::lcg(99);
        let long = [b'X'; 17];
        for round in 0..60u32 {
            let len = 256 + rng(3000) as usize;
            let every = 2 + round % 39;
            let h: Vec<u8> = (0..len)
                .map(|_| {
                    if rng(every) == 0 {
                        b'a'
                    } else {
                        b'b' + rng(20) as u8
                    }
                })
                .collect();
            let all = h.iter().filter(|&&b| b == b'a').count();
            for m in [0, 1, 2, 3, 15, 16, 17] {
                let to = &long[..m];
                for maxcount in [15, 16, 17, 100, all.saturating_sub(1), all, MAX] {
                    assert_eq!(
                        replace(&h, b"a", to, maxcount),
                        naive(&h, b"a", to, maxcount),
                        "{h:?} {m} {maxcount}"
                    );
                }
            }
        }
        // A byte found late, or not at all (in place: found by memchr
        // before the select).
        for len in [63, 64, 65, 100, 300] {
            for tail in [&b""[..], b"a", b"ab", b"aba"] {
                let mut h = vec![b'b'; len];
                h.extend_from_slice(tail);
                for to in [&b""[..], b"X", b"XY"] {
                    for maxcount in [1, 2, MAX] {
                        assert_eq!(
                            replace(&h, b"a", to, maxcount),
                            naive(&h, b"a", to, maxcount),
                            "{len} {tail:?} {to:?} {maxcount}"
                        );
                    }
                }
            }
        }
        // 16 matches a block, every maxcount from one handover to past
        // the third block.
        for len in [255, 256, 1000, 4096] {
            let h = vec![b'a'; len];
            for to in [&b""[..], b"XY", &long[..16]] {
                for maxcount in (15..=70).chain([MAX]) {
                    assert_eq!(
                        replace(&h, b"a", to, maxcount),
                        naive(&h, b"a", to, maxcount),
                        "{len} {to:?} {maxcount}"
                    );
                }
            }
        }
    }

    #[test]
    fn dense_replace_matches_naive() {
        // Enough matches for the count to go dense (fastsearch's
        // windows), in place and not, with overlapping candidates.
        for (unit, reps) in [
            (&b"ab"[..], 300),
            (b"aab", 100),
            (b"abcdefghijklmnop", 70),
            (b"a", 200),
        ] {
            let mut h = unit.repeat(reps);
            h.extend_from_slice(b"ab");
            for from in [
                &b"b"[..],
                b"ab",
                b"aa",
                b"aba",
                b"abcd",
                b"bcdefghijklmnopa",
            ] {
                for to in [&b""[..], b"XY", b"XYZW", b"XYZWV"] {
                    for m in [1, 9, 10, 15, 16, 17, 40, MAX] {
                        assert_eq!(
                            replace(&h, from, to, m),
                            naive(&h, from, to, m),
                            "{unit:?} {from:?} {to:?} {m}"
                        );
                    }
                }
            }
        }
    }
}
