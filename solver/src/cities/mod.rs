//! Province and nation scale: plan each city on its own, after sharing out the experts
//! who belong to no city.
//!
//! An instance whose districts name cities is solved in three steps:
//!
//! 1. the due list is derived once for the whole instance (one draw, one record);
//! 2. [`master::share_out`] gives each shared expert (no `city`: the provincial and
//!    national pools) to one city for the horizon, by a MILP over the cities' demand for
//!    lead-tier and extra expert-days;
//! 3. each city becomes an instance of its own — its districts, firms, officers, own
//!    experts and the shared experts it was given, with its part of the due list — and the
//!    cities are solved in parallel (one worker each, so the result does not depend on the
//!    thread count); the rosters are merged into one document.
//!
//! The bound: each city's LP relaxation is solved with every shared expert that may be
//! sent there available to it (which relaxes the sharing), and the weighted sum of the
//! cities' bounds bounds the weighted coverage of any roster that sends shared experts
//! only to cities within their reach — the 12 cities nearest their home, which is every
//! city of a province (there the bound holds for every valid roster).

pub mod master;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::bound::{Column, Effort};
use crate::construct::solve_context;
use crate::context::{Context, positions};
use crate::due::{self, DueList};
use crate::model::{District, Enterprise, Instance, Kpis, Network, Officer, Roster, Travel};
use crate::objective::Breakdown;
use crate::objective::std_dev;
use crate::options::{Progress, SolveError, SolveOptions};
use crate::travel::round_km;

/// The cities named by the districts, sorted (empty for a single-city instance).
pub fn cities(instance: &Instance) -> Vec<String> {
    let mut cities: Vec<String> = instance
        .districts
        .iter()
        .filter_map(|d| d.city.clone())
        .collect();
    cities.sort();
    cities.dedup();
    cities
}

/// Which records belong to which city, computed once (a nation has 330 cities and
/// millions of firms; filtering the whole instance per city would not scale).
pub struct Partition {
    /// Per city: indices of its districts, enterprises, officers and own experts.
    districts: Vec<Vec<usize>>,
    enterprises: Vec<Vec<usize>>,
    officers: Vec<Vec<usize>>,
    experts: Vec<Vec<usize>>,
    /// Per city: indices of its firms' history and findings.
    history: Vec<Vec<usize>>,
    findings: Vec<Vec<usize>>,
    /// City of each enterprise (`usize::MAX`: a district without a known city).
    enterprise_city: Vec<usize>,
}

impl Partition {
    /// Sorts every record of `instance` into `cities` (sorted, as from [`cities`]).
    pub fn new(instance: &Instance, cities: &[String]) -> Partition {
        let n = cities.len();
        let city_index: HashMap<&str, usize> = cities
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let of_city = |city: Option<&str>| city.and_then(|c| city_index.get(c).copied());
        let mut part = Partition {
            districts: vec![Vec::new(); n],
            enterprises: vec![Vec::new(); n],
            officers: vec![Vec::new(); n],
            experts: vec![Vec::new(); n],
            history: vec![Vec::new(); n],
            findings: vec![Vec::new(); n],
            enterprise_city: Vec::with_capacity(instance.enterprises.len()),
        };
        let mut district_city: HashMap<&str, usize> = HashMap::new();
        for (i, d) in instance.districts.iter().enumerate() {
            if let Some(c) = of_city(d.city.as_deref()) {
                part.districts[c].push(i);
                district_city.insert(d.id.as_str(), c);
            }
        }
        let mut firm_city: HashMap<&str, usize> =
            HashMap::with_capacity(instance.enterprises.len());
        for (i, f) in instance.enterprises.iter().enumerate() {
            let c = district_city.get(f.district.as_str()).copied();
            part.enterprise_city.push(c.unwrap_or(usize::MAX));
            if let Some(c) = c {
                part.enterprises[c].push(i);
                firm_city.insert(f.id.as_str(), c);
            }
        }
        for (i, o) in instance.officers.iter().enumerate() {
            let c = of_city(o.city.as_deref())
                .or_else(|| district_city.get(o.district.as_str()).copied());
            if let Some(c) = c {
                part.officers[c].push(i);
            }
        }
        for (i, e) in instance.experts.iter().enumerate() {
            if let Some(c) = of_city(e.city.as_deref()) {
                part.experts[c].push(i);
            }
        }
        for (i, h) in instance.history.iter().enumerate() {
            if let Some(&c) = firm_city.get(h.enterprise.as_str()) {
                part.history[c].push(i);
            }
        }
        for (i, f) in instance.findings.iter().enumerate() {
            if let Some(&c) = firm_city.get(f.enterprise.as_str()) {
                part.findings[c].push(i);
            }
        }
        part
    }
}

