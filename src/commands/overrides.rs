//! `wafflectl override ...`: Open edX course and org overrides of a flag.
//!
//! The tables are ConfigurationModels: rows are only ever appended. `set` appends an enabled row,
//! `clear` a disabled one; the current row of a (flag, course) or (flag, org) is the newest by
//! `change_date`, then highest `id`, and it counts only when enabled.

use serde::Serialize;

use crate::cli::{self, MutationArgs, OverrideCmd};
use crate::context::Ctx;
use crate::engine::CourseKey;
use crate::engine::overrides::Choice;
use crate::error::{Error, Result};
use crate::output;
use crate::store::Tx;
use crate::store::edx::{self, OverrideRow, Scope};
use crate::store::toggles;
use crate::time;

pub(crate) fn run(ctx: &Ctx, cmd: OverrideCmd) -> Result<()> {
    match cmd {
        OverrideCmd::List { flag, history } => list(ctx, flag.as_deref(), history),
        OverrideCmd::Set {
            flag,
            scope,
            choice,
            note,
            strict,
            m,
        } => {
            let c = match choice {
                cli::OnOff::On => Choice::On,
                cli::OnOff::Off => Choice::Off,
            };
            set(ctx, &flag, &scope, c, note.as_deref(), strict, &m)
        }
        OverrideCmd::Clear { flag, scope, m } => clear(ctx, &flag, &scope, &m),
    }
}

/// `--course C | --org O` validated into a scope and its key (exit 2 on a bad key).
pub(crate) fn resolve_scope(
    ctx: &Ctx,
    course: Option<&str>,
    org: Option<&str>,
) -> Result<(Scope, String)> {
    match (course, org) {
        (Some(c), None) => {
            let key = super::user::course_key(ctx, c)?;
            Ok((Scope::Course, key.as_str().to_string()))
        }
        (None, Some(o)) => {
            o.parse::<crate::types::OrgName>()?;
            Ok((Scope::Org, o.to_string()))
        }
        _ => Err(Error::usage("give exactly one of --course C or --org O")),
    }
}

/// What an override write should make current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// An enabled row with this choice.
    Force(Choice),
    /// A disabled row (no override).
    Clear,
}

/// `course override` / `org override`: the audit kind.
pub(crate) fn audit_kind(scope: Scope) -> &'static str {
    match scope {
        Scope::Course => "course override",
        Scope::Org => "org override",
    }
}

/// `FLAG@KEY`: the audit name of an override.
pub(crate) fn audit_name(flag: &str, key: &str) -> String {
    format!("{flag}@{key}")
}

/// Appends a row so that the current override of (flag, key) becomes `target`, unless it
/// already is. `note: None` keeps the current row's note (as edX's admin pre-fills it).
/// Returns whether a row was appended.
pub(crate) fn put_override(
    tx: &mut Tx<'_>,
    scope: Scope,
    flag: &str,
    key: &str,
    target: Target,
    note: Option<&str>,
) -> Result<bool> {
    let cur = edx::current_row(tx, scope, flag, key)?;
    let note = note
        .map(str::to_string)
        .or_else(|| cur.as_ref().map(|r| r.note.clone()))
        .unwrap_or_default();
    let (enabled, choice) = match target {
        Target::Force(c) => {
            if let Some(r) = &cur
                && r.enabled
                && r.choice == c.as_str()
                && r.note == note
            {
                return Ok(false);
            }
            (true, c.as_str().to_string())
        }
        Target::Clear => match &cur {
            None => return Ok(false),
            Some(r) if !r.enabled => return Ok(false),
            Some(r) => (false, r.choice.clone()),
        },
    };
    let actor = tx.actor.clone();
    let by = edx::user_id_of(tx, &actor)?;
    edx::append_override(tx, scope, flag, key, enabled, &choice, &note, by)?;
    let after = edx::current_row(tx, scope, flag, key)?;
    tx.record(
        audit_kind(scope),
        &audit_name(flag, key),
        cur.as_ref().map(OverrideRow::audit),
        after.as_ref().map(OverrideRow::audit),
    )?;
    Ok(true)
}

fn scope_text(scope: Scope, key: &str) -> String {
    match scope {
        Scope::Course => format!("course {key}"),
        Scope::Org => format!("org {key}"),
    }
}

