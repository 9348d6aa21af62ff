//! Baseplate experiments through the binary: `variant` against the vectors of spec §6.2/§6.3,
//! authoring with `experiment create/set`, `lint`, and experiments.json import/export.

use crate::common;

use common::{Env, assert_contains, write};
use serde_json::{Value, json};

const SPEC_FILE: &str = include_str!("../data/baseplate_spec.json");
/// The clock of spec §6.3.
const T: &str = "1600000000";

fn spec_env() -> Env {
    let env = Env::new();
    write(&env.path("experiments.json"), SPEC_FILE);
    env
}

/// `variant KEY --file experiments.json --now T --json INPUTS`
fn variant(env: &Env, key: &str, inputs: &str) -> Value {
    env.json(&format!(
        "variant {key} --file experiments.json --now {T} {inputs}"
    ))
}

/// Spec §6.2, first table: `bucket→variant` for users t2_0..t2_9 with logged_in=true.
const TABLE: [(&str, [&str; 10]); 8] = [
    (
        "r2_test",
        [
            "395→", "236→", "905→", "954→", "547→", "497→", "380→", "421→", "515→", "625→",
        ],
    ),
    (
        "r2_capped",
        [
            "562→b", "696→a", "568→b", "951→", "261→a", "757→b", "72→a", "79→b", "247→b", "499→b",
        ],
    ),
    (
        "ff",
        [
            "910→",
            "605→",
            "980→",
            "824→",
            "319→",
            "653→",
            "930→",
            "527→",
            "218→active",
            "361→",
        ],
    ),
    (
        "sv_none",
        [
            "141→",
            "867→variant_2",
            "304→",
            "879→variant_2",
            "796→",
            "769→",
            "520→",
            "287→",
            "294→",
            "446→",
        ],
    ),
    (
        "sv_zero",
        [
            "729→",
            "445→",
            "641→",
            "330→",
            "680→",
            "173→",
            "46→variant_1",
            "318→",
            "438→",
            "555→",
        ],
    ),
    (
        "mv",
        [
            "993→", "737→", "318→b", "192→a", "563→c", "802→", "34→a", "837→", "179→a", "385→b",
        ],
    ),
    (
        "fr",
        [
            "551→", "48→on", "148→on", "147→on", "492→on", "471→on", "895→", "243→on", "532→",
            "397→on",
        ],
    ),
    (
        "rv",
        [
            "874→", "473→", "393→", "76→x", "925→x", "114→x", "498→", "271→", "192→x", "398→",
        ],
    ),
];

#[test]
fn variants_match_the_spec_table() {
    let env = spec_env();
    for (key, cells) in TABLE {
        for (i, cell) in cells.iter().enumerate() {
            let (bucket, want) = cell.split_once('→').unwrap();
            let user = format!("user_id=t2_{i}");
            let v = variant(&env, key, &format!("{user} logged_in=true"));
            let want_variant = if want.is_empty() {
                Value::Null
            } else {
                json!(want)
            };
            assert_eq!(v["variant"], want_variant, "{key} t2_{i}: {v}");
            assert_eq!(
                v["bucket"],
                json!(bucket.parse::<u64>().unwrap()),
                "{key} t2_{i}"
            );
            // Every bucketed cell logs one event, except feature flags (never).
            assert_eq!(
                v["event"],
                json!(!want.is_empty() && key != "ff"),
                "{key} t2_{i}"
            );
            assert_eq!(v["raises"], Value::Null);
        }
    }
}

