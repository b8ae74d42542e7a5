//! Slack induction by string removals: ruin strings of consecutive visits in a few
//! neighbouring routes, recreate by cheapest insertion with blinks, accept by simulated
//! annealing (Christiaens & Vanden Berghe, Transportation Science 54(2), 2020). Between
//! recreate and acceptance, a local search over the changed routes with each customer's
//! nearest customers (the granular neighbourhoods of HGS, Vidal 2022: 2-opt*, swap,
//! 2-opt), which moves whole ends of routes where the string removals move a few visits.

use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::route::{Model, Route};
use super::{EPS, Vrptw, VrptwSolution};

/// How long and how wide to search.
#[derive(Debug, Clone, Copy)]
pub struct VrptwOptions {
    /// Stop after this long, returning the best found so far.
    pub time_limit: Duration,
    /// Ruin-and-recreate iterations per run. When finite, the annealing schedule follows
    /// the iteration count, so the result depends only on the seed (if the time limit
    /// does not cut the run short); otherwise it follows the clock.
    pub iterations: usize,
    /// Seed of the first run; run k uses `seed + k`.
    pub seed: u64,
    /// Independent runs in parallel; the best wins (ties go to the lowest run).
    pub threads: usize,
}

impl Default for VrptwOptions {
    fn default() -> Self {
        VrptwOptions {
            time_limit: Duration::from_secs(10),
            iterations: usize::MAX,
            seed: 1,
            threads: 1,
        }
    }
}

/// Average number of customers removed per ruin (the paper's c̄).
const MEAN_REMOVED: f64 = 10.0;
/// Longest string removed from one route (the paper's L_max).
const MAX_STRING: f64 = 10.0;
/// Probability of the split-string variant, which keeps a run of visits inside the string.
const SPLIT_RATE: f64 = 0.5;
/// Each step of the kept run stops with this probability.
const SPLIT_DEPTH: f64 = 0.01;
/// Probability of skipping an insertion point while recreating.
const BLINK_RATE: f64 = 0.01;
/// Annealing temperatures at the start and the end (in distance units).
const START_TEMPERATURE: f64 = 100.0;
const END_TEMPERATURE: f64 = 1.0;
/// Nearest customers the local search pairs each customer with (a granular neighbourhood).
const LOCAL_NEIGHBOURS: usize = 10;
/// Cost of a customer left out (only when the fleet is exhausted); dwarfs any distance.
const UNASSIGNED_PENALTY: f64 = 1e7;

/// Solves the instance; always returns routes, which may leave customers out only when
/// no vehicle can serve them (the caller's check reports that).
pub fn solve(p: &Vrptw, options: &VrptwOptions) -> VrptwSolution {
    let model = Model::new(p);
    let neighbours = neighbours(&model);
    let runs: Vec<State> = (0..options.threads.max(1) as u64)
        .into_par_iter()
        .map(|k| Search::new(&model, &neighbours, options, options.seed.wrapping_add(k)).run())
        .collect();
    let best = runs
        .into_iter()
        .reduce(|a, b| if b.cost() < a.cost() - 1e-9 { b } else { a })
        .expect("at least one run");
    let routes: Vec<Vec<usize>> = best
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.customers().to_vec())
        .collect();
    let mut with_left_out = routes.clone();
    // Customers no vehicle could take go in routes of their own so the checker names them.
    with_left_out.extend(best.unassigned.iter().map(|&c| vec![c]));
    VrptwSolution {
        distance: best.distance(),
        routes: with_left_out,
    }
}

/// Records where route `r`'s customers are: `place[c]` is (route, position).
fn locate(place: &mut [(usize, usize)], state: &State, r: usize) {
    for (i, &c) in state.routes[r].customers().iter().enumerate() {
        place[c] = (r, i + 1);
    }
}

/// For each customer, every customer by increasing distance (itself among them).
fn neighbours(m: &Model) -> Vec<Vec<usize>> {
    let n = m.p.coords.len();
    (0..n)
        .map(|c| {
            let mut others: Vec<usize> = (1..n).collect();
            others.sort_by(|&a, &b| m.d(c, a).total_cmp(&m.d(c, b)).then(a.cmp(&b)));
            others
        })
        .collect()
}

#[derive(Clone, Default)]
struct State {
    /// Routes, some of them empty (a route emptied by a ruin keeps its place, so that the
    /// journal's indices stay valid).
    routes: Vec<Route>,
    unassigned: Vec<usize>,
}

/// What one iteration changed, to undo it: the routes it touched as they were, how many
/// routes there were, and the unassigned customers.
struct Journal {
    saved: Vec<(usize, Route)>,
    routes: usize,
    unassigned: Vec<usize>,
}

