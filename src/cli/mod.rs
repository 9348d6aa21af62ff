//! Command-line definitions only (clap derive); no logic. `commands/` implements them.
//! Kept apart so tests and generators (completions, man pages) can use the tree.

mod baseplate;
mod bucket;
mod compare;
mod env;
mod eval;
mod experiment;
mod flag;
mod interop;
mod overrides;
mod plan;
mod promote;
mod refs;
mod removal;
mod report;
mod revert;
mod sample;
mod schedule;
mod sql;
mod srm;
mod stale;
mod switch;
mod user;

use crate::error::NameKind as Kind;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

pub(crate) use baseplate::*;
pub(crate) use bucket::*;
pub(crate) use compare::*;
pub(crate) use env::*;
pub(crate) use eval::*;
pub(crate) use experiment::*;
pub(crate) use flag::*;
pub(crate) use interop::*;
pub(crate) use overrides::*;
pub(crate) use plan::*;
pub(crate) use promote::*;
pub(crate) use refs::*;
pub(crate) use removal::*;
pub(crate) use report::*;
pub(crate) use revert::*;
pub(crate) use sample::*;
pub(crate) use schedule::*;
pub(crate) use sql::*;
pub(crate) use srm::*;
pub(crate) use stale::*;
pub(crate) use switch::*;
pub(crate) use user::*;

use crate::types::ColorChoice;
use crate::types::FormatArg;

/// Where dynamic completion finds the store's names: set by `commands::completions` before it
/// answers a shell, so these definitions need no store.
static NAME_SOURCE: OnceLock<fn(Kind, &str) -> Vec<String>> = OnceLock::new();

/// Sets where [`names`] finds the existing names of a kind that start with what is typed.
pub(crate) fn set_name_source(source: fn(Kind, &str) -> Vec<String>) {
    let _ = NAME_SOURCE.set(source);
}

/// The completer of an argument that names an existing object of `kind`.
pub(crate) fn names(kind: Kind) -> ArgValueCompleter {
    ArgValueCompleter::new(move |current: &OsStr| {
        let (Some(typed), Some(source)) = (current.to_str(), NAME_SOURCE.get()) else {
            return Vec::new();
        };
        source(kind, typed)
            .into_iter()
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// The help heading of the options every command takes, listed after a command's own options.
const GLOBAL: &str = "Global options";

const EXAMPLES: &str = "\
Store: --db PATH|URL, else $WAFFLECTL_DB, else ./waffle.db (URLs: mysql://, postgres://).
Site cache: --cache URL, else $WAFFLECTL_CACHE (see docs/databases.md).
Environments: --env NAME, else $WAFFLECTL_ENV: a store named in wafflectl.toml (docs/environments.md).
Exit codes: 0 ok, 1 runtime failure, 2 usage or invalid input, 3 confirmation declined.
Every command has its own --help, with examples.

Examples:
  wafflectl init --example
  wafflectl bucket example_namespace.example_flag --user alice \\
      --course course-v1:edX+DemoX+Demo_Course
  WAFFLECTL_DB_PASSWORD=... wafflectl --db mysql://edxapp001@127.0.0.1/edxapp --actor admin \\
      --cache redis://127.0.0.1:6379/1 --cache-key-prefix edx flag on new_dashboard";

/// Administer django-waffle flags, switches and samples, Open edX course/org overrides and
/// experiments, in the site's database (SQLite, MySQL/MariaDB or PostgreSQL) or a SQLite store.
#[derive(Debug, Parser)]
#[command(name = "wafflectl", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or
    /// postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else
    /// ./waffle.db
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PATH|URL")]
    pub(crate) db: Option<PathBuf>,
    /// Print JSON (same as --format json)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) json: bool,
    /// Output format of read commands
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<FormatArg>,
    /// Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "NAME")]
    pub(crate) actor: Option<String>,
    /// Answer yes to confirmations (needed for deletions when there is no terminal)
    #[arg(short = 'y', long, global = true, help_heading = GLOBAL)]
    pub(crate) yes: bool,
    /// Never prompt; fail where a prompt would be needed
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) no_input: bool,
    /// When to colour output (NO_COLOR is honoured with auto)
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    /// Print no status lines or warnings, only data and errors
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub(crate) quiet: bool,
    // Issue 10 (site cache, Django admin history): the options below are read in context.rs.
    /// After each write, delete the django-waffle keys it made stale from the site's cache:
    /// redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "URL",
          value_parser = crate::types::cache_url_arg)]
    pub(crate) cache: Option<crate::types::CacheServer>,
    /// The site's CACHES KEY_PREFIX (with --cache)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PREFIX", default_value = "")]
    pub(crate) cache_key_prefix: String,
    /// The site's CACHES VERSION (with --cache)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "N", default_value_t = 1,
          allow_negative_numbers = true)]
    pub(crate) cache_version: i64,
    /// The site's WAFFLE_CACHE_PREFIX (with --cache)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PREFIX", default_value = "waffle:")]
    pub(crate) waffle_cache_prefix: String,
    /// Do not write Django admin history (django_admin_log) entries for changes
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) no_admin_log: bool,
    /// The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml,
    /// else wafflectl/config.toml in the user's config directory
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,
    /// Work on this environment of the config file (its store, password and cache). Default:
    /// $WAFFLECTL_ENV
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "NAME")]
    pub(crate) env: Option<String>,
    /// With --yes: confirm a write to a protected environment by its name
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "NAME")]
    pub(crate) confirm_env: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every mutating command takes.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct MutationArgs {
    /// Show what would change and write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Why: kept in the audit log
    #[arg(long, value_name = "TEXT")]
    pub(crate) reason: Option<String>,
    /// Do not change now: check the change and schedule it for TIME ('2026-12-24 18:00',
    /// 'tomorrow 09:00', 'in 2 hours'; UTC), applied by `wafflectl schedule run`
    #[arg(long, value_name = "TIME", conflicts_with = "dry_run")]
    pub(crate) at: Option<crate::types::AtTime>,
}

