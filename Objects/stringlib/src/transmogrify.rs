//! `transmogrify.h`: expandtabs, the padding of ljust/rjust/center/zfill,
//! and replace.  Each transform has a length function (which reports an
//! overflow past `isize::MAX`, where C raises OverflowError) and a
//! function that writes the result into a buffer of that length.

use crate::fastsearch::{
    byte_mask16, byte_mask32, byte_mask64, byte_match_mask64, count, count_bits, count_byte,
    dense_matches, find, find_char, goes_dense, keep_first, tiny_match_mask, tiny_matches,
    MaskWord, DENSE_EVERY, DENSE_SPAN, SHORT_BYTE, TINY,
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
    let n = count_bits(mask);
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
        let (q, done) = put_masked(out, src, 0, 0, self.mask, from.len(), to);
        put_small(q, src.get(done..).unwrap_or(&[]));
    }
}

/// The pieces of a planned replace for the matches of `mask` (bit `j` for
/// a match at `at + j`): from `done` (the end of the last match) on, the
/// bytes before each match and `to`, into `out`.  Returns the rest of
/// `out` and the end of the last match.
#[inline(always)]
fn put_masked<'o, M: MaskWord>(
    out: &'o mut [u8],
    src: &[u8],
    mut done: usize,
    at: usize,
    mut mask: M,
    from_len: usize,
    to: &[u8],
) -> (&'o mut [u8], usize) {
    let mut q = out;
    while !mask.is_empty() {
        let p = at + mask.lowest();
        mask = mask.without_lowest();
        // A match starts at or after the end of the last.
        let Some(piece) = src.get(done..p) else {
            break;
        };
        q = put_small(q, piece);
        q = put_small(q, to);
        done = p + from_len;
    }
    (q, done)
}

/// The longest haystack a [`ByteReplacePlan`] takes.
pub const MASKED_BYTE: usize = 64 * MASKED_WORDS;
/// The words of a [`ByteReplacePlan`], of 64 bytes each.
const MASKED_WORDS: usize = 8;

/// `stringlib_replace` of a one-byte `from` in more than [`SHORT_BYTE`]
/// and up to [`MASKED_BYTE`] bytes into another length, planned with one
/// search: libc's memchr (AVX2 in glibc) finds the first match, and
/// compare masks of 64 bytes each ([`byte_mask64`]) the others from
/// there, for the length and the result.  A memchr call a match, as
/// [`ReplacePlan`] makes, costs more where matches are a few bytes
/// apart; the first call skips what comes before the first.
#[derive(Clone, Copy, Debug)]
pub struct ByteReplacePlan {
    /// Where the first word starts: the first match (`src`'s length when
    /// there is none).
    at: usize,
    /// Bit `j` of word `k` set for a replacement at `at + 64 * k + j`;
    /// the first `words` words.
    mask: [u64; MASKED_WORDS],
    words: usize,
    result_len: Result<usize, Overflow>,
}

impl ByteReplacePlan {
    /// A plan of nothing, to be filled in place by [`Self::search`].
    pub const EMPTY: Self = Self {
        at: 0,
        mask: [0; MASKED_WORDS],
        words: 0,
        result_len: Ok(0),
    };

