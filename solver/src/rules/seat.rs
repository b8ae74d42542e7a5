//! Every expert earns their seat (DOMAIN.md, policy `experts_cover_a_specialty`): each
//! expert in a crew holds at least one specialty that some visit of the crew-day requires,
//! so a crew is never made up with whoever is cheapest or free.

use crate::context::{Context, SpecialtyMask};

/// The specialties the visits of `route` (due indices) require, together.
pub fn route_mask(ctx: &Context<'_>, route: &[usize]) -> SpecialtyMask {
    route.iter().fold(0, |m, &d| m | ctx.req_masks[d])
}

/// Whether expert `e` may sit in a crew whose day's visits require `required` together.
pub fn earns(ctx: &Context<'_>, e: usize, required: SpecialtyMask) -> bool {
    !ctx.instance.policy.experts_cover_a_specialty || ctx.expert_masks[e] & required != 0
}

/// Whether every one of `experts` earns a seat in a crew visiting `route`.
pub fn all_earn(ctx: &Context<'_>, experts: &[usize], route: &[usize]) -> bool {
    let required = route_mask(ctx, route);
    experts.iter().all(|&e| earns(ctx, e, required))
}
