//! `wafflectl sql bucket|variant`: the assignment `bucket`/`variant --users-file` print, as SQL
//! for the database that already holds the ids. The store and engine decide here who is listed
//! by name (every user the store knows something about) and what everyone else gets, or the rule
//! a baseplate experiment follows with its inputs read from the columns `--column` names;
//! [`crate::warehouse`] writes it in the dialect.

use std::collections::{BTreeMap, BTreeSet};

use crate::cli::{AttributeArgs, DialectArg, SqlBucketArgs, SqlCmd, SqlVariantArgs};
use crate::commands::bucket::{self, DefinitionOptions, bulk};
use crate::context::Ctx;
use crate::engine::baseplate::{self as bp, Rule, Test};
use crate::engine::experiment::{Check, Experiment, Stage};
use crate::engine::trace::NoTrace;
use crate::engine::waffle::RequestInfo;
use crate::engine::window::Window;
use crate::error::{Error, Result};
use crate::output;
use crate::store::edx;
use crate::store::load::{self, Enrolled, UserIndex};
use crate::warehouse::baseplate::{Cond, Variant};
use crate::warehouse::edx::{Answer, Assignment, Group};
use crate::warehouse::{Dialect, Sql};

pub(crate) fn run(ctx: &Ctx, cmd: SqlCmd) -> Result<()> {
    match cmd {
        SqlCmd::Bucket(a) => sql_bucket(ctx, a),
        SqlCmd::Variant(a) => sql_variant(ctx, a),
    }
}

fn dialect(d: DialectArg) -> Dialect {
    match d {
        DialectArg::Duckdb => Dialect::DuckDb,
        DialectArg::Postgres => Dialect::Postgres,
        DialectArg::Mysql => Dialect::MySql,
    }
}

/// Prints the statements to run first, then the expression (or all of it as JSON).
fn print(ctx: &Ctx, sql: &Sql) -> Result<()> {
    if ctx.json() {
        return output::json(sql);
    }
    let mut text = String::new();
    for s in &sql.setup {
        text.push_str(s);
        text.push_str("\n\n");
    }
    text.push_str(&sql.expression);
    output::out(&text)
}

/// With a course column the course varies by row: only the hash may depend on it.
fn check_course_column(
    conn: &crate::store::Reader,
    exp: &Experiment,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    let name = &exp.def().name;
    let prefix = format!("{name}.");
    if let Some(o) = edx::override_rows_by_id(conn)?
        .into_iter()
        .find(|o| o.flag == *name || o.flag.starts_with(&prefix))
    {
        return Err(Error::usage(format!(
            "--course-column: flag '{}' has a course or org override ({}), so the bucket depends on the course beyond the hash",
            o.flag, o.key
        ))
        .with_hint("give one course with --course C (one expression per course)"));
    }
    if let Some(id) = exp.def().experiment_id {
        let kv = edx::key_values(conn, id)?;
        let window = Window::new(
            kv.get("enrollment_start").map(String::as_str),
            kv.get("enrollment_end").map(String::as_str),
            now.date(),
        );
        if !window.is_empty() {
            return Err(Error::usage(format!(
                "--course-column: experiment ID {id} has an enrollment window, which depends on each course's enrollments"
            ))
            .with_hint("give one course with --course C (one expression per course)"));
        }
    }
    Ok(())
}

/// Every username the store can decide differently from a user it does not know.
fn known_users(exp: &Experiment, idx: &UserIndex) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let rules = std::iter::once(exp.main())
        .chain(exp.buckets().map(|(_, f)| f))
        .filter_map(|f| f.rule.as_ref());
    for r in rules {
        out.extend(r.users.iter().map(|u| u.to_string()));
    }
    out.extend(idx.staff.iter().map(|u| u.to_string()));
    out.extend(idx.superusers.iter().map(|u| u.to_string()));
    for members in idx.groups.values() {
        out.extend(members.iter().map(|u| u.to_string()));
    }
    out.extend(idx.enrolled.keys().map(|u| u.to_string()));
    out
}

