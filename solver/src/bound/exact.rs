//! Closing a small month: the integer master over every crew-day that could be in a
//! roster near the optimum; its optimum is both a roster and the proof.
//!
//! It works in the objective's order (mandatory visits, then weight; `Worth::MandatoryFirst`),
//! from the column generation's end: prices (σ, β ≥ 0), each officer's
//! `α_o ≥ max(0, p_c)` over its crew-days, and the bound `L` they give. For any roster `λ`
//! (its crews, each a crew-day), `L − z(λ)` is a sum of non-negative slacks, among them
//! `Σ_c λ_c (α_o − p_c)`. So every crew-day of a roster worth more than `L − s` has
//! `p_c > α_o − s`: [`pricing::enumerate`] finds every such set of firms, and
//! [`Teams::all`] every minimal team for it within that price (a larger team serves the
//! same firms with more expert-days).
//!
//! Over those crew-days the integer programme
//!
//! ```text
//! max Σ v_c x_c   x_c ∈ {0, 1}
//!   each due firm once at most; each officer's and each expert's days within their
//!   capacities over the horizon
//! ```
//!
//! (microlp's branch and bound in the default build, HiGHS with the `highs` feature, each
//! within a node budget so that the answer does not depend on the machine) holds every
//! roster worth more than `L − s`. When its optimum `z` is above `L − s`, no
//! roster is worth more than `z`. Its crew-days then get days by a search in which nobody
//! is in two crews a day; when that succeeds they are a roster worth `z`, and the month is
//! closed. Otherwise `s` widens (×4) and the crew-days are found again, until there are
//! too many of them or the branch and bound runs out of nodes: then its best solution is
//! only a start for the search, and no bound is claimed. The programme knows fewer rules
//! than the checker, which only makes it a relaxation; the construction takes its crews
//! as a roster only where its own rules accept them.

use rayon::prelude::*;

use super::columns::{CrewDays, Generated};
use super::pricing;
use super::teams::Teams;
use crate::context::Context;
use crate::rules;

/// Search nodes per officer for finding the crew-days.
const NODES: usize = 200_000;

/// Crew-days (a set of firms and a team) at most, over all officers: the integer
/// master's variables (a tiny month's six thousand solve in about a second).
const MAX_CREW_DAYS: usize = 10_000;

/// The first margin below the bound (a share of the month's weight), and its widening.
const FIRST_MARGIN: f64 = 1e-3;
const WIDEN: f64 = 4.0;

/// One crew of the integer master's optimum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactCrew {
    /// Officer index.
    pub officer: usize,
    /// Sweep-day index.
    pub day: usize,
    /// Due-list indices in an order the crew can visit them in.
    pub route: Vec<usize>,
    /// Expert indices, sorted.
    pub experts: Vec<usize>,
}

/// What closing gives: the weighted coverage (0–1) of the optimum, which no roster that
/// schedules as many mandatory visits exceeds (and none schedules more), and, when they
/// could be given days, crews that reach it.
pub(super) struct Closed {
    pub coverage: f64,
    pub crews: Option<Vec<ExactCrew>>,
    /// Whether it is the optimum (else only the best solution the node budget found).
    pub proven: bool,
}

/// The integer master's optimum over the crew-days near the bound, when it is proven
/// (see the module); `None` when the crew-days needed are too many.
pub(super) fn close(days: &CrewDays<'_>, generated: &Generated) -> Option<Closed> {
    let ctx = days.ctx;
    let prices = &generated.prices;
    // The true gains (negative where a firm's price exceeds its weight).
    let worth = days.worth(generated.worth);
    let gain: Vec<f64> = (0..ctx.due_count())
        .map(|f| worth[f] - prices.sigma[f])
        .collect();
    let mut margin = FIRST_MARGIN;
    loop {
        // Past the bound every roster is in: the last round.
        let every_roster = margin >= generated.bound;
        if every_roster {
            margin = generated.bound + 1e-6;
        }
        let candidates = candidates(days, generated, &gain, margin)?;
        let solved = solve(days, worth, &candidates)?;
        // Not proven: no bound, but a roster that may beat the search's start.
        if !solved.proven || every_roster || solved.value > generated.bound - margin {
            return Some(Closed {
                coverage: solved.coverage,
                crews: solved.crews,
                proven: solved.proven,
            });
        }
        margin *= WIDEN;
    }
}

