//! Mutation tests of the independent checker: start from a valid roster, break one rule,
//! and assert the checker reports exactly that rule's code.
//!
//! The base roster is committed (tests/data/blackout_week.roster.json) so these tests do
//! not move when the solver improves. It has two crews of officer O1:
//! 2027-03-01 (E3, E6) visiting F-2, F-1, F-0, and 2027-03-02 (E3, E6) visiting F-3 (crowded
//! venues: fire safety and electrical, which E3 and E6 hold).

mod common;

use std::collections::BTreeSet;

use common::{case, refresh_kpis, retime, root};
use sweep_solver::check;
use sweep_solver::model::*;

fn base() -> (Instance, Roster) {
    let instance = case("blackout_week");
    let text =
        std::fs::read_to_string(root().join("tests/data/blackout_week.roster.json")).unwrap();
    let roster: Roster = serde_json::from_str(&text).unwrap();
    (instance, roster)
}

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn clock(s: &str) -> Clock {
    s.parse().unwrap()
}

/// Applies `mutate`, then asserts the set of reported codes is exactly `{code}`.
fn assert_only(code: &str, mutate: impl FnOnce(&mut Instance, &mut Roster)) {
    let (mut instance, mut roster) = base();
    mutate(&mut instance, &mut roster);
    let violations = check(&instance, &roster);
    let codes: BTreeSet<&str> = violations.iter().map(|v| v.code).collect();
    assert_eq!(codes, BTreeSet::from([code]), "{violations:#?}");
    assert!(violations.iter().all(|v| !v.message.is_empty()));
}

#[test]
fn the_base_roster_is_valid() {
    let (instance, roster) = base();
    assert_eq!(check(&instance, &roster), vec![]);
    assert_eq!(roster.crews.len(), 2);
    assert_eq!(roster.crews[0].visits.len(), 3);
    assert_eq!(roster.crews[1].visits.len(), 1);
}

// Hard rule 1: calendar.
#[test]
fn visit_outside_the_horizon() {
    assert_only("calendar.outside_horizon", |_, r| {
        r.crews[1].date = date("2027-03-15")
    });
}

/// Makes the base instance a two-city one: D1 in 沧州, D2 in 衡水, O3 of 沧州.
fn two_cities(i: &mut Instance) {
    i.districts[0].city = Some("沧州".into());
    i.districts[1].city = Some("衡水".into());
    i.officers[2].city = Some("沧州".into());
}

// Hard rule 4 with cities.
#[test]
fn the_base_roster_stays_valid_with_cities() {
    let (mut instance, roster) = base();
    two_cities(&mut instance);
    assert_eq!(check(&instance, &roster), vec![]);
}

#[test]
fn expert_of_another_city() {
    assert_only("city.scope", |i, _| {
        two_cities(i);
        i.experts[2].city = Some("衡水".into()); // E3, on both crews in D1
    });
}

#[test]
fn officer_of_another_city() {
    assert_only("city.scope", |i, _| {
        two_cities(i);
        i.officers[0].city = Some("衡水".into()); // O1 leads both crews in D1
    });
}

#[test]
fn visit_on_a_saturday() {
    assert_only("calendar.not_working_day", |_, r| {
        r.crews[1].date = date("2027-03-06")
    });
}

#[test]
fn visit_in_a_blackout() {
    assert_only("calendar.blackout", |_, r| {
        r.crews[1].date = date("2027-03-09")
    });
}

#[test]
fn visit_on_a_closed_date() {
    assert_only("calendar.firm_closed", |i, _| {
        i.enterprises[3].closed_dates.push(date("2027-03-02"))
    });
}

// Hard rule 2: crews.
#[test]
fn crew_with_unknown_officer() {
    assert_only("crew.unknown_officer", |_, r| {
        r.crews[1].officer = "O-NOBODY".into()
    });
}

#[test]
fn crew_with_unknown_expert() {
    assert_only("crew.unknown_expert", |i, r| {
        r.crews[1].experts.push("E-NOBODY".into());
        refresh_kpis(i, r);
    });
}

