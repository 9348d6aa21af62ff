//! Course keys as Open edX writes them: `course-v1:ORG+COURSE+RUN` and the deprecated
//! `ORG/COURSE/RUN`.

use std::fmt;

/// A validated course key; `Display` gives it back exactly as `str(CourseKey)` does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CourseKey {
    text: String,
    org_len: usize,
    org_start: usize,
}

/// Why a string is not a course key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCourseKey(pub String);

impl fmt::Display for BadCourseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a course key (expected course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN)",
            self.0
        )
    }
}

fn part_ok(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | ':' | '%'))
}

impl CourseKey {
    pub fn parse(s: &str) -> Result<CourseKey, BadCourseKey> {
        let bad = || BadCourseKey(s.to_string());
        if let Some(rest) = s.strip_prefix("course-v1:") {
            let parts: Vec<&str> = rest.split('+').collect();
            if parts.len() != 3 || !parts.iter().all(|p| part_ok(p) && !p.contains(':')) {
                return Err(bad());
            }
            return Ok(CourseKey {
                text: s.to_string(),
                org_start: "course-v1:".len(),
                org_len: parts[0].len(),
            });
        }
        let parts: Vec<&str> = s.split('/').collect();
        if parts.len() != 3 || !parts.iter().all(|p| part_ok(p)) {
            return Err(bad());
        }
        Ok(CourseKey {
            text: s.to_string(),
            org_start: 0,
            org_len: parts[0].len(),
        })
    }

    /// The organisation (`course_key.org`), which org overrides match on.
    pub fn org(&self) -> &str {
        &self.text[self.org_start..self.org_start + self.org_len]
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
}
