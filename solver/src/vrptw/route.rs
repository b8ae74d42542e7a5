//! One vehicle's route with the data that scores an insertion in O(1): for each position,
//! the earliest service start given everything before it (forward) and the latest
//! service start that keeps everything after it on time (backward), plus load and
//! distance. Scoring ([`Route::insertion`]) reads these; only [`Route::refresh`] writes.

use super::{EPS, Vrptw};

/// The instance with its distance matrix computed once (the search reads it millions of times).
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

#[derive(Debug, Clone)]
pub(super) struct Route {
    /// Depot, customers, depot.
    pub nodes: Vec<usize>,
    earliest: Vec<f64>,
    latest: Vec<f64>,
    pub load: f64,
    pub distance: f64,
}

impl Route {
    pub fn empty(m: &Model) -> Self {
        let mut route = Route {
            nodes: vec![0, 0],
            earliest: Vec::new(),
            latest: Vec::new(),
            load: 0.0,
            distance: 0.0,
        };
        route.refresh(m);
        route
    }

    pub fn customers(&self) -> &[usize] {
        &self.nodes[1..self.nodes.len() - 1]
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 2
    }

    /// Recomputes the forward and backward arrays after the nodes changed. O(length).
    pub fn refresh(&mut self, m: &Model) {
        let n = self.nodes.len();
        self.earliest.resize(n, 0.0);
        self.latest.resize(n, 0.0);
        self.earliest[0] = m.p.ready[0];
        self.load = 0.0;
        self.distance = 0.0;
        for i in 1..n {
            let (a, b) = (self.nodes[i - 1], self.nodes[i]);
            let leg = m.d(a, b);
            self.distance += leg;
            self.load += m.p.demand[b];
            self.earliest[i] = (self.earliest[i - 1] + m.p.service[a] + leg).max(m.p.ready[b]);
        }
        self.latest[n - 1] = m.p.due[0];
        for i in (0..n - 1).rev() {
            let (a, b) = (self.nodes[i], self.nodes[i + 1]);
            self.latest[i] = m.p.due[a].min(self.latest[i + 1] - m.d(a, b) - m.p.service[a]);
        }
    }

    /// The added distance of inserting `c` between positions `i` and `i + 1`, or `None`
    /// when that breaks a time window or the capacity.
    pub fn insertion(&self, m: &Model, c: usize, i: usize) -> Option<f64> {
        if self.load + m.p.demand[c] > m.p.capacity + EPS {
            return None;
        }
        let (a, b) = (self.nodes[i], self.nodes[i + 1]);
        let (to_c, from_c) = (m.d(a, c), m.d(c, b));
        let start = (self.earliest[i] + m.p.service[a] + to_c).max(m.p.ready[c]);
        if start > m.p.due[c] + EPS {
            return None;
        }
        let next = (start + m.p.service[c] + from_c).max(m.p.ready[b]);
        if next > self.latest[i + 1] + EPS {
            return None;
        }
        Some(to_c + from_c - m.d(a, b))
    }

    pub fn insert(&mut self, m: &Model, c: usize, i: usize) {
        self.nodes.insert(i + 1, c);
        self.refresh(m);
    }
}
