//! The improvement search: adaptive large-neighbourhood search (ruin and recreate) with
//! record-to-record acceptance, anytime.
//!
//! Each iteration tears down a few crew-days with one of several ruin operators (chosen by
//! adaptive weights: operators that found better rosters lately are chosen more), then
//! places every unplaced firm of the touched districts again with the construction's
//! cheapest move, in priority order perturbed a little. Candidates are compared by the
//! one objective ([`crate::objective`]): more mandatory visits or more priority weight is
//! always accepted, less never; at equal coverage a candidate is accepted while its
//! search cost stays within a small band above the best found (record-to-record travel;
//! the band narrows to nothing over each cycle of [`CYCLE`] iterations and then opens
//! again), which lets the search leave local optima.
//!
//! Workers (one per thread) search from their own seeds in **rounds** of [`ROUND`]
//! iterations. The clock and the stop flag are read only between rounds, and what the
//! workers share (the worst one restarting from the best roster every [`SHARE_EVERY`]
//! rounds) is decided there too, so the roster depends on the seed, the thread count and
//! the number of rounds done, never on timing within a round: a time-limited run is
//! repeated exactly by giving the iterations it reports (`solver.iterations`) as the cap.
//! The search ends at the time limit, at the iteration cap, or, without a cap, once it is
//! done: no better roster for [`STALL`] rounds once coverage is at the proven bound (or
//! at any coverage when there is no clock either).

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::greedy::{CrewState, State, all_moves, best_move};
use crate::context::Context;
use crate::model::Tier;
use crate::objective::{Breakdown, Score};
use crate::options::{Progress, Until};
use crate::rules;

/// Iterations per worker between two looks at the clock.
pub const ROUND: usize = 25;
/// Length of one acceptance cycle, iterations.
const CYCLE: usize = 2000;
/// Widest acceptance band, as a share of the best search cost.
const BAND: f64 = 0.004;
/// Rounds between two exchanges of the best roster between workers.
const SHARE_EVERY: usize = 20;
/// Coverage this close to the proven bound is at it (the bound carries a margin for the
/// rounding of its prices).
pub(super) const AT_BOUND: f64 = 1e-6;
/// Rounds without a better roster after which a search that cannot gain coverage stops.
const STALL: usize = 40;
/// Iterations between two updates of the operator weights.
const SEGMENT: usize = 100;
/// Chance that a blinking recreate passes over a move.
const BLINK: f64 = 0.3;
/// How much of an operator's weight its last segment's success replaces.
const REACTION: f64 = 0.2;

/// The ruin operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ruin {
    /// Every crew of one day working in the district of a random crew.
    DistrictDay,
    /// One to three random crews.
    RandomCrews,
    /// The crews of a random open day of a random unplaced firm that could have taken it
    /// or hold an expert it needs.
    ForUnplaced,
    /// The crews visiting the firms nearest a random visited firm, on any day.
    Neighbours,
    /// A few days' crews of one random expert (frees a scarce specialty).
    ExpertDays,
    /// The crews that cost the most per unit of priority weight they visit.
    Costliest,
    /// For an unplaced firm that no rule rules out (mandatory first): one crew-day of an
    /// officer who may visit it, on a day it is open, and the least valuable crew-days of
    /// another officer who may take that crew's firms, so that the recreate may give the
    /// firm its officer's day and the displaced firms the other officer (a chain the
    /// single moves cannot make: a city-level officer doing a district's visit while
    /// districts without an officer of their own wait).
    OfficerChain,
}

const OPERATORS: [Ruin; 7] = [
    Ruin::DistrictDay,
    Ruin::RandomCrews,
    Ruin::ForUnplaced,
    Ruin::Neighbours,
    Ruin::ExpertDays,
    Ruin::Costliest,
    Ruin::OfficerChain,
];

/// Rewards of an operator's iteration: a new best, better than the current, accepted.
const REWARD: [f64; 3] = [5.0, 2.0, 1.0];

/// What the search did.
pub struct Outcome {
    /// The best roster.
    pub state: State,
    /// Iterations each worker ran.
    pub iterations: usize,
    /// Why the search ended.
    pub ended: Ended,
}

