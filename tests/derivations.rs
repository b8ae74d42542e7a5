//! The derivations the solver and the checker both read (sweep days, the due list, priority
//! weights, what a visit needs, annual caps), tested against values worked out by hand
//! from docs/rules.md ("Sweep days", "What a visit needs", "What is due", "Priority
//! weight"). The checker takes these as the specification, so a mistake here would pass
//! every checked solve; each row below names the rule it reads and the sum it expects.

use std::collections::HashMap;

use serde_json::{Value, json};
use sweep_solver::calendar;
use sweep_solver::due;
use sweep_solver::model::{DueReason, Instance, Specialty, Tier};
use sweep_solver::requirements;

/// One working week with a holiday, a weekend working day (调休) and a blackout:
/// 2027-03-01 (Mon) … 03-07 (Sun); 03-05 (Fri) a holiday, 03-06 (Sat) a working day,
/// 03-03..03-04 a blackout. Sweep days: 03-01, 03-02, 03-06.
fn week(enterprises: Vec<Value>, history: Vec<Value>, findings: Vec<Value>) -> Instance {
    let doc = json!({
        "name": "derivations",
        "horizon": { "start": "2027-03-01", "end": "2027-03-07" },
        "policy": { "random_share": 0 },
        "calendar": {
            "holidays": ["2027-03-05"],
            "extra_workdays": ["2027-03-06"],
            "periods": [
                { "name": "两会", "start": "2027-03-03", "end": "2027-03-04", "kind": "blackout" },
                { "name": "化工专项", "start": "2027-02-20", "end": "2027-03-02", "kind": "focus",
                  "sectors": ["hazardous_chemicals"], "boost": 0.5 },
                { "name": "安全月", "start": "2027-03-07", "end": "2027-03-31", "kind": "focus",
                  "boost": 0.2 },
                { "name": "去年专项", "start": "2026-06-01", "end": "2026-06-30", "kind": "focus",
                  "boost": 2.0 }
            ]
        },
        "districts": [{ "id": "D1", "name": "运河区", "base": { "lat": 38.31, "lon": 116.86 } }],
        "officers": [{ "id": "O1", "name": "王强", "district": "D1" }],
        "experts": [],
        "enterprises": enterprises,
        "history": history,
        "findings": findings,
    });
    serde_json::from_value(doc).expect("a valid instance")
}

/// A firm of sector `sector` and grade `risk` with the extra fields of `extra`.
fn firm(id: &str, sector: &str, risk: &str, extra: Value) -> Value {
    let mut f = json!({
        "id": id, "name": id, "district": "D1",
        "location": { "lat": 38.33, "lon": 116.87 },
        "sector": sector, "risk": risk, "officer": "O1"
    });
    if let (Some(f), Some(extra)) = (f.as_object_mut(), extra.as_object()) {
        f.extend(extra.clone());
    }
    f
}

fn sweep(firm: &str, date: &str) -> Value {
    json!({ "enterprise": firm, "date": date, "kind": "expert_sweep" })
}

fn enforcement(firm: &str, date: &str) -> Value {
    json!({ "enterprise": firm, "date": date, "kind": "enforcement" })
}

fn finding(id: &str, firm: &str, severity: &str, deadline: &str, rectified: bool) -> Value {
    json!({ "id": id, "enterprise": firm, "severity": severity,
            "found_on": "2026-12-01", "deadline": deadline, "rectified": rectified })
}

#[test]
fn sweep_days_are_working_days_outside_blackouts() {
    let instance = week(vec![], vec![], vec![]);
    let days: Vec<String> = calendar::sweep_days(&instance)
        .iter()
        .map(|d| d.to_string())
        .collect();
    // Mon, Tue; Wed–Thu blacked out; Fri a holiday; Sat worked (调休); Sun off.
    assert_eq!(days, ["2027-03-01", "2027-03-02", "2027-03-06"]);
}

