//! `ExperimentWaffleFlag.get_bucket` (`spec/edx.md` §1.2), for one fresh request:
//! main flag (course override > org override > waffle flag) → enrollment window (only with a
//! course and an experiment ID) → the lowest enabled bucket flag `NAME.i` (evaluated with the
//! course) → the stable hash of `NAME[.COURSE]` + username (anonymous users: 0).
//!
//! Random percent rolls are not drawn: each one is recorded in [`Outcome::rolls`] and settled by
//! the caller's assumption (`--assume-percent`), or taken as admitting the user when there is
//! none, so the bucket reported is "the bucket if admitted" and the caller can say so.

use chrono::NaiveDateTime;

use super::course::CourseKey;
use super::hash::{self, GroupHasher};
use super::overrides::{CourseFlag, Source};
use super::trace::{NoTrace, Trace, note};
use super::waffle::{
    FlagDecision, FlagRule, Kind, RequestInfo, Subject, Why, percent_text, probability,
};
use super::window::{Placement, Window};

/// The most buckets an experiment can have. edX's hash gives an `n` below 2^32, so with more
/// buckets than that the extra ones are never reached; wafflectl keeps the count in 32 bits, so
/// the limit is 2^32 - 1. Bucket numbers run from 0 to `MAX_BUCKETS - 1`.
pub const MAX_BUCKETS: i64 = u32::MAX as i64;

/// What edX keeps in code about an experiment flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub name: String,
    pub num_buckets: u32,
    pub experiment_id: Option<i64>,
    pub course_aware: bool,
}

impl Definition {
    /// The part before the first `.` (the event's `app_label`).
    pub fn app_label(&self) -> &str {
        self.name
            .split_once('.')
            .map(|(a, _)| a)
            .unwrap_or(&self.name)
    }
    /// The part after the first `.` (the event's `experiment`).
    pub fn experiment_name(&self) -> &str {
        self.name.split_once('.').map(|(_, b)| b).unwrap_or("")
    }
    /// The name of bucket flag `i`.
    pub fn bucket_flag(&self, i: u32) -> String {
        super::sub_flag::name(&self.name, i)
    }
}

/// An experiment with everything a decision reads, loaded once for one course.
#[derive(Debug, Clone)]
pub struct Experiment {
    def: Definition,
    course: Option<CourseKey>,
    main: CourseFlag,
    /// The bucket flags `NAME.i` that exist or have overrides, by index (ascending); every other
    /// bucket flag is missing, i.e. off.
    buckets: Vec<(u32, CourseFlag)>,
    /// The key-value window; only consulted with a course and an experiment ID.
    window: Window,
    /// The time of the check (not-enrolled users count as enrolling now).
    now: NaiveDateTime,
    group_name: String,
    hasher: GroupHasher,
    /// The decisions that do not depend on who asks, worked out once (bulk bucketing skips
    /// re-deciding them; explanations always walk the full path).
    main_fixed: Option<(FlagDecision, Source)>,
    buckets_fixed: Vec<Option<(FlagDecision, Source)>>,
}

/// A flag's decision when it is the same for every user.
fn fixed(flag: &CourseFlag, course: Option<&CourseKey>) -> Option<(FlagDecision, Source)> {
    if flag.depends_on_user(course) {
        return None;
    }
    let anyone = super::waffle::Person::anonymous();
    Some(flag.is_enabled(course, &anyone, RequestInfo::default(), "", &mut NoTrace))
}

/// Who checks, and what the caller knows about the request.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a, S> {
    pub subject: &'a S,
    pub request: RequestInfo<'a>,
    /// When the user enrolled in the course (None = not enrolled).
    pub enrolled: Option<NaiveDateTime>,
    /// How to settle percent rolls: Some(true) admit, Some(false) leave out, None = unsettled
    /// (taken as admitting, and reported).
    pub assume_percent: Option<bool>,
    /// The user's hash `n` when the caller already computed it with
    /// [`GroupHasher::n_many`](super::hash::GroupHasher::n_many) (bulk bucketing hashes many at
    /// a time).
    pub hash: Option<u32>,
}

/// A percent roll met on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roll {
    /// None = the main flag, Some(i) = bucket flag i.
    pub at: Option<u32>,
    /// Tenths of a percent.
    pub percent: i32,
    /// The caller's assumption, if any.
    pub assumed: Option<bool>,
}

