//! Workable days: a share of the last week's capacity is kept free for re-planning
//! (`policy.last_week_reserve`, default 0: none). On each sweep day of the horizon's last
//! seven calendar days, at most ⌊(1 − share) × the officers on duty that day⌋ crews go
//! out, so a bureau can still place an urgent inspection or a visit someone declined.

use crate::context::Context;

/// Calendar days at the end of the horizon that keep the reserve.
pub const LAST_WEEK_DAYS: i64 = 7;

/// Whether sweep day `day` is in the horizon's last week.
pub fn in_last_week(ctx: &Context<'_>, day: usize) -> bool {
    let end = ctx.instance.horizon.end;
    ctx.days[day] > end - chrono::Duration::days(LAST_WEEK_DAYS)
}

/// The most crews sweep day `day` may have (`usize::MAX` when it keeps no reserve).
pub fn most_crews(ctx: &Context<'_>, day: usize) -> usize {
    let share = ctx.instance.policy.last_week_reserve;
    if share <= 0.0 || !in_last_week(ctx, day) {
        return usize::MAX;
    }
    let on_duty = (0..ctx.instance.officers.len())
        .filter(|&o| super::people::officer_on_duty(ctx, o, day))
        .count();
    ((1.0 - share) * on_duty as f64 + 1e-9).floor() as usize
}
