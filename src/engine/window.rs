//! The enrollment window of an experiment (`spec/edx.md` §1.3): key-values `enrollment_start`
//! (inclusive) and `enrollment_end` (exclusive) of the experiment ID, compared with when the user
//! enrolled in the course, or with now when they are not enrolled. Stored values are read as
//! edX's dateutil reads them (offsets discarded); a value that cannot be read puts the user
//! outside (bucket 0). Empty values count as absent.

use chrono::NaiveDateTime;

use super::dateutil;

/// The key-values edX reads as dates (the enrollment window).
pub const DATE_KEYS: [&str; 2] = ["enrollment_start", "enrollment_end"];

/// One bound, read once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Absent,
    At(NaiveDateTime),
    /// The stored text and why it cannot be read (dateutil raises ValueError).
    Unreadable(String, String),
    /// The stored text and why dateutil raises OverflowError on it, which edX does not catch.
    Crash(String, String),
}

/// The window of an experiment ID, parsed once for many checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: Bound,
    pub end: Bound,
    pub start_text: Option<String>,
    pub end_text: Option<String>,
}

/// Where an enrollment date falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Neither bound is set: every date is inside.
    NoBounds,
    Inside,
    BeforeStart,
    AtOrAfterEnd,
    BadStart,
    BadEnd,
    /// Reading the start (or end) raises OverflowError: the LMS fails with a server error.
    CrashStart,
    CrashEnd,
}

impl Placement {
    pub fn inside(self) -> bool {
        matches!(self, Placement::NoBounds | Placement::Inside)
    }

    /// The LMS fails with a server error instead of deciding.
    pub fn crashes(self) -> bool {
        matches!(self, Placement::CrashStart | Placement::CrashEnd)
    }
}

fn bound(text: Option<&str>, today: chrono::NaiveDate) -> Bound {
    match text {
        None | Some("") => Bound::Absent,
        Some(t) => match dateutil::parse(t, today) {
            Ok(d) => Bound::At(d),
            Err(e) if e.is_overflow() => Bound::Crash(t.to_string(), e.to_string()),
            Err(e) => Bound::Unreadable(t.to_string(), e.to_string()),
        },
    }
}

