//! `wafflectl report` on the fixture tree `tests/report_tree` (copied to a temporary folder):
//! annotations read as Open edX's code_annotations reads them, attached to the declaration they
//! document, the store's state, findings, and the four output formats.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Env, Run, assert_contains, assert_lacks, map_rows, named};
use serde_json::Value;

/// A store and the fixture tree beside it.
fn setup() -> (Env, PathBuf) {
    let env = Env::new();
    let tree = env.path("tree");
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/report_tree"),
        &tree,
    );
    (env, tree)
}

/// `wafflectl report ARGS` run from the tree.
fn report(env: &Env, tree: &Path, args: &[&str]) -> Run {
    env.run_in(tree, &[&["report"][..], args].concat())
}

fn report_json(env: &Env, tree: &Path) -> Value {
    let r = report(env, tree, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn row<'v>(rep: &'v Value, name: &str) -> &'v Value {
    named(&rep["toggles"], name)
}

fn has_row(rep: &Value, name: &str) -> bool {
    rep["toggles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == name)
}

fn findings(rep: &Value, name: &str) -> Vec<String> {
    common::texts(&row(rep, name)["findings"], "finding")
}

#[test]
fn annotation_groups_are_read_as_code_annotations_reads_them() {
    let (env, tree) = setup();
    let rep = report_json(&env, &tree);
    let groups: Vec<(String, u64, Option<String>)> = map_rows(&rep["annotations"], |a| {
        let path = a["path"].as_str().unwrap().to_string();
        (
            path,
            a["line"].as_u64().unwrap(),
            a["name"].as_str().map(str::to_string),
        )
    });
    let g = |p: &str, l: u64, n: &str| (p.to_string(), l, Some(n.to_string()));
    // the line is where the comment starts (inside a docstring: the line of its `"""`); a
    // '''-string is no comment to the tool, and prose in README.rst is not read at all
    assert_eq!(
        groups,
        vec![
            g(
                "enterprise/toggles.py",
                8,
                "enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM"
            ),
            g("enterprise/toggles.py", 21, "enterprise.learner_bff"),
            g("enterprise/toggles.py", 29, "enterprise.kill_switch"),
            g("ora/config.py", 7, "FEATURES['ENABLE_ORA_RUBRIC_REUSE']"),
            g("ora/config.py", 17, "ora.in_docstring"),
            g("ora/config.py", 31, "ora.bad_choice"),
            g("static/app.js", 1, "js.annotated"),
        ]
    );
    assert!(!has_row(&rep, "ora.single_quoted"), "{rep:#}");
    assert!(!has_row(&rep, "readme.prose"), "{rep:#}");
    // a description over two lines, as one
    let a = &row(&rep, "enterprise.top_down_assignment_real_time_lcm")["annotation"];
    assert_eq!(
        a["description"],
        "Enables top-down assignment for every enterprise customer."
    );
    assert_eq!(a["use_cases"], serde_json::json!(["temporary"]));
    assert_eq!(a["creation_date"], "2023-09-15");
    // the tool's own linting messages
    let bad = &row(&rep, "ora.bad_choice")["annotation"]["errors"];
    let bad: Vec<&str> = bad
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        bad[0].starts_with(
            "\"Waffle\" is not a valid choice for \".. toggle_implementation:\". Expected one of ['WaffleFlag', 'WaffleSwitch', "
        ),
        "{bad:?}"
    );
    assert!(bad.contains(&"\"vip\" is already present in this annotation."));
    assert!(bad.contains(&"missing non-optional annotation: '.. toggle_description:'"));
    assert!(findings(&rep, "ora.bad_choice").contains(&"invalid_annotation".to_string()));
}

#[test]
fn an_annotation_spelling_the_constant_is_a_documentation_mismatch_not_a_toggle_without_a_row() {
    let (env, tree) = setup();
    env.ok("flag create enterprise.top_down_assignment_real_time_lcm --everyone on");
    let rep = report_json(&env, &tree);
    assert!(
        !has_row(&rep, "enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM"),
        "{rep:#}"
    );
    let r = row(&rep, "enterprise.top_down_assignment_real_time_lcm");
    assert_eq!(
        r["annotation"]["name"],
        "enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM"
    );
    assert_eq!(
        r["annotation"]["documents"],
        "enterprise.top_down_assignment_real_time_lcm"
    );
    let f = findings(&rep, "enterprise.top_down_assignment_real_time_lcm");
    assert!(f.contains(&"documentation_mismatch".to_string()), "{f:?}");
    assert!(!f.contains(&"no_row".to_string()), "{f:?}");
    let msg = r["findings"][0]["message"].as_str().unwrap();
    assert_contains(
        msg,
        "the annotation at enterprise/toggles.py:8 names enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM",
    );
}

