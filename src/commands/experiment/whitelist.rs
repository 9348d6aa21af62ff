//! `wafflectl experiment whitelist list|add|remove`: who is forced into which bucket.
//!
//! Bucket N of experiment E is the flag `E.N`, evaluated with course context: its course and org
//! overrides apply. edX walks the buckets from 0 up and the lowest enabled one wins.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::require_experiment;
use crate::cli::{MutationArgs, WhitelistCmd, WhitelistTarget};
use crate::commands::overrides::{Target, put_override, resolve_scope};
use crate::context::Ctx;
use crate::engine::overrides::Choice;
use crate::engine::trace::NoTrace;
use crate::engine::waffle::{FlagDecision, FlagRule, Kind, Person, RequestInfo, flag_is_active};
use crate::error::{Error, Result};
use crate::output::{self, Table};
use crate::store::edx::{self, ExperimentRow, Scope};
use crate::store::toggles::{self, Flag};
use crate::store::{load, users, whitelist};
use crate::types::Percent;
use crate::types::{BucketNumber, ExperimentName};

pub(crate) fn run(ctx: &Ctx, cmd: WhitelistCmd) -> Result<()> {
    match cmd {
        WhitelistCmd::List { name } => list(ctx, &name),
        WhitelistCmd::Add(c) => edit(ctx, &c.name, c.bucket, &c.who, true, &c.m),
        WhitelistCmd::Remove(c) => edit(ctx, &c.name, c.bucket, &c.who, false, &c.m),
    }
}

/// Who one bucket's flag forces into the bucket.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BucketInfo {
    pub(crate) bucket: i64,
    pub(crate) flag: String,
    /// Whether the flag row exists.
    pub(crate) exists: bool,
    /// A flag `NAME.K` with K ≥ num_buckets: edX never consults it.
    pub(crate) beyond_buckets: bool,
    pub(crate) everyone: Option<bool>,
    pub(crate) percent: Option<Percent>,
    pub(crate) staff: bool,
    pub(crate) superusers: bool,
    pub(crate) authenticated: bool,
    pub(crate) languages: Vec<String>,
    pub(crate) testing: bool,
    pub(crate) users: Vec<String>,
    pub(crate) groups: Vec<String>,
    /// Courses / orgs with an `on` override of the flag (forced in), and `off` (kept out).
    pub(crate) courses_on: Vec<String>,
    pub(crate) courses_off: Vec<String>,
    pub(crate) orgs_on: Vec<String>,
    pub(crate) orgs_off: Vec<String>,
}

impl BucketInfo {
    fn new(bucket: i64, flag: String, beyond: bool, f: Option<&Flag>) -> BucketInfo {
        let mut b = BucketInfo {
            bucket,
            flag,
            exists: f.is_some(),
            beyond_buckets: beyond,
            everyone: None,
            percent: None,
            staff: false,
            superusers: false,
            authenticated: false,
            languages: Vec::new(),
            testing: false,
            users: Vec::new(),
            groups: Vec::new(),
            courses_on: Vec::new(),
            courses_off: Vec::new(),
            orgs_on: Vec::new(),
            orgs_off: Vec::new(),
        };
        if let Some(f) = f {
            b.everyone = f.everyone;
            b.percent = f.percent;
            b.staff = f.staff;
            b.superusers = f.superusers;
            b.authenticated = f.authenticated;
            b.languages = f.language_list();
            b.testing = f.testing;
            b.users = f.users.clone();
            b.groups = f.groups.clone();
        }
        b
    }

    /// The flag's own decision can force someone (outside course/org overrides).
    fn globally_open(&self) -> bool {
        self.everyone != Some(false)
    }

