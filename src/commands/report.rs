//! `wafflectl report [PATH...]`: the toggle report — one row per toggle known from code, Open edX
//! toggle annotations or the store, with the annotation's fields, the store's state, where the
//! code reads it, and findings. What Open edX builds from annotation reports and a state dump.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::refs::{self, RefsReport, Unresolved, overdue_reason};
use super::removal::{Inventory, now_arg};
use crate::cli::ReportArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::{self, Format, Table, tri};
use crate::scan::{self, GroupAt, RefKind, ToggleKind, annotations};
use crate::store::edx::{self, Scope};

/// An annotation group as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnnotationInfo {
    /// The `toggle_name` as written (None when the group has none).
    pub(crate) name: Option<String>,
    pub(crate) path: String,
    /// Where the comment starts (the line `code_annotations` reports).
    pub(crate) line: u32,
    /// `toggle_implementation` values.
    pub(crate) implementation: Vec<String>,
    pub(crate) default: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) use_cases: Vec<String>,
    pub(crate) creation_date: Option<String>,
    pub(crate) target_removal_date: Option<String>,
    /// The resolved name of the declaration the annotation documents, when one follows it.
    pub(crate) documents: Option<String>,
    /// What `code_annotations` linting says of the group.
    pub(crate) errors: Vec<String>,
}

impl AnnotationInfo {
    fn new(g: &GroupAt, documents: Option<String>) -> AnnotationInfo {
        let a = &g.group;
        let text = |k: &str| a.text(k).map(str::to_string);
        AnnotationInfo {
            name: a.name().map(str::to_string),
            path: g.path.clone(),
            line: a.line,
            implementation: a.choices("toggle_implementation"),
            default: text("toggle_default"),
            description: text("toggle_description").map(|d| one_line(&d)),
            use_cases: a.choices("toggle_use_cases"),
            creation_date: text("toggle_creation_date"),
            target_removal_date: text("toggle_target_removal_date"),
            documents,
            errors: a.errors.clone(),
        }
    }

    /// The kind of toggle the annotation describes.
    fn toggle(&self) -> Option<ToggleKind> {
        annotations::kind_of(
            self.name.as_deref(),
            self.implementation.first().map(String::as_str),
        )
    }
}

/// A multi-line annotation value on one line (inner indentation collapsed).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The store's state of a toggle.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct StoreState {
    /// `flag`, `switch`, `sample`, `experiment`, `baseplate experiment` (a name may be several).
    pub(crate) types: Vec<&'static str>,
    /// A flag's (or an experiment's main flag's) `everyone`: `on`, `off` or `unset`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) everyone: Option<&'static str>,
    /// A flag's or a sample's percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) percent: Option<String>,
    /// A flag's other criteria (`staff, superusers`...), `-` for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) criteria: Option<String>,
    /// A switch's `active`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) active: Option<bool>,
    /// Course and org overrides in force.
    pub(crate) course_overrides: usize,
    pub(crate) org_overrides: usize,
    /// The edX experiment's ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) experiment_id: Option<i64>,
}

impl StoreState {
    fn summary(&self) -> String {
        let mut s: Vec<String> = Vec::new();
        if let Some(e) = self.everyone {
            s.push(format!("everyone {e}"));
        }
        if let Some(p) = &self.percent {
            s.push(format!("percent {p}"));
        }
        if let Some(c) = self.criteria.as_deref().filter(|c| *c != "-") {
            s.push(c.to_string());
        }
        if let Some(a) = self.active {
            s.push(if a { "active" } else { "inactive" }.into());
        }
        if let Some(id) = self.experiment_id {
            s.push(format!("experiment id {id}"));
        }
        format!("{}: {}", self.types.join(", "), s.join(", "))
    }
}

/// A place where the code reads a toggle.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Place {
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) kind: RefKind,
    pub(crate) via: String,
    /// Set when the code builds the name at run time: the pattern that matches this toggle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pattern: Option<String>,
}

/// Something the report says about a toggle.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Finding {
    /// `expired`, `temporary_without_date`, `bad_removal_date`, `kind_mismatch`,
    /// `documentation_mismatch`, `invalid_annotation`, `no_annotation`, `no_row`,
    /// `possibly_read`, `only_in_store`.
    pub(crate) finding: &'static str,
    pub(crate) message: String,
}

/// One toggle of the report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub(crate) name: String,
    /// What the toggle is: what the code reads, else what the annotation says, else the store's
    /// type (`flag`, `switch`, `sample`, `experiment`, `setting`, `configuration model`...).
    pub(crate) kind: String,
    /// What the code reads (`flag`, `switch`, `sample`, `setting`), when it reads it.
    pub(crate) code_kind: Option<ToggleKind>,
    pub(crate) annotation: Option<AnnotationInfo>,
    pub(crate) store: Option<StoreState>,
    pub(crate) places: Vec<Place>,
    pub(crate) findings: Vec<Finding>,
}