#[test]
fn client_rules_of_the_spec_second_table() {
    let env = spec_env();
    let cases: &[(&str, &str, Value, bool)] = &[
        (
            "r2_test",
            "user_id=t2_1 logged_in=false",
            Value::Null,
            false,
        ),
        ("r2_test", "logged_in=true", Value::Null, false),
        (
            "r2_capped",
            r#"user_id=t2_1 logged_in=true url_features:=["x","force_b"]"#,
            json!("b"),
            true,
        ),
        (
            "r2_capped",
            r#"user_id=t2_1 logged_in=true url_features:=["nope"]"#,
            json!("a"),
            true,
        ),
        ("r2_capped", "url_features=FORCE_B", json!("b"), false),
        ("r2_capped", "user_id=t2_1 User_Name=gARY", json!("c"), true),
        ("r2_capped", "user_id:=1 logged_in=true", json!("b"), true),
        ("sv_zero", "user_id=", Value::Null, false),
        ("sv_zero", "user_id:=null", Value::Null, false),
        ("sv_zero", "USER_ID=t2_6", json!("variant_1"), false),
        ("sv_zero", "user_id=t2_6 User_Id=t2_1", Value::Null, false),
        ("sv_zero", "user_id:=123", json!("variant_2"), true),
        ("sv_zero", "user_id=true", json!("variant_2"), true),
        ("sv_zero", "user_id=1.5", Value::Null, false),
        (
            "tgt",
            "user_id=t2_1 logged_in=true country=US build=100",
            json!("treat"),
            true,
        ),
        (
            "tgt",
            "user_id=t2_1 logged_in=true country=DE build=100",
            Value::Null,
            false,
        ),
        (
            "tgt",
            "user_id=t2_1 logged_in:=1 country=US build:=100.0",
            json!("treat"),
            true,
        ),
        ("tgt", "user_id=t2_3 logged_in=false", json!("forced"), true),
        (
            "tgt",
            "user_id=t2_9 is_employee=true",
            json!("control"),
            true,
        ),
        ("disabled_sv_go", "user_id=t2_1", json!("gvar"), false),
        (
            "disabled_r2_go",
            "user_id=t2_1 logged_in=true",
            Value::Null,
            false,
        ),
        ("expired_sv", "user_id=t2_1", Value::Null, false),
        ("unknown_type", "user_id=t2_1", Value::Null, false),
        ("bad_id", "user_id=t2_1", Value::Null, false),
        ("missing", "user_id=t2_1", Value::Null, false),
        ("content", "content_id=t3_1 user_id=t2_1", json!("on"), true),
        ("content", "content_id=t3_3", Value::Null, false),
        ("content", "user_id=t2_1", Value::Null, false),
    ];
    for (key, inputs, want, event) in cases {
        let v = variant(&env, key, inputs);
        assert_eq!(&v["variant"], want, "{key} {inputs:?}: {v}");
        assert_eq!(v["event"], json!(event), "{key} {inputs:?}: {v}");
    }
    // --no-event is bucketing_event_override=False.
    let v = variant(&env, "mv", "user_id=t2_2 --no-event");
    assert_eq!(
        (v["variant"].clone(), v["event"].clone()),
        (json!("b"), json!(false))
    );
}

#[test]
fn comparison_on_a_missing_input_raises_type_error() {
    let env = Env::new();
    let cfg = json!({"e": {"id": 1, "name": "e", "type": "single_variant", "start_ts": 0,
        "stop_ts": 4102444800u64, "experiment": {"variants": [{"name": "a", "size": 0.5},
        {"name": "b", "size": 0.5}], "experiment_version": 1, "shuffle_version": 0,
        "targeting": {"GT": {"field": "build", "value": 5}}}}});
    write(&env.path("experiments.json"), &cfg.to_string());
    let v = variant(&env, "e", "user_id=t2_1");
    assert_eq!(v["raises"], json!("TypeError"), "{v}");
    assert_eq!(v["event"], json!(false));
    let v = variant(&env, "e", "user_id=t2_1 build=7");
    assert_eq!(v["raises"], Value::Null, "{v}");
    assert_eq!(v["variant"], json!("a"));
    // The human form says so, and the exit code is 0: raising is the answer.
    let out = env.ok("variant e --file experiments.json user_id=t2_1");
    assert_contains(&out, "variant() raises TypeError");
}

