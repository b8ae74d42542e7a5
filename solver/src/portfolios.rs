//! Officer portfolios (the 443 rule): which officer is responsible for which firm.
//!
//! A generalised assignment problem: every firm to one officer of its district or of city
//! level, at most `policy.max_firms_per_officer` firms each, least total road km from the
//! officer's base. Loads are balanced through the cap: a city with about 443 × officers
//! firms fills every portfolio. Solved by [`crate::gap`], which reports the LP bound.

use std::time::Duration;

use crate::gap::{Gap, GapError, GapOptions, solve_gap};
use crate::model::{CITY_LEVEL, Instance};
use crate::travel::{Place, TravelError, TravelModel};

/// A proposed portfolio for every firm.
#[derive(Debug, Clone)]
pub struct Portfolios {
    /// For each enterprise (instance order): the proposed officer id and the km to it.
    pub assignment: Vec<(String, f64)>,
    /// Total km from officers' bases to their firms.
    pub total_km: f64,
    /// Total km of the current portfolios (firms whose officer has no road count 0).
    pub current_km: f64,
    /// Proven lower bound on total km.
    pub lower_bound: f64,
    /// Firms per officer (instance order of officers).
    pub loads: Vec<(String, u32)>,
}

/// Why portfolios could not be proposed.
#[derive(Debug, thiserror::Error)]
pub enum PortfolioError {
    /// The road network is unusable.
    #[error("travel: {0}")]
    Travel(#[from] TravelError),
    /// No assignment within the caps.
    #[error("{0}")]
    Assignment(#[from] GapError),
    /// A firm no officer may hold.
    #[error(
        "no officer of district {district} or of city level (with a base and a road) can hold {firm}"
    )]
    Unservable {
        /// The firm.
        firm: String,
        /// Its district.
        district: String,
    },
}

/// Proposes portfolios for every firm of the instance.
pub fn assign(
    instance: &Instance,
    time_limit: Duration,
    seed: u64,
) -> Result<Portfolios, PortfolioError> {
    let officers: Vec<(usize, Place<'_>)> = instance
        .officers
        .iter()
        .enumerate()
        .filter_map(|(i, o)| Some((i, Place::officer_base(instance, o)?)))
        .collect();
    let bases: Vec<_> = officers.iter().map(|o| o.1).collect();
    let sites: Vec<_> = instance.enterprises.iter().map(Place::firm).collect();
    let legs = TravelModel::new(instance)?.legs(&bases, &sites);
    let cost: Vec<Vec<f64>> = officers
        .iter()
        .enumerate()
        .map(|(a, (o, _))| {
            let officer = &instance.officers[*o];
            instance
                .enterprises
                .iter()
                .enumerate()
                .map(|(j, f)| {
                    let serves = officer.district == CITY_LEVEL || officer.district == f.district;
                    match legs.get(a, j) {
                        Some(leg) if serves => leg.km,
                        _ => f64::INFINITY,
                    }
                })
                .collect()
        })
        .collect();
    if let Some(j) = (0..sites.len()).find(|&j| cost.iter().all(|row| !row[j].is_finite())) {
        let firm = &instance.enterprises[j];
        return Err(PortfolioError::Unservable {
            firm: firm.id.clone(),
            district: firm.district.clone(),
        });
    }
    let cap = instance.policy.max_firms_per_officer as f64;
    let gap = Gap {
        weight: vec![vec![1.0; sites.len()]; officers.len()],
        capacity: vec![cap; officers.len()],
        cost,
    };
    let solution = solve_gap(
        &gap,
        &GapOptions {
            time_limit,
            rounds: usize::MAX,
            seed,
        },
    )?;

    let officer_id = |a: usize| instance.officers[officers[a].0].id.clone();
    let assignment: Vec<(String, f64)> = solution
        .agent
        .iter()
        .enumerate()
        .map(|(j, &a)| (officer_id(a), gap.cost[a][j]))
        .collect();
    let current_km = instance
        .enterprises
        .iter()
        .enumerate()
        .filter_map(|(j, f)| {
            let a = officers
                .iter()
                .position(|(o, _)| instance.officers[*o].id == f.officer)?;
            gap.cost[a][j].is_finite().then_some(gap.cost[a][j])
        })
        .sum();
    let loads = (0..officers.len())
        .map(|a| {
            (
                officer_id(a),
                solution.agent.iter().filter(|&&x| x == a).count() as u32,
            )
        })
        .collect();
    Ok(Portfolios {
        assignment,
        total_km: solution.cost,
        current_km,
        lower_bound: solution.lower_bound,
        loads,
    })
}
