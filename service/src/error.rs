//! The one error shape of the API: `{code, message, details[]}`, each detail naming the
//! field (a JSON path) and what is wrong with it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::StoreError;

/// One thing wrong with a request.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Detail {
    /// Where: a JSON path such as `instance.enterprises[3].district`, a parameter's name,
    /// or a CSV file's column.
    pub field: String,
    /// A stable code: the importer's `E1xxx`/`W2xxx` codes for instance data, or a word.
    pub code: String,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The line of an uploaded CSV file (1 = the header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The offending value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Detail {
    /// A detail on a field.
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Detail {
        Detail {
            field: field.into(),
            code: code.into(),
            message: message.into(),
            line: None,
            value: None,
        }
    }
}

/// Most details an error answer lists; `total_details` counts them all. A 200,000-row
/// CSV with five bad fields a row once answered a million details (206 MB).
pub const MAX_DETAILS: usize = 200;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<Detail>,
    total_details: usize,
}

/// Every error answer: a stable code, a sentence, and what is wrong field by field.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ErrorBody<'a> {
    /// A stable code (`invalid_registry`, `not_found`, ...).
    code: &'a str,
    /// What is wrong, in a sentence.
    message: &'a str,
    /// Each field that is wrong (empty when the whole request is); the first
    /// [`MAX_DETAILS`] when there are more.
    details: &'a [Detail],
    /// How many problems were found when there were more than `details` lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    total_details: Option<usize>,
}

impl ApiError {
    /// An error with a status, a stable code and a sentence.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
            total_details: 0,
        }
    }

    /// Adds the per-field details (the first [`MAX_DETAILS`] of them are kept).
    pub fn with_details(mut self, mut details: Vec<Detail>) -> ApiError {
        self.total_details = details.len();
        details.truncate(MAX_DETAILS);
        self.details = details;
        self
    }

    /// Counts problems that are not in the details at all (a reader that listed the first
    /// of them); `total` counts every problem.
    pub fn with_total(mut self, total: usize) -> ApiError {
        self.total_details = self.total_details.max(total);
        self
    }

    /// The answer's stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// 404 for a missing resource.
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let total_details = (self.total_details > self.details.len()).then_some(self.total_details);
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
            details: &self.details,
            total_details,
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        // The database is the service's problem, not the caller's: 503, logged.
        tracing::error!(error = %e, "store failure");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "the store is unavailable; try again",
        )
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
        // axum keeps the parameter's name in the error it wraps (serde_path_to_error):
        // found, it becomes the detail's field, as for a body.
        let mut source = std::error::Error::source(&rejection);
        while let Some(error) = source {
            if let Some(error) =
                error.downcast_ref::<serde_path_to_error::Error<serde::de::value::Error>>()
            {
                // The path is `.` for the query as a whole (a parameter given twice).
                let field = Some(error.path().to_string())
                    .filter(|path| path != ".")
                    .unwrap_or_default();
                let problem = error.inner().to_string();
                let message = if field.is_empty() {
                    format!("the query string: {problem}")
                } else {
                    format!("query parameter `{field}`: {problem}")
                };
                return ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", message)
                    .with_details(vec![Detail::new(field, "invalid", problem)]);
            }
            source = error.source();
        }
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            rejection.body_text(),
        )
    }
}

/// "1 problem", "3 problems": the count that opens an error message.
pub fn problems(count: usize) -> String {
    if count == 1 {
        "1 problem".into()
    } else {
        format!("{count} problems")
    }
}

/// A request body that failed to arrive: too large, too slow, or cut off.
pub fn body_error(rejection: BytesRejection) -> ApiError {
    let mut source = std::error::Error::source(&rejection);
    while let Some(error) = source {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!(
                    "the body stopped arriving for {} s",
                    crate::server::BODY_IDLE_TIMEOUT.as_secs()
                ),
            );
        }
        source = error.source();
    }
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "the body is larger than the service accepts",
        );
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        format!("the body could not be read: {}", rejection.body_text()),
    )
}

/// The media type of a request without its parameters, lower case (`text/csv` of
/// `Text/CSV; charset=utf-8`); `None` without a readable `Content-Type`.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase(),
    )
}

