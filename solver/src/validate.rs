//! Semantic validation of an instance: references, ranges, and data the rules cannot use.
//!
//! Runs on every instance, whether it came from CSV registries or from JSON, and collects
//! every problem. Each problem has a stable code, the place (`enterprises[12].district`),
//! the offending value and what to do. Errors block a solve; warnings are reported.
//! Codes are listed in docs/codes.md; the CSV importer adds its own E10xx–E14xx codes
//! for problems it meets while parsing.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use chrono::NaiveDate;

use crate::model::{CITY_LEVEL, Instance, Location, Specialty};
use crate::requirements;

use crate::limits;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The instance cannot be planned as it is.
    Error,
    /// Planning works, but the planner should look.
    Warning,
}

/// Where in the instance a problem is: a section, a record's index and a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Top-level section, e.g. `enterprises`.
    pub section: &'static str,
    /// Index of the record in the section (none for single objects such as `policy`).
    pub index: Option<usize>,
    /// Field name, e.g. `district`.
    pub field: &'static str,
    /// Positions inside the field, outermost first: `[3, 7]` in
    /// `travel.matrix.minutes[3][7]`; empty for a whole field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subscripts: Vec<usize>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}[{i}].{}", self.section, self.field)?,
            None => write!(f, "{}.{}", self.section, self.field)?,
        }
        for i in &self.subscripts {
            write!(f, "[{i}]")?;
        }
        Ok(())
    }
}

/// One problem found in an instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Stable code, e.g. `E1201`.
    pub code: &'static str,
    /// Error or warning.
    pub level: Level,
    /// Where it is.
    pub place: Place,
    /// The offending value, as text.
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

struct Collector {
    problems: Vec<Problem>,
}

impl Collector {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: &'static str,
        level: Level,
        section: &'static str,
        index: Option<usize>,
        field: &'static str,
        value: impl ToString,
        message: String,
        hint: &str,
    ) {
        self.problems.push(Problem {
            code,
            level,
            place: Place {
                section,
                index,
                field,
                subscripts: Vec::new(),
            },
            value: value.to_string(),
            message,
            hint: hint.to_string(),
        });
    }

    /// A problem inside `travel.matrix`: `field` (`ids`, `minutes`, `km`) at `subscripts`.
    #[allow(clippy::too_many_arguments)]
    fn matrix(
        &mut self,
        code: &'static str,
        level: Level,
        field: &'static str,
        subscripts: Vec<usize>,
        value: impl ToString,
        message: String,
        hint: &str,
    ) {
        self.problems.push(Problem {
            code,
            level,
            place: Place {
                section: "travel.matrix",
                index: None,
                field,
                subscripts,
            },
            value: value.to_string(),
            message,
            hint: hint.to_string(),
        });
    }

    /// An id or name: not longer than `max` characters and without control characters
    /// (a newline in an id breaks CSV exports and HTTP headers alike).
    fn text(
        &mut self,
        section: &'static str,
        index: Option<usize>,
        field: &'static str,
        value: &str,
        max: usize,
    ) {
        let chars = value.chars().count();
        if chars > max || value.chars().any(char::is_control) {
            let shown: String = value.chars().take(40).collect();
            let why = if chars > max {
                format!("{chars} characters, more than {max}")
            } else {
                "a control character (newline, tab, ...)".to_string()
            };
            self.push(
                "E1103",
                Level::Error,
                section,
                index,
                field,
                shown,
                format!(
                    "{field} `{}` has {why}",
                    value.chars().take(40).collect::<String>().escape_debug()
                ),
                "shorten it and remove line breaks and tabs",
            );
        }
    }

    /// A date inside the years [`limits::YEARS`].
    fn date(
        &mut self,
        section: &'static str,
        index: Option<usize>,
        field: &'static str,
        date: NaiveDate,
    ) {
        use chrono::Datelike;
        if !limits::YEARS.contains(&date.year()) {
            self.push(
                "E1518",
                Level::Error,
                section,
                index,
                field,
                date,
                format!(
                    "the date {date} is outside {}–{}",
                    limits::YEARS.start(),
                    limits::YEARS.end()
                ),
                "give a date as YYYY-MM-DD between 1970 and 2100",
            );
        }
    }

    fn location(&mut self, section: &'static str, index: usize, field: &'static str, at: Location) {
        if !(at.lat.is_finite() && at.lon.is_finite() && at.in_china()) {
            self.push(
                "E1501",
                Level::Error,
                section,
                Some(index),
                field,
                format!("{},{}", at.lat, at.lon),
                format!("location ({}, {}) is outside China", at.lat, at.lon),
                "give WGS84 latitude (18–54) and longitude (73–136) in degrees; check for swapped lat/lon",
            );
        }
    }
}