#[test]
fn officer_unavailable() {
    assert_only("crew.unavailable", |i, _| {
        i.officers[0].unavailable.push(date("2027-03-02"))
    });
}

#[test]
fn expert_unavailable() {
    assert_only("crew.unavailable", |i, _| {
        i.experts[5].unavailable.push(date("2027-03-02"))
    });
}

#[test]
fn crew_too_large_for_policy() {
    assert_only("crew.team_size", |i, _| i.policy.max_team = 1);
}

#[test]
fn crew_lists_an_expert_twice() {
    assert_only("crew.duplicate_member", |_, r| {
        r.crews[1].experts.push("E3".into())
    });
}

#[test]
fn person_in_two_crews_a_day() {
    assert_only("crew.double_booked", |_, r| {
        r.crews[1].date = date("2027-03-01")
    });
}

#[test]
fn crew_with_no_visits() {
    assert_only("crew.empty", |i, r| {
        let mut idle = r.crews[1].clone();
        idle.id = "2027-03-03/O1".into();
        idle.date = date("2027-03-03");
        idle.visits.clear();
        idle.distance_km = 0.0;
        r.crews.push(idle);
        refresh_kpis(i, r);
    });
}

// Hard rules 3 and 4: people.
#[test]
fn expert_certification_expired() {
    assert_only("expert.certification", |i, _| {
        i.experts[5].certified_until = date("2027-02-28")
    });
}

#[test]
fn expert_over_max_days() {
    assert_only("expert.max_days", |i, r| {
        i.experts[2].max_days = Some(1);
        refresh_kpis(i, r);
    });
}

#[test]
fn officer_over_max_days() {
    assert_only("officer.max_days", |i, _| i.officers[0].max_days = Some(1));
}

#[test]
fn district_officer_outside_district() {
    assert_only("officer.district", |i, _| {
        i.enterprises[3].district = "D2".into()
    });
}

// Hard rule 5: qualification.
#[test]
fn specialty_not_covered() {
    assert_only("visit.specialty_missing", |i, _| {
        // Electrical, which E3 and E6 hold, keeps their seats; nobody holds mining.
        i.enterprises[3].required_specialties =
            Some(vec![Specialty::Mining, Specialty::Electrical]);
    });
}

#[test]
fn team_smaller_than_required() {
    assert_only("visit.team_too_small", |i, _| {
        i.enterprises[3].team_size = Some(3)
    });
}

#[test]
fn lead_tier_too_low() {
    assert_only("visit.tier_too_low", |i, _| {
        i.enterprises[3].min_tier = Some(Tier::Provincial)
    });
}

// Every expert earns their seat.
#[test]
fn an_expert_who_holds_none_of_the_crews_specialties() {
    // E2 holds only equipment; the crew visits crowded venues (fire safety, electrical).
    assert_only("crew.expert_without_specialty", |i, r| {
        r.crews[1].experts.push("E2".into());
        refresh_kpis(i, r);
    });
}

#[test]
fn an_expert_without_the_crews_specialties_is_valid_when_the_policy_allows_it() {
    let (mut instance, mut roster) = base();
    roster.crews[1].experts.push("E2".into());
    refresh_kpis(&instance, &mut roster);
    instance.policy.experts_cover_a_specialty = false;
    assert_eq!(check(&instance, &roster), vec![]);
}

// The budget: the base roster uses 4 expert-days and 2,824.76 CNY.
#[test]
fn a_roster_over_its_expert_day_budget() {
    assert_only("plan.over_budget", |i, _| {
        i.policy.budget = Some(Budget {
            cny: None,
            expert_days: Some(3),
        })
    });
}

#[test]
fn a_roster_over_its_cny_budget() {
    assert_only("plan.over_budget", |i, _| {
        i.policy.budget = Some(Budget {
            cny: Some(2800.0),
            expert_days: Some(4),
        })
    });
}

#[test]
fn a_roster_at_its_budget_is_valid() {
    let (mut instance, roster) = base();
    instance.policy.budget = Some(Budget {
        cny: Some(2824.76),
        expert_days: Some(4),
    });
    assert_eq!(check(&instance, &roster), vec![]);
}

