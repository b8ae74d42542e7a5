//! The independent roster checker.
//!
//! It re-checks a finished roster against the raw instance, never against solver state:
//! one module per rule family (hard rules 1–8 of DOMAIN.md, due/unscheduled accounting,
//! KPI recomputation), each finding every violation it can. It shares only the rule
//! definitions with the solver (calendar, requirements, due list, travel model, the soft
//! terms' prices), which are the specification itself: `tests/derivations.rs` pins them to
//! values worked out by hand from docs/rules.md, and `tests/travel.rs` the travel model.
//! No decision of the solver's (teams, days, routes, the objective's sums) is reused.
//!
//! Violation codes are stable; docs/codes.md lists them all.

mod accounting;
mod avoidance;
mod budget;
mod calendar;
mod crews;
mod follow_up;
mod frequency;
mod kpis;
mod lunch;
mod objective;
mod people;
mod qualification;
mod reserve;
mod seat;
mod timing;
mod workload;

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Crew, Enterprise, Expert, Instance, Officer, Roster, Visit};
use crate::requirements::{self, Requirement};
use crate::travel::{Leg, Place, TravelModel};

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// Stable code, e.g. `time.outside_opening_hours`.
    pub code: &'static str,
    /// The crew concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crew: Option<String>,
    /// The enterprise concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<String>,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Checks the roster against the instance; an empty list means a valid roster.
///
/// ```
/// use sweep_solver::{check, solve, SolveOptions, model::Instance};
/// let instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
/// let mut roster = solve(&instance, &SolveOptions::default()).unwrap();
/// roster.crews[0].experts.truncate(1); // a crew of one expert breaks hard rule 2
/// let codes: Vec<_> = check(&instance, &roster).iter().map(|v| v.code).collect();
/// assert!(codes.contains(&"crew.team_size"));
/// ```
pub fn check(instance: &Instance, roster: &Roster) -> Vec<Violation> {
    let index = Index::new(instance, roster);
    let mut out = Violations::default();
    crews::check(&index, roster, &mut out);
    calendar::check(&index, roster, &mut out);
    people::check(&index, roster, &mut out);
    qualification::check(&index, roster, &mut out);
    seat::check(&index, roster, &mut out);
    avoidance::check(&index, roster, &mut out);
    timing::check(&index, roster, &mut out);
    lunch::check(&index, roster, &mut out);
    frequency::check(&index, roster, &mut out);
    follow_up::check(&index, roster, &mut out);
    workload::check(&index, roster, &mut out);
    budget::check(&index, roster, &mut out);
    reserve::check(&index, roster, &mut out);
    accounting::check(&index, roster, &mut out);
    kpis::check(&index, roster, &mut out);
    objective::check(&index, roster, &mut out);
    out.list
}

/// Lookups over the raw instance shared by the rule modules.
struct Index<'a> {
    instance: &'a Instance,
    experts: HashMap<&'a str, &'a Expert>,
    officers: HashMap<&'a str, &'a Officer>,
    firms: HashMap<&'a str, &'a Enterprise>,
    /// The due list the rules give, derived once for every module.
    due: crate::due::DueList,
    /// Pending re-checks by firm id, from the raw findings.
    pending: HashMap<&'a str, follow_up::Pending>,
    /// Per crew: the model's legs base → visit 1 → … → base, or why there are none.
    tours: Vec<Result<Vec<Option<Leg>>, Unroutable>>,
}

