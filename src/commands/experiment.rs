use crate::cli::ExperimentCmd;
use crate::context::Ctx;
use crate::error::{Error, Result};

pub fn run(_ctx: &Ctx, _c: ExperimentCmd) -> Result<()> {
    Err(Error::runtime("experiment is not available yet"))
}
