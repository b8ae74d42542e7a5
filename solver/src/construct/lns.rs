//! Ruin-and-recreate improvement of a roster (large-neighbourhood search).
//!
//! Each iteration tears down a few crew-days (a day in one district, a few random crews,
//! or the crews of a day that could have served an unplaced firm), then places every
//! unplaced firm again with the greedy's cheapest move, in priority order perturbed a
//! little. A result that is no worse — more mandatory visits, then more priority weight,
//! then lower cost — replaces the current one (equal results let the search drift across
//! plateaus). Each worker thread runs its own search from its own seed; the best result
//! wins, ties to the lower worker, so a fixed seed and thread count give a fixed roster.
//! The iteration budget, not the clock, ends a search; the time limit only cuts it short.

use std::cmp::Ordering;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::greedy::{CrewState, State, best_move};
use super::{Progress, Until};
use crate::context::Context;
use crate::model::CITY_LEVEL;

/// The lexicographic objective of a state: mandatory visits, priority weight (×100),
/// then cost (CNY ×100, negated so that larger is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    mandatory: u32,
    weight: i64,
    neg_cost: i64,
}

/// Scores a state.
pub fn score(ctx: &Context<'_>, state: &State) -> Score {
    let placed = (0..ctx.due_count()).filter(|&d| state.placed[d].is_some());
    let (mut mandatory, mut weight) = (0, 0.0);
    for d in placed {
        mandatory += ctx.due.due[d].mandatory as u32;
        weight += ctx.due.due[d].weight;
    }
    let rates: f64 = state
        .expert_used
        .iter()
        .zip(&ctx.day_rates)
        .map(|(&n, r)| n as f64 * r)
        .sum();
    let km: f64 = state.crews.iter().map(|c| c.times.km).sum();
    let cost = rates + km * ctx.instance.policy.cost_per_km;
    Score {
        mandatory,
        weight: (weight * 100.0).round() as i64,
        neg_cost: -(cost * 100.0).round() as i64,
    }
}

/// Improves `initial` with `workers` parallel searches of `iterations` each.
pub fn improve(
    ctx: &Context<'_>,
    initial: State,
    seed: u64,
    workers: usize,
    iterations: usize,
    until: Until<'_>,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> State {
    if iterations == 0 || ctx.due_count() == 0 {
        return initial;
    }
    let results: Vec<(Score, State)> = (0..workers.max(1))
        .into_par_iter()
        .map(|w| {
            // Only the first worker reports, so the reports come in order.
            let report = if w == 0 { progress } else { None };
            let state = search(
                ctx,
                initial.clone(),
                seed.wrapping_add(w as u64 * 0x9E37_79B9),
                iterations,
                until,
                report,
            );
            (score(ctx, &state), state)
        })
        .collect();
    // The best score; among equals the first worker's.
    results
        .into_iter()
        .reduce(|a, b| if b.0 > a.0 { b } else { a })
        .map(|r| r.1)
        .unwrap_or(initial)
}

fn search(
    ctx: &Context<'_>,
    initial: State,
    seed: u64,
    iterations: usize,
    until: Until<'_>,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> State {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut current_score = score(ctx, &initial);
    let mut best = initial.clone();
    let mut best_score = current_score;
    let mut current = initial;
    for iteration in 0..iterations {
        if until.reached() {
            break;
        }
        if let Some(report) = progress
            && iteration % 10 == 0
        {
            let scheduled = best.placed.iter().filter(|p| p.is_some()).count();
            let total: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
            let done: f64 = (0..ctx.due_count())
                .filter(|&d| best.placed[d].is_some())
                .map(|d| ctx.due.due[d].weight)
                .sum();
            let coverage = if total > 0.0 { done / total } else { 1.0 };
            report(Progress {
                considered: ctx.due_count(),
                total: ctx.due_count(),
                scheduled,
                iteration,
                iterations,
                coverage,
                bound: None,
            });
        }
        let (kept, touched) = ruin(ctx, &current, &mut rng);
        let mut candidate = State::rebuild(ctx, kept);
        recreate(ctx, &mut candidate, &touched, &mut rng);
        let candidate_score = score(ctx, &candidate);
        if candidate_score.cmp(&current_score) != Ordering::Less {
            current = candidate;
            current_score = candidate_score;
            if current_score > best_score {
                best = current.clone();
                best_score = current_score;
            }
        }
    }
    best
}

