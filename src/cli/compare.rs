use clap::Args;

/// The kinds of object `compare --kind` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CompareKind {
    /// django-waffle flags (with their users and groups, by name)
    Flag,
    Switch,
    Sample,
    /// Open edX course and org overrides (their current rows)
    Override,
    /// Open edX experiments, with their bucket sub-flags (whitelists) and key-values
    Experiment,
    /// Baseplate experiments
    Baseplate,
}

#[derive(Debug, Args)]
#[command(after_help = "\
A and B are each a database URL (mysql://, postgres://), a SQLite store, or a file export
writes (native, Django fixture, baseplate experiments.json; a file compares only the kinds of
object it holds).
Lines: '< kind name' only in A, '> kind name' only in B, '~ kind name: field: B's value → A's
value' in both but different: the change that would make B like A (what promote --from A --to B
does for the objects it names). Flags compare with their users and groups by name, overrides by
their current row (not their history), experiments with their bucket sub-flags and key-values.
Ids and created/modified times are bookkeeping: rows that differ only there are equal.
--json prints {a, b, equal, differences: [{kind, name, status, a, b}]}.
Exit status: 0 when the command ran (1 with --exit-code when A and B differ), 2 on bad input.

Examples:
  wafflectl compare staging.db postgres://waffle@db.internal/edxapp
  wafflectl compare staging.db prod.db 'new_*' --kind flag --exit-code
  wafflectl compare toggles.json waffle.db --json")]
pub(crate) struct CompareArgs {
    /// The first side: a database URL, a SQLite store or an exported file
    #[arg(value_name = "A")]
    pub(crate) a: String,
    /// The second side
    #[arg(value_name = "B")]
    pub(crate) b: String,
    /// Only objects whose names match one of these globs (* any characters, ? one)
    #[arg(value_name = "NAME|GLOB")]
    pub(crate) names: Vec<String>,
    /// Only these kinds of object (repeatable)
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) kind: Vec<CompareKind>,
    /// Exit 1 when A and B differ (0 when they are equal), as diff --exit-code
    #[arg(long)]
    pub(crate) exit_code: bool,
}
