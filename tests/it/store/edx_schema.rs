//! The Open edX tables of a fresh store against the DDL of `spec/edx.md` Appendix A, as Django
//! 5.2's SQLite schema editor generates it: columns, declared types, NOT NULL, defaults, primary
//! keys, foreign keys, index names, uniqueness and indexed columns.

use crate::common;

use common::sql::{columns, index_columns, index_list};
use common::{Env, Sql};
use rusqlite::Connection;

/// Appendix A of `spec/edx.md`, verbatim.
const APPENDIX_A: &str = r#"
CREATE TABLE "waffle_utils_waffleflagcourseoverridemodel" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "change_date" datetime NOT NULL, "enabled" bool NOT NULL, "waffle_flag" varchar(255) NOT NULL, "course_id" varchar(255) NOT NULL, "override_choice" varchar(3) NOT NULL, "note" text NOT NULL, "changed_by_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "waffle_utils_waffleflagcourseoverridemodel_waffle_flag_d261aad1" ON "waffle_utils_waffleflagcourseoverridemodel" ("waffle_flag");
CREATE INDEX "waffle_utils_waffleflagcourseoverridemodel_course_id_e94a9fc3" ON "waffle_utils_waffleflagcourseoverridemodel" ("course_id");
CREATE INDEX "waffle_utils_waffleflagcourseoverridemodel_changed_by_id_28429bf5" ON "waffle_utils_waffleflagcourseoverridemodel" ("changed_by_id");
CREATE TABLE "waffle_utils_waffleflagorgoverridemodel" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "change_date" datetime NOT NULL, "enabled" bool NOT NULL, "waffle_flag" varchar(255) NOT NULL, "org" varchar(255) NOT NULL, "override_choice" varchar(3) NOT NULL, "note" text NOT NULL, "changed_by_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "waffle_utils_waffleflagorgoverridemodel_waffle_flag_1569d94e" ON "waffle_utils_waffleflagorgoverridemodel" ("waffle_flag");
CREATE INDEX "waffle_utils_waffleflagorgoverridemodel_org_8ffe16cd" ON "waffle_utils_waffleflagorgoverridemodel" ("org");
CREATE INDEX "waffle_utils_waffleflagorgoverridemodel_changed_by_id_01495c88" ON "waffle_utils_waffleflagorgoverridemodel" ("changed_by_id");
CREATE INDEX "waffle_org_and_waffle_flag" ON "waffle_utils_waffleflagorgoverridemodel" ("org", "waffle_flag");
CREATE TABLE "experiments_experimentdata" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "modified" datetime NOT NULL, "experiment_id" smallint unsigned NOT NULL CHECK ("experiment_id" >= 0), "key" varchar(255) NOT NULL, "value" text NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX "experiments_experimentdata_user_id_experiment_id_key_0ff27a32_uniq" ON "experiments_experimentdata" ("user_id", "experiment_id", "key");
CREATE INDEX "experiments_experimentdata_experiment_id_e816cee5" ON "experiments_experimentdata" ("experiment_id");
CREATE INDEX "experiments_experimentdata_user_id_bd6f4720" ON "experiments_experimentdata" ("user_id");
CREATE INDEX "user_experiment_id_idx" ON "experiments_experimentdata" ("user_id", "experiment_id");
CREATE TABLE "experiments_experimentkeyvalue" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "modified" datetime NOT NULL, "experiment_id" smallint unsigned NOT NULL CHECK ("experiment_id" >= 0), "key" varchar(255) NOT NULL, "value" text NOT NULL);
CREATE UNIQUE INDEX "experiments_experimentkeyvalue_experiment_id_key_15347f43_uniq" ON "experiments_experimentkeyvalue" ("experiment_id", "key");
CREATE INDEX "experiments_experimentkeyvalue_experiment_id_741d1a4b" ON "experiments_experimentkeyvalue" ("experiment_id");
CREATE TABLE "student_courseenrollment" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "course_id" varchar(255) NOT NULL, "created" datetime NULL, "is_active" bool NOT NULL, "mode" varchar(100) NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX "student_courseenrollment_user_id_course_id_5d34a47f_uniq" ON "student_courseenrollment" ("user_id", "course_id");
CREATE INDEX "student_courseenrollment_course_id_a6f93be8" ON "student_courseenrollment" ("course_id");
CREATE INDEX "student_courseenrollment_created_79829893" ON "student_courseenrollment" ("created");
CREATE INDEX "student_courseenrollment_user_id_4263a8e2" ON "student_courseenrollment" ("user_id");
"#;

