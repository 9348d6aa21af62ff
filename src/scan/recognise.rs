//! How toggles are named in source code, recognised in the text of one file (pure, no I/O):
//! django-waffle calls, decorators and template tags, edx-toggles declarations (with the older
//! namespace objects resolved within the file), Django setting toggles, and the kind of a plain
//! mention (quoted literal, comment, text). Open edX toggle annotations are read by
//! [`super::annotations`] alone.

use std::path::Path;

use serde::Serialize;

use super::names::{Name, Part, Pattern, ToggleKind};
use super::resolve::{Modules, Scope};

/// What kind of reference a mention of a toggle name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// An edx-toggles declaration: `WaffleFlag("ns.x", __name__)`, `CourseWaffleFlag(NS, "x")`...
    Declaration,
    /// A django-waffle call: `flag_is_active(request, "x")`, `switch_is_active("x")`...
    Call,
    /// A django-waffle view decorator: `@waffle_flag("x")`, `@waffle_switch("!x")`.
    Decorator,
    /// A django-waffle template tag: `{% flag "x" %}`.
    TemplateTag,
    /// An Open edX toggle annotation: `.. toggle_name: x`.
    Annotation,
    /// The name as a quoted string literal.
    Literal,
    /// The name inside a comment.
    Comment,
    /// The name in prose: a `.rst`, `.md` or `.txt` file.
    Documentation,
    /// The name elsewhere (configuration, data...).
    Text,
}

impl RefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Declaration => "declaration",
            RefKind::Call => "call",
            RefKind::Decorator => "decorator",
            RefKind::TemplateTag => "template tag",
            RefKind::Annotation => "annotation",
            RefKind::Literal => "literal",
            RefKind::Comment => "comment",
            RefKind::Documentation => "documentation",
            RefKind::Text => "text",
        }
    }

    /// Whether code at this place may read the toggle (anything but an annotation, a comment or
    /// documentation): such a place must change before the toggle's row can go.
    pub fn reads(self) -> bool {
        !matches!(
            self,
            RefKind::Annotation | RefKind::Comment | RefKind::Documentation
        )
    }
}

/// A toggle named by code in a way that says what it is (a declaration, call, tag or annotation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The name as the code builds it, or for a [`Found::pattern`] the pattern's text
    /// (`openresponseassessment.*`).
    pub name: String,
    /// Set when part of the name is only known at run time: every store toggle it matches may
    /// be the one the code reads.
    pub pattern: Option<Pattern>,
    /// 1-based line.
    pub line: u32,
    pub kind: RefKind,
    /// The kind the code reads; None when the code does not say (an annotation without a known
    /// `toggle_implementation`).
    pub toggle: Option<ToggleKind>,
    /// The constructor or call (`CourseWaffleFlag`, `flag_is_active`, `{% flag %}`...).
    pub via: String,
    /// The variable a declaration is assigned to (`RELATIVE_DATES_FLAG = CourseWaffleFlag(...)`).
    pub variable: Option<String>,
}

/// Everything recognised in one file.
#[derive(Debug, Default)]
pub struct FileFacts {
    pub found: Vec<Found>,
    /// A name came from an import: reading the file again with the whole tree may resolve it.
    pub pending: bool,
}

/// Byte offsets of line starts, for offset → 1-based line.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        Lines { starts }
    }
    pub fn line_of(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&s| s <= offset)) as u32
    }
    /// The start and end (without its newline) of the line that holds `offset`, in a text of
    /// `len` bytes.
    #[inline]
    fn span(&self, len: usize, offset: usize) -> (usize, usize) {
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        let end = self.starts.get(i + 1).map(|e| e - 1).unwrap_or(len);
        (self.starts[i], end.min(len))
    }
    /// The line (without its newline) that holds `offset`, and the line's start.
    pub fn line_at_bytes<'t>(&self, text: &'t [u8], offset: usize) -> (&'t [u8], usize) {
        let (start, end) = self.span(text.len(), offset);
        (&text[start..end], start)
    }
    /// Like [`Lines::line_at_bytes`] for text.
    pub fn line_at<'t>(&self, text: &'t str, offset: usize) -> (&'t str, usize) {
        let (start, end) = self.span(text.len(), offset);
        (text.get(start..end).unwrap_or(""), start)
    }
}

