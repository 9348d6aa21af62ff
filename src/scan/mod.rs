//! Scanning source trees for toggle names (`wafflectl refs`, `wafflectl stale --refs`).
//!
//! Built from the crates ripgrep is made of: `ignore` walks the trees in parallel honouring
//! `.gitignore`, `.ignore` and hidden files (also outside a git repository), and one
//! `aho-corasick` automaton finds every store name and every construct that can declare a toggle
//! in a single pass over each file. Files with a NUL byte are binary and skipped. Only files with
//! a hit are looked at further ([`recognise`]).

pub mod annotations;
pub mod recognise;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, Input, MatchKind};
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use serde::Serialize;

use crate::error::{Error, Result};
pub use recognise::{Annotation, Found, RefKind, TRIGGERS};

/// A place in code that names a toggle of the store.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Reference {
    pub path: String,
    pub line: u32,
    pub name: String,
    pub kind: RefKind,
    /// The constructor, call or tag (`CourseWaffleFlag`, `flag_is_active`...), when recognised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The variable a declaration is assigned to: uses of it are references too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
}

/// A toggle that code declares, checks or annotates (whether or not the store has it).
#[derive(Debug, Clone)]
pub struct CodeName {
    pub path: String,
    pub found: Found,
}

/// An annotation block and where it is.
#[derive(Debug, Clone)]
pub struct AnnotationAt {
    pub path: String,
    pub annotation: Annotation,
}

/// An annotation group as Open edX's `code_annotations` reads it ([`annotations`]), and where.
#[derive(Debug, Clone)]
pub struct GroupAt {
    pub path: String,
    pub group: annotations::Group,
}

/// What a scan found, sorted by path and line.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: u64,
    pub binary: u64,
    pub unreadable: u64,
    pub references: Vec<Reference>,
    pub code_names: Vec<CodeName>,
    pub annotations: Vec<AnnotationAt>,
    /// Annotation groups in `*.py`/`*.js` comments ([`annotations::parse`]).
    pub groups: Vec<GroupAt>,
}

impl Scan {
    fn merge(&mut self, other: Scan) {
        self.files += other.files;
        self.binary += other.binary;
        self.unreadable += other.unreadable;
        self.references.extend(other.references);
        self.code_names.extend(other.code_names);
        self.annotations.extend(other.annotations);
        self.groups.extend(other.groups);
    }
}

struct Searcher {
    ac: AhoCorasick,
    names: Vec<String>,
    index: HashMap<String, usize>,
}

/// `./x/y.py` → `x/y.py` (as ripgrep prints paths under the current folder).
fn display(path: &Path) -> String {
    let p = path.strip_prefix("./").unwrap_or(path);
    p.to_string_lossy().into_owned()
}

impl Searcher {
    fn search(&self, path: &Path, buf: &[u8], out: &mut Scan) {
        if memchr::memchr(0, buf).is_some() {
            out.binary += 1;
            return;
        }
        let n = self.names.len();
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        let mut triggers: Vec<(usize, usize)> = Vec::new();
        let mut pos = 0;
        while pos < buf.len() {
            let Some(m) = self.ac.find(Input::new(buf).span(pos..buf.len())) else {
                break;
            };
            if m.pattern().as_usize() >= n {
                triggers.push((m.start(), m.pattern().as_usize() - n));
                pos = m.start() + 1;
            } else if recognise::whole_name(buf, m.start(), m.end()) {
                hits.push((m.start(), m.end(), m.pattern().as_usize()));
                pos = m.end();
            } else {
                pos = m.start() + 1;
            }
        }
        if hits.is_empty() && triggers.is_empty() {
            return;
        }
        let shown = display(path);
        let lines = recognise::Lines::new(buf);
        // (line, name index) → reference
        let mut refs: HashMap<(u32, usize), Reference> = HashMap::new();
        for (start, end, id) in hits {
            let line = lines.line_of(start);
            let (text, line_start) = lines.line_at_bytes(buf, start);
            let kind = recognise::mention_kind(text, start - line_start, end - start);
            refs.entry((line, id)).or_insert_with(|| Reference {
                path: shown.clone(),
                line,
                name: self.names[id].clone(),
                kind,
                via: None,
                variable: None,
            });
        }
        if !triggers.is_empty() {
            let text = String::from_utf8_lossy(buf);
            let facts = if matches!(text, std::borrow::Cow::Borrowed(_)) {
                recognise::recognise_at(&text, &triggers)
            } else {
                // invalid UTF-8 was replaced, so byte offsets moved: find the triggers again
                recognise::recognise(&text)
            };
            for f in facts.found {
                if let Some(&id) = self.index.get(&f.name) {
                    let r = refs.entry((f.line, id)).or_insert_with(|| Reference {
                        path: shown.clone(),
                        line: f.line,
                        name: f.name.clone(),
                        kind: f.kind,
                        via: None,
                        variable: None,
                    });
                    if f.kind < r.kind || r.via.is_none() {
                        r.kind = r.kind.min(f.kind);
                        r.via = Some(f.via.clone());
                        r.variable = f.variable.clone().or(r.variable.take());
                    }
                }
                out.code_names.push(CodeName {
                    path: shown.clone(),
                    found: f,
                });
            }
            if let Some(lang) = annotations::language(path) {
                out.groups
                    .extend(
                        annotations::parse(&text, lang)
                            .into_iter()
                            .map(|group| GroupAt {
                                path: shown.clone(),
                                group,
                            }),
                    );
            }
            for a in facts.annotations {
                out.annotations.push(AnnotationAt {
                    path: shown.clone(),
                    annotation: a,
                });
            }
        }
        out.references.extend(refs.into_values());
    }
}

