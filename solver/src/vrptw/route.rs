//! One vehicle's route with the data that scores an insertion in O(1): for each position,
//! the earliest service start given everything before it (forward) and the latest
//! service start that keeps everything after it on time (backward), plus load and
//! distance. Scoring ([`Route::insertion`]) reads these; only [`Route::refresh`] writes.
//!
//! The route knows its stops only through [`Stops`], so the same machinery times the
//! Solomon benchmark's vehicles (Euclidean legs, [`Model`]) and the product's crew-days
//! (the officer's base as depot, opening hours as windows, the instance's road legs:
//! `crate::route`).

use super::{EPS, Vrptw};

/// Costs closer than this are equal when choosing an insertion point (a product leg's km
/// is given to 0.01).
const TIE: f64 = 1e-6;

/// What a route needs to know of its stops. Stop 0 is the depot; the others are
/// customers, each with a window for the start of its service.
pub trait Stops {
    /// Travel time and cost (distance) of the leg from stop `a` to stop `b`, or `None`
    /// when there is no way from one to the other.
    fn leg(&self, a: usize, b: usize) -> Option<(f64, f64)>;
    /// Earliest start of service at `s` (for the depot: the earliest departure).
    fn ready(&self, s: usize) -> f64;
    /// Latest start of service at `s` (for the depot: the latest return).
    fn latest_start(&self, s: usize) -> f64;
    /// Time spent at `s`.
    fn service(&self, s: usize) -> f64;
    /// Load `s` adds to the vehicle.
    fn demand(&self, _s: usize) -> f64 {
        0.0
    }
    /// Load a vehicle can carry.
    fn capacity(&self) -> f64 {
        f64::INFINITY
    }
}

/// A Solomon instance with its distance matrix computed once (the search reads it
/// millions of times). Travel time equals distance.
pub(super) struct Model<'a> {
    pub p: &'a Vrptw,
    n: usize,
    matrix: Vec<f64>,
}

impl<'a> Model<'a> {
    pub fn new(p: &'a Vrptw) -> Self {
        let n = p.coords.len();
        let matrix = (0..n * n).map(|k| p.distance(k / n, k % n)).collect();
        Model { p, n, matrix }
    }

    #[inline]
    pub fn d(&self, a: usize, b: usize) -> f64 {
        self.matrix[a * self.n + b]
    }
}

impl Stops for Model<'_> {
    #[inline]
    fn leg(&self, a: usize, b: usize) -> Option<(f64, f64)> {
        let d = self.d(a, b);
        Some((d, d))
    }
    #[inline]
    fn ready(&self, s: usize) -> f64 {
        self.p.ready[s]
    }
    #[inline]
    fn latest_start(&self, s: usize) -> f64 {
        self.p.due[s]
    }
    #[inline]
    fn service(&self, s: usize) -> f64 {
        self.p.service[s]
    }
    #[inline]
    fn demand(&self, s: usize) -> f64 {
        self.p.demand[s]
    }
    #[inline]
    fn capacity(&self) -> f64 {
        self.p.capacity
    }
}

/// A route: the depot, its customers in order, the depot.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Depot, customers, depot.
    pub nodes: Vec<usize>,
    earliest: Vec<f64>,
    latest: Vec<f64>,
    /// Travel time of each leg into a position (0 for the first depot).
    travel: Vec<f64>,
    /// Cost of each leg into a position (0 for the first depot).
    cost: Vec<f64>,
    /// Load of the customers up to and including each position.
    loads: Vec<f64>,
    /// Load of the customers.
    pub load: f64,
    /// Sum of the legs' costs.
    pub distance: f64,
}

/// What inserting a customer changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Insertion {
    /// Added cost (distance).
    pub cost: f64,
}

impl Route {
    /// The route through `customers` in this order, or `None` when a leg is missing, a
    /// window is missed, the load is too high or the vehicle is back too late.
    pub fn new(m: &impl Stops, customers: &[usize]) -> Option<Self> {
        let mut nodes = Vec::with_capacity(customers.len() + 2);
        nodes.push(0);
        nodes.extend_from_slice(customers);
        nodes.push(0);
        let mut route = Route {
            nodes,
            earliest: Vec::new(),
            latest: Vec::new(),
            travel: Vec::new(),
            cost: Vec::new(),
            loads: Vec::new(),
            load: 0.0,
            distance: 0.0,
        };
        route.refresh(m).then_some(route)
    }

