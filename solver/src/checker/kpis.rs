//! KPIs: recomputed from the roster's crews and the instance (distances from the travel
//! model, day rates from the registry), never taken from the roster's own sums.

use std::collections::HashMap;

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let instance = ix.instance;
    let derived = &ix.due;
    let weights: HashMap<&str, (f64, bool)> = derived
        .due
        .iter()
        .map(|d| (d.enterprise.as_str(), (d.weight, d.mandatory)))
        .collect();
    let visited: Vec<&str> = roster
        .crews
        .iter()
        .flat_map(|c| c.visits.iter().map(|v| v.enterprise.as_str()))
        .collect();
    let mut scheduled: Vec<&str> = visited
        .iter()
        .copied()
        .filter(|id| weights.contains_key(id))
        .collect();
    scheduled.sort();
    scheduled.dedup();
    let due_weight: f64 = derived.due.iter().map(|d| d.weight).sum();
    let done_weight: f64 = scheduled.iter().map(|id| weights[id].0).sum();

    let (days, rates) = ix.expert_days_and_rates(roster);
    let km = ix.road_km(roster);
    let utilisation: Vec<f64> = instance
        .experts
        .iter()
        .filter(|e| instance.expert_max_days(e) > 0)
        .map(|e| {
            days.get(e.id.as_str()).copied().unwrap_or(0) as f64
                / instance.expert_max_days(e) as f64
        })
        .collect();
    let coverage = if due_weight > 0.0 {
        done_weight / due_weight
    } else {
        1.0
    };

    let k = &roster.kpis;
    let mut count = |name: &str, have: u32, want: usize| {
        if have as usize != want {
            out.plan(
                "kpi.mismatch",
                format!("kpis.{name} is {have}, the roster gives {want}"),
            );
        }
    };
    count("due", k.due, derived.due.len());
    count(
        "mandatory_due",
        k.mandatory_due,
        derived.due.iter().filter(|d| d.mandatory).count(),
    );
    count("scheduled", k.scheduled, scheduled.len());
    count(
        "mandatory_scheduled",
        k.mandatory_scheduled,
        scheduled.iter().filter(|id| weights[*id].1).count(),
    );
    count(
        "expert_days",
        k.expert_days,
        roster.crews.iter().map(|c| distinct(&c.experts)).sum(),
    );
    let mut real = |name: &str, have: f64, want: f64, tolerance: f64| {
        if (have - want).abs() > tolerance {
            out.plan(
                "kpi.mismatch",
                format!("kpis.{name} is {have}, the roster gives {want:.4}"),
            );
        }
    };
    let km_tolerance = 0.011 * (visited.len() + roster.crews.len()).max(1) as f64;
    real("weighted_coverage", k.weighted_coverage, coverage, 1e-6);
    real("distance_km", k.distance_km, km, km_tolerance);
    real(
        "cost_cny",
        k.cost_cny,
        rates + km * instance.policy.cost_per_km,
        km_tolerance * instance.policy.cost_per_km + 0.011,
    );
    real(
        "workload_spread",
        k.workload_spread,
        population_std_dev(&utilisation),
        1e-6,
    );
    match (k.bound, k.gap) {
        (Some(bound), _) if bound + 1e-9 < k.weighted_coverage => out.plan(
            "kpi.bound",
            format!(
                "kpis.bound {bound} is below the achieved coverage {}",
                k.weighted_coverage
            ),
        ),
        (Some(bound), Some(gap)) if (gap - (bound - k.weighted_coverage)).abs() > 1e-6 => out.plan(
            "kpi.bound",
            format!(
                "kpis.gap {gap} is not bound − coverage = {}",
                bound - k.weighted_coverage
            ),
        ),
        (None, Some(_)) => out.plan("kpi.bound", "kpis.gap is given without a bound".into()),
        _ => {}
    }
}

/// Number of distinct ids in a crew's list (a repeated id is one person-day).
fn distinct(ids: &[String]) -> usize {
    ids.iter()
        .enumerate()
        .filter(|(i, id)| !ids[..*i].contains(id))
        .count()
}

/// The population standard deviation (docs/rules.md: `workload_spread`), worked out here
/// rather than borrowed from the solver so a wrong spread there shows up as a mismatch.
fn population_std_dev(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    variance.sqrt()
}
