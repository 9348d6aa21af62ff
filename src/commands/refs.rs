//! `wafflectl refs [PATH...]`: where source code names the store's toggles, the store's toggles
//! that no code names, toggles code declares that have no row, and overdue annotations.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::removal::{Inventory, StoreToggle, check_fail_on, now_arg};
use crate::cli::{FailOn, RefsArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{self, Format, Table};
use crate::scan::{self, RefKind, Reference, ToggleKind};
use crate::time;

/// A store toggle and the places that name it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Referenced {
    pub(crate) name: String,
    pub(crate) types: Vec<&'static str>,
    pub(crate) references: Vec<Reference>,
}

/// A store toggle no scanned file names.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Unreferenced {
    pub(crate) name: String,
    pub(crate) types: Vec<&'static str>,
    /// The commands that delete its configuration.
    pub(crate) next: Vec<String>,
}

/// A toggle code declares, checks or annotates that has no row in the store.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoRow {
    pub(crate) name: String,
    /// `flag`, `switch` or `sample`, as the code says.
    #[serde(rename = "type")]
    pub(crate) toggle: ToggleKind,
    /// What django-waffle decides without a row (always `off`).
    pub(crate) default: &'static str,
    /// `toggle_default` of its annotation, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) annotated_default: Option<String>,
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) kind: RefKind,
    pub(crate) via: String,
    /// How many places name it.
    pub(crate) places: usize,
}

/// A name the code builds at run time: every store toggle it matches may be the one read.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Unresolved {
    /// The name with `*` for what is only known at run time (`openresponseassessment.*`).
    pub(crate) pattern: String,
    /// The kind the code reads.
    #[serde(rename = "type")]
    pub(crate) toggle: Option<ToggleKind>,
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) kind: RefKind,
    pub(crate) via: String,
    /// The store toggles it matches: none of them is offered for deletion.
    pub(crate) matches: Vec<String>,
}

/// A store toggle that code reads as another kind than the store keeps it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KindMismatch {
    pub(crate) name: String,
    /// The kinds the store has rows of.
    pub(crate) stored: Vec<&'static str>,
    /// The kinds the code reads it as.
    pub(crate) read_as: Vec<ToggleKind>,
    /// What the code decides today: no row of the kind it reads, so off.
    pub(crate) decides: &'static str,
    pub(crate) why: String,
    pub(crate) path: String,
    pub(crate) line: u32,
}

/// A Django setting that code declares or annotates: not a waffle toggle, no row can change it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SettingToggle {
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) kind: RefKind,
    pub(crate) via: String,
}

/// An annotation that is past its removal date, or temporary without one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Overdue {
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) reason: String,
    pub(crate) target_removal_date: Option<String>,
    pub(crate) use_cases: Vec<String>,
}

/// What `refs` found.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RefsReport {
    pub(crate) paths: Vec<String>,
    pub(crate) files: u64,
    pub(crate) binary_skipped: u64,
    pub(crate) unreadable: u64,
    pub(crate) toggles: Vec<Referenced>,
    pub(crate) unreferenced: Vec<Unreferenced>,
    pub(crate) no_row: Vec<NoRow>,
    pub(crate) overdue: Vec<Overdue>,
    /// Names built at run time, with the store toggles each may be.
    pub(crate) unresolved: Vec<Unresolved>,
    /// Store toggles read as another kind than stored.
    pub(crate) kind_mismatch: Vec<KindMismatch>,
    /// Django settings in code (not waffle toggles).
    pub(crate) settings: Vec<SettingToggle>,
    /// Annotations whose `toggle_name` is not the name of the declaration they document: not
    /// toggles of their own.
    pub(crate) documentation_mismatch: Vec<scan::annotations::Mismatch>,
    /// Packaging copies skipped (`*.egg-info`, `*.dist-info`, `PKG-INFO`).
    pub(crate) packaging_skipped: u64,
    /// Every place code reads a waffle toggle (resolved or pattern), for `stale`'s plans.
    #[serde(skip)]
    pub(crate) code_names: Vec<scan::CodeName>,
}

impl RefsReport {
    /// The `--fail-on` message for `what`, when there is such a finding.
    pub(crate) fn failure(&self, what: FailOn) -> Option<String> {
        match what {
            FailOn::Unreferenced if !self.unreferenced.is_empty() => Some(format!(
                "{} store toggle(s) named by no scanned file",
                self.unreferenced.len()
            )),
            FailOn::Overdue if !self.overdue.is_empty() => {
                Some(format!("{} overdue annotation(s)", self.overdue.len()))
            }
            _ => None,
        }
    }