#[test]
fn due_reasons_weights_and_exclusions_match_the_rules_by_hand() {
    let firms = vec![
        // Follow-ups: an unrectified finding with its deadline on or before the horizon's end.
        firm("FU-IN", "construction", "yellow", json!({})),
        firm("FU-PAST", "construction", "orange", json!({})),
        firm("FU-END", "construction", "yellow", json!({})),
        firm("FU-LATER", "construction", "yellow", json!({})),
        firm("FU-DONE", "construction", "yellow", json!({})),
        // A follow-up at a firm that is also overdue: its overdue days count too.
        firm("FU-OVERDUE", "construction", "yellow", json!({})),
        // Overdue: last sweep + frequency before the start, or no sweep on record.
        firm("OV-NEVER", "construction", "red", json!({})),
        firm("OV-44", "construction", "orange", json!({})),
        firm("OV-CAPPED", "construction", "yellow", json!({})),
        // Frequency: the next sweep inside the horizon.
        firm("FQ-START", "construction", "orange", json!({})),
        firm(
            "FQ-CHEM",
            "hazardous_chemicals",
            "red",
            json!({ "major_hazard_level": 2, "processes": ["nitration", "hydrogenation"] }),
        ),
        firm("FQ-END", "construction", "orange", json!({})),
        // Not due: the next sweep after the end; a blue firm (only by draw).
        firm("NOT-YET", "construction", "orange", json!({})),
        firm("BLUE", "construction", "blue", json!({})),
        // Exclusions of firms that would be due.
        firm(
            "EX-BLACK",
            "construction",
            "red",
            json!({ "blacklisted": true }),
        ),
        firm(
            "EX-CAP",
            "construction",
            "yellow",
            json!({ "standardization": 1 }),
        ),
        firm(
            "EX-CLOSED",
            "construction",
            "red",
            json!({ "closed_dates": ["2027-03-01", "2027-03-02", "2027-03-06"] }),
        ),
        // Closed on two of the three sweep days: still due.
        firm(
            "OPEN-ONE",
            "construction",
            "red",
            json!({ "closed_dates": ["2027-03-01", "2027-03-02"] }),
        ),
        // A chemical firm at grade 1 has a cap of 2: one inspection this year leaves room
        // for its follow-up.
        firm(
            "CHEM-ROOM",
            "hazardous_chemicals",
            "yellow",
            json!({ "standardization": 1 }),
        ),
        // Not due, so never listed as excluded although blacklisted.
        firm(
            "BLACK-NOT-DUE",
            "construction",
            "blue",
            json!({ "blacklisted": true }),
        ),
    ];
    let history = vec![
        sweep("FU-IN", "2027-01-10"),
        sweep("FU-PAST", "2027-01-10"),
        sweep("FU-END", "2027-01-10"),
        sweep("FU-LATER", "2027-01-10"),
        sweep("FU-DONE", "2027-01-10"),
        sweep("FU-OVERDUE", "2025-12-02"),
        sweep("OV-44", "2026-07-16"),
        sweep("OV-CAPPED", "2025-01-01"),
        sweep("FQ-START", "2026-09-01"),
        sweep("FQ-CHEM", "2026-12-05"),
        sweep("FQ-END", "2026-09-07"),
        sweep("NOT-YET", "2026-09-08"),
        sweep("EX-CAP", "2026-01-01"),
        enforcement("EX-CAP", "2027-01-20"),
        sweep("CHEM-ROOM", "2027-01-20"),
        sweep("OPEN-ONE", "2026-12-01"),
        sweep("OPEN-ONE", "2026-01-01"),
    ];
    let findings = vec![
        finding("N1", "FU-IN", "general", "2027-03-02", false),
        finding("N2", "FU-PAST", "major", "2027-02-01", false),
        finding("N3", "FU-PAST", "general", "2027-02-10", false),
        finding("N4", "FU-END", "general", "2027-03-07", false),
        finding("N5", "FU-LATER", "major", "2027-03-08", false),
        finding("N6", "FU-DONE", "major", "2027-03-02", true),
        finding("N7", "CHEM-ROOM", "general", "2027-03-01", false),
        finding("N8", "FU-OVERDUE", "general", "2027-03-03", false),
    ];
    let instance = week(firms, history, findings);
    let list = due::derive(&instance);

    let got: HashMap<&str, (DueReason, bool, f64)> = list
        .due
        .iter()
        .map(|d| (d.enterprise.as_str(), (d.reason, d.mandatory, d.weight)))
        .collect();
    // (firm, reason, mandatory, weight) with the weight's sum from "Priority weight".
    // Boosts: only 安全月 (+0.2, every sector) and 化工专项 (+0.5, chemicals) overlap
    // the horizon; a chemical firm takes the larger, 0.5.
    let expected: [(&str, DueReason, bool, f64); 12] = [
        // next sweep 2026-12-02, 89 days before 03-01: yellow 2 + 89/30 + one general
        // finding 1 = 5.9667; × 1.2 = 7.16
        ("FU-OVERDUE", DueReason::FollowUp, true, 7.16),
        // yellow 2 + one general finding 1 = 3; a chemical firm: × 1.5
        ("CHEM-ROOM", DueReason::FollowUp, true, 4.5),
        // yellow 2 + one general finding 1 = 3; × 1.2 = 3.6
        ("FU-IN", DueReason::FollowUp, true, 3.6),
        // orange 4 + major 3 + general 1 = 8 (swept in January: not overdue); × 1.2
        ("FU-PAST", DueReason::FollowUp, true, 9.6),
        // deadline on the last day counts: yellow 2 + 1 = 3; × 1.2
        ("FU-END", DueReason::FollowUp, true, 3.6),
        // red 8, never swept: overdue with 0 days; × 1.2
        ("OV-NEVER", DueReason::Overdue, true, 9.6),
        // next sweep 2027-01-16, 44 days before 03-01: orange 4 + 44/30; × 1.2 = 6.56
        ("OV-44", DueReason::Overdue, true, 6.56),
        // next sweep 2026-01-01, 424 days over, capped at 6: yellow 2 + 6 = 8; × 1.2
        ("OV-CAPPED", DueReason::Overdue, true, 9.6),
        // next sweep 2027-03-01, the first day: not overdue; orange 4 × 1.2
        ("FQ-START", DueReason::Frequency, false, 4.8),
        // red 8 + level 2 → 3 + two processes 1.5 + 2 × 0.5 = 2.5 = 13.5; × 1.5 = 20.25
        ("FQ-CHEM", DueReason::Frequency, false, 20.25),
        // next sweep 2027-03-07, the last day
        ("FQ-END", DueReason::Frequency, false, 4.8),
        // red, next sweep 2027-03-01, open on one sweep day: red 8 × 1.2
        ("OPEN-ONE", DueReason::Frequency, false, 9.6),
    ];
    for (id, reason, mandatory, weight) in expected {
        let Some(&(r, m, w)) = got.get(id) else {
            panic!("{id} is not on the due list: {got:?}");
        };
        assert_eq!((r, m), (reason, mandatory), "{id}");
        assert!(
            (w - weight).abs() < 1e-9,
            "{id}: weight {w}, by hand {weight}"
        );
    }
    for id in ["FU-LATER", "FU-DONE", "NOT-YET", "BLUE", "BLACK-NOT-DUE"] {
        assert!(!got.contains_key(id), "{id} should not be due");
    }
    assert_eq!(list.due.len(), 12);

    // Mandatory first, then weight (heavier first), then id.
    let order: Vec<&str> = list.due.iter().map(|d| d.enterprise.as_str()).collect();
    assert_eq!(
        order,
        [
            "FU-PAST",
            "OV-CAPPED",
            "OV-NEVER",
            "FU-OVERDUE",
            "OV-44",
            "CHEM-ROOM",
            "FU-END",
            "FU-IN",
            "FQ-CHEM",
            "OPEN-ONE",
            "FQ-END",
            "FQ-START"
        ]
    );
    // A follow-up's earliest unrectified deadline on or before the horizon's end (also one
    // already past), and the earliest deadline of a major one, for the timing rule and term.
    let follow_up = |id: &str| {
        let i = order.iter().position(|x| *x == id).unwrap();
        list.follow_up[i].map(|f| {
            (
                f.deadline.to_string(),
                f.major_deadline.map(|d| d.to_string()),
            )
        })
    };
    assert_eq!(
        follow_up("FU-PAST"),
        Some(("2027-02-01".into(), Some("2027-02-01".into())))
    );
    assert_eq!(follow_up("FU-END"), Some(("2027-03-07".into(), None)));
    assert_eq!(follow_up("FU-IN"), Some(("2027-03-02".into(), None)));
    assert_eq!(follow_up("OV-44"), None);

    let excluded: HashMap<&str, (&str, &str)> = list
        .excluded
        .iter()
        .map(|e| (e.enterprise.as_str(), (e.code.as_str(), e.message.as_str())))
        .collect();
    assert_eq!(excluded.len(), 3, "{excluded:?}");
    assert_eq!(excluded["EX-BLACK"].0, "blacklisted");
    // Grade 1, not chemical: a cap of 1; the enforcement visit in January counts.
    assert_eq!(excluded["EX-CAP"].0, "annual_cap");
    assert!(
        excluded["EX-CAP"].1.contains("(1)"),
        "{}",
        excluded["EX-CAP"].1
    );
    assert_eq!(excluded["EX-CLOSED"].0, "closed");
}

