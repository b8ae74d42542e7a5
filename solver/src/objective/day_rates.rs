//! Day rates: each expert in a crew is paid their day rate for the day (the registry's
//! rate, else the policy's rate for their title). Part of the reported `cost_cny`.

use super::CrewView;
use crate::context::Context;

/// `kpis.objective` name.
pub const NAME: &str = "day_rates";

/// The crew's expert day rates.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    crew.experts.iter().map(|&e| ctx.day_rates[e]).sum()
}
