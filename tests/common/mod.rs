//! Shared harness: runs the real `wafflectl` binary on a temporary store.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod sql;
pub mod terminal;
pub use sql::{FromRow, Sql};

/// The fixed clock every test command runs with (`WAFFLECTL_NOW`), so output is reproducible.
pub const NOW: &str = "2026-01-02T03:04:05Z";

/// The course of `init --example`.
pub const DEMO_COURSE: &str = "course-v1:edX+DemoX+Demo_Course";

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// A command line for [`Env`]: a list of arguments, or a string split as a shell splits it,
/// on whitespace outside single quotes: `"kv set 17 owner 'growth team'"`, `"note ''"`.
/// (No other quoting: an argument with a single quote in it is given in a list.)
pub trait Args {
    fn to_args(&self) -> Vec<String>;
}

impl Args for str {
    fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut word: Option<String> = None;
        let mut quoted = false;
        for c in self.chars() {
            match c {
                '\'' => {
                    quoted = !quoted;
                    word.get_or_insert_default();
                }
                c if c.is_whitespace() && !quoted => args.extend(word.take()),
                c => word.get_or_insert_default().push(c),
            }
        }
        assert!(!quoted, "unbalanced quote in {self:?}");
        args.extend(word);
        args
    }
}

impl<T: Args + ?Sized> Args for &T {
    fn to_args(&self) -> Vec<String> {
        (**self).to_args()
    }
}

impl Args for String {
    fn to_args(&self) -> Vec<String> {
        self.as_str().to_args()
    }
}

impl<S: AsRef<str>> Args for [S] {
    fn to_args(&self) -> Vec<String> {
        self.iter().map(|a| a.as_ref().to_string()).collect()
    }
}

impl<S: AsRef<str>, const N: usize> Args for [S; N] {
    fn to_args(&self) -> Vec<String> {
        self.as_slice().to_args()
    }
}

impl<S: AsRef<str>> Args for Vec<S> {
    fn to_args(&self) -> Vec<String> {
        self.as_slice().to_args()
    }
}

