use std::path::PathBuf;

use clap::Args;

use super::FailOn;

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
