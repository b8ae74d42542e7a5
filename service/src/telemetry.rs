//! Operations: a request id on every request and response (`x-request-id`, kept if the
//! caller sent one), a tracing span per request carrying it, and Prometheus metrics.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Latency buckets, seconds: roster reads are milliseconds, solves are seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The process-wide Prometheus recorder (installed on first use).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may be installed by an embedding program; then ours only renders.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics() -> Response {
    let handle = handle();
    handle.run_upkeep();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

/// Counts requests and their latency by method, route template and status.
pub async fn record(request: Request, next: Next) -> Response {
    handle();
    // Labels come from closed sets only: every distinct label is a series kept for the
    // process's life, and a client may send any method and path (12,000 random methods
    // once grew /metrics to 182 MB).
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method, "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// A method's metrics label: the standard ones by name, anything else `other`.
fn method_label(method: &axum::http::Method) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
    KNOWN
        .into_iter()
        .find(|known| method.as_str() == *known)
        .unwrap_or("other")
}

/// Request ids: `<process>-<n>`, unique within a process and telling processes apart.
#[derive(Clone)]
pub struct Sequential {
    process: u32,
}

impl MakeRequestId for Sequential {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.process))
            .ok()
            .map(RequestId::new)
    }
}

/// Wraps the router: a request id is set first (or the caller's kept), the request is
/// traced in a span carrying it, and the id is copied to the response.
pub fn with_request_ids(router: Router) -> Router {
    let mut seed = [0u8; 4];
    let _ = getrandom::fill(&mut seed);
    let span = |request: &Request| {
        let id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
    };
    // Router::layer wraps what is there: the last layer added is the outermost.
    router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(Sequential {
            process: u32::from_le_bytes(seed),
        }))
}
