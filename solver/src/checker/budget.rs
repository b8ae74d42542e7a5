//! The budget (policy `budget`): the roster's day rates plus km × `cost_per_km` and its
//! expert person-days, recomputed from the crews and the travel model, stay within it.

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let instance = ix.instance;
    let Some(budget) = instance.policy.budget else {
        return;
    };
    let (days, rates) = ix.expert_days_and_rates(roster);
    let person_days: u32 = days.values().sum();
    let km = ix.road_km(roster);
    let cny = rates + km * instance.policy.cost_per_km;
    // A fen of rounding, as the reported cost is rounded to it.
    if let Some(limit) = budget.cny
        && cny > limit + 0.01
    {
        out.plan(
            "plan.over_budget",
            format!("the roster costs {cny:.2} CNY, over the budget of {limit:.2} CNY"),
        );
    }
    if let Some(limit) = budget.expert_days
        && person_days > limit
    {
        out.plan(
            "plan.over_budget",
            format!("the roster uses {person_days} expert-days, over the budget of {limit}"),
        );
    }
}
