//! Every expert earns their seat: with `experts_cover_a_specialty` (the default), each
//! expert of a crew holds at least one specialty that one of the crew's visits requires.

use std::collections::BTreeSet;

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    if !ix.instance.policy.experts_cover_a_specialty {
        return;
    }
    for crew in &roster.crews {
        let required: BTreeSet<_> = ix
            .visits(crew)
            .flat_map(|(_, firm)| ix.requirement(firm).specialties)
            .collect();
        if required.is_empty() {
            continue;
        }
        for expert in ix.crew_experts(crew) {
            if !expert.specialties.iter().any(|s| required.contains(s)) {
                let wanted: Vec<&str> = required.iter().map(|s| s.as_str()).collect();
                out.crew(
                    "crew.expert_without_specialty",
                    crew,
                    format!(
                        "{} holds none of the specialties the crew's visits require ({})",
                        expert.id,
                        wanted.join(", ")
                    ),
                );
            }
        }
    }
}