/// A JSON request body, read strictly: `Content-Type: application/json` (or a
/// `application/…+json` type) and an object key given at most once at every depth. serde
/// takes the last of two equal keys silently, so `{"role": "expert", "role": "planner"}`
/// would mean whatever the last one says.
#[derive(Debug)]
pub struct JsonBody(pub serde_json::Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody, ApiError> {
        let json = media_type(request.headers()).is_some_and(|t| {
            t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
        });
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_error)?;
        let malformed = |problem: String| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {problem}"),
            )
        };
        let mut reader = serde_json::Deserializer::from_slice(&bytes);
        let value = match serde_path_to_error::deserialize::<_, StrictValue>(&mut reader) {
            Ok(StrictValue(value)) => value,
            Err(e) if e.inner().is_data() => {
                // The only data error of a plain value: a key given twice.
                let field = Some(e.path().to_string())
                    .filter(|p| p != ".")
                    .unwrap_or_default();
                let problem = e.into_inner().to_string();
                return Err(malformed(problem.clone()).with_details(vec![Detail::new(
                    field,
                    "duplicate_key",
                    problem,
                )]));
            }
            Err(e) => return Err(malformed(e.into_inner().to_string())),
        };
        reader.end().map_err(|e| malformed(e.to_string()))?;
        Ok(JsonBody(value))
    }
}

/// A JSON value whose objects give each key once.
struct StrictValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<StrictValue, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Number::from_f64(v)
            .map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` is given twice in one object"
                )));
            }
            let StrictValue(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

/// Reads a JSON body into `T`: a rejected body gets its 4xx; a field that does not fit,
/// or one `T` does not have, is 422 with `code`, naming the field.
pub fn read_json<T: DeserializeOwned>(
    body: Result<JsonBody, ApiError>,
    code: &'static str,
) -> Result<T, ApiError> {
    let JsonBody(value) = body?;
    // serde reads a struct from a JSON array too, field by field in order; no client means
    // that, and `[null, null]` would be read as a document of defaults.
    if !value.is_object() {
        let kind = match value {
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            format!("the body is {kind}; send a JSON object"),
        )
        .with_details(vec![Detail::new(
            "",
            "not_an_object",
            format!("expected a JSON object, found {kind}"),
        )]));
    }
    strict(value, code)
}

/// Reads a document, naming the first field that does not fit and refusing fields the
/// type does not have (a misspelt optional field would otherwise be dropped unseen).
fn strict<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    code: &'static str,
) -> Result<T, ApiError> {
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| unknown.push(path.to_string());
    let parsed =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(value, &mut note))
            .map_err(|e| {
                let field = e.path().to_string();
                let message = e.into_inner().to_string();
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    code,
                    format!("{field}: {message}"),
                )
                .with_details(vec![Detail::new(field, "E1000", message)])
            })?;
    if !unknown.is_empty() {
        let details = unknown
            .iter()
            .map(|field| {
                Detail::new(
                    field.clone(),
                    "unknown_field",
                    format!("`{field}` is not a field of this document; see /api/openapi.json"),
                )
            })
            .collect();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            format!("unknown fields: {}", unknown.join(", ")),
        )
        .with_details(details));
    }
    Ok(parsed)
}

/// Middleware: a request whose header block is over [`crate::server::HEADER_BYTES_LIMIT`] is answered
/// 431 in the error shape before any handler (or the credentials check) sees it.
pub async fn limit_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let size: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if size > crate::server::HEADER_BYTES_LIMIT {
        let mut answer = ApiError::new(
            axum::http::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            crate::server::HEADERS_TOO_LARGE,
        )
        .into_response();
        // As hyper does with its own 431: a client that sends such headers is not kept.
        answer.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
        return answer;
    }
    next.run(request).await
}

/// Middleware: a 4xx or 5xx that some layer below answered in plain text (axum's own
/// rejections, e.g. a path that is not valid UTF-8) is re-written in the one error shape,
/// so every error a client sees is `{code, message, details[]}`.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&body).trim().to_string();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
        s if s.is_server_error() => "internal_error",
        _ => "error",
    };
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        message
    };
    ApiError::new(status, code, message).into_response()
}

/// A handler that panicked: logged, answered 500 in the error shape (the process goes on).
pub fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(panic = %what, "a handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "the service failed on this request; it is logged",
    )
    .into_response()
}
