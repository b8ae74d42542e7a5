//! Plans: create one from the stored registries or an inline instance (a solve job that
//! runs off the async runtime), follow its progress, fetch its roster and the exact
//! instance it was solved from, publish or delete it, record a finding on one of its
//! visits. The exports are in `export.rs`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sweep_solver::model::{Enterprise, Finding, Horizon, Instance, Policy, Roster, Severity};
use sweep_solver::{Level, Progress, SolveOptions, solve, validate};

use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, Detail, JsonBody, read_json};
use crate::queue::{Cancelled, Job, StopReason};
use crate::store::{Decline, NewPlan, PlanStatus, PlanSummary};

/// Most improvement iterations per thread a request may ask for.
const MAX_ITERATIONS: usize = 10_000_000;
/// Most solver threads a request may ask for.
const MAX_THREADS: usize = 64;
/// The time limit of a plan that gives none, seconds (as the command line's): the search
/// uses it (unless it is done sooner) and stops with the best roster so far.
const DEFAULT_TIME_LIMIT: f64 = sweep_solver::DEFAULT_TIME_LIMIT_SECONDS;
/// Longest time limit a request may ask for (an hour): plans are solved one at a time.
const MAX_TIME_LIMIT: f64 = 3_600.0;
/// Longest plan name (checked with the instance, `validate`).
const MAX_NAME_CHARS: usize = sweep_solver::limits::MAX_NAME_CHARS;
/// Policy keys a plan may not override: the guard on the horizon's length is the
/// bureau's, not the request's (a 10,000-day plan once ran past its time limit).
const FIXED_POLICY_KEYS: [&str; 1] = ["max_horizon_days"];

/// The plans' routes (under `/api/v1`, behind the staff middleware).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list).post(create))
        .route("/plans/{id}", get(show).delete(remove))
        .route("/plans/{id}/roster", get(roster))
        .route("/plans/{id}/instance", get(instance))
        .route("/plans/{id}/publish", post(publish))
        .route("/plans/{id}/cancel", post(cancel))
        .route(
            "/plans/{id}/visits/{enterprise}/findings",
            post(record_finding),
        )
}

/// `POST /api/v1/plans`: a plan of the stored registries for a month or horizon, or the
/// stateless "solve this" form with the instance inline. Exactly one of `instance`,
/// `month` and `horizon`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Exactly one of `month`, `horizon` (plan the stored registries) and `instance` (solve this instance)."
)]
pub(crate) struct CreatePlan {
    /// The plan instance (CONTRACT.md), for the stateless form.
    #[serde(default)]
    #[schemars(with = "Option<Instance>")]
    instance: Option<serde_json::Value>,
    /// The month to plan from the stored registries, `YYYY-MM`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    month: Option<String>,
    /// Or any horizon `{start, end}` (at most `max_horizon_days`).
    #[serde(default)]
    horizon: Option<Horizon>,
    /// The plan's name (default `plan-<month>` or the instance's; at most 200 characters).
    #[serde(default)]
    #[schemars(length(max = MAX_NAME_CHARS))]
    name: Option<String>,
    /// Policy keys that differ from the stored (or inline) policy for this plan only.
    #[serde(default)]
    policy: Option<serde_json::Map<String, serde_json::Value>>,
    /// Solver threads (default 1).
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_THREADS))]
    threads: Option<usize>,
    /// Improvement iterations per thread at most (default: no cap, the time limit ends
    /// the search; 0: the construction alone).
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_ITERATIONS))]
    iterations: Option<usize>,
    /// Search this many seconds and return the best roster (default 10, at most an hour).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = MAX_TIME_LIMIT))]
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

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
struct Live {
    /// Due firms the construction has considered so far.
    considered: usize,
    /// Due firms in all.
    total: usize,
    /// Firms in the best roster so far.
    scheduled: usize,
    /// The best roster's weighted coverage so far (the objective's first term).
    coverage: f64,
    /// The proven bound on it, once computed.
    bound: Option<f64>,
    /// `bound - coverage`.
    gap: Option<f64>,
    /// The best roster's cost so far (day rates and km, CNY).
    cost_cny: f64,
    /// Seconds since the solve started.
    elapsed: f64,
}

