//! Flag removal: `refs`, `report` and `stale`.

mod refs;
mod report;
mod stale;
