//! Issue 12 item 7: the ```console examples of README.md and docs/ run as written (trycmd).
//!
//! Each page runs in order in a fresh, empty folder (the store is `./waffle.db` there), with the
//! clock and actor fixed as the page says at its top. stderr is shown merged into stdout, as on a
//! terminal. After editing a page, `TRYCMD=overwrite cargo test --test it -- docs::` rewrites the
//! copy in the temporary folder only: fix the page by hand. snapbox shows backslashes in the
//! output as `/`; write `[..]` where output has them, and for random text (`bucket --find` names).

use crate::common;

use std::path::Path;

use common::copy_tree;

/// Runs `page` (relative to the crate root) as a trycmd case in a temporary sandbox.
fn run_page(page: &str, now: &str) {
    run_page_with(page, now, |_| {});
}

/// Like [`run_page`], after `setup` wrote into the starting folder the files that the page makes
/// with shell commands (shown in ```sh blocks, which trycmd does not run).
fn run_page_with(page: &str, now: &str, setup: impl Fn(&Path)) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let name = Path::new(page).file_name().unwrap();
    let copy = tmp.path().join(name);
    let text = std::fs::read_to_string(root.join(page)).expect("read page");
    std::fs::write(&copy, with_final_newlines(&text)).expect("copy page");
    // an (empty) `.out` folder makes trycmd run the page in a fresh sandbox folder
    std::fs::create_dir(copy.with_extension("out")).expect("sandbox marker");
    let start = copy.with_extension("in");
    std::fs::create_dir(&start).expect("starting folder");
    setup(&start);
    trycmd::TestCases::new()
        .register_bin("wafflectl", trycmd::cargo::cargo_bin!("wafflectl"))
        .env("WAFFLECTL_NOW", now)
        .env("WAFFLECTL_ACTOR", "ops")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("WAFFLECTL_DB", "waffle.db")
        .case(&copy)
        .run();
    // `TRYCMD=overwrite WAFFLECTL_BLESS=1 cargo test --test it -- docs::` writes the outputs back
    // into the page itself (after reading the diff: the page then shows what the tool prints).
    if std::env::var_os("WAFFLECTL_BLESS").is_some() && std::env::var_os("TRYCMD").is_some() {
        let updated = std::fs::read_to_string(&copy).expect("read updated copy");
        std::fs::write(root.join(page), without_final_newlines(&updated)).expect("bless page");
    }
}

/// Undoes [`with_final_newlines`]: in console blocks, an empty line right before a command or
/// the closing fence goes.
fn without_final_newlines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut in_console = false;
    for (i, line) in lines.iter().enumerate() {
        if *line == "```console" {
            in_console = true;
        } else if in_console && line.starts_with("```") {
            in_console = false;
        }
        let next = lines.get(i + 1).copied().unwrap_or("");
        if in_console && line.is_empty() && (next.starts_with("$ ") || next.starts_with("```")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// trycmd drops the last newline of each command's expected output (it reads the line before a
/// `$` or the closing fence as formatting); wafflectl ends its output with one. In the copy, an
/// empty line after each command's output gives it back.
fn with_final_newlines(text: &str) -> String {
    let mut out = String::new();
    let mut in_console = false;
    let mut had_output = false;
    for line in text.lines() {
        let closes = in_console && line.starts_with("```");
        if in_console && (closes || line.starts_with("$ ")) {
            if had_output {
                out.push('\n');
            }
            had_output = false;
        }
        out.push_str(line);
        out.push('\n');
        if closes {
            in_console = false;
        } else if line == "```console" {
            in_console = true;
            had_output = false;
        } else if in_console
            && !line.starts_with("$ ")
            && !line.starts_with("> ")
            && !line.starts_with("? ")
        {
            had_output = true;
        }
    }
    out
}

#[test]
fn migrating_page_runs() {
    run_page("docs/migrating.md", "2026-01-02T03:04:05Z");
}

#[test]
fn baseplate_page_runs() {
    run_page_with("docs/baseplate.md", "2026-12-05T00:00:00Z", |dir| {
        // for i in $(seq 1 20000); do echo t2_$i; done > ids.txt
        let ids: String = (1..=20000).map(|i| format!("t2_{i}\n")).collect();
        std::fs::write(dir.join("ids.txt"), ids).unwrap();
    });
}

/// Copies `docs/examples/NAME` (the files a page works on) into the starting folder.
fn example_tree(name: &str) -> impl Fn(&Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/examples")
        .join(name);
    move |dir| copy_tree(&from, dir)
}

#[test]
fn removal_page_runs() {
    run_page_with(
        "docs/removal.md",
        "2026-01-05T09:00:00Z",
        example_tree("removal"),
    );
}

#[test]
fn guide_page_runs() {
    run_page("docs/guide.md", "2026-11-21T10:00:00Z");
}

#[test]
fn readme_tour_runs() {
    run_page_with("README.md", "2026-01-02T03:04:05Z", |dir| {
        // for i in $(seq 1 1000); do echo "user$i"; done > users.txt
        let users: String = (1..=1000).map(|i| format!("user{i}\n")).collect();
        std::fs::write(dir.join("users.txt"), users).unwrap();
    });
}

#[test]
fn bucketing_page_runs() {
    run_page_with("docs/bucketing.md", "2026-01-02T03:04:05Z", |dir| {
        // printf 'alice\nbob\ncarol\nstaff\ndave\n' > users.txt
        std::fs::write(dir.join("users.txt"), "alice\nbob\ncarol\nstaff\ndave\n").unwrap();
        // for i in $(seq 1 100000); do echo "user$i"; done > many.txt
        let many: String = (1..=100000).map(|i| format!("user{i}\n")).collect();
        std::fs::write(dir.join("many.txt"), many).unwrap();
    });
}

#[test]
fn edx_page_runs() {
    run_page("docs/edx.md", "2026-03-02T10:00:00Z");
}

#[test]
fn interop_page_runs() {
    run_page_with(
        "docs/interop.md",
        "2026-03-02T10:00:00Z",
        example_tree("interop"),
    );
}

#[test]
fn plans_page_runs() {
    run_page("docs/plans.md", "2026-01-02T03:04:05Z");
}

#[test]
fn srm_page_runs() {
    run_page_with("docs/srm.md", "2026-03-02T10:00:00Z", example_tree("srm"));
}

#[test]
fn environments_page_runs() {
    // each ```toml block whose first line is `# NAME` is the file NAME, written private (0600)
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/environments.md"))
            .expect("read page");
    let files: Vec<(String, String)> = page
        .split("```toml\n")
        .skip(1)
        .filter_map(|block| {
            let body = block.split("```").next()?;
            let name = body.lines().next()?.strip_prefix("# ")?;
            Some((name.to_string(), body.to_string()))
        })
        .collect();
    assert!(files.len() >= 2, "the page's config files");
    run_page_with("docs/environments.md", "2026-12-01T09:00:00Z", |dir| {
        use std::os::unix::fs::PermissionsExt;
        for (name, text) in &files {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    });
}

#[test]
fn scheduling_page_runs() {
    run_page("docs/scheduling.md", "2026-12-20T10:00:00Z");
}

#[test]
fn promote_page_runs() {
    run_page("docs/promote.md", "2026-03-02T10:00:00Z");
}

#[test]
fn warehouse_page() {
    run_page("docs/warehouse.md", "2026-12-05T00:00:00Z");
}
