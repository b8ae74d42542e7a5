//! The plan instance: everything one solve needs, as CONTRACT.md names it.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::values::{
    Clock, InspectionKind, Location, PeriodKind, Process, Risk, RoadClass, Sector, Severity,
    Specialty, Tier, Title,
};

/// One plan's input: registries, calendar, policy and travel data for a horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Instance {
    /// The plan's name, e.g. `cangzhou-2027-03`.
    pub name: String,
    /// The days the plan covers (inclusive).
    pub horizon: Horizon,
    /// Holidays, extra working days and named periods.
    #[serde(default)]
    pub calendar: Calendar,
    /// Policy values; absent or `null` fields take the DOMAIN.md defaults.
    #[serde(default)]
    pub policy: Policy,
    /// County-level divisions with their bureau base.
    pub districts: Vec<District>,
    /// Enforcement officers.
    pub officers: Vec<Officer>,
    /// Certified safety experts.
    pub experts: Vec<Expert>,
    /// Registered enterprises (firms).
    pub enterprises: Vec<Enterprise>,
    /// Past inspections.
    #[serde(default)]
    pub history: Vec<Inspection>,
    /// Hazards found by past visits.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The road network; `null` means great-circle travel.
    #[serde(default)]
    pub travel: Option<Travel>,
}

/// An inclusive range of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Horizon {
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
}

impl Horizon {
    /// Every date of the horizon in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(move |d| *d <= self.end)
    }

    /// Whether the date lies inside the horizon.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Number of days, inclusive; zero when `end < start`.
    pub fn len_days(&self) -> i64 {
        ((self.end - self.start).num_days() + 1).max(0)
    }
}

/// Public holidays, adjusted working days and named periods.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Calendar {
    /// Days off although they fall on Monday–Friday.
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// Working days although they fall on a weekend (调休).
    #[serde(default)]
    pub extra_workdays: Vec<NaiveDate>,
    /// Blackout and focus periods.
    #[serde(default)]
    pub periods: Vec<Period>,
}

/// A named period of the calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    /// Name shown to planners, e.g. `两会`.
    pub name: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// `blackout`: no routine sweeps; `focus`: listed sectors get a priority boost.
    pub kind: PeriodKind,
    /// Sectors a focus period boosts (empty: all sectors).
    #[serde(default)]
    pub sectors: Vec<Sector>,
    /// Relative priority boost of a focus period (0.5 = +50 %).
    #[serde(default)]
    pub boost: f64,
}

/// Days-per-horizon limits by expert tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TierDays {
    /// National experts.
    pub national: u32,
    /// Provincial experts.
    pub provincial: u32,
    /// City experts.
    pub city: u32,
}

/// What a plan may spend in its horizon: expert fees and vehicle km in CNY (the reported
/// `cost_cny`), and expert person-days; either, both or neither.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Budget {
    /// Most CNY: day rates plus km × `cost_per_km`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cny: Option<f64>,
    /// Most expert person-days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expert_days: Option<u32>,
}

/// Day rates by title, CNY per person-day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TitleRates {
    /// Senior title.
    pub senior: f64,
    /// Associate-senior title.
    pub associate_senior: f64,
    /// Intermediate title.
    pub intermediate: f64,
}

/// Expert-sweep frequency by risk grade, in months (blue firms only through the draw).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrequencyMonths {
    /// Red firms.
    pub red: u32,
    /// Orange firms.
    pub orange: u32,
    /// Yellow firms.
    pub yellow: u32,
}

/// Opening hours of a firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Hours {
    /// Opening time.
    pub open: Clock,
    /// Closing time.
    pub close: Clock,
}

