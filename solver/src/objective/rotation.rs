//! Rotation: an expert should not re-check a firm they checked within the policy's
//! `rotation_months` before the horizon starts (a soft rule: the pool is small).

use super::CrewView;
use crate::context::Context;

/// `kpis.objective` name.
pub const NAME: &str = "rotation";
/// CNY-equivalent per expert at a firm they checked within the rotation window.
pub const PENALTY: f64 = 60.0;

/// Whether expert `e` checked due firm `d` within the rotation window.
pub fn recent(ctx: &Context<'_>, e: usize, d: usize) -> bool {
    ctx.recently_checked(e, d)
}

/// [`PENALTY`] for each (expert of the crew, firm of its route) pair that is recent.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    let pairs = crew
        .experts
        .iter()
        .map(|&e| crew.route.iter().filter(|&&d| recent(ctx, e, d)).count())
        .sum::<usize>();
    pairs as f64 * PENALTY
}
