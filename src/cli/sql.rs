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

const SQL_VARIANT_EXAMPLES: &str = "\
Prints one SQL expression giving, for each row, the variant `wafflectl variant --users-file`
prints for that row's bucketing value (NULL where it prints none), for the baseplate experiment
in the store: the window as of --now, overrides and targeting over the columns --column names,
and the full 160-bit SHA-1 modulo. Each row's inputs are the texts of those columns (NULL: the
input is missing). A definition the SQL cannot decide exactly is refused, naming the part.
PostgreSQL needs the pgcrypto extension (the setup statement). See docs/warehouse.md.

Examples:
  wafflectl sql variant checkout_v2 --dialect duckdb
  wafflectl sql variant checkout_v2 --dialect postgres --column user_id=u.id \\
      --column country=u.country
  wafflectl sql variant checkout_v2 --dialect mysql --now 2026-12-01 --json";

/// `wafflectl sql ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum SqlCmd {
    /// SQL giving each row's Open edX bucket, as `bucket --users-file` does
    #[command(after_help = SQL_BUCKET_EXAMPLES)]
    Bucket(SqlBucketArgs),
    /// SQL giving each row's baseplate variant, as `variant --users-file` does
    #[command(after_help = SQL_VARIANT_EXAMPLES)]
    Variant(SqlVariantArgs),
}

/// `wafflectl sql variant NAME --dialect D`.
#[derive(Debug, Args)]
pub(crate) struct SqlVariantArgs {
    /// The baseplate experiment (its key)
    #[arg(add = names(Kind::Experiment))]
    pub(crate) name: String,
    /// The database the SQL is for
    #[arg(long, value_enum, value_name = "D")]
    pub(crate) dialect: DialectArg,
    /// The column holding an input (repeatable); the bucketing input defaults to the column of its name
    #[arg(long = "column", value_name = "FIELD=COL")]
    pub(crate) columns: Vec<String>,
    /// Decide the window as of this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<crate::types::EpochTime>,
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
