//! The solve of one city: priority-order greedy construction of crews, days and routes,
//! then the improvement search, the roster assembled with its unscheduled firms explained.
//!
//! It always returns a roster that passes the checker: every move is checked against
//! every hard rule before it is applied.

mod explain;
mod greedy;
mod lns;

use std::time::{Duration, Instant};

use crate::bound::{Column, Effort};

use crate::context::Context;
use crate::model::{Break, Clock, Crew, Kpis, Roster, SolverInfo, Unscheduled, Visit};
use crate::objective;
use crate::options::{Progress, SolveOptions, Until};
use crate::rules;
use crate::travel::round_km;

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
    // Two bounds. On a small month the crew-day bound and the exact close come first
    // (under a second to a few seconds there, on the same clock as the search): progress
    // shows the true gap and the search ends once it is at the proven optimum.
    // Otherwise the pattern bound comes first (milliseconds) for progress and the search's
    // done test, and the crew-day bound (seconds at city scale) is proved after the
    // search, from the crews of the construction and of the search's roster; the time
    // limit is the search's. A bound that cannot be computed leaves `bound` empty rather
    // than failing the plan.
    // The same effort whatever the time limit: a time-limited run given back its
    // iterations as a cap repeats it exactly, bound included.
    let effort = Effort::default();
    // Months small enough to close exactly get the crew-day bound before the search.
    let proves_first = ctx.due_count() <= crate::bound::CLOSE_UP_TO;
    let first_bound = if with_bound {
        let first = if proves_first {
            effort
        } else {
            Effort {
                rounds: 0,
                ..effort
            }
        };
        crate::bound::proven_bound(ctx, &[], first).ok()
    } else {
        None
    };
    // A small month closed exactly comes with its optimum. When the construction's rules
    // accept its crews, it is where the search starts, and its coverage is the bound of
    // every roster that schedules as many mandatory visits (none schedules more); the
    // search never trades either away. An optimum not proven (the integer master's node
    // budget ran out) is only a start.
    let weight_bound = first_bound.as_ref().map(|proven| proven.bound);
    let exact = first_bound.as_ref().and_then(|proven| {
        let optimum = proven.optimum.as_ref()?;
        let state = state_of(ctx, &optimum.crews)?;
        let mandatory = lns::score(ctx, &state).mandatory;
        Some((
            state,
            optimum.proven.then_some((mandatory, optimum.coverage)),
        ))
    });
    let closed = exact.as_ref().and_then(|(_, closed)| *closed);
    // The same margin for rounding as every bound.
    let first_bound = match closed {
        Some((_, coverage)) => Some((coverage + 1e-9).min(1.0)),
        None => weight_bound,
    };
    let exact = exact.map(|(state, _)| state);
    let with_gap = |p: Progress| {
        if let Some(report) = options.progress {
            report(Progress {
                bound: first_bound,
                ..p
            });
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
    let constructed: Vec<Column> = if with_bound && !proves_first {
        columns_of(&state)
    } else {
        Vec::new()
    };
    // The exact optimum, where it is better than the construction (it always visits as
    // much; the construction may be cheaper at the same coverage), is where the search
    // starts: the search then only lowers its cost.
    // A construction cut short by the clock is not a roster yet; the optimum is.
    if let Some(exact) = exact
        && (stopped_at < total || lns::score(ctx, &exact) > lns::score(ctx, &state))
    {
        state = exact;
        stopped_at = total;
    }
    let outcome = if stopped_at == total {
        let budget = lns::Budget {
            iterations: options.iterations,
            until,
            bound: first_bound,
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
    let stopped = options
        .stop
        .is_some_and(|stop| stop.load(std::sync::atomic::Ordering::Relaxed));
    let bound = if with_bound && !stopped && !proves_first {
        let mut seeds = constructed;
        seeds.extend(columns_of(&outcome.state));
        crate::bound::coverage_bound(ctx, &seeds, effort).ok()
    } else {
        first_bound
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
            lns::Ended::Done => "no better roster for 1,000 iterations per worker",
        };
        roster.solver.algorithm = format!(
            "greedy-priority-insertion + adaptive ruin-and-recreate, record-to-record acceptance ({} iterations x {threads} workers, ended by {ended})",
            outcome.iterations
        );
        if let Some(seed) = options.search_seed {
            roster.solver.algorithm += &format!(", search seed {seed}");
        }
    }
    // A closed month's bound holds for rosters with its optimum's mandatory visits, which
    // the roster has unless a stop cut the search short of its start (then the bound on
    // weight alone, which holds for every roster).
    let bound = match closed {
        Some((mandatory, _)) if roster.kpis.mandatory_scheduled != mandatory => {
            debug_assert!(roster.kpis.mandatory_scheduled < mandatory, "beat a proof");
            weight_bound
        }
        _ => bound,
    };
    if let Some(bound) = bound {
        roster.kpis.bound = Some(bound);
        roster.kpis.gap = Some(bound - roster.kpis.weighted_coverage);
    }
    roster.solver.seconds = started.elapsed().as_secs_f64();
    roster
}

/// The crews of the integer master's optimum as a roster being built, if they keep every
/// rule the construction keeps (the master leaves some out); `None` otherwise.
fn state_of(ctx: &Context<'_>, crews: &[crate::bound::ExactCrew]) -> Option<greedy::State> {
    let mut built = Vec::with_capacity(crews.len());
    for crew in crews {
        let base = ctx.officer_loc[crew.officer]?;
        let officer_may = crew.route.iter().all(|&d| {
            rules::scope::serves(ctx, crew.officer, d) && rules::may_visit_on(ctx, d, crew.day)
        }) && rules::people::officer_on_duty(ctx, crew.officer, crew.day);
        let experts_may = crew.experts.iter().all(|&e| {
            rules::people::expert_on_duty(ctx, e, crew.day)
                && rules::avoidance::may_join(ctx, e, &crew.route)
        });
        let qualified = crew
            .route
            .iter()
            .all(|&d| rules::qualification::team_qualifies(ctx, &crew.experts, d))
            && rules::seat::all_earn(ctx, &crew.experts, &crew.route);
        if !(officer_may && experts_may && qualified) {
            return None;
        }
        let times = crate::route::schedule(ctx, base, &crew.route)?;
        let view = objective::CrewView {
            day: crew.day,
            officer: crew.officer,
            experts: &crew.experts,
            route: &crew.route,
            km: times.km,
        };
        let cost = objective::crew_cost(ctx, &view);
        built.push(greedy::CrewState {
            day: crew.day,
            officer: crew.officer,
            experts: crew.experts.clone(),
            route: crew.route.clone(),
            times,
            cost,
        });
    }
    let state = greedy::State::rebuild(ctx, built);
    // One crew a day per person, each firm once, and days within each person's most.
    let booked_once = (0..ctx.days.len()).all(|t| {
        distinct(state.by_day[t].iter().flat_map(|&c| {
            let crew = &state.crews[c];
            std::iter::once((true, crew.officer)).chain(crew.experts.iter().map(|&e| (false, e)))
        }))
    });
    let placed_once = distinct(crews.iter().flat_map(|c| c.route.iter().copied()));
    let within_days = (0..ctx.instance.experts.len())
        .all(|e| rules::people::within_max_days(state.expert_used[e], ctx.expert_max[e]))
        && (0..ctx.instance.officers.len()).all(|o| {
            rules::people::within_max_days(state.officer_used[o], ctx.officer_max[o])
                && rules::workload::officer_days_allowed(ctx, |t| state.officer_busy[t][o])
        });
    // The integer master knows no budget: an optimum over it is no roster.
    let within_budget = rules::budget::within(ctx, state.spent, 1.0);
    // Nor the last week's reserve.
    let within_reserve =
        (0..ctx.days.len()).all(|t| state.by_day[t].len() <= rules::reserve::most_crews(ctx, t));
    (booked_once && within_days && placed_once && within_budget && within_reserve).then_some(state)
}

/// Whether no item comes twice.
fn distinct<T: Ord>(items: impl Iterator<Item = T>) -> bool {
    let mut items: Vec<T> = items.collect();
    let all = items.len();
    items.sort_unstable();
    items.dedup();
    items.len() == all
}

/// The crews of `state` as crew-days for the bound's column generation.
fn columns_of(state: &greedy::State) -> Vec<Column> {
    state
        .crews
        .iter()
        .map(|crew| Column::new(crew.officer, crew.route.clone(), crew.experts.clone()))
        .collect()
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
            let lead = rules::qualification::lead(ctx, &c.experts, &c.route)
                .map(|e| instance.experts[e].id.clone());
            Crew {
                id: format!("{date}/{}", officer.id),
                date,
                officer: officer.id.clone(),
                experts,
                lead,
                depart: Clock(c.times.depart),
                return_: Clock(c.times.ret),
                distance_km: c.times.km,
                breaks: c
                    .times
                    .lunch
                    .map(|(start, end)| Break {
                        start: Clock(start),
                        end: Clock(end),
                    })
                    .into_iter()
                    .collect(),
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

    let unlimited = explain::unlimited(ctx, state);
    let unscheduled = (0..ctx.due_count())
        .filter(|&d| state.placed[d].is_none())
        .map(|d| {
            let (code, message) = if d >= stopped_at {
                (
                    "time_limit",
                    "the time limit ran out before this firm was considered".to_string(),
                )
            } else {
                explain::explain(ctx, state, unlimited.as_ref(), d)
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
        workload_spread: objective::std_dev(&utilisation),
        bound: None,
        gap: None,
        objective: Some(breakdown.to_map()),
        budget: budget_use(ctx, state, expert_days, breakdown.cost_cny()),
    }
}

/// The roster against the policy's budget: what it used, and what ten per cent more buys
/// (the firms left out placed into the roster, most important first, each by its cheapest
/// move within 110 % of the budget).
fn budget_use(
    ctx: &Context<'_>,
    state: &greedy::State,
    expert_days: u32,
    cny: f64,
) -> Option<crate::model::BudgetUse> {
    let budget = ctx.instance.policy.budget?;
    let mut more = state.clone();
    more.budget_scale = 1.1;
    let mut added = Vec::new();
    for d in 0..ctx.due_count() {
        if more.placed[d].is_none()
            && let Some(mv) = greedy::best_move(ctx, &more, d)
        {
            more.apply(d, mv);
            added.push(d);
        }
    }
    let due = &ctx.due.due;
    let total: f64 = due.iter().map(|d| d.weight).sum();
    let placed: f64 = (0..due.len())
        .filter(|&d| more.placed[d].is_some())
        .map(|d| due[d].weight)
        .sum();
    Some(crate::model::BudgetUse {
        cny: budget.cny,
        expert_days: budget.expert_days,
        used_cny: (cny * 100.0).round() / 100.0,
        used_expert_days: expert_days,
        next_10_percent: crate::model::NextTenPercent {
            enterprises: added.iter().map(|&d| due[d].enterprise.clone()).collect(),
            mandatory: added.iter().filter(|&&d| due[d].mandatory).count() as u32,
            weighted_coverage: if total > 0.0 { placed / total } else { 1.0 },
            cny: ((more.spent.cny - state.spent.cny) * 100.0).round() / 100.0,
            expert_days: more.spent.expert_days - state.spent.expert_days,
        },
    })
}
