use clap::ValueEnum;

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
