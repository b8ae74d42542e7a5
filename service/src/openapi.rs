//! The API description: an OpenAPI 3.1 document built from this module's operation table
//! and the JSON Schemas of the types the handlers read and write (schemars, the same
//! schemas as `hazard-sweep schema`), served at `/api/openapi.json`, and a page at
//! `/api/docs` that renders it with no network access (its script is in the binary).
//!
//! Why not utoipa: the contract's types already carry schemars schemas, and the registry
//! handlers are generic over the record type, which utoipa's path macros cannot describe.
//! A test sends every operation listed here to the router and fails if one is not routed.

use std::sync::OnceLock;

use axum::Json;
use axum::response::Html;
use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};
use sweep_solver::model::*;

/// What a request or response body is.
#[derive(Debug, Clone)]
pub enum Body {
    /// JSON of a named schema.
    Json(&'static str),
    /// JSON array of a named schema.
    JsonList(&'static str),
    /// A CSV file.
    Csv,
    /// An XLSX workbook.
    Xlsx,
    /// An iCalendar feed.
    Calendar,
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// No body.
    Empty,
}

/// One operation of the API.
#[derive(Debug, Clone)]
pub struct Operation {
    /// HTTP method, lower case.
    pub method: &'static str,
    /// Path template, `{name}` for parameters.
    pub path: String,
    /// One line on what it does.
    pub summary: String,
    /// Who may call it.
    pub roles: &'static str,
    /// The request body.
    pub request: Body,
    /// The success status and body.
    pub success: (u16, Body),
    /// The error statuses it can answer with (each with the error body).
    pub errors: &'static [u16],
    /// Query parameters: name and meaning.
    pub query: &'static [(&'static str, &'static str)],
}

fn op(
    method: &'static str,
    path: impl Into<String>,
    summary: impl Into<String>,
    roles: &'static str,
    request: Body,
    success: (u16, Body),
    errors: &'static [u16],
) -> Operation {
    Operation {
        method,
        path: path.into(),
        summary: summary.into(),
        roles,
        request,
        success,
        errors,
        query: &[],
    }
}

const READ: &[u16] = &[400, 401, 403, 404];
const WRITE: &[u16] = &[400, 401, 403, 404, 409, 413, 415, 422];

/// Every operation of the API.
pub fn operations() -> Vec<Operation> {
    let mut ops = vec![
        op(
            "get",
            "/healthz",
            "Liveness: the process answers",
            "anyone",
            Body::Empty,
            (200, Body::Text),
            &[],
        ),
        op(
            "get",
            "/readyz",
            "Readiness: the database answers",
            "anyone",
            Body::Empty,
            (200, Body::Text),
            &[503],
        ),
        op(
            "get",
            "/metrics",
            "Prometheus metrics (requests by route and status, latency, solves)",
            "anyone",
            Body::Empty,
            (200, Body::Text),
            &[],
        ),
        op(
            "get",
            "/api/openapi.json",
            "This document",
            "anyone",
            Body::Empty,
            (200, Body::Json("OpenApi")),
            &[],
        ),
        op(
            "get",
            "/api/docs",
            "A page that renders this document (works offline)",
            "anyone",
            Body::Empty,
            (200, Body::Html),
            &[],
        ),
    ];
    // (route, record schema, listing schema, CSV file)
    let registries: [(&str, &str, &str, &str); 6] = [
        ("districts", "District", "DistrictListing", "districts.csv"),
        ("officers", "Officer", "OfficerListing", "officers.csv"),
        ("experts", "Expert", "ExpertListing", "experts.csv"),
        (
            "enterprises",
            "Enterprise",
            "EnterpriseListing",
            "enterprises.csv",
        ),
        ("history", "Inspection", "InspectionListing", "history.csv"),
        ("findings", "Finding", "FindingListing", "findings.csv"),
    ];
    for (name, schema, listing, file) in registries {
        let writers = if name == "findings" {
            "planner; officer for findings on their own firms"
        } else {
            "planner"
        };
        ops.push(Operation {
            query: &[
                (
                    "limit",
                    "at most this many records (default 100, at most 1000)",
                ),
                ("offset", "skip this many"),
            ],
            ..op(
                "get",
                format!("/api/v1/{name}"),
                format!("List the {name} registry, in order"),
                "planner, officer",
                Body::Empty,
                (200, Body::Json(listing)),
                READ,
            )
        });
        ops.push(op("post", format!("/api/v1/{name}"), format!("Add one record to {name}; refused (422) with every problem if the registries would break a rule"), writers, Body::Json(schema), (201, Body::Json("Written")), WRITE));
        ops.push(op("post", format!("/api/v1/{name}/csv"), format!("Replace {name} with a CSV file (the columns of {file}, docs/data-format.md); all or nothing, every bad row reported"), "planner", Body::Csv, (200, Body::Json("Written")), WRITE));
        ops.push(op(
            "get",
            format!("/api/v1/{name}/{{key}}"),
            format!("One record of {name} (history's key: `<enterprise>:<date>:<kind>`)"),
            "planner, officer",
            Body::Empty,
            (200, Body::Json(schema)),
            READ,
        ));
        ops.push(op(
            "put",
            format!("/api/v1/{name}/{{key}}"),
            format!("Replace one record of {name}"),
            writers,
            Body::Json(schema),
            (200, Body::Json("Written")),
            WRITE,
        ));
        ops.push(op(
            "delete",
            format!("/api/v1/{name}/{{key}}"),
            format!("Delete one record of {name}; 409 naming every record that refers to it"),
            writers,
            Body::Empty,
            (204, Body::Empty),
            WRITE,
        ));
    }
    for (name, schema) in [
        ("policy", "Policy"),
        ("calendar", "Calendar"),
        ("travel", "Travel"),
    ] {
        ops.push(op(
            "get",
            format!("/api/v1/{name}"),
            format!("The bureau's {name}"),
            "planner, officer",
            Body::Empty,
            (200, Body::Json(schema)),
            READ,
        ));
        ops.push(op(
            "put",
            format!("/api/v1/{name}"),
            format!("Replace the bureau's {name}"),
            "planner",
            Body::Json(schema),
            (200, Body::Json("SettingWritten")),
            WRITE,
        ));
    }
    ops.push(op("post", "/api/v1/travel/matrix/csv", "Set the travel to a matrix from a CSV file (the columns of matrix.csv, docs/data-format.md; the matrix replaces any road network); all or nothing, every problem reported", "planner", Body::Csv, (200, Body::Json("SettingWritten")), WRITE));
    let lang: &[(&str, &str)] = &[("lang", "`zh` (default, Chinese headers) or `en`")];
    ops.extend([
        op("get", "/api/v1/plans", "Every plan, newest first", "planner, officer", Body::Empty, (200, Body::JsonList("PlanSummary")), READ),
        op("post", "/api/v1/plans", "Create a plan: `month` or `horizon` plans the stored registries, `instance` solves an inline instance; solved off the request, 202 with its location", "planner", Body::Json("CreatePlan"), (202, Body::Json("PlanView")), WRITE),
        op("get", "/api/v1/plans/{id}", "A plan's status, live progress (best coverage, bound, gap, elapsed) and experts' declines", "planner, officer", Body::Empty, (200, Body::Json("PlanView")), READ),
        op("delete", "/api/v1/plans/{id}", "Delete a draft plan (never a published one)", "planner", Body::Empty, (204, Body::Empty), WRITE),
        op("get", "/api/v1/plans/{id}/roster", "The roster (CONTRACT.md); 409 while solving or if the solve failed", "planner, officer", Body::Empty, (200, Body::Json("Roster")), &[400, 401, 403, 404, 409]),
        op("get", "/api/v1/plans/{id}/instance", "The exact instance the plan is solved from", "planner, officer", Body::Empty, (200, Body::Json("Instance")), READ),
        op("post", "/api/v1/plans/{id}/cancel", "Cancel a queued or running plan: it ends failed, `cancelled by a planner`; 409 if it is done or failed", "planner", Body::Empty, (200, Body::Json("PlanView")), &[400, 401, 403, 404, 409, 503]),
        op("post", "/api/v1/plans/{id}/publish", "Publish (freeze) a solved plan; experts see it from then on; 409 if not solved or already published", "planner", Body::Empty, (200, Body::Json("PlanView")), &[400, 401, 403, 404, 409]),
        Operation { query: lang, ..op("get", "/api/v1/plans/{id}/export.csv", "The roster as CSV, one row a visit", "planner, officer", Body::Empty, (200, Body::Csv), &[400, 401, 403, 404, 409]) },
        Operation { query: lang, ..op("get", "/api/v1/plans/{id}/export.xlsx", "The roster as an Excel workbook (visits; unscheduled firms)", "planner, officer", Body::Empty, (200, Body::Xlsx), &[400, 401, 403, 404, 409]) },
        op("post", "/api/v1/plans/{id}/visits/{enterprise}/findings", "Record a hazard found on a visit; it goes to the findings registry and the next plan's follow-ups", "planner; officer of the visit's crew", Body::Json("VisitFinding"), (201, Body::Json("Finding")), WRITE),
        Operation { query: &[("month", "YYYY-MM (default: this month)")], ..op("get", "/api/v1/me/assignments", "The calling expert's published visits in a month: date, times, firm, address, crew mates, officer", "expert", Body::Empty, (200, Body::Json("Assignments")), READ) },
        op("get", "/api/v1/me/calendar.ics", "The calling expert's published visits as a calendar feed a phone can subscribe to", "expert", Body::Empty, (200, Body::Calendar), READ),
        op("post", "/api/v1/me/assignments/{visit}/decline", "Decline one of your visits (`<plan>-<enterprise>`) with a reason; the planner sees it on the plan", "expert", Body::Json("DeclineRequest"), (201, Body::Json("DeclineRecorded")), WRITE),
        op("get", "/api/v1/tokens", "Every token issued (never the secret)", "planner", Body::Empty, (200, Body::JsonList("TokenInfo")), READ),
        op("post", "/api/v1/tokens", "Issue a token for a role (and the expert or officer it speaks for); the token is in this answer only", "planner", Body::Json("NewToken"), (201, Body::Json("IssuedToken")), WRITE),
        op("delete", "/api/v1/tokens/{id}", "Revoke a token", "planner", Body::Empty, (204, Body::Empty), &[400, 401, 403, 404, 409]),
    ]);
    ops
}

fn schemas() -> Map<String, Value> {
    use crate::error::{Detail, ErrorBody};
    use crate::me::{Assignments, DeclineRecorded, DeclineRequest};
    use crate::plans::{CreatePlan, PlanView, VisitFinding};
    use crate::registries::{Listing, SettingWritten, Written};
    use crate::store::{Decline, PlanSummary, TokenInfo};
    use crate::tokens::{Issued, NewToken};

    let settings = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "#/components/schemas/".into());
    let mut generator = SchemaGenerator::new(settings);
    let mut out = Map::new();
    fn add<T: JsonSchema>(
        generator: &mut SchemaGenerator,
        out: &mut Map<String, Value>,
        name: &str,
    ) {
        let mut schema = generator.root_schema_for::<T>().to_value();
        if let Some(object) = schema.as_object_mut() {
            // A root schema carries every definition it uses at the definitions path (here
            // `components/schemas` inside it); they are taken from the generator once below.
            object.remove("$schema");
            object.remove("$defs");
            object.remove("components");
        }
        out.insert(name.into(), schema);
    }
    macro_rules! add {
        ($($name:literal: $type:ty),* $(,)?) => { $( add::<$type>(&mut generator, &mut out, $name); )* };
    }
    add! {
        // The contract's documents (CONTRACT.md) and the registries' records.
        "Instance": Instance, "Roster": Roster, "District": District, "Officer": Officer, "Expert": Expert,
        "Enterprise": Enterprise, "Inspection": Inspection, "Finding": Finding, "Policy": Policy, "Calendar": Calendar, "Travel": Travel,
        "DistrictListing": Listing<District>, "OfficerListing": Listing<Officer>, "ExpertListing": Listing<Expert>,
        "EnterpriseListing": Listing<Enterprise>, "InspectionListing": Listing<Inspection>, "FindingListing": Listing<Finding>,
        // The service's own requests and answers.
        "Error": ErrorBody<'static>, "Detail": Detail, "Written": Written, "SettingWritten": SettingWritten,
        "CreatePlan": CreatePlan, "PlanSummary": PlanSummary, "PlanView": PlanView, "VisitFinding": VisitFinding,
        "Assignments": Assignments, "DeclineRequest": DeclineRequest, "DeclineRecorded": DeclineRecorded, "Decline": Decline,
        "NewToken": NewToken, "IssuedToken": Issued, "TokenInfo": TokenInfo,
    }
    for (name, schema) in generator.take_definitions(true) {
        out.entry(name).or_insert(schema);
    }
    out.insert(
        "OpenApi".into(),
        json!({"type": "object", "description": "An OpenAPI 3.1 document"}),
    );
    for schema in out.values_mut() {
        close_objects(schema);
    }
    out
}

/// Marks every object schema that lists its properties as having no others: the service
/// refuses a field a request type does not have, at any depth (`error::read_json`), and
/// its answers are serialised from these same types.
fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if object.contains_key("properties") && !object.contains_key("additionalProperties") {
                object.insert("additionalProperties".into(), Value::Bool(false));
            }
            object.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

fn content(body: &Body) -> Option<Value> {
    let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    Some(match body {
        Body::Json(name) => json!({"application/json": {"schema": reference(name)}}),
        Body::JsonList(name) => {
            json!({"application/json": {"schema": {"type": "array", "items": reference(name)}}})
        }
        Body::Csv => json!({"text/csv": {"schema": {"type": "string"}}}),
        Body::Xlsx => {
            json!({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}})
        }
        Body::Calendar => json!({"text/calendar": {"schema": {"type": "string"}}}),
        Body::Text => json!({"text/plain": {"schema": {"type": "string"}}}),
        Body::Html => json!({"text/html": {"schema": {"type": "string"}}}),
        Body::Empty => return None,
    })
}