    /// The summary line on stderr.
    pub(crate) fn status(&self, ctx: &Ctx) {
        let mut s = format!(
            "scanned {} file{}",
            self.files,
            if self.files == 1 { "" } else { "s" }
        );
        if self.binary_skipped > 0 {
            s.push_str(&format!(", skipped {} binary", self.binary_skipped));
        }
        if self.unreadable > 0 {
            s.push_str(&format!(", {} unreadable", self.unreadable));
        }
        if self.packaging_skipped > 0 {
            s.push_str(&format!(
                ", skipped {} packaging cop{}",
                self.packaging_skipped,
                if self.packaging_skipped == 1 {
                    "y"
                } else {
                    "ies"
                }
            ));
        }
        ctx.status(s);
    }
}

fn delete_commands(t: &StoreToggle) -> Vec<String> {
    t.types
        .iter()
        .map(|ty| match *ty {
            "experiment" => format!("wafflectl experiment delete {} --with-flags", t.name),
            "baseplate experiment" => format!("wafflectl experiment delete {}", t.name),
            other => format!("wafflectl {other} delete {}", t.name),
        })
        .collect()
}

/// Why an annotation with this `toggle_target_removal_date` and these `toggle_use_cases` is
/// overdue at `now`, if it is.
pub(crate) fn overdue_reason(
    target_removal_date: Option<&str>,
    use_cases: &[String],
    now: DateTime<Utc>,
) -> Option<String> {
    let date = target_removal_date
        .map(str::trim)
        .filter(|d| !d.is_empty() && !matches!(d.to_lowercase().as_str(), "none" | "n/a" | "na"));
    let temporary = use_cases.iter().any(|u| u == "temporary");
    match date {
        Some(d) => match time::parse_human(d) {
            Ok(t) if t < now => Some(format!("target removal date {d} has passed")),
            Ok(_) => None,
            Err(_) => Some(format!("target removal date '{d}' is not a date")),
        },
        None if temporary => Some("temporary, with no target removal date".into()),
        None => None,
    }
}

/// "a switch", "a flag or a sample"...
fn kinds_text(kinds: &[&str]) -> String {
    let mut s = String::new();
    for (i, k) in kinds.iter().enumerate() {
        if i > 0 {
            s.push_str(if i + 1 == kinds.len() { " or " } else { ", " });
        }
        s.push_str(k);
    }
    s
}

/// The finding when code reads a store toggle only as kinds the store has no row of: the code
/// finds no row, so it decides off, whatever the stored row says.
fn kind_mismatch(t: &Referenced) -> Option<KindMismatch> {
    let stored: Vec<ToggleKind> = t
        .types
        .iter()
        .filter_map(|ty| ToggleKind::of_store_type(ty))
        .collect();
    let reads = |r: &&Reference| {
        r.pattern.is_none()
            && matches!(
                r.kind,
                RefKind::Declaration | RefKind::Call | RefKind::Decorator | RefKind::TemplateTag
            )
            && r.toggle.is_some_and(ToggleKind::is_waffle)
    };
    let mut read_as: Vec<ToggleKind> = t
        .references
        .iter()
        .filter(reads)
        .filter_map(|r| r.toggle)
        .collect();
    read_as.sort();
    read_as.dedup();
    if stored.is_empty() || read_as.is_empty() || read_as.iter().any(|k| stored.contains(k)) {
        return None;
    }
    let first = t.references.iter().find(reads)?;
    let stored_names: Vec<&'static str> = stored.iter().map(|k| k.as_str()).collect();
    let read_names: Vec<&'static str> = read_as.iter().map(|k| k.as_str()).collect();
    Some(KindMismatch {
        name: t.name.clone(),
        stored: t.types.clone(),
        read_as: read_as.clone(),
        decides: "off",
        why: format!(
            "stored as a {}, read as a {}: the code sees no {} row, so off",
            kinds_text(&stored_names),
            kinds_text(&read_names),
            kinds_text(&read_names)
        ),
        path: first.path.clone(),
        line: first.line,
    })
}

/// Scans `paths` for the inventory's toggles and builds the report.
pub(crate) fn build(inv: &Inventory, paths: &[PathBuf], now: DateTime<Utc>) -> Result<RefsReport> {
    let names: Vec<String> = inv.toggles().into_iter().map(|t| t.name).collect();
    let found = scan::scan(paths, &names)?;
    Ok(from_scan(inv, found, paths, now))
}