/// A crew-day that could be in a roster near the bound, and the sweep days (bits) it
/// could run on.
struct Candidate {
    officer: usize,
    /// Its firms in visiting order.
    route: Vec<usize>,
    experts: Vec<usize>,
    days: u64,
}

/// Every crew-day with reduced cost above `α_o − margin`, or `None` if too many.
fn candidates(
    days: &CrewDays<'_>,
    generated: &Generated,
    gain: &[f64],
    margin: f64,
) -> Option<Vec<Candidate>> {
    let ctx = days.ctx;
    let prices = &generated.prices;
    let found: Vec<Option<Vec<Candidate>>> = (0..ctx.instance.officers.len())
        .into_par_iter()
        .map(|o| {
            // Rounding margin: more crew-days than needed is only slower.
            let threshold = generated.alpha[o] - margin - 1e-9;
            let mut teams = Teams::new(ctx, &prices.beta, &days.expert_duty);
            let officer = days.officer(o, gain, threshold);
            let sets = pricing::enumerate(&officer, &mut teams, threshold, NODES)?;
            let mut out = Vec::new();
            for set in sets {
                let worth: f64 = set.firms.iter().map(|&f| gain[f]).sum();
                for experts in teams.all(&set.need, worth - threshold, MAX_CREW_DAYS)? {
                    let shared = experts
                        .iter()
                        .fold(set.need.days, |d, &e| d & days.expert_duty[e]);
                    out.push(Candidate {
                        officer: o,
                        route: set.route.clone(),
                        experts,
                        days: shared,
                    });
                }
                if out.len() > MAX_CREW_DAYS {
                    return None;
                }
            }
            Some(out)
        })
        .collect();
    let candidates: Vec<Candidate> = found
        .into_iter()
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    (candidates.len() <= MAX_CREW_DAYS).then_some(candidates)
}

/// What the integer master gives.
struct Solved {
    /// The value of its best solution, in the master's worth.
    value: f64,
    /// That solution's weighted coverage (0–1).
    coverage: f64,
    /// Whether it is proven optimal (else the node budget ran out first).
    proven: bool,
    /// Its crews, when they can be given days on which nobody is in two crews (an optimum
    /// whose crew-days cannot is cut off and the master solved again, up to
    /// [`DAY_TRIES`] times).
    crews: Option<Vec<ExactCrew>>,
}

/// Branch-and-bound nodes microlp may use for the integer master.
#[cfg(not(feature = "highs"))]
const BRANCH_NODES: u64 = 2_000;