/// Whether `c` continues a toggle name (names are words joined by `.`, `_` and `-`).
pub fn name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Whether `hay[start..end]` is a whole name: not preceded or followed by name characters, nor by
/// a `.` that joins another word (`foo.bar` does not match in `foo.bar_baz` or `x.foo.bar`).
pub fn whole_name(hay: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|i| hay[i]);
    let after = hay.get(end).copied();
    if before.is_some_and(name_byte) || after.is_some_and(name_byte) {
        return false;
    }
    if before == Some(b'.') && start >= 2 && name_byte(hay[start - 2]) {
        return false;
    }
    if after == Some(b'.') && hay.get(end + 1).copied().is_some_and(name_byte) {
        return false;
    }
    true
}

/// The kind of a plain mention at `col` of `line` (a byte index): comment, quoted literal or text.
pub fn mention_kind(line: &[u8], col: usize, len: usize) -> RefKind {
    let b = line;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < col.min(b.len()) {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == b'#' && !(i > 0 && b[i - 1] == b'{') {
                    return RefKind::Comment;
                }
                if b[i..].starts_with(b"//")
                    || b[i..].starts_with(b"{#")
                    || b[i..].starts_with(b"<!--")
                    || b[i..].starts_with(b"/*")
                {
                    return RefKind::Comment;
                }
                if matches!(c, b'\'' | b'"' | b'`') {
                    quote = Some(c);
                }
            }
        }
        i += 1;
    }
    let t = line.trim_ascii_start();
    if t.starts_with(b"* ") || t == b"*" {
        return RefKind::Comment;
    }
    let before = col.checked_sub(1).and_then(|i| b.get(i)).copied();
    let after = b.get(col + len).copied();
    let quoted = |c: Option<u8>| matches!(c, Some(b'\'' | b'"' | b'`'));
    // `'!name'` (a negated decorator) is still the literal name
    let negated =
        before == Some(b'!') && col >= 2 && matches!(b.get(col - 2), Some(b'\'' | b'"' | b'`'));
    if (quoted(before) || negated) && quoted(after) {
        RefKind::Literal
    } else {
        RefKind::Text
    }
}

/// Reads a Python/JS string literal starting at `i` (optionally prefixed `u`, `r`, `b`, `f`):
/// returns (is_fstring, content, end offset).
pub(super) fn string_at(s: &[u8], mut i: usize) -> Option<(bool, String, usize)> {
    let mut fstring = false;
    while i < s.len() && matches!(s[i], b'u' | b'U' | b'r' | b'R' | b'b' | b'B' | b'f' | b'F') {
        fstring |= matches!(s[i], b'f' | b'F');
        i += 1;
    }
    let q = *s.get(i)?;
    if !matches!(q, b'\'' | b'"') {
        return None;
    }
    let start = i + 1;
    let mut j = start;
    while j < s.len() {
        match s[j] {
            b'\\' => j += 2,
            c if c == q => {
                let content = String::from_utf8_lossy(&s[start..j]).into_owned();
                return Some((fstring, content, j + 1));
            }
            b'\n' => return None,
            _ => j += 1,
        }
    }
    None
}

/// One argument of a call: its keyword (if any), its text, and where the text starts.
#[derive(Debug)]
struct Arg<'a> {
    key: Option<&'a str>,
    value: &'a str,
    at: usize,
}

