//! `promote` from a SQLite store to MariaDB, then from MariaDB to PostgreSQL; `compare` finds
//! each pair equal afterwards, and a second promotion is unchanged.

use crate::common;

use super::{on_server, reset, servers, without_password};
use common::assert_contains;

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn promote_sqlite_to_mariadb_to_postgres_and_compare_each_pair_equal() {
    let lite = crate::promote::staging();
    let lite_db = lite.db.to_string_lossy().into_owned();
    // Both servers for the whole test: it promotes from one to the other.
    let mut turn = servers();
    let (mysql, mysql_url) = turn.next().expect("MariaDB");
    let (pg, pg_url) = turn.next().expect("PostgreSQL");
    for (server, url) in [(mysql, &mysql_url), (pg, &pg_url)] {
        reset(server, url);
        on_server(url).ok("init");
    }
    let env = on_server(&pg_url);
    let hops = [(&lite_db, &mysql_url), (&mysql_url, &pg_url)];
    for (from, to) in hops {
        let r = env.run(&["promote", "*", "--from", from, "--to", to, "--create-users"]);
        assert_eq!(
            r.code,
            0,
            "{} → {}: {}",
            without_password(from),
            without_password(to),
            r.stderr
        );
        assert_contains(&r.stderr, "promoted from");
    }
    for (a, b) in [
        (&lite_db, &mysql_url),
        (&mysql_url, &pg_url),
        (&lite_db, &pg_url),
        (&pg_url, &lite_db),
    ] {
        let r = env.run(&["compare", a, b, "--exit-code"]);
        assert_eq!(
            r.code,
            0,
            "{} vs {}:\n{}{}",
            without_password(a),
            without_password(b),
            r.stdout,
            r.stderr
        );
    }
    // Again: nothing to write, no audit row.
    let audit = env.json("history --limit 0").as_array().unwrap().len();
    let r = env.run(&["promote", "*", "--from", &mysql_url, "--to", &pg_url]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("unchanged"), "{}", r.stderr);
    let history = env.json("history --limit 0");
    assert_eq!(history.as_array().unwrap().len(), audit);
    // The audit reason names the source without its password.
    let reason = history[0]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        reason,
        format!("promote from {}", without_password(&mysql_url))
    );
    // A change on PostgreSQL shows against MariaDB.
    env.ok("switch off maintenance");
    let r = env.run(&["compare", &mysql_url, &pg_url, "--exit-code"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "~ switch maintenance: active: false → true\n");
}
