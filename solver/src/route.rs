//! Timing of one crew's day: leave the base, visit the firms in order, come back.
//!
//! Crews drive straight from stop to stop and wait on site for opening time; departure
//! is pushed as late as the first visit allows, so nobody waits at the first gate.

use crate::context::Context;
use crate::travel::round_km;

/// Times of one visit, minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedVisit {
    /// Arrival at the firm.
    pub arrive: u32,
    /// Start of the check.
    pub start: u32,
    /// End of the check.
    pub end: u32,
    /// Travel minutes from the previous stop.
    pub travel_min: u32,
    /// Km from the previous stop.
    pub km: f64,
}

/// Times of a crew's whole day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayTimes {
    /// Departure from base.
    pub depart: u32,
    /// Return to base.
    pub ret: u32,
    /// Total km, base to base.
    pub km: f64,
    /// One entry per visit, in route order.
    pub visits: Vec<TimedVisit>,
}

/// Start and end of a visit to due firm `d` by a crew arriving at `arrive` (minutes since
/// midnight): it waits for opening, and must finish within the firm's hours and the day.
pub fn visit_at(ctx: &Context<'_>, d: usize, arrive: u32) -> Option<(u32, u32)> {
    let req = &ctx.reqs[d];
    let start = arrive.max(req.hours.open.minutes());
    let end = start + req.duration_min;
    (end <= req.hours.close.minutes() && end <= ctx.instance.policy.day_end.minutes())
        .then_some((start, end))
}

/// Times the route `due_firms` (due-list indices) from the base at location `base`, or
/// `None` if it breaks the day window, an opening window, or a leg has no road.
pub fn schedule(ctx: &Context<'_>, base: usize, due_firms: &[usize]) -> Option<DayTimes> {
    let policy = &ctx.instance.policy;
    let (day_start, day_end) = (policy.day_start.minutes(), policy.day_end.minutes());
    let mut visits = Vec::with_capacity(due_firms.len());
    let mut at = base;
    let mut clock = day_start;
    let mut km = 0.0;
    for &d in due_firms {
        let leg = ctx.leg(at, ctx.firm_loc[d])?;
        let arrive = clock + leg.minutes;
        let (start, end) = visit_at(ctx, d, arrive)?;
        visits.push(TimedVisit {
            arrive,
            start,
            end,
            travel_min: leg.minutes,
            km: leg.km,
        });
        km += leg.km;
        clock = end;
        at = ctx.firm_loc[d];
    }
    let back = ctx.leg(at, base)?;
    let ret = clock + back.minutes;
    if ret > day_end {
        return None;
    }
    km += back.km;
    // Leave as late as the first visit allows: no waiting at the first firm's gate.
    let depart = match visits.first_mut() {
        Some(first) => {
            first.arrive = first.start;
            first.start - first.travel_min
        }
        None => day_start,
    };
    Some(DayTimes {
        depart,
        ret,
        km: round_km(km),
        visits,
    })
}

/// Whether a crew from location `base` can visit due firm `d` alone within the day.
pub fn schedule_single(ctx: &Context<'_>, base: usize, d: usize) -> bool {
    schedule(ctx, base, &[d]).is_some()
}