impl Journal {
    fn new(state: &State) -> Self {
        Journal {
            saved: Vec::new(),
            routes: state.routes.len(),
            unassigned: state.unassigned.clone(),
        }
    }

    /// Keeps route `r` as it is now, before its first change.
    fn touch(&mut self, state: &State, r: usize) {
        if r < self.routes && !self.saved.iter().any(|&(i, _)| i == r) {
            self.saved.push((r, state.routes[r].clone()));
        }
    }

    fn undo(self, state: &mut State) {
        state.routes.truncate(self.routes);
        for (r, route) in self.saved {
            state.routes[r] = route;
        }
        state.unassigned = self.unassigned;
    }
}

impl State {
    fn distance(&self) -> f64 {
        self.routes.iter().map(|r| r.distance).sum()
    }

    fn cost(&self) -> f64 {
        self.distance() + UNASSIGNED_PENALTY * self.unassigned.len() as f64
    }
}

struct Search<'a> {
    m: &'a Model<'a>,
    neighbours: &'a [Vec<usize>],
    options: &'a VrptwOptions,
    rng: ChaCha8Rng,
}

impl<'a> Search<'a> {
    fn new(
        m: &'a Model<'a>,
        neighbours: &'a [Vec<usize>],
        options: &'a VrptwOptions,
        seed: u64,
    ) -> Self {
        Search {
            m,
            neighbours,
            options,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    fn run(mut self) -> State {
        let started = Instant::now();
        let mut current = State {
            routes: Vec::new(),
            unassigned: (1..self.m.p.coords.len()).collect(),
        };
        let all = std::mem::take(&mut current.unassigned);
        self.recreate(&mut current, all, &mut Journal::new(&State::default()));
        let mut best = current.clone();
        let mut current_cost = current.cost();
        let mut iteration = 0usize;
        while iteration < self.options.iterations {
            let elapsed = started.elapsed();
            if elapsed >= self.options.time_limit {
                break;
            }
            let progress = if self.options.iterations == usize::MAX {
                elapsed.as_secs_f64() / self.options.time_limit.as_secs_f64()
            } else {
                iteration as f64 / self.options.iterations as f64
            };
            let temperature =
                START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE).powf(progress);
            // The candidate is the current solution changed in place; the journal keeps
            // the routes it changed, so a rejected candidate is undone without copying
            // the routes it left alone.
            let mut journal = Journal::new(&current);
            let removed = self.ruin(&mut current, &mut journal);
            self.recreate(&mut current, removed, &mut journal);
            self.local_search(&mut current, &mut journal);
            let cost = current.cost();
            // Annealing: accept anything better than the current cost plus a random slack.
            let threshold =
                current_cost - temperature * self.rng.random::<f64>().max(f64::MIN_POSITIVE).ln();
            if cost < threshold {
                current_cost = cost;
                if current_cost < best.cost() - 1e-9 {
                    best = current.clone();
                }
            } else {
                journal.undo(&mut current);
            }
            iteration += 1;
        }
        best
    }

    /// Removes strings of consecutive customers from routes near a random seed customer.
    fn ruin(&mut self, state: &mut State, journal: &mut Journal) -> Vec<usize> {
        let used: Vec<usize> = (0..state.routes.len())
            .filter(|&r| !state.routes[r].is_empty())
            .collect();
        if used.is_empty() {
            return Vec::new();
        }
        let mut route_of = vec![usize::MAX; self.m.p.coords.len()];
        for &r in &used {
            for &c in state.routes[r].customers() {
                route_of[c] = r;
            }
        }
        let mean_length = used
            .iter()
            .map(|&r| state.routes[r].customers().len())
            .sum::<usize>() as f64
            / used.len() as f64;
        let max_string = MAX_STRING.min(mean_length);
        let max_routes = 4.0 * MEAN_REMOVED / (1.0 + max_string) - 1.0;
        let routes_to_ruin = self
            .rng
            .random_range(1.0..max_routes.max(1.0) + 1.0)
            .floor() as usize;
        let seed = self.rng.random_range(1..self.m.p.coords.len());
        let mut removed = Vec::new();
        let mut ruined = Vec::new();
        for &c in &self.neighbours[seed] {
            if ruined.len() >= routes_to_ruin {
                break;
            }
            let r = route_of[c];
            if r == usize::MAX || ruined.contains(&r) {
                continue;
            }
            let customers = state.routes[r].customers().to_vec();
            let at = customers
                .iter()
                .position(|&x| x == c)
                .expect("route_of is current");
            let longest = max_string.min(customers.len() as f64);
            let length = self.rng.random_range(1.0..longest + 1.0).floor() as usize;
            let take = if self.rng.random::<f64>() < SPLIT_RATE && length < customers.len() {
                self.split_string(customers.len(), length, at)
            } else {
                let start = self.string_start(customers.len(), length, at);
                (start..start + length).collect()
            };
            journal.touch(state, r);
            let route = &mut state.routes[r];
            for &i in &take {
                removed.push(customers[i]);
            }
            let mut keep = Vec::with_capacity(customers.len() + 2);
            keep.push(0);
            keep.extend(
                customers
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !take.contains(i))
                    .map(|(_, &x)| x),
            );
            keep.push(0);
            route.nodes = keep;
            // Dropping visits keeps a Euclidean route on time (the triangle inequality).
            route.refresh(self.m);
            ruined.push(r);
        }
        removed
    }

