//! Course keys exactly as edx-opaque-keys reads them: `CourseKey.from_string(text)` with
//! edx-ccx-keys installed (as edx-platform has it), and `str(key)` as the canonical text.
//!
//! The namespaces a course key may have: `course-v1:` (and its alias `slashes:`),
//! `library-v1:` (legacy libraries) and `ccx-v1:`; any other text, or a namespaced text that
//! does not parse, falls back to the deprecated `ORG/COURSE/RUN` form. A namespaced key is
//! `+`-separated: `ORG+COURSE[+RUN]`, then optional `branch@B`, `version@V` (24 hex digits, an
//! ObjectId), (`ccx@N` for CCX), `type@T` and `block@B`, in that order; the type and block
//! parts are dropped from `str(key)`.

use std::fmt;

/// A validated course key; `Display` gives it back exactly as `str(CourseKey)` does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CourseKey {
    text: String,
    org: Option<String>,
}

/// Why a string is not a course key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCourseKey(pub String);

impl fmt::Display for BadCourseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a course key as edX reads it (expected course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN)",
            crate::error::cut(&self.0)
        )
    }
}

/// Python's `\w` (Unicode): `isalnum()` or underscore.
fn word(c: char) -> bool {
    super::pychars::is_word(c)
}

/// `[\w\-~.:]+` (ALLOWED_ID_CHARS).
fn id_ok(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| word(c) || matches!(c, '-' | '~' | '.' | ':'))
}

/// `[\w\-~.:%]+` (block ids).
fn block_ok(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| word(c) || matches!(c, '-' | '~' | '.' | ':' | '%'))
}

#[derive(Clone, Copy, PartialEq)]
enum Ns {
    Course,
    Library,
    Ccx,
}

#[derive(Default)]
struct Parts<'a> {
    org: Option<&'a str>,
    course: Option<&'a str>,
    run: Option<&'a str>,
    branch: Option<&'a str>,
    version: Option<String>,
    ccx: Option<&'a str>,
}

/// The locator's URL pattern over the text after the namespace. CCX's pattern ignores case
/// (prefixes and version digits) and requires `ccx@DIGITS`.
fn parse_url(rest: &str, ns: Ns) -> Option<Parts<'_>> {
    let segs: Vec<&str> = rest.split('+').collect();
    let mut p = Parts::default();
    let plain = segs.iter().take_while(|s| !s.contains('@')).count();
    let mut i = 0;
    match plain {
        0 => {}
        2 | 3 => {
            if !segs[..plain].iter().all(|s| id_ok(s)) {
                return None;
            }
            p.org = Some(segs[0]);
            p.course = Some(segs[1]);
            p.run = segs.get(2).filter(|_| plain == 3).copied();
            i = plain;
        }
        _ => return None,
    }
    let ci = ns == Ns::Ccx;
    // The optional parts, in order; each at most once.
    let order: &[&str] = if ci {
        &["branch", "version", "ccx", "type", "block"]
    } else {
        &["branch", "version", "type", "block"]
    };
    let mut next = 0;
    for seg in &segs[i..] {
        let (name, value) = seg.split_once('@')?;
        let at = order[next..].iter().position(|o| {
            if ci {
                o.eq_ignore_ascii_case(name)
            } else {
                *o == name
            }
        })?;
        let kind = order[next + at];
        next += at + 1;
        let ok = match kind {
            "version" => {
                !value.is_empty()
                    && value.chars().all(|c| {
                        c.is_ascii_digit()
                            || matches!(c, 'a'..='f')
                            || (ci && matches!(c, 'A'..='F'))
                    })
            }
            // `\d` in a Unicode pattern: any decimal digit.
            "ccx" => !value.is_empty() && value.chars().all(unicode_decimal),
            "block" if !ci => block_ok(value),
            _ => id_ok(value),
        };
        if !ok {
            return None;
        }
        match kind {
            "branch" => p.branch = Some(value),
            "version" => p.version = Some(value.to_string()),
            "ccx" => p.ccx = Some(value),
            _ => {}
        }
    }
    if ci && p.ccx.is_none() {
        return None;
    }
    Some(p)
}

/// A Unicode decimal digit (category Nd), as Python's `\d` matches.
fn unicode_decimal(c: char) -> bool {
    c.is_ascii_digit() || crate::engine::dateutil::decimal_digit(c).is_some()
}

fn namespaced(ns: Ns, rest: &str) -> Option<CourseKey> {
    let p = parse_url(rest, ns)?;
    // as_object_id: a version must be an ObjectId (24 hex digits); str() gives it in lower case.
    let version = match p.version {
        Some(v) if v.len() == 24 => Some(v.to_ascii_lowercase()),
        Some(_) => return None,
        None => None,
    };
    let mut parts: Vec<String> = Vec::new();
    let (namespace, org) = match ns {
        Ns::Library => {
            // The pattern's "course" is the library; a run is ignored.
            if version.is_none() && (p.org.is_none() || p.course.is_none()) {
                return None;
            }
            if let Some(lib) = p.course {
                parts.push(p.org.unwrap_or_default().to_string());
                parts.push(lib.to_string());
                if let Some(b) = p.branch {
                    parts.push(format!("branch@{b}"));
                }
            }
            ("library-v1", p.org)
        }
        Ns::Course | Ns::Ccx => {
            if version.is_none() && (p.org.is_none() || p.course.is_none() || p.run.is_none()) {
                return None;
            }
            if let (Some(c), Some(r)) = (p.course, p.run) {
                parts.push(p.org.unwrap_or_default().to_string());
                parts.push(c.to_string());
                parts.push(r.to_string());
                if let Some(b) = p.branch {
                    parts.push(format!("branch@{b}"));
                }
            }
            (if ns == Ns::Ccx { "ccx-v1" } else { "course-v1" }, p.org)
        }
    };
    if let Some(v) = &version {
        parts.push(format!("version@{v}"));
    }
    let mut text = format!("{namespace}:{}", parts.join("+"));
    if let Some(c) = p.ccx {
        text.push_str(&format!("+ccx@{c}"));
    }
    Some(CourseKey {
        text,
        org: org.map(String::from),
    })
}

