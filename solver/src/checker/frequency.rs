//! Hard rule 8: no firm visited twice in the horizon; no firm over its annual cap,
//! counting inspections of every kind in the history, except the re-check of an
//! unrectified major finding when the policy spares it (`cap_spares_major_follow_ups`).

use std::collections::HashMap;

use chrono::Datelike;

use super::{Index, Violations};
use crate::model::Roster;
use crate::requirements::annual_cap;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let mut visits: HashMap<&str, Vec<chrono::NaiveDate>> = HashMap::new();
    for crew in &roster.crews {
        for visit in &crew.visits {
            let dates = visits.entry(visit.enterprise.as_str()).or_default();
            if !dates.is_empty() {
                out.visit(
                    "visit.repeated",
                    crew,
                    &visit.enterprise,
                    format!(
                        "{} is already visited on {} in this plan",
                        visit.enterprise, dates[0]
                    ),
                );
            }
            dates.push(crew.date);
        }
    }
    let mut history: HashMap<(&str, i32), u32> = HashMap::new();
    for h in &ix.instance.history {
        *history
            .entry((h.enterprise.as_str(), h.date.year()))
            .or_default() += 1;
    }
    let mut ids: Vec<&&str> = visits.keys().collect();
    ids.sort();
    for id in ids {
        let Some(firm) = ix.firms.get(*id) else {
            continue;
        };
        // The re-check of a major finding, when the policy spares it from the cap.
        let spared = |date: &chrono::NaiveDate| {
            ix.instance.policy.cap_spares_major_follow_ups
                && ix.pending.get(*id).is_some_and(|p| p.major_on(*date))
        };
        let mut years: Vec<i32> = visits[*id].iter().map(|d| d.year()).collect();
        years.dedup();
        for year in years {
            let planned = visits[*id]
                .iter()
                .filter(|d| d.year() == year && !spared(d))
                .count() as u32;
            let past = history.get(&(*id, year)).copied().unwrap_or(0);
            let cap = annual_cap(firm);
            if past + planned > cap {
                out.firm(
                    "visit.annual_cap",
                    id,
                    format!("{id} would have {} inspections in {year} ({past} before this plan); its cap is {cap}", past + planned),
                );
            }
        }
    }
}
