//! `export`, `import`, `diff` and `lint`: native and Django documents, bad input, round trips.

mod bad_input;
mod create_only;
mod current_overrides;
mod django;
mod input;
mod native;
mod reports;
mod round_trips;