/// A plan's status as the API shows it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct PlanView {
    #[serde(flatten)]
    plan: PlanSummary,
    /// Live figures while running.
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<Live>,
    /// Experts' declines of this plan's visits.
    declines: Vec<Decline>,
    /// Where to go next.
    links: Links,
}

/// The plan's own addresses.
#[derive(Serialize, JsonSchema)]
struct Links {
    /// This plan.
    #[serde(rename = "self")]
    this: String,
    /// Its roster.
    roster: String,
    /// The instance it is solved from.
    instance: String,
    /// The roster as CSV.
    export_csv: String,
    /// The roster as an Excel workbook.
    export_xlsx: String,
    /// Where to publish it.
    publish: String,
}

fn links(id: i64) -> Links {
    let at = format!("/api/v1/plans/{id}");
    Links {
        roster: format!("{at}/roster"),
        instance: format!("{at}/instance"),
        export_csv: format!("{at}/export.csv"),
        export_xlsx: format!("{at}/export.xlsx"),
        publish: format!("{at}/publish"),
        this: at,
    }
}

/// Reads the instance with the JSON path of the first field that does not fit the contract.
fn parse_instance(value: serde_json::Value) -> Result<Instance, ApiError> {
    serde_path_to_error::deserialize::<_, Instance>(value).map_err(|e| {
        let field = format!("instance.{}", e.path());
        let message = e.into_inner().to_string();
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_instance",
            format!("{field}: {message}"),
        )
        .with_details(vec![Detail::new(field, "E1000", message)])
    })
}

/// `POST /api/v1/plans`
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let request: CreatePlan = read_json(body, "invalid_body")?;
    let (mut instance, source) = match (request.instance, &request.month, request.horizon) {
        (Some(document), None, None) => (parse_instance(document)?, "inline"),
        (None, Some(month), None) => {
            let horizon = sweep_registry::month_horizon(month).map_err(|p| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_month",
                    p.message.clone(),
                )
                .with_details(vec![Detail {
                    value: Some(month.clone()),
                    ..Detail::new("month", p.code, p.hint)
                }])
            })?;
            (
                from_registries(
                    &state,
                    request
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("plan-{}", month.trim())),
                    horizon,
                )
                .await?,
                "registries",
            )
        }
        (None, None, Some(horizon)) => (
            from_registries(
                &state,
                request
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("plan-{}-{}", horizon.start, horizon.end)),
                horizon,
            )
            .await?,
            "registries",
        ),
        _ => {
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", "give exactly one of `month`, `horizon` (plan the stored registries) and `instance` (solve this)")
                .with_details(vec![Detail::new("month", "one_of", "exactly one of month, horizon, instance")]));
        }
    };
    if let Some(name) = request.name {
        instance.name = name;
    }
    if let Some(overrides) = request.policy {
        instance.policy = override_policy(&instance.policy, overrides)?;
    }
    if let Some(seed) = request.seed {
        instance.policy.seed = seed;
    }
    let threads = request.threads.unwrap_or(1);
    let mut problems = Vec::new();
    if !(1..=MAX_THREADS).contains(&threads) {
        problems.push(Detail::new(
            "threads",
            "out_of_range",
            format!("threads must be 1–{MAX_THREADS}, got {threads}"),
        ));
    }
    let time_limit = request.time_limit.unwrap_or(DEFAULT_TIME_LIMIT);
    if !(time_limit > 0.0 && time_limit <= MAX_TIME_LIMIT) {
        problems.push(Detail::new("time_limit", "out_of_range", format!("time_limit must be more than 0 and at most {MAX_TIME_LIMIT} seconds, got {time_limit}")));
    }
    let iterations = request.iterations;
    if let Some(iterations) = iterations
        && iterations > MAX_ITERATIONS
    {
        problems.push(Detail::new(
            "iterations",
            "out_of_range",
            format!("iterations must be at most {MAX_ITERATIONS}, got {iterations}"),
        ));
    }
    problems.extend(
        validate(&instance)
            .into_iter()
            .filter(|p| p.level == Level::Error)
            .map(|p| {
                let mut detail = crate::registries::detail(&instance, p);
                match (source, detail.field.as_str()) {
                    // The plan's own name is the request's `name` field, or the instance's.
                    ("registries", "instance.name") => detail.field = "name".into(),
                    ("inline", field) if !field.starts_with("instance.") => {
                        detail.field = format!("instance.{field}")
                    }
                    _ => {}
                }
                detail
            }),
    );
    if !problems.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_plan",
            format!(
                "{} in the plan; see details",
                crate::error::problems(problems.len())
            ),
        )
        .with_details(problems));
    }
    let document = serde_json::to_string(&instance).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_instance",
            e.to_string(),
        )
    })?;
    let new = NewPlan {
        name: instance.name.clone(),
        instance: document,
        threads: threads as i64,
        iterations: iterations.map(|i| i as i64),
        time_limit: Some(time_limit),
        source,
        horizon: (
            instance.horizon.start.to_string(),
            instance.horizon.end.to_string(),
        ),
    };
    // Ids are the queue's order: no other plan is stored between this one's insertion
    // and its push.
    let admission = state.queue.admission.lock().await;
    if state.queue.is_closed() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the service is shutting down; create the plan again when it is back",
        ));
    }
    let plan = state.store.insert_plan(&new).await?;
    let id = plan.id;
    tracing::info!(plan = id, name = %instance.name, source, "plan queued");
    state.queue.push(
        id,
        Job {
            instance,
            threads,
            iterations,
            time_limit: Duration::from_secs_f64(time_limit),
        },
    );
    drop(admission);
    let location = format!("/api/v1/plans/{id}");
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(PlanView {
            plan,
            progress: None,
            declines: Vec::new(),
            links: links(id),
        }),
    )
        .into_response())
}

