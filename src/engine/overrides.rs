//! Open edX course and org overrides (`spec/edx.md` §4). Which row of a key is current is the
//! database's answer to edX's query (`store::edx::current_row`); it counts only when that row is
//! enabled, so a newer disabled row cancels an older enabled one. A `CourseWaffleFlag` is:
//! enabled course override (on/off) > enabled org override (matched on the course key's org) >
//! the waffle flag.

use super::course::CourseKey;
use super::trace::{Trace, note};
use super::waffle::{FlagDecision, FlagRule, RequestInfo, Subject, Why, flag_is_active};

/// `override_value`: `on`, `off` or `unset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    On,
    Off,
    Unset,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::On => "on",
            Choice::Off => "off",
            Choice::Unset => "unset",
        }
    }
}

/// Where a course flag's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Course,
    Org,
    Waffle(Why),
}

/// A flag as `CourseWaffleFlag` sees it for one course: the waffle row and the current course and
/// org overrides for that course (both `Unset` when there is no course).
#[derive(Debug, Clone)]
pub struct CourseFlag {
    pub name: String,
    pub rule: Option<FlagRule>,
    pub course: Choice,
    pub org: Choice,
}

impl CourseFlag {
    /// Only the waffle row, no overrides.
    pub fn plain(name: &str, rule: Option<FlagRule>) -> CourseFlag {
        CourseFlag {
            name: name.to_string(),
            rule,
            course: Choice::Unset,
            org: Choice::Unset,
        }
    }

    /// Whether the value depends on who asks (no override decides, and the waffle row is not
    /// decided by `everyone`).
    pub fn depends_on_user(&self, course: Option<&CourseKey>) -> bool {
        if course.is_some() && (self.course != Choice::Unset || self.org != Choice::Unset) {
            return false;
        }
        matches!(&self.rule, Some(r) if r.everyone.is_none())
    }

    /// `is_enabled(course_key)`.
    pub fn is_enabled<S: Subject, T: Trace>(
        &self,
        course: Option<&CourseKey>,
        subject: &S,
        req: RequestInfo<'_>,
        label: &str,
        t: &mut T,
    ) -> (FlagDecision, Source) {
        if let Some(c) = course {
            match self.course {
                Choice::On => {
                    note(t, label, || format!("course override on for {c} → on"));
                    return (FlagDecision::On, Source::Course);
                }
                Choice::Off => {
                    note(t, label, || format!("course override off for {c} → off"));
                    return (FlagDecision::Off, Source::Course);
                }
                Choice::Unset => {}
            }
            match self.org {
                Choice::On => {
                    note(t, label, || {
                        format!("no course override; org override on for {} → on", c.org())
                    });
                    return (FlagDecision::On, Source::Org);
                }
                Choice::Off => {
                    note(t, label, || {
                        format!("no course override; org override off for {} → off", c.org())
                    });
                    return (FlagDecision::Off, Source::Org);
                }
                Choice::Unset => note(t, label, || {
                    format!(
                        "no course override for {c}, no org override for {} → the waffle flag decides",
                        c.org()
                    )
                }),
            }
        }
        let (d, why) = flag_is_active(self.rule.as_ref(), subject, req, label, t);
        (d, Source::Waffle(why))
    }