impl Roll {
    pub fn probability(&self) -> f64 {
        probability(self.percent)
    }
}

/// Where the decision ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    MainOff,
    OutsideWindow(Placement),
    /// A bucket flag forced the user into `bucket`: the flag's decision and where it came from
    /// (the waffle row's criterion, or a course or org override).
    Forced {
        bucket: u32,
        decision: FlagDecision,
        source: Source,
    },
    /// `n` is None for a user without an id (anonymous), who hashes to 0.
    Hashed {
        n: Option<u32>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub bucket: u32,
    pub stage: Stage,
    pub main: FlagDecision,
    pub main_source: Source,
    /// The enrollment date compared with the window (now when not enrolled), when it was checked.
    pub window_date: Option<NaiveDateTime>,
    pub rolls: Vec<Roll>,
    /// Django raises reading a flag the LMS checks (the main flag, or a bucket flag before one
    /// is forced): the LMS fails with a server error, this line says why; no bucket.
    pub server_error: Option<String>,
}

impl Outcome {
    /// Whether the bucket rests on a roll nobody settled.
    #[cfg(test)]
    pub fn unsettled(&self) -> bool {
        self.rolls.iter().any(|r| r.assumed.is_none())
    }
    /// Whether the bucket itself depends on a roll nobody settled. A main-flag roll that only
    /// decides between bucket 0 (admitted, hashed to 0) and bucket 0 (left out) does not.
    pub fn bucket_rests_on_roll(&self) -> bool {
        let open = || self.rolls.iter().filter(|r| r.assumed.is_none());
        if open().next().is_none() {
            return false;
        }
        !(self.bucket == 0 && open().all(|r| r.at.is_none()))
    }

    /// Whether the LMS would send `edx.bi.experiment.user.bucketed` on this check (a fresh
    /// session, no masquerade, tracking on): only when the decision reached the bucket flags or
    /// the hash, and only for a logged-in user.
    pub fn emits_event(&self, kind: Kind) -> bool {
        kind == Kind::User && matches!(self.stage, Stage::Forced { .. } | Stage::Hashed { .. })
    }
}

fn settle(d: FlagDecision, at: Option<u32>, assume: Option<bool>, rolls: &mut Vec<Roll>) -> bool {
    match d {
        FlagDecision::On => true,
        FlagDecision::Off => false,
        FlagDecision::Roll(percent) => {
            rolls.push(Roll {
                at,
                percent,
                assumed: assume,
            });
            assume.unwrap_or(true)
        }
    }
}

fn roll_text(p: i32, assume: Option<bool>) -> String {
    match assume {
        Some(true) => format!(
            "{}% roll, assumed to admit (--assume-percent in)",
            percent_text(p)
        ),
        Some(false) => format!(
            "{}% roll, assumed to leave out (--assume-percent out)",
            percent_text(p)
        ),
        None => format!(
            "{}% roll (random; probability {}): continuing as if admitted",
            percent_text(p),
            probability(p)
        ),
    }
}

impl Experiment {
    /// `buckets`: the bucket flags that exist (or have overrides) with their index; any order,
    /// indexes at or beyond the number of buckets are ignored (edX never reads them).
    pub fn new(
        def: Definition,
        course: Option<CourseKey>,
        main: CourseFlag,
        buckets: Vec<(u32, CourseFlag)>,
        window: Window,
        now: NaiveDateTime,
    ) -> Experiment {
        let group_name = match (&course, def.course_aware) {
            (Some(c), true) => format!("{}.{c}", def.name),
            _ => def.name.clone(),
        };
        let hasher = GroupHasher::new(&group_name);
        let main_fixed = fixed(&main, course.as_ref());
        let mut buckets: Vec<(u32, CourseFlag)> = buckets
            .into_iter()
            .filter(|(i, _)| *i < def.num_buckets)
            .collect();
        buckets.sort_by_key(|(i, _)| *i);
        buckets.dedup_by_key(|(i, _)| *i);
        let buckets_fixed = buckets
            .iter()
            .map(|(_, b)| fixed(b, course.as_ref()))
            .collect();
        Experiment {
            def,
            course,
            main,
            buckets,
            window,
            now,
            group_name,
            hasher,
            main_fixed,
            buckets_fixed,
        }
    }

