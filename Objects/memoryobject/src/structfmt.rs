//! struct module format strings, decoded without the struct module.
//!
//! `memory_richcompare` compares items of non-native or differing formats
//! by unpacking both with `struct.Struct(fmt).unpack_from` and comparing
//! the resulting Python objects.  When `struct.Struct` is the built-in
//! `_struct.Struct` (an immutable type, so its `unpack_from` cannot be
//! replaced), what that unpacking produces is fixed by the format alone,
//! and the comparison can run on the bytes: [`StructFormat::parse`] reads
//! the formats this module understands, and [`StructFormat::items_eq`]
//! compares two items the way `==` compares their unpacked values (ints
//! and bools exactly, floats as IEEE doubles, ints with floats exactly,
//! bytes with bytes, anything else unequal; a one-value result is
//! unwrapped from its tuple, as `struct_unpack_single` does).
//!
//! Pure Rust: no libpython.  Formats outside the subset (pascal strings
//! 'p', more than [`MAX_RUNS`] runs, sizes that overflow) give `None`,
//! and the caller uses the struct module.

use core::ffi::{c_int, c_long, c_longlong, c_short};
use core::mem::{align_of, size_of};

/// The most runs (`<count><code>` groups) a parsed format holds.
pub const MAX_RUNS: usize = 16;

/// What an item of a run unpacks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// 'b' 'h' 'i' 'l' 'q' 'n': int
    Signed,
    /// 'B' 'H' 'I' 'L' 'Q' 'N' 'P': int
    Unsigned,
    /// '?': bool (nonzero byte)
    Bool,
    /// 'e' 'f' 'd': float
    Float,
    /// 'c' (one byte per item) and 's' (`count` bytes, one value): bytes
    Bytes,
    /// 'x': no value
    Pad,
}

/// Byte order of multi-byte items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

const NATIVE_ORDER: Order = if cfg!(target_endian = "big") {
    Order::Big
} else {
    Order::Little
};

/// `count` items of `size` bytes at `offset` (for 's': one value of
/// `count` bytes, `size` 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    kind: Kind,
    size: usize,
    count: usize,
    offset: usize,
}

const EMPTY_RUN: Run = Run {
    kind: Kind::Pad,
    size: 0,
    count: 0,
    offset: 0,
};

/// A parsed struct format.
///
/// # Invariants
/// `runs[..nruns]` lie within `size` bytes, in increasing offsets, and
/// do not overlap; `nvalues` is the number of values `unpack_from`
/// returns for the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructFormat {
    runs: [Run; MAX_RUNS],
    nruns: usize,
    order: Order,
    size: usize,
    nvalues: usize,
}

/// One unpacked value, borrowed from the item.
#[derive(Clone, Copy, Debug)]
enum Value<'a> {
    Int(i128),
    Float(f64),
    Bytes(&'a [u8]),
}

/// The entry for `c` (`getentry()`): kind, size, alignment; `None` for a
/// code this module does not handle or the mode does not have.
fn entry(c: u8, native: bool) -> Option<(Kind, usize, usize)> {
    use Kind::*;
    let e = if native {
        match c {
            b'x' => (Pad, 1, 1),
            b'c' | b's' => (Bytes, 1, 1),
            b'b' => (Signed, 1, 1),
            b'B' => (Unsigned, 1, 1),
            b'?' => (Bool, 1, 1),
            b'h' => (Signed, size_of::<c_short>(), align_of::<c_short>()),
            b'H' => (Unsigned, size_of::<c_short>(), align_of::<c_short>()),
            b'i' => (Signed, size_of::<c_int>(), align_of::<c_int>()),
            b'I' => (Unsigned, size_of::<c_int>(), align_of::<c_int>()),
            b'l' => (Signed, size_of::<c_long>(), align_of::<c_long>()),
            b'L' => (Unsigned, size_of::<c_long>(), align_of::<c_long>()),
            b'q' => (Signed, size_of::<c_longlong>(), align_of::<c_longlong>()),
            b'Q' => (Unsigned, size_of::<c_longlong>(), align_of::<c_longlong>()),
            b'n' => (Signed, size_of::<isize>(), align_of::<isize>()),
            b'N' => (Unsigned, size_of::<usize>(), align_of::<usize>()),
            b'P' => (Unsigned, size_of::<usize>(), align_of::<usize>()),
            b'e' => (Float, 2, align_of::<c_short>()),
            b'f' => (Float, 4, align_of::<f32>()),
            b'd' => (Float, 8, align_of::<f64>()),
            _ => return None,
        }
    } else {
        match c {
            b'x' => (Pad, 1, 1),
            b'c' | b's' => (Bytes, 1, 1),
            b'b' => (Signed, 1, 1),
            b'B' => (Unsigned, 1, 1),
            b'?' => (Bool, 1, 1),
            b'h' => (Signed, 2, 1),
            b'H' => (Unsigned, 2, 1),
            b'i' | b'l' => (Signed, 4, 1),
            b'I' | b'L' => (Unsigned, 4, 1),
            b'q' => (Signed, 8, 1),
            b'Q' => (Unsigned, 8, 1),
            b'e' => (Float, 2, 1),
            b'f' => (Float, 4, 1),
            b'd' => (Float, 8, 1),
            _ => return None,
        }
    };
    Some(e)
}

