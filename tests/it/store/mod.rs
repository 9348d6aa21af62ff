//! The store: its schema, rows written by others, Django admin history, `--db` URLs, databases
//! and files wafflectl does not own, and the row writers import shares with single commands.
//! (The same commands on MariaDB and PostgreSQL: `backends`.)

mod admin_log;
mod datetimes;
mod db_urls;
mod edx_schema;
mod raw_rows;
mod trust;
mod write_paths;