/// Why a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Nothing to search.
    Nothing,
    /// The iteration cap was reached.
    Iterations,
    /// The time limit ran out or the solve was stopped.
    Clock,
    /// Coverage is at its bound and the cost stopped improving.
    Done,
}

/// What the search may use.
pub struct Budget<'a> {
    /// Iterations per worker at most (`None`: no cap).
    pub iterations: Option<usize>,
    /// The clock and the stop flag.
    pub until: Until<'a>,
    /// The proven bound on weighted coverage, when known.
    pub bound: Option<f64>,
}

/// Improves `initial` with `workers` searches, in rounds, until the budget says stop.
pub fn improve(
    ctx: &Context<'_>,
    initial: State,
    seed: u64,
    workers: usize,
    budget: &Budget<'_>,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Outcome {
    if budget.iterations == Some(0) || ctx.due_count() == 0 {
        return Outcome {
            state: initial,
            iterations: 0,
            ended: Ended::Nothing,
        };
    }
    let total_weight: f64 = ctx.due.due.iter().map(|d| d.weight).sum();
    let initial_score = quick_breakdown(ctx, &initial).score();
    let possible: Vec<bool> = (0..ctx.due_count())
        .map(|d| rules::never(ctx, d).is_none())
        .collect();
    let mut searches: Vec<Search> = (0..workers.max(1))
        .map(|w| {
            Search::new(
                initial.clone(),
                initial_score,
                seed.wrapping_add(w as u64 * 0x9E37_79B9),
                possible.clone(),
            )
        })
        .collect();
    let reported =
        |state: &State| Breakdown::of_crews(ctx, state.crews.iter().map(CrewState::view));
    let mut best = (initial_score, reported(&initial), initial);
    let mut done = 0;
    let mut rounds = 0;
    let mut last_gain = 0;
    let ended = loop {
        let n = budget.iterations.map_or(ROUND, |cap| ROUND.min(cap - done));
        searches
            .par_iter_mut()
            .for_each(|s| s.run(ctx, n, budget.until.stop));
        // A stop (cancel, shutdown) may end a round early: count what every worker did.
        done += searches.iter().map(|s| s.last_round).min().unwrap_or(n);
        rounds += 1;
        // The best of the workers; among equals the lower worker.
        let round_best = searches
            .iter()
            .enumerate()
            .reduce(|a, b| {
                if b.1.best_score > a.1.best_score {
                    b
                } else {
                    a
                }
            })
            .map(|(w, _)| w)
            .unwrap_or(0);
        if searches[round_best].best_score > best.0 {
            let s = &searches[round_best];
            best = (s.best_score, reported(&s.best), s.best.clone());
            last_gain = rounds;
        }
        if let Some(report) = progress {
            report(Progress {
                considered: ctx.due_count(),
                total: ctx.due_count(),
                scheduled: best.2.placed.iter().filter(|p| p.is_some()).count(),
                iteration: done,
                iterations: budget.iterations.unwrap_or(0),
                coverage: coverage(best.1.weight, total_weight),
                bound: None,
                cost_cny: best.1.cost_cny(),
            });
        }
        if budget.iterations.is_some_and(|cap| done >= cap) {
            break Ended::Iterations;
        }
        if budget.until.reached() {
            break Ended::Clock;
        }
        // With a cap the search runs it out (a planner who asks for N iterations gets N).
        // Without a clock either, a search that stopped improving is done whatever the
        // bound says (else it would never end).
        let proven = budget.iterations.is_none()
            && (budget.until.deadline.is_none()
                || budget
                    .bound
                    .is_some_and(|b| coverage(best.1.weight, total_weight) >= b - AT_BOUND));
        if proven && rounds - last_gain >= STALL {
            break Ended::Done;
        }
        if rounds.is_multiple_of(SHARE_EVERY) && searches.len() > 1 {
            // The worker whose current roster is worst starts again from the best.
            let worst = searches
                .iter()
                .enumerate()
                .min_by(|a, b| {
                    a.1.current_score
                        .cmp(&b.1.current_score)
                        .then(b.0.cmp(&a.0))
                })
                .map(|(w, _)| w)
                .unwrap_or(0);
            if searches[worst].current_score < best.0 {
                searches[worst].restart(best.2.clone(), best.0);
            }
        }
    };
    Outcome {
        state: best.2,
        iterations: done,
        ended,
    }
}

