//! Scheduled changes on MariaDB and PostgreSQL: two `schedule run` processes at once apply
//! each due change exactly once, and a change whose object changed is skipped.

use super::{fresh_store, servers};
use crate::common::{self, assert_contains};

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn two_runners_at_once_apply_each_due_change_once_on_a_server() {
    const CHANGES: usize = 60;
    const LATER: &str = "2026-02-01T00:00:00Z";
    for (server, url) in servers() {
        let env = fresh_store(server, &url, &["init", "flag create drifted"]);
        let env = &env;
        std::thread::scope(|s| {
            for t in 0..4 {
                s.spawn(move || {
                    for i in (t..CHANGES).step_by(4) {
                        env.ok(format!("switch create s{i:03}").as_str());
                        env.ok(
                            format!("switch on s{i:03} --at 'in {} minutes'", 1 + i % 7).as_str()
                        );
                    }
                });
            }
        });
        env.ok("flag on drifted --at 'in 1 hour'");
        env.ok("flag set drifted --percent 5");
        assert_eq!(env.count("schedule list"), CHANGES + 1, "{server:?}");
        let runs: Vec<common::Run> = std::thread::scope(|s| {
            let run = || env.run_with_env("WAFFLECTL_NOW", LATER, "schedule run --no-admin-log");
            let a = s.spawn(run);
            let b = s.spawn(run);
            vec![a.join().unwrap(), b.join().unwrap()]
        });
        // the drifted change is reported (exit 1) by the one runner that marked it skipped
        let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
        assert!(
            codes == [0, 1] || codes == [1, 0],
            "{server:?}: {codes:?}\n{}\n{}",
            runs[0].stderr,
            runs[1].stderr
        );
        let skipped: Vec<&common::Run> = runs.iter().filter(|r| r.code == 1).collect();
        assert_contains(&skipped[0].stderr, "skipped #");
        assert_contains(&skipped[0].stderr, "percent: null → 5.0");
        let applied: usize = runs
            .iter()
            .map(|r| r.stderr.matches("applied #").count())
            .sum();
        assert_eq!(
            applied, CHANGES,
            "{server:?}: each change reported applied once"
        );
        let history = env.json("history --limit 0");
        for i in 0..CHANGES {
            let name = format!("s{i:03}");
            let updates = history
                .as_array()
                .unwrap()
                .iter()
                .filter(|h| h["object_name"] == name.as_str() && h["action"] == "update")
                .count();
            assert_eq!(updates, 1, "{server:?}: {name} changed {updates} times");
        }
        let all = env.json("schedule list --all");
        let states: Vec<&str> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["state"].as_str().unwrap())
            .collect();
        assert_eq!(states.iter().filter(|s| **s == "done").count(), CHANGES);
        assert_eq!(states.iter().filter(|s| **s == "skipped").count(), 1);
        assert_eq!(
            env.json("flag show drifted")["everyone"],
            serde_json::Value::Null
        );
    }
}
