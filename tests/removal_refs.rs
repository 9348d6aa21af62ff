//! `wafflectl refs` on the fixture tree `tests/removal_tree`, copied to a temporary folder (not a
//! git repository) with an ignored folder and a binary file added.

mod common;

use std::path::{Path, PathBuf};

use common::{Env, Run, assert_contains, copy_tree, fields};
use serde_json::Value;

const FLAGS: &[&str] = &[
    "course_experience.relative_dates",
    "learner_home.mfe",
    "views.beta",
    "views.dashboard",
    "tpl.banner",
    "js.flag",
    "plain.literal",
    "text.mention",
    "foo.bar",
    "ignored.flag",
    "binary.flag",
    "never.named",
];
const SWITCHES: &[&str] = &[
    "maintenance.banner",
    "views.kill_switch",
    "views.api",
    "tpl.footer",
];
const SAMPLES: &[&str] = &["views.sampled", "tpl.survey"];

/// A store with the fixture's toggles and the tree beside it.
fn setup() -> (Env, PathBuf) {
    let env = Env::new();
    for f in FLAGS {
        env.ok(&["flag", "create", f]);
    }
    for s in SWITCHES {
        env.ok(&["switch", "create", s]);
    }
    for s in SAMPLES {
        env.ok(&["sample", "create", s, "10"]);
    }
    env.ok("experiment create course_experience.upsell");
    let tree = env.path("tree");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/removal_tree"),
        &tree,
    );
    // an ignored folder (tree/.gitignore says build/) and a binary file, both naming toggles
    std::fs::create_dir_all(tree.join("build")).unwrap();
    common::write(
        &tree.join("build/generated.py"),
        "flag_is_active(request, 'ignored.flag')\n",
    );
    std::fs::write(tree.join("logo.bin"), b"binary.flag\0\x01\x02\xff").unwrap();
    (env, tree)
}

