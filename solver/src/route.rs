//! Timing of one crew's day: leave the base, visit the firms in order, come back.
//!
//! Crews drive straight from stop to stop and wait on site for opening time; departure
//! is pushed as late as the first visit allows, so nobody waits at the first gate; the
//! lunch break goes where the day needs it ([`crate::rules::lunch`]). The
//! timing is the routing engine's ([`crate::vrptw::Route`], whose timing and insertion
//! scoring `bench solomon` also runs) over the crew-day's stops ([`CrewDayStops`]).

use crate::context::Context;
use crate::rules::timing::{self, check_window};
use crate::travel::round_km;
use crate::vrptw::{Route, Stops};

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
    /// The lunch break (start, end) when the crew takes it on the road.
    pub lunch: Option<(u32, u32)>,
    /// The routing engine's route of the day (stops as [`CrewDayStops`]), which scores
    /// the next insertion in O(1).
    pub path: Route,
}

impl DayTimes {
    /// The due firms of the day in visiting order.
    pub fn firms(&self) -> Vec<usize> {
        self.path
            .customers()
            .iter()
            .map(|&s| CrewDayStops::firm_of(s))
            .collect()
    }
}

/// A crew-day's stops as the routing engine ([`crate::vrptw::Route`]) sees them: stop 0 is
/// the officer's base, stop `d + 1` is due firm `d`. The base's window is the policy's day
/// (leave no earlier than `day_start`, back by `day_end`); a firm's window for the start
/// of its check ends early enough that the check ends within its hours and the day.
pub struct CrewDayStops<'c, 'a> {
    ctx: &'c Context<'a>,
    base: usize,
}

impl<'c, 'a> CrewDayStops<'c, 'a> {
    /// The stops of a crew leaving from location `base`.
    pub fn new(ctx: &'c Context<'a>, base: usize) -> Self {
        CrewDayStops { ctx, base }
    }

    /// The engine's stop of due firm `d`.
    pub fn of_firm(d: usize) -> usize {
        d + 1
    }

    /// The due firm of the engine's stop `s` (not the base, stop 0).
    pub fn firm_of(s: usize) -> usize {
        s - 1
    }

    fn location(&self, s: usize) -> usize {
        if s == 0 {
            self.base
        } else {
            self.ctx.firm_loc[Self::firm_of(s)]
        }
    }
}

impl Stops for CrewDayStops<'_, '_> {
    #[inline]
    fn leg(&self, a: usize, b: usize) -> Option<(f64, f64)> {
        let leg = self.ctx.leg(self.location(a), self.location(b))?;
        Some((f64::from(leg.minutes), leg.km))
    }

    fn ready(&self, s: usize) -> f64 {
        match s {
            0 => f64::from(timing::day_start(self.ctx)),
            _ => f64::from(check_window(self.ctx, Self::firm_of(s)).0),
        }
    }

    fn latest_start(&self, s: usize) -> f64 {
        match s {
            0 => f64::from(timing::back_by(self.ctx)),
            _ => check_window(self.ctx, Self::firm_of(s)).1 as f64,
        }
    }

    fn service(&self, s: usize) -> f64 {
        match s {
            0 => 0.0,
            _ => f64::from(self.ctx.reqs[Self::firm_of(s)].duration_min),
        }
    }
}

/// Times the route `due_firms` (due-list indices) from the base at location `base`, or
/// `None` if it breaks the day window, an opening window, or a leg has no road.
pub fn schedule(ctx: &Context<'_>, base: usize, due_firms: &[usize]) -> Option<DayTimes> {
    let stops = CrewDayStops::new(ctx, base);
    let nodes: Vec<usize> = due_firms
        .iter()
        .map(|&d| CrewDayStops::of_firm(d))
        .collect();
    let path = Route::new(&stops, &nodes)?;
    times_of(ctx, path)
}

