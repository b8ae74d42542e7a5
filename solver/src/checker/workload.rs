//! Workable weeks: no officer out on more than `officer_max_days_per_week` days of a
//! calendar week (Monday to Sunday), nor on more than `officer_max_days_in_a_row`
//! consecutive sweep days.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use super::{Index, Violations};
use crate::model::Roster;

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let policy = &ix.instance.policy;
    let mut dates: BTreeMap<&str, BTreeSet<NaiveDate>> = BTreeMap::new();
    for crew in &roster.crews {
        dates
            .entry(crew.officer.as_str())
            .or_default()
            .insert(crew.date);
    }
    let sweep_days = crate::calendar::sweep_days(ix.instance);
    for (officer, dates) in &dates {
        let mut weeks: BTreeMap<(i32, u32), u32> = BTreeMap::new();
        for d in dates {
            let w = d.iso_week();
            *weeks.entry((w.year(), w.week())).or_default() += 1;
        }
        for ((year, week), n) in weeks {
            if n > policy.officer_max_days_per_week {
                out.plan(
                    "officer.week_days",
                    format!(
                        "officer {officer} is out {n} days in week {week} of {year}; at most {} a week",
                        policy.officer_max_days_per_week
                    ),
                );
            }
        }
        // Runs over consecutive sweep days (a date out that is no sweep day is reported by
        // the calendar rule and breaks no run here).
        let mut run: Vec<NaiveDate> = Vec::new();
        for day in sweep_days.iter().chain(std::iter::once(&NaiveDate::MAX)) {
            if dates.contains(day) {
                run.push(*day);
                continue;
            }
            if run.len() > policy.officer_max_days_in_a_row as usize {
                out.plan(
                    "officer.days_in_a_row",
                    format!(
                        "officer {officer} is out {} sweep days in a row, {} to {}; at most {}",
                        run.len(),
                        run[0],
                        run[run.len() - 1],
                        policy.officer_max_days_in_a_row
                    ),
                );
            }
            run.clear();
        }
    }
}