    /// One line for a decision from [`CourseFlag::is_enabled`].
    pub fn describe(&self, course: Option<&CourseKey>, source: Source) -> String {
        match (source, course) {
            (Source::Course, Some(c)) => {
                format!("course override {} for {c}", self.course.as_str())
            }
            (Source::Org, Some(c)) => format!("org override {} for {}", self.org.as_str(), c.org()),
            (Source::Waffle(why), _) => why.describe(self.rule.as_ref()),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::NoTrace;
    use crate::engine::waffle::Person;

    fn waffle(on: bool) -> Option<FlagRule> {
        Some(FlagRule {
            name: "test_namespace.test_flag".into(),
            everyone: Some(on),
            ..FlagRule::default()
        })
    }

    fn enabled(waffle_on: bool, course: Choice, org: Choice, key: &str) -> bool {
        let f = CourseFlag {
            name: "test_namespace.test_flag".into(),
            rule: waffle(waffle_on),
            course,
            org,
        };
        let k = CourseKey::parse(key).unwrap();
        let (d, _) = f.is_enabled(
            Some(&k),
            &Person::user("u"),
            RequestInfo::default(),
            "f",
            &mut NoTrace,
        );
        d == FlagDecision::On
    }

    fn choice(c: char) -> Choice {
        match c {
            'o' => Choice::On,
            'x' => Choice::Off,
            _ => Choice::Unset,
        }
    }

    /// The overrides stored on course `edX/DemoX/Demo_Course` / org `edX`, seen from `key`: the
    /// course override applies only to that course, the org override to the courses of `edX`.
    fn seen_from(key: &str, course: Choice, org: Choice) -> (Choice, Choice) {
        let k = CourseKey::parse(key).unwrap();
        let c = if k.as_str() == "edX/DemoX/Demo_Course" {
            course
        } else {
            Choice::Unset
        };
        let o = if k.org() == "edX" { org } else { Choice::Unset };
        (c, o)
    }

    /// spec/edx.md §6.4 item 1.
    #[test]
    fn course_override_table() {
        for (w, c, want) in [
            (false, 'o', true),
            (true, 'x', false),
            (true, '-', true),
            (false, '-', false),
        ] {
            let (cc, oc) = seen_from("edX/DemoX/Demo_Course", choice(c), Choice::Unset);
            assert_eq!(enabled(w, cc, oc, "edX/DemoX/Demo_Course"), want, "{w} {c}");
            // Course 2 gives the waffle value.
            let (cc, oc) = seen_from("edX/DemoX/Demo_Course_2", choice(c), Choice::Unset);
            assert_eq!(enabled(w, cc, oc, "edX/DemoX/Demo_Course_2"), w);
        }
    }

    /// spec/edx.md §6.4 items 2 and 3.
    #[test]
    fn org_override_table() {
        for (w, o, want) in [
            (false, '-', false),
            (true, '-', true),
            (false, 'o', true),
            (true, 'o', true),
            (false, 'x', false),
            (true, 'x', false),
        ] {
            for key in ["edX/DemoX/Demo_Course", "edX/DemoX/Demo_Course_2"] {
                let (cc, oc) = seen_from(key, Choice::Unset, choice(o));
                assert_eq!(enabled(w, cc, oc, key), want, "{w} {o} {key}");
            }
            // Not the matching org: always the waffle value.
            let key = "CollegeX/DemoX/Demo_Course";
            let (cc, oc) = seen_from(key, Choice::Unset, choice(o));
            assert_eq!(enabled(w, cc, oc, key), w, "{w} {o} {key}");
        }
    }

    /// spec/edx.md §6.4 item 4: (waffle, course choice, org choice) → result.
    #[test]
    fn course_and_org_override_table() {
        let rows = [
            (false, '-', '-', false),
            (true, '-', '-', true),
            (false, 'o', '-', true),
            (true, 'o', '-', true),
            (false, 'o', 'o', true),
            (true, 'o', 'o', true),
            (false, 'o', 'x', true),
            (true, 'o', 'x', true),
            (false, '-', 'o', true),
            (true, '-', 'o', true),
            (false, 'x', 'o', false),
            (true, 'x', 'o', false),
            (false, 'x', 'x', false),
            (true, 'x', 'x', false),
            (false, 'x', '-', false),
            (true, 'x', '-', false),
            (false, '-', 'x', false),
            (true, '-', 'x', false),
        ];
        for (w, c, o, want) in rows {
            let key = "edX/DemoX/Demo_Course";
            let (cc, oc) = seen_from(key, choice(c), choice(o));
            assert_eq!(enabled(w, cc, oc, key), want, "({w}, {c}, {o})");
        }
    }

    /// §6.4 item 5: no override, no flag row → off.
    #[test]
    fn undefined_flag_is_off() {
        let f = CourseFlag::plain("test_namespace.test_flag", None);
        let k = CourseKey::parse("edX/DemoX/Demo_Course").unwrap();
        let (d, s) = f.is_enabled(
            Some(&k),
            &Person::user("u"),
            RequestInfo::default(),
            "f",
            &mut NoTrace,
        );
        assert_eq!(d, FlagDecision::Off);
        assert_eq!(s, Source::Waffle(Why::NoRow));
    }

    #[test]
    fn without_a_course_overrides_are_not_consulted() {
        let f = CourseFlag {
            name: "n.f".into(),
            rule: waffle(false),
            course: Choice::On,
            org: Choice::On,
        };
        let (d, _) = f.is_enabled(
            None,
            &Person::user("u"),
            RequestInfo::default(),
            "f",
            &mut NoTrace,
        );
        assert_eq!(d, FlagDecision::Off);
    }
}
