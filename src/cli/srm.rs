use std::path::PathBuf;

use super::names;
use crate::error::NameKind as Kind;
use clap::{Args, ValueEnum};

/// How `srm --observed` is written (detected from the content unless given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ObservedFormat {
    /// One `bucket,count` (or `variant,count`) line per cell; header optional
    Counts,
    /// {"0": 123, "1": 130} or [{"bucket": 0, "count": 123}, ...] ("variant" for baseplate)
    Json,
    /// One `id,bucket` line per user (comma or tab), counted as read
    Rows,
}

/// What makes `srm` exit 1 (for CI pipelines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SrmFailOn {
    /// A sample-ratio mismatch (p < 0.0005)
    Srm,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Compares the users each bucket (Open edX) or variant (baseplate) actually got with what the
definition expects: equal buckets, or the variant sizes. Pearson's chi-square goodness-of-fit;
a mismatch at p < 0.0005, judged only when every cell expects at least 5 users. Users a
whitelist forces into a bucket are left out when the store lists them. Lists the causes the
store shows: whitelists, overrides, a main flag not on for everyone, and changes recorded in the
audit log since the experiment was created (or between --since and --until). See docs/srm.md.

The file is detected from its content: JSON ({\"0\": 10000, \"1\": 10600} or
[{\"bucket\": 0, \"count\": 10000}, ...]), `bucket,count` lines (a first line naming a bucket or
variant, or the header bucket,count), or raw `id,bucket` rows (e.g. the output of
`bucket --users-file`), counted as they are read. - reads stdin.

Examples:
  wafflectl srm course_experience.upsell --observed counts.csv
  wafflectl bucket course_experience.upsell --users-file seen.txt | \\
      wafflectl srm course_experience.upsell --observed - --fail-on srm
  wafflectl srm checkout_v2 --observed counts.json --json")]
pub(crate) struct SrmArgs {
    /// The experiment: an Open edX experiment (its buckets) or a baseplate one (its variants)
    #[arg(add = names(Kind::Experiment))]
    pub(crate) name: String,
    /// The observed counts or rows (- for stdin)
    #[arg(long, value_name = "FILE")]
    pub(crate) observed: PathBuf,
    /// Read --observed as this format instead of detecting it
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) observed_format: Option<ObservedFormat>,
    /// Exit 1 on this finding
    #[arg(long, value_enum, value_name = "WHAT")]
    pub(crate) fail_on: Option<SrmFailOn>,
    /// Start of the observed period (audit-log changes from then on are causes; default: the
    /// experiment's creation)
    #[arg(long, value_name = "TIME")]
    pub(crate) since: Option<crate::types::When>,
    /// End of the observed period (default: now)
    #[arg(long, value_name = "TIME")]
    pub(crate) until: Option<crate::types::When>,
}
