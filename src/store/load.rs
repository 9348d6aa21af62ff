//! Loading the rows a bucketing or flag decision reads, into the engine's plain structs. Reads
//! the Open edX tables through [`super::edx`] and the waffle tables through [`super::toggles`].

use chrono::NaiveDateTime;

use super::{Reader, params, params_from_iter};

use super::edx::{self, Scope};
use super::toggles::{self, Flag};
use crate::engine::CourseKey;
use crate::engine::experiment::{Definition, Experiment};
use crate::engine::names::{NameMap, NameSet, name_set};
use crate::engine::overrides::CourseFlag;
use crate::engine::sub_flag;
use crate::engine::waffle::FlagRule;
use crate::engine::window::Window;
use crate::error::Result;

/// A waffle flag row as the engine sees it.
pub fn rule_of(f: &Flag) -> FlagRule {
    FlagRule {
        name: f.name.clone(),
        everyone: f.everyone,
        percent: f.percent.map(|p| p.0),
        testing: f.testing,
        superusers: f.superusers,
        staff: f.staff,
        authenticated: f.authenticated,
        languages: f.language_list(),
        users: name_set(&f.users),
        groups: f.groups.clone(),
        unreadable: f.percent_unreadable.as_ref().map(ToString::to_string),
    }
}

/// A flag with the course and org overrides in force for `course` (none without a course).
pub fn course_flag(conn: &Reader, name: &str, course: Option<&CourseKey>) -> Result<CourseFlag> {
    let rule = toggles::get_flag(conn, name)?.map(|f| rule_of(&f));
    let mut cf = CourseFlag::plain(name, rule);
    if let Some(c) = course {
        cf.course = edx::current_override(conn, Scope::Course, name, c.as_str())?;
        cf.org = edx::current_override(conn, Scope::Org, name, c.org())?;
    }
    Ok(cf)
}

/// Whether any override row (of either scope, any state) names this flag.
pub fn has_override_rows(conn: &Reader, name: &str) -> Result<bool> {
    Ok(
        !edx::override_rows(conn, Scope::Course, Some(name))?.is_empty()
            || !edx::override_rows(conn, Scope::Org, Some(name))?.is_empty(),
    )
}

/// Everything `get_bucket` reads for one course: main flag, bucket flags, the window's
/// key-values (when there is a course and an experiment ID).
pub fn experiment(
    conn: &Reader,
    def: Definition,
    course: Option<CourseKey>,
    now: NaiveDateTime,
) -> Result<Experiment> {
    let main = course_flag(conn, &def.name, course.as_ref())?;
    let mut buckets = Vec::new();
    for i in bucket_flag_indexes(conn, &def.name, def.num_buckets)? {
        buckets.push((i, course_flag(conn, &def.bucket_flag(i), course.as_ref())?));
    }
    let window = match (&course, def.experiment_id) {
        (Some(_), Some(id)) => {
            let kv = edx::key_values(conn, id)?;
            Window::new(
                kv.get("enrollment_start").map(String::as_str),
                kv.get("enrollment_end").map(String::as_str),
                now.date(),
            )
        }
        _ => Window::new(None, None, now.date()),
    };
    Ok(Experiment::new(def, course, main, buckets, window, now))
}

/// `i` of a bucket flag name `NAME.i`, as edX formats it.
fn bucket_index(name: &str, flag: &str) -> Option<u32> {
    u32::try_from(sub_flag::index(name, flag)?).ok()
}

/// The indexes below `num_buckets` of the bucket flags that exist or are named by an override
/// row (an override can turn on a bucket flag that has no row); all others are off.
pub fn bucket_flag_indexes(conn: &Reader, name: &str, num_buckets: u32) -> Result<Vec<u32>> {
    let mut out: Vec<u32> = edx::bucket_flags(conn, name)?
        .into_iter()
        .filter_map(|(_, flag)| bucket_index(name, &flag))
        .collect();
    let prefix = format!("{name}.");
    for scope in [Scope::Course, Scope::Org] {
        let names = conn.rows(
            &format!(
                "SELECT DISTINCT waffle_flag FROM {} WHERE {}",
                scope.table(),
                conn.starts_with("waffle_flag", 1)
            ),
            [&prefix],
            |r| r.get::<_, String>(0),
        )?;
        out.extend(names.iter().filter_map(|f| bucket_index(name, f)));
    }
    out.retain(|&i| i < num_buckets);
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// An enrollment as `student_courseenrollment` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolled {
    No,
    At(NaiveDateTime),
    /// A row whose `created` is NULL or unreadable.
    Undated,
}

