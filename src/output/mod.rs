//! Rendering: human tables (comfy-table), JSON (serde) and plain TSV.
//!
//! Data goes to stdout only; status lines, warnings and errors go to stderr (see [`crate::Ctx`]).

pub mod ansi;

use std::io::Write;

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table as Comfy, Width, presets};
use serde::Serialize;

use crate::error::Result;
use ansi::Style;

/// How read commands print their data (`--format table|json|plain`, `--json`). The file
/// formats `--format` also names are [`crate::types::FileFormat`]; the command line's one
/// value of both is [`crate::types::FormatArg`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for people (the default).
    #[default]
    Table,
    /// Bare JSON objects and arrays, for scripts.
    Json,
    /// Tab-separated values without a header, for `cut`/`awk`.
    Plain,
    /// Comma-separated values with a header row (RFC 4180 quoting), for spreadsheets.
    Csv,
    /// A Markdown (GitHub) table, for wikis and pull requests.
    Markdown,
}

impl Format {
    /// The name `--format` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Plain => "plain",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }
}

/// Writes to stdout; a closed pipe becomes [`crate::error::Kind::BrokenPipe`] (exit 0, silent).
pub(crate) fn out(text: &str) -> Result<()> {
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
pub(crate) fn escape_controls(text: &str, keep_newline: bool) -> std::borrow::Cow<'_, str> {
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
pub(crate) fn escape_control(text: &str) -> String {
    escape_controls(text, false).into_owned()
}

/// Writes `n` in decimal without the formatting machinery (bulk output, millions of lines).
#[inline]
pub(crate) fn write_u64(out: &mut impl Write, mut n: u64) -> std::io::Result<()> {
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

/// `s` as a JSON string, as serde_json writes it; text that needs no escaping (usernames,
/// variant names) is copied as it is, without the formatting machinery.
#[inline]
pub(crate) fn write_json_str(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        serde_json::to_writer(&mut *out, s).map_err(std::io::Error::from)
    }
}

/// Pretty JSON on stdout.
/// `s` as one shell word, for a command line shown in a hint: as it is when it holds only
/// characters no shell treats specially, else in single quotes.
pub(crate) fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    out(&serde_json::to_string_pretty(value)?)
}

/// A table of rows that renders as columns, TSV, or not at all (JSON callers print their own).
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }
    pub(crate) fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }
    /// Renders for `format` (`Json` renders like `Table`; commands print JSON themselves).
    pub(crate) fn render(&self, format: Format, color: bool) -> String {
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
            Format::Csv => {
                let mut s = csv_record(&self.header);
                for r in &self.rows {
                    s.push_str(&csv_record(r));
                }
                s
            }
            Format::Markdown => {
                let mut s = markdown_record(&self.header);
                s.push('|');
                for _ in &self.header {
                    s.push_str(" --- |");
                }
                s.push('\n');
                for r in &self.rows {
                    s.push_str(&markdown_record(r));
                }
                s
            }
            Format::Table | Format::Json => {
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
    pub(crate) fn print(&self, format: Format, color: bool) -> Result<()> {
        let s = self.render(format, color);
        if s.is_empty() { Ok(()) } else { out(&s) }
    }
}

/// One CSV line (RFC 4180 quoting; lines end with LF): a field with a comma, quote or line break is quoted, quotes doubled.
/// Control characters other than line breaks are escaped, as in every other format.
fn csv_record<S: AsRef<str>>(cells: &[S]) -> String {
    let fields: Vec<String> = cells
        .iter()
        .map(|c| {
            let c = escape_controls(c.as_ref(), true);
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.into_owned()
            }
        })
        .collect();
    format!("{}\n", fields.join(","))
}

/// One Markdown table row: `|` escaped, line breaks as `<br>`, control characters escaped.
fn markdown_record<S: AsRef<str>>(cells: &[S]) -> String {
    let mut s = String::from("|");
    for c in cells {
        let c = escape_controls(c.as_ref(), true)
            .replace('|', "\\|")
            .replace('\n', "<br>");
        s.push(' ');
        s.push_str(&c);
        s.push_str(" |");
    }
    s.push('\n');
    s
}

/// Columns that hold names (of toggles, users, objects): never wrapped, so a name is never
/// broken mid-word. When they do not fit, the table turns into one record per block.
fn is_name_column(header: &str) -> bool {
    matches!(
        header,
        "NAME"
            | "TOGGLE"
            | "EXPERIMENT"
            | "FLAG"
            | "MAIN FLAG"
            | "OBJECT"
            | "USER"
            | "USERNAME"
            | "KEY"
            | "COURSE OR ORG"
            | "VARIANT"
    )
}

/// Columns of prose and timestamps: the first to give way (wrap) on a narrow terminal.
fn gives_way(header: &str) -> bool {
    matches!(
        header,
        "NOTE"
            | "REASON"
            | "MODIFIED"
            | "CHANGED"
            | "AT"
            | "SINCE"
            | "CHANGE"
            | "DETAIL"
            | "MESSAGE"
            | "NEXT STEP"
            | "WHY"
            | "HOW"
            | "WHERE"
            | "REFERENCE"
            | "EMAIL"
            | "CRITERIA"
            | "FORCED INTO THE BUCKET"
            | "HISTOGRAM"
            | "VALUE"
            | "VALUES"
    )
}

/// The widest line of a cell, in characters.
fn cell_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The longest word of a cell, in characters.
fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

