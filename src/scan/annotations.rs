//! Open edX feature-toggle annotations (OEP-17), read exactly as Open edX's `code_annotations`
//! tool reads them (`code_annotations static_find_annotations` with the configuration it ships,
//! `contrib/config/feature_toggle_annotations.yaml`, code-annotations 2.3.2). Pure: text in,
//! annotation groups out.
//!
//! What the tool does, step by step, and what this module does the same way:
//! - files: the configuration names the `python` extension for `*.py`; the tool's `javascript`
//!   extension reads `*.js` with JavaScript's comment syntax ([`language`]);
//! - comments: one regular expression walks the file and finds, at each position, either a
//!   multi-line comment (`"""` … `"""` in Python, `/*` … `*/` in JavaScript; in Python every
//!   triple-double-quoted string counts) or a run of single-line comments (`#` / `//` to the end
//!   of the line, followed by more such lines indented by spaces only). The single-line tokens are
//!   stripped (`^ *#`) and the comment's text searched for annotations ([`comments`]);
//! - annotations: a token (`.. toggle_name:` …) anywhere in the comment, its data running to the
//!   end of the line and over the following lines indented by the token's own indentation plus at
//!   least two spaces (that do not start with a token); token and data are stripped;
//! - groups: the annotations of one comment (same starting line) are one group; its line is the
//!   comment's first line. Choice tokens (`toggle_implementation`, `toggle_use_cases`) are split
//!   with `re.split(r',\s?|\s', data)` and checked against their choices; a group is checked for
//!   duplicate tokens and missing required ones, with the tool's own messages.

use std::path::Path;

use serde::Serialize;

use super::names::ToggleKind;

/// `toggle_implementation` choices.
pub const IMPLEMENTATIONS: &[&str] = &[
    "WaffleFlag",
    "WaffleSwitch",
    "CourseWaffleFlag",
    "ExperimentWaffleFlag",
    "SettingToggle",
    "SettingDictToggle",
    "ConfigurationModel",
    "DjangoSetting",
];

/// `toggle_use_cases` choices.
pub const USE_CASES: &[&str] = &[
    "temporary",
    "circuit_breaker",
    "vip",
    "opt_out",
    "opt_in",
    "open_edx",
];

/// One token of the `feature_toggle` group.
#[derive(Debug, Clone, Copy)]
pub struct TokenSpec {
    /// The token as written (`.. toggle_name:`).
    pub token: &'static str,
    pub optional: bool,
    /// The allowed values of a choice token (empty: free text).
    pub choices: &'static [&'static str],
}

const fn spec(token: &'static str, optional: bool, choices: &'static [&'static str]) -> TokenSpec {
    TokenSpec {
        token,
        optional,
        choices,
    }
}

/// The `feature_toggle` group, in the configuration's order.
pub const GROUP: &[TokenSpec] = &[
    spec(".. toggle_name:", false, &[]),
    spec(".. toggle_implementation:", false, IMPLEMENTATIONS),
    spec(".. toggle_default:", false, &[]),
    spec(".. toggle_description:", false, &[]),
    spec(".. toggle_use_cases:", false, USE_CASES),
    spec(".. toggle_creation_date:", false, &[]),
    spec(".. toggle_removal_ticket:", true, &[]),
    spec(".. toggle_target_removal_date:", true, &[]),
    spec(".. toggle_warning:", true, &[]),
    spec(".. toggle_tickets:", true, &[]),
];

/// A language the tool has an extension for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Javascript,
}

impl Language {
    fn syntax(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Language::Python => ("\"\"\"", "\"\"\"", "#"),
            Language::Javascript => ("/*", "*/", "//"),
        }
    }
}

/// The language whose comments the tool reads in `path`: `*.py` (the feature-toggle
/// configuration's one extension) and `*.js` (the tool's JavaScript extension).
pub fn language(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "py" => Some(Language::Python),
        "js" => Some(Language::Javascript),
        _ => None,
    }
}

/// One annotation: a token and its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The token without `.. ` and `:` (`toggle_name`).
    pub key: &'static str,
    /// The data, stripped (a multi-line value keeps its inner newlines and indentation).
    pub data: String,
    /// A choice token's values, split as the tool splits them (may hold empty strings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// 1-based line of the token.
    pub line: u32,
}

