//! Open edX course and org overrides (`spec/edx.md` §4): which row of a key is current, what it
//! forces, and how a `CourseWaffleFlag` combines them. The current row of a key is the first row
//! of edX's query, `order_by('-change_date').first()` ([`current`], [`newest_first`]); it counts
//! only when that row is enabled ([`Choice::of_row`]), so a newer disabled row cancels an older
//! enabled one. A `CourseWaffleFlag` is: enabled course override (on/off) > enabled org override
//! (matched on the course key's org) > the waffle flag.

use std::cmp::Ordering;

use super::course::CourseKey;
use super::trace::{Trace, note};
use super::waffle::{FlagDecision, FlagRule, RequestInfo, Subject, Why, flag_is_active};

/// What an override row forces: on or off (`override_choice`). No override in force is `None`
/// wherever a choice is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    On,
    Off,
}

impl Choice {
    /// `on` / `off` as stored or typed; anything else (edX tests store `unset`) is no choice.
    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "on" => Some(Choice::On),
            "off" => Some(Choice::Off),
            _ => None,
        }
    }

    /// The override a key's current row makes: its choice when the row is enabled and says `on`
    /// or `off`, else none.
    pub fn of_row(enabled: bool, stored: &str) -> Option<Choice> {
        Choice::parse(stored).filter(|_| enabled)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::On => "on",
            Choice::Off => "off",
        }
    }
}

/// A `change_date` as the database holds it. The database, not Python, orders the rows of a
/// key, so the comparison is SQLite's: NULL first, then numbers (compared as numbers), then text
/// (byte by byte: a `T` sorts after a space, an offset is not applied, so
/// `2020-01-01 10:00+05:00` is newer than `2020-01-01 06:00`), then blobs (byte by byte).
#[derive(Debug, Clone, PartialEq)]
pub enum StoredDate {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl StoredDate {
    fn class(&self) -> u8 {
        match self {
            StoredDate::Null => 0,
            StoredDate::Integer(_) | StoredDate::Real(_) => 1,
            StoredDate::Text(_) => 2,
            StoredDate::Blob(_) => 3,
        }
    }

    /// SQLite's order of two stored values (BINARY collation).
    pub fn sqlite_cmp(&self, other: &StoredDate) -> Ordering {
        use StoredDate as D;
        match (self, other) {
            (D::Integer(a), D::Integer(b)) => a.cmp(b),
            (D::Integer(a), D::Real(b)) => (*a as f64).total_cmp(b),
            (D::Real(a), D::Integer(b)) => a.total_cmp(&(*b as f64)),
            (D::Real(a), D::Real(b)) => a.total_cmp(b),
            (D::Text(a), D::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            (D::Blob(a), D::Blob(b)) => a.cmp(b),
            _ => self.class().cmp(&other.class()),
        }
    }
}

/// edX's order of the rows of one key, newest first: `change_date` descending as the database
/// compares it ([`StoredDate::sqlite_cmp`]); among equal dates SQLite returns the row it met
/// first, the lowest id (observed with Django 5.2; conformance/suite.py checks it). Rows are
/// `(change_date, id)`.
pub(crate) fn newest_first(a: (&StoredDate, i64), b: (&StoredDate, i64)) -> Ordering {
    b.0.sqlite_cmp(a.0).then(a.1.cmp(&b.1))
}

/// The current row among the rows of one key: the first in [`newest_first`] order. `date_id`
/// gives a row's `(change_date, id)`.
pub(crate) fn current<'a, R>(
    rows: impl IntoIterator<Item = &'a R>,
    date_id: impl Fn(&'a R) -> (&'a StoredDate, i64),
) -> Option<&'a R> {
    rows.into_iter()
        .min_by(|a, b| newest_first(date_id(a), date_id(b)))
}

/// Where a course flag's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Course,
    Org,
    Waffle(Why),
}

/// A flag as `CourseWaffleFlag` sees it for one course: the waffle row and the current course and
/// org overrides for that course (both `None` when there is no course).
#[derive(Debug, Clone)]
pub struct CourseFlag {
    pub name: String,
    pub rule: Option<FlagRule>,
    pub course: Option<Choice>,
    pub org: Option<Choice>,
}

impl CourseFlag {
    /// Only the waffle row, no overrides.
    pub fn plain(name: &str, rule: Option<FlagRule>) -> CourseFlag {
        CourseFlag {
            name: name.to_string(),
            rule,
            course: None,
            org: None,
        }
    }

