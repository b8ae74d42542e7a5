//! The HTTP service over a real socket against a real SQLite file.
//!
//! - a bureau's life: registries uploaded as CSV → a month planned → roster checked →
//!   exported (the XLSX opened and read) → published; the expert's view and calendar;
//! - every role rule; a bad-input suite where each request gets its 4xx and code;
//! - a restart (simulated, and a real `kill -9` of `hazard-sweep serve` mid-solve).

mod common;
#[path = "service/hardening.rs"]
mod hardening;

use std::path::Path;
use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use sweep_service::{AppState, app};
use sweep_solver::check;
use sweep_solver::model::{Calendar, Instance, Policy, Roster, Travel};

const PLANNER: &str = "test-planner-token";

/// A service on a free port with its database in a temporary folder.
struct Server {
    base: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let base = start_in(dir.path()).await;
        Server {
            base,
            client: reqwest::Client::new(),
            _dir: dir,
        }
    }

    /// A request with a token (or none).
    fn call(&self, token: Option<&str>, method: Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// A planner's request.
    fn planner(&self, method: Method, path: &str) -> RequestBuilder {
        self.call(Some(PLANNER), method, path)
    }

    async fn json(&self, request: RequestBuilder, status: u16) -> Value {
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(got, status, "{body}");
        serde_json::from_str(&body).unwrap_or(Value::Null)
    }

    /// Issues a token for a role and subject.
    async fn token(&self, role: &str, subject: Option<&str>) -> String {
        let body = self
            .json(
                self.planner(Method::POST, "/api/v1/tokens")
                    .json(&json!({ "role": role, "subject": subject })),
                201,
            )
            .await;
        body["token"].as_str().unwrap().to_string()
    }

    /// Posts a plan and waits until it is solved.
    async fn plan(&self, body: Value) -> i64 {
        let created = self
            .json(self.planner(Method::POST, "/api/v1/plans").json(&body), 202)
            .await;
        let id = created["id"].as_i64().unwrap();
        let plan = self
            .wait(id, |p| p["status"] == "done" || p["status"] == "failed")
            .await
            .expect("the plan finishes");
        assert_eq!(plan["status"], "done", "{plan}");
        id
    }

    /// Polls a plan every 50 ms (up to 180 s: a plan also proves its bound) until `done` says so.
    async fn wait(&self, id: i64, done: impl Fn(&Value) -> bool) -> Option<Value> {
        poll_plan(&self.client, &self.base, id, done).await
    }

    /// The plan's instance and roster, checked by the independent checker.
    async fn checked(&self, id: i64) -> (Instance, Roster) {
        let instance: Instance = self
            .planner(Method::GET, &format!("/api/v1/plans/{id}/instance"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let roster: Roster = self
            .planner(Method::GET, &format!("/api/v1/plans/{id}/roster"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(check(&instance, &roster), vec![], "plan {id}");
        (instance, roster)
    }
}

/// Starts the service with its database in `dir` (the planner token is [`PLANNER`]).
async fn start_in(dir: &Path) -> String {
    let url = format!("sqlite://{}", dir.join("plans.db").display());
    let state = AppState::open(&url).await.expect("store opens");
    sweep_service::auth::bootstrap(&state.store, Some(PLANNER))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sweep_service::server::serve(
        listener,
        app(state),
        std::future::pending(),
    ));
    base
}

async fn poll_plan(
    client: &reqwest::Client,
    base: &str,
    id: i64,
    done: impl Fn(&Value) -> bool,
) -> Option<Value> {
    for _ in 0..3600 {
        let plan: Value = client
            .get(format!("{base}/api/v1/plans/{id}"))
            .bearer_auth(PLANNER)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if done(&plan) {
            return Some(plan);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// Sends a request and asserts the status and the error code of its JSON body.
async fn expect_error(request: RequestBuilder, status: u16, code: &str) -> Value {
    let response = request.send().await.unwrap();
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["details"].is_array(), "{body}");
    body
}

fn two_firms() -> Value {
    serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap()
}

/// Two districts, each with its officer, firms and the experts of the two-firm example.
fn two_districts() -> Value {
    let mut instance = two_firms();
    instance["districts"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "D2", "name": "新华区", "base": { "lat": 38.314, "lon": 116.866 } }));
    instance["officers"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "O2", "name": "赵敏", "district": "D2" }));
    instance["enterprises"].as_array_mut().unwrap().push(json!({
        "id": "F3", "name": "新华建工二号工地", "district": "D2", "location": { "lat": 38.32, "lon": 116.88 }, "sector": "construction", "risk": "yellow", "officer": "O2"
    }));
    instance
}

/// Stores an instance's registries one JSON record at a time, in reference order.
async fn store_registries(server: &Server, instance: &Value) {
    for registry in [
        "districts",
        "officers",
        "experts",
        "enterprises",
        "history",
        "findings",
    ] {
        for record in instance[registry].as_array().into_iter().flatten() {
            server
                .json(
                    server
                        .planner(Method::POST, &format!("/api/v1/{registry}"))
                        .json(record),
                    201,
                )
                .await;
        }
    }
    if let Some(policy) = instance.get("policy") {
        server
            .json(
                server.planner(Method::PUT, "/api/v1/policy").json(policy),
                200,
            )
            .await;
    }
}

// ---- the bureau's life --------------------------------------------------------------

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn registries_by_csv_to_a_published_plan_and_the_experts_view() {
    let server = Server::start().await;
    let dir = common::root().join("fixtures/cangzhou");
    assert_eq!(
        server
            .client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        server
            .client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Settings as JSON (read from the fixture's TOML and road files the way the CLI does).
    let mut problems = Vec::new();
    let policy: Policy = sweep_registry::read_toml(
        &read(&dir.join("policy.toml")),
        "policy.toml",
        &mut problems,
    )
    .unwrap();
    let calendar: Calendar = sweep_registry::read_toml(
        &read(&dir.join("calendar.toml")),
        "calendar.toml",
        &mut problems,
    )
    .unwrap();
    let nodes =
        sweep_registry::read_road_nodes(&read(&dir.join("road_nodes.csv")), &mut problems).records;
    let edges =
        sweep_registry::read_road_edges(&read(&dir.join("road_edges.csv")), &mut problems).records;
    assert!(problems.is_empty());
    server
        .json(
            server.planner(Method::PUT, "/api/v1/policy").json(&policy),
            200,
        )
        .await;
    server
        .json(
            server
                .planner(Method::PUT, "/api/v1/calendar")
                .json(&calendar),
            200,
        )
        .await;
    let travel = Travel {
        network: Some(sweep_solver::model::Network { nodes, edges }),
        matrix: None,
    };
    server
        .json(
            server.planner(Method::PUT, "/api/v1/travel").json(&travel),
            200,
        )
        .await;

    // The registries as CSV files, in reference order.
    for (registry, file) in [
        ("districts", "districts.csv"),
        ("officers", "officers.csv"),
        ("experts", "experts.csv"),
        ("enterprises", "enterprises.csv"),
        ("history", "history.csv"),
        ("findings", "findings.csv"),
    ] {
        let text = read(&dir.join(file));
        let rows = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        let written = server
            .json(
                server
                    .planner(Method::POST, &format!("/api/v1/{registry}/csv"))
                    .header("content-type", "text/csv")
                    .body(text),
                200,
            )
            .await;
        assert_eq!(
            written["records"].as_u64().unwrap() as usize,
            rows,
            "{registry}: {written}"
        );
    }
    let listing = server
        .json(
            server.planner(Method::GET, "/api/v1/enterprises?limit=2&offset=1"),
            200,
        )
        .await;
    assert_eq!(listing["total"], 7934);
    assert_eq!(listing["items"][0]["id"], "XH-0001");

    // A month planned from the stored registries is the command line's instance of that month.
    let id = server
        .plan(json!({ "month": "2027-03", "threads": 2, "iterations": 300 }))
        .await;
    let (instance, roster) = server.checked(id).await;
    let mut cli = common::import_month(&dir, "2027-03");
    cli.name = instance.name.clone();
    assert!(
        instance == cli,
        "the service's instance differs from the command line's import"
    );
    // Every mandatory visit a day can hold is made (a 420-minute check far from its
    // officer's base may not fit a day with its lunch break).
    for u in roster.unscheduled.iter().filter(|u| u.mandatory) {
        assert_eq!(u.code, "unreachable_in_day", "{u:?}");
    }

    // Exports: CSV with Chinese headers by default, English on request; XLSX opened and read.
    let csv = server
        .planner(Method::GET, &format!("/api/v1/plans/{id}/export.csv"))
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    let visits: usize = roster.crews.iter().map(|c| c.visits.len()).sum();
    assert_eq!(csv.lines().count(), visits + 1);
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("日期,检查组,执法人员,专家,组长,企业编号,企业名称"),
        "{}",
        &csv[..200]
    );
    let english = server
        .planner(
            Method::GET,
            &format!("/api/v1/plans/{id}/export.csv?lang=en"),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        english
            .trim_start_matches('\u{feff}')
            .starts_with("date,crew,officer,experts,lead,enterprise_id")
    );
    let xlsx = server
        .planner(Method::GET, &format!("/api/v1/plans/{id}/export.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("a workbook");
    let sheet = calamine::Reader::worksheet_range(&mut book, "排班").expect("the roster sheet");
    assert_eq!(
        sheet.get_value((0, 4)).map(ToString::to_string),
        Some("组长".into())
    );
    assert_eq!(
        sheet.get_value((0, 5)).map(ToString::to_string),
        Some("企业编号".into())
    );
    // Every crew's leader is named beside its experts.
    assert!(
        (1..sheet.height() as u32).all(|r| sheet
            .get_value((r, 4))
            .is_some_and(|v| !v.to_string().is_empty())),
        "a visit row without its crew's leader"
    );
    let first = &roster.crews[0];
    assert_eq!(
        sheet.get_value((1, 0)).map(ToString::to_string),
        Some(first.date.to_string())
    );
    let lead = first.lead.as_deref().expect("the crew names its leader");
    assert!(first.experts.iter().any(|e| e == lead));
    assert!(
        sheet
            .get_value((1, 4))
            .is_some_and(|v| v.to_string().ends_with(&format!("({lead})"))),
        "{:?}",
        sheet.get_value((1, 4))
    );
    assert_eq!(
        sheet.get_value((1, 5)).map(ToString::to_string),
        Some(first.visits[0].enterprise.clone())
    );
    assert_eq!(sheet.height(), visits + 1);

    // Publish freezes it: a second publish and a delete are refused.
    let published = server
        .json(
            server.planner(Method::POST, &format!("/api/v1/plans/{id}/publish")),
            200,
        )
        .await;
    assert!(published["published_at"].is_string(), "{published}");
    expect_error(
        server.planner(Method::POST, &format!("/api/v1/plans/{id}/publish")),
        409,
        "already_published",
    )
    .await;
    expect_error(
        server.planner(Method::DELETE, &format!("/api/v1/plans/{id}")),
        409,
        "published",
    )
    .await;

    // The expert's view: their own visits, with crew mates and officer; the calendar feed.
    let expert = first.experts[0].clone();
    let token = server.token("expert", Some(&expert)).await;
    let mine = server
        .json(
            server.call(
                Some(&token),
                Method::GET,
                "/api/v1/me/assignments?month=2027-03",
            ),
            200,
        )
        .await;
    let assignments = mine["assignments"].as_array().unwrap();
    let expected: usize = roster
        .crews
        .iter()
        .filter(|c| c.experts.contains(&expert))
        .map(|c| c.visits.len())
        .sum();
    assert_eq!(assignments.len(), expected);
    let a = &assignments[0];
    assert_eq!(a["date"], first.date.to_string());
    assert_eq!(a["enterprise"]["id"], first.visits[0].enterprise.as_str());
    assert_eq!(a["officer"]["id"], first.officer.as_str());
    assert_eq!(
        a["crew_mates"].as_array().unwrap().len(),
        first.experts.len() - 1
    );
    // The expert sees who leads their crew.
    assert_eq!(a["lead"]["id"].as_str(), first.lead.as_deref(), "{a}");
    assert!(first.lead.is_some());
    assert!(
        a["enterprise"]["address"].as_str().unwrap().contains('('),
        "{a}"
    );
    let april = server
        .json(
            server.call(
                Some(&token),
                Method::GET,
                "/api/v1/me/assignments?month=2027-04",
            ),
            200,
        )
        .await;
    assert_eq!(april["assignments"].as_array().unwrap().len(), 0);
    let ics = server
        .call(Some(&token), Method::GET, "/api/v1/me/calendar.ics")
        .send()
        .await
        .unwrap();
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = ics.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
    assert!(ics.contains("组长"), "the calendar names the crew's leader");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), expected);
    // 08:30 in Beijing is 00:30 UTC.
    let start = first.visits[0].start.minutes() - 8 * 60;
    assert!(
        ics.contains(&format!(
            "DTSTART:{}T{:02}{:02}00Z",
            first.date.format("%Y%m%d"),
            start / 60,
            start % 60
        )),
        "{}",
        &ics[..600]
    );

    // A decline is recorded once, shown to the planner on the plan, and drops the visit from the feed.
    let visit = a["visit"].as_str().unwrap().to_string();
    let declined = server
        .json(
            server
                .call(
                    Some(&token),
                    Method::POST,
                    &format!("/api/v1/me/assignments/{visit}/decline"),
                )
                .json(&json!({ "reason": "家中有事" })),
            201,
        )
        .await;
    assert_eq!(declined["expert"], expert.as_str());
    expect_error(
        server
            .call(
                Some(&token),
                Method::POST,
                &format!("/api/v1/me/assignments/{visit}/decline"),
            )
            .json(&json!({ "reason": "again" })),
        409,
        "already_declined",
    )
    .await;
    let plan = server
        .json(
            server.planner(Method::GET, &format!("/api/v1/plans/{id}")),
            200,
        )
        .await;
    assert_eq!(plan["declines"][0]["expert"], expert.as_str(), "{plan}");
    assert_eq!(plan["declines"][0]["reason"], "家中有事");
    let ics = server
        .call(Some(&token), Method::GET, "/api/v1/me/calendar.ics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), expected - 1);

    // Someone else's visit does not exist for this expert.
    let other = roster
        .crews
        .iter()
        .find(|c| !c.experts.contains(&expert))
        .unwrap();
    expect_error(
        server
            .call(
                Some(&token),
                Method::POST,
                &format!(
                    "/api/v1/me/assignments/{id}-{}/decline",
                    other.visits[0].enterprise
                ),
            )
            .json(&json!({ "reason": "x" })),
        404,
        "not_found",
    )
    .await;

    // A finding recorded on a visit goes to the registry and makes the firm a follow-up next month.
    let officer = server.token("officer", Some(&first.officer)).await;
    let firm = first.visits[0].enterprise.clone();
    let finding = server
        .json(
            server
                .call(
                    Some(&officer),
                    Method::POST,
                    &format!("/api/v1/plans/{id}/visits/{firm}/findings"),
                )
                .json(&json!({ "severity": "major", "deadline": "2027-04-10" })),
            201,
        )
        .await;
    assert_eq!(finding["found_on"], first.date.to_string());
    let april = server
        .plan(json!({ "month": "2027-04", "iterations": 100, "threads": 2 }))
        .await;
    let (_, next) = server.checked(april).await;
    let due = next
        .due
        .iter()
        .find(|d| d.enterprise == firm)
        .expect("the firm is due in April");
    assert!(due.mandatory, "{due:?}");
}

// ---- roles --------------------------------------------------------------------------

/// The leg minutes of the first visit of every crew, from O1's base (district D1's).
fn first_legs(roster: &Roster) -> Vec<(String, u32)> {
    roster
        .crews
        .iter()
        .map(|c| (c.visits[0].enterprise.clone(), c.visits[0].travel_min))
        .collect()
}

#[tokio::test]
async fn a_travel_matrix_solves_inline_and_from_the_stored_travel_and_its_csv() {
    let server = Server::start().await;
    let matrix = common::matrix_two_firms();
    let expected = |roster: &Roster| {
        for (firm, minutes) in first_legs(roster) {
            assert_eq!(
                minutes,
                common::matrix_leg(&matrix, "D1", &firm).0,
                "{firm}"
            );
        }
        assert!(!roster.crews.is_empty());
    };
    // Inline: the instance carries its matrix.
    let id = server
        .plan(json!({ "instance": matrix, "threads": 1, "iterations": 50 }))
        .await;
    let (_, roster) = server.checked(id).await;
    expected(&roster);

    // Stored: the travel document holds the matrix (PUT), every write checked with it.
    store_registries(&server, &two_firms()).await;
    let travel = serde_json::to_value(matrix.travel.as_ref().unwrap()).unwrap();
    let mut bad = travel.clone();
    bad["matrix"]["minutes"][0][1] = json!(5000);
    let body = expect_error(
        server.planner(Method::PUT, "/api/v1/travel").json(&bad),
        422,
        "invalid_registry",
    )
    .await;
    assert_eq!(
        body["details"][0]["field"], "travel.matrix.minutes[0][1]",
        "{body}"
    );
    assert_eq!(body["details"][0]["code"], "E1523", "{body}");
    server
        .json(
            server.planner(Method::PUT, "/api/v1/travel").json(&travel),
            200,
        )
        .await;
    // A firm the matrix does not list cannot be added while the matrix is stored.
    let mut f3 = two_firms()["enterprises"][0].clone();
    f3["id"] = json!("F3");
    let body = expect_error(
        server
            .planner(Method::POST, "/api/v1/enterprises")
            .json(&f3),
        422,
        "invalid_registry",
    )
    .await;
    assert_eq!(body["details"][0]["code"], "E1522", "{body}");
    let id = server
        .plan(json!({ "month": "2027-03", "threads": 1, "iterations": 50 }))
        .await;
    let (instance, roster) = server.checked(id).await;
    assert_eq!(instance.travel, matrix.travel);
    expected(&roster);

    // As CSV: a pair given twice is refused on its line; a good file replaces the travel.
    let dir = tempfile::tempdir().unwrap();
    hazard_sweep::generate::write_registries(&matrix, dir.path()).unwrap();
    let csv = read(&dir.path().join("matrix.csv"));
    let upload = |text: String| {
        server
            .planner(Method::POST, "/api/v1/travel/matrix/csv")
            .header("content-type", "text/csv")
            .body(text)
    };
    let body = expect_error(upload(format!("{csv}F1,F2,1,1\n")), 422, "invalid_registry").await;
    assert_eq!(
        (&body["details"][0]["code"], &body["details"][0]["line"]),
        (&json!("E1521"), &json!(11)),
        "{body}"
    );
    let faster = csv.replace("D1,F1,37,", "D1,F1,12,");
    assert_ne!(faster, csv);
    let written = server.json(upload(faster), 200).await;
    assert_eq!(written["setting"], "travel");
    let stored: Travel = serde_json::from_value(
        server
            .json(server.planner(Method::GET, "/api/v1/travel"), 200)
            .await,
    )
    .unwrap();
    assert_eq!(stored.matrix.unwrap().minutes[0][1], 12);
}

#[tokio::test]
async fn every_role_rule() {
    let server = Server::start().await;
    store_registries(&server, &two_districts()).await;
    // Ids may hold any character; the Location header encodes them and leads back.
    let created = server.planner(Method::POST, "/api/v1/districts").json(&json!({ "id": "运河 2/东", "name": "运河区东", "base": { "lat": 38.31, "lon": 116.87 } })).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        location,
        "/api/v1/districts/%E8%BF%90%E6%B2%B3%202%2F%E4%B8%9C"
    );
    assert_eq!(
        server
            .json(server.planner(Method::GET, &location), 200)
            .await["name"],
        "运河区东"
    );
    assert_eq!(
        server
            .planner(Method::DELETE, &location)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let id = server
        .plan(json!({ "horizon": { "start": "2027-03-01", "end": "2027-03-05" }, "threads": 1 }))
        .await;
    let (_, roster) = server.checked(id).await;
    server
        .json(
            server.planner(Method::POST, &format!("/api/v1/plans/{id}/publish")),
            200,
        )
        .await;
    let o1 = server.token("officer", Some("O1")).await;
    let o2 = server.token("officer", Some("O2")).await;
    let e1 = server.token("expert", Some("E1")).await;
    let planner2 = server.token("planner", None).await;

    // No token, a malformed header, an unknown token: 401 on every protected route.
    for path in [
        "/api/v1/plans",
        "/api/v1/districts",
        "/api/v1/tokens",
        "/api/v1/me/assignments",
    ] {
        expect_error(server.call(None, Method::GET, path), 401, "missing_token").await;
        expect_error(
            server
                .call(None, Method::GET, path)
                .header("authorization", "Basic abc"),
            401,
            "invalid_token",
        )
        .await;
        expect_error(
            server.call(Some("hs_not_a_token"), Method::GET, path),
            401,
            "invalid_token",
        )
        .await;
    }
    // Open routes need no token.
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/openapi.json",
        "/api/docs",
    ] {
        assert_eq!(
            server
                .call(None, Method::GET, path)
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{path}"
        );
    }

    // Experts: everything outside /me is forbidden.
    for (method, path) in [
        (Method::GET, "/api/v1/plans"),
        (Method::GET, &*format!("/api/v1/plans/{id}/roster")),
        (Method::GET, "/api/v1/experts/E2"),
        (Method::GET, "/api/v1/tokens"),
        (Method::POST, "/api/v1/plans"),
    ] {
        expect_error(
            server.call(Some(&e1), method, path).json(&json!({})),
            403,
            "forbidden",
        )
        .await;
    }
    // /me answers for experts only.
    expect_error(
        server.planner(Method::GET, "/api/v1/me/assignments"),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server.call(Some(&o1), Method::GET, "/api/v1/me/calendar.ics"),
        403,
        "forbidden",
    )
    .await;
    // An expert sees their own visits only.
    let mine = server
        .json(
            server.call(
                Some(&e1),
                Method::GET,
                "/api/v1/me/assignments?month=2027-03",
            ),
            200,
        )
        .await;
    let expected: usize = roster
        .crews
        .iter()
        .filter(|c| c.experts.iter().any(|e| e == "E1"))
        .map(|c| c.visits.len())
        .sum();
    assert_eq!(mine["assignments"].as_array().unwrap().len(), expected);

    // Officers read registries and plans...
    server
        .json(
            server.call(Some(&o1), Method::GET, "/api/v1/enterprises"),
            200,
        )
        .await;
    server
        .json(
            server.call(Some(&o1), Method::GET, &format!("/api/v1/plans/{id}")),
            200,
        )
        .await;
    assert_eq!(
        server
            .call(
                Some(&o1),
                Method::GET,
                &format!("/api/v1/plans/{id}/export.csv")
            )
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // ...but do not plan, publish, keep registries or issue tokens.
    expect_error(
        server
            .call(Some(&o1), Method::POST, "/api/v1/plans")
            .json(&json!({ "month": "2027-03" })),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server.call(
            Some(&o1),
            Method::POST,
            &format!("/api/v1/plans/{id}/publish"),
        ),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server.call(Some(&o1), Method::DELETE, &format!("/api/v1/plans/{id}")),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server
            .call(Some(&o1), Method::POST, "/api/v1/districts/csv")
            .header("content-type", "text/csv")
            .body("id,name,lat,lon\n"),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server
            .call(Some(&o1), Method::PUT, "/api/v1/districts/D1")
            .json(&two_firms()["districts"][0]),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server
            .call(Some(&o1), Method::PUT, "/api/v1/policy")
            .json(&json!({})),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server
            .call(Some(&o1), Method::POST, "/api/v1/tokens")
            .json(&json!({ "role": "planner" })),
        403,
        "forbidden",
    )
    .await;
    // An officer records findings on their own firms only...
    let finding = |id: &str, firm: &str| json!({ "id": id, "enterprise": firm, "severity": "general", "found_on": "2027-02-01", "deadline": "2027-03-01", "rectified": false });
    server
        .json(
            server
                .call(Some(&o1), Method::POST, "/api/v1/findings")
                .json(&finding("H1", "F1")),
            201,
        )
        .await;
    expect_error(
        server
            .call(Some(&o1), Method::POST, "/api/v1/findings")
            .json(&finding("H2", "F3")),
        403,
        "forbidden",
    )
    .await;
    server
        .json(
            server
                .call(Some(&o2), Method::POST, "/api/v1/findings")
                .json(&finding("H2", "F3")),
            201,
        )
        .await;
    // Moving another officer's finding onto one's own firm is forbidden too.
    expect_error(
        server
            .call(Some(&o1), Method::PUT, "/api/v1/findings/H2")
            .json(&finding("H2", "F1")),
        403,
        "forbidden",
    )
    .await;
    expect_error(
        server.call(Some(&o1), Method::DELETE, "/api/v1/findings/H2"),
        403,
        "forbidden",
    )
    .await;
    let mut rectified = finding("H1", "F1");
    rectified["rectified"] = json!(true);
    server
        .json(
            server
                .call(Some(&o1), Method::PUT, "/api/v1/findings/H1")
                .json(&rectified),
            200,
        )
        .await;
    // ...and on their own crews' visits only.
    let crew_of = |firm: &str| {
        roster
            .crews
            .iter()
            .find(|c| c.visits.iter().any(|v| v.enterprise == firm))
            .map(|c| c.officer.clone())
    };
    assert_eq!(crew_of("F3").as_deref(), Some("O2"), "{roster:?}");
    let on_visit = |token: &str| {
        server
            .call(
                Some(token),
                Method::POST,
                &format!("/api/v1/plans/{id}/visits/F3/findings"),
            )
            .json(&json!({ "severity": "general", "deadline": "2027-04-01" }))
    };
    expect_error(on_visit(&o1), 403, "forbidden").await;
    server.json(on_visit(&o2), 201).await;
    server.json(on_visit(PLANNER), 201).await;

    // Planners issue and revoke tokens; a revoked token stops working at once.
    let tokens = server
        .json(server.planner(Method::GET, "/api/v1/tokens"), 200)
        .await;
    let e1_id = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == "E1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert!(
        tokens.to_string().find("hs_").is_none(),
        "token secrets are never listed"
    );
    assert_eq!(
        server
            .call(
                Some(&planner2),
                Method::DELETE,
                &format!("/api/v1/tokens/{e1_id}")
            )
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    expect_error(
        server.call(Some(&e1), Method::GET, "/api/v1/me/assignments"),
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn the_same_registries_and_seed_give_the_same_roster() {
    let server = Server::start().await;
    store_registries(&server, &two_districts()).await;
    let body = json!({ "horizon": { "start": "2027-03-01", "end": "2027-03-05" }, "threads": 2, "seed": 7 });
    let (_, first) = server.checked(server.plan(body.clone()).await).await;
    // A name that is not ASCII still makes a valid download header.
    let named = server.plan(json!({ "horizon": { "start": "2027-03-01", "end": "2027-03-05" }, "name": "沧州 \"三月\"" })).await;
    let export = server
        .planner(Method::GET, &format!("/api/v1/plans/{named}/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert_eq!(
        export.headers()["content-disposition"],
        "attachment; filename=\"_______.xlsx\"; filename*=UTF-8''%E6%B2%A7%E5%B7%9E%20%22%E4%B8%89%E6%9C%88%22.xlsx"
    );
    let (_, second) = server.checked(server.plan(body).await).await;
    assert_eq!(
        (first.crews, first.unscheduled, first.draw),
        (second.crews, second.unscheduled, second.draw)
    );
}

#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut server, stdout) = spawn_server_with(
        &dir.path().join("logs.db"),
        port,
        Some(PLANNER),
        &["--log-format", "json"],
    )
    .await;
    let response = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/plans/77"))
        .bearer_auth(PLANNER)
        .header("x-request-id", "trace-me-77")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(stdout.with_extension("log")).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    let traced = lines
        .iter()
        .find(|l| l["span"]["id"] == "trace-me-77")
        .unwrap_or_else(|| panic!("no line of the request: {log}"));
    assert_eq!(traced["span"]["uri"], "/api/v1/plans/77", "{traced}");
    assert!(
        traced["fields"]["status"].as_u64() == Some(404) || traced["fields"]["status"] == "404",
        "{traced}"
    );
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut server, _) = spawn_server(&dir.path().join("stop.db"), port, Some(PLANNER)).await;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.wait().unwrap();
    assert!(exit.success(), "the server exits 0 after SIGTERM: {exit:?}");
}

/// SIGTERM while a long solve runs and another waits: the service does not wait out the
/// search (here up to an hour); it stops it, marks both plans failed with the reason, and
/// exits 0.
#[tokio::test]
async fn sigterm_mid_solve_stops_the_solve_and_reports_the_plans() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stop.db");
    let port = free_port();
    let (mut server, _) = spawn_server_with(&db, port, Some(PLANNER), &["--demo"]).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let long = json!({ "month": "2027-03", "iterations": 10_000_000, "time_limit": 3600 });
    let mut ids = Vec::new();
    for _ in 0..2 {
        let created: Value = client
            .post(format!("{base}/api/v1/plans"))
            .bearer_auth(PLANNER)
            .json(&long)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(created["id"].as_i64().unwrap());
    }
    assert!(
        poll_plan(&client, &base, ids[0], |p| p["status"] == "running")
            .await
            .is_some(),
        "the plan never started"
    );
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut exit = None;
    for _ in 0..1200 {
        exit = server.try_wait().unwrap();
        if exit.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let Some(exit) = exit else {
        let _ = server.kill();
        panic!("the server was still waiting for the solve a minute after SIGTERM");
    };
    assert!(exit.success(), "the server exits 0 after SIGTERM: {exit:?}");

    let port = free_port();
    let (mut server, _) = spawn_server(&db, port, None).await;
    let base = format!("http://127.0.0.1:{port}");
    let plans: Value = client
        .get(format!("{base}/api/v1/plans"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(plans.as_array().unwrap().len(), 2, "{plans}");
    for plan in plans.as_array().unwrap() {
        assert_eq!(plan["status"], "failed", "{plan}");
        assert!(
            plan["error"]
                .as_str()
                .unwrap()
                .contains("shut down before the solve finished"),
            "marked at shutdown, not at the restart: {plan}"
        );
    }
}

#[tokio::test]
async fn the_first_start_prints_a_planner_token_once_or_takes_it_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("first.db");
    let mut lines = Vec::new();
    for _ in 0..2 {
        let port = free_port();
        let (mut server, stdout) = spawn_server(&db, port, None).await;
        server.kill().unwrap();
        server.wait().unwrap();
        lines.push(std::fs::read_to_string(stdout).unwrap());
    }
    let token = lines[0]
        .strip_prefix("planner token: ")
        .expect("the first start prints the token")
        .trim()
        .to_string();
    assert_eq!(lines[1], "", "the second start prints nothing");
    let port = free_port();
    let (mut server, _) = spawn_server(&db, port, None).await;
    let ok = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/plans"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .status();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(ok, 200);

    let db = dir.path().join("given.db");
    let port = free_port();
    let (mut server, stdout) = spawn_server(&db, port, Some("my-own-planner-token")).await;
    let ok = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/plans"))
        .bearer_auth("my-own-planner-token")
        .send()
        .await
        .unwrap()
        .status();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        (ok.as_u16(), std::fs::read_to_string(stdout).unwrap()),
        (200, String::new())
    );
}

// ---- bad input ----------------------------------------------------------------------

#[tokio::test]
async fn bad_requests_get_a_json_4xx_naming_the_problem() {
    let server = Server::start().await;
    store_registries(&server, &two_firms()).await;
    let s = &server;
    let plans = "/api/v1/plans";
    let json_body = |text: &str| {
        s.planner(Method::POST, plans)
            .header("content-type", "application/json")
            .body(text.to_string())
    };
    let csv = |registry: &str, text: &str| {
        s.planner(Method::POST, &format!("/api/v1/{registry}/csv"))
            .header("content-type", "text/csv")
            .body(text.to_string())
    };
    let mut sent = 0;
    macro_rules! expect {
        ($request:expr, $status:expr, $code:expr) => {{
            sent += 1;
            expect_error($request, $status, $code).await
        }};
    }

    // Plans.
    expect!(json_body("{not json"), 400, "malformed_json");
    expect!(
        s.planner(Method::POST, plans)
            .header("content-type", "text/plain")
            .body("{}"),
        415,
        "unsupported_media_type"
    );
    expect!(json_body("{}"), 422, "invalid_body");
    expect!(json_body("[1, 2]"), 422, "invalid_body");
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": two_firms(), "colour": "red" })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": two_firms(), "threads": "two" })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": two_firms(), "threads": 0 })),
        422,
        "invalid_plan"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": two_firms(), "time_limit": -1 })),
        422,
        "invalid_plan"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": two_firms(), "time_limit": 1e300 })),
        422,
        "invalid_plan"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": two_firms(), "month": "2027-03" })),
        422,
        "invalid_body"
    );
    let mut bad = two_firms();
    bad["enterprises"][1]["risk"] = json!("purple");
    let body = expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": bad })),
        422,
        "invalid_instance"
    );
    assert_eq!(
        body["details"][0]["field"], "instance.enterprises[1].risk",
        "{body}"
    );
    let mut unknown = two_firms();
    unknown["enterprises"][0]["district"] = json!("NOWHERE");
    let body = expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "instance": unknown })),
        422,
        "invalid_plan"
    );
    assert!(
        body["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["field"] == "instance.enterprises[F1].district"),
        "{body}"
    );
    let body = expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "month": "2027-13" })),
        422,
        "invalid_month"
    );
    assert_eq!(body["details"][0]["field"], "month");
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "month": "March" })),
        422,
        "invalid_month"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "month": 202703 })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "horizon": { "start": "2027-03-05", "end": "2027-03-01" } })),
        422,
        "invalid_plan"
    );
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "horizon": { "start": "2027-03-05" } })),
        422,
        "invalid_body"
    );
    let body = expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "month": "2027-03", "policy": { "min_teem": 2 } })),
        422,
        "invalid_policy"
    );
    assert_eq!(body["details"][0]["field"], "policy.min_teem");
    let body = expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "month": "2027-03", "policy": { "min_team": "two" } })),
        422,
        "invalid_policy"
    );
    assert_eq!(body["details"][0]["field"], "policy.min_team");
    expect!(
        s.planner(Method::POST, plans)
            .json(&json!({ "month": "2027-03", "policy": { "min_team": 9 } })),
        422,
        "invalid_plan"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/plans/999"),
        404,
        "not_found"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/plans/abc"),
        400,
        "invalid_id"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/plans/-3"),
        400,
        "invalid_id"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/plans/999/roster"),
        404,
        "not_found"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/plans/999/export.xlsx"),
        404,
        "not_found"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/plans/999/publish"),
        404,
        "not_found"
    );
    expect!(s.planner(Method::GET, "/api/v1/nothing"), 404, "not_found");
    expect!(
        s.call(None, Method::GET, "/nothing/at/all"),
        404,
        "not_found"
    );
    expect!(s.planner(Method::PATCH, plans), 405, "method_not_allowed");
    let huge = format!(
        "{{\"instance\": \"{}\"}}",
        "x".repeat(sweep_service::BODY_LIMIT + 1)
    );
    expect!(json_body(&huge), 413, "body_too_large");
    let id = s
        .plan(json!({ "horizon": { "start": "2027-03-01", "end": "2027-03-05" } }))
        .await;
    expect!(
        s.planner(
            Method::GET,
            &format!("/api/v1/plans/{id}/export.csv?lang=fr")
        ),
        400,
        "invalid_query"
    );
    expect!(
        s.planner(
            Method::GET,
            &format!("/api/v1/plans/{id}/export.csv?colour=red")
        ),
        400,
        "invalid_query"
    );
    expect!(
        s.planner(
            Method::POST,
            &format!("/api/v1/plans/{id}/visits/F1/findings")
        )
        .json(&json!({ "severity": "huge", "deadline": "2027-04-01" })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(
            Method::POST,
            &format!("/api/v1/plans/{id}/visits/NOPE/findings")
        )
        .json(&json!({ "severity": "major", "deadline": "2027-04-01" })),
        404,
        "not_found"
    );
    expect!(
        s.planner(
            Method::POST,
            &format!("/api/v1/plans/{id}/visits/F1/findings")
        )
        .json(&json!({ "severity": "major", "deadline": "2020-01-01" })),
        422,
        "invalid_finding"
    );

    // Registries: CSV uploads.
    expect!(
        s.planner(Method::POST, "/api/v1/districts/csv")
            .header("content-type", "application/json")
            .body("{}"),
        415,
        "unsupported_media_type"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/districts/csv")
            .body("id,name,lat,lon\n"),
        415,
        "unsupported_media_type"
    );
    let body = expect!(
        csv("districts", "id,name,lat\nD1,运河区,38.3\n"),
        422,
        "invalid_registry"
    );
    assert_eq!(
        (
            body["details"][0]["code"].as_str(),
            body["details"][0]["field"].as_str()
        ),
        (Some("E1003"), Some("lon")),
        "{body}"
    );
    let experts = "id,name,tier,title,specialties,certified_until,home_lat,home_lon\nE1,李明,city,senior,construction,2028-12-31,38.3,116.85\nE2,张伟,emperor,senior,electrical,2028-12-31,38.3,north\nE3,刘洋,city,senior,construction,31/12/2028,38.3,116.8\n";
    let body = expect!(csv("experts", experts), 422, "invalid_registry");
    let located: Vec<(u64, &str)> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        located,
        vec![(3, "E1404"), (3, "E1303"), (4, "E1301")],
        "every bad field of every row, by line: {body}"
    );
    let body = expect!(
        s.planner(Method::POST, "/api/v1/districts/csv")
            .header("content-type", "text/csv")
            .body(b"id,name,lat,lon\nD1,\xd4\xcb\xba\xd3,38.3,116.8\n".to_vec()),
        422,
        "invalid_csv"
    );
    assert_eq!(body["details"][0]["code"], "E1002");
    let body = expect!(
        csv(
            "districts",
            "id,name,lat,lon\nD1,运河区,38.31,116.86\nD1,新华区,38.3,116.8\n"
        ),
        422,
        "invalid_registry"
    );
    assert_eq!(
        (
            body["details"][0]["code"].as_str(),
            body["details"][0]["line"].as_u64()
        ),
        (Some("E1101"), Some(3)),
        "{body}"
    );
    let firms = "id,name,district,lat,lon,sector,risk,officer\nF1,沧州建工一号工地,D1,38.33,116.87,construction,yellow,O1\nF2,华北商城,D9,38.30,116.90,crowded_venue,yellow,O1\n";
    let body = expect!(csv("enterprises", firms), 422, "invalid_registry");
    assert!(
        body["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "E1201" && d["line"] == 3 && d["field"] == "district"),
        "{body}"
    );
    let body = expect!(
        csv("districts", "id,name,lat,lon\nD2,新华区,38.3,116.8\n"),
        422,
        "invalid_registry"
    );
    assert!(
        body["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["field"] == "officers[O1].district"),
        "replacing districts would orphan O1: {body}"
    );
    expect!(
        csv(
            "history",
            "enterprise,date,kind\nF1,2026-01-01,expert_sweep,extra\n"
        ),
        422,
        "invalid_registry"
    );

    // Registries: JSON records.
    let body = expect!(
        s.planner(Method::POST, "/api/v1/experts")
            .json(&json!({ "id": "E9", "name": "王", "tier": "emperor" })),
        422,
        "invalid_record"
    );
    assert_eq!(body["details"][0]["field"], "tier");
    let mut typo = two_firms()["experts"][0].clone();
    typo["id"] = json!("E9");
    typo["max_dayz"] = json!(3);
    let body = expect!(
        s.planner(Method::POST, "/api/v1/experts").json(&typo),
        422,
        "invalid_record"
    );
    assert_eq!(
        (
            body["details"][0]["field"].as_str(),
            body["details"][0]["code"].as_str()
        ),
        (Some("max_dayz"), Some("unknown_field")),
        "{body}"
    );
    expect!(
        s.planner(Method::PUT, "/api/v1/policy")
            .json(&json!({ "min_teem": 2 })),
        422,
        "invalid_setting"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/districts")
            .json(&two_firms()["districts"][0]),
        409,
        "already_exists"
    );
    expect!(
        s.planner(Method::PUT, "/api/v1/districts/D9")
            .json(&two_firms()["districts"][0]),
        422,
        "key_mismatch"
    );
    let mut d9 = two_firms()["districts"][0].clone();
    d9["id"] = json!("D9");
    expect!(
        s.planner(Method::PUT, "/api/v1/districts/D9").json(&d9),
        404,
        "not_found"
    );
    let body = expect!(
        s.planner(Method::DELETE, "/api/v1/districts/D1"),
        409,
        "still_referenced"
    );
    assert!(
        body["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["field"] == "enterprises[F1].district"),
        "{body}"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/districts/NOPE"),
        404,
        "not_found"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/districts/%FF%FE"),
        400,
        "bad_request"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/enterprises?limit=0"),
        400,
        "invalid_query"
    );
    expect!(
        s.planner(Method::GET, "/api/v1/enterprises?limit=abc"),
        400,
        "invalid_query"
    );
    let mut far = two_firms()["enterprises"][0].clone();
    far["id"] = json!("F9");
    far["location"] = json!({ "lat": 51.5, "lon": -0.12 });
    expect!(
        s.planner(Method::POST, "/api/v1/enterprises").json(&far),
        422,
        "invalid_registry"
    );
    expect!(
        s.planner(Method::PUT, "/api/v1/policy")
            .json(&json!({ "min_team": "two" })),
        422,
        "invalid_setting"
    );
    // serde would read a struct from an array, field by field: `[null, null]` as a policy of
    // defaults, an array as a record. Only objects are documents.
    let body = expect!(
        s.planner(Method::PUT, "/api/v1/policy")
            .json(&json!([null, null])),
        422,
        "invalid_setting"
    );
    assert_eq!(body["details"][0]["code"], "not_an_object", "{body}");
    expect!(
        s.planner(Method::POST, "/api/v1/districts")
            .json(&json!(["D9", "运河区", { "lat": 38.3, "lon": 116.8 }])),
        422,
        "invalid_record"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/tokens")
            .json(&json!("planner")),
        422,
        "invalid_body"
    );
    let body = expect!(
        s.planner(Method::GET, "/api/v1/enterprises?limit=ten"),
        400,
        "invalid_query"
    );
    assert_eq!(body["details"][0]["field"], "limit", "{body}");
    let body = expect!(
        s.planner(Method::GET, "/api/v1/enterprises?limit=1&limit=2"),
        400,
        "invalid_query"
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("duplicate field `limit`"),
        "{body}"
    );
    expect!(
        s.planner(Method::PUT, "/api/v1/policy")
            .json(&json!({ "min_team": 6, "max_team": 5 })),
        422,
        "invalid_registry"
    );

    // Tokens.
    expect!(s.call(None, Method::GET, plans), 401, "missing_token");
    expect!(
        s.call(None, Method::GET, plans)
            .header("authorization", "Basic dXNlcjpwdw=="),
        401,
        "invalid_token"
    );
    expect!(
        s.call(Some("hs_0000"), Method::GET, plans),
        401,
        "invalid_token"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/tokens")
            .json(&json!({ "role": "king" })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/tokens")
            .json(&json!({ "role": "expert" })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/tokens")
            .json(&json!({ "role": "expert", "subject": "E404" })),
        422,
        "unknown_subject"
    );
    expect!(
        s.planner(Method::POST, "/api/v1/tokens")
            .json(&json!({ "role": "planner", "subject": "E1" })),
        422,
        "invalid_body"
    );
    expect!(
        s.planner(Method::DELETE, "/api/v1/tokens/999"),
        404,
        "not_found"
    );
    expect!(
        s.planner(Method::DELETE, "/api/v1/tokens/x"),
        400,
        "invalid_id"
    );
    expect!(
        s.planner(Method::DELETE, "/api/v1/tokens/1"),
        409,
        "own_token"
    );

    // The experts' view.
    let expert = s.token("expert", Some("E1")).await;
    expect!(
        s.call(
            Some(&expert),
            Method::GET,
            "/api/v1/me/assignments?month=2027-3x"
        ),
        400,
        "invalid_month"
    );
    expect!(
        s.call(
            Some(&expert),
            Method::GET,
            "/api/v1/me/assignments?year=2027"
        ),
        400,
        "invalid_query"
    );
    expect!(
        s.call(
            Some(&expert),
            Method::POST,
            &format!("/api/v1/me/assignments/{id}-F1/decline")
        )
        .json(&json!({ "reason": "  " })),
        422,
        "invalid_body"
    );
    expect!(
        s.call(
            Some(&expert),
            Method::POST,
            &format!("/api/v1/me/assignments/{id}-F1/decline")
        )
        .header("content-type", "application/json")
        .body("{"),
        400,
        "malformed_json"
    );
    expect!(
        s.call(
            Some(&expert),
            Method::POST,
            "/api/v1/me/assignments/nonsense/decline"
        )
        .json(&json!({ "reason": "x" })),
        404,
        "not_found"
    );
    // Not published yet: the visit does not exist for the expert.
    expect!(
        s.call(
            Some(&expert),
            Method::POST,
            &format!("/api/v1/me/assignments/{id}-F1/decline")
        )
        .json(&json!({ "reason": "x" })),
        404,
        "not_found"
    );
    assert!(sent >= 40, "the suite sends {sent} bad requests");

    // Nothing above changed the registries or answered 5xx (each was checked for its 4xx).
    let districts = s
        .json(s.planner(Method::GET, "/api/v1/districts"), 200)
        .await;
    assert_eq!(districts["total"], 1);
    let experts = s.json(s.planner(Method::GET, "/api/v1/experts"), 200).await;
    assert_eq!(experts["total"], 3);
    let metrics = s
        .call(None, Method::GET, "/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !metrics
            .lines()
            .any(|l| l.starts_with("http_requests_total") && l.contains("status=\"5")),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_the_router_serves() {
    let server = Server::start().await;
    store_registries(&server, &two_firms()).await;
    let expert = server.token("expert", Some("E1")).await;
    let doc = server
        .json(server.call(None, Method::GET, "/api/openapi.json"), 200)
        .await;
    assert_eq!(doc["openapi"], "3.1.0");
    let page = server
        .call(None, Method::GET, "/api/docs")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("/api/openapi.json") && !page.contains("https://"),
        "the docs page loads nothing from the network"
    );
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            // Every schema a body refers to is in the document.
            for reference in operation.to_string().split("#/components/schemas/").skip(1) {
                let name: String = reference
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    doc["components"]["schemas"].get(&name).is_some(),
                    "{method} {path}: no schema {name}"
                );
            }
            let concrete = path
                .replace("{id}", "999")
                .replace("{key}", "NOPE")
                .replace("{enterprise}", "NOPE")
                .replace("{visit}", "999-NOPE");
            let token = if path.starts_with("/api/v1/me") {
                Some(expert.clone())
            } else {
                Some(PLANNER.to_string())
            };
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = server
                .call(token.as_deref(), method.clone(), &concrete)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                status != 405 && !body.contains("no such route"),
                "{method} {path} is documented but not routed: {status} {body}"
            );
        }
    }
    assert!(operations >= 60, "{operations} operations");
}

/// Sends a request and checks its JSON answer against the schema the OpenAPI document
/// gives for the operation (`template`) and the status it answered with, which must be one
/// the document lists. Returns the status and body.
async fn documented(
    doc: &Value,
    request: RequestBuilder,
    method: &str,
    template: &str,
) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    let operation = &doc["paths"][template][method];
    assert!(
        operation.is_object(),
        "{method} {template} is not in the document"
    );
    let schema =
        &operation["responses"][status.to_string()]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {template} answered {status}, which the document does not list: {body}"
    );
    // The operation's schema, with the document's components for its references.
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let validator = jsonschema::draft202012::new(&root)
        .unwrap_or_else(|e| panic!("{method} {template}: the schema does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {template} {status}: the answer does not match the document: {errors:#?}\n{body}"
    );
    (status, body)
}

