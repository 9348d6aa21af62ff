use clap::Subcommand;

use super::MutationArgs;
use super::names;
use crate::error::NameKind as Kind;
use crate::types::{SampleName, SamplePercent, SwitchName};

#[derive(Debug, Subcommand)]
pub(crate) enum SwitchCmd {
    /// List switches
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl switch list\n  wafflectl switch list --format plain\n  wafflectl switch list --json"
    )]
    List,
    /// Show one switch
    #[command(
        after_help = "Examples:\n  wafflectl switch show maintenance\n  wafflectl switch show maintenance --json"
    )]
    Show {
        /// The switch
        #[arg(add = names(Kind::Switch))]
        name: String,
    },
    /// Create a switch (off unless --on)
    #[command(
        after_help = "Examples:\n  wafflectl switch create maintenance\n  wafflectl switch create new_footer --on --note 'ships with 2.0'"
    )]
    Create {
        /// The new switch's name
        name: SwitchName,
        /// Create it active
        #[arg(long, conflicts_with = "off")]
        on: bool,
        /// Create it inactive (the default)
        #[arg(long)]
        off: bool,
        /// Free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Turn a switch on
    #[command(
        after_help = "Examples:\n  wafflectl switch on maintenance\n  wafflectl switch on maintenance --reason 'db upgrade'"
    )]
    On {
        /// The switch
        #[arg(add = names(Kind::Switch))]
        name: SwitchName,
        /// Create the switch if it does not exist, as `waffle_switch --create`
        #[arg(long)]
        create: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Turn a switch off
    #[command(
        after_help = "Examples:\n  wafflectl switch off maintenance\n  wafflectl switch off maintenance --dry-run"
    )]
    Off {
        /// The switch
        #[arg(add = names(Kind::Switch))]
        name: SwitchName,
        /// Create the switch if it does not exist, as `waffle_switch --create`
        #[arg(long)]
        create: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete switches (asks first; --yes in scripts)
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl switch delete maintenance\n  wafflectl switch delete old_a old_b --yes"
    )]
    Delete {
        /// The switches to delete
        #[arg(required = true, add = names(Kind::Switch))]
        names: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
}

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
