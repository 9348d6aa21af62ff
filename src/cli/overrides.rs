use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::MutationArgs;
use super::names;
use crate::error::NameKind as Kind;
use crate::types::FlagName;

/// `on` / `off` of an override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnOff {
    On,
    Off,
}

/// Exactly one of `--course C` / `--org O`.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["course", "org"])))]
pub(crate) struct ScopeArgs {
    /// A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN
    #[arg(long, value_name = "C")]
    pub(crate) course: Option<String>,
    /// An organisation (the ORG of course keys)
    #[arg(long, value_name = "O")]
    pub(crate) org: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OverrideCmd {
    /// List the current overrides (of one flag, or all)
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl override list\n  wafflectl override list course_experience.relative_dates\n  wafflectl override list --history --json"
    )]
    List {
        /// Only overrides of this flag
        #[arg(add = names(Kind::Flag))]
        flag: Option<FlagName>,
        /// Show every row, including replaced and disabled ones
        #[arg(long)]
        history: bool,
    },
    /// Force a flag on or off for one course or organisation
    #[command(
        after_help = "Examples:\n  wafflectl override set course_experience.relative_dates \\\n      --course course-v1:edX+DemoX+Demo_Course on\n  wafflectl override set course_experience.relative_dates --org edX off --note 'pilot ended'"
    )]
    Set {
        /// The flag to override
        #[arg(add = names(Kind::Flag))]
        flag: FlagName,
        #[command(flatten)]
        scope: ScopeArgs,
        /// Force on or force off
        #[arg(value_enum)]
        choice: OnOff,
        /// Why the override exists and when it can go
        #[arg(long, value_name = "T")]
        note: Option<String>,
        /// Refuse to override a flag that does not exist (default: warn)
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Remove the override for a course or organisation (appends a disabled row)
    #[command(
        after_help = "Examples:\n  wafflectl override clear course_experience.relative_dates \\\n      --course course-v1:edX+DemoX+Demo_Course\n  wafflectl override clear course_experience.relative_dates --org edX --reason 'pilot over'"
    )]
    Clear {
        /// The flag to override
        #[arg(add = names(Kind::Flag))]
        flag: FlagName,
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        m: MutationArgs,
    },
}
