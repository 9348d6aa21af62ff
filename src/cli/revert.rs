use clap::Args;

use super::MutationArgs;

#[derive(Debug, Args)]
#[command(after_help = "\
Restores the objects those audit rows changed (see wafflectl history) to their state before
the change, in one transaction: a created object is deleted, a deleted one created again, a
changed one set back. A course or org override is restored by appending a row with its former
value (history is kept). The new audit rows' reason says what they revert (revert #12).
When a later change touched the same object, revert refuses and names it, unless --force.
Kinds: flags (with their users and groups), switches, samples, course and org overrides,
edX experiments, key-values, per-user experiment data, baseplate experiments, users (a user
created again has an unusable password) and groups.

Examples:
  wafflectl history new_dashboard
  wafflectl revert 12 --dry-run
  wafflectl revert 12 15 --reason 'rollout paused'")]
pub(crate) struct RevertArgs {
    /// The audit rows to revert (their ids in wafflectl history)
    #[arg(required = true, value_name = "AUDIT_ID",
          value_parser = clap::value_parser!(i64).range(1..=i64::MAX))]
    pub(crate) ids: Vec<i64>,
    /// Restore even when a later change touched the same object (that change is undone too)
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) m: MutationArgs,
}