/// `CourseLocator._from_deprecated_string`: exactly two `/`, parts of `[\w.%-]`, org and course
/// not empty (an empty run is allowed); the text is kept as is.
fn deprecated(s: &str) -> Option<CourseKey> {
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() != 3 {
        return None;
    }
    let ok = |p: &str| p.chars().all(|c| word(c) || matches!(c, '.' | '%' | '-'));
    if !parts.iter().all(|p| ok(p)) || parts[0].is_empty() || parts[1].is_empty() {
        return None;
    }
    Some(CourseKey {
        text: s.to_string(),
        org: Some(parts[0].to_string()),
    })
}

impl CourseKey {
    /// `CourseKey.from_string(s)`; the key's text is `str(key)`.
    pub fn parse(s: &str) -> Result<CourseKey, BadCourseKey> {
        let bad = || BadCourseKey(s.to_string());
        if let Some((ns, rest)) = s.split_once(':') {
            let ns = match ns {
                "course-v1" | "slashes" => Some(Ns::Course),
                "library-v1" => Some(Ns::Library),
                "ccx-v1" => Some(Ns::Ccx),
                _ => None,
            };
            if let Some(k) = ns.and_then(|n| namespaced(n, rest)) {
                return Ok(k);
            }
        }
        deprecated(s).ok_or_else(bad)
    }

    /// The organisation (`course_key.org`), which org overrides match on; empty for a key that
    /// names only a version (its org is None, which no org override matches).
    pub fn org(&self) -> &str {
        self.org.as_deref().unwrap_or("")
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for CourseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse_and_give_their_org() {
        let k = CourseKey::parse("course-v1:edX+DemoX+Demo_Course").unwrap();
        assert_eq!(k.org(), "edX");
        assert_eq!(k.to_string(), "course-v1:edX+DemoX+Demo_Course");
        assert_eq!(CourseKey::parse("a/b/c").unwrap().org(), "a");
        assert_eq!(
            CourseKey::parse("CollegeX/DemoX/Demo_Course")
                .unwrap()
                .org(),
            "CollegeX"
        );
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in [
            "",
            "demo",
            "a/b",
            "a/b/c/d",
            "course-v1:edX+DemoX",
            "course-v1:edX++x",
            "a b/c/d",
            "a//c",
        ] {
            assert!(CourseKey::parse(bad).is_err(), "{bad}");
        }
    }

    fn canon(s: &str) -> Option<String> {
        CourseKey::parse(s).ok().map(|k| k.to_string())
    }

    /// Issue 11: what edx-opaque-keys 3.0.0 (with edx-ccx-keys 2.0.2) accepts and how str() writes it.
    #[test]
    fn keys_as_opaque_keys_reads_them() {
        let v = "519665f6223ebd6980884f2b";
        for (typed, want) in [
            ("course-v1:edX+DemoX+Demo", "course-v1:edX+DemoX+Demo"),
            (
                "course-v1:edX+DemoX+Demo+branch@draft",
                "course-v1:edX+DemoX+Demo+branch@draft",
            ),
            (
                &format!("course-v1:version@{v}"),
                &format!("course-v1:version@{v}"),
            ),
            (&format!("course-v1:a+b+c+version@{}", v.to_uppercase()), ""),
            ("course-v1:a:x+b+c", "course-v1:a:x+b+c"),
            ("course-v1:a+b+c+type@problem+block@p1", "course-v1:a+b+c"),
            ("slashes:a+b+c", "course-v1:a+b+c"),
            ("library-v1:UniX+Phys", "library-v1:UniX+Phys"),
            ("library-v1:UniX+Phys+run", "library-v1:UniX+Phys"),
            ("ccx-v1:edX+DemoX+Demo+ccx@3", "ccx-v1:edX+DemoX+Demo+ccx@3"),
            ("ccx-v1:edX+DemoX+Demo+CCX@3", "ccx-v1:edX+DemoX+Demo+ccx@3"),
            ("edX/DemoX/Demo", "edX/DemoX/Demo"),
            ("a/b/", "a/b/"),
        ] {
            if want.is_empty() {
                // Upper-case hex is not [a-f0-9]: refused (and no slash fallback).
                assert_eq!(canon(typed), None, "{typed}");
            } else {
                assert_eq!(canon(typed).as_deref(), Some(want), "{typed}");
            }
        }
        for bad in [
            "a~x/b/c",
            "a:x/b/c",
            "course-v1:a%x+b+c",
            "course-v1:a+b",
            "course-v1:a+b+c+",
            "ccx-v1:a+b+c",
            "lib:a:b",
            "library-v1:a",
            "course-v1:version@abc",
            "a/b/c\n",
            // Python's \w has no combining marks or symbols that Rust calls alphabetic.
            "course-v1:\u{939}\u{93f}+b+c",
            "course-v1:\u{24b6}+b+c",
        ] {
            assert_eq!(canon(bad), None, "{bad}");
        }
        assert_eq!(CourseKey::parse("ccx-v1:o+c+r+ccx@1").unwrap().org(), "o");
        assert_eq!(
            CourseKey::parse(&format!("course-v1:version@{v}"))
                .unwrap()
                .org(),
            ""
        );
    }
}
