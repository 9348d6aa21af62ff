//! The status and warning lines a command writes on stderr.

use super::Ctx;
use crate::output::ansi::{self, Style};
use crate::output::escape_controls;

impl Ctx {
    /// A status line on stderr (`created flag x`), unless `--quiet`. Control characters (from a
    /// stored name or note) are escaped, as in data output: one line, no terminal control.
    pub fn status(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", escape_controls(msg.as_ref(), false));
        }
    }

    /// A warning on stderr, unless `--quiet`; control characters escaped as in [`Ctx::status`].
    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            let msg = escape_controls(msg.as_ref(), false);
            let label = ansi::paint("warning", Style::Warning, self.color_err);
            eprintln!("{label}: {msg}");
        }
    }
}
