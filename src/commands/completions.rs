use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::Ctx;
use crate::error::Result;

/// The completion script for `shell`, as `completions/` keeps it.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "wafflectl", &mut buf);
    buf
}

pub(crate) fn run(_ctx: &Ctx, a: CompletionsArgs) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(&script(a.shell))?;
    out.flush()?;
    Ok(())
}
