use crate::cli::EvalArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};

pub fn run(_ctx: &Ctx, _a: EvalArgs) -> Result<()> {
    Err(Error::runtime("eval is not available yet"))
}