    /// [`replace_len`] and [`replace_into`] together for `from` = `[c]`,
    /// a `to` of `to_len` bytes and a `src` of more than
    /// [`SHORT_BYTE`] and up to [`MASKED_BYTE`] bytes; false (planning
    /// nothing) for any other length.
    #[inline]
    pub fn search(&mut self, src: &[u8], c: u8, to_len: usize, maxcount: usize) -> bool {
        let len = src.len();
        self.words = 0;
        self.result_len = Ok(len);
        if !(SHORT_BYTE + 1..=MASKED_BYTE).contains(&len) {
            return false;
        }
        let Some(first) = find_char(src, c) else {
            self.at = len;
            return true;
        };
        self.at = first;
        let (mut at, mut n) = (first, 0);
        // The last word's bits, where it is short of 64 bytes: of one
        // byte (a match at the end, say), one compare; of more, the mask
        // of the last 32 or 64 bytes (`len` is more than 64), its bits
        // from where the word starts on.
        let last = match (len - first) % 64 {
            0 => 0,
            1 => u64::from(src.last() == Some(&c)),
            r @ 1..=32 => src
                .last_chunk::<32>()
                .map_or(0, |chunk| u64::from(byte_mask32(chunk, c) >> (32 - r))),
            r => src
                .last_chunk::<64>()
                .map_or(0, |chunk| byte_mask64(chunk, c) >> (64 - r)),
        };
        for word in self.mask.iter_mut() {
            if at >= len || n >= maxcount {
                break;
            }
            let mut mask = match src.get(at..).and_then(|rest| rest.first_chunk::<64>()) {
                Some(chunk) => byte_mask64(chunk, c),
                None => last,
            };
            let k = count_bits(mask);
            if k > maxcount - n {
                mask = keep_first(mask, maxcount - n);
            }
            n += k.min(maxcount - n);
            *word = mask;
            self.words += 1;
            at += 64;
        }
        if n != 0 {
            self.result_len = result_len(len, 1, to_len, n);
        }
        true
    }

    /// The length of the result; `Err` as [`replace_len`].
    pub fn result_len(&self) -> Result<usize, Overflow> {
        self.result_len
    }

    /// Writes the result into `out` (of [`Self::result_len`] bytes, `Ok`),
    /// for the `src` and `to` it was planned with.
    #[inline]
    pub fn write(&self, src: &[u8], to: &[u8], out: &mut [u8]) {
        // A delete has its own copy of the loop, with no `to` to write.
        let (q, done) = if to.is_empty() {
            self.write_words(src, &[], out)
        } else {
            self.write_words(src, to, out)
        };
        let rest = src.get(done..).unwrap_or(&[]);
        if !rest.is_empty() {
            // (A match at the end leaves nothing: no memcpy call.)
            put(q, rest);
        }
    }

    /// [`Self::write`]'s loop: returns the rest of `out` and the end of
    /// the last match.
    #[inline(always)]
    fn write_words<'o>(&self, src: &[u8], to: &[u8], out: &'o mut [u8]) -> (&'o mut [u8], usize) {
        let (mut q, mut done) = (out, 0);
        let mut at = self.at;
        for &mask in self.mask.iter().take(self.words) {
            (q, done) = put_masked(q, src, done, at, mask, 1, to);
            at += 64;
        }
        (q, done)
    }
}

/// How many matches a [`ReplacePlan`] keeps.
const PLANNED: usize = 16;
/// A plan of a one-byte `from` stops at this many matches when they are
/// dense (more than one per [`DENSE_SPAN`] bytes): the rest is counted
/// by [`count_byte`] and written by [`replace_byte_blocks`], where a
/// memchr call a match costs more.
const PLAN_DENSE: usize = 8;

