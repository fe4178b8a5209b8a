//! `split.h`: splitting into pieces, as iterators of ranges of the
//! haystack in the order C adds the pieces to its list (the r-forms from
//! the right: C reverses its list at the end, and so does the caller).

use core::ops::Range;

use crate::fastsearch::{find, rfind};

/// `Py_ISSPACE(c)`: ASCII whitespace (space, \t, \n, \v, \f, \r), read
/// from a table as C reads `_Py_ctype_table` (one load per byte).
#[inline(always)]
pub fn is_space(c: u8) -> bool {
    SPACE[usize::from(c)]
}

/// [`is_space`]'s table.
static SPACE: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[0x0b] = true;
    t[0x0c] = true;
    t
};

/// `stringlib_split_whitespace(str, maxcount)`.
// C: stringlib_split_whitespace
#[derive(Clone, Debug)]
pub struct SplitWhitespace<'a> {
    s: &'a [u8],
    i: usize,
    maxcount: usize,
    done: bool,
}

/// The pieces of `s` between runs of whitespace, at most `maxcount`
/// splits; the rest after them, stripped on the left, is the last piece.
pub fn split_whitespace(s: &[u8], maxcount: usize) -> SplitWhitespace<'_> {
    SplitWhitespace {
        s,
        i: 0,
        maxcount,
        done: false,
    }
}

impl Iterator for SplitWhitespace<'_> {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        let n = self.s.len();
        let from = self.i.min(n);
        let rest = self.s.get(from..).unwrap_or(&[]);
        // Skip the whitespace.
        let Some(k) = rest.iter().position(|&c| !is_space(c)) else {
            self.done = true;
            return None;
        };
        let j = from + k;
        if self.maxcount == 0 {
            // Only occurs when maxcount was reached: the rest, after the
            // whitespace, to the end of the string.
            self.done = true;
            return Some(j..n);
        }
        self.maxcount -= 1;
        let word = rest.get(k + 1..).unwrap_or(&[]);
        let i = word
            .iter()
            .position(|&c| is_space(c))
            .map_or(n, |e| j + 1 + e);
        self.i = i;
        Some(j..i)
    }
}

/// `stringlib_rsplit_whitespace(str, maxcount)`: the pieces from the
/// right.
// C: stringlib_rsplit_whitespace
#[derive(Clone, Debug)]
pub struct RSplitWhitespace<'a> {
    s: &'a [u8],
    /// One past C's `i` (which starts at len - 1 and may reach -1).
    i: usize,
    maxcount: usize,
    done: bool,
}

/// The pieces of `s` between runs of whitespace, from the right.
pub fn rsplit_whitespace(s: &[u8], maxcount: usize) -> RSplitWhitespace<'_> {
    RSplitWhitespace {
        s,
        i: s.len(),
        maxcount,
        done: false,
    }
}

impl Iterator for RSplitWhitespace<'_> {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        // `i` is one past the byte C's loop looks at.
        let head = self.s.get(..self.i).unwrap_or(&[]);
        // Skip the whitespace.
        let Some(k) = head.iter().rposition(|&c| !is_space(c)) else {
            self.done = true;
            return None;
        };
        let j = k + 1;
        if self.maxcount == 0 {
            self.done = true;
            return Some(0..j);
        }
        self.maxcount -= 1;
        let word = head.get(..k).unwrap_or(&[]);
        let i = word.iter().rposition(|&c| is_space(c)).map_or(0, |e| e + 1);
        self.i = i;
        Some(i..j)
    }
}

/// `stringlib_split(str, sep, maxcount)` (and `stringlib_split_char` for a
/// one-byte separator, the same pieces): the pieces between occurrences
/// of `sep`, at most `maxcount` splits.  `sep` is not empty (the caller
/// raises "empty separator").
// C: stringlib_split, stringlib_split_char
#[derive(Clone, Debug)]
pub struct SplitSep<'a> {
    s: &'a [u8],
    sep: &'a [u8],
    i: usize,
    maxcount: usize,
    done: bool,
}

/// See [`SplitSep`].
pub fn split_sep<'a>(s: &'a [u8], sep: &'a [u8], maxcount: usize) -> SplitSep<'a> {
    SplitSep {
        s,
        sep,
        i: 0,
        maxcount,
        done: sep.is_empty(),
    }
}

