//! Staleness (`docs/removal.md`): when a settled toggle last changed, which record says so, and
//! whether that is long enough ago to call it stale; which bucket flags no experiment reads.
//! Pure: commands read the stored times, this decides.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// The record that says when something changed.
///
/// Ordered by trust: on a tie the audit log wins (it says who), then the override row, then
/// the `modified` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Source {
    #[serde(rename = "modified column")]
    Modified,
    #[serde(rename = "override change_date")]
    OverrideRow,
    #[serde(rename = "audit log")]
    AuditLog,
}

impl Source {
    pub fn text(self) -> &'static str {
        match self {
            Source::Modified => "modified column",
            Source::OverrideRow => "override change_date",
            Source::AuditLog => "audit log",
        }
    }
}

/// When an object last changed, and which record says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub at: DateTime<Utc>,
    pub source: Source,
    /// What changed, when it is not the toggle's own row (`flag x.1`, `course override x@c`).
    pub object: Option<String>,
}

/// Keeps the newest of several candidate change records.
#[derive(Debug, Default, Clone)]
pub struct Newest(pub Option<Changed>);

impl Newest {
    /// Offers one record; `at` is None when the stored time cannot be read (ignored).
    pub fn offer(&mut self, at: Option<DateTime<Utc>>, source: Source, object: Option<String>) {
        let Some(at) = at else {
            return;
        };
        if self
            .0
            .as_ref()
            .is_none_or(|c| (at, source) > (c.at, c.source))
        {
            self.0 = Some(Changed { at, source, object });
        }
    }

    /// Takes the newest record of `other` when it is strictly newer than ours.
    pub fn take(&mut self, other: &Newest) {
        if let Some(c) = &other.0
            && self.0.as_ref().is_none_or(|m| c.at > m.at)
        {
            self.0 = Some(c.clone());
        }
    }
}

/// A settled toggle is stale when it has not changed for `days` days before `now` (or when no
/// record says when it changed).
pub fn is_stale(since: Option<DateTime<Utc>>, now: DateTime<Utc>, days: u32) -> bool {
    let cutoff = now - Duration::days(i64::from(days));
    since.is_none_or(|at| at <= cutoff)
}

/// Why edX never reads a bucket flag `E.i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrphanBucket {
    /// Experiment `E` has this many buckets, all below `i`.
    Beyond(i64),
    /// Experiment `E` no longer exists (the audit log says it did).
    Deleted,
}

/// Whether bucket flag `E.index` is read by no experiment: `num_buckets` is that of experiment
/// `E` when it exists; `was_deleted`, whether the audit log knows an experiment `E`.
pub fn orphan_bucket(
    index: u32,
    num_buckets: Option<i64>,
    was_deleted: bool,
) -> Option<OrphanBucket> {
    match num_buckets {
        Some(n) if i64::from(index) >= n => Some(OrphanBucket::Beyond(n)),
        Some(_) => None,
        None if was_deleted => Some(OrphanBucket::Deleted),
        None => None,
    }
}

/// Whether an experiment key-value sets an enrollment window that may send users to bucket 0.
pub fn sets_window(key: &str, value: &str) -> bool {
    super::window::DATE_KEYS.contains(&key) && !value.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(2024, 1, day, 0, 0, 0).unwrap())
    }

    #[test]
    fn newest_record_wins_and_a_tie_goes_to_the_audit_log() {
        let mut n = Newest::default();
        n.offer(None, Source::AuditLog, None);
        assert_eq!(n.0, None);
        n.offer(at(2), Source::Modified, None);
        n.offer(at(1), Source::AuditLog, None);
        assert_eq!(n.0.as_ref().map(|c| c.source), Some(Source::Modified));
        n.offer(
            at(2),
            Source::OverrideRow,
            Some("course override f@c".into()),
        );
        assert_eq!(n.0.as_ref().map(|c| c.source), Some(Source::OverrideRow));
        n.offer(at(2), Source::AuditLog, None);
        assert_eq!(n.0.as_ref().map(|c| c.source), Some(Source::AuditLog));
        n.offer(at(2), Source::Modified, None);
        assert_eq!(n.0.as_ref().map(|c| c.source), Some(Source::AuditLog));
        assert_eq!(Source::OverrideRow.text(), "override change_date");
    }

    #[test]
    fn take_keeps_only_a_strictly_newer_record() {
        let mut a = Newest::default();
        a.offer(at(2), Source::Modified, None);
        let mut b = Newest::default();
        b.offer(at(2), Source::AuditLog, Some("flag e.1".into()));
        a.take(&b);
        assert_eq!(a.0.as_ref().map(|c| c.source), Some(Source::Modified));
        b.offer(at(3), Source::AuditLog, Some("flag e.1".into()));
        a.take(&b);
        assert_eq!(a.0.and_then(|c| c.object).as_deref(), Some("flag e.1"));
    }

    #[test]
    fn stale_after_the_given_days_or_when_unknown() {
        let now = at(31).unwrap();
        assert!(is_stale(None, now, 30));
        assert!(is_stale(at(1), now, 30));
        assert!(!is_stale(at(2), now, 30));
        assert!(!is_stale(at(31), now, 1));
        assert!(is_stale(at(31), now, 0));
    }

    #[test]
    fn bucket_flags_beyond_the_buckets_or_of_deleted_experiments_are_orphans() {
        assert_eq!(
            orphan_bucket(2, Some(2), false),
            Some(OrphanBucket::Beyond(2))
        );
        assert_eq!(orphan_bucket(1, Some(2), true), None);
        assert_eq!(orphan_bucket(1, None, true), Some(OrphanBucket::Deleted));
        assert_eq!(orphan_bucket(1, None, false), None);
    }

    #[test]
    fn only_a_non_empty_enrollment_date_sets_a_window() {
        assert!(sets_window("enrollment_start", "2024-01-01"));
        assert!(sets_window("enrollment_end", "x"));
        assert!(!sets_window("enrollment_end", "  "));
        assert!(!sets_window("other", "2024-01-01"));
    }
}
