//! The generalised assignment problem (GAP): give every job to one agent, within each
//! agent's capacity, at least total cost. Officer portfolios are one (firms to officers,
//! km from the base, at most 443 firms each); the OR-Library sets benchmark it.
//!
//! Method: the LP relaxation (good_lp + clarabel) gives a proven lower bound (rounded up
//! when every cost is an integer) and a fractional guide; an assignment is built from
//! it and improved by iterated local search — shift and swap moves on cost plus a
//! penalty per unit of overload, so the search may pass through overloaded states — until
//! the iteration budget or the time limit. The best capacity-feasible assignment is kept.
//! Built with the `highs` feature, the search runs for a fifth of the time (at most 5 s)
//! and HiGHS then solves the MILP from that incumbent for the rest: an optimal status
//! proves the assignment optimal (the bound becomes its cost).

use std::time::{Duration, Instant};

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, clarabel, variable};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A GAP instance (minimisation). `cost[a][j]` is `f64::INFINITY` where agent `a` may not
/// take job `j`.
#[derive(Debug, Clone)]
pub struct Gap {
    /// Cost of giving job j to agent a.
    pub cost: Vec<Vec<f64>>,
    /// Capacity used when agent a takes job j.
    pub weight: Vec<Vec<f64>>,
    /// Capacity of each agent.
    pub capacity: Vec<f64>,
}

/// How long to search.
#[derive(Debug, Clone, Copy)]
pub struct GapOptions {
    /// Stop the search after this long.
    pub time_limit: Duration,
    /// Perturbation rounds at most (the search also stops at the time limit).
    pub rounds: usize,
    /// Seed of the perturbations.
    pub seed: u64,
}

impl Default for GapOptions {
    fn default() -> Self {
        GapOptions {
            time_limit: Duration::from_secs(10),
            rounds: 2_000,
            seed: 1,
        }
    }
}

/// A solution with its proven bound.
#[derive(Debug, Clone)]
pub struct GapSolution {
    /// Agent of each job.
    pub agent: Vec<usize>,
    /// Total cost.
    pub cost: f64,
    /// Proven lower bound on the optimal cost (LP relaxation).
    pub lower_bound: f64,
}

impl GapSolution {
    /// Relative gap between the cost and the bound (0 = proven optimal).
    pub fn gap(&self) -> f64 {
        if self.cost.abs() < 1e-9 {
            0.0
        } else {
            (self.cost - self.lower_bound) / self.cost.abs()
        }
    }
}

/// Why a GAP could not be solved.
#[derive(Debug, thiserror::Error)]
pub enum GapError {
    /// Some job fits no agent, or the LP relaxation is infeasible.
    #[error("no feasible assignment: {0}")]
    Infeasible(String),
    /// The matrices do not match.
    #[error("malformed instance: {0}")]
    Malformed(String),
}

impl Gap {
    fn agents(&self) -> usize {
        self.capacity.len()
    }

    fn jobs(&self) -> usize {
        self.cost.first().map_or(0, Vec::len)
    }

    fn allowed(&self, a: usize, j: usize) -> bool {
        self.cost[a][j].is_finite() && self.weight[a][j] <= self.capacity[a]
    }

    /// Total cost and capacity use of an assignment.
    pub fn evaluate(&self, agent: &[usize]) -> (f64, Vec<f64>) {
        let mut load = vec![0.0; self.agents()];
        let mut cost = 0.0;
        for (j, &a) in agent.iter().enumerate() {
            cost += self.cost[a][j];
            load[a] += self.weight[a][j];
        }
        (cost, load)
    }

    /// Whether the assignment respects every capacity and allowed pair.
    pub fn feasible(&self, agent: &[usize]) -> bool {
        let (_, load) = self.evaluate(agent);
        agent
            .iter()
            .enumerate()
            .all(|(j, &a)| self.cost[a][j].is_finite())
            && load
                .iter()
                .zip(&self.capacity)
                .all(|(l, c)| *l <= *c + 1e-9)
    }
}