/// The stored registries as the instance of a plan over `horizon`: the history and
/// findings known before the horizon starts (a plan made afresh for a past month sees
/// what its planner saw).
async fn from_registries(
    state: &AppState,
    name: String,
    horizon: Horizon,
) -> Result<Instance, ApiError> {
    let mut instance = state.store.registries(&name, horizon).await?;
    if instance.enterprises.is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "no_registries", "the registries hold no enterprises; upload them first (POST /api/v1/{registry}/csv), or start the service with --demo")
            .with_details(vec![Detail::new("enterprises", "E1102", "no enterprises are stored")]));
    }
    instance.history.retain(|h| h.date < horizon.start);
    instance.findings.retain(|f| f.found_on < horizon.start);
    Ok(instance)
}

/// The policy with `overrides` laid over it, key by key; a key that is not a policy key,
/// or a value of the wrong type, is named.
fn override_policy(
    policy: &Policy,
    overrides: serde_json::Map<String, serde_json::Value>,
) -> Result<Policy, ApiError> {
    let mut merged = serde_json::to_value(policy).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_policy",
            e.to_string(),
        )
    })?;
    let known: Vec<String> = merged
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for (key, value) in overrides {
        if FIXED_POLICY_KEYS.contains(&key.as_str()) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_policy",
                format!("`{key}` is the bureau's policy and cannot be changed for one plan"),
            )
            .with_details(vec![Detail::new(
                format!("policy.{key}"),
                "fixed_policy_key",
                "change it in the stored policy (PUT /api/v1/policy) if the bureau means it",
            )]));
        }
        if !known.contains(&key) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_policy",
                format!("`{key}` is not a policy key"),
            )
            .with_details(vec![Detail::new(
                format!("policy.{key}"),
                "unknown_field",
                format!("policy keys: {}", known.join(", ")),
            )]));
        }
        merged[&key] = value;
    }
    serde_path_to_error::deserialize::<_, Policy>(merged).map_err(|e| {
        let field = format!("policy.{}", e.path());
        let message = e.into_inner().to_string();
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_policy",
            format!("{field}: {message}"),
        )
        .with_details(vec![Detail::new(field, "E1000", message)])
    })
}