impl<'a> Index<'a> {
    fn new(instance: &'a Instance, roster: &Roster) -> Index<'a> {
        let mut index = Index {
            instance,
            experts: instance
                .experts
                .iter()
                .map(|e| (e.id.as_str(), e))
                .collect(),
            officers: instance
                .officers
                .iter()
                .map(|o| (o.id.as_str(), o))
                .collect(),
            firms: instance
                .enterprises
                .iter()
                .map(|f| (f.id.as_str(), f))
                .collect(),
            due: crate::due::derive(instance),
            pending: follow_up::pending(instance),
            tours: Vec::new(),
        };
        index.tours = index.model_tours(roster);
        index
    }

    /// The travel model's legs of every crew's tour, each leg on its own (a matrix over
    /// every stop of a province's roster would not fit in memory), asked for by place so
    /// that a travel matrix times the tour by its ids as the solver did.
    fn model_tours(&self, roster: &Roster) -> Vec<Result<Vec<Option<Leg>>, Unroutable>> {
        let model = match TravelModel::new(self.instance) {
            Ok(model) => model,
            Err(e) => {
                return roster
                    .crews
                    .iter()
                    .map(|_| {
                        Err(Unroutable::Because(format!(
                            "the travel data is unusable: {e}"
                        )))
                    })
                    .collect();
            }
        };
        let mut pairs = Vec::new();
        let mut legs_per_crew = Vec::new();
        for crew in &roster.crews {
            let Some(officer) = self.officers.get(crew.officer.as_str()) else {
                legs_per_crew.push(Err(Unroutable::UnknownOfficer));
                continue;
            };
            let Some(base) = Place::officer_base(self.instance, officer) else {
                legs_per_crew.push(Err(Unroutable::Because(format!(
                    "officer {} has no base to start from",
                    crew.officer
                ))));
                continue;
            };
            let mut stops = vec![base];
            stops.extend(self.visits(crew).map(|(_, firm)| Place::firm(firm)));
            stops.push(base);
            let first = pairs.len();
            pairs.extend(stops.windows(2).map(|w| (w[0], w[1])));
            legs_per_crew.push(Ok(first..pairs.len()));
        }
        let legs = model.pairs(&pairs);
        legs_per_crew
            .into_iter()
            .map(|range| range.map(|r| legs[r].to_vec()))
            .collect()
    }

    /// Road km of crew `i`'s tour from the travel model; where the model cannot follow it
    /// (reported by `timing`), the crew's own figure.
    fn tour_km(&self, i: usize, crew: &Crew) -> f64 {
        match self.tours.get(i) {
            Some(Ok(legs)) if legs.iter().all(Option::is_some) => {
                legs.iter().flatten().map(|l| l.km).sum()
            }
            _ => crew.distance_km,
        }
    }

    fn requirement(&self, firm: &Enterprise) -> Requirement {
        requirements::derive(self.instance, firm)
    }

    /// Each expert's crew-days in the roster, and the day rates they earn together.
    fn expert_days_and_rates(&self, roster: &Roster) -> (HashMap<&'a str, u32>, f64) {
        let mut days: HashMap<&'a str, u32> = HashMap::new();
        let mut rates = 0.0;
        for crew in &roster.crews {
            for expert in self.crew_experts(crew) {
                *days.entry(expert.id.as_str()).or_default() += 1;
                rates += self.instance.expert_day_rate(expert);
            }
        }
        (days, rates)
    }

    /// The roster's road km by the travel model; where it cannot follow a crew (reported
    /// elsewhere), the crew's own figure.
    fn road_km(&self, roster: &Roster) -> f64 {
        roster
            .crews
            .iter()
            .enumerate()
            .map(|(i, crew)| self.tour_km(i, crew))
            .sum()
    }

    /// The crew's known experts, each once (unknown and repeated ids are reported by `crews`).
    fn crew_experts(&self, crew: &Crew) -> Vec<&'a Expert> {
        let mut experts: Vec<&'a Expert> = Vec::with_capacity(crew.experts.len());
        for id in &crew.experts {
            if let Some(e) = self.experts.get(id.as_str())
                && !experts.iter().any(|x| x.id == e.id)
            {
                experts.push(e);
            }
        }
        experts
    }

    /// The visits of known firms with the firm (unknown ids are reported by `accounting`).
    fn visits<'r>(
        &self,
        crew: &'r Crew,
    ) -> impl Iterator<Item = (&'r Visit, &'a Enterprise)> + use<'r, 'a, '_> {
        crew.visits
            .iter()
            .filter_map(|v| self.firms.get(v.enterprise.as_str()).map(|f| (v, *f)))
    }
}

/// Why the checker cannot follow a crew's tour with the travel model.
enum Unroutable {
    /// The officer is not in the registry (reported by `crews`).
    UnknownOfficer,
    /// Anything else, reported by `timing`.
    Because(String),
}

/// The list being built, with helpers that keep the modules short.
#[derive(Default)]
struct Violations {
    list: Vec<Violation>,
}

impl Violations {
    fn crew(&mut self, code: &'static str, crew: &Crew, message: String) {
        self.list.push(Violation {
            code,
            crew: Some(crew.id.clone()),
            enterprise: None,
            message,
        });
    }

    fn visit(&mut self, code: &'static str, crew: &Crew, firm: &str, message: String) {
        self.list.push(Violation {
            code,
            crew: Some(crew.id.clone()),
            enterprise: Some(firm.to_string()),
            message,
        });
    }

    fn firm(&mut self, code: &'static str, firm: &str, message: String) {
        self.list.push(Violation {
            code,
            crew: None,
            enterprise: Some(firm.to_string()),
            message,
        });
    }

    fn plan(&mut self, code: &'static str, message: String) {
        self.list.push(Violation {
            code,
            crew: None,
            enterprise: None,
            message,
        });
    }
}