/// The objective's score of `state`, as the search compares rosters.
pub(super) fn score(ctx: &Context<'_>, state: &State) -> crate::objective::Score {
    quick_breakdown(ctx, state).score()
}

/// The objective of a state from its crews' cached costs (each crew's cost is priced when
/// the crew changes), term by term only for the priority levels.
fn quick_breakdown(ctx: &Context<'_>, state: &State) -> Breakdown {
    let mut b = Breakdown {
        daily_load: crate::objective::daily_load::price(state.crews.iter().map(|c| c.day)),
        ..Breakdown::default()
    };
    for crew in &state.crews {
        let (mandatory, weight) = crate::objective::priority::value(ctx, &crew.route);
        b.mandatory += mandatory;
        b.weight += weight;
        // The whole cost goes in the first term: only the sum is compared.
        b.soft[0] += crew.cost;
    }
    b
}

fn coverage(weight: f64, total: f64) -> f64 {
    if total > 0.0 { weight / total } else { 1.0 }
}

/// One worker's search.
struct Search {
    rng: ChaCha8Rng,
    current: State,
    current_score: Score,
    best: State,
    best_score: Score,
    iteration: usize,
    /// Iterations done in the last round.
    last_round: usize,
    weights: [f64; OPERATORS.len()],
    segment_reward: [f64; OPERATORS.len()],
    segment_uses: [u32; OPERATORS.len()],
    /// Whether no rule rules each due firm out alone (`rules::never`).
    possible: Vec<bool>,
}

impl Search {
    fn new(initial: State, score: Score, seed: u64, possible: Vec<bool>) -> Search {
        Search {
            possible,
            rng: ChaCha8Rng::seed_from_u64(seed),
            current: initial.clone(),
            current_score: score,
            best: initial,
            best_score: score,
            iteration: 0,
            last_round: 0,
            weights: [1.0; OPERATORS.len()],
            segment_reward: [0.0; OPERATORS.len()],
            segment_uses: [0; OPERATORS.len()],
        }
    }

    fn restart(&mut self, state: State, score: Score) {
        self.current = state.clone();
        self.current_score = score;
        if score > self.best_score {
            self.best = state;
            self.best_score = score;
        }
    }

    fn run(
        &mut self,
        ctx: &Context<'_>,
        iterations: usize,
        stop: Option<&std::sync::atomic::AtomicBool>,
    ) {
        self.last_round = 0;
        for _ in 0..iterations {
            // A stop (shutdown, cancel) ends the round at once; the clock waits for its end.
            if stop.is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed)) {
                return;
            }
            self.step(ctx);
            self.last_round += 1;
        }
    }

    fn step(&mut self, ctx: &Context<'_>) {
        let op = self.pick_operator();
        let Ruined {
            kept,
            touched,
            first,
        } = ruin(
            ctx,
            &self.current,
            OPERATORS[op],
            &self.possible,
            &mut self.rng,
        );
        let mut candidate = State::rebuild(ctx, kept);
        recreate(ctx, &mut candidate, &touched, first, &mut self.rng);
        let score = quick_breakdown(ctx, &candidate).score();
        let accepted = if score.same_coverage(&self.current_score) {
            // Record-to-record: within a band above the best cost, narrowing each cycle.
            let phase = (self.iteration % CYCLE) as f64 / CYCLE as f64;
            let band = BAND * (1.0 - phase) * self.best_score.cost().abs();
            score.cost() <= self.best_score.cost() + band || score > self.current_score
        } else {
            score > self.current_score
        };
        let mut reward = 0.0;
        if accepted {
            reward = if score > self.best_score {
                REWARD[0]
            } else if score > self.current_score {
                REWARD[1]
            } else {
                REWARD[2]
            };
            if score > self.best_score {
                self.best = candidate.clone();
                self.best_score = score;
            }
            self.current = candidate;
            self.current_score = score;
        }
        self.segment_reward[op] += reward;
        self.segment_uses[op] += 1;
        self.iteration += 1;
        if self.iteration.is_multiple_of(SEGMENT) {
            for i in 0..OPERATORS.len() {
                if self.segment_uses[i] > 0 {
                    let success = self.segment_reward[i] / self.segment_uses[i] as f64;
                    self.weights[i] = (1.0 - REACTION) * self.weights[i] + REACTION * success;
                }
                // No operator starves: each keeps a weight of at least 0.05.
                self.weights[i] = self.weights[i].max(0.05);
            }
            self.segment_reward = [0.0; OPERATORS.len()];
            self.segment_uses = [0; OPERATORS.len()];
        }
    }

    /// Roulette-wheel choice by the adaptive weights.
    fn pick_operator(&mut self) -> usize {
        let total: f64 = self.weights.iter().sum();
        let mut x = self.rng.random::<f64>() * total;
        for (i, w) in self.weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        OPERATORS.len() - 1
    }
}