/// Why a plan queued or solving when the service shut down failed.
pub(crate) const STOPPED: &str =
    "stopped: the service shut down before the solve finished; create the plan again";
/// Why a cancelled plan failed.
const CANCELLED: &str = "cancelled by a planner";

/// The solve worker: takes the oldest queued plan, solves it on a blocking thread and
/// stores the result, until the queue is closed and drained.
pub async fn work(state: AppState) {
    while let Some((id, job, stop)) = state.queue.next().await {
        run_job(&state, id, job, stop).await;
    }
}

/// A store write the plan's state depends on, tried until it lands while the fault is
/// one that clears (a full disk, a read-only or locked file): a plan must not stay `queued`
/// or `running` because the disk was full for a minute. Any other error (the plan was
/// deleted, the database file replaced) is logged and given up, and so is a fault still
/// there when the service stops (the next start marks the plan failed).
async fn persist<F, Fut, T>(state: &AppState, id: i64, what: &str, write: F) -> Option<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::store::StoreError>>,
{
    let mut wait = Duration::from_millis(100);
    loop {
        match write().await {
            Ok(value) => return Some(value),
            Err(e)
                if e.is_transient()
                    && !(state.queue.is_closed() && wait >= Duration::from_secs(2)) =>
            {
                tracing::error!(plan = id, error = %e, "could not store that the plan is {what}; trying again in {} ms", wait.as_millis());
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            Err(e) => {
                tracing::error!(plan = id, error = %e, "could not store that the plan is {what}; giving up");
                return None;
            }
        }
    }
}

/// Solves one plan and stores its outcome; the plan stays the queue's current one until
/// its outcome is stored, so a cancel meanwhile finds it there.
async fn run_job(state: &AppState, id: i64, job: Job, stop: Arc<AtomicBool>) {
    run_and_store(state, id, job, stop).await;
    state.queue.settle(id);
}

async fn run_and_store(state: &AppState, id: i64, job: Job, stop: Arc<AtomicBool>) {
    if state.queue.is_closed() {
        persist(state, id, "failed", || state.store.set_failed(id, STOPPED)).await;
        return;
    }
    match persist(state, id, "running", || state.store.set_running(id)).await {
        Some(true) => {}
        // Cancelled (or deleted) before it started: nothing to solve.
        Some(false) | None => return,
    }
    let running = state.running.clone();
    let started = std::time::Instant::now();
    let outcome = tokio::task::spawn_blocking(move || {
        let report = |p: Progress| {
            let live = Live {
                considered: p.considered,
                total: p.total,
                scheduled: p.scheduled,
                coverage: p.coverage,
                bound: p.bound,
                gap: p.bound.map(|b| (b - p.coverage).max(0.0)),
                cost_cny: p.cost_cny,
                elapsed: started.elapsed().as_secs_f64(),
            };
            running.progress.lock().expect("progress lock").insert(id, live);
        };
        let solve_options = SolveOptions { threads: job.threads, time_limit: Some(job.time_limit), iterations: job.iterations, progress: Some(&report), search_seed: None, stop: Some(&stop) };
        let roster = solve(&job.instance, &solve_options).map_err(|e| e.to_string())?;
        if stop.load(Ordering::Acquire) {
            // Cut short (the queue knows why): not the roster the planner asked for.
            return Err(String::new());
        }
        let violations = sweep_solver::check(&job.instance, &roster);
        if !violations.is_empty() {
            // A roster that breaks a hard rule is a bug; never store it as a result.
            return Err(format!("the solver's roster breaks {} rules (first: {})", violations.len(), violations[0].message));
        }
        let document = serde_json::to_string(&roster).map_err(|e| e.to_string())?;
        // Stored only if it reads back: a number JSON cannot carry (an infinite weight is
        // written as null) would make the plan, its exports and, once published, every
        // expert's month unreadable for good.
        if let Err(e) = serde_json::from_str::<Roster>(&document) {
            return Err(format!("the roster does not read back as a roster ({e}); it is not stored; check the instance's numbers"));
        }
        Ok((document, roster.kpis.weighted_coverage, roster.kpis.bound, roster.solver.seconds))
    })
    .await;
    state
        .running
        .progress
        .lock()
        .expect("progress lock")
        .remove(&id);
    let outcome = match (outcome, state.queue.stop_reason(id)) {
        (_, Some(StopReason::Cancelled)) => Ok(Err(CANCELLED.to_string())),
        (_, Some(StopReason::Shutdown)) => Ok(Err(STOPPED.to_string())),
        (outcome, None) => outcome,
    };
    let outcome_label = if matches!(outcome, Ok(Ok(_))) {
        "done"
    } else {
        "failed"
    };
    metrics::counter!("sweep_solves_total", "outcome" => outcome_label).increment(1);
    metrics::histogram!("sweep_solve_seconds").record(started.elapsed().as_secs_f64());
    let message = match outcome {
        Ok(Ok((roster, coverage, bound, seconds))) => {
            persist(state, id, "done", || {
                state.store.set_done(id, &roster, coverage, bound, seconds)
            })
            .await;
            return;
        }
        Ok(Err(message)) => message,
        Err(panic) => format!("the solver stopped unexpectedly: {panic}"),
    };
    persist(state, id, "failed", || state.store.set_failed(id, &message)).await;
}

/// `POST /api/v1/plans/{id}/cancel`: a queued plan is taken out of the queue, a running
/// one's solve is stopped; either ends `failed` with the reason `cancelled by a planner`.
/// The answer is the plan once its outcome is stored (a solve stops within a moment).
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let id = plan_id(&raw)?;
    let plan = summary(&state, id).await?;
    if matches!(plan.status, PlanStatus::Done | PlanStatus::Failed) {
        return Err(not_cancellable(id, plan.status));
    }
    match state.queue.cancel(id) {
        Cancelled::Dequeued => {
            tracing::info!(plan = id, "queued plan cancelled");
            if let Err(e) = state.store.set_failed(id, CANCELLED).await {
                // Out of the queue already: it will not run; its status follows when the
                // store is back.
                let state = state.clone();
                tokio::spawn(async move {
                    persist(&state, id, "failed", || {
                        state.store.set_failed(id, CANCELLED)
                    })
                    .await
                });
                return Err(e.into());
            }
        }
        Cancelled::Stopping => {
            tracing::info!(plan = id, "running plan cancelled; its solve stops");
            for _ in 0..20 {
                if summary(&state, id).await?.status != PlanStatus::Running {
                    break;
                }
                state.queue.wait_settled(Duration::from_secs(3)).await;
            }
        }
        // Between its insertion and its push, or its outcome being stored right now: the
        // plan is not ours to change; the answer says where it stands.
        Cancelled::NotQueued => {
            let now = summary(&state, id).await?;
            if matches!(now.status, PlanStatus::Done | PlanStatus::Failed) {
                return Err(not_cancellable(id, now.status));
            }
            // Left queued or running by a stopped process and not yet marked (the start
            // marks those): mark it now.
            if !state.queue.is_closed() {
                state.store.set_failed(id, CANCELLED).await?;
            }
        }
    }
    show(State(state), Path(raw)).await
}

