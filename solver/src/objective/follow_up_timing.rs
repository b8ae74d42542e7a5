//! Follow-up timing: a re-check goes soon after its rectification deadline (the rule
//! `rules::follow_up` keeps it from coming before), and one whose deadline had already
//! passed goes in the first sweep days of the horizon, major findings first. It is on
//! time on one of the first `policy.follow_up_within_days` sweep days from the deadline
//! (from the horizon's start when the deadline had passed); each sweep day after those
//! costs [`PER_DAY`], [`MAJOR_PER_DAY`] when the visit re-checks a major finding.

use super::CrewView;
use crate::context::Context;

/// `kpis.objective` name.
pub const NAME: &str = "follow_up_timing";
/// CNY-equivalent of each sweep day a re-check of general findings comes late: a few
/// dozen km of driving, so a late re-check is brought forward when that costs little,
/// and never at the price of a visit (coverage comes first).
pub const PER_DAY: f64 = 50.0;
/// The same for a re-check of a major finding: three times as much, so that when the
/// first days are short, the majors take them.
pub const MAJOR_PER_DAY: f64 = 150.0;

/// Sweep days a re-check of due firm `d` on sweep day `day` comes after the days it is on
/// time on (0 when on time, or when the firm is no follow-up).
pub fn days_late(ctx: &Context<'_>, d: usize, day: usize) -> usize {
    let Some(follow_up) = ctx.due.follow_up[d] else {
        return 0;
    };
    // The first sweep day on or after the deadline (the horizon's first when it passed).
    let first = ctx.days.partition_point(|&date| date < follow_up.deadline);
    let within = ctx.instance.policy.follow_up_within_days as usize;
    day.saturating_sub(first)
        .saturating_sub(within.saturating_sub(1))
}

/// The lateness of every re-check of the route, priced per sweep day.
pub fn price(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    crew.route
        .iter()
        .map(|&d| {
            let date = ctx.days[crew.day];
            let per_day = match ctx.due.follow_up[d] {
                Some(f) if f.rechecks_major(date) => MAJOR_PER_DAY,
                _ => PER_DAY,
            };
            days_late(ctx, d, crew.day) as f64 * per_day
        })
        .sum()
}
