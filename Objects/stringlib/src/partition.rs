//! `partition.h`: the separator's position for partition and rpartition.

/// Where `sep` first occurs in `s` (`stringlib_partition`'s search); the
/// caller raises "empty separator" for an empty one.
// C: stringlib_partition
#[inline]
pub fn partition(s: &[u8], sep: &[u8]) -> Option<usize> {
    if sep.is_empty() {
        return None;
    }
    crate::fastsearch::find(s, sep)
}

/// Where `sep` last occurs in `s` (`stringlib_rpartition`'s search).
// C: stringlib_rpartition
#[inline]
pub fn rpartition(s: &[u8], sep: &[u8]) -> Option<usize> {
    if sep.is_empty() {
        return None;
    }
    crate::fastsearch::rfind(s, sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_results() {
        assert_eq!(partition(b"a.b.c", b"."), Some(1));
        assert_eq!(rpartition(b"a.b.c", b"."), Some(3));
        assert_eq!(partition(b"abc", b"x"), None);
        assert_eq!(partition(b"abc", b""), None);
        assert_eq!(rpartition(b"abab", b"ab"), Some(2));
    }
}
