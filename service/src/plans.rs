//! Plans: create one (a solve job that runs off the async runtime), follow its progress,
//! fetch its roster and the exact instance it was solved from.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sweep_solver::model::Instance;
use sweep_solver::{Level, Progress, SolveOptions, solve, validate};

use crate::AppState;
use crate::error::{ApiError, Detail};
use crate::store::{NewPlan, PlanStatus, PlanSummary};

/// Default improvement iterations per thread (as the command line's).
const DEFAULT_ITERATIONS: usize = 1000;
/// Most solver threads a request may ask for.
const MAX_THREADS: usize = 64;

/// `POST /api/v1/plans`: the stateless "solve this" form, with the instance inline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreatePlan {
    /// The plan instance (CONTRACT.md).
    instance: serde_json::Value,
    /// Solver threads (default 1).
    #[serde(default)]
    threads: Option<usize>,
    /// Improvement iterations per thread (default 1000).
    #[serde(default)]
    iterations: Option<usize>,
    /// Stop after this many seconds with the best roster so far.
    #[serde(default)]
    time_limit: Option<f64>,
    /// Seed of the draw and the search (overrides the instance's policy).
    #[serde(default)]
    seed: Option<u64>,
}

/// Live progress of running plans (the store keeps only finished figures).
#[derive(Default)]
pub struct Running {
    progress: Mutex<HashMap<i64, Live>>,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Live {
    considered: usize,
    total: usize,
    scheduled: usize,
    coverage: f64,
    bound: Option<f64>,
    elapsed: f64,
}

/// A plan's status as the API shows it.
#[derive(Serialize)]
struct PlanView {
    #[serde(flatten)]
    plan: PlanSummary,
    /// Live figures while running.
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<Live>,
    /// Where to go next.
    links: Links,
}

#[derive(Serialize)]
struct Links {
    #[serde(rename = "self")]
    this: String,
    roster: String,
    instance: String,
}

fn links(id: i64) -> Links {
    Links { this: format!("/api/v1/plans/{id}"), roster: format!("/api/v1/plans/{id}/roster"), instance: format!("/api/v1/plans/{id}/instance") }
}

/// Reads the instance with the JSON path of the first field that does not fit the contract.
fn parse_instance(value: serde_json::Value) -> Result<Instance, ApiError> {
    serde_path_to_error::deserialize::<_, Instance>(value).map_err(|e| {
        let field = format!("instance.{}", e.path());
        let message = e.into_inner().to_string();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_instance", format!("{field}: {message}"))
            .with_details(vec![Detail { field, code: "E1000".into(), message }])
    })
}

/// `POST /api/v1/plans`
pub async fn create(State(state): State<AppState>, body: Result<Json<serde_json::Value>, JsonRejection>) -> Result<Response, ApiError> {
    let Json(body) = body?;
    let request: CreatePlan = serde_path_to_error::deserialize(body).map_err(|e| {
        let field = e.path().to_string();
        let message = e.into_inner().to_string();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", format!("{field}: {message}")).with_details(vec![Detail { field, code: "invalid".into(), message }])
    })?;
    let mut instance = parse_instance(request.instance)?;
    if let Some(seed) = request.seed {
        instance.policy.seed = seed;
    }
    let threads = request.threads.unwrap_or(1);
    let mut problems = Vec::new();
    if !(1..=MAX_THREADS).contains(&threads) {
        problems.push(Detail { field: "threads".into(), code: "out_of_range".into(), message: format!("threads must be 1–{MAX_THREADS}, got {threads}") });
    }
    if let Some(limit) = request.time_limit
        && !(limit.is_finite() && limit > 0.0)
    {
        problems.push(Detail { field: "time_limit".into(), code: "out_of_range".into(), message: format!("time_limit must be a positive number of seconds, got {limit}") });
    }
    problems.extend(validate(&instance).into_iter().filter(|p| p.level == Level::Error).map(|p| Detail {
        field: format!("instance.{}", p.place),
        code: p.code.into(),
        message: p.message,
    }));
    if !problems.is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_plan", format!("{} problems in the plan; see details", problems.len())).with_details(problems));
    }
    let iterations = request.iterations.unwrap_or(DEFAULT_ITERATIONS);
    let document = serde_json::to_string(&instance).map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_instance", e.to_string()))?;
    let id = state
        .store
        .insert_plan(&NewPlan { name: instance.name.clone(), instance: document, threads: threads as i64, iterations: iterations as i64, time_limit: request.time_limit })
        .await?;
    let options = JobOptions { threads, iterations, time_limit: request.time_limit.map(Duration::from_secs_f64) };
    tokio::spawn(run_job(state.clone(), id, instance, options));
    let plan = state.store.plan(id).await?.ok_or_else(|| ApiError::not_found(format!("plan {id} vanished")))?;
    let location = format!("/api/v1/plans/{id}");
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(PlanView { plan, progress: None, links: links(id) })).into_response())
}

