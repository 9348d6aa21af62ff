//! `wafflectl user ...` and `wafflectl group ...`

use crate::cli::{GroupCmd, MutationArgs, UserCmd};
use crate::context::Ctx;
use crate::engine::CourseKey;
use crate::error::{Error, Result};
use crate::output::{self, Fields, list_or_dash, yes_no};
use crate::store::users::{self, User};
use crate::time;
use crate::types::either;

pub(crate) fn run(ctx: &Ctx, cmd: UserCmd) -> Result<()> {
    match cmd {
        UserCmd::List => list(ctx),
        UserCmd::Show { username } => show(ctx, &username),
        UserCmd::Add {
            username,
            staff,
            superuser,
            inactive,
            email,
            groups,
            m,
        } => add(
            ctx, &username, staff, superuser, !inactive, email, groups, &m,
        ),
        UserCmd::Set {
            username,
            staff,
            no_staff,
            superuser,
            no_superuser,
            active,
            inactive,
            email,
            add_groups,
            remove_groups,
            m,
        } => {
            let change = UserChange {
                staff: either(staff, no_staff),
                superuser: either(superuser, no_superuser),
                active: either(active, inactive),
                email,
                add_groups,
                remove_groups,
            };
            set(ctx, &username, change, &m)
        }
        UserCmd::Delete { username, m } => delete(ctx, &username, &m),
        UserCmd::Enroll {
            username,
            course,
            at,
            mode,
            m,
        } => enroll(ctx, &username, &course, at.as_ref(), &mode, &m.into()),
        UserCmd::Unenroll {
            username,
            course,
            m,
        } => unenroll(ctx, &username, &course, &m),
    }
}

/// Validates a course key as edx-opaque-keys reads it (exit 2 otherwise) and says so when edX's
/// canonical text, which is what is stored and matched, differs from what was typed.
pub(crate) fn course_key(ctx: &Ctx, s: &str) -> Result<CourseKey> {
    let c: crate::types::CourseArg = s.parse()?;
    if let Some(note) = c.reread_note() {
        ctx.status(note);
    }
    Ok(c.key)
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let all = users::list_users(&*store.snapshot()?)?;
    let header = [
        "USERNAME",
        "STAFF",
        "SUPERUSER",
        "ACTIVE",
        "EMAIL",
        "GROUPS",
    ];
    super::print_rows(ctx, &all, "no users", header, |u| {
        [
            u.username.clone(),
            yes_no(u.is_staff).into(),
            yes_no(u.is_superuser).into(),
            yes_no(u.is_active).into(),
            if u.email.is_empty() {
                "-".into()
            } else {
                u.email.clone()
            },
            list_or_dash(&u.groups),
        ]
    })
}

/// `user show --json`: the user's row, then its enrollments.
#[derive(serde::Serialize)]
struct UserShown<'a> {
    #[serde(flatten)]
    user: &'a User,
    enrollments: &'a [users::Enrollment],
}

fn show(ctx: &Ctx, username: &str) -> Result<()> {
    let store = ctx.store()?;
    let snap = store.snapshot()?;
    let u = users::require_user(&snap, username)?;
    let enrollments = users::enrollments(&snap, u.id)?;
    if ctx.json() {
        return output::json(&UserShown {
            user: &u,
            enrollments: &enrollments,
        });
    }
    let mut f = Fields::new();
    f.add("username", &u.username)
        .add("id", u.id.to_string())
        .add("email", if u.email.is_empty() { "-" } else { &u.email })
        .add("staff", yes_no(u.is_staff))
        .add("superuser", yes_no(u.is_superuser))
        .add("active", yes_no(u.is_active))
        .add("groups", list_or_dash(&u.groups))
        .add("joined", time::db_to_human(&u.date_joined));
    let en = if enrollments.is_empty() {
        "-".to_string()
    } else {
        enrollments
            .iter()
            .map(|e| {
                let when = e
                    .created
                    .as_deref()
                    .map(time::db_to_human)
                    .unwrap_or_else(|| "unknown date".into());
                let inactive = if e.is_active { "" } else { ", inactive" };
                format!("{} ({}, {when}{inactive})", e.course_id, e.mode)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    f.add("enrollments", en);
    f.print(ctx.format, ctx.color)
}

#[allow(clippy::too_many_arguments)]
fn add(
    ctx: &Ctx,
    username: &str,
    staff: bool,
    superuser: bool,
    active: bool,
    email: Option<String>,
    mut groups: Vec<String>,
    m: &MutationArgs,
) -> Result<()> {
    groups.sort();
    groups.dedup();
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        if users::get_user(tx, username)?.is_some() {
            return Err(Error::runtime(format!("user '{username}' already exists"))
                .with_hint(format!("change it with: wafflectl user set {username} ...")));
        }
        let u = User {
            id: 0,
            username: username.to_string(),
            email: email.unwrap_or_default(),
            is_staff: staff,
            is_superuser: superuser,
            is_active: active,
            date_joined: tx.now_db.clone(),
            groups,
        };
        users::save_user(tx, &u)?;
        tx.record("user", username, None, Some(u.audit()))?;
        Ok(())
    })
}

struct UserChange {
    staff: Option<bool>,
    superuser: Option<bool>,
    active: Option<bool>,
    email: Option<String>,
    add_groups: Vec<String>,
    remove_groups: Vec<String>,
}

fn set(ctx: &Ctx, username: &str, c: UserChange, m: &MutationArgs) -> Result<()> {
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = users::require_user(tx, username)?;
        let mut after = before.clone();
        if let Some(v) = c.staff {
            after.is_staff = v;
        }
        if let Some(v) = c.superuser {
            after.is_superuser = v;
        }
        if let Some(v) = c.active {
            after.is_active = v;
        }
        if let Some(e) = c.email {
            after.email = e;
        }
        after.groups.retain(|g| !c.remove_groups.contains(g));
        for g in c.add_groups {
            if !after.groups.contains(&g) {
                after.groups.push(g);
            }
        }
        after.groups.sort();
        if after == before {
            return Ok(());
        }
        users::save_user(tx, &after)?;
        tx.record("user", username, Some(before.audit()), Some(after.audit()))?;
        Ok(())
    })
}

