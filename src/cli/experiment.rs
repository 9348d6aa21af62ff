use clap::{ArgGroup, Args, Subcommand};

use super::names;
use super::{BaseplateOpts, MutationArgs};
use crate::error::NameKind as Kind;
use crate::types::{BucketCount, BucketNumber, ExperimentId, Username};

/// Who a whitelist entry puts into a bucket: exactly one.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("who").required(true).args(["user", "group", "staff", "everyone", "course", "org"])))]
pub(crate) struct WhitelistTarget {
    /// A user (must exist)
    #[arg(long, value_name = "U", add = names(Kind::User))]
    pub(crate) user: Option<String>,
    /// A group (must exist)
    #[arg(long, value_name = "G", add = names(Kind::Group))]
    pub(crate) group: Option<String>,
    /// Every staff member
    #[arg(long)]
    pub(crate) staff: bool,
    /// Everyone
    #[arg(long)]
    pub(crate) everyone: bool,
    /// Everyone in a course (an `on` override of the bucket's flag)
    #[arg(long, value_name = "C")]
    pub(crate) course: Option<String>,
    /// Everyone in an organisation (an `on` override of the bucket's flag)
    #[arg(long, value_name = "O")]
    pub(crate) org: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExperimentCmd {
    /// List experiment definitions
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl experiment list\n  wafflectl experiment list --json"
    )]
    List,
    /// Everything about an experiment: definition, main flag, overrides, whitelists, key-values
    #[command(
        after_help = "Examples:\n  wafflectl experiment show example_namespace.example_flag\n  wafflectl experiment show checkout_v2 --json"
    )]
    Show {
        /// The experiment (its main flag's name)
        #[arg(add = names(Kind::Experiment))]
        name: String,
    },
    /// Define an edX experiment (and its main flag, off), or a baseplate one with --type
    #[command(
        after_help = "Examples:\n  wafflectl experiment create course_experience.upsell --buckets 3 --id 17\n  wafflectl experiment create checkout_v2 --type multi_variant --id 4242 --owner growth \\\n      --variant a=0.1 --variant b=0.1 --variant c=0.1\n  wafflectl experiment create search_r2 --type r2 --variant treat=10 \\\n      --target logged_in=true --override user_name:gary=treat"
    )]
    Create {
        /// edX: namespaced name (with a '.'), e.g. course_experience.upsell. Baseplate: the
        /// experiment's key and name
        name: String,
        /// Number of buckets (bucket 0 is control). Default 2
        #[arg(long, value_name = "N")]
        buckets: Option<BucketCount>,
        /// Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate:
        /// any integer, default the smallest free one
        #[arg(long = "id", value_name = "ID")]
        id: Option<i64>,
        /// Hash the course into the bucket (default)
        #[arg(long, overrides_with = "no_course_aware")]
        course_aware: bool,
        /// Hash users alike in every course
        #[arg(long, overrides_with = "course_aware")]
        no_course_aware: bool,
        /// Free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        baseplate: BaseplateOpts,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Change an experiment's definition (only what is given)
    #[command(
        after_help = "Examples:\n  wafflectl experiment set course_experience.upsell --buckets 4 --no-id\n  wafflectl experiment set checkout_v2 --variant a=0.2 --variant b=0.2 --variant c=0.2 \\\n      --reason 'widen'\n  wafflectl experiment set checkout_v2 --disabled"
    )]
    Set {
        /// The experiment (an edX main flag's name, or a baseplate key)
        #[arg(add = names(Kind::Experiment))]
        name: String,
        /// Number of buckets
        #[arg(long, value_name = "N")]
        buckets: Option<BucketCount>,
        /// Experiment ID (edX: 0–32767)
        #[arg(long = "id", value_name = "ID", conflicts_with = "no_id")]
        id: Option<i64>,
        /// Remove the experiment ID
        #[arg(long)]
        no_id: bool,
        /// Hash the course into the bucket
        #[arg(long, overrides_with = "no_course_aware")]
        course_aware: bool,
        /// Hash users alike in every course
        #[arg(long, overrides_with = "course_aware")]
        no_course_aware: bool,
        /// Free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        baseplate: BaseplateOpts,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Delete an experiment definition (asks first; --yes in scripts)
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl experiment delete course_experience.upsell --yes\n  wafflectl experiment delete course_experience.upsell --with-flags --yes"
    )]
    Delete {
        /// The experiment (its main flag's name)
        #[arg(add = names(Kind::Experiment))]
        name: String,
        /// Also delete the main flag and its NAME.N bucket flags
        #[arg(long)]
        with_flags: bool,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Who is forced into which bucket
    #[command(
        subcommand,
        after_help = "Examples:\n  wafflectl experiment whitelist list course_experience.upsell\n  wafflectl experiment whitelist add course_experience.upsell 1 --user alice"
    )]
    Whitelist(WhitelistCmd),
    /// Every experiment ID in use in the store, and where
    #[command(
        after_help = "Examples:\n  wafflectl experiment ids\n  wafflectl experiment ids --json"
    )]
    Ids,
    /// The smallest experiment ID that is free
    #[command(
        after_help = "Examples:\n  wafflectl experiment next-id\n  wafflectl experiment create my.exp --id $(wafflectl experiment next-id --format plain)"
    )]
    NextId,
    /// Per-experiment key-values (enrollment_start, enrollment_end, ...)
    #[command(
        subcommand,
        after_help = "Examples:\n  wafflectl experiment kv list 17\n  wafflectl experiment kv set 17 enrollment_start 2020-03-05"
    )]
    Kv(KvCmd),
    /// Per-user experiment key-values
    #[command(
        subcommand,
        after_help = "Examples:\n  wafflectl experiment data list 17\n  wafflectl experiment data set 17 alice seen_upsell true"
    )]
    Data(DataCmd),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WhitelistCmd {
    /// Who is forced into each bucket, with warnings about traps
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl experiment whitelist list example_namespace.example_flag\n  wafflectl experiment whitelist list course_experience.upsell --json"
    )]
    List {
        /// The experiment (its main flag's name)
        #[arg(add = names(Kind::Experiment))]
        name: String,
    },
    /// Force users, a group, staff, everyone, a course or an org into a bucket
    #[command(
        after_help = "Examples:\n  wafflectl experiment whitelist add course_experience.upsell 1 --user alice\n  wafflectl experiment whitelist add course_experience.upsell 1 --staff\n  wafflectl experiment whitelist add course_experience.upsell 2 \\\n      --course course-v1:edX+DemoX+Demo_Course"
    )]
    Add(WhitelistChange),
    /// Undo a whitelist entry
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl experiment whitelist remove course_experience.upsell 1 --user alice\n  wafflectl experiment whitelist remove course_experience.upsell 1 --staff"
    )]
    Remove(WhitelistChange),
}

