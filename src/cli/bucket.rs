use std::path::PathBuf;

use super::names;
use crate::error::NameKind as Kind;
use clap::{ArgGroup, Args, ValueEnum};

use crate::types::{BucketCount, CourseArg, ExperimentId, FlagName};

/// How to settle django-waffle's random percent roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AssumePercent {
    /// The roll admits the user
    In,
    /// The roll leaves the user out
    Out,
}

const BUCKET_EXAMPLES: &str = "\
One of --user, --anonymous, --users-file (one username a line, - for stdin; with --summary
the counts per bucket) or --find (usernames that land in a bucket). --buckets, --experiment-id
and --course-aware stand in for a definition the store does not have.

Examples:
  wafflectl bucket example_namespace.example_flag --user alice \\
      --course course-v1:edX+DemoX+Demo_Course
  wafflectl bucket experiments.test --users-file - --summary < users.txt
  wafflectl bucket experiments.test --find 1 --count 5 --base qa_";

// The arguments `bucket` and `eval` both take, in four groups so that each command lists
// them in its own order around its own arguments (help, completions and man pages follow the
// order of declaration).

/// Who asks, and in which course.
#[derive(Debug, Args)]
pub(crate) struct SubjectArgs {
    /// The user to check (from the store when it exists there)
    #[arg(long, value_name = "U", add = names(Kind::User))]
    pub(crate) user: Vec<String>,
    /// Check an anonymous (logged-out) visitor
    #[arg(long)]
    pub(crate) anonymous: bool,
    /// The course the check happens in
    #[arg(long, value_name = "C")]
    pub(crate) course: Option<CourseArg>,
}

/// When: the user's enrollment and the time of the check.
#[derive(Debug, Args)]
pub(crate) struct WhenArgs {
    /// When the user enrolled in the course (default: from the store, else not enrolled)
    #[arg(long, value_name = "T")]
    pub(crate) enrolled_at: Option<String>,
    /// Evaluate as of this time (default: now)
    #[arg(long, value_name = "T")]
    pub(crate) now: Option<crate::types::EdxTime>,
}

/// The request's language and what the command line adds to the user.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct AttributeArgs {
    /// The request's language code (LANGUAGE_CODE; the LMS always sets one)
    #[arg(long, value_name = "L")]
    pub(crate) language: Option<String>,
    /// Treat the user as staff
    #[arg(long)]
    pub(crate) staff: bool,
    /// Treat the user as a superuser
    #[arg(long)]
    pub(crate) superuser: bool,
    /// Treat the user as a member of this group (repeatable)
    #[arg(long = "group", value_name = "G", add = names(Kind::Group))]
    pub(crate) groups: Vec<String>,
}

/// How to settle random percent rolls.
#[derive(Debug, Args)]
pub(crate) struct AssumeArgs {
    /// Settle a percent-based main flag's random roll
    #[arg(long, value_enum, value_name = "in|out")]
    pub(crate) assume_percent: Option<AssumePercent>,
}

/// Which bucket a user lands in, as the Open edX LMS decides it.
#[derive(Debug, Args)]
#[command(after_help = BUCKET_EXAMPLES)]
#[command(group(ArgGroup::new("mode").required(true).args(["user", "anonymous", "users_file", "find"])))]
pub(crate) struct BucketArgs {
    /// The experiment (main flag) name
    #[arg(add = names(Kind::Experiment))]
    pub(crate) name: FlagName,
    #[command(flatten)]
    pub(crate) subject: SubjectArgs,
    #[command(flatten)]
    pub(crate) when: WhenArgs,
    /// Number of buckets (replaces the stored definition)
    #[arg(long, value_name = "N")]
    pub(crate) buckets: Option<BucketCount>,
    /// Experiment ID (replaces the stored definition)
    #[arg(long, value_name = "ID")]
    pub(crate) experiment_id: Option<ExperimentId>,
    /// Hash the course into the bucket (replaces the stored definition)
    #[arg(long, overrides_with = "no_course_aware")]
    pub(crate) course_aware: bool,
    /// Do not hash the course into the bucket (replaces the stored definition)
    #[arg(long, overrides_with = "course_aware")]
    pub(crate) no_course_aware: bool,
    #[command(flatten)]
    pub(crate) attrs: AttributeArgs,
    #[command(flatten)]
    pub(crate) assume: AssumeArgs,
    /// Bucket every username in FILE (one per line; - for stdin)
    #[arg(long, value_name = "FILE")]
    pub(crate) users_file: Option<PathBuf>,
    /// With --users-file: print counts per bucket, a histogram and a uniformity test
    #[arg(long)]
    pub(crate) summary: bool,
    /// Generate usernames that land in this bucket (for QA test accounts)
    #[arg(long, value_name = "BUCKET")]
    pub(crate) find: Option<i64>,
    /// With --find: how many usernames, 1 to 100000 (default: 1)
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub(crate) count: Option<u32>,
    /// With --find: start of the generated usernames
    #[arg(long, value_name = "NAME")]
    pub(crate) base: Option<String>,
    /// With --users-file or --find: worker threads, 1 to 1024 (default: $WAFFLECTL_JOBS, else
    /// one per core)
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=i64::from(crate::types::JOBS_MAX)))]
    pub(crate) jobs: Option<u16>,
}
