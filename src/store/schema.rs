//! Table definitions.
//!
//! Django's tables are created exactly as Django's migrations create them on SQLite (names, column
//! order, types, NOT NULL, index names), and only when missing: `init` on a Django database never
//! alters Django's own tables. wafflectl's own tables (`wafflectl_*`) evolve through the
//! append-only [`MIGRATIONS`] list; the schema version is the number of migrations applied and is
//! kept in `wafflectl_meta` (never `PRAGMA user_version`, which a Django database may own).

/// A Django table: its name and the statements that create it with its indexes.
pub struct DjangoTable {
    pub name: &'static str,
    /// The Django app whose migrations create it (as `django_migrations.app` names it).
    pub app: &'static str,
    pub ddl: &'static [&'static str],
}

/// Django-compatible tables, in creation order.
pub const DJANGO_TABLES: &[DjangoTable] = &[
    DjangoTable {
        name: "auth_group",
        app: "auth",
        ddl: &[
            r#"CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)"#,
        ],
    },
    DjangoTable {
        name: "auth_user",
        app: "auth",
        ddl: &[
            r#"CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)"#,
        ],
    },
    DjangoTable {
        name: "auth_user_groups",
        app: "auth",
        ddl: &[
            r#"CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE UNIQUE INDEX "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id")"#,
            r#"CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id")"#,
            r#"CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id")"#,
        ],
    },
    DjangoTable {
        name: "waffle_flag",
        app: "waffle",
        ddl: &[
            r#"CREATE TABLE "waffle_flag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "percent" decimal NULL, "testing" bool NOT NULL, "superusers" bool NOT NULL, "staff" bool NOT NULL, "authenticated" bool NOT NULL, "languages" text NOT NULL, "rollout" bool NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL, "everyone" bool NULL)"#,
            r#"CREATE INDEX "waffle_flag_created_4a6e8cef" ON "waffle_flag" ("created")"#,
        ],
    },
    DjangoTable {
        name: "waffle_flag_groups",
        app: "waffle",
        ddl: &[
            r#"CREATE TABLE "waffle_flag_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flag_id" integer NOT NULL REFERENCES "waffle_flag" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE INDEX "waffle_flag_groups_flag_id_c11c0c05" ON "waffle_flag_groups" ("flag_id")"#,
            r#"CREATE UNIQUE INDEX "waffle_flag_groups_flag_id_group_id_8ba0c71b_uniq" ON "waffle_flag_groups" ("flag_id", "group_id")"#,
            r#"CREATE INDEX "waffle_flag_groups_group_id_a97c4f66" ON "waffle_flag_groups" ("group_id")"#,
        ],
    },
    DjangoTable {
        name: "waffle_flag_users",
        app: "waffle",
        ddl: &[
            r#"CREATE TABLE "waffle_flag_users" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flag_id" integer NOT NULL REFERENCES "waffle_flag" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE INDEX "waffle_flag_users_flag_id_833c37b0" ON "waffle_flag_users" ("flag_id")"#,
            r#"CREATE UNIQUE INDEX "waffle_flag_users_flag_id_user_id_b46f76b0_uniq" ON "waffle_flag_users" ("flag_id", "user_id")"#,
            r#"CREATE INDEX "waffle_flag_users_user_id_8026df9b" ON "waffle_flag_users" ("user_id")"#,
        ],
    },
    DjangoTable {
        name: "waffle_sample",
        app: "waffle",
        ddl: &[
            r#"CREATE TABLE "waffle_sample" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "percent" decimal NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL)"#,
            r#"CREATE INDEX "waffle_sample_created_76198bd5" ON "waffle_sample" ("created")"#,
        ],
    },
    DjangoTable {
        name: "waffle_switch",
        app: "waffle",
        ddl: &[
            r#"CREATE TABLE "waffle_switch" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL UNIQUE, "active" bool NOT NULL, "note" text NOT NULL, "created" datetime NOT NULL, "modified" datetime NOT NULL)"#,
            r#"CREATE INDEX "waffle_switch_created_c004e77e" ON "waffle_switch" ("created")"#,
        ],
    },
    DjangoTable {
        name: "waffle_utils_waffleflagcourseoverridemodel",
        app: "waffle_utils",
        ddl: &[
            r#"CREATE TABLE "waffle_utils_waffleflagcourseoverridemodel" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "change_date" datetime NOT NULL, "enabled" bool NOT NULL, "waffle_flag" varchar(255) NOT NULL, "course_id" varchar(255) NOT NULL, "override_choice" varchar(3) NOT NULL, "note" text NOT NULL, "changed_by_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE INDEX "waffle_utils_waffleflagcourseoverridemodel_waffle_flag_d261aad1" ON "waffle_utils_waffleflagcourseoverridemodel" ("waffle_flag")"#,
            r#"CREATE INDEX "waffle_utils_waffleflagcourseoverridemodel_course_id_e94a9fc3" ON "waffle_utils_waffleflagcourseoverridemodel" ("course_id")"#,
            r#"CREATE INDEX "waffle_utils_waffleflagcourseoverridemodel_changed_by_id_28429bf5" ON "waffle_utils_waffleflagcourseoverridemodel" ("changed_by_id")"#,
        ],
    },
    DjangoTable {
        name: "waffle_utils_waffleflagorgoverridemodel",
        app: "waffle_utils",
        ddl: &[
            r#"CREATE TABLE "waffle_utils_waffleflagorgoverridemodel" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "change_date" datetime NOT NULL, "enabled" bool NOT NULL, "waffle_flag" varchar(255) NOT NULL, "org" varchar(255) NOT NULL, "override_choice" varchar(3) NOT NULL, "note" text NOT NULL, "changed_by_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE INDEX "waffle_utils_waffleflagorgoverridemodel_waffle_flag_1569d94e" ON "waffle_utils_waffleflagorgoverridemodel" ("waffle_flag")"#,
            r#"CREATE INDEX "waffle_utils_waffleflagorgoverridemodel_org_8ffe16cd" ON "waffle_utils_waffleflagorgoverridemodel" ("org")"#,
            r#"CREATE INDEX "waffle_utils_waffleflagorgoverridemodel_changed_by_id_01495c88" ON "waffle_utils_waffleflagorgoverridemodel" ("changed_by_id")"#,
            r#"CREATE INDEX "waffle_org_and_waffle_flag" ON "waffle_utils_waffleflagorgoverridemodel" ("org", "waffle_flag")"#,
        ],
    },
    DjangoTable {
        name: "experiments_experimentdata",
        app: "experiments",
        ddl: &[
            r#"CREATE TABLE "experiments_experimentdata" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "modified" datetime NOT NULL, "experiment_id" smallint unsigned NOT NULL CHECK ("experiment_id" >= 0), "key" varchar(255) NOT NULL, "value" text NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE UNIQUE INDEX "experiments_experimentdata_user_id_experiment_id_key_0ff27a32_uniq" ON "experiments_experimentdata" ("user_id", "experiment_id", "key")"#,
            r#"CREATE INDEX "experiments_experimentdata_experiment_id_e816cee5" ON "experiments_experimentdata" ("experiment_id")"#,
            r#"CREATE INDEX "experiments_experimentdata_user_id_bd6f4720" ON "experiments_experimentdata" ("user_id")"#,
            r#"CREATE INDEX "user_experiment_id_idx" ON "experiments_experimentdata" ("user_id", "experiment_id")"#,
        ],
    },
    DjangoTable {
        name: "experiments_experimentkeyvalue",
        app: "experiments",
        ddl: &[
            r#"CREATE TABLE "experiments_experimentkeyvalue" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "modified" datetime NOT NULL, "experiment_id" smallint unsigned NOT NULL CHECK ("experiment_id" >= 0), "key" varchar(255) NOT NULL, "value" text NOT NULL)"#,
            r#"CREATE UNIQUE INDEX "experiments_experimentkeyvalue_experiment_id_key_15347f43_uniq" ON "experiments_experimentkeyvalue" ("experiment_id", "key")"#,
            r#"CREATE INDEX "experiments_experimentkeyvalue_experiment_id_741d1a4b" ON "experiments_experimentkeyvalue" ("experiment_id")"#,
        ],
    },
    DjangoTable {
        name: "student_courseenrollment",
        app: "student",
        ddl: &[
            r#"CREATE TABLE "student_courseenrollment" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "course_id" varchar(255) NOT NULL, "created" datetime NULL, "is_active" bool NOT NULL, "mode" varchar(100) NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE UNIQUE INDEX "student_courseenrollment_user_id_course_id_5d34a47f_uniq" ON "student_courseenrollment" ("user_id", "course_id")"#,
            r#"CREATE INDEX "student_courseenrollment_course_id_a6f93be8" ON "student_courseenrollment" ("course_id")"#,
            r#"CREATE INDEX "student_courseenrollment_created_79829893" ON "student_courseenrollment" ("created")"#,
            r#"CREATE INDEX "student_courseenrollment_user_id_4263a8e2" ON "student_courseenrollment" ("user_id")"#,
        ],
    },
];

