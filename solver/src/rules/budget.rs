//! A budget (policy `budget`): the roster's expert fees and vehicle km (CNY, the reported
//! `cost_cny`) and its expert person-days stay within what the plan may spend.

use crate::context::Context;

/// What a roster spends.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Spend {
    /// Day rates plus km × `cost_per_km`.
    pub cny: f64,
    /// Expert person-days.
    pub expert_days: u32,
}

impl Spend {
    /// `self` with `other` added (negative CNY for a change that saves).
    pub fn plus(self, cny: f64, expert_days: i64) -> Spend {
        Spend {
            cny: self.cny + cny,
            expert_days: (self.expert_days as i64 + expert_days).max(0) as u32,
        }
    }
}

/// Rounding margin on summed CNY.
const EPS: f64 = 1e-6;

/// Whether a roster spending `spend` keeps the policy's budget, scaled by `scale` (1: the
/// budget itself; 1.1: ten per cent more, for "what the next 10 % would buy").
pub fn within(ctx: &Context<'_>, spend: Spend, scale: f64) -> bool {
    let Some(budget) = ctx.instance.policy.budget else {
        return true;
    };
    budget.cny.is_none_or(|cny| spend.cny <= cny * scale + EPS)
        && budget
            .expert_days
            .is_none_or(|days| spend.expert_days as f64 <= days as f64 * scale + EPS)
}
