use crate::cli::DoctorArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};

pub fn run(_ctx: &Ctx, _a: DoctorArgs) -> Result<()> {
    Err(Error::runtime("doctor is not available yet"))
}
