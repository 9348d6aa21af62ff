//! Looking names up as Python does, within a file and across the files of a scanned tree:
//! module constants and class attributes (`NAME = "ns.x"`, `self.NAME`, `Cls.NAME`), namespace
//! objects, and imports of them (`from .toggles import NAME`, `from pkg.toggles import *`,
//! `import pkg.toggles as t` then `t.NAME`).
//!
//! [`Scope`] is the [`Env`] of one file. Without a [`Tree`] it resolves what the file itself binds
//! and notes when a name comes from an import ([`Scope::pending`]); `scan` then reads the file
//! again with the [`Tree`], which finds the imported module among the scanned files and looks the
//! name up there (recursively, with a depth limit).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::names::{Env, Expr, MAX_DEPTH, Name, Part};

/// Finds a module's constants among the files of the scanned tree.
pub trait Modules {
    /// The value of `ident` in `module` (`.toggles`, `..x.y`, `pkg.constants`) as imported by
    /// the file at `origin`; None when the module is not in the tree or does not bind it.
    fn constant(
        &mut self,
        origin: &Path,
        module: &str,
        ident: &str,
        depth: u32,
    ) -> Option<Vec<Part>>;
}

/// What a file imports.
#[derive(Debug, Default)]
struct Imports {
    /// local name → (module, name in that module): `from M import N [as local]`.
    from: HashMap<String, (String, String)>,
    /// `from M import *`.
    star: Vec<String>,
    /// local name → module: `import a.b [as local]`, and `from M import N` where N may be a module.
    modules: HashMap<String, String>,
}

fn join_module(m: &str, n: &str) -> String {
    if m.ends_with('.') {
        format!("{m}{n}")
    } else {
        format!("{m}.{n}")
    }
}

