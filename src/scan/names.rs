//! The reference model: what kind of toggle code reads ([`ToggleKind`]), and the name it reads,
//! built as Python builds it ([`Expr`] → [`Name`]): string literals, f-strings, `.format()`, `%`
//! and `+` over constants. A part that cannot be known statically (a function argument, a loop
//! variable, a value read at run time) becomes `*`, and the name becomes a [`Pattern`]: every
//! store toggle it matches may be the one the code reads. Pure: looking names up is the caller's
//! ([`Env`]), so the same evaluation serves one file ([`super::recognise`]) and a whole tree
//! ([`super::resolve`]).

use std::fmt;

use serde::Serialize;

/// The kind of toggle the code reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ToggleKind {
    /// A django-waffle flag: `WaffleFlag`, `CourseWaffleFlag`, `ExperimentWaffleFlag`,
    /// `flag_is_active`, `{% flag %}`, `@waffle_flag`.
    Flag,
    /// A django-waffle switch: `WaffleSwitch`, `switch_is_active`, `{% switch %}`, `@waffle_switch`.
    Switch,
    /// A django-waffle sample: `sample_is_active`, `{% sample %}`.
    Sample,
    /// Not a waffle toggle: a Django setting (`SettingToggle`, `SettingDictToggle`,
    /// `FEATURES['X']`). No store row can change it.
    Setting,
}

impl ToggleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ToggleKind::Flag => "flag",
            ToggleKind::Switch => "switch",
            ToggleKind::Sample => "sample",
            ToggleKind::Setting => "setting",
        }
    }

    /// Whether a row of the store decides it (flag, switch, sample).
    pub fn is_waffle(self) -> bool {
        self != ToggleKind::Setting
    }

    /// The kind a store type is read as: an edX experiment is its main flag.
    pub fn of_store_type(t: &str) -> Option<ToggleKind> {
        match t {
            "flag" | "experiment" => Some(ToggleKind::Flag),
            "switch" => Some(ToggleKind::Switch),
            "sample" => Some(ToggleKind::Sample),
            _ => None,
        }
    }

    /// The kind an edx-toggles class or annotation `toggle_implementation` stands for:
    /// `CourseWaffleFlag` → flag, `WaffleSwitch` → switch, `SettingDictToggle`/`DjangoSetting`
    /// → setting. None for anything else.
    pub fn of_implementation(imp: &str) -> Option<ToggleKind> {
        if imp.contains("Setting") {
            Some(ToggleKind::Setting)
        } else if imp.contains("WaffleSwitch") {
            Some(ToggleKind::Switch)
        } else if imp.contains("WaffleFlag") {
            Some(ToggleKind::Flag)
        } else if imp.contains("WaffleSample") {
            Some(ToggleKind::Sample)
        } else {
            None
        }
    }

    /// Whether `name` is spelled as a Django setting rather than a waffle name:
    /// `FEATURES['X']`, `settings.X` (waffle names have no brackets).
    pub fn is_setting_name(name: &str) -> bool {
        name.contains('[') || name.starts_with("settings.")
    }
}

impl fmt::Display for ToggleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of a name: known text, or a part only known at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    Any,
}

/// A name with parts only known at run time, as `*` (`edx_proctoring.*_ping_failure_passthrough`).
/// `*` matches any text, also none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
}

impl Pattern {
    /// The pattern as text, each unknown part a `*`.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.as_str(),
                Part::Any => "*",
            })
            .collect()
    }

    /// Whether `name` could be what the code builds.
    pub fn matches(&self, name: &str) -> bool {
        fn go(parts: &[Part], s: &str) -> bool {
            match parts.split_first() {
                None => s.is_empty(),
                Some((Part::Lit(l), rest)) => {
                    s.strip_prefix(l.as_str()).is_some_and(|r| go(rest, r))
                }
                Some((Part::Any, rest)) => {
                    (0..=s.len()).any(|i| s.is_char_boundary(i) && go(rest, &s[i..]))
                }
            }
        }
        go(&self.parts, name)
    }
}

/// The name code reads: resolved, or a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Resolved(String),
    Pattern(Pattern),
}

