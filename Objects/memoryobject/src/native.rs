//! Native single-character formats (struct module syntax) and the one
//! generic element abstraction every typed loop of the crate runs on.
//!
//! Pure Rust: no libpython.  [`for_each_native!`] is the single table of
//! the eighteen native formats; it generates the marker types, their
//! [`Native`] implementations and the [`with_native!`] dispatcher, which
//! matches a format character once and runs a loop monomorphised for its
//! item type.

use core::ffi::CStr;

/// `IS_BYTE_FORMAT(f)`.
#[inline]
pub const fn is_byte_format(f: u8) -> bool {
    matches!(f, b'b' | b'B' | b'c')
}

/// An item value widened to the type the C code converts through
/// (`long`, `unsigned long long`, `double`, ...).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wide {
    /// 'b' 'h' 'i' 'l' 'q' 'n'
    Signed(i64),
    /// 'B' 'H' 'I' 'L' 'Q' 'N'
    Unsigned(u64),
    /// 'f' 'd'
    Float(f64),
    /// 'e': the IEEE 754 binary16 bits
    Half(u16),
    /// '?'
    Bool(bool),
    /// 'c'
    Char(u8),
    /// 'P'
    Ptr(usize),
}

/// One native format: a zero-sized marker type per format character.
pub trait Native: 'static {
    /// The format character.
    const CHAR: u8;
    /// The C type of an item.
    type Raw: Copy;
    /// `sizeof` the C type (what `get_native_fmtchar` returns).
    const SIZE: usize = core::mem::size_of::<Self::Raw>();

    /// The item as the C code converts it.
    fn to_wide(r: Self::Raw) -> Wide;
    /// The item for a converted value; `None` when out of range (C:
    /// `err_range`).  A value of another kind is also `None`.
    fn from_wide(w: Wide) -> Option<Self::Raw>;
    /// `==` as the typed comparison of `unpack_cmp` does it.
    fn item_eq(a: Self::Raw, b: Self::Raw) -> bool;
    /// Whether `item_eq` is equality of the item's bytes (not for floats:
    /// 0.0 == -0.0, NaN != NaN; not for `?`: every non-zero byte is True).
    const BYTEWISE_EQ: bool = true;
    /// Whether equal bytes are enough for `item_eq` (true wherever
    /// `BYTEWISE_EQ` is, and for `?`; not for floats: NaN != NaN).  Unequal
    /// bytes then still need the item comparison.
    const BYTES_EQ_IMPLIES_EQ: bool = Self::BYTEWISE_EQ;

    /// Reads an item (`memcpy` into a local in C).
    ///
    /// # Safety
    /// `p` is readable for `SIZE` bytes.
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self::Raw {
        // SAFETY: caller's contract.
        unsafe { load_unaligned(p) }
    }

    /// Writes an item.
    ///
    /// # Safety
    /// `p` is writable for `SIZE` bytes.
    #[inline(always)]
    unsafe fn store(p: *mut u8, v: Self::Raw) {
        // SAFETY: caller's contract.
        unsafe { store_unaligned(p, v) }
    }
}

/// Reads a `T` from a buffer's memory at `p`, unaligned (C's `memcpy` into
/// a local).
///
/// With the GIL, one plain load.  Free-threaded, another thread may write
/// the same item at the same time (through another view of the buffer: a
/// race in the Python program, which C's `memcpy` makes undefined
/// behaviour): the bytes are read with relaxed atomic loads, one at a time,
/// so the value may mix old and new bytes, as C's does in practice, but the
/// read is defined.
///
/// # Safety
/// `p` is readable for `size_of::<T>()` bytes, and every bit pattern is a
/// valid `T` (the native formats' types and raw pointers).
#[inline(always)]
pub unsafe fn load_unaligned<T: Copy>(p: *const u8) -> T {
    #[cfg(not(Py_GIL_DISABLED))]
    {
        // SAFETY: caller's contract.
        unsafe { core::ptr::read_unaligned(p as *const T) }
    }
    #[cfg(Py_GIL_DISABLED)]
    {
        use core::sync::atomic::{AtomicU8, Ordering};
        let mut out = core::mem::MaybeUninit::<T>::uninit();
        let dst = out.as_mut_ptr() as *mut u8;
        for i in 0..core::mem::size_of::<T>() {
            // SAFETY: caller's contract: byte `i` is readable; a u8 has
            // alignment 1; the local `out` has room for it.  An atomic load
            // reads, never writes, the buffer.
            unsafe {
                let b = AtomicU8::from_ptr(p.add(i) as *mut u8).load(Ordering::Relaxed);
                dst.add(i).write(b);
            }
        }
        // SAFETY: every byte written above; any bit pattern is a valid T
        // (caller's contract).
        unsafe { out.assume_init() }
    }
}

