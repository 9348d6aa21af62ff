//! `wafflectl promote NAME|GLOB... --from A --to B`: the named objects of A, with what travels
//! with them, planned against B and applied there as `import` applies a file.

use crate::cli::{MutationArgs, PromoteArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::interop::model::{self, Plan, PlanOptions, State};

use super::compare::load_side;

/// The plan that makes the target `cur` hold `picked`: the experiments must keep their IDs, and
/// the users and groups the flags name must exist there (or be created with `--create-users`).
fn prepare(
    cur: &State,
    picked: &State,
    a: &PromoteArgs,
    labels: (&str, &str),
    now: &str,
) -> Result<Plan> {
    let (src, dst) = labels;
    model::check_same_ids(picked, cur, src, dst)?;
    let (users, groups) = model::missing_people(picked, cur);
    let mut want = picked.clone();
    if !users.is_empty() || !groups.is_empty() {
        if !a.create_users {
            let mut what = Vec::new();
            if !users.is_empty() {
                what.push(format!(
                    "user{} {}",
                    if users.len() == 1 { "" } else { "s" },
                    users.join(", ")
                ));
            }
            if !groups.is_empty() {
                what.push(format!(
                    "group{} {}",
                    if groups.len() == 1 { "" } else { "s" },
                    groups.join(", ")
                ));
            }
            return Err(Error::runtime(format!(
                "{dst} lacks what the promoted flags name: {}",
                crate::error::cut(&what.join("; "))
            ))
            .with_hint(
                "create them there first, or pass --create-users (plain active users with an unusable password, and the groups)",
            ));
        }
        let (users, groups) = model::plain_people(&users, &groups, now);
        want.users = Some(users);
        want.groups = Some(groups);
    }
    let opts = PlanOptions {
        prune: false,
        create_only: a.create_only,
    };
    model::plan_with(cur, &want, &opts, now, src)
}

pub(crate) fn run(ctx: &Ctx, a: PromoteArgs) -> Result<()> {
    let source = load_side(ctx, &a.from)?;
    let picked = model::select(&source.state, &a.names)?;
    let target = ctx.with_store(&a.to)?;
    let dst = super::store_label(&a.to);
    let labels = (source.label.as_str(), dst.as_str());
    let mut store = target.store().map_err(|e| target.name_db(e))?;
    if a.m.dry_run {
        let cur = State::load(&*store.snapshot()?)?;
        let plan = prepare(&cur, &picked, &a, labels, &crate::time::to_db(&target.now))?;
        return super::interop::print_plan(&target, &plan, " (dry run: nothing written)");
    }
    let reason = match &a.m.reason {
        Some(r) => format!("promote from {}: {r}", source.label),
        None => format!("promote from {}", source.label),
    };
    let m = MutationArgs {
        dry_run: false,
        reason: Some(reason),
        at: None,
    };
    let (plan, _) = super::write_quiet(&target, &mut store, &m, |tx| {
        let cur = State::load(tx)?;
        let plan = prepare(&cur, &picked, &a, labels, &tx.now_db)?;
        let pb = super::progress(ctx, plan.items.len() as u64, "promoting");
        model::apply(tx, &plan, || pb.inc(1))?;
        pb.finish_and_clear();
        Ok(plan)
    })?;
    let done = format!("promoted from {} to {dst}", source.label);
    super::interop::report_import(&target, &plan, &done, &source.label)
}
