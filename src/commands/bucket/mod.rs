//! `wafflectl bucket NAME ...`: which bucket a user lands in, as the Open edX LMS decides it
//! (`spec/edx.md` §1.2), for one user (`--user` / `--anonymous`), for a file of usernames
//! (`--users-file`, see [`bulk`]) or in reverse (`--find`, see [`find`]).

pub(crate) mod bulk;
mod find;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::cli::{AssumePercent, AttributeArgs, BucketArgs, SubjectArgs, WhenArgs};
use crate::context::Ctx;
use crate::engine::CourseKey;
use crate::engine::experiment::{Check, Definition, Experiment, Outcome, Roll, Stage};
use crate::engine::overrides::Source;
use crate::engine::trace::NoTrace;
use crate::engine::waffle::{FlagDecision, Kind, Person, RequestInfo, percent_text};
use crate::error::{Error, Result};
use crate::output::{self, Fields, Format, Table};
use crate::store::edx;
use crate::store::load::{self, Enrolled};
use crate::store::users::{self, User};
use crate::time;
use crate::types::{BucketCount, CourseArg, EdxTime, ExperimentId, either};

/// Options that replace the stored definition (like edX's `stable_bucketer` arguments).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DefinitionOptions {
    pub(crate) buckets: Option<BucketCount>,
    pub(crate) experiment_id: Option<ExperimentId>,
    pub(crate) course_aware: Option<bool>,
}

/// `--now T` (read against the command's today), else the command's clock, as naive UTC.
pub(crate) fn now_from(ctx: &Ctx, arg: Option<&EdxTime>) -> Result<NaiveDateTime> {
    match arg {
        None => Ok(ctx.now.naive_utc()),
        Some(t) => Ok(t.on("--now", ctx.now.date_naive())?.instant),
    }
}

/// `--enrolled-at T` (exit 2 when it is not a date).
/// Parts it leaves out are filled from the date of `--now` (the day the LMS would read it).
fn enrolled_from(arg: Option<&str>, today: NaiveDate) -> Result<Option<NaiveDateTime>> {
    arg.map(|t| time::parse_typed_on("--enrolled-at", t, today).map(|d| d.instant))
        .transpose()
}

/// Exit 1 when the decision reaches a stored enrollment date on which the LMS raises
/// OverflowError, or a flag row Django cannot read: there is no bucket, the LMS fails with a
/// server error.
pub(crate) fn crash_check(exp: &Experiment, o: &Outcome) -> Result<()> {
    if let Some(e) = &o.server_error {
        return Err(Error::runtime(format!("{e}; no bucket"))
            .with_hint("store a readable percent, e.g.: wafflectl flag set NAME --percent 0 (see wafflectl doctor)"));
    }
    if let Stage::OutsideWindow(p) = o.stage
        && p.crashes()
        && let Some((key, text, why)) = exp.window().crash()
    {
        let id = exp.def().experiment_id.unwrap_or_default();
        return Err(Error::runtime(format!(
            "experiment ID {id} key-value {key} = {text:?}: dateutil raises OverflowError ({why}); the LMS fails with a server error for this experiment"
        ))
        .with_hint(format!(
            "store a readable date: wafflectl experiment kv set {id} {key} DATE"
        )));
    }
    Ok(())
}

/// `--course C`, noting when edX reads it differently from what was typed.
pub(crate) fn course_from(ctx: &Ctx, arg: Option<&CourseArg>) -> Option<CourseKey> {
    let c = arg?;
    if let Some(note) = c.reread_note() {
        ctx.status(note);
    }
    Some(c.key.clone())
}

/// The request `bucket` and `eval` describe with the same options (subject, attributes, times),
/// checked before the store is opened (exit 2).
pub(crate) struct Request<'a> {
    pub(crate) course: Option<CourseKey>,
    pub(crate) now: NaiveDateTime,
    pub(crate) enrolled_at: Option<NaiveDateTime>,
    subject: &'a SubjectArgs,
    attrs: &'a AttributeArgs,
}