#[test]
fn the_annual_cap_excludes_only_when_every_year_of_the_horizon_is_full() {
    // A horizon over the new year: capped in 2026 (grade 1, one inspection), room in 2027.
    let mut instance = week(
        vec![
            firm(
                "ROOM-NEXT-YEAR",
                "fireworks",
                "red",
                json!({ "standardization": 1 }),
            ),
            firm(
                "FULL-BOTH",
                "fireworks",
                "red",
                json!({ "standardization": 1 }),
            ),
        ],
        vec![
            enforcement("ROOM-NEXT-YEAR", "2026-06-01"),
            enforcement("FULL-BOTH", "2026-06-01"),
            enforcement("FULL-BOTH", "2027-01-02"),
        ],
        vec![],
    );
    instance.horizon.start = "2026-12-28".parse().unwrap();
    instance.horizon.end = "2027-01-08".parse().unwrap();
    let list = due::derive(&instance);
    let due: Vec<&str> = list.due.iter().map(|d| d.enterprise.as_str()).collect();
    assert_eq!(due, ["ROOM-NEXT-YEAR"]);
    assert_eq!(list.excluded.len(), 1);
    assert_eq!(list.excluded[0].enterprise, "FULL-BOTH");
    assert_eq!(list.excluded[0].code, "annual_cap");
}

