//! Hard rule 2: a crew is one officer and 2–5 experts for one day, all available, each
//! person in at most one crew a day.

use std::collections::HashMap;

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let policy = &ix.instance.policy;
    // Who is out on which day, by crew position: two crews that share an id are still two
    // crews (their id is reported too).
    let mut seen: HashMap<(chrono::NaiveDate, &str), usize> = HashMap::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (index, crew) in roster.crews.iter().enumerate() {
        if ids.insert(crew.id.as_str(), index).is_some() {
            out.crew(
                "crew.duplicate_id",
                crew,
                format!("another crew has the id {}", crew.id),
            );
        }
        match ix.officers.get(crew.officer.as_str()) {
            None => out.crew(
                "crew.unknown_officer",
                crew,
                format!("officer `{}` is not in the registry", crew.officer),
            ),
            Some(o) if o.unavailable.contains(&crew.date) => out.crew(
                "crew.unavailable",
                crew,
                format!("officer {} is unavailable on {}", o.id, crew.date),
            ),
            Some(_) => {}
        }
        let size = crew.experts.len() as u32;
        if size < policy.min_team || size > policy.max_team {
            out.crew(
                "crew.team_size",
                crew,
                format!(
                    "the crew has {size} experts; a crew has {} to {}",
                    policy.min_team, policy.max_team
                ),
            );
        }
        if crew.visits.is_empty() {
            out.crew(
                "crew.empty",
                crew,
                "the crew has no visits but books people for the day".into(),
            );
        }
        for (i, id) in crew.experts.iter().enumerate() {
            if crew.experts[..i].contains(id) {
                out.crew(
                    "crew.duplicate_member",
                    crew,
                    format!("expert {id} is listed twice"),
                );
                continue;
            }
            match ix.experts.get(id.as_str()) {
                None => out.crew(
                    "crew.unknown_expert",
                    crew,
                    format!("expert `{id}` is not in the registry"),
                ),
                Some(e) if e.unavailable.contains(&crew.date) => out.crew(
                    "crew.unavailable",
                    crew,
                    format!("expert {id} is unavailable on {}", crew.date),
                ),
                Some(_) => {}
            }
        }
        for person in std::iter::once(&crew.officer).chain(crew.experts.iter()) {
            if let Some(other) = seen.insert((crew.date, person.as_str()), index)
                && other != index
            {
                out.crew(
                    "crew.double_booked",
                    crew,
                    format!(
                        "{person} is also in crew {} on {}",
                        roster.crews[other].id, crew.date
                    ),
                );
            }
        }
    }
}