/// City c's instance: its districts, firms (with their history and findings), its
/// officers, its own experts and the extra experts listed. Calendar and policy are the
/// whole instance's; the road network is the part around the city.
pub fn city_instance(
    instance: &Instance,
    part: &Partition,
    c: usize,
    name: &str,
    extra_experts: &[usize],
) -> Instance {
    let districts: Vec<District> = part.districts[c]
        .iter()
        .map(|&i| instance.districts[i].clone())
        .collect();
    let enterprises: Vec<Enterprise> = part.enterprises[c]
        .iter()
        .map(|&i| instance.enterprises[i].clone())
        .collect();
    let officers: Vec<Officer> = part.officers[c]
        .iter()
        .map(|&i| instance.officers[i].clone())
        .collect();
    Instance {
        name: format!("{} / {name}", instance.name),
        horizon: instance.horizon,
        policy: instance.policy.clone(),
        calendar: instance.calendar.clone(),
        experts: city_experts(instance, part, c, extra_experts),
        history: part.history[c]
            .iter()
            .map(|&i| instance.history[i].clone())
            .collect(),
        findings: part.findings[c]
            .iter()
            .map(|&i| instance.findings[i].clone())
            .collect(),
        travel: instance
            .travel
            .as_ref()
            .map(|t| city_roads(t, &districts, &enterprises, &officers)),
        officers,
        districts,
        enterprises,
    }
}

/// City c's own experts and the extra ones listed, in the instance's order.
fn city_experts(
    instance: &Instance,
    part: &Partition,
    c: usize,
    extra: &[usize],
) -> Vec<crate::model::Expert> {
    let mut experts: Vec<usize> = part.experts[c].iter().chain(extra).copied().collect();
    experts.sort_unstable();
    experts
        .iter()
        .map(|&e| instance.experts[e].clone())
        .collect()
}

/// The part of the whole due list that falls in city c, re-indexed into the city's
/// instance (whose enterprises are `part.enterprises[c]`, in order).
fn city_due(whole: &DueList, part: &Partition, c: usize, due_of_city: &[usize]) -> DueList {
    let index: HashMap<usize, usize> = part.enterprises[c]
        .iter()
        .enumerate()
        .map(|(i, &e)| (e, i))
        .collect();
    let mut due = DueList {
        due: Vec::new(),
        enterprise_index: Vec::new(),
        follow_up: Vec::new(),
        excluded: Vec::new(),
        draw: whole.draw.clone(),
    };
    for &d in due_of_city {
        due.due.push(whole.due[d].clone());
        due.enterprise_index.push(index[&whole.enterprise_index[d]]);
        due.follow_up.push(whole.follow_up[d]);
    }
    due
}

/// How far (degrees) around a city's places its road network reaches: a trip inside a
/// city has no reason to leave the city's box by more than this. The checker, which
/// routes on the whole network, would report any leg this changes.
const ROAD_MARGIN_DEG: f64 = 0.5;

