//! The routing engine: routes with time windows ([`Route`] over any [`Stops`]), and the
//! vehicle routing problem with time windows (one depot, a vehicle capacity, service
//! times, a fleet limit) minimising total distance, which the Solomon benchmark
//! (`hazard-sweep bench solomon`) measures against the best known results.
//!
//! Method ([`search`]): slack induction by string removals (Christiaens & Vanden Berghe,
//! 2020): ruin a few strings of consecutive visits in routes near a random seed visit,
//! recreate by cheapest insertion with "blinks" (insertion points skipped at random),
//! polish the routes the candidate changed by a granular local search (2-opt* tail
//! exchange, swap, 2-opt reversal with each customer's nearest customers), accept by
//! simulated annealing. Each candidate is the current solution changed in place;
//! a rejected one is undone from a journal of the routes it touched. Insertion is scored in O(1) from each route's forward
//! earliest-start and backward latest-start arrays ([`Route`]); scoring never
//! mutates a route. The same [`Route`] (its timing and O(1) insertion scoring), over the
//! product's stops, times and builds every crew-day of a roster (`crate::route`), where
//! the cheapest insertion ([`Route::best_insertion`]) and the relocate improvement
//! ([`Route::improve`]) choose the order; the benchmark's string-removal search is its
//! own, for fleets of many routes.

mod route;
mod search;

pub use route::{Insertion, Route, Stops};
pub use search::{VrptwOptions, solve};

/// A VRPTW instance. Node 0 is the depot; its `due` is the time every route must be back.
#[derive(Debug, Clone)]
pub struct Vrptw {
    /// (x, y) of each node.
    pub coords: Vec<(f64, f64)>,
    /// Load each customer adds.
    pub demand: Vec<f64>,
    /// Earliest start of service.
    pub ready: Vec<f64>,
    /// Latest start of service (for the depot: latest return).
    pub due: Vec<f64>,
    /// Service duration.
    pub service: Vec<f64>,
    /// Load a vehicle can carry.
    pub capacity: f64,
    /// Vehicles available.
    pub vehicles: usize,
}

/// Routes as customer numbers (the depot is implied at both ends), with their distance.
#[derive(Debug, Clone, PartialEq)]
pub struct VrptwSolution {
    /// One list of customers a vehicle.
    pub routes: Vec<Vec<usize>>,
    /// Total Euclidean distance, unrounded.
    pub distance: f64,
}

/// Tolerance for comparing times (Solomon's are sums of irrational distances; a
/// crew-day's are whole minutes).
const EPS: f64 = 1e-9;

impl Vrptw {
    /// Customers (nodes other than the depot).
    pub fn customers(&self) -> usize {
        self.coords.len() - 1
    }

    /// Unrounded Euclidean distance, which is also the travel time.
    pub fn distance(&self, a: usize, b: usize) -> f64 {
        let ((xa, ya), (xb, yb)) = (self.coords[a], self.coords[b]);
        (xa - xb).hypot(ya - yb)
    }

    /// Re-checks routes against the raw data, independently of the search's bookkeeping:
    /// every customer exactly once, at most `vehicles` routes, load within capacity,
    /// service started within each window (waiting allowed), back at the depot in time.
    /// Returns the total distance, or every problem found.
    pub fn check(&self, routes: &[Vec<usize>]) -> Result<f64, Vec<String>> {
        let mut problems = Vec::new();
        let mut seen = vec![0usize; self.coords.len()];
        let used = routes.iter().filter(|r| !r.is_empty()).count();
        if used > self.vehicles {
            problems.push(format!("{used} routes but only {} vehicles", self.vehicles));
        }
        let mut total = 0.0;
        for (k, route) in routes.iter().enumerate() {
            let (mut at, mut time, mut load) = (0usize, self.ready[0], 0.0);
            for &c in route {
                if c == 0 || c >= self.coords.len() {
                    problems.push(format!("route {}: {c} is not a customer", k + 1));
                    continue;
                }
                seen[c] += 1;
                load += self.demand[c];
                total += self.distance(at, c);
                time = (time + self.service[at] + self.distance(at, c)).max(self.ready[c]);
                if time > self.due[c] + EPS {
                    problems.push(format!(
                        "route {}: customer {c} served at {time:.3}, after its due time {}",
                        k + 1,
                        self.due[c]
                    ));
                }
                at = c;
            }
            total += self.distance(at, 0);
            let back = time + self.service[at] + self.distance(at, 0);
            if !route.is_empty() && back > self.due[0] + EPS {
                problems.push(format!(
                    "route {}: back at the depot at {back:.3}, after {}",
                    k + 1,
                    self.due[0]
                ));
            }
            if load > self.capacity + EPS {
                problems.push(format!(
                    "route {}: load {load} over capacity {}",
                    k + 1,
                    self.capacity
                ));
            }
        }
        for (c, &n) in seen.iter().enumerate().skip(1) {
            if n != 1 {
                problems.push(format!("customer {c} is visited {n} times"));
            }
        }
        if problems.is_empty() {
            Ok(total)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Depot at the origin, customers on a line east of it with tight windows.
    pub(crate) fn line(n: usize) -> Vrptw {
        let mut p = Vrptw {
            coords: vec![(0.0, 0.0)],
            demand: vec![0.0],
            ready: vec![0.0],
            due: vec![1000.0],
            service: vec![0.0],
            capacity: 30.0,
            vehicles: 25,
        };
        for i in 1..=n {
            p.coords.push((i as f64 * 10.0, 0.0));
            p.demand.push(10.0);
            p.ready.push(0.0);
            p.due.push(500.0);
            p.service.push(5.0);
        }
        p
    }

    #[test]
    fn check_finds_missing_late_and_overloaded_routes() {
        let p = line(4);
        assert!(p.check(&[vec![1, 2, 3], vec![4]]).is_ok());
        let problems = p.check(&[vec![1, 2, 3, 4]]).unwrap_err();
        assert!(
            problems.iter().any(|m| m.contains("over capacity")),
            "{problems:?}"
        );
        let problems = p.check(&[vec![1, 2]]).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|m| m.contains("customer 3 is visited 0 times")),
            "{problems:?}"
        );
        let mut late = line(2);
        late.due[2] = 15.0;
        let problems = late.check(&[vec![1, 2]]).unwrap_err();
        assert!(
            problems.iter().any(|m| m.contains("after its due time")),
            "{problems:?}"
        );
    }

    #[test]
    fn solve_finds_the_optimum_on_a_line() {
        // Capacity 3 customers: best is two out-and-back trips, the far one taking 4, 5, 6.
        let p = line(6);
        let solution = solve(
            &p,
            &VrptwOptions {
                iterations: 2_000,
                ..VrptwOptions::default()
            },
        );
        let distance = p.check(&solution.routes).expect("feasible");
        assert!(
            (distance - (60.0 + 120.0)).abs() < 1e-6,
            "{distance} for {:?}",
            solution.routes
        );
        assert!((solution.distance - distance).abs() < 1e-6);
    }
}