    /// A random start for a string of `length` within `len` positions that contains `at`.
    fn string_start(&mut self, len: usize, length: usize, at: usize) -> usize {
        let low = (at + 1).saturating_sub(length);
        let high = at.min(len - length);
        self.rng.random_range(low..=high)
    }

    /// Positions removed by a split string: a string of `length + kept` containing `at`,
    /// of which a random run of `kept` consecutive customers stays.
    fn split_string(&mut self, len: usize, length: usize, at: usize) -> Vec<usize> {
        let mut kept = 1;
        while length + kept < len && self.rng.random::<f64>() > SPLIT_DEPTH {
            kept += 1;
        }
        let span = length + kept;
        let start = self.string_start(len, span, at);
        let keep_from = start + self.rng.random_range(0..=length);
        (start..start + span)
            .filter(|&i| i < keep_from || i >= keep_from + kept)
            .collect()
    }

    /// Improves the routes this iteration changed by local search over each customer u
    /// and its nearest customers v (first improvement, until no move improves):
    /// - v in another route: exchange tails (2-opt*: u's route goes on from v, or v's
    ///   from u), else swap u and v;
    /// - v in the same route: reverse the stretch between them (2-opt).
    ///
    /// Ruin and recreate move a few visits at a time; these move whole ends of routes and
    /// reorder long ones, which wide windows need.
    fn local_search(&mut self, state: &mut State, journal: &mut Journal) {
        let mut changed: Vec<usize> = journal
            .saved
            .iter()
            .map(|&(r, _)| r)
            .chain(journal.routes..state.routes.len())
            .collect();
        // Route and position of each customer.
        let mut place = vec![(usize::MAX, 0); self.m.p.coords.len()];
        for r in 0..state.routes.len() {
            locate(&mut place, state, r);
        }
        let mut k = 0;
        while k < changed.len() {
            let r = changed[k];
            k += 1;
            let customers = state.routes[r].customers().to_vec();
            for u in customers {
                if place[u].0 != r {
                    continue; // gone to another route by an earlier move
                }
                // Its nearest customers (itself aside: a customer may share its place).
                let near = self.neighbours[u].iter().filter(|&&v| v != u);
                for &v in near.take(LOCAL_NEIGHBOURS) {
                    let Some(touched) = self.improve_pair(state, journal, &place, u, v) else {
                        continue;
                    };
                    for z in touched.into_iter().flatten() {
                        locate(&mut place, state, z);
                        if !changed[k..].contains(&z) {
                            changed.push(z);
                        }
                    }
                    break;
                }
            }
        }
    }