// Hard rule 6: avoidance.
#[test]
fn expert_must_avoid_firm() {
    assert_only("visit.conflict_of_interest", |i, _| {
        i.experts[5].avoid_enterprises.push("F-3".into())
    });
}

#[test]
fn expert_must_avoid_group() {
    assert_only("visit.conflict_of_interest", |i, _| {
        i.enterprises[3].group = Some("某集团".into());
        i.experts[5].avoid_groups.push("某集团".into());
    });
}

// Hard rule 7: time.
#[test]
fn departs_before_day_start() {
    assert_only("time.depart_too_early", |_, r| {
        r.crews[1].depart = clock("07:30")
    });
}

#[test]
fn returns_after_day_end() {
    assert_only("time.return_too_late", |_, r| {
        r.crews[0].return_ = clock("18:30")
    });
}

#[test]
fn travel_minutes_differ_from_model() {
    assert_only("time.travel_mismatch", |_, r| {
        r.crews[0].visits[1].travel_min += 1
    });
}

#[test]
fn travel_km_differ_from_model() {
    assert_only("time.travel_mismatch", |_, r| {
        r.crews[0].visits[1].distance_km += 1.0
    });
}

#[test]
fn arrives_before_it_could() {
    assert_only("time.arrival_mismatch", |_, r| {
        let v = &mut r.crews[0].visits[1];
        v.arrive = Clock(v.arrive.minutes() - 1);
    });
}

// The lunch break: the base roster's first crew is out 08:25–17:06 and breaks 11:30–12:30
// during its check at F-1 (11:03–14:33: 150 minutes on site and the hour of rest); the
// second is back at 11:08, in time to eat at the base.
#[test]
fn a_crew_out_over_noon_without_a_break() {
    assert_only("time.no_lunch_break", |_, r| r.crews[0].breaks.clear());
}

#[test]
fn a_break_shorter_than_the_policys() {
    assert_only("time.no_lunch_break", |_, r| {
        r.crews[0].breaks[0].end = clock("12:29");
    });
}

#[test]
fn a_break_taken_while_driving() {
    // 11:00–12:00 covers the drive from F-2 into F-1 (11:00–11:03); the window opens at
    // 10:30 here, so it is a lunch break, and F-1's check still holds its 150 minutes.
    assert_only("time.break_while_driving", |i, r| {
        i.policy.lunch_break.from = clock("10:30");
        r.crews[0].breaks[0] = Break {
            start: clock("11:00"),
            end: clock("12:00"),
        };
    });
}

#[test]
fn a_break_outside_the_crews_day() {
    assert_only("time.break_outside_day", |_, r| {
        r.crews[1].breaks.push(Break {
            start: clock("11:10"),
            end: clock("11:20"),
        });
    });
}

#[test]
fn a_check_that_does_not_make_up_for_the_break_in_it() {
    assert_only("time.too_short", |_, r| {
        r.crews[0].visits[1].end = clock("14:32");
    });
}

#[test]
fn a_crew_without_a_break_is_valid_when_the_policy_has_none() {
    let (mut instance, mut roster) = base();
    roster.crews[0].breaks.clear();
    instance.policy.lunch_break.minutes = 0;
    assert_eq!(check(&instance, &roster), vec![]);
}

#[test]
fn a_last_week_without_its_reserve() {
    // The horizon's last week (03-06–03-12) is the blackout here: without it, the crew of
    // 03-02 moved to 03-08 goes out where keeping 90 % of the three officers on duty in
    // reserve leaves no crew.
    assert_only("plan.reserve_used", |i, r| {
        i.calendar.periods.clear();
        i.policy.last_week_reserve = 0.9;
        r.crews[1].date = date("2027-03-08");
        r.crews[1].id = "2027-03-08/O1".into();
    });
}

#[test]
fn starts_before_arrival() {
    assert_only("time.start_before_arrival", |_, r| {
        let v = &mut r.crews[0].visits[1];
        v.arrive = Clock(v.start.minutes() + 5);
    });
}

