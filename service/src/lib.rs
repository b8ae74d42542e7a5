//! `sweep-service`: the hazard-sweep HTTP service.
//!
//! Planners post a plan (for now the stateless form: the instance inline); the solve runs
//! as a job off the async runtime (one at a time, on a blocking thread); the plan, the
//! exact instance it was solved from and its roster are stored in SQLite (WAL, full sync)
//! and read back over the API. Every error is JSON `{code, message, details[]}`.
//!
//! Layout: `store` holds every SQL statement (a PostgreSQL store replaces that module
//! only), `plans` the plan handlers and the job runner, `error` the error shape.

pub mod error;
pub mod plans;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::store::{Store, StoreError};

/// Largest request body accepted (a province's instance is a few tens of MB).
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The plan store.
    pub store: Store,
    /// One solve at a time.
    pub solver_slot: Arc<Semaphore>,
    /// Live progress of running plans.
    pub running: Arc<plans::Running>,
}

impl AppState {
    /// Opens the store at `database_url`, and marks plans a previous process left
    /// unfinished as failed (they are reported, not lost or stuck).
    pub async fn open(database_url: &str) -> Result<AppState, StoreError> {
        let store = Store::open(database_url).await?;
        let interrupted = store.fail_interrupted().await?;
        if interrupted > 0 {
            tracing::warn!(plans = interrupted, "plans interrupted by the last stop are marked failed");
        }
        Ok(AppState { store, solver_slot: Arc::new(Semaphore::new(1)), running: plans::running() })
    }
}

/// The service's routes.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/plans", get(plans::list).post(plans::create))
        .route("/plans/{id}", get(plans::show))
        .route("/plans/{id}/roster", get(plans::roster))
        .route("/plans/{id}/instance", get(plans::instance));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .nest("/api/v1", api)
        .fallback(|| async { ApiError::not_found("no such route; the API is under /api/v1") })
        .method_not_allowed_fallback(|| async { ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take that method") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Serves until Ctrl-C or SIGTERM, then stops taking requests and finishes those in flight.
pub async fn serve(addr: SocketAddr, database_url: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let state = AppState::open(database_url).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