/// What the handlers accept for a path or query parameter (anything else is a 400 naming it).
fn parameter_schema(name: &str) -> Value {
    match name {
        "id" => json!({"type": "integer", "minimum": 1, "maximum": i64::MAX}),
        "limit" => {
            json!({"type": "integer", "minimum": 1, "maximum": crate::registries::MAX_PAGE, "default": crate::registries::DEFAULT_PAGE})
        }
        "offset" => json!({"type": "integer", "minimum": 0, "maximum": i64::MAX}),
        "lang" => json!({"enum": ["zh", "en"]}),
        "month" => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}),
        "visit" => json!({"type": "string", "pattern": "^[1-9][0-9]*-.+$"}),
        _ => json!({"type": "string", "minLength": 1}),
    }
}

fn error_meaning(status: u16) -> &'static str {
    match status {
        400 => "malformed request: bad JSON, bad id or query parameter",
        401 => "no token, or an unknown or revoked one",
        403 => "the token's role may not do this",
        404 => "no such resource",
        409 => {
            "the resource's state forbids it (not solved yet, published, already exists, still referenced)"
        }
        408 => "the body did not arrive in time",
        413 => "the body is larger than the service accepts",
        414 => "the URI is longer than the service accepts",
        431 => "the request's headers are larger than the service accepts",
        415 => "wrong Content-Type",
        422 => "the body is well-formed but breaks the contract or a rule; details name each field",
        503 => "the database is unavailable",
        _ => "error",
    }
}

