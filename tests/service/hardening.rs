//! The service under abuse and bad luck: each test is one defect a user or an attacker
//! found (docs/api.md, "Limits"), asserted as the behaviour they should have met.

use std::io::{Read, Write};

use super::*;

/// A published plan of the two-firm example, with an expert token of a crew member.
async fn published_two_firms(server: &Server) -> (i64, String, String) {
    store_registries(server, &two_firms()).await;
    let id = server
        .plan(json!({ "month": "2027-03", "iterations": 50 }))
        .await;
    server
        .json(
            server.planner(Method::POST, &format!("/api/v1/plans/{id}/publish")),
            200,
        )
        .await;
    let (_, roster) = server.checked(id).await;
    let expert = roster.crews[0].experts[0].clone();
    let token = server.token("expert", Some(&expert)).await;
    (id, expert, token)
}

#[tokio::test]
async fn numbers_json_cannot_carry_are_refused_everywhere_before_they_reach_a_roster() {
    let server = Server::start().await;
    store_registries(&server, &two_firms()).await;
    let s = &server;
    // A focus boost of 1e308 once made every weight infinite: a roster that did not read back.
    let calendar = json!({ "periods": [{ "name": "安全月", "start": "2027-03-01", "end": "2027-03-31", "kind": "focus", "sectors": ["construction"], "boost": 1e308 }] });
    let body = expect_error(
        s.planner(Method::PUT, "/api/v1/calendar").json(&calendar),
        422,
        "invalid_registry",
    )
    .await;
    assert_eq!(
        (
            body["details"][0]["field"].as_str(),
            body["details"][0]["code"].as_str()
        ),
        (Some("calendar.periods[0].boost"), Some("E1512")),
        "{body}"
    );
    for (key, value, field) in [
        ("cost_per_km", json!(1e308), "policy.cost_per_km"),
        (
            "day_rates",
            json!({ "senior": 1e308, "associate_senior": 700, "intermediate": 600 }),
            "policy.day_rates",
        ),
        (
            "officer_max_days",
            json!(4_000_000_000u64),
            "policy.officer_max_days",
        ),
        (
            "frequency_months",
            json!({ "red": 3, "orange": 6, "yellow": 100000 }),
            "policy.frequency_months",
        ),
    ] {
        let body = expect_error(
            s.planner(Method::POST, "/api/v1/plans")
                .json(&json!({ "month": "2027-03", "policy": { key: value } })),
            422,
            "invalid_plan",
        )
        .await;
        assert!(
            body["details"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["field"] == field && d["code"] == "E1510"),
            "{key}: {body}"
        );
    }
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/plans")
            .json(&json!({ "month": "2027-03", "policy": { "max_horizon_days": 20000 } })),
        422,
        "invalid_policy",
    )
    .await;
    assert_eq!(body["details"][0]["code"], "fixed_policy_key", "{body}");
    // The same checks on a record and an inline instance.
    let mut expert = two_firms()["experts"][0].clone();
    expert["id"] = json!("E9");
    expert["day_rate"] = json!(1e300);
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/experts").json(&expert),
        422,
        "invalid_registry",
    )
    .await;
    assert_eq!(body["details"][0]["code"], "E1515", "{body}");
    let mut inline = two_firms();
    inline["enterprises"][0]["duration_min"] = json!(100_000);
    inline["history"] = json!([{ "enterprise": "F1", "date": "+10000-01-01", "experts": [], "kind": "expert_sweep" }]);
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/plans")
            .json(&json!({ "instance": inline })),
        422,
        "invalid_plan",
    )
    .await;
    let codes: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"E1506") && codes.contains(&"E1518"),
        "{body}"
    );
    // Nothing was stored: the next plan is solved from the good settings.
    server
        .plan(json!({ "month": "2027-03", "iterations": 20 }))
        .await;
}

