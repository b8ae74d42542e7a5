//! `sweep-service`: the hazard-sweep HTTP service.
//!
//! A bureau keeps its registries here (JSON records or whole CSV files, validated like
//! the command line's import); planners make monthly plans from them (or post an
//! instance inline), follow the solve, export and publish the roster; experts read their
//! own published assignments and calendar feed and decline visits; officers record the
//! hazards found. Solves run one at a time on a blocking thread; plans, the exact
//! instance each was solved from and its roster are stored in SQLite (rollback journal,
//! every commit synced).
//! Every error is JSON `{code, message, details[]}`.
//!
//! Layout: `store` holds every SQL statement (a PostgreSQL store replaces that module
//! only); each resource module (`registries`, `plans`, `export`, `me`, `tokens`) owns its
//! routes and handlers; `auth` the roles, `error` the error shape, `openapi` the API
//! description built from the same route table, `telemetry` request ids and metrics.

pub mod auth;
pub mod demo;
pub mod error;
pub mod export;
pub mod me;
pub mod openapi;
pub mod plans;
pub mod queue;
pub mod registries;
pub mod server;
pub mod store;
pub mod telemetry;
pub mod tokens;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::error::ApiError;
use crate::store::{Store, StoreError};

/// Largest request body accepted (a province's instance is a few tens of MB).
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// Plans waiting for the solver, oldest first, and the one being solved.
    pub queue: Arc<queue::Queue>,
    /// Live progress of running plans.
    pub running: Arc<plans::Running>,
    /// Registry writes one at a time: each is validated against everything stored.
    pub registry_writer: Arc<tokio::sync::Mutex<()>>,
    /// Published plans, parsed once (they never change).
    pub solved: Arc<plans::SolvedCache>,
    /// The solve worker (taken by the shutdown, which waits for it).
    pub worker: Arc<std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl AppState {
    /// Opens the store at `database_url`, marks plans a previous process left unfinished
    /// as failed (they are reported, not lost or stuck) and starts the solve worker.
    pub async fn open(database_url: &str) -> Result<AppState, StoreError> {
        let store = Store::open(database_url).await?;
        let interrupted = store.fail_interrupted().await?;
        if interrupted > 0 {
            tracing::warn!(
                plans = interrupted,
                "plans interrupted by the last stop are marked failed"
            );
        }
        let state = AppState {
            store,
            queue: Arc::default(),
            running: plans::running(),
            registry_writer: Arc::default(),
            solved: Arc::default(),
            worker: Arc::default(),
        };
        let worker = tokio::spawn(plans::work(state.clone()));
        *state.worker.lock().expect("worker lock") = Some(worker);
        Ok(state)
    }
}

/// The service's routes.
pub fn app(state: AppState) -> Router {
    // The bureau's API: planners and officers (each handler narrows further).
    let staff = Router::new()
        .merge(registries::routes())
        .merge(plans::routes())
        .merge(export::routes())
        .merge(tokens::routes())
        .route_layer(from_fn_with_state(state.clone(), auth::staff));
    // The experts' own view.
    let experts = me::routes().route_layer(from_fn_with_state(state.clone(), auth::expert));
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(telemetry::metrics))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/docs", get(openapi::page))
        .nest("/api/v1", staff.merge(experts))
        .fallback(|| async {
            ApiError::not_found("no such route; the API is under /api/v1 (see /api/docs)")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            server::BODY_IDLE_TIMEOUT,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            server::REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(axum::middleware::from_fn(error::limit_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panicked,
        ))
        .layer(axum::middleware::from_fn(telemetry::record))
        .with_state(state);
    telemetry::with_request_ids(router)
}

/// `GET /readyz`: ready while a write to the database commits and the file is the one
/// opened; a full disk, a read-only file or a removed database make it 503.
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.check_writable().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "not ready: the database cannot be written");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unwritable",
                format!("the database cannot be written: {e}"),
            )
            .into_response()
        }
    }
}

/// How to start the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// `sqlite://path.db`.
    pub database_url: String,
    /// Load the Cangzhou demo registries into an empty database.
    pub demo: bool,
    /// The first planner token of a new database (else one is generated and printed).
    pub planner_token: Option<String>,
}

/// Serves until Ctrl-C or SIGTERM, then stops taking requests and finishes those in flight.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let state = AppState::open(&config.database_url).await?;
    if let Some(token) = auth::bootstrap(&state.store, config.planner_token.as_deref()).await? {
        // Printed once, on the first start of a new database; only its hash is kept.
        println!("planner token: {token}");
    }
    if config.demo {
        demo::load(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!(address = %listener.local_addr()?, "serving; API docs at /api/docs");
    // On the signal the queue closes first: a plan posted while the requests in flight
    // drain is refused (`shutting_down`) rather than accepted and failed; the running
    // solve stops at its next check and is marked failed (a roster cut short is not the
    // one asked for), and so is each plan still queued.
    let closing = {
        let state = state.clone();
        async move {
            shutdown().await;
            tracing::info!("stopping: no new plans; answering the requests in flight");
            for id in state.queue.close() {
                if let Err(e) = state.store.set_failed(id, plans::STOPPED).await {
                    tracing::error!(plan = id, error = %e, "could not mark the queued plan failed");
                }
            }
        }
    };
    server::serve(listener, app(state.clone()), closing).await?;
    let worker = state.worker.lock().expect("worker lock").take();
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
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