/// Writes `v` to a buffer's memory at `p`, unaligned; free-threaded one
/// byte at a time with relaxed atomic stores (see [`load_unaligned`]).
///
/// # Safety
/// `p` is writable for `size_of::<T>()` bytes.
#[inline(always)]
pub unsafe fn store_unaligned<T: Copy>(p: *mut u8, v: T) {
    #[cfg(not(Py_GIL_DISABLED))]
    {
        // SAFETY: caller's contract.
        unsafe { core::ptr::write_unaligned(p as *mut T, v) }
    }
    #[cfg(Py_GIL_DISABLED)]
    {
        use core::sync::atomic::{AtomicU8, Ordering};
        let src = core::ptr::addr_of!(v) as *const u8;
        for i in 0..core::mem::size_of::<T>() {
            // SAFETY: caller's contract: byte `i` is writable; `v`'s bytes
            // are initialised (the native types have no padding).
            unsafe { AtomicU8::from_ptr(p.add(i)).store(src.add(i).read(), Ordering::Relaxed) };
        }
    }
}

/// Decodes IEEE 754 binary16 bits (exact: every half is a double).
pub fn half_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = i32::from((bits >> 10) & 0x1f);
    let f = f64::from(bits & 0x3ff);
    let mag = match e {
        0 => f * pow2(-24),
        0x1f if f == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        _ => (1024.0 + f) * pow2(e.wrapping_sub(25)),
    };
    sign * mag
}

/// 2**e for the small exponents of half floats (no libm in no_std).
fn pow2(e: i32) -> f64 {
    // 1023 + e is in 1..2046 for |e| <= 1000: a normal double.
    f64::from_bits((1023i64.wrapping_add(i64::from(e.clamp(-1000, 1000))) as u64) << 52)
}

macro_rules! wide_kind {
    (Signed, $raw:ty) => {
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Signed(r as i64)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                Wide::Signed(v) => <$raw>::try_from(v).ok(),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            a == b
        }
    };
    (Unsigned, $raw:ty) => {
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Unsigned(r as u64)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                Wide::Unsigned(v) => <$raw>::try_from(v).ok(),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            a == b
        }
    };
    (Float, $raw:ty) => {
        const BYTEWISE_EQ: bool = false;
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Float(r as f64)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                // C: `(float)d` / `(double)d`.
                Wide::Float(v) => Some(v as $raw),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            a == b
        }
    };
    (Half, $raw:ty) => {
        const BYTEWISE_EQ: bool = false;
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Half(r)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                Wide::Half(v) => Some(v),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            // C compares the unpacked doubles (so 0.0 == -0.0, NaN != NaN).
            half_to_f64(a) == half_to_f64(b)
        }
    };
    (Bool, $raw:ty) => {
        const BYTEWISE_EQ: bool = false;
        const BYTES_EQ_IMPLIES_EQ: bool = true;
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Bool(r != 0)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                Wide::Bool(v) => Some(v as $raw),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            // UNPACK_TO_BOOL(p) == UNPACK_TO_BOOL(q) (gh-148390): a byte is
            // False when it is zero, True otherwise, as it unpacks.
            (a != 0) == (b != 0)
        }
    };
    (Char, $raw:ty) => {
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Char(r)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                Wide::Char(v) => Some(v),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            a == b
        }
    };
    (Ptr, $raw:ty) => {
        #[inline(always)]
        fn to_wide(r: $raw) -> Wide {
            Wide::Ptr(r)
        }
        #[inline(always)]
        fn from_wide(w: Wide) -> Option<$raw> {
            match w {
                Wide::Ptr(v) => Some(v),
                _ => None,
            }
        }
        #[inline(always)]
        fn item_eq(a: $raw, b: $raw) -> bool {
            a == b
        }
    };
}

