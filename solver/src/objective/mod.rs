//! The one objective every part of the solver optimises: the construction's moves, every
//! search move and its acceptance, and the breakdown the roster reports
//! (`kpis.objective`, which the checker recomputes from the raw instance).
//!
//! Rosters are compared lexicographically: more mandatory visits, then more priority
//! weight, then a lower **search cost**, the sum of the soft terms below in
//! CNY-equivalents. Each soft term is one module that prices one crew-day; a crew's price
//! does not depend on the other crews, so the objective of a roster is the sum over its
//! crews and a move is priced by the change of the crews it touches. Adding a soft term
//! means adding one module and one row of [`SOFT_TERMS`]. One term is the roster's, not a
//! crew-day's: [`daily_load`] prices how crowded each sweep day is
//! ([`Breakdown::daily_load`]).

pub mod daily_load;
pub mod day_rates;
pub mod distance;
pub mod follow_up_timing;
pub mod own_officer;
pub mod priority;
pub mod rotation;
pub mod tier_scarcity;

use std::collections::BTreeMap;
use std::ops::AddAssign;

use crate::context::Context;

/// One crew-day as the objective sees it (indices into the context).
#[derive(Debug, Clone, Copy)]
pub struct CrewView<'s> {
    /// Sweep-day index.
    pub day: usize,
    /// Officer index.
    pub officer: usize,
    /// Expert indices (distinct).
    pub experts: &'s [usize],
    /// Due-list indices in visiting order.
    pub route: &'s [usize],
    /// Road km of the day's tour.
    pub km: f64,
}

/// A soft term: its name in `kpis.objective` and its price of one crew-day.
pub struct SoftTerm {
    /// Stable name (`kpis.objective.<name>`).
    pub name: &'static str,
    /// CNY-equivalent of one crew-day.
    pub price: fn(&Context<'_>, &CrewView<'_>) -> f64,
}

/// Every soft term, in the order `kpis.objective` lists them. The first two are the
/// reported cost (`kpis.cost_cny`); the rest steer the solver only.
pub const SOFT_TERMS: [SoftTerm; 6] = [
    SoftTerm {
        name: day_rates::NAME,
        price: day_rates::price,
    },
    SoftTerm {
        name: distance::NAME,
        price: distance::price,
    },
    SoftTerm {
        name: rotation::NAME,
        price: rotation::price,
    },
    SoftTerm {
        name: tier_scarcity::NAME,
        price: tier_scarcity::price,
    },
    SoftTerm {
        name: follow_up_timing::NAME,
        price: follow_up_timing::price,
    },
    SoftTerm {
        name: own_officer::NAME,
        price: own_officer::price,
    },
];

/// Name of the sum of the soft terms in `kpis.objective`.
pub const SEARCH_COST: &str = "search_cost";

/// What a crew-day spends in CNY (the reported `cost_cny`): day rates and km.
pub fn money(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    day_rates::price(ctx, crew) + distance::price(ctx, crew)
}

/// The search cost of one crew-day: the sum of every soft term's price.
pub fn crew_cost(ctx: &Context<'_>, crew: &CrewView<'_>) -> f64 {
    SOFT_TERMS.iter().map(|t| (t.price)(ctx, crew)).sum()
}

/// The objective's value of a roster, term by term.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Breakdown {
    /// Mandatory due firms visited.
    pub mandatory: u32,
    /// Priority weight of the due firms visited.
    pub weight: f64,
    /// Each soft term's value, in [`SOFT_TERMS`] order.
    pub soft: [f64; SOFT_TERMS.len()],
    /// The roster's [`daily_load`] term (0 for one crew-day's breakdown).
    pub daily_load: f64,
}

impl Breakdown {
    /// The breakdown of one crew-day.
    pub fn of_crew(ctx: &Context<'_>, crew: &CrewView<'_>) -> Breakdown {
        let (mandatory, weight) = priority::value(ctx, crew.route);
        let mut soft = [0.0; SOFT_TERMS.len()];
        for (value, term) in soft.iter_mut().zip(&SOFT_TERMS) {
            *value = (term.price)(ctx, crew);
        }
        Breakdown {
            mandatory,
            weight,
            soft,
            daily_load: 0.0,
        }
    }

