//! The roster: one solve's result, as CONTRACT.md names it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::instance::Horizon;
use super::values::{Clock, DueReason};

/// A plan's result: crews by day, what is due and what could not be placed, and KPIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Roster {
    /// The instance's name.
    pub plan: String,
    /// The instance's horizon.
    pub horizon: Horizon,
    /// One crew per officer and working day it goes out, ordered by date then officer.
    pub crews: Vec<Crew>,
    /// Every firm due in the horizon.
    pub due: Vec<DueFirm>,
    /// Due firms that are in no crew, each with the reason.
    pub unscheduled: Vec<Unscheduled>,
    /// Firms considered and left out of the due list, each with the reason.
    pub excluded: Vec<Excluded>,
    /// The auditable random draw.
    pub draw: Draw,
    /// Key figures, recomputable from the rest of the roster and the instance.
    pub kpis: Kpis,
    /// How the roster was made.
    pub solver: SolverInfo,
}

/// One officer and their experts on one day, with the ordered visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Crew {
    /// Stable id: `<date>/<officer>`.
    pub id: String,
    /// The day.
    pub date: NaiveDate,
    /// The accompanying officer.
    pub officer: String,
    /// The experts (2–5 by default).
    pub experts: Vec<String>,
    /// The team leader (组长): a member who reaches the highest lead tier of the day's
    /// firms (the solver prefers one holding the primary specialty of the day's most
    /// important firm). A roster made elsewhere may leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Departure from the officer's base.
    pub depart: Clock,
    /// Return to the officer's base.
    #[serde(rename = "return")]
    pub return_: Clock,
    /// Road km of the whole tour, base to base.
    pub distance_km: f64,
    /// The crew's rest times (its lunch break, `policy.lunch_break`): inside the day and
    /// never while driving; a break during a check makes the check end that much later.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
    /// Visits in order.
    pub visits: Vec<Visit>,
}

/// A rest time of a crew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Break {
    /// Start of the break.
    pub start: Clock,
    /// End of the break.
    pub end: Clock,
}

/// One firm checked by a crew.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Visit {
    /// Enterprise id.
    pub enterprise: String,
    /// Arrival at the firm.
    pub arrive: Clock,
    /// Start of the check (inside opening hours).
    pub start: Clock,
    /// End of the check (by closing time).
    pub end: Clock,
    /// Minutes from the previous stop (the base for the first visit).
    pub travel_min: u32,
    /// Km from the previous stop.
    pub distance_km: f64,
    /// Why the firm is visited.
    pub reason: DueReason,
}

/// A firm on the due list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DueFirm {
    /// Enterprise id.
    pub enterprise: String,
    /// Follow-ups and overdue firms are mandatory.
    pub mandatory: bool,
    /// Priority weight in the objective.
    pub weight: f64,
    /// Why it is due.
    pub reason: DueReason,
}

/// A due firm that no crew visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unscheduled {
    /// Enterprise id.
    pub enterprise: String,
    /// Whether the firm was mandatory.
    pub mandatory: bool,
    /// Stable reason code (see docs/codes.md).
    pub code: String,
    /// A sentence naming the constraint that stopped it.
    pub message: String,
}

/// A firm left out of the due list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Excluded {
    /// Enterprise id.
    pub enterprise: String,
    /// `annual_cap`, `closed` or `blacklisted`.
    pub code: String,
    /// A sentence with the reason.
    pub message: String,
}

/// The record of the random draw, enough to repeat it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Draw {
    /// Seed of the draw.
    pub seed: u64,
    /// Number of eligible firms drawn from.
    pub pool: u32,
    /// Drawn enterprise ids, in draw order.
    pub drawn: Vec<String>,
    /// How the draw was made.
    pub method: String,
}

/// Key figures of a roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Kpis {
    /// Due firms.
    pub due: u32,
    /// Mandatory due firms.
    pub mandatory_due: u32,
    /// Scheduled visits.
    pub scheduled: u32,
    /// Scheduled mandatory visits.
    pub mandatory_scheduled: u32,
    /// Scheduled priority weight over due priority weight (0–1).
    pub weighted_coverage: f64,
    /// Expert person-days.
    pub expert_days: u32,
    /// Expert day rates plus km × cost per km.
    pub cost_cny: f64,
    /// Road km of all crews.
    pub distance_km: f64,
    /// Population standard deviation of expert utilisation (days used / max days).
    pub workload_spread: f64,
    /// Proven upper bound on weighted coverage, where the solver computes one: of every
    /// roster, or, for a month closed exactly, of every roster that schedules as many
    /// mandatory visits as this one (none schedules more; docs/rules.md "The bound").
    #[serde(default)]
    pub bound: Option<f64>,
    /// `bound - weighted_coverage`, where a bound is known.
    #[serde(default)]
    pub gap: Option<f64>,
    /// The objective's value term by term (docs/rules.md "The objective"): the mandatory
    /// visits, the priority weight visited, each soft term in CNY-equivalents and their
    /// sum `search_cost`, where the solver gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<BTreeMap<String, f64>>,
    /// The plan's budget, what the roster used of it and what ten per cent more would
    /// buy, when the policy sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<BudgetUse>,
}

/// A roster against its policy's budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetUse {
    /// The budget, CNY (none: no CNY limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cny: Option<f64>,
    /// The budget, expert person-days (none: no limit on them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expert_days: Option<u32>,
    /// CNY used (`kpis.cost_cny`).
    pub used_cny: f64,
    /// Expert person-days used (`kpis.expert_days`).
    pub used_expert_days: u32,
    /// What a budget ten per cent larger would buy, found by placing the firms left out
    /// into this roster, most important first, within it: a floor on what it buys.
    pub next_10_percent: NextTenPercent,
}

/// What ten per cent more budget would buy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NextTenPercent {
    /// Due firms it would add, in the order placed.
    pub enterprises: Vec<String>,
    /// Mandatory visits among them.
    pub mandatory: u32,
    /// Weighted coverage with them (0–1).
    pub weighted_coverage: f64,
    /// What it would add, CNY.
    pub cny: f64,
    /// What it would add, expert person-days.
    pub expert_days: u32,
}

/// How the roster was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SolverInfo {
    /// `sweep-solver` version.
    pub version: String,
    /// Seed used.
    pub seed: u64,
    /// Worker threads.
    pub threads: u32,
    /// Wall-clock seconds of the solve.
    pub seconds: f64,
    /// The algorithm that made the roster.
    pub algorithm: String,
    /// The time limit given, seconds.
    #[serde(default)]
    pub time_limit: Option<f64>,
    /// Improvement iterations each worker ran; with the same seed and thread count, this
    /// number as the iteration cap repeats the roster exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<u64>,
}
