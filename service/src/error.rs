//! The one error shape of the API: `{code, message, details[]}`, each detail naming the
//! field (a JSON path) and what is wrong with it.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
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

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<Detail>,
}

/// Every error answer: a stable code, a sentence, and what is wrong field by field.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ErrorBody<'a> {
    /// A stable code (`invalid_registry`, `not_found`, ...).
    code: &'a str,
    /// What is wrong, in a sentence.
    message: &'a str,
    /// Each field that is wrong (empty when the whole request is).
    details: &'a [Detail],
}

impl ApiError {
    /// An error with a status, a stable code and a sentence.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Adds the per-field details.
    pub fn with_details(mut self, details: Vec<Detail>) -> ApiError {
        self.details = details;
        self
    }

    /// 404 for a missing resource.
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
            details: &self.details,
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

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ),
            JsonRejection::JsonSyntaxError(e) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {}", e.body_text()),
            ),
            JsonRejection::JsonDataError(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                e.body_text(),
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "the body is larger than the service accepts",
                )
            }
            other => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
        }
    }
}

/// Reads a JSON body into `T`: a rejected body gets its 4xx; a field that does not fit,
/// or one `T` does not have, is 422 with `code`, naming the field.
pub fn read_json<T: DeserializeOwned>(
    body: Result<Json<serde_json::Value>, JsonRejection>,
    code: &'static str,
) -> Result<T, ApiError> {
    let Json(value) = body?;
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