/// The part of the road network in a box around the city's bases and firms, so that a
/// city's shortest paths search a city-sized graph, not a nation's.
fn city_roads(
    travel: &Travel,
    districts: &[District],
    firms: &[Enterprise],
    officers: &[Officer],
) -> Travel {
    let Some(network) = &travel.network else {
        return travel.clone();
    };
    let bases = officers.iter().filter_map(|o| o.base);
    let places: Vec<_> = districts
        .iter()
        .map(|d| d.base)
        .chain(firms.iter().map(|f| f.location))
        .chain(bases)
        .collect();
    if places.is_empty() {
        return travel.clone();
    }
    let (lat0, lat1) = places.iter().fold((f64::MAX, f64::MIN), |(a, b), p| {
        (a.min(p.lat), b.max(p.lat))
    });
    let (lon0, lon1) = places.iter().fold((f64::MAX, f64::MIN), |(a, b), p| {
        (a.min(p.lon), b.max(p.lon))
    });
    let inside = |lat: f64, lon: f64| {
        (lat0 - ROAD_MARGIN_DEG..=lat1 + ROAD_MARGIN_DEG).contains(&lat)
            && (lon0 - ROAD_MARGIN_DEG..=lon1 + ROAD_MARGIN_DEG).contains(&lon)
    };
    let nodes: Vec<_> = network
        .nodes
        .iter()
        .filter(|n| inside(n.lat, n.lon))
        .cloned()
        .collect();
    if nodes.is_empty() {
        return travel.clone();
    }
    let kept: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let edges = network
        .edges
        .iter()
        .filter(|e| kept.contains(e.from.as_str()) && kept.contains(e.to.as_str()))
        .cloned()
        .collect();
    let mut city = travel.clone();
    city.network = Some(Network { nodes, edges });
    city
}

/// A city's result.
struct CityPlan {
    roster: Roster,
    /// Upper bound on the city's weighted coverage with every shared expert available.
    bound: Option<f64>,
    /// Sum of the city's due weights.
    weight: f64,
}