impl Iterator for SplitSep<'_> {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        let n = self.s.len();
        if self.maxcount > 0 {
            self.maxcount -= 1;
            if let Some(pos) = self.s.get(self.i..).and_then(|rest| find(rest, self.sep)) {
                let j = self.i + pos;
                let piece = self.i..j;
                self.i = j + self.sep.len();
                return Some(piece);
            }
        }
        self.done = true;
        Some(self.i.min(n)..n)
    }
}

/// `stringlib_rsplit(str, sep, maxcount)` (and `stringlib_rsplit_char`):
/// the pieces from the right.
// C: stringlib_rsplit, stringlib_rsplit_char
#[derive(Clone, Debug)]
pub struct RSplitSep<'a> {
    s: &'a [u8],
    sep: &'a [u8],
    j: usize,
    maxcount: usize,
    done: bool,
}

/// See [`RSplitSep`].
pub fn rsplit_sep<'a>(s: &'a [u8], sep: &'a [u8], maxcount: usize) -> RSplitSep<'a> {
    RSplitSep {
        s,
        sep,
        j: s.len(),
        maxcount,
        done: sep.is_empty(),
    }
}

impl Iterator for RSplitSep<'_> {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        if self.maxcount > 0 {
            self.maxcount -= 1;
            if let Some(pos) = self.s.get(..self.j).and_then(|head| rfind(head, self.sep)) {
                let piece = pos + self.sep.len()..self.j;
                self.j = pos;
                return Some(piece);
            }
        }
        self.done = true;
        Some(0..self.j)
    }
}

/// `stringlib_splitlines(str, keepends)`: lines ending at \n, \r or \r\n,
/// with their line break when `keepends`.
// C: stringlib_splitlines
#[derive(Clone, Debug)]
pub struct SplitLines<'a> {
    s: &'a [u8],
    i: usize,
    keepends: bool,
}

/// See [`SplitLines`].
pub fn splitlines(s: &[u8], keepends: bool) -> SplitLines<'_> {
    SplitLines { s, i: 0, keepends }
}

