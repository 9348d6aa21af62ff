//! Scanning source trees for toggle names (`wafflectl refs`, `wafflectl stale --refs`).
//!
//! Built from the crates ripgrep is made of: `ignore` walks the trees in parallel honouring
//! `.gitignore`, `.ignore` and hidden files (also outside a git repository), and one
//! `aho-corasick` automaton finds every store name and every construct that can declare a toggle
//! in a single pass over each file. Files with a NUL byte are binary and skipped, and so are
//! packaging copies (`*.egg-info`, `*.dist-info`, `PKG-INFO`); prose (`.rst`, `.md`, `.txt`) is
//! searched for names only. Only files with a hit are looked at further ([`recognise`]).
//!
//! The reference model, for every command that reads code:
//! - [`names`]: the kind of toggle code reads ([`ToggleKind`]), and names as Python builds them
//!   ([`names::Expr`] → [`names::Name`]: resolved, or a [`names::Pattern`] with `*` for what is
//!   only known at run time);
//! - [`resolve`]: looking names up in a file and across the scanned tree (constants, class
//!   attributes, imports);
//! - [`recognise`]: declarations, calls, tags and settings of one file ([`Found`]: resolved name
//!   or pattern, [`RefKind`], [`ToggleKind`]);
//! - [`annotations`]: Open edX toggle annotations, read as `code_annotations` reads them and
//!   attached to the declarations they document (the one reader of annotations);
//! - [`scan()`]: the [`Scan`] of trees, whose [`Reference`]s name store toggles (literally, through
//!   constants, or through a pattern) and whose `code_names` are every toggle the code reads.

pub mod annotations;
pub mod names;
pub mod recognise;
pub mod resolve;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, Input, MatchKind};
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use serde::Serialize;

use crate::error::{Error, Result};
pub use names::ToggleKind;
pub use recognise::{Found, RefKind, TRIGGERS};

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
    /// The kind of toggle the code reads here, when the place says (declaration, call, tag,
    /// annotation); None for a plain mention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toggle: Option<ToggleKind>,
    /// Set when the code builds the name at run time: the pattern (`ns.*`) this name matches.
    /// The place may read the toggle, or another one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Reference {
    fn from_found(path: &str, f: &Found, name: &str) -> Reference {
        Reference {
            path: path.to_string(),
            line: f.line,
            name: name.to_string(),
            kind: f.kind,
            via: Some(f.via.clone()),
            variable: f.variable.clone(),
            toggle: f.toggle,
            pattern: f.pattern.as_ref().map(|p| p.text()),
        }
    }
}

/// A toggle that code declares, checks or annotates (whether or not the store has it).
#[derive(Debug, Clone)]
pub struct CodeName {
    pub path: String,
    pub found: Found,
}

/// An annotation group as Open edX's `code_annotations` reads it ([`annotations`]), and where.
#[derive(Debug, Clone)]
pub struct GroupAt {
    pub path: String,
    pub group: annotations::Group,
}

/// What a scan found, sorted by path and line.
///
/// `references` are the places that name a store toggle: literally, through a name the code
/// builds from constants (also across files), or (with [`Reference::pattern`]) through a name
/// built at run time that matches it. `code_names` are every toggle the code declares, checks or
/// annotates, resolved or as patterns, with the kind it reads; an annotation counts under the name
/// of the declaration it documents ([`annotations::attach`]), and one whose `toggle_name` differs
/// from that name is only a documentation mismatch (`mismatches`).
#[derive(Debug, Default)]
pub struct Scan {
    pub files: u64,
    pub binary: u64,
    pub unreadable: u64,
    /// Packaging copies skipped (`*.egg-info`, `*.dist-info`, `PKG-INFO`).
    pub packaging_skipped: u64,
    pub references: Vec<Reference>,
    pub code_names: Vec<CodeName>,
    /// Annotation groups in `*.py`/`*.js` comments ([`annotations::parse`]).
    pub groups: Vec<GroupAt>,
    /// The groups that document a toggle, with its name.
    pub documented: Vec<annotations::Documents>,
    /// Annotations whose `toggle_name` is not the name of the declaration they document.
    pub mismatches: Vec<annotations::Mismatch>,
    /// Python files seen (where imports may lead).
    py_files: Vec<PathBuf>,
    /// Files with a name imported from another module, to read again with the whole tree.
    pending: Vec<PathBuf>,
}

