//! Stripping: bytearray's `bytearray_strip_impl_helper` and bytes'
//! `do_xstrip`: the range left after removing bytes of a set from either
//! end.

use core::ops::Range;

/// The range of `s` left after stripping the bytes in `set` from the left
/// and/or the right.
// C: bytearray_strip_impl_helper, do_xstrip
pub fn strip_bytes(s: &[u8], set: &[u8], left: bool, right: bool) -> Range<usize> {
    // A 256-entry table: one pass over `set`, then one lookup per byte (C
    // calls memchr on the set for every byte).
    let mut table = [false; 256];
    for &c in set {
        table[usize::from(c)] = true;
    }
    let mut start = 0;
    if left {
        start = s
            .iter()
            .position(|&c| !table[usize::from(c)])
            .unwrap_or(s.len());
    }
    let mut end = s.len();
    if right {
        end = s
            .get(start..)
            .and_then(|rest| rest.iter().rposition(|&c| !table[usize::from(c)]))
            .map_or(start, |p| start + p + 1);
    }
    start..end
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
    }
}
