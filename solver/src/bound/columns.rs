//! The crew-day bound: column generation over officers' crew-days, with a Lagrangian bound
//! that holds at every round.
//!
//! **The master** (an LP, clarabel). A column is one crew-day `c` of officer `o`: a set of
//! due firms its crew can visit from `o`'s base within the day (see `pricing`) and a team
//! of experts qualified for all of them (see `teams`).
//!
//! ```text
//! max Σ_c v_c λ_c,  v_c = Σ_{f ∈ c} w_f / Σ_f w_f
//!   Σ_{c ∋ f} λ_c ≤ 1               (σ_f)   each due firm is visited once at most
//!   Σ_{c of o} λ_c ≤ D_o            (α_o)   officer o's days: min(max_days, days on duty)
//!   Σ_{c ∋ e} λ_c ≤ D_e             (β_e)   expert e's days likewise
//!   λ_c ≥ 0
//! ```
//!
//! Every roster is a solution (each crew is a column, λ = 1), so the master over *all*
//! columns bounds its weighted coverage. The days are summed over the horizon, which
//! keeps the master small and is a relaxation.
//!
//! **The bound.** For any prices σ, β ≥ 0, relaxing the firm and expert rows gives
//!
//! ```text
//! L(σ, β) = Σ_f σ_f + Σ_e D_e β_e + Σ_o D_o max(0, max_{c of o} p_c),
//! p_c = Σ_{f ∈ c} (w_f/W − σ_f) − Σ_{e ∈ c} β_e,
//! ```
//!
//! an upper bound on the master over all columns, whatever the prices, as long as the
//! `max p` is exact or overestimated, which pricing guarantees (it counts each firm's
//! gain `w_f/W − σ_f` as at least 0). So the bound is the least `L` over the rounds,
//! computed from the LP's prices clamped to ≥ 0: an inexact LP or a round limit makes it
//! weaker, never false. Rounds add the best crew-days of each officer (in parallel, merged
//! in officer order: the result does not depend on the thread count) until none is worth
//! more than its officer's day `α_o`; then `L` equals the LP optimum.

use std::collections::{HashMap, HashSet};

use good_lp::constraint::ConstraintReference;
use good_lp::{
    Constraint, DualValues, Expression, ProblemVariables, Solution, SolutionWithDual, SolverModel,
    Variable, clarabel, variable,
};
use rayon::prelude::*;

use super::BoundError;
use super::pricing::{self, Officer};
use super::teams::Teams;
use crate::context::{Context, positions};
use crate::model::Roster;
use crate::rules;

/// One crew-day of the master: an officer, the firms (due indices, sorted) and the team
/// (expert indices, sorted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Column {
    /// Officer index.
    pub officer: usize,
    /// Due-list indices, sorted.
    pub firms: Vec<usize>,
    /// Expert indices, sorted.
    pub experts: Vec<usize>,
}

impl Column {
    /// A crew-day of `officer` visiting `firms` (due indices) with `experts`.
    pub fn new(officer: usize, mut firms: Vec<usize>, mut experts: Vec<usize>) -> Column {
        firms.sort_unstable();
        experts.sort_unstable();
        Column {
            officer,
            firms,
            experts,
        }
    }

    /// The crews of `roster` as crew-days of `ctx` (matched by id; a crew naming anyone
    /// or anything `ctx` does not know is left out).
    pub fn of_roster(ctx: &Context<'_>, roster: &Roster) -> Vec<Column> {
        let instance = ctx.instance;
        let due: HashMap<&str, usize> = (0..ctx.due_count())
            .map(|f| {
                (
                    instance.enterprises[ctx.due.enterprise_index[f]]
                        .id
                        .as_str(),
                    f,
                )
            })
            .collect();
        let officer = positions(&instance.officers, |o| o.id.as_str());
        let expert = positions(&instance.experts, |e| e.id.as_str());
        roster
            .crews
            .iter()
            .filter_map(|crew| {
                let o = *officer.get(crew.officer.as_str())?;
                let firms = crew
                    .visits
                    .iter()
                    .map(|v| due.get(v.enterprise.as_str()).copied())
                    .collect::<Option<Vec<usize>>>()?;
                let experts = crew
                    .experts
                    .iter()
                    .map(|e| expert.get(e.as_str()).copied())
                    .collect::<Option<Vec<usize>>>()?;
                Some(Column::new(o, firms, experts))
            })
            .collect()
    }
}

