//! `wafflectl sql bucket|variant`: the assignment as SQL for a warehouse.

use super::names;
use crate::error::NameKind as Kind;
use clap::{Args, Subcommand, ValueEnum};

use super::AssumePercent;
use crate::types::{CourseArg, EdxTime, FlagName};

/// The SQL dialects `sql` writes (each checked against the engine by conformance/warehouse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DialectArg {
    /// DuckDB
    Duckdb,
    /// PostgreSQL
    Postgres,
    /// MariaDB and MySQL
    #[value(alias = "mariadb")]
    Mysql,
}

const SQL_BUCKET_EXAMPLES: &str = "\
Prints one SQL expression giving, for each row, the bucket `wafflectl bucket --users-file`
prints for that username. Users the store decides otherwise (main flag, bucket flags, staff,
groups, stored enrollments) are listed by name; the enrollment window is read as of --now. See
docs/warehouse.md.

Examples:
  wafflectl sql bucket example_namespace.example_flag --dialect duckdb
  wafflectl sql bucket course_experience.upsell --dialect postgres --user-column u.username \\
      --course-column u.course_id
  wafflectl sql bucket course_experience.upsell --dialect mysql \\
      --course course-v1:edX+DemoX+Demo_Course --json";

/// `wafflectl sql ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum SqlCmd {
    /// SQL giving each row's Open edX bucket, as `bucket --users-file` does
    #[command(after_help = SQL_BUCKET_EXAMPLES)]
    Bucket(SqlBucketArgs),
}

/// `wafflectl sql bucket NAME --dialect D`.
#[derive(Debug, Args)]
pub(crate) struct SqlBucketArgs {
    /// The experiment (main flag) name
    #[arg(add = names(Kind::Experiment))]
    pub(crate) name: FlagName,
    /// The database the SQL is for
    #[arg(long, value_enum, value_name = "D")]
    pub(crate) dialect: DialectArg,
    /// The column holding the username
    #[arg(long, value_name = "C", default_value = "username")]
    pub(crate) user_column: String,
    /// The course every row is checked in
    #[arg(long, value_name = "C", conflicts_with = "course_column")]
    pub(crate) course: Option<CourseArg>,
    /// The column holding each row's course key (hashed in by a course-aware experiment)
    #[arg(long, value_name = "C")]
    pub(crate) course_column: Option<String>,
    /// Decide as of this time (default: now)
    #[arg(long, value_name = "T")]
    pub(crate) now: Option<EdxTime>,
    /// Settle a percent-based flag's random roll
    #[arg(long, value_enum, value_name = "in|out")]
    pub(crate) assume_percent: Option<AssumePercent>,
}
