//! Workable days: a crew's breaks lie inside its day and never while it drives; a crew
//! whose day spans the lunch window (`policy.lunch_break`) and that cannot eat at its base
//! (it leaves before `from + minutes` and is back after `until − minutes`) has a break of
//! at least `minutes` inside the window. A break during a check makes the check longer:
//! that is the timing rule's (`time.too_short`).

use super::{Index, Violations};
use crate::model::{Clock, Roster};

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let lunch = ix.instance.policy.lunch_break;
    for (crew, tour) in roster.crews.iter().zip(&ix.tours) {
        // Driving: into each visit, up to its arrival, and home, up to the return.
        let mut driving: Vec<(u32, u32)> = crew
            .visits
            .iter()
            .map(|v| {
                let arrive = v.arrive.minutes();
                (arrive.saturating_sub(v.travel_min), arrive)
            })
            .collect();
        if let Ok(legs) = tour
            && let Some(Some(home)) = legs.last()
        {
            let back = crew.return_.minutes();
            driving.push((back.saturating_sub(home.minutes), back));
        }
        for b in &crew.breaks {
            if b.end < b.start || b.start < crew.depart || b.end > crew.return_ {
                out.crew(
                    "time.break_outside_day",
                    crew,
                    format!(
                        "the break {}–{} is not inside the day {}–{}",
                        b.start, b.end, crew.depart, crew.return_
                    ),
                );
                continue;
            }
            let (start, end) = (b.start.minutes(), b.end.minutes());
            if let Some(&(from, to)) = driving.iter().find(|&&(from, to)| start < to && from < end)
            {
                out.crew(
                    "time.break_while_driving",
                    crew,
                    format!(
                        "the break {}–{} falls in the drive {}–{}",
                        b.start,
                        b.end,
                        Clock(from),
                        Clock(to)
                    ),
                );
            }
        }
        if lunch.minutes == 0 {
            continue;
        }
        let (from, until, minutes) = (lunch.from.minutes(), lunch.until.minutes(), lunch.minutes);
        let eats_at_base =
            crew.depart.minutes() >= from + minutes || crew.return_.minutes() + minutes <= until;
        let has_lunch = crew.breaks.iter().any(|b| {
            b.start.minutes() >= from
                && b.end.minutes() <= until
                && b.end.minutes() >= b.start.minutes() + minutes
        });
        if !eats_at_base && !has_lunch {
            out.crew(
                "time.no_lunch_break",
                crew,
                format!(
                    "out {}–{} with no {minutes}-minute break inside {}–{}",
                    crew.depart, crew.return_, lunch.from, lunch.until
                ),
            );
        }
    }
}