/// `stringlib_replace` into another length of a haystack longer than
/// [`TINY`], planned with one search: the first [`PLANNED`] matches are
/// kept as they are found for the length, and written from there; only
/// a haystack with more matches is searched again, past them (a
/// one-byte `from` whose first matches are dense, past [`PLAN_DENSE`]
/// of them, by [`count_byte`] and by blocks).  A one-byte `from` in up
/// to [`MASKED_BYTE`] bytes has a plan of its own, [`ByteReplacePlan`].
#[derive(Clone, Copy, Debug)]
pub struct ReplacePlan {
    /// The starts of the first `planned` matches, in order.
    at: [usize; PLANNED],
    planned: usize,
    /// Whether matches past `at` follow (then `at` is full, or the plan
    /// went `dense`).
    more: bool,
    /// Whether a one-byte `from` stopped planning at [`PLAN_DENSE`]
    /// matches, which were dense: the rest goes by blocks.
    dense: bool,
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
        dense: false,
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
        self.dense = false;
        self.result_len = Ok(src.len());
        if from.is_empty() || from.len() == to.len() {
            self.more = true;
            self.result_len = replace_len(src, from, to, maxcount);
            return;
        }
        // The end of the last match; the count kept in a register.
        let (mut done, mut n) = (0, 0);
        let blocks = from.len() == 1 && to.len() <= 16;
        for slot in self.at.iter_mut().take(maxcount) {
            let Some(p) = src.get(done..).and_then(|rest| find(rest, from)) else {
                break;
            };
            *slot = done + p;
            done += p + from.len();
            n += 1;
            if n == PLAN_DENSE && blocks && n * DENSE_SPAN > done && n < maxcount {
                self.dense = true;
                break;
            }
        }
        self.planned = n;
        if self.dense {
            // Every byte equal to `from` is a match.
            let rest = src.get(done..).unwrap_or(&[]);
            let more = from
                .first()
                .map_or(0, |&c| count_byte(rest, c).min(maxcount - n));
            self.more = more != 0;
            n += more;
        } else if n == PLANNED && n < maxcount {
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
        if let (true, true, &[c]) = (self.more, self.dense, from) {
            // The blocks run to the end, or to `maxcount` and leave the
            // rest of `src` to copy (`to` fits them: see `search`).
            let (q, stop, _) = replace_byte_blocks(src, c, to, done, self.planned, maxcount, q);
            put(q, src.get(stop..).unwrap_or(&[]));
        } else if self.more {
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
            replace_byte_in_place(src, f, t, maxcount, out);
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

/// [`replace_into`] of a one-byte `from` (`f`) by a one-byte `to` (`t`):
/// `out` is as long as `src`.  Its own entry, so that a caller that knows
/// the lengths skips the general dispatch.
// C: stringlib_replace_single_character_in_place
#[inline(never)]
pub fn replace_byte_in_place(src: &[u8], f: u8, t: u8, maxcount: usize, out: &mut [u8]) {
    if maxcount >= src.len() {
        // Every occurrence: one pass that copies and replaces together
        // (a select the compiler vectorises), no search.  Past 64 bytes,
        // libc's memchr (AVX2 in glibc) first finds where the select
        // starts, and what comes before is copied (a byte found late,
        // or not at all, costs what it costs C).
        let select = |d: &mut [u8], s: &[u8]| {
            for (d, &c) in d.iter_mut().zip(s) {
                *d = if c == f { t } else { c };
            }
        };
        let len = src.len();
        if len < 32 {
            // The compiler's vector loop takes 32 bytes a step and leaves
            // a shorter input to a byte loop: under 32 bytes (a 16-byte
            // input too), 16-byte blocks, one vector each, and bytes.
            let (mut d16, mut s16) = (out.chunks_exact_mut(16), src.chunks_exact(16));
            for (d, s) in (&mut d16).zip(&mut s16) {
                select(d, s);
            }
            select(d16.into_remainder(), s16.remainder());
            return;
        }
        // Where the select starts.
        let mut from = 0;
        if len > 64 {
            let Some(p) = find_char(src, f) else {
                put(out, src);
                return;
            };
            put(out, src.get(..p).unwrap_or(&[]));
            // The match found, and the select from past it (a match at
            // the end leaves nothing to select).
            if let Some(d) = out.get_mut(p) {
                *d = t;
            }
            from = p + 1;
            if from >= len {
                return;
            }
        }
        // 32-byte blocks, and what is left by one more, the last 32 bytes
        // of all (each byte selected from `src` again: before `from`,
        // `src` holds no match but the one replaced).
        let (d, s) = (
            out.get_mut(from..).unwrap_or(&mut []),
            src.get(from..).unwrap_or(&[]),
        );
        let (mut d32, mut s32) = (d.chunks_exact_mut(32), s.chunks_exact(32));
        for (d, s) in (&mut d32).zip(&mut s32) {
            select(d, s);
        }
        if !s32.remainder().is_empty() {
            if let (Some(d), Some(s)) = (out.last_chunk_mut::<32>(), src.last_chunk::<32>()) {
                select(d, s);
            }
        }
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
                // Once: the blocks run to the end (or to `maxcount`),
                // but for a `to` too long for them, where they take
                // nothing.
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
/// runs in place while `out` has room for the widest step of its `to`
/// ([`block_room`]), `src` has 32 bytes and `maxcount` allows 16 more;
/// the last steps (the last [`block_room`] bytes of the result, at most)
/// run in scratch copies, and what they mean to write is copied out.
/// Runs to the end of `src` or to `maxcount`, for a `to` of up to 16
/// bytes (a longer one takes nothing); returns `out` from where it
/// stopped, the position in `src` and the new count.
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
    // A delete has its own copy of the loop, with no `to` to store, and
    // so has a short `to`, with less room to keep free.
    let (q, i, n) = match to.len() {
        0 => byte_blocks::<{ block_room(0) }>(src, c, &[], i, n, maxcount, out),
        1..=4 => byte_blocks::<{ block_room(4) }>(src, c, to, i, n, maxcount, out),
        _ => byte_blocks::<{ block_room(16) }>(src, c, to, i, n, maxcount, out),
    };
    (out.get_mut(q..).unwrap_or(&mut []), i, n)
}

/// The most a step of [`byte_blocks`] writes to, for a `to` of up to `m`
/// bytes: the `k`th match (from 0) of a block goes to at most `15 + k *
/// (m - 1)`, `15 * m` for the last (`m >= 1`), `to` and the 16 bytes
/// stored after it end 16 + `m` past that; with no `to` (a delete), the
/// bytes after a match are stored at 15 at most, and the block at 0.
const fn block_room(m: usize) -> usize {
    if m == 0 {
        32
    } else {
        16 * m + 16
    }
}

/// [`replace_byte_blocks`]' loop, for a `to` that takes at most `ROOM`
/// bytes a step ([`block_room`]): returns the position in `out`, in
/// `src` and the count where it stopped.
#[inline(always)]
fn byte_blocks<const ROOM: usize>(
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
    // (A `to` of up to 16 bytes first: `block_room` of it cannot wrap.)
    let Some(head) = to16.get_mut(..m) else {
        return (0, i, n);
    };
    if block_room(m) > ROOM {
        return (0, i, n);
    }
    head.copy_from_slice(to);
    // `out[q..]` is the result from `src[i..]` on.
    let mut q = 0;
    // A step has room for its up to 16 matches while `n <= last_step`.
    if let Some(last_step) = maxcount.checked_sub(16) {
        while n <= last_step {
            let (Some(window), Some(dst)) = (
                src.get(i..).and_then(|s| s.first_chunk::<32>()),
                out.get_mut(q..).and_then(|o| o.first_chunk_mut::<ROOM>()),
            ) else {
                break;
            };
            let (block, _) = window.split_first_chunk::<16>().unwrap_or((&[0; 16], &[]));
            let (end, k) = block_step(window, byte_mask16(block, c), &to16, m, dst);
            n += k;
            q += end;
            i += 16;
        }
    }
    let (end, i, n) = last_blocks::<ROOM>(src, c, &to16, m, i, n, maxcount, out.get_mut(q..));
    (q + end, i, n)
}

/// The last steps of [`byte_blocks`], out of line (the loop above keeps
/// its registers): `window` holds what is left of `src` (the lanes past
/// it are masked off), and `scratch` takes the step's stores.  Returns
/// the position in `out` (the result from `src[i..]` on), in `src` and
/// the count where it stopped.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn last_blocks<const ROOM: usize>(
    src: &[u8],
    c: u8,
    to16: &[u8; 16],
    m: usize,
    mut i: usize,
    mut n: usize,
    maxcount: usize,
    out: Option<&mut [u8]>,
) -> (usize, usize, usize) {
    let Some(out) = out else {
        return (0, i, n);
    };
    let mut q = 0;
    let (mut window, mut scratch) = ([0u8; 32], [0u8; ROOM]);
    while n < maxcount {
        let rest = src.get(i..).unwrap_or(&[]);
        if rest.is_empty() {
            break;
        }
        let valid = rest.len().min(16);
        put_small(&mut window, rest.get(..rest.len().min(32)).unwrap_or(&[]));
        let (block, _) = window.split_first_chunk::<16>().unwrap_or((&[0; 16], &[]));
        let bits = keep_first(byte_mask16(block, c) & ((1 << valid) - 1), maxcount - n);
        let (end, k) = block_step(&window, bits, to16, m, &mut scratch);
        // The step means to write its matches' pieces and `to`s, and the
        // block's bytes after the last match: `valid`, not 16.
        let end = end - (16 - valid);
        let (Some(piece), Some(dst)) = (scratch.get(..end), out.get_mut(q..)) else {
            break;
        };
        put_small(dst, piece);
        n += k;
        q += end;
        i += valid;
    }
    (q, i, n)
}

/// One step of [`byte_blocks`]: the block `window[..16]`, with its
/// matches `bits`, replaced into `dst`; returns where the block's bytes
/// after its last match end in `dst` (all 16 bytes counted), and the
/// number of matches.
#[inline(always)]
fn block_step<const ROOM: usize>(
    window: &[u8; 32],
    mut bits: u32,
    to16: &[u8; 16],
    m: usize,
    dst: &mut [u8; ROOM],
) -> (usize, usize) {
    let mut store = |at: usize, bytes: &[u8; 16]| {
        if let Some(d) = dst.get_mut(at..).and_then(|d| d.first_chunk_mut::<16>()) {
            *d = *bytes;
        }
    };
    if let Some(block) = window.first_chunk::<16>() {
        store(0, block);
    }
    // `o`: where `window[last]` goes; `last`: the block's offset past the
    // last match (no match: the block as stored).
    let (mut o, mut last, mut k) = (0, 0, 0);
    while bits != 0 {
        // Below 16: a bit of a 16-byte block's mask.
        let j = bits.trailing_zeros() as usize & 15;
        bits &= bits - 1;
        o += j - last;
        if m != 0 {
            store(o, to16);
            o += m;
        }
        if let Some(after) = window.get(j + 1..).and_then(|w| w.first_chunk::<16>()) {
            store(o, after);
        }
        last = j + 1;
        k += 1;
    }
    (o + (16 - last), k)
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
        if let &[c] = from {
            let mut plan = ByteReplacePlan::EMPTY;
            // Searched twice: nothing of the first search stays.
            plan.search(&[c; 200], c, 0, usize::MAX);
            if plan.search(src, c, to.len(), maxcount) {
                let mut again = vec![0x55u8; plan.result_len().unwrap()];
                plan.write(src, to, &mut again);
                assert_eq!(again, out, "{src:?} {from:?} {to:?} {maxcount}");
            } else {
                assert!(to.len() == 1 || !(SHORT_BYTE + 1..=MASKED_BYTE).contains(&src.len()));
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
    fn masked_byte_replace_matches_naive() {
        // ByteReplacePlan (checked in `replace`): every length of its
        // range and both ends past it, matches from every byte to none
        // (and one at either end), maxcount around a word's 64 bits.
        let mut rng = crate::fastsearch::tests::lcg(5);
        let long = [b'X'; 40];
        for len in (SHORT_BYTE..=MASKED_BYTE + 1)
            .step_by(7)
            .chain([65, 128, 129, 1023, 1024])
        {
            for every in [1, 2, 16, 63, 64, 300, 0] {
                let mut h: Vec<u8> = (0..len)
                    .map(|_| {
                        if every != 0 && rng(every) == 0 {
                            b'a'
                        } else {
                            b'b' + rng(20) as u8
                        }
                    })
                    .collect();
                if every == 0 && len % 3 == 0 {
                    // One match, at the start or at the end.
                    let at = if len % 2 == 0 { 0 } else { len - 1 };
                    h[at] = b'a';
                }
                let all = h.iter().filter(|&&b| b == b'a').count();
                for m in [0, 2, 17, 40] {
                    for maxcount in [0, 1, 63, 64, 65, all.saturating_sub(1), MAX] {
                        assert_eq!(
                            replace(&h, b"a", &long[..m], maxcount),
                            naive(&h, b"a", &long[..m], maxcount),
                            "{h:?} {m} {maxcount}"
                        );
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
