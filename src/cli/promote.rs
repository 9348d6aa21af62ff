use clap::Args;

use super::UnscheduledMutationArgs;

#[derive(Debug, Args)]
#[command(after_help = "\
Copies the named objects' configuration from one store to another through the same plan as
import: one transaction on the target, one audit row per changed object (reason 'promote from
A'), Django admin history, the target's cache keys deleted. Objects already equal are not
rewritten. What travels with a name: a flag's course and org overrides (their current value:
where the target's differs, a row dated now is appended); an edX experiment's bucket sub-flags
NAME.0, NAME.1, ... (its whitelists, with their overrides) and its key-values. What the target
has and the source lacks stays.
Users and groups are matched by name. The target must have every user and group the flags
name: otherwise the command fails listing all that are missing, or with --create-users creates
them (and the groups) as plain active users with an unusable password; staff and superuser
status, names and password hashes are never copied between environments.
--from may also be a file export writes.

Examples:
  wafflectl promote new_dashboard --from staging.db --to postgres://waffle@db.internal/edxapp
  wafflectl promote 'checkout_*' course_experience.upsell --from staging.db --to prod.db --dry-run
  wafflectl promote '*' --from staging.db --to qa.db --create-only --create-users")]
pub(crate) struct PromoteArgs {
    /// Flags, switches, samples and experiments to copy: names or globs (* any characters, ? one)
    #[arg(required = true, value_name = "NAME|GLOB")]
    pub(crate) names: Vec<String>,
    /// The source: a database URL, a SQLite store or an exported file
    #[arg(long, value_name = "A")]
    pub(crate) from: String,
    /// The target: a database URL or a SQLite store
    #[arg(long, value_name = "B")]
    pub(crate) to: String,
    /// Create what the target lacks, never change what it has (objects that differ are
    /// reported as kept)
    #[arg(long)]
    pub(crate) create_only: bool,
    /// Create the users and groups the target lacks: plain active users with an unusable
    /// password (never staff or superuser status, names or password hashes)
    #[arg(long)]
    pub(crate) create_users: bool,
    #[command(flatten)]
    pub(crate) m: UnscheduledMutationArgs,
}