/// A bureau's policy values for one plan. Every field has the DOMAIN.md default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(from = "PolicyInput")]
pub struct Policy {
    /// Seed of the random draw and of the solver's tie-breaking.
    pub seed: u64,
    /// Earliest departure from the officer's base.
    pub day_start: Clock,
    /// Latest return to the officer's base.
    pub day_end: Clock,
    /// Fewest experts in a crew.
    pub min_team: u32,
    /// Most experts in a crew.
    pub max_team: u32,
    /// Most firms in one officer's portfolio.
    pub max_firms_per_officer: u32,
    /// Vehicle cost, CNY per km.
    pub cost_per_km: f64,
    /// An expert should not re-check a firm they checked within this many months.
    pub rotation_months: u32,
    /// Share (0–1) of the remaining eligible firms drawn at random each plan.
    pub random_share: f64,
    /// Expert-sweep frequency by risk grade.
    pub frequency_months: FrequencyMonths,
    /// Default expert `max_days` in the horizon, by tier.
    pub expert_max_days: TierDays,
    /// Default officer `max_days` in the horizon.
    pub officer_max_days: u32,
    /// Default expert day rate by title.
    pub day_rates: TitleRates,
    /// Opening hours of firms that give none.
    pub default_hours: Hours,
    /// Longest horizon accepted, days.
    pub max_horizon_days: u32,
    /// A re-check goes on one of the first this many sweep days on or after its
    /// rectification deadline (of the horizon, when the deadline had passed before it);
    /// each sweep day later costs `follow_up_timing` (soft).
    pub follow_up_within_days: u32,
    /// A re-check of an unrectified major finding is not stopped by the annual cap.
    pub cap_spares_major_follow_ups: bool,
    /// Most sweep days an officer goes out in one calendar week (Monday to Sunday).
    pub officer_max_days_per_week: u32,
    /// Most sweep days in a row an officer goes out.
    pub officer_max_days_in_a_row: u32,
    /// Every expert in a crew holds at least one specialty some visit of the crew-day
    /// requires (every expert earns their seat); `false` lets headcount come from anyone.
    pub experts_cover_a_specialty: bool,
    /// Least team for a hazardous-chemicals firm with a key process or a level-1/2 major
    /// hazard source, unless the firm gives its own `team_size`.
    pub major_chemical_team: u32,
    /// Such a firm needs safety management besides the sector's specialties, unless the
    /// firm gives its own `required_specialties`.
    pub major_chemical_safety_management: bool,
    /// What the plan may spend (none: no limit); the roster maximises coverage within it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// The crews' lunch break (`minutes` 0: none).
    pub lunch_break: LunchBreak,
    /// Share (0–0.9) of the officers on duty kept free on each sweep day of the horizon's
    /// last seven days, for re-planning (0: none).
    pub last_week_reserve: f64,
}

/// A crew whose day spans the lunch window takes `minutes` of rest inside it, unless it
/// can eat at its base: it leaves `minutes` after the window opens or later, or is back
/// `minutes` before it closes or sooner. The break is never taken while driving; taken
/// during a check, the check ends that much later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LunchBreak {
    /// The window opens (default 11:30).
    pub from: Clock,
    /// The window closes (default 13:30).
    pub until: Clock,
    /// Minutes of rest (default 60; 0: no break).
    pub minutes: u32,
}

impl Default for LunchBreak {
    fn default() -> LunchBreak {
        LunchBreak {
            from: Clock::hm(11, 30),
            until: Clock::hm(13, 30),
            minutes: 60,
        }
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy::from(PolicyInput::default())
    }
}

/// The policy as read: any field may be absent or `null`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default)]
struct PolicyInput {
    seed: Option<u64>,
    day_start: Option<Clock>,
    day_end: Option<Clock>,
    min_team: Option<u32>,
    max_team: Option<u32>,
    max_firms_per_officer: Option<u32>,
    cost_per_km: Option<f64>,
    rotation_months: Option<u32>,
    random_share: Option<f64>,
    frequency_months: Option<FrequencyMonths>,
    expert_max_days: Option<TierDays>,
    officer_max_days: Option<u32>,
    day_rates: Option<TitleRates>,
    default_hours: Option<Hours>,
    max_horizon_days: Option<u32>,
    follow_up_within_days: Option<u32>,
    cap_spares_major_follow_ups: Option<bool>,
    officer_max_days_per_week: Option<u32>,
    officer_max_days_in_a_row: Option<u32>,
    experts_cover_a_specialty: Option<bool>,
    major_chemical_team: Option<u32>,
    major_chemical_safety_management: Option<bool>,
    budget: Option<Budget>,
    lunch_break: Option<LunchBreak>,
    last_week_reserve: Option<f64>,
}