/// The options of a mutating command whose own `--at` means something else (`user enroll`:
/// when the enrollment was made): the same as [`MutationArgs`] without scheduling.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct UnscheduledMutationArgs {
    /// Show what would change and write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Why: kept in the audit log
    #[arg(long, value_name = "TEXT")]
    pub(crate) reason: Option<String>,
}

impl From<UnscheduledMutationArgs> for MutationArgs {
    fn from(m: UnscheduledMutationArgs) -> MutationArgs {
        MutationArgs {
            dry_run: m.dry_run,
            reason: m.reason,
            at: None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a store, or add wafflectl's tables to an existing Django database
    #[command(
        after_help = "Examples:\n  wafflectl init\n  wafflectl --db mysite/db.sqlite3 init\n  wafflectl init --example"
    )]
    Init(InitArgs),
    /// Django-waffle flags: on/off for everyone, or by user, group, staff, percent...
    #[command(
        subcommand,
        visible_alias = "flags",
        after_help = "Examples:\n  wafflectl flag list\n  wafflectl flag create new_dashboard --percent 25\n  wafflectl flag on new_dashboard"
    )]
    Flag(FlagCmd),
    /// Django-waffle switches: simple on/off toggles
    #[command(
        subcommand,
        visible_alias = "switches",
        after_help = "Examples:\n  wafflectl switch list\n  wafflectl switch create maintenance\n  wafflectl switch on maintenance"
    )]
    Switch(SwitchCmd),
    /// Django-waffle samples: on for a random percentage of checks
    #[command(
        subcommand,
        visible_alias = "samples",
        after_help = "Examples:\n  wafflectl sample list\n  wafflectl sample create ab_test 33\n  wafflectl sample set ab_test 50"
    )]
    Sample(SampleCmd),
    /// Users (django.contrib.auth) that flags and experiments refer to
    #[command(
        subcommand,
        visible_alias = "users",
        after_help = "Examples:\n  wafflectl user list\n  wafflectl user add alice --staff\n  wafflectl user enroll alice course-v1:edX+DemoX+Demo_Course"
    )]
    User(UserCmd),
    /// Groups (django.contrib.auth)
    #[command(
        subcommand,
        visible_alias = "groups",
        after_help = "Examples:\n  wafflectl group list\n  wafflectl group add beta"
    )]
    Group(GroupCmd),
    /// Open edX course and organisation overrides of a flag
    #[command(
        subcommand,
        visible_alias = "overrides",
        after_help = "Examples:\n  wafflectl override list\n  wafflectl override set course_experience.relative_dates --org edX on"
    )]
    Override(OverrideCmd),
    /// Open edX experiments: numbered buckets, whitelists, key-values, IDs
    #[command(
        subcommand,
        visible_alias = "experiments",
        after_help = "Examples:\n  wafflectl experiment list\n  wafflectl experiment create course_experience.upsell --buckets 3 --id 17\n  wafflectl experiment show course_experience.upsell"
    )]
    Experiment(ExperimentCmd),
    /// Which bucket a user lands in for an experiment, and why
    Bucket(BucketArgs),
    /// Which variant a baseplate experiment gives, and why (one input set, or a file of users)
    Variant(VariantArgs),
    /// SQL giving the same assignment inside a warehouse (DuckDB, PostgreSQL, MariaDB)
    #[command(
        subcommand,
        after_help = "Examples:\n  wafflectl sql bucket course_experience.upsell --dialect duckdb\n  wafflectl sql bucket course_experience.upsell --dialect postgres --course-column course_id"
    )]
    Sql(SqlCmd),
    /// Check an experiments.json as baseplate reads it (no store needed)
    Lint(LintArgs),
    /// Sample-ratio mismatch: do observed counts per bucket or variant fit the experiment?
    Srm(SrmArgs),
    /// Evaluate a switch, sample, flag or experiment step by step
    Eval(EvalArgs),
    /// The audit log: who changed what, newest first
    History(HistoryArgs),
    /// Write the store to a file (native JSON or a Django fixture)
    Export(ExportArgs),
    /// Apply a native file or a Django fixture to the store
    Import(ImportArgs),
    /// Show what importing a file would change
    Diff(DiffArgs),
    /// Check the store for problems
    Doctor(DoctorArgs),
    /// Toggles that decide the same for everyone and have not changed for N days, and orphans
    Stale(StaleArgs),
    /// Where source code names the store's toggles, and toggles code declares without a row
    Refs(RefsArgs),
    /// Every toggle from code, annotations and the store: fields, state, places and findings
    Report(ReportArgs),
    /// Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)
    #[command(
        after_help = "Examples:\n  wafflectl delete --flags old_a,old_b --switches legacy --yes\n  wafflectl delete --samples ab_test --dry-run"
    )]
    Delete(DeleteArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  wafflectl completions bash > ~/.local/share/bash-completion/completions/wafflectl\n  wafflectl completions zsh > ~/.zfunc/_wafflectl\n  wafflectl completions fish > ~/.config/fish/completions/wafflectl.fish"
    )]
    Completions(CompletionsArgs),
    /// Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and
    /// prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date
    /// or a course key. Hidden: not part of the user interface.
    #[command(hide = true, name = "conformance-inputs")]
    ConformanceInputs(ConformanceInputsArgs),
    /// Write the changes from a file or another store to a plan file, to review and apply
    Plan(PlanArgs),
    /// Carry out a plan file, unless what it read has changed since
    Apply(ApplyArgs),
    /// Restore what audit rows changed to its state before them
    Revert(RevertArgs),
    /// Named environments of the config file: list them, check each can be reached
    #[command(
        subcommand,
        after_help = "Examples:\n  wafflectl env list\n  wafflectl env check\n  wafflectl --env staging flag list"
    )]
    Env(EnvCmd),
    /// Changes scheduled with --at: list, show, cancel, and run those that are due
    #[command(subcommand, after_help = SCHEDULE_EXAMPLES)]
    Schedule(ScheduleCmd),
    /// Every difference between two stores or files: flags, switches, samples, overrides, experiments
    Compare(CompareArgs),
    /// Copy flags, switches, samples and experiments from one store to another
    Promote(PromoteArgs),
}

