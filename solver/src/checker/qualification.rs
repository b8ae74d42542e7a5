//! Hard rule 5: for every visit the crew covers the required specialties, has the team
//! size, and its highest-tier expert meets the minimum tier; a crew's named leader (组长)
//! is one of its experts and meets the highest minimum tier of its visits.

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    for crew in &roster.crews {
        let experts = ix.crew_experts(crew);
        let top = experts.iter().map(|e| e.tier).max();
        if let Some(lead) = &crew.lead {
            let needed = ix
                .visits(crew)
                .map(|(_, firm)| ix.requirement(firm).min_tier)
                .max();
            match experts.iter().find(|e| &e.id == lead) {
                None => out.crew(
                    "crew.lead_not_member",
                    crew,
                    format!("the crew's leader {lead} is not one of its experts"),
                ),
                Some(e) if needed.is_some_and(|t| e.tier < t) => out.crew(
                    "crew.lead_tier",
                    crew,
                    format!(
                        "the crew's leader {lead} is of {} tier; its visits need a {}-tier leader",
                        e.tier,
                        needed.unwrap()
                    ),
                ),
                Some(_) => {}
            }
        }
        for (visit, firm) in ix.visits(crew) {
            let req = ix.requirement(firm);
            let missing: Vec<&str> = req
                .specialties
                .iter()
                .filter(|s| !experts.iter().any(|e| e.specialties.contains(s)))
                .map(|s| s.as_str())
                .collect();
            if !missing.is_empty() {
                out.visit(
                    "visit.specialty_missing",
                    crew,
                    &visit.enterprise,
                    format!(
                        "no crew member covers {} needed at {}",
                        missing.join(", "),
                        firm.id
                    ),
                );
            }
            if (crew.experts.len() as u32) < req.team_size {
                out.visit(
                    "visit.team_too_small",
                    crew,
                    &visit.enterprise,
                    format!(
                        "{} needs {} experts; the crew has {}",
                        firm.id,
                        req.team_size,
                        crew.experts.len()
                    ),
                );
            }
            if top.is_none_or(|t| t < req.min_tier) {
                out.visit(
                    "visit.tier_too_low",
                    crew,
                    &visit.enterprise,
                    format!(
                        "{} needs a {}-tier expert in the crew",
                        firm.id, req.min_tier
                    ),
                );
            }
        }
    }
}
