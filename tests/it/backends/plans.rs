//! Saved plans across backends: a plan made from a SQLite staging store applies to MariaDB and
//! to PostgreSQL, a change on the server after planning is refused there, and revert works on
//! a server's audit log.

use super::{fresh_store, servers, without_password};
use crate::common::{Env, assert_contains, assert_lacks};

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn a_plan_from_sqlite_staging_applies_to_each_server_and_refuses_drift_there() {
    let staging = Env::example();
    staging.ok("flag create beta --everyone on --add-user alice");
    staging.ok("switch create maint --on");
    let source = staging.db.display().to_string();
    for (server, url) in servers() {
        let prod = fresh_store(server, &url, &["init"]);
        prod.run_ok(&["plan", &source, "-o", "plan.json"]);
        let text = std::fs::read_to_string(prod.path("plan.json")).unwrap();
        // The target is named without its password.
        assert_contains(&text, without_password(&url).as_str());
        assert_lacks(&text, url.as_str());
        let applied = prod.run_ok("apply plan.json");
        assert_contains(&applied.stderr, "applied plan.json:");
        assert_eq!(prod.json("flag show beta")["everyone"], true, "{server:?}");
        assert_eq!(
            prod.json("flag show beta")["users"],
            serde_json::json!(&["alice"])
        );
        assert_eq!(prod.json("switch show maint")["active"], true);
        let again = prod.run_ok(&["plan", &source, "-o", "again.json"]);
        assert_contains(&again.stderr, "no changes");

        // A change on the server after the plan was made: refused, nothing written.
        staging.ok("flag set beta --percent 30");
        prod.run_ok(&["plan", &source, "beta", "-o", "p2.json"]);
        prod.ok("flag set beta --note late");
        let held = prod.json("flag show beta");
        let err = prod.fails("apply p2.json", 1);
        assert_contains(&err, "flag beta: note: \"\" → late since the plan was made");
        assert_eq!(prod.json("flag show beta"), held, "nothing written");

        // Another store (a SQLite one) refuses the server's plan.
        let other = Env::new();
        std::fs::copy(prod.path("plan.json"), other.path("plan.json")).unwrap();
        other.refuses("apply plan.json", 1, "was made for store ws-");

        // Revert on the server: the note goes back.
        let id = prod.json("history --limit 1")[0]["id"].as_i64().unwrap();
        prod.run_ok(&["revert", &id.to_string()]);
        assert_eq!(prod.json("flag show beta")["note"], "");
        assert_eq!(
            prod.json("history --limit 1")[0]["reason"],
            format!("revert #{id}")
        );
    }
}