#[test]
fn the_random_draw_takes_a_rounded_share_of_the_remaining_pool_in_any_input_order() {
    // Ten blue firms, one of them blacklisted and one capped (not in the pool), one red
    // overdue firm (due, not in the pool): a pool of 8, 8 × 0.25 = 2 drawn.
    let mut firms: Vec<Value> = (0..8)
        .map(|i| firm(&format!("B{i}"), "construction", "blue", json!({})))
        .collect();
    firms.push(firm(
        "B-BLACK",
        "construction",
        "blue",
        json!({ "blacklisted": true }),
    ));
    firms.push(firm(
        "B-CAP",
        "construction",
        "blue",
        json!({ "standardization": 1 }),
    ));
    firms.push(firm("RED", "construction", "red", json!({})));
    let mut instance = week(firms, vec![enforcement("B-CAP", "2027-01-05")], vec![]);
    instance.policy.random_share = 0.25;
    instance.policy.seed = 7;
    let list = due::derive(&instance);
    assert_eq!(list.draw.pool, 8);
    assert_eq!(list.draw.seed, 7);
    assert_eq!(list.draw.drawn.len(), 2);
    for id in &list.draw.drawn {
        assert!(
            id.starts_with('B') && id.len() == 2,
            "{id} is not in the pool"
        );
        let entry = list.due.iter().find(|d| &d.enterprise == id).unwrap();
        // Drawn, not mandatory, blue 1 × 1.2.
        assert_eq!(entry.reason, DueReason::RandomDraw);
        assert!(!entry.mandatory);
        assert!((entry.weight - 1.2).abs() < 1e-9);
    }
    // 0.3 of 8 = 2.4 rounds to 2; 0.32 of 8 = 2.56 rounds to 3.
    instance.policy.random_share = 0.3;
    assert_eq!(due::derive(&instance).draw.drawn.len(), 2);
    instance.policy.random_share = 0.32;
    assert_eq!(due::derive(&instance).draw.drawn.len(), 3);

    // The same seed and firms in another order draw the same firms, in the same order.
    instance.policy.random_share = 0.25;
    let before = due::derive(&instance).draw.drawn;
    instance.enterprises.reverse();
    assert_eq!(due::derive(&instance).draw.drawn, before);
    let other: Vec<String> = (0..20)
        .map(|seed| {
            instance.policy.seed = seed;
            due::derive(&instance).draw.drawn.join(",")
        })
        .collect();
    assert!(
        other.iter().any(|d| *d != other[0]),
        "twenty seeds drew the same firms"
    );
}