struct JobOptions {
    threads: usize,
    iterations: usize,
    time_limit: Option<Duration>,
}

/// Waits for a solver slot, solves on a blocking thread, stores the result.
async fn run_job(state: AppState, id: i64, instance: Instance, options: JobOptions) {
    // One solve at a time: a solve uses every core it is given.
    let Ok(_slot) = state.solver_slot.clone().acquire_owned().await else { return };
    if let Err(e) = state.store.set_running(id).await {
        tracing::error!(plan = id, error = %e, "could not mark the plan running");
        return;
    }
    let running = state.running.clone();
    let started = std::time::Instant::now();
    let outcome = tokio::task::spawn_blocking(move || {
        let report = |p: Progress| {
            let live = Live { considered: p.considered, total: p.total, scheduled: p.scheduled, coverage: p.coverage, bound: p.bound, elapsed: started.elapsed().as_secs_f64() };
            running.progress.lock().expect("progress lock").insert(id, live);
        };
        let solve_options = SolveOptions { threads: options.threads, time_limit: options.time_limit, iterations: options.iterations, progress: Some(&report), search_seed: None };
        let roster = solve(&instance, &solve_options).map_err(|e| e.to_string())?;
        let violations = sweep_solver::check(&instance, &roster);
        if !violations.is_empty() {
            // A roster that breaks a hard rule is a bug; never store it as a result.
            return Err(format!("the solver's roster breaks {} rules (first: {})", violations.len(), violations[0].message));
        }
        let document = serde_json::to_string(&roster).map_err(|e| e.to_string())?;
        Ok((document, roster.kpis.weighted_coverage, roster.kpis.bound, roster.solver.seconds))
    })
    .await;
    state.running.progress.lock().expect("progress lock").remove(&id);
    let stored = match outcome {
        Ok(Ok((roster, coverage, bound, seconds))) => state.store.set_done(id, &roster, coverage, bound, seconds).await,
        Ok(Err(message)) => state.store.set_failed(id, &message).await,
        Err(panic) => state.store.set_failed(id, &format!("the solver stopped unexpectedly: {panic}")).await,
    };
    if let Err(e) = stored {
        tracing::error!(plan = id, error = %e, "could not store the plan's result");
    }
}

fn plan_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", format!("`{raw}` is not a plan id")).with_details(vec![Detail {
            field: "id".into(),
            code: "invalid".into(),
            message: "a plan id is a positive integer".into(),
        }])
    })
}

/// `GET /api/v1/plans`
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    Ok(Json(state.store.plans().await?))
}

/// `GET /api/v1/plans/{id}`
pub async fn show(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, ApiError> {
    let id = plan_id(&raw)?;
    let plan = state.store.plan(id).await?.ok_or_else(|| ApiError::not_found(format!("no plan {id}")))?;
    let progress = (plan.status == PlanStatus::Running).then(|| state.running.progress.lock().expect("progress lock").get(&id).copied()).flatten();
    Ok(Json(PlanView { plan, progress, links: links(id) }).into_response())
}

/// `GET /api/v1/plans/{id}/roster`
pub async fn roster(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, ApiError> {
    let id = plan_id(&raw)?;
    let plan = state.store.plan(id).await?.ok_or_else(|| ApiError::not_found(format!("no plan {id}")))?;
    match plan.status {
        PlanStatus::Done => {
            let roster = state.store.roster(id).await?.ok_or_else(|| ApiError::not_found(format!("plan {id} has no roster")))?;
            Ok(([(header::CONTENT_TYPE, "application/json")], roster).into_response())
        }
        PlanStatus::Failed => Err(ApiError::new(StatusCode::CONFLICT, "plan_failed", format!("plan {id} failed: {}", plan.error.unwrap_or_default()))),
        PlanStatus::Queued | PlanStatus::Running => Err(ApiError::new(StatusCode::CONFLICT, "not_ready", format!("plan {id} is still being solved; poll /api/v1/plans/{id}"))),
    }
}

/// `GET /api/v1/plans/{id}/instance`
pub async fn instance(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, ApiError> {
    let id = plan_id(&raw)?;
    let document = state.store.instance(id).await?.ok_or_else(|| ApiError::not_found(format!("no plan {id}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], document).into_response())
}

/// Shared live-progress table.
pub fn running() -> Arc<Running> {
    Arc::new(Running::default())
}
