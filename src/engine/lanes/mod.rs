//! MD5 and SHA-1 over many messages at once, at the width of the CPU's widest registers:
//! AVX-512 (16 lanes), AVX2 (8), SSE2 (4), chosen once at run time, with a portable one-lane
//! fallback for other CPUs and architectures. Bulk bucketing hashes `prefix ++ name` for
//! millions of names with one prefix (edX's group name, baseplate's seed): [`Prefixed`] absorbs
//! the prefix's whole blocks once, then lays out each batch's messages lane by lane, without
//! allocating.
//!
//! Hand-written (see `ops.rs`) because the digests must be bit for bit those of the `md-5` and
//! `sha1` crates at a speed those crates cannot give: the tests below compare every lane of
//! every kernel this CPU runs with them.

/// The kernels of one compression function, one module a width (`scalar`, `sse2`, `avx2`,
/// `avx512`): each brings that width's operations from `ops.rs` (and the given items) into scope
/// and expands the calling file's `compress!` body over them.
macro_rules! per_width {
    ($($item:item)*) => {
        pub(super) mod scalar {
            use super::super::ops::scalar::*;
            $($item)*
            compress!();
        }

        #[cfg(target_arch = "x86_64")]
        pub(super) mod sse2 {
            use super::super::ops::sse2::*;
            $($item)*
            compress!(#[target_feature(enable = "sse2")]);
        }

        #[cfg(target_arch = "x86_64")]
        pub(super) mod avx2 {
            use super::super::ops::avx2::*;
            $($item)*
            compress!(#[target_feature(enable = "avx2")]);
        }

        #[cfg(target_arch = "x86_64")]
        pub(super) mod avx512 {
            use super::super::ops::avx512::*;
            $($item)*
            compress!(#[target_feature(enable = "avx512f")]);
        }
    };
}

mod md5;
mod ops;
mod sha1;

use std::sync::OnceLock;

/// An instruction set a kernel is written for, widest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    Avx512,
    Avx2,
    Sse2,
    Scalar,
}

impl Isa {
    pub const ALL: [Isa; 4] = [Isa::Avx512, Isa::Avx2, Isa::Sse2, Isa::Scalar];

    /// The name `WAFFLECTL_SIMD` takes and reports print.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Avx512 => "avx512",
            Isa::Avx2 => "avx2",
            Isa::Sse2 => "sse2",
            Isa::Scalar => "scalar",
        }
    }

    pub fn from_name(s: &str) -> Option<Isa> {
        Isa::ALL.into_iter().find(|i| i.name() == s)
    }

    /// Messages hashed side by side.
    pub fn lanes(self) -> usize {
        match self {
            Isa::Avx512 => 16,
            Isa::Avx2 => 8,
            Isa::Sse2 => 4,
            Isa::Scalar => 1,
        }
    }

    /// Whether this CPU runs it.
    pub fn available(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The widest instruction set this CPU has.
    pub fn best() -> Isa {
        Isa::ALL
            .into_iter()
            .find(|i| i.available())
            .unwrap_or(Isa::Scalar)
    }
}

static CHOSEN: OnceLock<Isa> = OnceLock::new();

/// The instruction set the hashers use: the widest available, unless [`limit`] chose one.
pub fn isa() -> Isa {
    *CHOSEN.get_or_init(Isa::best)
}

/// Uses `isa` (narrower than the best, for comparisons) instead of the best; it must be
/// available. The first choice stands for the life of the process.
pub fn limit(isa: Isa) -> Result<(), String> {
    if !isa.available() {
        return Err(format!("this CPU cannot run {} instructions", isa.name()));
    }
    let _ = CHOSEN.set(isa);
    Ok(())
}

/// Messages hashed per call of the kernels in [`Prefixed::map_many`].
pub const BATCH: usize = 64;

/// One hash function: its initial state, byte order and kernels (`W` state words).
pub trait Algo<const W: usize> {
    const INIT: [u32; W];
    /// Message words and the length are big-endian (SHA-1) rather than little-endian (MD5).
    const BIG: bool;
    fn scalar() -> Kernel<1, W>;
    #[cfg(target_arch = "x86_64")]
    fn sse2() -> Kernel<4, W>;
    #[cfg(target_arch = "x86_64")]
    fn avx2() -> Kernel<8, W>;
    #[cfg(target_arch = "x86_64")]
    fn avx512() -> Kernel<16, W>;
}

/// The kernel of one width for one algorithm: `state[word][lane]`, `words[i][lane]`.
pub type Kernel<const N: usize, const W: usize> = unsafe fn(&mut [[u32; N]; W], &[[u32; N]; 16]);

/// A hash function's type and its [`Algo`]: the state module `$m` (its `INIT` and one kernel
/// module a width), `$w` state words, `$big` for big-endian words and length.
macro_rules! algo {
    ($(#[$doc:meta])* $name:ident, $m:ident, $w:literal, big: $big:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl Algo<$w> for $name {
            const INIT: [u32; $w] = $m::INIT;
            const BIG: bool = $big;
            fn scalar() -> Kernel<1, $w> {
                $m::scalar::compress
            }
            #[cfg(target_arch = "x86_64")]
            fn sse2() -> Kernel<4, $w> {
                $m::sse2::compress
            }
            #[cfg(target_arch = "x86_64")]
            fn avx2() -> Kernel<8, $w> {
                $m::avx2::compress
            }
            #[cfg(target_arch = "x86_64")]
            fn avx512() -> Kernel<16, $w> {
                $m::avx512::compress
            }
        }
    };
}

algo! {
    /// MD5 (RFC 1321).
    Md5, md5, 4, big: false
}

algo! {
    /// SHA-1 (FIPS 180-4).
    Sha1, sha1, 5, big: true
}

/// Messages laid out for one batch: lane-major blocks, then transposed into words.
struct Layout<const N: usize> {
    blocks: [[u8; 64]; N],
    words: [[u32; N]; 16],
}

impl<const N: usize> Layout<N> {
    fn new() -> Self {
        Layout {
            blocks: [[0; 64]; N],
            words: [[0; N]; 16],
        }
    }

    /// Block `b` of lane `lane`'s padded message `rest ++ msg` (of `total` bytes, `blocks`
    /// blocks, `bits` the whole message's length including the absorbed prefix blocks).
    #[inline]
    fn fill(&mut self, lane: usize, p: Part<'_>, b: usize, big: bool) {
        let block = &mut self.blocks[lane];
        *block = [0; 64];
        let start = 64 * b;
        let (rest, msg) = (p.rest, p.msg);
        let total = rest.len() + msg.len();
        if start < rest.len() {
            block[..rest.len() - start].copy_from_slice(&rest[start..]);
        }
        let from = start.max(rest.len());
        let to = (start + 64).min(total);
        if from < to {
            block[from - start..to - start]
                .copy_from_slice(&msg[from - rest.len()..to - rest.len()]);
        }
        if (start..start + 64).contains(&total) {
            block[total - start] = 0x80;
        }
        if b + 1 == p.blocks {
            let len = if big {
                p.bits.to_be_bytes()
            } else {
                p.bits.to_le_bytes()
            };
            block[56..].copy_from_slice(&len);
        }
    }

    #[inline]
    fn transpose(&mut self, big: bool) {
        for (lane, block) in self.blocks.iter().enumerate() {
            for (i, c) in block.chunks_exact(4).enumerate() {
                let c = [c[0], c[1], c[2], c[3]];
                self.words[i][lane] = if big {
                    u32::from_be_bytes(c)
                } else {
                    u32::from_le_bytes(c)
                };
            }
        }
    }
}

/// One lane's message: the prefix's bytes after its whole blocks, then the message.
#[derive(Clone, Copy)]
struct Part<'a> {
    rest: &'a [u8],
    msg: &'a [u8],
    blocks: usize,
    bits: u64,
}

