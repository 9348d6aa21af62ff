//! `plan`, `apply` and `revert`: saved plans that refuse drift, and undoing audit rows.

use crate::common;

mod apply;
mod drift;
mod revert;

/// Two stores initialised separately (so with different identities): `staging`, the source,
/// and `prod`, the target the commands run on (its `--db`).
pub struct Stores {
    pub staging: common::Env,
    pub prod: common::Env,
}

impl Stores {
    /// Both stores set up with `both`, then staging with `staging` as well.
    pub fn new(both: &[&str], staging: &[&str]) -> Stores {
        let s = Stores {
            staging: common::Env::with(both),
            prod: common::Env::with(both),
        };
        for c in staging {
            s.staging.ok(*c);
        }
        s
    }

    /// The staging store's path, as `plan` takes it.
    pub fn source(&self) -> String {
        self.staging.db.display().to_string()
    }

    /// `plan STAGING EXTRA... -o plan.json` on prod (must succeed); returns the run.
    #[track_caller]
    pub fn plan(&self, extra: &[&str]) -> common::Run {
        let mut args = vec!["plan".to_string(), self.source()];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend(["-o".into(), "plan.json".into()]);
        self.prod.run_ok(&args)
    }

    /// The plan file as JSON.
    pub fn plan_file(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.prod.path("plan.json")).unwrap())
            .expect("plan JSON")
    }
}

/// The id of the newest audit row of `env`.
pub fn last_audit_id(env: &common::Env) -> i64 {
    env.json("history --limit 1")[0]["id"]
        .as_i64()
        .expect("an audit row")
}