fn district_of(ctx: &Context<'_>, d: usize) -> usize {
    ctx.firm_district[d]
}

/// What one ruin step leaves for the recreate.
struct Ruined {
    /// The crews that survive it.
    kept: Vec<CrewState>,
    /// The districts whose firms it touched (sorted): their unplaced firms are placed again.
    touched: Vec<usize>,
    /// A firm to place before all others (the one the ruin made room for).
    first: Option<usize>,
}

/// One ruin step of operator `op` on `state`; `possible[d]`: no rule rules due firm `d`
/// out alone.
fn ruin(
    ctx: &Context<'_>,
    state: &State,
    op: Ruin,
    possible: &[bool],
    rng: &mut ChaCha8Rng,
) -> Ruined {
    let crews = &state.crews;
    if crews.is_empty() {
        let mut all = ctx.firm_district.clone();
        all.sort_unstable();
        all.dedup();
        return Ruined {
            kept: Vec::new(),
            touched: all,
            first: None,
        };
    }
    let mut touched: Vec<usize> = Vec::new();
    let mut first = None;
    let remove: Vec<bool> = match op {
        Ruin::DistrictDay => {
            let pivot = &crews[rng.random_range(0..crews.len())];
            let district = district_of(ctx, pivot.route[0]);
            crews
                .iter()
                .map(|c| {
                    c.day == pivot.day && c.route.iter().any(|&d| district_of(ctx, d) == district)
                })
                .collect()
        }
        Ruin::RandomCrews => {
            let k = rng.random_range(1..=3.min(crews.len()));
            let mut pick: Vec<usize> = (0..crews.len()).collect();
            let (chosen, _) = pick.partial_shuffle(rng, k);
            (0..crews.len()).map(|i| chosen.contains(&i)).collect()
        }
        Ruin::ForUnplaced => {
            let unplaced: Vec<usize> = (0..ctx.due_count())
                .filter(|&d| state.placed[d].is_none())
                .collect();
            if unplaced.is_empty() {
                let k = rng.random_range(0..crews.len());
                (0..crews.len()).map(|i| i == k).collect()
            } else {
                let d = unplaced[rng.random_range(0..unplaced.len())];
                touched.push(district_of(ctx, d));
                // A day the firm is open, and the crews of that day that could have taken
                // it or hold an expert it needs (a specialty it lacks or its lead tier).
                let open: Vec<usize> = (0..ctx.days.len())
                    .filter(|&t| rules::may_visit_on(ctx, d, t))
                    .collect();
                let day = if open.is_empty() {
                    rng.random_range(0..ctx.days.len())
                } else {
                    open[rng.random_range(0..open.len())]
                };
                let useful = |e: usize| {
                    ctx.expert_masks[e] & ctx.req_masks[d] != 0
                        || (ctx.reqs[d].min_tier > Tier::City
                            && ctx.tier(e) >= ctx.reqs[d].min_tier)
                };
                // On other days, up to two crews holding an expert who is at max_days and
                // could have joined the firm's crew that day (as headcount too).
                let capped = |e: usize| {
                    !rules::people::room_for_a_day(state.expert_used[e], ctx.expert_max[e])
                        && rules::people::expert_on_duty(ctx, e, day)
                        && !rules::avoidance::avoids(ctx, e, d)
                };
                let mut elsewhere: Vec<usize> = (0..crews.len())
                    .filter(|&c| crews[c].day != day && crews[c].experts.iter().any(|&e| capped(e)))
                    .collect();
                let (elsewhere, _) = elsewhere.partial_shuffle(rng, 2);
                (0..crews.len())
                    .map(|i| {
                        let c = &crews[i];
                        elsewhere.contains(&i)
                            || (c.day == day
                                && (rules::scope::serves(ctx, c.officer, d)
                                    || c.experts.iter().any(|&e| {
                                        useful(e) && !rules::avoidance::avoids(ctx, e, d)
                                    })))
                    })
                    .collect()
            }
        }
        Ruin::Neighbours => {
            // The firms nearest a random visited firm by road km, and their crews.
            let pivot_crew = &crews[rng.random_range(0..crews.len())];
            let pivot = pivot_crew.route[rng.random_range(0..pivot_crew.route.len())];
            let from = ctx.firm_loc[pivot];
            let mut near: Vec<(f64, usize)> = (0..ctx.due_count())
                .filter_map(|d| {
                    let crew = state.placed[d]?;
                    let km = ctx
                        .leg(from, ctx.firm_loc[d])
                        .map_or(f64::INFINITY, |l| l.km);
                    Some((km, crew))
                })
                .collect();
            let k = rng.random_range(3..=8).min(near.len());
            if k < near.len() {
                near.select_nth_unstable_by(k, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            }
            let mut remove = vec![false; crews.len()];
            for &(_, crew) in &near[..k] {
                remove[crew] = true;
            }
            remove
        }
        Ruin::ExpertDays => {
            let pivot_crew = &crews[rng.random_range(0..crews.len())];
            let expert = pivot_crew.experts[rng.random_range(0..pivot_crew.experts.len())];
            let mut theirs: Vec<usize> = (0..crews.len())
                .filter(|&c| crews[c].experts.contains(&expert))
                .collect();
            let k = rng.random_range(1..=3).min(theirs.len());
            let (chosen, _) = theirs.partial_shuffle(rng, k);
            let mut remove = vec![false; crews.len()];
            for &c in chosen.iter() {
                remove[c] = true;
            }
            remove
        }
        Ruin::Costliest => {
            // Cost per unit of weight, perturbed so the same crews are not always chosen.
            let mut ranked: Vec<(f64, usize)> = crews
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let weight: f64 = c.route.iter().map(|&d| ctx.due.due[d].weight).sum();
                    let noise = 0.7 + 0.6 * rng.random::<f64>();
                    (-(c.cost * noise) / weight.max(1e-9), i)
                })
                .collect();
            let k = rng.random_range(1..=3).min(ranked.len());
            ranked.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut remove = vec![false; crews.len()];
            for &(_, c) in &ranked[..k] {
                remove[c] = true;
            }
            remove
        }
        Ruin::OfficerChain => {
            let (remove, firm) = officer_chain(ctx, state, possible, rng);
            if let Some(d) = firm {
                touched.push(district_of(ctx, d));
                first = Some(d);
            }
            remove
        }
    };
    let mut kept = Vec::with_capacity(crews.len());
    let mut freed: Vec<usize> = Vec::new();
    for (crew, removed) in crews.iter().zip(remove) {
        if removed {
            touched.extend(crew.route.iter().map(|&d| district_of(ctx, d)));
            freed.extend_from_slice(&crew.experts);
        } else {
            kept.push(crew.clone());
        }
    }
    // Unplaced firms elsewhere that a freed expert could serve (a specialty it needs or its
    // lead tier) are tried again too: the ruin may have freed what they lacked.
    // Two such firms at most, so that a large month's iteration stays small.
    let mut wanting: Vec<usize> = (0..ctx.due_count())
        .filter(|&d| state.placed[d].is_none())
        .filter(|&d| {
            freed.iter().any(|&e| {
                (ctx.expert_masks[e] & ctx.req_masks[d] != 0
                    || (ctx.reqs[d].min_tier > Tier::City && ctx.tier(e) >= ctx.reqs[d].min_tier))
                    && !rules::avoidance::avoids(ctx, e, d)
            })
        })
        .collect();
    let (wanting, _) = wanting.partial_shuffle(rng, 2);
    touched.extend(wanting.iter().map(|&d| district_of(ctx, d)));
    touched.sort_unstable();
    touched.dedup();
    Ruined {
        kept,
        touched,
        first,
    }
}

