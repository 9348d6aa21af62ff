//! edX's stable bucketing hash (`spec/edx.md` §2): MD5 of `group_name || username` (UTF-8, no
//! separator); the top bit of each of the 32 hex digits of the digest, first digit most significant,
//! makes a 32-bit number `n`; the bucket is `n % num_buckets`.

use super::lanes::{Md5Prefixed, md5_bytes};

/// Two bits per digest byte: bit 7 (top of the high nibble) then bit 3 (top of the low nibble).
const PAIR: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (((b >> 6) & 2) | ((b >> 3) & 1)) as u8;
        b += 1;
    }
    t
};

/// The 32-bit number edX derives from an MD5 digest: for each byte `b`, bit `(b >> 7) & 1` then
/// bit `(b >> 3) & 1` (the top bit of each nibble, i.e. of each hex digit).
#[inline]
pub fn nibble_bits(digest: &[u8; 16]) -> u32 {
    let mut n: u32 = 0;
    for &b in digest {
        n = (n << 2) | u32::from(PAIR[b as usize]);
    }
    n
}

/// A hasher with the group name already absorbed, for hashing many usernames against one group:
/// the group's whole 64-byte blocks are compressed once; each username then costs one or two
/// blocks (usual lengths), with no allocation, many usernames side by side in the CPU's widest
/// registers ([`super::lanes`]).
#[derive(Clone, Debug)]
pub struct GroupHasher {
    md5: Md5Prefixed,
}

impl GroupHasher {
    pub fn new(group_name: &str) -> GroupHasher {
        GroupHasher {
            md5: Md5Prefixed::new(group_name.as_bytes()),
        }
    }

    /// The MD5 digest of `group_name || username`.
    #[inline]
    pub fn digest(&self, username: &[u8]) -> [u8; 16] {
        md5_bytes(&self.md5.words_one(username))
    }

    /// `n` for many usernames at once (`out[i]` for `names[i]`); the same as one call of
    /// [`GroupHasher::n`] each.
    pub fn n_many(&self, names: &[&[u8]], out: &mut [u32]) {
        self.md5
            .map_many(names, out, |w| nibble_bits(&md5_bytes(w)));
    }

    /// `n` for this username.
    #[inline]
    pub fn n(&self, username: &[u8]) -> u32 {
        nibble_bits(&self.digest(username))
    }

    /// The bucket (`n % num_buckets`); `num_buckets` must not be 0.
    #[inline]
    pub fn bucket(&self, username: &[u8], num_buckets: u32) -> u32 {
        self.n(username) % num_buckets
    }
}

/// Every intermediate value of one hash, for explanations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashDetail {
    pub group_name: String,
    pub username: String,
    pub hex: String,
    pub n: u32,
    pub num_buckets: u32,
    pub bucket: u32,
}

/// Hashes one user into one of `num_buckets` buckets, keeping the intermediate values.
pub fn explain(group_name: &str, username: &str, num_buckets: u32) -> HashDetail {
    let digest = GroupHasher::new(group_name).digest(username.as_bytes());
    let hex = digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let n = nibble_bits(&digest);
    HashDetail {
        group_name: group_name.to_string(),
        username: username.to_string(),
        hex,
        n,
        num_buckets,
        bucket: n % num_buckets,
    }
}

