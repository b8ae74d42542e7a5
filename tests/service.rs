//! The HTTP service over a real socket against a real SQLite file: a plan posted with its
//! instance inline is solved, its roster passes the checker, and bad requests get the
//! right 4xx with a JSON body; a restart reports an interrupted plan instead of losing it.

mod common;

use std::time::Duration;

use serde_json::{Value, json};
use sweep_service::{AppState, app};
use sweep_solver::check;
use sweep_solver::model::{Instance, Roster};

/// Starts the service on a free port with its database in `dir`; returns the base URL.
async fn start(dir: &std::path::Path) -> String {
    let url = format!("sqlite://{}", dir.join("plans.db").display());
    let state = AppState::open(&url).await.expect("store opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app(state)).await.unwrap() });
    base
}

fn two_firms() -> Value {
    serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap()
}

/// Polls a plan every 50 ms (up to 30 s) until `done` says so; returns that view.
async fn poll_plan(client: &reqwest::Client, base: &str, id: i64, done: impl Fn(&Value) -> bool) -> Option<Value> {
    for _ in 0..600 {
        let plan: Value = client.get(format!("{base}/api/v1/plans/{id}")).send().await.unwrap().json().await.unwrap();
        if done(&plan) {
            return Some(plan);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

async fn wait_done(client: &reqwest::Client, base: &str, id: i64) -> Value {
    poll_plan(client, base, id, |p| p["status"] == "done" || p["status"] == "failed").await.unwrap_or_else(|| panic!("plan {id} did not finish"))
}

#[tokio::test]
async fn a_posted_plan_is_solved_stored_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let base = start(dir.path()).await;
    let client = reqwest::Client::new();
    assert_eq!(client.get(format!("{base}/healthz")).send().await.unwrap().status(), 200);
    assert_eq!(client.get(format!("{base}/readyz")).send().await.unwrap().status(), 200);

    let created = client.post(format!("{base}/api/v1/plans")).json(&json!({ "instance": two_firms(), "threads": 2 })).send().await.unwrap();
    assert_eq!(created.status(), 202);
    assert!(created.headers()["location"].to_str().unwrap().starts_with("/api/v1/plans/"));
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();

    let plan = wait_done(&client, &base, id).await;
    assert_eq!(plan["status"], "done", "{plan}");
    assert!(plan["coverage"].as_f64().unwrap() > 0.99);

    let instance: Instance = client.get(format!("{base}/api/v1/plans/{id}/instance")).send().await.unwrap().json().await.unwrap();
    let roster: Roster = client.get(format!("{base}/api/v1/plans/{id}/roster")).send().await.unwrap().json().await.unwrap();
    assert_eq!(check(&instance, &roster), vec![]);
    assert_eq!(roster.kpis.scheduled, 2);

    let list: Value = client.get(format!("{base}/api/v1/plans")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// Sends a request and asserts the status and the error code of its JSON body.
async fn expect_error(request: reqwest::RequestBuilder, status: u16, code: &str) -> Value {
    let response = request.send().await.unwrap();
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

#[tokio::test]
async fn bad_requests_get_a_json_4xx_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let base = start(dir.path()).await;
    let c = reqwest::Client::new();
    let plans = format!("{base}/api/v1/plans");
    let json_body = |text: &str| c.post(&plans).header("content-type", "application/json").body(text.to_string());

    expect_error(json_body("{not json"), 400, "malformed_json").await;
    expect_error(c.post(&plans).header("content-type", "text/plain").body("{}"), 415, "unsupported_media_type").await;
    expect_error(json_body("{}"), 422, "invalid_body").await;
    expect_error(c.post(&plans).json(&json!({ "instance": two_firms(), "colour": "red" })), 422, "invalid_body").await;
    expect_error(c.post(&plans).json(&json!({ "instance": two_firms(), "threads": "two" })), 422, "invalid_body").await;
    expect_error(c.post(&plans).json(&json!({ "instance": two_firms(), "threads": 0 })), 422, "invalid_plan").await;
    expect_error(c.post(&plans).json(&json!({ "instance": two_firms(), "time_limit": -1 })), 422, "invalid_plan").await;

    let mut bad = two_firms();
    bad["enterprises"][1]["risk"] = json!("purple");
    let body = expect_error(c.post(&plans).json(&json!({ "instance": bad })), 422, "invalid_instance").await;
    assert_eq!(body["details"][0]["field"], "instance.enterprises[1].risk", "{body}");

    let mut unknown = two_firms();
    unknown["enterprises"][0]["district"] = json!("NOWHERE");
    let body = expect_error(c.post(&plans).json(&json!({ "instance": unknown })), 422, "invalid_plan").await;
    assert!(body["details"].as_array().unwrap().iter().any(|d| d["field"] == "instance.enterprises[0].district"), "{body}");

    expect_error(c.get(format!("{plans}/999")), 404, "not_found").await;
    expect_error(c.get(format!("{plans}/abc")), 400, "invalid_id").await;
    expect_error(c.get(format!("{plans}/999/roster")), 404, "not_found").await;
    expect_error(c.get(format!("{base}/api/v1/nothing")), 404, "not_found").await;
    expect_error(c.delete(&plans), 405, "method_not_allowed").await;
    let huge = format!("{{\"instance\": \"{}\"}}", "x".repeat(sweep_service::BODY_LIMIT + 1));
    expect_error(json_body(&huge), 413, "body_too_large").await;
}

#[tokio::test]
async fn a_restart_reports_the_interrupted_plan() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    // A plan left running by a process that died (written as the service writes it).
    {
        let state = AppState::open(&url).await.unwrap();
        let id = state
            .store
            .insert_plan(&sweep_service::store::NewPlan { name: "lost".into(), instance: "{}".into(), threads: 1, iterations: 0, time_limit: None })
            .await
            .unwrap();
        state.store.set_running(id).await.unwrap();
    }
    let base = start(dir.path()).await;
    let plan: Value = reqwest::get(format!("{base}/api/v1/plans/1")).await.unwrap().json().await.unwrap();
    assert_eq!(plan["status"], "failed", "{plan}");
    assert!(plan["error"].as_str().unwrap().contains("interrupted"), "{plan}");
    let roster = reqwest::get(format!("{base}/api/v1/plans/1/roster")).await.unwrap();
    assert_eq!(roster.status(), 409);
}

/// A free local port (bound and released; the server binds it right after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `hazard-sweep serve` as a child process and waits until it answers.
async fn spawn_server(db: &std::path::Path, port: u16) -> std::process::Child {
    let child = std::process::Command::new(common::bin())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--database-url", &format!("sqlite://{}", db.display())])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

#[tokio::test]
async fn killing_the_server_mid_solve_leaves_the_plan_reported_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plans.db");
    let instance = common::import_month(&common::root().join("fixtures/cangzhou"), "2027-03");
    let port = free_port();
    let mut server = spawn_server(&db, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // Long enough to be killed while running.
    let created: Value = client
        .post(format!("{base}/api/v1/plans"))
        .json(&json!({ "instance": instance, "iterations": 10_000_000, "time_limit": 300 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    assert!(poll_plan(&client, &base, id, |p| p["status"] == "running").await.is_some(), "the plan never started");
    server.kill().unwrap();
    server.wait().unwrap();

    let port = free_port();
    let mut server = spawn_server(&db, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let plans: Value = client.get(format!("{base}/api/v1/plans")).send().await.unwrap().json().await.unwrap();
    assert_eq!(plans.as_array().unwrap().len(), 1, "{plans}");
    assert_eq!(plans[0]["status"], "failed", "{plans}");
    assert!(plans[0]["error"].as_str().unwrap().contains("interrupted"), "{plans}");
    // The instance it was being solved from is still there, whole.
    let stored: Instance = client.get(format!("{base}/api/v1/plans/{id}/instance")).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored.enterprises.len(), instance.enterprises.len());
    server.kill().unwrap();
    server.wait().unwrap();
}