#[test]
fn bad_inputs_and_unknown_experiments() {
    let env = Env::new();
    env.refuses("variant x user_id", 2, "not KEY=VALUE");
    env.refuses("variant x ids:=[1,", 2, "not JSON");
    env.refuses("variant x user=bob", 2, "cannot be an input");
    // Unknown in the store: exit 1 with the names there are.
    env.ok("experiment create checkout --type feature_rollout --id 5 --variant on=0.5");
    let err = env.refuses(
        "variant chekout user_id=t2_1",
        1,
        "baseplate experiment 'chekout' not found",
    );
    assert_contains(&err, "checkout");
}

fn stored_config(env: &Env, key: &str) -> Value {
    let text: String = env.one_with(
        "SELECT config FROM wafflectl_baseplate WHERE key = ?1",
        [key],
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn create_writes_what_every_consumer_accepts() {
    let env = Env::new();
    env.ok("experiment create checkout_v2 --type multi_variant --id 4242 --owner growth --variant a=0.1 --variant b=0.1 --variant c=0.1 --start 2026-01-01 --stop 1798761600");
    let c = stored_config(&env, "checkout_v2");
    let text = serde_json::to_string(&c).unwrap();
    assert_eq!(
        text,
        r#"{"id":4242,"name":"checkout_v2","owner":"growth","version":"1","type":"multi_variant","start_ts":1767225600,"stop_ts":1798761600,"enabled":true,"experiment":{"variants":[{"name":"a","size":0.1},{"name":"b","size":0.1},{"name":"c","size":0.1}],"experiment_version":1,"shuffle_version":0,"bucket_val":"user_id","log_bucketing":true}}"#
    );
    // Legacy types: percentages, PARAM=V1,V2 targeting, PARAM:VALUE=VARIANT overrides.
    env.ok("experiment create search_r2 --type r2 --id 7 --variant treat=10 --target logged_in=true --override user_name:gary=treat --seed s1");
    let c = stored_config(&env, "search_r2");
    assert_eq!(
        c["experiment"],
        json!({"variants": {"treat": 10}, "targeting": {"logged_in": [true]},
               "overrides": {"user_name": {"gary": "treat"}}, "bucket_val": "user_id", "seed": "s1"})
    );
    // range_variant: NAME=START..END; simple targeting and overrides as JSON trees.
    env.ok(concat!(
        "experiment create ranges --type range_variant --id 8",
        " --variant x=0..0.25 --variant y=0.5..0.75",
        r#" --target {"EQ":{"field":"logged_in","value":true}}"#,
        r#" --override x={"EQ":{"field":"user_id","values":["t2_1"]}}"#,
    ));
    let c = stored_config(&env, "ranges");
    assert_eq!(
        c["experiment"]["variants"],
        json!([{"name": "x", "range_start": 0, "range_end": 0.25},
               {"name": "y", "range_start": 0.5, "range_end": 0.75}])
    );
    assert_eq!(
        c["experiment"]["overrides"],
        json!([{"x": {"EQ": {"field": "user_id", "values": ["t2_1"]}}}])
    );
    // The default window is now .. now + 30 days (WAFFLECTL_NOW is 2026-01-02T03:04:05Z).
    assert_eq!(c["start_ts"], json!(1767323045));
    assert_eq!(c["stop_ts"], json!(1767323045 + 30 * 86400));
    // Asking the store gives what the file gives.
    let v = env.json("variant ranges user_id=t2_1 logged_in=true");
    assert_eq!(v["variant"], json!("x"), "{v}");
}

#[test]
fn authoring_refuses_what_baseplate_rejects_and_leaves_the_store_unchanged() {
    let env = Env::new();
    let bad = [
        "--type single_variant --variant a=0.75 --variant b=0.75",
        "--type single_variant --variant a=0.5",
        "--type multi_variant --variant a=0.5 --variant b=0.5",
        "--type feature_rollout --variant on=1.05",
        "--type feature_rollout --variant on=0.5 --experiment-version 0",
        "--type feature_flag --variant treat=10 --target logged_in=true",
        "--type range_variant --variant a=0..0.75 --variant b=0..0.75",
        "--type feature_rollout --variant on=0.5 --target {",
        r#"--type feature_rollout --variant on=0.5 --target '{"EQ":{"field":"x"}}'"#,
        "--type feature_rollout --variant on --target {}",
        "--type r2 --variant a=10 --bucket-seed x",
        "--type feature_rollout --variant on=0.5 --seed x",
        "--type feature_rollout --variant on=0.5 --stop 'not a date'",
    ];
    for extra in bad {
        let err = env.fails_unchanged(&format!("experiment create e --id 3 {extra}"), 2);
        assert!(err.lines().count() <= 2, "{err}");
    }
    // Accepted with a warning: it does nothing useful.
    let r = env
        .run("experiment create caps --type feature_rollout --variant on=0.5 --bucket-val User_Id");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_contains(&r.stderr, "warning:");
    env.ok_saying(
        "experiment create lonely --type r2 --variant a=10",
        "warning:",
    );
}

#[test]
fn one_id_space_with_edx_experiments() {
    let env = Env::new();
    env.ok("experiment create course_experience.upsell --id 17");
    env.refuses(
        "experiment create bp --type feature_rollout --id 17 --variant on=0.5",
        1,
        "taken by experiment 'course_experience.upsell'",
    );
    env.ok("experiment create bp --type feature_rollout --id 18 --variant on=0.5");
    env.refuses(
        "experiment create x.y --id 18",
        1,
        "taken by baseplate experiment 'bp'",
    );
    let ids = env.json("experiment ids");
    assert_eq!(ids[1]["id"], json!(18));
    assert_eq!(ids[1]["baseplate"], json!(["bp"]));
    let table = env.ok("experiment ids");
    assert_contains(&table, "bp (baseplate)");
    // Without --id: the smallest free one.
    env.ok("experiment create auto --type feature_rollout --variant on=0.5");
    assert_eq!(stored_config(&env, "auto")["id"], json!(0));
    assert_eq!(env.ok("experiment next-id").trim(), "1");
    // One namespace: the same name cannot be both.
    env.refuses(
        "experiment create course_experience.upsell --type r2 --variant a=5",
        1,
        "edX experiment",
    );
}

#[test]
fn set_changes_only_what_is_given_with_audit_and_dry_run() {
    let env = Env::new();
    env.ok("experiment create e --type single_variant --id 3 --variant a=0.25 --variant b=0.25");
    let before = env.bytes();
    let out = env.ok("experiment set e --disabled --dry-run");
    assert_contains(&out, "would update experiment e");
    assert_eq!(env.bytes(), before);
    let r = env.run_ok("experiment set e --disabled --shuffle-version 2 --reason pause");
    // The change line names the fields that changed, and only those.
    assert_contains(
        &r.stderr,
        "updated experiment e: enabled: true → false, experiment.shuffle_version: 0 → 2",
    );
    let c = stored_config(&env, "e");
    assert_eq!(c["enabled"], json!(false));
    assert_eq!(c["experiment"]["shuffle_version"], json!(2));
    assert_eq!(c["experiment"]["variants"][0]["size"], json!(0.25));
    let h = env.json("history e");
    assert_eq!(h[0]["action"], json!("update"));
    assert_eq!(h[0]["reason"], json!("pause"));
    assert_eq!(h[1]["action"], json!("create"));
    // Unchanged is not recorded.
    let r = env.run("experiment set e --disabled");
    assert_contains(&r.stderr, "unchanged");
    // edX-only options are refused on a baseplate experiment, and the reverse.
    env.fails_unchanged("experiment set e --buckets 3", 2);
    env.ok("experiment create a.b");
    env.fails_unchanged("experiment set a.b --owner x", 2);
    // show, list and delete cover both systems.
    let show = env.json("experiment show e");
    assert_eq!(show["kind"], json!("baseplate"));
    assert_eq!(show["status"], json!("disabled"));
    let list = env.json("experiment list");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["type"], json!("single_variant"));
    env.ok("experiment delete e --yes");
    assert_eq!(env.count("experiment list"), 1);
}

#[test]
fn import_export_round_trip_keeps_the_file() {
    let env = Env::new();
    // The spec's vectors give three experiments ID 1; a store keeps one ID space (an import
    // refuses two experiments under one ID), so two of them get IDs of their own here.
    let file = SPEC_FILE
        .replace(r#""sv_none":{"id":1,"#, r#""sv_none":{"id":101,"#)
        .replace(r#""sv_zero":{"id":1,"#, r#""sv_zero":{"id":102,"#);
    assert_ne!(file, SPEC_FILE);
    write(&env.path("experiments.json"), &file);
    env.ok_saying(
        &["import", "--format", "baseplate", "experiments.json"],
        "15 added",
    );
    let out = env.path("out.json");
    env.ok("export --format baseplate -o out.json");
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let original: Value = serde_json::from_str(&file).unwrap();
    // Same keys in the same order, same values, integers and floats kept apart.
    assert_eq!(
        serde_json::to_string(&exported).unwrap(),
        serde_json::to_string(&original).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        env.ok("export --format baseplate -o out.json --mode 0600");
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Re-importing the export changes nothing; a second export is byte-identical.
    let r = env.run("import --format baseplate out.json");
    assert_contains(&r.stderr, "unchanged");
    let again = env.path("again.json");
    env.ok("export --format baseplate -o again.json");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    // The store answers as the file does.
    let v = env.json(&format!("variant mv user_id=t2_3 --now {T}"));
    assert_eq!(v["variant"], json!("a"));
    // The native export carries them too, and restores them.
    let native = env.path("native.json");
    env.ok("export -o native.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&native).unwrap()).unwrap();
    assert_eq!(doc["baseplate_experiments"], original);
    let fresh = Env::new();
    fresh.ok(&["import", native.to_str().unwrap()]);
    let back = fresh.path("back.json");
    fresh.ok("export --format baseplate -o back.json");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&back).unwrap());
}

#[test]
fn import_dry_run_diff_prune_and_bad_files() {
    let env = Env::new();
    let f = env.write("e.json", r#"{"a": {"id": 1, "name": "a", "type": "r2", "start_ts": 0, "stop_ts": 9999999999, "experiment": {"variants": {"x": 5}}},
                 "b": {"id": 2.0, "name": "b"}, "a": {"id": 1, "name": "a", "type": "r2", "start_ts": 0, "stop_ts": 9999999999, "experiment": {"variants": {"x": 6}}}}"#,
    );
    let before = env.bytes();
    let r = env.run_ok(&["import", "--format", "baseplate", "e.json", "--dry-run"]);
    assert_contains(&r.stdout, "+ experiment a");
    assert_contains(&r.stderr, "appears more than once");
    assert_eq!(env.bytes(), before);
    env.ok("import --format baseplate e.json");
    assert_eq!(
        stored_config(&env, "a")["experiment"]["variants"]["x"],
        json!(6)
    );
    assert!(stored_config(&env, "b")["id"].is_f64());
    write(
        &f,
        r#"{"a": {"id": 1, "name": "a", "type": "r2", "start_ts": 0, "stop_ts": 9999999999, "experiment": {"variants": {"x": 7}}}}"#,
    );
    let d = env.json("diff --format baseplate e.json --prune");
    assert_eq!(d["changed"][0]["name"], json!("a"));
    assert_eq!(d["removed"][0]["name"], json!("b"));
    env.ok("import --format baseplate e.json --prune --yes");
    assert_eq!(env.count("experiment list"), 1);
    for bad in ["[1, 2]", "{\"a\": ", "7", ""] {
        write(&f, bad);
        env.fails_unchanged("import --format baseplate e.json", 2);
    }
}

#[test]
fn lint_reports_each_experiment_and_fails_on_invalid_ones() {
    let env = spec_env();
    let file = env.path("experiments.json");
    let fs = file.to_str().unwrap();
    let r = env.run(&format!("lint experiments.json --now {T}"));
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_contains(&r.stderr, "1 of 15 experiments are invalid");
    let lines = env
        .cmd()
        .args(["lint", fs, "--now", T, "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&lines.stdout).unwrap();
    let find = |key: &str, level: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .any(|l| l["key"] == json!(key) && l["level"] == json!(level))
    };
    assert!(find("bad_id", "invalid"));
    assert!(find("expired_sv", "disabled"));
    assert!(find("disabled_sv_go", "disabled"));
    assert!(find("unknown_type", "unknown_type"));
    assert!(find("sv_none", "trap"), "missing shuffle_version is a trap");
    assert!(find("r2_test", "trap") || find("r2_capped", "trap") || find("tgt", "trap"));
    // A clean file: exit 0.
    let good = env.write("good.json", r#"{"e": {"id": 1, "name": "e", "owner": "o", "version": "1", "type": "feature_rollout", "start_ts": 0, "stop_ts": 4102444800, "enabled": true, "experiment": {"variants": [{"name": "on", "size": 0.5}], "experiment_version": 1, "shuffle_version": 0, "bucket_val": "user_id", "log_bucketing": true}}}"#,
    );
    env.ok(&format!("lint good.json --now {T}"));
    write(&good, "[]");
    env.fails("lint good.json", 2);
}

#[test]
fn bulk_equals_single_and_summarises() {
    let env = spec_env();
    let users: String = (0..300).map(|i| format!("t2_{i}\n")).collect();
    env.write("ids.txt", &format!("\u{feff}{}\r\n\n", users.trim_end()));
    for key in ["r2_capped", "mv", "rv", "tgt", "content"] {
        let out = env.ok(&format!(
            "variant {key} --file experiments.json --now {T} --users-file ids.txt logged_in=true build=100 --json"
        ));
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 300, "{key}");
        for (i, l) in lines.iter().enumerate().step_by(37) {
            let user = format!("t2_{i}");
            assert_eq!(l["value"], json!(user));
            let field = if key == "content" {
                "content_id"
            } else {
                "user_id"
            };
            let single = variant(
                &env,
                key,
                &format!("{field}={user} logged_in=true build=100"),
            );
            assert_eq!(l["variant"], single["variant"], "{key} {user}");
            assert_eq!(l["bucket"], single["bucket"], "{key} {user}");
        }
    }
    let tsv = env.ok(&format!(
        "variant mv --file experiments.json --now {T} --users-file ids.txt"
    ));
    assert!(tsv.starts_with("t2_0\t\nt2_1\t\nt2_2\tb\n"), "{tsv}");
    let s = env.json(&format!(
        "variant mv --file experiments.json --now {T} --users-file ids.txt --summary"
    ));
    assert_eq!(s["values"], json!(300));
    let total: u64 = s["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["values"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 300);
    assert!(s["chi_square"]["p_value"].as_f64().is_some(), "{s}");
}

#[test]
fn file_commands_need_no_store() {
    let env = Env::empty();
    write(&env.path("experiments.json"), SPEC_FILE);
    let v = variant(&env, "mv", "user_id=t2_3");
    assert_eq!(v["variant"], json!("a"));
    env.write("ids.txt", "t2_3\nt2_4\n");
    let out = env.ok(&format!(
        "variant mv --file experiments.json --now {T} --users-file ids.txt"
    ));
    assert_eq!(out, "t2_3\ta\nt2_4\tc\n");
    env.fails(&format!("lint experiments.json --now {T}"), 1);
    assert!(!env.db.exists(), "no store was created");
}