/// The crews [`Ruin::OfficerChain`] removes (see there), and the unplaced firm it made
/// room for when that firm is mandatory (it is then placed first). `possible[d]`: no rule
/// rules due firm `d` out alone.
fn officer_chain(
    ctx: &Context<'_>,
    state: &State,
    possible: &[bool],
    rng: &mut ChaCha8Rng,
) -> (Vec<bool>, Option<usize>) {
    let crews = &state.crews;
    let mut remove = vec![false; crews.len()];
    let unplaced: Vec<usize> = (0..ctx.due_count())
        .filter(|&d| state.placed[d].is_none() && possible[d])
        .collect();
    let mandatory: Vec<usize> = unplaced
        .iter()
        .copied()
        .filter(|&d| ctx.due.due[d].mandatory)
        .collect();
    let pool = if mandatory.is_empty() {
        &unplaced
    } else {
        &mandatory
    };
    // The officers other than crew `c`'s who may take one of its firms.
    let others_for = |c: usize| -> Vec<usize> {
        (0..ctx.instance.officers.len())
            .filter(|&o| {
                o != crews[c].officer
                    && crews[c]
                        .route
                        .iter()
                        .any(|&f| rules::scope::may_go_to(ctx, o, f))
            })
            .collect()
    };
    // A crew-day, on a day the firm is open, of an officer who may visit it; most often
    // one with a firm another officer may take (its day can then be handed over).
    let chain = pool
        .get(rng.random_range(0..pool.len().max(1)))
        .and_then(|&d| {
            let theirs: Vec<usize> = (0..crews.len())
                .filter(|&c| {
                    rules::scope::serves(ctx, crews[c].officer, d)
                        && rules::may_visit_on(ctx, d, crews[c].day)
                })
                .collect();
            let movable: Vec<usize> = if rng.random_bool(0.8) {
                theirs
                    .iter()
                    .copied()
                    .filter(|&c| !others_for(c).is_empty())
                    .collect()
            } else {
                Vec::new()
            };
            let from = if movable.is_empty() {
                &theirs
            } else {
                &movable
            };
            from.get(rng.random_range(0..from.len().max(1)))
                .map(|&c| (d, c))
        });
    let Some((d, c)) = chain else {
        // Nothing to chain: one random crew, so that the iteration is not a copy.
        remove[rng.random_range(0..crews.len())] = true;
        return (remove, None);
    };
    remove[c] = true;
    // Another officer who may take one of its firms, and that officer's one or two
    // crew-days with the fewest mandatory visits and the least weight (perturbed).
    let others = others_for(c);
    if !others.is_empty() {
        let other = others[rng.random_range(0..others.len())];
        let mut ranked: Vec<((u32, f64), usize)> = (0..crews.len())
            .filter(|&k| crews[k].officer == other)
            .map(|k| {
                let (mandatory, weight) = crate::objective::priority::value(ctx, &crews[k].route);
                ((mandatory, weight * (0.8 + 0.4 * rng.random::<f64>())), k)
            })
            .collect();
        ranked.sort_by(|a, b| {
            (a.0.0.cmp(&b.0.0))
                .then(a.0.1.total_cmp(&b.0.1))
                .then(a.1.cmp(&b.1))
        });
        let k = rng.random_range(1..=2);
        for &(_, crew) in ranked.iter().take(k) {
            remove[crew] = true;
        }
    }
    (remove, ctx.due.due[d].mandatory.then_some(d))
}