/// The report of a scan made for the inventory's toggles (`report` builds on it).
pub(crate) fn from_scan(
    inv: &Inventory,
    found: scan::Scan,
    paths: &[PathBuf],
    now: DateTime<Utc>,
) -> RefsReport {
    let toggles = inv.toggles();
    let mut by_name: BTreeMap<&str, Vec<Reference>> = BTreeMap::new();
    for r in &found.references {
        by_name.entry(r.name.as_str()).or_default().push(r.clone());
    }
    let mut referenced = Vec::new();
    let mut unreferenced = Vec::new();
    for t in &toggles {
        match by_name.remove(t.name.as_str()) {
            Some(refs) => referenced.push(Referenced {
                name: t.name.clone(),
                types: t.types.clone(),
                references: refs,
            }),
            None => unreferenced.push(Unreferenced {
                name: t.name.clone(),
                types: t.types.clone(),
                next: delete_commands(t),
            }),
        }
    }
    let known = inv.all_names();
    let mut no_row: BTreeMap<String, NoRow> = BTreeMap::new();
    // each annotation under the name of the declaration it documents (also when its toggle_name
    // spells another name: that name is only a documentation mismatch, never a toggle)
    let annotated: Vec<(&str, &scan::GroupAt)> = found
        .documented
        .iter()
        .map(|d| (d.name.as_str(), &found.groups[d.group]))
        .collect();
    let defaults: BTreeMap<&str, &str> = annotated
        .iter()
        .rev()
        .filter_map(|(name, g)| Some((*name, g.group.text("toggle_default")?)))
        .collect();
    let mut settings = Vec::new();
    for c in &found.code_names {
        let f = &c.found;
        let Some(toggle) = f.toggle else { continue };
        if !toggle.is_waffle() {
            settings.push(SettingToggle {
                name: f.name.clone(),
                path: c.path.clone(),
                line: f.line,
                kind: f.kind,
                via: f.via.clone(),
            });
            continue;
        }
        if known.contains(&f.name) || c.is_pattern() {
            continue;
        }
        no_row
            .entry(f.name.clone())
            .and_modify(|n| {
                n.places += 1;
                // show the most telling place: a declaration before a call, a call before a tag...
                if f.kind < n.kind {
                    n.path = c.path.clone();
                    n.line = f.line;
                    n.kind = f.kind;
                    n.via = f.via.clone();
                    n.toggle = toggle;
                }
            })
            .or_insert_with(|| NoRow {
                name: f.name.clone(),
                toggle,
                default: "off",
                annotated_default: defaults.get(f.name.as_str()).map(|d| d.to_string()),
                path: c.path.clone(),
                line: f.line,
                kind: f.kind,
                via: f.via.clone(),
                places: 1,
            });
    }
    let overdue = annotated
        .iter()
        .filter_map(|(name, g)| {
            let date = g.group.text("toggle_target_removal_date");
            let use_cases = g.group.choices("toggle_use_cases");
            overdue_reason(date, &use_cases, now).map(|reason| Overdue {
                name: name.to_string(),
                path: g.path.clone(),
                line: g.group.name_line(),
                reason,
                target_removal_date: date.map(str::to_string),
                use_cases,
            })
        })
        .collect();
    let unresolved = found
        .code_names
        .iter()
        .filter_map(|c| {
            let p = c.found.pattern.as_ref()?;
            Some(Unresolved {
                pattern: p.text(),
                toggle: c.found.toggle,
                path: c.path.clone(),
                line: c.found.line,
                kind: c.found.kind,
                via: c.found.via.clone(),
                matches: toggles
                    .iter()
                    .filter(|t| p.matches(&t.name))
                    .map(|t| t.name.clone())
                    .collect(),
            })
        })
        .collect();
    let kind_mismatch = referenced.iter().filter_map(kind_mismatch).collect();
    RefsReport {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        files: found.files,
        binary_skipped: found.binary,
        unreadable: found.unreadable,
        toggles: referenced,
        unreferenced,
        no_row: no_row.into_values().collect(),
        overdue,
        unresolved,
        kind_mismatch,
        settings,
        documentation_mismatch: found.mismatches,
        packaging_skipped: found.packaging_skipped,
        code_names: found.code_names,
    }
}

