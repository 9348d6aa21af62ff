//! `import --create-only`: creates what the store lacks, never changes what exists.

use crate::common;

use common::{Env, assert_contains};

#[test]
fn create_only_creates_the_missing_and_keeps_what_differs() {
    let env = Env::with(&["flag create a --everyone off", "switch create s --off"]);
    env.ok_with_env(
        "WAFFLECTL_NOW",
        "2026-01-01T00:00:00Z",
        "override set a --org edX off",
    );
    let doc = r#"{"version": 1,
        "flags": [{"name": "a", "everyone": true}, {"name": "b", "everyone": true}],
        "switches": [{"name": "s", "active": false}],
        "overrides": [{"flag": "a", "org": "edX", "choice": "on"},
                      {"flag": "a", "org": "MITx", "choice": "on"}]}"#;
    env.write("d.json", doc);
    let before = env.ok("export");
    let plan = env.json("import d.json --create-only --dry-run");
    assert_eq!(env.ok("export"), before, "--dry-run wrote");
    assert_eq!(plan["added"].as_array().unwrap().len(), 2, "{plan}");
    assert_eq!(plan["changed"], serde_json::json!([]));
    assert_eq!(
        plan["kept"],
        serde_json::json!([{"kind": "flag", "name": "a"}, {"kind": "org override", "name": "a@edX"}])
    );
    let r = env.run_ok("import d.json --create-only");
    assert_contains(&r.stderr, "kept flag a (exists and differs; --create-only)");
    assert_contains(&r.stderr, "kept org override a@edX");
    assert_contains(
        &r.stderr,
        "2 added, 0 changed, 0 removed, 1 unchanged, 2 kept",
    );
    assert_eq!(env.json("flag show a")["everyone"], false);
    assert_eq!(env.json("flag show b")["everyone"], true);
    let orgs: Vec<serde_json::Value> = env.json("override list a").as_array().unwrap().clone();
    let choice = |org: &str| {
        orgs.iter()
            .find(|o| o["org"] == org)
            .map(|o| o["choice"].clone())
    };
    assert_eq!(choice("edX"), Some("off".into()));
    assert_eq!(choice("MITx"), Some("on".into()));
    // Without --create-only the same file changes them.
    let plan = env.json("diff d.json");
    assert_eq!(plan["changed"].as_array().unwrap().len(), 2, "{plan}");
}

#[test]
fn create_only_with_prune_is_refused() {
    let env = Env::with(&["flag create a"]);
    env.write("d.json", r#"{"version": 1, "flags": []}"#);
    let err = env.refuses("import d.json --create-only --prune --yes", 2, "--prune");
    assert!(err.lines().count() <= 4, "{err}");
}