fn not_cancellable(id: i64, status: PlanStatus) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "not_cancellable",
        format!(
            "plan {id} is {} already; only a queued or running plan can be cancelled",
            status_word(status)
        ),
    )
}

fn status_word(status: PlanStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Reads a plan id from the path.
pub fn plan_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_id",
            format!("`{raw}` is not a plan id"),
        )
        .with_details(vec![Detail::new(
            "id",
            "invalid",
            "a plan id is a positive integer",
        )])
    })
}

async fn summary(state: &AppState, id: i64) -> Result<PlanSummary, ApiError> {
    state
        .store
        .plan(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no plan {id}")))
}

/// The code of a solved plan whose stored documents do not read back.
pub const CORRUPT_PLAN: &str = "corrupt_plan";

/// A solved plan's instance and roster, parsed once and kept (a solved plan's documents
/// never change; publishing and deleting drop the entry).
pub async fn solved(state: &AppState, id: i64) -> Result<Arc<Solved>, ApiError> {
    let cached = || state.solved.get(id);
    if let Some(hit) = cached() {
        return Ok(hit);
    }
    // One reader parses a plan while the others wait for it: a burst of requests on a
    // newly published plan would otherwise parse its instance once each.
    let _loading = state.solved.loading.lock().await;
    if let Some(hit) = cached() {
        return Ok(hit);
    }
    let plan = summary(state, id).await?;
    let roster = stored_roster(state, &plan).await?;
    let instance = state
        .store
        .instance(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no plan {id}")))?;
    let corrupt = |what: &str, e: serde_json::Error| {
        tracing::error!(plan = id, error = %e, "plan {id}'s stored {what} does not read");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            CORRUPT_PLAN,
            format!("plan {id}'s stored {what} cannot be read; it is logged"),
        )
    };
    let solved = Arc::new(Solved::new(
        id,
        plan.name,
        plan.published_at.is_some(),
        serde_json::from_str(&instance).map_err(|e| corrupt("instance", e))?,
        serde_json::from_str(&roster).map_err(|e| corrupt("roster", e))?,
    ));
    state.solved.insert(id, solved.clone());
    Ok(solved)
}

/// A solved plan, parsed.
pub struct Solved {
    /// Plan id.
    pub id: i64,
    /// Plan name.
    pub name: String,
    /// Whether it is published.
    pub published: bool,
    /// The instance it was solved from.
    pub instance: Instance,
    /// Its roster.
    pub roster: Roster,
    /// Record positions by id, so that reading a roster with names is not a scan of the
    /// registries per visit.
    firms: HashMap<String, usize>,
    experts: HashMap<String, usize>,
    officers: HashMap<String, usize>,
    districts: HashMap<String, usize>,
}

impl Solved {
    fn new(id: i64, name: String, published: bool, instance: Instance, roster: Roster) -> Solved {
        fn index<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
            ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
        }
        Solved {
            firms: index(instance.enterprises.iter().map(|f| &f.id)),
            experts: index(instance.experts.iter().map(|e| &e.id)),
            officers: index(instance.officers.iter().map(|o| &o.id)),
            districts: index(instance.districts.iter().map(|d| &d.id)),
            id,
            name,
            published,
            instance,
            roster,
        }
    }

    /// An enterprise of the instance.
    pub fn firm(&self, id: &str) -> Option<&Enterprise> {
        self.firms.get(id).map(|&i| &self.instance.enterprises[i])
    }

    /// An expert's name ("" if unknown).
    pub fn expert_name(&self, id: &str) -> &str {
        self.experts
            .get(id)
            .map_or("", |&i| &self.instance.experts[i].name)
    }

    /// An officer's name ("" if unknown).
    pub fn officer_name(&self, id: &str) -> &str {
        self.officers
            .get(id)
            .map_or("", |&i| &self.instance.officers[i].name)
    }

    /// A district's name (its id if unknown).
    pub fn district_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.districts
            .get(id)
            .map_or(id, |&i| &self.instance.districts[i].name)
    }
}

