//! The bureau's registries (districts, officers, experts, enterprises, history, findings)
//! and settings (policy, calendar, road network), kept by the service.
//!
//! **Invariant**: the stored registries always pass the importer's validation (apart from
//! checks that need a plan's horizon). Every write — one record as JSON, or a whole
//! registry as CSV — is validated together with everything else stored and refused with
//! every problem if it would break a rule; writes are serialised so two of them cannot
//! each pass alone and break a rule together.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::{Datelike, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sweep_registry::{ImportProblem, Lines, RegistryRecord};
use sweep_solver::model::*;
use sweep_solver::validate::{Level, Problem, validate};

use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, Detail, JsonBody, read_json};

/// Records a listing answers when `limit` is not given (a city's 8,000 firms are 78 MB
/// of JSON at once).
pub const DEFAULT_PAGE: i64 = 100;
/// Most records one listing answers; `offset` pages on.
pub const MAX_PAGE: i64 = 1000;

/// Checks that need a plan's horizon; the registries alone cannot break them.
const HORIZON_CODES: [&str; 2] = ["E1502", "E1514"];

/// The routes of one registry: list, create, get, replace, delete, CSV upload.
pub fn router<T: RegistryRecord>() -> Router<AppState> {
    Router::new()
        .route(&format!("/{}", T::NAME), get(list::<T>).post(create::<T>))
        .route(&format!("/{}/csv", T::NAME), post(upload_csv::<T>))
        .route(
            &format!("/{}/{{key}}", T::NAME),
            get(show::<T>).put(update::<T>).delete(remove::<T>),
        )
}

/// The routes of every registry and setting.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(router::<District>())
        .merge(router::<Officer>())
        .merge(router::<Expert>())
        .merge(router::<Enterprise>())
        .merge(router::<Inspection>())
        .merge(router::<Finding>())
        .route(
            "/policy",
            get(show_setting::<Policy>).put(put_setting::<Policy>),
        )
        .route(
            "/calendar",
            get(show_setting::<Calendar>).put(put_setting::<Calendar>),
        )
        .route(
            "/travel",
            get(show_setting::<Travel>).put(put_setting::<Travel>),
        )
        .route("/travel/matrix/csv", post(upload_matrix_csv))
}

/// `?limit=&offset=` on lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    limit: Option<i64>,
    offset: Option<i64>,
}

impl Page {
    /// The page asked for as `(limit, offset)`: [`DEFAULT_PAGE`] records unless `limit` says
    /// otherwise, at most [`MAX_PAGE`]. Every listing of the API pages this way.
    pub fn bounds(
        query: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
    ) -> Result<(i64, i64), ApiError> {
        let Query(page) = query?;
        let limit = page.limit.unwrap_or(DEFAULT_PAGE);
        let offset = page.offset.unwrap_or(0);
        if !(1..=MAX_PAGE).contains(&limit) || offset < 0 {
            let field = if offset >= 0 { "limit" } else { "offset" };
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("limit must be 1–{MAX_PAGE} and offset at least 0"),
            )
            .with_details(vec![Detail::new(
                field,
                "out_of_range",
                format!("1 ≤ limit ≤ {MAX_PAGE}, offset ≥ 0"),
            )]));
        }
        Ok((limit, offset))
    }
}

/// A page of records.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Listing<T> {
    /// Records in the registry.
    total: i64,
    /// Records skipped before this page.
    offset: i64,
    /// This page's records, in order.
    items: Vec<T>,
}

/// What a successful write answers: how many records the registry now holds, and warnings.
#[derive(Serialize, JsonSchema)]
pub struct Written {
    /// The registry.
    pub registry: &'static str,
    /// Its records after the write.
    pub records: usize,
    /// Problems that do not stop a plan (codes `W2xxx`).
    pub warnings: Vec<Detail>,
}

