//! The first solver: priority-order greedy construction of crews, days and routes.
//!
//! It always returns a roster that passes the checker: every move is checked against
//! every hard rule before it is applied. Quality (bounds, local search) builds on it.

mod explain;
mod greedy;
mod lns;
mod route;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::context::Context;
use crate::model::{Clock, Crew, Instance, Kpis, Roster, SolverInfo, Unscheduled, Visit};
use crate::objective;
use crate::travel::{TravelError, round_km};

pub use route::{DayTimes, TimedVisit};

/// The time limit of the command line and the service when none is given, seconds: the
/// search uses it unless it is done sooner.
pub const DEFAULT_TIME_LIMIT_SECONDS: f64 = 10.0;

/// How to run a solve.
pub struct SolveOptions<'a> {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Stop after this long: the improvement search returns its best so far, and firms the
    /// construction never reached are reported `time_limit`. The search uses all of it
    /// unless it is done earlier (coverage at the proven bound and the cost no longer
    /// improving) or `iterations` caps it.
    pub time_limit: Option<Duration>,
    /// Improvement iterations per worker at most (`Some(0)`: construction only; `None`: no
    /// cap, the search runs until the time limit or until it is done).
    pub iterations: Option<usize>,
    /// Called after each firm is considered.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// Seed of the improvement search alone; `None`: the policy's seed, which also drives
    /// the random draw. Another search seed re-plans the same due list.
    pub search_seed: Option<u64>,
    /// Set by another thread to stop the solve soon, as if the time limit had run out (a
    /// service shutting down does not wait out a long search).
    pub stop: Option<&'a AtomicBool>,
}

impl Default for SolveOptions<'_> {
    fn default() -> Self {
        SolveOptions {
            threads: 1,
            time_limit: None,
            iterations: Some(0),
            progress: None,
            search_seed: None,
            stop: None,
        }
    }
}

/// Progress of a running solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Due firms considered so far by the construction.
    pub considered: usize,
    /// Due firms in all.
    pub total: usize,
    /// Firms placed so far (by the best roster, during the improvement).
    pub scheduled: usize,
    /// Improvement iterations done by each worker (0 during the construction).
    pub iteration: usize,
    /// The iteration cap per worker (0: none, the search runs on the clock).
    pub iterations: usize,
    /// Weighted coverage of the best roster so far (0–1).
    pub coverage: f64,
    /// The proven bound on weighted coverage, when already known.
    pub bound: Option<f64>,
    /// Cost (day rates and km, CNY) of the best roster so far.
    pub cost_cny: f64,
}

/// When a search must stop: at the time limit's deadline, or once `stop` is set.
#[derive(Clone, Copy)]
pub(crate) struct Until<'a> {
    pub deadline: Option<Instant>,
    pub stop: Option<&'a AtomicBool>,
}

impl Until<'_> {
    pub fn reached(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
            || self
                .stop
                .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// Why a solve could not run at all (bad input is the validator's business).
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The road network cannot be used.
    #[error("travel: {0}")]
    Travel(#[from] TravelError),
    /// The worker pool could not start.
    #[error("could not start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The system's reason.
        message: String,
    },
}

/// Whether a crew from location `base` can visit due firm `d` alone within the day.
pub fn schedule_single(ctx: &Context<'_>, base: usize, d: usize) -> bool {
    route::schedule(ctx, base, &[d]).is_some()
}

/// Solves the instance: due list, crews, routes and times, unscheduled firms explained.
///
/// ```
/// use sweep_solver::{solve, SolveOptions, check, model::Instance};
/// let instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
/// let roster = solve(&instance, &SolveOptions::default()).unwrap();
/// assert!(check(&instance, &roster).is_empty());
/// assert_eq!(roster.kpis.scheduled, 2);
/// ```
pub fn solve(instance: &Instance, options: &SolveOptions<'_>) -> Result<Roster, SolveError> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SolveError::Threads {
            threads,
            message: e.to_string(),
        })?;
    pool.install(|| {
        let cities = crate::cities::cities(instance);
        if cities.len() > 1 {
            return crate::cities::solve(instance, options, &cities, threads, started);
        }
        let ctx = Context::new(instance)?;
        Ok(solve_context(&ctx, options, threads, started, true))
    })
}

