//! The pattern bound: the optimum of a linear relaxation that every valid roster
//! satisfies, solved with good_lp's pure-Rust clarabel backend.
//!
//! **Crew-day patterns.** Every visit f costs its crew at least `c_f` = minutes on site +
//! the shortest leg into f from any place it could come from. Within a crew-day, the
//! visits' minutes on site and the legs between them fall between the earliest possible
//! start and the latest possible end of any visit, so a crew-day's visits have
//! Σ c_f ≤ `W` = (latest end − earliest start) + the longest first leg, and also
//! Σ c_f ≤ the day window less the shortest leg home. Visits fall into classes by
//! (minutes on site, team size), a class costing the smallest `c_f` of its firms. A
//! *pattern* counts visits per class within W; every crew-day follows one
//! (Gilmore–Gomory).
//!
//! **The relaxation** sums the day-by-day constraints over the horizon, which keeps it
//! valid and small. Variables: `x[f]` ∈ [0,1] per due firm that any roster could visit
//! (firms no roster can visit — no open day, no serving officer, no qualified expert pool,
//! no single visit that fits the day — are left out; these tests are exact);
//! `P[d,p]`, `C[p]` ≥ 0, crew-days of district d's officers and of city-level officers
//! following pattern p. Constraints:
//!
//! - crew-days: Σ_p P[d,p] ≤ Σ_{officers of d} days_o, Σ_p C[p] ≤ Σ_{city officers} days_o,
//!   with days_o = min(max_days, days on duty);
//! - visits of class k in district d: Σ x[f] ≤ Σ_p n_k(p) (P[d,p] + C[p]); over all
//!   districts ≤ Σ_p n_k(p) (Σ_d P[d,p] + C[p]);
//! - experts: Σ_p team(p) (Σ_d P[d,p] + C[p]) ≤ Σ_e days_e, team(p) the largest team of
//!   its classes, days_e = min(max_days, days certified and available);
//! - per specialty s: Σ_{f needs s} c_f x[f] ≤ W Σ_{e has s} days_e (the crew member who
//!   covers s is out that day); per tier T above city likewise with experts of tier ≥ T.
//!
//! Objective: Σ w_f x[f] / Σ w_f ≥ any roster's weighted coverage. An interior-point
//! solver stops within its tolerance of the LP optimum, so 1e-6 (absolute and relative) is
//! added to the value it reports.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, clarabel, variable};

use super::{BoundError, Capacities, capacities, possible_firms};
use crate::context::Context;
use crate::model::{CITY_LEVEL, Specialty, Tier};
use crate::rules;

