//! Sets of usernames and group names with a fast, non-cryptographic hash (bulk bucketing looks
//! names up millions of times a second; the inputs are our own store's names, not an attacker's).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (rotate, xor, multiply), 8 bytes at a time.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

/// A set of names.
pub type NameSet = HashSet<Box<str>, FxBuild>;

/// A map keyed by name.
pub type NameMap<V> = HashMap<Box<str>, V, FxBuild>;

/// Builds a [`NameSet`] from any names.
pub fn name_set<I, S>(names: I) -> NameSet
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    names.into_iter().map(|s| Box::from(s.as_ref())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_find_what_they_hold() {
        let s = name_set(["alice", "bob", "a-much-longer-user-name-than-eight-bytes"]);
        assert!(s.contains("alice"));
        assert!(s.contains("a-much-longer-user-name-than-eight-bytes"));
        assert!(!s.contains("carol"));
        assert!(!s.contains(""));
    }
}