/// A client generated from `/api/openapi.json` reads what the service sends: every JSON
/// answer of a planner's and an expert's session, errors included, matches its documented
/// schema (answers are checked whole: no undocumented field, no undocumented `null`).
#[tokio::test]
async fn every_answer_matches_the_openapi_document() {
    let s = Server::start().await;
    let doc = s
        .json(s.call(None, Method::GET, "/api/openapi.json"), 200)
        .await;
    let (get, post, put) = ("get", "post", "put");
    let instance = two_firms();
    let district = &instance["districts"][0];
    let (status, _) = documented(
        &doc,
        s.planner(Method::POST, "/api/v1/districts").json(district),
        post,
        "/api/v1/districts",
    )
    .await;
    assert_eq!(status, 201);
    let mut rest = instance.clone();
    rest["districts"] = json!([]);
    store_registries(&s, &rest).await;
    for registry in [
        "districts",
        "officers",
        "experts",
        "enterprises",
        "history",
        "findings",
    ] {
        let template = format!("/api/v1/{registry}");
        let (_, listing) =
            documented(&doc, s.planner(Method::GET, &template), get, &template).await;
        if let Some(first) = listing["items"].get(0) {
            let key = first["id"].as_str().map(str::to_string).unwrap_or_else(|| {
                format!(
                    "{}:{}:{}",
                    first["enterprise"].as_str().unwrap(),
                    first["date"].as_str().unwrap(),
                    first["kind"].as_str().unwrap()
                )
            });
            let path = format!("{template}/{key}");
            let (_, record) = documented(
                &doc,
                s.planner(Method::GET, &path),
                get,
                &format!("{template}/{{key}}"),
            )
            .await;
            documented(
                &doc,
                s.planner(Method::PUT, &path).json(&record),
                put,
                &format!("{template}/{{key}}"),
            )
            .await;
        }
    }
    for setting in ["policy", "calendar", "travel"] {
        let template = format!("/api/v1/{setting}");
        let (_, current) =
            documented(&doc, s.planner(Method::GET, &template), get, &template).await;
        let (status, _) = documented(
            &doc,
            s.planner(Method::PUT, &template).json(&current),
            put,
            &template,
        )
        .await;
        assert_eq!(status, 200);
    }
    // A matrix file missing the way back (F2 → F1) is refused whole.
    let (status, _) = documented(
        &doc,
        s.planner(Method::POST, "/api/v1/travel/matrix/csv")
            .header("content-type", "text/csv")
            .body("from,to,minutes,km\nF1,F2,10,5\n"),
        post,
        "/api/v1/travel/matrix/csv",
    )
    .await;
    assert_eq!(status, 422);

    let (status, queued) = documented(
        &doc,
        s.planner(Method::POST, "/api/v1/plans")
            .json(&json!({ "horizon": { "start": "2027-03-01", "end": "2027-03-05" } })),
        post,
        "/api/v1/plans",
    )
    .await;
    assert_eq!(status, 202);
    let id = queued["id"].as_i64().unwrap();
    s.wait(id, |p| p["status"] == "done").await.expect("solved");
    let (_, roster) = documented(
        &doc,
        s.planner(Method::GET, &format!("/api/v1/plans/{id}/roster")),
        get,
        "/api/v1/plans/{id}/roster",
    )
    .await;
    documented(
        &doc,
        s.planner(Method::GET, &format!("/api/v1/plans/{id}/instance")),
        get,
        "/api/v1/plans/{id}/instance",
    )
    .await;
    s.checked(id).await;
    documented(
        &doc,
        s.planner(Method::POST, &format!("/api/v1/plans/{id}/publish")),
        post,
        "/api/v1/plans/{id}/publish",
    )
    .await;
    let (_, issued) = documented(
        &doc,
        s.planner(Method::POST, "/api/v1/tokens")
            .json(&json!({ "role": "expert", "subject": "E1" })),
        post,
        "/api/v1/tokens",
    )
    .await;
    documented(
        &doc,
        s.planner(Method::GET, "/api/v1/tokens"),
        get,
        "/api/v1/tokens",
    )
    .await;
    let expert = issued["token"].as_str().unwrap();
    let (_, mine) = documented(
        &doc,
        s.call(
            Some(expert),
            Method::GET,
            "/api/v1/me/assignments?month=2027-03",
        ),
        get,
        "/api/v1/me/assignments",
    )
    .await;
    let visit = mine["assignments"][0]["visit"]
        .as_str()
        .expect("E1 has a visit in March")
        .to_string();
    let (status, _) = documented(
        &doc,
        s.call(
            Some(expert),
            Method::POST,
            &format!("/api/v1/me/assignments/{visit}/decline"),
        )
        .json(&json!({ "reason": "出差" })),
        post,
        "/api/v1/me/assignments/{visit}/decline",
    )
    .await;
    assert_eq!(status, 201);
    let firm = roster["crews"][0]["visits"][0]["enterprise"]
        .as_str()
        .unwrap();
    let finding = json!({ "severity": "general", "deadline": "2027-04-01" });
    let (status, _) = documented(
        &doc,
        s.planner(
            Method::POST,
            &format!("/api/v1/plans/{id}/visits/{firm}/findings"),
        )
        .json(&finding),
        post,
        "/api/v1/plans/{id}/visits/{enterprise}/findings",
    )
    .await;
    assert_eq!(status, 201);
    let (_, shown) = documented(
        &doc,
        s.planner(Method::GET, &format!("/api/v1/plans/{id}")),
        get,
        "/api/v1/plans/{id}",
    )
    .await;
    assert_eq!(shown["declines"].as_array().unwrap().len(), 1, "{shown}");
    documented(
        &doc,
        s.planner(Method::GET, "/api/v1/plans"),
        get,
        "/api/v1/plans",
    )
    .await;

    // Errors are documented too, and name their field.
    let (status, _) = documented(
        &doc,
        s.planner(Method::GET, "/api/v1/plans/999"),
        get,
        "/api/v1/plans/{id}",
    )
    .await;
    assert_eq!(status, 404);
    let (status, error) = documented(
        &doc,
        s.planner(Method::GET, "/api/v1/districts?offset="),
        get,
        "/api/v1/districts",
    )
    .await;
    assert_eq!(
        (status, error["details"][0]["field"].as_str()),
        (400, Some("offset")),
        "{error}"
    );
    let (status, _) = documented(
        &doc,
        s.planner(Method::POST, "/api/v1/districts")
            .json(&json!({ "id": "" })),
        post,
        "/api/v1/districts",
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn requests_carry_an_id_and_are_counted_by_route() {
    let server = Server::start().await;
    let response = server
        .planner(Method::GET, "/api/v1/plans")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let again = server
        .planner(Method::GET, "/api/v1/plans")
        .send()
        .await
        .unwrap();
    assert_ne!(
        again.headers()["x-request-id"].to_str().unwrap(),
        id,
        "each request has its own id"
    );
    let echoed = server
        .planner(Method::GET, "/api/v1/plans/42")
        .header("x-request-id", "from-the-caller")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "from-the-caller");
    let metrics = server
        .call(None, Method::GET, "/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Counted by route template, not by raw path (one series for every plan id).
    assert!(
        metrics.contains(r#"route="/api/v1/plans/{id}""#) && metrics.contains(r#"status="404""#),
        "{metrics}"
    );
    assert!(!metrics.contains("/api/v1/plans/42"), "{metrics}");
    assert!(
        metrics.contains("http_request_duration_seconds_bucket"),
        "{metrics}"
    );
}

// ---- restarts -----------------------------------------------------------------------

#[tokio::test]
async fn a_restart_reports_the_interrupted_plan() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    // A plan left running by a process that died (written as the service writes it).
    {
        let state = sweep_service::store::Store::open(&url).await.unwrap();
        let new = sweep_service::store::NewPlan {
            name: "lost".into(),
            instance: "{}".into(),
            threads: 1,
            iterations: Some(0),
            time_limit: None,
            source: "inline",
            horizon: ("2027-03-01".into(), "2027-03-31".into()),
        };
        let id = state.insert_plan(&new).await.unwrap().id;
        state.set_running(id).await.unwrap();
    }
    let base = start_in(dir.path()).await;
    let client = reqwest::Client::new();
    let plan: Value = client
        .get(format!("{base}/api/v1/plans/1"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["status"], "failed", "{plan}");
    assert!(
        plan["error"].as_str().unwrap().contains("interrupted"),
        "{plan}"
    );
    let roster = client
        .get(format!("{base}/api/v1/plans/1/roster"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap();
    assert_eq!(roster.status(), 409);
}

#[tokio::test]
async fn a_database_of_the_previous_schema_is_upgraded_with_its_plans() {
    // A database as session 2's service left it: migrations 0001 and 0002 applied, a solved
    // plan whose instance and roster sit in the `plans` row.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).unwrap();
    for file in ["0001_plans.sql", "0002_registries_tokens_publication.sql"] {
        std::fs::copy(
            common::root().join("service/migrations").join(file),
            old.join(file),
        )
        .unwrap();
    }
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let instance = sweep_solver::examples::TWO_FIRMS;
    let roster = serde_json::to_string(&common::solve_checked(
        &serde_json::from_str(instance).unwrap(),
        1,
    ))
    .unwrap();
    {
        use sqlx::ConnectOptions;
        let mut db = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(old.as_path())
            .await
            .unwrap()
            .run(&mut db)
            .await
            .unwrap();
        sqlx::query("INSERT INTO plans (status, created_at, updated_at, name, threads, iterations, instance, roster, coverage, source, horizon_start, horizon_end) VALUES ('done', 'then', 'then', 'two-firms', 1, 100, ?, ?, 1.0, 'inline', '2027-03-01', '2027-03-05')")
            .bind(instance)
            .bind(&roster)
            .execute(&mut db)
            .await
            .unwrap();
    }
    let state = AppState::open(&url)
        .await
        .expect("the old database is upgraded");
    let plan = state
        .store
        .plan(1)
        .await
        .unwrap()
        .expect("the plan is kept");
    assert_eq!(
        (plan.name.as_str(), plan.status, plan.iterations),
        (
            "two-firms",
            sweep_service::store::PlanStatus::Done,
            Some(100)
        ),
        "the plan's iteration count is carried into the optional cap"
    );
    assert_eq!(
        state.store.roster(1).await.unwrap().as_deref(),
        Some(roster.as_str())
    );
    assert_eq!(
        state.store.instance(1).await.unwrap().as_deref(),
        Some(instance)
    );
}

/// A free local port (bound and released; the server binds it right after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `hazard-sweep serve` as a child process and waits until it answers; its
/// standard output goes to the returned file.
async fn spawn_server(
    db: &Path,
    port: u16,
    planner_token: Option<&str>,
) -> (std::process::Child, std::path::PathBuf) {
    spawn_server_with(db, port, planner_token, &[]).await
}

/// The same with more arguments; its log goes to the output file's name with `.log`.
async fn spawn_server_with(
    db: &Path,
    port: u16,
    planner_token: Option<&str>,
    args: &[&str],
) -> (std::process::Child, std::path::PathBuf) {
    let stdout = db.with_extension(format!("{port}.out"));
    let mut command = std::process::Command::new(common::bin());
    command
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &format!("sqlite://{}", db.display()),
        ])
        .args(args)
        .env_remove(sweep_service::auth::PLANNER_TOKEN_ENV)
        .env_remove("RUST_LOG")
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(stdout.with_extension("log")).unwrap());
    if let Some(token) = planner_token {
        command.env(sweep_service::auth::PLANNER_TOKEN_ENV, token);
    }
    let mut child = command.spawn().unwrap();
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return (child, stdout);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

#[tokio::test]
async fn killing_the_server_mid_solve_leaves_the_plan_reported_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plans.db");
    let port = free_port();
    let (mut server, _) = spawn_server(&db, port, Some(PLANNER)).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // Long enough to be killed while running.
    let instance = common::import_month(&common::root().join("fixtures/cangzhou"), "2027-03");
    let created: Value = client
        .post(format!("{base}/api/v1/plans"))
        .bearer_auth(PLANNER)
        .json(&json!({ "instance": instance, "iterations": 10_000_000, "time_limit": 300 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    assert!(
        poll_plan(&client, &base, id, |p| p["status"] == "running")
            .await
            .is_some(),
        "the plan never started"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    let port = free_port();
    let (mut server, _) = spawn_server(&db, port, None).await;
    let base = format!("http://127.0.0.1:{port}");
    let plans: Value = client
        .get(format!("{base}/api/v1/plans"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plans.as_array().unwrap().len(), 1, "{plans}");
    assert_eq!(plans[0]["status"], "failed", "{plans}");
    assert!(
        plans[0]["error"].as_str().unwrap().contains("interrupted"),
        "{plans}"
    );
    // The instance it was being solved from is still there, whole.
    let stored: Instance = client
        .get(format!("{base}/api/v1/plans/{id}/instance"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored.enterprises.len(), instance.enterprises.len());
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn a_running_plan_shows_its_best_coverage_cost_and_gap_live() {
    let server = Server::start().await;
    let s = &server;
    // A search capped far away and given a minute holds the worker while we look.
    let plan = s
        .json(
            s.planner(Method::POST, "/api/v1/plans").json(
                &json!({ "instance": two_firms(), "iterations": 10_000_000, "time_limit": 60 }),
            ),
            202,
        )
        .await;
    let id = plan["id"].as_i64().unwrap();
    let running = s
        .wait(id, |p| {
            p["status"] == "running" && p["progress"]["cost_cny"].as_f64().is_some_and(|c| c > 0.0)
        })
        .await
        .expect("the plan runs and reports its best roster's cost");
    let progress = &running["progress"];
    assert_eq!(progress["coverage"], 1.0, "{progress}");
    assert_eq!(progress["gap"], 0.0, "{progress}");
    assert!(progress["elapsed"].as_f64().unwrap() >= 0.0, "{progress}");
    s.json(
        s.planner(Method::POST, &format!("/api/v1/plans/{id}/cancel")),
        200,
    )
    .await;
}
