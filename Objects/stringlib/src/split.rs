//! `split.h`: splitting into pieces, as iterators of the pieces (slices
//! of the haystack) in the order C adds them to its list (the r-forms
//! from the right: C reverses its list at the end, and so does the
//! caller).

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

/// `s` after its leading bytes for which `f` holds: a pointer walk to the
/// slice's end, with no index kept beside it.
#[inline(always)]
fn skip_front(s: &[u8], f: impl Fn(u8) -> bool) -> &[u8] {
    let mut it = s.iter();
    loop {
        let rest = it.as_slice();
        match it.next() {
            Some(&c) if f(c) => {}
            _ => return rest,
        }
    }
}

/// `stringlib_split_whitespace(str, maxcount)`.
// C: stringlib_split_whitespace
#[derive(Clone, Debug)]
pub struct SplitWhitespace<'a> {
    /// The part not split yet.
    rest: &'a [u8],
    maxcount: usize,
    done: bool,
}

/// The pieces of `s` between runs of whitespace, at most `maxcount`
/// splits; the rest after them, stripped on the left, is the last piece.
pub fn split_whitespace(s: &[u8], maxcount: usize) -> SplitWhitespace<'_> {
    SplitWhitespace {
        rest: s,
        maxcount,
        done: false,
    }
}

impl<'a> Iterator for SplitWhitespace<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        // Skip the whitespace.
        let s = skip_front(self.rest, is_space);
        let Some((_, after_first)) = s.split_first() else {
            self.done = true;
            return None;
        };
        if self.maxcount == 0 {
            // Only occurs when maxcount was reached: the rest, after the
            // whitespace, to the end of the string.
            self.done = true;
            return Some(s);
        }
        self.maxcount -= 1;
        // The word: its first byte, then up to the next whitespace.
        let tail = skip_front(after_first, |c| !is_space(c));
        self.rest = tail;
        // `tail` is a suffix of `s`, shorter by the word.
        s.get(..s.len().wrapping_sub(tail.len()))
    }
}

/// `stringlib_rsplit_whitespace(str, maxcount)`: the pieces from the
/// right.
// C: stringlib_rsplit_whitespace
#[derive(Clone, Debug)]
pub struct RSplitWhitespace<'a> {
    /// The part not split yet.
    rest: &'a [u8],
    maxcount: usize,
    done: bool,
}

/// The pieces of `s` between runs of whitespace, from the right.
pub fn rsplit_whitespace(s: &[u8], maxcount: usize) -> RSplitWhitespace<'_> {
    RSplitWhitespace {
        rest: s,
        maxcount,
        done: false,
    }
}

impl<'a> Iterator for RSplitWhitespace<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        // Skip the whitespace: `last` is the word's last byte.
        let Some(last) = self.rest.iter().rposition(|&c| !is_space(c)) else {
            self.done = true;
            return None;
        };
        // Every later index derives from `last`; without the barrier LLVM
        // counts each of them down beside the scan (see `opaque`).
        let last = crate::opaque(last);
        let s = self.rest.get(..=last)?;
        if self.maxcount == 0 {
            self.done = true;
            return Some(s);
        }
        self.maxcount -= 1;
        // The word: back from its last byte to the whitespace before it.
        let start = s
            .get(..last)?
            .iter()
            .rposition(|&c| is_space(c))
            .map_or(0, |i| i + 1);
        self.rest = s.get(..start)?;
        s.get(start..)
    }
}

/// `stringlib_split(str, sep, maxcount)` (and `stringlib_split_char` for a
/// one-byte separator, the same pieces): the pieces between occurrences
/// of `sep`, at most `maxcount` splits.  `sep` is not empty (the caller
/// raises "empty separator").
// C: stringlib_split, stringlib_split_char
#[derive(Clone, Debug)]
pub struct SplitSep<'a> {
    /// The part after the last separator found.
    rest: &'a [u8],
    sep: &'a [u8],
    maxcount: usize,
    done: bool,
}

/// See [`SplitSep`].
pub fn split_sep<'a>(s: &'a [u8], sep: &'a [u8], maxcount: usize) -> SplitSep<'a> {
    SplitSep {
        rest: s,
        sep,
        maxcount,
        done: sep.is_empty(),
    }
}

