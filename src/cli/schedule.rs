//! `wafflectl schedule`: the changes write commands scheduled with `--at`.

use clap::Subcommand;

pub(crate) const SCHEDULE_EXAMPLES: &str = "\
Any write command given --at TIME is checked now and recorded instead of applied;
`schedule run` (from cron, a systemd timer or a Kubernetes CronJob) applies each due change
once, and skips (exit 1) a change whose objects changed since it was scheduled.

Examples:
  wafflectl flag on new_dashboard --at '2026-12-24 18:00' --reason 'holiday launch'
  wafflectl schedule list
  wafflectl schedule run";

/// The largest id a scheduled change may have (checked when typed).
const ID_RANGE: std::ops::RangeInclusive<i64> = 1..=i64::MAX;

#[derive(Debug, Subcommand)]
pub(crate) enum ScheduleCmd {
    /// The scheduled changes, in due order: pending ones, or all with --all
    #[command(
        after_help = "Examples:\n  wafflectl schedule list\n  wafflectl schedule list --all --json"
    )]
    List {
        /// Also those done, skipped, cancelled or failed
        #[arg(long)]
        all: bool,
    },
    /// One scheduled change: its command, who scheduled it, the changes it was planned to make
    #[command(
        after_help = "Examples:\n  wafflectl schedule show 7\n  wafflectl schedule show 7 --json"
    )]
    Show {
        /// The scheduled change's number (as `schedule list` shows it)
        #[arg(value_parser = clap::value_parser!(i64).range(ID_RANGE))]
        id: i64,
    },
    /// Cancel pending scheduled changes (recorded in the audit log)
    #[command(
        after_help = "Examples:\n  wafflectl schedule cancel 7\n  wafflectl schedule cancel 7 8 --reason 'launch moved'"
    )]
    Cancel {
        /// The scheduled changes' numbers
        #[arg(required = true, value_parser = clap::value_parser!(i64).range(ID_RANGE))]
        ids: Vec<i64>,
        /// Show what would change and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Why: kept in the audit log
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Apply each pending change that is due, once, in due order (for cron and CronJobs)
    #[command(after_help = "\
Each due change is applied in one transaction that also marks it done, and only when each
object it changes is as it was when the change was scheduled: two runners at the same moment
apply it once (both exit 0). A change whose objects changed is skipped, one that fails is
marked failed; both are reported and make the exit code 1, after the others were tried.

Examples:
  wafflectl schedule run
  wafflectl schedule run --dry-run
  wafflectl --db mysql://wafflectl@db/edxapp schedule run --json")]
    Run {
        /// List what is due and apply nothing
        #[arg(long)]
        dry_run: bool,
    },
}
