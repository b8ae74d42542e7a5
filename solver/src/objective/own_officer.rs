//! Own officer: a visit led by the firm's own responsible officer (who knows the firm and
//! follows up its findings) is worth a small bonus, a negative price.

use super::CrewView;
use crate::context::Context;

/// `kpis.objective` name.
pub const NAME: &str = "own_officer";
/// CNY-equivalent bonus per visit led by the firm's responsible officer.
pub const BONUS: f64 = 25.0;

/// −[`BONUS`] for each visit of the route whose firm names the crew's officer.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    let own = crew
        .route
        .iter()
        .filter(|&&d| ctx.firm_officer[d] == Some(crew.officer))
        .count();
    -(own as f64) * BONUS
}