fn set(
    ctx: &Ctx,
    flag: &str,
    s: &cli::ScopeArgs,
    choice: Choice,
    note: Option<&str>,
    strict: bool,
    m: &MutationArgs,
) -> Result<()> {
    let (scope, key) = resolve_scope(ctx, s.course.as_deref(), s.org.as_deref())?;
    let mut store = ctx.store()?;
    if toggles::get_flag(store.conn(), flag)?.is_none() {
        if strict {
            return Err(
                Error::runtime(format!("flag '{flag}' does not exist")).with_hint(format!(
                    "create it first: wafflectl flag create {flag} (or drop --strict)"
                )),
            );
        }
        ctx.warn(format!(
            "flag '{flag}' does not exist; the override is stored anyway (edX does not check flag names either)"
        ));
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        put_override(tx, scope, flag, &key, Target::Force(choice), note)?;
        Ok(())
    })
}

fn clear(ctx: &Ctx, flag: &str, s: &cli::ScopeArgs, m: &MutationArgs) -> Result<()> {
    let (scope, key) = resolve_scope(ctx, s.course.as_deref(), s.org.as_deref())?;
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        if !put_override(tx, scope, flag, &key, Target::Clear, None)? {
            use crate::error::NameKind as Kind;
            use crate::suggest::did_you_mean;
            let close = did_you_mean(tx, Kind::Flag, flag)
                .or_else(|| match scope {
                    crate::store::edx::Scope::Course => did_you_mean(tx, Kind::Course, &key),
                    _ => None,
                })
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            ctx.status(format!(
                "no override of {flag} for {} to clear{close}",
                scope_text(scope, &key)
            ));
        }
        Ok(())
    })
}

/// An override row as `override list --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OverrideOut {
    pub(crate) id: i64,
    pub(crate) flag: String,
    pub(crate) scope: Scope,
    /// The course key (course overrides), else null.
    pub(crate) course_id: Option<String>,
    /// The organisation: the override's org, or the org of the course key.
    pub(crate) org: Option<String>,
    pub(crate) choice: String,
    pub(crate) enabled: bool,
    pub(crate) note: String,
    pub(crate) changed: String,
    pub(crate) changed_by: Option<String>,
    /// `--history` only: `in force`, `cleared`, `no effect` (current row with another choice
    /// than on/off) or `replaced`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) state: Option<&'static str>,
    /// Current list, course overrides: the org override of the same flag this one takes
    /// precedence over (its choice), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) beats_org_override: Option<Option<Choice>>,
    /// Current list, org overrides: the courses of this org whose course override of the same
    /// flag takes precedence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) beaten_in_courses: Option<Vec<String>>,
}

fn org_of(r: &OverrideRow) -> Option<String> {
    match r.scope {
        Scope::Org => Some(r.key.clone()),
        Scope::Course => CourseKey::parse(&r.key).ok().map(|k| k.org().to_string()),
    }
}

fn out_row(r: &OverrideRow) -> OverrideOut {
    OverrideOut {
        id: r.id,
        flag: r.flag.clone(),
        scope: r.scope,
        course_id: (r.scope == Scope::Course).then(|| r.key.clone()),
        org: org_of(r),
        choice: r.choice.clone(),
        enabled: r.enabled,
        note: r.note.clone(),
        changed: crate::time::db_to_json(&r.change_date),
        changed_by: r.changed_by.clone(),
        state: None,
        beats_org_override: None,
        beaten_in_courses: None,
    }
}

/// Sort key: flag, org, org row before its courses, course key.
fn sort_key(o: &OverrideOut) -> (String, String, u8, String) {
    (
        o.flag.clone(),
        o.org.clone().unwrap_or_default(),
        match o.scope {
            Scope::Org => 0,
            Scope::Course => 1,
        },
        o.course_id.clone().unwrap_or_default(),
    )
}

/// The overrides in force (course and org), with their precedence worked out, sorted by flag,
/// org, org before course.
pub(crate) fn current_overrides(
    conn: &crate::store::Reader,
    flag: Option<&str>,
) -> Result<Vec<OverrideOut>> {
    let mut rows: Vec<OverrideRow> = Vec::new();
    for scope in [Scope::Course, Scope::Org] {
        rows.extend(
            edx::current_rows(conn, scope, flag)?
                .into_iter()
                .filter(|r| r.effective().is_some()),
        );
    }
    let mut out: Vec<OverrideOut> = rows.iter().map(out_row).collect();
    let snapshot = out.clone();
    for o in &mut out {
        match o.scope {
            Scope::Course => {
                let org_choice = snapshot.iter().find(|x| {
                    x.scope == Scope::Org && x.flag == o.flag && x.org.is_some() && x.org == o.org
                });
                o.beats_org_override = Some(org_choice.and_then(|x| Choice::parse(&x.choice)));
            }
            Scope::Org => {
                let courses: Vec<String> = snapshot
                    .iter()
                    .filter(|x| x.scope == Scope::Course && x.flag == o.flag && x.org == o.org)
                    .filter_map(|x| x.course_id.clone())
                    .collect();
                o.beaten_in_courses = Some(courses);
            }
        }
    }
    out.sort_by_key(sort_key);
    Ok(out)
}

