//! Follow-up timing (DOMAIN.md, "Follow-up timing"): a re-check checks that a hazard was
//! fixed, so it is made on or after the rectification deadline, never before. A re-check
//! whose deadline falls after every day it could be made in this horizon cannot be made
//! now: it is unscheduled with its own code and comes back in the next plan, the finding
//! still being open. How soon after the deadline it goes is a soft term
//! (`objective::follow_up_timing`).

use super::Never;
use crate::context::Context;

/// Whether due firm `d` may be visited on sweep day `day` as far as its re-check goes: on
/// or after the earliest rectification deadline of its open findings (any day for a firm
/// that is no follow-up).
pub fn on_or_after_deadline(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    ctx.due.follow_up[d].is_none_or(|f| ctx.days[day] >= f.deadline)
}

/// `recheck_after_horizon` when the firm could be visited on some sweep day (open, with
/// room under its cap) but on none on or after its deadline.
pub fn never(ctx: &Context<'_>, d: usize) -> Option<Never> {
    let follow_up = ctx.due.follow_up[d]?;
    let last = (0..ctx.days.len())
        .rev()
        .find(|&day| super::open_with_cap_room(ctx, d, day))?;
    (ctx.days[last] < follow_up.deadline).then(|| Never {
        code: "recheck_after_horizon",
        message: format!(
            "the rectification deadline of {} is {}, after the last sweep day it could be visited in this plan ({}, open and under its annual cap): \
             a re-check before the deadline would find nothing rectified yet, so it goes to the next plan",
            ctx.firm(d).id,
            follow_up.deadline,
            ctx.days[last]
        ),
    })
}

/// For a follow-up that no sweep day can take (closed or capped on each), the clause that
/// says its re-check is left for the next plan, so that the planner sees the finding.
pub fn pending_note(ctx: &Context<'_>, d: usize) -> Option<String> {
    let follow_up = ctx.due.follow_up[d]?;
    Some(format!(
        "; its re-check of open findings (rectification deadline {}) is left for the next plan",
        follow_up.deadline
    ))
}
