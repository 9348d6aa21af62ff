use clap::Subcommand;

use super::MutationArgs;
use crate::store::toggles::{Percent, SAMPLE_PERCENT_MAX};

pub fn parse_sample_percent(s: &str) -> Result<Percent, String> {
    Percent::parse(s, SAMPLE_PERCENT_MAX, "sample percent")
}

#[derive(Debug, Subcommand)]
pub enum SwitchCmd {
    /// List switches
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl switch list\n  wafflectl switch list --format plain"
    )]
    List,
    /// Show one switch
    #[command(after_help = "Example:\n  wafflectl switch show maintenance")]
    Show { name: String },
    /// Create a switch (off unless --on)
    #[command(
        after_help = "Examples:\n  wafflectl switch create maintenance\n  wafflectl switch create new_footer --on --note 'ships with 2.0'"
    )]
    Create {
        name: String,
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
    #[command(after_help = "Example:\n  wafflectl switch on maintenance --reason 'db upgrade'")]
    On {
        name: String,
        /// Create the switch if it does not exist, as `waffle_switch --create`
        #[arg(long)]
        create: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Turn a switch off
    #[command(after_help = "Example:\n  wafflectl switch off maintenance")]
    Off {
        name: String,
        /// Create the switch if it does not exist, as `waffle_switch --create`
        #[arg(long)]
        create: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete switches (asks first; --yes in scripts)
    #[command(
        visible_alias = "rm",
        after_help = "Example:\n  wafflectl switch delete maintenance --yes"
    )]
    Delete {
        #[arg(required = true)]
        names: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum SampleCmd {
    /// List samples
    #[command(
        visible_alias = "ls",
        after_help = "Example:\n  wafflectl sample list --json"
    )]
    List,
    /// Show one sample
    #[command(after_help = "Example:\n  wafflectl sample show ab_test")]
    Show { name: String },
    /// Create a sample with a percent (0–100.0)
    #[command(
        after_help = "Examples:\n  wafflectl sample create ab_test 33\n  wafflectl sample create log_sampling 0.5 --note 'request logging'"
    )]
    Create {
        name: String,
        #[arg(value_parser = parse_sample_percent, allow_hyphen_values = true)]
        percent: Percent,
        /// Free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Change a sample's percent
    #[command(after_help = "Example:\n  wafflectl sample set ab_test 50")]
    Set {
        name: String,
        #[arg(value_parser = parse_sample_percent, allow_hyphen_values = true)]
        percent: Percent,
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
        after_help = "Example:\n  wafflectl sample delete ab_test --yes"
    )]
    Delete {
        #[arg(required = true)]
        names: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
}