#[test]
fn what_a_visit_needs_matches_the_rules_by_hand() {
    use Specialty as S;
    let firms = vec![
        firm("CHEM", "hazardous_chemicals", "yellow", json!({})),
        firm(
            "CHEM-PROC",
            "hazardous_chemicals",
            "yellow",
            json!({ "processes": ["azo"] }),
        ),
        firm(
            "CHEM-MH2",
            "hazardous_chemicals",
            "yellow",
            json!({ "major_hazard_level": 2 }),
        ),
        firm(
            "CHEM-OWN",
            "hazardous_chemicals",
            "yellow",
            json!({ "processes": ["azo"], "team_size": 2,
                    "required_specialties": ["process", "safety_management"] }),
        ),
        firm(
            "CHEM-MH4",
            "hazardous_chemicals",
            "blue",
            json!({ "major_hazard_level": 4 }),
        ),
        firm("FIREWORKS", "fireworks", "orange", json!({})),
        firm(
            "MINE",
            "non_coal_mining",
            "orange",
            json!({ "major_hazard_level": 3 }),
        ),
        firm(
            "METAL",
            "metallurgy",
            "orange",
            json!({ "major_hazard_level": 1 }),
        ),
        firm("SPECIAL", "special_equipment", "yellow", json!({})),
        firm("SITE", "construction", "red", json!({})),
        firm("VENUE", "crowded_venue", "yellow", json!({})),
        firm("HEALTH", "occupational_health", "yellow", json!({})),
        firm(
            "TRANSPORT",
            "dangerous_goods_transport",
            "yellow",
            json!({}),
        ),
        firm(
            "GAS",
            "city_gas",
            "orange",
            json!({ "major_hazard_level": 2 }),
        ),
        firm(
            "OVERRIDES",
            "non_coal_mining",
            "red",
            json!({ "required_specialties": ["blasting", "mining", "blasting"],
                    "min_tier": "city", "team_size": 4, "duration_min": 90 }),
        ),
        firm(
            "SMALL-TEAM",
            "fireworks",
            "yellow",
            json!({ "team_size": 1 }),
        ),
    ];
    let instance = week(firms, vec![], vec![]);
    // (firm, specialties, lead tier, team size, minutes on site, annual cap)
    type Needs<'a> = (&'a str, &'a [Specialty], Tier, u32, u32, u32);
    let expected: [Needs; 16] = [
        // Chemical: three specialties; city lead; team = 3 specialties; 240 min; ungraded 12.
        (
            "CHEM",
            &[S::Process, S::Equipment, S::Electrical],
            Tier::City,
            3,
            240,
            12,
        ),
        // A key process: a major chemical firm, so safety management too and a team of 4
        // (major_chemical_team); provincial lead, a full day.
        (
            "CHEM-PROC",
            &[S::Process, S::Equipment, S::Electrical, S::SafetyManagement],
            Tier::Provincial,
            4,
            420,
            12,
        ),
        // A level-2 major hazard: the same.
        (
            "CHEM-MH2",
            &[S::Process, S::Equipment, S::Electrical, S::SafetyManagement],
            Tier::Provincial,
            4,
            420,
            12,
        ),
        // The firm's own specialties and team size replace the major chemical defaults.
        (
            "CHEM-OWN",
            &[S::Process, S::SafetyManagement],
            Tier::Provincial,
            2,
            420,
            12,
        ),
        // Level 4 major hazard: a full day, but a city lead (only levels 1–2 raise it).
        (
            "CHEM-MH4",
            &[S::Process, S::Equipment, S::Electrical],
            Tier::City,
            3,
            420,
            12,
        ),
        // One specialty: min_team 2; 150 min; other sectors ungraded 6.
        ("FIREWORKS", &[S::Fireworks], Tier::City, 2, 150, 6),
        ("MINE", &[S::Mining], Tier::City, 2, 240, 6),
        // Level 1: provincial; metallurgy is capped like chemicals.
        (
            "METAL",
            &[S::Equipment, S::Metallurgy],
            Tier::Provincial,
            2,
            240,
            12,
        ),
        ("SPECIAL", &[S::SpecialEquipment], Tier::City, 2, 150, 6),
        // Red: provincial.
        ("SITE", &[S::Construction], Tier::Provincial, 2, 150, 6),
        (
            "VENUE",
            &[S::Electrical, S::FireSafety],
            Tier::City,
            2,
            150,
            6,
        ),
        ("HEALTH", &[S::OccupationalHealth], Tier::City, 2, 150, 6),
        (
            "TRANSPORT",
            &[S::Process, S::Transport],
            Tier::City,
            2,
            150,
            6,
        ),
        ("GAS", &[S::Equipment, S::Gas], Tier::Provincial, 2, 150, 6),
        // Overrides win (the repeated specialty counted once); team 4 over 2 specialties.
        ("OVERRIDES", &[S::Mining, S::Blasting], Tier::City, 4, 90, 6),
        // A team override below min_team still gets min_team.
        ("SMALL-TEAM", &[S::Fireworks], Tier::City, 2, 150, 6),
    ];
    for (id, specialties, tier, team, minutes, cap) in expected {
        let firm = instance.enterprises.iter().find(|f| f.id == id).unwrap();
        let need = requirements::derive(&instance, firm);
        let mut want = specialties.to_vec();
        want.sort();
        assert_eq!(need.specialties, want, "{id}: specialties");
        assert_eq!(need.min_tier, tier, "{id}: lead tier");
        assert_eq!(need.team_size, team, "{id}: team size");
        assert_eq!(need.duration_min, minutes, "{id}: minutes on site");
        assert_eq!(need.annual_cap, cap, "{id}: annual cap");
        // Firms that give no hours keep the policy's 08:30–17:30.
        assert_eq!(
            (need.hours.open.to_string(), need.hours.close.to_string()),
            ("08:30".to_string(), "17:30".to_string()),
            "{id}: hours"
        );
    }
}

