//! `plan` then `apply`: the changes, the plan file, refusals of another store and edited files.

use super::Stores;
use crate::common::{self, assert_contains, assert_lacks};

fn staging_ahead() -> Stores {
    Stores::new(
        &["flag create beta", "switch create maint"],
        &[
            "flag set beta --everyone on",
            "switch on maint",
            "sample create ab 25",
            "user add alice --staff",
            "flag create new_dash --add-user alice",
        ],
    )
}

#[test]
fn plan_writes_nothing_and_apply_carries_it_out() {
    let s = staging_ahead();
    let before = s.prod.bytes();
    let run = s.plan(&[]);
    assert!(s.prod.bytes() == before, "plan wrote to the target");
    assert_contains(&run.stdout, "~ flag beta: everyone: null → true");
    assert_contains(&run.stdout, "+ flag new_dash");
    assert_contains(&run.stderr, "plan written to plan.json");
    assert_eq!(
        s.prod.json("flag show beta")["everyone"],
        serde_json::Value::Null
    );
    let applied = s.prod.run_ok("apply plan.json");
    assert_contains(
        &applied.stderr,
        "applied plan.json: 3 added, 2 changed, 0 removed",
    );
    assert_eq!(s.prod.json("flag show beta")["everyone"], true);
    assert_eq!(
        s.prod.json("flag show new_dash")["users"],
        serde_json::json!(["alice"])
    );
    assert_eq!(s.prod.json("switch show maint")["active"], true);
    // One audit row per object, with the reason naming the plan (and --reason).
    let h = s.prod.json("history --limit 5");
    for e in h.as_array().unwrap() {
        assert_eq!(e["reason"], "apply plan.json", "{e}");
    }
    // Staging and prod now agree.
    let again = s.prod.run_ok(&["plan", &s.source(), "-o", "again.json"]);
    assert_contains(&again.stderr, "no changes");
}

#[test]
fn plan_prints_what_import_dry_run_prints() {
    let s = staging_ahead();
    s.staging.ok(&[
        "export",
        "-o",
        &s.prod.path("staging.json").display().to_string(),
    ]);
    let import = s.prod.run_ok("import staging.json --dry-run");
    let plan = s.plan(&[]);
    assert_eq!(plan.stdout, import.stdout);
    let import = s.prod.json("import staging.json --dry-run");
    let plan = s.prod.json(&["plan", &s.source(), "-o", "p.json"]);
    assert_eq!(plan, import);
    // The file's changes are the same JSON.
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.prod.path("p.json")).unwrap()).unwrap();
    assert_eq!(file["changes"], import);
    // A file as the source plans the same.
    let from_file = s.prod.run_ok("plan staging.json -o f.json");
    assert_eq!(from_file.stdout, s.plan(&[]).stdout);
}

#[test]
fn the_plan_file_says_what_where_and_by_whom() {
    let s = staging_ahead();
    s.plan(&[]);
    let f = s.plan_file();
    assert_eq!(f["format"], "wafflectl plan");
    assert_eq!(f["version"], 1);
    assert_eq!(f["made_by"], "tester");
    assert_eq!(f["made_at"], common::NOW);
    assert_eq!(f["source"]["kind"], "store");
    assert_eq!(f["source"]["name"], s.source());
    let prod_id = s
        .prod
        .one::<String>("SELECT value FROM wafflectl_meta WHERE key = 'store_id'");
    let staging_id = s
        .staging
        .one::<String>("SELECT value FROM wafflectl_meta WHERE key = 'store_id'");
    assert_eq!(f["target"]["store_id"], prod_id.as_str());
    assert_eq!(f["source"]["store_id"], staging_id.as_str());
    assert_eq!(f["options"]["prune"], false);
    // Every object of the source's kinds is fingerprinted: present (a hash) or absent (null).
    let fp = f["fingerprints"].as_array().unwrap();
    let find = |kind: &str, name: &str| {
        fp.iter()
            .find(|e| e["kind"] == kind && e["name"] == name)
            .unwrap_or_else(|| panic!("no fingerprint of {kind} {name}: {fp:?}"))
    };
    assert_eq!(find("flag", "beta")["sha1"].as_str().unwrap().len(), 40);
    assert!(find("flag", "new_dash")["sha1"].is_null());
    assert!(find("user", "alice")["sha1"].is_null());
    assert!(f["content"]["flags"].is_array());
    // Pretty-printed: one key a line.
    let text = std::fs::read_to_string(s.prod.path("plan.json")).unwrap();
    assert_contains(&text, "\n  \"format\": \"wafflectl plan\",\n");
}