/// The integer master's best solution within its node budget and, when its crew-days can
/// be given days on which nobody is in two crews, its crews.
///
/// The programme sums the days over the horizon (the column generation's master, in
/// integers); the days come after, by a search over each crew-day's possible days. The
/// optimum bounds the day-by-day programme as well, so it is a bound either way.
/// `worth`: what each due firm is worth in the master.
fn solve(days: &CrewDays<'_>, worth: &[f64], candidates: &[Candidate]) -> Option<Solved> {
    let ctx = days.ctx;
    let usable: Vec<usize> = (0..candidates.len())
        .filter(|&c| candidates[c].days != 0)
        .collect();
    if usable.is_empty() {
        return Some(Solved {
            value: 0.0,
            coverage: 0.0,
            proven: true,
            crews: Some(Vec::new()),
        });
    }
    let value = |c: usize| -> f64 { candidates[c].route.iter().map(|&f| worth[f]).sum() };
    // Among optima, the cheapest: each crew-day's search cost (on its first possible day)
    // scaled so that all of a roster's together weigh less than a quarter of the smallest
    // weight difference (weights are rounded to 0.01), which leaves the order alone.
    let cost: Vec<f64> = usable
        .iter()
        .map(|&c| {
            crew_cost(
                days,
                &candidates[c],
                candidates[c].days.trailing_zeros() as usize,
            )
        })
        .collect();
    let total_weight: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
    let per_cost = per_cost(days, &cost);
    let objective: Vec<f64> = usable
        .iter()
        .zip(&cost)
        .map(|(&c, cost)| value(c) - per_cost * cost)
        .collect();
    let mut firm_rows: Vec<Vec<usize>> = vec![Vec::new(); ctx.due_count()];
    let mut officer_rows: Vec<Vec<usize>> = vec![Vec::new(); ctx.instance.officers.len()];
    let mut expert_rows: Vec<Vec<usize>> = vec![Vec::new(); ctx.instance.experts.len()];
    for (v, &c) in usable.iter().enumerate() {
        let candidate = &candidates[c];
        for &f in &candidate.route {
            firm_rows[f].push(v);
        }
        officer_rows[candidate.officer].push(v);
        for &e in &candidate.experts {
            expert_rows[e].push(v);
        }
    }
    let caps = &days.capacities;
    // Worths differ by multiples of a step, 0.01/W (weights are rounded to 0.01): a node
    // that cannot gain half a step holds nothing better (the cost tie-break weighs a
    // quarter step at most), so the branch and bound prunes it.
    let tolerance = 0.5 * (0.01 / total_weight) / worth.iter().sum::<f64>().max(1.0);
    let mut master = Master {
        objective,
        // A row that no choice of its variables can break is left out.
        rows: firm_rows
            .into_iter()
            .map(|vs| (vs, 1.0))
            .chain(
                officer_rows
                    .into_iter()
                    .zip(caps.officer_days.iter().copied()),
            )
            .chain(
                expert_rows
                    .into_iter()
                    .zip(caps.expert_days.iter().copied()),
            )
            .filter(|(vs, capacity)| vs.len() as f64 > *capacity)
            .collect(),
        tolerance,
    };
    let mut tries = 0;
    loop {
        let (chosen, proven) = master.solve()?;
        let indices: Vec<usize> = chosen.iter().map(|&v| usable[v]).collect();
        let given = assign_days(days, candidates, &indices);
        tries += 1;
        // Days the search could not settle prove nothing either way: no cut, no proof.
        let proven = proven && !matches!(given, Days::Unknown);
        let crews = match given {
            Days::Given(crews) => Some(crews),
            Days::Impossible | Days::Unknown => None,
        };
        if crews.is_none() && proven && tries == DAY_TRIES {
            // Every optimum tried so far packs people into two crews a day: the days go
            // into the programme itself, which is exact (when it is small enough).
            return solve_by_day(days, worth, candidates, &usable, tolerance);
        }
        if crews.is_some() || !proven {
            return Some(Solved {
                value: indices.iter().map(|&c| value(c)).sum(),
                coverage: indices
                    .iter()
                    .flat_map(|&c| &candidates[c].route)
                    .map(|&f| days.share[f])
                    .sum(),
                proven,
                crews,
            });
        }
        // These crew-days cannot all have days: not this set again. Every roster is still
        // a solution, so the next optimum bounds them as well.
        let at_most = chosen.len() as f64 - 1.0;
        master.rows.push((chosen, at_most));
    }
}

