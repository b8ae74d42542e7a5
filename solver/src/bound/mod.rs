//! Proven upper bounds on the weighted coverage any valid roster can reach.
//!
//! Two relaxations, both valid, and the bound is the smaller:
//!
//! - `patterns`: counts of visit classes per crew-day and capacities summed over the
//!   horizon; milliseconds, but blind to where an officer's crews can drive in a day.
//! - `columns`: column generation over officers' actual crew-days (routes from the base
//!   within the day, with a qualified team of named experts), priced exactly by
//!   `pricing` and `teams`, with a Lagrangian bound that holds at every round.
//!
//! On a small month, `exact` then closes what is left between the crew-day bound and a
//! roster: an integer master over every crew-day that could be in a better one.
//!
//! `possible_firms` holds the exact tests of whether a due firm can be visited at all.

mod columns;
mod exact;
mod patterns;
mod pricing;
mod teams;

pub use columns::{CREW_DAY_BOUND_FROM, Column, Effort};
pub use exact::ExactCrew;

/// Due firms a month may have for [`proven_bound`] to try the integer master.
pub const CLOSE_UP_TO: usize = 150;

use crate::context::Context;
use crate::route::schedule_single;

/// Why no bound could be computed.
#[derive(Debug, thiserror::Error)]
#[error("the LP relaxation could not be solved: {0}")]
pub struct BoundError(String);

/// An upper bound on the weighted coverage any valid roster of `ctx` can reach (0–1).
/// `seeds` are crew-days known to be valid (a roster's crews) to start the column
/// generation from; any valid crew-days will do, none at all too.
pub fn coverage_bound(
    ctx: &Context<'_>,
    seeds: &[Column],
    effort: Effort,
) -> Result<f64, BoundError> {
    bound_with(ctx, seeds, effort, false).map(|proven| proven.bound)
}

/// A bound and, where a small month was closed exactly, its optimum.
#[derive(Debug, Clone)]
pub struct Proven {
    /// Upper bound on the weighted coverage of any roster (0–1).
    pub bound: f64,
    /// The month's optimum, when it was closed exactly.
    pub optimum: Option<Optimum>,
}

/// The integer master's best roster. When `proven`, no other beats it on the objective's
/// first two levels: none schedules more mandatory visits, and none that schedules as
/// many reaches a higher weighted coverage, as long as the rules the integer master
/// leaves out hold for its crews (the construction checks them).
#[derive(Debug, Clone)]
pub struct Optimum {
    /// Its weighted coverage (0–1).
    pub coverage: f64,
    /// Its crews.
    pub crews: Vec<ExactCrew>,
    /// Whether it is proven optimal (else the integer master's node budget ran out).
    pub proven: bool,
}

/// [`coverage_bound`], and on a month of at most [`CLOSE_UP_TO`] due firms the integer
/// master over the crew-days near the optimum (see `exact`), which closes the month
/// where it can.
pub fn proven_bound(
    ctx: &Context<'_>,
    seeds: &[Column],
    effort: Effort,
) -> Result<Proven, BoundError> {
    bound_with(ctx, seeds, effort, ctx.due_count() <= CLOSE_UP_TO)
}

fn bound_with(
    ctx: &Context<'_>,
    seeds: &[Column],
    effort: Effort,
    close: bool,
) -> Result<Proven, BoundError> {
    let just = |bound: f64| Proven {
        bound,
        optimum: None,
    };
    let total_weight: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
    if ctx.due_count() == 0 || total_weight <= 0.0 {
        return Ok(just(1.0));
    }
    let possible = possible_firms(ctx);
    if possible.is_empty() {
        return Ok(just(0.0));
    }
    let patterns = patterns::bound(ctx)?;
    if effort.rounds == 0 {
        return Ok(just(patterns));
    }
    // A crew-day bound that fails (the LP solver gave up) leaves the pattern bound; day
    // sets are 64-bit masks, so a horizon of more sweep days keeps the pattern bound too.
    if ctx.days.len() > columns::MAX_DAYS {
        return Ok(just(patterns));
    }
    let crew_days = columns::CrewDays::new(ctx, &possible);
    let Ok(generated) = columns::generate(&crew_days, columns::Worth::Weight, seeds, effort) else {
        return Ok(just(patterns));
    };
    // Sums of up to thousands of rounded prices: a margin for their rounding.
    let bound = (generated.bound + 1e-9).min(patterns).clamp(0.0, 1.0);
    if !close {
        return Ok(just(bound));
    }
    // The objective puts mandatory visits first: closing works on that order, from its own
    // column generation, so that the optimum is the objective's.
    let optimum = columns::generate(&crew_days, columns::Worth::MandatoryFirst, seeds, effort)
        .ok()
        .and_then(|generated| exact::close(&crew_days, &generated))
        .and_then(|closed| {
            Some(Optimum {
                coverage: closed.coverage,
                crews: closed.crews?,
                proven: closed.proven,
            })
        });
    Ok(Proven { bound, optimum })
}