    /// A route with no customers (feasible when the depot has a leg to itself, as every
    /// [`Stops`] the solver builds does).
    pub fn empty(m: &impl Stops) -> Self {
        let mut route = Route {
            nodes: vec![0, 0],
            earliest: Vec::new(),
            latest: Vec::new(),
            travel: Vec::new(),
            cost: Vec::new(),
            loads: Vec::new(),
            load: 0.0,
            distance: 0.0,
        };
        route.refresh(m);
        route
    }

    /// The customers in order.
    pub fn customers(&self) -> &[usize] {
        &self.nodes[1..self.nodes.len() - 1]
    }

    /// Whether the route has no customers.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 2
    }

    /// Earliest start of service at position `i` (0: the departure; the last: the return).
    pub fn start(&self, i: usize) -> f64 {
        self.earliest[i]
    }

    /// Travel time and cost of the leg into position `i` (`i` ≥ 1).
    pub fn leg_into(&self, i: usize) -> (f64, f64) {
        (self.travel[i], self.cost[i])
    }

    /// Recomputes the forward and backward arrays after the nodes changed, O(length);
    /// `false` when the route is not feasible (the arrays then mean nothing).
    pub fn refresh(&mut self, m: &impl Stops) -> bool {
        let n = self.nodes.len();
        self.earliest.resize(n, 0.0);
        self.latest.resize(n, 0.0);
        self.travel.resize(n, 0.0);
        self.cost.resize(n, 0.0);
        self.loads.resize(n, 0.0);
        self.earliest[0] = m.ready(0);
        self.load = 0.0;
        self.loads[0] = 0.0;
        self.distance = 0.0;
        let mut feasible = true;
        for i in 1..n {
            let (a, b) = (self.nodes[i - 1], self.nodes[i]);
            let Some((time, cost)) = m.leg(a, b) else {
                self.travel[i] = f64::INFINITY;
                self.cost[i] = f64::INFINITY;
                self.earliest[i] = f64::INFINITY;
                feasible = false;
                continue;
            };
            self.travel[i] = time;
            self.cost[i] = cost;
            self.distance += cost;
            self.load += m.demand(b);
            self.loads[i] = self.load;
            self.earliest[i] = (self.earliest[i - 1] + m.service(a) + time).max(m.ready(b));
            feasible &= self.earliest[i] <= m.latest_start(b) + EPS;
        }
        self.latest[n - 1] = m.latest_start(0);
        for i in (0..n - 1).rev() {
            let a = self.nodes[i];
            self.latest[i] = m
                .latest_start(a)
                .min(self.latest[i + 1] - self.travel[i + 1] - m.service(a));
        }
        feasible && self.load <= m.capacity() + EPS
    }

    /// What inserting `c` between positions `i` and `i + 1` adds, or `None` when that
    /// breaks a time window or the capacity, or a leg is missing. O(1).
    #[inline]
    pub fn insertion(&self, m: &impl Stops, c: usize, i: usize) -> Option<Insertion> {
        if self.load + m.demand(c) > m.capacity() + EPS {
            return None;
        }
        Some(Insertion {
            cost: self.between(m, i, c, i + 1)? - self.cost[i + 1],
        })
    }

    /// The cost of the legs from position `p` to `c` and from `c` to position `q`, when `c`
    /// can be served in between on time and position `q` still reached by its latest time.
    #[inline]
    fn between(&self, m: &impl Stops, p: usize, c: usize, q: usize) -> Option<f64> {
        let (a, b) = (self.nodes[p], self.nodes[q]);
        let (to_time, to_cost) = m.leg(a, c)?;
        let start = (self.earliest[p] + m.service(a) + to_time).max(m.ready(c));
        if start > m.latest_start(c) + EPS {
            return None;
        }
        let (from_time, from_cost) = m.leg(c, b)?;
        let next = (start + m.service(c) + from_time).max(m.ready(b));
        (next <= self.latest[q] + EPS).then_some(to_cost + from_cost)
    }

    /// Whether `c`, reached straight from position `i`, would start its service too late.
    /// On legs that keep the triangle inequality with travel time equal to cost (the
    /// Solomon model), it then would from every later position too, so a scan of the
    /// insertion points may stop at the first such `i`.
    pub(super) fn late_after(&self, m: &impl Stops, c: usize, i: usize) -> bool {
        let a = self.nodes[i];
        m.leg(a, c).is_some_and(|(to_time, _)| {
            (self.earliest[i] + m.service(a) + to_time).max(m.ready(c)) > m.latest_start(c) + EPS
        })
    }

    /// What exchanging tails with `other` adds (2-opt*): this route keeps its positions up
    /// to `i` and goes on with `other`'s from `j + 1`, and `other` keeps its positions up to
    /// `j` and goes on with this route's from `i + 1`. `None` when either route then breaks
    /// a window or the capacity, or a leg is missing. O(1).
    pub fn tail_exchange(&self, other: &Route, m: &impl Stops, i: usize, j: usize) -> Option<f64> {
        let ours = self.join_leg(other, m, i, j)?;
        let theirs = other.join_leg(self, m, j, i)?;
        Some(ours + theirs - self.cost[i + 1] - other.cost[j + 1])
    }

    /// The cost of the leg from this route's position `i` to `tail`'s position `j + 1`, when
    /// the route made of this one's head and `tail`'s rest is on time and within capacity.
    fn join_leg(&self, tail: &Route, m: &impl Stops, i: usize, j: usize) -> Option<f64> {
        if self.loads[i] + tail.load - tail.loads[j] > m.capacity() + EPS {
            return None;
        }
        let (a, b) = (self.nodes[i], tail.nodes[j + 1]);
        let (time, cost) = m.leg(a, b)?;
        let start = (self.earliest[i] + m.service(a) + time).max(m.ready(b));
        (start <= tail.latest[j + 1] + EPS).then_some(cost)
    }

    /// Exchanges tails with `other` as [`Route::tail_exchange`] scores it (a feasible
    /// exchange).
    pub fn exchange_tails(&mut self, other: &mut Route, m: &impl Stops, i: usize, j: usize) {
        let ours = self.nodes.split_off(i + 1);
        let theirs = other.nodes.split_off(j + 1);
        self.nodes.extend(theirs);
        other.nodes.extend(ours);
        self.refresh(m);
        other.refresh(m);
    }

    /// What putting `c` in place of the customer at position `i` adds, or `None` when that
    /// breaks a window or the capacity, or a leg is missing. O(1).
    pub fn substitution(&self, m: &impl Stops, i: usize, c: usize) -> Option<f64> {
        if self.load - m.demand(self.nodes[i]) + m.demand(c) > m.capacity() + EPS {
            return None;
        }
        Some(self.between(m, i - 1, c, i + 1)? - self.cost[i] - self.cost[i + 1])
    }

    /// Puts `c` in place of the customer at position `i` (a feasible substitution).
    pub fn substitute(&mut self, m: &impl Stops, i: usize, c: usize) {
        self.nodes[i] = c;
        self.refresh(m);
    }

    /// Inserts `c` between positions `i` and `i + 1` (a feasible insertion).
    pub fn insert(&mut self, m: &impl Stops, c: usize, i: usize) {
        self.nodes.insert(i + 1, c);
        self.refresh(m);
    }

    /// The cheapest feasible insertion point of `c`, with what it adds: by added cost;
    /// among equal costs (a symmetric leg makes both sides of a lone customer equal), the
    /// one that brings the vehicle back soonest, which leaves the most room for the next
    /// insertion; then the earliest position.
    pub fn best_insertion(&self, m: &impl Stops, c: usize) -> Option<(usize, Insertion)> {
        let mut best: Option<(usize, Insertion)> = None;
        for i in 0..self.nodes.len() - 1 {
            let Some(add) = self.insertion(m, c, i) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((_, b)) if add.cost < b.cost - TIE => true,
                Some((j, b)) if add.cost <= b.cost + TIE => {
                    self.return_after(m, c, i) < self.return_after(m, c, j) - EPS
                }
                Some(_) => false,
            };
            if better {
                best = Some((i, add));
            }
        }
        best
    }

    /// When the vehicle is back at the depot after inserting `c` between positions `i`
    /// and `i + 1` (a feasible insertion), timed forward from there: O(length − i), which
    /// only ties of [`Route::best_insertion`] pay.
    fn return_after(&self, m: &impl Stops, c: usize, i: usize) -> f64 {
        let a = self.nodes[i];
        let leg = |x, y| m.leg(x, y).map_or(f64::INFINITY, |(time, _)| time);
        let mut clock = (self.earliest[i] + m.service(a) + leg(a, c)).max(m.ready(c));
        let mut at = c;
        for &next in &self.nodes[i + 1..] {
            clock = (clock + m.service(at) + leg(at, next)).max(m.ready(next));
            at = next;
        }
        clock
    }

    /// Intra-route improvement: moves one customer at a time to its cheapest point in the
    /// rest of the route while that lowers the cost (first improvement, customers in
    /// route order, so the result depends only on the route). `true` if it changed.
    pub fn improve(&mut self, m: &impl Stops) -> bool {
        let mut changed = false;
        'pass: loop {
            for k in 1..self.nodes.len() - 1 {
                // Take c out in place (no copy of the route), and put it back where it
                // was unless a cheaper point is found.
                let before = self.distance;
                let c = self.nodes.remove(k);
                // A route that needs c for a leg cannot lose it.
                if self.refresh(m)
                    && let Some((i, add)) = self.best_insertion(m, c)
                    && self.distance + add.cost < before - 1e-6
                {
                    self.insert(m, c, i);
                    changed = true;
                    continue 'pass;
                }
                self.nodes.insert(k, c);
                self.refresh(m);
            }
            return changed;
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// A random instance: customers on a 100 × 100 square, windows of random width.
    fn random(n: usize, seed: u64) -> Vrptw {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut p = Vrptw {
            coords: vec![(50.0, 50.0)],
            demand: vec![0.0],
            ready: vec![0.0],
            due: vec![400.0],
            service: vec![0.0],
            capacity: 60.0,
            vehicles: n,
        };
        for _ in 0..n {
            p.coords
                .push((rng.random_range(0.0..100.0), rng.random_range(0.0..100.0)));
            p.demand.push(rng.random_range(1.0..20.0));
            let ready = rng.random_range(0.0..250.0);
            p.ready.push(ready);
            p.due.push(ready + rng.random_range(10.0..150.0));
            p.service.push(10.0);
        }
        p
    }

    /// A route built by inserting `customers` one by one at their cheapest point (those
    /// that fit nowhere are left out).
    fn route_through(m: &Model<'_>, customers: impl Iterator<Item = usize>) -> Route {
        let mut route = Route::empty(m);
        for c in customers {
            if let Some((i, _)) = route.best_insertion(m, c) {
                route.insert(m, c, i);
            }
        }
        route
    }

    #[test]
    fn an_insertion_scored_in_constant_time_agrees_with_timing_the_whole_route() {
        for seed in 0..40 {
            let p = random(8, seed);
            let m = Model::new(&p);
            let mut rng = ChaCha8Rng::seed_from_u64(seed + 1000);
            // A feasible route built customer by customer, then every insertion of every
            // other customer compared with the route re-timed from scratch.
            let mut route = Route::empty(&m);
            for c in 1..=8 {
                if rng.random::<f64>() < 0.6
                    && let Some((i, _)) = route.best_insertion(&m, c)
                {
                    route.insert(&m, c, i);
                }
            }
            assert!(Route::new(&m, route.customers()).is_some());
            for c in (1..=8).filter(|c| !route.customers().contains(c)) {
                for i in 0..route.nodes.len() - 1 {
                    let mut customers = route.customers().to_vec();
                    customers.insert(i, c);
                    let whole = Route::new(&m, &customers);
                    let quick = route.insertion(&m, c, i);
                    assert_eq!(whole.is_some(), quick.is_some(), "seed {seed}: {c} at {i}");
                    if let (Some(whole), Some(quick)) = (whole, quick) {
                        assert!((whole.distance - route.distance - quick.cost).abs() < 1e-9);
                    }
                }
            }
        }
    }

    #[test]
    fn a_tail_exchange_scored_in_constant_time_agrees_with_timing_both_new_routes() {
        let mut feasible_seen = 0;
        for seed in 0..40 {
            let p = random(14, seed);
            let m = Model::new(&p);
            // Two feasible routes, customers dealt to them alternately.
            let (a, b) = (
                &route_through(&m, (2..=14).step_by(2)),
                &route_through(&m, (1..=14).step_by(2)),
            );
            for i in 0..a.nodes.len() - 1 {
                for j in 0..b.nodes.len() - 1 {
                    let mut ours = a.nodes[1..=i].to_vec();
                    ours.extend_from_slice(&b.nodes[j + 1..b.nodes.len() - 1]);
                    let mut theirs = b.nodes[1..=j].to_vec();
                    theirs.extend_from_slice(&a.nodes[i + 1..a.nodes.len() - 1]);
                    let whole = Route::new(&m, &ours).zip(Route::new(&m, &theirs));
                    let quick = a.tail_exchange(b, &m, i, j);
                    assert_eq!(whole.is_some(), quick.is_some(), "seed {seed}: at {i}, {j}");
                    if let (Some((x, y)), Some(delta)) = (whole, quick) {
                        feasible_seen += 1;
                        let change = x.distance + y.distance - a.distance - b.distance;
                        assert!((change - delta).abs() < 1e-9, "seed {seed}: at {i}, {j}");
                        let (mut a2, mut b2) = (a.clone(), b.clone());
                        a2.exchange_tails(&mut b2, &m, i, j);
                        assert_eq!((a2.nodes, b2.nodes), (x.nodes, y.nodes));
                    }
                }
            }
        }
        assert!(
            feasible_seen > 100,
            "too few feasible exchanges: {feasible_seen}"
        );
    }

    #[test]
    fn a_substitution_scored_in_constant_time_agrees_with_timing_the_whole_route() {
        let mut feasible_seen = 0;
        for seed in 0..40 {
            let p = random(10, seed);
            let m = Model::new(&p);
            let route = route_through(&m, (1..=10).step_by(2));
            for c in (1..=10).filter(|c| !route.customers().contains(c)) {
                for i in 1..route.nodes.len() - 1 {
                    let mut customers = route.customers().to_vec();
                    customers[i - 1] = c;
                    let whole = Route::new(&m, &customers);
                    let quick = route.substitution(&m, i, c);
                    assert_eq!(whole.is_some(), quick.is_some(), "seed {seed}: {c} at {i}");
                    if let (Some(whole), Some(delta)) = (whole, quick) {
                        feasible_seen += 1;
                        assert!((whole.distance - route.distance - delta).abs() < 1e-9);
                        let mut changed = route.clone();
                        changed.substitute(&m, i, c);
                        assert_eq!(changed.nodes, whole.nodes);
                    }
                }
            }
        }
        assert!(
            feasible_seen > 20,
            "too few feasible substitutions: {feasible_seen}"
        );
    }

    #[test]
    fn on_euclidean_legs_no_insertion_is_feasible_after_the_first_point_that_is_too_late() {
        // The recreate of the benchmark's search stops scanning a route there.
        let (mut late_seen, mut feasible_before) = (0, 0);
        for seed in 0..60 {
            let p = random(12, seed);
            let m = Model::new(&p);
            // Every other customer in the route; the rest are tried at every point.
            let route = route_through(&m, (1..=12).step_by(2));
            for c in (1..=12).filter(|c| !route.customers().contains(c)) {
                let Some(first) = (0..route.nodes.len() - 1).find(|&i| route.late_after(&m, c, i))
                else {
                    continue;
                };
                late_seen += 1;
                feasible_before +=
                    usize::from((0..first).any(|i| route.insertion(&m, c, i).is_some()));
                for i in first..route.nodes.len() - 1 {
                    assert!(
                        route.insertion(&m, c, i).is_none(),
                        "seed {seed}: {c} at {i}"
                    );
                    assert!(route.late_after(&m, c, i), "seed {seed}: {c} at {i}");
                }
            }
        }
        assert!(
            late_seen > 10,
            "the instances must have late points: {late_seen}"
        );
        assert!(
            feasible_before > 5,
            "some customers must fit before their first late point: {feasible_before}"
        );
    }

    /// Stops like a crew-day's: asymmetric legs whose time is not their cost, some legs
    /// missing, windows for the start of service.
    struct Roads {
        time: Vec<Vec<Option<f64>>>,
        km: Vec<Vec<f64>>,
        ready: Vec<f64>,
        latest: Vec<f64>,
        service: Vec<f64>,
    }

    impl Stops for Roads {
        fn leg(&self, a: usize, b: usize) -> Option<(f64, f64)> {
            self.time[a][b].map(|t| (t, self.km[a][b]))
        }
        fn ready(&self, s: usize) -> f64 {
            self.ready[s]
        }
        fn latest_start(&self, s: usize) -> f64 {
            self.latest[s]
        }
        fn service(&self, s: usize) -> f64 {
            self.service[s]
        }
    }

    fn roads(n: usize, seed: u64) -> Roads {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let stops = n + 1;
        let mut time = vec![vec![None; stops]; stops];
        let mut km = vec![vec![0.0; stops]; stops];
        for a in 0..stops {
            for b in 0..stops {
                if a == b {
                    time[a][b] = Some(0.0);
                } else if rng.random::<f64>() > 0.1 {
                    time[a][b] = Some(rng.random_range(5..60) as f64);
                    km[a][b] = rng.random_range(1..80) as f64 * 0.5;
                }
            }
        }
        let mut ready = vec![480.0];
        let mut latest = vec![1080.0];
        let mut service = vec![0.0];
        for _ in 0..n {
            let open = rng.random_range(480..700) as f64;
            ready.push(open);
            latest.push(open + rng.random_range(60..400) as f64);
            service.push(rng.random_range(30..200) as f64);
        }
        Roads {
            time,
            km,
            ready,
            latest,
            service,
        }
    }

    #[test]
    fn on_asymmetric_roads_with_gaps_an_insertion_agrees_with_timing_the_whole_route() {
        let mut checked = 0;
        for seed in 0..60 {
            let m = roads(6, seed);
            let mut route = Route::empty(&m);
            for c in 1..=6 {
                if c % 2 == 0
                    && let Some((i, _)) = route.best_insertion(&m, c)
                {
                    route.insert(&m, c, i);
                }
            }
            for c in (1..=6).filter(|c| !route.customers().contains(c)) {
                for i in 0..route.nodes.len() - 1 {
                    let mut customers = route.customers().to_vec();
                    customers.insert(i, c);
                    let whole = Route::new(&m, &customers);
                    let quick = route.insertion(&m, c, i);
                    assert_eq!(whole.is_some(), quick.is_some(), "seed {seed}: {c} at {i}");
                    if let (Some(whole), Some(quick)) = (whole, quick) {
                        assert!((whole.distance - route.distance - quick.cost).abs() < 1e-9);
                        checked += 1;
                    }
                }
            }
            // The chosen point is the cheapest of the feasible ones, re-timed in full.
            for c in (1..=6).filter(|c| !route.customers().contains(c)) {
                let cheapest = (0..route.nodes.len() - 1)
                    .filter_map(|i| {
                        let mut customers = route.customers().to_vec();
                        customers.insert(i, c);
                        Route::new(&m, &customers).map(|r| r.distance)
                    })
                    .fold(f64::INFINITY, f64::min);
                match route.best_insertion(&m, c) {
                    Some((_, add)) => {
                        assert!((route.distance + add.cost - cheapest).abs() < 1e-9)
                    }
                    None => assert!(cheapest.is_infinite()),
                }
            }
        }
        assert!(checked > 50, "only {checked} feasible insertions compared");
    }

    #[test]
    fn improving_a_route_keeps_it_feasible_and_never_longer() {
        let mut shortened = 0;
        for seed in 0..40 {
            let p = random(6, seed);
            let m = Model::new(&p);
            let mut p_wide = p.clone();
            // Wide windows, so that many orders are feasible and the order matters.
            for c in 1..=6 {
                p_wide.ready[c] = 0.0;
                p_wide.due[c] = 1000.0;
            }
            p_wide.due[0] = 2000.0;
            p_wide.capacity = 1000.0;
            let wide = Model::new(&p_wide);
            for (m, label) in [(&m, "tight"), (&wide, "wide")] {
                let customers: Vec<usize> = (1..=6).collect();
                let Some(mut route) = Route::new(m, &customers) else {
                    continue;
                };
                let before = route.distance;
                if route.improve(m) {
                    shortened += 1;
                    assert!(route.distance < before, "{label} seed {seed}");
                }
                let mut sorted = route.customers().to_vec();
                sorted.sort_unstable();
                assert_eq!(
                    sorted, customers,
                    "{label} seed {seed}: every customer kept"
                );
                let again = Route::new(m, route.customers()).expect("still feasible");
                assert!((again.distance - route.distance).abs() < 1e-9);
            }
        }
        assert!(shortened > 10, "only {shortened} routes were shortened");
    }

    #[test]
    fn a_missing_leg_makes_a_route_infeasible() {
        struct NoWayTo2;
        impl Stops for NoWayTo2 {
            fn leg(&self, a: usize, b: usize) -> Option<(f64, f64)> {
                (a != 2 && b != 2).then_some((1.0, 1.0))
            }
            fn ready(&self, _: usize) -> f64 {
                0.0
            }
            fn latest_start(&self, _: usize) -> f64 {
                100.0
            }
            fn service(&self, _: usize) -> f64 {
                1.0
            }
        }
        assert!(Route::new(&NoWayTo2, &[1, 3]).is_some());
        assert!(Route::new(&NoWayTo2, &[1, 2]).is_none());
        let route = Route::new(&NoWayTo2, &[1]).unwrap();
        assert_eq!(route.best_insertion(&NoWayTo2, 2), None);
        assert!(route.best_insertion(&NoWayTo2, 3).is_some());
    }
}