/// The pattern bound on the weighted coverage any valid roster of `ctx` can reach (0–1).
pub(super) fn bound(ctx: &Context<'_>) -> Result<f64, BoundError> {
    let n = ctx.due_count();
    let total_weight: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
    if n == 0 || total_weight <= 0.0 {
        return Ok(1.0);
    }
    let officers = ctx.instance.officers.len();
    let experts = ctx.instance.experts.len();
    let serving: Vec<Vec<usize>> = (0..n).map(|f| rules::scope::serving(ctx, f)).collect();
    let possible = possible_firms(ctx);
    if possible.is_empty() {
        return Ok(0.0);
    }

    let times = FirmTimes::new(ctx, &serving, &possible);
    let (class_of, classes) = visit_classes(ctx, &times.cost, &possible);
    let patterns = crew_day_patterns(&classes, times.window);

    let Capacities {
        officer_days,
        expert_days,
    } = capacities(ctx);

    let mut vars = ProblemVariables::new();
    let x: Vec<(usize, Variable)> = possible
        .iter()
        .map(|&f| (f, vars.add(variable().min(0).max(1))))
        .collect();
    let districts: Vec<&str> = ctx
        .instance
        .districts
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    let district_crews: Vec<Vec<Variable>> = districts
        .iter()
        .map(|_| {
            patterns
                .iter()
                .map(|_| vars.add(variable().min(0)))
                .collect()
        })
        .collect();
    let city_crews: Vec<Variable> = patterns
        .iter()
        .map(|_| vars.add(variable().min(0)))
        .collect();

    let objective: Expression = x
        .iter()
        .map(|(f, v)| (ctx.due.due[*f].weight / total_weight) * *v)
        .sum();
    let mut model = vars.maximise(objective.clone()).using(clarabel);

    let sum =
        |vs: &mut dyn Iterator<Item = Variable>| -> Expression { vs.map(Expression::from).sum() };
    let days_of = |filter: &dyn Fn(usize) -> bool| -> f64 {
        (0..officers)
            .filter(|&o| filter(o))
            .map(|o| officer_days[o])
            .sum()
    };
    for (di, district) in districts.iter().enumerate() {
        let available = days_of(&|o| ctx.instance.officers[o].district == *district);
        model = model.with(sum(&mut district_crews[di].iter().copied()).leq(available));
    }
    model = model.with(sum(&mut city_crews.iter().copied()).leq(days_of(&|o| {
        ctx.instance.officers[o].district == CITY_LEVEL
    })));

    let firm_district: Vec<usize> = (0..n)
        .map(|f| {
            let id = &ctx.instance.enterprises[ctx.due.enterprise_index[f]].district;
            districts.iter().position(|d| d == id).unwrap_or(usize::MAX)
        })
        .collect();
    let slots = |crews: &[Variable], k: usize| -> Expression {
        crews
            .iter()
            .enumerate()
            .filter(|(p, _)| patterns[*p].counts[k] > 0)
            .map(|(p, v)| patterns[p].counts[k] as f64 * *v)
            .sum()
    };
    for k in 0..classes.len() {
        let city = slots(&city_crews, k);
        let mut everywhere = city.clone();
        for (di, crews) in district_crews.iter().enumerate() {
            let own = slots(crews, k);
            everywhere += own.clone();
            let here: Vec<Variable> = x
                .iter()
                .filter(|(f, _)| firm_district[*f] == di && class_of[*f] == k)
                .map(|(_, v)| *v)
                .collect();
            if !here.is_empty() {
                model = model.with(sum(&mut here.into_iter()).leq(own + city.clone()));
            }
        }
        let of_class: Vec<Variable> = x
            .iter()
            .filter(|(f, _)| class_of[*f] == k)
            .map(|(_, v)| *v)
            .collect();
        model = model.with(sum(&mut of_class.into_iter()).leq(everywhere));
    }

    let experts_needed: Expression = (0..patterns.len())
        .map(|p| {
            let crews: Expression = district_crews
                .iter()
                .map(|d| Expression::from(d[p]))
                .sum::<Expression>()
                + city_crews[p];
            patterns[p].team as f64 * crews
        })
        .sum();
    let pool = |filter: &dyn Fn(usize) -> bool| -> f64 {
        (0..experts)
            .filter(|&e| filter(e))
            .map(|e| expert_days[e])
            .sum()
    };
    model = model.with(experts_needed.leq(pool(&|_| true)));
    for s in Specialty::ALL {
        let bit = 1u32 << (*s as u32);
        let minutes: Expression = x
            .iter()
            .filter(|(f, _)| ctx.req_masks[*f] & bit != 0)
            .map(|(f, v)| times.cost[*f] * *v)
            .sum();
        model = model.with(minutes.leq(times.window * pool(&|e| ctx.expert_masks[e] & bit != 0)));
    }
    for tier in [Tier::Provincial, Tier::National] {
        let minutes: Expression = x
            .iter()
            .filter(|(f, _)| ctx.reqs[*f].min_tier >= tier)
            .map(|(f, v)| times.cost[*f] * *v)
            .sum();
        model = model.with(minutes.leq(times.window * pool(&|e| ctx.tier(e) >= tier)));
    }

    let solution = model.solve().map_err(|e| BoundError(e.to_string()))?;
    let value = solution.eval(&objective);
    Ok((value + 1e-6 + 1e-6 * value.abs()).clamp(0.0, 1.0))
}

/// The least minutes each visit costs its crew, and the most a crew-day can hold.
struct FirmTimes {
    cost: Vec<f64>,
    window: f64,
}