impl Name {
    /// Joins parts: adjacent text merged, adjacent unknowns one `*`.
    pub fn from_parts(parts: Vec<Part>) -> Name {
        let mut out: Vec<Part> = Vec::new();
        for p in parts {
            match (out.last_mut(), p) {
                (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
                (Some(Part::Any), Part::Any) => {}
                (_, Part::Lit(b)) if b.is_empty() => {}
                (_, p) => out.push(p),
            }
        }
        if out.iter().all(|p| matches!(p, Part::Lit(_))) {
            Name::Resolved(
                out.into_iter()
                    .map(|p| match p {
                        Part::Lit(s) => s,
                        Part::Any => String::new(),
                    })
                    .collect(),
            )
        } else {
            Name::Pattern(Pattern { parts: out })
        }
    }

    /// The name, or the pattern's text.
    pub fn text(&self) -> String {
        match self {
            Name::Resolved(s) => s.clone(),
            Name::Pattern(p) => p.text(),
        }
    }
}

/// A Python expression that builds a string, as far as names are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Lit(String),
    /// A name or dotted name (`NS`, `toggles.SHOW_BANNER`, `self.NAME`).
    Sym(String),
    /// `a + b`, adjacent literals, the pieces of an f-string.
    Concat(Vec<Expr>),
    /// `template.format(positional..., key=value...)`.
    Format(Box<Expr>, Vec<Expr>, Vec<(String, Expr)>),
    /// `template % value` or `template % (values...)`.
    Percent(Box<Expr>, Vec<Expr>),
    /// Anything else: a call, a subscript, a value only known at run time.
    Any,
}

/// How an evaluation looks names up.
pub trait Env {
    /// The value of `sym` (`NS`, `mod.NAME`), or None when it cannot be known.
    fn sym(&mut self, sym: &str, depth: u32) -> Option<Vec<Part>>;
}

/// How deep constants may refer to constants (also stops cycles).
pub const MAX_DEPTH: u32 = 12;

impl Expr {
    /// Parses the text of an expression. Text it does not understand is [`Expr::Any`].
    pub fn parse(s: &str) -> Expr {
        let mut p = Parser {
            s: s.as_bytes(),
            text: s,
            i: 0,
            failed: false,
        };
        let e = p.sum();
        p.ws();
        if !p.failed && p.i == p.s.len() {
            e
        } else {
            Expr::Any
        }
    }

    /// The parts of the string it builds.
    pub fn eval(&self, env: &mut dyn Env, depth: u32) -> Vec<Part> {
        if depth > MAX_DEPTH {
            return vec![Part::Any];
        }
        match self {
            Expr::Lit(s) => vec![Part::Lit(s.clone())],
            Expr::Any => vec![Part::Any],
            Expr::Sym(s) => env.sym(s, depth + 1).unwrap_or_else(|| vec![Part::Any]),
            Expr::Concat(v) => v.iter().flat_map(|e| e.eval(env, depth + 1)).collect(),
            Expr::Format(t, pos, kw) => {
                let Some(t) = literal(t.eval(env, depth + 1)) else {
                    return vec![Part::Any];
                };
                format(&t, pos, kw, env, depth)
            }
            Expr::Percent(t, args) => {
                let Some(t) = literal(t.eval(env, depth + 1)) else {
                    return vec![Part::Any];
                };
                percent(&t, args, env, depth)
            }
        }
    }
}

/// The text of parts that are all known.
fn literal(parts: Vec<Part>) -> Option<String> {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Lit(l) => s.push_str(&l),
            Part::Any => return None,
        }
    }
    Some(s)
}

/// `str.format`: `{}`, `{0}`, `{name}`; a field with an attribute, index, conversion or spec is
/// unknown.
fn format(
    t: &str,
    pos: &[Expr],
    kw: &[(String, Expr)],
    env: &mut dyn Env,
    depth: u32,
) -> Vec<Part> {
    let mut out = Vec::new();
    let mut next = 0usize;
    let mut lit = String::new();
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if t[i + 1..].starts_with('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if t[i + 1..].starts_with('}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let Some(close) = t[i..].find('}') else {
                    return vec![Part::Any];
                };
                let field = &t[i + 1..i + close];
                while chars.peek().is_some_and(|(j, _)| *j <= i + close) {
                    chars.next();
                }
                out.push(Part::Lit(std::mem::take(&mut lit)));
                let arg = if field.is_empty() {
                    next += 1;
                    pos.get(next - 1)
                } else if let Ok(n) = field.parse::<usize>() {
                    pos.get(n)
                } else if field
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    kw.iter().find(|(k, _)| k == field).map(|(_, e)| e)
                } else {
                    None
                };
                match arg {
                    Some(e) => out.extend(e.eval(env, depth + 1)),
                    None => out.push(Part::Any),
                }
            }
            c => lit.push(c),
        }
    }
    out.push(Part::Lit(lit));
    out
}