    pub fn def(&self) -> &Definition {
        &self.def
    }
    pub fn course(&self) -> Option<&CourseKey> {
        self.course.as_ref()
    }
    pub fn main(&self) -> &CourseFlag {
        &self.main
    }
    /// The bucket flags that exist or have overrides, with their index, ascending.
    pub fn buckets(&self) -> impl Iterator<Item = (u32, &CourseFlag)> {
        self.buckets.iter().map(|(i, f)| (*i, f))
    }

    /// Bucket flag `i` as loaded (None: it does not exist and has no overrides).
    pub fn bucket(&self, i: u32) -> Option<&CourseFlag> {
        self.buckets
            .binary_search_by_key(&i, |(k, _)| *k)
            .ok()
            .map(|at| &self.buckets[at].1)
    }
    /// The key-value window; only consulted with a course and an experiment ID.
    pub fn window(&self) -> &Window {
        &self.window
    }
    /// What the hash absorbs before the username: `NAME` or `NAME.COURSE` (course-aware).
    pub fn group_name(&self) -> &str {
        &self.group_name
    }

    /// edX's `experiment_name`: the cache and session key, `NAME` or `NAME.COURSE`.
    pub fn experiment_key(&self) -> String {
        match &self.course {
            Some(c) => format!("{}.{c}", self.def.name),
            None => self.def.name.clone(),
        }
    }

    /// Whether the enrollment window is consulted at all (a course and an experiment ID).
    pub fn window_applies(&self) -> bool {
        self.course.is_some() && self.def.experiment_id.is_some()
    }

    /// The hasher of this experiment's group name.
    pub fn hasher(&self) -> &GroupHasher {
        &self.hasher
    }

    /// The bucket by the stable hash alone (what edX's `stable_bucketer` script prints).
    pub fn hash_bucket(&self, username: &str) -> u32 {
        self.hasher
            .bucket(username.as_bytes(), self.def.num_buckets.max(1))
    }