/// What `bucket --users-file` decides for `name`, short of the hash.
fn answer(
    exp: &Experiment,
    idx: &UserIndex,
    opts: &bulk::Options,
    name: &str,
    rolls: &mut u64,
) -> Result<Answer> {
    let subject = bulk::Line { name, idx, opts };
    let enrolled = match idx.enrolled.get(name) {
        Some(Enrolled::At(t)) => Some(*t),
        _ => None,
    };
    let check = Check {
        subject: &subject,
        request: RequestInfo::default(),
        enrolled,
        assume_percent: opts.assume_percent,
        hash: None,
    };
    let o = exp.evaluate(&check, &mut NoTrace);
    bucket::crash_check(exp, &o)?;
    if !o.rolls.is_empty() && o.bucket_rests_on_roll() {
        *rolls += 1;
    }
    Ok(match o.stage {
        Stage::Hashed { .. } => Answer::Hash,
        _ => Answer::Bucket(o.bucket),
    })
}

/// Who is listed with what, and what everyone else gets; with the number of users whose
/// bucket rests on an unsettled percent roll.
fn assignment(
    exp: &Experiment,
    idx: &UserIndex,
    opts: &bulk::Options,
    user_column: &str,
    course_column: Option<&str>,
) -> Result<(Assignment, u64)> {
    let mut rolls = 0;
    // A name no store list holds (it is not a username Django accepts).
    let others = answer(exp, idx, opts, "\u{0}", &mut rolls)?;
    let mut listed: BTreeMap<Answer, Vec<String>> = BTreeMap::new();
    for name in known_users(exp, idx) {
        let ans = answer(exp, idx, opts, &name, &mut rolls)?;
        if ans != others {
            listed.entry(ans).or_default().push(name);
        }
    }
    let def = exp.def();
    let group = match course_column {
        Some(c) if def.course_aware => Group::CourseColumn {
            name: def.name.clone(),
            column: c.to_string(),
        },
        _ => Group::Fixed(exp.group_name().to_string()),
    };
    let a = Assignment {
        group,
        num_buckets: def.num_buckets,
        user_column: user_column.to_string(),
        listed: listed.into_iter().collect(),
        others,
    };
    Ok((a, rolls))
}

fn sql_bucket(ctx: &Ctx, a: SqlBucketArgs) -> Result<()> {
    let d = dialect(a.dialect);
    let course = bucket::course_from(ctx, a.course.as_ref());
    let now = bucket::now_from(ctx, a.now.as_ref())?;
    let store = ctx.store()?;
    let conn = store.conn();
    let (def, _) = bucket::definition(conn, &a.name, DefinitionOptions::default())?;
    let exp = load::experiment(conn, def, course, now)?;
    if a.course_column.is_some() {
        check_course_column(conn, &exp, now)?;
    }
    let idx = load::user_index(conn, &exp)?;
    let opts = bulk::Options {
        summary: false,
        assume_percent: a.assume_percent.map(|p| p == crate::cli::AssumePercent::In),
        enrolled_at: None,
        attrs: AttributeArgs::default(),
        jobs: None,
    };
    let (assignment, rolls) = assignment(
        &exp,
        &idx,
        &opts,
        &a.user_column,
        a.course_column.as_deref(),
    )?;
    let sql = crate::warehouse::edx::bucket_sql(d, &assignment).map_err(Error::usage)?;
    if rolls > 0 {
        ctx.warn(
            "the buckets rest on a random percent roll, taken as admitting the users; settle it with --assume-percent in|out",
        );
    }
    print(ctx, &sql)
}

/// `--column FIELD=COL`, checked: input name to column.
fn columns(typed: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for t in typed {
        let Some((field, col)) = t.split_once('=') else {
            return Err(Error::usage(format!(
                "--column '{}' is not FIELD=COL",
                crate::error::cut(t)
            ))
            .with_hint("e.g. --column user_id=u.id"));
        };
        if field.is_empty() || col.is_empty() {
            return Err(Error::usage(format!(
                "--column '{}' has an empty field or column",
                crate::error::cut(t)
            )));
        }
        if field.to_lowercase() != field {
            return Err(Error::usage(format!(
                "--column '{}': baseplate reads input names in lower case, so {} is never read",
                crate::error::cut(t),
                crate::error::cut(field)
            )));
        }
        if bp::RESERVED.contains(&field) {
            return Err(Error::usage(format!(
                "--column '{}': {field} is an argument of variant() itself, not an input",
                crate::error::cut(t)
            )));
        }
        if out.insert(field.to_string(), col.to_string()).is_some() {
            return Err(Error::usage(format!(
                "--column gives input '{}' twice",
                crate::error::cut(field)
            )));
        }
    }
    Ok(out)
}

