//! Hard rule 6: no crew member is on the firm's avoidance list, by firm or by group (回避).

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    for crew in &roster.crews {
        for expert in ix.crew_experts(crew) {
            for (visit, firm) in ix.visits(crew) {
                let by_firm = expert.avoid_enterprises.contains(&firm.id);
                let by_group = firm
                    .group
                    .as_ref()
                    .filter(|g| expert.avoid_groups.contains(g));
                if by_firm || by_group.is_some() {
                    let why = match by_group {
                        Some(g) if !by_firm => format!("its group {g}"),
                        _ => "the firm".to_string(),
                    };
                    out.visit(
                        "visit.conflict_of_interest",
                        crew,
                        &visit.enterprise,
                        format!(
                            "expert {} must avoid {} ({why} is on their avoidance list)",
                            expert.id, firm.id
                        ),
                    );
                }
            }
        }
    }
}