/// The integer master with the days in it: a variable for each usable crew-day on each
/// day it could run, and beside the rows of [`solve`] one row per officer and day and per
/// expert and day (nobody in two crews a day) and the officers' week and run limits. Its optimum is a roster's crews, so it needs
/// no day search and no cuts; it has as many variables as the crew-days have possible
/// days, so it is only tried when those are at most [`DAY_VARIABLES`] (else nothing is
/// claimed).
fn solve_by_day(
    days: &CrewDays<'_>,
    worth: &[f64],
    candidates: &[Candidate],
    usable: &[usize],
    tolerance: f64,
) -> Option<Solved> {
    let ctx = days.ctx;
    let variables: Vec<(usize, usize)> = usable
        .iter()
        .flat_map(|&c| bits(candidates[c].days).map(move |t| (c, t)))
        .collect();
    if variables.len() > DAY_VARIABLES {
        return None;
    }
    let value = |c: usize| -> f64 { candidates[c].route.iter().map(|&f| worth[f]).sum() };
    let cost: Vec<f64> = variables
        .iter()
        .map(|&(c, t)| crew_cost(days, &candidates[c], t))
        .collect();
    let per_cost = per_cost(days, &cost);
    let officers = ctx.instance.officers.len();
    let experts = ctx.instance.experts.len();
    let sweep_days = ctx.days.len();
    let mut firm_rows: Vec<Vec<usize>> = vec![Vec::new(); ctx.due_count()];
    // Per person (officers, then experts): the days over the horizon, then each day.
    let mut horizon_rows: Vec<Vec<usize>> = vec![Vec::new(); officers + experts];
    let mut day_rows: Vec<Vec<usize>> = vec![Vec::new(); (officers + experts) * sweep_days];
    for (v, &(c, t)) in variables.iter().enumerate() {
        let candidate = &candidates[c];
        for &f in &candidate.route {
            firm_rows[f].push(v);
        }
        let people = std::iter::once(candidate.officer)
            .chain(candidate.experts.iter().map(|&e| officers + e));
        for p in people {
            horizon_rows[p].push(v);
            day_rows[p * sweep_days + t].push(v);
        }
    }
    // Each officer's weeks and runs (`rules::workload`): at most so many days of a
    // calendar week, and of any `in_a_row + 1` consecutive sweep days at most `in_a_row`.
    let policy = &ctx.instance.policy;
    let in_a_row = policy.officer_max_days_in_a_row as usize;
    let mut workload_rows: Vec<(Vec<usize>, f64)> = Vec::new();
    for o in 0..officers {
        let on = |t: usize| &day_rows[o * sweep_days + t];
        let mut t = 0;
        while t < sweep_days {
            let week = rules::workload::week(ctx, t);
            let end = (t..sweep_days)
                .find(|&u| rules::workload::week(ctx, u) != week)
                .unwrap_or(sweep_days);
            let row: Vec<usize> = (t..end).flat_map(|u| on(u).iter().copied()).collect();
            workload_rows.push((row, policy.officer_max_days_per_week as f64));
            t = end;
        }
        for start in 0..sweep_days.saturating_sub(in_a_row) {
            let row: Vec<usize> = (start..=start + in_a_row)
                .flat_map(|u| on(u).iter().copied())
                .collect();
            workload_rows.push((row, in_a_row as f64));
        }
    }
    let caps = &days.capacities;
    let capacity = caps.officer_days.iter().chain(&caps.expert_days).copied();
    let master = Master {
        objective: variables
            .iter()
            .zip(&cost)
            .map(|(&(c, _), cost)| value(c) - per_cost * cost)
            .collect(),
        rows: firm_rows
            .into_iter()
            .map(|vs| (vs, 1.0))
            .chain(horizon_rows.into_iter().zip(capacity))
            .chain(day_rows.into_iter().map(|vs| (vs, 1.0)))
            .chain(workload_rows)
            .filter(|(vs, capacity)| vs.len() as f64 > *capacity)
            .collect(),
        tolerance,
    };
    let (chosen, proven) = master.solve()?;
    let crews = crews_of(candidates, chosen.iter().map(|&v| variables[v]));
    Some(Solved {
        value: chosen.iter().map(|&v| value(variables[v].0)).sum(),
        coverage: crews
            .iter()
            .flat_map(|crew| &crew.route)
            .map(|&f| days.share[f])
            .sum(),
        proven,
        crews: Some(crews),
    })
}

/// Variables the integer master with days may have (crew-days times their possible days).
const DAY_VARIABLES: usize = 20_000;

/// The set bits of a day mask, lowest first.
fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let t = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            t
        })
    })
}