impl FirmTimes {
    fn new(ctx: &Context<'_>, serving: &[Vec<usize>], possible: &[usize]) -> FirmTimes {
        let n = ctx.due_count();
        let leg = |a: usize, b: usize| ctx.leg(a, b).map(|l| l.minutes);
        let bases = |f: usize| serving[f].iter().filter_map(move |&o| ctx.officer_loc[o]);
        let mut cost = vec![0.0; n];
        let (mut earliest_start, mut latest_end, mut longest_first, mut shortest_home) =
            (u32::MAX, 0u32, 0u32, u32::MAX);
        for &f in possible {
            let to = ctx.firm_loc[f];
            let from_firms = possible
                .iter()
                .filter(|&&g| g != f)
                .map(|&g| ctx.firm_loc[g]);
            let shortest_in = bases(f)
                .chain(from_firms)
                .filter_map(|p| leg(p, to))
                .min()
                .unwrap_or(0);
            cost[f] = (ctx.reqs[f].duration_min + shortest_in) as f64;
            let from_base = bases(f).filter_map(|b| leg(b, to)).min().unwrap_or(0);
            let home = bases(f).filter_map(|b| leg(to, b)).min().unwrap_or(0);
            let hours = ctx.reqs[f].hours;
            earliest_start = earliest_start.min(
                hours
                    .open
                    .minutes()
                    .max(rules::timing::day_start(ctx) + from_base),
            );
            latest_end = latest_end.max(
                hours
                    .close
                    .minutes()
                    .min(rules::timing::back_by(ctx).saturating_sub(home)),
            );
            longest_first = longest_first.max(shortest_in.max(from_base));
            shortest_home = shortest_home.min(home);
        }
        let in_hours = latest_end.saturating_sub(earliest_start) + longest_first;
        let in_day = rules::timing::back_by(ctx)
            .saturating_sub(rules::timing::day_start(ctx))
            .saturating_sub(shortest_home);
        FirmTimes {
            cost,
            window: in_hours.min(in_day) as f64,
        }
    }
}

/// A class of visits: minutes it costs its crew at the least, and team size.
struct VisitClass {
    cost: f64,
    team: u32,
}

/// What one crew-day can hold: a count of visits per class, and the team it needs.
struct Pattern {
    counts: Vec<u32>,
    team: u32,
}

/// Classes by (minutes on site, team size); a class costs the smallest `c` of its firms.
fn visit_classes(
    ctx: &Context<'_>,
    cost: &[f64],
    possible: &[usize],
) -> (Vec<usize>, Vec<VisitClass>) {
    let mut keys: Vec<(u32, u32)> = Vec::new();
    let mut class_of = vec![usize::MAX; cost.len()];
    for &f in possible {
        let key = (ctx.reqs[f].duration_min, ctx.reqs[f].team_size);
        class_of[f] = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            keys.push(key);
            keys.len() - 1
        });
    }
    let classes = keys
        .iter()
        .enumerate()
        .map(|(k, &(_, team))| {
            let cost = possible
                .iter()
                .filter(|&&f| class_of[f] == k)
                .map(|&f| cost[f])
                .fold(f64::INFINITY, f64::min);
            VisitClass { cost, team }
        })
        .collect();
    (class_of, classes)
}

/// Every non-empty count of visits per class whose total cost fits in `window`.
fn crew_day_patterns(classes: &[VisitClass], window: f64) -> Vec<Pattern> {
    fn extend(
        classes: &[VisitClass],
        window: f64,
        counts: &mut Vec<u32>,
        used: f64,
        out: &mut Vec<Pattern>,
    ) {
        let k = counts.len();
        if k == classes.len() {
            if counts.iter().any(|n| *n > 0) {
                let team = counts
                    .iter()
                    .zip(classes)
                    .filter(|(n, _)| **n > 0)
                    .map(|(_, c)| c.team)
                    .max()
                    .unwrap_or(0);
                out.push(Pattern {
                    counts: counts.clone(),
                    team,
                });
            }
            return;
        }
        // A class's cost is at least its minutes on site (≥ 1), so the count is finite.
        let cost = classes[k].cost.max(1.0);
        let mut n = 0u32;
        while used + n as f64 * cost <= window + 1e-9 {
            counts.push(n);
            extend(classes, window, counts, used + n as f64 * cost, out);
            counts.pop();
            n += 1;
        }
    }
    let mut out = Vec::new();
    extend(classes, window, &mut Vec::new(), 0.0, &mut out);
    out
}
