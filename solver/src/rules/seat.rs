//! Every expert earns their seat (DOMAIN.md, policy `experts_cover_a_specialty`): each
//! expert in a crew holds at least one specialty that some visit of the crew-day requires,
//! so a crew is never made up with whoever is cheapest or free.

use crate::context::{Context, SpecialtyMask};

/// The specialties the visits of `route` (due indices) require, together.
pub fn route_mask(ctx: &Context<'_>, route: &[usize]) -> SpecialtyMask {
    route.iter().fold(0, |m, &d| m | ctx.req_masks[d])
}

/// Whether expert `e` may sit in a crew whose day's visits require `required` together.
/// Visits that require no specialty at all (a firm's `required_specialties: []`) leave
/// every seat open.
pub fn earns(ctx: &Context<'_>, e: usize, required: SpecialtyMask) -> bool {
    !ctx.instance.policy.experts_cover_a_specialty
        || required == 0
        || ctx.expert_masks[e] & required != 0
}

/// Whether every one of `experts` earns a seat in a crew visiting `route`.
pub fn all_earn(ctx: &Context<'_>, experts: &[usize], route: &[usize]) -> bool {
    let required = route_mask(ctx, route);
    experts.iter().all(|&e| earns(ctx, e, required))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instance, Specialty};

    #[test]
    fn an_expert_earns_a_seat_through_any_visit_of_the_day() {
        let mut instance: Instance =
            serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads");
        instance.enterprises[0].required_specialties = Some(vec![Specialty::Fireworks]);
        instance.enterprises[1].required_specialties = Some(vec![Specialty::Electrical]);
        instance.experts[0].specialties = vec![Specialty::Electrical];
        let ctx = Context::new(&instance).expect("a valid instance");
        let (fireworks, venue) = (
            ctx.due_index("F1").expect("F1 due"),
            ctx.due_index("F2").expect("F2 due"),
        );
        assert!(!all_earn(&ctx, &[0], &[fireworks]));
        assert!(all_earn(&ctx, &[0], &[fireworks, venue]));
        // Nothing required: every seat is open; the policy's switch: likewise.
        assert!(earns(&ctx, 0, 0));
        let mut relaxed = instance.clone();
        relaxed.policy.experts_cover_a_specialty = false;
        let ctx = Context::new(&relaxed).expect("a valid instance");
        assert!(all_earn(&ctx, &[0], &[fireworks]));
    }
}