/// `wafflectl delete --flags A,B --switches C --samples D`.
#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// Flags to delete (comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub(crate) flags: Vec<String>,
    /// Switches to delete (comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub(crate) switches: Vec<String>,
    /// Samples to delete (comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub(crate) samples: Vec<String>,
    /// Fail (exit 1, nothing deleted) when a name does not exist, instead of skipping it
    #[arg(long)]
    pub(crate) strict: bool,
    #[command(flatten)]
    pub(crate) m: MutationArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputKind {
    Dates,
    Keys,
}

#[derive(Debug, Args)]
pub(crate) struct ConformanceInputsArgs {
    /// What the cases are
    #[arg(value_enum)]
    pub(crate) kind: InputKind,
    /// The file of cases, one JSON string a line
    pub(crate) file: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Also add the Open edX documentation's example experiment, users and toggles
    #[arg(long)]
    pub(crate) example: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wafflectl history\n  wafflectl history new_dashboard --limit 5\n  wafflectl history --since '2026-11-01' --json"
)]
pub(crate) struct HistoryArgs {
    /// Only changes of the object with this name (a flag, switch, sample, user, group...)
    #[arg(add = names(Kind::Any))]
    pub(crate) name: Option<String>,
    /// Only changes at or after this time (e.g. 2026-11-01, '2026-11-01 10:00')
    #[arg(long, value_name = "TIME")]
    pub(crate) since: Option<crate::types::When>,
    /// At most this many entries (0 = all; at most 1000000000)
    #[arg(long, default_value_t = 50, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=1_000_000_000))]
    pub(crate) limit: u32,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Runs every check of the store and lists each as ok, warning or error, with the detail;
exit 1 when any is an error. With --cache, also reads the site's django-waffle cache and lists
the cached values that disagree with the store (what the site serves until they expire).

Examples:
  wafflectl doctor --json
  wafflectl --db mysite/db.sqlite3 doctor
  wafflectl --db mysite/db.sqlite3 --cache memcached://127.0.0.1:11211 doctor")]
pub(crate) struct DoctorArgs {}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to write a completion script for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}
