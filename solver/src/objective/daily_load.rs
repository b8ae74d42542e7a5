//! Daily load: the month's crews spread over its sweep days. A roster pays
//! [`CNY_PER_CREW_SQUARED`] × (crews on the day)² for each sweep day of each city, so a
//! crew on a day that already has `c` costs (2c + 1) × that: the fifth crew of a quiet
//! day 90, the sixteenth of a crowded one 310. A bureau can then absorb an urgent
//! inspection on any day, and no week is left empty after the first weeks took it all.
//!
//! The one soft term that is not a crew-day's own: it is priced on the whole roster
//! ([`price`]), and a move that opens a crew by what the crew adds ([`added`]).

/// `kpis.objective` name.
pub const NAME: &str = "daily_load";

/// CNY-equivalent per crew² of one sweep day.
pub const CNY_PER_CREW_SQUARED: f64 = 10.0;

/// The term for crews given by their (city, sweep day): the sum over each city's days of
/// [`CNY_PER_CREW_SQUARED`] × crews².
pub fn price<K: Ord>(crew_days: impl IntoIterator<Item = K>) -> f64 {
    let mut counts = std::collections::BTreeMap::<K, u64>::new();
    for key in crew_days {
        *counts.entry(key).or_default() += 1;
    }
    counts
        .values()
        .map(|&c| CNY_PER_CREW_SQUARED * (c * c) as f64)
        .sum()
}

/// What one more crew adds on a day that has `crews` of its city already.
pub fn added(crews: usize) -> f64 {
    CNY_PER_CREW_SQUARED * (2 * crews + 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_days_cost_more_than_the_same_crews_spread_out() {
        // Four crews: all on one day, or two and two.
        assert_eq!(price([0, 0, 0, 0]), 160.0);
        assert_eq!(price([0, 0, 1, 1]), 80.0);
        // What a crew adds is the difference.
        assert_eq!(price([0, 0, 0]) + added(3), price([0, 0, 0, 0]));
    }
}