#[test]
fn a_django_setting_is_no_waffle_toggle_without_a_row() {
    let (env, tree) = setup();
    let rep = report_json(&env, &tree);
    let name = "FEATURES['ENABLE_ORA_RUBRIC_REUSE']";
    assert_eq!(row(&rep, name)["kind"], "setting");
    assert!(
        findings(&rep, name).is_empty(),
        "{:?}",
        findings(&rep, name)
    );
    // a waffle switch annotated without code or row is one
    assert_eq!(findings(&rep, "ora.in_docstring"), vec!["no_row"]);
}

#[test]
fn findings_from_dates_kinds_annotations_and_the_store() {
    let (env, tree) = setup();
    // stored as a switch, read as a flag by enterprise/views.py
    env.ok("switch create enterprise.read_as_flag --on");
    env.ok("flag create only.in_store");
    env.ok("flag create enterprise.top_down_assignment_real_time_lcm --everyone on");
    let rep = report_json(&env, &tree);
    let lcm = "enterprise.top_down_assignment_real_time_lcm";
    // the clock (2026-01-02) is past 2024-09-15 and the code still declares it
    assert!(findings(&rep, lcm).contains(&"expired".to_string()));
    assert_eq!(
        findings(&rep, "enterprise.learner_bff"),
        vec!["temporary_without_date", "no_row"]
    );
    assert_eq!(
        findings(&rep, "enterprise.read_as_flag"),
        vec!["kind_mismatch", "no_annotation"]
    );
    let mismatch = &row(&rep, "enterprise.read_as_flag")["findings"][0]["message"];
    assert_eq!(
        mismatch,
        "stored as a switch, read as a flag: the code sees no flag row, so off"
    );
    assert_eq!(findings(&rep, "only.in_store"), vec!["only_in_store"]);
    assert!(findings(&rep, "enterprise.kill_switch").contains(&"no_row".to_string()));
    // where the code reads it: the declaration, not the annotation
    let places = &row(&rep, lcm)["places"];
    assert_eq!(places.as_array().unwrap().len(), 1, "{places:#}");
    assert_eq!(places[0]["path"], "enterprise/toggles.py");
    assert_eq!(places[0]["line"], 17);
    assert_eq!(places[0]["kind"], "declaration");

    // an earlier clock: not expired yet
    let rep = env.json_in(&tree, "report --json --now 2024-01-01");
    assert!(!findings(&rep, lcm).contains(&"expired".to_string()));
}

#[test]
fn the_store_state_of_each_kind() {
    let (env, tree) = setup();
    env.ok("flag create enterprise.learner_bff --percent 20 --staff");
    env.ok("override set enterprise.learner_bff --course course-v1:edX+A+1 on");
    env.ok("override set enterprise.learner_bff --course course-v1:edX+B+1 off");
    env.ok("override set enterprise.learner_bff --org edX on");
    // a cleared override is not in force
    env.ok("override set enterprise.learner_bff --org MITx on");
    env.ok("override clear enterprise.learner_bff --org MITx");
    env.ok("switch create enterprise.kill_switch --on");
    env.ok("sample create only.sample 30");
    env.ok("experiment create exp.upsell --buckets 2 --id 17");
    let rep = report_json(&env, &tree);
    let s = &row(&rep, "enterprise.learner_bff")["store"];
    assert_eq!(s["types"], serde_json::json!(["flag"]));
    assert_eq!(s["everyone"], "unset");
    assert_eq!(s["percent"], "20.0");
    assert_eq!(s["criteria"], "staff");
    assert_eq!(s["course_overrides"], 2);
    assert_eq!(s["org_overrides"], 1);
    let s = &row(&rep, "enterprise.kill_switch")["store"];
    assert_eq!(s["active"], true);
    assert_eq!(row(&rep, "only.sample")["store"]["percent"], "30.0");
    let s = &row(&rep, "exp.upsell")["store"];
    assert_eq!(s["types"], serde_json::json!(["experiment"]));
    assert_eq!(s["experiment_id"], 17);
    assert_eq!(s["everyone"], "off");
}