/// Every problem in the instance, errors and warnings, in a stable order.
pub fn validate(instance: &Instance) -> Vec<Problem> {
    let mut c = Collector {
        problems: Vec::new(),
    };
    use Level::{Error, Warning};

    // Horizon and policy.
    let h = instance.horizon;
    let p = &instance.policy;
    {
        use chrono::Datelike;
        for (field, day) in [("start", h.start), ("end", h.end)] {
            if !limits::HORIZON_YEARS.contains(&day.year()) {
                c.push(
                    "E1518",
                    Error,
                    "horizon",
                    None,
                    field,
                    day,
                    format!(
                        "the horizon's {field} {day} is outside {}–{}",
                        limits::HORIZON_YEARS.start(),
                        limits::HORIZON_YEARS.end()
                    ),
                    "plan a month between 2000 and 2100",
                );
            }
        }
    }
    if h.end < h.start {
        c.push(
            "E1502",
            Error,
            "horizon",
            None,
            "end",
            h.end,
            format!(
                "the horizon ends ({}) before it starts ({})",
                h.end, h.start
            ),
            "give an end date on or after the start date",
        );
    } else if h.len_days() > p.max_horizon_days.min(limits::MAX_DAYS) as i64 {
        c.push(
            "E1502",
            Error,
            "horizon",
            None,
            "end",
            h.end,
            format!(
                "the horizon is {} days; at most {} are planned at once",
                h.len_days(),
                p.max_horizon_days.min(limits::MAX_DAYS)
            ),
            "plan one or two months at a time",
        );
    }
    if p.day_start >= p.day_end {
        c.push(
            "E1511",
            Error,
            "policy",
            None,
            "day_start",
            p.day_start,
            format!(
                "day_start {} is not before day_end {}",
                p.day_start, p.day_end
            ),
            "give a working day such as 08:00–18:00",
        );
    }
    let mut policy_range = |field: &'static str, value: String, ok: bool, message: &str| {
        if !ok {
            c.push(
                "E1510",
                Error,
                "policy",
                None,
                field,
                value,
                message.to_string(),
                "see docs/rules.md (Ranges) for the policy's ranges and defaults",
            );
        }
    };
    let days = 0..=limits::MAX_DAYS;
    let months = 1..=limits::MAX_MONTHS;
    policy_range(
        "min_team",
        p.min_team.to_string(),
        p.min_team >= 1 && p.min_team <= p.max_team,
        "min_team must be at least 1 and at most max_team",
    );
    policy_range(
        "max_team",
        p.max_team.to_string(),
        p.max_team <= 12,
        "max_team must be at most 12",
    );
    policy_range(
        "major_chemical_team",
        p.major_chemical_team.to_string(),
        p.major_chemical_team <= 12,
        "major_chemical_team must be 0–12 (it is capped at max_team)",
    );
    if let Some(b) = p.budget {
        policy_range(
            "budget.cny",
            format!("{:?}", b.cny),
            b.cny
                .is_none_or(|cny| (0.0..=limits::MAX_BUDGET_CNY).contains(&cny)),
            &format!(
                "budget.cny must be a number from 0 to {} CNY",
                limits::MAX_BUDGET_CNY
            ),
        );
        policy_range(
            "budget.expert_days",
            format!("{:?}", b.expert_days),
            b.expert_days
                .is_none_or(|days| days <= limits::MAX_BUDGET_DAYS),
            &format!("budget.expert_days must be 0–{}", limits::MAX_BUDGET_DAYS),
        );
        // Each city of a province or nation instance is planned on its own; a budget
        // would have to be shared between them, which is not decided here.
        policy_range(
            "budget",
            "set".into(),
            instance.districts.iter().all(|d| d.city.is_none()),
            "a budget is for a one-city plan; plan each city with its own budget",
        );
    }
    policy_range(
        "max_firms_per_officer",
        p.max_firms_per_officer.to_string(),
        (1..=limits::MAX_PORTFOLIO).contains(&p.max_firms_per_officer),
        &format!("max_firms_per_officer must be 1–{}", limits::MAX_PORTFOLIO),
    );
    policy_range(
        "cost_per_km",
        p.cost_per_km.to_string(),
        (0.0..=limits::MAX_COST_PER_KM).contains(&p.cost_per_km),
        &format!(
            "cost_per_km must be a number from 0 to {} CNY",
            limits::MAX_COST_PER_KM
        ),
    );
    policy_range(
        "rotation_months",
        p.rotation_months.to_string(),
        p.rotation_months <= limits::MAX_MONTHS,
        &format!("rotation_months must be 0–{}", limits::MAX_MONTHS),
    );
    policy_range(
        "random_share",
        p.random_share.to_string(),
        (0.0..=1.0).contains(&p.random_share),
        "random_share must be between 0 and 1",
    );
    let f = p.frequency_months;
    policy_range(
        "frequency_months",
        format!("{}/{}/{}", f.red, f.orange, f.yellow),
        [f.red, f.orange, f.yellow]
            .iter()
            .all(|m| months.contains(m)),
        &format!(
            "every sweep frequency must be 1–{} months",
            limits::MAX_MONTHS
        ),
    );
    let t = p.expert_max_days;
    policy_range(
        "expert_max_days",
        format!("{}/{}/{}", t.national, t.provincial, t.city),
        [t.national, t.provincial, t.city]
            .iter()
            .all(|d| days.contains(d)),
        &format!("expert_max_days must be 0–{} days", limits::MAX_DAYS),
    );
    policy_range(
        "officer_max_days",
        p.officer_max_days.to_string(),
        days.contains(&p.officer_max_days),
        &format!("officer_max_days must be 0–{} days", limits::MAX_DAYS),
    );
    let r = p.day_rates;
    policy_range(
        "day_rates",
        format!("{}/{}/{}", r.senior, r.associate_senior, r.intermediate),
        [r.senior, r.associate_senior, r.intermediate]
            .iter()
            .all(|rate| (0.0..=limits::MAX_DAY_RATE).contains(rate)),
        &format!(
            "every day rate must be a number from 0 to {} CNY",
            limits::MAX_DAY_RATE
        ),
    );
    policy_range(
        "max_horizon_days",
        p.max_horizon_days.to_string(),
        (1..=limits::MAX_DAYS).contains(&p.max_horizon_days),
        &format!("max_horizon_days must be 1–{}", limits::MAX_DAYS),
    );
    policy_range(
        "officer_max_days_per_week",
        p.officer_max_days_per_week.to_string(),
        (1..=7).contains(&p.officer_max_days_per_week),
        "officer_max_days_per_week must be 1–7",
    );
    policy_range(
        "officer_max_days_in_a_row",
        p.officer_max_days_in_a_row.to_string(),
        (1..=limits::MAX_DAYS).contains(&p.officer_max_days_in_a_row),
        &format!("officer_max_days_in_a_row must be 1–{}", limits::MAX_DAYS),
    );
    policy_range(
        "follow_up_within_days",
        p.follow_up_within_days.to_string(),
        (1..=limits::MAX_DAYS).contains(&p.follow_up_within_days),
        &format!("follow_up_within_days must be 1–{}", limits::MAX_DAYS),
    );
    policy_range(
        "default_hours",
        format!("{}-{}", p.default_hours.open, p.default_hours.close),
        p.default_hours.open < p.default_hours.close,
        "default opening must be before closing",
    );
    policy_range(
        "last_week_reserve",
        p.last_week_reserve.to_string(),
        (0.0..=limits::MAX_RESERVE).contains(&p.last_week_reserve),
        &format!(
            "last_week_reserve must be a share from 0 to {}",
            limits::MAX_RESERVE
        ),
    );
    let lunch = p.lunch_break;
    policy_range(
        "lunch_break",
        format!("{}-{} {} min", lunch.from, lunch.until, lunch.minutes),
        lunch.minutes == 0
            || (lunch.from < lunch.until
                && lunch.minutes <= lunch.until.minutes() - lunch.from.minutes()
                && lunch.minutes <= limits::MAX_LUNCH_MINUTES),
        &format!(
            "lunch_break must have from before until and minutes that fit between them (at most {}); minutes 0 means no break",
            limits::MAX_LUNCH_MINUTES
        ),
    );

    // Calendar.
    for (i, day) in instance.calendar.holidays.iter().enumerate() {
        c.date("calendar.holidays", Some(i), "date", *day);
    }
    for (i, day) in instance.calendar.extra_workdays.iter().enumerate() {
        c.date("calendar.extra_workdays", Some(i), "date", *day);
    }
    for (i, period) in instance.calendar.periods.iter().enumerate() {
        c.text(
            "calendar.periods",
            Some(i),
            "name",
            &period.name,
            limits::MAX_NAME_CHARS,
        );
        c.date("calendar.periods", Some(i), "start", period.start);
        c.date("calendar.periods", Some(i), "end", period.end);
        if period.end < period.start {
            c.push(
                "E1512",
                Error,
                "calendar.periods",
                Some(i),
                "end",
                period.end,
                format!("period {} ends before it starts", period.name),
                "swap or correct the dates",
            );
        }
        if !(0.0..=limits::MAX_BOOST).contains(&period.boost) {
            c.push(
                "E1512",
                Error,
                "calendar.periods",
                Some(i),
                "boost",
                period.boost,
                format!(
                    "period {} has a boost of {}, outside 0–{}",
                    period.name,
                    period.boost,
                    limits::MAX_BOOST
                ),
                "give a boost from 0 to 10, e.g. 0.5 for +50 %",
            );
        }
    }

    // The plan's own name.
    if instance.name.trim().is_empty() {
        c.push(
            "E1102",
            Error,
            "instance",
            None,
            "name",
            "",
            "the plan has no name".into(),
            "give the plan a name, e.g. cangzhou-2027-03",
        );
    }
    c.text(
        "instance",
        None,
        "name",
        &instance.name,
        limits::MAX_NAME_CHARS,
    );

    // Ids: present and unique.
    fn ids<'a>(
        c: &mut Collector,
        section: &'static str,
        items: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for (i, (id, name)) in items.enumerate() {
            if id.trim().is_empty() {
                c.push(
                    "E1102",
                    Level::Error,
                    section,
                    Some(i),
                    "id",
                    "",
                    "the id is empty".into(),
                    "give every record a unique id",
                );
            } else if !seen.insert(id) {
                c.push(
                    "E1101",
                    Level::Error,
                    section,
                    Some(i),
                    "id",
                    id,
                    format!("id `{id}` is used twice in {section}"),
                    "make ids unique",
                );
            }
            if name.trim().is_empty() {
                c.push(
                    "E1102",
                    Level::Error,
                    section,
                    Some(i),
                    "name",
                    "",
                    format!("`{id}` has no name"),
                    "give a name",
                );
            }
            c.text(section, Some(i), "id", id, limits::MAX_ID_CHARS);
            if name != id {
                c.text(section, Some(i), "name", name, limits::MAX_NAME_CHARS);
            }
        }
        seen
    }
    let districts = ids(
        &mut c,
        "districts",
        instance
            .districts
            .iter()
            .map(|d| (d.id.as_str(), d.name.as_str())),
    );
    ids(
        &mut c,
        "officers",
        instance
            .officers
            .iter()
            .map(|o| (o.id.as_str(), o.name.as_str())),
    );
    let experts = ids(
        &mut c,
        "experts",
        instance
            .experts
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str())),
    );
    let firms = ids(
        &mut c,
        "enterprises",
        instance
            .enterprises
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str())),
    );
    ids(
        &mut c,
        "findings",
        instance
            .findings
            .iter()
            .map(|f| (f.id.as_str(), f.id.as_str())),
    );

    for (i, d) in instance.districts.iter().enumerate() {
        c.location("districts", i, "base", d.base);
        if let Some(city) = &d.city {
            c.text("districts", Some(i), "city", city, limits::MAX_ID_CHARS);
        }
    }

    // Officers.
    for (i, o) in instance.officers.iter().enumerate() {
        if o.district != CITY_LEVEL && !districts.contains(o.district.as_str()) {
            c.push(
                "E1201",
                Error,
                "officers",
                Some(i),
                "district",
                &o.district,
                format!("officer {} names unknown district `{}`", o.id, o.district),
                "use a district id from districts, or `city`",
            );
        }
        match o.base {
            Some(base) => c.location("officers", i, "base", base),
            None if o.district == CITY_LEVEL => {
                c.push("E1503", Error, "officers", Some(i), "base", "", format!("city-level officer {} has no base", o.id), "give the officer's base location (a city officer has no district base to fall back on)");
            }
            None => {}
        }
        for day in &o.unavailable {
            c.date("officers", Some(i), "unavailable", *day);
        }
        if let Some(n) = o.max_days
            && n > limits::MAX_DAYS
        {
            c.push(
                "E1519",
                Error,
                "officers",
                Some(i),
                "max_days",
                n,
                format!(
                    "officer {} has max_days {n}, more than {}",
                    o.id,
                    limits::MAX_DAYS
                ),
                "give the most sweep days in the horizon, or leave empty for the policy default",
            );
        }
    }

    // Cities (multi-city instances): all districts or none name one; officers and experts
    // name only known cities; a city-level officer says which city.
    let district_city: HashMap<&str, Option<&str>> = instance
        .districts
        .iter()
        .map(|d| (d.id.as_str(), d.city.as_deref()))
        .collect();
    let cities: HashSet<&str> = instance
        .districts
        .iter()
        .filter_map(|d| d.city.as_deref())
        .collect();
    if !cities.is_empty() {
        for (i, d) in instance
            .districts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.city.is_none())
        {
            c.push(
                "E1517",
                Error,
                "districts",
                Some(i),
                "city",
                "",
                format!("district {} has no city while others do", d.id),
                "give every district its city, or none of them",
            );
        }
    }
    let known_city = |c: &mut Collector, section: &'static str, i: usize, id: &str, city: &str| {
        if cities.is_empty() {
            c.push(
                "E1517",
                Error,
                section,
                Some(i),
                "city",
                city,
                format!("{id} names city `{city}` but no district has a city"),
                "give the districts their cities, or leave this empty",
            );
        } else if !cities.contains(city) {
            c.push(
                "E1517",
                Error,
                section,
                Some(i),
                "city",
                city,
                format!("{id} names unknown city `{city}`"),
                "use a city named by a district",
            );
        }
    };
    for (i, o) in instance.officers.iter().enumerate() {
        match (&o.city, district_city.get(o.district.as_str())) {
            (Some(city), Some(Some(own))) if city != own => {
                c.push(
                    "E1517",
                    Error,
                    "officers",
                    Some(i),
                    "city",
                    city,
                    format!(
                        "officer {} of district {} names city `{city}`, the district is in {own}",
                        o.id, o.district
                    ),
                    "leave it empty: a district officer's city is the district's",
                );
            }
            (Some(city), _) => known_city(&mut c, "officers", i, &o.id, city),
            (None, _) if o.district == CITY_LEVEL && !cities.is_empty() => {
                c.push(
                    "E1517",
                    Error,
                    "officers",
                    Some(i),
                    "city",
                    "",
                    format!("city-level officer {} does not say which city", o.id),
                    "give the officer's city",
                );
            }
            (None, _) => {}
        }
    }
    for (i, e) in instance.experts.iter().enumerate() {
        if let Some(city) = &e.city {
            known_city(&mut c, "experts", i, &e.id, city);
        }
    }

    // Experts.
    let mut pool_specialties: HashSet<Specialty> = HashSet::new();
    for (i, e) in instance.experts.iter().enumerate() {
        if e.specialties.is_empty() {
            c.push(
                "E1504",
                Error,
                "experts",
                Some(i),
                "specialties",
                "",
                format!("expert {} has no specialty", e.id),
                "list at least one specialty, separated by `;`",
            );
        }
        pool_specialties.extend(e.specialties.iter().copied());
        c.location("experts", i, "home", e.home);
        if let Some(rate) = e.day_rate
            && !(0.0..=limits::MAX_DAY_RATE).contains(&rate)
        {
            c.push(
                "E1515",
                Error,
                "experts",
                Some(i),
                "day_rate",
                rate,
                format!(
                    "expert {}'s day rate {rate} is outside 0–{} CNY",
                    e.id,
                    limits::MAX_DAY_RATE
                ),
                "give CNY per person-day, or leave empty for the default by title",
            );
        }
        if let Some(n) = e.max_days
            && n > limits::MAX_DAYS
        {
            c.push(
                "E1519",
                Error,
                "experts",
                Some(i),
                "max_days",
                n,
                format!(
                    "expert {} has max_days {n}, more than {}",
                    e.id,
                    limits::MAX_DAYS
                ),
                "give the most sweep days in the horizon, or leave empty for the tier's default",
            );
        }
        c.date("experts", Some(i), "certified_until", e.certified_until);
        for day in &e.unavailable {
            c.date("experts", Some(i), "unavailable", *day);
        }
        for group in &e.avoid_groups {
            c.text(
                "experts",
                Some(i),
                "avoid_groups",
                group,
                limits::MAX_NAME_CHARS,
            );
        }
        if e.certified_until < h.start {
            c.push(
                "W2003",
                Warning,
                "experts",
                Some(i),
                "certified_until",
                e.certified_until,
                format!(
                    "expert {}'s certification ended on {}, before the horizon",
                    e.id, e.certified_until
                ),
                "renew the appointment or the expert will not be scheduled",
            );
        }
        for f in &e.avoid_enterprises {
            if !firms.contains(f.as_str()) {
                c.push(
                    "W2002",
                    Warning,
                    "experts",
                    Some(i),
                    "avoid_enterprises",
                    f,
                    format!("expert {} avoids unknown enterprise `{f}`", e.id),
                    "check the id; an avoidance of a firm outside this plan has no effect",
                );
            }
        }
    }

    // Enterprises.
    let officer_district: HashMap<&str, &str> = instance
        .officers
        .iter()
        .map(|o| (o.id.as_str(), o.district.as_str()))
        .collect();
    let mut portfolio: HashMap<&str, u32> = HashMap::new();
    for (i, f) in instance.enterprises.iter().enumerate() {
        if !districts.contains(f.district.as_str()) {
            c.push(
                "E1201",
                Error,
                "enterprises",
                Some(i),
                "district",
                &f.district,
                format!("{} names unknown district `{}`", f.id, f.district),
                "use a district id from districts",
            );
        }
        match officer_district.get(f.officer.as_str()) {
            None => c.push(
                "E1202",
                Error,
                "enterprises",
                Some(i),
                "officer",
                &f.officer,
                format!("{} names unknown officer `{}`", f.id, f.officer),
                "use an officer id from officers",
            ),
            Some(&d) if d != CITY_LEVEL && d != f.district => c.push(
                "E1516",
                Error,
                "enterprises",
                Some(i),
                "officer",
                &f.officer,
                format!(
                    "{}'s responsible officer {} works in district {d}, the firm is in {}",
                    f.id, f.officer, f.district
                ),
                "give a responsible officer of the firm's district or of city level",
            ),
            Some(_) => *portfolio.entry(f.officer.as_str()).or_default() += 1,
        }
        c.location("enterprises", i, "location", f.location);
        if f.major_hazard_level > 4 {
            c.push(
                "E1409",
                Error,
                "enterprises",
                Some(i),
                "major_hazard_level",
                f.major_hazard_level,
                format!(
                    "{}'s major hazard level {} is not 0–4",
                    f.id, f.major_hazard_level
                ),
                "give 0 (none) or 1 (highest) to 4",
            );
        }
        if let Some(g) = f.standardization
            && !(1..=3).contains(&g)
        {
            c.push(
                "E1410",
                Error,
                "enterprises",
                Some(i),
                "standardization",
                g,
                format!("{}'s standardisation grade {g} is not 1, 2 or 3", f.id),
                "give 1, 2, 3, or leave empty for ungraded",
            );
        }
        let req = requirements::derive(instance, f);
        let missing: Vec<&str> = req
            .specialties
            .iter()
            .filter(|s| !pool_specialties.contains(s))
            .map(|s| s.as_str())
            .collect();
        // A warning, not an error: one firm no expert can check must not block the whole
        // month; it is left unscheduled as `no_qualified_expert`, naming the specialty.
        if !missing.is_empty() {
            c.push(
                "W2005",
                Warning,
                "enterprises",
                Some(i),
                "required_specialties",
                missing.join(";"),
                format!(
                    "{} needs {}, which no expert in the pool has",
                    f.id,
                    missing.join(", ")
                ),
                "add an expert with that specialty or override required_specialties; until then the firm is left unscheduled",
            );
        }
        if req.hours.open >= req.hours.close
            || req.hours.close.minutes() - req.hours.open.minutes() < req.duration_min
        {
            c.push(
                "E1506",
                Error,
                "enterprises",
                Some(i),
                "hours",
                format!("{}-{}", req.hours.open, req.hours.close),
                format!(
                    "{}'s opening hours {}–{} leave no room for a {}-minute visit",
                    f.id, req.hours.open, req.hours.close, req.duration_min
                ),
                "widen the opening hours or override duration_min",
            );
        }
        let max_team = p.max_team;
        if let Some(size) = f.team_size
            && (size < p.min_team || size > max_team)
        {
            c.push(
                "E1507",
                Error,
                "enterprises",
                Some(i),
                "team_size",
                size,
                format!(
                    "{}'s team size {size} is outside {}–{max_team}",
                    f.id, p.min_team
                ),
                "give a team size within the policy's min_team and max_team",
            );
        } else if req.specialties.len() as u32 > max_team {
            c.push("E1507", Error, "enterprises", Some(i), "required_specialties", req.specialties.len(), format!("{} needs {} specialties, more than a crew of {max_team} can be guaranteed to cover", f.id, req.specialties.len()), "reduce the required specialties");
        }
        if f.duration_min == Some(0) {
            c.push(
                "E1506",
                Error,
                "enterprises",
                Some(i),
                "duration_min",
                0,
                format!("{} has a visit duration of 0 minutes", f.id),
                "give minutes on site, or leave empty for the default",
            );
        } else if let Some(minutes) = f.duration_min
            && minutes > limits::MAX_DURATION_MIN
        {
            c.push(
                "E1506",
                Error,
                "enterprises",
                Some(i),
                "duration_min",
                minutes,
                format!(
                    "{} has a visit duration of {minutes} minutes, more than {}",
                    f.id,
                    limits::MAX_DURATION_MIN
                ),
                "give minutes on site (a full day is 420)",
            );
        }
        if let Some(group) = &f.group {
            c.text(
                "enterprises",
                Some(i),
                "group",
                group,
                limits::MAX_NAME_CHARS,
            );
        }
        for day in &f.closed_dates {
            c.date("enterprises", Some(i), "closed_dates", *day);
        }
    }
    let mut heavy: Vec<(&&str, &u32)> = portfolio
        .iter()
        .filter(|(_, n)| **n > p.max_firms_per_officer)
        .collect();
    heavy.sort();
    for (officer, n) in heavy {
        let i = instance.officers.iter().position(|o| o.id == **officer);
        c.push(
            "W2001",
            Warning,
            "officers",
            i,
            "portfolio",
            n,
            format!(
                "officer {officer} is responsible for {n} firms, over the cap of {}",
                p.max_firms_per_officer
            ),
            "rebalance portfolios (`hazard-sweep portfolios`)",
        );
    }
    for (i, d) in instance.districts.iter().enumerate() {
        let served = instance
            .officers
            .iter()
            .any(|o| o.district == d.id || o.district == CITY_LEVEL);
        if !served {
            c.push(
                "W2004",
                Warning,
                "districts",
                Some(i),
                "id",
                &d.id,
                format!("no officer serves district {}", d.id),
                "add a district or city-level officer, or its firms cannot be visited",
            );
        }
    }

    // History and findings.
    for (i, r) in instance.history.iter().enumerate() {
        if !firms.contains(r.enterprise.as_str()) {
            c.push(
                "E1204",
                Error,
                "history",
                Some(i),
                "enterprise",
                &r.enterprise,
                format!("history names unknown enterprise `{}`", r.enterprise),
                "use an enterprise id from enterprises",
            );
        }
        for e in &r.experts {
            if !experts.contains(e.as_str()) {
                c.push(
                    "E1203",
                    Error,
                    "history",
                    Some(i),
                    "experts",
                    e,
                    format!("history names unknown expert `{e}`"),
                    "use an expert id from experts",
                );
            }
        }
        c.date("history", Some(i), "date", r.date);
        if r.date >= h.start {
            c.push(
                "E1514",
                Error,
                "history",
                Some(i),
                "date",
                r.date,
                format!(
                    "an inspection dated {} is not before the horizon start {}",
                    r.date, h.start
                ),
                "history holds past inspections only",
            );
        }
    }
    for (i, f) in instance.findings.iter().enumerate() {
        if !firms.contains(f.enterprise.as_str()) {
            c.push(
                "E1204",
                Error,
                "findings",
                Some(i),
                "enterprise",
                &f.enterprise,
                format!(
                    "finding {} names unknown enterprise `{}`",
                    f.id, f.enterprise
                ),
                "use an enterprise id from enterprises",
            );
        }
        c.date("findings", Some(i), "found_on", f.found_on);
        c.date("findings", Some(i), "deadline", f.deadline);
        if f.deadline < f.found_on {
            c.push(
                "E1508",
                Error,
                "findings",
                Some(i),
                "deadline",
                f.deadline,
                format!(
                    "finding {}'s deadline {} is before it was found ({})",
                    f.id, f.deadline, f.found_on
                ),
                "correct the dates",
            );
        }
    }

    // Road network.
    if let Some(net) = instance.travel.as_ref().and_then(|t| t.network.as_ref()) {
        if net.nodes.is_empty() {
            c.push(
                "E1513",
                Error,
                "travel.network",
                None,
                "nodes",
                0,
                "the road network has no nodes".into(),
                "give nodes and edges, or set travel to null for great-circle travel",
            );
        }
        let mut node_ids = HashSet::new();
        for (i, n) in net.nodes.iter().enumerate() {
            c.text(
                "travel.network.nodes",
                Some(i),
                "id",
                &n.id,
                limits::MAX_ID_CHARS,
            );
            if !node_ids.insert(n.id.as_str()) {
                c.push(
                    "E1101",
                    Error,
                    "travel.network.nodes",
                    Some(i),
                    "id",
                    &n.id,
                    format!("node id `{}` is used twice", n.id),
                    "make node ids unique",
                );
            }
            c.location(
                "travel.network.nodes",
                i,
                "lat",
                Location {
                    lat: n.lat,
                    lon: n.lon,
                },
            );
        }
        for (i, e) in net.edges.iter().enumerate() {
            for (field, end) in [("from", &e.from), ("to", &e.to)] {
                if !node_ids.contains(end.as_str()) {
                    c.push(
                        "E1513",
                        Error,
                        "travel.network.edges",
                        Some(i),
                        field,
                        end,
                        format!("edge {i} names unknown node `{end}`"),
                        "use node ids from travel.network.nodes",
                    );
                }
            }
            if !(e.km > 0.0 && e.km <= limits::MAX_EDGE_KM) {
                c.push(
                    "E1513",
                    Error,
                    "travel.network.edges",
                    Some(i),
                    "km",
                    e.km,
                    format!("edge {i} has length {} km", e.km),
                    "give a positive length in km, at most 2,000",
                );
            }
        }
    }
    if let Some(travel) = &instance.travel {
        if travel.network.is_some() && travel.matrix.is_some() {
            c.push(
                "E1524",
                Error,
                "travel",
                None,
                "matrix",
                "",
                "travel has both a network and a matrix; the matrix replaces the network".into(),
                "give travel.network or travel.matrix, not both (in a registry folder: road_nodes.csv and road_edges.csv, or matrix.csv)",
            );
        }
        if let Some(matrix) = &travel.matrix {
            travel_matrix(&mut c, instance, matrix);
        }
    }
    c.problems
}