/// Solves an instance with cities (see the module documentation), inside the caller's
/// pool of `threads` workers.
pub(crate) fn solve(
    instance: &Instance,
    options: &SolveOptions<'_>,
    cities: &[String],
    threads: usize,
    started: Instant,
) -> Result<Roster, SolveError> {
    let history = due::history_by_firm(instance);
    let whole = due::derive_with_history(instance, &history);
    let shared: Vec<usize> = (0..instance.experts.len())
        .filter(|&e| instance.experts[e].city.is_none())
        .collect();
    let allocation = master::share_out(instance, &whole, cities, &shared);
    let part = Partition::new(instance, cities);
    let mut given: Vec<Vec<usize>> = vec![Vec::new(); cities.len()];
    for (&e, c) in shared.iter().zip(&allocation.city) {
        if let Some(c) = *c {
            given[c].push(e);
        }
    }
    // The relaxation behind the bound lets every shared expert work in every city it
    // may be sent to.
    let mut reachable: Vec<Vec<usize>> = vec![Vec::new(); cities.len()];
    for (&e, reach) in shared.iter().zip(&allocation.reach) {
        for &c in reach {
            reachable[c].push(e);
        }
    }
    let mut due_of_city: Vec<Vec<usize>> = vec![Vec::new(); cities.len()];
    for (d, &e) in whole.enterprise_index.iter().enumerate() {
        if let Some(list) = due_of_city.get_mut(part.enterprise_city[e]) {
            list.push(d);
        }
    }

    // Progress over all cities: each city reports its own counts, the sum goes up.
    let considered: Vec<AtomicUsize> = cities.iter().map(|_| AtomicUsize::new(0)).collect();
    let scheduled: Vec<AtomicUsize> = cities.iter().map(|_| AtomicUsize::new(0)).collect();
    // Each city's best cost so far, in fen.
    let costs: Vec<AtomicUsize> = cities.iter().map(|_| AtomicUsize::new(0)).collect();
    // Each city's covered weight, in millionths of the whole due weight.
    let covered: Vec<AtomicUsize> = cities.iter().map(|_| AtomicUsize::new(0)).collect();
    let whole_weight: f64 = whole.due.iter().map(|d| d.weight).sum();
    let total = whole.due.len();
    // Each city gets an equal share of the thread-time.
    let city_limit = options.time_limit.map(|t| {
        // Cities run at most `threads` at a time: with more threads than cities each city
        // has the whole limit, never more (the search uses all of its share).
        t.mul_f64(threads.min(cities.len()) as f64 / cities.len() as f64)
            .max(Duration::from_millis(100))
    });

    let plans: Vec<Result<CityPlan, SolveError>> = cities
        .par_iter()
        .enumerate()
        .map(|(c, city)| {
            let sub = city_instance(instance, &part, c, city, &given[c]);
            let ctx = Context::with_due(&sub, city_due(&whole, &part, c, &due_of_city[c]))?;
            let city_weight: f64 = due_of_city[c].iter().map(|&d| whole.due[d].weight).sum();
            let report = |p: Progress| {
                considered[c].store(p.considered, Ordering::Relaxed);
                scheduled[c].store(p.scheduled, Ordering::Relaxed);
                costs[c].store((p.cost_cny * 100.0).round() as usize, Ordering::Relaxed);
                let share = if whole_weight > 0.0 {
                    p.coverage * city_weight / whole_weight
                } else {
                    0.0
                };
                covered[c].store((share * 1e6) as usize, Ordering::Relaxed);
                if let Some(parent) = options.progress {
                    let sum = |v: &[AtomicUsize]| {
                        v.iter().map(|a| a.load(Ordering::Relaxed)).sum::<usize>()
                    };
                    let coverage = sum(&covered) as f64 / 1e6;
                    parent(Progress {
                        considered: sum(&considered),
                        total,
                        scheduled: sum(&scheduled),
                        iteration: 0,
                        iterations: 0,
                        coverage,
                        bound: None,
                        cost_cny: sum(&costs) as f64 / 100.0,
                    });
                }
            };
            let city_options = SolveOptions {
                threads: 1,
                time_limit: city_limit,
                iterations: options.iterations,
                progress: Some(&report),
                search_seed: options.search_seed,
                stop: options.stop,
            };
            let roster = solve_context(&ctx, &city_options, 1, Instant::now(), false);
            let weight = ctx.due.due.iter().map(|d| d.weight).sum();
            // The relaxation: the same city with every shared expert.
            let relaxed = Instance {
                experts: city_experts(instance, &part, c, &reachable[c]),
                ..sub.clone()
            };
            // Same officers and due firms, so the same legs.
            let relaxed_ctx = Context::with_experts_of(
                &relaxed,
                city_due(&whole, &part, c, &due_of_city[c]),
                &ctx,
            )?;
            let seeds = Column::of_roster(&relaxed_ctx, &roster);
            let effort = Effort::for_search(city_limit);
            let bound = crate::bound::coverage_bound(&relaxed_ctx, &seeds, effort).ok();
            Ok(CityPlan {
                roster,
                bound,
                weight,
            })
        })
        .collect();
    let plans = plans.into_iter().collect::<Result<Vec<_>, _>>()?;
    let iterations = plans
        .iter()
        .filter_map(|p| p.roster.solver.iterations)
        .max()
        .unwrap_or(0);
    let mut roster = merge(instance, whole, plans);
    roster.solver.iterations = Some(iterations);
    roster.solver.threads = threads as u32;
    roster.solver.time_limit = options.time_limit.map(|t| t.as_secs_f64());
    roster.solver.algorithm = format!(
        "city decomposition: {} cities, {} shared experts shared out by {} (value {:.1}, LP bound {:.1}); per city greedy-priority-insertion + adaptive ruin-and-recreate ({} iterations per city at most)",
        cities.len(),
        shared.len(),
        allocation.method,
        allocation.value,
        allocation.bound,
        iterations
    );
    roster.solver.seconds = started.elapsed().as_secs_f64();
    Ok(roster)
}

