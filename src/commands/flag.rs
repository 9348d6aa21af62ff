//! `wafflectl flag ...`

use crate::cli::{FlagCmd, FlagOpts, MutationArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{self, Fields, list_or_dash, tri, yes_no};
use crate::store::toggles::{self, Flag};
use crate::time;
use crate::types::{PercentArg, comma_list, either};

pub(crate) fn run(ctx: &Ctx, cmd: FlagCmd) -> Result<()> {
    match cmd {
        FlagCmd::List { prefix } => list(ctx, prefix.as_deref()),
        FlagCmd::Show { name } => show(ctx, &name),
        FlagCmd::Create { name, opts, m } => create(ctx, &name, &opts, &m),
        FlagCmd::Set {
            name,
            opts,
            create,
            m,
        } => set(ctx, &name, &opts, create, &m),
        FlagCmd::On { name, m } => set_everyone(ctx, &name, Some(true), &m),
        FlagCmd::Off { name, m } => set_everyone(ctx, &name, Some(false), &m),
        FlagCmd::Unset { name, m } => set_everyone(ctx, &name, None, &m),
        FlagCmd::Delete { names, m } => super::delete_named(ctx, &names, &m, deletable()),
    }
}

/// The criteria besides `everyone` and `percent`, in a few words.
pub(crate) fn criteria(f: &Flag) -> String {
    let set = [
        (f.staff, "staff"),
        (f.superusers, "superusers"),
        (f.authenticated, "authenticated"),
        (f.testing, "testing"),
        (f.rollout, "rollout"),
    ];
    let mut c: Vec<String> = set
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, word)| word.to_string())
        .collect();
    if !f.languages.is_empty() {
        c.push(format!("languages={}", f.language_list().join(",")));
    }
    if c.is_empty() {
        "-".into()
    } else {
        c.join(", ")
    }
}

/// The PERCENT cell of a flag: its percent, or what Django cannot read.
fn percent_cell(f: &Flag) -> String {
    match (&f.percent_unreadable, f.percent) {
        (Some(u), _) => format!("{} (Django cannot read it)", u.stored),
        (None, Some(p)) => p.to_string(),
        (None, None) => "-".into(),
    }
}

fn list(ctx: &Ctx, prefix: Option<&str>) -> Result<()> {
    let store = ctx.store()?;
    let flags = toggles::list_flags(&*store.snapshot()?, prefix)?;
    let header = [
        "NAME", "EVERYONE", "PERCENT", "CRITERIA", "USERS", "GROUPS", "MODIFIED",
    ];
    super::print_rows(ctx, &flags, "no flags", header, |f| {
        [
            f.name.clone(),
            tri(f.everyone).to_string(),
            percent_cell(f),
            criteria(f),
            f.users.len().to_string(),
            f.groups.len().to_string(),
            time::db_to_human(&f.modified),
        ]
    })
}

fn show(ctx: &Ctx, name: &str) -> Result<()> {
    let store = ctx.store()?;
    let f = toggles::require_flag(&*store.snapshot()?, name)?;
    if ctx.json() {
        return output::json(&f);
    }
    print_flag(ctx, &f)
}

fn print_flag(ctx: &Ctx, f: &Flag) -> Result<()> {
    let everyone = match f.everyone {
        Some(true) => "on (on for everyone; nothing else is consulted)",
        Some(false) => "off (off for everyone; nothing else is consulted)",
        None => "unset (the criteria below decide)",
    };
    let superusers = if f.superusers {
        "yes (every superuser gets this flag)"
    } else {
        "no"
    };
    let percent = match f.percent {
        _ if f.percent_unreadable.is_some() => percent_cell(f),
        Some(p) if p.0 > 0 => format!("{p} (random per request, kept in a cookie)"),
        Some(p) => format!("{p}"),
        None => "-".into(),
    };
    let mut fields = Fields::new();
    fields
        .add("name", &f.name)
        .add("everyone", everyone)
        .add("percent", percent)
        .add("staff", yes_no(f.staff))
        .add("superusers", superusers)
        .add("authenticated", yes_no(f.authenticated))
        .add("testing", yes_no(f.testing))
        .add("rollout", yes_no(f.rollout))
        .add(
            "languages",
            if f.languages.is_empty() {
                "-".to_string()
            } else {
                f.language_list().join(", ")
            },
        )
        .add("users", list_or_dash(&f.users))
        .add("groups", list_or_dash(&f.groups))
        .add("note", if f.note.is_empty() { "-" } else { &f.note })
        .add("created", time::db_to_human(&f.created))
        .add("modified", time::db_to_human(&f.modified));
    fields.print(ctx.format, ctx.color)
}

