use clap::{Args, Subcommand, ValueEnum};

use super::MutationArgs;
use super::names;
use crate::error::NameKind as Kind;
use crate::types::{FlagName, PercentArg};

/// `--everyone on|off|unset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Tri {
    On,
    Off,
    Unset,
}

impl Tri {
    pub(crate) fn value(self) -> Option<bool> {
        match self {
            Tri::On => Some(true),
            Tri::Off => Some(false),
            Tri::Unset => None,
        }
    }
}

/// Options that set a flag's fields; only those given are changed.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct FlagOpts {
    /// On for everyone, off for everyone, or unset (decide by the other criteria)
    #[arg(long, value_enum, value_name = "on|off|unset")]
    pub(crate) everyone: Option<Tri>,
    /// Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)
    #[arg(long, conflicts_with = "everyone")]
    pub(crate) deactivate: bool,
    /// Random percentage of users, 0–99.9 with one decimal, or `unset`
    #[arg(long, allow_hyphen_values = true, value_name = "P")]
    pub(crate) percent: Option<PercentArg>,
    /// On for staff
    #[arg(long, overrides_with = "no_staff")]
    pub(crate) staff: bool,
    /// Not on for staff
    #[arg(long, overrides_with = "staff")]
    pub(crate) no_staff: bool,
    /// On for superusers (off unless asked: the Django default forces every superuser)
    #[arg(long, overrides_with = "no_superusers")]
    pub(crate) superusers: bool,
    /// Not on for superusers
    #[arg(long, overrides_with = "superusers")]
    pub(crate) no_superusers: bool,
    /// On for every logged-in user
    #[arg(long, overrides_with = "no_authenticated")]
    pub(crate) authenticated: bool,
    /// Not on for every logged-in user
    #[arg(long, overrides_with = "authenticated")]
    pub(crate) no_authenticated: bool,
    /// Testing mode (dwft_ query string, header or cookie)
    #[arg(long, overrides_with = "no_testing")]
    pub(crate) testing: bool,
    /// No testing mode
    #[arg(long, overrides_with = "testing")]
    pub(crate) no_testing: bool,
    /// Rollout mode (percent "off" cookies last one session)
    #[arg(long, overrides_with = "no_rollout")]
    pub(crate) rollout: bool,
    /// No rollout mode
    #[arg(long, overrides_with = "rollout")]
    pub(crate) no_rollout: bool,
    /// Comma-separated language codes the flag is on for ('' clears)
    #[arg(long, value_name = "LIST")]
    pub(crate) languages: Option<String>,
    /// Free-text note
    #[arg(long, value_name = "TEXT")]
    pub(crate) note: Option<String>,
    /// Add a user to the flag's user list (repeatable)
    #[arg(long = "add-user", value_name = "USER", add = names(Kind::User))]
    pub(crate) add_users: Vec<String>,
    /// Remove a user from the flag's user list (repeatable)
    #[arg(long = "remove-user", value_name = "USER", add = names(Kind::User))]
    pub(crate) remove_users: Vec<String>,
    /// Add a group to the flag's group list (repeatable)
    #[arg(long = "add-group", value_name = "GROUP", add = names(Kind::Group))]
    pub(crate) add_groups: Vec<String>,
    /// Remove a group from the flag's group list (repeatable)
    #[arg(long = "remove-group", value_name = "GROUP", add = names(Kind::Group))]
    pub(crate) remove_groups: Vec<String>,
    /// Replace the flag's user list with these (comma-separated; '' empties it)
    #[arg(long, value_name = "A,B", conflicts_with_all = ["add_users", "remove_users"])]
    pub(crate) users: Option<String>,
    /// Replace the flag's group list with these (comma-separated; '' empties it)
    #[arg(long, value_name = "G,H", conflicts_with_all = ["add_groups", "remove_groups"])]
    pub(crate) groups: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FlagCmd {
    /// List flags
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl flag list\n  wafflectl flag list --prefix course_experience.\n  wafflectl flag list --json"
    )]
    List {
        /// Only flags whose name starts with this
        #[arg(long, value_name = "P")]
        prefix: Option<String>,
    },
    /// Show one flag in full
    #[command(
        after_help = "Examples:\n  wafflectl flag show new_dashboard\n  wafflectl flag show new_dashboard --json"
    )]
    Show {
        /// The flag
        #[arg(add = names(Kind::Flag))]
        name: String,
    },
    /// Create a flag (off for everyone until you say otherwise)
    #[command(
        after_help = "Examples:\n  wafflectl flag create new_dashboard\n  wafflectl flag create beta_ui --staff --add-group beta --note 'staff and beta testers'\n  wafflectl flag create rollout.x --percent 12.5 --rollout"
    )]
    Create {
        /// The new flag's name
        name: FlagName,
        #[command(flatten)]
        opts: FlagOpts,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Change only the given options of a flag
    #[command(
        after_help = "Examples:\n  wafflectl flag set new_dashboard --percent 50\n  wafflectl flag set new_dashboard --no-staff --add-user alice --reason 'QA'\n  wafflectl flag set maybe.new --everyone off --create"
    )]
    Set {
        /// The flag
        #[arg(add = names(Kind::Flag))]
        name: FlagName,
        #[command(flatten)]
        opts: FlagOpts,
        /// Create the flag if it does not exist
        #[arg(long)]
        create: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Turn a flag on for everyone (everyone = true)
    #[command(
        after_help = "Examples:\n  wafflectl flag on new_dashboard\n  wafflectl flag on new_dashboard --reason 'launch' --dry-run"
    )]
    On {
        /// The flag
        #[arg(add = names(Kind::Flag))]
        name: FlagName,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Turn a flag off for everyone (everyone = false)
    #[command(
        after_help = "Examples:\n  wafflectl flag off new_dashboard\n  wafflectl flag off new_dashboard --reason 'incident 42'"
    )]
    Off {
        /// The flag
        #[arg(add = names(Kind::Flag))]
        name: FlagName,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Let the other criteria decide (everyone = unset)
    #[command(
        after_help = "Examples:\n  wafflectl flag unset new_dashboard\n  wafflectl flag unset new_dashboard --dry-run"
    )]
    Unset {
        /// The flag
        #[arg(add = names(Kind::Flag))]
        name: FlagName,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete flags (asks first; --yes in scripts)
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl flag delete old_flag\n  wafflectl flag delete a b c --yes"
    )]
    Delete {
        /// The flags to delete
        #[arg(required = true, add = names(Kind::Flag))]
        names: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
}