/// `Py_ISSPACE`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

impl StructFormat {
    /// Parses `fmt` as `struct.Struct(fmt)` would (prefix, counts,
    /// whitespace, native alignment); `None` if it is outside the subset
    /// or invalid (the struct module then says why).
    pub fn parse(fmt: &[u8]) -> Option<StructFormat> {
        let (native, order, body) = match fmt.first() {
            Some(b'@') => (true, NATIVE_ORDER, &fmt[1..]),
            Some(b'=') => (false, NATIVE_ORDER, &fmt[1..]),
            Some(b'<') => (false, Order::Little, &fmt[1..]),
            Some(b'>') | Some(b'!') => (false, Order::Big, &fmt[1..]),
            _ => (true, NATIVE_ORDER, fmt),
        };
        let mut f = StructFormat {
            runs: [EMPTY_RUN; MAX_RUNS],
            nruns: 0,
            order,
            size: 0,
            nvalues: 0,
        };
        let mut i = 0;
        while let Some(&c) = body.get(i) {
            i = i.wrapping_add(1);
            if is_space(c) {
                continue;
            }
            let (count, code) = if c.is_ascii_digit() {
                let mut n = usize::from(c.wrapping_sub(b'0'));
                loop {
                    let d = *body.get(i)?;
                    i = i.wrapping_add(1);
                    if !d.is_ascii_digit() {
                        break (n, d);
                    }
                    // Counts beyond this are no item size worth a fast path.
                    n = n
                        .checked_mul(10)?
                        .checked_add(usize::from(d.wrapping_sub(b'0')))?;
                    if n > 1 << 40 {
                        return None;
                    }
                }
            } else {
                (1, c)
            };
            let (kind, size, align) = entry(code, native)?;
            // align(): native alignment applies even to a zero count.
            if align > 1 {
                f.size = f.size.checked_next_multiple_of(align)?;
            }
            let offset = f.size;
            f.size = f.size.checked_add(count.checked_mul(size)?)?;
            let values = match (kind, code) {
                (Kind::Pad, _) => 0,
                (_, b's') => 1,
                _ => count,
            };
            if kind == Kind::Pad || count == 0 && code != b's' {
                continue;
            }
            f.nvalues = f.nvalues.checked_add(values)?;
            let run = f.runs.get_mut(f.nruns)?;
            // INVARIANT: runs are appended at the growing end of `size`.
            *run = if code == b's' {
                Run {
                    kind,
                    size: count,
                    count: 1,
                    offset,
                }
            } else {
                Run {
                    kind,
                    size,
                    count,
                    offset,
                }
            };
            f.nruns = f.nruns.wrapping_add(1); // < MAX_RUNS (get_mut above)
        }
        Some(f)
    }

    /// `struct.calcsize(fmt)`.
    pub fn size(&self) -> usize {
        self.size
    }

    fn runs(&self) -> &[Run] {
        self.runs.get(..self.nruns).unwrap_or(&[])
    }

    /// Whether two items of this format (on both sides) are equal exactly
    /// when their bytes `[0, size)` are: every value is an int or bytes
    /// and the runs leave no padding between them.
    pub fn bytewise_eq(&self) -> bool {
        let mut end = 0;
        for r in self.runs() {
            if matches!(r.kind, Kind::Bool | Kind::Float) || r.offset != end {
                return false;
            }
            // Within `size` (struct invariant): no overflow.
            end = r.offset.wrapping_add(r.size.wrapping_mul(r.count));
        }
        end == self.size
    }

