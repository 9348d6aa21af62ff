//! `bucket` and `eval`: the command line (`cli`) and the behaviour vectors of spec/edx.md
//! (`spec`).

mod cli;
mod jobs;
mod spec;