fn history_rows(conn: &crate::store::Reader, flag: Option<&str>) -> Result<Vec<OverrideOut>> {
    let mut out = Vec::new();
    for scope in [Scope::Course, Scope::Org] {
        let rows = edx::override_rows(conn, scope, flag)?;
        // Rows are oldest first within a key: the last of each key is current.
        for (i, r) in rows.iter().enumerate() {
            let last = rows
                .get(i + 1)
                .is_none_or(|n| n.flag != r.flag || n.key != r.key);
            let mut o = out_row(r);
            o.state = Some(if !last {
                "replaced"
            } else if !r.enabled {
                "cleared"
            } else if r.effective().is_some() {
                "in force"
            } else {
                "no effect"
            });
            out.push((i, o));
        }
    }
    // Sort by flag/org/scope/course, newest first within a key (the per-scope index keeps the
    // stored order, which is oldest first).
    out.sort_by(|(ia, a), (ib, b)| sort_key(a).cmp(&sort_key(b)).then(ib.cmp(ia)));
    Ok(out.into_iter().map(|(_, o)| o).collect())
}

fn key_text(o: &OverrideOut) -> String {
    match o.scope {
        Scope::Course => o.course_id.clone().unwrap_or_default(),
        Scope::Org => o.org.clone().unwrap_or_default(),
    }
}

fn dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

fn precedence_text(o: &OverrideOut) -> String {
    match (&o.beats_org_override, &o.beaten_in_courses) {
        (Some(Some(c)), _) => format!(
            "beats org {} override ({})",
            o.org.as_deref().unwrap_or("?"),
            c.as_str()
        ),
        (_, Some(courses)) if courses.len() == 1 => {
            format!("course override wins in {}", courses[0])
        }
        (_, Some(courses)) if !courses.is_empty() => {
            format!("course overrides win in {} courses", courses.len())
        }
        _ => "-".into(),
    }
}

fn list(ctx: &Ctx, flag: Option<&str>, history: bool) -> Result<()> {
    let store = ctx.store()?;
    let rows = if history {
        history_rows(store.conn(), flag)?
    } else {
        current_overrides(store.conn(), flag)?
    };
    let what = if history {
        "no override rows"
    } else {
        "no overrides in force"
    };
    let none = match flag {
        Some(f) => format!("{what} for {f}"),
        None => what.to_string(),
    };
    if history {
        let header = [
            "ID",
            "FLAG",
            "SCOPE",
            "COURSE OR ORG",
            "CHOICE",
            "ENABLED",
            "STATE",
            "NOTE",
            "CHANGED",
            "BY",
        ];
        super::print_rows(ctx, &rows, &none, header, |o| header.map(|h| cell(o, h)))
    } else {
        let header = [
            "FLAG",
            "SCOPE",
            "COURSE OR ORG",
            "CHOICE",
            "NOTE",
            "CHANGED",
            "BY",
            "PRECEDENCE",
        ];
        super::print_rows(ctx, &rows, &none, header, |o| header.map(|h| cell(o, h)))
    }
}

/// The text of an override row in the `override list` column `header`.
fn cell(o: &OverrideOut, header: &str) -> String {
    match header {
        "ID" => o.id.to_string(),
        "FLAG" => o.flag.clone(),
        "SCOPE" => o.scope.as_str().to_string(),
        "COURSE OR ORG" => key_text(o),
        "CHOICE" => o.choice.clone(),
        "ENABLED" => output::yes_no(o.enabled).to_string(),
        "STATE" => o.state.unwrap_or("-").to_string(),
        "NOTE" => dash(&o.note),
        "CHANGED" => time::db_to_human(&o.changed),
        "BY" => o.changed_by.clone().unwrap_or_else(|| "-".into()),
        _ => precedence_text(o),
    }
}