/// The most days each officer and each expert can work in the horizon:
/// min(`max_days`, sweep days on duty). Both relaxations cap crew-days by these.
pub(crate) struct Capacities {
    pub officer_days: Vec<f64>,
    pub expert_days: Vec<f64>,
}

pub(crate) fn capacities(ctx: &Context<'_>) -> Capacities {
    let days = ctx.days.len();
    let count = |on_duty: &dyn Fn(usize) -> bool, max: u32| -> f64 {
        ((0..days).filter(|&t| on_duty(t)).count() as u32).min(max) as f64
    };
    Capacities {
        officer_days: (0..ctx.instance.officers.len())
            .map(|o| count(&|t| ctx.officer_on_duty(o, t), ctx.officer_max[o]))
            .collect(),
        expert_days: (0..ctx.instance.experts.len())
            .map(|e| count(&|t| ctx.expert_on_duty(e, t), ctx.expert_max[e]))
            .collect(),
    }
}

/// The due firms some valid roster could visit: the others fail a test every visit must
/// pass (an open day, a serving officer whose crew can make the visit within a day, a team
/// size within the policy, and on some open day enough experts on duty who may check it to
/// cover its specialties and its tier). These tests are exact.
///
/// Like every test of the bounds, these assume legs obey the triangle inequality (a crew
/// that cannot reach a firm directly in time cannot reach it through another): true of
/// road-network shortest paths and great-circle distances, assumed of a user matrix.
pub(crate) fn possible_firms(ctx: &Context<'_>) -> Vec<usize> {
    (0..ctx.due_count())
        .filter(|&f| can_ever_visit(ctx, f))
        .collect()
}

/// Whether officer `o` may visit due firm `f` and its crew can make that one visit within
/// a day from the base.
fn reaches(ctx: &Context<'_>, o: usize, f: usize) -> bool {
    ctx.officer_serves(o, f) && ctx.officer_loc[o].is_some_and(|base| schedule_single(ctx, base, f))
}

fn can_ever_visit(ctx: &Context<'_>, f: usize) -> bool {
    let req = &ctx.reqs[f];
    let open_days: Vec<usize> = (0..ctx.days.len())
        .filter(|&t| ctx.firm_open(f, t))
        .collect();
    if open_days.is_empty() || req.team_size > ctx.instance.policy.max_team {
        return false;
    }
    if !(0..ctx.instance.officers.len()).any(|o| reaches(ctx, o, f)) {
        return false;
    }
    // On some open day, the experts on duty who may check f must cover its specialties,
    // reach its tier and be numerous enough (necessary conditions of a qualified team).
    open_days.iter().any(|&t| {
        let pool: Vec<usize> = (0..ctx.instance.experts.len())
            .filter(|&e| ctx.expert_on_duty(e, t) && !ctx.avoids(e, f) && ctx.expert_max[e] > 0)
            .collect();
        let covered = pool.iter().fold(0, |m, &e| m | ctx.expert_masks[e]);
        covered & ctx.req_masks[f] == ctx.req_masks[f]
            && pool.iter().any(|&e| ctx.tier(e) >= req.min_tier)
            && pool.len() >= req.team_size as usize
    })
}