    /// `get_bucket(course_key)` for a fresh request.
    pub fn evaluate<S: Subject, T: Trace>(&self, c: &Check<'_, S>, t: &mut T) -> Outcome {
        let course = self.course.as_ref();
        let mut rolls = Vec::new();
        let label = "main flag";
        let (main, main_source) = match (&self.main_fixed, T::ON) {
            (Some(f), false) => *f,
            _ => self.main.is_enabled(course, c.subject, c.request, label, t),
        };
        let on = settle(main, None, c.assume_percent, &mut rolls);
        if let FlagDecision::Roll(p) = main {
            note(t, label, || roll_text(p, c.assume_percent));
        }
        let mut out = Outcome {
            bucket: 0,
            stage: Stage::MainOff,
            main,
            main_source,
            window_date: None,
            rolls,
            server_error: None,
        };
        if main_source == Source::Waffle(Why::Unreadable) {
            out.server_error = self.main.rule.as_ref().and_then(FlagRule::server_error);
            return out;
        }
        if !on {
            note(t, label, || {
                format!("{} is off → bucket 0 (no event)", self.def.name)
            });
            return out;
        }
        note(t, label, || format!("{} is on", self.def.name));

        // Enrollment window.
        let step = "enrollment window";
        if let (Some(c_key), Some(id)) = (course, self.def.experiment_id) {
            let (date, what) = match (c.subject.kind(), c.enrolled) {
                (Kind::User, Some(d)) => (d, "enrolled"),
                // the enrollment step before this one says the user is not enrolled
                (Kind::User, None) => (self.now, "now"),
                _ => (self.now, "anonymous (no enrollment), so now:"),
            };
            out.window_date = Some(date);
            let placement = self.window.place(date);
            note(t, step, || {
                let what = what.to_string();
                let _ = c_key;
                format!(
                    "experiment ID {id}: {}",
                    self.window.describe(date, &what, placement)
                )
            });
            if placement.crashes() {
                note(t, step, || {
                    "the LMS raises OverflowError here: a server error, no bucket".into()
                });
                out.stage = Stage::OutsideWindow(placement);
                return out;
            }
            if !placement.inside() {
                note(t, step, || {
                    "outside the window → bucket 0 (no event)".into()
                });
                out.stage = Stage::OutsideWindow(placement);
                return out;
            }
        } else {
            note(t, step, || match (course, self.def.experiment_id) {
                (None, _) => "not checked: no course".into(),
                _ => "not checked: the experiment has no experiment ID".into(),
            });
        }

        // Bucket flags, lowest first; the ones not loaded do not exist (off).
        let mut missing_from: u32 = 0;
        let flush = |t: &mut T, from: u32, to: u32| {
            if to > from {
                note(t, "bucket flags", || {
                    if to == from + 1 {
                        format!("{}: no such flag → off", self.def.bucket_flag(from))
                    } else {
                        format!(
                            "{} … {}: no such flags → off",
                            self.def.bucket_flag(from),
                            self.def.bucket_flag(to - 1)
                        )
                    }
                });
            }
        };
        for (at, (i, flag)) in self.buckets.iter().enumerate() {
            let i = *i;
            let (d, source) = match (&self.buckets_fixed[at], T::ON) {
                (Some(f), false) => *f,
                _ => flag.is_enabled(course, c.subject, c.request, "", &mut NoTrace),
            };
            if T::ON {
                if source == Source::Waffle(Why::NoRow) {
                    continue;
                }
                flush(t, missing_from, i);
                missing_from = i + 1;
            }
            if source == Source::Waffle(Why::Unreadable) {
                let e = flag.rule.as_ref().and_then(FlagRule::server_error);
                note(t, "bucket flags", || e.clone().unwrap_or_default());
                out.server_error = e;
                return out;
            }
            let forced = settle(d, Some(i), c.assume_percent, &mut out.rolls);
            note(t, "bucket flags", || {
                let why = flag.describe(course, source);
                match d {
                    FlagDecision::Roll(p) if forced => format!(
                        "{}: {} → forced into bucket {i}",
                        flag.name,
                        roll_text(p, c.assume_percent)
                    ),
                    FlagDecision::Roll(p) => format!(
                        "{}: {} → not forced",
                        flag.name,
                        roll_text(p, c.assume_percent)
                    ),
                    _ if forced => format!(
                        "{}: on ({why}) → forced into bucket {i} (the lowest enabled bucket flag wins)",
                        flag.name
                    ),
                    _ => format!("{}: off ({why})", flag.name),
                }
            });
            if forced {
                out.bucket = i;
                out.stage = Stage::Forced {
                    bucket: i,
                    decision: d,
                    source,
                };
                return out;
            }
        }
        if T::ON {
            flush(t, missing_from, self.def.num_buckets);
        }

        // Stable hash.
        let step = "stable hash";
        if c.subject.kind() != Kind::User {
            note(t, step, || {
                "the anonymous user has no id → bucket 0 (no event)".into()
            });
            out.stage = Stage::Hashed { n: None };
            return out;
        }
        let username = c.subject.username();
        let n = match c.hash {
            Some(n) => {
                debug_assert_eq!(
                    n,
                    self.hasher.n(username.as_bytes()),
                    "precomputed hash of {username}"
                );
                n
            }
            None => self.hasher.n(username.as_bytes()),
        };
        out.bucket = n % self.def.num_buckets;
        out.stage = Stage::Hashed { n: Some(n) };
        note(t, step, || {
            let d = hash::explain(&self.group_name, username, self.def.num_buckets);
            format!(
                "md5({:?} + {:?}) = {} → n = {}; {} mod {} = {}",
                self.group_name, username, d.hex, d.n, d.n, d.num_buckets, d.bucket
            )
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::overrides::Choice;
    use crate::engine::trace::{NoTrace, Steps};
    use crate::engine::waffle::{FlagRule, Person};
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap()
    }

    fn everyone(name: &str, on: bool) -> CourseFlag {
        CourseFlag::plain(
            name,
            Some(FlagRule {
                name: name.into(),
                everyone: Some(on),
                ..FlagRule::default()
            }),
        )
    }

    fn exp(name: &str, n: u32, aware: bool, course: Option<&str>) -> Experiment {
        let def = Definition {
            name: name.into(),
            num_buckets: n,
            experiment_id: None,
            course_aware: aware,
        };
        let buckets = (0..n)
            .map(|i| (i, CourseFlag::plain(&def.bucket_flag(i), None)))
            .collect();
        Experiment::new(
            def,
            course.map(|c| CourseKey::parse(c).unwrap()),
            everyone(name, true),
            buckets,
            Window::new(None, None, now().date()),
            now(),
        )
    }

    /// The same experiment built anew (after a test changed its parts).
    fn rebuilt(e: Experiment) -> Experiment {
        Experiment::new(e.def, e.course, e.main, e.buckets, e.window, e.now)
    }

    /// The outcome for `who` with nothing but the subject in the request.
    fn outcome(e: &Experiment, who: &Person) -> Outcome {
        let c = Check {
            subject: who,
            request: RequestInfo::default(),
            enrolled: None,
            assume_percent: None,
            hash: None,
        };
        e.evaluate(&c, &mut NoTrace)
    }

    fn bucket(e: &Experiment, who: &Person) -> u32 {
        outcome(e, who).bucket
    }

    /// spec/edx.md §6.2 with the real hash (the right-hand column), user robot0, 20 buckets.
    #[test]
    fn course_awareness_with_the_real_hash() {
        let robot0 = Person::user("robot0");
        for (name, aware) in [("exp.aware", true), ("exp.unaware", false)] {
            for (course, want_aware, want_unaware) in [
                (Some("x/y/1"), 1, 1),
                (Some("x/y/22"), 15, 15),
                (Some("x/y/333"), 2, 15),
                (None, 19, 15),
            ] {
                let mut e = exp(name, 20, aware, course);
                // Course override `on` of NAME.1 on x/y/1.
                if course == Some("x/y/1") {
                    e.buckets[1].1.course = Some(Choice::On);
                    e = rebuilt(e);
                }
                let want = if aware { want_aware } else { want_unaware };
                assert_eq!(bucket(&e, &robot0), want, "{name} {course:?}");
            }
        }
    }

    #[test]
    fn lowest_forced_bucket_wins_and_anonymous_hash_to_zero() {
        let mut e = exp("experiments.test", 2, true, Some("a/b/c"));
        assert_eq!(bucket(&e, &Person::user("robot1")), 1);
        assert_eq!(bucket(&e, &Person::user("robot0")), 0);
        assert_eq!(bucket(&e, &Person::anonymous()), 0);
        e.buckets[1].1 = everyone("experiments.test.1", true);
        e = rebuilt(e);
        assert_eq!(bucket(&e, &Person::anonymous()), 1);
        e.buckets[0].1 = everyone("experiments.test.0", true);
        e = rebuilt(e);
        assert_eq!(bucket(&e, &Person::user("robot1")), 0);
        // V7: a course override off on .0 lets .1 win.
        e.buckets[0].1.course = Some(Choice::Off);
        e = rebuilt(e);
        assert_eq!(bucket(&e, &Person::user("robot0")), 1);
    }

    #[test]
    fn a_forced_bucket_carries_what_forced_it() {
        let stage = |e: &Experiment, who: &Person| outcome(e, who).stage;
        let mut e = exp("experiments.test", 3, true, Some("a/b/c"));
        e.buckets[2].1.org = Some(Choice::On);
        e = rebuilt(e);
        assert_eq!(
            stage(&e, &Person::user("robot1")),
            Stage::Forced {
                bucket: 2,
                decision: FlagDecision::On,
                source: Source::Org
            }
        );
        e.buckets[1].1 = CourseFlag::plain(
            "experiments.test.1",
            Some(FlagRule {
                name: "experiments.test.1".into(),
                staff: true,
                ..FlagRule::default()
            }),
        );
        e = rebuilt(e);
        let mut staff = Person::user("robot1");
        staff.is_staff = true;
        assert_eq!(
            stage(&e, &staff),
            Stage::Forced {
                bucket: 1,
                decision: FlagDecision::On,
                source: Source::Waffle(Why::Staff)
            }
        );
        // Not staff: bucket 1's flag is off for them, the org override of bucket 2 forces.
        assert!(matches!(
            stage(&e, &Person::user("robot1")),
            Stage::Forced {
                bucket: 2,
                source: Source::Org,
                ..
            }
        ));
    }

    #[test]
    fn percent_rolls_are_reported_and_settled_by_assumption() {
        let mut e = exp("experiments.test", 2, true, Some("a/b/c"));
        e.main = CourseFlag::plain(
            "experiments.test",
            Some(FlagRule {
                name: "experiments.test".into(),
                percent: Some(250),
                ..FlagRule::default()
            }),
        );
        let e = rebuilt(e);
        let u = Person::user("robot1");
        let mut c = Check {
            subject: &u,
            request: RequestInfo::default(),
            enrolled: None,
            assume_percent: None,
            hash: None,
        };
        let o = e.evaluate(&c, &mut NoTrace);
        assert_eq!(o.bucket, 1);
        assert!(o.unsettled());
        assert_eq!(o.rolls[0].at, None);
        c.assume_percent = Some(false);
        let o = e.evaluate(&c, &mut NoTrace);
        assert_eq!((o.bucket, o.stage), (0, Stage::MainOff));
        assert!(!o.unsettled());
        c.assume_percent = Some(true);
        assert_eq!(e.evaluate(&c, &mut NoTrace).bucket, 1);
    }

    #[test]
    fn window_only_with_course_and_id() {
        let mut e = exp("experiments.test", 2, true, Some("a/b/c"));
        e.window = Window::new(Some("2030-01-01"), None, now().date());
        assert_eq!(
            bucket(&e, &Person::user("robot1")),
            1,
            "no id: ignored (V12)"
        );
        e.def.experiment_id = Some(0);
        e = rebuilt(e);
        assert_eq!(bucket(&e, &Person::user("robot1")), 0, "V8");
        let mut e2 = exp("experiments.test", 2, true, None);
        e2.def.experiment_id = Some(0);
        e2.window = Window::new(Some("2030-01-01"), None, now().date());
        let e2 = rebuilt(e2);
        assert_eq!(
            bucket(&e2, &Person::user("robot1")),
            1,
            "no course: ignored"
        );
    }

    #[test]
    fn steps_tell_the_story() {
        let e = exp("experiments.test", 2, true, Some("a/b/c"));
        let u = Person::user("robot1");
        let c = Check {
            subject: &u,
            request: RequestInfo::default(),
            enrolled: None,
            assume_percent: None,
            hash: None,
        };
        let mut t = Steps::default();
        let o = e.evaluate(&c, &mut t);
        assert!(o.emits_event(Kind::User));
        let last = t.0.last().unwrap();
        assert_eq!(last.step, "stable hash");
        assert!(
            last.detail.contains("8d584efaf563d7935bc581ac972e458f"),
            "{}",
            last.detail
        );
        assert!(last.detail.contains("3616172947 mod 2 = 1"));
        assert!(t.0.iter().any(|s| {
            s.detail
                .contains("experiments.test.0 … experiments.test.1: no such flags")
        }));
    }

    #[test]
    fn bucket_flags_are_sparse() {
        // Only bucket flag 7 of a million exists; it forces everyone.
        let def = Definition {
            name: "big.exp".into(),
            num_buckets: 1_000_000,
            experiment_id: None,
            course_aware: true,
        };
        let e = Experiment::new(
            def,
            None,
            everyone("big.exp", true),
            vec![
                (7, everyone("big.exp.7", true)),
                (2_000_000, everyone("big.exp.2000000", true)),
            ],
            Window::new(None, None, now().date()),
            now(),
        );
        assert!(
            e.bucket(2_000_000).is_none(),
            "beyond the buckets: never read"
        );
        let u = Person::user("robot1");
        let c = Check {
            subject: &u,
            request: RequestInfo::default(),
            enrolled: None,
            assume_percent: None,
            hash: None,
        };
        let mut t = Steps::default();
        let o = e.evaluate(&c, &mut t);
        assert_eq!(o.bucket, 7);
        assert!(
            matches!(
                o.stage,
                Stage::Forced {
                    bucket: 7,
                    decision: FlagDecision::On,
                    source: Source::Waffle(Why::Everyone(true))
                }
            ),
            "{:?}",
            o.stage
        );
        let text: Vec<&str> = t.0.iter().map(|s| s.detail.as_str()).collect();
        assert!(
            text.contains(&"big.exp.0 … big.exp.6: no such flags → off"),
            "{text:?}"
        );
    }

    #[test]
    fn names_split_at_the_first_dot() {
        let d = Definition {
            name: "namespace.flag.name".into(),
            num_buckets: 2,
            experiment_id: None,
            course_aware: true,
        };
        assert_eq!(
            (d.app_label(), d.experiment_name()),
            ("namespace", "flag.name")
        );
    }
}
