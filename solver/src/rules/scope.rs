//! Scope: an officer accompanies visits in their own district; a city-level officer in
//! any district of the city. An officer without a base cannot take a crew out.

use super::Never;
use crate::context::Context;

/// Whether officer `o` may accompany a visit to due firm `d`.
pub fn serves(ctx: &Context<'_>, o: usize, d: usize) -> bool {
    ctx.officer_district[o].is_none_or(|district| district == ctx.firm_district[d])
}

/// Whether officer `o` may accompany a visit to due firm `d` and has a base to leave from.
pub fn may_go_to(ctx: &Context<'_>, o: usize, d: usize) -> bool {
    serves(ctx, o, d) && ctx.officer_loc[o].is_some()
}

/// The officers who may accompany a visit to due firm `d` and have a base to leave from.
pub fn serving(ctx: &Context<'_>, d: usize) -> Vec<usize> {
    (0..ctx.instance.officers.len())
        .filter(|&o| may_go_to(ctx, o, d))
        .collect()
}

/// `no_officer` when nobody may accompany a visit to due firm `d`.
pub fn never(ctx: &Context<'_>, d: usize) -> Option<Never> {
    serving(ctx, d).is_empty().then(|| {
        let firm = ctx.firm(d);
        Never {
            code: "no_officer",
            message: format!(
                "no officer of district {} or of city level (with a base) can accompany a visit to {}",
                firm.district, firm.id
            ),
        }
    })
}