/// The table: `(marker, format character, C type, kind, "@x", "x")`.
/// Calls `$cb!((args...) [entries...])`.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_native {
    ($cb:ident ! ( $($args:tt)* )) => {
        $cb! { ( $($args)* ) [
            (Fc, b'c', u8, Char, c"@c", c"c"),
            (Fb, b'b', i8, Signed, c"@b", c"b"),
            (FB, b'B', u8, Unsigned, c"@B", c"B"),
            (Fh, b'h', core::ffi::c_short, Signed, c"@h", c"h"),
            (FH, b'H', core::ffi::c_ushort, Unsigned, c"@H", c"H"),
            (Fi, b'i', core::ffi::c_int, Signed, c"@i", c"i"),
            (FI, b'I', core::ffi::c_uint, Unsigned, c"@I", c"I"),
            (Fl, b'l', core::ffi::c_long, Signed, c"@l", c"l"),
            (FL, b'L', core::ffi::c_ulong, Unsigned, c"@L", c"L"),
            (Fq, b'q', core::ffi::c_longlong, Signed, c"@q", c"q"),
            (FQ, b'Q', core::ffi::c_ulonglong, Unsigned, c"@Q", c"Q"),
            (Fssize, b'n', isize, Signed, c"@n", c"n"),
            (Fsize, b'N', usize, Unsigned, c"@N", c"N"),
            (Ff, b'f', f32, Float, c"@f", c"f"),
            (Fd, b'd', f64, Float, c"@d", c"d"),
            (Fe, b'e', u16, Half, c"@e", c"e"),
            (Fbool, b'?', u8, Bool, c"@?", c"?"),
            (FP, b'P', usize, Ptr, c"@P", c"P"),
        ] }
    };
}

macro_rules! define_markers {
    (() [ $( ($M:ident, $c:literal, $raw:ty, $kind:ident, $at:literal, $plain:literal) ),* $(,)? ]) => {
        $(
            #[doc = concat!("Marker of the native format `", stringify!($c), "`.")]
            #[derive(Clone, Copy, Debug)]
            pub enum $M {}
            impl Native for $M {
                const CHAR: u8 = $c;
                type Raw = $raw;
                wide_kind!($kind, $raw);
            }
        )*

        /// `sizeof` the native type of format character `c`, if native.
        #[inline]
        pub const fn native_size(c: u8) -> Option<usize> {
            match c {
                $( $c => Some(<$M as Native>::SIZE), )*
                _ => None,
            }
        }

        /// The static format string for `c` (with or without '@').
        #[inline]
        pub const fn native_fmtstr(c: u8, at: bool) -> Option<&'static CStr> {
            match c {
                $( $c => Some(if at { $at } else { $plain }), )*
                _ => None,
            }
        }

        /// [`native_size`] and [`native_fmtstr`] of `c` in one dispatch.
        #[inline]
        pub const fn native_size_fmtstr(c: u8, at: bool) -> Option<(usize, &'static CStr)> {
            match c {
                $( $c => Some((<$M as Native>::SIZE, if at { $at } else { $plain })), )*
                _ => None,
            }
        }
    };
}

for_each_native!(define_markers!());

#[macro_export]
#[doc(hidden)]
macro_rules! with_native_arms {
    ((($ch:expr), $T:ident, ($body:expr), ($other:expr))
     [ $( ($M:ident, $c:literal, $raw:ty, $kind:ident, $at:literal, $plain:literal) ),* $(,)? ]) => {
        match $ch {
            $( $c => { type $T = $crate::native::$M; $body } )*
            _ => $other,
        }
    };
}

/// `with_native!(ch, T => body, _ => other)`: dispatches on the format
/// character `ch` once and evaluates `body` with the type alias `T` bound
/// to the marker of that format (so `body` is monomorphised per format);
/// `other` for a character that is not a native format.
#[macro_export]
macro_rules! with_native {
    ($ch:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::for_each_native!(with_native_arms!(($ch), $T, ($body), ($other)))
    };
}

/// `with_itemsize!(n, T => body, _ => other)`: the same for copies, which
/// only care about the size of an item: 1, 2, 4 and 8 byte items move as
/// the raw type of a native format of that size.
#[macro_export]
macro_rules! with_itemsize {
    ($n:expr, $T:ident => $body:expr, _ => $other:expr) => {
        match $n {
            1 => {
                type $T = $crate::native::FB;
                $body
            }
            2 => {
                type $T = $crate::native::FH;
                $body
            }
            4 => {
                type $T = $crate::native::FI;
                $body
            }
            8 => {
                type $T = $crate::native::FQ;
                $body
            }
            _ => $other,
        }
    };
}

