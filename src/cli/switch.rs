use clap::{Args, Subcommand};

use super::MutationArgs;
use super::names;
use crate::error::NameKind as Kind;
use crate::types::SwitchName;

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
    On(SwitchChange),
    /// Turn a switch off
    #[command(
        after_help = "Examples:\n  wafflectl switch off maintenance\n  wafflectl switch off maintenance --dry-run"
    )]
    Off(SwitchChange),
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

/// What `switch on` and `switch off` take.
#[derive(Debug, Args)]
pub(crate) struct SwitchChange {
    /// The switch
    #[arg(add = names(Kind::Switch))]
    pub(crate) name: SwitchName,
    /// Create the switch if it does not exist, as `waffle_switch --create`
    #[arg(long)]
    pub(crate) create: bool,
    #[command(flatten)]
    pub(crate) m: MutationArgs,
}