/// Builds the OpenAPI document.
pub fn build() -> Value {
    let mut paths = Map::new();
    for operation in operations() {
        let mut responses = Map::new();
        let mut success = json!({"description": "success"});
        if let Some(content) = content(&operation.success.1) {
            success["content"] = content;
        }
        responses.insert(operation.success.0.to_string(), success);
        for status in operation.errors {
            responses.insert(status.to_string(), json!({"description": error_meaning(*status), "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
        }
        let mut parameters: Vec<Value> = operation
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": parameter_schema(name)}))
            .collect();
        parameters.extend(operation.query.iter().map(|(name, meaning)| json!({"name": name, "in": "query", "required": false, "description": meaning, "schema": parameter_schema(name)})));
        let mut entry = json!({
            "summary": operation.summary,
            "description": format!("Who may call it: {}.", operation.roles),
            "parameters": parameters,
            "responses": responses,
            "x-roles": operation.roles,
        });
        if operation.roles != "anyone" {
            entry["security"] = json!([{"bearer": []}]);
        }
        if let Some(content) = content(&operation.request) {
            entry["requestBody"] = json!({"required": true, "content": content});
        }
        let item = paths
            .entry(operation.path.clone())
            .or_insert_with(|| json!({}));
        item[operation.method] = entry;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "hazard-sweep",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Plans expert hidden-hazard sweeps (专家查隐患): registries, monthly plans, rosters, exports, publication, the experts' view. Every error is JSON {code, message, details[]}.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "a token from POST /api/v1/tokens (the first planner token is printed on the first start)"}},
        },
    })
}

/// `GET /api/openapi.json`
pub async fn document() -> Json<Value> {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    Json(DOCUMENT.get_or_init(build).clone())
}

/// `GET /api/docs`: renders the document in the browser with a script in this page.
pub async fn page() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}