#[tokio::test]
async fn a_published_plan_that_does_not_read_back_does_not_break_the_experts_month() {
    let dir = tempfile::tempdir().unwrap();
    let base = start_in(dir.path()).await;
    let server = Server {
        base,
        client: reqwest::Client::new(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let (id, _, token) = published_two_firms(&server).await;
    let before = server
        .json(
            server.call(
                Some(&token),
                Method::GET,
                "/api/v1/me/assignments?month=2027-03",
            ),
            200,
        )
        .await;
    assert!(!before["assignments"].as_array().unwrap().is_empty());
    // A newer published plan of the month whose roster is broken (as a roster with an
    // infinite weight was stored before rosters were read back), written past the service.
    let url = format!("sqlite://{}", dir.path().join("plans.db").display());
    {
        use sqlx::ConnectOptions;
        let mut db = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query("INSERT INTO plans (status, created_at, updated_at, name, threads, iteration_cap, source, horizon_start, horizon_end, published_at) VALUES ('done', 'x', 'x', 'broken', 1, 1, 'inline', '2027-03-01', '2027-03-31', '9999-12-31')").execute(&mut db).await.unwrap();
        sqlx::query("INSERT INTO plan_documents (plan_id, kind, body) SELECT MAX(id), 'instance', '{}' FROM plans").execute(&mut db).await.unwrap();
        sqlx::query("INSERT INTO plan_documents (plan_id, kind, body) SELECT MAX(id), 'roster', '{\"due\": [{\"weight\": null}]}' FROM plans").execute(&mut db).await.unwrap();
    }
    let after = server
        .json(
            server.call(
                Some(&token),
                Method::GET,
                "/api/v1/me/assignments?month=2027-03",
            ),
            200,
        )
        .await;
    assert_eq!(
        after["assignments"], before["assignments"],
        "the broken plan is skipped, plan {id} still answers"
    );
    let calendar = server
        .call(Some(&token), Method::GET, "/api/v1/me/calendar.ics")
        .send()
        .await
        .unwrap();
    assert_eq!(calendar.status(), 200);
}

#[tokio::test]
async fn csv_exports_write_formulas_as_text() {
    let server = Server::start().await;
    let mut instance = two_firms();
    instance["enterprises"][0]["name"] = json!("=HYPERLINK(\"http://example.invalid\",\"点击\")");
    instance["enterprises"][1]["name"] = json!("@SUM(1+1)");
    let id = server
        .plan(json!({ "instance": instance, "iterations": 20 }))
        .await;
    server.checked(id).await;
    let csv = server
        .planner(Method::GET, &format!("/api/v1/plans/{id}/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[6].to_string())
        .collect();
    assert!(!names.is_empty());
    for name in &names {
        assert!(
            name.starts_with('\''),
            "a formula left live in the CSV: {name}"
        );
    }
}

#[tokio::test]
async fn metrics_labels_come_from_known_methods_and_routes_only() {
    let server = Server::start().await;
    for i in 0..20 {
        let method = Method::from_bytes(format!("X{i}RANDOMMETHOD").as_bytes()).unwrap();
        let response = server
            .call(None, method, &format!("/nowhere/{i}"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error());
    }
    let metrics = server
        .client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !metrics.contains("RANDOMMETHOD") && !metrics.contains("/nowhere/"),
        "a client's words became labels"
    );
    assert!(metrics.contains("method=\"other\""), "{metrics}");
}

#[tokio::test]
async fn a_second_server_on_the_same_database_refuses_to_start_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plans.db");
    let port = free_port();
    let (mut first, _) = spawn_server(&db, port, Some(PLANNER)).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // A plan that is still being solved when the second process starts.
    let instance = common::import_month(&common::root().join("fixtures/cangzhou"), "2027-03");
    let created: Value = client
        .post(format!("{base}/api/v1/plans"))
        .bearer_auth(PLANNER)
        .json(&json!({ "instance": instance, "iterations": 100000, "time_limit": 30 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    poll_plan(&client, &base, id, |p| p["status"] == "running")
        .await
        .expect("running");
    let second = std::process::Command::new(common::bin())
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{}", free_port()),
            "--database-url",
            &format!("sqlite://{}", db.display()),
        ])
        .env_remove(sweep_service::auth::PLANNER_TOKEN_ENV)
        .output()
        .unwrap();
    assert!(!second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(
        said.contains("another hazard-sweep process is using the database"),
        "{said}"
    );
    let plan: Value = client
        .get(format!("{base}/api/v1/plans/{id}"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        plan["status"], "running",
        "the second process marked the first one's plan: {plan}"
    );
    let cancel = client
        .post(format!("{base}/api/v1/plans/{id}/cancel"))
        .bearer_auth(PLANNER)
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 200);
    // The solve stops at its next check; on a busy machine that may take a moment.
    let cancelled = poll_plan(&client, &base, id, |p| p["status"] != "running")
        .await
        .expect("the solve stops");
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["error"].as_str()),
        (Some("failed"), Some("cancelled by a planner")),
        "{cancelled}"
    );
    let _ = first.kill();
    let _ = first.wait();
}

#[tokio::test]
async fn plans_run_first_come_first_served_and_can_be_cancelled_queued_or_running() {
    let server = Server::start().await;
    let s = &server;
    expect_error(
        s.planner(Method::POST, "/api/v1/plans")
            .json(&json!({ "instance": two_firms(), "iterations": 1_000_000_000_000u64 })),
        422,
        "invalid_plan",
    )
    .await;
    expect_error(
        s.planner(Method::POST, "/api/v1/plans")
            .json(&json!({ "instance": two_firms(), "time_limit": 86_400 })),
        422,
        "invalid_plan",
    )
    .await;
    // A long solve holds the queue; three more wait behind it, created at once.
    let long = s
        .json(
            s.planner(Method::POST, "/api/v1/plans").json(
                &json!({ "instance": two_firms(), "iterations": 10_000_000, "time_limit": 60 }),
            ),
            202,
        )
        .await;
    let long = long["id"].as_i64().unwrap();
    s.wait(long, |p| p["status"] == "running")
        .await
        .expect("running");
    let create = || async {
        s.json(
            s.planner(Method::POST, "/api/v1/plans")
                .json(&json!({ "instance": two_firms(), "iterations": 30 })),
            202,
        )
        .await["id"]
            .as_i64()
            .unwrap()
    };
    let (a, b, c) = tokio::join!(create(), create(), create());
    let mut waiting = [a, b, c];
    waiting.sort();
    let queued = s
        .json(
            s.planner(
                Method::POST,
                &format!("/api/v1/plans/{}/cancel", waiting[1]),
            ),
            200,
        )
        .await;
    assert_eq!(
        (queued["status"].as_str(), queued["error"].as_str()),
        (Some("failed"), Some("cancelled by a planner")),
        "{queued}"
    );
    let running = s
        .json(
            s.planner(Method::POST, &format!("/api/v1/plans/{long}/cancel")),
            200,
        )
        .await;
    assert_eq!(
        (running["status"].as_str(), running["error"].as_str()),
        (Some("failed"), Some("cancelled by a planner")),
        "{running}"
    );
    expect_error(
        s.planner(Method::POST, &format!("/api/v1/plans/{long}/cancel")),
        409,
        "not_cancellable",
    )
    .await;
    let first = s
        .wait(waiting[0], |p| p["status"] == "done")
        .await
        .expect("done");
    let last = s
        .wait(waiting[2], |p| p["status"] == "done")
        .await
        .expect("done");
    // One at a time, in the order of their ids: the first was done before the last began.
    let (first_done, last_started) = (
        first["updated_at"].as_str().unwrap(),
        last["started_at"].as_str().unwrap(),
    );
    assert!(
        first_done <= last_started,
        "plans ran out of order or at once: {first} {last}"
    );
    // The queue goes on after a cancelled running plan: a new plan is solved.
    s.plan(json!({ "instance": two_firms(), "iterations": 10 }))
        .await;
}

#[tokio::test]
async fn connections_that_send_nothing_or_half_a_header_are_closed() {
    let server = Server::start().await;
    let address = server.base.trim_start_matches("http://").to_string();
    let started = std::time::Instant::now();
    let closed = tokio::task::spawn_blocking(move || {
        let idle = std::net::TcpStream::connect(&address).unwrap();
        let mut half = std::net::TcpStream::connect(&address).unwrap();
        half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
        let mut outcomes = Vec::new();
        for mut stream in [idle, half] {
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(30)))
                .unwrap();
            let mut buffer = Vec::new();
            // The server closes the connection (possibly after a 408): the read ends.
            outcomes.push(stream.read_to_end(&mut buffer).is_ok());
        }
        outcomes
    })
    .await
    .unwrap();
    assert_eq!(closed, vec![true, true]);
    let waited = started.elapsed();
    assert!(
        waited >= sweep_service::server::HEADER_READ_TIMEOUT
            && waited < sweep_service::server::HEADER_READ_TIMEOUT * 2,
        "closed after {waited:?}"
    );
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408_in_the_error_shape() {
    let server = Server::start().await;
    let address = server.base.trim_start_matches("http://").to_string();
    let started = std::time::Instant::now();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
        let head = format!("POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {PLANNER}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"role\"");
        stream.write_all(head.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    let body: Value = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["code"], "body_timeout", "{body}");
    assert!(started.elapsed() >= sweep_service::server::BODY_IDLE_TIMEOUT);
}

#[tokio::test]
async fn a_removed_expert_or_officer_loses_their_token() {
    let server = Server::start().await;
    let mut instance = two_firms();
    instance["officers"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "O9", "name": "周平", "district": "D1" }));
    instance["experts"].as_array_mut().unwrap().push(json!({ "id": "E9", "name": "吴刚", "tier": "city", "title": "senior", "specialties": ["construction"], "certified_until": "2028-12-31", "home": { "lat": 38.30, "lon": 116.85 } }));
    store_registries(&server, &instance).await;
    let officer = server.token("officer", Some("O9")).await;
    let expert = server.token("expert", Some("E9")).await;
    server
        .json(
            server.call(Some(&officer), Method::GET, "/api/v1/plans"),
            200,
        )
        .await;
    server
        .json(
            server.call(
                Some(&expert),
                Method::GET,
                "/api/v1/me/assignments?month=2027-03",
            ),
            200,
        )
        .await;
    for path in ["/api/v1/officers/O9", "/api/v1/experts/E9"] {
        let response = server.planner(Method::DELETE, path).send().await.unwrap();
        assert_eq!(response.status(), 204);
    }
    expect_error(
        server.call(Some(&officer), Method::GET, "/api/v1/plans"),
        401,
        "invalid_token",
    )
    .await;
    expect_error(
        server.call(
            Some(&expert),
            Method::GET,
            "/api/v1/me/assignments?month=2027-03",
        ),
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn sizes_are_bounded_and_every_answer_is_in_the_error_shape() {
    let server = Server::start().await;
    let (id, _, token) = published_two_firms(&server).await;
    let s = &server;
    // A bad CSV of 20,000 rows: the answer lists 200 problems and counts them all.
    let mut csv =
        String::from("id,name,tier,title,specialties,certified_until,home_lat,home_lon\n");
    for i in 0..20_000 {
        csv.push_str(&format!("X{i},名,galactic,boss,none,never,x,y\n"));
    }
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/experts/csv")
            .header("content-type", "text/csv")
            .body(csv),
        422,
        "invalid_registry",
    )
    .await;
    assert_eq!(
        body["details"].as_array().unwrap().len(),
        sweep_service::error::MAX_DETAILS
    );
    // Six bad fields a row (tier, title, specialties, date and two coordinates).
    assert_eq!(body["total_details"], 120_000, "{}", body["message"]);
    // Listings page by default and cap the page: 150 firms are listed 100 at a time.
    let mut firms = String::from("id,name,district,lat,lon,sector,risk,officer\n");
    for i in 0..150 {
        firms.push_str(&format!(
            "G{i:03},商场{i},D1,38.31,116.87,crowded_venue,yellow,O1\n"
        ));
    }
    s.json(
        s.planner(Method::POST, "/api/v1/enterprises/csv")
            .header("content-type", "text/csv")
            .body(firms),
        200,
    )
    .await;
    let page = s
        .json(s.planner(Method::GET, "/api/v1/enterprises"), 200)
        .await;
    assert_eq!(
        (
            page["total"].as_u64(),
            page["items"].as_array().map(Vec::len)
        ),
        (Some(150), Some(100)),
        "{}",
        page["total"]
    );
    let rest = s
        .json(
            s.planner(Method::GET, "/api/v1/enterprises?offset=100"),
            200,
        )
        .await;
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(50));
    for listing in [
        "/api/v1/enterprises?limit=1001",
        "/api/v1/plans?limit=1001",
        "/api/v1/tokens?limit=0",
    ] {
        expect_error(s.planner(Method::GET, listing), 400, "invalid_query").await;
    }
    // Ids, names and reasons have lengths.
    let mut district = two_firms()["districts"][0].clone();
    district["id"] = json!("D".repeat(100_000));
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/districts").json(&district),
        422,
        "invalid_registry",
    )
    .await;
    assert_eq!(body["details"][0]["code"], "E1103", "{body}");
    let visit = format!("{id}-F1");
    let decline = s
        .call(
            Some(&token),
            Method::POST,
            &format!("/api/v1/me/assignments/{visit}/decline"),
        )
        .json(&json!({ "reason": "病".repeat(501) }));
    expect_error(decline, 422, "invalid_body").await;
    // hyper's own answers: a URI and a header block over its limits (sent by hand: a
    // client library refuses to build such requests).
    let address = s.base.trim_start_matches("http://").to_string();
    let long_uri = format!(
        "GET /api/v1/districts/{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "D".repeat(70_000)
    );
    let big_header = format!(
        "GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n",
        "p".repeat(500_000)
    );
    // Under hyper's buffer limit but over the service's header limit: the router's answer.
    let header_over_limit = format!(
        "GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n",
        "p".repeat(100_000)
    );
    for (request, status, code) in [
        (long_uri, 414, "uri_too_long"),
        (big_header, 431, "headers_too_large"),
        (header_over_limit, 431, "headers_too_large"),
    ] {
        let address = address.clone();
        let answer = tokio::task::spawn_blocking(move || raw_request(&address, request.as_bytes()))
            .await
            .unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{head}"
        );
        let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        assert_eq!(body["code"], code, "{head}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()) && body["details"].is_array(),
            "{body}"
        );
    }
}

