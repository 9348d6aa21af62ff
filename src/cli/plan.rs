use std::path::PathBuf;

use clap::Args;

use super::UnscheduledMutationArgs;

#[derive(Debug, Args)]
#[command(after_help = "\
Compares the store (--db, the target) with SOURCE and writes the changes to a plan file, with
a fingerprint of every target object the plan read. Review it, then carry it out with
wafflectl apply, which refuses when any of those objects changed since, or when it is pointed
at another store. SOURCE is a file (native, Django fixture or baseplate experiments.json, as
import reads them; - for stdin) or another store (a SQLite path or a mysql:// or postgres://
URL). With NAMEs, only those flags, switches, samples and experiments of the source (a
promotion); without, the whole source, as import.
The changes print as import --dry-run prints them (--json: {added, changed, removed,
unchanged}); -o - writes the plan itself to stdout instead.

Examples:
  wafflectl --db prod.db plan staging.db -o plan.json
  wafflectl --db prod.db plan staging.db new_dashboard checkout_v2 -o plan.json
  wafflectl --db prod.db plan toggles.json --prune -o plan.json")]
pub(crate) struct PlanArgs {
    /// Where the wanted state comes from: a file, or another store (path or URL)
    pub(crate) source: String,
    /// Only these flags, switches, samples and experiments of the source
    #[arg(value_name = "NAME")]
    pub(crate) names: Vec<String>,
    /// Where to write the plan (- for stdout)
    #[arg(short = 'o', long, value_name = "FILE", required = true)]
    pub(crate) output: PathBuf,
    /// Also delete what the source does not contain, in the kinds of object it has
    #[arg(long, conflicts_with = "names")]
    pub(crate) prune: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Carries out a plan made by wafflectl plan, on the store (--db), in one transaction: exactly the
changes the plan shows, with one audit row per object (reason: apply FILE). It refuses (exit 1,
nothing written) when the store is not the one the plan was made for, or when any object the
plan read has changed since it was made (each is named); a plan applies once. --dry-run checks
and shows the changes without writing.

Examples:
  wafflectl --db prod.db apply plan.json --dry-run
  wafflectl --db prod.db apply plan.json --reason 'release 42'")]
pub(crate) struct ApplyArgs {
    /// The plan file (- for stdin)
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) m: UnscheduledMutationArgs,
}
