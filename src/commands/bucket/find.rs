//! `bucket NAME --find BUCKET [--count K] [--base NAME]`: usernames that land in BUCKET, for QA
//! test accounts, as edX's `stable_bucketer` script makes them: the base name, the bucket
//! number and a short random suffix, kept when the hash puts them in the bucket. Each one is
//! checked with the whole decision for a plain logged-in user; names already in the store are
//! skipped. Candidates are made and hashed in batches on `--jobs` threads.

use std::hash::{BuildHasher, Hasher};

use serde::Serialize;

use crate::context::Ctx;
use crate::engine::experiment::{Check, Experiment, Outcome, Stage};
use crate::engine::trace::NoTrace;
use crate::engine::waffle::{Person, RequestInfo};
use crate::error::{Error, Result};
use crate::output;
use crate::store::users;

/// xorshift64*: a small generator for suffixes (not for anything secret).
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        // RandomState's keys are random per process: no clock needed (the command has one).
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        Rng(h.finish() | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_LEN: usize = 4;

/// Candidates made and hashed per batch.
const CANDIDATES: usize = 4096;

/// A batch of candidates `stem ++ suffix`: those the hash (and, when the decision reaches the
/// hash, the whole decision) puts in `bucket`.
fn batch(
    rng: &mut Rng,
    stem: &str,
    exp: &Experiment,
    bucket: u32,
    check: Option<&(dyn Fn(&Person) -> Outcome + Sync)>,
) -> Vec<String> {
    let len = stem.len() + SUFFIX_LEN;
    let mut names = vec![0u8; CANDIDATES * len];
    for name in names.chunks_exact_mut(len) {
        name[..stem.len()].copy_from_slice(stem.as_bytes());
        for c in &mut name[stem.len()..] {
            *c = ALPHABET[(rng.next() % ALPHABET.len() as u64) as usize];
        }
    }
    let list: Vec<&[u8]> = names.chunks_exact(len).collect();
    let mut n = vec![0u32; CANDIDATES];
    exp.hasher().n_many(&list, &mut n);
    let buckets = exp.def().num_buckets.max(1);
    let mut hits = Vec::new();
    for (name, n) in list.into_iter().zip(n) {
        if n % buckets != bucket {
            continue;
        }
        // The stem is text and the suffix ASCII.
        let name = String::from_utf8_lossy(name).into_owned();
        if let Some(check) = check
            && check(&Person::user(&name)).bucket != bucket
        {
            continue;
        }
        hits.push(name);
    }
    hits
}

/// What `--find` looks for: `count` names in `bucket`, starting with `base`, on `jobs` threads.
pub(crate) struct Search<'a> {
    pub(crate) bucket: i64,
    pub(crate) count: usize,
    pub(crate) base: Option<&'a str>,
    pub(crate) jobs: usize,
}

pub(crate) fn run(
    ctx: &Ctx,
    conn: &crate::store::Reader,
    exp: &Experiment,
    req: RequestInfo<'_>,
    search: Search<'_>,
) -> Result<()> {
    let Search {
        bucket,
        count,
        base,
        jobs,
    } = search;
    let n = i64::from(exp.def().num_buckets);
    if bucket >= n {
        return Err(Error::usage(format!(
            "--find {bucket}: {} has buckets 0 to {}",
            exp.def().name,
            n - 1
        )));
    }
    if count == 0 {
        return Err(Error::usage("--count must be at least 1"));
    }
    // One name per hash test and one set lookup per candidate: linear in --count.
    let base = base.unwrap_or("qa_");
    if base.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::usage(format!(
            "--base '{}' contains whitespace",
            crate::error::cut(base)
        )));
    }
    // A course-aware experiment hashes `name.course` in a course: names found for no course
    // land anywhere there.
    if exp.def().course_aware && exp.course().is_none() {
        ctx.warn(format!(
            "{} is course-aware: these names land in bucket {bucket} only where no course applies; in a course the hash is of {}.COURSE and they land elsewhere (find names for one course with --course COURSE)",
            exp.def().name,
            exp.def().name
        ));
    }
    // Does the decision reach the hash for a plain logged-in user right now?
    let probe = Person::user(&format!("{base}{bucket}_probe"));
    let check = |p: &Person| {
        exp.evaluate(
            &Check {
                subject: p,
                request: req,
                enrolled: None,
                assume_percent: Some(true),
                hash: None,
            },
            &mut NoTrace,
        )
    };
    let reaches_hash = matches!(check(&probe).stage, Stage::Hashed { .. });
    if !reaches_hash {
        let o = check(&probe);
        super::crash_check(exp, &o)?;
        let now = match o.stage {
            Stage::MainOff => "the main flag is off for them".to_string(),
            Stage::OutsideWindow(_) => "a new enrollment is outside the enrollment window".into(),
            Stage::Forced { bucket: i, .. } => format!(
                "bucket flag {} forces them into bucket {i}",
                exp.def().bucket_flag(i)
            ),
            Stage::Hashed { .. } => String::new(),
        };
        ctx.warn(format!(
            "right now a plain logged-in user does not reach the hash ({now}); these names hash to bucket {bucket} for when it does"
        ));
    }
    let mut found: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let limit = 10_000usize
        .saturating_mul(count)
        .saturating_mul(n as usize)
        .clamp(100_000, 20_000_000);
    let stem = format!("{base}{bucket}_");
    let whole = |p: &Person| check(p);
    let full: Option<&(dyn Fn(&Person) -> Outcome + Sync)> = reaches_hash.then_some(&whole);
    let mut tries = 0usize;
    crate::commands::jobs::ordered(
        jobs,
        Rng::seeded,
        // Batches until `consume` has enough names or has tried `limit` candidates.
        || Ok(Some(())),
        |rng: &mut Rng, ()| batch(rng, &stem, exp, bucket as u32, full),
        |hits| {
            for name in hits {
                if found.len() == count {
                    break;
                }
                if seen.contains(&name) || users::get_user(conn, &name)?.is_some() {
                    continue;
                }
                seen.insert(name.clone());
                found.push(name);
            }
            tries += CANDIDATES;
            Ok(found.len() < count && tries < limit)
        },
    )?;
    if found.len() < count {
        return Err(Error::runtime(format!(
            "found only {} of {count} usernames for bucket {bucket} in {limit} tries",
            found.len()
        ))
        .with_hint("a random search suits experiments with a few buckets; ask for fewer names"));
    }
    if ctx.json() {
        /// `bucket --find B --json`: one object per name found.
        #[derive(Serialize)]
        struct Found<'a> {
            user: &'a str,
            bucket: i64,
        }
        let v: Vec<_> = found.iter().map(|u| Found { user: u, bucket }).collect();
        return output::json(&v);
    }
    output::out(&found.join("\n"))
}