/// A test over inputs as a condition over columns: an input no column holds is missing in
/// every row, the bucketing input is in `value_column`; the columns read are added to `used`.
fn cond(
    t: &Test,
    cols: &BTreeMap<String, String>,
    bucket: (&str, &str),
    used: &mut Vec<String>,
) -> Cond {
    let mut col = |field: &str| {
        let c = cols
            .get(field)
            .map(String::as_str)
            .or((field == bucket.0).then_some(bucket.1))?
            .to_string();
        if !used.contains(&c) {
            used.push(c.clone());
        }
        Some(c)
    };
    match t {
        Test::Always(b) => Cond::Always(*b),
        Test::All(kids) => Cond::All(kids.iter().map(|k| cond(k, cols, bucket, used)).collect()),
        Test::Any(kids) => Cond::Any(kids.iter().map(|k| cond(k, cols, bucket, used)).collect()),
        Test::Not(k) => Cond::Not(Box::new(cond(k, cols, bucket, used))),
        Test::OneOf {
            field,
            texts,
            missing,
        } => Cond::OneOf {
            column: col(field),
            texts: texts.clone(),
            null: *missing,
        },
        Test::Differs { field, text } => Cond::Differs {
            column: col(field),
            text: text.clone(),
        },
    }
}

fn sql_variant(ctx: &Ctx, a: SqlVariantArgs) -> Result<()> {
    let d = dialect(a.dialect);
    let cols = columns(&a.columns)?;
    let now = super::baseplate::now_secs(ctx, a.now.as_ref());
    let config = super::baseplate::variant::stored(ctx, &a.name)?;
    let rule = match bp::parse(&config, now) {
        Ok(p) => bp::rule(&p).map_err(|e| {
            Error::runtime(format!(
                "baseplate experiment '{}': {e}",
                crate::error::cut(&a.name)
            ))
            .with_hint("run `wafflectl variant NAME --users-file FILE` where the ids are instead")
        })?,
        Err(inv) => {
            ctx.warn(format!(
                "baseplate treats '{}' as invalid ({}): every variant is None",
                crate::error::cut(&a.name),
                inv.message
            ));
            Rule::Fixed(None)
        }
    };
    let mut used = Vec::new();
    let variant = match rule {
        Rule::Fixed(v) => Variant::Fixed(v),
        Rule::Hashed(h) => {
            let value_column = cols.get(&h.field).cloned().unwrap_or(h.field.clone());
            used.push(value_column.clone());
            let bucket = (h.field.as_str(), value_column.as_str());
            let overrides = h
                .overrides
                .iter()
                .map(|(name, t)| (name.clone(), cond(t, &cols, bucket, &mut used)))
                .collect();
            let targeting = cond(&h.targeting, &cols, bucket, &mut used);
            Variant::Hashed {
                value_column: value_column.clone(),
                seed: h.seed,
                buckets: h.buckets,
                overrides,
                targeting,
                picks: h
                    .picks
                    .into_iter()
                    .map(|p| (p.lo, p.hi, p.variant))
                    .collect(),
            }
        }
    };
    let sql = crate::warehouse::baseplate::variant_sql(d, &variant, used).map_err(Error::usage)?;
    print(ctx, &sql)
}

#[cfg(test)]
mod tests {
    //! The assignment the SQL renders, read back in Rust (listed users' buckets, the hash for
    //! everyone else), gives every user the bucket the single-user path gives.

    use super::*;
    use crate::engine::CourseKey;
    use crate::store::Store;
    use std::path::Path;

    const DEMO: &str = "course-v1:edX+DemoX+Demo_Course";

