use crate::cli::{DiffArgs, ExportArgs, ImportArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};

pub fn export(_ctx: &Ctx, _a: ExportArgs) -> Result<()> {
    Err(Error::runtime("export is not available yet"))
}
pub fn import(_ctx: &Ctx, _a: ImportArgs) -> Result<()> {
    Err(Error::runtime("import is not available yet"))
}
pub fn diff(_ctx: &Ctx, _a: DiffArgs) -> Result<()> {
    Err(Error::runtime("diff is not available yet"))
}