/// The annotations of one comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// 1-based line where the comment starts (the tool's `line_number`).
    pub line: u32,
    /// 1-based line where the comment ends.
    pub end_line: u32,
    pub fields: Vec<Field>,
    /// What the tool's linting says of the group, in its words.
    pub errors: Vec<String>,
}

impl Group {
    /// The first field with `key` (`toggle_name`...).
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
    /// A field's data, when present and not empty.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key)
            .map(|f| f.data.as_str())
            .filter(|d| !d.is_empty())
    }
    /// The `toggle_name`, when the group has one.
    pub fn name(&self) -> Option<&str> {
        self.text("toggle_name")
    }
    /// A choice field's non-empty values.
    pub fn choices(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|f| f.values.iter().filter(|v| !v.is_empty()).cloned().collect())
            .unwrap_or_default()
    }
}

/// How many lines after an annotation comment the declaration it documents may start.
pub const ATTACH_WITHIN: u32 = 3;

/// The declaration the annotation group `groups[i]` documents: the first declaration in the same
/// file that starts within [`ATTACH_WITHIN`] lines after the comment, before the next group.
/// `groups` and `code_names` are sorted by path and line, as [`super::scan`] leaves them.
pub fn declaration_of<'s>(
    groups: &[super::GroupAt],
    i: usize,
    code_names: &'s [super::CodeName],
) -> Option<&'s super::CodeName> {
    let g = &groups[i];
    let from = g.group.end_line;
    let until = groups
        .get(i + 1)
        .filter(|n| n.path == g.path)
        .map_or(u32::MAX, |n| n.group.line)
        .min(from.saturating_add(ATTACH_WITHIN + 1));
    let start =
        code_names.partition_point(|c| (c.path.as_str(), c.found.line) <= (g.path.as_str(), from));
    code_names[start..]
        .iter()
        .take_while(|c| c.path == g.path && c.found.line < until)
        .find(|c| c.found.kind == super::RefKind::Declaration)
}

/// The name the annotation group `groups[i]` documents: the resolved name of its declaration
/// (a declaration whose name is a pattern: the annotated name when the pattern matches it), else
/// its `toggle_name`.
pub fn documented_name(
    groups: &[super::GroupAt],
    i: usize,
    code_names: &[super::CodeName],
) -> Option<String> {
    let written = groups[i].group.name();
    match declaration_of(groups, i, code_names) {
        Some(c) => match &c.found.pattern {
            None => Some(c.found.name.clone()),
            Some(p) => written.filter(|n| p.matches(n)).map(str::to_string),
        },
        None => written.map(str::to_string),
    }
}

/// The kind of toggle an annotation describes: its `toggle_implementation`, except that a name
/// spelled as a Django setting (`FEATURES['X']`) is a setting whatever it says.
pub fn kind_of(name: Option<&str>, implementation: Option<&str>) -> Option<ToggleKind> {
    if name.is_some_and(ToggleKind::is_setting_name) {
        return Some(ToggleKind::Setting);
    }
    ToggleKind::of_implementation(implementation?)
}

impl Group {
    /// The kind of toggle the group describes ([`kind_of`]).
    pub fn toggle(&self) -> Option<ToggleKind> {
        kind_of(
            self.name(),
            self.choices("toggle_implementation")
                .first()
                .map(String::as_str),
        )
    }
    /// The line of the `toggle_name` token (where the name is written), else the group's line.
    pub fn name_line(&self) -> u32 {
        self.get("toggle_name").map_or(self.line, |f| f.line)
    }
}

/// An annotation whose `toggle_name` is not the name of the declaration it documents: a
/// documentation mismatch, not a toggle of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The `toggle_name` as written (`enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM`).
    pub written: String,
    /// The name the documented declaration resolves to.
    pub declared: String,
    pub path: String,
    /// The line of the `toggle_name` token.
    pub line: u32,
}

/// An annotation group that documents a toggle: the group's index in the scan's `groups`, and
/// the toggle's name (as its declaration resolves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents {
    pub group: usize,
    pub name: String,
}