/// Strips the NUL terminator view of a C format: the bytes before it.
#[inline]
pub(crate) fn strip_at(fmt: &[u8]) -> (bool, &[u8]) {
    match fmt.split_first() {
        Some((b'@', rest)) => (true, rest),
        _ => (false, fmt),
    }
}

/// `get_native_fmtchar(&result, fmt)`: the format character and item size
/// when `fmt` is a single native format, optionally prefixed with '@'.
#[inline]
pub fn get_native_fmtchar(fmt: &[u8]) -> Option<(u8, usize)> {
    let (_, f) = strip_at(fmt);
    match f {
        [c] => native_size(*c).map(|size| (*c, size)),
        _ => None,
    }
}

/// `get_native_fmtstr(fmt)`: the static string for a single native format
/// (keeping an '@' prefix).
#[inline]
pub fn get_native_fmtstr(fmt: &[u8]) -> Option<&'static CStr> {
    let (at, f) = strip_at(fmt);
    match f {
        [c] => native_fmtstr(*c, at),
        _ => None,
    }
}

/// `adjust_fmt(view)`: the single format character (after an optional
/// '@'), or `None` when the format is not a single character.
pub fn adjust_fmt(fmt: &[u8]) -> Option<u8> {
    let (_, f) = strip_at(fmt);
    match f {
        [c] => Some(*c),
        _ => None,
    }
}

/// `equiv_format(dest, src)`: equal formats (ignoring a leading '@') and
/// equal item sizes.
pub fn equiv_format(dfmt: &[u8], ditemsize: isize, sfmt: &[u8], sitemsize: isize) -> bool {
    let (d, s) = (strip_at(dfmt).1, strip_at(sfmt).1);
    // Byte by byte: formats are short, a memcmp call costs more.
    ditemsize == sitemsize && d.len() == s.len() && d.iter().zip(s).all(|(a, b)| a == b)
}

/// A single format character as a NUL-terminated string, for the error
/// messages that print the adjusted format.
#[derive(Clone, Copy)]
pub struct FmtChar([u8; 2]);

impl FmtChar {
    /// # Panics
    /// Never; a NUL character gives the empty string.
    pub const fn new(c: u8) -> FmtChar {
        FmtChar([c, 0])
    }

    pub fn ch(&self) -> u8 {
        self.0[0]
    }