/// `stable_bucketing_hash_group(group_name, num_buckets, username)`.
#[cfg(test)]
pub fn bucket(group_name: &str, username: &str, num_buckets: u32) -> u32 {
    GroupHasher::new(group_name).bucket(username.as_bytes(), num_buckets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit extraction written out the way edX's Python does it: hex digits 0-7 become '0',
    /// 8-f become '1', read as a base-2 number.
    fn n_by_text(hex: &str) -> u32 {
        let bits: String = hex
            .chars()
            .map(|c| if "89abcdef".contains(c) { '1' } else { '0' })
            .collect();
        u32::from_str_radix(&bits, 2).unwrap()
    }

    /// spec/edx.md §2, first table: (group, username, count, md5 hex, n, bucket).
    const WORKED: &[(&str, &str, u32, &str, u32, u32)] = &[
        (
            "experiments.test",
            "alice",
            2,
            "40bd35632184a67e0437fa9cd88146a4",
            807997410,
            0,
        ),
        (
            "course_experience.animated_exy",
            "bob",
            2,
            "6d73436f82495640cdf94caa188a78e9",
            1100019575,
            1,
        ),
        (
            "exp.aware.course-v1:edX+DemoX+Demo_Course",
            "staff",
            20,
            "240a411198df2860358a5599b744e432",
            284439432,
            12,
        ),
        (
            "exp.aware.x/y/22",
            "robot0",
            20,
            "1df3b56167e9a06d73b047705f0066a8",
            1748574275,
            15,
        ),
        (
            "discounts.holdback",
            "Zoë_ü",
            10,
            "a9161aed38c40a73a3ef5b66b5ccc8fe",
            3345265855,
            5,
        ),
        (
            "REV-1074",
            "edx",
            2,
            "ca812c4eb80c00dee684c4f4cc32522a",
            3855854273,
            1,
        ),
        (
            "exp.unaware",
            "verified",
            3,
            "aaae29be43891019c12317fe6dd44944",
            4147217252,
            2,
        ),
        ("", "", 2, "d41d8cd98f00b204e9800998ecf8427e", 2680743921, 1),
        (
            "experiments.test.course-v1:edX+DemoX+Demo_Course",
            "bob",
            3,
            "678789f6becfa889f009757b12709c22",
            788500748,
            2,
        ),
        (
            "experiments.test",
            "bob",
            3,
            "4c5b5df2213cc32831c81a465311ee13",
            1444492300,
            1,
        ),
    ];

    #[test]
    fn worked_examples_of_the_first_table() {
        for &(group, user, count, hex, n, bucket) in WORKED {
            let d = explain(group, user, count);
            assert_eq!(d.hex, hex, "{group}+{user}");
            assert_eq!(d.n, n, "{group}+{user}");
            assert_eq!(n_by_text(hex), n, "the table's own n for {hex}");
            assert_eq!(d.bucket, bucket, "{group}+{user}");
            assert_eq!(super::bucket(group, user, count), bucket);
        }
    }

    #[test]
    fn the_username_is_hashed_as_utf8() {
        assert_eq!("Zoë_ü".as_bytes(), b"\x5a\x6f\xc3\xab\x5f\xc3\xbc");
    }

    /// spec/edx.md §2, second table: (group, username, md5 hex, n, n%2, n%20); None = "–".
    #[allow(clippy::type_complexity)]
    const PAIRS: &[(&str, &str, &str, u32, Option<u32>, Option<u32>)] = &[
        (
            "experiments.test.a/b/c",
            "robot0",
            "199fda4fc4285d8a33033d9b2e2e1ef0",
            2107049814,
            Some(0),
            Some(14),
        ),
        (
            "experiments.test.a/b/c",
            "robot1",
            "8d584efaf563d7935bc581ac972e458f",
            3616172947,
            Some(1),
            Some(7),
        ),
        (
            "experiments.test",
            "robot0",
            "74edebc3b4cb685caa2678422f1664f6",
            1052099650,
            Some(0),
            Some(10),
        ),
        (
            "experiments.test",
            "robot1",
            "14c722696da27b345af886312ac4e5be",
            560232555,
            Some(1),
            Some(15),
        ),
        (
            "exp.aware.x/y/1",
            "robot0",
            "82289f032b73356fad261909ee7521e3",
            2621556162,
            None,
            Some(2),
        ),
        (
            "exp.aware.x/y/333",
            "robot0",
            "f97790b0eec656266b73c3922b3b32c4",
            3403696722,
            None,
            Some(2),
        ),
        (
            "exp.aware",
            "robot0",
            "b1404d174911f8ec97e549ec9ebab5df",
            2219812859,
            None,
            Some(19),
        ),
        (
            "exp.unaware",
            "robot0",
            "22fce4899b36f69fffc4e7779298afde",
            1003219135,
            None,
            Some(15),
        ),
        (
            "experiments.test.course-v1:edX+DemoX+Demo_Course",
            "alice",
            "25736a0931546592bdd38eabdf604ed7",
            84078534,
            Some(0),
            None,
        ),
        (
            "experiments.test.course-v1:edX+DemoX+Demo_Course",
            "carol",
            "beb59a732601f50c1fc23e4e446549e4",
            3960038662,
            Some(0),
            None,
        ),
        (
            "experiments.test.course-v1:edX+DemoX+Demo_Course",
            "dave",
            "840f736b04bbd912a6ea3f6cf13654e8",
            2436674947,
            Some(1),
            None,
        ),
    ];

    #[test]
    fn worked_examples_of_the_second_table() {
        for &(group, user, hex, n, mod2, mod20) in PAIRS {
            let d = explain(group, user, 2);
            assert_eq!(d.hex, hex, "{group}+{user}");
            assert_eq!(d.n, n, "{group}+{user}");
            if let Some(b) = mod2 {
                assert_eq!(bucket(group, user, 2), b, "{group}+{user} mod 2");
            }
            if let Some(b) = mod20 {
                assert_eq!(bucket(group, user, 20), b, "{group}+{user} mod 20");
            }
        }
        // The table's "(n%3=1)" notes.
        let g = "experiments.test.course-v1:edX+DemoX+Demo_Course";
        assert_eq!(bucket(g, "carol", 3), 1);
        assert_eq!(bucket(g, "dave", 3), 1);
    }

    #[test]
    fn era_a_variant_differs_only_by_the_extra_suffix() {
        // Era A appended the course after the username; documented for contrast only.
        let d = explain(
            "experiments.test",
            "alicecourse-v1:edX+DemoX+Demo_Course",
            2,
        );
        assert_eq!(d.hex, "a5a224239f756c17dfaadc299c508cc1");
        assert_eq!(d.n, 2697264590);
        assert_eq!(d.bucket, 0);
    }

    #[test]
    fn the_fast_digest_equals_md5_for_every_length() {
        use md5::{Digest, Md5};
        let text = "abcdefghijklmnopqrstuvwxyz0123456789-_.+/:".repeat(6);
        let bytes = text.as_bytes();
        for g in [0, 1, 20, 54, 55, 56, 63, 64, 65, 119, 120, 128, 200] {
            let group = &text[..g];
            let h = GroupHasher::new(group);
            for u in 0..150 {
                let name = &bytes[..u];
                let want: [u8; 16] = Md5::new_with_prefix(group)
                    .chain_update(name)
                    .finalize()
                    .into();
                assert_eq!(h.digest(name), want, "group {g} bytes, name {u} bytes");
            }
        }
    }

    #[test]
    fn many_at_a_time_equal_one_at_a_time() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789-_.+/:".repeat(6);
        for g in [0, 20, 49, 55, 63, 64, 70, 119, 200] {
            let h = GroupHasher::new(&text[..g]);
            // Mixed lengths in one call, more than one batch: one-, two- and three-block lanes.
            let names: Vec<&[u8]> = (0..200)
                .map(|u| &text.as_bytes()[(u * 7) % 50..(u * 7) % 50 + u % 140])
                .collect();
            let want: Vec<u32> = names.iter().map(|n| h.n(n)).collect();
            let mut got = vec![0; names.len()];
            h.n_many(&names, &mut got);
            assert_eq!(got, want, "group {g}");
        }
    }

    #[test]
    fn group_hasher_is_reusable() {
        let h = GroupHasher::new("experiments.test.a/b/c");
        assert_eq!(h.bucket(b"robot1", 2), 1);
        assert_eq!(h.bucket(b"robot0", 2), 0);
        assert_eq!(h.bucket(b"robot1", 20), 7);
    }
}
