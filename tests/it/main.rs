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
mod env;
mod experiment;
mod generated;
mod help;
mod interop;
mod layers;
mod overrides;
mod plans;
mod promote;
mod removal;
mod schedule;
mod sql;
mod srm;
mod store;
mod types;
mod waffle;

/// Every integration test is in this binary: a `tests/NAME.rs` (or `tests/NAME/main.rs`) would
/// be compiled and linked as a binary of its own, without the harness.
#[test]
fn every_integration_test_is_a_module_of_this_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut strays: Vec<String> = std::fs::read_dir(&tests)
        .expect("read tests/")
        .map(|e| e.expect("read tests/").path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "rs")
                || (p.join("main.rs").is_file() && !p.ends_with("it"))
        })
        .map(|p| p.display().to_string())
        .collect();
    strays.sort();
    assert!(
        strays.is_empty(),
        "{strays:?}: move each into tests/it as a module (docs/architecture.md, Tests)"
    );
}
