//! The store on every backend: the same commands on a SQLite file, a MariaDB/MySQL database and
//! a PostgreSQL database print the same bytes and exit alike; servers' own failures (missing
//! Django tables, unreachable host, wrong password, missing database, read-only user) are
//! one-line errors; concurrent writers lose nothing.
//!
//! The servers come from `$WAFFLECTL_TEST_MYSQL_URL` and `$WAFFLECTL_TEST_PG_URL` (and the
//! read-only users' `…_RO_URL`), databases that Django's migrations have filled with its tables
//! (`.ci/run` starts the servers and runs `conformance/databases/run.sh` first). Each test
//! empties them before it starts. These tests are `#[ignore]` so that a plain `cargo test` needs
//! no server; `.ci/run` runs them with `--ignored`, and there a missing variable fails them: they
//! never pass having run nothing.

use crate::common;

mod env;
mod plans;
mod promote;
mod schedule;

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use common::{Env, Run, assert_contains};

/// Tests that use the servers take turns: they share one database per server.
static SERVERS: Mutex<()> = Mutex::new(());

/// The servers, one after the other, during a test's turn on them: the turn lasts as long as
/// the loop over them.
struct Turn {
    _held: MutexGuard<'static, ()>,
    servers: std::vec::IntoIter<(Server, String)>,
}

impl Iterator for Turn {
    type Item = (Server, String);

    fn next(&mut self) -> Option<Self::Item> {
        self.servers.next()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Server {
    MySql,
    Postgres,
}

impl Server {
    fn var(self) -> &'static str {
        match self {
            Server::MySql => "WAFFLECTL_TEST_MYSQL_URL",
            Server::Postgres => "WAFFLECTL_TEST_PG_URL",
        }
    }

    fn url(self) -> Option<String> {
        std::env::var(self.var()).ok().filter(|v| !v.is_empty())
    }

    fn read_only_url(self) -> String {
        self.companion_url("_RO_URL")
    }

    /// The URL of the server's user that may only log in over TLS.
    fn tls_url(self) -> String {
        self.companion_url("_TLS_URL")
    }

    fn companion_url(self, suffix: &str) -> String {
        let var = self.var().replace("_URL", suffix);
        std::env::var(&var).unwrap_or_else(|_| panic!("{var} is not set"))
    }
}

/// The servers to test against, with their URLs: both, always, once it is this test's turn. A
/// missing URL fails the test rather than let it pass having compared nothing.
fn servers() -> Turn {
    let held = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let servers: Vec<(Server, String)> = [Server::MySql, Server::Postgres]
        .into_iter()
        .map(|s| match s.url() {
            Some(url) => (s, url),
            None => panic!(
                "{} is not set: these tests run on MariaDB and PostgreSQL (.ci/run sets it)",
                s.var()
            ),
        })
        .collect();
    Turn {
        _held: held,
        servers: servers.into_iter(),
    }
}

/// Django's bookkeeping tables that stay as `migrate` left them; every other table is emptied.
const KEEP: &[&str] = &[
    "django_migrations",
    "django_content_type",
    "auth_permission",
];

/// Empties the server database: wafflectl's own tables dropped (so `init` starts afresh),
/// every Django table emptied with its ids restarted.
fn reset(server: Server, url: &str) {
    let (list, quote) = match server {
        Server::MySql => (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
            '`',
        ),
        Server::Postgres => (
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
            '"',
        ),
    };
    let (own, django): (Vec<String>, Vec<String>) = server_strings(server, url, list)
        .into_iter()
        .filter(|t| !KEEP.contains(&t.as_str()))
        .map(|t| format!("{quote}{t}{quote}"))
        .partition(|t| t[1..].starts_with("wafflectl_"));
    let mut statements = Vec::new();
    match server {
        Server::MySql => {
            statements.push("SET FOREIGN_KEY_CHECKS = 0".to_string());
            statements.extend(own.iter().map(|t| format!("DROP TABLE {t}")));
            statements.extend(django.iter().map(|t| format!("TRUNCATE TABLE {t}")));
        }
        Server::Postgres => {
            statements.extend(own.iter().map(|t| format!("DROP TABLE {t} CASCADE")));
            statements.push(format!(
                "TRUNCATE {} RESTART IDENTITY CASCADE",
                django.join(", ")
            ));
        }
    }
    run_sql(server, url, &statements);
}

/// The first column of every row `sql` returns from the server database, as text.
fn server_strings(server: Server, url: &str, sql: &str) -> Vec<String> {
    match server {
        Server::MySql => {
            use mysql::prelude::Queryable;
            let mut c = mysql::Conn::new(mysql::Opts::from_url(url).unwrap()).unwrap();
            c.query(sql).unwrap()
        }
        Server::Postgres => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect()
        }
    }
}

