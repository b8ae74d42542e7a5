//! Roles and bearer tokens.
//!
//! Three roles: a **planner** does everything; an **officer** reads registries and plans
//! and records findings on their own firms and crews; an **expert** sees only their own
//! assignments (`/api/v1/me/...`). A token is 256 random bits shown once; the store keeps
//! its SHA-256 only.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;
use crate::store::{Store, StoreError};

/// Environment variable that gives a new database its first planner token.
pub const PLANNER_TOKEN_ENV: &str = "HAZARD_SWEEP_PLANNER_TOKEN";

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Builds, publishes and exports plans; keeps the registries; issues tokens.
    Planner,
    /// Reads registries and plans; records findings on their firms and crews.
    Officer,
    /// Reads their own assignments and declines them.
    Expert,
}

impl Role {
    /// The role's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Planner => "planner",
            Role::Officer => "officer",
            Role::Expert => "expert",
        }
    }

    fn parse(text: &str) -> Option<Role> {
        match text {
            "planner" => Some(Role::Planner),
            "officer" => Some(Role::Officer),
            "expert" => Some(Role::Expert),
            _ => None,
        }
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's id.
    pub token: i64,
    /// Its role.
    pub role: Role,
    /// The expert or officer id it speaks for (none for planners).
    pub subject: Option<String>,
}

impl Caller {
    /// Passes planners only.
    pub fn require_planner(&self) -> Result<(), ApiError> {
        if self.role == Role::Planner {
            Ok(())
        } else {
            Err(forbidden(self.role, "only a planner may do this"))
        }
    }
}

fn forbidden(role: Role, why: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!("{why}; this token's role is {}", role.as_str()),
    )
}

/// A new random token (`hs_` and 64 hex digits).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    let mut token = String::from("hs_");
    for b in bytes {
        token.push_str(&format!("{b:02x}"));
    }
    token
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// On a database that never issued a token, stores the first planner token: `given` (from
/// [`PLANNER_TOKEN_ENV`]) or a new one. Returns the token when it was generated here, so the
/// caller prints it once; `None` when given or when tokens exist already.
pub async fn bootstrap(store: &Store, given: Option<&str>) -> Result<Option<String>, StoreError> {
    if store.token_count().await? > 0 {
        return Ok(None);
    }
    let (token, generated) = match given.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => (token.to_string(), false),
        None => (new_token(), true),
    };
    store
        .insert_token(&hash(&token), Role::Planner.as_str(), None)
        .await?;
    Ok(generated.then_some(token))
}

fn unauthorized(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message.to_string())
}

/// The hash of the request's bearer token. The scheme is case-insensitive (RFC 7235);
/// a second `Authorization` header is refused, not ignored (which one would a proxy
/// and the service each have read?).
fn bearer(request: &Request) -> Result<String, ApiError> {
    let mut headers = request.headers().get_all(header::AUTHORIZATION).iter();
    let header = headers
        .next()
        .ok_or_else(|| unauthorized("missing_token", "send `Authorization: Bearer <token>`"))?;
    if headers.next().is_some() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "duplicate_header",
            "send one `Authorization` header, not several",
        ));
    }
    let value = header.to_str().ok().map(str::trim).unwrap_or_default();
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(unauthorized(
            "invalid_token",
            "the Authorization header must be `Bearer <token>`",
        ));
    }
    Ok(hash(token))
}

async fn caller(state: &AppState, hashed: Result<String, ApiError>) -> Result<Caller, ApiError> {
    let (id, role, subject) = state.store.token(&hashed?).await?.ok_or_else(|| unauthorized("invalid_token", "the token is unknown or revoked, or the expert or officer it speaks for is no longer in the registries"))?;
    let role = Role::parse(&role)
        .ok_or_else(|| unauthorized("invalid_token", "the token's role is unknown"))?;
    Ok(Caller {
        token: id,
        role,
        subject,
    })
}

/// Middleware for the bureau's routes: planners and officers; experts are forbidden.
pub async fn staff(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let caller = caller(&state, bearer(&request)).await?;
    if caller.role == Role::Expert {
        return Err(forbidden(
            caller.role,
            "experts may read only their own assignments under /api/v1/me",
        ));
    }
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}

/// Middleware for `/api/v1/me`: experts only (the routes answer for the token's expert).
pub async fn expert(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let caller = caller(&state, bearer(&request)).await?;
    if caller.role != Role::Expert || caller.subject.is_none() {
        return Err(forbidden(
            caller.role,
            "/api/v1/me answers for an expert's token",
        ));
    }
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}
