//! Planners issue and revoke tokens. The token is shown once, in the answer to its
//! creation; the store keeps its hash.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use sweep_solver::model::{Expert, Officer};

use crate::AppState;
use crate::auth::{Caller, Role, hash, new_token};
use crate::error::{ApiError, Detail, JsonBody, read_json};
use crate::store::TokenInfo;

/// The tokens' routes (planners only).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(revoke))
}

/// `POST /api/v1/tokens`
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewToken {
    /// What the token may do.
    role: Role,
    /// The expert's or officer's id (required for those roles, absent for planners).
    #[serde(default)]
    subject: Option<String>,
}

/// A token just issued: the secret is in this answer only.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct Issued {
    /// Token id (to revoke it).
    id: i64,
    /// The bearer token.
    token: String,
    /// What it may do.
    role: Role,
    /// The expert or officer it speaks for.
    subject: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<JsonBody, ApiError>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let request: NewToken = read_json(body, "invalid_body")?;
    let subject = request
        .subject
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let unknown = |what: &str, id: &str| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_subject",
            format!("no {what} `{id}` in the registries"),
        )
        .with_details(vec![Detail::new(
            "subject",
            "E1203",
            format!("use an id from the {what}s registry"),
        )])
    };
    match (request.role, &subject) {
        (Role::Planner, Some(_)) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                "a planner token speaks for no one; leave out `subject`",
            )
            .with_details(vec![Detail::new(
                "subject",
                "not_allowed",
                "planner tokens have no subject",
            )]));
        }
        (Role::Expert | Role::Officer, None) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                "an expert or officer token needs the person's id in `subject`",
            )
            .with_details(vec![Detail::new("subject", "E1102", "subject is required")]));
        }
        (Role::Expert, Some(id)) if state.store.record::<Expert>(id).await?.is_none() => {
            return Err(unknown("expert", id));
        }
        (Role::Officer, Some(id)) if state.store.record::<Officer>(id).await?.is_none() => {
            return Err(unknown("officer", id));
        }
        _ => {}
    }
    let token = new_token();
    let id = state
        .store
        .insert_token(&hash(&token), request.role.as_str(), subject.as_deref())
        .await?;
    tracing::info!(
        token = id,
        role = request.role.as_str(),
        subject = subject.as_deref().unwrap_or(""),
        "token issued"
    );
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/tokens/{id}"))],
        Json(Issued {
            id,
            token,
            role: request.role,
            subject,
        }),
    )
        .into_response())
}

async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<
        axum::extract::Query<crate::registries::Page>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    caller.require_planner()?;
    let (limit, offset) = crate::registries::Page::bounds(query)?;
    Ok(Json(state.store.tokens(limit, offset).await?))
}

async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_planner()?;
    let id = raw
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_id",
                format!("`{raw}` is not a token id"),
            )
            .with_details(vec![Detail::new(
                "id",
                "invalid",
                "a token id is a positive integer",
            )])
        })?;
    if id == caller.token {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "own_token",
            "a planner cannot revoke the token they are using; use another planner token",
        ));
    }
    if !state.store.revoke_token(id).await? {
        return Err(ApiError::not_found(format!("no live token {id}")));
    }
    tracing::info!(token = id, "token revoked");
    Ok(StatusCode::NO_CONTENT.into_response())
}
