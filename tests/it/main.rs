//! wafflectl's integration tests: one test binary (`cargo test --test it`), a module per command
//! noun or subject. Each drives the real `wafflectl` binary on temporary stores through the
//! shared harness in `common` (or, for `layers`, `docs`, `help` and `generated`, checks the
//! source tree, the docs and the generated files). Run one part with a filter on its module
//! path: `cargo test --test it -- bucket::`. The tests that need servers are `#[ignore]`d:
//! `cargo test --test it -- --ignored backends:: cache::live::` runs them (`.ci/run` does, with
//! the servers' addresses set), and there a missing address fails them.

mod common;

mod backends;
mod baseplate;
mod bucket;
mod cache;
mod cli;
mod docs;
mod experiment;
mod generated;
mod help;
mod interop;
mod layers;
mod overrides;
mod removal;
mod store;
mod types;
mod waffle;
