use std::path::PathBuf;

use clap::Args;

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