fn delete(ctx: &Ctx, username: &str, m: &MutationArgs) -> Result<()> {
    let mut store = ctx.store()?;
    users::require_user(store.conn(), username)?;
    if !m.dry_run {
        ctx.confirm(&format!(
            "Delete user {username} with its flag entries, experiment data and enrollments?"
        ))?;
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        let u = users::require_user(tx, username)?;
        users::delete_user(tx, u.id, &u.username)?;
        tx.record("user", username, Some(u.audit()), None)?;
        Ok(())
    })
}

fn enroll(
    ctx: &Ctx,
    username: &str,
    course: &str,
    at: Option<&crate::types::EdxTime>,
    mode: &str,
    m: &MutationArgs,
) -> Result<()> {
    let typed = at.map(|a| a.on("--at", ctx.now.date_naive())).transpose()?;
    let key = course_key(ctx, course)?;
    let at = match (at, typed) {
        (Some(crate::types::EdxTime { text: t }), Some(typed)) => {
            let at = chrono::TimeZone::from_utc_datetime(&chrono::Utc, &typed.instant);
            ctx.status(format!(
                "--at: '{t}' is stored as {}; edX reads it as {} UTC{}",
                time::to_db(&at),
                typed.instant.format("%Y-%m-%d %H:%M:%S%.f"),
                typed
                    .converted_from
                    .map(|o| format!(
                        " (converted from UTC{})",
                        crate::engine::dateutil::offset_text(o)
                    ))
                    .unwrap_or_default()
            ));
            Some(at)
        }
        _ => None,
    };
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let u = users::require_user(tx, username)?;
        let created = time::to_db(&at.unwrap_or(tx.now));
        let before = users::enrollment(tx, u.id, key.as_str())?;
        let e = users::Enrollment {
            id: before.as_ref().map_or(0, |b| b.id),
            user: u.username.clone(),
            course_id: key.as_str().to_string(),
            created: Some(created),
            is_active: true,
            mode: mode.to_string(),
        };
        users::write_enrollment(tx, &e, u.id)?;
        let after = users::enrollment(tx, u.id, key.as_str())?;
        let name = format!("{username}@{key}");
        tx.record_action(
            if before.is_some() { "update" } else { "enroll" },
            "enrollment",
            &name,
            before.map(|e| serde_json::to_value(e).unwrap_or_default()),
            after.map(|e| serde_json::to_value(e).unwrap_or_default()),
        )?;
        Ok(())
    })
}

fn unenroll(ctx: &Ctx, username: &str, course: &str, m: &MutationArgs) -> Result<()> {
    let key = course_key(ctx, course)?;
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let u = users::require_user(tx, username)?;
        let before = users::enrollment(tx, u.id, key.as_str())?.ok_or_else(|| {
            Error::runtime(format!("user '{username}' is not enrolled in {key}"))
                .with_hint(format!(
                    "see the enrollments with: wafflectl user show {username}"
                ))
                .missing(crate::error::NameKind::Course, key.as_str())
        })?;
        users::delete_enrollment(tx, before.id)?;
        tx.record_action(
            "unenroll",
            "enrollment",
            &format!("{username}@{key}"),
            Some(serde_json::to_value(before)?),
            None,
        )?;
        Ok(())
    })
}

pub(crate) fn run_group(ctx: &Ctx, cmd: GroupCmd) -> Result<()> {
    match cmd {
        GroupCmd::List => {
            let store = ctx.store()?;
            let groups = users::list_groups(store.conn())?;
            super::print_rows(ctx, &groups, "no groups", ["NAME", "USERS"], |g| {
                [g.name.clone(), g.users.to_string()]
            })
        }
        GroupCmd::Add { name, m } => {
            let mut store = ctx.store()?;
            crate::commands::write(ctx, &mut store, &m, |tx| {
                if users::get_group(tx, &name)?.is_some() {
                    return Err(Error::runtime(format!("group '{name}' already exists")));
                }
                users::insert_group(tx, &name)?;
                tx.record("group", &name, None, Some(users::group_audit(&name)))?;
                Ok(())
            })
        }
        GroupCmd::Delete { name, m } => {
            let mut store = ctx.store()?;
            users::require_group(store.conn(), &name)?;
            if !m.dry_run {
                ctx.confirm(&format!(
                    "Delete group {name} (its memberships and flag entries go with it)?"
                ))?;
            }
            crate::commands::write(ctx, &mut store, &m, |tx| {
                let g = users::require_group(tx, &name)?;
                users::delete_group(tx, g.id)?;
                tx.record("group", &name, Some(users::group_audit(&name)), None)?;
                Ok(())
            })
        }
    }
}