/// Runs statements on the server database (as Django or an admin would).
fn run_sql(server: Server, url: &str, statements: &[String]) {
    match server {
        Server::MySql => {
            use mysql::prelude::Queryable;
            let mut c = mysql::Conn::new(mysql::Opts::from_url(url).unwrap()).unwrap();
            for sql in statements {
                c.query_drop(sql).unwrap();
            }
        }
        Server::Postgres => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            for sql in statements {
                c.batch_execute(sql).unwrap();
            }
        }
    }
}

/// One value from the server database (as Django or an admin would read it).
fn server_count(server: Server, url: &str, sql: &str) -> i64 {
    match server {
        Server::MySql => {
            use mysql::prelude::Queryable;
            let mut c = mysql::Conn::new(mysql::Opts::from_url(url).unwrap()).unwrap();
            c.query_first::<i64, _>(sql).unwrap().unwrap()
        }
        Server::Postgres => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.query_one(sql, &[]).unwrap().get::<_, i64>(0)
        }
    }
}

/// A test folder whose commands run on the server database at `url`.
fn on_server(url: &str) -> Env {
    let mut env = Env::empty();
    env.db = PathBuf::from(url);
    env
}

/// The server's database emptied, then a store made there by `setup` (commands run in order,
/// each must succeed, the first normally `init`).
fn fresh_store(server: Server, url: &str, setup: &[&str]) -> Env {
    reset(server, url);
    let env = on_server(url);
    for cmd in setup {
        env.ok(*cmd);
    }
    env
}

