//! django-waffle's flag decision for one request (`spec/django-waffle.md` §2.1, `spec/edx.md` §7),
//! switches (§2.3) and samples (§2.4).
//!
//! Order: no row → off; `everyone` on/off decides; testing mode (request cookies/headers, not
//! modelled); languages; no user on the request → off; authenticated, staff, superusers, listed
//! users, groups; then the percent roll, which is random: it is returned as
//! [`FlagDecision::Roll`] for the caller to settle; otherwise off.

use super::names::NameSet;
use super::trace::{Trace, note};

/// Who makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request has no `user` attribute at all.
    NoUser,
    /// Django's `AnonymousUser`: not authenticated, no id, no groups.
    Anonymous,
    /// A logged-in user.
    User,
}

/// The request's user, as the flag criteria see it. Implemented by a plain struct for one user
/// and by lookups into preloaded sets for bulk bucketing (only the criteria a flag uses are
/// asked for).
pub trait Subject {
    fn kind(&self) -> Kind;
    /// The username (empty unless [`Kind::User`]).
    fn username(&self) -> &str;
    fn is_staff(&self) -> bool;
    fn is_superuser(&self) -> bool;
    fn in_group(&self, group: &str) -> bool;
}

/// A user described by plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub kind: Kind,
    pub username: String,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub groups: Vec<String>,
}

impl Person {
    pub fn user(username: &str) -> Person {
        Person {
            kind: Kind::User,
            username: username.to_string(),
            is_staff: false,
            is_superuser: false,
            groups: Vec::new(),
        }
    }
    pub fn anonymous() -> Person {
        Person {
            kind: Kind::Anonymous,
            username: String::new(),
            is_staff: false,
            is_superuser: false,
            groups: Vec::new(),
        }
    }
    pub fn no_user() -> Person {
        Person {
            kind: Kind::NoUser,
            ..Person::anonymous()
        }
    }
}

impl Subject for Person {
    fn kind(&self) -> Kind {
        self.kind
    }
    fn username(&self) -> &str {
        if self.kind == Kind::User {
            &self.username
        } else {
            ""
        }
    }
    fn is_staff(&self) -> bool {
        self.kind == Kind::User && self.is_staff
    }
    fn is_superuser(&self) -> bool {
        self.kind == Kind::User && self.is_superuser
    }
    fn in_group(&self, group: &str) -> bool {
        self.kind == Kind::User && self.groups.iter().any(|g| g == group)
    }
}

/// A django-waffle flag row with what its decision needs.
#[derive(Debug, Clone, Default)]
pub struct FlagRule {
    pub name: String,
    pub everyone: Option<bool>,
    /// Percent in tenths (`25.0` = 250); `None` when NULL.
    pub percent: Option<i32>,
    pub testing: bool,
    pub superusers: bool,
    pub staff: bool,
    pub authenticated: bool,
    /// `languages` split on `,` and trimmed.
    pub languages: Vec<String>,
    /// Usernames on the flag's user list.
    pub users: NameSet,
    /// Group names on the flag's group list.
    pub groups: Vec<String>,
    /// Why Django cannot read this row (a stored percent it raises on), if it cannot.
    pub unreadable: Option<String>,
}

impl FlagRule {
    /// A flag row named `name` with no criterion set (a test then sets the ones it needs).
    #[cfg(test)]
    pub(crate) fn named(name: &str) -> FlagRule {
        FlagRule {
            name: name.into(),
            ..FlagRule::default()
        }
    }

    /// The one line saying the LMS fails reading this row, when Django cannot read it.
    pub fn server_error(&self) -> Option<String> {
        self.unreadable.as_ref().map(|why| {
            format!(
                "the LMS fails with a server error reading flag {}: {why}",
                self.name
            )
        })
    }
}

/// The outcome of a flag check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagDecision {
    On,
    Off,
    /// Decided by django-waffle's random roll: on with probability `percent / 100`
    /// (tenths of a percent).
    Roll(i32),
}

/// Why a flag decided as it did (cheap; rendered to text only when explaining).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    NoRow,
    Everyone(bool),
    /// Index into `languages`.
    Language(usize),
    NoUser,
    Authenticated,
    Staff,
    Superuser,
    ListedUser,
    /// Index into `groups`.
    Group(usize),
    Percent(i32),
    NothingMatched,
    /// Django raises reading the row: the LMS fails with a server error (no decision).
    Unreadable,
}

/// `12.5` from tenths: the one text of a percent (`Percent`'s `Display`, reasons, doctor's
/// cache report), always one decimal as Django's `decimal(_, 1)` holds it.
pub fn percent_text(tenths: i32) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

