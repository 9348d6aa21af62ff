//! `wafflectl refs` on the fixture tree `tests/removal_tree`, copied to a temporary folder (not a
//! git repository) with an ignored folder and a binary file added.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Env, Run, assert_contains, copy_tree, fields, map_rows, named};
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
    env.run_in(tree, &[&["refs"][..], args].concat())
}

fn refs_json(env: &Env, tree: &Path) -> Value {
    env.json_in(tree, "refs --json")
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
    common::texts(&rep[section], "name")
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
    let decl = named(&rep["toggles"], "course_experience.relative_dates")["references"][1].clone();
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

// ---- names as code builds them, kinds and places (issue 19): the tree `tests/removal_names`,
// reproducing the forms found in ora2, edx-proctoring and edx-enterprise.

const BUILT_FLAGS: &[&str] = &[
    "app.show_banner",
    "app.same_file",
    "app.formatted",
    "app.class_attr",
    "openresponseassessment.mfe_views",
    "app.only_in_packaging",
    "app.only_documented",
    "never.named",
];
const BUILT_SWITCHES: &[&str] = &[
    "app.kill_switch",
    "edx_proctoring.reds_api_redirect",
    "edx_proctoring.proctortrack_ping_failure_passthrough",
    "openresponseassessment.team_submissions",
    "kinds.stored_as_switch",
];

/// A store with the toggles `tests/removal_names` names (all settled), and the tree.
fn names_setup() -> (Env, PathBuf) {
    let env = Env::new();
    for f in BUILT_FLAGS {
        env.ok(&["flag", "create", f, "--everyone", "on"]);
    }
    for s in BUILT_SWITCHES {
        env.ok(&["switch", "create", s, "--on"]);
    }
    let tree = env.path("tree");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/removal_names"),
        &tree,
    );
    (env, tree)
}