/// One roster from the cities' rosters: crews and unscheduled firms together, the whole
/// due list, exclusions and draw, and KPIs recomputed over everything.
fn merge(instance: &Instance, whole: DueList, plans: Vec<CityPlan>) -> Roster {
    let order = positions(&whole.due, |d| d.enterprise.as_str());
    let total_weight: f64 = plans.iter().map(|p| p.weight).sum();
    let bound = plans
        .iter()
        .map(|p| p.bound.map(|b| b * p.weight))
        .sum::<Option<f64>>()
        .map(|b| {
            if total_weight > 0.0 {
                (b / total_weight).min(1.0)
            } else {
                1.0
            }
        });
    let mut crews = Vec::new();
    let mut unscheduled = Vec::new();
    let mut first: Option<Roster> = None;
    let mut breakdown = Breakdown::default();
    for plan in plans {
        let mut r = plan.roster;
        if let Some(map) = &r.kpis.objective {
            breakdown += Breakdown::from_map(map);
        }
        // The priority levels are recounted below from the whole due list (the cities'
        // figures are rounded, and 330 roundings add up).
        crews.append(&mut r.crews);
        unscheduled.append(&mut r.unscheduled);
        first.get_or_insert(r);
    }
    crews.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.officer.cmp(&b.officer)));
    unscheduled.sort_by_key(|u| {
        order
            .get(u.enterprise.as_str())
            .copied()
            .unwrap_or(usize::MAX)
    });

    let experts: HashMap<&str, &crate::model::Expert> = instance
        .experts
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let mut used: HashMap<&str, u32> = HashMap::new();
    let mut rates = 0.0;
    for crew in &crews {
        for id in &crew.experts {
            *used.entry(id.as_str()).or_default() += 1;
            rates += experts
                .get(id.as_str())
                .map_or(0.0, |e| instance.expert_day_rate(e));
        }
    }
    let distance_km = round_km(crews.iter().map(|c| c.distance_km).sum());
    let utilisation: Vec<f64> = instance
        .experts
        .iter()
        .filter(|e| instance.expert_max_days(e) > 0)
        .map(|e| {
            used.get(e.id.as_str()).copied().unwrap_or(0) as f64
                / instance.expert_max_days(e) as f64
        })
        .collect();
    let visited: HashSet<&str> = crews
        .iter()
        .flat_map(|c| c.visits.iter().map(|v| v.enterprise.as_str()))
        .collect();
    let due_weight: f64 = whole.due.iter().map(|d| d.weight).sum();
    let done_weight: f64 = whole
        .due
        .iter()
        .filter(|d| visited.contains(d.enterprise.as_str()))
        .map(|d| d.weight)
        .sum();
    let coverage = if due_weight > 0.0 {
        done_weight / due_weight
    } else {
        1.0
    };
    let kpis = Kpis {
        due: whole.due.len() as u32,
        mandatory_due: whole.due.iter().filter(|d| d.mandatory).count() as u32,
        scheduled: whole
            .due
            .iter()
            .filter(|d| visited.contains(d.enterprise.as_str()))
            .count() as u32,
        mandatory_scheduled: whole
            .due
            .iter()
            .filter(|d| d.mandatory && visited.contains(d.enterprise.as_str()))
            .count() as u32,
        weighted_coverage: coverage,
        expert_days: used.values().sum(),
        cost_cny: ((rates + distance_km * instance.policy.cost_per_km) * 100.0).round() / 100.0,
        distance_km,
        workload_spread: std_dev(&utilisation),
        bound,
        gap: bound.map(|b| b - coverage),
        objective: Some(
            Breakdown {
                mandatory: whole
                    .due
                    .iter()
                    .filter(|d| d.mandatory && visited.contains(d.enterprise.as_str()))
                    .count() as u32,
                weight: done_weight,
                ..breakdown
            }
            .to_map(),
        ),
        // A budget is refused with cities (validation).
        budget: None,
    };
    let template = first.expect("at least one city");
    Roster {
        plan: instance.name.clone(),
        horizon: instance.horizon,
        kpis,
        crews,
        due: whole.due,
        unscheduled,
        excluded: whole.excluded,
        draw: whole.draw,
        solver: template.solver,
    }
}
