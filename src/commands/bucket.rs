use crate::cli::BucketArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};

pub fn run(_ctx: &Ctx, _a: BucketArgs) -> Result<()> {
    Err(Error::runtime("bucket is not available yet"))
}