pub(crate) fn run(ctx: &Ctx, a: RefsArgs) -> Result<()> {
    let now = now_arg(ctx, a.now);
    check_fail_on(&a.fail_on, true, "refs")?;
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let store = ctx.store()?;
    let inv = {
        let snap = store.snapshot()?;
        Inventory::load(&snap)?
    };
    let rep = build(&inv, &paths, now)?;
    print(ctx, &rep)?;
    let failures: Vec<String> = a.fail_on.iter().filter_map(|f| rep.failure(*f)).collect();
    fail_on(&failures)
}

fn print(ctx: &Ctx, rep: &RefsReport) -> Result<()> {
    if ctx.json() {
        return output::json(rep);
    }
    if ctx.format == Format::Plain {
        // path:line:name, every place found, for an editor's quickfix list
        let mut seen = HashSet::new();
        let mut lines: Vec<(String, u32, String)> = Vec::new();
        for t in &rep.toggles {
            for r in &t.references {
                lines.push((r.path.clone(), r.line, r.name.clone()));
            }
        }
        for n in &rep.no_row {
            lines.push((n.path.clone(), n.line, n.name.clone()));
        }
        for o in &rep.overdue {
            lines.push((o.path.clone(), o.line, o.name.clone()));
        }
        lines.sort();
        let mut s = String::new();
        for l in lines {
            if seen.insert(l.clone()) {
                s.push_str(&format!("{}:{}:{}\n", l.0, l.1, l.2));
            }
        }
        if !s.is_empty() {
            output::out(&s)?;
        }
        rep.status(ctx);
        return Ok(());
    }
    let mut s = String::new();
    let places: usize = rep.toggles.iter().map(|t| t.references.len()).sum();
    let n = rep.toggles.len();
    let heading = format!(
        "{n} store {} named in code, in {places} {}.\n",
        if n == 1 { "toggle is" } else { "toggles are" },
        if places == 1 { "place" } else { "places" },
    );
    let header = ["TOGGLE", "TYPE", "WHERE", "REFERENCE"];
    section(&mut s, ctx, &heading, &rep.toggles, header, |t, tg| {
        for r in &tg.references {
            let how = describe(r);
            t.row([
                tg.name.clone(),
                tg.types.join(", "),
                format!("{}:{}", r.path, r.line),
                how,
            ]);
        }
    });
    let n = rep.unreferenced.len();
    let heading = format!(
        "\n{n} store {} named in no scanned file: {} configuration can be deleted.\n",
        if n == 1 { "toggle is" } else { "toggles are" },
        if n == 1 { "its" } else { "their" },
    );
    let header = ["TOGGLE", "TYPE", "NEXT STEP"];
    section(&mut s, ctx, &heading, &rep.unreferenced, header, |t, u| {
        t.row([u.name.clone(), u.types.join(", "), u.next.join(" && ")]);
    });
    let n = rep.no_row.len();
    let heading = format!(
        "\n{n} {} in code {} no row in the store: the code default applies.\n",
        if n == 1 { "toggle" } else { "toggles" },
        if n == 1 { "has" } else { "have" },
    );
    let header = ["TOGGLE", "TYPE", "DECIDES", "WHERE", "HOW"];
    section(&mut s, ctx, &heading, &rep.no_row, header, |t, n| {
        let mut decides = format!("{} (no row)", n.default);
        if let Some(d) = &n.annotated_default {
            decides.push_str(&format!("; annotated default {d}"));
        }
        let mut at = format!("{}:{}", n.path, n.line);
        if n.places > 1 {
            at.push_str(&format!(" (+{} more)", n.places - 1));
        }
        t.row([
            n.name.clone(),
            n.toggle.to_string(),
            decides,
            at,
            format!("{} ({})", n.kind.as_str(), n.via),
        ]);
    });
    unresolved_section(&mut s, ctx, &rep.unresolved);
    if !rep.kind_mismatch.is_empty() {
        let n = rep.kind_mismatch.len();
        let heading = format!(
            "\n{n} store {} read by the code as another kind: the code sees no row of the kind it reads.\n",
            if n == 1 { "toggle is" } else { "toggles are" },
        );
        let header = ["TOGGLE", "STORED", "READ AS", "WHERE", "DECIDES"];
        section(&mut s, ctx, &heading, &rep.kind_mismatch, header, |t, m| {
            t.row([
                m.name.clone(),
                m.stored.join(", "),
                m.read_as
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                format!("{}:{}", m.path, m.line),
                format!("{} (no {} row)", m.decides, m.read_as[0]),
            ]);
        });
    }
    if !rep.settings.is_empty() {
        let n = rep.settings.len();
        let heading = format!(
            "\n{n} Django {} in code {} not a waffle toggle: no row decides {}.\n",
            if n == 1 { "setting" } else { "settings" },
            if n == 1 { "is" } else { "are" },
            if n == 1 { "it" } else { "them" },
        );
        let header = ["SETTING", "WHERE", "HOW"];
        section(&mut s, ctx, &heading, &rep.settings, header, |t, x| {
            t.row([
                x.name.clone(),
                format!("{}:{}", x.path, x.line),
                format!("{} ({})", x.kind.as_str(), x.via),
            ]);
        });
    }
    if !rep.documentation_mismatch.is_empty() {
        let n = rep.documentation_mismatch.len();
        let heading = format!(
            "\n{n} {} another name than the declaration {} {}: a documentation mismatch, not a toggle.\n",
            if n == 1 {
                "annotation gives"
            } else {
                "annotations give"
            },
            if n == 1 { "it" } else { "they" },
            if n == 1 { "documents" } else { "document" },
        );
        let header = ["ANNOTATED AS", "DECLARED", "WHERE"];
        section(
            &mut s,
            ctx,
            &heading,
            &rep.documentation_mismatch,
            header,
            |t, m| {
                t.row([
                    m.written.clone(),
                    m.declared.clone(),
                    format!("{}:{}", m.path, m.line),
                ]);
            },
        );
    }
    let n = rep.overdue.len();
    let heading = format!(
        "\n{n} {} overdue.\n",
        if n == 1 {
            "annotation is"
        } else {
            "annotations are"
        },
    );
    let header = ["TOGGLE", "WHERE", "REASON"];
    section(&mut s, ctx, &heading, &rep.overdue, header, |t, o| {
        t.row([
            o.name.clone(),
            format!("{}:{}", o.path, o.line),
            o.reason.clone(),
        ]);
    });
    output::out(&s)?;
    rep.status(ctx);
    Ok(())
}