/// `%` formatting: `%s`, `%d`, `%i` take the next value; `%%` is `%`; others are unknown.
fn percent(t: &str, args: &[Expr], env: &mut dyn Env, depth: u32) -> Vec<Part> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut next = 0usize;
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => lit.push('%'),
            Some('s' | 'd' | 'i') => {
                out.push(Part::Lit(std::mem::take(&mut lit)));
                match args.get(next) {
                    Some(e) => out.extend(e.eval(env, depth + 1)),
                    None => out.push(Part::Any),
                }
                next += 1;
            }
            _ => return vec![Part::Any],
        }
    }
    out.push(Part::Lit(lit));
    out
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    failed: bool,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len()
            && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r' | b'\\')
        {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, lit: &str) -> bool {
        self.ws();
        if self.text[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    /// `a + b + ...`
    fn sum(&mut self) -> Expr {
        let mut parts = vec![self.postfix()];
        while !self.failed && self.peek() == Some(b'+') {
            self.i += 1;
            parts.push(self.postfix());
        }
        if parts.len() == 1 {
            parts.pop().unwrap_or(Expr::Any)
        } else {
            Expr::Concat(parts)
        }
    }

    /// An atom followed by `.format(...)` or `% value`.
    fn postfix(&mut self) -> Expr {
        let mut e = self.atom();
        while !self.failed {
            if self.eat(".format(") {
                let mut pos = Vec::new();
                let mut kw = Vec::new();
                let read = self.arguments(|p| {
                    let save = p.i;
                    let key = p.ident().to_string();
                    if !key.is_empty() && p.peek() == Some(b'=') && p.s.get(p.i + 1) != Some(&b'=')
                    {
                        p.i += 1;
                        kw.push((key, p.sum()));
                    } else {
                        p.i = save;
                        pos.push(p.sum());
                    }
                });
                if !read {
                    return Expr::Any;
                }
                e = Expr::Format(Box::new(e), pos, kw);
            } else if self.peek() == Some(b'%') {
                self.i += 1;
                let args = if self.eat("(") {
                    let mut v = Vec::new();
                    if !self.arguments(|p| v.push(p.sum())) {
                        return Expr::Any;
                    }
                    v
                } else {
                    vec![self.atom()]
                };
                e = Expr::Percent(Box::new(e), args);
            } else {
                return e;
            }
        }
        Expr::Any
    }

    /// Reads the comma-separated arguments up to and including the closing `)` (the opening
    /// one already read), `argument` reading each; false when the text is not such a list (the
    /// parse has then failed).
    fn arguments(&mut self, mut argument: impl FnMut(&mut Self)) -> bool {
        loop {
            if self.failed {
                return false;
            }
            if self.eat(")") {
                return true;
            }
            argument(self);
            if !self.eat(",") && self.peek() != Some(b')') {
                self.fail();
                return false;
            }
        }
    }

    fn fail(&mut self) -> Expr {
        self.i = self.s.len();
        self.failed = true;
        Expr::Any
    }

    fn ident(&mut self) -> &str {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        &self.text[start..self.i]
    }

    fn atom(&mut self) -> Expr {
        let Some(c) = self.peek() else {
            return self.fail();
        };
        if c == b'(' {
            self.i += 1;
            let e = self.sum();
            return if self.eat(")") { e } else { self.fail() };
        }
        if c.is_ascii_digit() {
            let start = self.i;
            while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
                self.i += 1;
            }
            return Expr::Lit(self.text[start..self.i].to_string());
        }
        // strings, adjacent ones joined
        let mut strings = Vec::new();
        while let Some((f, content, end)) = self.string() {
            strings.push(if f {
                fstring(&content)
            } else {
                Expr::Lit(content)
            });
            self.i = end;
            self.ws();
        }
        if !strings.is_empty() {
            return if strings.len() == 1 {
                strings.pop().unwrap_or(Expr::Any)
            } else {
                Expr::Concat(strings)
            };
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = self.i;
            loop {
                self.ident();
                // `.format(` belongs to postfix
                if self.s.get(self.i) == Some(&b'.') && !self.text[self.i..].starts_with(".format(")
                {
                    self.i += 1;
                } else {
                    break;
                }
            }
            let sym = self.text[start..self.i].to_string();
            // a call or subscript: known only at run time
            if matches!(self.s.get(self.i), Some(b'(' | b'[')) {
                return self.fail();
            }
            return Expr::Sym(sym);
        }
        self.fail()
    }

    /// A string literal at the current position: (is f-string, content, end).
    fn string(&self) -> Option<(bool, String, usize)> {
        super::recognise::string_at(self.s, self.i)
    }
}

