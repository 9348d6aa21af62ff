//! Baseplate experiments: authoring options (flattened into `experiment create/set`), `variant`
//! and `lint`.

use super::names;
use crate::error::NameKind as Kind;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// The six experiment types of baseplate's experiments.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BaseplateType {
    #[value(name = "single_variant")]
    SingleVariant,
    #[value(name = "multi_variant")]
    MultiVariant,
    #[value(name = "feature_rollout")]
    FeatureRollout,
    #[value(name = "range_variant")]
    RangeVariant,
    #[value(name = "r2")]
    R2,
    #[value(name = "feature_flag")]
    FeatureFlag,
}

impl BaseplateType {
    /// The `type` text in the config.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BaseplateType::SingleVariant => "single_variant",
            BaseplateType::MultiVariant => "multi_variant",
            BaseplateType::FeatureRollout => "feature_rollout",
            BaseplateType::RangeVariant => "range_variant",
            BaseplateType::R2 => "r2",
            BaseplateType::FeatureFlag => "feature_flag",
        }
    }

    /// r2 and feature_flag: variants as percentages, targeting as lists of values.
    pub(crate) fn is_legacy(self) -> bool {
        matches!(self, BaseplateType::R2 | BaseplateType::FeatureFlag)
    }
}

/// What a baseplate experiment's config holds; every option is optional (`set` changes only
/// what is given).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Baseplate experiments (with --type, or set on one)")]
pub(crate) struct BaseplateOpts {
    /// Make a baseplate experiment of this type (without it, create makes an edX experiment)
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub(crate) kind: Option<BaseplateType>,
    /// Owner (carried into bucketing events). Default on create: the actor
    #[arg(long, value_name = "O")]
    pub(crate) owner: Option<String>,
    /// A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a
    /// percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all
    #[arg(long = "variant", value_name = "NAME=SIZE")]
    pub(crate) variants: Vec<String>,
    /// Start of the window: a date ('2026-12-01', '2026-12-01 10:00Z') or epoch seconds.
    /// Default on create: now
    #[arg(long, value_name = "TIME")]
    pub(crate) start: Option<crate::types::EpochTime>,
    /// End of the window: a date or epoch seconds. Default on create: 30 days after the start
    #[arg(long, value_name = "TIME")]
    pub(crate) stop: Option<crate::types::EpochTime>,
    /// Enabled (the default on create)
    #[arg(long, overrides_with = "disabled")]
    pub(crate) enabled: bool,
    /// Disabled: variant() answers None (a simple type still answers its global override)
    #[arg(long, overrides_with = "enabled")]
    pub(crate) disabled: bool,
    /// Answer this for everyone: JSON (e.g. '"treat"', null) or plain text
    #[arg(long, value_name = "V", conflicts_with = "no_global_override")]
    pub(crate) global_override: Option<String>,
    /// Remove the global override
    #[arg(long)]
    pub(crate) no_global_override: bool,
    /// The input that is hashed (default user_id)
    #[arg(long, value_name = "INPUT")]
    pub(crate) bucket_val: Option<String>,
    /// r2/feature_flag: hashing seed (default: the name)
    #[arg(long, value_name = "S")]
    pub(crate) seed: Option<String>,
    /// Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)
    #[arg(long, value_name = "S")]
    pub(crate) bucket_seed: Option<String>,
    /// Simple types: reshuffle users by changing this (default on create: 0)
    #[arg(long, value_name = "N")]
    pub(crate) shuffle_version: Option<i64>,
    /// Simple types: experiment version, 1 or more (default on create: 1)
    #[arg(long, value_name = "N")]
    pub(crate) experiment_version: Option<i64>,
    /// Simple types: number of buckets (default 1000)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
    pub(crate) num_buckets: Option<u32>,
    /// Simple types: log bucketing events (the default)
    #[arg(long, overrides_with = "no_log_bucketing")]
    pub(crate) log_bucketing: bool,
    /// Simple types: log no bucketing events
    #[arg(long, overrides_with = "log_bucketing")]
    pub(crate) no_log_bucketing: bool,
    /// r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)
    #[arg(long, value_name = "TIME")]
    pub(crate) newer_than: Option<crate::types::EpochTime>,
    /// Targeting: a JSON tree for the simple types ('{"EQ":{"field":"country","values":["US"]}}');
    /// PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting
    #[arg(long = "target", value_name = "TREE")]
    pub(crate) targets: Vec<String>,
    /// Remove the targeting (simple types then target everyone; r2/feature_flag no one)
    #[arg(long, conflicts_with = "targets")]
    pub(crate) no_target: bool,
    /// An override, repeatable, in order: VARIANT=JSON-TREE for the simple types;
    /// PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides
    #[arg(long = "override", value_name = "VARIANT=TREE")]
    pub(crate) overrides: Vec<String>,
    /// Remove every override
    #[arg(long, conflicts_with = "overrides")]
    pub(crate) no_overrides: bool,
}