/// A prefix absorbed once, for hashing `prefix ++ msg` for many messages.
#[derive(Clone)]
pub struct Prefixed<A, const W: usize> {
    algo: std::marker::PhantomData<A>,
    /// The state after the prefix's whole blocks.
    state: [u32; W],
    rest: [u8; 64],
    rest_len: usize,
    prefix_len: u64,
}

impl<A, const W: usize> std::fmt::Debug for Prefixed<A, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prefixed")
    }
}

/// MD5 with a prefix absorbed.
pub type Md5Prefixed = Prefixed<Md5, 4>;
/// SHA-1 with a prefix absorbed.
pub type Sha1Prefixed = Prefixed<Sha1, 5>;

impl<A: Algo<W>, const W: usize> Prefixed<A, W> {
    pub fn new(prefix: &[u8]) -> Self {
        let whole = prefix.len() / 64 * 64;
        let mut state = [[0u32; 1]; W];
        for (s, v) in state.iter_mut().zip(A::INIT) {
            s[0] = v;
        }
        let k = A::scalar();
        for block in prefix[..whole].chunks_exact(64) {
            let mut lay = Layout::<1>::new();
            lay.blocks[0].copy_from_slice(block);
            lay.transpose(A::BIG);
            // SAFETY: the scalar kernel runs on every CPU.
            unsafe { k(&mut state, &lay.words) };
        }
        let mut rest = [0u8; 64];
        rest[..prefix.len() - whole].copy_from_slice(&prefix[whole..]);
        Prefixed {
            algo: std::marker::PhantomData,
            state: state.map(|s| s[0]),
            rest,
            rest_len: prefix.len() - whole,
            prefix_len: prefix.len() as u64,
        }
    }