/// The integer master: binary variables (the usable crew-days), their values, and rows
/// `Σ x_v ≤ capacity`, solved to within `tolerance` of the optimum or not proven.
struct Master {
    objective: Vec<f64>,
    rows: Vec<(Vec<usize>, f64)>,
    tolerance: f64,
}

impl Master {
    /// The chosen variables of the best solution found and whether it is proven optimal
    /// (within the tolerance); `None` if the solver failed. microlp's branch and bound
    /// with a node budget, not a clock: the same month gives the same answer on any
    /// machine.
    #[cfg(not(feature = "highs"))]
    fn solve(&self) -> Option<(Vec<usize>, bool)> {
        use microlp::{ComparisonOp, OptimizationDirection, Problem, SolutionStatus, SolveOptions};
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        let x: Vec<microlp::Variable> = self
            .objective
            .iter()
            .map(|&v| problem.add_binary_var(v))
            .collect();
        for (vs, capacity) in &self.rows {
            let terms: Vec<(microlp::Variable, f64)> = vs.iter().map(|&v| (x[v], 1.0)).collect();
            problem.add_constraint(terms.as_slice(), ComparisonOp::Le, *capacity);
        }
        let mut options = SolveOptions::default();
        options.node_limit = Some(BRANCH_NODES);
        // microlp's default pruning, 1e-9 of the objective, is above half a step for a
        // month of very heavy weights, and far below it otherwise, where it would spend the
        // node budget on the tie-break.
        options.tolerances.prune_epsilon = self.tolerance;
        let solution = problem.solve_with(options).ok()?.into_solution().ok()?;
        let chosen = (0..x.len())
            .filter(|&v| solution.var_value(x[v]) > 0.5)
            .collect();
        Some((chosen, solution.status() == SolutionStatus::Optimal))
    }

    /// As above with HiGHS (one thread, a node budget: deterministic), which closes
    /// months microlp's budget does not.
    #[cfg(feature = "highs")]
    fn solve(&self) -> Option<(Vec<usize>, bool)> {
        use good_lp::solvers::highs::highs;
        use good_lp::{
            Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, variable,
        };
        let mut vars = ProblemVariables::new();
        let x: Vec<good_lp::Variable> = self
            .objective
            .iter()
            .map(|_| vars.add(variable().binary()))
            .collect();
        let objective: Expression = x.iter().zip(&self.objective).map(|(&v, &c)| c * v).sum();
        let mut model = vars
            .maximise(objective)
            .using(highs)
            .set_threads(1)
            .set_option("mip_max_nodes", HIGHS_NODES)
            .set_mip_rel_gap(0.0)
            .ok()?
            .set_mip_abs_gap(self.tolerance as f32)
            .ok()?;
        for (vs, capacity) in &self.rows {
            let row: Expression = vs.iter().map(|&v| x[v]).sum();
            model = model.with(row.leq(*capacity));
        }
        let solution = model.solve().ok()?;
        // A gap within the tolerance is a proof (the relative gap is set to none).
        let proven = matches!(
            solution.status(),
            SolutionStatus::Optimal | SolutionStatus::GapLimit
        );
        let chosen = (0..x.len())
            .filter(|&v| solution.value(x[v]) > 0.5)
            .collect();
        Some((chosen, proven))
    }
}

/// Branch-and-bound nodes HiGHS may use for the integer master.
#[cfg(feature = "highs")]
const HIGHS_NODES: i32 = 100_000;

/// Integer masters solved, each without the sets of crew-days before it that could not
/// be given days, before giving up on a month.
const DAY_TRIES: usize = 20;

/// The weight of one unit of search cost in the integer master: every crew of a roster
/// together weighs less than a quarter of the smallest weight difference (weights are
/// rounded to 0.01), so cost only breaks ties among optima.
fn per_cost(days: &CrewDays<'_>, cost: &[f64]) -> f64 {
    let total_weight: f64 = days.ctx.due.due.iter().map(|d| d.weight).sum();
    let crews_at_most: f64 = days.capacities.officer_days.iter().sum();
    let dearest = cost.iter().fold(0.0f64, |m, c| m.max(c.abs()));
    0.25 * (0.01 / total_weight) / (dearest * crews_at_most + 1.0)
}