/// Plans by id, with the order they were loaded in (oldest first).
type Loaded = (HashMap<i64, Arc<Solved>>, std::collections::VecDeque<i64>);

/// Parsed solved plans, the most recently loaded [`SolvedCache::CAPACITY`] of them.
#[derive(Default)]
pub struct SolvedCache {
    plans: Mutex<Loaded>,
    loading: tokio::sync::Mutex<()>,
}

impl SolvedCache {
    /// Plans kept parsed (a city's plan is about 20 MB parsed).
    const CAPACITY: usize = 16;

    fn get(&self, id: i64) -> Option<Arc<Solved>> {
        self.plans.lock().expect("solved cache").0.get(&id).cloned()
    }

    fn insert(&self, id: i64, solved: Arc<Solved>) {
        let mut guard = self.plans.lock().expect("solved cache");
        let (plans, order) = &mut *guard;
        if plans.insert(id, solved).is_none() {
            order.push_back(id);
        }
        while order.len() > Self::CAPACITY {
            if let Some(oldest) = order.pop_front() {
                plans.remove(&oldest);
            }
        }
    }

    /// Drops a plan whose state changed (published, deleted).
    fn forget(&self, id: i64) {
        let mut guard = self.plans.lock().expect("solved cache");
        guard.0.remove(&id);
        guard.1.retain(|&other| other != id);
    }
}

