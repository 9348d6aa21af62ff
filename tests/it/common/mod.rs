//! Shared harness: runs the real `wafflectl` binary on a temporary store.
//!
//! `Env` is a temporary folder with a store; commands are written as command lines
//! (`env.ok("flag create beta --everyone on")`, see [`Args`]) and run in that folder with a
//! fixed clock. `check` holds the assertions on outputs, `sql` reads and writes the store
//! directly (as Django would), `terminal` runs a command on a pseudo-terminal.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod args;
mod check;
pub mod sql;
pub mod terminal;

// Each test file uses a part of the harness.
#[allow(unused_imports)]
pub use args::Args;
#[allow(unused_imports)]
pub use check::{
    Needle, assert_contains, assert_lacks, field, fields, map_rows, named, named_mut, succeeds,
    texts,
};
#[allow(unused_imports)]
pub use sql::{FromRow, Sql};

/// The fixed clock every test command runs with (`WAFFLECTL_NOW`), so output is reproducible.
pub const NOW: &str = "2026-01-02T03:04:05Z";

/// The course of `init --example`.
pub const DEMO_COURSE: &str = "course-v1:edX+DemoX+Demo_Course";

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// What a command printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Env {
    /// A temporary folder with an initialised store.
    pub fn new() -> Env {
        let env = Env::empty();
        env.ok(&["init"]);
        env
    }

    /// A temporary folder with a store made by `init --example`.
    pub fn example() -> Env {
        let env = Env::empty();
        env.ok("init --example");
        env
    }

    /// A temporary folder with an initialised store, then `setup` run in order (each command
    /// must succeed).
    pub fn with(setup: &[&str]) -> Env {
        let env = Env::new();
        for cmd in setup {
            env.ok(*cmd);
        }
        env
    }

    /// A temporary folder with an initialised store holding the flag `name` (created with the
    /// defaults).
    pub fn with_flag(name: &str) -> Env {
        let env = Env::new();
        env.ok(&["flag", "create", name]);
        env
    }

    /// A temporary folder without a store.
    pub fn empty() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("waffle.db");
        Env { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to the file `name` in the test's folder (where commands run); returns
    /// its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        write(&path, text);
        path
    }

    /// The binary with `--db` pointing at this store, a fixed clock and actor, no colour.
    pub fn cmd(&self) -> Command {
        let mut c = self.cmd_bare();
        c.arg("--db").arg(&self.db);
        c
    }

    /// [`Env::cmd`] without `--db`, for commands that name their store otherwise (`--env`):
    /// no config file is found but the test's own (the user's config directory is a folder
    /// of the test's, `$WAFFLECTL_CONFIG` and `$WAFFLECTL_ENV` unset).
    pub fn cmd_bare(&self) -> Command {
        let mut c = Command::cargo_bin("wafflectl").expect("binary");
        c.current_dir(self.dir.path())
            .env_remove("WAFFLECTL_DB")
            .env_remove("WAFFLECTL_ACTOR")
            .env_remove("WAFFLECTL_CONFIG")
            .env_remove("WAFFLECTL_ENV")
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg"))
            .env("WAFFLECTL_NOW", NOW)
            .env("USER", "tester")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200");
        c
    }

    /// Runs [`Env::cmd_bare`] with `args` (and each `(variable, value)` of `vars` set).
    pub fn run_bare(&self, args: &(impl Args + ?Sized), vars: &[(&str, &str)]) -> Run {
        let mut c = self.cmd_bare();
        for (k, v) in vars {
            c.env(k, v);
        }
        Run::from(c.args(args.to_args()).output().expect("run wafflectl"))
    }

    pub fn run(&self, args: &(impl Args + ?Sized)) -> Run {
        let out = self.cmd().args(args.to_args()).output();
        Run::from(out.expect("run wafflectl"))
    }

    /// Runs in the folder `dir` instead of the test's folder (the store stays this one), as one
    /// runs `refs`, `report` or `stale --refs` from a source tree.
    pub fn run_in(&self, dir: &Path, args: &(impl Args + ?Sized)) -> Run {
        let out = self.cmd().current_dir(dir).args(args.to_args()).output();
        Run::from(out.expect("run wafflectl"))
    }

    /// `run_in` that must succeed; returns stdout read as JSON.
    #[track_caller]
    pub fn json_in(&self, dir: &Path, args: &(impl Args + ?Sized)) -> serde_json::Value {
        let r = self.run_in(dir, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).expect("JSON output")
    }

    /// Runs with the environment variable `var` set to `value` (another clock, actor, …).
    pub fn run_with_env(&self, var: &str, value: &str, args: &(impl Args + ?Sized)) -> Run {
        let out = self.cmd().env(var, value).args(args.to_args()).output();
        Run::from(out.expect("run wafflectl"))
    }

    /// `run_with_env` that must succeed; returns stdout.
    #[track_caller]
    pub fn ok_with_env(&self, var: &str, value: &str, args: &(impl Args + ?Sized)) -> String {
        let args = args.to_args();
        let r = self.run_with_env(var, value, &args);
        assert_eq!(
            r.code, 0,
            "{var}={value} wafflectl {args:?} failed\nstderr: {}",
            r.stderr
        );
        r.stdout
    }

    /// Runs with `input` on stdin (`--users-file -`, `import -`).
    pub fn run_with_input(&self, args: &(impl Args + ?Sized), input: &str) -> Run {
        let out = self.cmd().args(args.to_args()).write_stdin(input).output();
        Run::from(out.expect("run wafflectl"))
    }

    /// Runs and asserts exit 0; returns what it printed (stderr holds notes and warnings).
    #[track_caller]
    pub fn run_ok(&self, args: &(impl Args + ?Sized)) -> Run {
        let args = args.to_args();
        let r = self.run(&args);
        assert_eq!(
            r.code, 0,
            "wafflectl {args:?} failed\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    /// Runs and asserts exit 0 and that stderr (notes, warnings) says `says`.
    #[track_caller]
    pub fn ok_saying(&self, args: &(impl Args + ?Sized), says: impl Needle) -> Run {
        let r = self.run_ok(args);
        assert_contains(&r.stderr, says);
        r
    }

    /// Runs and asserts exit 0; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &(impl Args + ?Sized)) -> String {
        self.run_ok(args).stdout
    }

    /// Runs with `input` on stdin and asserts exit 0; returns stdout.
    #[track_caller]
    pub fn ok_with_input(&self, args: &(impl Args + ?Sized), input: &str) -> String {
        let args = args.to_args();
        let r = self.run_with_input(&args, input);
        assert_eq!(r.code, 0, "wafflectl {args:?} failed\nstderr: {}", r.stderr);
        r.stdout
    }

    /// Runs and asserts exit `code`; returns stderr.
    #[track_caller]
    pub fn fails(&self, args: &(impl Args + ?Sized), code: i32) -> String {
        let args = args.to_args();
        let r = self.run(&args);
        assert_eq!(
            r.code, code,
            "wafflectl {args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(
            r.stderr.starts_with("error: "),
            "stderr should start with 'error: ': {}",
            r.stderr
        );
        r.stderr
    }

    /// A listing with nothing in it: `[]` with --json, and a line on stderr that says `empty`.
    #[track_caller]
    pub fn assert_empty_list(&self, args: &str, empty: &str) {
        assert_eq!(self.json(args), serde_json::json!([]), "{args}");
        let r = self.run_ok(args);
        assert_eq!(r.stdout, "", "{args}");
        assert_contains(&r.stderr, empty);
    }

    /// Runs and asserts the JSON stdout parses; returns it.
    #[track_caller]
    pub fn json(&self, args: &(impl Args + ?Sized)) -> serde_json::Value {
        let args = args.to_args();
        let mut a = args.clone();
        a.push("--json".to_string());
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
    }

    /// How many items a listing has (its `--json` list).
    #[track_caller]
    pub fn count(&self, args: &(impl Args + ?Sized)) -> usize {
        let list = self.json(args);
        list.as_array()
            .unwrap_or_else(|| panic!("not a list: {list}"))
            .len()
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.db).expect("read store")
    }

    /// Runs a command that must succeed and leave the store byte-for-byte as it was (a repeat,
    /// a dry run, a read). Returns stdout.
    #[track_caller]
    pub fn ok_unchanged(&self, args: &(impl Args + ?Sized)) -> String {
        let args = args.to_args();
        let before = self.bytes();
        let out = self.ok(&args);
        assert!(
            self.bytes() == before,
            "wafflectl {args:?} changed the store"
        );
        out
    }

    /// Runs a command that must fail with `code` and leave the store byte-for-byte as it was.
    /// Returns stderr.
    #[track_caller]
    pub fn fails_unchanged(&self, args: &(impl Args + ?Sized), code: i32) -> String {
        let args = args.to_args();
        let before = self.bytes();
        let err = self.fails(&args, code);
        assert!(
            self.bytes() == before,
            "wafflectl {args:?} changed the store"
        );
        err
    }

    /// Runs a command that must fail with `code`, say `says` and leave the store as it was.
    /// Returns stderr.
    #[track_caller]
    pub fn refuses(&self, args: &(impl Args + ?Sized), code: i32, says: impl Needle) -> String {
        let err = self.fails_unchanged(args, code);
        assert_contains(&err, says);
        err
    }
}

/// An md5 hex digest, as django-waffle's cache keys hash a name (to check the keys of names the
/// spec gives no example for).
pub fn md5_hex(s: &str) -> String {
    use md5::{Digest, Md5};
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write file");
}

/// Copies the folder `from` and all below it to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