#[test]
fn starts_before_opening() {
    assert_only("time.outside_opening_hours", |i, _| {
        i.enterprises[2].hours = Some(Hours {
            open: clock("09:00"),
            close: clock("17:30"),
        });
    });
}

#[test]
fn visit_shorter_than_needed() {
    assert_only("time.too_short", |_, r| {
        let v = &mut r.crews[0].visits[0];
        v.end = Clock(v.end.minutes() - 1);
    });
}

#[test]
fn returns_before_it_could() {
    assert_only("time.return_mismatch", |_, r| {
        let c = &mut r.crews[1];
        c.return_ = c.visits[0].end;
    });
}

#[test]
fn crew_distance_differs_from_model() {
    assert_only("time.crew_distance", |_, r| r.crews[1].distance_km += 5.0);
}

// Hard rule 8: frequency.
#[test]
fn firm_visited_twice() {
    assert_only("visit.repeated", |i, r| {
        let again = r.crews[0].visits[0].clone();
        r.crews[1].visits.push(again);
        retime(i, &mut r.crews[1]);
        refresh_kpis(i, r);
    });
}

/// F-3's cap for 2027 used up by two enforcement visits; a horizon into 2028 leaves room
/// in 2028, so F-3 stays due.
fn cap_f3_in_2027(i: &mut Instance, r: &mut Roster) {
    i.horizon.end = date("2028-01-05");
    r.horizon.end = date("2028-01-05");
    for d in ["2027-01-10", "2027-01-20"] {
        i.history.push(Inspection {
            enterprise: "F-3".into(),
            date: date(d),
            experts: vec![],
            kind: InspectionKind::Enforcement,
        });
    }
}

#[test]
fn firm_over_its_annual_cap() {
    assert_only("visit.annual_cap", cap_f3_in_2027);
}

/// F-3 (visited alone on 03-02) gets an open finding: the roster's due list and the
/// visit's reason follow (it is now a follow-up), so only the finding's timing is new.
fn finding_at_f3(i: &mut Instance, r: &mut Roster, severity: Severity, deadline: &str) {
    let id = format!("H-3-{}", i.findings.len());
    i.findings.push(Finding {
        id,
        enterprise: "F-3".into(),
        severity,
        found_on: date("2027-01-10"),
        deadline: date(deadline),
        rectified: false,
    });
    r.due = sweep_solver::due::derive(i).due;
    r.crews[1].visits[0].reason = DueReason::FollowUp;
    refresh_kpis(i, r);
}

// Follow-up timing.
#[test]
fn recheck_before_its_deadline() {
    assert_only("visit.before_deadline", |i, r| {
        finding_at_f3(i, r, Severity::General, "2027-03-03")
    });
}

#[test]
fn recheck_on_its_deadline_is_valid() {
    let (mut instance, mut roster) = base();
    finding_at_f3(&mut instance, &mut roster, Severity::General, "2027-03-02");
    assert_eq!(check(&instance, &roster), vec![]);
}

#[test]
fn a_major_recheck_past_the_annual_cap_is_valid_unless_the_policy_says_otherwise() {
    // As `firm_over_its_annual_cap`, with an open major finding at F-3.
    let capped = |i: &mut Instance, r: &mut Roster| {
        cap_f3_in_2027(i, r);
        finding_at_f3(i, r, Severity::Major, "2027-02-20");
    };
    let (mut instance, mut roster) = base();
    capped(&mut instance, &mut roster);
    assert_eq!(check(&instance, &roster), vec![]);
    assert_only("visit.annual_cap", |i, r| {
        i.policy.cap_spares_major_follow_ups = false;
        capped(i, r);
    });
    // A general finding gets no such leave, nor a major one whose deadline (03-05) is
    // after the visit (03-02), which then re-checks only the general one.
    assert_only("visit.annual_cap", |i, r| {
        capped(i, r);
        i.findings[0].severity = Severity::General;
        r.due = sweep_solver::due::derive(i).due;
        refresh_kpis(i, r);
    });
    assert_only("visit.annual_cap", |i, r| {
        capped(i, r);
        i.findings[0].severity = Severity::General;
        finding_at_f3(i, r, Severity::Major, "2027-03-05");
    });
}