    /// Makes the first improving move of u and v ([`Search::local_search`]), and returns
    /// the routes it changed.
    fn improve_pair(
        &self,
        state: &mut State,
        journal: &mut Journal,
        place: &[(usize, usize)],
        u: usize,
        v: usize,
    ) -> Option<[Option<usize>; 2]> {
        let m = self.m;
        let ((ru, iu), (rv, iv)) = (place[u], place[v]);
        if rv == usize::MAX {
            return None;
        }
        if ru == rv {
            // 2-opt: reverse positions i+1..=j. Euclidean legs are symmetric, so the change
            // is that of the two legs replaced; only an improving one is timed in full.
            let route = &state.routes[ru];
            let (i, j) = (iu.min(iv), iu.max(iv));
            let n = &route.nodes;
            let delta = m.d(n[i], n[j]) + m.d(n[i + 1], n[j + 1])
                - m.d(n[i], n[i + 1])
                - m.d(n[j], n[j + 1]);
            if delta >= -EPS {
                return None;
            }
            let mut customers = route.customers().to_vec();
            customers[i..j].reverse();
            let reversed = Route::new(m, &customers)?;
            if reversed.distance >= route.distance - EPS {
                return None;
            }
            journal.touch(state, ru);
            state.routes[ru] = reversed;
            return Some([Some(ru), None]);
        }
        let (a, b) = (&state.routes[ru], &state.routes[rv]);
        // 2-opt*: u then v (u's route cut after u, v's before v), or v then u.
        let exchange = [(ru, iu, rv, iv - 1), (rv, iv, ru, iu - 1)]
            .into_iter()
            .find(|&(x, i, _, j)| {
                let (rx, ry) = if x == ru { (a, b) } else { (b, a) };
                rx.tail_exchange(ry, m, i, j)
                    .is_some_and(|delta| delta < -EPS)
            });
        let swap = || {
            let delta = a.substitution(m, iu, v)? + b.substitution(m, iv, u)?;
            (delta < -EPS).then_some(())
        };
        if exchange.is_none() && swap().is_none() {
            return None;
        }
        journal.touch(state, ru);
        journal.touch(state, rv);
        let [a, b] = state
            .routes
            .get_disjoint_mut([ru, rv])
            .expect("u and v are in different routes");
        match exchange {
            Some((x, i, _, j)) if x == ru => a.exchange_tails(b, m, i, j),
            Some((_, i, _, j)) => b.exchange_tails(a, m, i, j),
            None => {
                a.substitute(m, iu, v);
                b.substitute(m, iv, u);
            }
        }
        Some([Some(ru), Some(rv)])
    }

    /// How many insertion points the recreate considers before it skips one: geometric
    /// with success probability [`BLINK_RATE`].
    fn points_until_blink(&mut self) -> usize {
        let u = self.rng.random::<f64>().max(f64::MIN_POSITIVE);
        (u.ln() / (1.0 - BLINK_RATE).ln())
            .floor()
            .min(usize::MAX as f64 / 2.0) as usize
    }

    /// Reinserts customers one by one at their cheapest feasible point, in an order
    /// chosen at random among: random, largest demand, farthest from the depot, nearest.
    fn recreate(&mut self, state: &mut State, mut removed: Vec<usize>, journal: &mut Journal) {
        removed.append(&mut state.unassigned);
        let p = self.m.p;
        match self.rng.random_range(0..11) {
            0..4 => removed.shuffle(&mut self.rng),
            4..8 => removed.sort_by(|&a, &b| p.demand[b].total_cmp(&p.demand[a]).then(a.cmp(&b))),
            8..10 => {
                removed.sort_by(|&a, &b| self.m.d(0, b).total_cmp(&self.m.d(0, a)).then(a.cmp(&b)))
            }
            _ => {
                removed.sort_by(|&a, &b| self.m.d(0, a).total_cmp(&self.m.d(0, b)).then(a.cmp(&b)))
            }
        }
        let mut used = state.routes.iter().filter(|r| !r.is_empty()).count();
        // Insertion points left to consider before the next blink: drawn once a blink
        // (geometric, the same law as a draw at every point) rather than at every point.
        let mut until_blink = self.points_until_blink();
        for c in removed {
            let mut best: Option<(f64, usize, usize)> = None;
            for (r, route) in state.routes.iter().enumerate() {
                // An empty route is the fresh one below.
                if route.is_empty() || route.load + p.demand[c] > p.capacity + EPS {
                    continue;
                }
                for i in 0..route.nodes.len() - 1 {
                    if until_blink == 0 {
                        until_blink = self.points_until_blink();
                        continue;
                    }
                    until_blink -= 1;
                    match route.insertion(self.m, c, i) {
                        Some(add) if best.is_none_or(|(b, _, _)| add.cost < b) => {
                            best = Some((add.cost, r, i));
                        }
                        Some(_) => {}
                        // Euclidean legs: too late from here is too late further on.
                        None if route.late_after(self.m, c, i) => break,
                        None => {}
                    }
                }
            }
            if used < p.vehicles {
                let fresh = Route::empty(self.m);
                if let Some(delta) = fresh.insertion(self.m, c, 0).map(|add| add.cost)
                    && best.is_none_or(|(b, _, _)| delta < b)
                {
                    // The first empty route, or a new one.
                    let r = match state.routes.iter().position(Route::is_empty) {
                        Some(r) => r,
                        None => {
                            state.routes.push(fresh);
                            state.routes.len() - 1
                        }
                    };
                    best = Some((delta, r, 0));
                }
            }
            match best {
                Some((_, r, i)) => {
                    if state.routes[r].is_empty() {
                        used += 1;
                    }
                    journal.touch(state, r);
                    state.routes[r].insert(self.m, c, i);
                }
                None => state.unassigned.push(c),
            }
        }
    }
}