    /// The values of the item `p` (at least `size` bytes).
    fn values<'a>(&'a self, p: &'a [u8]) -> impl Iterator<Item = Value<'a>> + 'a {
        let order = self.order;
        self.runs().iter().flat_map(move |r| {
            (0..r.count).map(move |k| {
                // Within `size` (struct invariant): no overflow.
                let at = r.offset.wrapping_add(k.wrapping_mul(r.size));
                let bytes = p.get(at..at.wrapping_add(r.size)).unwrap_or(&[]);
                decode(r.kind, order, bytes)
            })
        })
    }

    /// `unpack(a) == unpack(b)` (each of `a`, `b` at least its format's
    /// `size` bytes; shorter slices compare unequal).
    pub fn items_eq(&self, a: &[u8], other: &StructFormat, b: &[u8]) -> bool {
        if a.len() < self.size || b.len() < other.size || self.nvalues != other.nvalues {
            return false;
        }
        if self == other && self.bytewise_eq() {
            return a.get(..self.size) == b.get(..self.size);
        }
        if let ([r], [q]) = (self.runs(), other.runs()) {
            if r.count == 1 && q.count == 1 {
                // One value each (the usual case): no iterators.
                let (Some(x), Some(y)) = (
                    a.get(r.offset..r.offset.wrapping_add(r.size)),
                    b.get(q.offset..q.offset.wrapping_add(q.size)),
                ) else {
                    return false;
                };
                return value_eq(
                    decode(r.kind, self.order, x),
                    decode(q.kind, other.order, y),
                );
            }
        }
        self.values(a)
            .zip(other.values(b))
            .all(|(v, w)| value_eq(v, w))
    }
}

fn decode(kind: Kind, order: Order, bytes: &[u8]) -> Value<'_> {
    /// The `N` bytes as an integer of the format's byte order.
    #[inline(always)]
    fn raw<const N: usize>(order: Order, bytes: &[u8]) -> Option<[u8; N]> {
        let mut a: [u8; N] = bytes.try_into().ok()?;
        if order != NATIVE_ORDER {
            a.reverse();
        }
        Some(a)
    }
    /// The `$n` bytes as `$t`, widened into the value `$v` (`bytes` has
    /// exactly `$n` bytes in the arms that use it).
    macro_rules! num {
        ($v:ident, $wide:ty, $n:literal, $t:ty) => {
            raw::<$n>(order, bytes).map_or(Value::Bytes(bytes), |a| {
                Value::$v(<$wide>::from(<$t>::from_ne_bytes(a)))
            })
        };
    }
    match (kind, bytes.len()) {
        (Kind::Signed, 1) => num!(Int, i128, 1, i8),
        (Kind::Signed, 2) => num!(Int, i128, 2, i16),
        (Kind::Signed, 4) => num!(Int, i128, 4, i32),
        (Kind::Signed, 8) => num!(Int, i128, 8, i64),
        (Kind::Unsigned, 1) => num!(Int, i128, 1, u8),
        (Kind::Unsigned, 2) => num!(Int, i128, 2, u16),
        (Kind::Unsigned, 4) => num!(Int, i128, 4, u32),
        (Kind::Unsigned, 8) => num!(Int, i128, 8, u64),
        (Kind::Float, 2) => raw::<2>(order, bytes).map_or(Value::Bytes(bytes), |a| {
            Value::Float(crate::native::half_to_f64(u16::from_ne_bytes(a)))
        }),
        (Kind::Float, 4) => num!(Float, f64, 4, f32),
        (Kind::Float, 8) => num!(Float, f64, 8, f64),
        (Kind::Bool, _) => Value::Int(i128::from(bytes.iter().any(|&b| b != 0))),
        // Sizes come from `entry()`: any other combination is bytes.
        _ => Value::Bytes(bytes),
    }
}

/// `PyObject_RichCompareBool(v, w, Py_EQ)` for unpacked values (distinct
/// objects: no identity shortcut applies to floats).
fn value_eq(v: Value<'_>, w: Value<'_>) -> bool {
    match (v, w) {
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(a), Value::Float(x)) | (Value::Float(x), Value::Int(a)) => int_eq_float(a, x),
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        _ => false,
    }
}