    /// The breakdown of a roster: the sum over its crews.
    pub fn of_crews<'s>(
        ctx: &Context<'_>,
        crews: impl IntoIterator<Item = CrewView<'s>>,
    ) -> Breakdown {
        let mut total = Breakdown::default();
        let mut days = Vec::new();
        for crew in crews {
            total += Breakdown::of_crew(ctx, &crew);
            days.push(crew.day);
        }
        total.daily_load = daily_load::price(days);
        total
    }

    /// The sum of the soft terms: what the search minimises after coverage.
    pub fn search_cost(&self) -> f64 {
        self.soft.iter().sum::<f64>() + self.daily_load
    }

    /// The reported cost, `kpis.cost_cny` before rounding: day rates and km.
    pub fn cost_cny(&self) -> f64 {
        self.soft[0] + self.soft[1]
    }

    /// The lexicographic score (larger is better).
    pub fn score(&self) -> Score {
        Score {
            mandatory: self.mandatory,
            weight: (self.weight * WEIGHT_SCALE).round() as i64,
            neg_cost: -(self.search_cost() * 100.0).round() as i64,
        }
    }

    /// The breakdown as `kpis.objective` gives it: term name → value.
    pub fn to_map(&self) -> BTreeMap<String, f64> {
        let mut map = BTreeMap::new();
        map.insert(priority::MANDATORY.to_string(), self.mandatory as f64);
        map.insert(priority::WEIGHT.to_string(), round6(self.weight));
        for (term, value) in SOFT_TERMS.iter().zip(&self.soft) {
            map.insert(term.name.to_string(), round2(*value));
        }
        map.insert(daily_load::NAME.to_string(), round2(self.daily_load));
        map.insert(SEARCH_COST.to_string(), round2(self.search_cost()));
        map
    }

    /// Reads a breakdown back from `kpis.objective` (a province's roster sums its cities').
    pub fn from_map(map: &BTreeMap<String, f64>) -> Breakdown {
        let get = |name: &str| map.get(name).copied().unwrap_or(0.0);
        let mut soft = [0.0; SOFT_TERMS.len()];
        for (value, term) in soft.iter_mut().zip(&SOFT_TERMS) {
            *value = get(term.name);
        }
        Breakdown {
            mandatory: get(priority::MANDATORY).round() as u32,
            weight: get(priority::WEIGHT),
            soft,
            daily_load: get(daily_load::NAME),
        }
    }
}

impl AddAssign for Breakdown {
    fn add_assign(&mut self, other: Breakdown) {
        self.mandatory += other.mandatory;
        self.weight += other.weight;
        for (a, b) in self.soft.iter_mut().zip(other.soft) {
            *a += b;
        }
        self.daily_load += other.daily_load;
    }
}

/// Priority weight is compared to 1e-6: weights are sums of a few policy terms, so two
/// rosters whose weights differ by less visit equally important firms.
const WEIGHT_SCALE: f64 = 1e6;

/// The lexicographic objective: mandatory visits, priority weight (×10⁶), then the
/// search cost (CNY-equivalent ×100, negated so that larger is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    /// Mandatory visits.
    pub mandatory: u32,
    /// Priority weight ×10⁶.
    pub weight: i64,
    /// −search cost ×100.
    pub neg_cost: i64,
}

impl Score {
    /// Whether `self` visits the same firms' worth as `other` (same mandatory count and
    /// weight), so that only the cost differs.
    pub fn same_coverage(&self, other: &Score) -> bool {
        self.mandatory == other.mandatory && self.weight == other.weight
    }

    /// The search cost in CNY-equivalents.
    pub fn cost(&self) -> f64 {
        -(self.neg_cost as f64) / 100.0
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Population standard deviation (0 for an empty list): `kpis.workload_spread` of the
/// experts' utilisation.
pub fn std_dev(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}
