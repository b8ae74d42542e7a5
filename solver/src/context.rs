//! Everything derived from an instance once per solve: sweep days, the due list, each due
//! firm's requirement, who may go where, and the travel legs between every base and firm.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};

use crate::calendar;
use crate::due::{self, DueList, FirmHistory};
use crate::model::{CITY_LEVEL, Instance, Specialty, Tier};
use crate::requirements::{self, Requirement};
use crate::travel::{Leg, LegMatrix, Place, TravelError, TravelModel};

/// A set of specialties as bits, for fast coverage tests.
pub type SpecialtyMask = u32;

/// The bit set of a list of specialties.
pub fn mask_of(specs: &[Specialty]) -> SpecialtyMask {
    specs.iter().fold(0, |m, s| m | (1 << (*s as u32)))
}

/// The position of each item by its id (the registries' ids are unique: validation says so).
pub fn positions<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
    items.iter().enumerate().map(|(i, x)| (id(x), i)).collect()
}

/// Derived, read-only data of one solve.
pub struct Context<'a> {
    /// The raw instance.
    pub instance: &'a Instance,
    /// Sweep days (working days outside blackouts), in order.
    pub days: Vec<NaiveDate>,
    /// For each sweep day, its calendar week (Monday to Sunday) as a running number: equal
    /// for days of one week.
    pub week: Vec<u32>,
    /// The due list.
    pub due: DueList,
    /// Requirement of each due firm (same order as `due.due`).
    pub reqs: Vec<Requirement>,
    /// Required specialties of each due firm as a bit set.
    pub req_masks: Vec<SpecialtyMask>,
    /// Specialties of each expert as a bit set.
    pub expert_masks: Vec<SpecialtyMask>,
    /// Day rate of each expert.
    pub day_rates: Vec<f64>,
    /// `max_days` of each expert.
    pub expert_max: Vec<u32>,
    /// `max_days` of each officer.
    pub officer_max: Vec<u32>,
    /// Place index of each officer's base (`None`: no base, the officer cannot go out).
    pub officer_loc: Vec<Option<usize>>,
    /// Place index of each due firm.
    pub firm_loc: Vec<usize>,
    /// Legs between all places (officer bases first, then due firms).
    pub legs: LegMatrix,
    /// `avoids[due]`: experts who must not check that firm (回避), sorted.
    pub avoids: Vec<Vec<usize>>,
    /// `recent[due]`: experts who checked the firm within the rotation window, sorted.
    pub recent: Vec<Vec<usize>>,
    /// District index (into `instance.districts`) of each due firm; `usize::MAX` if the
    /// district is not in the registry.
    pub firm_district: Vec<usize>,
    /// District index of each officer; `None` for a city-level officer.
    pub officer_district: Vec<Option<usize>>,
    /// Officer index of each due firm's responsible officer, if in the registry.
    pub firm_officer: Vec<Option<usize>>,
    /// How much each expert is in demand: for each of their specialties, the due firms that
    /// need it over the expert-days that hold it, plus the same for each lead tier above
    /// city they reach, summed. A team is filled up with the experts least in demand, so
    /// that holders of a scarce specialty or tier stay free for the firms that need them.
    pub expert_demand: Vec<f64>,
    /// History per enterprise id.
    pub history: HashMap<&'a str, FirmHistory>,
}

