//! Completion scripts (completions/) and man pages (docs/man/) are generated from the clap tree.
//! These tests fail when the committed files are stale;
//! `WAFFLECTL_BLESS=1 cargo test --test it -- generated::` rewrites them.

use crate::common;

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use common::succeeds;

fn bless() -> bool {
    std::env::var_os("WAFFLECTL_BLESS").is_some()
}

fn check(path: &Path, want: &[u8]) -> Option<String> {
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, want).unwrap();
        return None;
    }
    match std::fs::read(path) {
        Ok(have) if have == want => None,
        Ok(_) => Some(format!("{} is stale", path.display())),
        Err(_) => Some(format!("{} is missing", path.display())),
    }
}

#[test]
fn completion_scripts_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let script = wafflectl::commands::completions::script(shell);
        assert!(String::from_utf8_lossy(&script).contains("wafflectl"));
        let file = match shell {
            Shell::Bash => "wafflectl.bash",
            Shell::Zsh => "_wafflectl",
            Shell::Fish => "wafflectl.fish",
            Shell::PowerShell => "_wafflectl.ps1",
            Shell::Elvish => "wafflectl.elv",
            _ => unreachable!(),
        };
        let path = root.join("completions").join(file);
        stale.extend(check(&path, &script));
    }
    assert!(
        stale.is_empty(),
        "{stale:?}\nregenerate with: WAFFLECTL_BLESS=1 cargo test --test it -- generated::"
    );
}

#[test]
fn completions_command_prints_the_same_script() {
    let out = assert_cmd::Command::cargo_bin("wafflectl")
        .unwrap()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        wafflectl::commands::completions::script(Shell::Bash)
    );
}

#[test]
fn man_pages_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let tmp = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(wafflectl::cli::Cli::command(), tmp.path()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"wafflectl.1".to_string()));
    assert!(names.contains(&"wafflectl-flag-create.1".to_string()));
    if bless() {
        let _ = std::fs::remove_dir_all(&root);
    }
    let mut stale = Vec::new();
    for n in &names {
        stale.extend(check(
            &root.join(n),
            &std::fs::read(tmp.path().join(n)).unwrap(),
        ));
    }
    if !bless() {
        let committed = std::fs::read_dir(&root).map(|d| d.count()).unwrap_or(0);
        if committed != names.len() {
            stale.push(format!(
                "docs/man has {committed} pages, the CLI has {}",
                names.len()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?}\nregenerate with: WAFFLECTL_BLESS=1 cargo test --test it -- generated::"
    );
}

#[test]
fn bash_completion_script_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    succeeds(
        std::process::Command::new("bash")
            .arg("-n")
            .arg(root.join("completions/wafflectl.bash")),
    );
}