/// `GET /api/v1/plans`
pub async fn list(
    State(state): State<AppState>,
    query: Result<
        axum::extract::Query<crate::registries::Page>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    let (limit, offset) = crate::registries::Page::bounds(query)?;
    Ok(Json(state.store.plans(limit, offset).await?))
}

/// `GET /api/v1/plans/{id}`: status, live progress while solving, declines.
pub async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = plan_id(&raw)?;
    let plan = summary(&state, id).await?;
    let progress = (plan.status == PlanStatus::Running)
        .then(|| {
            state
                .running
                .progress
                .lock()
                .expect("progress lock")
                .get(&id)
                .copied()
        })
        .flatten();
    let declines = state.store.declines(id).await?;
    Ok(Json(PlanView {
        plan,
        progress,
        declines,
        links: links(id),
    })
    .into_response())
}

/// `GET /api/v1/plans/{id}/roster`: the contract roster, as stored.
pub async fn roster(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let plan = summary(&state, plan_id(&raw)?).await?;
    let roster = stored_roster(&state, &plan).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], roster).into_response())
}

/// A plan's roster document, or why it has none (409 while solving or after a failure).
async fn stored_roster(state: &AppState, plan: &PlanSummary) -> Result<String, ApiError> {
    let id = plan.id;
    match plan.status {
        PlanStatus::Done => state
            .store
            .roster(id)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("plan {id} has no roster"))),
        PlanStatus::Failed => Err(ApiError::new(
            StatusCode::CONFLICT,
            "plan_failed",
            format!(
                "plan {id} failed: {}",
                plan.error.clone().unwrap_or_default()
            ),
        )),
        PlanStatus::Queued | PlanStatus::Running => Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_ready",
            format!("plan {id} is still being solved; poll /api/v1/plans/{id}"),
        )),
    }
}

/// `GET /api/v1/plans/{id}/instance`: the exact instance the plan is solved from.
pub async fn instance(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = plan_id(&raw)?;
    let document = state
        .store
        .instance(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no plan {id}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], document).into_response())
}

/// `POST /api/v1/plans/{id}/publish`: freezes a solved plan; experts see it from then on.
pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let id = plan_id(&raw)?;
    if !state.store.publish(id).await? {
        let plan = summary(&state, id).await?;
        return Err(match (plan.published_at, plan.status) {
            (Some(at), _) => ApiError::new(
                StatusCode::CONFLICT,
                "already_published",
                format!("plan {id} was published at {at}; a published plan is frozen"),
            ),
            (None, status) => ApiError::new(
                StatusCode::CONFLICT,
                "not_publishable",
                format!(
                    "plan {id} is {}; only a solved plan can be published",
                    status_word(status)
                ),
            ),
        });
    }
    state.solved.forget(id);
    tracing::info!(plan = id, "plan published");
    show(State(state), Path(raw)).await
}

/// `DELETE /api/v1/plans/{id}`: drops a draft (never a published plan, nor one being solved).
pub async fn remove(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let id = plan_id(&raw)?;
    if state.store.delete_plan(id).await? {
        state.solved.forget(id);
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let plan = summary(&state, id).await?;
    Err(if plan.published_at.is_some() {
        ApiError::new(
            StatusCode::CONFLICT,
            "published",
            format!("plan {id} is published; a published plan is kept"),
        )
    } else {
        ApiError::new(
            StatusCode::CONFLICT,
            "not_ready",
            format!("plan {id} is still being solved"),
        )
    })
}

/// A hazard found on a visit, as an officer reports it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VisitFinding {
    /// Finding id (default `<plan>-<firm>-<n>`).
    #[serde(default)]
    id: Option<String>,
    /// `major` or `general`.
    severity: Severity,
    /// Date by which it must be rectified.
    deadline: chrono::NaiveDate,
    /// Date found (default: the visit's date).
    #[serde(default)]
    found_on: Option<chrono::NaiveDate>,
}