/// What the annotation groups of a scan say, attached to the declarations they document: the
/// toggles they document (under the name their declaration resolves to), and the annotations
/// whose `toggle_name` differs from that name (documentation mismatches: the written name is no
/// toggle). `groups` and `code_names` sorted as
/// [`super::scan`] leaves them.
pub fn attach(
    groups: &[super::GroupAt],
    code_names: &[super::CodeName],
) -> (Vec<Documents>, Vec<Mismatch>) {
    let mut documented = Vec::new();
    let mut mismatches = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        // a declaration whose pattern does not match the written name: the annotation stands alone
        let Some(name) =
            documented_name(groups, i, code_names).or_else(|| g.group.name().map(str::to_string))
        else {
            continue;
        };
        if let Some(written) = g.group.name().filter(|w| *w != name) {
            mismatches.push(Mismatch {
                written: written.to_string(),
                declared: name.clone(),
                path: g.path.clone(),
                line: g.group.name_line(),
            });
        }
        documented.push(Documents { group: i, name });
    }
    (documented, mismatches)
}

impl Documents {
    /// The toggle as a code name: of kind [`super::RefKind::Annotation`], at the line of the
    /// `toggle_name` token, with the `toggle_implementation` as how it is named.
    pub fn code_name(&self, groups: &[super::GroupAt]) -> super::CodeName {
        let g = &groups[self.group];
        super::CodeName {
            path: g.path.clone(),
            found: super::Found {
                name: self.name.clone(),
                pattern: None,
                line: g.group.name_line(),
                kind: super::RefKind::Annotation,
                toggle: g.group.toggle(),
                via: g
                    .group
                    .text("toggle_implementation")
                    .unwrap_or("toggle annotation")
                    .to_string(),
                variable: None,
            },
        }
    }
}

/// `text` as Python reads a file in text mode: `\r\n` and `\r` become `\n`.
fn universal_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A comment found by the tool's comment expression: where it starts and ends, and its text
/// (single-line tokens stripped). Lines of the text match lines of the file from `start`.
struct Comment {
    start: usize,
    end: usize,
    text: String,
}

/// The comments of `text` (newlines already universal), in order, as the tool's
/// `comment_regex.finditer` yields them (empty matches left out).
fn comments(text: &str, lang: Language) -> Vec<Comment> {
    let (multi_start, multi_end, single) = lang.syntax();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        let rest = &text[p..];
        if rest.starts_with(multi_start)
            && let Some(e) = text[p + multi_start.len()..].find(multi_end)
        {
            let from = p + multi_start.len();
            let end = from + e + multi_end.len();
            out.push(Comment {
                start: p,
                end,
                text: text[from..from + e].to_string(),
            });
            p = end;
            continue;
        }
        if rest.starts_with(single) {
            // (?:{single}.*\n?\ *)*
            let mut q = p;
            let mut last = p;
            while text[q..].starts_with(single) {
                let eol = text[q..].find('\n').map_or(b.len(), |i| q + i);
                last = eol;
                q = eol;
                if q < b.len() {
                    q += 1;
                }
                while q < b.len() && b[q] == b' ' {
                    q += 1;
                }
            }
            out.push(Comment {
                start: p,
                end: last,
                text: strip_single(&text[p..q], single),
            });
            p = q;
            continue;
        }
        p += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// `re.sub(r"^ *{single}", "", text, flags=re.MULTILINE)`.
fn strip_single(text: &str, single: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let t = line.trim_start_matches(' ');
        match t.strip_prefix(single) {
            Some(r) => out.push_str(r),
            None => out.push_str(line),
        }
    }
    out
}

/// The token of [`GROUP`] that `s` starts with.
fn token_at(s: &str) -> Option<&'static TokenSpec> {
    GROUP.iter().find(|t| s.starts_with(t.token))
}

