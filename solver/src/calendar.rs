//! Which days crews may go out: working days of the horizon outside blackout periods.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model::{Instance, PeriodKind, Sector};

/// Whether the date is a working day: Monday–Friday that is not a holiday, or an
/// adjusted working day (调休) on a weekend.
pub fn is_working_day(instance: &Instance, date: NaiveDate) -> bool {
    let cal = &instance.calendar;
    if cal.extra_workdays.contains(&date) {
        return true;
    }
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    !weekend && !cal.holidays.contains(&date)
}

/// The name of the blackout period the date falls in, if any.
pub fn blackout_on(instance: &Instance, date: NaiveDate) -> Option<&str> {
    instance
        .calendar
        .periods
        .iter()
        .find(|p| p.kind == PeriodKind::Blackout && p.start <= date && date <= p.end)
        .map(|p| p.name.as_str())
}

/// Days of the horizon on which routine sweeps may happen (hard rule 1, less firms'
/// own closed dates), in order.
pub fn sweep_days(instance: &Instance) -> Vec<NaiveDate> {
    instance
        .horizon
        .days()
        .filter(|d| is_working_day(instance, *d) && blackout_on(instance, *d).is_none())
        .collect()
}

/// The largest boost of a focus period overlapping the horizon for this sector (0 if none).
pub fn focus_boost(instance: &Instance, sector: Sector) -> f64 {
    let h = instance.horizon;
    instance
        .calendar
        .periods
        .iter()
        .filter(|p| p.kind == PeriodKind::Focus && p.start <= h.end && h.start <= p.end)
        .filter(|p| p.sectors.is_empty() || p.sectors.contains(&sector))
        .map(|p| p.boost)
        .fold(0.0, f64::max)
}
