//! Follow-up timing: a re-check before the rectification deadline of the firm's earliest
//! open finding (due inside the horizon) finds nothing rectified yet.

use super::CrewView;
use crate::context::Context;

/// `kpis.objective` name.
pub const NAME: &str = "follow_up_timing";
/// CNY-equivalent of a follow-up visit before its rectification deadline.
pub const PENALTY: f64 = 400.0;

/// [`PENALTY`] for each visit of the route that comes before its firm's deadline.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    let date = ctx.days[crew.day];
    let early = crew
        .route
        .iter()
        .filter(|&&d| ctx.due.follow_up_deadline[d].is_some_and(|deadline| date < deadline))
        .count();
    early as f64 * PENALTY
}
