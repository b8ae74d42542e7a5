//! Priority (rule of the objective's first two levels): the mandatory due firms visited,
//! then the priority weight of every due firm visited (DOMAIN.md's weights, derived with
//! the due list).

use crate::context::Context;

/// `kpis.objective` name of the mandatory visits.
pub const MANDATORY: &str = "mandatory_visits";
/// `kpis.objective` name of the visited priority weight.
pub const WEIGHT: &str = "priority_weight";

/// Mandatory visits and priority weight of one crew's route.
pub fn value(ctx: &Context<'_>, route: &[usize]) -> (u32, f64) {
    route.iter().fold((0, 0.0), |(m, w), &d| {
        let due = &ctx.due.due[d];
        (m + due.mandatory as u32, w + due.weight)
    })
}
