//! SHA-1's compression function (FIPS 180-4) over `N` lanes at once, one body for every width
//! in `ops.rs`. Hand-written because bulk `variant` needs baseplate's bit-exact SHA-1 for many
//! values per instruction, which the `sha1` crate does not offer (it hashes one message at a
//! time); the tests in `mod.rs` compare every lane with that crate.

/// SHA-1's initial state.
pub(super) const INIT: [u32; 5] = [
    0x6745_2301,
    0xefcd_ab89,
    0x98ba_dcfe,
    0x1032_5476,
    0xc3d2_e1f0,
];

/// Twenty steps with one round function and constant.
macro_rules! rounds {
    ($f:ident, $k:literal, $from:literal, $w:ident, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident) => {
        for t in $from..$from + 20 {
            if t >= 16 {
                let x = xor(
                    xor3($w[(t + 13) % 16], $w[(t + 8) % 16], $w[(t + 2) % 16]),
                    $w[t % 16],
                );
                $w[t % 16] = rotl::<1, 31>(x);
            }
            let tmp = add(
                add(rotl::<5, 27>($a), $f($b, $c, $d)),
                add(add($e, set1($k)), $w[t % 16]),
            );
            $e = $d;
            $d = $c;
            $c = rotl::<30, 2>($b);
            $b = $a;
            $a = tmp;
        }
    };
}

/// The compression function for the `N`, `V` and operations in scope: `state[word][lane]`,
/// `w[i][lane]` the block's message words (big-endian, as SHA-1 reads them).
macro_rules! compress {
    ($(#[$attr:meta])*) => {
        $(#[$attr])*
        pub(crate) fn compress(state: &mut [[u32; N]; 5], w: &[[u32; N]; 16]) {
            let mut m = [set1(0); 16];
            for i in 0..16 {
                m[i] = load(&w[i]);
            }
            let s0 = [
                load(&state[0]),
                load(&state[1]),
                load(&state[2]),
                load(&state[3]),
                load(&state[4]),
            ];
            let [mut a, mut b, mut c, mut d, mut e] = s0;
            rounds!(sel, 0x5a82_7999, 0, m, a, b, c, d, e);
            rounds!(xor3, 0x6ed9_eba1, 20, m, a, b, c, d, e);
            rounds!(maj, 0x8f1b_bcdc, 40, m, a, b, c, d, e);
            rounds!(xor3, 0xca62_c1d6, 60, m, a, b, c, d, e);
            for (i, v) in [a, b, c, d, e].into_iter().enumerate() {
                store(add(v, s0[i]), &mut state[i]);
            }
        }
    };
}

per_width!();
