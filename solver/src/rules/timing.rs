//! Rule 7: a crew leaves its base no earlier than the policy's `day_start` and is back by
//! its `day_end`; every check starts no earlier than the firm opens and ends by its
//! closing time and by `day_end`; legs are driven as the travel model times them; and
//! the day has its lunch break ([`super::lunch`]). The routing engine's crew-day
//! (`crate::route`, through [`time_day`]) and the bound's crew-day pricer
//! (`crate::bound`, through [`reach`] and [`reach_with_break`]) time days by these steps.

use super::lunch::{self, Lunch};
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
    time_day(ctx, &[d], &[out.minutes, back.minutes]).is_some()
}

/// One visit as timed: arrival, start and end of the check, and the start of the lunch
/// break if it is taken on the way to this firm or during its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Arrival at the firm.
    pub arrive: u32,
    /// Start of the check.
    pub start: u32,
    /// End of the check (later by the break when the break falls inside it).
    pub end: u32,
    /// Start of the break taken since the previous stop's check, if any.
    pub lunch: Option<u32>,
}

/// A crew free at `ready` drives `travel` minutes to due firm `d` and checks it, waiting
/// for opening; `None` when the check cannot end within the firm's hours and the day.
pub fn reach(ctx: &Context<'_>, ready: u32, travel: u32, d: usize) -> Option<Step> {
    let arrive = ready + travel;
    let (start, end) = visit_at(ctx, d, arrive)?;
    Some(Step {
        arrive,
        start,
        end,
        lunch: None,
    })
}

/// The same with the lunch break taken on the way, the way that ends the check soonest:
/// before driving on (not `from_base`: leaving after a meal at the base is
/// [`Lunch::after_eating_at_base`]), on arrival before the check, or during the check,
/// which then ends `minutes` later and must still end within the firm's hours.
pub fn reach_with_break(
    ctx: &Context<'_>,
    lunch: &Lunch,
    ready: u32,
    travel: u32,
    d: usize,
    from_base: bool,
) -> Option<Step> {
    let mut best: Option<Step> = None;
    let mut consider = |step: Option<Step>| {
        if let Some(step) = step
            && best.is_none_or(|b| step.end < b.end)
        {
            best = Some(step);
        }
    };
    if !from_base {
        consider(lunch.earliest(ready).and_then(|b| {
            reach(ctx, b + lunch.minutes, travel, d).map(|step| Step {
                lunch: Some(b),
                ..step
            })
        }));
    }
    let arrive = ready + travel;
    consider(lunch.earliest(arrive).and_then(|b| {
        visit_at(ctx, d, b + lunch.minutes).map(|(start, end)| Step {
            arrive,
            start,
            end,
            lunch: Some(b),
        })
    }));
    if let Some((start, end)) = visit_at(ctx, d, arrive) {
        let latest_start = check_window(ctx, d).1;
        let during = lunch.earliest(start).filter(|&b| b < end);
        if let Some(b) = during
            && i64::from(start + lunch.minutes) <= latest_start
        {
            consider(Some(Step {
                arrive,
                start,
                end: end + lunch.minutes,
                lunch: Some(b),
            }));
        }
    }
    best
}

/// The latest departure from the base for a day whose first visit is `first`, `travel`
/// minutes out: arriving as its check starts, or as the break begins when the crew
/// breaks on arrival there.
pub fn departure(first: &Step, travel: u32) -> u32 {
    first
        .lunch
        .filter(|&b| b < first.start)
        .unwrap_or(first.start)
        - travel
}

/// A crew-day as timed by [`time_day`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedDay {
    /// Departure from the base: as late as the first visit allows.
    pub depart: u32,
    /// One step per visit, in order.
    pub steps: Vec<Step>,
    /// Return to the base.
    pub ret: u32,
    /// The break, start and end, when it is taken on the road.
    pub lunch: Option<(u32, u32)>,
}