impl Iterator for SplitLines<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let n = self.s.len();
        let j = self.i;
        if j >= n {
            return None;
        }
        // Find a line and append it (the memchr crate's two-byte search:
        // a vector of bytes a step, where a byte loop costs eight
        // instructions a byte)
        let mut i = self
            .s
            .get(j..)
            .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
            .map_or(n, |p| j + p);
        // Skip the line break reading CRLF as one line break
        let mut eol = i;
        if i < n {
            if self.s.get(i) == Some(&b'\r') && self.s.get(i + 1) == Some(&b'\n') {
                i += 2;
            } else {
                i += 1;
            }
            if self.keepends {
                eol = i;
            }
        }
        self.i = i;
        Some(j..eol)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn pieces(s: &[u8], it: impl Iterator<Item = Range<usize>>) -> Vec<&[u8]> {
        it.map(|r| &s[r]).collect()
    }

    #[test]
    fn python_results() {
        let s = b"  a b  c\td\n";
        assert_eq!(
            pieces(s, split_whitespace(s, usize::MAX)),
            [&b"a"[..], b"b", b"c", b"d"]
        );
        assert_eq!(pieces(s, split_whitespace(s, 1)), [&b"a"[..], b"b  c\td\n"]);
        assert_eq!(pieces(s, split_whitespace(s, 0)), [&b"a b  c\td\n"[..]]);
        assert_eq!(pieces(s, rsplit_whitespace(s, 1)), [&b"d"[..], b"  a b  c"]);
        assert_eq!(
            pieces(s, rsplit_whitespace(s, usize::MAX)),
            [&b"d"[..], b"c", b"b", b"a"]
        );
        assert_eq!(pieces(b"   ", split_whitespace(b"   ", 0)).len(), 0);
        let s = b"a,b,,c";
        assert_eq!(
            pieces(s, split_sep(s, b",", usize::MAX)),
            [&b"a"[..], b"b", b"", b"c"]
        );
        assert_eq!(pieces(s, split_sep(s, b",", 1)), [&b"a"[..], b"b,,c"]);
        assert_eq!(pieces(s, rsplit_sep(s, b",", 1)), [&b"c"[..], b"a,b,"]);
        assert_eq!(
            pieces(s, rsplit_sep(s, b",,", usize::MAX)),
            [&b"c"[..], b"a,b"]
        );
        assert_eq!(pieces(b"", split_sep(b"", b"x", usize::MAX)), [&b""[..]]);
        let s = b"a\r\nb\rc\nd";
        assert_eq!(
            pieces(s, splitlines(s, false)),
            [&b"a"[..], b"b", b"c", b"d"]
        );
        assert_eq!(
            pieces(s, splitlines(s, true)),
            [&b"a\r\n"[..], b"b\r", b"c\n", b"d"]
        );
        assert_eq!(pieces(b"\n\n", splitlines(b"\n\n", false)), [&b""[..], b""]);
    }

    /// C's loops, transcribed, as the reference.
    fn ref_split_ws(s: &[u8], mut m: usize) -> Vec<&[u8]> {
        let (n, mut i, mut out) = (s.len(), 0, Vec::new());
        while m > 0 {
            m -= 1;
            while i < n && is_space(s[i]) {
                i += 1;
            }
            if i == n {
                break;
            }
            let j = i;
            i += 1;
            while i < n && !is_space(s[i]) {
                i += 1;
            }
            out.push(&s[j..i]);
        }
        if i < n {
            while i < n && is_space(s[i]) {
                i += 1;
            }
            if i != n {
                out.push(&s[i..n]);
            }
        }
        out
    }

    fn ref_rsplit_ws(s: &[u8], mut m: usize) -> Vec<&[u8]> {
        let (mut i, mut out) = (s.len() as isize - 1, Vec::new());
        while m > 0 {
            m -= 1;
            while i >= 0 && is_space(s[i as usize]) {
                i -= 1;
            }
            if i < 0 {
                break;
            }
            let j = i;
            i -= 1;
            while i >= 0 && !is_space(s[i as usize]) {
                i -= 1;
            }
            out.push(&s[(i + 1) as usize..(j + 1) as usize]);
        }
        if i >= 0 {
            while i >= 0 && is_space(s[i as usize]) {
                i -= 1;
            }
            if i >= 0 {
                out.push(&s[..(i + 1) as usize]);
            }
        }
        out
    }

    #[test]
    fn whitespace_matches_c_exhaustively() {
        for len in 0..=8usize {
            for bits in 0..1u32 << len {
                let s: Vec<u8> = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { b' ' } else { b'x' })
                    .collect();
                for m in [0, 1, 2, 3, usize::MAX] {
                    assert_eq!(
                        pieces(&s, split_whitespace(&s, m)),
                        ref_split_ws(&s, m),
                        "{s:?} {m}"
                    );
                    assert_eq!(
                        pieces(&s, rsplit_whitespace(&s, m)),
                        ref_rsplit_ws(&s, m),
                        "{s:?} {m}"
                    );
                }
            }
        }
    }

    #[test]
    fn sep_matches_naive_exhaustively() {
        for (h, hl) in crate::fastsearch::tests::strings(7) {
            let h = &h[..hl];
            for sep in [&b"a"[..], b"ab", b"aa", b"bab"] {
                for m in [0, 1, 2, usize::MAX] {
                    // Reference: repeated find from the left / rfind from
                    // the right, as C's loops.
                    let mut want = Vec::new();
                    let (mut i, mut mm) = (0, m);
                    while mm > 0 {
                        mm -= 1;
                        match crate::fastsearch::find(&h[i..], sep) {
                            Some(p) => {
                                want.push(&h[i..i + p]);
                                i += p + sep.len();
                            }
                            None => break,
                        }
                    }
                    want.push(&h[i..]);
                    assert_eq!(pieces(h, split_sep(h, sep, m)), want);
                    let mut rwant = Vec::new();
                    let (mut j, mut mm) = (h.len(), m);
                    while mm > 0 {
                        mm -= 1;
                        match crate::fastsearch::rfind(&h[..j], sep) {
                            Some(p) => {
                                rwant.push(&h[p + sep.len()..j]);
                                j = p;
                            }
                            None => break,
                        }
                    }
                    rwant.push(&h[..j]);
                    assert_eq!(pieces(h, rsplit_sep(h, sep, m)), rwant);
                }
            }
        }
    }
}
