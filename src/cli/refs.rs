use std::path::PathBuf;

use clap::Args;

use super::FailOn;

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