/// A partly timed day: when the crew is free, and the steps so far.
type Partial = (u32, Vec<Step>);

/// Times the visits to due firms `firms` in this order, with `travel[k]` minutes of
/// driving into the `k`-th and `travel[firms.len()]` home: every check as early as its
/// window allows and the lunch break, when the day needs one, where it brings the crew
/// back soonest (without a break when one is not needed; then after a meal at the base;
/// then on the road). `None` when no timing keeps every window and the break.
pub fn time_day(ctx: &Context<'_>, firms: &[usize], travel: &[u32]) -> Option<TimedDay> {
    let lunch = lunch::of(ctx);
    let day_start = day_start(ctx);
    // Two ways to be at each stop: without a break so far, and fed (the break taken on
    // the way, or at the base before leaving); only the soonest free of each matters.
    let mut plain: Option<Partial> = Some((day_start, Vec::new()));
    let mut fed: Option<Partial> = lunch.map(|l| (l.after_eating_at_base(day_start), Vec::new()));
    for (k, &d) in firms.iter().enumerate() {
        let extend = |(_, steps): &Partial, step: Option<Step>| {
            step.map(|step| {
                let mut steps = steps.clone();
                steps.push(step);
                (step.end, steps)
            })
        };
        let fed_on = fed
            .as_ref()
            .and_then(|p| extend(p, reach(ctx, p.0, travel[k], d)));
        let broke_here = lunch.and_then(|l| {
            plain
                .as_ref()
                .and_then(|p| extend(p, reach_with_break(ctx, &l, p.0, travel[k], d, k == 0)))
        });
        fed = match (fed_on, broke_here) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        plain = plain
            .as_ref()
            .and_then(|p| extend(p, reach(ctx, p.0, travel[k], d)));
        if plain.is_none() && fed.is_none() {
            return None;
        }
    }
    let home = travel[firms.len()];
    let depart_of = |steps: &[Step]| match steps.first() {
        Some(first) => departure(first, travel[0]),
        None => day_start,
    };
    let mut best: Option<TimedDay> = None;
    let mut consider = |day: TimedDay| {
        if day.ret <= back_by(ctx) && best.as_ref().is_none_or(|b| day.ret < b.ret) {
            best = Some(day);
        }
    };
    if let Some((ready, steps)) = &plain {
        let (depart, ret) = (depart_of(steps), ready + home);
        if lunch.is_none_or(|l| !l.needed(depart, ret)) {
            consider(TimedDay {
                depart,
                steps: steps.clone(),
                ret,
                lunch: None,
            });
        }
    }
    if let Some((ready, steps)) = fed {
        let lunch = steps
            .iter()
            .find_map(|s| s.lunch)
            .zip(lunch)
            .map(|(b, l)| (b, b + l.minutes));
        consider(TimedDay {
            depart: depart_of(&steps),
            ret: ready + home,
            steps,
            lunch,
        });
    }
    // The break at the last firm, before driving home.
    if let (Some(l), Some((ready, steps))) = (lunch, plain)
        && !steps.is_empty()
        && let Some(b) = l.earliest(ready)
    {
        consider(TimedDay {
            depart: depart_of(&steps),
            ret: b + l.minutes + home,
            steps,
            lunch: Some((b, b + l.minutes)),
        });
    }
    best
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
        let lunch = policy.lunch_break;
        Never {
            code: "unreachable_in_day",
            message: format!(
                "a {}-minute visit to {} does not fit between {}–{} (opening {}–{}) with the round trip from any serving officer's base{}",
                req.duration_min,
                ctx.firm(d).id,
                policy.day_start,
                policy.day_end,
                req.hours.open,
                req.hours.close,
                if lunch.minutes > 0 {
                    format!(
                        " and the {}-minute lunch break inside {}–{}",
                        lunch.minutes, lunch.from, lunch.until
                    )
                } else {
                    String::new()
                }
            ),
        }
    })
}