    #[inline]
    fn part<'a>(&'a self, msg: &'a [u8]) -> Part<'a> {
        let total = self.rest_len + msg.len();
        Part {
            rest: &self.rest[..self.rest_len],
            msg,
            blocks: (total + 8) / 64 + 1,
            bits: (self.prefix_len + msg.len() as u64).wrapping_mul(8),
        }
    }

    /// The state words of `prefix ++ msg`, one message at a time.
    pub fn words_one(&self, msg: &[u8]) -> [u32; W] {
        let mut out = [[0u32; W]; 1];
        self.run::<1>(A::scalar(), &[msg], &mut out);
        out[0]
    }

    /// The state words (the digest's words before their byte order) of `prefix ++ msgs[i]`
    /// into `out[i]`, on the instruction set [`isa`] chose.
    pub fn words_many(&self, msgs: &[&[u8]], out: &mut [[u32; W]]) {
        self.words_on(isa(), msgs, out);
    }

    /// `f` of the state words of `prefix ++ msgs[i]` into `out[i]`, [`BATCH`] messages per call
    /// of [`Prefixed::words_many`] (the words need no allocation).
    pub fn map_many<T>(&self, msgs: &[&[u8]], out: &mut [T], f: impl Fn(&[u32; W]) -> T) {
        assert_eq!(msgs.len(), out.len());
        let mut words = [[0u32; W]; BATCH];
        for (msgs, out) in msgs.chunks(BATCH).zip(out.chunks_mut(BATCH)) {
            let words = &mut words[..msgs.len()];
            self.words_many(msgs, words);
            for (o, w) in out.iter_mut().zip(words.iter()) {
                *o = f(w);
            }
        }
    }

    /// [`Prefixed::words_many`] on a given instruction set, which must be available.
    pub fn words_on(&self, isa: Isa, msgs: &[&[u8]], out: &mut [[u32; W]]) {
        assert_eq!(msgs.len(), out.len());
        assert!(isa.available(), "{} is not available", isa.name());
        match isa {
            Isa::Scalar => self.run::<1>(A::scalar(), msgs, out),
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => self.run::<4>(A::sse2(), msgs, out),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => self.run::<8>(A::avx2(), msgs, out),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => self.run::<16>(A::avx512(), msgs, out),
            #[cfg(not(target_arch = "x86_64"))]
            _ => self.run::<1>(A::scalar(), msgs, out),
        }
    }

    /// Batches of `N` messages through `kernel`; a batch runs as many blocks as its longest
    /// message, each lane's state taken after its own last block.
    fn run<const N: usize>(&self, kernel: Kernel<N, W>, msgs: &[&[u8]], out: &mut [[u32; W]]) {
        let mut lay = Layout::<N>::new();
        for (batch, outs) in msgs.chunks(N).zip(out.chunks_mut(N)) {
            let mut parts = [self.part(b""); N];
            for (p, m) in parts.iter_mut().zip(batch) {
                *p = self.part(m);
            }
            let most = parts[..batch.len()]
                .iter()
                .map(|p| p.blocks)
                .max()
                .unwrap_or(1);
            let mut state = [[0u32; N]; W];
            for (w, v) in state.iter_mut().zip(self.state) {
                *w = [v; N];
            }
            for b in 0..most {
                for (lane, p) in parts.iter().enumerate() {
                    if b < p.blocks {
                        lay.fill(lane, *p, b, A::BIG);
                    }
                }
                lay.transpose(A::BIG);
                // SAFETY: `words_on` checked that the CPU runs this kernel's instructions.
                unsafe { kernel(&mut state, &lay.words) };
                for (lane, o) in outs.iter_mut().enumerate() {
                    if parts[lane].blocks == b + 1 {
                        for (w, x) in o.iter_mut().enumerate() {
                            *x = state[w][lane];
                        }
                    }
                }
            }
        }
    }
}