#[test]
fn table_csv_markdown_and_json() {
    let (env, tree) = setup();
    env.ok("switch create enterprise.read_as_flag");
    let table = report(&env, &tree, &[]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.starts_with("TOGGLE "), "{}", table.stdout);
    assert_contains(&table.stdout, "enterprise.read_as_flag");
    assert_contains(&table.stdout, "kind mismatch, no annotation");
    assert_contains(&table.stderr, "7 annotations; scanned 6 files");

    let csv = report(&env, &tree, &["--format", "csv"]).stdout;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "name,kind,implementation,default,description,use_cases,creation_date,\
         target_removal_date,store,everyone,percent,criteria,active,course_overrides,\
         org_overrides,experiment_id,places,findings"
    );
    // a field with a comma is quoted
    assert!(
        csv.lines().any(|l| l.starts_with("enterprise.read_as_flag,flag,,,,,,,switch,,,,no,0,0,,enterprise/views.py:5,\"kind mismatch, no annotation\"")),
        "{csv}"
    );
    // FEATURES['X'] has no comma or quote: as is
    assert!(
        csv.lines()
            .any(|l| l
                .starts_with("FEATURES['ENABLE_ORA_RUBRIC_REUSE'],setting,SettingToggle,False,")),
        "{csv}"
    );

    let md = report(&env, &tree, &["--format", "markdown"]).stdout;
    let mut lines = md.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("| name | kind | implementation |")
    );
    assert!(lines.next().unwrap().starts_with("| --- | --- |"));
    assert_eq!(md.lines().count(), 2 + 8, "{md}");

    let a = report(&env, &tree, &["--json"]).stdout;
    let b = report(&env, &tree, &["--format", "json"]).stdout;
    assert_eq!(a, b);
    let v: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["now"], "2026-01-02T03:04:05.000000Z");
    assert_eq!(v["toggles"].as_array().unwrap().len(), 8);
}