/// Solves a GAP: LP bound, then LP-guided iterated local search.
pub fn solve_gap(gap: &Gap, options: &GapOptions) -> Result<GapSolution, GapError> {
    let (m, n) = (gap.agents(), gap.jobs());
    if gap.cost.len() != m
        || gap.weight.len() != m
        || gap.weight.iter().chain(&gap.cost).any(|row| row.len() != n)
    {
        return Err(GapError::Malformed(format!(
            "expected {m} rows of {n} costs and weights"
        )));
    }
    if let Some(j) = (0..n).find(|&j| !(0..m).any(|a| gap.allowed(a, j))) {
        return Err(GapError::Infeasible(format!("job {j} fits no agent")));
    }
    let started = Instant::now();
    let deadline = started + options.time_limit;
    let (lower_bound, fractional) = lp_relaxation(gap)?;
    let mut search = Search::new(gap, &fractional, lower_bound, options.seed);
    let search_until = if cfg!(feature = "highs") {
        started + (options.time_limit / 5).min(Duration::from_secs(5))
    } else {
        deadline
    };
    search.run(search_until, options.rounds);
    let agent = search.best.ok_or_else(|| {
        GapError::Infeasible("the search found no assignment within the capacities".into())
    })?;
    let (cost, _) = gap.evaluate(&agent);
    let solution = GapSolution {
        agent,
        cost,
        // Not clamped to the cost: a bound above a feasible cost is a bug to see, not hide.
        lower_bound,
    };
    #[cfg(feature = "highs")]
    if solution.cost > solution.lower_bound + 1e-9 {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(100));
        return Ok(milp::improve(gap, solution, left));
    }
    Ok(solution)
}

/// The exact MILP with HiGHS, started from the search's assignment.
#[cfg(feature = "highs")]
mod milp {
    use std::time::Duration;

    use good_lp::solvers::highs::highs;
    use good_lp::{
        ProblemVariables, Solution, SolutionStatus, SolverModel, Variable, WithInitialSolution,
        variable,
    };

    use super::{Gap, GapSolution};

    pub(super) fn improve(gap: &Gap, start: GapSolution, time_limit: Duration) -> GapSolution {
        let (m, n) = (gap.capacity.len(), gap.cost[0].len());
        let mut vars = ProblemVariables::new();
        let x: Vec<Vec<Option<Variable>>> = (0..m)
            .map(|a| {
                (0..n)
                    .map(|j| gap.allowed(a, j).then(|| vars.add(variable().binary())))
                    .collect()
            })
            .collect();
        let (objective, constraints) = super::formulation(gap, &x);
        let x = &x;
        let incumbent = &start.agent;
        let initial: Vec<(Variable, f64)> = (0..m)
            .flat_map(|a| {
                (0..n).filter_map(move |j| Some((x[a][j]?, (incumbent[j] == a) as u8 as f64)))
            })
            .collect();
        let integral = gap
            .cost
            .iter()
            .flatten()
            .filter(|c| c.is_finite())
            .all(|c| c.fract() == 0.0);
        let mut model = vars
            .minimise(objective)
            .using(highs)
            .set_time_limit(time_limit.as_secs_f64())
            .set_threads(1);
        model = match model.set_mip_rel_gap(0.0) {
            Ok(m) => m,
            Err(_) => return start,
        };
        if integral {
            // Any gap below one unit proves an integral objective optimal.
            model = match model.set_mip_abs_gap(0.999) {
                Ok(m) => m,
                Err(_) => return start,
            };
        }
        model = model.with_initial_solution(initial).with_all(constraints);
        let Ok(solution) = model.solve() else {
            return start;
        };
        let agent: Vec<usize> = (0..n)
            .map(|j| {
                (0..m)
                    .find(|&a| x[a][j].is_some_and(|v| solution.value(v) > 0.5))
                    .unwrap_or(start.agent[j])
            })
            .collect();
        if !gap.feasible(&agent) {
            return start;
        }
        let cost = gap.evaluate(&agent).0;
        let optimal = matches!(solution.status(), SolutionStatus::Optimal);
        if cost > start.cost {
            return start;
        }
        GapSolution {
            agent,
            cost,
            lower_bound: if optimal { cost } else { start.lower_bound },
        }
    }
}

/// The LP relaxation's optimum (a lower bound) and its fractional assignment.
fn lp_relaxation(gap: &Gap) -> Result<(f64, Vec<Vec<f64>>), GapError> {
    let (m, n) = (gap.agents(), gap.jobs());
    let mut vars = ProblemVariables::new();
    let x: Vec<Vec<Option<Variable>>> = (0..m)
        .map(|a| {
            (0..n)
                .map(|j| {
                    gap.allowed(a, j)
                        .then(|| vars.add(variable().min(0).max(1)))
                })
                .collect()
        })
        .collect();
    let (objective, constraints) = formulation(gap, &x);
    let solution = vars
        .minimise(objective.clone())
        .using(clarabel)
        .with_all(constraints)
        .solve()
        .map_err(|e| GapError::Infeasible(format!("LP relaxation: {e}")))?;
    let value = solution.eval(&objective);
    // The interior-point optimum is within its tolerance of the LP's; step down by a margin.
    let mut bound = value - 1e-6 * (1.0 + value.abs());
    let integral = gap
        .cost
        .iter()
        .flatten()
        .filter(|c| c.is_finite())
        .all(|c| c.fract() == 0.0);
    if integral {
        bound = bound.ceil();
    }
    let fractional = (0..m)
        .map(|a| {
            (0..n)
                .map(|j| x[a][j].map_or(0.0, |v| solution.value(v)))
                .collect()
        })
        .collect();
    Ok((bound, fractional))
}

