//! The experts' view: `/api/v1/me/...` answers for the calling expert only, from
//! published plans. Each day belongs to the newest published plan that covers it, so a
//! plan published again for a month replaces the old one's days.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::{Component, EventLike};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sweep_solver::model::{Clock, DueReason, Horizon};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Detail, JsonBody, read_json};
use crate::plans::{Solved, solved};

/// The experts' routes (behind the expert middleware).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/assignments", get(assignments))
        .route("/me/calendar.ics", get(calendar))
        .route("/me/assignments/{visit}/decline", post(decline))
}

/// `?month=YYYY-MM` (default: this month).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthQuery {
    month: Option<String>,
}

/// The calling expert's visits in a month.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Assignments {
    /// The expert's id.
    expert: String,
    /// `YYYY-MM`.
    month: String,
    /// Their visits in published plans, by day and time.
    assignments: Vec<Assignment>,
}

/// One visit of the calling expert.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Assignment {
    /// The visit's id: `<plan>-<enterprise>` (a firm is visited at most once in a plan).
    pub visit: String,
    /// The published plan.
    pub plan: i64,
    /// The day.
    pub date: NaiveDate,
    /// Arrival, start and end of the check (local time).
    pub arrive: Clock,
    /// Start of the check.
    pub start: Clock,
    /// End of the check.
    pub end: Clock,
    /// The firm.
    pub enterprise: Firm,
    /// The crew's id (`<date>/<officer>`).
    pub crew: String,
    /// The other experts of the crew.
    pub crew_mates: Vec<Person>,
    /// The crew's leader (组长), possibly the expert themselves; absent when the roster
    /// names none.
    pub lead: Option<Person>,
    /// The accompanying officer.
    pub officer: Person,
    /// Why the firm is checked.
    pub reason: DueReason,
    /// The expert's decline, if they declined.
    pub declined: Option<String>,
}

/// A firm as an expert needs it to get there.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Firm {
    /// Enterprise id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The registries keep no street address: the district and the coordinates (a phone's
    /// map opens them).
    pub address: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Sector.
    pub sector: String,
}

/// A crew mate or officer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Person {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

fn month_range(raw: Option<&str>) -> Result<Horizon, ApiError> {
    let month = match raw {
        Some(m) => m.to_string(),
        None => Utc::now().format("%Y-%m").to_string(),
    };
    sweep_registry::month_horizon(&month).map_err(|p| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_month", p.message.clone()).with_details(
            vec![Detail {
                value: Some(month.clone()),
                ..Detail::new("month", p.code, p.hint)
            }],
        )
    })
}

fn expert_of(caller: &Caller) -> &str {
    caller.subject.as_deref().unwrap_or_default()
}

/// The calling expert's visits on days in `range`, each day from the newest published
/// plan that covers it.
async fn visits_in(
    state: &AppState,
    expert: &str,
    range: Horizon,
) -> Result<Vec<Assignment>, ApiError> {
    let plans = state
        .store
        .published_overlapping(&range.start.to_string(), &range.end.to_string())
        .await?;
    let mut parsed: Vec<Arc<Solved>> = Vec::with_capacity(plans.len());
    for id in &plans {
        match solved(state, *id).await {
            Ok(plan) => parsed.push(plan),
            // One plan that cannot be read (a roster stored before rosters were checked to
            // read back) must not take every expert's month with it: it is skipped, logged,
            // and the days it covered fall to the next published plan.
            Err(e) if e.code() == crate::plans::CORRUPT_PLAN => {
                tracing::error!(
                    plan = id,
                    "a published plan cannot be read; the experts' view skips it"
                );
            }
            Err(e) => return Err(e),
        }
    }
    let owner = |date: NaiveDate| {
        parsed
            .iter()
            .find(|p| p.roster.horizon.start <= date && date <= p.roster.horizon.end)
            .map(|p| p.id)
    };
    let mut out = Vec::new();
    for plan in &parsed {
        let declines: HashMap<String, String> = state
            .store
            .declines(plan.id)
            .await?
            .into_iter()
            .filter(|d| d.expert == expert)
            .map(|d| (d.enterprise, d.reason))
            .collect();
        for crew in plan.roster.crews.iter().filter(|c| {
            c.date >= range.start && c.date <= range.end && c.experts.iter().any(|e| e == expert)
        }) {
            if owner(crew.date) != Some(plan.id) {
                continue;
            }
            let person = |id: &str, name: &str| Person {
                id: id.to_string(),
                name: name.to_string(),
            };
            let officer = person(&crew.officer, plan.officer_name(&crew.officer));
            let lead = crew.lead.as_deref().map(|e| person(e, plan.expert_name(e)));
            let mates: Vec<Person> = crew
                .experts
                .iter()
                .filter(|e| *e != expert)
                .map(|e| person(e, plan.expert_name(e)))
                .collect();
            for visit in &crew.visits {
                let Some(firm) = plan.firm(&visit.enterprise) else {
                    continue;
                };
                out.push(Assignment {
                    visit: format!("{}-{}", plan.id, visit.enterprise),
                    plan: plan.id,
                    date: crew.date,
                    arrive: visit.arrive,
                    start: visit.start,
                    end: visit.end,
                    enterprise: Firm {
                        id: firm.id.clone(),
                        name: firm.name.clone(),
                        address: format!(
                            "{} ({:.5}, {:.5})",
                            plan.district_name(&firm.district),
                            firm.location.lat,
                            firm.location.lon
                        ),
                        lat: firm.location.lat,
                        lon: firm.location.lon,
                        sector: firm.sector.to_string(),
                    },
                    crew: crew.id.clone(),
                    crew_mates: mates.clone(),
                    lead: lead.clone(),
                    officer: officer.clone(),
                    reason: visit.reason,
                    declined: declines.get(&visit.enterprise).cloned(),
                });
            }
        }
    }
    out.sort_by_key(|a| (a.date, a.start));
    Ok(out)
}