/// The solve proper, inside a worker pool: construction, improvement, assembly and bound.
/// `with_bound: false` leaves the bound to the caller (a city's bound needs a wider pool).
pub(crate) fn solve_context(
    ctx: &Context<'_>,
    options: &SolveOptions<'_>,
    threads: usize,
    started: Instant,
    with_bound: bool,
) -> Roster {
    let instance = ctx.instance;
    // The bound comes first (milliseconds at city scale) so that progress can show the gap.
    // A bound that cannot be computed leaves `bound` empty rather than failing the plan.
    let bound = if with_bound {
        crate::bound::coverage_bound(ctx).ok()
    } else {
        None
    };
    let with_gap = |p: Progress| {
        if let Some(report) = options.progress {
            report(Progress { bound, ..p });
        }
    };
    let progress: Option<&(dyn Fn(Progress) + Sync)> = options
        .progress
        .map(|_| &with_gap as &(dyn Fn(Progress) + Sync));
    let total_weight: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
    let mut placed_weight = 0.0;
    let mut placed_cost = 0.0;
    let mut state = greedy::State::new(ctx);
    let total = ctx.due_count();
    let mut stopped_at = total;
    let mut scheduled = 0;
    let until = Until {
        deadline: options.time_limit.map(|limit| started + limit),
        stop: options.stop,
    };
    for d in 0..total {
        if until.reached() {
            stopped_at = d;
            break;
        }
        if let Some(mv) = greedy::best_move(ctx, &state, d) {
            state.apply(d, mv);
            scheduled += 1;
            placed_weight += ctx.due.due[d].weight;
            if progress.is_some() {
                placed_cost = objective::Breakdown::of_crews(
                    ctx,
                    state.crews.iter().map(greedy::CrewState::view),
                )
                .cost_cny();
            }
        }
        if let Some(progress) = progress {
            let coverage = if total_weight > 0.0 {
                placed_weight / total_weight
            } else {
                1.0
            };
            progress(Progress {
                considered: d + 1,
                total,
                scheduled,
                iteration: 0,
                iterations: options.iterations.unwrap_or(0),
                coverage,
                bound: None,
                cost_cny: placed_cost,
            });
        }
    }
    let outcome = if stopped_at == total {
        let budget = lns::Budget {
            iterations: options.iterations,
            until,
            bound,
        };
        lns::improve(
            ctx,
            state,
            options.search_seed.unwrap_or(instance.policy.seed),
            threads,
            &budget,
            progress,
        )
    } else {
        lns::Outcome {
            state,
            iterations: 0,
            ended: lns::Ended::Clock,
        }
    };
    let mut roster = assemble(
        ctx,
        &outcome.state,
        stopped_at,
        started,
        threads,
        options.time_limit,
    );
    roster.solver.iterations = Some(outcome.iterations as u64);
    if outcome.iterations > 0 {
        let ended = match outcome.ended {
            lns::Ended::Nothing => "",
            lns::Ended::Iterations => "the iteration cap",
            lns::Ended::Clock => "the time limit",
            lns::Ended::Done => "coverage at its bound and no better cost",
        };
        roster.solver.algorithm = format!(
            "greedy-priority-insertion + adaptive ruin-and-recreate, record-to-record acceptance ({} iterations x {threads} workers, ended by {ended})",
            outcome.iterations
        );
        if let Some(seed) = options.search_seed {
            roster.solver.algorithm += &format!(", search seed {seed}");
        }
    }
    if let Some(bound) = bound {
        roster.kpis.bound = Some(bound);
        roster.kpis.gap = Some(bound - roster.kpis.weighted_coverage);
    }
    roster.solver.seconds = started.elapsed().as_secs_f64();
    roster
}

