//! The few 32-bit lane operations MD5 and SHA-1 need, once per instruction set: each module
//! holds `N` lanes in one register type `V` and the same function names, so the one body of
//! each compression function (`md5.rs`, `sha1.rs`) compiles for every width.
//!
//! Hand-written with `std::arch` because the bit-exact digests must come at the width of the
//! CPU's widest registers, which neither the `md-5` nor the `sha1` crate offers (they hash one
//! message at a time).

/// One lane in a plain `u32`: the portable fallback (any CPU, any architecture).
pub(super) mod scalar {
    pub(crate) const N: usize = 1;
    pub(crate) type V = u32;

    #[inline(always)]
    pub(crate) fn load(a: &[u32; N]) -> V {
        a[0]
    }
    #[inline(always)]
    pub(crate) fn store(v: V, a: &mut [u32; N]) {
        a[0] = v;
    }
    #[inline(always)]
    pub(crate) fn set1(k: u32) -> V {
        k
    }
    #[inline(always)]
    pub(crate) fn add(a: V, b: V) -> V {
        a.wrapping_add(b)
    }
    #[inline(always)]
    pub(crate) fn xor(a: V, b: V) -> V {
        a ^ b
    }
    #[inline(always)]
    pub(crate) fn rotl<const L: i32, const R: i32>(x: V) -> V {
        x.rotate_left(L as u32)
    }
    /// `m ? x : y`, bit by bit.
    #[inline(always)]
    pub(crate) fn sel(m: V, x: V, y: V) -> V {
        (m & x) | (!m & y)
    }
    #[inline(always)]
    pub(crate) fn xor3(a: V, b: V, c: V) -> V {
        a ^ b ^ c
    }
    /// Majority of three, bit by bit.
    #[inline(always)]
    pub(crate) fn maj(a: V, b: V, c: V) -> V {
        (a & b) | (c & (a | b))
    }
    /// MD5's `I`: `c ^ (b | !d)`.
    #[inline(always)]
    pub(crate) fn md5_i(b: V, c: V, d: V) -> V {
        c ^ (b | !d)
    }
}

/// Generates a module of operations over one SSE2 or AVX2 register type: the two share every
/// operation but their names' prefix.
#[cfg(target_arch = "x86_64")]
macro_rules! x86_ops {
    ($name:ident, $feat:literal, $n:literal, $v:ident, $loadu:ident, $storeu:ident,
     $set1:ident, $add:ident, $and:ident, $or:ident, $xor:ident, $andnot:ident,
     $slli:ident, $srli:ident) => {
        pub(super) mod $name {
            use std::arch::x86_64::*;

            pub(crate) const N: usize = $n;
            pub(crate) type V = $v;

            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn load(a: &[u32; N]) -> V {
                // SAFETY: `a` is N readable u32s, exactly one unaligned register.
                unsafe { $loadu(a.as_ptr().cast()) }
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn store(v: V, a: &mut [u32; N]) {
                // SAFETY: `a` is N writable u32s, exactly one unaligned register.
                unsafe { $storeu(a.as_mut_ptr().cast(), v) }
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn set1(k: u32) -> V {
                // The intrinsic's lanes are signed; the bits are what matter.
                $set1(k as i32)
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn add(a: V, b: V) -> V {
                $add(a, b)
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn xor(a: V, b: V) -> V {
                $xor(a, b)
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn rotl<const L: i32, const R: i32>(x: V) -> V {
                $or($slli::<L>(x), $srli::<R>(x))
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn sel(m: V, x: V, y: V) -> V {
                $or($and(m, x), $andnot(m, y))
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn xor3(a: V, b: V, c: V) -> V {
                $xor($xor(a, b), c)
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn maj(a: V, b: V, c: V) -> V {
                $or($and(a, b), $and(c, $or(a, b)))
            }
            #[inline]
            #[target_feature(enable = $feat)]
            pub(crate) fn md5_i(b: V, c: V, d: V) -> V {
                $xor(c, $or(b, $xor(d, $set1(-1))))
            }
        }
    };
}

#[cfg(target_arch = "x86_64")]
x86_ops!(
    sse2,
    "sse2",
    4,
    __m128i,
    _mm_loadu_si128,
    _mm_storeu_si128,
    _mm_set1_epi32,
    _mm_add_epi32,
    _mm_and_si128,
    _mm_or_si128,
    _mm_xor_si128,
    _mm_andnot_si128,
    _mm_slli_epi32,
    _mm_srli_epi32
);

#[cfg(target_arch = "x86_64")]
x86_ops!(
    avx2,
    "avx2",
    8,
    __m256i,
    _mm256_loadu_si256,
    _mm256_storeu_si256,
    _mm256_set1_epi32,
    _mm256_add_epi32,
    _mm256_and_si256,
    _mm256_or_si256,
    _mm256_xor_si256,
    _mm256_andnot_si256,
    _mm256_slli_epi32,
    _mm256_srli_epi32
);

/// Sixteen lanes in one AVX-512 register: rotations and three-input logic are one instruction
/// each (`vprold`, `vpternlogd`).
#[cfg(target_arch = "x86_64")]
pub(super) mod avx512 {
    use std::arch::x86_64::*;

    pub(crate) const N: usize = 16;
    pub(crate) type V = __m512i;

    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn load(a: &[u32; N]) -> V {
        // SAFETY: `a` is 16 readable u32s, exactly one unaligned register.
        unsafe { _mm512_loadu_si512(a.as_ptr().cast()) }
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn store(v: V, a: &mut [u32; N]) {
        // SAFETY: `a` is 16 writable u32s, exactly one unaligned register.
        unsafe { _mm512_storeu_si512(a.as_mut_ptr().cast(), v) }
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn set1(k: u32) -> V {
        _mm512_set1_epi32(k as i32)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn add(a: V, b: V) -> V {
        _mm512_add_epi32(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn xor(a: V, b: V) -> V {
        _mm512_xor_si512(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn rotl<const L: i32, const R: i32>(x: V) -> V {
        _mm512_rol_epi32::<L>(x)
    }
    /// Three-input logic in one `vpternlogd` each: the table's bit `(a << 2) | (b << 1) | c` is
    /// the result for those input bits.
    macro_rules! ternary {
        ($($name:ident($a:ident, $b:ident, $c:ident) = $table:literal;)*) => {$(
            #[inline]
            #[target_feature(enable = "avx512f")]
            pub(crate) fn $name($a: V, $b: V, $c: V) -> V {
                _mm512_ternarylogic_epi32::<$table>($a, $b, $c)
            }
        )*};
    }
    ternary! {
        sel(m, x, y) = 0xca;
        xor3(a, b, c) = 0x96;
        maj(a, b, c) = 0xe8;
        md5_i(b, c, d) = 0x39;
    }
}
