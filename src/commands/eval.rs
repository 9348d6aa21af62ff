//! `wafflectl eval NAME ...`: evaluates whatever NAME is — an experiment (a stored definition),
//! a flag, a switch or a sample, checked in that order — and shows every step of the decision.

use serde::Serialize;

use crate::cli::{AssumePercent, EvalArgs};
use crate::commands::bucket::{self, DefinitionOptions, EventJson, RequestUser};
use crate::context::Ctx;
use crate::engine::CourseKey;
use crate::engine::experiment::{Check, Stage};
use crate::engine::overrides::{CourseFlag, Source};
use crate::engine::settled;
use crate::engine::trace::{Step, Steps, Trace};
use crate::engine::waffle::{
    FlagDecision, FlagRule, Kind, RequestInfo, Why, percent_text, probability,
};
use crate::error::Result;
use crate::output::{self, Table};
use crate::store::load::{self, Enrolled};
use crate::store::{edx, toggles};

/// What `eval` found and decided; `--json` prints it (fields in this order).
#[derive(Serialize)]
struct Report {
    name: String,
    kind: &'static str,
    active: Option<bool>,
    /// False when nothing of that name exists (answered as an undefined flag); printed only
    /// then.
    #[serde(skip_serializing_if = "is_true")]
    defined: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    probability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket: Option<u32>,
    /// Experiments only: the event the LMS would send (null when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<Option<EventJson>>,
    /// The LMS fails with a server error instead of answering (why).
    #[serde(skip_serializing_if = "Option::is_none")]
    server_error: Option<String>,
    steps: Vec<Step>,
    #[serde(skip)]
    summary: String,
}

fn is_true(b: &bool) -> bool {
    *b
}