fn created_of(text: Option<String>) -> Enrolled {
    match text.as_deref().and_then(crate::time::django::datetime) {
        Some(t) => Enrolled::At(t.naive_utc()),
        None => Enrolled::Undated,
    }
}

/// The enrollment of a user in a course (active or not), when the table exists.
pub fn enrollment(conn: &Reader, user_id: i64, course: &CourseKey) -> Result<Enrolled> {
    if !conn.table_exists("student_courseenrollment")? {
        return Ok(Enrolled::No);
    }
    let row: Option<Option<String>> = conn.row(
        "SELECT created FROM student_courseenrollment WHERE user_id = ?1 AND course_id = ?2",
        params![user_id, course.as_str()],
        |r| r.get(0),
    )?;
    Ok(match row {
        None => Enrolled::No,
        Some(t) => created_of(t),
    })
}

/// What bulk bucketing needs to know about the users of the store, read once: who is staff or
/// superuser, the members of the groups the flags name, and the enrollments in the course.
#[derive(Debug, Default)]
pub struct UserIndex {
    pub staff: NameSet,
    pub superusers: NameSet,
    /// Group name → usernames.
    pub groups: NameMap<NameSet>,
    /// Username → enrollment in the course.
    pub enrolled: NameMap<Enrolled>,
}

fn names(conn: &Reader, sql: &str, param: Option<&str>) -> Result<NameSet> {
    let mut out = NameSet::default();
    conn.each(sql, params_from_iter(param), |r| {
        let n: String = r.get(0)?;
        out.insert(n.into_boxed_str());
        Ok(())
    })?;
    Ok(out)
}

/// The usernames of staff users (`is_staff`), whom a flag with `staff` lets in.
pub fn staff_names(conn: &Reader) -> Result<NameSet> {
    names(conn, "SELECT username FROM auth_user WHERE is_staff", None)
}

/// The usernames of superusers (`is_superuser`), whom a flag with `superusers` lets in.
pub fn superuser_names(conn: &Reader) -> Result<NameSet> {
    names(
        conn,
        "SELECT username FROM auth_user WHERE is_superuser",
        None,
    )
}

/// Loads the parts of [`UserIndex`] the experiment's flags can ask about.
pub fn user_index(conn: &Reader, exp: &Experiment) -> Result<UserIndex> {
    let rules: Vec<&FlagRule> = std::iter::once(exp.main())
        .chain(exp.buckets().map(|(_, f)| f))
        .filter_map(|f| f.rule.as_ref())
        .collect();
    let mut idx = UserIndex::default();
    if rules.iter().any(|r| r.staff) {
        idx.staff = staff_names(conn)?;
    }
    if rules.iter().any(|r| r.superusers) {
        idx.superusers = superuser_names(conn)?;
    }
    for r in &rules {
        for g in &r.groups {
            if !idx.groups.contains_key(g.as_str()) {
                let members = names(
                    conn,
                    "SELECT u.username FROM auth_user_groups ug JOIN auth_user u ON u.id = ug.user_id
                     JOIN auth_group g ON g.id = ug.group_id WHERE g.name = ?1",
                    Some(g),
                )?;
                idx.groups.insert(g.as_str().into(), members);
            }
        }
    }
    if let Some(c) = exp.course()
        && exp.window_applies()
        && !exp.window().is_empty()
        && conn.table_exists("student_courseenrollment")?
    {
        conn.each(
            "SELECT u.username, e.created FROM student_courseenrollment e JOIN auth_user u ON u.id = e.user_id
             WHERE e.course_id = ?1",
            [c.as_str()],
            |r| {
                let name: String = r.get(0)?;
                idx.enrolled.insert(
                    name.into_boxed_str(),
                    created_of(r.get::<_, Option<String>>(1)?),
                );
                Ok(())
            },
        )?;
    }
    Ok(idx)
}

#[cfg(test)]
mod tests {
    use super::bucket_index;

    #[test]
    fn bucket_flag_names_as_edx_formats_them() {
        assert_eq!(bucket_index("a.b", "a.b.0"), Some(0));
        assert_eq!(bucket_index("a.b", "a.b.17"), Some(17));
        assert_eq!(bucket_index("a.b", "a.b.01"), None);
        assert_eq!(bucket_index("a.b", "a.b."), None);
        assert_eq!(bucket_index("a.b", "a.b.x"), None);
        assert_eq!(bucket_index("a.b", "a.bc.1"), None);
        assert_eq!(bucket_index("a.b", "a.b.1.2"), None);
        assert_eq!(bucket_index("a.b", "a.b.-1"), None);
    }
}