#[test]
fn a_promotion_plans_the_named_objects_only() {
    let s = staging_ahead();
    s.plan(&["beta"]);
    let f = s.plan_file();
    assert_eq!(f["options"]["select"], serde_json::json!(["beta"]));
    let names: Vec<&str> = f["fingerprints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["beta"]);
    s.prod.run_ok("apply plan.json");
    assert_eq!(s.prod.json("flag show beta")["everyone"], true);
    s.prod.fails("flag show new_dash", 1);
    // --prune with names would delete every other object: refused.
    s.prod
        .fails(&["plan", &s.source(), "beta", "--prune", "-o", "x.json"], 2);
}

#[test]
fn a_plan_applies_once() {
    let s = staging_ahead();
    s.plan(&[]);
    s.prod.run_ok("apply plan.json");
    let err = s.prod.refuses("apply plan.json", 1, "a plan applies once");
    assert_contains(&err, "flag new_dash: created since the plan was made");
}

#[test]
fn a_plan_without_changes_applies_as_no_changes() {
    let s = Stores::new(&["flag create beta --everyone on"], &[]);
    s.plan(&[]);
    for _ in 0..2 {
        let r = s.prod.run_ok("apply plan.json");
        assert_contains(&r.stderr, "no changes");
    }
}

#[test]
fn another_store_is_refused_and_a_copy_accepted() {
    let s = staging_ahead();
    s.plan(&[]);
    let other = common::Env::new();
    std::fs::copy(s.prod.path("plan.json"), other.path("plan.json")).unwrap();
    let prod_id = s
        .prod
        .one::<String>("SELECT value FROM wafflectl_meta WHERE key = 'store_id'");
    let err = other.refuses("apply plan.json", 1, "was made for store ws-");
    assert_contains(&err, prod_id.as_str());
    assert_contains(&err, "not this one");
    // A copy of the store file is the same store: it keeps the identity and takes the plan.
    let copy = common::Env::empty();
    std::fs::copy(&s.prod.db, &copy.db).unwrap();
    std::fs::copy(s.prod.path("plan.json"), copy.path("plan.json")).unwrap();
    copy.run_ok("apply plan.json");
    assert_eq!(copy.json("flag show beta")["everyone"], true);
}

#[test]
fn apply_dry_run_shows_and_checks_without_writing() {
    let s = staging_ahead();
    s.plan(&[]);
    let out = s.prod.ok_unchanged("apply plan.json --dry-run");
    assert_contains(&out, "~ flag beta: everyone: null → true");
    s.prod.ok("flag set beta --note changed");
    s.prod
        .refuses("apply plan.json --dry-run", 1, "flag beta: note:");
}

#[test]
fn the_plan_holds_no_password_hash() {
    let s = staging_ahead();
    let hash = "pbkdf2_sha256$870000$Zq3salt$ZmFrZWhhc2hvZnRoZXBhc3N3b3Jk";
    s.staging.exec(&format!(
        "UPDATE auth_user SET password = '{hash}' WHERE username = 'alice'"
    ));
    s.prod.ok("user add alice --staff");
    s.prod.exec(&format!(
        "UPDATE auth_user SET password = '{hash}x' WHERE username = 'alice'"
    ));
    s.plan(&[]);
    let text = std::fs::read_to_string(s.prod.path("plan.json")).unwrap();
    assert_contains(&text, "\"alice\"");
    assert_lacks(&text, "pbkdf2");
    assert_lacks(&text, "870000");
    // To stdout as well.
    let out = s.prod.ok(&["plan", &s.source(), "-o", "-"]);
    let f: serde_json::Value = serde_json::from_str(&out).expect("the plan on stdout");
    assert_eq!(f["format"], "wafflectl plan");
    assert_lacks(&out, "pbkdf2");
}

#[test]
fn edited_truncated_and_huge_plans_are_refused() {
    let s = staging_ahead();
    s.plan(&[]);
    let text = std::fs::read_to_string(s.prod.path("plan.json")).unwrap();
    let edited = text.replacen("\"everyone\": true", "\"everyone\": false", 1);
    assert_ne!(edited, text);
    s.prod.write("edited.json", &edited);
    s.prod
        .refuses("apply edited.json", 2, "do not follow from its content");
    s.prod.write("cut.json", &text[..text.len() / 2]);
    s.prod
        .refuses("apply cut.json", 2, "cut.json: not a wafflectl plan");
    s.prod.write(
        "v9.json",
        &text.replacen("\"version\": 1", "\"version\": 9", 1),
    );
    s.prod.refuses("apply v9.json", 1, "plan format version 9");
    s.prod
        .write("extra.json", &text.replacen("{", "{\"sneaky\": 1,", 1));
    s.prod.refuses("apply extra.json", 2, "malformed plan");
    s.prod.ok(&["export", "-o", "export.json"]);
    s.prod
        .refuses("apply export.json", 2, "not a wafflectl plan");
    let huge = std::fs::File::create(s.prod.path("huge.json")).unwrap();
    huge.set_len(300 << 20).unwrap();
    s.prod.refuses("apply huge.json", 2, "larger than 256 MiB");
    s.prod.refuses("apply missing.json", 1, "no such file");
}

#[test]
fn a_fixtures_password_hashes_stay_out_of_the_plan() {
    let s = Stores::new(&[], &["user add zed"]);
    let hash = "pbkdf2_sha256$870000$Zq3salt$ZmFrZWhhc2hvZnRoZXBhc3N3b3Jk";
    s.staging.exec(&format!(
        "UPDATE auth_user SET password = '{hash}' WHERE username = 'zed'"
    ));
    let fixture = s.prod.path("fixture.json").display().to_string();
    s.staging
        .ok(&["export", "--format", "django", "-o", &fixture]);
    assert_contains(&std::fs::read_to_string(&fixture).unwrap(), "pbkdf2");
    s.prod.run_ok("plan fixture.json -o plan.json");
    let text = std::fs::read_to_string(s.prod.path("plan.json")).unwrap();
    assert_lacks(&text, "pbkdf2");
    s.prod.run_ok("apply plan.json");
    // A user a plan creates gets an unusable password, as the plan holds none.
    let stored: String = s
        .prod
        .one("SELECT password FROM auth_user WHERE username = 'zed'");
    assert!(stored.starts_with('!'), "{stored}");
}

#[test]
fn a_files_undated_rows_are_planned_and_applied() {
    let env = common::Env::with(&["flag create beta"]);
    env.write(
        "toggles.json",
        r#"{"version": 1, "flags": [{"name": "zz", "everyone": true}],
            "overrides": [{"flag": "beta", "org": "edX", "choice": "off"}]}"#,
    );
    let out = env.ok("plan toggles.json -o plan.json");
    assert_contains(&out, "+ flag zz");
    assert_contains(&out, "+ org override beta@edX");
    env.run_ok("apply plan.json");
    assert_eq!(env.json("override list beta")[0]["choice"], "off");
}