/// The scenario every backend runs: each line a command (`!N ` before it: exit N expected),
/// covering every command family, reads and writes, single and bulk, and bad input.
const SCENARIO: &str = r#"
user add tester --superuser --staff
group add beta
group add qa
user add alice --email alice@example.com
user add bob --group beta --group qa
user add carol --staff
user add Dave
user set alice --add-group beta
group add empty_group --reason 'nobody yet'
group list
group list --json
user list
user list --json
user show bob
user enroll alice course-v1:edX+DemoX+Demo_Course --at 2020-03-01
user enroll bob edX/DemoX/Demo_Course
user enroll carol course-v1:edX+DemoX+Demo_Course --at '2021-06-15 10:30:00'
user show alice --json
flag create new_dashboard --percent 25 --note 'gradual'
flag create beta_ui --staff --add-group beta --note 'staff and beta testers'
flag create rollout.x --percent 12.5 --rollout
flag create Zeta
flag create zeta-b
flag create zeta_a
flag create zeta.c
flag set new_dashboard --no-staff --add-user alice --reason QA
flag set new_dashboard --percent 50
flag set maybe.new --everyone off --create
flag on beta_ui --reason launch
flag on beta_ui
flag off rollout.x --dry-run
flag unset beta_ui
flag list
flag list --json
flag list --prefix zeta
flag show new_dashboard
flag show new_dashboard --json
!1 flag show new_dashbord
!2 flag create bad --percent 101
!1 flag create new_dashboard
switch create maintenance
switch on maintenance
switch create ads --note 'third-party ads'
switch off ads
switch list
switch list --json
switch show maintenance --json
sample create ab_test 33
sample create log_sampling 0.5 --note 'request logging'
sample set ab_test 50.5
sample list
sample list --json
sample show ab_test
!2 sample set ab_test 100.5
experiment create course_experience.upsell --buckets 3 --id 17
experiment create course_experience.relative_dates --buckets 2 --id 18
experiment create exp.noid --buckets 4
experiment set exp.noid --buckets 5
experiment list
experiment list --json
experiment show course_experience.upsell
experiment show course_experience.upsell --json
experiment ids
experiment ids --json
experiment next-id
!1 experiment create other.exp --buckets 2 --id 17
experiment kv set 17 enrollment_start 2020-03-05
experiment kv set 17 enrollment_end 2030-06-01T00:00:00
experiment kv set 17 owner 'growth team'
experiment kv unset 17 owner --dry-run
experiment kv list 17
experiment kv list 17 --json
experiment data set 17 alice seen_upsell true
experiment data set 17 bob last_bucket 1 --reason QA
experiment data set 18 alice seen true
experiment data unset 18 alice seen
experiment data list 17
experiment data list --user alice --json
experiment whitelist add course_experience.upsell 1 --user alice
experiment whitelist add course_experience.upsell 2 --user bob
experiment whitelist add course_experience.upsell 1 --staff
experiment whitelist list course_experience.upsell
experiment whitelist list course_experience.upsell --json
experiment whitelist remove course_experience.upsell 1 --staff
override set course_experience.relative_dates --org edX on
override set course_experience.relative_dates --org edX off --note 'pilot ended'
override set course_experience.relative_dates --course course-v1:edX+DemoX+Demo_Course on
override set new_dashboard --course course-v1:edX+DemoX+Demo_Course off
override list
override list --history --json
override list course_experience.relative_dates
override clear course_experience.relative_dates --org edX --reason 'pilot over'
override list --json
bucket course_experience.upsell --user alice --course course-v1:edX+DemoX+Demo_Course
bucket course_experience.upsell --user bob --course course-v1:edX+DemoX+Demo_Course --json
bucket course_experience.upsell --user carol --course course-v1:edX+DemoX+Demo_Course
bucket course_experience.upsell --user Dave
bucket course_experience.relative_dates --user alice --course course-v1:edX+DemoX+Demo_Course
bucket course_experience.upsell --users-file users.txt --course course-v1:edX+DemoX+Demo_Course
bucket course_experience.upsell --users-file users.txt --course course-v1:edX+DemoX+Demo_Course --summary
bucket course_experience.upsell --users-file users.txt --json
eval new_dashboard --user alice
eval new_dashboard --user bob --json
eval beta_ui --user bob
eval maintenance
eval ab_test
eval no_such_toggle
experiment create checkout_v2 --type multi_variant --id 4242 --owner growth --variant a=0.1 --variant b=0.1 --variant c=0.1
experiment create search_r2 --type r2 --variant treat=10 --target logged_in=true --override user_name:gary=treat
experiment set checkout_v2 --variant a=0.2 --variant b=0.2 --variant c=0.2
experiment show checkout_v2 --json
experiment list
variant checkout_v2 user_id=t2_1 logged_in=true
variant checkout_v2 user_id=t2_2 --json
variant search_r2 user_id=t2_9 user_name=gary logged_in=true
variant checkout_v2 --users-file ids.txt --summary
experiment set checkout_v2 --disabled
variant checkout_v2 user_id=t2_1
experiment ids
export
export --format django --indent 1
export --format baseplate
export -o snapshot.json
flag on new_dashboard
flag delete zeta-b --yes
diff snapshot.json
diff snapshot.json --json
import snapshot.json --dry-run
import snapshot.json --prune --yes
diff snapshot.json
stale
stale --days 0 --json
history
history new_dashboard --limit 5
history --since 2026-01-01 --json
history course_experience.relative_dates
doctor
user unenroll bob edX/DemoX/Demo_Course
experiment whitelist remove course_experience.upsell 1 --user alice
experiment delete exp.noid --yes
experiment delete course_experience.upsell --with-flags --yes
delete --flags rollout.x,zeta_a --switches ads --yes
delete --samples log_sampling --dry-run
sample delete log_sampling --yes
switch delete maintenance --yes
group delete empty_group --yes
user delete Dave --yes
!1 user delete nobody --yes
flag list
experiment list --json
override list --history
history --limit 8
export --format django --indent 1
"#;

/// Files the scenario reads.
fn scenario_files(env: &Env) {
    let users: String = ["alice", "bob", "carol", "Dave", "nobody_here", "qa_1"]
        .iter()
        .map(|u| format!("{u}\n"))
        .chain((0..300).map(|i| format!("learner_{i:03}\n")))
        .collect();
    env.write("users.txt", &users);
    let ids: String = (0..500).map(|i| format!("t2_{i}\n")).collect();
    env.write("ids.txt", &ids);
}