fn refs(env: &Env, tree: &Path, args: &[&str]) -> Run {
    let out = env
        .cmd()
        .current_dir(tree)
        .arg("refs")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn refs_json(env: &Env, tree: &Path) -> Value {
    let r = refs(env, tree, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// (path, line, kind) of every reference of `name`.
fn places(rep: &Value, name: &str) -> Vec<(String, u64, String)> {
    rep["toggles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"] == name)
        .flat_map(|t| t["references"].as_array().unwrap().clone())
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                r["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn p(path: &str, line: u64, kind: &str) -> (String, u64, String) {
    (path.to_string(), line, kind.to_string())
}

fn names(rep: &Value, section: &str) -> Vec<String> {
    rep[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_form_of_reference_is_recognised() {
    let (env, tree) = setup();
    let rep = refs_json(&env, &tree);
    let cases = [
        ("views.dashboard", vec![p("app/views.py", 7, "call")]),
        ("views.kill_switch", vec![p("app/views.py", 9, "call")]),
        // a call spread over lines: the line of the name
        ("views.sampled", vec![p("app/views.py", 12, "call")]),
        // a negated decorator
        ("views.beta", vec![p("app/views.py", 5, "decorator")]),
        ("views.api", vec![p("app/views.py", 18, "decorator")]),
        (
            "tpl.banner",
            vec![p("templates/page.html", 2, "template_tag")],
        ),
        (
            "tpl.footer",
            vec![p("templates/page.html", 7, "template_tag")],
        ),
        (
            "tpl.survey",
            vec![p("templates/page.html", 8, "template_tag")],
        ),
        ("js.flag", vec![p("static/app.js", 2, "call")]),
        ("plain.literal", vec![p("static/app.js", 5, "literal")]),
        // prose in a .md file is documentation, apart from comments in code
        ("text.mention", vec![p("docs/notes.md", 3, "documentation")]),
        // namespace object over two lines + CourseWaffleFlag(NS, 'x') over two lines
        (
            "course_experience.relative_dates",
            vec![
                p("app/toggles.py", 10, "annotation"),
                p("app/toggles.py", 19, "declaration"),
            ],
        ),
        (
            "course_experience.upsell",
            vec![p("app/toggles.py", 22, "declaration")],
        ),
        // f-string with a constant
        (
            "learner_home.mfe",
            vec![
                p("app/toggles.py", 26, "annotation"),
                p("app/toggles.py", 31, "declaration"),
            ],
        ),
        (
            "maintenance.banner",
            vec![
                p("app/toggles.py", 33, "annotation"),
                p("app/toggles.py", 37, "declaration"),
            ],
        ),
        // the comment in views.py names it; similar.py's foo.bar_baz and x.foo.bar do not
        ("foo.bar", vec![p("app/views.py", 20, "comment")]),
    ];
    for (name, want) in cases {
        assert_eq!(places(&rep, name), want, "{name}");
    }
    let decl = rep["toggles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "course_experience.relative_dates")
        .unwrap()["references"][1]
        .clone();
    assert_eq!(decl["via"], "CourseWaffleFlag");
    assert_eq!(decl["variable"], "RELATIVE_DATES_FLAG");
}

#[test]
fn ignored_folders_binary_files_and_unnamed_toggles() {
    let (env, tree) = setup();
    let rep = refs_json(&env, &tree);
    // build/ is ignored by tree/.gitignore although tree is no git repository; logo.bin is binary
    assert_eq!(
        names(&rep, "unreferenced"),
        vec!["binary.flag", "ignored.flag", "never.named"]
    );
    assert_eq!(
        rep["unreferenced"][2]["next"],
        serde_json::json!(["wafflectl flag delete never.named"])
    );
    assert_eq!(rep["binary_skipped"], 1);
    assert_eq!(rep["files"], 7);
}

#[test]
fn names_in_code_without_a_row_and_overdue_annotations() {
    let (env, tree) = setup();
    let rep = refs_json(&env, &tree);
    assert_eq!(names(&rep, "no_row"), vec!["learner_home.code_only"]);
    let n = &rep["no_row"][0];
    assert_eq!(n["type"], "flag");
    assert_eq!(n["default"], "off");
    assert_eq!(n["annotated_default"], "False");
    assert_eq!(n["kind"], "declaration");
    assert_eq!(n["line"], 45);
    assert_eq!(n["places"], 2);
    // passed date (2020-04-10), temporary without a date; not the one due in 2099
    assert_eq!(
        fields(&rep["overdue"], &["name", "reason"]),
        [
            [
                "course_experience.relative_dates",
                "target removal date 2020-04-10 has passed"
            ],
            ["learner_home.mfe", "temporary, with no target removal date"],
        ]
    );
    // as of 2020-01-01 the removal date has not passed yet
    let r = refs(&env, &tree, &["--json", "--now", "2020-01-01"]);
    let early: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(names(&early, "overdue"), vec!["learner_home.mfe"]);
}

#[test]
fn plain_format_is_path_line_name() {
    let (env, tree) = setup();
    let r = refs(&env, &tree, &["--format", "plain"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines.contains(&"app/views.py:7:views.dashboard"));
    assert!(lines.contains(&"app/toggles.py:19:course_experience.relative_dates"));
    assert!(lines.contains(&"app/toggles.py:45:learner_home.code_only"));
    assert!(
        lines
            .iter()
            .all(|l| l.splitn(3, ':').count() == 3 && !l.contains('\t'))
    );
    // sorted by path, then line number
    let keys: Vec<(String, u32)> = lines
        .iter()
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            let path = parts.next().unwrap().to_string();
            (path, parts.next().unwrap().parse().unwrap())
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn human_report() {
    let (env, tree) = setup();
    let r = refs(&env, &tree, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "scanned 7 files, skipped 1 binary\n");
    insta::assert_snapshot!("refs_human", r.stdout);
}

#[test]
fn explicit_paths_and_fail_on() {
    let (env, tree) = setup();
    let r = refs(&env, &tree, &["templates", "--json"]);
    let rep: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(rep["files"], 1);
    assert_eq!(
        names(&rep, "toggles"),
        vec!["tpl.banner", "tpl.footer", "tpl.survey"]
    );
    // findings exit 0; --fail-on makes them exit 1, with the report still printed
    let r = refs(&env, &tree, &["--fail-on", "unreferenced"]);
    assert_eq!(r.code, 1);
    assert_contains(&r.stdout, "never.named");
    assert_contains(
        &r.stderr,
        "error: 3 store toggle(s) named by no scanned file (--fail-on)",
    );
    let r = refs(&env, &tree, &["--fail-on", "overdue,unreferenced"]);
    assert_eq!(r.code, 1);
    assert_contains(&r.stderr, "2 overdue annotation(s)");
    let r = refs(&env, &tree, &["static", "--fail-on", "overdue"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn bad_input_exits_2() {
    let (env, tree) = setup();
    for (args, msg) in [
        (
            vec!["no/such/dir"],
            "error: no such file or folder: no/such/dir",
        ),
        (
            vec!["--fail-on", "stale"],
            "error: --fail-on stale applies to wafflectl stale",
        ),
        (vec!["--fail-on", "bogus"], "error: invalid value 'bogus'"),
        (vec!["--now", "someday"], "error: --now: cannot read"),
    ] {
        let r = refs(&env, &tree, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with(msg), "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
    }
    let r = Env::empty().run(&["refs"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: no store at"));
}