// The crew's leader (组长).
#[test]
fn crew_led_by_an_expert_outside_it() {
    assert_only("crew.lead_not_member", |_, r| {
        r.crews[0].lead = Some("E7".into())
    });
}

#[test]
fn crew_led_by_an_expert_below_the_tier_its_firm_needs() {
    // F-3 needs a provincial lead; E7 (national) joins the crew, but E3 (city) leads.
    assert_only("crew.lead_tier", |i, r| {
        i.enterprises[3].min_tier = Some(Tier::Provincial);
        r.crews[1].experts = vec!["E3".into(), "E7".into()];
        r.crews[1].lead = Some("E3".into());
        refresh_kpis(i, r);
    });
}

// Workable weeks: O1 is out on Monday 03-01 and Tuesday 03-02.
#[test]
fn officer_out_more_days_a_week_than_the_policy_allows() {
    assert_only("officer.week_days", |i, _| {
        i.policy.officer_max_days_per_week = 1
    });
}

#[test]
fn officer_out_more_days_in_a_row_than_the_policy_allows() {
    assert_only("officer.days_in_a_row", |i, _| {
        i.policy.officer_max_days_in_a_row = 1
    });
}

// Accounting.
#[test]
fn visit_of_unknown_firm() {
    assert_only("visit.unknown_enterprise", |_, r| {
        let mut ghost = r.crews[1].visits[0].clone();
        ghost.enterprise = "F-GHOST".into();
        r.crews[1].visits.push(ghost);
    });
}

#[test]
fn visit_of_a_firm_not_due() {
    assert_only("visit.not_due", |i, r| {
        let mut extra = i.enterprises[3].clone();
        extra.id = "F-X".into();
        extra.risk = Risk::Blue;
        extra.blacklisted = true; // keeps it out of the random-draw pool
        i.enterprises.push(extra);
        let mut visit = r.crews[1].visits[0].clone();
        visit.enterprise = "F-X".into();
        r.crews[1].visits.push(visit);
        retime(i, &mut r.crews[1]);
        refresh_kpis(i, r);
    });
}

#[test]
fn visit_with_wrong_reason() {
    assert_only("visit.reason_mismatch", |_, r| {
        r.crews[1].visits[0].reason = DueReason::RandomDraw
    });
}

#[test]
fn due_list_with_wrong_weight() {
    assert_only("due.mismatch", |_, r| r.due[0].weight += 1.0);
}

#[test]
fn due_list_missing_a_firm() {
    assert_only("due.mismatch", |_, r| {
        r.due.pop();
    });
}

#[test]
fn due_firm_neither_visited_nor_unscheduled() {
    assert_only("due.unaccounted", |i, r| {
        r.crews.pop();
        refresh_kpis(i, r);
    });
}

fn unschedule_f3(i: &Instance, r: &mut Roster, mandatory: bool, code: &str) {
    r.crews.pop();
    r.unscheduled.push(Unscheduled {
        enterprise: "F-3".into(),
        mandatory,
        code: code.into(),
        message: "test".into(),
    });
    refresh_kpis(i, r);
}

#[test]
fn due_firm_visited_and_unscheduled() {
    assert_only("due.double_accounted", |_, r| {
        r.unscheduled.push(Unscheduled {
            enterprise: "F-3".into(),
            mandatory: true,
            code: "crew_capacity".into(),
            message: "x".into(),
        });
    });
}

#[test]
fn unscheduled_firm_not_due() {
    assert_only("unscheduled.not_due", |_, r| {
        r.unscheduled.push(Unscheduled {
            enterprise: "F-GHOST".into(),
            mandatory: false,
            code: "crew_capacity".into(),
            message: "x".into(),
        });
    });
}

#[test]
fn unscheduled_with_wrong_mandatory_flag() {
    assert_only("unscheduled.mandatory_mismatch", |i, r| {
        unschedule_f3(i, r, false, "crew_capacity")
    });
}

