use clap::Subcommand;

use super::MutationArgs;
use super::names;
use crate::error::NameKind as Kind;
use crate::types::{SampleName, SamplePercent};

#[derive(Debug, Subcommand)]
pub(crate) enum SampleCmd {
    /// List samples
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl sample list\n  wafflectl sample list --json"
    )]
    List,
    /// Show one sample
    #[command(
        after_help = "Examples:\n  wafflectl sample show ab_test\n  wafflectl sample show ab_test --json"
    )]
    Show {
        /// The sample
        #[arg(add = names(Kind::Sample))]
        name: String,
    },
    /// Create a sample with a percent (0–100.0)
    #[command(
        after_help = "Examples:\n  wafflectl sample create ab_test 33\n  wafflectl sample create log_sampling 0.5 --note 'request logging'"
    )]
    Create {
        /// The new sample's name
        name: SampleName,
        /// The percent of checks that are on, 0–100.0 (one decimal)
        #[arg(allow_hyphen_values = true)]
        percent: SamplePercent,
        /// Free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Change a sample's percent
    #[command(
        after_help = "Examples:\n  wafflectl sample set ab_test 50\n  wafflectl sample set log_sampling 0.1 --note 'less noise' --reason 'disk full'"
    )]
    Set {
        /// The sample
        #[arg(add = names(Kind::Sample))]
        name: SampleName,
        /// The new percent, 0–100.0 (one decimal)
        #[arg(allow_hyphen_values = true)]
        percent: SamplePercent,
        /// Free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Create the sample if it does not exist, as `waffle_sample --create`
        #[arg(long)]
        create: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete samples (asks first; --yes in scripts)
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl sample delete ab_test\n  wafflectl sample delete ab_test log_sampling --yes"
    )]
    Delete {
        /// The samples to delete
        #[arg(required = true, add = names(Kind::Sample))]
        names: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
}
