//! Validated values: limits, and typed dates and course keys read as edX reads them.

mod accept_same;
mod edx_inputs;
mod limits;
