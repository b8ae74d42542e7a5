//! Rules 3 and 4: an expert works only on days they are certified and available, an
//! officer only on days they are available (and with a base), each at most once a day
//! and at most `max_days` in the horizon.

use chrono::NaiveDate;

use super::{Never, timing};
use crate::context::Context;
use crate::model::Expert;

/// Whether expert `e` may work on sweep day `day`: certified and not unavailable.
pub fn expert_on_duty(ctx: &Context<'_>, e: usize, day: usize) -> bool {
    expert_works_on(&ctx.instance.experts[e], ctx.days[day])
}

/// Whether `expert` may work on `date` (for callers without a solve's context: the
/// province's sharing of experts between cities).
pub fn expert_works_on(expert: &Expert, date: NaiveDate) -> bool {
    expert.certified_until >= date && !expert.unavailable.contains(&date)
}

/// Whether officer `o` may work on sweep day `day`: available, with a base to leave from.
pub fn officer_on_duty(ctx: &Context<'_>, o: usize, day: usize) -> bool {
    ctx.officer_loc[o].is_some()
        && !ctx.instance.officers[o]
            .unavailable
            .contains(&ctx.days[day])
}

/// Whether one more day is within `max` when `used` are worked.
pub fn room_for_a_day(used: u32, max: u32) -> bool {
    used < max
}

/// Whether `used` days are within `max`.
pub fn within_max_days(used: u32, max: u32) -> bool {
    used <= max
}

/// Whether expert `e` may work at all in the horizon (`max_days` above 0).
pub fn expert_may_work(ctx: &Context<'_>, e: usize) -> bool {
    ctx.expert_max[e] > 0
}

/// Whether officer `o` could take due firm `d` out on sweep day `day` in a crew of its
/// own: serving, on duty, with any days at all, and able to make the visit within the day.
pub fn officer_could_take(ctx: &Context<'_>, o: usize, d: usize, day: usize) -> bool {
    officer_on_duty(ctx, o, day) && ctx.officer_max[o] > 0 && timing::officer_reaches(ctx, o, d)
}

/// Whether some officer could take due firm `d` out on sweep day `day`.
pub fn officer_available(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    (0..ctx.instance.officers.len()).any(|o| officer_could_take(ctx, o, d, day))
}

/// `crew_capacity` when, on every day a qualified team is on duty (`team_days`), no
/// officer who could reach due firm `d` is: officers and teams never meet on one day,
/// whatever else is planned.
pub fn never_together(ctx: &Context<'_>, d: usize, team_days: &[usize]) -> Option<Never> {
    if team_days.iter().any(|&day| officer_available(ctx, d, day)) {
        return None;
    }
    let firm = ctx.firm(d);
    Some(Never {
        code: "crew_capacity",
        message: format!(
            "on each of the {} sweep days a qualified team could check {}, every officer who can reach it (district {}) is unavailable or has no days, so officers and teams are never on duty on the same day",
            team_days.len(),
            firm.id,
            firm.district
        ),
    })
}