/// What `whitelist add` and `whitelist remove` take.
#[derive(Debug, Args)]
pub(crate) struct WhitelistChange {
    /// The experiment (its main flag's name)
    #[arg(add = names(Kind::Experiment))]
    pub(crate) name: String,
    /// Bucket number, 0 .. buckets-1 (the flag NAME.BUCKET)
    pub(crate) bucket: BucketNumber,
    #[command(flatten)]
    pub(crate) who: WhitelistTarget,
    #[command(flatten)]
    pub(crate) m: MutationArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KvCmd {
    /// Key-values of an experiment ID
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl experiment kv list 17\n  wafflectl experiment kv list 17 --json"
    )]
    List {
        /// Experiment ID (0–32767)
        id: ExperimentId,
    },
    /// Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)
    #[command(
        after_help = "Examples:\n  wafflectl experiment kv set 17 enrollment_start 'March 5, 2020'\n  wafflectl experiment kv set 17 enrollment_end 2020-06-01T00:00:00\n  wafflectl experiment kv set 17 owner 'growth team'"
    )]
    Set {
        /// Experiment ID (0–32767)
        id: ExperimentId,
        /// The key
        key: String,
        /// The value (enrollment_start/enrollment_end: a date)
        value: String,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Remove a key
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl experiment kv unset 17 enrollment_end\n  wafflectl experiment kv unset 17 owner --dry-run"
    )]
    Unset {
        /// Experiment ID (0–32767)
        id: ExperimentId,
        /// The key
        key: String,
        #[command(flatten)]
        m: MutationArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DataCmd {
    /// Per-user data, optionally of one experiment ID and/or one user
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  wafflectl experiment data list 17\n  wafflectl experiment data list --user alice"
    )]
    List {
        /// Only this experiment ID (0–32767)
        id: Option<ExperimentId>,
        /// Only this user's rows
        #[arg(long, value_name = "U", add = names(Kind::User))]
        user: Option<Username>,
    },
    /// Set a user's key for an experiment
    #[command(
        after_help = "Examples:\n  wafflectl experiment data set 17 alice seen_upsell true\n  wafflectl experiment data set 17 bob last_bucket 1 --reason 'QA'"
    )]
    Set {
        /// Experiment ID (0–32767)
        id: ExperimentId,
        /// Username (must exist)
        #[arg(add = names(Kind::User))]
        user: Username,
        /// The key
        key: String,
        /// The value
        value: String,
        #[command(flatten)]
        m: MutationArgs,
    },
    /// Remove a user's key
    #[command(
        visible_alias = "rm",
        after_help = "Examples:\n  wafflectl experiment data unset 17 alice seen_upsell\n  wafflectl experiment data unset 17 bob last_bucket --dry-run"
    )]
    Unset {
        /// Experiment ID (0–32767)
        id: ExperimentId,
        /// Username (must exist)
        #[arg(add = names(Kind::User))]
        user: Username,
        /// The key
        key: String,
        #[command(flatten)]
        m: MutationArgs,
    },
}