#[test]
fn annual_caps_by_sector_and_standardisation_grade() {
    // (sector, grade, cap): chemicals and metallurgy 2/4/8/12, other firms 1/2/4/6.
    let table = [
        ("hazardous_chemicals", Some(1), 2),
        ("hazardous_chemicals", Some(2), 4),
        ("hazardous_chemicals", Some(3), 8),
        ("hazardous_chemicals", None, 12),
        ("metallurgy", Some(1), 2),
        ("metallurgy", Some(2), 4),
        ("metallurgy", Some(3), 8),
        ("metallurgy", None, 12),
        ("fireworks", Some(1), 1),
        ("non_coal_mining", Some(2), 2),
        ("city_gas", Some(3), 4),
        ("crowded_venue", None, 6),
    ];
    let firms: Vec<Value> = table
        .iter()
        .enumerate()
        .map(|(i, (sector, grade, _))| {
            let extra = match grade {
                Some(g) => json!({ "standardization": g }),
                None => json!({}),
            };
            firm(&format!("F{i}"), sector, "yellow", extra)
        })
        .collect();
    let instance = week(firms, vec![], vec![]);
    for (firm, (sector, grade, cap)) in instance.enterprises.iter().zip(table) {
        assert_eq!(
            requirements::annual_cap(firm),
            cap,
            "{sector} at grade {grade:?}"
        );
    }
}

