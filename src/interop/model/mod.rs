//! The store's content as plain rows ([`State`]), and the [`Plan`] an import carries out.
//!
//! Both file formats are read into a `State` (sections the file does not have are `None`), the
//! store is loaded into another, and [`plan`] compares them object by object: added, changed
//! (before → after, as the audit log shows it) and, with `--prune`, removed. `diff` and
//! `import --dry-run` print the plan; `import` applies it in one transaction ([`apply`]).
//!
//! [`state`] holds the rows, [`rec`] what the plan knows of each kind of row (identity, audit
//! record, how a file's row is completed), [`plan`] the comparison and [`apply`] the writes;
//! [`fingerprint`] what a saved plan read of the target and what changed since, [`restore`]
//! the removals `revert` adds to a plan.

mod apply;
mod fingerprint;
mod plan;
mod rec;
mod restore;
mod select;
mod state;

pub use crate::store::users::GroupRow;
pub use apply::apply;
pub use fingerprint::{Fingerprint, drift, fingerprints};
pub use plan::{Action, Item, Plan, PlanOptions, plan, plan_with};
pub use rec::Op;
pub use restore::{merge, removal};
pub use select::{check_same_ids, current_overrides, glob, missing_people, plain_people, select};
pub use state::State;
