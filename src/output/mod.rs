//! Rendering: human tables (comfy-table), JSON (serde) and plain TSV.
//!
//! Data goes to stdout only; status lines, warnings and errors go to stderr (see [`crate::Ctx`]).

use std::io::Write;

use clap::ValueEnum;
use comfy_table::{Attribute, Cell, ContentArrangement, Table as Comfy, presets};
use serde::Serialize;

use crate::error::Result;

/// `--format`: how read commands print their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for people (the default).
    #[default]
    Table,
    /// Bare JSON objects and arrays, for scripts.
    Json,
    /// Tab-separated values without a header, for `cut`/`awk`.
    Plain,
    /// export/import/diff: wafflectl's versioned JSON document (their default)
    Native,
    /// export/import/diff: a Django fixture, as `manage.py dumpdata` writes it
    Django,
    /// export/import/diff: baseplate's experiments.json (baseplate experiments only)
    Baseplate,
}

/// `--color`: when to use colour on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Colour even into a pipe or file.
    Always,
    /// No colour.
    Never,
}

/// Writes to stdout; a closed pipe becomes [`crate::error::Kind::BrokenPipe`] (exit 0, silent).
pub fn out(text: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())?;
    if !text.ends_with('\n') && !text.is_empty() {
        o.write_all(b"\n")?;
    }
    o.flush()?;
    Ok(())
}

/// `text` with control characters escaped, so a stored name or note cannot move the cursor,
/// clear the screen or recolour a terminal: `\x1b` for ESC, `\r`, `\t`, `\u{9b}` for a C1
/// control. A newline is kept when `keep_newline` (a multi-line note in a table or `show`).
pub fn escape_controls(text: &str, keep_newline: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_newline && c == '\n');
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !bad(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`escape_controls`] for a one-line text (errors, warnings): newlines escaped too.
pub fn escape_control(text: &str) -> String {
    escape_controls(text, false).into_owned()
}

/// Writes `n` in decimal without the formatting machinery (bulk output, millions of lines).
#[inline]
pub fn write_u64(out: &mut impl Write, mut n: u64) -> std::io::Result<()> {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_all(&buf[i..])
}

/// Pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    out(&serde_json::to_string_pretty(value)?)
}

/// A table of rows that renders as columns, TSV, or not at all (JSON callers print their own).
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// Renders for `format` (`Json` renders like `Table`; commands print JSON themselves).
    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Plain => {
                // One record per line, one field per tab: no control character survives.
                let mut s = String::new();
                for r in &self.rows {
                    let cells: Vec<_> = r.iter().map(|c| escape_controls(c, false)).collect();
                    s.push_str(&cells.join("\t"));
                    s.push('\n');
                }
                s
            }
            _ => {
                let rows: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| escape_controls(c, true).into_owned())
                            .collect()
                    })
                    .collect();
                render_columns(&self.header, &rows, color)
            }
        }
    }
    pub fn print(&self, format: Format, color: bool) -> Result<()> {
        let s = self.render(format, color);
        if s.is_empty() { Ok(()) } else { out(&s) }
    }
}

fn render_columns(header: &[String], rows: &[Vec<String>], color: bool) -> String {
    let mut t = Comfy::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    let width = terminal_width();
    t.force_no_tty();
    if color {
        t.enforce_styling();
    }
    if let Some(w) = width {
        t.set_width(w);
    } else {
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    t.set_header(header.iter().map(|h| {
        let c = Cell::new(h);
        if color {
            c.add_attribute(Attribute::Bold)
        } else {
            c
        }
    }));
    for r in rows {
        t.add_row(r.iter().map(Cell::new));
    }
    // comfy-table pads every cell with one space on each side; drop the outer padding and the
    // trailing blanks so output is tidy in terminals and snapshots.
    let mut s = String::new();
    for line in t.lines() {
        let line = line
            .strip_prefix(' ')
            .unwrap_or(&line)
            .trim_end()
            .to_string();
        s.push_str(&line);
        s.push('\n');
    }
    s
}

/// Terminal width of stdout, or `$COLUMNS`, or none (no wrapping) when stdout is not a terminal.
fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(c);
    }
    crossterm_width()
}

fn crossterm_width() -> Option<u16> {
    let probe = Comfy::new();
    probe.width()
}

/// A key/value listing (`show` commands): two columns for people, `key<TAB>value` for plain.
pub struct Fields {
    rows: Vec<(String, String)>,
}

impl Fields {
    pub fn new() -> Self {
        Fields { rows: Vec::new() }
    }
    pub fn add(&mut self, k: impl Into<String>, v: impl Into<String>) -> &mut Self {
        self.rows.push((k.into(), v.into()));
        self
    }
    pub fn print(&self, format: Format, color: bool) -> Result<()> {
        match format {
            Format::Plain => {
                let mut s = String::new();
                for (k, v) in &self.rows {
                    // one record per line: multi-line values are joined, tabs become spaces
                    let v = v.lines().collect::<Vec<_>>().join("; ").replace('\t', " ");
                    let v = escape_controls(&v, false);
                    s.push_str(&format!("{k}\t{v}\n"));
                }
                out(&s)
            }
            _ => {
                let w = self
                    .rows
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                let mut s = String::new();
                for (k, v) in &self.rows {
                    let key = format!("{k:<w$}");
                    let key = if color {
                        format!("\x1b[1m{key}\x1b[0m")
                    } else {
                        key
                    };
                    let pad = " ".repeat(w + 2);
                    let v = escape_controls(v, true).replace('\n', &format!("\n{pad}"));
                    s.push_str(format!("{key}  {v}").trim_end());
                    s.push('\n');
                }
                out(&s)
            }
        }
    }
}

impl Default for Fields {
    fn default() -> Self {
        Self::new()
    }
}

/// `on`/`off`/`unset` for a tri-state `everyone`.
pub fn tri(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "on",
        Some(false) => "off",
        None => "unset",
    }
}

pub fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

/// Human list: `alice, bob` or `-`.
pub fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}