/// The pieces of an f-string's content: text, and `{expression}` parsed as an expression (a
/// conversion or format spec makes the piece unknown).
pub fn fstring(content: &str) -> Expr {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = content;
    while let Some(at) = rest.find(['{', '}']) {
        lit.push_str(&rest[..at]);
        let c = rest.as_bytes()[at];
        if rest[at + 1..].starts_with(c as char) {
            lit.push(c as char);
            rest = &rest[at + 2..];
            continue;
        }
        if c == b'}' {
            return Expr::Any;
        }
        let Some(close) = rest[at..].find('}') else {
            return Expr::Any;
        };
        let inner = &rest[at + 1..at + close];
        parts.push(Expr::Lit(std::mem::take(&mut lit)));
        parts.push(if inner.contains(['!', ':']) {
            Expr::Any
        } else {
            Expr::parse(inner)
        });
        rest = &rest[at + close + 1..];
    }
    lit.push_str(rest);
    parts.push(Expr::Lit(lit));
    Expr::Concat(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Env for Map {
        fn sym(&mut self, sym: &str, depth: u32) -> Option<Vec<Part>> {
            let v = *self.0.get(sym)?;
            Some(Expr::parse(v).eval(self, depth))
        }
    }

    fn name(expr: &str) -> String {
        let mut env = Map(HashMap::from([
            ("NS", "'ns'"),
            ("T", "'edx_proctoring.{}_ping_failure_passthrough'"),
            ("mod.X", "NS + '.x'"),
            ("LOOP", "LOOP + 'a'"),
        ]));
        Name::from_parts(Expr::parse(expr).eval(&mut env, 0)).text()
    }

    #[test]
    fn names_as_python_builds_them() {
        assert_eq!(name("'a.b'"), "a.b");
        assert_eq!(name("f'{NS}.x'"), "ns.x");
        assert_eq!(name("f\"{NS}.{flag_name}\""), "ns.*");
        assert_eq!(
            name("T.format(backend)"),
            "edx_proctoring.*_ping_failure_passthrough"
        );
        assert_eq!(name("'{}.{n}'.format(NS, n='y')"), "ns.y");
        assert_eq!(name("'%s.x_%d' % (NS, 3)"), "ns.x_3");
        assert_eq!(name("'%s.x' % NS"), "ns.x");
        assert_eq!(name("NS + '.' + 'x'"), "ns.x");
        assert_eq!(name("'ns' '.x'"), "ns.x");
        assert_eq!(name("mod.X"), "ns.x");
        assert_eq!(name("get_name()"), "*");
        assert_eq!(name("NS + d['k']"), "*");
        assert_eq!(name("f'{NS!r}'"), "*");
        // a cycle ends at the depth limit, unknown
        assert!(name("LOOP").starts_with('*'));
    }

    #[test]
    fn patterns_match_what_they_could_build() {
        let Name::Pattern(p) = Name::from_parts(vec![
            Part::Lit("a.".into()),
            Part::Any,
            Part::Lit("_x".into()),
        ]) else {
            panic!("not a pattern")
        };
        assert_eq!(p.text(), "a.*_x");
        assert!(p.matches("a.b_x"));
        assert!(p.matches("a._x"));
        assert!(p.matches("a.b_x_x"));
        assert!(!p.matches("a.b_y"));
        assert!(!p.matches("b.b_x"));
    }

    #[test]
    fn kinds() {
        for (class, kind) in [
            ("CourseWaffleFlag", ToggleKind::Flag),
            ("WaffleSwitch", ToggleKind::Switch),
            ("SettingDictToggle", ToggleKind::Setting),
            ("DjangoSetting", ToggleKind::Setting),
        ] {
            assert_eq!(ToggleKind::of_implementation(class), Some(kind), "{class}");
        }
        assert!(ToggleKind::is_setting_name("FEATURES['X']"));
        assert!(!ToggleKind::is_setting_name("ns.x"));
    }
}