/// The objective's search cost of a crew-day on sweep day `day`.
fn crew_cost(days: &CrewDays<'_>, candidate: &Candidate, day: usize) -> f64 {
    let ctx = days.ctx;
    let km = ctx.officer_loc[candidate.officer]
        .and_then(|base| crate::route::schedule(ctx, base, &candidate.route))
        .map_or(0.0, |times| times.km);
    crate::objective::crew_cost(
        ctx,
        &crate::objective::CrewView {
            day,
            officer: candidate.officer,
            experts: &candidate.experts,
            route: &candidate.route,
            km,
        },
    )
}

/// Whether the chosen crew-days can have days on which nobody is in two crews.
enum Days {
    /// They can: the crews with their days.
    Given(Vec<ExactCrew>),
    /// They cannot (the search tried every way).
    Impossible,
    /// The search ran out of nodes first.
    Unknown,
}

/// Days for the chosen crew-days on which no officer or expert is in two crews, found by
/// a depth-first search (the crew-days with the fewest possible days first).
fn assign_days(days: &CrewDays<'_>, candidates: &[Candidate], chosen: &[usize]) -> Days {
    let ctx = days.ctx;
    let mut order = chosen.to_vec();
    order.sort_by_key(|&c| (candidates[c].days.count_ones(), c));
    let officers = ctx.instance.officers.len();
    // Per person (officers, then experts), the days already taken.
    let mut taken = vec![0u64; officers + ctx.instance.experts.len()];
    let mut day_of = vec![0usize; order.len()];
    let mut nodes = 0usize;
    #[allow(clippy::too_many_arguments)]
    fn place(
        ctx: &Context<'_>,
        i: usize,
        order: &[usize],
        candidates: &[Candidate],
        officers: usize,
        taken: &mut [u64],
        day_of: &mut [usize],
        nodes: &mut usize,
    ) -> bool {
        let Some(&c) = order.get(i) else {
            return true;
        };
        let candidate = &candidates[c];
        let people = || {
            std::iter::once(candidate.officer)
                .chain(candidate.experts.iter().map(|&e| officers + e))
        };
        let busy = people().fold(0u64, |m, p| m | taken[p]);
        let mut free = candidate.days & !busy;
        while free != 0 {
            *nodes += 1;
            if *nodes > ASSIGN_NODES {
                return false;
            }
            let t = free.trailing_zeros() as usize;
            free &= free - 1;
            let officer_days = taken[candidate.officer];
            if !rules::workload::officer_may_add(ctx, |u| officer_days >> u & 1 == 1, t) {
                continue;
            }
            for p in people() {
                taken[p] |= 1 << t;
            }
            day_of[i] = t;
            if place(
                ctx,
                i + 1,
                order,
                candidates,
                officers,
                taken,
                day_of,
                nodes,
            ) {
                return true;
            }
            for p in people() {
                taken[p] &= !(1 << t);
            }
        }
        false
    }
    if !place(
        ctx,
        0,
        &order,
        candidates,
        officers,
        &mut taken,
        &mut day_of,
        &mut nodes,
    ) {
        return if nodes > ASSIGN_NODES {
            Days::Unknown
        } else {
            Days::Impossible
        };
    }
    Days::Given(crews_of(candidates, order.iter().copied().zip(day_of)))
}

/// The crews of crew-days given days (`(candidate, day)`), by day and officer.
fn crews_of(
    candidates: &[Candidate],
    chosen: impl Iterator<Item = (usize, usize)>,
) -> Vec<ExactCrew> {
    let mut crews: Vec<ExactCrew> = chosen
        .map(|(c, day)| ExactCrew {
            officer: candidates[c].officer,
            day,
            route: candidates[c].route.clone(),
            experts: candidates[c].experts.clone(),
        })
        .collect();
    crews.sort_by_key(|c| (c.day, c.officer));
    crews
}

/// Search nodes for giving the crew-days their days.
const ASSIGN_NODES: usize = 100_000;