/// `re.split(r',\s?|\s', data)`.
fn split_choices(data: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ',' {
            if chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            out.push(String::new());
        } else if c.is_whitespace() {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// The annotations in one comment's text: (token, raw data, offset of the token in the text).
fn annotations_in(text: &str) -> Vec<(&'static TokenSpec, &str, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // (?P<space>[\ \t]*)(?P<token>...)
        let mut s = i;
        while s < b.len() && matches!(b[s], b' ' | b'\t') {
            s += 1;
        }
        let Some(tok) = token_at(&text[s..]) else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let space = &text[i..s];
        let data_start = s + tok.token.len();
        let mut j = data_start;
        loop {
            if j < b.len() && b[j] != b'\n' {
                j += text[j..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            // \n{1,}(?P=space)(?P<indent>\ {2,})(?=[^\ ])(?!tokens)
            let mut k = j;
            while k < b.len() && b[k] == b'\n' {
                k += 1;
            }
            if k == j || !text[k..].starts_with(space) {
                break;
            }
            k += space.len();
            let indent_from = k;
            while k < b.len() && b[k] == b' ' {
                k += 1;
            }
            if k - indent_from < 2 || k >= b.len() || token_at(&text[k..]).is_some() {
                break;
            }
            j = k;
        }
        out.push((tok, &text[data_start..j], s));
        i = j.max(i + 1);
    }
    out
}

/// The annotation groups of a file's text, as the tool finds and checks them.
pub fn parse(text: &str, lang: Language) -> Vec<Group> {
    if !GROUP.iter().any(|t| text.contains(t.token)) {
        return Vec::new();
    }
    let text = universal_newlines(text);
    let text = text.as_ref();
    let line_of =
        |offset: usize| 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count();
    let mut groups: Vec<Group> = Vec::new();
    for c in comments(text, lang) {
        let found = annotations_in(&c.text);
        if found.is_empty() {
            continue;
        }
        let line = line_of(c.start) as u32;
        let mut fields = Vec::new();
        for (tok, data, at) in found {
            let data = data.trim().to_string();
            let values = if tok.choices.is_empty() {
                Vec::new()
            } else {
                split_choices(&data)
            };
            let within = memchr::memchr_iter(b'\n', &c.text.as_bytes()[..at]).count() as u32;
            fields.push(Field {
                key: &tok.token[3..tok.token.len() - 1],
                data,
                values,
                line: line + within,
            });
        }
        let end_line = line_of(c.end.max(c.start)) as u32;
        // groups are runs of annotations with the same line number
        match groups.last_mut() {
            Some(g) if g.line == line => {
                g.fields.extend(fields);
                g.end_line = g.end_line.max(end_line);
            }
            _ => groups.push(Group {
                line,
                end_line,
                fields,
                errors: Vec::new(),
            }),
        }
    }
    for g in &mut groups {
        g.errors = check(g);
    }
    groups
}

/// Python's `repr` of a list of strings: `['a', 'b']`.
fn py_list(items: &[&str]) -> String {
    let v: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    format!("[{}]", v.join(", "))
}

/// The tool's `check_group` (choices, duplicates, missing required tokens), in its words.
fn check(g: &Group) -> Vec<String> {
    let mut errors = Vec::new();
    let spec_of = |key: &str| GROUP.iter().find(|t| &t.token[3..t.token.len() - 1] == key);
    let mut found: Vec<&str> = Vec::new();
    for f in &g.fields {
        let Some(spec) = spec_of(f.key) else { continue };
        if !spec.choices.is_empty() {
            if f.values.first().is_some_and(|v| !v.is_empty()) {
                let mut valid: Vec<&str> = Vec::new();
                for v in &f.values {
                    if !spec.choices.contains(&v.as_str()) {
                        errors.push(format!(
                            "\"{v}\" is not a valid choice for \"{}\". Expected one of {}.",
                            spec.token,
                            py_list(spec.choices)
                        ));
                    } else if valid.contains(&v.as_str()) {
                        errors.push(format!("\"{v}\" is already present in this annotation."));
                    } else {
                        valid.push(v);
                    }
                }
            } else {
                errors.push(format!(
                    "no value found for \"{}\". Expected one of {}.",
                    spec.token,
                    py_list(spec.choices)
                ));
            }
        }
        if found.contains(&spec.token) {
            errors.push(format!("found duplicate token '{}'", spec.token));
        }
        found.push(spec.token);
    }
    for t in GROUP {
        if !t.optional && !found.contains(&t.token) {
            errors.push(format!("missing non-optional annotation: '{}'", t.token));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(groups: &[Group]) -> Vec<(u32, Option<&str>)> {
        groups.iter().map(|g| (g.line, g.name())).collect()
    }

    #[test]
    fn comment_block_is_one_group_with_continuations() {
        let src = "import x\n\n# .. toggle_name: ns.flag\n# .. toggle_implementation: WaffleFlag\n# .. toggle_default: False\n# .. toggle_description: first line\n#   second line\n# .. toggle_use_cases: temporary, open_edx\n# .. toggle_creation_date: 2020-01-01\nFLAG = WaffleFlag('ns.flag', __name__)\n";
        let g = parse(src, Language::Python);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].line, 3);
        assert_eq!(g[0].end_line, 9);
        assert_eq!(g[0].name(), Some("ns.flag"));
        assert_eq!(
            g[0].text("toggle_description"),
            Some("first line\n   second line")
        );
        assert_eq!(
            g[0].choices("toggle_use_cases"),
            vec!["temporary", "open_edx"]
        );
        assert_eq!(g[0].get("toggle_use_cases").map(|f| f.line), Some(8));
        assert!(g[0].errors.is_empty(), "{:?}", g[0].errors);
        assert_eq!(g[0].choices("toggle_implementation"), vec!["WaffleFlag"]);
    }

    #[test]
    fn docstrings_count_and_single_quoted_ones_do_not() {
        let src = "\"\"\"\n.. toggle_name: a.b\n.. toggle_implementation: WaffleSwitch\n\"\"\"\n'''\n.. toggle_name: not.read\n'''\n";
        let g = parse(src, Language::Python);
        assert_eq!(names(&g), vec![(1, Some("a.b"))]);
        assert_eq!(g[0].choices("toggle_implementation"), vec!["WaffleSwitch"]);
        assert!(
            g[0].errors
                .contains(&"missing non-optional annotation: '.. toggle_default:'".to_string())
        );
    }

    #[test]
    fn a_code_line_ends_a_comment_and_starts_another_group() {
        let src = "# .. toggle_name: one\nX = 1\n# .. toggle_name: two\n";
        assert_eq!(
            names(&parse(src, Language::Python)),
            vec![(1, Some("one")), (3, Some("two"))]
        );
        // a tab-indented comment line is not part of the run (the tool allows spaces only)
        let src = "# .. toggle_name: one\n\t# .. toggle_default: x\n";
        let g = parse(src, Language::Python);
        assert_eq!(names(&g), vec![(1, Some("one")), (2, None)]);
    }

    #[test]
    fn choices_are_split_and_checked_as_the_tool_does() {
        assert_eq!(split_choices("a,  b"), vec!["a", "", "b"]);
        assert_eq!(split_choices("a, b c"), vec!["a", "b", "c"]);
        assert_eq!(split_choices(""), vec![""]);
        let src = "// .. toggle_name: js.x\n// .. toggle_implementation: Bogus\n// .. toggle_use_cases: vip, vip\n";
        let g = parse(src, Language::Javascript);
        assert_eq!(g.len(), 1);
        let e = &g[0].errors;
        assert!(e[0].starts_with("\"Bogus\" is not a valid choice for \".. toggle_implementation:\". Expected one of ['WaffleFlag', "), "{e:?}");
        assert!(e.contains(&"\"vip\" is already present in this annotation.".to_string()));
    }

    #[test]
    fn an_annotation_counts_for_the_declaration_it_documents() {
        let src = "NS = 'ns'\n# .. toggle_name: ns.CONST\n# .. toggle_implementation: WaffleFlag\nCONST = WaffleFlag(f'{NS}.const', __name__)\n# .. toggle_name: ns.alone\n";
        let at = |path: &str| path.to_string();
        let groups: Vec<super::super::GroupAt> = parse(src, Language::Python)
            .into_iter()
            .map(|group| super::super::GroupAt {
                path: at("a.py"),
                group,
            })
            .collect();
        let code_names: Vec<super::super::CodeName> = super::super::recognise::recognise(src)
            .found
            .into_iter()
            .map(|found| super::super::CodeName {
                path: at("a.py"),
                found,
            })
            .collect();
        let (documents, mismatches) = attach(&groups, &code_names);
        let names: Vec<&str> = documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["ns.const", "ns.alone"]);
        assert_eq!(
            mismatches,
            vec![Mismatch {
                written: "ns.CONST".into(),
                declared: "ns.const".into(),
                path: "a.py".into(),
                line: 2,
            }]
        );
        let c = documents[0].code_name(&groups);
        assert_eq!(
            (c.found.name.as_str(), c.found.line, c.found.toggle),
            ("ns.const", 2, Some(ToggleKind::Flag))
        );
    }

    #[test]
    fn crlf_and_js_block_comments() {
        let src = "/*\r\n * .. toggle_name: js.block\r\n */\r\n";
        let g = parse(src, Language::Javascript);
        // inside /* */ the ` * ` prefix is not stripped: the token is still found mid-line
        assert_eq!(names(&g), vec![(1, Some("js.block"))]);
        assert_eq!(g[0].get("toggle_name").map(|f| f.line), Some(2));
        assert!(parse("x = '.. toggle_name: in.a.string'\n", Language::Python).is_empty());
    }
}
