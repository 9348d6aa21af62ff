//! MD5 (RFC 1321) of four messages at once: the same compression function written over four
//! lanes, so the compiler runs the lanes side by side in SIMD registers. Bulk bucketing hashes
//! four usernames per call; results are bit-for-bit those of the `md-5` crate (tested below).

/// `floor(abs(sin(i + 1)) * 2^32)`.
const K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

/// Four 32-bit lanes, one per message.
type Lanes = [u32; 4];

/// One compression of four blocks; `blocks[lane]` is that lane's 64-byte block. `state[i]`
/// holds word `i` (A, B, C, D) of the four lanes.
#[inline]
pub fn compress4(state: &mut [Lanes; 4], blocks: [&[u8; 64]; 4]) {
    // Message words, lane-wise: w[i][lane].
    let mut w = [[0u32; 4]; 16];
    for (i, wi) in w.iter_mut().enumerate() {
        for (lane, block) in blocks.iter().enumerate() {
            wi[lane] = u32::from_le_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
    }
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 CPU has it.
        unsafe { sse2::compress(state, &w) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        for lane in 0..4 {
            let mut s = [
                state[0][lane],
                state[1][lane],
                state[2][lane],
                state[3][lane],
            ];
            let m: [u32; 16] = std::array::from_fn(|i| w[i][lane]);
            scalar(&mut s, &m);
            for (word, v) in s.into_iter().enumerate() {
                state[word][lane] = v;
            }
        }
    }
}

/// The message word of step `i` (0..64).
const fn word_index(i: usize) -> usize {
    match i / 16 {
        0 => i,
        1 => (5 * i + 1) % 16,
        2 => (3 * i + 5) % 16,
        _ => (7 * i) % 16,
    }
}

/// Per-step shift amounts.
const S: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, //
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, //
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, //
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/// One lane, plainly (for targets without SSE2, and as the reference in tests).
#[allow(dead_code)]
fn scalar(state: &mut [u32; 4], m: &[u32; 16]) {
    let [mut a, mut b, mut c, mut d] = *state;
    for i in 0..64 {
        let f = match i / 16 {
            0 => (b & c) | (!b & d),
            1 => (d & b) | (!d & c),
            2 => b ^ c ^ d,
            _ => c ^ (b | !d),
        };
        let x = a
            .wrapping_add(f)
            .wrapping_add(K[i])
            .wrapping_add(m[word_index(i)]);
        let next = b.wrapping_add(x.rotate_left(S[i]));
        (a, d, c, b) = (d, c, b, next);
    }
    state[0] = state[0].wrapping_add(a);
    state[1] = state[1].wrapping_add(b);
    state[2] = state[2].wrapping_add(c);
    state[3] = state[3].wrapping_add(d);
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    use super::{K, Lanes};

    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(l: Lanes) -> __m128i {
        // Lanes are signed in the intrinsic's view; the bits are what matter.
        _mm_set_epi32(l[3] as i32, l[2] as i32, l[1] as i32, l[0] as i32)
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn lane(v: __m128i, i: usize) -> u32 {
        let moved = match i {
            0 => v,
            1 => _mm_shuffle_epi32::<0b01_01_01_01>(v),
            2 => _mm_shuffle_epi32::<0b10_10_10_10>(v),
            _ => _mm_shuffle_epi32::<0b11_11_11_11>(v),
        };
        _mm_cvtsi128_si32(moved) as u32
    }

    macro_rules! step {
        ($f:ident, $a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:literal, $r:literal) => {{
            let x = _mm_add_epi32(
                _mm_add_epi32($a, $f($b, $c, $d)),
                _mm_add_epi32(_mm_set1_epi32($k as i32), $m),
            );
            let rot = _mm_or_si128(_mm_slli_epi32::<$s>(x), _mm_srli_epi32::<$r>(x));
            $a = _mm_add_epi32($b, rot);
        }};
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn f(b: __m128i, c: __m128i, d: __m128i) -> __m128i {
        // (b & c) | (!b & d)
        _mm_or_si128(_mm_and_si128(b, c), _mm_andnot_si128(b, d))
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    fn g(b: __m128i, c: __m128i, d: __m128i) -> __m128i {
        // (d & b) | (!d & c)
        _mm_or_si128(_mm_and_si128(d, b), _mm_andnot_si128(d, c))
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    fn h(b: __m128i, c: __m128i, d: __m128i) -> __m128i {
        _mm_xor_si128(_mm_xor_si128(b, c), d)
    }
    #[inline]
    #[target_feature(enable = "sse2")]
    fn i(b: __m128i, c: __m128i, d: __m128i) -> __m128i {
        // c ^ (b | !d)
        let not_d = _mm_xor_si128(d, _mm_set1_epi32(-1));
        _mm_xor_si128(c, _mm_or_si128(b, not_d))
    }

    #[target_feature(enable = "sse2")]
    pub(super) fn compress(state: &mut [Lanes; 4], w: &[Lanes; 16]) {
        let m: [__m128i; 16] = std::array::from_fn(|i| load(w[i]));
        let (a0, b0, c0, d0) = (
            load(state[0]),
            load(state[1]),
            load(state[2]),
            load(state[3]),
        );
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        // Round 1: F, words 0..16 in order.
        for q in 0..4 {
            let j = 4 * q;
            step!(f, a, b, c, d, m[j], K[j], 7, 25);
            step!(f, d, a, b, c, m[j + 1], K[j + 1], 12, 20);
            step!(f, c, d, a, b, m[j + 2], K[j + 2], 17, 15);
            step!(f, b, c, d, a, m[j + 3], K[j + 3], 22, 10);
        }
        // Round 2: G, word (5i + 1) mod 16.
        for q in 0..4 {
            let j = 16 + 4 * q;
            step!(g, a, b, c, d, m[(5 * j + 1) % 16], K[j], 5, 27);
            step!(g, d, a, b, c, m[(5 * (j + 1) + 1) % 16], K[j + 1], 9, 23);
            step!(g, c, d, a, b, m[(5 * (j + 2) + 1) % 16], K[j + 2], 14, 18);
            step!(g, b, c, d, a, m[(5 * (j + 3) + 1) % 16], K[j + 3], 20, 12);
        }
        // Round 3: H, word (3i + 5) mod 16.
        for q in 0..4 {
            let j = 32 + 4 * q;
            step!(h, a, b, c, d, m[(3 * j + 5) % 16], K[j], 4, 28);
            step!(h, d, a, b, c, m[(3 * (j + 1) + 5) % 16], K[j + 1], 11, 21);
            step!(h, c, d, a, b, m[(3 * (j + 2) + 5) % 16], K[j + 2], 16, 16);
            step!(h, b, c, d, a, m[(3 * (j + 3) + 5) % 16], K[j + 3], 23, 9);
        }
        // Round 4: I, word 7i mod 16.
        for q in 0..4 {
            let j = 48 + 4 * q;
            step!(i, a, b, c, d, m[(7 * j) % 16], K[j], 6, 26);
            step!(i, d, a, b, c, m[(7 * (j + 1)) % 16], K[j + 1], 10, 22);
            step!(i, c, d, a, b, m[(7 * (j + 2)) % 16], K[j + 2], 15, 17);
            step!(i, b, c, d, a, m[(7 * (j + 3)) % 16], K[j + 3], 21, 11);
        }
        let out = [
            _mm_add_epi32(a, a0),
            _mm_add_epi32(b, b0),
            _mm_add_epi32(c, c0),
            _mm_add_epi32(d, d0),
        ];
        for (word, v) in state.iter_mut().zip(out) {
            for (l, x) in word.iter_mut().enumerate() {
                *x = lane(v, l);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::Digest;

    fn one_block_digest(msg: &[u8]) -> [u8; 64] {
        // A single padded block (msg.len() <= 55).
        let mut b = [0u8; 64];
        b[..msg.len()].copy_from_slice(msg);
        b[msg.len()] = 0x80;
        b[56..].copy_from_slice(&((msg.len() as u64) * 8).to_le_bytes());
        b
    }

    #[test]
    fn the_scalar_lane_equals_the_md5_crate() {
        let block = one_block_digest(b"experiments.test.a/b/crobot1");
        let m: [u32; 16] = std::array::from_fn(|i| {
            u32::from_le_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ])
        });
        let mut s = [0x6745_2301u32, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
        scalar(&mut s, &m);
        let mut out = [0u8; 16];
        for (i, v) in s.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        let want: [u8; 16] = md5::Md5::digest(b"experiments.test.a/b/crobot1").into();
        assert_eq!(out, want);
    }

    #[test]
    fn four_lanes_equal_the_md5_crate() {
        let msgs: [&[u8]; 4] = [
            b"",
            b"abc",
            b"experiments.test.a/b/crobot1",
            b"message digest",
        ];
        let blocks: Vec<[u8; 64]> = msgs.iter().map(|m| one_block_digest(m)).collect();
        let init = [0x6745_2301u32, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
        let mut state = [[init[0]; 4], [init[1]; 4], [init[2]; 4], [init[3]; 4]];
        compress4(&mut state, [&blocks[0], &blocks[1], &blocks[2], &blocks[3]]);
        for (lane, m) in msgs.iter().enumerate() {
            let mut out = [0u8; 16];
            for (i, word) in state.iter().enumerate() {
                out[4 * i..4 * i + 4].copy_from_slice(&word[lane].to_le_bytes());
            }
            let want: [u8; 16] = md5::Md5::digest(m).into();
            assert_eq!(out, want, "lane {lane}");
        }
    }
}
