//! Workable weeks (issue "a roster a bureau would sign", workable days): an officer goes
//! out on at most `officer_max_days_per_week` sweep days of a calendar week (Monday to
//! Sunday) and on at most `officer_max_days_in_a_row` sweep days in a row (consecutive
//! sweep days: a weekend between Friday and Monday is no day in the office), so that the
//! office work of a 执法 officer gets done between sweeps.

use crate::context::Context;

/// Whether an officer who is out on the sweep days `out` says (by sweep-day index) may
/// also go out on sweep day `day` (which `out` says is free).
pub fn officer_may_add(ctx: &Context<'_>, out: impl Fn(usize) -> bool, day: usize) -> bool {
    let policy = &ctx.instance.policy;
    in_week(ctx, &out, day) < policy.officer_max_days_per_week as usize
        && run_through(ctx, &out, day) <= policy.officer_max_days_in_a_row as usize
}

/// Whether the sweep days `out` says (by index) keep both limits.
pub fn officer_days_allowed(ctx: &Context<'_>, out: impl Fn(usize) -> bool) -> bool {
    let policy = &ctx.instance.policy;
    (0..ctx.days.len()).filter(|&t| out(t)).all(|t| {
        in_week(ctx, &out, t) < policy.officer_max_days_per_week as usize
            && run_through(ctx, &out, t) <= policy.officer_max_days_in_a_row as usize
    })
}

/// The calendar week (Monday to Sunday) of sweep day `day`, as the context numbers it.
pub fn week(ctx: &Context<'_>, day: usize) -> u32 {
    ctx.week[day]
}

/// Days out in the calendar week of sweep day `day`, `day` itself not counted.
fn in_week(ctx: &Context<'_>, out: &impl Fn(usize) -> bool, day: usize) -> usize {
    let this_week = week(ctx, day);
    let before = (0..day)
        .rev()
        .take_while(|&t| week(ctx, t) == this_week)
        .filter(|&t| out(t))
        .count();
    let after = (day + 1..ctx.days.len())
        .take_while(|&t| week(ctx, t) == this_week)
        .filter(|&t| out(t))
        .count();
    before + after
}

/// The length of the run of consecutive sweep days out that `day` would make (or is in),
/// `day` counted.
fn run_through(ctx: &Context<'_>, out: &impl Fn(usize) -> bool, day: usize) -> usize {
    let before = (0..day).rev().take_while(|&t| out(t)).count();
    let after = (day + 1..ctx.days.len()).take_while(|&t| out(t)).count();
    before + 1 + after
}

/// The most sweep days an officer on duty on the days `on_duty` says can go out within
/// both limits (a dynamic programme over the days, by days out so far this week and the
/// run so far): a capacity for the bounds, tighter than the days on duty.
pub fn officer_most_days(ctx: &Context<'_>, on_duty: impl Fn(usize) -> bool) -> u32 {
    let policy = &ctx.instance.policy;
    let per_week = policy.officer_max_days_per_week as usize;
    let in_a_row = (policy.officer_max_days_in_a_row as usize).min(ctx.days.len());
    // best[w][r]: the most days out so far with w out this week and a run of r ending now.
    let unreached = -1i64;
    let mut best = vec![vec![unreached; in_a_row + 1]; per_week + 1];
    best[0][0] = 0;
    for t in 0..ctx.days.len() {
        if t > 0 && week(ctx, t) != week(ctx, t - 1) {
            // A new week: its count starts again, the run goes on (Friday to Monday).
            let mut fresh = vec![vec![unreached; in_a_row + 1]; per_week + 1];
            for row in &best {
                for (r, &v) in row.iter().enumerate() {
                    fresh[0][r] = fresh[0][r].max(v);
                }
            }
            best = fresh;
        }
        let mut next = vec![vec![unreached; in_a_row + 1]; per_week + 1];
        for (w, row) in best.iter().enumerate() {
            for (r, &v) in row.iter().enumerate() {
                if v == unreached {
                    continue;
                }
                // In the office (or not on duty): the run ends.
                next[w][0] = next[w][0].max(v);
                if on_duty(t) && w < per_week && r < in_a_row {
                    next[w + 1][r + 1] = next[w + 1][r + 1].max(v + 1);
                }
            }
        }
        best = next;
    }
    best.iter().flatten().copied().max().unwrap_or(0).max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Instance;

    /// The two-firm example over `days` calendar days from Monday 2027-03-01, with the
    /// limits given.
    fn instance(days: u32, per_week: u32, in_a_row: u32) -> Instance {
        let mut instance: Instance =
            serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads");
        instance.horizon.start = "2027-03-01".parse().unwrap();
        instance.horizon.end = instance.horizon.start + chrono::Days::new(days as u64 - 1);
        instance.calendar.periods.clear();
        instance.policy.officer_max_days_per_week = per_week;
        instance.policy.officer_max_days_in_a_row = in_a_row;
        instance
    }

    #[test]
    fn the_most_days_out_are_those_of_the_best_subset_of_days() {
        // Three weeks of sweep days, some off duty; every subset of days out tried.
        for (per_week, in_a_row) in [(4, 4), (5, 3), (2, 5), (3, 1), (7, 2), (4, 2)] {
            let instance = instance(21, per_week, in_a_row);
            let ctx = Context::new(&instance).unwrap();
            let n = ctx.days.len();
            assert_eq!(n, 15);
            let on_duty = |t: usize| t != 3 && t != 9;
            let best = (0u32..1 << n)
                .filter(|&set| (0..n).all(|t| set >> t & 1 == 0 || on_duty(t)))
                .filter(|&set| officer_days_allowed(&ctx, |t| set >> t & 1 == 1))
                .map(u32::count_ones)
                .max()
                .unwrap();
            assert_eq!(
                officer_most_days(&ctx, on_duty),
                best,
                "{per_week} a week, {in_a_row} in a row"
            );
        }
    }

    #[test]
    fn a_run_goes_on_over_the_weekend_and_a_week_starts_on_monday() {
        let instance = instance(14, 4, 4);
        let ctx = Context::new(&instance).unwrap();
        // Out Tuesday to Friday of the first week (sweep days 1-4).
        let out = |t: usize| (1..=4).contains(&t);
        // Not on Monday 03-08: five in a row with Tuesday to Friday.
        assert!(!officer_may_add(&ctx, out, 5));
        // Tuesday 03-09 is fine: the run broke on Monday, and it is a new week.
        assert!(officer_may_add(&ctx, out, 6));
        // Monday 03-01 would make five days out in the first week.
        assert!(!officer_may_add(&ctx, out, 0));
        assert!(officer_days_allowed(&ctx, out));
        assert!(!officer_days_allowed(&ctx, |t| t <= 4));
    }
}