/// Appends the section of names the code builds at run time (nothing when there are none):
/// `refs` and `report` print the same section.
pub(crate) fn unresolved_section(s: &mut String, ctx: &Ctx, unresolved: &[Unresolved]) {
    if unresolved.is_empty() {
        return;
    }
    let n = unresolved.len();
    let heading = format!(
        "\n{n} {} the code {} at run time: every store toggle {} may be read, and none is offered for deletion.\n",
        if n == 1 { "name" } else { "names" },
        if n == 1 { "builds" } else { "build" },
        if n == 1 { "it matches" } else { "they match" },
    );
    let header = ["PATTERN", "TYPE", "WHERE", "HOW", "MATCHES IN THE STORE"];
    section(s, ctx, &heading, unresolved, header, |t, u| {
        t.row([
            u.pattern.clone(),
            u.toggle.map(|k| k.as_str()).unwrap_or("").to_string(),
            format!("{}:{}", u.path, u.line),
            format!("{} ({})", u.kind.as_str(), u.via),
            if u.matches.is_empty() {
                "none".into()
            } else {
                u.matches.join(", ")
            },
        ]);
    });
}

/// How a place names a toggle: `declaration (CourseWaffleFlag) as FLAG`, `call
/// (switch_is_active) builds ns.*`.
pub(crate) fn describe(r: &Reference) -> String {
    let mut how = r.kind.as_str().to_string();
    if let Some(v) = &r.via {
        how.push_str(&format!(" ({v})"));
    }
    if let Some(v) = &r.variable {
        how.push_str(&format!(" as {v}"));
    }
    if let Some(p) = &r.pattern {
        how.push_str(&format!(" builds {p} at run time"));
    }
    how
}

/// Appends one section of the text report: `heading`, then `  none` when it has no items, else
/// a table with `header` to which `add` puts the rows of each item.
fn section<T, const N: usize>(
    s: &mut String,
    ctx: &Ctx,
    heading: &str,
    items: &[T],
    header: [&str; N],
    mut add: impl FnMut(&mut Table, &T),
) {
    s.push_str(heading);
    if items.is_empty() {
        s.push_str("  none\n");
        return;
    }
    let mut t = Table::new(header);
    for i in items {
        add(&mut t, i);
    }
    s.push_str(&t.render(ctx.format, ctx.color));
}

/// Fails (exit 1) with the `--fail-on` conditions that hold, if any.
pub(crate) fn fail_on(failures: &[String]) -> Result<()> {
    if !failures.is_empty() {
        return Err(Error::runtime(format!(
            "{} (--fail-on)",
            failures.join("; ")
        )));
    }
    Ok(())
}