/// How long the column generation may run (counts, not time: the bound is part of the
/// roster, and the same input must give the same roster).
#[derive(Debug, Clone, Copy)]
pub struct Effort {
    /// Master solves at most.
    pub rounds: usize,
    /// Search nodes per officer and round.
    pub nodes: usize,
}

/// Gap and feasibility tolerance of the master's interior point (see `solve_master`).
const MASTER_TOLERANCE: f64 = 1e-6;

/// The rounds stop when the bound is this close to the master's LP value: the LP is then
/// solved over all crew-days to within it.
const CLOSE_ENOUGH: f64 = 1e-4;

impl Effort {
    /// The effort for a city of a province or nation whose search gets `time` (none: no
    /// limit). The crew-day bound takes seconds at city scale, so a city searched for less
    /// than [`CREW_DAY_BOUND_FROM`] (a nation's cities at the default limit get a few
    /// hundredths of a second each) keeps the pattern bound rather than spend many times
    /// its search on the proof.
    pub fn for_search(time: Option<std::time::Duration>) -> Effort {
        match time {
            Some(t) if t < CREW_DAY_BOUND_FROM => Effort {
                rounds: 0,
                ..Effort::default()
            },
            _ => Effort::default(),
        }
    }
}

/// Sweep days a day set (a 64-bit mask) holds; a longer horizon keeps the pattern bound.
pub(super) const MAX_DAYS: usize = 64;

/// The least search time that also gets the crew-day bound.
pub const CREW_DAY_BOUND_FROM: std::time::Duration = std::time::Duration::from_secs(2);

impl Default for Effort {
    fn default() -> Effort {
        Effort {
            rounds: 60,
            nodes: 20_000,
        }
    }
}

/// What the crew-days of `ctx` are made of, whatever the prices: what each due firm is
/// worth, who is on duty and which firm is open on which sweep day (bits),
/// the day capacities, and each officer's reach.
pub(super) struct CrewDays<'a> {
    pub ctx: &'a Context<'a>,
    pub possible: &'a [usize],
    /// Each due firm's share of the month's weight ([`Worth::Weight`]).
    pub share: Vec<f64>,
    /// The same, plus [`MANDATORY_WORTH`] for a mandatory visit ([`Worth::MandatoryFirst`]).
    mandatory_first: Vec<f64>,
    pub officer_duty: Vec<u64>,
    pub expert_duty: Vec<u64>,
    pub open_days: Vec<u64>,
    pub capacities: super::Capacities,
    reach: Vec<Reach>,
    /// Whether a crew-day's team keeps the seat rule (`rules::seat`) in pricing and the
    /// master; without, the bound is a relaxation that does not see the rule.
    pub seated: bool,
}

/// What a crew-day is worth in the master: its firms' weights, or (closing a month) the
/// roster's objective up to its cost, mandatory visits first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Worth {
    /// Each firm its share of the month's weight: the master bounds weighted coverage.
    Weight,
    /// Each firm its share, plus [`MANDATORY_WORTH`] if its visit is mandatory: the shares
    /// sum to 1, so one more mandatory visit outweighs any weight, and the master orders
    /// rosters as the objective does (mandatory visits, then weight).
    MandatoryFirst,
}

/// What a mandatory visit adds in [`Worth::MandatoryFirst`].
pub(super) const MANDATORY_WORTH: f64 = 2.0;

