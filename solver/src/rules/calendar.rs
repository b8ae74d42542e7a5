//! Rule 1: a visit is on a sweep day (`crate::calendar::sweep_days`, the context's days)
//! and never on one of the firm's `closed_dates`.

use super::Never;
use crate::context::Context;

/// Whether due firm `d` is open on sweep day `day`.
pub fn open(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    !ctx.firm(d).closed_dates.contains(&ctx.days[day])
}

/// The sentence of a firm that may be visited on no sweep day (closed, or at its annual
/// cap, on each: the code is the same, the sentence says which).
pub fn never(ctx: &Context<'_>, d: usize) -> Never {
    let firm = ctx.firm(d);
    let days = ctx.days.len();
    let closed = (0..days).filter(|&day| !open(ctx, d, day)).count();
    let message = if days == 0 {
        format!(
            "the horizon has no sweep day, so {} cannot be visited",
            firm.id
        )
    } else if closed == days {
        format!(
            "{} is closed on all {days} sweep days of the horizon",
            firm.id
        )
    } else if closed == 0 {
        format!(
            "{} is at its annual inspection cap on all {days} sweep days of the horizon",
            firm.id
        )
    } else {
        format!(
            "{} is closed on {closed} of the {days} sweep days and at its annual inspection cap on the others",
            firm.id
        )
    };
    Never {
        code: "no_sweep_day",
        message,
    }
}