/// The clock times of an engine route that keeps every window ([`timing::time_day`]:
/// with the lunch break where the day needs one), or `None` when the break does not fit.
/// Whole minutes: every leg, window and duration is a whole number of minutes.
fn times_of(ctx: &Context<'_>, path: Route) -> Option<DayTimes> {
    let firms: Vec<usize> = path
        .customers()
        .iter()
        .map(|&s| CrewDayStops::firm_of(s))
        .collect();
    let legs: Vec<(f64, f64)> = (1..=firms.len() + 1).map(|i| path.leg_into(i)).collect();
    let travel: Vec<u32> = legs.iter().map(|&(minutes, _)| minutes as u32).collect();
    let day = timing::time_day(ctx, &firms, &travel)?;
    let visits = day
        .steps
        .iter()
        .zip(&legs)
        .map(|(step, &(minutes, km))| TimedVisit {
            arrive: step.arrive,
            start: step.start,
            end: step.end,
            travel_min: minutes as u32,
            km,
        })
        .collect();
    let mut visits: Vec<TimedVisit> = visits;
    // Leave as late as the first visit allows: no waiting at the first firm's gate.
    if let Some(first) = visits.first_mut() {
        first.arrive = day.depart + first.travel_min;
    }
    Some(DayTimes {
        depart: day.depart,
        ret: day.ret,
        km: round_km(path.distance),
        visits,
        lunch: day.lunch,
        path,
    })
}