impl<'a> Context<'a> {
    /// Derives the context; fails only if the travel data is unusable.
    pub fn new(instance: &'a Instance) -> Result<Context<'a>, TravelError> {
        let history = due::history_by_firm(instance);
        let due = due::derive_with_history(instance, &history);
        Self::with_due(instance, due)
    }

    /// The context for a due list derived elsewhere: a city's share of a province's list,
    /// whose `enterprise_index` points into `instance` (the city's own instance).
    pub fn with_due(instance: &'a Instance, due: DueList) -> Result<Context<'a>, TravelError> {
        Self::build(instance, due, None)
    }

    /// The context of an instance with the same officers and due firms as `like` (only
    /// the experts differ), reusing its leg matrix instead of routing again.
    pub fn with_experts_of(
        instance: &'a Instance,
        due: DueList,
        like: &Context<'_>,
    ) -> Result<Context<'a>, TravelError> {
        Self::build(instance, due, Some(like.legs.clone()))
    }

    fn build(
        instance: &'a Instance,
        due: DueList,
        legs: Option<LegMatrix>,
    ) -> Result<Context<'a>, TravelError> {
        let days = calendar::sweep_days(instance);
        let history = due::history_by_firm(instance);
        let firms: Vec<_> = due
            .enterprise_index
            .iter()
            .map(|&i| &instance.enterprises[i])
            .collect();
        let reqs: Vec<Requirement> = firms
            .iter()
            .map(|f| requirements::derive(instance, f))
            .collect();
        let req_masks: Vec<SpecialtyMask> = reqs.iter().map(|r| mask_of(&r.specialties)).collect();
        let expert_masks: Vec<SpecialtyMask> = instance
            .experts
            .iter()
            .map(|e| mask_of(&e.specialties))
            .collect();
        let day_rates = instance
            .experts
            .iter()
            .map(|e| instance.expert_day_rate(e))
            .collect();
        let expert_max: Vec<u32> = instance
            .experts
            .iter()
            .map(|e| instance.expert_max_days(e))
            .collect();
        let officer_max = instance
            .officers
            .iter()
            .map(|o| instance.officer_max_days(o))
            .collect();

        // Legs are asked for by place (id and location), so that a travel matrix, which
        // knows places by id, gives each firm and base its own legs.
        let mut places = Vec::new();
        let officer_loc = instance
            .officers
            .iter()
            .map(|o| {
                Place::officer_base(instance, o).map(|base| {
                    places.push(base);
                    places.len() - 1
                })
            })
            .collect();
        let firm_loc = firms
            .iter()
            .map(|f| {
                places.push(Place::firm(f));
                places.len() - 1
            })
            .collect();
        let legs = match legs {
            Some(legs) => legs,
            None => TravelModel::new(instance)?.matrix(&places),
        };

        let due_by_id = positions(&firms, |f| f.id.as_str());
        let mut avoids = vec![Vec::new(); firms.len()];
        for (e, expert) in instance.experts.iter().enumerate() {
            for (d, firm) in firms.iter().enumerate() {
                let by_firm = expert.avoid_enterprises.contains(&firm.id);
                let by_group = firm
                    .group
                    .as_ref()
                    .is_some_and(|g| expert.avoid_groups.contains(g));
                if by_firm || by_group {
                    avoids[d].push(e);
                }
            }
        }

        let expert_by_id = positions(&instance.experts, |e| e.id.as_str());
        let rotation_start = instance
            .horizon
            .start
            .checked_sub_months(Months::new(instance.policy.rotation_months))
            .unwrap_or(NaiveDate::MIN);
        let mut recent = vec![Vec::new(); firms.len()];
        for insp in instance.history.iter().filter(|h| h.date >= rotation_start) {
            if let Some(&d) = due_by_id.get(insp.enterprise.as_str()) {
                for id in &insp.experts {
                    if let Some(&e) = expert_by_id.get(id.as_str()) {
                        recent[d].push(e);
                    }
                }
            }
        }
        for list in &mut recent {
            list.sort_unstable();
            list.dedup();
        }
        let district_index = positions(&instance.districts, |d| d.id.as_str());
        let firm_district = firms
            .iter()
            .map(|f| {
                district_index
                    .get(f.district.as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let officer_district = instance
            .officers
            .iter()
            .map(|o| {
                // An officer of an unknown district serves none (validation reports it).
                (o.district != CITY_LEVEL).then(|| {
                    district_index
                        .get(o.district.as_str())
                        .copied()
                        .unwrap_or(usize::MAX - 1)
                })
            })
            .collect();
        let officer_by_id = positions(&instance.officers, |o| o.id.as_str());
        let firm_officer = firms
            .iter()
            .map(|f| officer_by_id.get(f.officer.as_str()).copied())
            .collect();

        let mut need = [0.0f64; 32];
        let mut supply = [0.0f64; 32];
        for &m in &req_masks {
            for (bit, n) in need.iter_mut().enumerate() {
                *n += f64::from((m >> bit) & 1);
            }
        }
        for (&m, &days) in expert_masks.iter().zip(&expert_max) {
            for (bit, s) in supply.iter_mut().enumerate() {
                *s += f64::from((m >> bit) & 1) * f64::from(days);
            }
        }
        // The lead tiers are in demand the same way: firms needing at least a tier over the
        // expert-days of that tier or above.
        let tier_need = |t: Tier| reqs.iter().filter(|r| r.min_tier >= t).count() as f64;
        let tier_supply = |t: Tier| -> f64 {
            instance
                .experts
                .iter()
                .zip(&expert_max)
                .filter(|(e, _)| e.tier >= t)
                .map(|(_, &days)| f64::from(days))
                .sum()
        };
        let tier_demand: Vec<(Tier, f64)> = [Tier::Provincial, Tier::National]
            .into_iter()
            .map(|t| {
                let supply = tier_supply(t);
                (
                    t,
                    if supply > 0.0 {
                        tier_need(t) / supply
                    } else {
                        0.0
                    },
                )
            })
            .collect();
        let expert_demand = expert_masks
            .iter()
            .zip(&instance.experts)
            .map(|(&m, expert)| {
                let specialties: f64 = (0..32)
                    .filter(|bit| (m >> bit) & 1 == 1 && supply[*bit] > 0.0)
                    .map(|bit| need[bit] / supply[bit])
                    .sum();
                let tiers: f64 = tier_demand
                    .iter()
                    .filter(|(t, _)| expert.tier >= *t)
                    .map(|(_, d)| d)
                    .sum();
                specialties + tiers
            })
            .collect();

        let week = days
            .iter()
            .map(|d| (d.num_days_from_ce() - d.weekday().num_days_from_monday() as i32) as u32 / 7)
            .collect();
        Ok(Context {
            history,
            instance,
            days,
            week,
            due,
            reqs,
            req_masks,
            expert_masks,
            day_rates,
            expert_max,
            officer_max,
            officer_loc,
            firm_loc,
            legs,
            avoids,
            recent,
            firm_district,
            officer_district,
            firm_officer,
            expert_demand,
        })
    }

    /// Number of due firms.
    pub fn due_count(&self) -> usize {
        self.due.due.len()
    }

    /// The due-list index of the firm with enterprise id `id`, if it is due.
    pub fn due_index(&self, id: &str) -> Option<usize> {
        self.due.due.iter().position(|d| d.enterprise == id)
    }

    /// The enterprise record of due firm `d`.
    pub fn firm(&self, d: usize) -> &'a crate::model::Enterprise {
        &self.instance.enterprises[self.due.enterprise_index[d]]
    }

    /// Whether expert `e` checked due firm `d` within the rotation window.
    pub fn recently_checked(&self, e: usize, d: usize) -> bool {
        self.recent[d].binary_search(&e).is_ok()
    }

    /// The leg between two place indices.
    pub fn leg(&self, from: usize, to: usize) -> Option<Leg> {
        self.legs.get(from, to)
    }

    /// Tier of expert `e`.
    pub fn tier(&self, e: usize) -> Tier {
        self.instance.experts[e].tier
    }
}