#[test]
fn unscheduled_without_reason() {
    assert_only("unscheduled.no_reason", |i, r| {
        unschedule_f3(i, r, true, "")
    });
}

#[test]
fn exclusion_that_the_rules_do_not_make() {
    assert_only("excluded.mismatch", |_, r| {
        r.excluded.push(Excluded {
            enterprise: "F-9".into(),
            code: "annual_cap".into(),
            message: "x".into(),
        });
    });
}

#[test]
fn draw_that_does_not_repeat() {
    assert_only("draw.mismatch", |_, r| r.draw.seed += 1);
}

#[test]
fn roster_of_another_plan() {
    assert_only("plan.mismatch", |_, r| r.plan = "another-plan".into());
}

// KPIs.
#[test]
fn kpi_that_does_not_add_up() {
    assert_only("kpi.mismatch", |_, r| r.kpis.scheduled += 1);
}

#[test]
fn kpi_cost_that_does_not_add_up() {
    assert_only("kpi.mismatch", |_, r| r.kpis.cost_cny += 100.0);
}

#[test]
fn bound_below_the_achieved_value() {
    assert_only("kpi.bound", |_, r| r.kpis.bound = Some(0.5));
}

#[test]
fn firm_with_no_road_is_reported() {
    // Two unconnected nodes: the base snaps to one, F-3 to the other, so no road joins them.
    let (mut instance, roster) = base();
    instance.travel = Some(Travel {
        network: Some(Network {
            nodes: vec![
                Node {
                    id: "base".into(),
                    lat: 38.31,
                    lon: 116.86,
                },
                Node {
                    id: "island".into(),
                    lat: 38.345,
                    lon: 116.90,
                },
            ],
            edges: vec![],
        }),
        matrix: None,
    });
    let violations = check(&instance, &roster);
    let no_route: Vec<_> = violations
        .iter()
        .filter(|v| v.code == "time.no_route")
        .collect();
    assert!(
        no_route
            .iter()
            .any(|v| v.enterprise.as_deref() == Some("F-3")),
        "{violations:#?}"
    );
}

// The objective's breakdown (`kpis.objective`), recomputed by the checker.

/// The base roster with its objective worked out by hand from docs/rules.md, for the base
/// instance plus an enforcement visit by E6 to F-1 in 2026-09 (within the 12-month rotation
/// window; an enforcement visit leaves the due list as it is).
fn with_objective() -> (Instance, Roster) {
    let (mut instance, mut roster) = base();
    instance.history.push(
        serde_json::from_value(serde_json::json!({
            "enterprise": "F-1", "date": "2026-09-01", "experts": ["E6"], "kind": "enforcement"
        }))
        .unwrap(),
    );
    let weight: f64 = roster.due.iter().map(|d| d.weight).sum();
    // Day rates: E3 700 + E6 700 on each of 03-01 and 03-02 (titles' rates).
    // Distance: 20.63 km × 1.2 CNY. Rotation: E6 at F-1, 60. Tier: city experts, city
    // firms, 0. No findings, 0. Own officer: O1 leads all four of its firms, −4 × 25.
    // Daily load: one crew on each of two days, 2 × 10 × 1².
    let by_hand = [
        ("mandatory_visits", 4.0),
        ("priority_weight", weight),
        ("day_rates", 2800.0),
        ("distance", 24.76),
        ("rotation", 60.0),
        ("tier_scarcity", 0.0),
        ("follow_up_timing", 0.0),
        ("own_officer", -100.0),
        ("daily_load", 20.0),
        ("search_cost", 2800.0 + 24.76 + 60.0 - 100.0 + 20.0),
    ];
    roster.kpis.objective = Some(by_hand.iter().map(|(k, v)| (k.to_string(), *v)).collect());
    (instance, roster)
}

#[test]
fn the_objective_worked_out_by_hand_passes() {
    let (instance, roster) = with_objective();
    assert_eq!(check(&instance, &roster), vec![]);
    // The solver's own roster of that instance carries a breakdown the checker accepts.
    let solved = sweep_solver::solve(&instance, &sweep_solver::SolveOptions::default()).unwrap();
    let terms = solved
        .kpis
        .objective
        .as_ref()
        .expect("the solver gives the breakdown");
    assert_eq!(terms.len(), 10, "{terms:?}");
    assert_eq!(check(&instance, &solved), vec![]);
}