/// The GAP over variables `x[a][j]` (`None` where agent a may not take job j): total cost,
/// every job assigned once, every agent within capacity.
fn formulation(gap: &Gap, x: &[Vec<Option<Variable>>]) -> (Expression, Vec<good_lp::Constraint>) {
    let (m, n) = (gap.agents(), gap.jobs());
    let objective: Expression = (0..m)
        .flat_map(|a| (0..n).filter_map(move |j| Some((a, j, x[a][j]?))))
        .map(|(a, j, v)| gap.cost[a][j] * v)
        .sum();
    let assigned = (0..n).map(|j| {
        (0..m)
            .filter_map(|a| x[a][j])
            .map(Expression::from)
            .sum::<Expression>()
            .eq(1)
    });
    let within = (0..m).map(|a| {
        (0..n)
            .filter_map(|j| Some(gap.weight[a][j] * x[a][j]?))
            .sum::<Expression>()
            .leq(gap.capacity[a])
    });
    (objective, assigned.chain(within).collect())
}

/// Iterated local search on cost + penalty × overload.
struct Search<'a> {
    gap: &'a Gap,
    agent: Vec<usize>,
    load: Vec<f64>,
    penalty: f64,
    best: Option<Vec<usize>>,
    best_cost: f64,
    lower_bound: f64,
    rng: ChaCha8Rng,
}