/// `int == float`, exactly (as `float_richcompare`): the float must be
/// integral and equal in value.  `a` is within +-2**64.
fn int_eq_float(a: i128, x: f64) -> bool {
    if !x.is_finite() {
        return false;
    }
    // Saturating; exact for integral |x| < 2**127, and anything larger
    // cannot equal `a`.
    let t = x as i128;
    t as f64 == x && t == a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> StructFormat {
        StructFormat::parse(s.as_bytes()).unwrap_or_else(|| panic!("{s}"))
    }

    fn eq(f: &str, a: &[u8], g: &str, b: &[u8]) -> bool {
        p(f).items_eq(a, &p(g), b)
    }

    #[test]
    fn calcsize_matches_struct() {
        // Values from CPython 3.13 struct.calcsize on x86_64 Linux.
        for (fmt, size) in [
            ("<i", 4),
            (">q", 8),
            ("!h", 2),
            ("=l", 4),
            ("@l", 8),
            ("l", 8),
            ("bi", 8),
            ("<bi", 5),
            ("i0l", 8),
            ("3s", 3),
            ("0s", 0),
            ("c d", 16),
            ("?e", 4),
            ("2x i", 8),
            ("<2xi", 6),
            ("P", 8),
            ("nN", 16),
            ("", 0),
        ] {
            if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
                assert_eq!(p(fmt).size(), size, "{fmt}");
            }
        }
    }

    #[test]
    fn outside_the_subset_or_invalid() {
        for fmt in [
            "p",
            "<P",
            "<n",
            "=N",
            "z",
            "3",
            "<i>",
            "i<",
            "\u{e9}",
            "99999999999999999999i",
        ] {
            assert!(StructFormat::parse(fmt.as_bytes()).is_none(), "{fmt}");
        }
        assert!(StructFormat::parse(b"iiiiiiiiiiiiiiii").is_some());
        assert!(StructFormat::parse(b"iiiiiiiiiiiiiiiii").is_none());
    }

    #[test]
    fn ints() {
        assert!(eq("<i", &[1, 0, 0, 0], ">i", &[0, 0, 0, 1]));
        assert!(!eq("<i", &[1, 0, 0, 0], "<i", &[2, 0, 0, 0]));
        assert!(eq("<b", &[0xff], "<h", &[0xff, 0xff]));
        assert!(!eq("<b", &[0xff], "<B", &[0xff]));
        assert!(eq("<Q", &[0xff; 8], ">Q", &[0xff; 8]));
        assert!(!eq("<q", &[0xff; 8], "<Q", &[0xff; 8]));
        assert!(eq("<?", &[2], "<B", &[1]));
        assert!(eq("<?", &[2], "?", &[7]));
    }

    #[test]
    fn floats() {
        let one = 1.0f64.to_le_bytes();
        let nan = f64::NAN.to_le_bytes();
        let negzero = (-0.0f64).to_le_bytes();
        assert!(eq("<d", &one, "<B", &[1]));
        assert!(eq("<d", &one, ">f", &1.0f32.to_be_bytes()));
        assert!(eq("<d", &one, "<e", &[0x00, 0x3c]));
        assert!(!eq("<d", &nan, "<d", &nan));
        assert!(eq("<d", &negzero, "<d", &[0; 8]));
        assert!(eq("<d", &negzero, "<i", &[0; 4]));
        assert!(!eq("<d", &0.5f64.to_le_bytes(), "<i", &[0; 4]));
        assert!(!eq(
            "<d",
            &f64::INFINITY.to_le_bytes(),
            "<q",
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]
        ));
        let big = 18446744073709551615.0f64.to_le_bytes(); // 2**64
        assert!(!eq("<d", &big, "<Q", &[0xff; 8]));
        assert!(eq(
            "<d",
            &9007199254740992.0f64.to_le_bytes(),
            "<q",
            &(1u64 << 53).to_le_bytes()
        ));
        assert!(!eq("<d", &1e300f64.to_le_bytes(), "<q", &[0xff; 8]));
    }

    #[test]
    fn bytes_and_tuples() {
        assert!(eq("c", b"a", "1s", b"a"));
        assert!(eq("2s", b"ab", "<2s", b"ab"));
        assert!(!eq("2c", b"ab", "2s", b"ab"));
        assert!(eq("2c", b"ab", "cc", b"ab"));
        assert!(!eq("c", b"a", "B", b"a"));
        assert!(eq("x", b"a", "<2x", b"bc"));
        assert!(!eq("i", &[0; 4], "ii", &[0; 8]));
        assert!(eq(
            "<hxi",
            &[1, 0, 9, 2, 0, 0, 0],
            "<hi",
            &[1, 0, 2, 0, 0, 0]
        ));
        assert!(!eq("0s", b"", "x", b"a"));
    }

    #[test]
    fn bytewise() {
        assert!(p("<i").bytewise_eq());
        assert!(p("<2s2h").bytewise_eq());
        assert!(!p("<ix").bytewise_eq());
        assert!(!p("bi").bytewise_eq()); // native alignment gap
        assert!(!p("<d").bytewise_eq());
        assert!(!p("<?").bytewise_eq());
        assert!(eq("<ix", &[1, 0, 0, 0, 5], "<ix", &[1, 0, 0, 0, 6]));
    }
}
