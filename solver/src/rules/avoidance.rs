//! Rule 6 (回避): an expert never checks a firm named in their `avoid_enterprises`, nor one
//! of a group in their `avoid_groups`; nor, in a crew, any firm of the crew's day.

use crate::context::Context;

/// Whether expert `e` must not check due firm `d`.
pub fn avoids(ctx: &Context<'_>, e: usize, d: usize) -> bool {
    ctx.avoids[d].binary_search(&e).is_ok()
}

/// Whether expert `e` may be in a crew whose day visits every firm of `route`.
pub fn may_join(ctx: &Context<'_>, e: usize, route: &[usize]) -> bool {
    route.iter().all(|&d| !avoids(ctx, e, d))
}
