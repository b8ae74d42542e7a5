//! Rule 7: a crew leaves its base no earlier than the policy's `day_start` and is back by
//! its `day_end`; every check starts no earlier than the firm opens and ends by its
//! closing time and by `day_end`; legs are driven as the travel model times them. The
//! routing engine's crew-day (`crate::route`) and the bound's crew-day pricer
//! (`crate::bound`) both time days by these windows.

use super::{Never, scope};
use crate::context::Context;

/// The earliest departure from the base, minutes since midnight.
pub fn day_start(ctx: &Context<'_>) -> u32 {
    ctx.instance.policy.day_start.minutes()
}

/// The latest return to the base, minutes since midnight.
pub fn back_by(ctx: &Context<'_>) -> u32 {
    ctx.instance.policy.day_end.minutes()
}

/// The window for the start of the check at due firm `d`: from its opening time to the
/// latest start that still ends within its hours and the policy's day (below the opening
/// when no start does).
pub fn check_window(ctx: &Context<'_>, d: usize) -> (u32, i64) {
    let req = &ctx.reqs[d];
    let close = req.hours.close.minutes().min(back_by(ctx));
    (
        req.hours.open.minutes(),
        i64::from(close) - i64::from(req.duration_min),
    )
}

/// Start and end of a visit to due firm `d` by a crew arriving at `arrive` (minutes since
/// midnight): it waits for opening, and must finish within the firm's hours and the day.
pub fn visit_at(ctx: &Context<'_>, d: usize, arrive: u32) -> Option<(u32, u32)> {
    let (open, latest_start) = check_window(ctx, d);
    let start = arrive.max(open);
    (i64::from(start) <= latest_start).then_some((start, start + ctx.reqs[d].duration_min))
}

/// Whether a crew from location `base` can make the one visit to due firm `d` within the
/// day: leave at `day_start`, check, drive back by `day_end`.
pub fn reaches_alone(ctx: &Context<'_>, base: usize, d: usize) -> bool {
    let (Some(out), Some(back)) = (
        ctx.leg(base, ctx.firm_loc[d]),
        ctx.leg(ctx.firm_loc[d], base),
    ) else {
        return false;
    };
    visit_at(ctx, d, day_start(ctx) + out.minutes)
        .is_some_and(|(_, end)| end + back.minutes <= back_by(ctx))
}

/// Whether officer `o` may accompany a visit to due firm `d` and their crew can make that
/// one visit within a day from the base.
pub fn officer_reaches(ctx: &Context<'_>, o: usize, d: usize) -> bool {
    scope::serves(ctx, o, d) && ctx.officer_loc[o].is_some_and(|base| reaches_alone(ctx, base, d))
}

/// `unreachable_in_day` when no serving officer's crew can make the visit within a day.
pub fn never(ctx: &Context<'_>, d: usize) -> Option<Never> {
    let reached = (0..ctx.instance.officers.len()).any(|o| officer_reaches(ctx, o, d));
    (!reached).then(|| {
        let req = &ctx.reqs[d];
        let policy = &ctx.instance.policy;
        Never {
            code: "unreachable_in_day",
            message: format!(
                "a {}-minute visit to {} does not fit between {}–{} (opening {}–{}) with the round trip from any serving officer's base",
                req.duration_min,
                ctx.firm(d).id,
                policy.day_start,
                policy.day_end,
                req.hours.open,
                req.hours.close
            ),
        }
    })
}