impl<'a> Request<'a> {
    pub(crate) fn parse(
        ctx: &Ctx,
        subject: &'a SubjectArgs,
        when: &WhenArgs,
        attrs: &'a AttributeArgs,
    ) -> Result<Self> {
        let course = course_from(ctx, subject.course.as_ref());
        let now = now_from(ctx, when.now.as_ref())?;
        let enrolled_at = enrolled_from(when.enrolled_at.as_deref(), now.date())?;
        check_attributes(
            subject.anonymous,
            attrs.staff,
            attrs.superuser,
            &attrs.groups,
        )?;
        if attrs.language.as_deref() == Some("") {
            return Err(Error::usage("--language is empty"));
        }
        Ok(Request {
            course,
            now,
            enrolled_at,
            subject,
            attrs,
        })
    }

    /// The request besides its user (`--language`).
    pub(crate) fn info(&self) -> RequestInfo<'a> {
        RequestInfo {
            language: self.attrs.language.as_deref(),
        }
    }

    /// Each `--user` in order, else the one user-less subject (`--anonymous` or no user).
    pub(crate) fn users(&self) -> Vec<Option<&'a str>> {
        if self.subject.user.is_empty() {
            vec![None]
        } else {
            self.subject.user.iter().map(|u| Some(u.as_str())).collect()
        }
    }

    /// The request's user for `user` with the command line's attributes (see [`RequestUser`]).
    pub(crate) fn user(
        &self,
        conn: &crate::store::Reader,
        user: Option<&str>,
    ) -> Result<RequestUser> {
        request_user(
            conn,
            user,
            self.subject.anonymous,
            self.attrs.staff,
            self.attrs.superuser,
            &self.attrs.groups,
        )
    }
}

/// Refuses user attributes for an anonymous visitor (exit 2).
fn check_attributes(
    anonymous: bool,
    staff: bool,
    superuser: bool,
    groups: &[String],
) -> Result<()> {
    if anonymous && (staff || superuser || !groups.is_empty()) {
        return Err(Error::usage(
            "--staff, --superuser and --group describe a logged-in user, not --anonymous",
        ));
    }
    Ok(())
}

fn assume(a: Option<AssumePercent>) -> Option<bool> {
    a.map(|a| a == AssumePercent::In)
}

/// The stored definition with the command line's options on top; exit 1 when there is neither a
/// stored definition nor `--buckets`.
pub(crate) fn definition(
    conn: &crate::store::Reader,
    name: &str,
    o: DefinitionOptions,
) -> Result<(Definition, bool)> {
    let stored = edx::get_experiment(conn, name)?;
    if let Some(e) = &stored
        && e.kind != edx::KIND_EDX
    {
        return Err(Error::runtime(format!(
            "experiment '{name}' is a {} experiment; bucket follows Open edX experiments",
            e.kind
        )));
    }
    let Some(num) = o
        .buckets
        .map(BucketCount::as_i64)
        .or(stored.as_ref().map(|e| e.num_buckets))
    else {
        return Err(
            Error::runtime(format!("experiment '{name}' is not defined")).with_hint(format!(
                "define it with: wafflectl experiment create {name} --buckets N, or check it as edX's stable_bucketer does with --buckets N"
            ))
            .missing(crate::error::NameKind::Experiment, name),
        );
    };
    // A stored count out of range (written by hand or by an older wafflectl) is an error, not a
    // silent 1 bucket.
    let num_buckets = u32::try_from(num).ok().filter(|&n| n >= 1).ok_or_else(|| {
        Error::runtime(format!(
            "experiment '{name}' has {num} buckets stored, outside 1..{}",
            crate::engine::experiment::MAX_BUCKETS
        ))
        .with_hint(format!(
            "fix it with: wafflectl experiment set {name} --buckets N (or check with --buckets N)"
        ))
    })?;
    let def = Definition {
        name: name.to_string(),
        num_buckets,
        experiment_id: o
            .experiment_id
            .map(ExperimentId::get)
            .or(stored.as_ref().and_then(|e| e.experiment_id)),
        course_aware: o
            .course_aware
            .or(stored.as_ref().map(|e| e.course_aware))
            .unwrap_or(true),
    };
    Ok((def, stored.is_some()))
}

