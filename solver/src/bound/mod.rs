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
//! `possible_firms` keeps the due firms no rule rules out alone (`crate::rules::never`).

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
use crate::rules;

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
    // Two crew-day bounds under the seat rule, the lower one kept: teams priced without
    // the rule (a relaxation; pricing stays small) and with it (tighter where the rule
    // binds, but pricing explores firms without gain too, and where its node budget runs
    // out the bound falls back towards the patterns'). Measured on generated tiny months,
    // neither is the lower on every month, nor closes every month the other closes. The
    // second is only for months small enough to close (on Cangzhou's month it doubled the
    // bound's time and gave the same bound).
    let small = ctx.due_count() <= CLOSE_UP_TO;
    let variants: &[bool] = if ctx.instance.policy.experts_cover_a_specialty && small {
        &[false, true]
    } else {
        &[false]
    };
    let mut generated: Vec<(f64, columns::CrewDays<'_>)> = Vec::new();
    for &seated in variants {
        let crew_days = columns::CrewDays::new(ctx, &possible, seated);
        if let Ok(g) = columns::generate(&crew_days, columns::Worth::Weight, seeds, effort) {
            generated.push((g.bound, crew_days));
        }
    }
    generated.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(&(lowest, _)) = generated.first() else {
        return Ok(just(patterns));
    };
    // Sums of up to thousands of rounded prices: a margin for their rounding.
    let bound = (lowest + 1e-9).min(patterns).clamp(0.0, 1.0);
    if !close {
        return Ok(just(bound));
    }
    // The objective puts mandatory visits first: closing works on that order, from its own
    // column generation, so that the optimum is the objective's. The tighter variant
    // first; the other when it leaves the month open.
    let mut optimum: Option<Optimum> = None;
    for (_, crew_days) in &generated {
        let closed = columns::generate(crew_days, columns::Worth::MandatoryFirst, seeds, effort)
            .ok()
            .and_then(|generated| exact::close(crew_days, &generated))
            .and_then(|closed| {
                Some(Optimum {
                    coverage: closed.coverage,
                    crews: closed.crews?,
                    proven: closed.proven,
                })
            });
        // A proven optimum is kept whatever came before; of unproven ones, the first.
        if let Some(closed) = closed {
            let proven = closed.proven;
            if proven || optimum.is_none() {
                optimum = Some(closed);
            }
            if proven {
                break;
            }
        }
    }
    Ok(Proven { bound, optimum })
}

/// The most days each officer and each expert can work in the horizon:
/// min(`max_days`, sweep days on duty), for an officer within the week and the run
/// limits too. Both relaxations cap crew-days by these.
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
            .map(|o| {
                let on_duty = |t| rules::people::officer_on_duty(ctx, o, t);
                count(&on_duty, ctx.officer_max[o])
                    .min(rules::workload::officer_most_days(ctx, on_duty) as f64)
            })
            .collect(),
        expert_days: (0..ctx.instance.experts.len())
            .map(|e| {
                count(
                    &|t| rules::people::expert_on_duty(ctx, e, t),
                    ctx.expert_max[e],
                )
            })
            .collect(),
    }
}

/// The due firms some valid roster could visit: the others break a rule whatever else is
/// planned ([`rules::never`], which is exact).
///
/// Like every test of the bounds, this assumes legs obey the triangle inequality (a crew
/// that cannot reach a firm directly in time cannot reach it through another): true of
/// road-network shortest paths and great-circle distances, assumed of a user matrix.
pub(crate) fn possible_firms(ctx: &Context<'_>) -> Vec<usize> {
    (0..ctx.due_count())
        .filter(|&f| rules::never(ctx, f).is_none())
        .collect()
}