/// An MD5 digest from its state words.
#[inline]
pub fn md5_bytes(w: &[u32; 4]) -> [u8; 16] {
    let mut d = [0u8; 16];
    for (c, v) in d.chunks_exact_mut(4).zip(w) {
        c.copy_from_slice(&v.to_le_bytes());
    }
    d
}

/// A SHA-1 digest from its state words.
#[inline]
pub fn sha1_bytes(w: &[u32; 5]) -> [u8; 20] {
    let mut d = [0u8; 20];
    for (c, v) in d.chunks_exact_mut(4).zip(w) {
        c.copy_from_slice(&v.to_be_bytes());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::md5::Digest;

    /// xorshift64*, seeded afresh each run (the seed is printed when a comparison fails).
    struct Rng(u64);
    impl Rng {
        fn new() -> Rng {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1);
            Rng((t ^ u64::from(std::process::id()).rotate_left(32)) | 1)
        }
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    /// Lengths around every padding boundary, then random ones.
    const EDGES: [usize; 16] = [
        0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, 199,
    ];

    fn lengths(rng: &mut Rng, count: usize) -> Vec<usize> {
        let mut v: Vec<usize> = EDGES.to_vec();
        while v.len() < count {
            v.push((rng.next() % 200) as usize);
        }
        // Mixed lengths in each batch: shuffle.
        for i in (1..v.len()).rev() {
            v.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        v
    }

    fn available() -> Vec<Isa> {
        let v: Vec<Isa> = Isa::ALL.into_iter().filter(|i| i.available()).collect();
        eprintln!("kernels on this CPU: {:?}", v);
        v
    }

    /// Every lane of every kernel this CPU runs, and the one-at-a-time path, against
    /// `reference(prefix, message)`, for prefixes and messages of lengths around the padding
    /// boundaries, mixed in each batch.
    /// `prefix ++ message` hashed by the crate `H`.
    fn crate_digest<H: Digest, const D: usize>(prefix: &[u8], message: &[u8]) -> [u8; D] {
        let digest = H::new_with_prefix(prefix).chain_update(message).finalize();
        digest.as_slice().try_into().expect("the digest's length")
    }

    fn every_lane_equals<A: Algo<W>, const W: usize, const D: usize>(
        reference: impl Fn(&[u8], &[u8]) -> [u8; D],
        bytes: fn(&[u32; W]) -> [u8; D],
    ) {
        let mut rng = Rng::new();
        let seed = rng.0;
        for prefix_len in [0, 3, 20, 55, 63, 64, 70, 130] {
            let prefix = rng.bytes(prefix_len);
            let h = Prefixed::<A, W>::new(&prefix);
            let lens = lengths(&mut rng, 203);
            let msgs: Vec<Vec<u8>> = lens.iter().map(|&n| rng.bytes(n)).collect();
            let refs: Vec<&[u8]> = msgs.iter().map(Vec::as_slice).collect();
            let want: Vec<[u8; D]> = msgs.iter().map(|m| reference(&prefix, m)).collect();
            for isa in available() {
                let mut out = vec![[0u32; W]; refs.len()];
                h.words_on(isa, &refs, &mut out);
                for (i, o) in out.iter().enumerate() {
                    assert_eq!(
                        bytes(o),
                        want[i],
                        "{} lane {}: prefix {prefix_len} bytes, message {} bytes (seed {seed:#x})",
                        isa.name(),
                        i % isa.lanes(),
                        msgs[i].len()
                    );
                }
            }
            for (m, w) in msgs.iter().zip(&want) {
                assert_eq!(bytes(&h.words_one(m)), *w, "one at a time (seed {seed:#x})");
            }
        }
    }

    #[test]
    fn every_md5_lane_equals_the_md5_crate() {
        every_lane_equals::<Md5, 4, 16>(crate_digest::<::md5::Md5, 16>, md5_bytes);
    }

    #[test]
    fn every_sha1_lane_equals_the_sha1_crate() {
        every_lane_equals::<Sha1, 5, 20>(crate_digest::<::sha1::Sha1, 20>, sha1_bytes);
    }

    #[test]
    fn names_round_trip_and_the_widest_is_chosen_by_default() {
        for i in Isa::ALL {
            assert_eq!(Isa::from_name(i.name()), Some(i));
        }
        assert_eq!(Isa::from_name("neon"), None);
        assert!(Isa::best().available());
        assert!(Isa::Scalar.available());
        #[cfg(target_arch = "x86_64")]
        assert!(Isa::Sse2.available());
    }
}
