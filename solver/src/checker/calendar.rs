//! Hard rule 1: every visit is on a working day inside the horizon, outside blackout
//! periods and the firm's closed dates.

use super::{Index, Violations};
use crate::calendar::{blackout_on, is_working_day};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let instance = ix.instance;
    for crew in &roster.crews {
        let date = crew.date;
        if !instance.horizon.contains(date) {
            out.crew(
                "calendar.outside_horizon",
                crew,
                format!(
                    "{date} is outside the horizon {} – {}",
                    instance.horizon.start, instance.horizon.end
                ),
            );
        }
        if !is_working_day(instance, date) {
            out.crew(
                "calendar.not_working_day",
                crew,
                format!("{date} is a weekend day or a public holiday"),
            );
        }
        if let Some(name) = blackout_on(instance, date) {
            out.crew(
                "calendar.blackout",
                crew,
                format!("{date} is in the blackout period {name}"),
            );
        }
        for (visit, firm) in ix.visits(crew) {
            if firm.closed_dates.contains(&date) {
                out.visit(
                    "calendar.firm_closed",
                    crew,
                    &visit.enterprise,
                    format!("{} is closed on {date}", firm.id),
                );
            }
        }
    }
}
