//! MD5's compression function (RFC 1321) over `N` lanes at once, one body for every width in
//! `ops.rs`. Hand-written because bulk bucketing needs edX's bit-exact MD5 at the width of the
//! CPU's registers (4, 8 or 16 messages per instruction), which the `md-5` crate does not offer;
//! the tests in `mod.rs` compare every lane with that crate.

/// `floor(abs(sin(i + 1)) * 2^32)`.
pub(super) const K: [u32; 64] = [
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

/// MD5's initial state.
pub(super) const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

/// `a = b + ((a + f + K + m) <<< l)`; `r = 32 - l` (SSE2 and AVX2 rotate by two shifts).
macro_rules! step {
    ($f:expr, $a:ident, $b:ident, $m:expr, $k:expr, $l:literal, $r:literal) => {
        $a = add($b, rotl::<$l, $r>(add(add($a, $f), add(set1($k), $m))))
    };
}

/// The compression function for the `N`, `V` and operations in scope: `state[word][lane]`,
/// `w[i][lane]` the block's message words (little-endian, as MD5 reads them).
macro_rules! compress {
    ($(#[$attr:meta])*) => {
        $(#[$attr])*
        pub(crate) fn compress(state: &mut [[u32; N]; 4], w: &[[u32; N]; 16]) {
            let mut m = [set1(0); 16];
            for i in 0..16 {
                m[i] = load(&w[i]);
            }
            let (a0, b0, c0, d0) = (load(&state[0]), load(&state[1]), load(&state[2]), load(&state[3]));
            let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
            for q in 0..4 {
                let j = 4 * q;
                step!(sel(b, c, d), a, b, m[j], K[j], 7, 25);
                step!(sel(a, b, c), d, a, m[j + 1], K[j + 1], 12, 20);
                step!(sel(d, a, b), c, d, m[j + 2], K[j + 2], 17, 15);
                step!(sel(c, d, a), b, c, m[j + 3], K[j + 3], 22, 10);
            }
            for q in 0..4 {
                let j = 16 + 4 * q;
                step!(sel(d, b, c), a, b, m[(5 * j + 1) % 16], K[j], 5, 27);
                step!(sel(c, a, b), d, a, m[(5 * j + 6) % 16], K[j + 1], 9, 23);
                step!(sel(b, d, a), c, d, m[(5 * j + 11) % 16], K[j + 2], 14, 18);
                step!(sel(a, c, d), b, c, m[(5 * j + 16) % 16], K[j + 3], 20, 12);
            }
            for q in 0..4 {
                let j = 32 + 4 * q;
                step!(xor3(b, c, d), a, b, m[(3 * j + 5) % 16], K[j], 4, 28);
                step!(xor3(a, b, c), d, a, m[(3 * j + 8) % 16], K[j + 1], 11, 21);
                step!(xor3(d, a, b), c, d, m[(3 * j + 11) % 16], K[j + 2], 16, 16);
                step!(xor3(c, d, a), b, c, m[(3 * j + 14) % 16], K[j + 3], 23, 9);
            }
            for q in 0..4 {
                let j = 48 + 4 * q;
                step!(md5_i(b, c, d), a, b, m[(7 * j) % 16], K[j], 6, 26);
                step!(md5_i(a, b, c), d, a, m[(7 * j + 7) % 16], K[j + 1], 10, 22);
                step!(md5_i(d, a, b), c, d, m[(7 * j + 14) % 16], K[j + 2], 15, 17);
                step!(md5_i(c, d, a), b, c, m[(7 * j + 21) % 16], K[j + 3], 21, 11);
            }
            store(add(a, a0), &mut state[0]);
            store(add(b, b0), &mut state[1]);
            store(add(c, c0), &mut state[2]);
            store(add(d, d0), &mut state[3]);
        }
    };
}

per_width!(
    use super::K;
);