/// (path, line, kind, via) of every reference of `name`.
fn places_via(rep: &Value, name: &str) -> Vec<(String, u64, String, String)> {
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
                r["via"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn pv(path: &str, line: u64, kind: &str, via: &str) -> (String, u64, String, String) {
    (path.into(), line, kind.into(), via.into())
}

#[test]
fn names_built_from_constants_within_and_across_files() {
    let (env, tree) = names_setup();
    let rep = refs_json(&env, &tree);
    let cases = [
        // `from .toggles import SHOW_BANNER`, SHOW_BANNER = NS + '.show_banner' in another file
        (
            "app.show_banner",
            vec![
                pv("app/views.py", 10, "call", "flag_is_active"),
                pv("docs/README.rst", 4, "documentation", ""),
            ],
        ),
        // `from . import toggles`, toggles.SWITCH_NAME = '%s.%s' % (NS, 'kill_switch')
        (
            "app.kill_switch",
            vec![pv("app/views.py", 12, "call", "switch_is_active")],
        ),
        // a constant of the same file
        (
            "app.same_file",
            vec![
                pv("app/views.py", 6, "literal", ""),
                pv("app/views.py", 14, "call", "flag_is_active"),
            ],
        ),
        // a class attribute through self
        (
            "app.class_attr",
            vec![
                pv("app/views.py", 18, "literal", ""),
                pv("app/views.py", 21, "call", "flag_is_active"),
            ],
        ),
        // '{}.{}'.format(NS, 'formatted')
        (
            "app.formatted",
            vec![pv("app/toggles.py", 7, "declaration", "WaffleFlag")],
        ),
        // `from proctoring.constants import (…REDS_API_REDIRECT…)`: an absolute import
        (
            "edx_proctoring.reds_api_redirect",
            vec![
                pv("proctoring/constants.py", 3, "literal", ""),
                pv("proctoring/views.py", 16, "call", "switch_is_active"),
            ],
        ),
    ];
    for (name, want) in cases {
        assert_eq!(places_via(&rep, name), want, "{name}");
    }
    // today these were "no scanned file names it: can be deleted"
    assert_eq!(
        names(&rep, "unreferenced"),
        vec!["app.only_in_packaging", "never.named"]
    );
    assert_eq!(names(&rep, "no_row"), Vec::<String>::new());
}

#[test]
fn names_built_at_run_time_are_patterns_that_match_store_toggles() {
    let (env, tree) = names_setup();
    let rep = refs_json(&env, &tree);
    let unresolved = fields(&rep["unresolved"], &["pattern", "type", "path"]);
    assert_eq!(
        unresolved,
        [
            [
                "openresponseassessment.*",
                "switch",
                "ora/xblock/config_mixin.py"
            ],
            [
                "openresponseassessment.*",
                "flag",
                "ora/xblock/config_mixin.py"
            ],
            [
                "edx_proctoring.*_ping_failure_passthrough",
                "switch",
                "proctoring/views.py"
            ],
        ]
    );
    let lines = map_rows(&rep["unresolved"], |u| u["line"].as_u64().unwrap());
    assert_eq!(lines, vec![12, 16, 12]);
    assert_eq!(
        rep["unresolved"][0]["matches"],
        serde_json::json!([
            "openresponseassessment.mfe_views",
            "openresponseassessment.team_submissions"
        ])
    );
    assert_eq!(
        rep["unresolved"][2]["matches"],
        serde_json::json!(["edx_proctoring.proctortrack_ping_failure_passthrough"])
    );
    // each matching store toggle is referenced through the pattern, never unreferenced
    let t = named(
        &rep["toggles"],
        "edx_proctoring.proctortrack_ping_failure_passthrough",
    );
    assert_eq!(
        t["references"][0]["pattern"],
        "edx_proctoring.*_ping_failure_passthrough"
    );
    assert_eq!(t["references"][0]["path"], "proctoring/views.py");
    let r = refs(&env, &tree, &[]);
    assert_contains(
        &r.stdout,
        "call (switch_is_active) builds edx_proctoring.*_ping_failure_passthrough at run time",
    );
    assert!(
        !r.stdout
            .contains("flag delete openresponseassessment.mfe_views"),
        "{}",
        r.stdout
    );
}

#[test]
fn kinds_the_code_reads_and_settings_apart() {
    let (env, tree) = names_setup();
    let rep = refs_json(&env, &tree);
    let k = &rep["kind_mismatch"];
    assert_eq!(k.as_array().unwrap().len(), 1, "{k}");
    assert_eq!(k[0]["name"], "kinds.stored_as_switch");
    assert_eq!(k[0]["stored"], serde_json::json!(["switch"]));
    assert_eq!(k[0]["read_as"], serde_json::json!(["flag"]));
    assert_eq!(k[0]["decides"], "off");
    assert_eq!(
        k[0]["why"],
        "stored as a switch, read as a flag: the code sees no flag row, so off"
    );
    // each reference says the kind the code reads
    let t = named(&rep["toggles"], "app.kill_switch");
    assert_eq!(t["references"][0]["toggle"], "switch");
    // Django settings: listed apart, never as flags with no row
    assert_eq!(
        fields(&rep["settings"], &["name", "via"]),
        [
            ["FEATURES['ENABLE_X']", "SettingDictToggle"],
            ["FEATURES['ENABLE_Y']", "WaffleFlag"],
        ]
    );
    assert!(
        rep["no_row"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| !n["name"].as_str().unwrap().contains("FEATURES")),
        "{}",
        rep["no_row"]
    );
}

#[test]
fn packaging_copies_are_skipped_and_prose_is_documentation() {
    let (env, tree) = names_setup();
    let rep = refs_json(&env, &tree);
    // pkg.egg-info/PKG-INFO and PKG-INFO name app.only_in_packaging: not places
    assert_eq!(rep["packaging_skipped"], 2);
    assert!(places(&rep, "app.only_in_packaging").is_empty());
    assert_eq!(
        places(&rep, "app.only_documented"),
        vec![p("docs/README.rst", 4, "documentation")]
    );
    let r = refs(&env, &tree, &[]);
    assert_contains(&r.stderr, "skipped 2 packaging copies");
}
