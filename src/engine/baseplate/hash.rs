//! The bucketing hash (`spec/baseplate.md` §3.1): the SHA-1 digest of `seed ++ str(value)`
//! (UTF-8, no separator) read as one big-endian 160-bit integer, reduced modulo the number of
//! buckets.

use sha1::{Digest, Sha1};

use crate::engine::lanes::{Sha1Prefixed, sha1_bytes};

use super::PyError;
use super::py::Num;

/// `int.from_bytes(sha1(seed ++ value), "big") % n` (§3.1). `n` must be at least 1 (Python
/// raises ZeroDivisionError for 0; this function then returns 0).
#[cfg(test)]
pub fn bucket(seed: &str, value: &str, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let d = Seed::new(seed).digest(value.as_bytes());
    mod_u64(&d, n)
}

/// A SHA-1 state with the seed already absorbed: hashing a value clones it (a few dozen bytes
/// on the stack) and feeds only the value; many values are hashed side by side in the CPU's
/// widest registers ([`crate::engine::lanes`]).
#[derive(Clone)]
pub(crate) struct Seed {
    state: Sha1,
    lanes: Sha1Prefixed,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seed")
    }
}

impl Seed {
    pub(crate) fn new(seed: &str) -> Seed {
        Seed {
            state: Sha1::new_with_prefix(seed.as_bytes()),
            lanes: Sha1Prefixed::new(seed.as_bytes()),
        }
    }

    #[inline]
    pub(crate) fn digest(&self, value: &[u8]) -> [u8; 20] {
        let mut h = self.state.clone();
        h.update(value);
        h.finalize().into()
    }

    /// The digests of many values at once (`out[i]` for `values[i]`); the same as one call of
    /// [`Seed::digest`] each.
    pub(crate) fn digest_many(&self, values: &[&[u8]], out: &mut [[u8; 20]]) {
        self.lanes.map_many(values, out, sha1_bytes);
    }
}

/// The digest as an integer, modulo `n` (`n >= 1`).
#[inline]
pub(crate) fn mod_u64(d: &[u8; 20], n: u64) -> u64 {
    if let Ok(n) = u32::try_from(n) {
        // Every number of buckets in practice: five 64-bit remainders over 32-bit words
        // (r < n < 2^32, so (r << 32) | word fits in 64 bits), not twenty 128-bit ones.
        let n = u64::from(n);
        let mut r = 0u64;
        for w in d.chunks_exact(4) {
            let w = u64::from(u32::from_be_bytes([w[0], w[1], w[2], w[3]]));
            r = ((r << 32) | w) % n;
        }
        return r;
    }
    mod_u64_wide(d, n)
}

/// [`mod_u64`] for any `n >= 1`, a byte at a time in 128-bit arithmetic.
fn mod_u64_wide(d: &[u8; 20], n: u64) -> u64 {
    let n = u128::from(n);
    let mut r: u128 = 0;
    for &b in d {
        r = ((r << 8) | u128::from(b)) % n;
    }
    r as u64
}

/// The digest as an integer, modulo a positive `n` that may exceed u64 (bit by bit).
fn mod_u128(d: &[u8; 20], n: u128) -> u128 {
    if n <= u128::from(u64::MAX) {
        return u128::from(mod_u64(d, n as u64));
    }
    let mut r: u128 = 0;
    for &b in d {
        for i in (0..8).rev() {
            // r < n <= 2^127, so 2r + 1 fits.
            r = (r << 1) | u128::from((b >> i) & 1);
            if r >= n {
                r -= n;
            }
        }
    }
    r
}

/// `float(int)` of the digest, correctly rounded (round half to even) as Python converts.
fn to_f64(d: &[u8; 20]) -> f64 {
    let bit = |i: usize| u64::from((d[i / 8] >> (7 - i % 8)) & 1);
    let Some(first) = (0..160).find(|&i| bit(i) == 1) else {
        return 0.0;
    };
    // The 64 most significant bits, every lower bit folded into bit 0 (a sticky bit), which
    // keeps u64 -> f64 rounding correct.
    let mut m: u64 = 0;
    let mut i = first;
    while i < 160 && i - first < 64 {
        m = (m << 1) | bit(i);
        i += 1;
    }
    if (i..160).any(|j| bit(j) == 1) {
        m |= 1;
    }
    m as f64 * 2f64.powi((160 - i) as i32)
}