async fn assignments(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<MonthQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let range = month_range(query.month.as_deref())?;
    let visits = visits_in(&state, expert_of(&caller), range).await?;
    Ok(Json(Assignments {
        expert: expert_of(&caller).to_string(),
        month: range.start.format("%Y-%m").to_string(),
        assignments: visits,
    })
    .into_response())
}

/// Beijing time has been UTC+8 all year since 1991; events are written in UTC so every
/// calendar reads them right without a time-zone table.
fn beijing_to_utc(date: NaiveDate, clock: Clock) -> chrono::DateTime<Utc> {
    let local = NaiveDateTime::new(
        date,
        chrono::NaiveTime::from_hms_opt(clock.minutes() / 60, clock.minutes() % 60, 0)
            .unwrap_or_default(),
    );
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(8)))
}

/// `GET /api/v1/me/calendar.ics`: every published visit of the expert, as a calendar feed.
async fn calendar(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, ApiError> {
    let everything = Horizon {
        start: NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default(),
        end: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
    };
    let visits = visits_in(&state, expert_of(&caller), everything).await?;
    let mut calendar = icalendar::Calendar::new();
    calendar.name(&format!("专家查隐患 {}", expert_of(&caller)));
    for a in visits.iter().filter(|a| a.declined.is_none()) {
        let mates: Vec<&str> = a.crew_mates.iter().map(|m| m.name.as_str()).collect();
        let event = icalendar::Event::new()
            .uid(&format!("{}@hazard-sweep", a.visit))
            .summary(&format!("专家查隐患：{}", a.enterprise.name))
            .location(&a.enterprise.address)
            .description(&format!(
                "检查组 {}；组长 {}；执法人员 {}；同组专家 {}；原因 {}",
                a.crew,
                a.lead.as_ref().map_or("未定", |l| l.name.as_str()),
                a.officer.name,
                mates.join("、"),
                crate::export::reason(a.reason, crate::export::Language::Chinese)
            ))
            .starts(beijing_to_utc(a.date, a.start))
            .ends(beijing_to_utc(a.date, a.end))
            .done();
        calendar.push(event);
    }
    let body = calendar.done().to_string();
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response())
}

/// Longest reason for a decline (a sentence or two; the planner reads it in a list).
const MAX_REASON_CHARS: usize = 500;

/// A decline's body.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeclineRequest {
    /// Why the expert cannot go (at most 500 characters).
    #[schemars(length(min = 1, max = MAX_REASON_CHARS))]
    reason: String,
}

/// `POST /api/v1/me/assignments/{visit}/decline`: records that the expert cannot do a
/// visit; the planner sees it on the plan.
async fn decline(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(visit): Path<String>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    let request: DeclineRequest = read_json(body, "invalid_body")?;
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "give a reason for the decline",
        )
        .with_details(vec![Detail::new("reason", "E1102", "the reason is empty")]));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("a decline's reason is at most {MAX_REASON_CHARS} characters"),
        )
        .with_details(vec![Detail::new(
            "reason",
            "E1103",
            format!(
                "{} characters; shorten it to {MAX_REASON_CHARS}",
                reason.chars().count()
            ),
        )]));
    }
    let not_yours = || ApiError::not_found(format!("you have no assignment `{visit}`"));
    let (plan, enterprise) = visit
        .split_once('-')
        .and_then(|(p, e)| Some((p.parse::<i64>().ok()?, e.to_string())))
        .ok_or_else(not_yours)?;
    let expert = expert_of(&caller);
    // Only the expert's own visits in published plans exist for them; anything else is 404.
    if state
        .store
        .plan(plan)
        .await?
        .and_then(|p| p.published_at)
        .is_none()
    {
        return Err(not_yours());
    }
    let solved = solved(&state, plan).await?;
    let crew = solved
        .roster
        .crews
        .iter()
        .find(|c| {
            c.experts.iter().any(|e| e == expert)
                && c.visits.iter().any(|v| v.enterprise == enterprise)
        })
        .ok_or_else(not_yours)?;
    if crew.date < Utc::now().date_naive() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "visit_past",
            format!("the visit on {} has passed", crew.date),
        ));
    }
    // The visit must still be the expert's: a newer published plan covering its day
    // replaces this one's visits. Asked of the expert's own view, so that the two never
    // disagree on which plan holds a day.
    let day = Horizon {
        start: crew.date,
        end: crew.date,
    };
    if !visits_in(&state, expert, day)
        .await?
        .iter()
        .any(|a| a.visit == visit)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "plan_superseded",
            format!(
                "plan {plan} no longer holds {}: a newer published plan replaces its visits that day; see your assignments",
                crew.date
            ),
        ));
    }
    if !state
        .store
        .insert_decline(plan, &enterprise, expert, reason)
        .await?
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_declined",
            format!("you declined `{visit}` already"),
        ));
    }
    tracing::info!(plan, enterprise = %enterprise, expert, "visit declined");
    let recorded = DeclineRecorded {
        plan,
        enterprise,
        expert: expert.to_string(),
        reason: reason.to_string(),
        date: crew.date,
        visit,
    };
    Ok((StatusCode::CREATED, Json(recorded)).into_response())
}

/// A decline as recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct DeclineRecorded {
    /// The visit: `<plan>-<enterprise>`.
    visit: String,
    /// The plan.
    plan: i64,
    /// The firm.
    enterprise: String,
    /// The expert who declined.
    expert: String,
    /// Why.
    reason: String,
    /// The visit's day.
    date: NaiveDate,
}
