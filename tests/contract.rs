//! Documents written by others in the CONTRACT.md format: optional fields absent or
//! `null`, policy values `null`, a road network; they solve with 0 violations, and the
//! roster carries the contract's field names.

mod common;

use hazard_sweep::import::read_instance_json;
use serde_json::{Value, json};

fn outside_instance() -> Value {
    json!({
        "name": "outside-tool-2027-04",
        "horizon": { "start": "2027-04-06", "end": "2027-04-16" },
        "calendar": { "holidays": [], "extra_workdays": [], "periods": [
            { "name": "focus", "start": "2027-04-06", "end": "2027-04-16", "kind": "focus", "sectors": ["metallurgy"], "boost": 0.5 } ] },
        "policy": { "seed": 11, "day_start": null, "day_end": "17:30", "min_team": null, "max_team": 4,
                    "max_firms_per_officer": null, "cost_per_km": null, "rotation_months": null,
                    "random_share": 0.2, "frequency_months": { "red": 3, "orange": 6, "yellow": 12 } },
        "districts": [ { "id": "BT", "name": "泊头市", "base": { "lat": 38.084, "lon": 116.578 } } ],
        "officers": [
            { "id": "o1", "name": "甲", "district": "BT", "base": null, "unavailable": ["2027-04-07"], "max_days": null },
            { "id": "o2", "name": "乙", "district": "city", "base": { "lat": 38.30, "lon": 116.84 } } ],
        "experts": [
            { "id": "x1", "name": "一", "tier": "provincial", "title": "senior", "specialties": ["metallurgy", "equipment"],
              "certified_until": "2028-01-01", "home": { "lat": 38.1, "lon": 116.6 }, "unavailable": [], "max_days": null,
              "day_rate": null, "avoid_enterprises": [], "avoid_groups": [] },
            { "id": "x2", "name": "二", "tier": "city", "title": "intermediate", "specialties": ["equipment", "fire_safety", "electrical"],
              "certified_until": "2028-01-01", "home": { "lat": 38.1, "lon": 116.6 } },
            { "id": "x3", "name": "三", "tier": "city", "title": "associate_senior", "specialties": ["metallurgy"],
              "certified_until": "2028-01-01", "home": { "lat": 38.1, "lon": 116.6 }, "day_rate": 650.0, "avoid_groups": ["g1"] } ],
        "enterprises": [
            { "id": "m1", "name": "铸造一厂", "district": "BT", "location": { "lat": 38.10, "lon": 116.60 }, "group": null,
              "sector": "metallurgy", "risk": "orange", "major_hazard_level": 0, "processes": [], "standardization": null,
              "blacklisted": false, "officer": "o1", "hours": null, "closed_dates": [], "required_specialties": null,
              "min_tier": null, "team_size": null, "duration_min": null },
            { "id": "m2", "name": "铸造二厂", "district": "BT", "location": { "lat": 38.06, "lon": 116.55 }, "group": "g1",
              "sector": "metallurgy", "risk": "red", "officer": "o1", "hours": { "open": "08:00", "close": "16:30" } },
            { "id": "v1", "name": "商场", "district": "BT", "location": { "lat": 38.09, "lon": 116.57 },
              "sector": "crowded_venue", "risk": "blue", "standardization": 3, "officer": "o2" } ],
        "history": [ { "enterprise": "m1", "date": "2026-09-01", "experts": ["x1"], "kind": "expert_sweep" } ],
        "findings": [ { "id": "f1", "enterprise": "v1", "severity": "general", "found_on": "2027-03-01",
                        "deadline": "2027-04-08", "rectified": false } ],
        "travel": { "network": {
            "nodes": [ { "id": "a", "lat": 38.084, "lon": 116.578 }, { "id": "b", "lat": 38.10, "lon": 116.60 },
                       { "id": "c", "lat": 38.06, "lon": 116.55 }, { "id": "d", "lat": 38.30, "lon": 116.84 } ],
            "edges": [ { "from": "a", "to": "b", "km": 3.2, "class": "county" }, { "from": "a", "to": "c", "km": 4.1, "class": "local" },
                       { "from": "a", "to": "d", "km": 38.0, "class": "expressway" } ] } }
    })
}

#[test]
fn an_outside_instance_with_nulls_solves_valid() {
    let text = outside_instance().to_string();
    let imported = read_instance_json(&text, "outside.json");
    assert!(imported.problems.is_empty(), "{:#?}", imported.problems);
    let instance = imported.instance.unwrap();
    assert_eq!(
        instance.policy.day_start.to_string(),
        "08:00",
        "null takes the default"
    );
    assert_eq!(instance.policy.max_team, 4);
    let roster = common::solve_checked(&instance, 2);
    let due: Vec<&str> = roster.due.iter().map(|d| d.enterprise.as_str()).collect();
    assert_eq!(
        due.len(),
        3,
        "m1 overdue, m2 never swept, v1 follow-up: {due:?}"
    );
    assert_eq!(roster.kpis.scheduled, 3, "{:#?}", roster.unscheduled);
    let m2 = roster
        .crews
        .iter()
        .find(|c| c.visits.iter().any(|v| v.enterprise == "m2"))
        .unwrap();
    assert!(
        !m2.experts.contains(&"x3".to_string()),
        "x3 avoids group g1"
    );
}

#[test]
fn the_roster_uses_the_contract_field_names() {
    let instance = read_instance_json(&outside_instance().to_string(), "outside.json")
        .instance
        .unwrap();
    let roster = serde_json::to_value(common::solve_checked(&instance, 1)).unwrap();
    for key in [
        "plan",
        "horizon",
        "crews",
        "due",
        "unscheduled",
        "excluded",
        "draw",
        "kpis",
        "solver",
    ] {
        assert!(roster.get(key).is_some(), "roster.{key}");
    }
    let crew = &roster["crews"][0];
    for key in [
        "id",
        "date",
        "officer",
        "experts",
        "depart",
        "return",
        "distance_km",
        "visits",
    ] {
        assert!(crew.get(key).is_some(), "crew.{key}");
    }
    for key in [
        "enterprise",
        "arrive",
        "start",
        "end",
        "travel_min",
        "distance_km",
        "reason",
    ] {
        assert!(crew["visits"][0].get(key).is_some(), "visit.{key}");
    }
    for key in [
        "due",
        "mandatory_due",
        "scheduled",
        "mandatory_scheduled",
        "weighted_coverage",
        "expert_days",
        "cost_cny",
        "distance_km",
        "bound",
        "gap",
    ] {
        assert!(roster["kpis"].get(key).is_some(), "kpis.{key}");
    }
    for key in ["seed", "pool", "drawn", "method"] {
        assert!(roster["draw"].get(key).is_some(), "draw.{key}");
    }
    for key in ["version", "seed", "threads", "seconds"] {
        assert!(roster["solver"].get(key).is_some(), "solver.{key}");
    }
}
