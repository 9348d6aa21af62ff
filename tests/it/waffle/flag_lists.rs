//! `flag set --remove-user/--remove-group` of a name the flag does not list: one warning each,
//! users and groups worded alike, and the names it does list are removed.

use crate::common;

use common::*;

#[test]
fn removing_unlisted_users_and_groups_warns_for_each() {
    let env = Env::new();
    env.ok("user add alice");
    env.ok("group add beta");
    env.ok("flag create f --add-user alice --add-group beta");
    let r = env.ok_saying(
        "flag set f --remove-user alice --remove-user carol --remove-group beta --remove-group qa",
        "warning: user 'carol' was not in flag f's list",
    );
    assert_contains(&r.stderr, "warning: group 'qa' was not in flag f's list");
    assert_eq!(
        r.stderr.matches("was not in flag").count(),
        2,
        "{}",
        r.stderr
    );
    let shown = env.json("flag show f");
    assert_eq!(shown["users"], serde_json::json!([]));
    assert_eq!(shown["groups"], serde_json::json!([]));
}