impl<'a> Search<'a> {
    fn new(gap: &'a Gap, fractional: &[Vec<f64>], lower_bound: f64, seed: u64) -> Search<'a> {
        let (m, n) = (gap.agents(), gap.jobs());
        // Start from the LP: each job to its largest share, cheaper agent on ties.
        let agent: Vec<usize> = (0..n)
            .map(|j| {
                (0..m)
                    .filter(|&a| gap.allowed(a, j))
                    .max_by(|&a, &b| {
                        fractional[a][j]
                            .total_cmp(&fractional[b][j])
                            .then(gap.cost[b][j].total_cmp(&gap.cost[a][j]))
                    })
                    .expect("every job fits some agent")
            })
            .collect();
        let (_, load) = gap.evaluate(&agent);
        let max_cost = gap
            .cost
            .iter()
            .flatten()
            .filter(|c| c.is_finite())
            .fold(1.0f64, |m, c| m.max(c.abs()));
        let min_weight = gap
            .weight
            .iter()
            .flatten()
            .filter(|w| **w > 0.0)
            .fold(f64::MAX, |m, w| m.min(*w))
            .min(1.0);
        let mut search = Search {
            gap,
            agent,
            load,
            penalty: 2.0 * max_cost / min_weight,
            best: None,
            best_cost: f64::INFINITY,
            lower_bound,
            rng: ChaCha8Rng::seed_from_u64(seed),
        };
        search.descend();
        search.record();
        search
    }

    fn overload(&self, a: usize, load: f64) -> f64 {
        (load - self.gap.capacity[a]).max(0.0)
    }

    /// Change in penalised cost of moving job j from its agent to agent b.
    fn shift_delta(&self, j: usize, b: usize) -> f64 {
        let a = self.agent[j];
        let g = self.gap;
        let (wa, wb) = (g.weight[a][j], g.weight[b][j]);
        let before = self.overload(a, self.load[a]) + self.overload(b, self.load[b]);
        let after = self.overload(a, self.load[a] - wa) + self.overload(b, self.load[b] + wb);
        g.cost[b][j] - g.cost[a][j] + self.penalty * (after - before)
    }

    fn shift(&mut self, j: usize, b: usize) {
        let a = self.agent[j];
        self.load[a] -= self.gap.weight[a][j];
        self.load[b] += self.gap.weight[b][j];
        self.agent[j] = b;
    }

    /// Change in penalised cost of exchanging the agents of jobs j and k.
    fn swap_delta(&self, j: usize, k: usize) -> f64 {
        let (a, b) = (self.agent[j], self.agent[k]);
        let g = self.gap;
        let la = self.load[a] - g.weight[a][j] + g.weight[a][k];
        let lb = self.load[b] - g.weight[b][k] + g.weight[b][j];
        let before = self.overload(a, self.load[a]) + self.overload(b, self.load[b]);
        let after = self.overload(a, la) + self.overload(b, lb);
        g.cost[b][j] + g.cost[a][k] - g.cost[a][j] - g.cost[b][k] + self.penalty * (after - before)
    }

    /// First-improvement shifts and swaps until neither improves.
    fn descend(&mut self) {
        let (m, n) = (self.gap.agents(), self.gap.jobs());
        loop {
            let mut improved = false;
            for j in 0..n {
                for b in 0..m {
                    if b != self.agent[j]
                        && self.gap.allowed(b, j)
                        && self.shift_delta(j, b) < -1e-9
                    {
                        self.shift(j, b);
                        improved = true;
                    }
                }
            }
            // Swaps with the jobs of agents that may take j (lists refreshed each pass;
            // a job moved during the pass is skipped until the next).
            let mut held: Vec<Vec<usize>> = vec![Vec::new(); m];
            for (k, &a) in self.agent.iter().enumerate() {
                held[a].push(k);
            }
            for j in 0..n {
                for (b, held_by_b) in held.iter().enumerate() {
                    if b == self.agent[j] || !self.gap.allowed(b, j) {
                        continue;
                    }
                    for &k in held_by_b {
                        let a = self.agent[j];
                        if self.agent[k] == b
                            && self.gap.allowed(a, k)
                            && self.swap_delta(j, k) < -1e-9
                        {
                            self.shift(j, b);
                            self.shift(k, a);
                            improved = true;
                            break;
                        }
                    }
                }
            }
            if !improved {
                return;
            }
        }
    }

    fn record(&mut self) {
        let overloaded = (0..self.gap.agents()).any(|a| self.overload(a, self.load[a]) > 1e-9);
        if overloaded {
            // Infeasible local optimum: make overload dearer for the next descent.
            self.penalty *= 2.0;
            return;
        }
        let (cost, _) = self.gap.evaluate(&self.agent);
        if cost < self.best_cost - 1e-9 {
            self.best_cost = cost;
            self.best = Some(self.agent.clone());
        }
    }

    fn run(&mut self, deadline: Instant, rounds: usize) {
        let (m, n) = (self.gap.agents(), self.gap.jobs());
        let mut overtime = 0;
        for _ in 0..rounds {
            // At the time limit stop, unless no feasible assignment is known yet: then a
            // few more rounds (with a rising overload penalty) may still find one.
            if Instant::now() >= deadline {
                overtime += 1;
                if self.best.is_some() || overtime > 50 {
                    break;
                }
            }
            // Restart from the best feasible assignment when there is one.
            if let Some(best) = &self.best {
                self.agent = best.clone();
                self.load = self.gap.evaluate(&self.agent).1;
            }
            // Perturb: move a few random jobs to random allowed agents.
            let kicks = 2 + self.rng.random_range(0..(n / 20).max(2));
            for _ in 0..kicks {
                let j = self.rng.random_range(0..n);
                let b = self.rng.random_range(0..m);
                if self.gap.allowed(b, j) {
                    self.shift(j, b);
                }
            }
            self.descend();
            self.record();
            if self.best_cost <= self.lower_bound + 1e-9 {
                break; // Proven optimal: nothing can beat the bound.
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_gap_is_solved_to_the_bound() {
        // Two agents of capacity 2, three unit jobs; job 2 is cheap only on agent 0.
        let gap = Gap {
            cost: vec![vec![5.0, 5.0, 1.0], vec![1.0, 1.0, 9.0]],
            weight: vec![vec![1.0; 3], vec![1.0; 3]],
            capacity: vec![2.0, 2.0],
        };
        let s = solve_gap(&gap, &GapOptions::default()).unwrap();
        assert_eq!(s.agent, vec![1, 1, 0]);
        assert_eq!(s.cost, 3.0);
        assert_eq!(s.lower_bound, 3.0);
        assert!(gap.feasible(&s.agent));
    }

    #[test]
    fn a_job_that_fits_nowhere_is_reported() {
        let gap = Gap {
            cost: vec![vec![1.0]],
            weight: vec![vec![5.0]],
            capacity: vec![2.0],
        };
        assert!(matches!(
            solve_gap(&gap, &GapOptions::default()),
            Err(GapError::Infeasible(_))
        ));
    }
}