/// The Open edX apps among [`DJANGO_TABLES`]: on a Django site that never migrated one of
/// them (a plain Django site), `init` adds its tables; django-waffle's and auth's tables always
/// come from the site's migrations.
pub const EDX_APPS: &[&str] = &["waffle_utils", "experiments", "student"];

/// wafflectl's own tables. Append only: never edit or remove an entry; the schema version of a
/// store is the number of entries applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: metadata, audit log, experiment definitions.
    r#"
    CREATE TABLE IF NOT EXISTS "wafflectl_meta" ("key" text NOT NULL PRIMARY KEY, "value" text NOT NULL);
    CREATE TABLE "wafflectl_audit" (
        "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
        "at" text NOT NULL,
        "actor" text NOT NULL,
        "action" text NOT NULL,
        "object_kind" text NOT NULL,
        "object_name" text NOT NULL,
        "before" text NULL,
        "after" text NULL,
        "reason" text NOT NULL
    );
    CREATE INDEX "wafflectl_audit_object_name" ON "wafflectl_audit" ("object_name");
    CREATE INDEX "wafflectl_audit_at" ON "wafflectl_audit" ("at");
    CREATE TABLE "wafflectl_experiment" (
        "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
        "name" text NOT NULL UNIQUE,
        "kind" text NOT NULL,
        "num_buckets" integer NOT NULL CHECK ("num_buckets" >= 1),
        "experiment_id" integer NULL CHECK ("experiment_id" BETWEEN 0 AND 32767),
        "course_aware" bool NOT NULL,
        "note" text NOT NULL,
        "created" datetime NOT NULL,
        "modified" datetime NOT NULL
    );
    CREATE UNIQUE INDEX "wafflectl_experiment_experiment_id" ON "wafflectl_experiment" ("experiment_id") WHERE "experiment_id" IS NOT NULL;
    "#,
    // 2: baseplate experiments: the config object under its top-level key, verbatim (key order,
    // integers vs floats, fields wafflectl does not interpret), in file order. `name`, `exp_id`
    // and `type` are copies of the config's fields for lookups and listings.
    r#"
    CREATE TABLE "wafflectl_baseplate" (
        "key" text NOT NULL PRIMARY KEY,
        "position" integer NOT NULL,
        "name" text NULL,
        "exp_id" integer NULL,
        "type" text NULL,
        "config" text NOT NULL,
        "created" datetime NOT NULL,
        "modified" datetime NOT NULL
    );
    CREATE INDEX "wafflectl_baseplate_exp_id" ON "wafflectl_baseplate" ("exp_id");
    "#,
    // 3: scheduled changes (`--at`): the command line to run, when, who scheduled it and why,
    // the changes it was planned to make with each object's state then (`changes`, audit JSON),
    // its state (pending, done, skipped, cancelled, failed) and, once run, when and what came of
    // it (`result`, the audit row ids of the changes it made as a JSON array).
    r#"
    CREATE TABLE "wafflectl_schedule" (
        "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
        "due_at" text NOT NULL,
        "created_at" text NOT NULL,
        "scheduled_by" text NOT NULL,
        "command" text NOT NULL,
        "reason" text NOT NULL,
        "changes" text NOT NULL,
        "state" text NOT NULL,
        "ran_at" text NULL,
        "result" text NOT NULL,
        "audit_ids" text NOT NULL
    );
    CREATE INDEX "wafflectl_schedule_state_due" ON "wafflectl_schedule" ("state", "due_at");
    "#,
];

