//! Named environments on MariaDB and PostgreSQL: `env check` connects to each server with the
//! password from a variable, a command or the private config file, reports its store, and
//! never shows a password; `--env` writes there, protected or not.

use crate::common;

use common::{Env, assert_contains, assert_lacks};

use super::{fresh_store, servers, without_password};

/// The URL's password, decoded.
fn password_of(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    let raw = u.password().expect("the test URL holds a password");
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

#[test]
#[ignore = "needs MariaDB, PostgreSQL and Redis: .ci/run sets WAFFLECTL_TEST_MYSQL_URL, WAFFLECTL_TEST_PG_URL and WAFFLECTL_TEST_REDIS_ACL_URL and runs it"]
fn env_check_reaches_each_server_with_each_password_source() {
    let acl = std::env::var("WAFFLECTL_TEST_REDIS_ACL_URL")
        .expect("WAFFLECTL_TEST_REDIS_ACL_URL is not set (.ci/run sets it)");
    let cache_pw = password_of(&acl);
    for (server, url) in servers() {
        let store = fresh_store(
            server,
            &url,
            &["init", "flag create beta", "switch create maintenance"],
        );
        let id = store.json("init")["store_id"].as_str().unwrap().to_string();
        let pw = password_of(&url);
        let bare = without_password(&url);
        let env = Env::empty();
        let toml_str = |s: &str| serde_json::to_string(s).unwrap();
        crate::env::write_mode(
            &env.path("wafflectl.toml"),
            &format!(
                "[environments.by_var]\ndb = {db}\npassword_env = \"SRV_PW\"\ncache = {cache}\n\n\
                 [environments.by_command]\ndb = {db}\npassword_command = [\"printf\", \"%s\", {pw}]\n\n\
                 [environments.by_file]\ndb = {db}\npassword = {pw}\nprotected = true\n",
                db = toml_str(&bare),
                pw = toml_str(&pw),
                cache = toml_str(&acl),
            ),
            0o600,
        );
        let vars = [("SRV_PW", pw.as_str())];
        let r = env.run_bare("env check --json", &vars);
        assert_eq!(r.code, 0, "{server:?}: {}\n{}", r.stdout, r.stderr);
        for text in [&r.stdout, &r.stderr] {
            assert_lacks(text, &pw);
            assert_lacks(text, &cache_pw);
        }
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let backend = match server {
            super::Server::MySql => "mysql",
            super::Server::Postgres => "postgres",
        };
        for row in v.as_array().unwrap() {
            assert_eq!(row["ok"], true, "{server:?}: {row}");
            assert_eq!(row["backend"], backend);
            assert_eq!(row["store_id"], id.as_str(), "{server:?}: {row}");
            assert_eq!(row["counts"]["flags"], 1);
            assert_eq!(row["counts"]["switches"], 1);
        }
        assert_contains(v[0]["cache"].as_str().unwrap(), "ok (redis://");
        assert_eq!(v[1]["cache"], "-");
        // the table, and env list, never show a password either
        for args in ["env check", "env list", "env list --json"] {
            let r = env.run_bare(args, &vars);
            assert_eq!(r.code, 0, "{args}: {}", r.stderr);
            assert_lacks(&r.stdout, &pw);
            assert_lacks(&r.stdout, &cache_pw);
        }
        // --env writes there; the protected one only when confirmed
        let r = env.run_bare("--env by_command flag create gamma", &vars);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = env.run_bare("--env by_file --yes flag create delta", &vars);
        assert_eq!(r.code, 2, "{}", r.stderr);
        let r = env.run_bare(
            "--env by_file --yes --confirm-env by_file flag create delta",
            &vars,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let names: Vec<String> = store
            .json("flag list")
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["beta", "delta", "gamma"], "{server:?}");
        // a wrong password is the row's error, without it
        let r = env.run_bare("env check by_var --json", &[("SRV_PW", "not-the-password")]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_lacks(&r.stdout, "not-the-password");
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v[0]["ok"], false);
    }
}
