//! Hard rules 3 and 4: experts certified on the day and within max_days; officers within
//! max_days and, unless city-level, only in their own district. In an instance with
//! cities, officers and experts who belong to a city work only in that city.

use std::collections::HashMap;

use super::{Index, Violations};
use crate::model::{CITY_LEVEL, Roster};

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let instance = ix.instance;
    let mut expert_days: HashMap<&str, u32> = HashMap::new();
    let mut officer_days: HashMap<&str, u32> = HashMap::new();
    let district_city: HashMap<&str, &str> = instance
        .districts
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.city.as_deref()?)))
        .collect();
    for crew in &roster.crews {
        for expert in ix.crew_experts(crew) {
            if expert.certified_until < crew.date {
                out.crew(
                    "expert.certification",
                    crew,
                    format!(
                        "expert {}'s certification ended on {}, before {}",
                        expert.id, expert.certified_until, crew.date
                    ),
                );
            }
            *expert_days.entry(expert.id.as_str()).or_default() += 1;
        }
        for (visit, firm) in ix.visits(crew) {
            let Some(&city) = district_city.get(firm.district.as_str()) else {
                continue;
            };
            let officer_city = ix.officers.get(crew.officer.as_str()).and_then(|o| {
                o.city
                    .as_deref()
                    .or_else(|| district_city.get(o.district.as_str()).copied())
                    .map(|c| (o, c))
            });
            let officer = officer_city
                .filter(|(_, c)| *c != city)
                .map(|(o, c)| format!("officer {} ({c})", o.id));
            let experts = ix.crew_experts(crew).into_iter().filter_map(|e| {
                e.city
                    .as_deref()
                    .filter(|c| *c != city)
                    .map(|c| format!("expert {} ({c})", e.id))
            });
            for outsider in officer.into_iter().chain(experts) {
                out.visit(
                    "city.scope",
                    crew,
                    &visit.enterprise,
                    format!("{outsider} may not work on {} in {city}", firm.id),
                );
            }
        }
        if let Some(officer) = ix.officers.get(crew.officer.as_str()) {
            *officer_days.entry(officer.id.as_str()).or_default() += 1;
            if officer.district != CITY_LEVEL {
                for (visit, firm) in ix.visits(crew) {
                    if firm.district != officer.district {
                        out.visit(
                            "officer.district",
                            crew,
                            &visit.enterprise,
                            format!(
                                "officer {} of district {} may not visit {} in district {}",
                                officer.id, officer.district, firm.id, firm.district
                            ),
                        );
                    }
                }
            }
        }
    }
    for expert in &instance.experts {
        let used = expert_days.get(expert.id.as_str()).copied().unwrap_or(0);
        let max = instance.expert_max_days(expert);
        if used > max {
            out.plan(
                "expert.max_days",
                format!("expert {} works {used} days; max_days is {max}", expert.id),
            );
        }
    }
    for officer in &instance.officers {
        let used = officer_days.get(officer.id.as_str()).copied().unwrap_or(0);
        let max = instance.officer_max_days(officer);
        if used > max {
            out.plan(
                "officer.max_days",
                format!(
                    "officer {} works {used} days; max_days is {max}",
                    officer.id
                ),
            );
        }
    }
}