#[test]
fn opening_hours_and_team_size_follow_the_firm_then_the_policy() {
    let mut instance = week(
        vec![
            firm(
                "OWN-HOURS",
                "fireworks",
                "yellow",
                json!({ "hours": { "open": "13:00", "close": "16:30" } }),
            ),
            firm("POLICY-HOURS", "fireworks", "yellow", json!({})),
            firm("THREE-SPECS", "hazardous_chemicals", "yellow", json!({})),
        ],
        vec![],
        vec![],
    );
    // A bureau whose firms open 09:00–17:00 and whose crews have at least three experts.
    instance.policy.default_hours.open = "09:00".parse().unwrap();
    instance.policy.default_hours.close = "17:00".parse().unwrap();
    instance.policy.min_team = 3;
    fn need(instance: &Instance, id: &str) -> requirements::Requirement {
        let firm = instance.enterprises.iter().find(|f| f.id == id).unwrap();
        requirements::derive(instance, firm)
    }
    let hours = |id: &str| {
        let h = need(&instance, id).hours;
        (h.open.to_string(), h.close.to_string())
    };
    assert_eq!(hours("OWN-HOURS"), ("13:00".into(), "16:30".into()));
    assert_eq!(hours("POLICY-HOURS"), ("09:00".into(), "17:00".into()));
    // One specialty, min_team 3: three experts; three specialties: three as well.
    assert_eq!(need(&instance, "POLICY-HOURS").team_size, 3);
    assert_eq!(need(&instance, "THREE-SPECS").team_size, 3);
    instance.policy.min_team = 4;
    assert_eq!(need(&instance, "THREE-SPECS").team_size, 4);
}

#[test]
fn the_major_chemical_defaults_follow_the_policy() {
    use Specialty as S;
    let mut instance = week(
        vec![firm(
            "CHEM-PROC",
            "hazardous_chemicals",
            "yellow",
            json!({ "processes": ["azo"] }),
        )],
        vec![],
        vec![],
    );
    let need = |instance: &Instance| requirements::derive(instance, &instance.enterprises[0]);
    // Without safety management: the sector's three, and still a team of 4.
    instance.policy.major_chemical_safety_management = false;
    assert_eq!(
        need(&instance).specialties,
        [S::Process, S::Equipment, S::Electrical]
    );
    assert_eq!(need(&instance).team_size, 4);
    // A team of 5 asked for such firms; 0 leaves them to their specialties' count.
    instance.policy.major_chemical_team = 5;
    assert_eq!(need(&instance).team_size, 5);
    instance.policy.major_chemical_team = 0;
    assert_eq!(need(&instance).team_size, 3);
    // Capped at max_team: a bureau of crews of three sends three, and keeps the sector's
    // three specialties (no room for a fourth), so its instances stay valid.
    instance.policy.major_chemical_team = 4;
    instance.policy.max_team = 3;
    assert_eq!(need(&instance).team_size, 3);
    instance.policy.major_chemical_safety_management = true;
    assert_eq!(
        need(&instance).specialties,
        [S::Process, S::Equipment, S::Electrical]
    );
    let problems = sweep_solver::validate(&instance);
    assert!(!sweep_solver::has_errors(&problems), "{problems:#?}");
}
