//! One experiment ID space, everywhere: what `experiment create --id` refuses (an ID another
//! experiment of either system holds), `lint` reports in a file and `import` refuses (exit 2,
//! nothing written); what it only warns about (an ID that key-values or per-user rows use), an
//! import warns about the same way.

use crate::common;

use common::{Env, assert_contains, assert_lacks, map_rows};
use serde_json::{Value, json};

/// A valid r2 experiment config holding `id`.
fn r2(id: i64, name: &str) -> Value {
    json!({
        "id": id, "name": name, "owner": "o", "type": "r2", "version": "1",
        "start_ts": 0, "stop_ts": 4102444800_i64,
        "experiment": {
            "variants": {"treat": 10, "control": 10}, "seed": name,
            "targeting": {"logged_in": [true, false]}
        }
    })
}

fn experiments_file(env: &Env, name: &str, experiments: &[(&str, Value)]) {
    let mut m = serde_json::Map::new();
    for (k, v) in experiments {
        m.insert(k.to_string(), v.clone());
    }
    env.write(
        name,
        &serde_json::to_string_pretty(&Value::Object(m)).unwrap(),
    );
}

#[test]
fn lint_reports_two_experiments_under_one_id() {
    let env = Env::empty();
    experiments_file(
        &env,
        "shared.json",
        &[("a", r2(5, "a")), ("b", r2(6, "b")), ("c", r2(5, "c"))],
    );
    let lines = env.json("lint shared.json");
    let shared: Vec<&Value> = lines
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["rule"] == "id-shared")
        .collect();
    assert_eq!(shared.len(), 1, "{lines}");
    assert_eq!(shared[0]["key"], "c");
    assert_contains(shared[0]["message"].as_str().unwrap(), "experiment ID 5");
    assert_contains(shared[0]["message"].as_str().unwrap(), "'a'");
    let table = env.ok("lint shared.json");
    assert_contains(&table, "id-shared");
    // Distinct IDs: nothing to say.
    experiments_file(
        &env,
        "distinct.json",
        &[("a", r2(5, "a")), ("b", r2(6, "b"))],
    );
    let r = env.run_ok("lint distinct.json");
    assert_lacks(&r.stdout, "id-shared");
    assert_contains(&r.stderr, "nothing to report");
}

#[test]
fn import_refuses_a_file_with_two_experiments_under_one_id() {
    let env = Env::example();
    experiments_file(&env, "shared.json", &[("a", r2(5, "a")), ("c", r2(5, "c"))]);
    for verb in ["import", "diff"] {
        env.refuses(
            &[verb, "--format", "baseplate", "shared.json"],
            2,
            "shared.json: experiments 'a' and 'c' share experiment ID 5",
        );
    }
    // A native file with an edX definition and a baseplate experiment under one ID, too.
    env.ok("export -o native.json");
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("native.json")).unwrap()).unwrap();
    doc["baseplate_experiments"] = json!({"bp": r2(1, "bp")});
    env.write("native.json", &doc.to_string());
    env.refuses(
        "import native.json",
        2,
        "experiments 'example_namespace.example_flag' and 'bp' share experiment ID 1",
    );
}

#[test]
fn import_refuses_an_id_another_experiment_holds_in_the_store_as_create_does() {
    let env = Env::example();
    env.ok("experiment create held --type r2 --id 40 --variant treat=10 --variant control=10");
    // ID 1 is the edX example experiment's, ID 40 the baseplate experiment 'held''s.
    for (id, holder) in [
        (1, "experiment 'example_namespace.example_flag'"),
        (40, "baseplate experiment 'held'"),
    ] {
        let create = env.fails(
            &format!("experiment create newcomer --type r2 --id {id} --variant treat=10"),
            1,
        );
        assert_contains(&create, format!("experiment ID {id} is taken by {holder}"));
        experiments_file(&env, "new.json", &[("newcomer", r2(id, "newcomer"))]);
        let err = env.refuses(
            "import --format baseplate new.json",
            2,
            format!("new.json: experiment 'newcomer' has ID {id}, which {holder} in the store already uses"),
        );
        assert_contains(&err, "hint:");
    }
    // Taking over an ID is fine when the file moves its holder elsewhere in the same import.
    experiments_file(
        &env,
        "swap.json",
        &[("newcomer", r2(40, "newcomer")), ("held", r2(41, "held"))],
    );
    env.ok("import --format baseplate swap.json");
    let ids = env.json("experiment ids");
    let holders = map_rows(&ids, |u| {
        (u["id"].as_i64().unwrap(), u["baseplate"].clone())
    });
    assert!(holders.contains(&(40, json!(["newcomer"]))), "{ids}");
    assert!(holders.contains(&(41, json!(["held"]))), "{ids}");
    // Or when --prune removes its holder.
    experiments_file(&env, "alone.json", &[("solo", r2(41, "solo"))]);
    env.refuses(
        "import --format baseplate alone.json",
        2,
        "baseplate experiment 'held'",
    );
    env.ok("import --format baseplate alone.json --prune --yes");
    assert_eq!(env.json("experiment show solo")["kind"], "baseplate");
}

#[test]
fn an_id_only_key_values_or_data_use_is_taken_with_the_warning_create_gives() {
    let env = Env::example();
    env.ok("experiment kv set 70 enrollment_start 2026-01-01");
    env.ok("experiment data set 71 alice k v");
    for id in [70, 71] {
        // What create says about the ID, on a copy of the store.
        let copy = Env::empty();
        std::fs::copy(&env.db, &copy.db).unwrap();
        let create = copy.run_ok(&format!(
            "experiment create probe --type r2 --id {id} --variant treat=10"
        ));
        let warning = create
            .stderr
            .lines()
            .find(|l| l.starts_with("warning: experiment ID"))
            .expect("create warns")
            .to_string();
        let name = format!("imported{id}");
        experiments_file(&env, "kv.json", &[(name.as_str(), r2(id, &name))]);
        let r = env.run_ok("import --format baseplate kv.json");
        assert_contains(&r.stderr, warning.as_str());
        assert_eq!(
            env.json(&["experiment", "show", &name])["kind"],
            "baseplate"
        );
        // Read again, nothing changes and nothing is said.
        let again = env.run_ok("import --format baseplate kv.json");
        assert_lacks(&again.stderr, "warning:");
    }
}
