use crate::cli::OverrideCmd;
use crate::context::Ctx;
use crate::error::{Error, Result};

pub fn run(_ctx: &Ctx, _c: OverrideCmd) -> Result<()> {
    Err(Error::runtime("override is not available yet"))
}
