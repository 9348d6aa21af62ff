//! Issue 12 item 4: one-line equivalents of django-waffle's management commands for deploy scripts.
use crate::common;

use common::Env;
use serde_json::json;

// ------------------------------------------------------------ waffle_switch NAME on|off --create

#[test]
fn switch_on_off_create_is_idempotent() {
    let env = Env::new();
    env.ok("switch on maint --create");
    assert_eq!(env.json("switch show maint")["active"], json!(true));
    env.ok_unchanged("switch on maint --create");
    env.ok("switch off maint --create");
    assert_eq!(env.json("switch show maint")["active"], json!(false));
    // created inactive by --create on off
    env.ok("switch off other --create");
    assert_eq!(env.json("switch show other")["active"], json!(false));
    let h = env.json("history other");
    assert_eq!(h.as_array().unwrap().len(), 1, "{h}");
}

#[test]
fn switch_on_without_create_still_fails_and_changes_nothing() {
    let env = Env::new();
    env.refuses("switch on missing", 1, "missing");
    env.fails_unchanged("switch on 'bad name!' --create", 2);
}

// ------------------------------------------------------------ waffle_sample NAME P --create

#[test]
fn sample_set_create_is_idempotent_and_takes_zero() {
    let env = Env::new();
    env.ok("sample set ab 33 --create");
    assert_eq!(env.json("sample show ab")["percent"], json!(33.0));
    env.ok_unchanged("sample set ab 33 --create");
    // waffle_sample cannot set 0; wafflectl can
    env.ok("sample set zero 0 --create");
    assert_eq!(env.json("sample show zero")["percent"], json!(0.0));
}

#[test]
fn sample_set_errors_change_nothing() {
    let env = Env::new();
    env.fails_unchanged("sample set nope 10", 1);
    env.fails_unchanged("sample set ab 101 --create", 2);
    env.fails_unchanged("sample set ab abc --create", 2);
}

// ------------------------------------------------------------ waffle_flag -u/-g (replace), --deactivate

fn with_people() -> Env {
    let env = Env::new();
    for u in ["alice", "bob", "carol"] {
        env.ok(&["user", "add", u]);
    }
    for g in ["beta", "staffers"] {
        env.ok(&["group", "add", g]);
    }
    env
}

#[test]
fn flag_users_and_groups_replace_the_lists() {
    let env = with_people();
    env.ok("flag create f --add-user carol --add-group beta");
    env.ok("flag set f --users alice,bob --groups staffers");
    let f = env.json("flag show f");
    assert_eq!(f["users"], json!(["alice", "bob"]));
    assert_eq!(f["groups"], json!(["staffers"]));
    env.ok_unchanged("flag set f --users bob,alice --groups staffers");
    env.ok("flag set f --users '' --groups ''");
    let f = env.json("flag show f");
    assert_eq!(f["users"], json!([]));
    assert_eq!(f["groups"], json!([]));
}

#[test]
fn flag_users_unknown_user_changes_nothing() {
    let env = with_people();
    env.ok("flag create f --add-user carol");
    env.refuses("flag set f --users alice,ghost", 1, "ghost");
    env.fails_unchanged("flag set f --users alice --add-user bob", 2);
    env.fails_unchanged("flag set f --groups beta --remove-group x", 2);
}

#[test]
fn flag_deactivate_is_everyone_off_and_idempotent() {
    let env = with_people();
    env.ok("flag set f --create --percent 47 --staff");
    env.ok("flag set f --deactivate");
    let f = env.json("flag show f");
    assert_eq!(f["everyone"], json!(false));
    env.ok_unchanged("flag set f --deactivate");
    env.ok("flag set new --deactivate --create");
    assert_eq!(env.json("flag show new")["everyone"], json!(false));
    env.fails_unchanged("flag set f --deactivate --everyone on", 2);
    env.fails_unchanged("flag set missing --deactivate", 1);
}

// ------------------------------------------------------------ waffle_delete

fn with_toggles() -> Env {
    let env = with_people();
    env.ok("flag create a --add-user alice --add-group beta");
    env.ok("flag create b");
    env.ok("switch create c");
    env.ok("sample create d 10");
    env
}

#[test]
fn delete_several_kinds_in_one_go_with_audit_rows() {
    let env = with_toggles();
    env.ok("delete --flags a,b --switches c --samples d --yes");
    assert_eq!(env.json("flag list"), json!([]));
    assert_eq!(env.json("switch list"), json!([]));
    assert_eq!(env.json("sample list"), json!([]));
    let h = env.json("history");
    let deletes: Vec<_> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == json!("delete"))
        .collect();
    assert_eq!(deletes.len(), 4, "{h}");
    // the M2M rows went with the flag
    let n: i64 = env.one("SELECT COUNT(*) FROM waffle_flag_users");
    assert_eq!(n, 0);
}

#[test]
fn delete_is_idempotent_like_waffle_delete() {
    let env = with_toggles();
    env.ok("delete --flags a --switches c --yes");
    let before = env.bytes();
    env.ok_saying("delete --flags a --switches c --yes", "skipped");
    assert!(env.bytes() == before, "deleting nothing changed the store");
    // repeated options add up, and a comma list works
    env.ok("delete --flags b --samples d --samples nope --yes");
    assert_eq!(env.json("flag list"), json!([]));
    assert_eq!(env.json("sample list"), json!([]));
}

#[test]
fn delete_errors_change_nothing() {
    let env = with_toggles();
    let n = env.audit_count();
    // no terminal and no --yes: one confirmation, refused
    env.refuses(
        "delete --flags a,b --switches c",
        2,
        "flag a, flag b, switch c",
    );
    // --strict: a missing name fails before anything is deleted
    env.fails_unchanged("delete --flags a,nope --strict --yes", 1);
    // nothing named, or an invalid name
    env.fails_unchanged("delete --yes", 2);
    env.fails_unchanged("delete --flags 'bad name!' --yes", 2);
    // --dry-run writes nothing
    env.ok_unchanged("delete --flags a --dry-run");
    assert_eq!(env.audit_count(), n);
    assert_eq!(env.count("flag list"), 2);
}