/// The crews that survive one ruin step, and the districts whose firms it touched.
fn ruin<'a>(
    ctx: &Context<'a>,
    state: &State,
    rng: &mut ChaCha8Rng,
) -> (Vec<CrewState>, Vec<&'a str>) {
    let crews = &state.crews;
    if crews.is_empty() {
        let all = ctx
            .instance
            .districts
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        return (Vec::new(), all);
    }
    let mut touched: Vec<&'a str> = Vec::new();
    let district_of = |d: usize| {
        ctx.instance.enterprises[ctx.due.enterprise_index[d]]
            .district
            .as_str()
    };
    let remove: Vec<bool> = match rng.random_range(0..3) {
        // Every crew of one day working in the district of a random crew.
        0 => {
            let pivot = &crews[rng.random_range(0..crews.len())];
            let district = district_of(pivot.route[0]);
            crews
                .iter()
                .map(|c| c.day == pivot.day && c.route.iter().any(|&d| district_of(d) == district))
                .collect()
        }
        // A few random crews.
        1 => {
            let k = rng.random_range(1..=3.min(crews.len()));
            let mut pick: Vec<usize> = (0..crews.len()).collect();
            let (chosen, _) = pick.partial_shuffle(rng, k);
            (0..crews.len()).map(|i| chosen.contains(&i)).collect()
        }
        // The crews of a random day that could have taken a random unplaced firm.
        _ => {
            let unplaced: Vec<usize> = (0..ctx.due_count())
                .filter(|&d| state.placed[d].is_none())
                .collect();
            if unplaced.is_empty() {
                let k = rng.random_range(0..crews.len());
                (0..crews.len()).map(|i| i == k).collect()
            } else {
                let d = unplaced[rng.random_range(0..unplaced.len())];
                touched.push(district_of(d));
                let day = rng.random_range(0..ctx.days.len());
                crews
                    .iter()
                    .map(|c| {
                        let officer = &ctx.instance.officers[c.officer];
                        c.day == day
                            && (officer.district == CITY_LEVEL
                                || officer.district == district_of(d))
                    })
                    .collect()
            }
        }
    };
    let mut kept = Vec::with_capacity(crews.len());
    for (crew, removed) in crews.iter().zip(remove) {
        if removed {
            touched.extend(crew.route.iter().map(|&d| district_of(d)));
        } else {
            kept.push(crew.clone());
        }
    }
    touched.sort_unstable();
    touched.dedup();
    (kept, touched)
}

/// Places the unplaced firms of the touched districts again (the ruin freed people and
/// days there), mandatory first, by weight perturbed by ±10 %.
fn recreate(ctx: &Context<'_>, state: &mut State, touched: &[&str], rng: &mut ChaCha8Rng) {
    let district_of = |d: usize| {
        ctx.instance.enterprises[ctx.due.enterprise_index[d]]
            .district
            .as_str()
    };
    let mut order: Vec<(bool, f64, usize)> = (0..ctx.due_count())
        .filter(|&d| state.placed[d].is_none() && touched.binary_search(&district_of(d)).is_ok())
        .map(|d| {
            (
                ctx.due.due[d].mandatory,
                ctx.due.due[d].weight * (0.9 + 0.2 * rng.random::<f64>()),
                d,
            )
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    for (_, _, d) in order {
        if let Some(mv) = best_move(ctx, state, d) {
            state.apply(d, mv);
        }
    }
}