fn assemble(
    ctx: &Context<'_>,
    state: &greedy::State,
    stopped_at: usize,
    started: Instant,
    threads: usize,
    time_limit: Option<Duration>,
) -> Roster {
    let instance = ctx.instance;
    let firm_id = |d: usize| instance.enterprises[ctx.due.enterprise_index[d]].id.clone();
    let mut crews: Vec<Crew> = state
        .crews
        .iter()
        .map(|c| {
            let officer = &instance.officers[c.officer];
            let date = ctx.days[c.day];
            let mut experts: Vec<String> = c
                .experts
                .iter()
                .map(|&e| instance.experts[e].id.clone())
                .collect();
            experts.sort();
            Crew {
                id: format!("{date}/{}", officer.id),
                date,
                officer: officer.id.clone(),
                experts,
                depart: Clock(c.times.depart),
                return_: Clock(c.times.ret),
                distance_km: c.times.km,
                visits: c
                    .route
                    .iter()
                    .zip(&c.times.visits)
                    .map(|(&d, t)| Visit {
                        enterprise: firm_id(d),
                        arrive: Clock(t.arrive),
                        start: Clock(t.start),
                        end: Clock(t.end),
                        travel_min: t.travel_min,
                        distance_km: t.km,
                        reason: ctx.due.due[d].reason,
                    })
                    .collect(),
            }
        })
        .collect();
    crews.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.officer.cmp(&b.officer)));

    let nobody_booked = greedy::State::new(ctx);
    let unscheduled = (0..ctx.due_count())
        .filter(|&d| state.placed[d].is_none())
        .map(|d| {
            let (code, message) = if d >= stopped_at {
                (
                    "time_limit",
                    "the time limit ran out before this firm was considered".to_string(),
                )
            } else {
                explain::explain(ctx, state, &nobody_booked, d)
            };
            Unscheduled {
                enterprise: firm_id(d),
                mandatory: ctx.due.due[d].mandatory,
                code: code.into(),
                message,
            }
        })
        .collect();

    Roster {
        plan: instance.name.clone(),
        horizon: instance.horizon,
        kpis: kpis(ctx, state),
        crews,
        due: ctx.due.due.clone(),
        unscheduled,
        excluded: ctx.due.excluded.clone(),
        draw: ctx.due.draw.clone(),
        solver: SolverInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            seed: instance.policy.seed,
            threads: threads as u32,
            seconds: started.elapsed().as_secs_f64(),
            algorithm: "greedy-priority-insertion".into(),
            time_limit: time_limit.map(|t| t.as_secs_f64()),
            iterations: None,
        },
    }
}

fn kpis(ctx: &Context<'_>, state: &greedy::State) -> Kpis {
    let due = &ctx.due.due;
    let placed = |d: &usize| state.placed[*d].is_some();
    let all: Vec<usize> = (0..due.len()).collect();
    let weight = |ds: &mut dyn Iterator<Item = &usize>| ds.map(|&d| due[d].weight).sum::<f64>();
    let due_weight = weight(&mut all.iter());
    let done_weight = weight(&mut all.iter().filter(|d| placed(d)));
    let expert_days: u32 = state.expert_used.iter().sum();
    let distance_km = round_km(state.crews.iter().map(|c| c.times.km).sum());
    let breakdown =
        objective::Breakdown::of_crews(ctx, state.crews.iter().map(greedy::CrewState::view));
    let utilisation: Vec<f64> = state
        .expert_used
        .iter()
        .zip(&ctx.expert_max)
        .filter(|(_, m)| **m > 0)
        .map(|(&n, &m)| n as f64 / m as f64)
        .collect();
    Kpis {
        due: due.len() as u32,
        mandatory_due: due.iter().filter(|f| f.mandatory).count() as u32,
        scheduled: all.iter().filter(|d| placed(d)).count() as u32,
        mandatory_scheduled: all
            .iter()
            .filter(|d| placed(d) && due[**d].mandatory)
            .count() as u32,
        weighted_coverage: if due_weight > 0.0 {
            done_weight / due_weight
        } else {
            1.0
        },
        expert_days,
        cost_cny: (breakdown.cost_cny() * 100.0).round() / 100.0, // to the fen
        distance_km,
        workload_spread: std_dev(&utilisation),
        bound: None,
        gap: None,
        objective: Some(breakdown.to_map()),
    }
}

/// Population standard deviation (0 for an empty list).
pub fn std_dev(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}