fn assume(a: Option<AssumePercent>) -> Option<bool> {
    a.map(|a| a == AssumePercent::In)
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

pub(crate) fn run(ctx: &Ctx, a: EvalArgs) -> Result<()> {
    let request = bucket::Request::parse(ctx, &a.subject, &a.when, &a.attrs)?;
    let (course, now, enrolled_at) = (&request.course, request.now, request.enrolled_at);
    let store = ctx.store()?;
    let conn = store.conn();
    let assume = assume(a.assume.assume_percent);
    let req = request.info();

    let users = request.users();
    let many = users.len() > 1;
    let mut records = Vec::new();
    for user in users {
        let report = if edx::get_experiment(conn, &a.name)?.is_some() {
            let who = request.user(conn, user)?;
            experiment(
                conn,
                &a.name,
                course.clone(),
                who,
                req,
                enrolled_at,
                now,
                assume,
            )?
        } else if toggles::get_flag(conn, &a.name)?.is_some()
            || load::has_override_rows(conn, &a.name)?
        {
            let who = request.user(conn, user)?;
            flag(conn, &a.name, course.as_ref(), &who, req, assume)?
        } else if let Some(s) = toggles::get_switch(conn, &a.name)? {
            Report {
                name: a.name.to_string(),
                kind: "switch",
                active: Some(s.active),
                probability: None,
                bucket: None,
                event: None,
                steps: vec![Step {
                    step: "switch".into(),
                    detail: format!("active = {} → {}", on_off(s.active), on_off(s.active)),
                }],
                summary: on_off(s.active).into(),
                defined: true,
                server_error: None,
            }
        } else if let Some(s) = toggles::get_sample(conn, &a.name)? {
            match &s.percent_unreadable {
                Some(u) => {
                    let e = format!(
                        "the LMS fails with a server error reading sample {}: {u}",
                        s.name
                    );
                    Report {
                        name: a.name.to_string(),
                        kind: "sample",
                        active: None,
                        probability: None,
                        bucket: None,
                        event: None,
                        steps: vec![Step {
                            step: "sample".into(),
                            detail: e.clone(),
                        }],
                        summary: format!("no answer: {e}"),
                        defined: true,
                        server_error: Some(e),
                    }
                }
                None => sample(&a.name, s.percent.0, assume),
            }
        } else {
            // django-waffle answers an undefined flag with WAFFLE_FLAG_DEFAULT (off), an undefined
            // switch or sample with its default (off): the LMS does not fail, so neither does eval.
            let close = crate::suggest::did_you_mean(conn, crate::error::NameKind::Any, &a.name)
                .map(|d| format!("; {d}"))
                .unwrap_or_default();
            ctx.warn(format!(
                "no experiment, flag, switch or sample named '{}': answered as django-waffle answers an undefined flag (WAFFLE_FLAG_DEFAULT, off){close}",
                a.name
            ));
            let who = request.user(conn, user)?;
            let mut r = flag(conn, &a.name, course.as_ref(), &who, req, assume)?;
            r.defined = false;
            r.summary = format!("{} (no such flag)", r.summary);
            r
        };

        if many {
            if ctx.json() {
                records.push(report);
            } else {
                let who = user.unwrap_or("-");
                output::out(&format!(
                    "{} ({}) for {who}: {}",
                    report.name, report.kind, report.summary
                ))?;
            }
            continue;
        }
        if ctx.json() {
            return output::json(&report);
        }
        let mut t = Table::new(["STEP", "DETAIL"]);
        for s in &report.steps {
            t.row([s.step.clone(), s.detail.clone()]);
        }
        if ctx.format != crate::output::Format::Plain {
            output::out(&format!(
                "{} ({}): {}",
                report.name, report.kind, report.summary
            ))?;
        }
        return t.print(ctx.format, ctx.color);
    }
    bucket::many_users_hint(ctx, &a.name, a.subject.user.len());
    if ctx.json() {
        return output::json(&records);
    }
    Ok(())
}

fn sample(name: &str, tenths: i32, assume: Option<bool>) -> Report {
    let p = probability(tenths);
    let mut steps = vec![Step {
        step: "sample".into(),
        detail: format!(
            "percent {}: django-waffle draws a new random number on every check (no cookie) → on with probability {p}",
            percent_text(tenths)
        ),
    }];
    let active = match (settled::sample(tenths), assume) {
        (Some(true), _) => Some(true),
        (Some(false), _) => {
            steps.push(Step {
                step: "sample".into(),
                detail: "at 0.0 it is on only for an exact 0.0 draw: taken as off".into(),
            });
            Some(false)
        }
        (None, Some(a)) => {
            steps.push(Step {
                step: "assumption".into(),
                detail: format!(
                    "the draw is taken as {} (--assume-percent {})",
                    on_off(a),
                    if a { "in" } else { "out" }
                ),
            });
            Some(a)
        }
        (None, None) => None,
    };
    let summary = match active {
        Some(b) => on_off(b).to_string(),
        None => format!("random: on with probability {p}"),
    };
    Report {
        name: name.to_string(),
        kind: "sample",
        active,
        probability: Some(p),
        bucket: None,
        event: None,
        steps,
        summary,
        defined: true,
        server_error: None,
    }
}

fn request_step(who: &RequestUser, course: Option<&CourseKey>, req: RequestInfo<'_>) -> Step {
    let mut parts = vec![format!("user {}", who.describe())];
    if who.person.kind == Kind::NoUser {
        parts = vec!["no user (pass --user U or --anonymous)".into()];
    }
    parts.push(match course {
        Some(c) => format!("course {c} (org {})", c.org()),
        None => "no course".into(),
    });
    if let Some(l) = req.language {
        parts.push(format!("language {l}"));
    }
    Step {
        step: "request".into(),
        detail: parts.join(", "),
    }
}

fn flag(
    conn: &crate::store::Reader,
    name: &str,
    course: Option<&CourseKey>,
    who: &RequestUser,
    req: RequestInfo<'_>,
    assume: Option<bool>,
) -> Result<Report> {
    let cf: CourseFlag = load::course_flag(conn, name, course)?;
    let mut t = Steps::default();
    t.0.push(request_step(who, course, req));
    let (d, source) = cf.is_enabled(course, &who.person, req, "flag", &mut t);
    let server_error = (source == Source::Waffle(Why::Unreadable))
        .then(|| cf.rule.as_ref().and_then(FlagRule::server_error))
        .flatten();
    let (active, probability, summary) = match (d, assume) {
        _ if server_error.is_some() => (
            None,
            None,
            format!("no answer: {}", server_error.clone().unwrap_or_default()),
        ),
        (FlagDecision::On, _) => (Some(true), None, "on".to_string()),
        (FlagDecision::Off, _) => (Some(false), None, "off".to_string()),
        (FlagDecision::Roll(p), Some(a)) => {
            t.push(
                "assumption",
                format!(
                    "the {}% roll is taken as {} (--assume-percent {})",
                    percent_text(p),
                    if a { "admitting" } else { "leaving out" },
                    if a { "in" } else { "out" }
                ),
            );
            (Some(a), None, on_off(a).to_string())
        }
        (FlagDecision::Roll(p), None) => (
            None,
            Some(probability(p)),
            format!(
                "random: on with probability {} (settle it with --assume-percent in|out)",
                probability(p)
            ),
        ),
    };
    t.push(
        "result",
        match active {
            Some(b) => on_off(b).to_string(),
            None => summary.clone(),
        },
    );
    Ok(Report {
        name: name.to_string(),
        kind: "flag",
        active,
        probability,
        bucket: None,
        event: None,
        steps: t.0,
        summary,
        defined: true,
        server_error,
    })
}

#[allow(clippy::too_many_arguments)]
fn experiment(
    conn: &crate::store::Reader,
    name: &str,
    course: Option<CourseKey>,
    mut who: RequestUser,
    req: RequestInfo<'_>,
    enrolled_at: Option<chrono::NaiveDateTime>,
    now: chrono::NaiveDateTime,
    assume: Option<bool>,
) -> Result<Report> {
    let (def, stored) = bucket::definition(conn, name, DefinitionOptions::default())?;
    let exp = load::experiment(conn, def, course, now)?;
    let mut t = Steps::default();
    if who.person.kind == Kind::NoUser {
        who.person = crate::engine::waffle::Person::anonymous();
        t.push(
            "request",
            "no --user given: evaluated for an anonymous visitor (an LMS request always carries a user)".into(),
        );
    }
    t.0.push(request_step(&who, exp.course(), req));
    t.push("definition", bucket::definition_text(&exp, stored));
    let (enrolled, source) = bucket::enrollment(conn, &who, exp.course(), enrolled_at)?;
    let enrolled_time = match enrolled {
        Enrolled::At(at) => Some(at),
        _ => None,
    };
    if who.person.kind == Kind::User && exp.course().is_some() {
        t.push(
            "enrollment",
            match enrolled {
                Enrolled::At(at) => format!("enrolled {} (from {source})", crate::time::to_normal(&at)),
                Enrolled::No => "not enrolled in the course".into(),
                Enrolled::Undated => "the enrollment row has no readable date: treated as not enrolled (edX would fail on it)".into(),
            },
        );
    }
    let check = Check {
        subject: &who.person,
        request: req,
        enrolled: enrolled_time,
        assume_percent: assume,
        hash: None,
    };
    let o = exp.evaluate(&check, &mut t);
    let unsettled = o.bucket_rests_on_roll();
    let first_open = o.rolls.iter().find(|r| r.assumed.is_none());
    let crash =
        o.server_error.is_some() || matches!(o.stage, Stage::OutsideWindow(p) if p.crashes());
    let mut summary = if let Some(e) = &o.server_error {
        format!("no bucket: {e}")
    } else if crash {
        "no bucket: the LMS fails with a server error (OverflowError) for this experiment"
            .to_string()
    } else {
        format!("bucket {}", o.bucket)
    };
    if unsettled && !crash {
        summary.push_str(
            " if the random roll admits the user (settle it with --assume-percent in|out)",
        );
    }
    t.push("result", summary.clone());
    let event = bucket::event_json(&exp, &o, &who);
    t.push("event", bucket::event_text(&exp, &o, &who));
    Ok(Report {
        name: name.to_string(),
        kind: "experiment",
        active: if unsettled || crash {
            None
        } else {
            Some(o.bucket != 0)
        },
        probability: first_open.map(|r| r.probability()),
        bucket: (!crash).then_some(o.bucket),
        event: Some(event),
        steps: t.0,
        summary,
        defined: true,
        server_error: o.server_error.clone(),
    })
}