const TABLES: [&str; 5] = [
    "waffle_utils_waffleflagcourseoverridemodel",
    "waffle_utils_waffleflagorgoverridemodel",
    "experiments_experimentdata",
    "experiments_experimentkeyvalue",
    "student_courseenrollment",
];

/// (index name, unique, origin, partial, indexed columns), sorted by name.
fn indexes(conn: &Connection, table: &str) -> Vec<(String, bool, String, bool, Vec<String>)> {
    index_list(conn, table)
        .into_iter()
        .map(|(name, unique, origin, partial)| {
            let cols = index_columns(conn, &name);
            (name, unique, origin, partial, cols)
        })
        .collect()
}

/// (referenced table, from column, to column, on update, on delete) of every foreign key.
fn foreign_keys(conn: &Connection, table: &str) -> Vec<(String, String, String, String, String)> {
    let mut v: Vec<_> = conn.all_with(
        r#"SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?1)"#,
        [table],
    );
    v.sort();
    v
}

fn reference() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    // The referenced table, so that the REFERENCES clauses resolve.
    conn.execute_batch(
        r#"CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT);"#,
    )
    .unwrap();
    conn.execute_batch(APPENDIX_A).unwrap();
    conn
}

#[test]
fn edx_tables_match_appendix_a() {
    let env = Env::new();
    let store = env.sql();
    let spec = reference();
    for t in TABLES {
        let want = columns(&spec, t);
        assert!(!want.is_empty(), "{t} missing from the reference DDL");
        assert_eq!(columns(&store, t), want, "columns of {t}");
        assert_eq!(indexes(&store, t), indexes(&spec, t), "indexes of {t}");
        assert_eq!(
            foreign_keys(&store, t),
            foreign_keys(&spec, t),
            "foreign keys of {t}"
        );
    }
}

#[test]
fn the_reference_is_what_the_spec_names() {
    // Guards the comparison above against a mangled copy of the DDL: spot-check a few facts the
    // spec states in prose (§3.1, §4.1).
    let spec = reference();
    let names: Vec<String> = indexes(&spec, "experiments_experimentdata")
        .into_iter()
        .map(|i| i.0)
        .collect();
    assert!(
        names.contains(&"user_experiment_id_idx".to_string()),
        "{names:?}"
    );
    let org = indexes(&spec, "waffle_utils_waffleflagorgoverridemodel");
    let combined = org
        .iter()
        .find(|i| i.0 == "waffle_org_and_waffle_flag")
        .unwrap();
    assert_eq!(
        combined.4,
        vec!["org".to_string(), "waffle_flag".to_string()]
    );
    let cols = columns(&spec, "experiments_experimentkeyvalue");
    let id = cols.iter().find(|c| c.0 == "experiment_id").unwrap();
    assert_eq!((id.1.as_str(), id.2), ("smallint unsigned", true));
}

#[test]
fn init_on_a_django_database_keeps_existing_edx_tables() {
    // A Django database that already has the edX tables (with a row): init adds what is missing
    // and leaves them alone.
    let env = Env::empty();
    let conn = Connection::open(&env.db).unwrap();
    conn.execute_batch(r#"CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);"#).unwrap();
    conn.execute_batch(APPENDIX_A).unwrap();
    conn.execute(
        "INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value) VALUES ('2020-01-01 00:00:00', '2020-01-01 00:00:00', 8, 'enrollment_start', '2020-01-01')",
        [],
    )
    .unwrap();
    drop(conn);
    env.ok("init");
    assert_eq!(env.json("experiment kv list 8")[0]["value"], "2020-01-01");
    assert_eq!(env.json("experiment next-id"), serde_json::json!({"id": 0}));
}