/// A column that may wrap is kept at least as wide as its longest word up to this, so words
/// (and the date of a timestamp) are not broken unless they are longer.
const MAX_KEPT_WORD: usize = 24;

fn render_columns(header: &[String], rows: &[Vec<String>], color: bool) -> String {
    let width = terminal_width().map(usize::from);
    let natural: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| cell_width(c))
                .chain([cell_width(&header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let words: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| longest_word(c))
                .max()
                .unwrap_or(0)
                .min(MAX_KEPT_WORD)
        })
        .collect();
    // every column is padded with a space each side; the first leading space is dropped
    let total = |widths: &[usize]| widths.iter().map(|w| w + 2).sum::<usize>() - 1;
    let mut t = Comfy::new();
    t.load_style(presets::NOTHING);
    t.force_no_tty();
    t.set_header(header.iter().map(Cell::new));
    for r in rows {
        t.add_row(r.iter().map(Cell::new));
    }
    match width {
        Some(w) if !header.is_empty() && total(&natural) > w => {
            // Names keep their width; columns that give way (prose, timestamps) wrap first, then
            // short values; neither narrower than its header or its longest word.
            let floor = |i: usize, _giving: bool| {
                if is_name_column(&header[i]) {
                    natural[i]
                } else {
                    natural[i].min(cell_width(&header[i]).max(words[i]).max(1))
                }
            };
            let short_kept: Vec<usize> = (0..header.len())
                .map(|i| {
                    if gives_way(&header[i]) {
                        floor(i, true)
                    } else {
                        natural[i].max(floor(i, false))
                    }
                })
                .collect();
            let squeezed: Vec<usize> = (0..header.len())
                .map(|i| floor(i, gives_way(&header[i])))
                .collect();
            if total(&squeezed) > w {
                return render_records(header, rows, color, w);
            }
            let keep_short = total(&short_kept) <= w;
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(u16::try_from(w + 1).unwrap_or(u16::MAX));
            for i in 0..header.len() {
                let constraint =
                    if is_name_column(&header[i]) || (keep_short && !gives_way(&header[i])) {
                        ColumnConstraint::ContentWidth
                    } else {
                        let lower = if gives_way(&header[i]) {
                            squeezed[i]
                        } else {
                            floor(i, false)
                        };
                        ColumnConstraint::LowerBoundary(Width::Fixed(
                            u16::try_from(lower).unwrap_or(u16::MAX),
                        ))
                    };
                if let Some(c) = t.column_mut(i) {
                    c.set_constraint(constraint);
                }
            }
        }
        _ => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    // comfy-table pads every cell with one space on each side; drop the outer padding and the
    // trailing blanks so output is tidy in terminals and snapshots. Colour is added after the
    // layout (the header line in bold), so escape codes never count towards a column's width.
    let mut s = String::new();
    for (n, line) in t.lines().enumerate() {
        let line = line.strip_prefix(' ').unwrap_or(&line).trim_end();
        s.push_str(&ansi::paint(line, Style::Bold, color && n == 0));
        s.push('\n');
    }
    s
}

/// A table too wide for the terminal even with names whole and prose squeezed: each record is
/// a block of `HEADER  value` lines, blocks apart by a blank line. Values wrap at spaces to fit
/// `width` (a name is one word, so it is never broken unless it alone is wider than the line).
fn render_records(header: &[String], rows: &[Vec<String>], color: bool, width: usize) -> String {
    let w = header.iter().map(|h| cell_width(h)).max().unwrap_or(0);
    let pad = " ".repeat(w + 2);
    let room = width.saturating_sub(w + 2).max(20);
    let mut s = String::new();
    for (n, r) in rows.iter().enumerate() {
        if n > 0 {
            s.push('\n');
        }
        for (h, v) in header.iter().zip(r) {
            let key = format!("{h:<w$}");
            let key = ansi::paint(&key, Style::Bold, color);
            let v = wrap_words(v, room).join(&format!("\n{pad}"));
            s.push_str(format!("{key}  {v}").trim_end());
            s.push('\n');
        }
    }
    s
}

/// `text` in lines of at most `width` characters, broken at spaces (a word longer than `width`
/// gets a line of its own); the text's own newlines are kept.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let wl = word.chars().count();
            let ll = line.chars().count();
            if ll > 0 && ll + 1 + wl > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
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
pub(crate) struct Fields {
    rows: Vec<(String, String)>,
}

impl Fields {
    pub(crate) fn new() -> Self {
        Fields { rows: Vec::new() }
    }
    pub(crate) fn add(&mut self, k: impl Into<String>, v: impl Into<String>) -> &mut Self {
        self.rows.push((k.into(), v.into()));
        self
    }
    pub(crate) fn print(&self, format: Format, color: bool) -> Result<()> {
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
            Format::Csv | Format::Markdown => {
                let mut t = Table::new(["FIELD", "VALUE"]);
                for (k, v) in &self.rows {
                    t.row([k.as_str(), v.as_str()]);
                }
                t.print(format, color)
            }
            Format::Table | Format::Json => {
                let w = self
                    .rows
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                let mut s = String::new();
                for (k, v) in &self.rows {
                    let key = format!("{k:<w$}");
                    let key = ansi::paint(&key, Style::Bold, color);
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
pub(crate) fn tri(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "on",
        Some(false) => "off",
        None => "unset",
    }
}

pub(crate) fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

/// Human list: `alice, bob` or `-`.
pub(crate) fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}