    /// Who is forced into the bucket, in a few words (`-` for nobody).
    pub(crate) fn forced_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        // `user alice`, `users alice, bob`; nothing for an empty list.
        let listed = |names: &[String], one: &str, many: &str| {
            let word = if names.len() == 1 { one } else { many };
            (!names.is_empty()).then(|| format!("{word} {}", names.join(", ")))
        };
        if self.everyone == Some(true) {
            parts.push("everyone".into());
        } else if self.globally_open() {
            parts.extend(listed(&self.users, "user", "users"));
            parts.extend(listed(&self.groups, "group", "groups"));
            let set = [
                (self.staff, "staff"),
                (self.superusers, "superusers"),
                (self.authenticated, "every logged-in user"),
            ];
            parts.extend(set.iter().filter(|(on, _)| *on).map(|(_, w)| w.to_string()));
            if !self.languages.is_empty() {
                parts.push(format!("languages {}", self.languages.join(", ")));
            }
            if let Some(p) = self.percent.filter(|p| p.0 > 0) {
                parts.push(format!("{p}% at random"));
            }
            if self.testing {
                parts.push("testing (dwft_ parameter or cookie)".into());
            }
        }
        parts.extend(listed(&self.courses_on, "course", "courses"));
        parts.extend(listed(&self.orgs_on, "org", "orgs"));
        let mut text = if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join("; ")
        };
        let mut not_in: Vec<String> = self.courses_off.clone();
        not_in.extend(self.orgs_off.iter().map(|o| format!("org {o}")));
        if !not_in.is_empty() {
            text.push_str(&format!(" (not in {})", not_in.join(", ")));
        }
        text
    }
}

/// Every bucket 0..num_buckets-1 plus any flag `NAME.K` beyond, with the traps found.
pub(crate) fn bucket_report(
    conn: &crate::store::Reader,
    e: &ExperimentRow,
) -> Result<(Vec<BucketInfo>, Vec<String>)> {
    let existing: BTreeMap<i64, String> = edx::bucket_flags(conn, &e.name)?.into_iter().collect();
    let mut indexes: BTreeSet<i64> = existing.keys().copied().collect();
    // Every bucket gets a row, unless there are very many (then only those with a flag).
    if e.num_buckets <= 100 {
        indexes.extend(0..e.num_buckets);
    }
    let mut buckets = Vec::new();
    for k in indexes {
        let name = e.bucket_flag(k);
        let flag = toggles::get_flag(conn, &name)?;
        let mut b = BucketInfo::new(k, name.clone(), k >= e.num_buckets, flag.as_ref());
        for scope in [Scope::Course, Scope::Org] {
            for r in edx::current_rows(conn, scope, Some(&name))? {
                let list = match (scope, r.effective()) {
                    (Scope::Course, Some(Choice::On)) => &mut b.courses_on,
                    (Scope::Course, Some(Choice::Off)) => &mut b.courses_off,
                    (Scope::Org, Some(Choice::On)) => &mut b.orgs_on,
                    (Scope::Org, Some(Choice::Off)) => &mut b.orgs_off,
                    (_, None) => continue,
                };
                list.push(r.key.clone());
            }
        }
        buckets.push(b);
    }
    let warnings = traps(conn, e, &buckets)?;
    Ok((buckets, warnings))
}

