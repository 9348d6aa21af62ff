//! One change report: a write command and import list their changes on stderr alike (the first
//! 20, then how many more the audit log holds).

use crate::common;

use common::*;

#[test]
fn import_counts_the_changes_it_does_not_list_as_every_write_does() {
    let env = Env::new();
    for i in 0..23 {
        env.ok(&format!("switch create s{i:02}"));
    }
    let file = env.path("all.json");
    env.ok(&format!("export -o {}", file.display()));
    let delete = (0..23)
        .map(|i| format!("s{i:02}"))
        .collect::<Vec<_>>()
        .join(" ");
    let deleted = env.run_ok(&format!("switch delete {delete} --yes"));
    assert_contains(
        &deleted.stderr,
        "... and 3 more changes (see wafflectl history)",
    );
    let imported = env.run_ok(&format!("import {}", file.display()));
    assert_contains(
        &imported.stderr,
        "... and 3 more changes (see wafflectl history)",
    );
    assert_eq!(
        imported
            .stderr
            .lines()
            .filter(|l| l.starts_with("created switch"))
            .count(),
        20,
        "{}",
        imported.stderr
    );
}
