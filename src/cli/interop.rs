use std::path::PathBuf;

use clap::Args;

use super::MutationArgs;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wafflectl export -o toggles.json\n  wafflectl export --format django -o fixture.json\n  wafflectl export | jq .flags"
)]
pub struct ExportArgs {
    /// Where to write (- for stdout, the default); written atomically
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wafflectl import toggles.json --dry-run\n  wafflectl import toggles.json --prune --yes\n  manage.py dumpdata waffle auth.user auth.group | wafflectl import --format django -"
)]
pub struct ImportArgs {
    /// The file (- for stdin)
    pub file: PathBuf,
    /// Also delete what the file does not contain (asks first; --yes in scripts)
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub m: MutationArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wafflectl diff toggles.json\n  wafflectl diff toggles.json --prune --json"
)]
pub struct DiffArgs {
    /// The file (- for stdin)
    pub file: PathBuf,
    /// Also show what --prune would delete
    #[arg(long)]
    pub prune: bool,
}