/// What a command printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
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
        let mut c = Command::cargo_bin("wafflectl").expect("binary");
        c.current_dir(self.dir.path())
            .env_remove("WAFFLECTL_DB")
            .env_remove("WAFFLECTL_ACTOR")
            .env("WAFFLECTL_NOW", NOW)
            .env("USER", "tester")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200")
            .arg("--db")
            .arg(&self.db);
        c
    }

    pub fn run(&self, args: &(impl Args + ?Sized)) -> Run {
        let args = args.to_args();
        let out = self.cmd().args(&args).output().expect("run wafflectl");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and asserts exit 0; returns what it printed (stderr holds notes and warnings).
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
    pub fn ok(&self, args: &(impl Args + ?Sized)) -> String {
        self.run_ok(args).stdout
    }

    /// Runs with `input` on stdin and asserts exit 0; returns stdout.
    pub fn ok_with_input(&self, args: &(impl Args + ?Sized), input: &str) -> String {
        let args = args.to_args();
        let out = self.cmd().args(&args).write_stdin(input).output();
        let out = out.expect("run wafflectl");
        let r = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_eq!(r.code, 0, "wafflectl {args:?} failed\nstderr: {}", r.stderr);
        r.stdout
    }

    /// Runs and asserts exit `code`; returns stderr.
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
    pub fn json(&self, args: &(impl Args + ?Sized)) -> serde_json::Value {
        let args = args.to_args();
        let mut a = args.clone();
        a.push("--json".to_string());
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.db).expect("read store")
    }

    /// Runs a command that must succeed and leave the store byte-for-byte as it was (a repeat,
    /// a dry run, a read). Returns stdout.
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

    /// Runs SQL on the store directly (rows written as Django or an admin would write them).
    pub fn exec(&self, sql: &str) {
        self.sql()
            .execute_batch(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub fn exec_with(&self, sql: &str, params: impl rusqlite::Params) {
        self.sql()
            .execute(sql, params)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Appends override rows as Django's admin writes them (no audit record, no author):
    /// (change_date, enabled, flag, course or org, choice, note). `scope` is `course` or `org`.
    pub fn raw_overrides(&self, scope: &str, rows: &[(&str, bool, &str, &str, &str, &str)]) {
        let key = match scope {
            "course" => "course_id",
            "org" => "org",
            _ => panic!("scope is course or org, not {scope}"),
        };
        for (at, enabled, flag, which, choice, note) in rows {
            self.exec_with(
                &format!(
                    "INSERT INTO waffle_utils_waffleflag{scope}overridemodel
                     (change_date, enabled, waffle_flag, {key}, override_choice, note, changed_by_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)"
                ),
                rusqlite::params![at, enabled, flag, which, choice, note],
            );
        }
    }

    /// How many audit records the store holds.
    pub fn audit_count(&self) -> i64 {
        self.one("SELECT count(*) FROM wafflectl_audit")
    }

    /// Runs a command that must fail with `code`, say `says` and leave the store as it was.
    /// Returns stderr.
    #[track_caller]
    pub fn refuses(&self, args: &(impl Args + ?Sized), code: i32, says: impl Needle) -> String {
        let err = self.fails_unchanged(args, code);
        assert_contains(&err, says);
        err
    }

    /// A plain SQL connection to the store.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open store")
    }
}

/// Runs `cmd` (any program) and asserts that it succeeds, showing what it printed if not.
pub fn succeeds(cmd: &mut std::process::Command) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({})\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
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

impl Env {
    /// The one row a query returns (it fails when there is none).
    pub fn one<T: FromRow>(&self, sql: &str) -> T {
        self.sql().one(sql)
    }

    pub fn one_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> T {
        self.sql().one_with(sql, params)
    }

    /// The row a query returns, or None when there is none.
    pub fn maybe_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Option<T> {
        self.sql().maybe_with(sql, params)
    }

    /// Every row a query returns, in its order.
    pub fn all<T: FromRow>(&self, sql: &str) -> Vec<T> {
        self.sql().all(sql)
    }

    pub fn all_with<T: FromRow>(&self, sql: &str, params: impl rusqlite::Params) -> Vec<T> {
        self.sql().all_with(sql, params)
    }
}

/// The text fields `keys` of every object of a JSON list, row by row.
pub fn fields(list: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    let rows = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    rows.iter()
        .map(|row| {
            keys.iter()
                .map(|k| {
                    row[k]
                        .as_str()
                        .unwrap_or_else(|| panic!("{k} is not text in {row}"))
                        .to_string()
                })
                .collect()
        })
        .collect()
}

/// The field `key` of every object of a JSON list.
pub fn field(list: &serde_json::Value, key: &str) -> Vec<serde_json::Value> {
    let rows = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    rows.iter().map(|row| row[key].clone()).collect()
}

/// What `assert_contains` looks for: a piece of text or a character.
pub trait Needle: std::fmt::Debug {
    fn is_in(&self, text: &str) -> bool;
}

impl Needle for str {
    fn is_in(&self, text: &str) -> bool {
        text.contains(self)
    }
}

impl Needle for String {
    fn is_in(&self, text: &str) -> bool {
        text.contains(self.as_str())
    }
}

impl Needle for char {
    fn is_in(&self, text: &str) -> bool {
        text.contains(*self)
    }
}

impl<T: Needle + ?Sized> Needle for &T {
    fn is_in(&self, text: &str) -> bool {
        (**self).is_in(text)
    }
}

/// Asserts that `text` (an output or an error) contains `needle`, and shows the text if not.
#[track_caller]
pub fn assert_contains(text: &str, needle: impl Needle) {
    assert!(needle.is_in(text), "{needle:?} is not in:\n{text}");
}

/// Asserts that `text` does not contain `needle`, and shows the text if it does.
#[track_caller]
pub fn assert_lacks(text: &str, needle: impl Needle) {
    assert!(!needle.is_in(text), "{needle:?} is in:\n{text}");
}