/// The schema version this binary writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// wafflectl's own tables on MySQL/MariaDB: the same migrations with that server's types
/// (`datetime(6)` as Django creates, keys as `varchar`, byte-order collation as on SQLite).
pub const MIGRATIONS_MYSQL: &[&str] = &[
    r#"
    CREATE TABLE IF NOT EXISTS "wafflectl_meta" ("key" varchar(191) NOT NULL PRIMARY KEY, "value" longtext NOT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
    CREATE TABLE "wafflectl_audit" (
        "id" bigint NOT NULL PRIMARY KEY AUTO_INCREMENT,
        "at" varchar(32) NOT NULL,
        "actor" longtext NOT NULL,
        "action" varchar(32) NOT NULL,
        "object_kind" varchar(32) NOT NULL,
        "object_name" longtext NOT NULL,
        "before" longtext NULL,
        "after" longtext NULL,
        "reason" longtext NOT NULL
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
    CREATE INDEX "wafflectl_audit_object_name" ON "wafflectl_audit" ("object_name"(191));
    CREATE INDEX "wafflectl_audit_at" ON "wafflectl_audit" ("at");
    CREATE TABLE "wafflectl_experiment" (
        "id" bigint NOT NULL PRIMARY KEY AUTO_INCREMENT,
        "name" varchar(255) NOT NULL UNIQUE,
        "kind" varchar(32) NOT NULL,
        "num_buckets" bigint NOT NULL CHECK ("num_buckets" >= 1),
        "experiment_id" integer NULL UNIQUE CHECK ("experiment_id" BETWEEN 0 AND 32767),
        "course_aware" bool NOT NULL,
        "note" longtext NOT NULL,
        "created" datetime(6) NOT NULL,
        "modified" datetime(6) NOT NULL
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
    "#,
    r#"
    CREATE TABLE "wafflectl_baseplate" (
        "key" varchar(255) NOT NULL PRIMARY KEY,
        "position" bigint NOT NULL,
        "name" longtext NULL,
        "exp_id" bigint NULL,
        "type" longtext NULL,
        "config" longtext NOT NULL,
        "created" datetime(6) NOT NULL,
        "modified" datetime(6) NOT NULL
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
    CREATE INDEX "wafflectl_baseplate_exp_id" ON "wafflectl_baseplate" ("exp_id")
    "#,
    r#"
    CREATE TABLE "wafflectl_schedule" (
        "id" bigint NOT NULL PRIMARY KEY AUTO_INCREMENT,
        "due_at" varchar(32) NOT NULL,
        "created_at" varchar(32) NOT NULL,
        "scheduled_by" longtext NOT NULL,
        "command" longtext NOT NULL,
        "reason" longtext NOT NULL,
        "changes" longtext NOT NULL,
        "state" varchar(16) NOT NULL,
        "ran_at" varchar(32) NULL,
        "result" longtext NOT NULL,
        "audit_ids" longtext NOT NULL
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
    CREATE INDEX "wafflectl_schedule_state_due" ON "wafflectl_schedule" ("state", "due_at")
    "#,
];

/// wafflectl's own tables on PostgreSQL: the same migrations with that server's types
/// (`timestamp with time zone` as Django creates, text in byte order as on SQLite).
pub const MIGRATIONS_POSTGRES: &[&str] = &[
    r#"
    CREATE TABLE IF NOT EXISTS "wafflectl_meta" ("key" text COLLATE "C" NOT NULL PRIMARY KEY, "value" text NOT NULL);
    CREATE TABLE "wafflectl_audit" (
        "id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        "at" text COLLATE "C" NOT NULL,
        "actor" text COLLATE "C" NOT NULL,
        "action" text NOT NULL,
        "object_kind" text NOT NULL,
        "object_name" text COLLATE "C" NOT NULL,
        "before" text NULL,
        "after" text NULL,
        "reason" text NOT NULL
    );
    CREATE INDEX "wafflectl_audit_object_name" ON "wafflectl_audit" ("object_name");
    CREATE INDEX "wafflectl_audit_at" ON "wafflectl_audit" ("at");
    CREATE TABLE "wafflectl_experiment" (
        "id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        "name" text COLLATE "C" NOT NULL UNIQUE,
        "kind" text NOT NULL,
        "num_buckets" bigint NOT NULL CHECK ("num_buckets" >= 1),
        "experiment_id" integer NULL UNIQUE CHECK ("experiment_id" BETWEEN 0 AND 32767),
        "course_aware" boolean NOT NULL,
        "note" text NOT NULL,
        "created" timestamp with time zone NOT NULL,
        "modified" timestamp with time zone NOT NULL
    )
    "#,
    r#"
    CREATE TABLE "wafflectl_baseplate" (
        "key" text COLLATE "C" NOT NULL PRIMARY KEY,
        "position" bigint NOT NULL,
        "name" text COLLATE "C" NULL,
        "exp_id" bigint NULL,
        "type" text NULL,
        "config" text NOT NULL,
        "created" timestamp with time zone NOT NULL,
        "modified" timestamp with time zone NOT NULL
    );
    CREATE INDEX "wafflectl_baseplate_exp_id" ON "wafflectl_baseplate" ("exp_id")
    "#,
    r#"
    CREATE TABLE "wafflectl_schedule" (
        "id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        "due_at" text COLLATE "C" NOT NULL,
        "created_at" text COLLATE "C" NOT NULL,
        "scheduled_by" text COLLATE "C" NOT NULL,
        "command" text NOT NULL,
        "reason" text NOT NULL,
        "changes" text NOT NULL,
        "state" text COLLATE "C" NOT NULL,
        "ran_at" text COLLATE "C" NULL,
        "result" text NOT NULL,
        "audit_ids" text NOT NULL
    );
    CREATE INDEX "wafflectl_schedule_state_due" ON "wafflectl_schedule" ("state", "due_at")
    "#,
];

/// The migrations of wafflectl's own tables on `backend` (one list per backend, entry for
/// entry the same change).
pub(crate) fn migrations(backend: super::Backend) -> &'static [&'static str] {
    match backend {
        super::Backend::Sqlite => MIGRATIONS,
        super::Backend::MySql => MIGRATIONS_MYSQL,
        super::Backend::Postgres => MIGRATIONS_POSTGRES,
    }
}

#[cfg(test)]
mod backend_tests {
    #[test]
    fn every_backend_has_the_same_number_of_migrations() {
        assert_eq!(super::MIGRATIONS_MYSQL.len(), super::MIGRATIONS.len());
        assert_eq!(super::MIGRATIONS_POSTGRES.len(), super::MIGRATIONS.len());
    }
}
