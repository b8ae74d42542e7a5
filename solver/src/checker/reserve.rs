//! Workable days: on each sweep day of the horizon's last seven calendar days, at most
//! ⌊(1 − `policy.last_week_reserve`) × the officers on duty that day⌋ crews of a city go
//! out (officers on duty: with a base, not unavailable that day; a city is the officer's
//! own or their district's).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let instance = ix.instance;
    let share = instance.policy.last_week_reserve;
    if share <= 0.0 {
        return;
    }
    let from = instance.horizon.end - chrono::Duration::days(6);
    let district_city: HashMap<&str, &str> = instance
        .districts
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.city.as_deref()?)))
        .collect();
    fn city_of<'i>(
        district_city: &HashMap<&'i str, &'i str>,
        o: &'i crate::model::Officer,
    ) -> Option<&'i str> {
        o.city
            .as_deref()
            .or_else(|| district_city.get(o.district.as_str()).copied())
    }
    let mut crews: BTreeMap<(NaiveDate, Option<&str>), usize> = BTreeMap::new();
    for crew in roster.crews.iter().filter(|c| c.date >= from) {
        let city = instance
            .officers
            .iter()
            .find(|o| o.id == crew.officer)
            .and_then(|o| city_of(&district_city, o));
        *crews.entry((crew.date, city)).or_default() += 1;
    }
    for ((date, city), count) in crews {
        let on_duty = instance
            .officers
            .iter()
            .filter(|o| {
                city_of(&district_city, o) == city
                    && instance.officer_base(o).is_some()
                    && !o.unavailable.contains(&date)
            })
            .count();
        let most = ((1.0 - share) * on_duty as f64 + 1e-9).floor() as usize;
        if count > most {
            out.plan(
                "plan.reserve_used",
                format!(
                    "{count} crews go out on {date}, in the horizon's last week, where keeping {:.0} % of the {on_duty} officers on duty in reserve leaves {most}",
                    share * 100.0
                ),
            );
        }
    }
}