/// What `report` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    #[serde(serialize_with = "ser_now")]
    pub(crate) now: DateTime<Utc>,
    pub(crate) paths: Vec<String>,
    pub(crate) files: u64,
    pub(crate) toggles: Vec<Row>,
    /// Every annotation group found, as `code_annotations` reads it.
    pub(crate) annotations: Vec<AnnotationInfo>,
    /// Declarations and checks whose name is built at run time, as patterns.
    pub(crate) unresolved: Vec<Unresolved>,
}

fn ser_now<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&crate::time::to_json(t))
}

/// The override counts in force, by flag name: (course, org).
pub(crate) type OverrideCounts = HashMap<String, (usize, usize)>;

fn store_state(inv: &Inventory, overrides: &OverrideCounts, name: &str) -> Option<StoreState> {
    let mut st = StoreState::default();
    if let Some(f) = inv.flags.iter().find(|f| f.name == name) {
        st.everyone = Some(tri(f.everyone));
        st.percent = f.percent.map(|p| p.to_string());
        st.criteria = Some(super::flag::criteria(f));
    }
    if let Some(e) = inv.experiments.iter().find(|e| e.name == name) {
        st.types.push("experiment");
        st.experiment_id = e.experiment_id;
    } else if inv.flags.iter().any(|f| f.name == name) {
        st.types.push("flag");
    }
    if let Some(s) = inv.switches.iter().find(|s| s.name == name) {
        st.types.push("switch");
        st.active = Some(s.active);
    }
    if let Some(s) = inv.samples.iter().find(|s| s.name == name) {
        st.types.push("sample");
        st.percent = Some(s.percent.to_string());
    }
    if inv.baseplate.iter().any(|b| b.key == name) {
        st.types.push("baseplate experiment");
    }
    let (c, o) = overrides.get(name).copied().unwrap_or_default();
    st.course_overrides = c;
    st.org_overrides = o;
    (!st.types.is_empty()).then_some(st)
}