impl Why {
    /// One line: why the flag is on/off (needs the rule for list entries).
    pub fn describe(self, rule: Option<&FlagRule>) -> String {
        match self {
            Why::NoRow => "no such flag; django-waffle's default is off".into(),
            Why::Everyone(true) => "everyone = on".into(),
            Why::Everyone(false) => "everyone = off".into(),
            Why::Language(i) => format!(
                "language {} is listed",
                rule.and_then(|r| r.languages.get(i))
                    .map(String::as_str)
                    .unwrap_or("?")
            ),
            Why::NoUser => "no user on the request → off".into(),
            Why::Authenticated => "on for authenticated users".into(),
            Why::Staff => "on for staff, and the user is staff".into(),
            Why::Superuser => "on for superusers, and the user is a superuser".into(),
            Why::ListedUser => "the user is on the flag's user list".into(),
            Why::Group(i) => format!(
                "the user is in group {}",
                rule.and_then(|r| r.groups.get(i))
                    .map(String::as_str)
                    .unwrap_or("?")
            ),
            Why::Percent(p) => format!("random {}% roll", percent_text(p)),
            Why::NothingMatched => "no criterion matched".into(),
            Why::Unreadable => rule
                .and_then(FlagRule::server_error)
                .unwrap_or_else(|| "Django cannot read the row".into()),
        }
    }
}

/// The request besides its user: the language code (`request.LANGUAGE_CODE`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestInfo<'a> {
    pub language: Option<&'a str>,
}

/// `flag_is_active(request, name)` for a flag row (None = no row). Steps are named
/// `{label}: ...`.
pub fn flag_is_active<S: Subject, T: Trace>(
    rule: Option<&FlagRule>,
    subject: &S,
    req: RequestInfo<'_>,
    label: &str,
    t: &mut T,
) -> (FlagDecision, Why) {
    let Some(f) = rule else {
        note(t, label, || {
            "no such flag → off (WAFFLE_FLAG_DEFAULT is false)".into()
        });
        return (FlagDecision::Off, Why::NoRow);
    };
    if let Some(e) = f.server_error() {
        note(t, label, || e);
        return (FlagDecision::Off, Why::Unreadable);
    }
    match f.everyone {
        Some(true) => {
            note(t, label, || "everyone = on → on".into());
            return (FlagDecision::On, Why::Everyone(true));
        }
        Some(false) => {
            note(t, label, || "everyone = off → off".into());
            return (FlagDecision::Off, Why::Everyone(false));
        }
        None => note(t, label, || "everyone is unset → check the criteria".into()),
    }
    if f.testing {
        note(t, label, || {
            "testing mode is on: a dwft_ cookie, header or query parameter on a real request could decide here; none is modelled".into()
        });
    }
    if !f.languages.is_empty() {
        let hit = req
            .language
            .and_then(|l| f.languages.iter().position(|x| x == l));
        if let Some(i) = hit {
            note(t, label, || {
                format!(
                    "language {} is in [{}] → on",
                    f.languages[i],
                    f.languages.join(",")
                )
            });
            return (FlagDecision::On, Why::Language(i));
        }
        note(t, label, || match req.language {
            Some(l) => format!("language {l} is not in [{}]", f.languages.join(",")),
            None => format!(
                "no request language (--language) to match [{}]",
                f.languages.join(",")
            ),
        });
    }
    let kind = subject.kind();
    if kind == Kind::NoUser {
        note(t, label, || {
            "no user on the request → off (the percent roll is never reached)".into()
        });
        return (FlagDecision::Off, Why::NoUser);
    }
    let who = || -> String {
        if kind == Kind::User {
            subject.username().to_string()
        } else {
            "the anonymous user".into()
        }
    };
    if f.authenticated {
        if kind == Kind::User {
            note(t, label, || {
                format!("on for authenticated users; {} is logged in → on", who())
            });
            return (FlagDecision::On, Why::Authenticated);
        }
        note(t, label, || {
            "on for authenticated users; the visitor is anonymous".into()
        });
    }
    if f.staff {
        if subject.is_staff() {
            note(t, label, || {
                format!("on for staff; {} is staff → on", who())
            });
            return (FlagDecision::On, Why::Staff);
        }
        note(t, label, || format!("on for staff; {} is not staff", who()));
    }
    if f.superusers {
        if subject.is_superuser() {
            note(t, label, || {
                format!("on for superusers; {} is a superuser → on", who())
            });
            return (FlagDecision::On, Why::Superuser);
        }
        note(t, label, || {
            format!("on for superusers; {} is not a superuser", who())
        });
    }
    if !f.users.is_empty() {
        if kind == Kind::User && f.users.contains(subject.username()) {
            note(t, label, || {
                format!("{} is on the flag's user list → on", who())
            });
            return (FlagDecision::On, Why::ListedUser);
        }
        note(t, label, || {
            format!(
                "{} is not on the flag's user list ({} users)",
                who(),
                f.users.len()
            )
        });
    }
    if !f.groups.is_empty() {
        if kind == Kind::User
            && let Some(i) = f.groups.iter().position(|g| subject.in_group(g))
        {
            note(t, label, || {
                format!("{} is in group {} → on", who(), f.groups[i])
            });
            return (FlagDecision::On, Why::Group(i));
        }
        note(t, label, || {
            format!(
                "{} is in none of the groups [{}]",
                who(),
                f.groups.join(", ")
            )
        });
    }
    if let Some(p) = f.percent
        && p > 0
    {
        note(t, label, || {
            format!(
                "percent {}: django-waffle rolls a random number (or reads the dwf_{} cookie) → on with probability {}",
                percent_text(p),
                f.name,
                probability(p)
            )
        });
        return (FlagDecision::Roll(p), Why::Percent(p));
    }
    note(t, label, || "no criterion matched → off".into());
    (FlagDecision::Off, Why::NothingMatched)
}

