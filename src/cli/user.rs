use clap::Subcommand;

use super::MutationArgs;
use super::names;
use crate::error::NameKind as Kind;
use crate::types::{GroupName, Username};

#[derive(Debug, Subcommand)]
pub(crate) enum UserCmd {
    /// List users
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl user list\n  wafflectl user list --json"
    )]
    List,
    /// Show a user: attributes, groups, enrollments
    #[command(
        after_help = "Examples:\n  wafflectl user show alice\n  wafflectl user show alice --json"
    )]
    Show {
        /// The username
        #[arg(add = names(Kind::User))]
        username: String,
    },
    /// Add a user (unusable password; for flag and experiment decisions only)
    #[command(
        after_help = "Examples:\n  wafflectl user add alice\n  wafflectl user add root --superuser --staff --email root@example.com\n  wafflectl user add bob --group beta --group qa"
    )]
    Add {
        /// The new user's username
        username: Username,
        /// Staff member
        #[arg(long)]
        staff: bool,
        /// Superuser
        #[arg(long)]
        superuser: bool,
        /// Inactive account
        #[arg(long)]
        inactive: bool,
        /// E-mail address
        #[arg(long, value_name = "E")]
        email: Option<String>,
        /// Put the user in this group (repeatable; the group must exist)
        #[arg(long = "group", value_name = "G")]
        groups: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Change a user's attributes or groups (only what is given)
    #[command(
        after_help = "Examples:\n  wafflectl user set alice --staff\n  wafflectl user set bob --no-superuser --add-group beta --remove-group qa"
    )]
    Set {
        /// The username
        #[arg(add = names(Kind::User))]
        username: Username,
        /// Staff member
        #[arg(long, overrides_with = "no_staff")]
        staff: bool,
        /// Not a staff member
        #[arg(long, overrides_with = "staff")]
        no_staff: bool,
        /// Superuser
        #[arg(long, overrides_with = "no_superuser")]
        superuser: bool,
        /// Not a superuser
        #[arg(long, overrides_with = "superuser")]
        no_superuser: bool,
        /// Active account
        #[arg(long, overrides_with = "inactive")]
        active: bool,
        /// Inactive account
        #[arg(long, overrides_with = "active")]
        inactive: bool,
        /// E-mail address
        #[arg(long, value_name = "E")]
        email: Option<String>,
        /// Add to a group (repeatable)
        #[arg(long = "add-group", value_name = "G")]
        add_groups: Vec<String>,
        /// Remove from a group (repeatable)
        #[arg(long = "remove-group", value_name = "G")]
        remove_groups: Vec<String>,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete a user and what belongs to it (asks first; --yes in scripts)
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl user delete alice\n  wafflectl user delete alice --yes"
    )]
    Delete {
        /// The username
        #[arg(add = names(Kind::User))]
        username: Username,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Record that a user enrolled in a course (used by experiment enrollment windows)
    #[command(
        after_help = "Examples:\n  wafflectl user enroll alice course-v1:edX+DemoX+Demo_Course\n  wafflectl user enroll bob edX/DemoX/Demo_Course --at 2020-03-01"
    )]
    Enroll {
        /// The username
        #[arg(add = names(Kind::User))]
        username: Username,
        /// A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN
        course: String,
        /// When the enrollment was created (default: now)
        #[arg(long, value_name = "T")]
        at: Option<crate::types::EdxTime>,
        /// Enrollment mode
        #[arg(long, default_value = "audit", value_name = "MODE")]
        mode: String,
        #[command(flatten)]
        m: super::UnscheduledMutationArgs,
    },
    /// Remove a user's enrollment in a course
    #[command(
        after_help = "Examples:\n  wafflectl user unenroll alice course-v1:edX+DemoX+Demo_Course\n  wafflectl user unenroll bob edX/DemoX/Demo_Course --dry-run"
    )]
    Unenroll {
        /// The username
        #[arg(add = names(Kind::User))]
        username: Username,
        /// A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN
        course: String,
        #[command(flatten)]
        m: MutationArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum GroupCmd {
    /// List groups with their member counts
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl group list\n  wafflectl group list --json"
    )]
    List,
    /// Add a group
    #[command(
        after_help = "Examples:\n  wafflectl group add beta\n  wafflectl group add qa --reason 'test accounts'"
    )]
    Add {
        /// The new group's name
        name: GroupName,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete a group (its memberships and flag entries go with it; asks first)
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl group delete beta\n  wafflectl group delete beta --yes"
    )]
    Delete {
        /// The group
        #[arg(add = names(Kind::Group))]
        name: GroupName,
        #[command(flatten)]
        m: MutationArgs,
    },
}