/// Builds the report from the annotation groups of a scan, `refs`' report of the same scan and
/// the store's inventory (no I/O).
pub(crate) fn build(
    inv: &Inventory,
    overrides: &OverrideCounts,
    groups: &[GroupAt],
    refs: &RefsReport,
    now: DateTime<Utc>,
) -> Report {
    #[derive(Default)]
    struct Acc {
        code_kind: Option<ToggleKind>,
        places: Vec<Place>,
        annotation: Option<AnnotationInfo>,
        written_as: Option<String>,
    }
    let mut rows: BTreeMap<String, Acc> = BTreeMap::new();
    for c in &refs.code_names {
        let f = &c.found;
        // annotations are read below, as code_annotations reads them
        if !f.kind.reads() {
            continue;
        }
        if f.pattern.is_some() {
            // listed with the store toggles it matches in `refs.unresolved`
            continue;
        }
        let Some(kind) = f.toggle else {
            continue;
        };
        let acc = rows.entry(f.name.clone()).or_default();
        // a declaration says what the code reads; otherwise the first check does
        if acc.code_kind.is_none() || f.kind == RefKind::Declaration {
            acc.code_kind = Some(kind);
        }
        acc.places.push(Place {
            path: c.path.clone(),
            line: f.line,
            kind: f.kind,
            via: f.via.clone(),
            pattern: None,
        });
    }
    let mut annotations = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let documents = annotations::declaration_of(groups, i, &refs.code_names)
            .and_then(|_| annotations::documented_name(groups, i, &refs.code_names));
        let info = AnnotationInfo::new(g, documents.clone());
        annotations.push(info.clone());
        let Some(name) = documents.or_else(|| info.name.clone()) else {
            continue;
        };
        let acc = rows.entry(name).or_default();
        if acc.annotation.is_none() {
            acc.written_as = info.name.clone();
            acc.annotation = Some(info);
        }
    }
    for t in inv.toggles() {
        rows.entry(t.name).or_default();
    }
    // a name built at run time may be any store toggle it matches
    for u in &refs.unresolved {
        for name in &u.matches {
            if let Some(acc) = rows.get_mut(name) {
                acc.places.push(Place {
                    path: u.path.clone(),
                    line: u.line,
                    kind: u.kind,
                    via: u.via.clone(),
                    pattern: Some(u.pattern.clone()),
                });
            }
        }
    }
    let mismatch: HashMap<&str, &str> = refs
        .kind_mismatch
        .iter()
        .map(|m| (m.name.as_str(), m.why.as_str()))
        .collect();
    let toggles = rows
        .into_iter()
        .map(|(name, acc)| {
            let store = store_state(inv, overrides, &name);
            let annotated_kind = acc.annotation.as_ref().and_then(AnnotationInfo::toggle);
            // an edX experiment is read through its main flag
            let experiment = store
                .as_ref()
                .is_some_and(|s| s.types.contains(&"experiment"))
                && matches!(acc.code_kind, Some(ToggleKind::Flag) | None);
            let kind = (if experiment { Some("experiment") } else { None })
                .or(acc.code_kind.map(ToggleKind::as_str))
                .or(annotated_kind.map(ToggleKind::as_str))
                .map(str::to_string)
                .or_else(|| {
                    acc.annotation
                        .as_ref()
                        .and_then(|a| a.implementation.first().cloned())
                })
                .or_else(|| store.as_ref().map(|s| s.types.join(", ")))
                .unwrap_or_else(|| "unknown".into());
            let mut findings = Vec::new();
            let resolved_reads = acc.places.iter().filter(|p| p.pattern.is_none()).count();
            let read = !acc.places.is_empty();
            if let Some(a) = &acc.annotation {
                if let Some(written) = acc.written_as.as_deref().filter(|w| *w != name) {
                    findings.push(Finding {
                        finding: "documentation_mismatch",
                        message: format!(
                            "the annotation at {}:{} names {written}, the code it documents declares {name}",
                            a.path, a.line
                        ),
                    });
                }
                if !a.errors.is_empty() {
                    findings.push(Finding {
                        finding: "invalid_annotation",
                        message: a.errors.join("; "),
                    });
                }
                if let Some(reason) =
                    overdue_reason(a.target_removal_date.as_deref(), &a.use_cases, now)
                {
                    let dated = a.target_removal_date.is_some();
                    let parsed = crate::time::parse_human(
                        a.target_removal_date.as_deref().unwrap_or_default(),
                    )
                    .is_ok();
                    let finding = match (dated, parsed) {
                        (false, _) => Some("temporary_without_date"),
                        (true, true) if read => Some("expired"),
                        (true, true) => None,
                        (true, false) => Some("bad_removal_date"),
                    };
                    if let Some(finding) = finding {
                        let message = if finding == "expired" {
                            format!("{reason}, and the code still reads it")
                        } else {
                            reason
                        };
                        findings.push(Finding { finding, message });
                    }
                }
            }
            let waffle = matches!(kind.as_str(), "flag" | "switch" | "sample");
            if let Some(why) = mismatch.get(name.as_str()) {
                findings.push(Finding {
                    finding: "kind_mismatch",
                    message: why.to_string(),
                });
            }
            if resolved_reads == 0 && read {
                let built: Vec<String> = acc
                    .places
                    .iter()
                    .filter_map(|p| {
                        let pat = p.pattern.as_ref()?;
                        Some(format!("{pat} at {}:{}", p.path, p.line))
                    })
                    .collect();
                findings.push(Finding {
                    finding: "possibly_read",
                    message: format!(
                        "the code builds a name at run time that matches it ({}): it may be read",
                        built.join(", ")
                    ),
                });
            }
            if resolved_reads > 0 && acc.annotation.is_none() {
                findings.push(Finding {
                    finding: "no_annotation",
                    message: "the code reads it, no toggle annotation documents it".into(),
                });
            }
            if store.is_none() && waffle && (read || annotated_kind.is_some()) {
                findings.push(Finding {
                    finding: "no_row",
                    message: "no row in the store: the code default applies (off)".into(),
                });
            }
            let misnamed = refs
                .documentation_mismatch
                .iter()
                .find(|m| m.written == name);
            if let Some(m) = misnamed.filter(|_| acc.annotation.is_none()) {
                // a store row under the annotation's spelling: documentation, not a toggle
                findings.push(Finding {
                    finding: "documentation_mismatch",
                    message: format!(
                        "the annotation at {}:{} names {name}, the code it documents declares {}",
                        m.path, m.line, m.declared
                    ),
                });
            }
            if store.is_some() && !read && acc.annotation.is_none() && misnamed.is_none() {
                findings.push(Finding {
                    finding: "only_in_store",
                    message: "no scanned code reads it and no annotation documents it".into(),
                });
            }
            Row {
                name,
                kind,
                code_kind: acc.code_kind,
                annotation: acc.annotation,
                store,
                places: acc.places,
                findings,
            }
        })
        .collect();
    Report {
        now,
        paths: refs.paths.clone(),
        files: refs.files,
        toggles,
        annotations,
        unresolved: refs.unresolved.clone(),
    }
}

