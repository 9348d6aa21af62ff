//! Validated values: limits, and typed dates and course keys read as edX reads them.

mod edx_inputs;
mod limits;