/// Python `int(digest) % n` for the `num_buckets` a simple experiment may carry: an int (with
/// Python's sign rule for negative moduli), a float (the digest is converted to float first),
/// 0 raising ZeroDivisionError.
pub(crate) fn mod_num(d: &[u8; 20], n: Num) -> Result<Num, PyError> {
    match n {
        Num::I(0) => Err(PyError::ZeroDivisionError),
        Num::I(n) if n > 0 => Ok(Num::I(mod_u128(d, n as u128) as i128)),
        Num::I(n) => {
            // Python: result has the sign of the divisor.
            let m = n.unsigned_abs();
            let r = mod_u128(d, m);
            Ok(Num::I(if r == 0 { 0 } else { r as i128 + n }))
        }
        Num::F(x) => {
            if x == 0.0 {
                return Err(PyError::ZeroDivisionError);
            }
            let v = to_f64(d);
            let mut r = v % x;
            if r != 0.0 {
                if (x < 0.0) != (r < 0.0) {
                    r += x;
                }
            } else {
                r = 0.0f64.copysign(x);
            }
            Ok(Num::F(r))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hex digests and buckets of spec §3.6 (computed there with Python's hashlib).
    #[test]
    fn worked_examples() {
        let full: [(&str, &str, u64); 10] = [
            ("testt2_1", "4225cd05d2797543f948b767caafaa3513b4d4dc", 236),
            (
                "r2_cappedt2_1",
                "36ea78501645d8c1304625b1cf72bcbf3d9b4ad8",
                696,
            ),
            (
                "1.test_experiment.Nonet2_1",
                "e1c5b315aa0049f0adb964f341df138773784d1b",
                867,
            ),
            (
                "42.mv_exp.3t2_3",
                "5a449e2ad0678b08dab7fe089f3f7fb0dffa2788",
                192,
            ),
            (
                "my-seedt2_4",
                "167b18455da51f4c406eb79e5f5b109c11c62004",
                492,
            ),
            (
                "8.rv_exp.1t2_4",
                "16db4bdce7c7661a28cfc40c160887bc4ab0f55d",
                925,
            ),
            (
                "test-seedt2_1",
                "b503f1703ea01aa06a01504e41b48e79bafc2e53",
                595,
            ),
            (
                "some new seedt2_1",
                "70973df0985cf94ee029d8b6c45062cc6feb622c",
                924,
            ),
            (
                "1.test_experiment.0t2_1",
                "e247c626edb3cc42760976de9e2f71cea90eb44d",
                445,
            ),
            (
                "1.test_experiment.0",
                "7355fba7996aacee9ae13854f13f71566f1d227d",
                653,
            ),
        ];
        for (text, hex, b) in full {
            let d = Seed::new("").digest(text.as_bytes());
            let got: String = d.iter().map(|x| format!("{x:02x}")).collect();
            assert_eq!(got, hex, "{text}");
            assert_eq!(bucket("", text, 1000), b, "{text}");
        }
        // Split between seed and value makes no difference (no separator).
        assert_eq!(bucket("1.test_experiment.0", "123", 1000), 938);
        assert_eq!(bucket("1.test_experiment.0", "True", 1000), 943);
        assert_eq!(bucket("1.test_experiment.0", "1.5", 1000), 718);
        assert_eq!(bucket("1.test_experiment.0", "t2_é", 1000), 16);
        assert_eq!(bucket("1.exp_1.0", "t2_1234", 1000), 935);
        // Prefix of the 13th vector's digest, as the spec prints it.
        let d = Seed::new("1.test_experiment.0").digest(b"1.5");
        assert_eq!(format!("{:02x}{:02x}{:02x}", d[0], d[1], d[2]), "27aad0");
    }

    #[test]
    fn odd_moduli() {
        let d = Seed::new("test").digest(b"t2_1");
        assert_eq!(mod_num(&d, Num::I(1000)), Ok(Num::I(236)));
        // Python: int(h, 16) % -1000 == 236 - 1000.
        assert_eq!(mod_num(&d, Num::I(-1000)), Ok(Num::I(-764)));
        // Python: float(h) % 1000.0 == 720.0 and % 7.5 == 2.5 (the float loses the low digits).
        assert_eq!(mod_num(&d, Num::F(1000.0)), Ok(Num::F(720.0)));
        assert_eq!(mod_num(&d, Num::F(7.5)), Ok(Num::F(2.5)));
        assert_eq!(mod_num(&d, Num::I(0)), Err(PyError::ZeroDivisionError));
        // n beyond u64: the digest (< 2^160) modulo 2^127 - 1 via the bitwise path, checked
        // against the byte path on a modulus both can do.
        assert_eq!(mod_u128(&d, 1_000_003), u128::from(mod_u64(&d, 1_000_003)));
        assert_eq!(bucket("x", "y", 0), 0);
    }

    #[test]
    fn word_remainders_equal_byte_remainders() {
        // Digests of a few strings, for numbers of buckets around the 32-bit limit too.
        for text in ["", "t2_1", "1.test_experiment.0t2_1", "some new seedt2_1"] {
            let d = Seed::new("").digest(text.as_bytes());
            for n in [1u64, 2, 7, 1000, 1037, 65_536, 999_983, u32::MAX as u64] {
                assert_eq!(mod_u64(&d, n), mod_u64_wide(&d, n), "{text:?} mod {n}");
            }
        }
    }
}