impl BaseplateOpts {
    /// Whether any baseplate option was given.
    pub(crate) fn any(&self) -> bool {
        let o = self;
        o.kind.is_some()
            || o.owner.is_some()
            || !o.variants.is_empty()
            || o.start.is_some()
            || o.stop.is_some()
            || o.enabled
            || o.disabled
            || o.global_override.is_some()
            || o.no_global_override
            || o.bucket_val.is_some()
            || o.seed.is_some()
            || o.bucket_seed.is_some()
            || o.shuffle_version.is_some()
            || o.experiment_version.is_some()
            || o.num_buckets.is_some()
            || o.log_bucketing
            || o.no_log_bucketing
            || o.newer_than.is_some()
            || !o.targets.is_empty()
            || o.no_target
            || !o.overrides.is_empty()
            || o.no_overrides
    }
}

#[derive(Debug, Args)]
#[command(after_help = "\
Inputs are what the service passes to Experiments.variant(): KEY=VALUE types true/false and
numbers like JSON (logged_in=true, build=100, ratio=0.5) and keeps the rest as text
(country=DE); KEY:=JSON takes raw JSON (ids:='[1,2]', zip:='\"01234\"', user_id:=null).

With --users-file (- for stdin) it prints VALUE<TAB>VARIANT for each line, or with --summary
the share of each variant.

Examples:
  wafflectl variant checkout_v2 user_id=t2_1 logged_in=true
  wafflectl variant checkout_v2 --file /var/local/experiments.json user_id=t2_1 --now 2026-12-01
  cut -f1 users.tsv | wafflectl variant checkout_v2 --users-file - --summary")]
pub(crate) struct VariantArgs {
    /// The experiment (its top-level key in experiments.json)
    #[arg(add = names(Kind::Experiment))]
    pub(crate) name: String,
    /// Inputs: KEY=VALUE or KEY:=JSON
    #[arg(value_name = "KEY=VALUE")]
    pub(crate) inputs: Vec<String>,
    /// Evaluate at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<crate::types::EpochTime>,
    /// As with bucketing_event_override=False: never log a bucketing event
    #[arg(long)]
    pub(crate) no_event: bool,
    /// Read the experiment from this experiments.json instead of the store (no store needed)
    #[arg(long, value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// One value of the experiment's bucket_val per line (- for stdin); writes VALUE<TAB>VARIANT
    #[arg(long, value_name = "FILE")]
    pub(crate) users_file: Option<PathBuf>,
    /// With --users-file: count and share per variant, and a chi-square test against the sizes
    #[arg(long, requires = "users_file")]
    pub(crate) summary: bool,
    /// With --users-file: worker threads, 1 to 1024 (default: $WAFFLECTL_JOBS, else one per core)
    #[arg(long, value_name = "N", requires = "users_file",
          value_parser = clap::value_parser!(u16).range(1..=i64::from(crate::types::JOBS_MAX)))]
    pub(crate) jobs: Option<u16>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Lists, one line each, every experiment that baseplate 1.5.5 treats as invalid (and why),
that is disabled or outside its window, of unknown type, targeting no one, or caught in a
trap (accepted but doing something other than it seems to). Exit 1 when any is invalid.
The format is recognised as import's is: a native file is validated and its baseplate
experiments linted; a Django fixture has none (exit 2).

Examples:
  wafflectl lint /var/local/experiments.json
  wafflectl lint experiments.json --json | jq '.[] | select(.level == \"invalid\")'
  wafflectl export --format baseplate | wafflectl lint -")]
pub(crate) struct LintArgs {
    /// The experiments.json, or a native file (- for stdin)
    pub(crate) file: PathBuf,
    /// Judge windows at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<crate::types::EpochTime>,
}