#[test]
fn bad_input_is_refused() {
    let (env, tree) = setup();
    let r = report(&env, &tree, &["no/such/dir"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: no such file or folder: no/such/dir")
    );
    env.refuses("report --now soon", 2, "--now");
    let empty = Env::empty();
    let r = empty.run("report");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_contains(&r.stderr, "hint: create it with: wafflectl --db");
    // a read: the store is left as it was
    let before = env.bytes();
    report(&env, &tree, &["--format", "markdown"]);
    assert!(env.bytes() == before);
}

#[test]
fn csv_and_markdown_are_formats_of_every_list_and_show() {
    let env = Env::new();
    env.ok("flag create a.b --percent 5 --note 'one, \"two\"'");
    let csv = env.ok("flag list --format csv");
    let mut lines = csv.lines();
    assert!(
        lines.next().unwrap().starts_with("NAME,EVERYONE,PERCENT,"),
        "{csv}"
    );
    assert!(lines.next().unwrap().starts_with("a.b,unset,5.0,"), "{csv}");
    let md = env.ok("flag show a.b --format markdown");
    assert!(md.starts_with("| FIELD | VALUE |\n| --- | --- |\n"), "{md}");
    assert_contains(&md, "| one, \"two\" |");
    let csv = env.ok("flag show a.b --format csv");
    assert_contains(&csv, "\"one, \"\"two\"\"\"");
    env.refuses("export --format csv", 2, "export has no csv format");
}

#[test]
fn refs_lists_no_row_for_an_annotation_that_spells_the_constant() {
    let (env, tree) = setup();
    let rep = env.json_in(&tree, "refs --json");
    // the declared name has no row; the annotation's spelling of the constant is no toggle
    assert_declared_name_only(&rep["no_row"]);
}

/// `list` names the declared toggle and not the annotation's spelling of its constant.
#[track_caller]
fn assert_declared_name_only(list: &Value) {
    let names = names_of(list);
    assert!(
        names.contains(&"enterprise.top_down_assignment_real_time_lcm"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM"),
        "{names:?}"
    );
}

#[test]
fn a_name_built_at_run_time_is_a_pattern_and_what_it_matches_is_possibly_read() {
    let (env, tree) = setup();
    env.ok("flag create ora_ns.mfe_views --everyone on");
    env.ok("flag create other.flag");
    let rep = report_json(&env, &tree);
    let u = &rep["unresolved"];
    assert_eq!(u.as_array().unwrap().len(), 1, "{u:#}");
    assert_eq!(u[0]["pattern"], "ora_ns.*");
    assert_eq!(u[0]["path"], "ora/helpers.py");
    assert_eq!(u[0]["line"], 7);
    assert_eq!(u[0]["matches"], serde_json::json!(["ora_ns.mfe_views"]));
    // the flag it matches is not "only in the store": it may be read
    assert_eq!(findings(&rep, "ora_ns.mfe_views"), vec!["possibly_read"]);
    assert_eq!(
        row(&rep, "ora_ns.mfe_views")["places"][0]["pattern"],
        "ora_ns.*"
    );
    assert_eq!(findings(&rep, "other.flag"), vec!["only_in_store"]);
    assert!(!has_row(&rep, "ora_ns.*"));
    let table = report(&env, &tree, &[]).stdout;
    // the same section, title and table as `refs` prints
    let section = "1 name the code builds at run time: every store toggle it matches may be read, and none is offered for deletion.\n";
    assert_contains(&table, section);
    assert_lacks(&table, "Names the code builds");
    let refs = env.run_in(&tree, "refs").stdout;
    let tail = |s: &str| {
        s[s.find(section).unwrap()..]
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(tail(&table), tail(&refs));
    assert_contains(&table, "ora/helpers.py:7 (pattern ora_ns.*)");
}

/// `wafflectl refs --json ARGS` run from the tree.
fn refs_json(env: &Env, tree: &Path, args: &[&str]) -> Value {
    env.json_in(
        tree,
        &[&["refs", "--json", "--now", "2026-03-01"][..], args].concat(),
    )
}

fn names_of(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect()
}

#[test]
fn refs_reads_annotations_only_where_code_annotations_does() {
    let (env, tree) = setup();
    // not annotations to code_annotations: a ''' string, a string literal, prose (README.rst)
    std::fs::write(
        tree.join("ora/more.py"),
        "X = '.. toggle_name: in.a.string'\n\
         Y = '''\n.. toggle_name: ora.single_quoted_too\n.. toggle_implementation: WaffleFlag\n\
         .. toggle_use_cases: temporary\n.. toggle_target_removal_date: 2020-01-01\n'''\n",
    )
    .unwrap();
    let rep = refs_json(&env, &tree, &[]);
    let no_row = names_of(&rep["no_row"]);
    let overdue = names_of(&rep["overdue"]);
    for name in [
        "ora.single_quoted",
        "ora.single_quoted_too",
        "in.a.string",
        "readme.prose",
    ] {
        assert!(!no_row.contains(&name), "{name} in {no_row:?}");
        assert!(!overdue.contains(&name), "{name} in {overdue:?}");
    }
    // what code_annotations reads is still read: a docstring, a JavaScript comment
    assert!(no_row.contains(&"ora.in_docstring"), "{no_row:?}");
    assert!(no_row.contains(&"js.annotated"), "{no_row:?}");
}

#[test]
fn an_annotation_spelling_the_constant_documents_the_declared_toggle_in_refs() {
    let (env, tree) = setup();
    let rep = refs_json(&env, &tree, &[]);
    assert_eq!(
        rep["documentation_mismatch"],
        serde_json::json!([{
            "written": "enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM",
            "declared": "enterprise.top_down_assignment_real_time_lcm",
            "path": "enterprise/toggles.py",
            "line": 8
        }])
    );
    // the annotation's default and removal date are those of the declared toggle
    let n = named(
        &rep["no_row"],
        "enterprise.top_down_assignment_real_time_lcm",
    );
    assert_eq!(n["annotated_default"], "False");
    assert_eq!(n["places"], 2, "{n}");
    assert_declared_name_only(&rep["overdue"]);
    assert_contains(
        &env.run_in(&tree, "refs --now 2026-03-01").stdout,
        "1 annotation gives another name than the declaration it documents: a documentation mismatch, not a toggle.\n",
    );
}

#[test]
fn a_store_row_under_the_annotations_spelling_gets_no_delete_step() {
    let (env, tree) = setup();
    let written = "enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM";
    env.ok(&format!("flag create {written} --everyone off"));
    let rep = env.json_in(&tree, "stale --json --now 2030-01-01 --refs .");
    let f = named(&rep["stale"], written);
    // today: `wafflectl flag delete` of the name the annotation gives the declared toggle
    assert_eq!(f["next"], serde_json::json!([]), "{f}");
    assert_eq!(f["held_back"]["reason"], "documentation mismatch");
    assert_contains(
        f["held_back"]["detail"].as_str().unwrap(),
        "the annotation at enterprise/toggles.py:8 gives this name to the declaration of enterprise.top_down_assignment_real_time_lcm",
    );
    // report: a documentation mismatch, not a toggle only in the store
    let rep = report_json(&env, &tree);
    assert_eq!(findings(&rep, written), vec!["documentation_mismatch"]);
}
