//! Stripping: bytearray's `bytearray_strip_impl_helper` and bytes'
//! `do_xstrip`: the range left after removing bytes of a set from either
//! end.

use core::ops::Range;

/// The range of `s` left after stripping the bytes `strip` picks from the
/// left and/or the right.
#[inline(always)]
fn strip_by(s: &[u8], left: bool, right: bool, strip: impl Fn(u8) -> bool) -> Range<usize> {
    let mut start = 0;
    if left {
        start = s.iter().position(|&c| !strip(c)).unwrap_or(s.len());
    }
    let mut end = s.len();
    if right {
        end = s
            .get(start..)
            .and_then(|rest| rest.iter().rposition(|&c| !strip(c)))
            .map_or(start, |p| start + p + 1);
    }
    start..end
}

/// The range of `s` left after stripping the bytes in `set` from the left
/// and/or the right.  A set of a few bytes is searched directly; a larger
/// one goes through a 256-entry table (C calls memchr on the set for
/// every byte).
// C: bytearray_strip_impl_helper, do_xstrip
#[inline]
pub fn strip_bytes(s: &[u8], set: &[u8], left: bool, right: bool) -> Range<usize> {
    if set.len() <= 4 {
        return strip_by(s, left, right, |c| set.contains(&c));
    }
    let mut table = [false; 256];
    for &c in set {
        table[usize::from(c)] = true;
    }
    strip_by(s, left, right, |c| table[usize::from(c)])
}

/// [`strip_bytes`] with C's default set, ASCII whitespace (`\t\n\r\f\v `),
/// read from a static table.
#[inline]
pub fn strip_space(s: &[u8], left: bool, right: bool) -> Range<usize> {
    strip_by(s, left, right, crate::split::is_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_results() {
        let ws = b"\t\n\r\x0c\x0b ";
        assert_eq!(strip_bytes(b"  ab c \n", ws, true, true), 2..6);
        assert_eq!(strip_bytes(b"  ab c \n", ws, true, false), 2..8);
        assert_eq!(strip_bytes(b"  ab c \n", ws, false, true), 0..6);
        assert_eq!(strip_bytes(b"   ", ws, true, true), 3..3);
        assert_eq!(strip_bytes(b"   ", ws, false, true), 0..0);
        assert_eq!(strip_bytes(b"xyabyx", b"xy", true, true), 2..4);
        assert_eq!(strip_bytes(b"abc", b"", true, true), 0..3);
        assert_eq!(strip_bytes(b"", b"a", true, true), 0..0);
        assert_eq!(strip_bytes(b"xyzwvabvwzyx", b"vwxyz", true, true), 5..7);
        assert_eq!(strip_bytes(b"xyzwvabvwzyx", b"vwxyz", false, true), 0..7);
    }

    /// The default set: the same ranges as strip_bytes with C's string,
    /// for every string of whitespace and other bytes up to length 6.
    #[test]
    fn strip_space_is_the_default_set() {
        let ws = b"\t\n\r\x0c\x0b ";
        let alphabet = [b' ', b'\t', b'a', 0x0b, b'\n', 0xa0, 0x1c];
        for len in 0..=6u32 {
            for mut k in 0..7usize.pow(len) {
                let mut s = [0u8; 6];
                for b in s.iter_mut().take(len as usize) {
                    *b = alphabet[k % 7];
                    k /= 7;
                }
                let s = &s[..len as usize];
                for (l, r) in [(true, true), (true, false), (false, true)] {
                    assert_eq!(strip_space(s, l, r), strip_bytes(s, ws, l, r), "{s:?}");
                }
            }
        }
    }
}