/// The request's user: from `auth_user` when the username exists there (command-line attributes
/// add to the stored ones), else a plain logged-in user.
#[derive(Debug, Clone)]
pub(crate) struct RequestUser {
    pub(crate) person: Person,
    /// The stored user, when there is one.
    pub(crate) stored: Option<User>,
}

impl RequestUser {
    pub(crate) fn label(&self) -> String {
        match self.person.kind {
            Kind::User => self.person.username.clone(),
            Kind::Anonymous => "anonymous".into(),
            Kind::NoUser => "no user".into(),
        }
    }

    /// `alice`, `alice (staff, groups beta)`, `dave (not in the store: a plain logged-in user)`.
    pub(crate) fn describe(&self) -> String {
        let p = &self.person;
        match p.kind {
            Kind::Anonymous => "anonymous visitor (AnonymousUser: no id, not authenticated)".into(),
            Kind::NoUser => "no user on the request".into(),
            Kind::User => {
                let mut attrs = Vec::new();
                if p.is_staff {
                    attrs.push("staff".to_string());
                }
                if p.is_superuser {
                    attrs.push("superuser".to_string());
                }
                if !p.groups.is_empty() {
                    attrs.push(format!("groups {}", p.groups.join(", ")));
                }
                if self.stored.is_none() {
                    attrs.push("not in the store: a plain logged-in user".into());
                }
                if attrs.is_empty() {
                    p.username.clone()
                } else {
                    format!("{} ({})", p.username, attrs.join("; "))
                }
            }
        }
    }
}

/// Builds the request's user (see [`RequestUser`]).
pub(crate) fn request_user(
    conn: &crate::store::Reader,
    user: Option<&str>,
    anonymous: bool,
    staff: bool,
    superuser: bool,
    groups: &[String],
) -> Result<RequestUser> {
    let Some(name) = user else {
        let person = if anonymous {
            Person::anonymous()
        } else {
            Person::no_user()
        };
        return Ok(RequestUser {
            person,
            stored: None,
        });
    };
    if name.is_empty() {
        return Err(Error::usage("--user is empty"));
    }
    let stored = users::get_user(conn, name)?;
    let mut person = Person::user(name);
    if let Some(u) = &stored {
        person.is_staff = u.is_staff;
        person.is_superuser = u.is_superuser;
        person.groups = u.groups.clone();
    }
    person.is_staff |= staff;
    person.is_superuser |= superuser;
    for g in groups {
        if !person.groups.contains(g) {
            person.groups.push(g.clone());
        }
    }
    Ok(RequestUser { person, stored })
}

/// When the user enrolled: `--enrolled-at`, else `student_courseenrollment`, else not enrolled.
pub(crate) fn enrollment(
    conn: &crate::store::Reader,
    who: &RequestUser,
    course: Option<&CourseKey>,
    given: Option<NaiveDateTime>,
) -> Result<(Enrolled, &'static str)> {
    if who.person.kind != Kind::User {
        return Ok((Enrolled::No, "anonymous"));
    }
    if let Some(t) = given {
        return Ok((Enrolled::At(t), "--enrolled-at"));
    }
    match (course, &who.stored) {
        (Some(c), Some(u)) => Ok((load::enrollment(conn, u.id, c)?, "the store")),
        _ => Ok((Enrolled::No, "the store")),
    }
}

fn roll_flag(exp: &Experiment, r: &Roll) -> String {
    match r.at {
        None => exp.def().name.clone(),
        Some(i) => exp.def().bucket_flag(i),
    }
}

/// One random roll an answer rests on, in `bucket --json`.
#[derive(Debug, Serialize)]
pub(crate) struct RollJson {
    pub(crate) flag: String,
    pub(crate) percent: f64,
    pub(crate) probability: f64,
    /// `in` / `out` when settled with `--assume-percent`.
    pub(crate) assumed: Option<&'static str>,
}