/// Override rows in force, counted by flag.
fn override_counts(conn: &crate::store::Reader) -> Result<OverrideCounts> {
    let mut counts: OverrideCounts = HashMap::new();
    for (scope, course) in [(Scope::Course, true), (Scope::Org, false)] {
        for r in edx::current_rows(conn, scope, None)? {
            if r.effective().is_none() {
                continue;
            }
            let c = counts.entry(r.flag.clone()).or_default();
            if course {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    }
    Ok(counts)
}

pub(crate) fn run(ctx: &Ctx, a: ReportArgs) -> Result<()> {
    let now = now_arg(ctx, a.now);
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let store = ctx.store()?;
    let (inv, overrides) = {
        let snap = store.snapshot()?;
        (Inventory::load(&snap)?, override_counts(&snap)?)
    };
    let names: Vec<String> = inv.toggles().into_iter().map(|t| t.name).collect();
    let found = scan::scan(&paths, &names)?;
    let groups = found.groups.clone();
    let refs = refs::from_scan(&inv, found, &paths, now);
    let rep = build(&inv, &overrides, &groups, &refs, now);
    print(ctx, &rep)
}

/// `path:line`, and the pattern when the code builds the name at run time.
fn place(p: &Place) -> String {
    match &p.pattern {
        Some(pat) => format!("{}:{} (pattern {pat})", p.path, p.line),
        None => format!("{}:{}", p.path, p.line),
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn print(ctx: &Ctx, rep: &Report) -> Result<()> {
    if ctx.json() {
        return output::json(rep);
    }
    let places = |r: &Row| -> String { r.places.iter().map(place).collect::<Vec<_>>().join(" ") };
    let findings = |r: &Row| -> String {
        r.findings
            .iter()
            .map(|f| f.finding.replace('_', " "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let t = if matches!(ctx.format, Format::Table) {
        // for people: a few columns; the full record is in the other formats
        let mut t = Table::new([
            "TOGGLE", "KIND", "DEFAULT", "STORE", "REMOVAL", "WHERE", "FINDINGS",
        ]);
        for r in &rep.toggles {
            let a = r.annotation.as_ref();
            let mut at: Vec<String> = r.places.iter().take(1).map(place).collect();
            if r.places.len() > 1 {
                at.push(format!("(+{} more)", r.places.len() - 1));
            }
            t.row([
                r.name.clone(),
                r.kind.clone(),
                a.map(|a| opt(&a.default)).unwrap_or_default(),
                r.store
                    .as_ref()
                    .map(StoreState::summary)
                    .unwrap_or_else(|| "no row".into()),
                a.map(|a| opt(&a.target_removal_date)).unwrap_or_default(),
                at.join(" "),
                findings(r),
            ]);
        }
        t
    } else {
        let mut t = Table::new([
            "name",
            "kind",
            "implementation",
            "default",
            "description",
            "use_cases",
            "creation_date",
            "target_removal_date",
            "store",
            "everyone",
            "percent",
            "criteria",
            "active",
            "course_overrides",
            "org_overrides",
            "experiment_id",
            "places",
            "findings",
        ]);
        for r in &rep.toggles {
            let a = r.annotation.as_ref();
            let s = r.store.as_ref();
            let field = |f: &dyn Fn(&AnnotationInfo) -> String| a.map(f).unwrap_or_default();
            t.row([
                r.name.clone(),
                r.kind.clone(),
                field(&|a| a.implementation.join(" ")),
                field(&|a| opt(&a.default)),
                field(&|a| opt(&a.description)),
                field(&|a| a.use_cases.join(" ")),
                field(&|a| opt(&a.creation_date)),
                field(&|a| opt(&a.target_removal_date)),
                s.map(|s| s.types.join(" ")).unwrap_or_default(),
                s.and_then(|s| s.everyone).unwrap_or_default().to_string(),
                s.and_then(|s| s.percent.clone()).unwrap_or_default(),
                s.and_then(|s| s.criteria.clone()).unwrap_or_default(),
                s.and_then(|s| s.active)
                    .map(|a| output::yes_no(a).to_string())
                    .unwrap_or_default(),
                s.map(|s| s.course_overrides.to_string())
                    .unwrap_or_default(),
                s.map(|s| s.org_overrides.to_string()).unwrap_or_default(),
                s.and_then(|s| s.experiment_id)
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                places(r),
                findings(r),
            ]);
        }
        t
    };
    t.print(ctx.format, ctx.color)?;
    if matches!(ctx.format, Format::Table) {
        let mut s = String::new();
        refs::unresolved_section(&mut s, ctx, &rep.unresolved);
        if !s.is_empty() {
            output::out(&s)?;
        }
    }
    ctx.status(format!(
        "{} toggle{}, {} annotation{}; scanned {} file{}",
        rep.toggles.len(),
        if rep.toggles.len() == 1 { "" } else { "s" },
        rep.annotations.len(),
        if rep.annotations.len() == 1 { "" } else { "s" },
        rep.files,
        if rep.files == 1 { "" } else { "s" }
    ));
    Ok(())
}
