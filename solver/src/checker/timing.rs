//! Hard rule 7: the crew leaves its base no earlier than the day start and is back by the
//! day end; legs follow the travel model; each visit starts inside opening hours, lasts
//! its duration and ends by closing time.
//!
//! Legs are compared with the model's own legs, and arrivals with the model's minutes, so
//! one wrong number in a roster is reported once, under its own code.

use super::{Index, Unroutable, Violations};
use crate::model::Roster;

/// Km differences below this are rounding.
const KM_TOLERANCE: f64 = 0.011;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let policy = &ix.instance.policy;
    for (crew, tour) in roster.crews.iter().zip(&ix.tours) {
        if crew.depart < policy.day_start {
            out.crew(
                "time.depart_too_early",
                crew,
                format!("departs at {}, before {}", crew.depart, policy.day_start),
            );
        }
        if crew.return_ > policy.day_end {
            out.crew(
                "time.return_too_late",
                crew,
                format!("returns at {}, after {}", crew.return_, policy.day_end),
            );
        }
        let legs = match tour {
            Ok(legs) => legs,
            Err(Unroutable::UnknownOfficer) => continue,
            Err(Unroutable::Because(why)) => {
                out.crew("time.no_route", crew, why.clone());
                continue;
            }
        };
        if ix.visits(crew).count() != crew.visits.len() {
            continue; // Unknown firms are reported by the accounting rules.
        }
        let mut ready = crew.depart.minutes();
        let mut exact = true;
        for ((visit, firm), leg) in ix.visits(crew).zip(legs) {
            let Some(leg) = leg else {
                out.visit(
                    "time.no_route",
                    crew,
                    &visit.enterprise,
                    format!("no road reaches {} from the previous stop", firm.id),
                );
                exact = false;
                continue;
            };
            if visit.travel_min != leg.minutes || (visit.distance_km - leg.km).abs() > KM_TOLERANCE
            {
                out.visit(
                    "time.travel_mismatch",
                    crew,
                    &visit.enterprise,
                    format!(
                        "the leg to {} is {} min / {} km by the travel model, the roster says {} min / {} km",
                        firm.id, leg.minutes, leg.km, visit.travel_min, visit.distance_km
                    ),
                );
            }
            if visit.arrive.minutes() < ready + leg.minutes {
                out.visit(
                    "time.arrival_mismatch",
                    crew,
                    &visit.enterprise,
                    format!(
                        "arrives at {} but cannot be there before {}",
                        visit.arrive,
                        crate::model::Clock(ready + leg.minutes)
                    ),
                );
            }
            if visit.start < visit.arrive {
                out.visit(
                    "time.start_before_arrival",
                    crew,
                    &visit.enterprise,
                    format!(
                        "starts at {} before arriving at {}",
                        visit.start, visit.arrive
                    ),
                );
            }
            let req = ix.requirement(firm);
            if visit.start < req.hours.open || visit.end > req.hours.close {
                out.visit(
                    "time.outside_opening_hours",
                    crew,
                    &visit.enterprise,
                    format!(
                        "{}–{} is outside {}'s opening hours {}–{}",
                        visit.start, visit.end, firm.id, req.hours.open, req.hours.close
                    ),
                );
            }
            // A break during the check stops the work: the check lasts that much longer.
            let rest: u32 = crew
                .breaks
                .iter()
                .map(|b| {
                    let (from, to) = (
                        b.start.minutes().max(visit.start.minutes()),
                        b.end.minutes().min(visit.end.minutes()),
                    );
                    to.saturating_sub(from)
                })
                .sum();
            if visit.end.minutes() < visit.start.minutes() + req.duration_min + rest {
                out.visit(
                    "time.too_short",
                    crew,
                    &visit.enterprise,
                    format!(
                        "{}–{} is shorter than the {} minutes {} needs on site{}",
                        visit.start,
                        visit.end,
                        req.duration_min,
                        firm.id,
                        if rest > 0 {
                            format!(" and the {rest} minutes of rest in it")
                        } else {
                            String::new()
                        }
                    ),
                );
            }
            ready = visit.end.minutes().max(visit.start.minutes());
        }
        match legs.last().copied().flatten() {
            Some(back) if exact => {
                if crew.return_.minutes() < ready + back.minutes {
                    out.crew(
                        "time.return_mismatch",
                        crew,
                        format!(
                            "returns at {} but cannot be back before {}",
                            crew.return_,
                            crate::model::Clock(ready + back.minutes)
                        ),
                    );
                }
                let model_km: f64 = legs.iter().flatten().map(|l| l.km).sum();
                if (crew.distance_km - model_km).abs() > KM_TOLERANCE * legs.len() as f64 {
                    out.crew(
                        "time.crew_distance",
                        crew,
                        format!(
                            "the tour is {:.2} km by the travel model, the roster says {} km",
                            model_km, crew.distance_km
                        ),
                    );
                }
            }
            Some(_) => {}
            None => out.crew(
                "time.no_route",
                crew,
                "no road leads back to the base".into(),
            ),
        }
    }
}