/// The rolls: flag, percent, probability, assumption.
pub(crate) fn rolls_json(exp: &Experiment, o: &Outcome) -> Vec<RollJson> {
    o.rolls
        .iter()
        .map(|r| RollJson {
            flag: roll_flag(exp, r),
            percent: f64::from(r.percent) / 10.0,
            probability: r.probability(),
            assumed: r.assumed.map(|a| if a { "in" } else { "out" }),
        })
        .collect()
}

/// Lines saying which random rolls the answer rests on (empty when none is unsettled).
pub(crate) fn roll_notes(exp: &Experiment, o: &Outcome, who: &RequestUser) -> Vec<String> {
    let open: Vec<&Roll> = o.rolls.iter().filter(|r| r.assumed.is_none()).collect();
    if open.is_empty() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    if !o.bucket_rests_on_roll() {
        notes.push(format!(
            "bucket 0 either way: the random {}% roll of {} only decides whether {} is in the experiment (and gets the analytics event)",
            percent_text(open[0].percent),
            roll_flag(exp, open[0]),
            who.label()
        ));
        return notes;
    }
    for r in &open {
        let then = match r.at {
            None => "otherwise bucket 0".to_string(),
            Some(_) => "otherwise the next bucket flag or the hash decides".to_string(),
        };
        notes.push(format!(
            "this rests on the random {}% roll of {} for {} ({then}); django-waffle draws it per visitor and keeps it in the dwf_{} cookie",
            percent_text(r.percent),
            roll_flag(exp, r),
            who.label(),
            roll_flag(exp, r)
        ));
    }
    notes.push("settle the roll with --assume-percent in or --assume-percent out".into());
    notes
}

fn flag_why(
    exp: &Experiment,
    flag: &crate::engine::overrides::CourseFlag,
    d: FlagDecision,
    source: Source,
    r: Option<&Roll>,
) -> String {
    match (d, r) {
        (FlagDecision::Roll(p), Some(r)) => match r.assumed {
            Some(true) => format!("{}% roll, assumed in", percent_text(p)),
            Some(false) => format!("{}% roll, assumed out", percent_text(p)),
            None => format!("random {}% roll, taken as admitting", percent_text(p)),
        },
        _ => flag.describe(exp.course(), source),
    }
}

/// The one-line reason of an outcome.
pub(crate) fn reason(
    exp: &Experiment,
    o: &Outcome,
    who: &RequestUser,
    enrolled: Option<NaiveDateTime>,
) -> String {
    let main_roll = o.rolls.iter().find(|r| r.at.is_none());
    let main_why = flag_why(exp, exp.main(), o.main, o.main_source, main_roll);
    let name = &exp.def().name;
    if o.stage == Stage::MainOff {
        return format!("main flag {name} is off ({main_why})");
    }
    let mut parts = vec![format!("main flag {name} is on ({main_why})")];
    if let (Some(date), true) = (
        o.window_date,
        exp.window_applies() && !exp.window().is_empty(),
    ) {
        let what = match (who.person.kind, enrolled) {
            (Kind::User, Some(_)) => "enrolled",
            (Kind::User, None) => "not enrolled, so now:",
            _ => "anonymous (no enrollment), so now:",
        };
        let placement = exp.window().place(date);
        let text = exp.window().describe(date, what, placement);
        if let Stage::OutsideWindow(_) = o.stage {
            parts.push(text);
            return parts.join("; ");
        }
        parts.push(text);
    }
    match o.stage {
        Stage::Forced {
            bucket: i,
            decision: d,
            source,
        } => {
            if let Some(f) = exp.bucket(i) {
                let r = o.rolls.iter().find(|r| r.at == Some(i));
                parts.push(format!(
                    "forced into bucket {i} by {} ({})",
                    f.name,
                    flag_why(exp, f, d, source, r)
                ));
            }
        }
        Stage::Hashed { n: Some(n) } => {
            parts.push(format!(
                "no bucket flag is on; md5({:?} + {:?}) → n = {n}, {n} mod {} = {}",
                exp.group_name(),
                who.person.username,
                exp.def().num_buckets,
                o.bucket
            ));
        }
        Stage::Hashed { n: None } => {
            parts.push("no bucket flag is on; an anonymous user has no id and hashes to 0".into());
        }
        _ => {}
    }
    parts.join("; ")
}

