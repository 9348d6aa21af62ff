use clap::{Args, Subcommand};

/// `wafflectl env list|check`: the environments of the config file.
#[derive(Debug, Subcommand)]
pub(crate) enum EnvCmd {
    /// The config file's environments: store, password source, cache, protection
    #[command(after_help = "\
Secrets are never shown: a URL's password is masked, and a password's source is named, not read.

Examples:
  wafflectl env list
  wafflectl --config ops/wafflectl.toml env list --json")]
    List,
    /// Connect to environments and report backend, schema, identity, counts and cache
    #[command(after_help = "\
Connects to each environment named (every one by default) and reports its backend, schema
version, store identity, how many flags, switches, samples, overrides, experiments and users it
holds, and whether its cache answers. An environment that cannot be reached is a row with its
error; the command then exits 1. Secrets are masked everywhere.

Examples:
  wafflectl env check
  wafflectl env check staging prod --json")]
    Check(EnvCheckArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EnvCheckArgs {
    /// The environments to check (default: all of them)
    #[arg(value_name = "NAME")]
    pub(crate) names: Vec<String>,
}