/// The arguments of the call whose `(` is at `open`, split at top-level commas (strings and
/// brackets respected). None when the call does not close within 4 KiB.
fn call_args<'t>(text: &'t str, open: usize) -> Option<Vec<Arg<'t>>> {
    let s = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open + 1;
    let mut piece = i;
    let mut out = Vec::new();
    let limit = (open + 4096).min(s.len());
    let push = |out: &mut Vec<Arg<'t>>, from: usize, to: usize| {
        let raw = &text[from..to];
        let lead = raw.len() - raw.trim_start().len();
        let v = raw.trim();
        if v.is_empty() {
            return;
        }
        let at = from + lead;
        // `key=value`, but not `==`
        let eq = v.find('=').filter(|&e| {
            !v[e + 1..].starts_with('=')
                && v[..e]
                    .trim()
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !v[..e].trim().is_empty()
        });
        match eq {
            Some(e) => {
                let value = v[e + 1..].trim_start();
                let at = at + (v.len() - value.len());
                out.push(Arg {
                    key: Some(v[..e].trim()),
                    value,
                    at,
                })
            }
            None => out.push(Arg {
                key: None,
                value: v,
                at,
            }),
        }
    };
    while i < limit {
        match s[i] {
            b'\'' | b'"' => match string_at(s, i) {
                Some((_, _, end)) => {
                    i = end;
                    continue;
                }
                None => i += 1,
            },
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b')' => {
                push(&mut out, piece, i);
                return Some(out);
            }
            b',' if depth == 0 => {
                push(&mut out, piece, i);
                piece = i + 1;
            }
            b'#' => {
                // a comment inside a multi-line call runs to the end of the line
                while i < limit && s[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_ident(v: &str) -> bool {
    !v.is_empty()
        && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !v.as_bytes()[0].is_ascii_digit()
}

/// The identifier assigned on the line before `at` (`NAME = Ctor(`), if any.
fn assigned_to(text: &str, lines: &Lines, at: usize) -> Option<String> {
    let (line, start) = lines.line_at(text, at);
    let before = line.get(..at - start)?;
    let (lhs, rhs) = before.rsplit_once('=')?;
    if !rhs.trim().is_empty() || lhs.ends_with(['=', '!', '<', '>']) {
        return None;
    }
    let lhs = lhs.trim();
    let lhs = lhs.rsplit(['.', ' ']).next().unwrap_or(lhs);
    is_ident(lhs).then(|| lhs.to_string())
}

/// The identifier that ends at `end` (exclusive), e.g. `CourseWaffleFlag` before a `(`.
fn ident_before(text: &str, end: usize) -> &str {
    let b = text.as_bytes();
    let mut s = end;
    while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'_') {
        s -= 1;
    }
    &text[s..end]
}

/// Byte strings that can start a construct [`recognise_at`] understands; `scan` searches for them
/// in the same pass as the store's names and hands over where they are.
pub const TRIGGERS: &[&str] = &[
    "WaffleFlag",
    "WaffleSwitch",
    "_is_active(",
    "waffle_flag(",
    "waffle_switch(",
    "waffle.flag(",
    "waffle.switch(",
    "waffle.sample(",
    "{%",
    // an annotation token: the file's comments are read by `annotations::parse`
    ".. toggle_",
    "SettingToggle(",
    "SettingDictToggle(",
];

/// Where the [`TRIGGERS`] are in `text`: `(offset, index)`, offsets ascending.
pub fn triggers(text: &str) -> Vec<(usize, usize)> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for (t, pat) in TRIGGERS.iter().enumerate() {
        hits.extend(memchr::memmem::find_iter(text.as_bytes(), pat.as_bytes()).map(|at| (at, t)));
    }
    hits.sort_unstable();
    hits
}

/// Recognises declarations, calls, tags and settings in one file (finds the triggers itself).
pub fn recognise(text: &str) -> FileFacts {
    recognise_at(text, &triggers(text))
}

/// Recognises what starts at each trigger `(offset, index into TRIGGERS)`, offsets ascending.
/// Work is proportional to the triggers, not to the file. Names are resolved within the file;
/// [`FileFacts::pending`] says when one comes from an import ([`recognise_in`] resolves those).
pub fn recognise_at(text: &str, hits: &[(usize, usize)]) -> FileFacts {
    recognise_in(text, hits, None, None)
}

/// Like [`recognise_at`], following imports to the modules `modules` finds, for the file at
/// `origin`.
pub fn recognise_in(
    text: &str,
    hits: &[(usize, usize)],
    origin: Option<&Path>,
    modules: Option<&mut dyn Modules>,
) -> FileFacts {
    let lines = Lines::new(text.as_bytes());
    let mut facts = FileFacts::default();
    let mut scope = Scope::new(text, origin, modules);
    let starts = |at: usize, s: &str| text.get(at..).is_some_and(|t| t.starts_with(s));

    // namespace objects first: declarations anywhere in the file may use them
    for &(at, t) in hits {
        let Some(pat) = (match t {
            0 => Some("WaffleFlagNamespace("),
            1 => Some("WaffleSwitchNamespace("),
            _ => None,
        }) else {
            continue;
        };
        if !starts(at, pat) {
            continue;
        }
        let ctor_at = at - ident_before(text, at).len();
        let Some(var) = assigned_to(text, &lines, ctor_at) else {
            continue;
        };
        let Some(args) = call_args(text, at + pat.len() - 1) else {
            continue;
        };
        let ns = args
            .iter()
            .find(|a| a.key == Some("name"))
            .or_else(|| args.iter().find(|a| a.key.is_none()));
        if let Some(ns) = ns {
            scope.site = ns.at;
            let parts = super::names::Expr::parse(ns.value).eval(&mut scope, 0);
            scope.names.insert(var, parts);
        }
    }

    for &(at, t) in hits {
        match t {
            0 | 1 => {
                let pat = if t == 0 {
                    "WaffleFlag("
                } else {
                    "WaffleSwitch("
                };
                if starts(at, pat) {
                    declaration(text, &lines, &mut scope, at + pat.len() - 1, &mut facts);
                }
            }
            10 | 11 => {
                // a Django setting toggle: not a waffle toggle, listed apart
                if at > 0 && {
                    let c = text.as_bytes()[at - 1];
                    c.is_ascii_alphanumeric() || c == b'_'
                } {
                    continue;
                }
                let open = at + TRIGGERS[t].len() - 1;
                setting(text, &lines, &mut scope, open, t == 11, &mut facts);
            }
            2 => {
                let open = at + "_is_active(".len() - 1;
                let toggle = match ident_before(text, open) {
                    "flag_is_active" => ToggleKind::Flag,
                    "switch_is_active" => ToggleKind::Switch,
                    "sample_is_active" => ToggleKind::Sample,
                    _ => continue,
                };
                let via = &text[open - ident_before(text, open).len()..open];
                call(
                    text,
                    &lines,
                    &mut scope,
                    open,
                    RefKind::Call,
                    toggle,
                    via,
                    &mut facts,
                );
            }
            3..=7 => {
                let pat = TRIGGERS[t];
                // `is_waffle_flag(` is another function
                if at > 0 && {
                    let c = text.as_bytes()[at - 1];
                    t < 5 && (c.is_ascii_alphanumeric() || c == b'_')
                } {
                    continue;
                }
                let (kind, toggle) = match t {
                    3 => (RefKind::Decorator, ToggleKind::Flag),
                    4 => (RefKind::Decorator, ToggleKind::Switch),
                    5 => (RefKind::Call, ToggleKind::Flag),
                    6 => (RefKind::Call, ToggleKind::Switch),
                    _ => (RefKind::Call, ToggleKind::Sample),
                };
                let open = at + pat.len() - 1;
                call(
                    text,
                    &lines,
                    &mut scope,
                    open,
                    kind,
                    toggle,
                    &pat[..pat.len() - 1],
                    &mut facts,
                );
            }
            8 => template_tag(text, &lines, at, &mut facts),
            _ => {}
        }
    }
    facts.pending = scope.pending;
    facts
}

/// Records a name the code reads at `name_at`, resolved or as a pattern.
#[allow(clippy::too_many_arguments)]
fn push_found(
    facts: &mut FileFacts,
    lines: &Lines,
    name: Name,
    name_at: usize,
    kind: RefKind,
    toggle: ToggleKind,
    via: &str,
    variable: Option<String>,
) {
    let (name, pattern) = match name {
        Name::Resolved(n) => {
            if n.is_empty() || n.chars().any(char::is_whitespace) {
                return;
            }
            (n, None)
        }
        Name::Pattern(p) => (p.text(), Some(p)),
    };
    facts.found.push(Found {
        name,
        pattern,
        line: lines.line_of(name_at),
        kind,
        toggle: Some(toggle),
        via: via.to_string(),
        variable,
    });
}

/// The constructor called at `open` (its name, where the name starts) and the call's
/// arguments; None on a `class`, `def` or `import` line (a base class or a signature, not a
/// call) or when the arguments do not parse.
fn constructor_call<'t>(
    text: &'t str,
    lines: &Lines,
    open: usize,
) -> Option<(&'t str, usize, Vec<Arg<'t>>)> {
    let ctor = ident_before(text, open);
    let ctor_at = open - ctor.len();
    let (line, _) = lines.line_at(text, ctor_at);
    let lt = line.trim_start();
    if lt.starts_with("class ") || lt.starts_with("def ") || lt.starts_with("import ") {
        return None;
    }
    Some((ctor, ctor_at, call_args(text, open)?))
}

/// An edx-toggles declaration whose `(` is at `open`.
fn declaration(
    text: &str,
    lines: &Lines,
    scope: &mut Scope<'_, '_>,
    open: usize,
    facts: &mut FileFacts,
) {
    let Some((ctor, ctor_at, args)) = constructor_call(text, lines, open) else {
        return;
    };
    let toggle = if ctor.contains("Switch") {
        ToggleKind::Switch
    } else {
        ToggleKind::Flag
    };
    const NS_KEYS: &[&str] = &["waffle_namespace", "waffle_flag_namespace", "namespace"];
    let kw = |keys: &[&str]| {
        args.iter()
            .find(|a| a.key.is_some_and(|k| keys.contains(&k)))
    };
    let positional: Vec<&Arg<'_>> = args.iter().filter(|a| a.key.is_none()).collect();
    let ns_arg = kw(NS_KEYS).or_else(|| {
        // namespaced form `Ctor(NS, "x", ...)`: the second positional is a literal local name
        // (a module name such as `__name__` means `Ctor("ns.x", __name__)`)
        let p0 = positional.first()?;
        let p1 = positional.get(1)?;
        let local = (!is_ident(p1.value))
            .then(|| scope.value(p1.value, p1.at))
            .flatten()?;
        (!local.contains('.')).then_some(*p0)
    });
    let (name, name_at) = match ns_arg {
        Some(ns) => {
            let local = kw(&["flag_name", "switch_name", "name"]).or_else(|| {
                if kw(NS_KEYS).is_some() {
                    positional.first().copied()
                } else {
                    positional.get(1).copied()
                }
            });
            let Some(local) = local else {
                return;
            };
            let mut parts = match scope.name(ns.value, ns.at) {
                Name::Resolved(s) => vec![Part::Lit(s)],
                Name::Pattern(_) => vec![Part::Any],
            };
            parts.push(Part::Lit(".".into()));
            scope.site = local.at;
            parts.extend(super::names::Expr::parse(local.value).eval(scope, 0));
            (Name::from_parts(parts), local.at)
        }
        None => {
            let Some(a) = kw(&["name", "flag_name", "switch_name"]).or(positional.first().copied())
            else {
                return;
            };
            (scope.name(a.value, a.at), a.at)
        }
    };
    let variable = assigned_to(text, lines, ctor_at);
    push_found(
        facts,
        lines,
        name,
        name_at,
        RefKind::Declaration,
        toggle,
        ctor,
        variable,
    );
}

/// A Django setting toggle whose `(` is at `open`: `SettingToggle("NAME", ...)` or
/// `SettingDictToggle("FEATURES", "NAME", ...)`, named as Open edX annotations name them
/// (`NAME`, `FEATURES['NAME']`).
fn setting(
    text: &str,
    lines: &Lines,
    scope: &mut Scope<'_, '_>,
    open: usize,
    dict: bool,
    facts: &mut FileFacts,
) {
    let Some((ctor, ctor_at, args)) = constructor_call(text, lines, open) else {
        return;
    };
    let positional: Vec<&Arg<'_>> = args.iter().filter(|a| a.key.is_none()).collect();
    let (name, at) = if dict {
        let (Some(d), Some(k)) = (positional.first(), positional.get(1)) else {
            return;
        };
        let dict = scope.name(d.value, d.at).text();
        let key = scope.name(k.value, k.at).text();
        (format!("{dict}['{key}']"), k.at)
    } else {
        let Some(n) = positional.first() else { return };
        (scope.name(n.value, n.at).text(), n.at)
    };
    let variable = assigned_to(text, lines, ctor_at);
    push_found(
        facts,
        lines,
        Name::Resolved(name),
        at,
        RefKind::Declaration,
        ToggleKind::Setting,
        ctor,
        variable,
    );
}

/// A django-waffle call or decorator whose `(` is at `open`: the name argument (`name=`, else
/// the second of two or more, as in `flag_is_active(request, NAME)`, else the first).
#[allow(clippy::too_many_arguments)]
fn call(
    text: &str,
    lines: &Lines,
    scope: &mut Scope<'_, '_>,
    open: usize,
    kind: RefKind,
    toggle: ToggleKind,
    via: &str,
    facts: &mut FileFacts,
) {
    let Some(args) = call_args(text, open) else {
        return;
    };
    let positional: Vec<&Arg<'_>> = args.iter().filter(|a| a.key.is_none()).collect();
    let keyed = args.iter().find(|a| {
        matches!(
            a.key,
            Some("name" | "flag_name" | "switch_name" | "sample_name")
        )
    });
    let takes_request = via.ends_with("flag_is_active");
    let arg = keyed.or_else(|| {
        if takes_request && positional.len() >= 2 {
            positional.get(1).copied()
        } else if takes_request && positional.len() == 1 && is_ident(positional[0].value) {
            // `flag_is_active(request)` alone is not a call that names a flag
            None
        } else {
            positional.first().copied()
        }
    });
    let Some(arg) = arg else {
        return;
    };
    let name = match scope.name(arg.value, arg.at) {
        Name::Resolved(n) => Name::Resolved(n.trim_start_matches('!').to_string()),
        p => p,
    };
    push_found(facts, lines, name, arg.at, kind, toggle, via, None);
}

/// A template tag at `at` (the `{%`): `{% flag "x" %}`, `{% switch x %}`, `{% sample 'x' %}`.
fn template_tag(text: &str, lines: &Lines, at: usize, facts: &mut FileFacts) {
    let rest = &text[at + 2..];
    let rest_t = rest.trim_start_matches(['-', ' ', '\t']);
    let skipped = rest.len() - rest_t.len();
    let word_len = rest_t
        .bytes()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let word = &rest_t[..word_len];
    let toggle = match word {
        "flag" => ToggleKind::Flag,
        "switch" => ToggleKind::Switch,
        "sample" => ToggleKind::Sample,
        _ => return,
    };
    let after = &rest_t[word_len..];
    let arg = after.trim_start_matches([' ', '\t']);
    if arg.len() == after.len() {
        return;
    }
    let arg_at = at + 2 + skipped + word_len + (after.len() - arg.len());
    let name = match string_at(arg.as_bytes(), 0) {
        Some((_, v, _)) => v,
        None => arg
            .bytes()
            .take_while(|&c| name_byte(c) || c == b'.')
            .map(char::from)
            .collect(),
    };
    if name.is_empty() {
        return;
    }
    facts.found.push(Found {
        name,
        pattern: None,
        line: lines.line_of(arg_at),
        kind: RefKind::TemplateTag,
        toggle: Some(toggle),
        via: format!("{{% {word} %}}"),
        variable: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, u32, RefKind)> {
        recognise(text)
            .found
            .into_iter()
            .map(|f| (f.name, f.line, f.kind))
            .collect()
    }

    #[test]
    fn whole_names_only() {
        let hay = b"foo.bar foo.bar_baz x.foo.bar foo.bar. 'foo.bar'";
        let hits: Vec<usize> = memchr::memmem::find_iter(hay, b"foo.bar")
            .filter(|&s| whole_name(hay, s, s + 7))
            .collect();
        assert_eq!(hits, vec![0, 30, 40]);
    }

    #[test]
    fn declarations_with_namespaces_over_two_lines() {
        let src = "from edx_toggles.toggles import LegacyWaffleFlagNamespace, CourseWaffleFlag\n\
                   WAFFLE_FLAG_NAMESPACE = LegacyWaffleFlagNamespace(\n    name='course_experience'\n)\n\
                   RELATIVE = CourseWaffleFlag(\n    WAFFLE_FLAG_NAMESPACE, 'relative_dates', __name__\n)\n\
                   NS = 'learner'\n\
                   NEW = WaffleFlag(f'{NS}.new_home', __name__)\n\
                   EXP = ExperimentWaffleFlag(WAFFLE_FLAG_NAMESPACE, \"upsell\", __name__, num_buckets=3)\n\
                   SW = WaffleSwitch('plain.switch', module_name=__name__)\n";
        let facts = recognise(src);
        let got: Vec<(String, u32, Option<String>)> = facts
            .found
            .iter()
            .map(|f| (f.name.clone(), f.line, f.variable.clone()))
            .collect();
        assert!(
            got.contains(&(
                "course_experience.relative_dates".into(),
                6,
                Some("RELATIVE".into())
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&("learner.new_home".into(), 9, Some("NEW".into()))),
            "{got:?}"
        );
        assert!(
            got.contains(&("course_experience.upsell".into(), 10, Some("EXP".into()))),
            "{got:?}"
        );
        assert!(
            got.contains(&("plain.switch".into(), 11, Some("SW".into()))),
            "{got:?}"
        );
        assert_eq!(got.len(), 4, "{got:?}");
    }

    #[test]
    fn calls_decorators_and_tags() {
        let src = "if flag_is_active(request, 'a.b'):\n@waffle_switch('!sw')\n{% flag \"tpl\" %}x{% endflag %}\n{% sample smp %}\nswitch_is_active(\n  'two_lines')\n";
        let got = names(src);
        assert!(got.contains(&("a.b".into(), 1, RefKind::Call)));
        assert!(got.contains(&("sw".into(), 2, RefKind::Decorator)));
        assert!(got.contains(&("tpl".into(), 3, RefKind::TemplateTag)));
        assert!(got.contains(&("smp".into(), 4, RefKind::TemplateTag)));
        assert!(got.contains(&("two_lines".into(), 6, RefKind::Call)));
    }

    #[test]
    fn mention_kinds() {
        assert_eq!(mention_kind("x = 'a.b'".as_bytes(), 5, 3), RefKind::Literal);
        assert_eq!(
            mention_kind("x = 1  # a.b is gone".as_bytes(), 9, 3),
            RefKind::Comment
        );
        assert_eq!(
            mention_kind("s = '#'; t = \"a.b\"".as_bytes(), 14, 3),
            RefKind::Literal
        );
        assert_eq!(mention_kind("see a.b here".as_bytes(), 4, 3), RefKind::Text);
        assert_eq!(mention_kind("// a.b".as_bytes(), 3, 3), RefKind::Comment);
    }
}