    /// Whether the value depends on who asks (no override decides, and the waffle row is not
    /// decided by `everyone`).
    pub fn depends_on_user(&self, course: Option<&CourseKey>) -> bool {
        if course.is_some() && (self.course.is_some() || self.org.is_some()) {
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
                Some(Choice::On) => {
                    note(t, label, || format!("course override on for {c} → on"));
                    return (FlagDecision::On, Source::Course);
                }
                Some(Choice::Off) => {
                    note(t, label, || format!("course override off for {c} → off"));
                    return (FlagDecision::Off, Source::Course);
                }
                None => {}
            }
            match self.org {
                Some(Choice::On) => {
                    note(t, label, || {
                        format!("no course override; org override on for {} → on", c.org())
                    });
                    return (FlagDecision::On, Source::Org);
                }
                Some(Choice::Off) => {
                    note(t, label, || {
                        format!("no course override; org override off for {} → off", c.org())
                    });
                    return (FlagDecision::Off, Source::Org);
                }
                None => note(t, label, || {
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
                format!("course override {} for {c}", choice_text(self.course))
            }
            (Source::Org, Some(c)) => {
                format!("org override {} for {}", choice_text(self.org), c.org())
            }
            (Source::Waffle(why), _) => why.describe(self.rule.as_ref()),
            _ => String::new(),
        }
    }
}

/// `on`, `off`, or `unset` for no override.
fn choice_text(c: Option<Choice>) -> &'static str {
    c.map_or("unset", Choice::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> StoredDate {
        StoredDate::Text(s.into())
    }

    /// The order of spec/edx.md §4: newest stored value first, SQLite's classes, ties to the
    /// lowest id.
    #[test]
    fn current_row_is_edx_first_row() {
        let rows = [
            (text("2020-01-01 00:00:00"), 1, "on"),
            (text("2020-01-01 00:00:00.5"), 2, "off"),
            (text("2020-01-01 00:00:00.5"), 3, "on"),
        ];
        let pick =
            |rows: &[(StoredDate, i64, &'static str)]| current(rows, |r| (&r.0, r.1)).map(|r| r.1);
        assert_eq!(pick(&rows), Some(2), "a tie goes to the lowest id");
        let mut more = rows.to_vec();
        // Text compares byte by byte: the T form of the same day sorts after the space forms.
        more.push((text("2020-01-01T00:00:00"), 4, "on"));
        assert_eq!(pick(&more), Some(4));
        // Numbers sort before text, blobs after it.
        more.push((StoredDate::Integer(99999999999), 5, "on"));
        more.push((StoredDate::Null, 6, "on"));
        assert_eq!(pick(&more), Some(4));
        more.push((StoredDate::Blob(b"0".to_vec()), 7, "on"));
        assert_eq!(pick(&more), Some(7));
        assert_eq!(pick(&[]), None);
        assert_eq!(
            StoredDate::Integer(2).sqlite_cmp(&StoredDate::Real(1.5)),
            Ordering::Greater
        );
    }

    #[test]
    fn only_an_enabled_on_or_off_row_forces() {
        assert_eq!(Choice::of_row(true, "on"), Some(Choice::On));
        assert_eq!(Choice::of_row(true, "off"), Some(Choice::Off));
        assert_eq!(Choice::of_row(false, "on"), None);
        assert_eq!(Choice::of_row(true, "unset"), None);
    }
    use crate::engine::trace::NoTrace;
    use crate::engine::waffle::Person;

    fn waffle(on: bool) -> Option<FlagRule> {
        Some(FlagRule {
            name: "test_namespace.test_flag".into(),
            everyone: Some(on),
            ..FlagRule::default()
        })
    }

    fn enabled(waffle_on: bool, course: Option<Choice>, org: Option<Choice>, key: &str) -> bool {
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

    fn choice(c: char) -> Option<Choice> {
        match c {
            'o' => Some(Choice::On),
            'x' => Some(Choice::Off),
            _ => None,
        }
    }

    /// The overrides stored on course `edX/DemoX/Demo_Course` / org `edX`, seen from `key`: the
    /// course override applies only to that course, the org override to the courses of `edX`.
    fn seen_from(
        key: &str,
        course: Option<Choice>,
        org: Option<Choice>,
    ) -> (Option<Choice>, Option<Choice>) {
        let k = CourseKey::parse(key).unwrap();
        let c = if k.as_str() == "edX/DemoX/Demo_Course" {
            course
        } else {
            None
        };
        let o = if k.org() == "edX" { org } else { None };
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
            let (cc, oc) = seen_from("edX/DemoX/Demo_Course", choice(c), None);
            assert_eq!(enabled(w, cc, oc, "edX/DemoX/Demo_Course"), want, "{w} {c}");
            // Course 2 gives the waffle value.
            let (cc, oc) = seen_from("edX/DemoX/Demo_Course_2", choice(c), None);
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
                let (cc, oc) = seen_from(key, None, choice(o));
                assert_eq!(enabled(w, cc, oc, key), want, "{w} {o} {key}");
            }
            // Not the matching org: always the waffle value.
            let key = "CollegeX/DemoX/Demo_Course";
            let (cc, oc) = seen_from(key, None, choice(o));
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
            course: Some(Choice::On),
            org: Some(Choice::On),
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