impl Imports {
    fn parse(text: &str) -> Imports {
        let mut imp = Imports::default();
        let b = text.as_bytes();
        let mut line_start = 0;
        while line_start < b.len() {
            let end = memchr::memchr(b'\n', &b[line_start..]).map_or(b.len(), |e| line_start + e);
            let line = &text[line_start..end];
            let t = line.trim_start();
            if t.starts_with("from ") || t.starts_with("import ") {
                // the statement, over lines when parenthesised or continued with `\`
                let mut stmt_end = end;
                let open = line.contains('(') && !line.contains(')');
                if open || line.trim_end().ends_with('\\') {
                    let close = if open {
                        memchr::memchr(b')', &b[line_start..]).map(|e| line_start + e)
                    } else {
                        let mut e = end;
                        while e < b.len() && text[..e].trim_end().ends_with('\\') {
                            e = memchr::memchr(b'\n', &b[e + 1..]).map_or(b.len(), |x| e + 1 + x);
                        }
                        Some(e)
                    };
                    stmt_end = close.unwrap_or(end).min(b.len());
                }
                let stmt: String = text[line_start..stmt_end]
                    .chars()
                    .map(|c| {
                        if matches!(c, '(' | ')' | '\\' | '\n') {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect();
                let stmt = stmt.split('#').next().unwrap_or("").trim().to_string();
                imp.statement(&stmt);
                line_start = stmt_end;
                continue;
            }
            line_start = end + 1;
        }
        imp
    }

    fn statement(&mut self, stmt: &str) {
        if let Some(rest) = stmt.strip_prefix("from ") {
            let Some((module, names)) = rest.split_once(" import ") else {
                return;
            };
            let module = module.trim();
            for n in names.split(',') {
                let mut w = n.split_whitespace();
                let (Some(name), alias) = (w.next(), {
                    let a = w.next();
                    if a == Some("as") { w.next() } else { None }
                }) else {
                    continue;
                };
                if name == "*" {
                    self.star.push(module.to_string());
                    continue;
                }
                let local = alias.unwrap_or(name).to_string();
                self.modules
                    .insert(local.clone(), join_module(module, name));
                self.from
                    .insert(local, (module.to_string(), name.to_string()));
            }
        } else if let Some(rest) = stmt.strip_prefix("import ") {
            for n in rest.split(',') {
                let mut w = n.split_whitespace();
                let Some(module) = w.next() else { continue };
                let local = match (w.next(), w.next()) {
                    (Some("as"), Some(a)) => a,
                    _ => module,
                };
                self.modules.insert(local.to_string(), module.to_string());
            }
        }
    }
}

/// The names one file binds, as an [`Env`].
pub struct Scope<'t, 'm> {
    text: &'t str,
    origin: Option<&'t Path>,
    modules: Option<&'m mut dyn Modules>,
    /// Namespace objects (`NS = WaffleFlagNamespace(name="ns")`) found by the caller.
    pub names: HashMap<String, Vec<Part>>,
    imports: Option<Imports>,
    /// The assignments of each name looked up so far.
    assigned: HashMap<String, Rc<Vec<(usize, String)>>>,
    /// Byte offset of the expression being evaluated (for function arguments).
    pub site: usize,
    /// A name came from an import that only the whole tree can resolve.
    pub pending: bool,
}

impl<'t, 'm> Scope<'t, 'm> {
    pub fn new(
        text: &'t str,
        origin: Option<&'t Path>,
        modules: Option<&'m mut dyn Modules>,
    ) -> Scope<'t, 'm> {
        Scope {
            text,
            origin,
            modules,
            names: HashMap::new(),
            imports: None,
            assigned: HashMap::new(),
            site: 0,
            pending: false,
        }
    }

    /// The name the expression `v` (argument text at offset `at`) builds.
    pub fn name(&mut self, v: &str, at: usize) -> Name {
        self.site = at;
        Name::from_parts(Expr::parse(v).eval(self, 0))
    }

    /// The string `v` evaluates to, when it is fully known.
    pub fn value(&mut self, v: &str, at: usize) -> Option<String> {
        match self.name(v, at) {
            Name::Resolved(s) => Some(s),
            Name::Pattern(_) => None,
        }
    }

    fn imports(&mut self) -> &Imports {
        if self.imports.is_none() {
            self.imports = Some(Imports::parse(self.text));
        }
        self.imports.as_ref().expect("parsed above")
    }

    fn hop(&mut self, module: &str, ident: &str, depth: u32) -> Option<Vec<Part>> {
        match (&mut self.modules, self.origin) {
            (Some(m), Some(origin)) => m.constant(origin, module, ident, depth),
            _ => {
                self.pending = true;
                None
            }
        }
    }

    /// `ident` as the file binds it: a namespace object, its constants (all assignments agree),
    /// or an import.
    fn plain(&mut self, ident: &str, depth: u32) -> Option<Vec<Part>> {
        if let Some(v) = self.names.get(ident) {
            return Some(v.clone());
        }
        if is_parameter(self.text, self.site, ident) {
            return None;
        }
        let text = self.text;
        let found = Rc::clone(
            self.assigned
                .entry(ident.to_string())
                .or_insert_with(|| Rc::new(assignments(text, ident))),
        );
        if !found.is_empty() {
            let site = self.site;
            let mut value: Option<Vec<Part>> = None;
            for (at, rhs) in found.iter() {
                self.site = *at;
                let v = rhs_value(rhs, self, depth);
                match &value {
                    None => value = Some(v),
                    Some(prev) if *prev == v => {}
                    Some(_) => {
                        self.site = site;
                        return None;
                    }
                }
            }
            self.site = site;
            return value;
        }
        if let Some((module, name)) = self.imports().from.get(ident).cloned() {
            return self.hop(&module, &name, depth);
        }
        let star = self.imports().star.clone();
        for m in star {
            if let Some(v) = self.hop(&m, ident, depth) {
                return Some(v);
            }
        }
        None
    }
}

impl Env for Scope<'_, '_> {
    fn sym(&mut self, sym: &str, depth: u32) -> Option<Vec<Part>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Some((head, rest)) = sym.split_once('.') else {
            return self.plain(sym, depth);
        };
        // self.NAME, cls.NAME, Class.NAME: a class attribute of this file
        let class = |h: &str| {
            self.text.contains(&format!("class {h}(")) || self.text.contains(&format!("class {h}:"))
        };
        if (head == "self" || head == "cls" || class(head)) && !rest.contains('.') {
            let site = self.site;
            self.site = usize::MAX;
            let v = self.plain(rest, depth);
            self.site = site;
            return v;
        }
        // module.NAME: the longest imported module prefix
        let (module_part, ident) = sym.rsplit_once('.')?;
        let module = self.imports().modules.get(module_part).cloned()?;
        self.hop(&module, ident, depth)
    }
}

/// The value of an assignment's right-hand side: an expression, or a namespace object.
fn rhs_value(rhs: &str, scope: &mut Scope<'_, '_>, depth: u32) -> Vec<Part> {
    let t = rhs.trim();
    for ns in ["WaffleFlagNamespace(", "WaffleSwitchNamespace("] {
        if let Some(at) = t.find(ns) {
            let head = &t[..at];
            if head
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
            {
                let inner = &t[at + ns.len()..];
                let inner = inner.strip_suffix(')').unwrap_or(inner);
                let arg = inner
                    .split(',')
                    .map(str::trim)
                    .find_map(|a| a.strip_prefix("name=").or((!a.contains('=')).then_some(a)));
                return match arg {
                    Some(a) => Expr::parse(a).eval(scope, depth + 1),
                    None => vec![Part::Any],
                };
            }
        }
    }
    Expr::parse(t).eval(scope, depth + 1)
}

/// Every `IDENT = value` at the start of a line (module constants, class attributes, local
/// variables): (offset of the value, value text, over lines while brackets are open). A line
/// `ident=value,` (a keyword argument) is not an assignment.
pub fn assignments(text: &str, ident: &str) -> Vec<(usize, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(b, ident.as_bytes()) {
        let line_start = b[..at]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        if !b[line_start..at].iter().all(|c| *c == b' ' || *c == b'\t') {
            continue;
        }
        let mut i = at + ident.len();
        let rest = |i: usize| b.get(i).copied();
        if rest(i).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
            continue;
        }
        if rest(i) == Some(b':') || rest(i) == Some(b' ') {
            // a type annotation or spaces up to the `=`
            while rest(i).is_some_and(|c| c != b'=' && c != b'\n') {
                i += 1;
            }
        }
        if rest(i) != Some(b'=') || rest(i + 1) == Some(b'=') {
            continue;
        }
        i += 1;
        // the value: to the end of the line, or further while brackets are open
        let mut depth = 0i32;
        let mut j = i;
        let mut quote: Option<u8> = None;
        let limit = (i + 4096).min(b.len());
        // the value without its comments
        let mut value = String::new();
        let mut piece = i;
        while j < limit {
            let c = b[j];
            match quote {
                Some(q) => {
                    if c == b'\\' {
                        j += 1;
                    } else if c == q || c == b'\n' {
                        quote = None;
                    }
                }
                None => match c {
                    b'\'' | b'"' => quote = Some(c),
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth -= 1,
                    b'#' => {
                        value.push_str(text.get(piece..j).unwrap_or(""));
                        while j < limit && b[j] != b'\n' {
                            j += 1;
                        }
                        piece = j;
                        continue;
                    }
                    b'\n' if depth <= 0 => break,
                    _ => {}
                },
            }
            j += 1;
        }
        value.push_str(text.get(piece..j.min(b.len())).unwrap_or(""));
        let value = value.trim();
        if value.ends_with(',') || depth < 0 {
            continue;
        }
        out.push((i, value.to_string()));
    }
    out
}

/// Whether `ident` is a parameter of the function that holds offset `site`.
fn is_parameter(text: &str, site: usize, ident: &str) -> bool {
    if site >= text.len() {
        return false;
    }
    let b = text.as_bytes();
    let indent = |s: usize| {
        b[s..]
            .iter()
            .take_while(|c| **c == b' ' || **c == b'\t')
            .count()
    };
    let mut start = b[..site]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let mut min = indent(start);
    while start > 0 {
        let prev = b[..start - 1]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        start = prev;
        let line = &text[start..].split('\n').next().unwrap_or("");
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = indent(start);
        if ind >= min {
            continue;
        }
        min = ind;
        let def = t.strip_prefix("async ").unwrap_or(t);
        if let Some(sig) = def.strip_prefix("def ") {
            let Some(open) = sig.find('(') else {
                return false;
            };
            let from = start + (line.len() - t.len()) + (t.len() - def.len()) + 4 + open + 1;
            let params = text[from..].split(')').next().unwrap_or("");
            return params.split(',').any(|p| {
                let p = p
                    .split(['=', ':'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches('*');
                p == ident
            });
        }
        if ind == 0 {
            return false;
        }
    }
    false
}

/// The Python files of a scanned tree, to follow imports into.
pub struct Tree {
    files: Vec<PathBuf>,
    texts: HashMap<PathBuf, Option<Rc<str>>>,
}

impl Tree {
    pub fn new(mut files: Vec<PathBuf>) -> Tree {
        files.sort();
        Tree {
            files,
            texts: HashMap::new(),
        }
    }

    fn text(&mut self, path: &Path) -> Option<Rc<str>> {
        self.texts
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                std::fs::read(path)
                    .ok()
                    .filter(|b| memchr::memchr(0, b).is_none())
                    .map(|b| Rc::from(String::from_utf8_lossy(&b).as_ref()))
            })
            .clone()
    }

    /// The file of `module` imported from `origin`: relative (`.x`, `..x.y`) from the origin's
    /// folder, else the shortest scanned path that ends with the module's path.
    fn module_file(&self, origin: &Path, module: &str) -> Option<PathBuf> {
        let dots = module.bytes().take_while(|c| *c == b'.').count();
        let rel: PathBuf = module[dots..]
            .split('.')
            .filter(|s| !s.is_empty())
            .collect();
        let candidates = |base: &Path| -> Vec<PathBuf> {
            if rel.as_os_str().is_empty() {
                vec![base.join("__init__.py")]
            } else {
                vec![
                    base.join(&rel).with_extension("py"),
                    base.join(&rel).join("__init__.py"),
                ]
            }
        };
        if dots > 0 {
            let mut base = origin.parent()?.to_path_buf();
            for _ in 1..dots {
                base = base.parent()?.to_path_buf();
            }
            return candidates(&base)
                .into_iter()
                .find(|c| self.files.binary_search(c).is_ok());
        }
        let want = candidates(Path::new(""));
        self.files
            .iter()
            .filter(|f| want.iter().any(|w| f.ends_with(w)))
            .min_by_key(|f| f.as_os_str().len())
            .cloned()
    }
}

impl Modules for Tree {
    fn constant(
        &mut self,
        origin: &Path,
        module: &str,
        ident: &str,
        depth: u32,
    ) -> Option<Vec<Part>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let file = self.module_file(origin, module)?;
        let text = self.text(&file)?;
        let mut scope = Scope::new(&text, Some(&file), Some(self));
        scope.site = usize::MAX;
        scope.sym(ident, depth + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_of_every_form() {
        let i = Imports::parse(
            "from .toggles import SHOW, OTHER as O\nfrom x.constants import (\n    A,\n    B,\n)\nimport pkg.toggles as t\nfrom . import toggles\nfrom .c import *\n",
        );
        assert_eq!(i.from["SHOW"], (".toggles".into(), "SHOW".into()));
        assert_eq!(i.from["O"], (".toggles".into(), "OTHER".into()));
        assert_eq!(i.from["B"], ("x.constants".into(), "B".into()));
        assert_eq!(i.modules["t"], "pkg.toggles");
        assert_eq!(i.modules["toggles"], ".toggles");
        assert_eq!(i.star, vec![".c".to_string()]);
    }

    #[test]
    fn constants_parameters_and_disagreeing_assignments() {
        let text = "NS = 'ns'  # a comment\nA = f'{NS}.a'\nclass C:\n    ATTR = NS + '.attr'\n\ndef f(flag_name, other=1):\n    x = 1\n    return WaffleFlag(f'{NS}.{flag_name}')\nTWICE = 'a'\nTWICE = 'b'\n";
        let mut s = Scope::new(text, None, None);
        assert_eq!(s.value("A", 0).as_deref(), Some("ns.a"));
        assert_eq!(s.value("self.ATTR", 0).as_deref(), Some("ns.attr"));
        assert_eq!(s.value("C.ATTR", 0).as_deref(), Some("ns.attr"));
        let site = text.find("WaffleFlag").unwrap();
        assert_eq!(s.name("f'{NS}.{flag_name}'", site).text(), "ns.*");
        assert_eq!(s.name("TWICE", 0).text(), "*");
        assert!(!s.pending);
        let mut s = Scope::new("from .t import X\n", None, None);
        assert_eq!(s.name("X", 0).text(), "*");
        assert!(s.pending);
    }
}