/// Places the unplaced firms of the touched districts again (the ruin freed people and
/// days there): the firm the ruin made room for first, if any, then mandatory first, in one of four orders: by weight perturbed by ±10 %
/// (most often), by weight perturbed by ±50 %, by weight per minute on site perturbed by
/// ±10 % (two short visits may be worth more than the long one that would block them), or
/// (one time in twelve) in any order, mandatory or not; and, one time in ten, each firm's
/// cheapest move may be passed over ([`BLINK`]).
fn recreate(
    ctx: &Context<'_>,
    state: &mut State,
    touched: &[usize],
    first: Option<usize>,
    rng: &mut ChaCha8Rng,
) {
    let (noise, per_minute) = match rng.random_range(0..12) {
        0 => (0.5, false),
        1 | 2 => (0.1, true),
        // Any order at all, mandatory or not: a firm placed first may take the people
        // another needs, whichever matters more (a lost mandatory visit is never accepted).
        3 => (1.0, false),
        _ => (0.1, false),
    };
    let blink = rng.random_bool(0.1);
    let shuffled = noise >= 1.0;
    let mut order: Vec<(bool, f64, usize)> = (0..ctx.due_count())
        .filter(|&d| {
            state.placed[d].is_none() && touched.binary_search(&district_of(ctx, d)).is_ok()
        })
        .map(|d| {
            let per = if per_minute {
                f64::from(ctx.reqs[d].duration_min.max(1))
            } else {
                1.0
            };
            let jitter = 1.0 - noise + 2.0 * noise * rng.random::<f64>();
            let mandatory = ctx.due.due[d].mandatory && !shuffled;
            (mandatory, ctx.due.due[d].weight / per * jitter, d)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    // The firm the ruin made room for goes first, before the firms it displaced take the
    // room back.
    if let Some(at) = first.and_then(|f| order.iter().position(|o| o.2 == f)) {
        let first = order.remove(at);
        order.insert(0, first);
    }
    for (_, _, d) in order {
        let chosen = if blink {
            // Each move, cheapest first, is passed over with probability BLINK, so a firm
            // sometimes leaves its cheapest day, crew or officer to a firm that needs it.
            let moves = all_moves(ctx, state, d);
            let pick = (0..moves.len())
                .find(|_| rng.random::<f64>() >= BLINK)
                .unwrap_or(0);
            moves.into_iter().nth(pick)
        } else {
            best_move(ctx, state, d)
        };
        if let Some(mv) = chosen {
            state.apply(d, mv);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Instance;

    /// A crew-day of `officer` on `day` visiting `firms` (due indices) with `experts`.
    fn crew(ctx: &Context<'_>, officer: usize, day: usize, firms: &[usize]) -> CrewState {
        let base = ctx.officer_loc[officer].expect("a base");
        let times = crate::route::schedule(ctx, base, firms).expect("the firms fit a day");
        let mut crew = CrewState {
            day,
            officer,
            experts: vec![0, 1],
            route: times.firms(),
            times,
            cost: 0.0,
        };
        crew.cost = crate::objective::crew_cost(ctx, &crew.view());
        crew
    }

    /// D1 (officer O1) and D2 (no officer of its own); the city-level O2 has its base
    /// beside F1 in D1; O3 has district D3. F1 (red), F3 and F5 (red) are in D1, F2 in D2,
    /// F4 in D3. All are overdue (mandatory), each visit takes a whole day, and each
    /// officer has one day a month.
    fn chain_month() -> Instance {
        use crate::model::Risk;
        let mut instance: Instance =
            serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads");
        instance.policy.officer_max_days = 1;
        for id in ["D2", "D3"] {
            let mut district = instance.districts[0].clone();
            district.id = id.into();
            instance.districts.push(district);
        }
        let f1_location = instance.enterprises[0].location;
        for (id, district) in [("O2", "city"), ("O3", "D3")] {
            let mut officer = instance.officers[0].clone();
            officer.id = id.into();
            officer.district = district.into();
            officer.base = Some(f1_location);
            instance.officers.push(officer);
        }
        for (id, district, officer) in [("F3", "D1", "O1"), ("F4", "D3", "O3"), ("F5", "D1", "O1")]
        {
            let mut firm = instance.enterprises[0].clone();
            firm.id = id.into();
            firm.district = district.into();
            firm.officer = officer.into();
            instance.enterprises.push(firm);
        }
        instance.enterprises[0].risk = Risk::Red;
        instance.enterprises[4].risk = Risk::Red;
        // Visits of a whole day: a crew takes one firm.
        for firm in &mut instance.enterprises {
            firm.duration_min = Some(420);
        }
        instance.enterprises[1].district = "D2".into();
        instance.enterprises[1].officer = "O2".into();
        instance
    }

    #[test]
    fn the_officer_chain_frees_a_day_of_the_only_officer_who_may_visit_an_unplaced_firm() {
        // O2 is out at F1 (D1), whose own officer O1 is out at F3 and F5; O3 at F4. Only O2
        // may visit F2. The chain takes O2's day (F2 may go there) and O1's least valuable
        // days (F1 may go there), never O3's (who can take none of F1).
        let instance = chain_month();
        let ctx = Context::new(&instance).expect("the instance reads");
        let due = |id: &str| ctx.due_index(id).expect("due");
        let (f1, f2, f3, f4, f5) = (due("F1"), due("F2"), due("F3"), due("F4"), due("F5"));
        let (o1, o2, o3) = (0, 1, 2);
        assert!(!rules::scope::serves(&ctx, o1, f2) && rules::scope::serves(&ctx, o2, f2));
        let state = State::rebuild(
            &ctx,
            vec![
                crew(&ctx, o2, 0, &[f1]),
                crew(&ctx, o1, 1, &[f3]),
                crew(&ctx, o3, 2, &[f4]),
                crew(&ctx, o1, 3, &[f5]),
            ],
        );
        assert!(state.placed[f2].is_none());
        let possible = vec![true; ctx.due_count()];
        let (mut both, mut one) = (0, 0);
        for seed in 0..40 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (remove, _) = officer_chain(&ctx, &state, &possible, &mut rng);
            assert!(remove[0], "seed {seed}: O2's day is taken");
            assert!(!remove[2], "seed {seed}: O3 can take none of F1");
            // O1's days from the least valuable: F3's (yellow) before F5's (red).
            assert!(remove[1], "seed {seed}: O1's least valuable day");
            if remove[3] {
                both += 1;
            } else {
                one += 1;
            }
        }
        assert!(
            both > 0 && one > 0,
            "one or two of O1's days: {both} / {one}"
        );
        // A firm no rule allows is never chained for.
        let mut ruled_out = vec![true; ctx.due_count()];
        ruled_out[f2] = false;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (remove, first) = officer_chain(&ctx, &state, &ruled_out, &mut rng);
        assert_eq!(first, None);
        assert_eq!(remove.iter().filter(|&&r| r).count(), 1, "one random crew");
    }

    #[test]
    fn the_firm_the_chain_made_room_for_is_placed_before_the_firms_it_displaced() {
        // With every day free, F1 (red, heavier) would take O2's only day (its base is
        // beside F1) before F2 got there; placed first, F2 gets O2.
        let instance = chain_month();
        let ctx = Context::new(&instance).expect("the instance reads");
        let due = |id: &str| ctx.due_index(id).expect("due");
        let (f1, f2) = (due("F1"), due("F2"));
        assert!(
            ctx.due.due[f1].weight > ctx.due.due[f2].weight,
            "F1 comes before F2 by weight"
        );
        let touched = {
            let mut t = vec![ctx.firm_district[f1], ctx.firm_district[f2]];
            t.sort_unstable();
            t
        };
        let mut lost_without = 0;
        for seed in 0..12 {
            let placed = |first: Option<usize>| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let mut state = State::rebuild(&ctx, Vec::new());
                recreate(&ctx, &mut state, &touched, first, &mut rng);
                let officer_of = |f: usize| state.placed[f].map(|c| state.crews[c].officer);
                (officer_of(f1), officer_of(f2))
            };
            assert_eq!(placed(Some(f2)).1, Some(1), "seed {seed}: F2 with O2");
            lost_without += usize::from(placed(None).1.is_none());
        }
        assert!(lost_without > 0, "by weight alone, F1 takes O2's only day");
    }
}