impl<'a> Iterator for SplitSep<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        if self.maxcount > 0 {
            self.maxcount -= 1;
            if let Some(pos) = find(self.rest, self.sep) {
                // The separator is at `pos`, within `rest`.
                let (piece, at_sep) = self.rest.split_at_checked(pos)?;
                self.rest = at_sep.get(self.sep.len()..)?;
                return Some(piece);
            }
        }
        self.done = true;
        Some(self.rest)
    }
}

/// `stringlib_rsplit(str, sep, maxcount)` (and `stringlib_rsplit_char`):
/// the pieces from the right.
// C: stringlib_rsplit, stringlib_rsplit_char
#[derive(Clone, Debug)]
pub struct RSplitSep<'a> {
    /// The part before the last separator found.
    rest: &'a [u8],
    sep: &'a [u8],
    maxcount: usize,
    done: bool,
}

/// See [`RSplitSep`].
pub fn rsplit_sep<'a>(s: &'a [u8], sep: &'a [u8], maxcount: usize) -> RSplitSep<'a> {
    RSplitSep {
        rest: s,
        sep,
        maxcount,
        done: sep.is_empty(),
    }
}

impl<'a> Iterator for RSplitSep<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        if self.maxcount > 0 {
            self.maxcount -= 1;
            if let Some(pos) = rfind(self.rest, self.sep) {
                // The separator is at `pos`, within `rest`.
                let (head, at_sep) = self.rest.split_at_checked(pos)?;
                self.rest = head;
                return at_sep.get(self.sep.len()..);
            }
        }
        self.done = true;
        Some(self.rest)
    }
}

/// `stringlib_splitlines(str, keepends)`: lines ending at \n, \r or \r\n,
/// with their line break when `keepends`.
// C: stringlib_splitlines
#[derive(Clone, Debug)]
pub struct SplitLines<'a> {
    /// The lines not yielded yet.
    rest: &'a [u8],
    keepends: bool,
}

/// See [`SplitLines`].
pub fn splitlines(s: &[u8], keepends: bool) -> SplitLines<'_> {
    SplitLines { rest: s, keepends }
}

impl<'a> Iterator for SplitLines<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let s = self.rest;
        if s.is_empty() {
            return None;
        }
        // Find a line and append it (the memchr crate's two-byte search:
        // a vector of bytes a step, where a byte loop costs eight
        // instructions a byte)
        let Some(eol) = memchr::memchr2(b'\n', b'\r', s) else {
            self.rest = &[];
            return Some(s);
        };
        // Skip the line break reading CRLF as one line break
        let crlf = s.get(eol) == Some(&b'\r') && s.get(eol + 1) == Some(&b'\n');
        let (with_break, rest) = s.split_at_checked(eol + 1 + usize::from(crlf))?;
        self.rest = rest;
        if self.keepends {
            Some(with_break)
        } else {
            with_break.get(..eol)
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn pieces<'a>(_s: &'a [u8], it: impl Iterator<Item = &'a [u8]>) -> Vec<&'a [u8]> {
        it.collect()
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

    /// C's `stringlib_splitlines` loop, transcribed.
    fn ref_splitlines(s: &[u8], keepends: bool) -> Vec<&[u8]> {
        let (n, mut i, mut out) = (s.len(), 0, Vec::new());
        while i < n {
            let j = i;
            while i < n && s[i] != b'\n' && s[i] != b'\r' {
                i += 1;
            }
            let mut eol = i;
            if i < n {
                if s[i] == b'\r' && i + 1 < n && s[i + 1] == b'\n' {
                    i += 2;
                } else {
                    i += 1;
                }
                if keepends {
                    eol = i;
                }
            }
            out.push(&s[j..eol]);
        }
        out
    }

    #[test]
    fn splitlines_matches_c_exhaustively() {
        for len in 0..=7u32 {
            for code in 0..3u32.pow(len) {
                let s: Vec<u8> = (0..len)
                    .map(|i| b"a\r\n"[(code / 3u32.pow(i) % 3) as usize])
                    .collect();
                for keepends in [false, true] {
                    assert_eq!(
                        pieces(&s, splitlines(&s, keepends)),
                        ref_splitlines(&s, keepends),
                        "{s:?} {keepends}"
                    );
                }
            }
        }
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