impl From<PolicyInput> for Policy {
    fn from(p: PolicyInput) -> Policy {
        Policy {
            seed: p.seed.unwrap_or(0),
            day_start: p.day_start.unwrap_or(Clock::hm(8, 0)),
            day_end: p.day_end.unwrap_or(Clock::hm(18, 0)),
            min_team: p.min_team.unwrap_or(2),
            max_team: p.max_team.unwrap_or(5),
            max_firms_per_officer: p.max_firms_per_officer.unwrap_or(443),
            cost_per_km: p.cost_per_km.unwrap_or(1.2),
            rotation_months: p.rotation_months.unwrap_or(12),
            random_share: p.random_share.unwrap_or(0.01),
            frequency_months: p.frequency_months.unwrap_or(FrequencyMonths {
                red: 3,
                orange: 6,
                yellow: 12,
            }),
            expert_max_days: p.expert_max_days.unwrap_or(TierDays {
                national: 2,
                provincial: 4,
                city: 8,
            }),
            officer_max_days: p.officer_max_days.unwrap_or(16),
            day_rates: p.day_rates.unwrap_or(TitleRates {
                senior: 800.0,
                associate_senior: 700.0,
                intermediate: 600.0,
            }),
            default_hours: p.default_hours.unwrap_or(Hours {
                open: Clock::hm(8, 30),
                close: Clock::hm(17, 30),
            }),
            max_horizon_days: p.max_horizon_days.unwrap_or(62),
            follow_up_within_days: p.follow_up_within_days.unwrap_or(5),
            cap_spares_major_follow_ups: p.cap_spares_major_follow_ups.unwrap_or(true),
            officer_max_days_per_week: p.officer_max_days_per_week.unwrap_or(4),
            officer_max_days_in_a_row: p.officer_max_days_in_a_row.unwrap_or(4),
            experts_cover_a_specialty: p.experts_cover_a_specialty.unwrap_or(true),
            major_chemical_team: p.major_chemical_team.unwrap_or(4),
            major_chemical_safety_management: p.major_chemical_safety_management.unwrap_or(true),
            budget: p
                .budget
                .filter(|b| b.cny.is_some() || b.expert_days.is_some()),
            lunch_break: p.lunch_break.unwrap_or_default(),
            last_week_reserve: p.last_week_reserve.unwrap_or(0.0),
        }
    }
}

/// A county-level division and its bureau.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct District {
    /// Stable id.
    pub id: String,
    /// Name, e.g. `黄骅市`.
    pub name: String,
    /// The district bureau, where district officers' crews start and end.
    pub base: Location,
    /// The city (prefecture) the district belongs to, in a province or nation instance.
    /// Either every district names one or none does; with cities, each city is planned
    /// on its own and only experts without a city are shared between them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

/// The district an officer works in: one district id, or `city` for anywhere.
pub const CITY_LEVEL: &str = "city";

/// An enforcement officer; every crew is led by one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Officer {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// District id, or `city` for a city-level officer who may go anywhere.
    pub district: String,
    /// Where crews start and end; default the district's base (required for `city`).
    #[serde(default)]
    pub base: Option<Location>,
    /// Days the officer is not available.
    #[serde(default)]
    pub unavailable: Vec<NaiveDate>,
    /// Most crew-days in the horizon; default `policy.officer_max_days`.
    #[serde(default)]
    pub max_days: Option<u32>,
    /// In an instance with cities: the city of a `city`-level officer, who then works
    /// anywhere in that city (a district officer's city is their district's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

/// A certified safety expert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Expert {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Pool the expert belongs to.
    pub tier: Tier,
    /// Professional title (sets the default day rate).
    pub title: Title,
    /// Specialties (at least one).
    pub specialties: Vec<Specialty>,
    /// Last day of the expert's appointment.
    pub certified_until: NaiveDate,
    /// Home location.
    pub home: Location,
    /// Days the expert is not available.
    #[serde(default)]
    pub unavailable: Vec<NaiveDate>,
    /// Most days in the horizon; default by tier from the policy.
    #[serde(default)]
    pub max_days: Option<u32>,
    /// CNY per person-day; default by title from the policy.
    #[serde(default)]
    pub day_rate: Option<f64>,
    /// Enterprises the expert must not check (回避).
    #[serde(default)]
    pub avoid_enterprises: Vec<String>,
    /// Enterprise groups the expert must not check.
    #[serde(default)]
    pub avoid_groups: Vec<String>,
    /// In an instance with cities: the city whose pool the expert belongs to; the expert
    /// works only there. Experts without a city (typically provincial and national) are
    /// shared between the cities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