/// `POST /api/v1/plans/{id}/visits/{enterprise}/findings`: records a hazard found on a
/// visit into the findings registry, where the next plan picks up its follow-up. Planners
/// for any visit; officers for their own crews' visits.
async fn record_finding(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((raw, enterprise)): Path<(String, String)>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    let id = plan_id(&raw)?;
    let request: VisitFinding = read_json(body, "invalid_body")?;
    let plan = solved(&state, id).await?;
    let crew = plan
        .roster
        .crews
        .iter()
        .find(|c| c.visits.iter().any(|v| v.enterprise == enterprise))
        .ok_or_else(|| ApiError::not_found(format!("plan {id} has no visit to `{enterprise}`")))?;
    if caller.role == Role::Officer && caller.subject.as_deref() != Some(crew.officer.as_str()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "the visit to `{enterprise}` is crew {}'s, not yours",
                crew.id
            ),
        ));
    }
    let found_on = request.found_on.unwrap_or(crew.date);
    // A hazard found on this visit is found on its day, or reported within a month of it;
    // its rectification deadline is on or after that and within two years.
    let latest_report = crew.date + chrono::Days::new(31);
    let latest_deadline = found_on + chrono::Days::new(731);
    let mut problems = Vec::new();
    if found_on < crew.date || found_on > latest_report {
        problems.push(Detail {
            value: Some(found_on.to_string()),
            ..Detail::new(
                "found_on",
                "out_of_range",
                format!(
                    "a finding of the visit on {} is found from that day to {latest_report}",
                    crew.date
                ),
            )
        });
    }
    if request.deadline < found_on || request.deadline > latest_deadline {
        problems.push(Detail { value: Some(request.deadline.to_string()), ..Detail::new("deadline", "out_of_range", format!("the deadline is on or after the day it was found ({found_on}) and at most two years later ({latest_deadline})")) });
    }
    if !problems.is_empty() {
        return Err(invalid_finding(problems));
    }
    let _writer = state.registry_writer.lock().await;
    let mut instance = crate::registries::registries(&state).await?;
    let finding = Finding {
        id: request.id.unwrap_or_else(|| {
            // `<plan>-<firm>-<n>`, the firm's id shortened so the whole stays an id (64).
            let firm: String = enterprise.chars().take(40).collect();
            let prefix = format!("{id}-{firm}-");
            let n = instance
                .findings
                .iter()
                .filter(|f| f.id.starts_with(&prefix))
                .count()
                + 1;
            format!("{prefix}{n}")
        }),
        enterprise: enterprise.clone(),
        severity: request.severity,
        found_on,
        deadline: request.deadline,
        rectified: false,
    };
    if instance.findings.iter().any(|f| f.id == finding.id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_exists",
            format!("finding `{}` exists", finding.id),
        ));
    }
    if !instance.enterprises.iter().any(|f| f.id == enterprise) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "unknown_enterprise",
            format!("`{enterprise}` is no longer in the enterprises registry"),
        ));
    }
    instance.findings.push(finding.clone());
    let problems: Vec<Detail> = validate(&instance)
        .into_iter()
        .filter(|p| p.level == Level::Error && p.place.section == "findings")
        .map(|p| crate::registries::detail(&instance, p))
        .collect();
    if !problems.is_empty() {
        return Err(invalid_finding(problems));
    }
    state.store.put_record(&finding).await?;
    let location = format!(
        "/api/v1/findings/{}",
        crate::registries::path_segment(&finding.id)
    );
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(finding),
    )
        .into_response())
}

/// A finding refused, with each problem.
fn invalid_finding(problems: Vec<Detail>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_finding",
        format!(
            "{} in the finding; see details",
            crate::error::problems(problems.len())
        ),
    )
    .with_details(problems)
}

/// Shared live-progress table.
pub fn running() -> Arc<Running> {
    Arc::new(Running::default())
}