/// Sends bytes over a new connection and reads the answer until the server closes it.
fn raw_request(address: &str, request: &[u8]) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    // The server may answer and close before it has read everything: a failed write is fine.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn parsing_is_strict_about_months_keys_headers_and_types() {
    let server = Server::start().await;
    let (id, expert, token) = published_two_firms(&server).await;
    let s = &server;
    for month in [
        "0000-01",
        "-0001-01",
        "+10000-01",
        "2027-3",
        "2027-03\n",
        "1999-12",
        "2101-01",
    ] {
        let body = expect_error(
            s.planner(Method::POST, "/api/v1/plans")
                .json(&json!({ "month": month })),
            422,
            "invalid_month",
        )
        .await;
        assert_eq!(body["details"][0]["field"], "month", "{month}: {body}");
        let encoded: String = month
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let query = s.call(
            Some(&token),
            Method::GET,
            &format!("/api/v1/me/assignments?month={encoded}"),
        );
        expect_error(query, 400, "invalid_month").await;
    }
    // Duplicate keys are refused, at any depth.
    let duplicated = r#"{"role": "expert", "subject": "E1", "role": "planner"}"#;
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/tokens")
            .header("content-type", "application/json")
            .body(duplicated),
        400,
        "malformed_json",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap().contains("`role`"),
        "{body}"
    );
    let nested = r#"{"month": "2027-03", "policy": {"seed": 1, "seed": 2}}"#;
    let body = expect_error(
        s.planner(Method::POST, "/api/v1/plans")
            .header("content-type", "application/json")
            .body(nested),
        400,
        "malformed_json",
    )
    .await;
    assert_eq!(body["details"][0]["field"], "policy", "{body}");
    // The scheme is case-insensitive; a second Authorization header is refused.
    for scheme in ["BEARER", "bearer", "Bearer", "bEaReR"] {
        let response = s
            .client
            .get(format!("{}/api/v1/plans", s.base))
            .header("authorization", format!("{scheme} {PLANNER}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{scheme}");
    }
    let two = s
        .client
        .get(format!("{}/api/v1/plans", s.base))
        .header("authorization", format!("Bearer {PLANNER}"))
        .header("authorization", "Bearer someone-else");
    expect_error(two, 400, "duplicate_header").await;
    // Exact content types.
    for content_type in ["text/csvXYZ", "text/csv; charset=gbk", "application/jsonp"] {
        let upload = s
            .planner(Method::POST, "/api/v1/districts/csv")
            .header("content-type", content_type)
            .body("id,name,base_lat,base_lon\n");
        expect_error(upload, 415, "unsupported_media_type").await;
    }
    // A finding is found on its visit's day (or within a month), not backdated.
    let finding = |found_on: &str| {
        s.planner(
            Method::POST,
            &format!("/api/v1/plans/{id}/visits/F1/findings"),
        )
        .json(&json!({ "severity": "major", "deadline": "2027-04-30", "found_on": found_on }))
    };
    let body = expect_error(finding("1900-01-01"), 422, "invalid_finding").await;
    assert_eq!(body["details"][0]["field"], "found_on", "{body}");
    // A decline on a plan a newer published plan replaces is refused.
    let newer = s
        .plan(json!({ "month": "2027-03", "iterations": 50 }))
        .await;
    s.json(
        s.planner(Method::POST, &format!("/api/v1/plans/{newer}/publish")),
        200,
    )
    .await;
    let (_, roster) = s.checked(id).await;
    let visit = roster
        .crews
        .iter()
        .find(|c| c.experts.contains(&expert))
        .map(|c| format!("{id}-{}", c.visits[0].enterprise))
        .unwrap();
    let decline = s
        .call(
            Some(&token),
            Method::POST,
            &format!("/api/v1/me/assignments/{visit}/decline"),
        )
        .json(&json!({ "reason": "出差" }));
    expect_error(decline, 409, "plan_superseded").await;
}

#[tokio::test]
async fn a_database_file_removed_under_the_service_makes_it_unready_and_refuse_writes() {
    let dir = tempfile::tempdir().unwrap();
    let base = start_in(dir.path()).await;
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    std::fs::rename(dir.path().join("plans.db"), dir.path().join("moved.db")).unwrap();
    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let write = client
        .post(format!("{base}/api/v1/tokens"))
        .bearer_auth(PLANNER)
        .json(&json!({ "role": "planner" }));
    expect_error(write, 503, "store_unavailable").await;
}
