use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// What makes `stale` or `refs` exit 1 (for CI pipelines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// A settled toggle unchanged for --days, or an orphaned override or bucket flag
    Stale,
    /// A toggle of the store that no scanned file names
    Unreferenced,
    /// An annotation past its toggle_target_removal_date, or temporary without one
    Overdue,
}

#[derive(Debug, Args)]
#[command(after_help = "\
A toggle is settled when it decides the same for every request; stale when it is settled and has
not changed for --days. With --refs, a removal plan for each. See docs/removal.md.

Examples:
  wafflectl stale
  wafflectl stale --days 90 --json
  wafflectl stale --refs src/ --fail-on stale,overdue")]
pub(crate) struct StaleArgs {
    /// Unchanged for at least this many days (0–36500)
    #[arg(long, default_value_t = 30, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub(crate) days: u32,
    /// Judge as of this time (default: now, or $WAFFLECTL_NOW)
    #[arg(long, value_name = "T")]
    pub(crate) now: Option<crate::types::When>,
    /// Also scan these source trees: a removal plan for each stale toggle
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub(crate) refs: Vec<PathBuf>,
    /// Exit 1 when there is a finding of this kind (repeatable or comma-separated)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "WHAT")]
    pub(crate) fail_on: Vec<FailOn>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Honours .gitignore, .ignore and hidden files (also outside a git repository); skips binary files
and packaging copies (*.egg-info, *.dist-info, PKG-INFO). Names built from constants are resolved
across the files scanned; a name built at run time is a pattern (ns.*) that every matching toggle
may be, so none of them is offered for deletion.
--format plain prints path:line:name, for an editor.

Examples:
  wafflectl refs
  wafflectl refs ../edx-platform --json
  wafflectl refs src/ templates/ --fail-on unreferenced,overdue")]
pub(crate) struct RefsArgs {
    /// Source trees or files to scan (default: the current folder)
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Judge annotation removal dates as of this time (default: now, or $WAFFLECTL_NOW)
    #[arg(long, value_name = "T")]
    pub(crate) now: Option<crate::types::When>,
    /// Exit 1 when there is a finding of this kind (repeatable or comma-separated)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "WHAT")]
    pub(crate) fail_on: Vec<FailOn>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
One row per toggle known from code (declarations and checks), Open edX toggle annotations (read as
code_annotations reads them) or the store, with the annotation's fields, the store's state, where
the code reads it, and findings: expired (target removal date passed, still read), temporary
without a target date, kind mismatch, documentation mismatch, no annotation, no row, only in the
store. --format table|csv|json|markdown (--json = --format json). See docs/removal.md.

Examples:
  wafflectl report
  wafflectl report ../edx-platform --format markdown > toggles.md
  wafflectl report src/ --format csv --now 2026-06-01")]
pub(crate) struct ReportArgs {
    /// Source trees or files to scan (default: the current folder)
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Judge target removal dates as of this time (default: now, or $WAFFLECTL_NOW)
    #[arg(long, value_name = "T")]
    pub(crate) now: Option<crate::types::When>,
}