async fn list<T: RegistryRecord>(
    State(state): State<AppState>,
    query: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let (limit, offset) = Page::bounds(query)?;
    let (items, total) = state.store.records_page::<T>(limit, offset).await?;
    Ok(Json(Listing {
        total,
        offset,
        items,
    })
    .into_response())
}

async fn show<T: RegistryRecord>(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<T>, ApiError> {
    state
        .store
        .record::<T>(&key)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no {} record `{key}`", T::NAME)))
}

/// Reads a record from a JSON body, naming the first field that does not fit.
/// A key as one URL path segment: ids may hold any character (一号库, `a/b`, spaces), a
/// header only visible ASCII.
pub fn path_segment(key: &str) -> String {
    key.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Who may write a registry: planners any; officers only findings on firms they are
/// responsible for.
async fn may_write<T: RegistryRecord>(
    state: &AppState,
    caller: &Caller,
    record: &T,
) -> Result<(), ApiError> {
    if caller.role == Role::Planner {
        return Ok(());
    }
    if let Some(finding) = (record as &dyn std::any::Any).downcast_ref::<Finding>() {
        let enterprise = &finding.enterprise;
        if let Some(firm) = state.store.record::<Enterprise>(enterprise).await?
            && Some(&firm.officer) == caller.subject.as_ref()
        {
            return Ok(());
        }
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "an officer records findings only on the firms they are responsible for; `{enterprise}` is not one of yours"
            ),
        ));
    }
    caller.require_planner()
}

async fn create<T: RegistryRecord>(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    let record: T = read_json(body, "invalid_record")?;
    may_write(&state, &caller, &record).await?;
    let key = record.key();
    let _writer = state.registry_writer.lock().await;
    if state.store.record::<T>(&key).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_exists",
            format!(
                "{} already has `{key}`; PUT /api/v1/{}/{key} replaces it",
                T::NAME,
                T::NAME
            ),
        ));
    }
    let warnings = check_change::<T>(&state, StatusCode::UNPROCESSABLE_ENTITY, |records| {
        records.push(record.clone())
    })
    .await?;
    state.store.put_record(&record).await?;
    let records = state.store.record_count::<T>().await?;
    let location = format!("/api/v1/{}/{}", T::NAME, path_segment(&key));
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(Written {
            registry: T::NAME,
            records,
            warnings,
        }),
    )
        .into_response())
}

async fn update<T: RegistryRecord>(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    let record: T = read_json(body, "invalid_record")?;
    may_write(&state, &caller, &record).await?;
    if record.key() != key {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "key_mismatch",
            format!(
                "the body is record `{}`, the path names `{key}`",
                record.key()
            ),
        )
        .with_details(vec![Detail::new(
            "id",
            "key_mismatch",
            "a record's id cannot change; delete it and create the new one",
        )]));
    }
    let _writer = state.registry_writer.lock().await;
    let existing = state
        .store
        .record::<T>(&key)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no {} record `{key}`", T::NAME)))?;
    // An officer may change a finding of their own firm only, and only into another of theirs.
    may_write(&state, &caller, &existing).await?;
    let warnings = check_change::<T>(&state, StatusCode::UNPROCESSABLE_ENTITY, |records| {
        if let Some(slot) = records.iter_mut().find(|r| r.key() == key) {
            *slot = record.clone();
        }
    })
    .await?;
    state.store.put_record(&record).await?;
    let records = state.store.record_count::<T>().await?;
    Ok(Json(Written {
        registry: T::NAME,
        records,
        warnings,
    })
    .into_response())
}