struct Visitor<'s> {
    searcher: &'s Searcher,
    buf: Vec<u8>,
    local: Scan,
    shared: Arc<Mutex<Vec<Scan>>>,
}

impl ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: std::result::Result<DirEntry, ignore::Error>) -> WalkState {
        let entry = match entry {
            Ok(e) => e,
            Err(_) => {
                self.local.unreadable += 1;
                return WalkState::Continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            return WalkState::Continue;
        }
        self.buf.clear();
        let read = std::fs::File::open(entry.path()).and_then(|mut f| f.read_to_end(&mut self.buf));
        if read.is_err() {
            self.local.unreadable += 1;
            return WalkState::Continue;
        }
        self.local.files += 1;
        self.searcher
            .search(entry.path(), &self.buf, &mut self.local);
        WalkState::Continue
    }
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        if let Ok(mut v) = self.shared.lock() {
            v.push(local);
        }
    }
}

struct Builder<'s> {
    searcher: &'s Searcher,
    shared: Arc<Mutex<Vec<Scan>>>,
}

impl<'s> ParallelVisitorBuilder<'s> for Builder<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Visitor {
            searcher: self.searcher,
            buf: Vec::with_capacity(1 << 16),
            local: Scan::default(),
            shared: Arc::clone(&self.shared),
        })
    }
}

/// Scans `paths` for the store's `names` and for toggles that code declares.
pub fn scan(paths: &[PathBuf], names: &[String]) -> Result<Scan> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(
                Error::usage(format!("no such file or folder: {}", p.display()))
                    .with_hint("pass the source trees to scan, e.g. wafflectl refs src/"),
            );
        }
    }
    let names: Vec<String> = {
        let mut v: Vec<String> = names.iter().filter(|n| !n.is_empty()).cloned().collect();
        v.sort();
        v.dedup();
        v
    };
    let patterns = names
        .iter()
        .map(String::as_str)
        .chain(TRIGGERS.iter().copied());
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(patterns)
        .map_err(|e| Error::runtime(format!("cannot build the name automaton: {e}")))?;
    let index = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    let searcher = Searcher { ac, names, index };
    let mut walk = WalkBuilder::new(&paths[0]);
    for p in &paths[1..] {
        walk.add(p);
    }
    walk.require_git(false);
    let shared = Arc::new(Mutex::new(Vec::new()));
    walk.build_parallel().visit(&mut Builder {
        searcher: &searcher,
        shared: Arc::clone(&shared),
    });
    let parts = std::mem::take(&mut *shared.lock().map_err(|_| Error::runtime("scan failed"))?);
    let mut scan = Scan::default();
    for p in parts {
        scan.merge(p);
    }
    scan.references
        .sort_by(|a, b| (&a.path, a.line, &a.name).cmp(&(&b.path, b.line, &b.name)));
    scan.code_names.sort_by(|a, b| {
        (&a.path, a.found.line, &a.found.name).cmp(&(&b.path, b.found.line, &b.found.name))
    });
    scan.annotations
        .sort_by(|a, b| (&a.path, a.annotation.line).cmp(&(&b.path, b.annotation.line)));
    scan.groups
        .sort_by(|a, b| (&a.path, a.group.line).cmp(&(&b.path, b.group.line)));
    Ok(scan)
}