fn join_buckets(ks: &[i64]) -> String {
    match ks {
        [a, b] => format!("{a} and {b}"),
        _ => ks
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The traps of spec §1 and §7 in a set of bucket flags.
fn traps(
    conn: &crate::store::Reader,
    e: &ExperimentRow,
    buckets: &[BucketInfo],
) -> Result<Vec<String>> {
    let mut w = Vec::new();
    for b in buckets {
        if b.beyond_buckets {
            w.push(format!(
                "flag {} is beyond the experiment's {} bucket(s) (0..{}): edX never consults it (delete it with: wafflectl flag delete {})",
                b.flag,
                e.num_buckets,
                e.num_buckets - 1,
                b.flag
            ));
            continue;
        }
        if !b.globally_open() {
            continue;
        }
        if b.superusers {
            w.push(format!(
                "flag {} has superusers on: every superuser is forced into bucket {} (fix: wafflectl flag set {} --no-superusers)",
                b.flag, b.bucket, b.flag
            ));
        }
        if b.everyone == Some(true) {
            w.push(format!(
                "flag {} is on for everyone: every user is forced into bucket {} (or a lower forced bucket); the hash never decides",
                b.flag, b.bucket
            ));
        } else {
            if b.authenticated {
                w.push(format!(
                    "flag {} has authenticated on: every logged-in user is forced into bucket {}",
                    b.flag, b.bucket
                ));
            }
            if let Some(p) = b.percent.filter(|p| p.0 > 0) {
                w.push(format!(
                    "flag {} has a percent ({p}): a random {p}% of requests are forced into bucket {} (decided per request and kept in a cookie)",
                    b.flag, b.bucket
                ));
            }
        }
    }
    // Users forced into more than one bucket (by name, group, staff or superuser status): each
    // candidate is checked with django-waffle's decision (no request language, no roll).
    let live: Vec<&BucketInfo> = buckets
        .iter()
        .filter(|b| !b.beyond_buckets && b.globally_open() && b.everyone != Some(true))
        .collect();
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    let mut rules: Vec<(i64, FlagRule)> = Vec::new();
    for b in &live {
        candidates.extend(b.users.iter().cloned());
        for g in &b.groups {
            candidates.extend(whitelist::group_members(conn, g)?);
        }
        if let Some(f) = toggles::get_flag(conn, &b.flag)? {
            rules.push((b.bucket, load::rule_of(&f)));
        }
    }
    for name in candidates {
        let Some(u) = users::get_user(conn, &name)? else {
            continue;
        };
        let person = Person {
            kind: Kind::User,
            username: u.username.clone(),
            is_staff: u.is_staff,
            is_superuser: u.is_superuser,
            groups: u.groups.clone(),
        };
        let ks: Vec<i64> = rules
            .iter()
            .filter(|(_, rule)| {
                let (d, _) = flag_is_active(
                    Some(rule),
                    &person,
                    RequestInfo::default(),
                    "",
                    &mut NoTrace,
                );
                d == FlagDecision::On
            })
            .map(|(k, _)| *k)
            .collect();
        if ks.len() > 1 {
            w.push(format!(
                "user {name} is forced into buckets {}; the lowest ({}) wins",
                join_buckets(&ks),
                ks[0]
            ));
        }
    }
    // Courses and orgs forced into more than one bucket.
    for (what, pick) in [
        (
            "course",
            (|b: &BucketInfo| b.courses_on.clone()) as fn(&BucketInfo) -> Vec<String>,
        ),
        ("org", |b: &BucketInfo| b.orgs_on.clone()),
    ] {
        let mut by_key: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for b in buckets.iter().filter(|b| !b.beyond_buckets) {
            for k in pick(b) {
                by_key.entry(k).or_default().push(b.bucket);
            }
        }
        for (key, ks) in by_key {
            if ks.len() > 1 {
                w.push(format!(
                    "{what} {key} is forced into buckets {}; the lowest ({}) wins",
                    join_buckets(&ks),
                    ks[0]
                ));
            }
        }
    }
    Ok(w)
}

/// `whitelist list --json`.
#[derive(Serialize)]
struct ListOut<'a> {
    experiment: &'a str,
    num_buckets: i64,
    buckets: &'a [BucketInfo],
    warnings: &'a [String],
}

fn list(ctx: &Ctx, name: &str) -> Result<()> {
    let name = name.parse::<ExperimentName>()?;
    let name = name.as_str();
    let store = ctx.store()?;
    let e = require_experiment(store.conn(), name)?;
    let (buckets, warnings) = bucket_report(store.conn(), &e)?;
    if ctx.json() {
        return output::json(&ListOut {
            experiment: &e.name,
            num_buckets: e.num_buckets,
            buckets: &buckets,
            warnings: &warnings,
        });
    }
    let mut t = Table::new(["BUCKET", "FLAG", "FORCED INTO THE BUCKET"]);
    for b in &buckets {
        let bucket = if b.beyond_buckets {
            format!("{} (beyond)", b.bucket)
        } else {
            b.bucket.to_string()
        };
        let flag = if b.exists {
            b.flag.clone()
        } else {
            format!("{} (no flag)", b.flag)
        };
        t.row([bucket, flag, b.forced_text()]);
    }
    t.print(ctx.format, ctx.color)?;
    if e.num_buckets > 100 {
        ctx.status(format!(
            "{} buckets: only those with a flag are listed",
            e.num_buckets
        ));
    }
    for w in &warnings {
        ctx.warn(w);
    }
    Ok(())
}

/// The one kind of whitelist entry given on the command line.
enum WhitelistEntry {
    User(String),
    Group(String),
    Staff,
    Everyone,
    Override(Scope, String),
}

impl WhitelistEntry {
    fn describe(&self) -> String {
        match self {
            WhitelistEntry::User(u) => format!("user {u}"),
            WhitelistEntry::Group(g) => format!("group {g}"),
            WhitelistEntry::Staff => "staff".into(),
            WhitelistEntry::Everyone => "everyone".into(),
            WhitelistEntry::Override(Scope::Course, c) => format!("course {c}"),
            WhitelistEntry::Override(Scope::Org, o) => format!("org {o}"),
        }
    }
}

fn whitelist_entry(ctx: &Ctx, t: &WhitelistTarget) -> Result<WhitelistEntry> {
    if let Some(u) = &t.user {
        if u.trim().is_empty() {
            return Err(Error::usage("username is empty"));
        }
        return Ok(WhitelistEntry::User(u.clone()));
    }
    if let Some(g) = &t.group {
        if g.trim().is_empty() {
            return Err(Error::usage("group name is empty"));
        }
        return Ok(WhitelistEntry::Group(g.clone()));
    }
    if t.staff {
        return Ok(WhitelistEntry::Staff);
    }
    if t.everyone {
        return Ok(WhitelistEntry::Everyone);
    }
    let (scope, key) = resolve_scope(ctx, t.course.as_deref(), t.org.as_deref())?;
    Ok(WhitelistEntry::Override(scope, key))
}

fn edit(
    ctx: &Ctx,
    name: &str,
    bucket: BucketNumber,
    target: &WhitelistTarget,
    add: bool,
    m: &MutationArgs,
) -> Result<()> {
    // The name is checked here, not by clap, so that swapped arguments (`add 1 NAME`) are
    // told the order rather than that '1' is no experiment name.
    let name = name.parse::<ExperimentName>()?;
    let name = name.as_str();
    let bucket = bucket.as_i64();
    let who = whitelist_entry(ctx, target)?;
    let mut store = ctx.store()?;
    let e = require_experiment(store.conn(), name)?;
    if bucket >= e.num_buckets {
        let flag = e.bucket_flag(bucket);
        let hint = if add {
            format!(
                "raise the number of buckets with: wafflectl experiment set {name} --buckets {}",
                bucket + 1
            )
        } else {
            format!("a stale bucket flag can be deleted with: wafflectl flag delete {flag}")
        };
        return Err(Error::usage(format!(
            "bucket {bucket} is outside 0..{} of experiment {name} ({} bucket(s))",
            e.num_buckets - 1,
            e.num_buckets
        ))
        .with_hint(hint));
    }
    match &who {
        WhitelistEntry::User(u) => {
            users::require_user(store.conn(), u)?;
        }
        WhitelistEntry::Group(g) => {
            users::require_group(store.conn(), g)?;
        }
        _ => {}
    }
    let flag_name = e.bucket_flag(bucket);
    crate::commands::write(ctx, &mut store, m, |tx| {
        let before = toggles::get_flag(tx, &flag_name)?;
        if add {
            let mut f = before
                .clone()
                .unwrap_or_else(|| Flag::new(&flag_name, &tx.now_db));
            match &who {
                WhitelistEntry::User(u) => {
                    if !f.users.contains(u) {
                        f.users.push(u.clone());
                        f.users.sort();
                    }
                }
                WhitelistEntry::Group(g) => {
                    if !f.groups.contains(g) {
                        f.groups.push(g.clone());
                        f.groups.sort();
                    }
                }
                WhitelistEntry::Staff => f.staff = true,
                WhitelistEntry::Everyone => f.everyone = Some(true),
                WhitelistEntry::Override(..) => {}
            }
            whitelist::save_flag_if_changed(tx, before.as_ref(), f)?;
            if let WhitelistEntry::Override(scope, key) = &who {
                put_override(tx, *scope, &flag_name, key, Target::Force(Choice::On), None)?;
            }
            return Ok(());
        }
        // remove
        let not_there = || {
            ctx.warn(format!(
                "{} is not whitelisted in bucket {bucket} of {name}",
                who.describe()
            ))
        };
        if let WhitelistEntry::Override(scope, key) = &who {
            if edx::current_override(tx, *scope, &flag_name, key)? == Some(Choice::On) {
                put_override(tx, *scope, &flag_name, key, Target::Clear, None)?;
            } else {
                not_there();
            }
            return Ok(());
        }
        let Some(before) = before else {
            ctx.warn(format!(
                "bucket {bucket} of {name} has no flag ({flag_name}); nothing to remove"
            ));
            return Ok(());
        };
        let mut f = before.clone();
        match &who {
            WhitelistEntry::User(u) => f.users.retain(|x| x != u),
            WhitelistEntry::Group(g) => f.groups.retain(|x| x != g),
            WhitelistEntry::Staff => f.staff = false,
            WhitelistEntry::Everyone => {
                if f.everyone == Some(true) {
                    f.everyone = None;
                }
            }
            WhitelistEntry::Override(..) => unreachable!("handled above"),
        }
        if !whitelist::save_flag_if_changed(tx, Some(&before), f)? {
            not_there();
        }
        Ok(())
    })
}