async fn remove<T: RegistryRecord>(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let _writer = state.registry_writer.lock().await;
    let existing = state
        .store
        .record::<T>(&key)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no {} record `{key}`", T::NAME)))?;
    may_write(&state, &caller, &existing).await?;
    // A record others refer to cannot go: the answer names every record that refers to it.
    check_change::<T>(&state, StatusCode::CONFLICT, |records| {
        records.retain(|r| r.key() != key)
    })
    .await?;
    state.store.delete_record::<T>(&key).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/{registry}/csv`: replaces the registry with the file's rows, all or
/// nothing, with the command line's checks; every bad row is reported.
async fn upload_csv<T: RegistryRecord>(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let text = csv_text(&headers, body, T::FILE)?;
    // Defaults the file leaves to the policy (a firm's missing closing time) come from
    // the stored policy.
    let policy: Policy = state.store.setting("policy").await?.unwrap_or_default();
    let mut problems = Vec::new();
    let section = T::read_csv_with(&text, &policy, &mut problems);
    // A key given twice would make the second row silently win; it is an error.
    let mut seen = std::collections::HashMap::new();
    for (record, line) in section.records.iter().zip(&section.lines) {
        if let Some(first) = seen.insert(record.key(), *line) {
            problems.push(ImportProblem {
                code: "E1101",
                level: Level::Error,
                file: T::FILE.into(),
                line: Some(*line),
                column: Some(if T::NAME == "history" {
                    "enterprise".into()
                } else {
                    "id".into()
                }),
                value: record.key(),
                message: format!("`{}` is given twice (first on line {first})", record.key()),
                hint: "give each record once".into(),
            });
        }
    }
    if problems.iter().any(|p| p.level == Level::Error) {
        return Err(csv_rejected::<T>(problems));
    }
    let _writer = state.registry_writer.lock().await;
    let mut instance = registries(&state).await?;
    *T::records_mut(&mut instance) = section.records;
    let lines = section_lines::<T>(section.lines);
    let warnings = validate_upload(&instance, T::NAME, T::NAME, &lines)?;
    let records = T::records(&instance);
    state.store.replace_records(records).await?;
    tracing::info!(
        registry = T::NAME,
        records = records.len(),
        "registry replaced from CSV"
    );
    Ok(Json(Written {
        registry: T::NAME,
        records: records.len(),
        warnings,
    })
    .into_response())
}

/// The text of an uploaded CSV file: exactly `text/csv` (parameters aside: `text/csvXYZ`
/// is not CSV), UTF-8 if a charset is named, and UTF-8 bytes.
fn csv_text(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    file: &str,
) -> Result<String, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let charset_ok = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().split_once('='))
        .all(|(k, v)| {
            !k.trim().eq_ignore_ascii_case("charset")
                || v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        });
    if crate::error::media_type(headers).as_deref() != Some("text/csv") || !charset_ok {
        let shown: String = content_type.chars().take(100).collect();
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send the registry as `Content-Type: text/csv` (UTF-8), not `{shown}`"),
        ));
    }
    let body = body.map_err(crate::error::body_error)?;
    let text = String::from_utf8(body.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_csv",
            "the file is not UTF-8; save it as UTF-8 (Excel: \"CSV UTF-8\"); GBK is not accepted",
        )
        .with_details(vec![Detail {
            line: Some(line),
            ..Detail::new(file, "E1002", format!("bad byte at offset {at}"))
        }])
    })?;
    Ok(text)
}

/// `POST /api/v1/travel/matrix/csv`: sets the bureau's travel to the matrix in the file
/// (`matrix.csv`'s columns); the matrix replaces the road network, so a stored network is
/// dropped. All or nothing, with the command line's checks.
async fn upload_matrix_csv(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let text = csv_text(&headers, body, sweep_registry::MATRIX)?;
    let mut problems = Vec::new();
    let (matrix, matrix_lines) = sweep_registry::read_matrix(&text, &mut problems);
    let Some(matrix) = matrix.filter(|_| !problems.iter().any(|p| p.level == Level::Error)) else {
        return Err(csv_rejected_in(sweep_registry::MATRIX, problems));
    };
    let travel = Travel {
        network: None,
        matrix: Some(matrix),
    };
    let _writer = state.registry_writer.lock().await;
    let mut instance = registries(&state).await?;
    instance.travel = Some(travel.clone());
    let lines = Lines {
        matrix: matrix_lines,
        ..Lines::default()
    };
    let warnings = validate_upload(&instance, "travel.matrix", sweep_registry::MATRIX, &lines)?;
    state.store.put_setting("travel", &travel).await?;
    tracing::info!(
        places = travel.matrix.as_ref().map_or(0, |m| m.ids.len()),
        "travel matrix replaced from CSV"
    );
    Ok(Json(SettingWritten {
        setting: "travel",
        warnings,
    })
    .into_response())
}

/// Validates the instance with an uploaded file in it: the file's problems (those of
/// `section`) are placed on its lines, the others name their record. Errors refuse the
/// upload (`file` names it); the warnings are returned.
fn validate_upload(
    instance: &Instance,
    section: &str,
    file: &str,
    lines: &Lines,
) -> Result<Vec<Detail>, ApiError> {
    let place = |p: Problem| {
        if p.place.section == section {
            located(lines.locate(p))
        } else {
            detail(instance, p)
        }
    };
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) =
        relevant(validate(instance)).partition(|p| p.level == Level::Error);
    if !errors.is_empty() {
        return Err(rejected(
            StatusCode::UNPROCESSABLE_ENTITY,
            file,
            errors.into_iter().map(place).collect(),
        ));
    }
    Ok(warnings.into_iter().map(place).collect())
}

fn section_lines<T: RegistryRecord>(lines: Vec<usize>) -> Lines {
    let mut all = Lines::default();
    match T::NAME {
        "districts" => all.districts = lines,
        "officers" => all.officers = lines,
        "experts" => all.experts = lines,
        "enterprises" => all.enterprises = lines,
        "history" => all.history = lines,
        _ => all.findings = lines,
    }
    all
}

fn located(p: ImportProblem) -> Detail {
    Detail {
        field: p.column.unwrap_or_else(|| p.file.clone()),
        code: p.code.into(),
        message: format!("{}. {}", p.message, p.hint),
        line: p.line,
        value: (!p.value.is_empty()).then_some(p.value),
    }
}

fn csv_rejected<T: RegistryRecord>(problems: Vec<ImportProblem>) -> ApiError {
    csv_rejected_in(T::FILE, problems)
}

fn csv_rejected_in(file: &str, problems: Vec<ImportProblem>) -> ApiError {
    // The reader lists the first problems of a file and counts the rest (`E1007`).
    let unlisted: usize = problems
        .iter()
        .filter(|p| p.code == "E1007")
        .filter_map(|p| p.value.parse::<usize>().ok())
        .sum();
    let details: Vec<Detail> = problems
        .into_iter()
        .filter(|p| p.level == Level::Error)
        .map(located)
        .collect();
    let listed = details.iter().filter(|d| d.code != "E1007").count();
    let total = listed + unlisted;
    let error = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_registry",
        format!(
            "{} in {}; nothing was changed; see details",
            crate::error::problems(total),
            file
        ),
    );
    error.with_details(details).with_total(total)
}

fn rejected(status: StatusCode, what: &str, details: Vec<Detail>) -> ApiError {
    let code = if status == StatusCode::CONFLICT {
        "still_referenced"
    } else {
        "invalid_registry"
    };
    ApiError::new(
        status,
        code,
        format!(
            "{} in {what}; nothing was changed; see details",
            crate::error::problems(details.len())
        ),
    )
    .with_details(details)
}

/// The stored registries and settings as an instance over the current month.
pub async fn registries(state: &AppState) -> Result<Instance, ApiError> {
    let today = Utc::now().date_naive();
    let start = today.with_day(1).unwrap_or(today);
    let end = start
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start);
    Ok(state
        .store
        .registries("registries", Horizon { start, end })
        .await?)
}

/// Problems the registries themselves can cause (not the horizon's).
fn relevant(problems: Vec<Problem>) -> impl Iterator<Item = Problem> {
    problems
        .into_iter()
        .filter(|p| !HORIZON_CODES.contains(&p.code))
}

/// A problem in a stored registry, named by the record's key: `enterprises[XH-0001].district`.
pub fn detail(instance: &Instance, p: Problem) -> Detail {
    let key = p
        .place
        .index
        .and_then(|i| record_key(instance, p.place.section, i));
    let field = match key {
        Some(key) => format!("{}[{key}].{}", p.place.section, p.place.field),
        // `travel.matrix.minutes[3][7]`: the place's own path, subscripts and all.
        None => p.place.to_string(),
    };
    Detail {
        field,
        code: p.code.into(),
        message: format!("{}. {}", p.message, p.hint),
        line: None,
        value: (!p.value.is_empty()).then_some(p.value),
    }
}

fn record_key(instance: &Instance, section: &str, index: usize) -> Option<String> {
    fn key<T: RegistryRecord>(instance: &Instance, index: usize) -> Option<String> {
        T::records(instance).get(index).map(RegistryRecord::key)
    }
    match section {
        "districts" => key::<District>(instance, index),
        "officers" => key::<Officer>(instance, index),
        "experts" => key::<Expert>(instance, index),
        "enterprises" => key::<Enterprise>(instance, index),
        "history" => key::<Inspection>(instance, index),
        "findings" => key::<Finding>(instance, index),
        _ => None,
    }
}

/// Validates the stored registries with `change` applied to registry `T`; refuses with
/// `status` and every error, or returns the warnings.
async fn check_change<T: RegistryRecord>(
    state: &AppState,
    status: StatusCode,
    change: impl FnOnce(&mut Vec<T>),
) -> Result<Vec<Detail>, ApiError> {
    let mut instance = registries(state).await?;
    change(T::records_mut(&mut instance));
    check_instance(&instance, status, T::NAME)
}

fn check_instance(
    instance: &Instance,
    status: StatusCode,
    what: &str,
) -> Result<Vec<Detail>, ApiError> {
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) =
        relevant(validate(instance)).partition(|p| p.level == Level::Error);
    if !errors.is_empty() {
        return Err(rejected(
            status,
            what,
            errors.into_iter().map(|p| detail(instance, p)).collect(),
        ));
    }
    Ok(warnings.into_iter().map(|p| detail(instance, p)).collect())
}

/// A bureau-wide document and its name in the store.
trait Setting: Serialize + serde::de::DeserializeOwned + Default + Send + 'static {
    const NAME: &'static str;
    fn set(self, instance: &mut Instance);
}

impl Setting for Policy {
    const NAME: &'static str = "policy";
    fn set(self, instance: &mut Instance) {
        instance.policy = self;
    }
}

impl Setting for Calendar {
    const NAME: &'static str = "calendar";
    fn set(self, instance: &mut Instance) {
        instance.calendar = self;
    }
}

impl Setting for Travel {
    const NAME: &'static str = "travel";
    fn set(self, instance: &mut Instance) {
        instance.travel = Some(self);
    }
}

async fn show_setting<S: Setting>(State(state): State<AppState>) -> Result<Json<S>, ApiError> {
    Ok(Json(
        state.store.setting::<S>(S::NAME).await?.unwrap_or_default(),
    ))
}

async fn put_setting<S: Setting>(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let setting: S = read_json(body, "invalid_setting")?;
    let _writer = state.registry_writer.lock().await;
    let mut instance = registries(&state).await?;
    let stored = serde_json::to_value(&setting).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_setting",
            e.to_string(),
        )
    })?;
    setting.set(&mut instance);
    let warnings = check_instance(&instance, StatusCode::UNPROCESSABLE_ENTITY, S::NAME)?;
    state.store.put_setting(S::NAME, &stored).await?;
    Ok(Json(SettingWritten {
        setting: S::NAME,
        warnings,
    })
    .into_response())
}

/// What a successful write of a setting answers.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SettingWritten {
    /// `policy`, `calendar` or `travel`.
    setting: &'static str,
    /// Problems that do not stop a plan (codes `W2xxx`).
    warnings: Vec<Detail>,
}
