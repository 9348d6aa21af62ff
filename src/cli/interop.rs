use std::path::PathBuf;

use clap::Args;

use super::UnscheduledMutationArgs;

#[derive(Debug, Args)]
#[command(after_help = "\
The format is the global --format: native (the default; also with --json), django, or
baseplate (experiments.json, as baseplate services read it).

Examples:
  wafflectl export -o toggles.json
  wafflectl export --format django --indent 0 | python manage.py loaddata --format json -
  wafflectl export --format baseplate -o /var/local/experiments.json")]
pub(crate) struct ExportArgs {
    /// Where to write (- for stdout, the default); a file is replaced atomically, keeping its
    /// permissions; a FIFO or device is written into
    #[arg(short = 'o', long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Django fixtures: indent by N spaces, as dumpdata --indent N (0 = one line, as dumpdata
    /// without --indent)
    #[arg(long, default_value_t = 2, value_name = "N",
          value_parser = clap::value_parser!(u16).range(0..=64))]
    pub(crate) indent: u16,
    /// Overwrite FILE even when it is the store itself or another SQLite database
    #[arg(long)]
    pub(crate) force: bool,
    /// The written file's mode, in octal (baseplate: 0644 unless given, as the live-data
    /// sidecar writes it)
    #[arg(long, value_name = "MODE")]
    pub(crate) mode: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
The file's format is detected from its content: a JSON array or JSON lines of {\"model\": ...}
is a Django fixture, an object with \"version\" a native file, an object of experiment configs
a baseplate experiments.json; --format native|django|baseplate insists on one.
Import upserts: it creates and updates, and deletes only with --prune (which asks first, or
needs --yes); with --create-only it only creates. It runs as one transaction and writes one
audit row per changed object. A course or org override counts by its current row: where the
file's current value differs, one row dated now is appended (the history stays).

Examples:
  wafflectl import toggles.json --prune --dry-run
  wafflectl import defaults.json --create-only
  python manage.py dumpdata waffle auth.user auth.group --natural-foreign \\
      | wafflectl import --format django -")]
pub(crate) struct ImportArgs {
    /// The file (- for stdin)
    pub(crate) file: PathBuf,
    /// Also delete what the file does not contain, in the kinds of object it has (asks first;
    /// --yes in scripts)
    #[arg(long)]
    pub(crate) prune: bool,
    /// Create what the store lacks, never change what exists (objects that differ are reported
    /// as kept); not with --prune
    #[arg(long, conflicts_with = "prune")]
    pub(crate) create_only: bool,
    #[command(flatten)]
    pub(crate) m: UnscheduledMutationArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Lines: '+ kind name' (added), '~ kind name: field: before → after' (changed),
'- kind name' (removed, with --prune). --json prints {added, changed, removed, unchanged}.
The file's format is detected from its content, as import does.
Exit status: 0 when the command ran (1 with --exit-code when the file and the store differ,
as git diff --exit-code), 2 when the file cannot be read.

Examples:
  wafflectl diff toggles.json
  wafflectl diff toggles.json --prune --json
  wafflectl diff --exit-code toggles.json || echo \"the store drifted from toggles.json\"")]
pub(crate) struct DiffArgs {
    /// The file (- for stdin)
    pub(crate) file: PathBuf,
    /// Also show what --prune would delete
    #[arg(long)]
    pub(crate) prune: bool,
    /// Exit 1 when the file and the store differ (0 when they match), for drift checks in CI
    #[arg(long)]
    pub(crate) exit_code: bool,
}
