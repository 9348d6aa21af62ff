//! What `experiment whitelist` reads and writes beyond single flag rows: the members of a group
//! (whose users a bucket flag's group list forces) and a bucket flag saved with its audit row
//! only when it changed.

use super::Reader;

use super::Tx;
use super::toggles::{self, Flag};
use crate::error::Result;

/// The usernames of the members of `group`.
pub fn group_members(conn: &Reader, group: &str) -> Result<Vec<String>> {
    let names = conn.rows(
        "SELECT u.username FROM auth_user u JOIN auth_user_groups ug ON ug.user_id = u.id
         JOIN auth_group g ON g.id = ug.group_id WHERE g.name = ?1",
        [group],
        |r| r.get::<_, String>(0),
    )?;
    Ok(names)
}

/// Saves `f` (new or changed) and records it; nothing when unchanged. Returns whether it wrote.
pub fn save_flag_if_changed(tx: &mut Tx<'_>, before: Option<&Flag>, mut f: Flag) -> Result<bool> {
    let before_audit = before.map(Flag::audit);
    if before_audit.as_ref() == Some(&f.audit()) {
        return Ok(false);
    }
    if before.is_some() {
        f.modified = tx.now_db.clone();
    }
    toggles::save_flag(tx, &f)?;
    let name = f.name.clone();
    tx.record("flag", &name, before_audit, Some(f.audit()))?;
    Ok(true)
}