/// `url` with the `:PASSWORD` after its user replaced by `by`.
fn password_replaced(url: &str, by: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}{by}{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

/// `url` without its password, as hints name the database (the password comes from
/// `$WAFFLECTL_DB_PASSWORD`).
fn without_password(url: &str) -> String {
    password_replaced(url, "")
}

/// The hint to run `init` names the same database, never its password.
#[track_caller]
fn assert_init_hint(err: &str, db: &str) {
    assert_contains(
        err,
        format!("hint: run: wafflectl --db {} init", without_password(db)),
    );
}

/// A command's outcome, with the store's location written `<DB>` (also as hints name it), and doctor's checks of the
/// SQLite file itself (integrity, foreign keys, journal mode: a server checks those itself)
/// left out.
fn transcript_entry(line: &str, r: &Run, db: &str) -> String {
    let clean = |s: &str| {
        s.replace(db, "<DB>")
            .replace(&without_password(db), "<DB>")
            .lines()
            .filter(|l| {
                !(line.starts_with("doctor")
                    && [
                        "integrity ",
                        "foreign keys ",
                        "journal mode ",
                        "store identity ",
                    ]
                    .iter()
                    .any(|c| l.starts_with(c)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "$ wafflectl {line}\n[exit {}]\n{}\n--- stderr\n{}\n",
        r.code,
        clean(&r.stdout),
        clean(&r.stderr)
    )
}

/// The store's location for messages: a URL's password masked.
fn shown(db: &str) -> String {
    password_replaced(db, ":***")
}

/// Runs the scenario; returns its transcript, checking each exit code as it goes.
fn run_scenario(env: &Env) -> Vec<String> {
    scenario_files(env);
    let db = env.db.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for line in SCENARIO.lines().filter(|l| !l.trim().is_empty()) {
        let (want, cmd) = match line.strip_prefix('!') {
            Some(rest) => {
                let (code, cmd) = rest.split_once(' ').unwrap();
                (code.parse::<i32>().unwrap(), cmd)
            }
            None => (0, line),
        };
        let r = env.run(cmd);
        assert_eq!(
            r.code,
            want,
            "{}: wafflectl {cmd}: exit {} (want {want})\nstdout: {}\nstderr: {}",
            shown(&db),
            r.code,
            r.stdout,
            r.stderr
        );
        out.push(transcript_entry(cmd, &r, &db));
    }
    out
}

/// Where two transcripts first differ, for the failure message.
fn first_difference(a: &[String], b: &[String]) -> Option<String> {
    a.iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("SQLite:\n{x}\nserver:\n{y}"))
        .or_else(|| (a.len() != b.len()).then(|| "different lengths".into()))
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn every_command_prints_the_same_on_every_backend() {
    // SQLite: a wafflectl store with Django admin's tables, as a Django database has them.
    let lite = Env::new();
    lite.with_admin_tables();
    let reference = run_scenario(&lite);
    // the scenario really ran: listings hold what it created
    let all = reference.concat();
    assert_contains(&all, "course_experience.relative_dates");
    assert_contains(&all, "checkout_v2");

    for (server, url) in servers() {
        reset(server, &url);
        let env = on_server(&url);
        let init = env.run("init");
        assert_eq!(init.code, 0, "{server:?} init: {}", init.stderr);
        let got = run_scenario(&env);
        if let Some(diff) = first_difference(&reference, &got) {
            panic!("{server:?} differs from SQLite:\n{diff}");
        }
        // Django admin's history has the same entries on the server as on SQLite
        let entries = server_count(server, &url, "SELECT count(*) FROM django_admin_log");
        let lite_entries: i64 =
            common::Sql::one(&lite.sql(), "SELECT count(*) FROM django_admin_log");
        assert!(lite_entries > 20, "{lite_entries} admin log entries");
        assert_eq!(entries, lite_entries, "{server:?}: django_admin_log rows");
    }
}

/// `url` with another database name (same server, user and password).
fn with_database(url: &str, database: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap();
    format!("{base}/{database}")
}

/// `url` with another password.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (userinfo, host) = rest.rsplit_once('@').unwrap();
    let user = userinfo.split(':').next().unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

/// Creates (afresh) an empty database on the server; returns its URL.
fn empty_database(server: Server, url: &str, name: &str) -> String {
    let quoted = match server {
        Server::MySql => format!("`{name}`"),
        Server::Postgres => format!("\"{name}\""),
    };
    run_sql(
        server,
        url,
        &[
            format!("DROP DATABASE IF EXISTS {quoted}"),
            format!("CREATE DATABASE {quoted}"),
        ],
    );
    with_database(url, name)
}

fn table_count(server: Server, url: &str) -> i64 {
    let sql = match server {
        Server::MySql => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
        }
        Server::Postgres => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    server_count(server, url, sql)
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn init_on_a_server_refuses_when_djangos_tables_are_missing_and_creates_nothing() {
    for (server, url) in servers() {
        let empty = empty_database(server, &url, "test_wafflectl_empty");
        let env = on_server(&empty);
        let err = env.fails("init", 1);
        assert_contains(
            &err,
            "the database lacks Django's tables: auth_group, auth_user, auth_user_groups, \
             waffle_flag, waffle_flag_groups, waffle_flag_users, waffle_sample, waffle_switch, \
             waffle_utils_waffleflagcourseoverridemodel, waffle_utils_waffleflagorgoverridemodel, \
             experiments_experimentdata, experiments_experimentkeyvalue, student_courseenrollment",
        );
        assert_contains(&err, "manage.py migrate");
        assert!(!err.contains(&url[url.find(':').unwrap() + 3..url.rfind('@').unwrap()]));
        assert_eq!(
            table_count(server, &empty),
            0,
            "{server:?}: init created tables"
        );
        // other commands say what the database is not
        let err = env.fails("flag list", 1);
        assert_contains(&err, "not a wafflectl store");
        assert_contains(&err, "init");
    }
}

/// A local port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn bad_connections_are_one_line_errors_naming_the_server_never_the_password() {
    for (server, url) in servers() {
        reset(server, &url);
        let password = {
            let rest = &url[url.find("://").unwrap() + 3..url.rfind('@').unwrap()];
            rest.split_once(':').unwrap().1.to_string()
        };
        let host_port = {
            let after = &url[url.rfind('@').unwrap() + 1..];
            after.split('/').next().unwrap().to_string()
        };
        let port = closed_port();
        let scheme = &url[..url.find("://").unwrap()];
        let cases = [
            (
                with_password(&url, "not-the-password"),
                "access denied for user 'wafflectl'".to_string(),
            ),
            (
                with_database(&url, "test_wafflectl_missing"),
                format!("there is no database 'test_wafflectl_missing' on {host_port}"),
            ),
            (
                format!("{scheme}://wafflectl:{password}@127.0.0.1:{port}/wafflectl"),
                format!("cannot connect to 127.0.0.1:{port}: connection refused"),
            ),
        ];
        for (bad, says) in cases {
            let env = on_server(&bad);
            for cmd in ["flag list", "flag on x", "init"] {
                let err = env.fails(cmd, 1);
                assert_contains(&err, &says);
                assert!(!err.contains(&password), "{server:?} {cmd}: {err}");
                assert!(!err.contains("not-the-password"), "{server:?} {cmd}: {err}");
                assert_eq!(
                    err.lines().next().map(|l| l.starts_with("error: ")),
                    Some(true)
                );
            }
        }
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn a_user_without_write_grants_reads_but_every_write_fails_and_leaves_nothing() {
    for (server, url) in servers() {
        let owner = fresh_store(server, &url, &["init", "flag create beta --everyone on"]);
        let reader = on_server(&server.read_only_url());
        assert_contains(&reader.ok("flag list"), "beta");
        for cmd in [
            "flag create gamma",
            "flag off beta",
            "user add alice",
            "experiment create a.b --buckets 2 --id 3",
        ] {
            let err = reader.fails(cmd, 1);
            assert_contains(&err, "the database refused the write");
            assert_contains(&err, "docs/databases.md");
        }
        let err = reader.fails("init", 1);
        assert!(err.starts_with("error: "), "{err}");
        // nothing was written: the flag is as the owner left it, and no audit row was added
        assert_contains(&owner.ok("flag show beta"), "on");
        assert_eq!(
            server_count(server, &url, "SELECT count(*) FROM waffle_flag"),
            1
        );
        assert_eq!(
            server_count(server, &url, "SELECT count(*) FROM wafflectl_audit"),
            1
        );
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn tls_is_used_when_the_url_asks_for_it_and_verify_modes_check_the_certificate() {
    for (server, url) in servers() {
        fresh_store(server, &url, &["init"]);
        // this user may only log in over TLS (.ci/servers.sh)
        let tls = server.tls_url();
        let plain = on_server(&format!("{tls}?sslmode=disable"));
        assert_contains(
            &plain.fails("flag list", 1),
            "access denied for user 'wafflectl_tls'",
        );
        for mode in ["require", "prefer"] {
            let env = on_server(&format!("{tls}?sslmode={mode}"));
            let r = env.run("flag list");
            assert_eq!(r.code, 0, "{server:?} sslmode={mode}: {}", r.stderr);
        }
        // the servers' certificates come from this run's own authority: verify-full refuses
        // them against the public web roots, and accepts them with that authority's
        // certificate as sslrootcert
        let env = on_server(&format!("{tls}?sslmode=verify-full"));
        let err = env.fails("flag list", 1);
        assert_contains(&err, "the TLS certificate of 127.0.0.1:");
        assert_contains(&err, "was refused");
        assert_contains(&err, "sslrootcert=CA.pem");
        assert_eq!(err.lines().count(), 2, "{err}");
        let ca = std::env::var("WAFFLECTL_TEST_TLS_CA").expect("WAFFLECTL_TEST_TLS_CA");
        let env = on_server(&format!("{tls}?sslmode=verify-full&sslrootcert={ca}"));
        let r = env.run("flag list");
        assert_eq!(
            r.code, 0,
            "{server:?} verify-full with the CA: {}",
            r.stderr
        );
        let env = on_server(&format!(
            "{tls}?sslmode=verify-full&sslrootcert=/no/such/ca.pem"
        ));
        assert_contains(
            &env.fails("flag list", 1),
            "sslrootcert /no/such/ca.pem: No such file or directory",
        );
    }
}

/// Adds users as Django would (direct rows), for tests that need many.
fn add_users(server: Server, url: &str, names: &[String]) {
    let values: Vec<String> = names
        .iter()
        .map(|n| {
            format!(
                "('', NULL, {f}, '{n}', '', '', '', {f}, {t}, '2026-01-01 00:00:00')",
                f = if server == Server::MySql {
                    "0"
                } else {
                    "false"
                },
                t = if server == Server::MySql { "1" } else { "true" },
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, \
         email, is_staff, is_active, date_joined) VALUES {}",
        values.join(", ")
    );
    run_sql(server, url, &[sql]);
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn eight_concurrent_writers_lose_no_update_and_audit_each_change_once() {
    const WRITERS: usize = 8;
    const TOGGLES: usize = 200;
    for (server, url) in servers() {
        let env = fresh_store(server, &url, &["init", "flag create shared"]);
        let names: Vec<String> = (0..WRITERS)
            .flat_map(|w| (0..TOGGLES).map(move |i| format!("w{w}_{i:03}")))
            .collect();
        add_users(server, &url, &names);
        // every writer toggles the same flag and adds its own users to it: a lost update
        // would drop a user, a double write would add an audit row
        let env = &env;
        std::thread::scope(|s| {
            for w in 0..WRITERS {
                s.spawn(move || {
                    for i in 0..TOGGLES {
                        let everyone = if i % 2 == 0 { "on" } else { "off" };
                        let r = env.run(&format!(
                            "flag set shared --everyone {everyone} --add-user w{w}_{i:03} --no-admin-log"
                        ));
                        assert_eq!(r.code, 0, "{server:?} writer {w} #{i}: {}", r.stderr);
                    }
                });
            }
        });
        let shown = env.json("flag show shared");
        let users = shown["users"].as_array().expect("users").len();
        assert_eq!(users, WRITERS * TOGGLES, "{server:?}: users on the flag");
        assert_eq!(
            server_count(server, &url, "SELECT count(*) FROM waffle_flag_users"),
            (WRITERS * TOGGLES) as i64
        );
        assert_eq!(
            server_count(
                server,
                &url,
                "SELECT count(*) FROM wafflectl_audit WHERE object_name = 'shared'"
            ),
            1 + (WRITERS * TOGGLES) as i64,
            "{server:?}: one audit row per change"
        );
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn a_command_killed_inside_its_transaction_leaves_nothing_and_frees_the_lock() {
    for (server, url) in servers() {
        let env = fresh_store(server, &url, &["init", "flag create held"]);
        let audit = server_count(server, &url, "SELECT count(*) FROM wafflectl_audit");
        // Another client (as Django admin would) holds flag `held`'s row: wafflectl's write
        // waits for it inside its transaction, where it is killed.
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let holder = {
            let url = url.clone();
            std::thread::spawn(move || match server {
                Server::MySql => {
                    use mysql::prelude::Queryable;
                    let mut c = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()).unwrap();
                    c.query_drop("START TRANSACTION").unwrap();
                    c.query_drop("SELECT * FROM waffle_flag WHERE name = 'held' FOR UPDATE")
                        .unwrap();
                    rx.recv().unwrap();
                    c.query_drop("ROLLBACK").unwrap();
                }
                Server::Postgres => {
                    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                    c.batch_execute(
                        "BEGIN; SELECT * FROM waffle_flag WHERE name = 'held' FOR UPDATE",
                    )
                    .unwrap();
                    rx.recv().unwrap();
                    c.batch_execute("ROLLBACK").unwrap();
                }
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(300));
        #[allow(deprecated)]
        let bin = assert_cmd::cargo::cargo_bin("wafflectl");
        let mut child = std::process::Command::new(bin)
            .env_remove("WAFFLECTL_DB")
            .env("WAFFLECTL_BUSY_TIMEOUT_MS", "60000")
            .args(["--db", &url, "flag", "on", "held", "--no-admin-log"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        assert!(
            child.try_wait().unwrap().is_none(),
            "{server:?}: the write did not wait for the held row"
        );
        child.kill().unwrap();
        child.wait().unwrap();
        tx.send(()).unwrap();
        holder.join().unwrap();
        // nothing of it was kept, and the next writer gets the lock at once
        assert_eq!(
            server_count(server, &url, "SELECT count(*) FROM wafflectl_audit"),
            audit,
            "{server:?}: audit rows"
        );
        let r = env.run_with_env("WAFFLECTL_BUSY_TIMEOUT_MS", "2000", "flag show held --json");
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            env.json("flag show held")["everyone"],
            serde_json::Value::Null
        );
        env.ok("flag on held --no-admin-log");
        assert_eq!(env.json("flag show held")["everyone"], true);
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn the_example_store_reads_the_same_on_every_backend() {
    const READS: &str = "flag list
flag list --json
experiment list
experiment show example_namespace.example_flag --json
experiment whitelist list example_namespace.example_flag
experiment kv list 1
override list --history
user list --json
bucket example_namespace.example_flag --user alice --course course-v1:edX+DemoX+Demo_Course
bucket example_namespace.example_flag --user bob --course course-v1:edX+DemoX+Demo_Course --json
eval example_namespace.example_flag --user alice
experiment ids
history
export --format django --indent 1
doctor";
    let read_all = |env: &Env| -> Vec<String> {
        let db = env.db.to_string_lossy().into_owned();
        READS
            .lines()
            .map(|cmd| {
                let r = env.run(cmd);
                assert_eq!(r.code, 0, "{}: {cmd}: {}", shown(&db), r.stderr);
                transcript_entry(cmd, &r, &db)
            })
            .collect()
    };
    let lite = Env::example();
    let reference = read_all(&lite);
    for (server, url) in servers() {
        let env = fresh_store(server, &url, &["init --example"]);
        if let Some(diff) = first_difference(&reference, &read_all(&env)) {
            panic!("{server:?} differs from SQLite:\n{diff}");
        }
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn a_cache_that_cannot_be_reached_after_a_server_write_is_a_warning_listing_the_keys() {
    for (server, url) in servers() {
        let env = fresh_store(server, &url, &["init"]);
        let cache = format!("redis://127.0.0.1:{}/0", closed_port());
        let r = env.run(&format!("flag create cached --everyone on --cache {cache}"));
        assert_eq!(r.code, 0, "{server:?}: {}", r.stderr);
        assert_contains(
            &r.stderr,
            format!(
                "warning: the change is committed, but the cache at {cache} could not be updated"
            ),
        );
        assert_contains(&r.stderr, "these 4 keys may be stale");
        // committed all the same
        assert_eq!(env.json("flag show cached")["everyone"], true);
    }
}

/// A flag, a switch and a user written into the server database as Django writes them.
fn django_rows(server: Server, url: &str) {
    run_sql(
        server,
        url,
        &[
            "INSERT INTO waffle_flag (name, percent, testing, superusers, staff, authenticated, \
             languages, rollout, note, created, modified, everyone) VALUES ('site_flag', NULL, \
             false, false, false, false, '', false, '', '2026-01-01 00:00:00', \
             '2026-01-01 00:00:00', true)"
                .to_string(),
            "INSERT INTO waffle_switch (name, active, note, created, modified) VALUES \
             ('site_switch', true, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                .to_string(),
            "INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, \
             email, is_staff, is_active, date_joined, first_name) VALUES ('!', NULL, false, \
             'alice', '', '', false, true, '2026-01-01 00:00:00', '')"
                .to_string(),
        ],
    );
}

/// The schema version wafflectl_meta holds on the server.
fn stored_version(server: Server, url: &str) -> String {
    let key = match server {
        Server::MySql => "`key`",
        Server::Postgres => "\"key\"",
    };
    server_strings(
        server,
        url,
        &format!("SELECT value FROM wafflectl_meta WHERE {key} = 'schema_version'"),
    )
    .concat()
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn reads_work_on_a_server_database_django_migrated_but_never_initialised() {
    for (server, url) in servers() {
        // Django's tables as the site's migrations left them, none of wafflectl's
        reset(server, &url);
        django_rows(server, &url);
        let tables = table_count(server, &url);
        for (who, db) in [("owner", url.clone()), ("reader", server.read_only_url())] {
            let env = on_server(&db);
            let at = format!("{server:?} as {who}");
            let flags = env.json("flag list");
            assert_eq!(flags[0]["name"], "site_flag", "{at}: {flags}");
            assert_contains(&env.ok("switch list"), "site_switch");
            assert_eq!(env.json("user show alice")["username"], "alice", "{at}");
            assert_eq!(env.json("experiment list"), serde_json::json!([]), "{at}");
            assert_eq!(
                env.json("eval site_flag --user alice")["active"],
                true,
                "{at}"
            );
            env.ok("bucket site_flag --user alice --buckets 2");
            assert_contains(&env.ok("export"), "site_flag");
            assert_contains(&env.ok("export --format django"), "site_switch");
            env.ok("experiment ids");
            env.ok("doctor");
            let h = env.run_ok("history");
            assert_contains(&h.stderr, "no audit log yet");
            assert_eq!(env.json("history"), serde_json::json!([]), "{at}");
            // a write (or its dry run) says to run init first, and writes nothing
            for cmd in [
                "flag create x",
                "flag off site_flag",
                "flag off site_flag --dry-run",
            ] {
                let err = env.fails(cmd, 1);
                assert_contains(&err, "a Django database without wafflectl's tables");
                assert_init_hint(&err, &db);
            }
        }
        assert_eq!(
            table_count(server, &url),
            tables,
            "{server:?}: a read added tables"
        );
        assert_eq!(
            server_count(server, &url, "SELECT count(*) FROM waffle_flag"),
            1
        );
        let on = on_server(&url).json("flag show site_flag");
        assert_eq!(on["everyone"], true, "{server:?}: {on}");
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn an_older_schema_on_a_server_is_read_as_it_is_and_migrated_by_the_first_write() {
    for (server, url) in servers() {
        let owner = fresh_store(server, &url, &["init", "flag create beta --everyone on"]);
        // the store as wafflectl's schema version 1 left it: no wafflectl_baseplate, no
        // wafflectl_schedule
        let key = if server == Server::MySql {
            "`key`"
        } else {
            "\"key\""
        };
        run_sql(
            server,
            &url,
            &[
                "DROP TABLE wafflectl_baseplate".to_string(),
                "DROP TABLE wafflectl_schedule".to_string(),
                format!("UPDATE wafflectl_meta SET value = '1' WHERE {key} = 'schema_version'"),
            ],
        );
        let tables = table_count(server, &url);
        let reader = on_server(&server.read_only_url());
        for (who, env) in [("reader", &reader), ("owner", &owner)] {
            let at = format!("{server:?} as {who}");
            assert_contains(&env.ok("flag list"), "beta");
            assert_eq!(env.json("experiment list"), serde_json::json!([]), "{at}");
            assert_eq!(env.count("history"), 1, "{at}");
            env.ok("export --format baseplate");
            env.ok("doctor");
            // a dry run would have to add the missing table: refused, with the way out
            let err = env.fails("flag off beta --dry-run", 1);
            assert_contains(&err, "schema version 1 is older");
            assert_contains(&err, "wafflectl_baseplate");
            assert_init_hint(&err, &env.db.to_string_lossy());
        }
        assert_eq!(
            table_count(server, &url),
            tables,
            "{server:?}: a read migrated"
        );
        assert_eq!(stored_version(server, &url), "1");
        // the reader's write is refused and migrates nothing
        reader.fails("flag off beta", 1);
        assert_eq!(stored_version(server, &url), "1");
        // the owner's first write brings the schema up to date, then writes
        owner.ok("flag off beta");
        // wafflectl_baseplate (schema version 2) and wafflectl_schedule (3)
        assert_eq!(table_count(server, &url), tables + 2);
        assert_ne!(stored_version(server, &url), "1");
        assert_eq!(owner.json("flag show beta")["everyone"], false);
        owner.ok("experiment create bp_exp --type r2 --id 9 --variant treat=10");
    }
}

#[test]
#[ignore = "needs MariaDB and PostgreSQL: .ci/run sets WAFFLECTL_TEST_MYSQL_URL and WAFFLECTL_TEST_PG_URL and runs it"]
fn a_dry_run_on_a_server_plans_for_the_owner_and_says_a_reader_needs_write_permission() {
    for (server, url) in servers() {
        let owner = fresh_store(server, &url, &["init", "flag create beta --everyone on"]);
        let planned = owner.ok("flag off beta --dry-run");
        assert_contains(&planned, "beta");
        let reader = on_server(&server.read_only_url());
        let err = reader.fails("flag off beta --dry-run", 1);
        assert_contains(
            &err,
            "a dry run on a server database makes the change in a transaction and rolls it back, \
             so it needs write permission",
        );
        assert_contains(&err, "hint: dry-run as a user with the grants");
        // nothing written by either
        assert_eq!(owner.json("flag show beta")["everyone"], true);
        assert_eq!(
            server_count(server, &url, "SELECT count(*) FROM wafflectl_audit"),
            1
        );
    }
}