/// Applies the options that were given; others are left as they are.
pub(crate) fn apply(f: &mut Flag, o: &FlagOpts) {
    if let Some(e) = o.everyone {
        f.everyone = e.value();
    }
    if o.deactivate {
        f.everyone = Some(false);
    }
    match o.percent {
        Some(PercentArg::Set(p)) => (f.percent, f.percent_unreadable) = (Some(p), None),
        Some(PercentArg::Unset) => (f.percent, f.percent_unreadable) = (None, None),
        None => {}
    }
    let set = |field: &mut bool, v: Option<bool>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut f.staff, either(o.staff, o.no_staff));
    set(&mut f.superusers, either(o.superusers, o.no_superusers));
    set(
        &mut f.authenticated,
        either(o.authenticated, o.no_authenticated),
    );
    set(&mut f.testing, either(o.testing, o.no_testing));
    set(&mut f.rollout, either(o.rollout, o.no_rollout));
    if let Some(l) = &o.languages {
        f.languages = crate::interop::check::languages(l);
    }
    if let Some(n) = &o.note {
        f.note = n.clone();
    }
    if let Some(list) = &o.users {
        f.users = comma_list(list);
    }
    if let Some(list) = &o.groups {
        f.groups = comma_list(list);
    }
    f.users.retain(|u| !o.remove_users.contains(u));
    f.groups.retain(|g| !o.remove_groups.contains(g));
    for u in &o.add_users {
        if !f.users.contains(u) {
            f.users.push(u.clone());
        }
    }
    for g in &o.add_groups {
        if !f.groups.contains(g) {
            f.groups.push(g.clone());
        }
    }
    f.users.sort();
    f.groups.sort();
}

fn validate_opts(o: &FlagOpts) -> Result<()> {
    for n in o.add_users.iter().chain(&o.remove_users) {
        if n.trim().is_empty() {
            return Err(Error::usage("empty username"));
        }
    }
    for n in o.add_groups.iter().chain(&o.remove_groups) {
        if n.trim().is_empty() {
            return Err(Error::usage("empty group name"));
        }
    }
    Ok(())
}

fn warn_removals(ctx: &Ctx, before: &Flag, o: &FlagOpts) {
    for (what, removed, listed) in [
        ("user", &o.remove_users, &before.users),
        ("group", &o.remove_groups, &before.groups),
    ] {
        for n in removed.iter().filter(|n| !listed.contains(n)) {
            ctx.warn(format!(
                "{what} '{}' was not in flag {}'s list",
                crate::error::cut(n),
                before.name
            ));
        }
    }
}

fn create(ctx: &Ctx, name: &str, opts: &FlagOpts, m: &MutationArgs) -> Result<()> {
    validate_opts(opts)?;
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        if toggles::get_flag(tx, name)?.is_some() {
            return Err(Error::runtime(format!("flag '{name}' already exists"))
                .with_hint(format!("change it with: wafflectl flag set {name} ...")));
        }
        let mut f = Flag::new(name, &tx.now_db);
        apply(&mut f, opts);
        toggles::save_flag(tx, &f)?;
        tx.record("flag", name, None, Some(f.audit()))?;
        Ok(())
    })
}

/// Loads (or with `create` makes) a flag, applies `change`, and saves + audits when it changed.
fn update(
    ctx: &Ctx,
    name: &str,
    m: &MutationArgs,
    create: bool,
    change: impl FnOnce(&mut Flag),
) -> Result<()> {
    let mut store = ctx.store()?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = match toggles::get_flag(tx, name)? {
            Some(f) => Some(f),
            None if create => None,
            None => return Err(toggles::require_flag_error(name)),
        };
        let mut f = before
            .clone()
            .unwrap_or_else(|| Flag::new(name, &tx.now_db));
        change(&mut f);
        let before_audit = before.as_ref().map(Flag::audit);
        let after_audit = f.audit();
        if before_audit.as_ref() == Some(&after_audit) {
            return Ok(());
        }
        f.modified = tx.now_db.clone();
        toggles::save_flag(tx, &f)?;
        tx.record("flag", name, before_audit, Some(after_audit))?;
        Ok(())
    })
}

fn set(ctx: &Ctx, name: &str, opts: &FlagOpts, create: bool, m: &MutationArgs) -> Result<()> {
    validate_opts(opts)?;
    update(ctx, name, m, create, |f| {
        // an existing flag (id != 0): say which removals name someone not on its lists
        if f.id != 0 {
            warn_removals(ctx, f, opts);
        }
        apply(f, opts)
    })
}

fn set_everyone(ctx: &Ctx, name: &str, value: Option<bool>, m: &MutationArgs) -> Result<()> {
    update(ctx, name, m, false, |f| f.everyone = value)
}

/// How `flag delete` and `delete --flags` delete a flag.
pub(crate) fn deletable() -> super::Deletable<Flag> {
    super::Deletable {
        kind: "flag",
        plural: "flags",
        load: toggles::get_flag,
        remove: |tx, f| toggles::delete_flag(tx, f.id),
        audit: Flag::audit,
        breaks: experiment_flag_breaks,
    }
}

/// Deleting an experiment's main flag or one of its bucket sub-flags changes who lands where.
fn experiment_flag_breaks(
    conn: &crate::store::Reader,
    name: &str,
) -> Result<Option<super::Breaks>> {
    use crate::store::edx;
    if edx::get_experiment(conn, name)?.is_some() {
        return Ok(Some((
            format!("the main flag of experiment {name}"),
            format!(
                "flag {name} is the main flag of experiment {name}: without it edX turns the experiment off and puts everyone in bucket 0"
            ),
        )));
    }
    if let Some((exp, bucket)) = crate::engine::sub_flag::parse(name)
        && let Ok(n) = i64::try_from(bucket)
        && let Some(e) = edx::get_experiment(conn, exp)?
        && (0..e.num_buckets).contains(&n)
    {
        return Ok(Some((
            format!("bucket {n}'s whitelist of experiment {exp}"),
            format!(
                "flag {name} is bucket {n}'s whitelist of experiment {exp}: the users, groups and staff it forces into bucket {n} go back to their hashed bucket"
            ),
        )));
    }
    Ok(None)
}
