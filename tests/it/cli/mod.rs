//! What every command shares: errors and hints, reports and `--json`, odd and oversized input,
//! prompts and tables on a terminal.

mod clock;
mod errors;
mod long_args;
mod odd_input;
mod prompts;
mod reports;
mod tables;
