//! The objective's breakdown (`kpis.objective`), recomputed term by term from the raw
//! instance and the roster: the history, findings, tiers and officers are read here
//! directly, not through the solver's context, so a term the solver prices wrongly
//! shows up as a mismatch. Only the published prices (the terms' constants) are shared.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};

use super::{Index, Violations};
use crate::model::{Roster, Tier};
use crate::objective::{
    SEARCH_COST, daily_load, day_rates, distance, follow_up_timing, own_officer, priority,
    rotation, tier_scarcity,
};

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let Some(given) = &roster.kpis.objective else {
        return;
    };
    let want = recompute(ix, roster);
    let cost_per_km = ix.instance.policy.cost_per_km;
    let stops: usize = roster.crews.iter().map(|c| c.visits.len() + 1).sum();
    for (name, want) in &want {
        // The km term carries the rounding of every leg; the others are sums of prices.
        let tolerance = match name.as_str() {
            distance::NAME | SEARCH_COST => 0.011 * stops.max(1) as f64 * cost_per_km + 0.011,
            priority::WEIGHT => 1e-5,
            _ => 0.011,
        };
        match given.get(name) {
            Some(have) if (have - want).abs() <= tolerance => {}
            Some(have) => out.plan(
                "kpi.objective",
                format!("kpis.objective.{name} is {have}, the roster gives {want:.4}"),
            ),
            None => out.plan(
                "kpi.objective",
                format!("kpis.objective has no {name} (the roster gives {want:.4})"),
            ),
        }
    }
    for name in given.keys().filter(|k| !want.contains_key(*k)) {
        out.plan(
            "kpi.objective",
            format!("kpis.objective.{name} is not a term of the objective"),
        );
    }
}

/// Every term's value for the roster, by name.
fn recompute(ix: &Index<'_>, roster: &Roster) -> BTreeMap<String, f64> {
    let instance = ix.instance;
    let horizon = instance.horizon;
    let sweep_days = crate::calendar::sweep_days(instance);
    let rotation_start = horizon
        .start
        .checked_sub_months(Months::new(instance.policy.rotation_months))
        .unwrap_or(NaiveDate::MIN);
    let recent: HashSet<(&str, &str)> = instance
        .history
        .iter()
        .filter(|h| h.date >= rotation_start)
        .flat_map(|h| {
            h.experts
                .iter()
                .map(|e| (e.as_str(), h.enterprise.as_str()))
        })
        .collect();
    let due: HashMap<&str, (bool, f64)> = ix
        .due
        .due
        .iter()
        .map(|d| (d.enterprise.as_str(), (d.mandatory, d.weight)))
        .collect();

    let (mut mandatory, mut weight) = (0u32, 0.0);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut terms: BTreeMap<&str, f64> = [
        day_rates::NAME,
        distance::NAME,
        rotation::NAME,
        tier_scarcity::NAME,
        follow_up_timing::NAME,
        own_officer::NAME,
    ]
    .into_iter()
    .map(|n| (n, 0.0))
    .collect();
    for (i, crew) in roster.crews.iter().enumerate() {
        let experts = ix.crew_experts(crew);
        let visits: Vec<_> = ix.visits(crew).collect();
        *terms.get_mut(day_rates::NAME).unwrap() += experts
            .iter()
            .map(|e| instance.expert_day_rate(e))
            .sum::<f64>();
        *terms.get_mut(distance::NAME).unwrap() +=
            ix.tour_km(i, crew) * instance.policy.cost_per_km;
        let recent_pairs = experts
            .iter()
            .flat_map(|e| {
                visits
                    .iter()
                    .map(move |(_, f)| (e.id.as_str(), f.id.as_str()))
            })
            .filter(|pair| recent.contains(pair))
            .count();
        *terms.get_mut(rotation::NAME).unwrap() += recent_pairs as f64 * rotation::PENALTY;
        let needed = visits
            .iter()
            .map(|(_, f)| ix.requirement(f).min_tier)
            .max()
            .unwrap_or(Tier::City);
        *terms.get_mut(tier_scarcity::NAME).unwrap() += experts
            .iter()
            .map(|e| tier_scarcity::PENALTY[(e.tier as usize).saturating_sub(needed as usize)])
            .sum::<f64>();
        // A re-check is on time on the first `follow_up_within_days` sweep days from its
        // deadline (from the horizon's start when it passed); each later one is priced.
        let late: f64 = visits
            .iter()
            .filter_map(|(_, f)| ix.pending.get(f.id.as_str()))
            .map(|p| {
                let from = p.deadline.max(horizon.start);
                let passed = sweep_days
                    .iter()
                    .filter(|&&d| d >= from && d < crew.date)
                    .count();
                // At least the day itself (validation refuses 0).
                let within = (instance.policy.follow_up_within_days as usize).max(1);
                let per_day = if p.major_on(crew.date) {
                    follow_up_timing::MAJOR_PER_DAY
                } else {
                    follow_up_timing::PER_DAY
                };
                (passed + 1).saturating_sub(within) as f64 * per_day
            })
            .sum();
        *terms.get_mut(follow_up_timing::NAME).unwrap() += late;
        let own = visits
            .iter()
            .filter(|(_, f)| f.officer == crew.officer)
            .count();
        *terms.get_mut(own_officer::NAME).unwrap() -= own as f64 * own_officer::BONUS;
        for (v, _) in &visits {
            if let Some(&(m, w)) = due.get(v.enterprise.as_str())
                && seen.insert(v.enterprise.as_str())
            {
                mandatory += m as u32;
                weight += w;
            }
        }
    }
    // Daily load: crews² per sweep day of each city (an officer's own city, or their
    // district's).
    let district_city: HashMap<&str, &str> = instance
        .districts
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.city.as_deref()?)))
        .collect();
    let mut per_day: HashMap<(Option<&str>, NaiveDate), u64> = HashMap::new();
    for crew in &roster.crews {
        let city = instance
            .officers
            .iter()
            .find(|o| o.id == crew.officer)
            .and_then(|o| {
                o.city
                    .as_deref()
                    .or_else(|| district_city.get(o.district.as_str()).copied())
            });
        *per_day.entry((city, crew.date)).or_default() += 1;
    }
    terms.insert(
        daily_load::NAME,
        per_day
            .values()
            .map(|&c| daily_load::CNY_PER_CREW_SQUARED * (c * c) as f64)
            .sum(),
    );
    let total: f64 = terms.values().sum();
    let mut map: BTreeMap<String, f64> =
        terms.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    map.insert(priority::MANDATORY.to_string(), mandatory as f64);
    map.insert(priority::WEIGHT.to_string(), weight);
    map.insert(SEARCH_COST.to_string(), total);
    map
}