/// A registered enterprise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Enterprise {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// District id.
    pub district: String,
    /// Site location.
    pub location: Location,
    /// Corporate group, for avoidance.
    #[serde(default)]
    pub group: Option<String>,
    /// Industry sector.
    pub sector: Sector,
    /// Four-colour risk grade.
    pub risk: Risk,
    /// Major hazard source level: 0 none, 1 (highest) to 4.
    #[serde(default)]
    pub major_hazard_level: u8,
    /// Key hazardous processes in use.
    #[serde(default)]
    pub processes: Vec<Process>,
    /// Safety standardisation grade 1, 2, 3 or `null` (ungraded).
    #[serde(default)]
    pub standardization: Option<u8>,
    /// Under enforcement this month: not swept by experts.
    #[serde(default)]
    pub blacklisted: bool,
    /// Responsible officer id.
    pub officer: String,
    /// Opening hours; default `policy.default_hours`.
    #[serde(default)]
    pub hours: Option<Hours>,
    /// Dates the firm is closed.
    #[serde(default)]
    pub closed_dates: Vec<NaiveDate>,
    /// Override: specialties the crew must cover.
    #[serde(default)]
    pub required_specialties: Option<Vec<Specialty>>,
    /// Override: minimum tier of the crew's highest-tier expert.
    #[serde(default)]
    pub min_tier: Option<Tier>,
    /// Override: number of experts.
    #[serde(default)]
    pub team_size: Option<u32>,
    /// Override: minutes on site.
    #[serde(default)]
    pub duration_min: Option<u32>,
}

/// A past inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Inspection {
    /// Enterprise id.
    pub enterprise: String,
    /// Date of the inspection.
    pub date: NaiveDate,
    /// Experts who took part.
    #[serde(default)]
    pub experts: Vec<String>,
    /// Expert sweep or officers' enforcement.
    pub kind: InspectionKind,
}

/// A hazard found by a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable id.
    pub id: String,
    /// Enterprise id.
    pub enterprise: String,
    /// Major or general hazard.
    pub severity: Severity,
    /// Date found.
    pub found_on: NaiveDate,
    /// Rectification deadline.
    pub deadline: NaiveDate,
    /// Whether rectification has been confirmed.
    pub rectified: bool,
}

/// Travel data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Travel {
    /// A road network; `null`: great-circle × 1.3 at 50 km/h.
    #[serde(default)]
    pub network: Option<Network>,
    /// Legs given place by place; replaces the network (giving both is the error E1524).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Matrix>,
}

/// Travel legs between named places, as the bureau measured or bought them.
///
/// A place is named by the id of its record: an enterprise id for the firm, an officer id
/// for that officer's own base, a district id for the district's base, an expert id for
/// the expert's home. `minutes[i][j]` and `km[i][j]` are the leg from `ids[i]` to
/// `ids[j]`, used as given (km rounded to 0.01 like every leg).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Matrix {
    /// The places, one per row and column.
    pub ids: Vec<String>,
    /// Whole minutes of each leg, `minutes[from][to]`.
    pub minutes: Vec<Vec<u32>>,
    /// Km of each leg, `km[from][to]`.
    pub km: Vec<Vec<f64>>,
}

/// A road network; edges are two-way.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Network {
    /// Junctions.
    pub nodes: Vec<Node>,
    /// Road segments.
    pub edges: Vec<Edge>,
}

/// A road junction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Node {
    /// Stable id.
    pub id: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// A two-way road segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Edge {
    /// Node id at one end.
    pub from: String,
    /// Node id at the other end.
    pub to: String,
    /// Length, km.
    pub km: f64,
    /// Speed class.
    pub class: RoadClass,
}

impl Instance {
    /// The expert's `max_days`, or the policy default for their tier.
    pub fn expert_max_days(&self, expert: &Expert) -> u32 {
        expert.max_days.unwrap_or(match expert.tier {
            Tier::National => self.policy.expert_max_days.national,
            Tier::Provincial => self.policy.expert_max_days.provincial,
            Tier::City => self.policy.expert_max_days.city,
        })
    }

    /// The expert's day rate, or the policy default for their title.
    pub fn expert_day_rate(&self, expert: &Expert) -> f64 {
        expert.day_rate.unwrap_or(match expert.title {
            Title::Senior => self.policy.day_rates.senior,
            Title::AssociateSenior => self.policy.day_rates.associate_senior,
            Title::Intermediate => self.policy.day_rates.intermediate,
        })
    }

    /// The officer's `max_days`, or the policy default.
    pub fn officer_max_days(&self, officer: &Officer) -> u32 {
        officer.max_days.unwrap_or(self.policy.officer_max_days)
    }

    /// Where the officer's crews start and end: their own base, else their district's.
    pub fn officer_base(&self, officer: &Officer) -> Option<Location> {
        officer.base.or_else(|| {
            self.districts
                .iter()
                .find(|d| d.id == officer.district)
                .map(|d| d.base)
        })
    }

    /// The firm's opening hours, or the policy default.
    pub fn hours(&self, enterprise: &Enterprise) -> Hours {
        enterprise.hours.unwrap_or(self.policy.default_hours)
    }
}
