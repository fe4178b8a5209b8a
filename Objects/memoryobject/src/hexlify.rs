//! Lowercase hexadecimal digits of bytes, as `_Py_strhex` writes them
//! without a separator (`memoryview.hex()`).
//!
//! Pure Rust: no libpython.  On x86_64 sixteen bytes at a time with SSE2
//! (part of the x86_64 baseline, so always present); elsewhere, and for
//! the tail, one table lookup per byte.

/// The two digits of every byte value.
static DIGITS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [HEX[i >> 4], HEX[i & 15]];
        i += 1;
    }
    t
};

/// Writes the `2 * src.len()` hex digits of `src` to the front of `dst`;
/// `dst` shorter than that gets as many whole bytes as fit.
pub fn hex_into(src: &[u8], dst: &mut [u8]) {
    let done = simd(src, dst);
    let (src, dst) = (
        src.get(done..).unwrap_or(&[]),
        dst.get_mut(done.wrapping_mul(2)..).unwrap_or(&mut []),
    );
    for (s, d) in src.iter().zip(dst.chunks_exact_mut(2)) {
        d.copy_from_slice(&DIGITS[usize::from(*s)]);
    }
}

/// The SSE2 part: the digits of the first whole blocks of 16 bytes of
/// `src` that fit in `dst`; returns how many bytes it did.
#[cfg(target_arch = "x86_64")]
fn simd(src: &[u8], dst: &mut [u8]) -> usize {
    use core::arch::x86_64::*;
    let mut done: usize = 0;
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(32)) {
        // SAFETY: SSE2 is part of the x86_64 baseline (always enabled);
        // `s` has 16 readable bytes and `d` 32 writable bytes (exact
        // chunks), and the unaligned load/store intrinsics need no
        // alignment.
        unsafe {
            let v = _mm_loadu_si128(s.as_ptr() as *const __m128i);
            let m = _mm_set1_epi8(0x0f);
            let hi = _mm_and_si128(_mm_srli_epi16::<4>(v), m);
            let lo = _mm_and_si128(v, m);
            // digit(x) = x + '0' + (x > 9 ? 'a' - '0' - 10 : 0)
            let zero = _mm_set1_epi8(b'0' as i8);
            let nine = _mm_set1_epi8(9);
            let gap = _mm_set1_epi8((b'a' - b'0' - 10) as i8);
            let hi = _mm_add_epi8(
                _mm_add_epi8(hi, zero),
                _mm_and_si128(_mm_cmpgt_epi8(hi, nine), gap),
            );
            let lo = _mm_add_epi8(
                _mm_add_epi8(lo, zero),
                _mm_and_si128(_mm_cmpgt_epi8(lo, nine), gap),
            );
            let p = d.as_mut_ptr() as *mut __m128i;
            _mm_storeu_si128(p, _mm_unpacklo_epi8(hi, lo));
            _mm_storeu_si128(p.add(1), _mm_unpackhi_epi8(hi, lo));
        }
        done = done.wrapping_add(16);
    }
    done
}

#[cfg(not(target_arch = "x86_64"))]
fn simd(_src: &[u8], _dst: &mut [u8]) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(src: &[u8]) -> Vec<u8> {
        src.iter()
            .flat_map(|b| format!("{b:02x}").into_bytes())
            .collect()
    }

    #[test]
    fn every_byte_and_length() {
        let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..all.len() {
            for start in [0, 1, 7] {
                let src = &all[start.min(len)..len];
                let mut dst = vec![b'?'; 2 * src.len() + 3];
                hex_into(src, &mut dst);
                assert_eq!(&dst[..2 * src.len()], &reference(src)[..], "{len} {start}");
                assert_eq!(&dst[2 * src.len()..], b"???");
            }
        }
    }

    #[test]
    fn short_destination() {
        let mut dst = [0u8; 5];
        hex_into(&[0xab, 0xcd, 0xef], &mut dst);
        assert_eq!(&dst, b"abcd\0");
    }
}
