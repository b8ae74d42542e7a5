//! The documented range of every number, date and text in an instance (docs/rules.md,
//! "Ranges"). A value outside them is refused with a code before anything is derived from
//! it: a boost of 1e308 once overflowed the priority weights to infinity, which JSON
//! cannot carry, and the stored roster no longer read back.

/// Most CNY per km (`policy.cost_per_km`).
pub const MAX_COST_PER_KM: f64 = 100.0;
/// Largest budget of a plan, CNY (`policy.budget.cny`): a billion.
pub const MAX_BUDGET_CNY: f64 = 1e9;
/// Most expert-days a budget may give (`policy.budget.expert_days`).
pub const MAX_BUDGET_DAYS: u32 = 1_000_000;
/// Largest share of the last week's officers kept in reserve (`policy.last_week_reserve`).
pub const MAX_RESERVE: f64 = 0.9;
/// Longest lunch break, minutes (`policy.lunch_break.minutes`).
pub const MAX_LUNCH_MINUTES: u32 = 180;
/// Most CNY per person-day (`policy.day_rates.*`, `experts[].day_rate`).
pub const MAX_DAY_RATE: f64 = 10_000.0;
/// Largest focus-period boost (`calendar.periods[].boost`; 10 = +1,000 %).
pub const MAX_BOOST: f64 = 10.0;
/// Longest road edge, km.
pub const MAX_EDGE_KM: f64 = 2_000.0;
/// Longest leg of a travel matrix, km (`travel.matrix.km`): as long as the longest edge.
pub const MAX_LEG_KM: f64 = MAX_EDGE_KM;
/// Longest leg of a travel matrix, minutes (`travel.matrix.minutes`): a whole day, so
/// that a crew's day of legs and visits cannot overflow a clock.
pub const MAX_LEG_MINUTES: u32 = 1_440;
/// Most days of anything in a horizon (`max_days`, `officer_max_days`, `expert_max_days`,
/// `max_horizon_days`).
pub const MAX_DAYS: u32 = 366;
/// Most months of a frequency or rotation period (ten years).
pub const MAX_MONTHS: u32 = 120;
/// Largest officer portfolio cap (`max_firms_per_officer`).
pub const MAX_PORTFOLIO: u32 = 100_000;
/// Longest visit on site, minutes (`duration_min`): no visit outlasts a 12-hour day.
pub const MAX_DURATION_MIN: u32 = 720;
/// Longest id (districts, officers, experts, firms, findings, road nodes, groups, cities).
pub const MAX_ID_CHARS: usize = 64;
/// Longest name (of a record, a period, a plan).
pub const MAX_NAME_CHARS: usize = 200;
/// Earliest and latest year of any date in the registries.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;
/// Earliest and latest year of a horizon (and of a month to plan).
pub const HORIZON_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