/// Most out-of-range legs of a matrix listed one by one; one more problem counts the rest
/// (a 5,000-place matrix with a wrong unit in every cell would be 25 million problems).
const MAX_LEG_PROBLEMS: usize = 1000;

/// The checks of `travel.matrix`: its shape, its ids, its legs' ranges, and that every
/// place a plan needs (each firm, each officer's base) is listed.
fn travel_matrix(c: &mut Collector, instance: &Instance, matrix: &crate::model::Matrix) {
    use Level::{Error, Warning};
    let n = matrix.ids.len();

    // Ids: present, short, unique.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
    for (i, id) in matrix.ids.iter().enumerate() {
        if id.trim().is_empty() {
            c.matrix(
                "E1102",
                Error,
                "ids",
                vec![i],
                "",
                "a matrix id is empty".into(),
                "name each place by its enterprise, officer, district or expert id",
            );
            continue;
        }
        let chars = id.chars().count();
        if chars > limits::MAX_ID_CHARS || id.chars().any(char::is_control) {
            let shown: String = id.chars().take(40).collect();
            c.matrix(
                "E1103",
                Error,
                "ids",
                vec![i],
                &shown,
                format!(
                    "matrix id `{}` is over {} characters or holds a control character",
                    shown.escape_debug(),
                    limits::MAX_ID_CHARS
                ),
                "use the place's registry id",
            );
        }
        if let Some(first) = index.get(id.as_str()) {
            c.matrix(
                "E1521",
                Error,
                "ids",
                vec![i],
                id,
                format!("`{id}` is listed twice in the matrix (first as ids[{first}])"),
                "list each place once; its row and column hold all its legs",
            );
        } else {
            index.insert(id, i);
        }
    }

    // Shape: one row per id in each table, one entry per id in each row.
    for (field, rows) in [
        (
            "minutes",
            matrix.minutes.iter().map(Vec::len).collect::<Vec<_>>(),
        ),
        ("km", matrix.km.iter().map(Vec::len).collect::<Vec<_>>()),
    ] {
        if rows.len() != n {
            c.matrix(
                "E1520",
                Error,
                field,
                vec![],
                rows.len(),
                format!("travel.matrix.{field} has {} rows for {n} ids", rows.len()),
                "give one row per id, in the order of ids",
            );
        }
        for (i, len) in rows.iter().enumerate().filter(|(_, len)| **len != n) {
            c.matrix(
                "E1520",
                Error,
                field,
                vec![i],
                len,
                format!("row {i} of travel.matrix.{field} has {len} entries for {n} ids"),
                "give one entry per id, in the order of ids (the leg to itself is 0)",
            );
        }
    }

    // Legs in range.
    let mut out_of_range = 0usize;
    let mut leg_problem = |c: &mut Collector,
                           field: &'static str,
                           i: usize,
                           j: usize,
                           value: String,
                           what: String,
                           hint: &str| {
        out_of_range += 1;
        if out_of_range <= MAX_LEG_PROBLEMS {
            let (from, to) = (id_at(matrix, i), id_at(matrix, j));
            c.matrix(
                "E1523",
                Error,
                field,
                vec![i, j],
                value,
                format!("the leg from {from} to {to} {what}"),
                hint,
            );
        }
    };
    for (i, row) in matrix.minutes.iter().enumerate() {
        for (j, &minutes) in row.iter().enumerate() {
            if minutes > limits::MAX_LEG_MINUTES {
                leg_problem(
                    c,
                    "minutes",
                    i,
                    j,
                    minutes.to_string(),
                    format!(
                        "takes {minutes} minutes, more than {}",
                        limits::MAX_LEG_MINUTES
                    ),
                    "give whole minutes of driving, at most 1,440 (a day)",
                );
            }
        }
    }
    for (i, row) in matrix.km.iter().enumerate() {
        for (j, &km) in row.iter().enumerate() {
            if !(km.is_finite() && (0.0..=limits::MAX_LEG_KM).contains(&km)) {
                leg_problem(
                    c,
                    "km",
                    i,
                    j,
                    km.to_string(),
                    format!("is {km} km, outside 0–{}", limits::MAX_LEG_KM),
                    "give road km, from 0 to 2,000",
                );
            }
        }
    }
    if out_of_range > MAX_LEG_PROBLEMS {
        let rest = out_of_range - MAX_LEG_PROBLEMS;
        c.matrix(
            "E1523",
            Error,
            "km",
            vec![],
            rest,
            format!("{rest} more legs are out of range (the first {MAX_LEG_PROBLEMS} are listed)"),
            "check the units of the matrix: minutes and km",
        );
    }

    // Every id names one place: unique across the registries a place can come from.
    let mut named: HashMap<&str, &'static str> = HashMap::new();
    let registries: [(&'static str, Vec<&str>); 4] = [
        (
            "districts",
            instance.districts.iter().map(|d| d.id.as_str()).collect(),
        ),
        (
            "officers",
            instance.officers.iter().map(|o| o.id.as_str()).collect(),
        ),
        (
            "experts",
            instance.experts.iter().map(|e| e.id.as_str()).collect(),
        ),
        (
            "enterprises",
            instance.enterprises.iter().map(|f| f.id.as_str()).collect(),
        ),
    ];
    for (section, ids) in &registries {
        for (i, id) in ids.iter().enumerate() {
            match named.get(id) {
                Some(other) if other != section => c.push(
                    "E1525",
                    Error,
                    section,
                    Some(i),
                    "id",
                    id,
                    format!(
                        "`{id}` is an id in {other} and in {section}; the travel matrix could not tell the two places apart"
                    ),
                    "with a travel matrix, give districts, officers, experts and enterprises ids no other registry uses",
                ),
                Some(_) => {} // Twice in one registry: E1101.
                None => {
                    named.insert(id, section);
                }
            }
        }
    }

    // Every place a plan needs is listed: each firm and each officer's base (an officer's
    // own base by the officer id, else the district's base by the district id).
    let mut needed: Vec<(&str, String)> = instance
        .enterprises
        .iter()
        .map(|f| (f.id.as_str(), format!("enterprise {}", f.id)))
        .collect();
    let mut bases_seen = HashSet::new();
    for o in &instance.officers {
        let Some(base) = crate::travel::Place::officer_base(instance, o) else {
            continue; // No base at all: E1503 or E1201.
        };
        if bases_seen.insert(base.id) {
            let what = if base.id == o.id {
                format!("officer {}'s base", o.id)
            } else {
                format!(
                    "district {}'s base (where officer {} starts)",
                    base.id, o.id
                )
            };
            needed.push((base.id, what));
        }
    }
    for (id, what) in needed {
        if !index.contains_key(id) {
            c.matrix(
                "E1522",
                Error,
                "ids",
                vec![],
                id,
                format!("{what} is not in the travel matrix"),
                "list every enterprise and every officer's base (the officer id, or the district id for an officer without a base of their own) with its legs to and from every other place",
            );
        }
    }

    // Ids that name no place are left unused.
    let own_base: HashSet<&str> = instance
        .officers
        .iter()
        .filter(|o| o.base.is_some())
        .map(|o| o.id.as_str())
        .collect();
    for (i, id) in matrix.ids.iter().enumerate() {
        let message = match named.get(id.as_str()) {
            None if !id.trim().is_empty() => format!(
                "`{id}` names no enterprise, officer, district or expert; its legs are not used"
            ),
            Some(&"officers") if !own_base.contains(id.as_str()) => format!(
                "officer {id} has no base of their own (their crews start at their district's base); its legs are not used"
            ),
            _ => continue,
        };
        c.matrix(
            "W2006",
            Warning,
            "ids",
            vec![i],
            id,
            message,
            "check the id against the registries, or drop its row and column",
        );
    }
}

/// The id of row `i` of a matrix, or `#i` past its ids.
fn id_at(matrix: &crate::model::Matrix, i: usize) -> String {
    matrix
        .ids
        .get(i)
        .cloned()
        .unwrap_or_else(|| format!("#{i}"))
}

/// Whether any problem is an error.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.level == Level::Error)
}