/// A percent in tenths as a probability 0..1.
pub fn probability(tenths: i32) -> f64 {
    (f64::from(tenths) / 1000.0).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::names::name_set;
    use crate::engine::trace::{NoTrace, Steps};

    fn rule() -> FlagRule {
        FlagRule::named("f.x")
    }

    fn check(r: Option<&FlagRule>, p: &Person) -> FlagDecision {
        flag_is_active(r, p, RequestInfo::default(), "flag", &mut NoTrace).0
    }

    fn staff() -> Person {
        Person {
            is_staff: true,
            ..Person::user("sam")
        }
    }
    fn root() -> Person {
        Person {
            is_superuser: true,
            ..Person::user("root")
        }
    }

    #[test]
    fn a_missing_row_is_off() {
        assert_eq!(check(None, &Person::user("a")), FlagDecision::Off);
    }

    #[test]
    fn everyone_beats_every_criterion() {
        let mut r = rule();
        r.everyone = Some(false);
        r.staff = true;
        r.percent = Some(999);
        r.users = name_set(["sam"]);
        assert_eq!(check(Some(&r), &staff()), FlagDecision::Off);
        r.everyone = Some(true);
        assert_eq!(check(Some(&r), &Person::anonymous()), FlagDecision::On);
        assert_eq!(check(Some(&r), &Person::no_user()), FlagDecision::On);
    }

    #[test]
    fn languages_come_before_the_user() {
        let mut r = rule();
        r.languages = vec!["de".into(), "fr".into()];
        let req = RequestInfo {
            language: Some("fr"),
        };
        let (d, why) = flag_is_active(Some(&r), &Person::no_user(), req, "f", &mut NoTrace);
        assert_eq!((d, why), (FlagDecision::On, Why::Language(1)));
        let req = RequestInfo {
            language: Some("en"),
        };
        let (d, _) = flag_is_active(Some(&r), &Person::user("a"), req, "f", &mut NoTrace);
        assert_eq!(d, FlagDecision::Off);
    }

    #[test]
    fn no_user_is_off_before_percent() {
        let mut r = rule();
        r.percent = Some(500);
        r.authenticated = true;
        assert_eq!(check(Some(&r), &Person::no_user()), FlagDecision::Off);
        // An anonymous user reaches the roll but not the authenticated criterion.
        assert_eq!(
            check(Some(&r), &Person::anonymous()),
            FlagDecision::Roll(500)
        );
        assert_eq!(check(Some(&r), &Person::user("a")), FlagDecision::On);
    }

    #[test]
    fn user_criteria_in_order() {
        let mut r = rule();
        r.staff = true;
        assert_eq!(check(Some(&r), &staff()), FlagDecision::On);
        assert_eq!(check(Some(&r), &Person::user("a")), FlagDecision::Off);
        let mut r = rule();
        r.superusers = true;
        assert_eq!(check(Some(&r), &root()), FlagDecision::On);
        assert_eq!(check(Some(&r), &staff()), FlagDecision::Off);
        let mut r = rule();
        r.users = name_set(["alice"]);
        assert_eq!(check(Some(&r), &Person::user("alice")), FlagDecision::On);
        assert_eq!(check(Some(&r), &Person::user("bob")), FlagDecision::Off);
        let mut r = rule();
        r.groups = vec!["beta".into(), "gamma".into()];
        let mut bob = Person::user("bob");
        bob.groups = vec!["gamma".into()];
        let (d, why) = flag_is_active(Some(&r), &bob, RequestInfo::default(), "f", &mut NoTrace);
        assert_eq!((d, why), (FlagDecision::On, Why::Group(1)));
        assert_eq!(check(Some(&r), &Person::user("carol")), FlagDecision::Off);
    }

    #[test]
    fn anonymous_users_match_no_user_criterion() {
        let mut r = rule();
        r.staff = true;
        r.superusers = true;
        r.users = name_set([""]);
        r.groups = vec!["beta".into()];
        assert_eq!(check(Some(&r), &Person::anonymous()), FlagDecision::Off);
    }

    #[test]
    fn percent_zero_is_off_and_positive_is_a_roll() {
        let mut r = rule();
        r.percent = Some(0);
        assert_eq!(check(Some(&r), &Person::user("a")), FlagDecision::Off);
        r.percent = Some(250);
        assert_eq!(check(Some(&r), &Person::user("a")), FlagDecision::Roll(250));
        assert!((probability(250) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn steps_explain_the_walk() {
        let mut r = rule();
        r.staff = true;
        r.percent = Some(100);
        let mut t = Steps::default();
        flag_is_active(
            Some(&r),
            &Person::user("a"),
            RequestInfo::default(),
            "flag f.x",
            &mut t,
        );
        let text: Vec<String> = t.0.iter().map(|s| s.detail.clone()).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[1].contains("not staff"));
        assert!(text[2].contains("probability 0.1"));
    }
}