impl CodeName {
    /// Whether the code reads a name built at run time here.
    pub fn is_pattern(&self) -> bool {
        self.found.pattern.is_some()
    }
}

impl Scan {
    fn merge(&mut self, other: Scan) {
        self.files += other.files;
        self.binary += other.binary;
        self.unreadable += other.unreadable;
        self.packaging_skipped += other.packaging_skipped;
        self.py_files.extend(other.py_files);
        self.pending.extend(other.pending);
        self.references.extend(other.references);
        self.code_names.extend(other.code_names);
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

/// Whether a file is prose (`.rst`, `.md`, `.txt`): what it names is documentation.
fn is_prose(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["rst", "md", "txt", "markdown"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Whether an entry is a packaging copy of sources (skipped by default).
fn is_packaging(entry: &DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        name.ends_with(".egg-info") || name.ends_with(".dist-info")
    } else {
        name == "PKG-INFO"
    }
}

impl Searcher {
    fn search(&self, path: &Path, buf: &[u8], out: &mut Scan) {
        if memchr::memchr(0, buf).is_some() {
            out.binary += 1;
            return;
        }
        if path.extension().is_some_and(|e| e == "py") {
            out.py_files.push(path.to_path_buf());
        }
        let prose = is_prose(path);
        let n = self.names.len();
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        let mut triggers: Vec<(usize, usize)> = Vec::new();
        let mut pos = 0;
        while pos < buf.len() {
            let Some(m) = self.ac.find(Input::new(buf).span(pos..buf.len())) else {
                break;
            };
            if m.pattern().as_usize() >= n {
                if !prose {
                    triggers.push((m.start(), m.pattern().as_usize() - n));
                }
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
            let kind = if prose {
                RefKind::Documentation
            } else {
                let (text, line_start) = lines.line_at_bytes(buf, start);
                recognise::mention_kind(text, start - line_start, end - start)
            };
            refs.entry((line, id)).or_insert_with(|| Reference {
                path: shown.clone(),
                line,
                name: self.names[id].clone(),
                kind,
                via: None,
                variable: None,
                toggle: None,
                pattern: None,
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
            if facts.pending {
                out.pending.push(path.to_path_buf());
            }
            self.add_facts(&shown, facts, &mut refs, out);
        }
        out.references.extend(refs.into_values());
    }

    /// Adds what was recognised in the file shown as `shown`: its references to store toggles
    /// (merged into `refs`) and code names.
    fn add_facts(
        &self,
        shown: &str,
        facts: recognise::FileFacts,
        refs: &mut HashMap<(u32, usize), Reference>,
        out: &mut Scan,
    ) {
        for f in facts.found {
            if f.pattern.is_none()
                && let Some(&id) = self.index.get(&f.name)
            {
                let r = refs
                    .entry((f.line, id))
                    .or_insert_with(|| Reference::from_found(shown, &f, &f.name));
                if f.kind < r.kind || r.via.is_none() {
                    r.kind = r.kind.min(f.kind);
                    r.via = Some(f.via.clone());
                    r.variable = f.variable.clone().or(r.variable.take());
                    r.toggle = f.toggle.or(r.toggle);
                }
            }
            out.code_names.push(CodeName {
                path: shown.to_string(),
                found: f,
            });
        }
    }

    /// Reads again the files whose names come from imports, now following the imports into the
    /// scanned tree, and replaces what the first pass found in them.
    fn resolve_imports(&self, scan: &mut Scan) {
        let mut pending = std::mem::take(&mut scan.pending);
        if pending.is_empty() {
            return;
        }
        pending.sort();
        pending.dedup();
        let mut tree = resolve::Tree::new(std::mem::take(&mut scan.py_files));
        for path in pending {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let hits = recognise::triggers(&text);
            let facts = recognise::recognise_in(&text, &hits, Some(&path), Some(&mut tree));
            let shown = display(&path);
            scan.code_names.retain(|c| c.path != shown);
            let mut refs: HashMap<(u32, usize), Reference> = HashMap::new();
            let mut kept = Vec::with_capacity(scan.references.len());
            for r in std::mem::take(&mut scan.references) {
                match (r.path == shown).then(|| self.index.get(&r.name)).flatten() {
                    Some(&id) => {
                        refs.insert((r.line, id), r);
                    }
                    None => kept.push(r),
                }
            }
            scan.references = kept;
            self.add_facts(&shown, facts, &mut refs, scan);
            scan.references.extend(refs.into_values());
        }
    }

    /// The annotation groups, attached to the declarations they document (once every name is
    /// resolved): the toggles they document become code names, and the places where their
    /// `toggle_name` names a store toggle become annotation references.
    fn add_annotations(&self, scan: &mut Scan) {
        let (documents, mismatches) = annotations::attach(&scan.groups, &scan.code_names);
        scan.mismatches = mismatches;
        if documents.is_empty() {
            return;
        }
        let documented: Vec<CodeName> = documents
            .iter()
            .map(|d| d.code_name(&scan.groups))
            .collect();
        scan.documented = documents;
        let mut at: HashMap<(String, u32, String), usize> = HashMap::new();
        for c in documented
            .iter()
            .filter(|c| self.index.contains_key(&c.found.name))
        {
            if at.is_empty() {
                at = scan
                    .references
                    .iter()
                    .enumerate()
                    .map(|(i, r)| ((r.path.clone(), r.line, r.name.clone()), i))
                    .collect();
            }
            let f = &c.found;
            let key = (c.path.clone(), f.line, f.name.clone());
            match at.get(&key) {
                // the mention the search found on that line: it is this annotation
                Some(&i) => {
                    let r = &mut scan.references[i];
                    if f.kind < r.kind || r.via.is_none() {
                        r.kind = r.kind.min(f.kind);
                        r.via = Some(f.via.clone());
                        r.toggle = f.toggle.or(r.toggle);
                    }
                }
                None => {
                    at.insert(key, scan.references.len());
                    scan.references
                        .push(Reference::from_found(&c.path, f, &f.name));
                }
            }
        }
        scan.references
            .sort_by(|a, b| (&a.path, a.line, &a.name).cmp(&(&b.path, b.line, &b.name)));
        scan.code_names.extend(documented);
        scan.code_names.sort_by(|a, b| {
            (&a.path, a.found.line, &a.found.name).cmp(&(&b.path, b.found.line, &b.found.name))
        });
    }

    /// A reference for every store toggle a name built at run time may be.
    fn match_patterns(&self, scan: &mut Scan) {
        for c in &scan.code_names {
            let Some(p) = &c.found.pattern else { continue };
            for name in self.names.iter().filter(|n| p.matches(n)) {
                scan.references
                    .push(Reference::from_found(&c.path, &c.found, name));
            }
        }
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
        if is_packaging(&entry) {
            self.local.packaging_skipped += 1;
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
    // packaging copies of the sources (an sdist's `*.egg-info/`, `PKG-INFO`) are not places
    let skipped_dirs = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = Arc::clone(&skipped_dirs);
    walk.filter_entry(move |e| {
        let skip = e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir()) && is_packaging(e);
        if skip {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        !skip
    });
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
    scan.packaging_skipped += skipped_dirs.load(std::sync::atomic::Ordering::Relaxed);
    searcher.resolve_imports(&mut scan);
    searcher.match_patterns(&mut scan);
    scan.references
        .sort_by(|a, b| (&a.path, a.line, &a.name).cmp(&(&b.path, b.line, &b.name)));
    scan.references
        .dedup_by(|a, b| (&a.path, a.line, &a.name) == (&b.path, b.line, &b.name));
    scan.code_names.sort_by(|a, b| {
        (&a.path, a.found.line, &a.found.name).cmp(&(&b.path, b.found.line, &b.found.name))
    });
    scan.groups
        .sort_by(|a, b| (&a.path, a.group.line).cmp(&(&b.path, b.group.line)));
    searcher.add_annotations(&mut scan);
    Ok(scan)
}