/// Why no event (or None when the LMS sends one).
pub(crate) fn no_event_reason(o: &Outcome, who: &RequestUser) -> Option<&'static str> {
    if o.server_error.is_some() {
        return Some("the LMS fails with a server error before it decides");
    }
    match o.stage {
        Stage::MainOff => Some("the main flag is off"),
        Stage::OutsideWindow(p) if p.crashes() => {
            Some("the LMS fails with a server error before it decides")
        }
        Stage::OutsideWindow(_) => Some("the enrollment is outside the window"),
        _ if who.person.kind != Kind::User => Some("the user is anonymous"),
        _ => None,
    }
}

/// The `edx.bi.experiment.user.bucketed` event, as `bucket --json` and `eval --json` show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventJson {
    pub(crate) name: &'static str,
    pub(crate) user_id: Option<i64>,
    pub(crate) properties: EventProperties,
    pub(crate) session_key: String,
}

/// The event's properties, as the LMS sends them (`site` is the request's: unknown here).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventProperties {
    pub(crate) site: Option<String>,
    pub(crate) app_label: String,
    pub(crate) experiment: String,
    pub(crate) course_id: Option<String>,
    pub(crate) bucket: u32,
    pub(crate) is_staff: bool,
    #[serde(rename = "nonInteraction")]
    pub(crate) non_interaction: u8,
}

/// The `edx.bi.experiment.user.bucketed` event the LMS would send on this check (a fresh
/// session, tracking on, no masquerade), or None (null).
pub(crate) fn event_json(exp: &Experiment, o: &Outcome, who: &RequestUser) -> Option<EventJson> {
    if !o.emits_event(who.person.kind) {
        return None;
    }
    Some(EventJson {
        name: "edx.bi.experiment.user.bucketed",
        user_id: who.stored.as_ref().map(|u| u.id),
        properties: EventProperties {
            site: None,
            app_label: exp.def().app_label().to_string(),
            experiment: exp.def().experiment_name().to_string(),
            course_id: exp.course().map(|c| c.to_string()),
            bucket: o.bucket,
            is_staff: who.person.is_staff,
            non_interaction: 1,
        },
        session_key: format!("tracked.{}", exp.experiment_key()),
    })
}

/// One line about the event.
pub(crate) fn event_text(exp: &Experiment, o: &Outcome, who: &RequestUser) -> String {
    if let Some(why) = no_event_reason(o, who) {
        return format!("no edx.bi.experiment.user.bucketed event: {why}");
    }
    format!(
        "edx.bi.experiment.user.bucketed (once per session, key tracked.{}) with site = the request's site, app_label = {}, experiment = {}, course_id = {}, bucket = {}, is_staff = {}, nonInteraction = 1",
        exp.experiment_key(),
        exp.def().app_label(),
        exp.def().experiment_name(),
        exp.course()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "None".into()),
        o.bucket,
        if who.person.is_staff { "True" } else { "False" },
    )
}

fn stage_name(s: Stage) -> &'static str {
    match s {
        Stage::MainOff => "main_flag_off",
        Stage::OutsideWindow(_) => "outside_window",
        Stage::Forced { .. } => "forced",
        Stage::Hashed { .. } => "hash",
    }
}

/// The definition a bucket was decided with, in `bucket --json`.
#[derive(Debug, Serialize)]
pub(crate) struct DefinitionJson {
    pub(crate) num_buckets: u32,
    pub(crate) experiment_id: Option<i64>,
    pub(crate) course_aware: bool,
    /// False when `--buckets` stands in for a definition the store does not have.
    pub(crate) stored: bool,
}

pub(crate) fn definition_json(exp: &Experiment, stored: bool) -> DefinitionJson {
    DefinitionJson {
        num_buckets: exp.def().num_buckets,
        experiment_id: exp.def().experiment_id,
        course_aware: exp.def().course_aware,
        stored,
    }
}