/// The crew's day with due firm `d` added where it costs the fewest km (then where the
/// crew is back soonest), scored in O(1) per position from the day's engine route, and the visits
/// then reordered by the engine's intra-route improvement; `None` if it fits nowhere.
///
/// The engine scores without the lunch break: when the best position's day has no room
/// for it, the order before the improvement, then the other positions by what they add,
/// are tried.
pub fn best_insertion(
    ctx: &Context<'_>,
    base: usize,
    day: &DayTimes,
    d: usize,
) -> Option<DayTimes> {
    let stops = CrewDayStops::new(ctx, base);
    let c = CrewDayStops::of_firm(d);
    let (position, _) = day.path.best_insertion(&stops, c)?;
    let mut path = day.path.clone();
    path.insert(&stops, c, position);
    let unimproved = path.clone();
    path.improve(&stops);
    if let Some(times) = times_of(ctx, path) {
        return Some(times);
    }
    if let Some(times) = times_of(ctx, unimproved) {
        return Some(times);
    }
    let mut others: Vec<(f64, usize)> = (0..day.path.customers().len() + 1)
        .filter(|&i| i != position)
        .filter_map(|i| day.path.insertion(&stops, c, i).map(|add| (add.cost, i)))
        .collect();
    others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    others.into_iter().find_map(|(_, i)| {
        let mut path = day.path.clone();
        path.insert(&stops, c, i);
        times_of(ctx, path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Clock, Instance};

    fn two_firms() -> Instance {
        serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads")
    }

    /// Due-list index of firm `id`.
    fn due(ctx: &Context<'_>, id: &str) -> usize {
        ctx.due_index(id).unwrap()
    }

    /// The example without a lunch break (its own test below).
    fn two_firms_no_lunch() -> Instance {
        let mut instance = two_firms();
        instance.policy.lunch_break.minutes = 0;
        instance
    }

    #[test]
    fn a_day_is_timed_leg_by_leg_with_waiting_for_opening_and_a_late_departure() {
        let mut instance = two_firms_no_lunch();
        // F1 opens at 10:00; both checks take 150 minutes (not chemical, not mining).
        instance.enterprises[0].hours = Some(crate::model::Hours {
            open: Clock(600),
            close: Clock(1050),
        });
        let ctx = Context::new(&instance).unwrap();
        let base = ctx.officer_loc[0].unwrap();
        let (f1, f2) = (due(&ctx, "F1"), due(&ctx, "F2"));
        let leg = |a: usize, b: usize| ctx.leg(a, b).unwrap();
        let (l1, l12, l2) = (
            leg(base, ctx.firm_loc[f1]),
            leg(ctx.firm_loc[f1], ctx.firm_loc[f2]),
            leg(ctx.firm_loc[f2], base),
        );
        let day = schedule(&ctx, base, &[f1, f2]).expect("fits in the day");
        // Leave as late as reaching F1 at its opening allows.
        assert_eq!(day.depart, 600 - l1.minutes);
        assert_eq!(
            (day.visits[0].arrive, day.visits[0].start, day.visits[0].end),
            (600, 600, 750)
        );
        // F2 (open from 08:30) is started on arrival.
        let arrive = 750 + l12.minutes;
        assert_eq!(
            (day.visits[1].arrive, day.visits[1].start, day.visits[1].end),
            (arrive, arrive, arrive + 150)
        );
        assert_eq!(day.ret, arrive + 150 + l2.minutes);
        assert!((day.km - round_km(l1.km + l12.km + l2.km)).abs() < 1e-9);
        assert_eq!(day.firms(), vec![f1, f2]);
        // The checks no longer fit when F2 must be done by 13:00 (it would start after
        // 12:30), nor when the day ends before the crew is back.
        instance.enterprises[1].hours = Some(crate::model::Hours {
            open: Clock(510),
            close: Clock(780),
        });
        let ctx = Context::new(&instance).unwrap();
        assert!(schedule(&ctx, base, &[f1, f2]).is_none());
        assert!(schedule(&ctx, base, &[f2, f1]).is_some());
        let mut short_day = two_firms_no_lunch();
        short_day.policy.day_end = Clock(arrive + 150 + l2.minutes - 1);
        short_day.enterprises[0].hours = instance.enterprises[0].hours;
        let ctx = Context::new(&short_day).unwrap();
        assert!(schedule(&ctx, base, &[f1, f2]).is_none());
        assert!(schedule(&ctx, base, &[f1]).is_some());
    }

    #[test]
    fn the_lunch_break_goes_where_the_crew_is_back_soonest() {
        // Two 150-minute checks from 08:30 with no waiting: the break costs an hour.
        let instance = two_firms();
        let ctx = Context::new(&instance).unwrap();
        let base = ctx.officer_loc[0].unwrap();
        let (f1, f2) = (due(&ctx, "F1"), due(&ctx, "F2"));
        let plain = {
            let no_lunch = two_firms_no_lunch();
            let ctx = Context::new(&no_lunch).unwrap();
            schedule(&ctx, base, &[f1, f2]).unwrap()
        };
        let day = schedule(&ctx, base, &[f1, f2]).expect("fits with the break");
        let (start, end) = day.lunch.expect("out over noon: a break on the road");
        assert_eq!(end - start, 60);
        assert!(start >= 690 && end <= 810, "{start}–{end}");
        // An hour later back than without it, and never while driving.
        assert_eq!(day.ret, plain.ret + 60);
        for v in &day.visits {
            let drive = (v.arrive - v.travel_min, v.arrive);
            assert!(end <= drive.0 || start >= drive.1, "{drive:?}");
        }
        // Back by 12:30 (one short check): no break; a day that cannot also hold the
        // hour does not fit.
        let alone = schedule(&ctx, base, &[f1]).unwrap();
        assert!(alone.ret <= 750 && alone.lunch.is_none(), "{alone:?}");
        let mut tight = two_firms();
        tight.policy.day_end = Clock(plain.ret + 59);
        let ctx = Context::new(&tight).unwrap();
        assert!(schedule(&ctx, base, &[f1, f2]).is_none());
        tight.policy.day_end = Clock(plain.ret + 60);
        let ctx = Context::new(&tight).unwrap();
        assert!(schedule(&ctx, base, &[f1, f2]).is_some());
    }

    #[test]
    fn a_firm_joins_where_it_adds_the_fewest_km_and_the_day_is_reordered() {
        let instance = two_firms();
        let ctx = Context::new(&instance).unwrap();
        let base = ctx.officer_loc[0].unwrap();
        let (f1, f2) = (due(&ctx, "F1"), due(&ctx, "F2"));
        let alone = schedule(&ctx, base, &[f1]).unwrap();
        let joined = best_insertion(&ctx, base, &alone, f2).expect("both fit in a day");
        let best = [vec![f1, f2], vec![f2, f1]]
            .iter()
            .filter_map(|r| schedule(&ctx, base, r))
            .map(|d| d.km)
            .fold(f64::INFINITY, f64::min);
        assert!((joined.km - best).abs() < 1e-9);
        assert_eq!(
            Some(&joined),
            schedule(&ctx, base, &joined.firms()).as_ref()
        );
    }
}