impl<'a> CrewDays<'a> {
    pub(super) fn new(ctx: &'a Context<'a>, possible: &'a [usize], seated: bool) -> CrewDays<'a> {
        let n = ctx.due_count();
        let total_weight: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
        let days = ctx.days.len().min(MAX_DAYS);
        let bits = |test: &dyn Fn(usize) -> bool| -> u64 {
            (0..days).filter(|&t| test(t)).fold(0, |m, t| m | 1 << t)
        };
        let share: Vec<f64> = ctx
            .due
            .due
            .iter()
            .map(|d| d.weight / total_weight)
            .collect();
        CrewDays {
            ctx,
            possible,
            mandatory_first: ctx
                .due
                .due
                .iter()
                .zip(&share)
                .map(|(d, share)| share + if d.mandatory { MANDATORY_WORTH } else { 0.0 })
                .collect(),
            share,
            officer_duty: (0..ctx.instance.officers.len())
                .map(|o| bits(&|t| rules::people::officer_on_duty(ctx, o, t)))
                .collect(),
            expert_duty: (0..ctx.instance.experts.len())
                .map(|e| bits(&|t| rules::people::expert_on_duty(ctx, e, t)))
                .collect(),
            open_days: (0..n)
                .map(|f| bits(&|t| rules::may_visit_on(ctx, f, t)))
                .collect(),
            capacities: super::capacities(ctx),
            seated,
            // Each officer's firms, and the shortest leg into each from its base or another.
            reach: (0..ctx.instance.officers.len())
                .into_par_iter()
                .map(|o| officer_firms(ctx, o, possible))
                .collect(),
        }
    }

    /// What visiting each due firm is worth in the master.
    pub(super) fn worth(&self, worth: Worth) -> &[f64] {
        match worth {
            Worth::Weight => &self.share,
            Worth::MandatoryFirst => &self.mandatory_first,
        }
    }

    /// What pricing needs of officer `o` at `gain` (per due firm) and day price `alpha`.
    pub(super) fn officer<'s>(&'s self, o: usize, gain: &'s [f64], alpha: f64) -> Officer<'s> {
        let reach = &self.reach[o];
        Officer {
            ctx: self.ctx,
            officer: o,
            firms: &reach.firms,
            least_minutes: &reach.least_minutes,
            near: &reach.near,
            home: &reach.home,
            shortest_visit: reach.shortest_visit,
            open_days: &self.open_days,
            duty: self.officer_duty[o],
            gain,
            alpha,
            seated: self.seated,
        }
    }

    /// The Lagrangian bound at `prices`, each officer's `max(0, best reduced cost)` (its
    /// `α` in that bound) and the crew-days worth adding at them.
    fn price_all(&self, prices: &Prices, nodes: usize) -> (f64, Vec<f64>, Vec<Column>) {
        let priced: Vec<(f64, Vec<Column>)> = (0..self.ctx.instance.officers.len())
            .into_par_iter()
            .map(|o| {
                let mut teams = Teams::new(self.ctx, &prices.beta, &self.expert_duty);
                let officer = self.officer(o, &prices.gain, prices.alpha[o]);
                let priced = pricing::price(&officer, &mut teams, nodes);
                let new: Vec<Column> = priced
                    .found
                    .iter()
                    .filter_map(|found| {
                        teams.team(&found.need, self.seated).map(|experts| Column {
                            officer: o,
                            firms: found.firms.clone(),
                            experts,
                        })
                    })
                    .collect();
                (priced.upper.max(0.0), new)
            })
            .collect();
        let caps = &self.capacities;
        let value = self.possible.iter().map(|&f| prices.sigma[f]).sum::<f64>()
            + (0..caps.expert_days.len())
                .map(|e| caps.expert_days[e] * prices.beta[e])
                .sum::<f64>()
            + priced
                .iter()
                .enumerate()
                .map(|(o, (alpha, _))| caps.officer_days[o] * alpha)
                .sum::<f64>();
        let alphas = priced.iter().map(|(alpha, _)| *alpha).collect();
        (
            value,
            alphas,
            priced.into_iter().flat_map(|(_, new)| new).collect(),
        )
    }
}

/// What the column generation ends with: its bound, and the prices of the round that
/// gave it, with each officer's `α` in it.
pub(super) struct Generated {
    /// What the crew-days were worth.
    pub worth: Worth,
    pub bound: f64,
    pub prices: Prices,
    pub alpha: Vec<f64>,
}

/// The crew-day bound on what rosters are `worth` (with [`Worth::Weight`], weighted
/// coverage 0–1) over the due firms in `days.possible` (the others no roster can visit),
/// starting from the crew-days in `seeds`.
pub(super) fn generate(
    days: &CrewDays<'_>,
    worth: Worth,
    seeds: &[Column],
    effort: Effort,
) -> Result<Generated, BoundError> {
    let ctx = days.ctx;
    let weight = days.worth(worth);
    let n = ctx.due_count();
    let mut is_possible = vec![false; n];
    for &f in days.possible {
        is_possible[f] = true;
    }
    let mut columns: Vec<Column> = Vec::new();
    let mut known: HashSet<Column> = HashSet::new();
    for seed in seeds {
        if seed.firms.iter().all(|&f| is_possible[f]) && known.insert(seed.clone()) {
            columns.push(seed.clone());
        }
    }
    let mut best: Option<(f64, Prices, Vec<f64>)> = None;
    for _round in 0..effort.rounds {
        let duals = match solve_master(ctx, weight, &columns, &days.capacities) {
            Ok(duals) => duals,
            // Every round's bound is valid: a later master that fails keeps the best one.
            Err(_) if best.is_some() => break,
            Err(e) => return Err(e),
        };
        let at_lp = Prices {
            gain: (0..n)
                .map(|f| (weight[f] - duals.sigma[f]).max(0.0))
                .collect(),
            sigma: duals.sigma,
            alpha: duals.alpha,
            beta: duals.beta,
        };
        let (value, alpha, new_columns) = days.price_all(&at_lp, effort.nodes);
        if best.as_ref().is_none_or(|(b, _, _)| value < *b) {
            best = Some((value, at_lp, alpha));
        }
        let bound = best.as_ref().map_or(f64::INFINITY, |(b, _, _)| *b);
        let mut added = 0;
        for column in new_columns {
            if known.insert(column.clone()) {
                columns.push(column);
                added += 1;
            }
        }
        if added == 0 || bound - duals.value < CLOSE_ENOUGH {
            break;
        }
    }
    let (bound, prices, alpha) = best.ok_or_else(|| BoundError("no round was run".into()))?;
    Ok(Generated {
        worth,
        bound,
        prices,
        alpha,
    })
}

/// What pricing needs about one officer: the possible due firms it may visit with a
/// single visit that fits the day, the least minutes each takes of a route (on site, half
/// the shortest leg in and half the shortest leg out, from or to the base or another of
/// them), the legs from each place to the firms nearest first, and the legs home.
struct Reach {
    firms: Vec<usize>,
    least_minutes: Vec<f64>,
    near: Vec<Vec<(u32, u32)>>,
    home: Vec<u32>,
    shortest_visit: u32,
}

fn officer_firms(ctx: &Context<'_>, o: usize, possible: &[usize]) -> Reach {
    let Some(base) = ctx.officer_loc[o] else {
        return Reach {
            firms: Vec::new(),
            least_minutes: Vec::new(),
            near: vec![Vec::new()],
            home: Vec::new(),
            shortest_visit: 0,
        };
    };
    let firms: Vec<usize> = possible
        .iter()
        .copied()
        .filter(|&f| rules::timing::officer_reaches(ctx, o, f))
        .collect();
    let places: Vec<usize> = std::iter::once(base)
        .chain(firms.iter().map(|&f| ctx.firm_loc[f]))
        .collect();
    let minutes = |a: usize, b: usize| ctx.leg(a, b).map(|l| l.minutes);
    let near: Vec<Vec<(u32, u32)>> = places
        .iter()
        .enumerate()
        .map(|(p, &from)| {
            let mut legs: Vec<(u32, u32)> = firms
                .iter()
                .enumerate()
                .filter(|(i, _)| i + 1 != p)
                .filter_map(|(i, &f)| minutes(from, ctx.firm_loc[f]).map(|m| (m, i as u32)))
                .collect();
            legs.sort_unstable();
            legs
        })
        .collect();
    let least_minutes = firms
        .iter()
        .map(|&f| {
            let here = ctx.firm_loc[f];
            let others = || places.iter().copied().filter(move |&p| p != here);
            let into = others().filter_map(|p| minutes(p, here)).min().unwrap_or(0);
            let out = others().filter_map(|p| minutes(here, p)).min().unwrap_or(0);
            ctx.reqs[f].duration_min as f64 + (into + out) as f64 / 2.0
        })
        .collect();
    let home = firms
        .iter()
        .map(|&f| minutes(ctx.firm_loc[f], base).unwrap_or(u32::MAX))
        .collect();
    Reach {
        shortest_visit: firms
            .iter()
            .map(|&f| ctx.reqs[f].duration_min)
            .min()
            .unwrap_or(0),
        firms,
        least_minutes,
        near,
        home,
    }
}

/// Prices of the master's rows: each due firm (`sigma`, and `gain` = its weight less
/// `sigma`, at least 0: what a crew-day earns by visiting it), each officer's and each
/// expert's days.
pub(super) struct Prices {
    pub sigma: Vec<f64>,
    pub gain: Vec<f64>,
    pub alpha: Vec<f64>,
    pub beta: Vec<f64>,
}

struct Duals {
    value: f64,
    sigma: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
}

/// Solves the master over `columns`; the prices come back clamped to ≥ 0.
fn solve_master(
    ctx: &Context<'_>,
    weight: &[f64],
    columns: &[Column],
    capacities: &super::Capacities,
) -> Result<Duals, BoundError> {
    let n = ctx.due_count();
    let (officer_days, expert_days) = (&capacities.officer_days, &capacities.expert_days);
    if columns.is_empty() {
        // Nothing to choose from: value 0 and every price 0 (clarabel wants a variable).
        return Ok(Duals {
            value: 0.0,
            sigma: vec![0.0; n],
            alpha: vec![0.0; officer_days.len()],
            beta: vec![0.0; expert_days.len()],
        });
    }
    let mut vars = ProblemVariables::new();
    let lambda: Vec<Variable> = columns
        .iter()
        .map(|_| vars.add(variable().min(0)))
        .collect();
    let objective: Expression = columns
        .iter()
        .zip(&lambda)
        .map(|(c, v)| c.firms.iter().map(|&f| weight[f]).sum::<f64>() * *v)
        .sum();
    let mut model = vars.maximise(objective.clone()).using(clarabel);
    // The bound is the Lagrangian at the LP's prices, valid whatever they are, so the
    // interior point need not go to clarabel's default 1e-8: at 1e-6 Cangzhou's column
    // generation takes 15 % less time and its bound moves by 1e-7.
    model
        .settings()
        .tol_gap_abs(MASTER_TOLERANCE)
        .tol_gap_rel(MASTER_TOLERANCE)
        .tol_feas(MASTER_TOLERANCE);

    let mut covering: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut of_officer: Vec<Vec<usize>> = vec![Vec::new(); officer_days.len()];
    let mut of_expert: Vec<Vec<usize>> = vec![Vec::new(); expert_days.len()];
    for (c, column) in columns.iter().enumerate() {
        for &f in &column.firms {
            covering[f].push(c);
        }
        of_officer[column.officer].push(c);
        for &e in &column.experts {
            of_expert[e].push(c);
        }
    }
    let sum =
        |cs: &[usize]| -> Expression { cs.iter().map(|&c| Expression::from(lambda[c])).sum() };
    let add = |model: &mut _, constraint: Constraint| -> ConstraintReference {
        SolverModel::add_constraint(model, constraint)
    };
    let mut rows = |of: &[Vec<usize>], capacity: &dyn Fn(usize) -> f64| {
        of.iter()
            .enumerate()
            .filter(|(_, cs)| !cs.is_empty())
            .map(|(i, cs)| (i, add(&mut model, sum(cs).leq(capacity(i)))))
            .collect::<Vec<(usize, ConstraintReference)>>()
    };
    let firm_rows = rows(&covering, &|_| 1.0);
    let officer_rows = rows(&of_officer, &|o| officer_days[o]);
    let expert_rows = rows(&of_expert, &|e| expert_days[e]);
    let mut solution = model.solve().map_err(|e| BoundError(e.to_string()))?;
    let value = solution.eval(&objective);
    let dual = solution.compute_dual();
    let prices = |rows: Vec<(usize, ConstraintReference)>, len: usize| {
        let mut out = vec![0.0; len];
        for (i, row) in rows {
            out[i] = dual.dual(row).max(0.0);
        }
        out
    };
    Ok(Duals {
        value,
        sigma: prices(firm_rows, n),
        alpha: prices(officer_rows, officer_days.len()),
        beta: prices(expert_rows, expert_days.len()),
    })
}