/// `bucket NAME --user U --json`: one object per user (an array with several `--user`).
#[derive(Debug, Serialize)]
pub(crate) struct BucketJson {
    pub(crate) flag: String,
    pub(crate) user: Option<String>,
    pub(crate) anonymous: bool,
    pub(crate) user_in_store: bool,
    pub(crate) course: Option<String>,
    pub(crate) bucket: u32,
    /// False when the bucket rests on a random roll nobody settled.
    pub(crate) decided: bool,
    /// main_flag_off, outside_window, forced or hash.
    pub(crate) stage: &'static str,
    pub(crate) reason: String,
    /// What edX's `stable_bucketer` prints (the hash alone), for a logged-in user.
    pub(crate) hash_bucket: Option<u32>,
    pub(crate) percent_rolls: Vec<RollJson>,
    pub(crate) definition: DefinitionJson,
    pub(crate) enrolled: Option<String>,
    pub(crate) event: Option<EventJson>,
}

pub(crate) fn definition_text(exp: &Experiment, stored: bool) -> String {
    let id = match exp.def().experiment_id {
        Some(i) => format!("experiment ID {i}"),
        None => "no experiment ID".into(),
    };
    let aware = if exp.def().course_aware {
        "course-aware"
    } else {
        "not course-aware"
    };
    let src = if stored {
        ""
    } else {
        ", not a stored experiment"
    };
    format!(
        "{} ({} buckets, {id}, {aware}{src})",
        exp.def().name,
        exp.def().num_buckets
    )
}

/// Refuses an option of one mode given with another (`--summary` without `--users-file`,
/// `--count` or `--base` without `--find`, `--jobs` with one user): clap leaves `requires`
/// between members of the required `mode` group unchecked, and an option silently ignored
/// would leave the user believing it did something.
fn check_mode_options(a: &BucketArgs) -> Result<()> {
    let bulk = a.users_file.is_some() || a.find.is_some();
    let misplaced = [
        (
            a.summary && a.users_file.is_none(),
            "--summary",
            "--users-file",
        ),
        (a.count.is_some() && a.find.is_none(), "--count", "--find"),
        (a.base.is_some() && a.find.is_none(), "--base", "--find"),
        (
            a.jobs.is_some() && !bulk,
            "--jobs",
            "--users-file or --find",
        ),
    ];
    match misplaced.into_iter().find(|m| m.0) {
        None => Ok(()),
        Some((_, opt, with)) => Err(Error::usage(format!("{opt} works only with {with}"))
            .with_hint("see: wafflectl bucket --help")),
    }
}