#[test]
fn a_late_recheck_is_priced_per_sweep_day_as_worked_out_by_hand() {
    // F-3's finding was due 02-20, before the horizon, or on 03-01, inside it; with one
    // sweep day on time (03-01), the re-check on 03-02 is one sweep day late: 50, and 150
    // for a major finding. With a general finding due 03-01 and a major one due 03-05,
    // the visit re-checks only the general one: 50.
    use Severity::{General, Major};
    let cases: [(&[(Severity, &str)], f64); 5] = [
        (&[(General, "2027-02-20")], 50.0),
        (&[(Major, "2027-02-20")], 150.0),
        (&[(General, "2027-03-01")], 50.0),
        (&[(Major, "2027-03-01")], 150.0),
        (&[(General, "2027-03-01"), (Major, "2027-03-05")], 50.0),
    ];
    for (findings, late) in cases {
        let severity = findings;
        let (mut instance, mut roster) = with_objective();
        instance.policy.follow_up_within_days = 1;
        for &(severity, deadline) in findings {
            finding_at_f3(&mut instance, &mut roster, severity, deadline);
        }
        let weight: f64 = roster.due.iter().map(|d| d.weight).sum();
        let terms = roster.kpis.objective.as_mut().unwrap();
        terms.insert("priority_weight".into(), weight);
        terms.insert("follow_up_timing".into(), late);
        *terms.get_mut("search_cost").unwrap() += late;
        assert_eq!(check(&instance, &roster), vec![], "{severity:?}");
        // Two sweep days on time: none late, and the roster's figure is reported.
        instance.policy.follow_up_within_days = 2;
        let codes: BTreeSet<&str> = check(&instance, &roster).iter().map(|v| v.code).collect();
        assert_eq!(codes, BTreeSet::from(["kpi.objective"]), "{severity:?}");
    }
}

#[test]
fn each_objective_term_off_by_a_little_is_reported() {
    let (_, roster) = with_objective();
    let names: Vec<String> = roster
        .kpis
        .objective
        .as_ref()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for name in names {
        let (instance, mut roster) = with_objective();
        *roster
            .kpis
            .objective
            .as_mut()
            .unwrap()
            .get_mut(&name)
            .unwrap() += 1.0;
        let violations = check(&instance, &roster);
        let codes: BTreeSet<&str> = violations.iter().map(|v| v.code).collect();
        assert_eq!(
            codes,
            BTreeSet::from(["kpi.objective"]),
            "{name}: {violations:#?}"
        );
        assert!(violations[0].message.contains(&name), "{violations:#?}");
    }
}

#[test]
fn a_missing_or_unknown_objective_term_is_reported() {
    assert_only("kpi.objective", |i, r| {
        let (instance, roster) = with_objective();
        *i = instance;
        *r = roster;
        r.kpis.objective.as_mut().unwrap().remove("rotation");
    });
    assert_only("kpi.objective", |i, r| {
        let (instance, roster) = with_objective();
        *i = instance;
        *r = roster;
        r.kpis
            .objective
            .as_mut()
            .unwrap()
            .insert("luck".into(), 0.0);
    });
}

#[test]
fn two_crews_with_one_id() {
    assert_only("crew.duplicate_id", |_, r| {
        r.crews[1].id = r.crews[0].id.clone()
    });
}

#[test]
fn a_crew_split_in_two_under_one_id_books_its_people_twice() {
    let (instance, mut roster) = base();
    let mut second = roster.crews[0].clone();
    second.visits = second.visits.split_off(2);
    roster.crews[0].visits.truncate(2);
    roster.crews.insert(1, second);
    let codes: BTreeSet<&str> = check(&instance, &roster).iter().map(|v| v.code).collect();
    assert!(codes.contains("crew.double_booked"), "{codes:?}");
    assert!(codes.contains("crew.duplicate_id"), "{codes:?}");
}