    pub fn as_cstr(&self) -> &CStr {
        match CStr::from_bytes_until_nul(&self.0) {
            Ok(s) => s,
            Err(_) => c"",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unaligned_items_round_trip() {
        // Every offset of a buffer, for items wider than their alignment
        // allows there (the free-threaded build's byte-wise path, and the
        // plain one).
        let mut buf = [0u8; 24];
        for off in 0..8 {
            let p = buf.as_mut_ptr().wrapping_add(off);
            // SAFETY: off + 16 <= 24 bytes of the local buffer.
            unsafe {
                store_unaligned(p, 0x0102_0304_0506_0708u64);
                store_unaligned(p.add(8), -2.5f64);
                assert_eq!(load_unaligned::<u64>(p), 0x0102_0304_0506_0708);
                assert_eq!(load_unaligned::<f64>(p.add(8)), -2.5);
                assert_eq!(
                    load_unaligned::<u16>(p),
                    u16::from_ne_bytes([*p, *p.add(1)])
                );
                assert_eq!(<Fd as Native>::load(p.add(8)), -2.5);
            }
            assert_eq!(buf[off..off + 8], 0x0102_0304_0506_0708u64.to_ne_bytes());
            buf = [0u8; 24];
        }
    }

    #[test]
    fn fmtchar_sizes() {
        assert_eq!(get_native_fmtchar(b"B"), Some((b'B', 1)));
        assert_eq!(get_native_fmtchar(b"@d"), Some((b'd', 8)));
        assert_eq!(get_native_fmtchar(b"e"), Some((b'e', 2)));
        assert_eq!(get_native_fmtchar(b"?"), Some((b'?', 1)));
        assert_eq!(
            get_native_fmtchar(b"P"),
            Some((b'P', core::mem::size_of::<usize>()))
        );
        assert_eq!(
            get_native_fmtchar(b"l"),
            Some((b'l', core::mem::size_of::<core::ffi::c_long>()))
        );
        assert_eq!(get_native_fmtchar(b""), None);
        assert_eq!(get_native_fmtchar(b"@"), None);
        assert_eq!(get_native_fmtchar(b"<i"), None);
        assert_eq!(get_native_fmtchar(b"ii"), None);
        assert_eq!(get_native_fmtchar(b"@@i"), None);
        assert_eq!(get_native_fmtchar(b"x"), None);
    }

    #[test]
    fn fmtstr() {
        assert_eq!(get_native_fmtstr(b"@h"), Some(c"@h"));
        assert_eq!(get_native_fmtstr(b"h"), Some(c"h"));
        assert_eq!(get_native_fmtstr(b"hh"), None);
        assert_eq!(get_native_fmtstr(b"@"), None);
        assert_eq!(native_size_fmtstr(b'x', false), None);
        assert_eq!(native_size_fmtstr(b'@', true), None);
        for c in b"cbBhHiIlLqQnNfde?P" {
            let s = [*c];
            assert_eq!(get_native_fmtstr(&s).unwrap().to_bytes(), &s);
            assert_eq!(get_native_fmtchar(&s).unwrap().1, native_size(*c).unwrap());
            for at in [false, true] {
                assert_eq!(
                    native_size_fmtstr(*c, at),
                    Some((native_size(*c).unwrap(), native_fmtstr(*c, at).unwrap()))
                );
            }
        }
    }

    #[test]
    fn adjust_and_equiv() {
        assert_eq!(adjust_fmt(b"@x"), Some(b'x'));
        assert_eq!(adjust_fmt(b"3s"), None);
        assert!(equiv_format(b"@B", 1, b"B", 1));
        assert!(!equiv_format(b"B", 1, b"b", 1));
        assert!(!equiv_format(b"B", 1, b"B", 2));
        assert!(equiv_format(b"<i", 4, b"<i", 4));
    }

    #[test]
    fn wide_ranges() {
        assert_eq!(<Fb as Native>::from_wide(Wide::Signed(-128)), Some(-128));
        assert_eq!(<Fb as Native>::from_wide(Wide::Signed(128)), None);
        assert_eq!(<FB as Native>::from_wide(Wide::Unsigned(256)), None);
        assert_eq!(
            <FH as Native>::from_wide(Wide::Unsigned(65535)),
            Some(65535)
        );
        assert_eq!(
            <Fi as Native>::from_wide(Wide::Signed(i64::from(i32::MIN) - 1)),
            None
        );
        assert_eq!(
            <Fl as Native>::from_wide(Wide::Signed(i64::MIN)),
            Some(i64::MIN as _)
        );
        assert_eq!(<FB as Native>::from_wide(Wide::Signed(1)), None);
        assert_eq!(<Fbool as Native>::to_wide(2), Wide::Bool(true));
        assert!(<Fbool as Native>::item_eq(2, 1));
        assert!(<Fbool as Native>::item_eq(1, 1));
        assert!(<Fbool as Native>::item_eq(0, 0));
        assert!(!<Fbool as Native>::item_eq(0, 4));
        assert!(!<Fbool as Native>::item_eq(255, 0));
        assert!(!<Fd as Native>::item_eq(f64::NAN, f64::NAN));
    }

    #[test]
    fn halves() {
        assert_eq!(half_to_f64(0x3c00), 1.0);
        assert_eq!(half_to_f64(0xc000), -2.0);
        assert_eq!(half_to_f64(0x7bff), 65504.0);
        assert_eq!(half_to_f64(0x0001), 2f64.powi(-24));
        assert_eq!(half_to_f64(0x7c00), f64::INFINITY);
        assert!(half_to_f64(0x7e00).is_nan());
        assert!(<Fe as Native>::item_eq(0x0000, 0x8000));
        assert!(!<Fe as Native>::item_eq(0x7e00, 0x7e00));
    }

    #[test]
    fn dispatch() {
        fn size_of_fmt(c: u8) -> usize {
            with_native!(c, T => <T as Native>::SIZE, _ => 0)
        }
        assert_eq!(size_of_fmt(b'd'), 8);
        assert_eq!(size_of_fmt(b'x'), 0);
        fn chr(c: u8) -> u8 {
            with_native!(c, T => T::CHAR, _ => 0)
        }
        for c in b"cbBhHiIlLqQnNfde?P" {
            assert_eq!(chr(*c), *c);
        }
        assert_eq!(with_itemsize!(4usize, T => T::SIZE, _ => 0), 4);
    }

    #[test]
    fn fmt_char_cstr() {
        assert_eq!(FmtChar::new(b'x').as_cstr(), c"x");
        assert_eq!(FmtChar::new(0).as_cstr(), c"");
    }
}