impl Window {
    /// From the stored `enrollment_start` / `enrollment_end` values. `today` fills the parts a
    /// value leaves out (dateutil uses the current date).
    pub fn new(start: Option<&str>, end: Option<&str>, today: chrono::NaiveDate) -> Window {
        Window {
            start: bound(start, today),
            end: bound(end, today),
            start_text: start.filter(|s| !s.is_empty()).map(String::from),
            end_text: end.filter(|s| !s.is_empty()).map(String::from),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.start == Bound::Absent && self.end == Bound::Absent
    }

    /// Both bounds are read and the end is not after the start: no enrollment date is inside,
    /// so every user lands outside (bucket 0).
    pub fn closed(&self) -> Option<(NaiveDateTime, NaiveDateTime)> {
        match (&self.start, &self.end) {
            (Bound::At(s), Bound::At(e)) if e <= s => Some((*s, *e)),
            _ => None,
        }
    }

    /// `_is_enrollment_inside_date_bounds` for an enrollment date (already "now" when the user is
    /// not enrolled). The start is checked first, as edX does.
    pub fn place(&self, enrolled: NaiveDateTime) -> Placement {
        if self.is_empty() {
            return Placement::NoBounds;
        }
        match &self.start {
            Bound::Crash(..) => return Placement::CrashStart,
            Bound::Unreadable(..) => return Placement::BadStart,
            Bound::At(s) if enrolled < *s => return Placement::BeforeStart,
            _ => {}
        }
        match &self.end {
            Bound::Crash(..) => Placement::CrashEnd,
            Bound::Unreadable(..) => Placement::BadEnd,
            Bound::At(e) if enrolled >= *e => Placement::AtOrAfterEnd,
            _ => Placement::Inside,
        }
    }

    /// The stored key-value on which dateutil raises OverflowError, checked in edX's order
    /// (start first): (key, stored text, why).
    pub fn crash(&self) -> Option<(&'static str, &str, &str)> {
        for (key, b) in [
            ("enrollment_start", &self.start),
            ("enrollment_end", &self.end),
        ] {
            match b {
                Bound::Crash(t, why) => return Some((key, t, why)),
                Bound::Unreadable(..) => return None,
                _ => {}
            }
        }
        None
    }

    /// One line about a placement.
    pub fn describe(&self, enrolled: NaiveDateTime, what: &str, p: Placement) -> String {
        let fmt = |d: &NaiveDateTime| d.format(super::dateutil::NORMAL_FORMAT).to_string();
        let e = format!("{what} {}", fmt(&enrolled));
        let start = match &self.start {
            Bound::At(s) => Some(format!("enrollment_start {}", fmt(s))),
            _ => None,
        };
        let end = match &self.end {
            Bound::At(s) => Some(format!("enrollment_end {}", fmt(s))),
            _ => None,
        };
        match p {
            Placement::NoBounds => {
                "no enrollment_start/enrollment_end for this experiment ID".into()
            }
            Placement::Inside => {
                let mut parts = vec![];
                if let Some(s) = start {
                    parts.push(format!("{e} ≥ {s}"));
                }
                if let Some(s) = end {
                    parts.push(format!("{e} < {s}"));
                }
                format!("{} → inside the window", parts.join(" and "))
            }
            Placement::BeforeStart => {
                format!("{e} < {} → outside the window", start.unwrap_or_default())
            }
            Placement::AtOrAfterEnd => format!(
                "{e} ≥ {} (the end is exclusive) → outside the window",
                end.unwrap_or_default()
            ),
            Placement::BadStart => match &self.start {
                Bound::Unreadable(t, why) => format!(
                    "enrollment_start {t:?} cannot be read as a date ({why}); edX logs the error and treats the user as outside the window"
                ),
                _ => String::new(),
            },
            Placement::BadEnd => match &self.end {
                Bound::Unreadable(t, why) => format!(
                    "enrollment_end {t:?} cannot be read as a date ({why}); edX logs the error and treats the user as outside the window"
                ),
                _ => String::new(),
            },
            Placement::CrashStart | Placement::CrashEnd => {
                let (key, b) = if p == Placement::CrashStart {
                    ("enrollment_start", &self.start)
                } else {
                    ("enrollment_end", &self.end)
                };
                match b {
                    Bound::Crash(t, why) => format!(
                        "{key} {t:?}: dateutil raises OverflowError ({why}), which edX does not catch: the LMS fails with a server error for this experiment"
                    ),
                    _ => String::new(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()
    }
    fn at(s: &str) -> NaiveDateTime {
        dateutil::parse(s, today()).unwrap()
    }
    fn inside(start: Option<&str>, end: Option<&str>, enrolled: Option<&str>) -> bool {
        let now = at("2026-01-02T03:04:05");
        let w = Window::new(start, end, today());
        w.place(enrolled.map(at).unwrap_or(now)).inside()
    }

    /// spec/edx.md §6.1, the enrollment cases (now = 2026).
    #[test]
    fn the_test_flags_cases() {
        assert!(inside(Some("2012-01-06"), None, None));
        assert!(!inside(Some("9999-01-06"), None, None));
        assert!(!inside(Some("2012-01-06"), None, Some("2012-01-05")));
        assert!(inside(Some("2012-01-06"), None, Some("2012-01-07")));
        assert!(inside(None, None, Some("2012-01-07")));
        assert!(!inside(Some("not-a-date"), None, Some("2012-01-07")));
        assert!(!inside(None, Some("2012-01-06"), None));
        assert!(inside(None, Some("9999-01-06"), None));
        assert!(inside(None, Some("2012-01-06"), Some("2012-01-05")));
        assert!(!inside(None, Some("2012-01-06"), Some("2012-01-07")));
        assert!(inside(None, None, Some("2012-01-07")));
        assert!(!inside(None, Some("not-a-date"), Some("2012-01-07")));
    }

    #[test]
    fn start_is_inclusive_and_end_exclusive() {
        assert!(inside(
            Some("2012-01-06"),
            None,
            Some("2012-01-06T00:00:00")
        ));
        assert!(!inside(
            None,
            Some("2012-01-06"),
            Some("2012-01-06T00:00:00")
        ));
        assert!(inside(Some(""), Some(""), Some("1999-01-01")));
    }

    #[test]
    fn the_start_is_checked_first() {
        let w = Window::new(Some("2030-01-01"), Some("garbage"), today());
        assert_eq!(w.place(at("2012-01-01")), Placement::BeforeStart);
        assert_eq!(w.place(at("2031-01-01")), Placement::BadEnd);
        let w = Window::new(Some("garbage"), Some("2000-01-01"), today());
        assert_eq!(w.place(at("2012-01-01")), Placement::BadStart);
    }

    #[test]
    fn offsets_are_replaced_not_converted() {
        // 12:00-05:00 is read as 12:00 UTC: an enrollment at 13:00 UTC is after it.
        let w = Window::new(Some("2020-01-01T12:00:00-05:00"), None, today());
        assert_eq!(w.place(at("2020-01-01T13:00:00")), Placement::Inside);
        assert_eq!(w.place(at("2020-01-01T11:59:59")), Placement::BeforeStart);
    }

    #[test]
    fn an_overflowing_bound_is_a_server_error() {
        let w = Window::new(Some("12345678901"), None, today());
        let p = w.place(at("2020-01-01"));
        assert_eq!(p, Placement::CrashStart);
        assert!(p.crashes() && !p.inside());
        assert_eq!(w.crash().map(|c| c.0), Some("enrollment_start"));
        // edX checks the start first: an unreadable start decides before an overflowing end.
        let w = Window::new(Some("garbage"), Some("12345678901"), today());
        assert_eq!(w.place(at("2020-01-01")), Placement::BadStart);
        assert_eq!(w.crash(), None);
    }
}
