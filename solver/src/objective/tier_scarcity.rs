//! Tier scarcity: a provincial or national expert on a crew whose firms need only a lower
//! lead tier costs extra, so the few high-tier experts go where their tier is required.

use super::CrewView;
use crate::context::Context;
use crate::model::Tier;

/// `kpis.objective` name.
pub const NAME: &str = "tier_scarcity";
/// CNY-equivalent of an expert one and two tiers above what the crew's firms need.
pub const PENALTY: [f64; 3] = [0.0, 150.0, 300.0];

/// The price of an expert of tier `tier` on a crew that needs `needed`.
pub fn above(tier: Tier, needed: Tier) -> f64 {
    PENALTY[(tier as usize).saturating_sub(needed as usize)]
}

/// For each expert, [`PENALTY`] by how many tiers they are above the highest lead tier
/// any firm of the route needs.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    let needed = crew
        .route
        .iter()
        .map(|&d| ctx.reqs[d].min_tier)
        .max()
        .unwrap_or(Tier::City);
    crew.experts
        .iter()
        .map(|&e| above(ctx.tier(e), needed))
        .sum()
}
