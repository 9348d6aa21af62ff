//! docs/srm.md's ```console examples run as written (trycmd), in a fresh folder holding the
//! files of docs/examples/srm/, as tests/docs.rs runs the other pages.

mod common;

use std::path::Path;

/// The page with an empty line after each command's output in its console blocks: trycmd reads
/// the line before a `$` or a closing fence as formatting, and wafflectl ends its output with a
/// newline.
fn for_trycmd(page: &str) -> String {
    let mut out = String::new();
    let mut console = false;
    let mut pending = false;
    for line in page.lines() {
        let fence = line.starts_with("```");
        if console && pending && (fence || line.starts_with("$ ")) {
            out.push('\n');
        }
        pending = console && !fence && !["$ ", "? ", "> "].iter().any(|p| line.starts_with(p));
        if fence {
            console = line == "```console";
            pending = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn srm_page_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("srm.md");
    let text = std::fs::read_to_string(root.join("docs/srm.md")).expect("read page");
    std::fs::write(&page, for_trycmd(&text)).expect("copy page");
    std::fs::create_dir(page.with_extension("out")).expect("sandbox marker");
    let start = page.with_extension("in");
    std::fs::create_dir(&start).expect("starting folder");
    common::copy_tree(&root.join("docs/examples/srm"), &start);
    trycmd::TestCases::new()
        .register_bin("wafflectl", trycmd::cargo::cargo_bin!("wafflectl"))
        .env("WAFFLECTL_NOW", "2026-03-02T10:00:00Z")
        .env("WAFFLECTL_ACTOR", "ops")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("WAFFLECTL_DB", "waffle.db")
        .case(&page)
        .run();
}