pub(crate) fn run(ctx: &Ctx, a: BucketArgs) -> Result<()> {
    check_mode_options(&a)?;
    let defo = DefinitionOptions {
        buckets: a.buckets,
        experiment_id: a.experiment_id,
        course_aware: either(a.course_aware, a.no_course_aware),
    };
    let request = Request::parse(ctx, &a.subject, &a.when, &a.attrs)?;
    let (course, now, enrolled_at) = (request.course.clone(), request.now, request.enrolled_at);
    let req = request.info();
    if let Some(b) = a.find
        && b < 0
    {
        return Err(Error::usage(format!(
            "--find {b}: buckets are numbered from 0"
        )));
    }
    let store = ctx.store()?;
    let conn = store.conn();
    let (def, stored) = definition(conn, &a.name, defo)?;
    let exp = load::experiment(conn, def, course, now)?;
    let assume_percent = assume(a.assume.assume_percent);
    if let Some(path) = &a.users_file {
        let opts = bulk::Options {
            summary: a.summary,
            assume_percent,
            enrolled_at,
            attrs: a.attrs.clone(),
            jobs: a.jobs,
        };
        return bulk::run(ctx, conn, &exp, path, &opts);
    }
    if let Some(b) = a.find {
        let search = find::Search {
            bucket: b,
            count: a.count.unwrap_or(1) as usize,
            base: a.base.as_deref(),
            jobs: super::jobs::count(a.jobs)?,
        };
        return find::run(ctx, conn, &exp, req, search);
    }
    let users = request.users();
    let many = users.len() > 1;
    let mut records = Vec::new();
    let mut table = Table::new(["USER", "BUCKET", "REASON"]);
    for user in users {
        let who = request.user(conn, user)?;
        let (enrolled, _) = enrollment(conn, &who, exp.course(), enrolled_at)?;
        if enrolled == Enrolled::Undated {
            ctx.warn(format!(
                "the enrollment of {} in {} has no readable date; it is treated as not enrolled (edX would fail on it)",
                who.label(),
                exp.course().map(|c| c.to_string()).unwrap_or_default()
            ));
        }
        let check = Check {
            subject: &who.person,
            request: req,
            enrolled: match enrolled {
                Enrolled::At(t) => Some(t),
                _ => None,
            },
            assume_percent,
            hash: None,
        };
        let o = exp.evaluate(&check, &mut NoTrace);
        crash_check(&exp, &o)?;
        let reason = reason(&exp, &o, &who, check.enrolled);
        let notes = roll_notes(&exp, &o, &who);
        let hash_bucket =
            (who.person.kind == Kind::User).then(|| exp.hash_bucket(&who.person.username));

        if ctx.json() {
            let v = BucketJson {
                flag: exp.def().name.clone(),
                user: (who.person.kind == Kind::User).then(|| who.person.username.clone()),
                anonymous: who.person.kind == Kind::Anonymous,
                user_in_store: who.stored.is_some(),
                course: exp.course().map(|c| c.to_string()),
                bucket: o.bucket,
                decided: !o.bucket_rests_on_roll(),
                stage: stage_name(o.stage),
                reason,
                hash_bucket,
                percent_rolls: rolls_json(&exp, &o),
                definition: definition_json(&exp, stored),
                enrolled: match enrolled {
                    Enrolled::At(t) => Some(crate::time::to_normal(&t)),
                    _ => None,
                },
                event: event_json(&exp, &o, &who),
            };
            if many {
                records.push(v);
                continue;
            }
            return output::json(&v);
        }
        if many {
            for n in &notes {
                ctx.warn(format!("{}: {n}", who.label()));
            }
            let bucket_text = if o.bucket_rests_on_roll() {
                format!("{} (if the random roll admits the user)", o.bucket)
            } else {
                o.bucket.to_string()
            };
            table.row([who.label(), bucket_text, reason]);
            continue;
        }
        if ctx.format == Format::Plain {
            for n in &notes {
                ctx.warn(n);
            }
            if who.stored.is_none() && who.person.kind == Kind::User {
                ctx.warn(format!(
                    "user '{}' is not in the store: checked as a plain logged-in user",
                    crate::error::cut(&who.person.username)
                ));
            }
            return output::out(&o.bucket.to_string());
        }
        let mut f = Fields::new();
        f.add("flag", definition_text(&exp, stored))
            .add("user", who.describe())
            .add(
                "course",
                exp.course()
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
            );
        let bucket_text = if o.bucket_rests_on_roll() {
            format!(
                "{} (if the random roll admits the user; see note)",
                o.bucket
            )
        } else {
            o.bucket.to_string()
        };
        f.add("bucket", bucket_text).add("reason", reason);
        if let Some(h) = hash_bucket
            && !matches!(o.stage, Stage::Hashed { .. })
        {
            f.add(
                "hash alone",
                format!("bucket {h} (what edX's stable_bucketer prints)"),
            );
        }
        for n in &notes {
            f.add("note", n.clone());
        }
        return f.print(ctx.format, ctx.color);
    }
    many_users_hint(ctx, &a.name, a.subject.user.len());
    if ctx.json() {
        return output::json(&records);
    }
    table.print(ctx.format, ctx.color)
}

/// Several `--user`s: past a handful, reading them from a file or a pipe is the better tool.
pub(crate) fn many_users_hint(ctx: &Ctx, name: &str, users: usize) {
    if users > MANY_USERS {
        ctx.status(format!(
            "hint: for many users, stream them one per line: ... | wafflectl bucket {name} --users-file -"
        ));
    }
}

/// More `--user`s than this get the hint to use `--users-file -`.
pub(crate) const MANY_USERS: usize = 5;
