//! Distance: the crew's road km from its base and back at the policy's `cost_per_km`.
//! Part of the reported `cost_cny`.

use super::CrewView;
use crate::context::Context;

/// `kpis.objective` name.
pub const NAME: &str = "distance";

/// The crew's km × cost per km.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    crew.km * ctx.instance.policy.cost_per_km
}