    fn cli(db: &Path, args: &[&str]) {
        let mut all = vec!["wafflectl", "-q", "--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        assert_eq!(crate::run(all), 0, "wafflectl {args:?}");
    }

    #[test]
    fn the_assignment_decides_as_bucket_does() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("waffle.db");
        cli(&db, &["init"]);
        cli(&db, &["group", "add", "beta"]);
        cli(
            &db,
            &[
                "experiment",
                "create",
                "sql.exp",
                "--buckets",
                "6",
                "--id",
                "9",
            ],
        );
        cli(
            &db,
            &[
                "flag",
                "set",
                "sql.exp",
                "--everyone",
                "unset",
                "--authenticated",
            ],
        );
        cli(
            &db,
            &[
                "experiment",
                "kv",
                "set",
                "9",
                "enrollment_start",
                "2025-01-01",
            ],
        );
        let mut names: Vec<String> = Vec::new();
        for i in 0..40 {
            let name = format!("s{i}");
            let mut args = vec!["user", "add", name.as_str()];
            if i % 5 == 0 {
                args.push("--staff");
            }
            if i % 3 == 0 {
                args.extend(["--group", "beta"]);
            }
            cli(&db, &args);
            if i % 4 == 0 {
                let at = if i % 8 == 0 {
                    "2024-06-01"
                } else {
                    "2025-06-01"
                };
                cli(&db, &["user", "enroll", &name, DEMO, "--at", at]);
            }
            names.push(name);
        }
        cli(
            &db,
            &["experiment", "whitelist", "add", "sql.exp", "4", "--staff"],
        );
        cli(
            &db,
            &[
                "experiment",
                "whitelist",
                "add",
                "sql.exp",
                "2",
                "--group",
                "beta",
            ],
        );
        names.extend((0..2000).map(|i| format!("learner{i}")));

        let store = Store::open(
            &crate::store::Location::File(db.clone()),
            std::time::Duration::ZERO,
        )
        .unwrap();
        let conn = store.conn();
        let now = crate::time::parse_typed_on(
            "--now",
            "2026-01-02T03:04:05",
            chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        )
        .unwrap()
        .instant;
        let (def, _) = bucket::definition(conn, "sql.exp", DefinitionOptions::default()).unwrap();
        let exp = load::experiment(conn, def, Some(CourseKey::parse(DEMO).unwrap()), now).unwrap();
        let idx = load::user_index(conn, &exp).unwrap();
        let opts = bulk::Options {
            summary: false,
            assume_percent: None,
            enrolled_at: None,
            attrs: AttributeArgs::default(),
            jobs: None,
        };
        let (a, rolls) = assignment(&exp, &idx, &opts, "username", None).unwrap();
        assert_eq!(rolls, 0);
        assert_eq!(a.others, Answer::Hash);
        let mut kinds = BTreeSet::new();
        for name in &names {
            let listed = a.listed.iter().find(|(_, users)| users.contains(name));
            let got = match listed.map(|(ans, _)| *ans).unwrap_or(a.others) {
                Answer::Bucket(b) => b,
                Answer::Hash => exp.hash_bucket(name),
            };
            kinds.insert(listed.map(|(ans, _)| *ans));
            let w = bucket::request_user(conn, Some(name), false, false, false, &[]).unwrap();
            let enrolled = bucket::enrollment(conn, &w, exp.course(), None).unwrap().0;
            let enrolled = if let Enrolled::At(t) = enrolled {
                Some(t)
            } else {
                None
            };
            let single = Check {
                subject: &w.person,
                request: RequestInfo::default(),
                enrolled,
                assume_percent: None,
                hash: None,
            };
            assert_eq!(got, exp.evaluate(&single, &mut NoTrace).bucket, "{name}");
        }
        // Hashed, forced into 4 and 2, and outside the window (0) all happened.
        for k in [
            None,
            Some(Answer::Bucket(4)),
            Some(Answer::Bucket(2)),
            Some(Answer::Bucket(0)),
        ] {
            assert!(kinds.contains(&k), "{k:?} never taken: {kinds:?}");
        }
    }
}
