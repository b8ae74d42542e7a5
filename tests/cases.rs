//! Each named case in fixtures/cases/ shows one rule; these tests assert what a planner
//! would see. Every solve goes through the independent checker.

mod common;

use common::{case, solve_checked};
use sweep_solver::model::{Roster, Visit};

fn visit<'a>(roster: &'a Roster, firm: &str) -> Option<(&'a sweep_solver::model::Crew, &'a Visit)> {
    roster.crews.iter().find_map(|c| {
        c.visits
            .iter()
            .find(|v| v.enterprise == firm)
            .map(|v| (c, v))
    })
}

fn unscheduled_code<'a>(roster: &'a Roster, firm: &str) -> Option<&'a str> {
    roster
        .unscheduled
        .iter()
        .find(|u| u.enterprise == firm)
        .map(|u| u.code.as_str())
}

#[test]
fn every_case_solves_valid_and_accounts_for_every_due_firm() {
    let dir = common::root().join("fixtures/cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 9);
    for path in names {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let roster = solve_checked(&case(&name), 2);
        // Every crew names its leader (the checker holds them to membership and tier).
        assert!(
            roster.crews.iter().all(|c| c.lead.is_some()),
            "{name}: a crew without a leader"
        );
        assert_eq!(
            roster.kpis.scheduled as usize + roster.unscheduled.len(),
            roster.due.len(),
            "{name}"
        );
    }
}

#[test]
fn conflict_of_interest_keeps_avoiding_experts_out() {
    let roster = solve_checked(&case("conflict_of_interest"), 1);
    let (crew, _) = visit(&roster, "F-A").expect("F-A visited by a crew without E1 and E4");
    assert!(
        !crew.experts.iter().any(|e| e == "E1" || e == "E4"),
        "{:?}",
        crew.experts
    );
    assert!(
        crew.experts.iter().any(|e| e == "E7"),
        "E7 is the only process expert left: {:?}",
        crew.experts
    );
    assert_eq!(unscheduled_code(&roster, "F-B"), Some("no_qualified_team"));
    let message = &roster.unscheduled[0].message;
    assert!(
        message.contains("construction"),
        "the sentence names the specialty: {message}"
    );
}

#[test]
fn expiring_certification_moves_the_visit_before_the_expiry() {
    let roster = solve_checked(&case("certification_expires_mid_month"), 1);
    let (crew, _) = visit(&roster, "F-R").expect("F-R visited");
    assert!(crew.date <= "2027-03-10".parse().unwrap(), "{}", crew.date);
    assert!(crew.experts.contains(&"E4".to_string()));
    assert_eq!(
        unscheduled_code(&roster, "F-LATE"),
        Some("no_qualified_team")
    );
}

#[test]
fn blackout_week_has_no_visits() {
    let roster = solve_checked(&case("blackout_week"), 1);
    assert_eq!(roster.kpis.scheduled, 4);
    assert!(
        roster
            .crews
            .iter()
            .all(|c| c.date < "2027-03-08".parse().unwrap())
    );
}

#[test]
fn firm_at_its_annual_cap_is_excluded_with_reason() {
    let roster = solve_checked(&case("annual_cap_reached"), 1);
    let excluded: Vec<_> = roster
        .excluded
        .iter()
        .map(|e| (e.enterprise.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(excluded, vec![("F-CAP", "annual_cap")]);
    assert!(visit(&roster, "F-OK").is_some());
    assert!(!roster.due.iter().any(|d| d.enterprise == "F-CAP"));
}

#[test]
fn district_officers_stay_in_their_district() {
    let roster = solve_checked(&case("district_officer_bound"), 1);
    for firm in ["F-D2a", "F-D2b"] {
        let (crew, _) = visit(&roster, firm).expect("visited");
        assert_eq!(
            crew.officer, "O3",
            "{firm} is in D2; only the city officer may go"
        );
    }
}

#[test]
fn follow_up_is_mandatory_and_after_the_deadline() {
    let roster = solve_checked(&case("follow_up_after_deadline"), 1);
    let due = &roster.due[0];
    assert!(due.mandatory);
    assert_eq!(due.reason.as_str(), "follow_up");
    let (crew, v) = visit(&roster, "F-FU").expect("visited");
    assert!(crew.date >= "2027-03-08".parse().unwrap(), "{}", crew.date);
    assert_eq!(v.reason.as_str(), "follow_up");
}

#[test]
fn a_recheck_whose_deadline_is_after_the_last_sweep_day_waits_for_the_next_plan() {
    let roster = solve_checked(&case("recheck_after_horizon"), 1);
    let late = roster
        .unscheduled
        .iter()
        .find(|u| u.enterprise == "F-LATE")
        .expect("F-LATE is unscheduled");
    assert_eq!(late.code, "recheck_after_horizon");
    assert!(late.mandatory);
    assert!(
        late.message.contains("2027-03-13") && late.message.contains("next plan"),
        "{}",
        late.message
    );
    let (crew, _) = visit(&roster, "F-FU").expect("F-FU re-checked");
    assert!(
        crew.date >= "2027-03-10".parse().unwrap(),
        "never before the deadline: {}",
        crew.date
    );
}

#[test]
fn the_annual_cap_spares_a_major_findings_recheck_and_names_the_general_one_it_stops() {
    let instance = case("follow_up_at_annual_cap");
    let roster = solve_checked(&instance, 1);
    let (_, v) = visit(&roster, "F-MAJ").expect("the major finding is re-checked");
    assert_eq!(v.reason.as_str(), "follow_up");
    let general = roster
        .excluded
        .iter()
        .find(|e| e.enterprise == "F-GEN")
        .expect("F-GEN excluded");
    assert_eq!(general.code, "annual_cap");
    assert!(
        general.message.contains("H-GEN") && general.message.contains("enforcement"),
        "{}",
        general.message
    );
    assert!(
        !roster.excluded.iter().any(|e| e.enterprise == "F-MAJ"),
        "{:?}",
        roster.excluded
    );

    // With the policy's switch off, the cap stops the major re-check too, and says so.
    let mut strict = instance;
    strict.policy.cap_spares_major_follow_ups = false;
    let roster = solve_checked(&strict, 1);
    assert!(visit(&roster, "F-MAJ").is_none());
    let major = roster
        .excluded
        .iter()
        .find(|e| e.enterprise == "F-MAJ")
        .expect("F-MAJ excluded");
    assert!(major.message.contains("H-MAJ (major"), "{}", major.message);
}

#[test]
fn overdue_rechecks_go_first_and_the_major_finding_takes_the_first_day() {
    let roster = solve_checked(&case("overdue_follow_ups_first"), 1);
    let (major, _) = visit(&roster, "F-MAJ").expect("F-MAJ re-checked");
    let (general, _) = visit(&roster, "F-GEN").expect("F-GEN re-checked");
    assert_eq!(major.date.to_string(), "2027-03-01");
    assert_eq!(general.date.to_string(), "2027-03-02");
    // One sweep day late for a general finding: 50 CNY-equivalent.
    let objective = roster.kpis.objective.as_ref().expect("a breakdown");
    assert_eq!(objective["follow_up_timing"], 50.0);
}

#[test]
fn an_officer_is_out_at_most_four_days_a_week_and_four_in_a_row() {
    let roster = solve_checked(&case("officer_week_limits"), 1);
    let mut dates: Vec<chrono::NaiveDate> = roster
        .crews
        .iter()
        .filter(|c| c.officer == "O1")
        .map(|c| c.date)
        .collect();
    dates.sort();
    assert_eq!(dates.len(), 8, "{dates:?}");
    for week in [9, 10] {
        let n = dates
            .iter()
            .filter(|d| chrono::Datelike::iso_week(*d).week() == week)
            .count();
        assert_eq!(n, 4, "week {week}: {dates:?}");
    }
    let waiting: Vec<&str> = roster.unscheduled.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(waiting, ["officer_capacity", "officer_capacity"]);
}

#[test]
fn every_expert_in_a_crew_brings_a_specialty_its_visit_needs() {
    let instance = case("every_expert_earns_a_seat");
    let roster = solve_checked(&instance, 1);
    let (crew, _) = visit(&roster, "F-FW").expect("F-FW visited");
    let mut experts = crew.experts.clone();
    experts.sort();
    assert_eq!(experts, ["E8", "E9"], "the two fireworks experts go");
    // With the rule switched off the team is made up with the cheapest expert on duty,
    // who holds no fireworks: what the rule prevents.
    let mut relaxed = instance.clone();
    relaxed.policy.experts_cover_a_specialty = false;
    let roster = solve_checked(&relaxed, 1);
    let (crew, _) = visit(&roster, "F-FW").expect("F-FW visited");
    assert!(
        crew.experts.iter().any(|e| e != "E8" && e != "E9"),
        "headcount from anyone: {:?}",
        crew.experts
    );
}

#[test]
fn a_major_chemical_firm_gets_safety_management_and_four_experts() {
    let roster = solve_checked(&case("major_chemical_team"), 1);
    let (crew, _) = visit(&roster, "F-KP").expect("F-KP visited");
    assert_eq!(crew.experts.len(), 4, "{:?}", crew.experts);
    assert!(
        crew.experts.iter().any(|e| e == "E1"),
        "E1, the only safety management expert: {:?}",
        crew.experts
    );
    let (crew, _) = visit(&roster, "F-OWN").expect("F-OWN visited");
    assert_eq!(
        crew.experts.len(),
        3,
        "the firm's own team_size: {:?}",
        crew.experts
    );
    assert!(crew.experts.iter().any(|e| e == "E1"), "{:?}", crew.experts);
}

#[test]
fn a_budget_caps_the_month_and_says_what_ten_per_cent_more_buys() {
    let instance = case("budget_limits_the_month");
    let roster = solve_checked(&instance, 1);
    assert_eq!(roster.kpis.scheduled, 10);
    assert_eq!(roster.kpis.expert_days, 20);
    let waiting: Vec<&str> = roster.unscheduled.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(waiting, ["budget", "budget"]);
    let message = &roster.unscheduled[0].message;
    assert!(
        message.contains("0 expert-days") && message.contains("budget"),
        "the sentence says what is left: {message}"
    );
    let used = roster.kpis.budget.as_ref().expect("the budget is reported");
    assert_eq!((used.expert_days, used.used_expert_days), (Some(20), 20));
    assert_eq!(used.next_10_percent.enterprises.len(), 1, "{used:?}");
    assert_eq!(used.next_10_percent.expert_days, 2);
    assert!(used.next_10_percent.weighted_coverage > roster.kpis.weighted_coverage);
    // Without a budget every site is visited; with a CNY budget the cost stays within it.
    let mut free = instance.clone();
    free.policy.budget = None;
    let all = solve_checked(&free, 1);
    assert_eq!(all.kpis.scheduled, 12);
    assert!(all.kpis.budget.is_none());
    let mut cny = instance.clone();
    cny.policy.budget = Some(sweep_solver::model::Budget {
        cny: Some(all.kpis.cost_cny / 2.0),
        expert_days: None,
    });
    let half = solve_checked(&cny, 1);
    assert!(half.kpis.cost_cny <= all.kpis.cost_cny / 2.0 + 0.01);
    assert!(
        half.kpis.scheduled < 12 && half.kpis.scheduled >= 5,
        "{:?}",
        half.kpis
    );
}

#[test]
fn afternoon_opening_hours_are_kept() {
    let roster = solve_checked(&case("afternoon_opening_hours"), 1);
    let (_, v) = visit(&roster, "F-PM").expect("visited");
    assert_eq!(
        (v.start.to_string(), v.end.to_string()),
        ("13:00".to_string(), "17:00".to_string())
    );
}

#[test]
fn random_draw_is_recorded_and_repeatable() {
    let instance = case("random_draw");
    let first = solve_checked(&instance, 1);
    assert_eq!(first.draw.pool, 20);
    assert_eq!(first.draw.drawn.len(), 5);
    assert!(
        first
            .due
            .iter()
            .all(|d| d.reason.as_str() == "random_draw" && !d.mandatory)
    );
    let again = solve_checked(&instance, 2);
    assert_eq!(first.draw, again.draw);
    let mut other = instance.clone();
    other.policy.seed += 1;
    assert_ne!(
        solve_checked(&other, 1).draw.drawn,
        first.draw.drawn,
        "another seed draws other firms"
    );
}

#[test]
fn firms_left_over_when_expert_days_run_out_say_so() {
    let roster = solve_checked(&case("expert_days_run_out"), 1);
    // Two crews of three (E1, E2, E3 and E4, E5, E6) are possible: a roster of one wastes
    // a specialty.
    assert_eq!(roster.kpis.scheduled, 2, "{:#?}", roster.crews);
    assert!(!roster.unscheduled.is_empty());
    for u in &roster.unscheduled {
        assert_eq!(u.code, "expert_capacity", "{}", u.message);
        assert!(u.mandatory);
    }
}

#[test]
fn the_bound_is_exact_where_the_optimum_is_known_and_sees_capacity() {
    // F-B can never be visited (every construction expert must avoid it): 50 % is optimal.
    let r = solve_checked(&case("conflict_of_interest"), 1);
    let bound = r.kpis.bound.expect("a bound is computed");
    assert!(
        (bound - r.kpis.weighted_coverage).abs() < 1e-4,
        "bound {bound}"
    );
    assert!(r.kpis.gap.unwrap().abs() < 1e-4);
    // Seven expert-days for full-day visits of three experts: at most 2 of the 8 firms
    // (25 %); the relaxation must see most of that shortage.
    let r = solve_checked(&case("expert_days_run_out"), 1);
    assert!(r.kpis.bound.unwrap() <= 0.30, "{:?}", r.kpis.bound);
}

#[test]
fn shared_experts_go_to_the_city_that_lacks_their_skills() {
    let roster = solve_checked(&case("shared_experts_two_cities"), 2);
    assert_eq!(roster.kpis.scheduled, 3, "{:#?}", roster.unscheduled);
    let (hengshui, _) = visit(&roster, "F-HS").expect("F-HS visited");
    assert!(
        hengshui.experts.contains(&"E4".to_string()),
        "衡水 has no process or equipment expert of its own: {:?}",
        hengshui.experts
    );
    let (cangzhou, _) = visit(&roster, "F-CZ").expect("F-CZ visited");
    assert!(
        cangzhou.experts.contains(&"E7".to_string()),
        "E7 is the lead left for 沧州: {:?}",
        cangzhou.experts
    );
    assert!(
        roster
            .solver
            .algorithm
            .starts_with("city decomposition: 2 cities, 2 shared experts"),
        "{}",
        roster.solver.algorithm
    );
    assert!(roster.kpis.bound.unwrap() >= roster.kpis.weighted_coverage);
}

#[test]
fn another_search_seed_replans_the_same_due_list() {
    let instance = case("random_draw");
    let base = solve_checked(&instance, 1);
    let options = sweep_solver::SolveOptions {
        threads: 1,
        iterations: Some(50),
        search_seed: Some(99),
        ..Default::default()
    };
    let other = sweep_solver::solve(&instance, &options).unwrap();
    assert!(sweep_solver::check(&instance, &other).is_empty());
    assert_eq!(other.due, base.due, "the draw does not move");
    assert_eq!(other.draw, base.draw);
    assert!(
        other.solver.algorithm.ends_with("search seed 99"),
        "{}",
        other.solver.algorithm
    );
}

#[test]
fn a_firm_needing_a_specialty_nobody_holds_is_unscheduled_with_its_reason() {
    let mut instance: sweep_solver::model::Instance =
        serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
    instance.enterprises[0].required_specialties =
        Some(vec![sweep_solver::model::Specialty::Power]);
    let roster = common::solve_checked(&instance, 1);
    let unscheduled = roster
        .unscheduled
        .iter()
        .find(|u| u.enterprise == "F1")
        .expect("F1 is unscheduled");
    assert_eq!(unscheduled.code, "no_qualified_expert");
    assert!(
        unscheduled.message.contains("power"),
        "{}",
        unscheduled.message
    );
    assert!(
        roster
            .crews
            .iter()
            .any(|c| c.visits.iter().any(|v| v.enterprise == "F2")),
        "the other firm is still visited"
    );
}

#[test]
fn a_multi_city_roster_does_not_depend_on_the_thread_count() {
    // Each city runs on one worker, so with an iteration cap the threads change nothing.
    let instance = case("shared_experts_two_cities");
    let mut one = solve_checked(&instance, 1);
    let mut four = solve_checked(&instance, 4);
    for r in [&mut one, &mut four] {
        r.solver.seconds = 0.0;
        r.solver.threads = 0;
    }
    assert_eq!(one, four);
}

/// The unscheduled codes of a solve (every solve checked).
fn codes(instance: &sweep_solver::model::Instance) -> Vec<(String, String)> {
    solve_checked(instance, 1)
        .unscheduled
        .into_iter()
        .map(|u| (u.enterprise, u.code))
        .collect()
}

fn days(from: u32, to: u32) -> Vec<chrono::NaiveDate> {
    (from..=to)
        .map(|d| chrono::NaiveDate::from_ymd_opt(2027, 3, d).unwrap())
        .collect()
}

fn pair(firm: &str, code: &str) -> (String, String) {
    (firm.to_string(), code.to_string())
}

/// One small edit of the blackout-week case (four firms of district D1, sweep days
/// 03-01 to 03-05, officers O1 of D1, O2 of D2 and O3 of city level) per unscheduled
/// code, and the code the planner reads.
#[test]
fn each_unscheduled_code_has_a_case_that_gives_it() {
    let base = case("blackout_week");

    // Closed on every sweep day is excluded (`closed`) before it is due; `no_sweep_day`
    // needs a firm due yet closed or capped on each sweep day (a horizon across a new
    // year): see `a_firm_capped_in_one_year_and_closed_in_the_next_has_no_sweep_day`.
    let mut closed = base.clone();
    closed.enterprises[0].closed_dates = days(1, 5);
    let excluded = solve_checked(&closed, 1).excluded;
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0].code, "closed");

    let mut nobody = base.clone();
    nobody.officers.retain(|o| o.id == "O2");
    let all: Vec<_> = ["F-0", "F-1", "F-2", "F-3"]
        .iter()
        .map(|f| pair(f, "no_officer"))
        .collect();
    assert_eq!(codes(&nobody), all);

    let mut far = base.clone();
    far.enterprises[0].location.lat += 5.0;
    assert_eq!(codes(&far), vec![pair("F-0", "unreachable_in_day")]);

    // One officer for one day, full-day visits: one firm, the rest wait for an officer.
    let mut one_day = base.clone();
    one_day.officers.retain(|o| o.id == "O1");
    one_day.officers[0].max_days = Some(1);
    for f in &mut one_day.enterprises {
        f.duration_min = Some(420);
    }
    let got = codes(&one_day);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|(_, c)| c == "officer_capacity"), "{got:?}");

    // The officer is out only on days no expert is: never a crew.
    let mut apart = base.clone();
    apart.officers.retain(|o| o.id == "O1");
    apart.officers[0].unavailable = days(1, 3);
    for e in &mut apart.experts {
        e.unavailable = days(4, 5);
    }
    let got = codes(&apart);
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got.iter().all(|(_, c)| c == "crew_capacity"), "{got:?}");
}

#[test]
fn a_firm_capped_in_one_year_and_closed_in_the_next_has_no_sweep_day() {
    let mut instance = case("blackout_week");
    instance.horizon.start = "2026-12-28".parse().unwrap();
    instance.horizon.end = "2027-01-08".parse().unwrap();
    instance.calendar.periods.clear();
    // Six enforcement visits in 2026 fill F-0's cap for that year (a crowded venue of no
    // grade: 6); in 2027 it is closed on every sweep day of the horizon.
    for month in 1..=6 {
        instance.history.push(
            serde_json::from_value(serde_json::json!({
                "enterprise": "F-0", "date": format!("2026-{month:02}-10"), "experts": [], "kind": "enforcement"
            }))
            .unwrap(),
        );
    }
    instance.enterprises[0].closed_dates = (1..=8)
        .map(|d| chrono::NaiveDate::from_ymd_opt(2027, 1, d).unwrap())
        .collect();
    assert_eq!(codes(&instance), vec![pair("F-0", "no_sweep_day")]);

    // A re-check of a general finding there is stopped the same way, and says so.
    instance.findings.push(
        serde_json::from_value(serde_json::json!({
            "id": "H-0", "enterprise": "F-0", "severity": "general", "found_on": "2026-11-01",
            "deadline": "2026-12-01", "rectified": false
        }))
        .unwrap(),
    );
    let roster = solve_checked(&instance, 1);
    let f0 = &roster.unscheduled[0];
    assert_eq!(
        (f0.enterprise.as_str(), f0.code.as_str()),
        ("F-0", "no_sweep_day")
    );
    assert!(
        f0.message.contains("2026-12-01") && f0.message.contains("next plan"),
        "{}",
        f0.message
    );
}

#[test]
fn a_crew_out_over_noon_takes_its_lunch_break_and_a_day_holds_less() {
    let instance = case("lunch_break");
    let roster = solve_checked(&instance, 1);
    assert_eq!(roster.crews.len(), 1);
    let crew = &roster.crews[0];
    assert_eq!(crew.visits.len(), 1);
    let lunch = crew.breaks.first().expect("out over noon: a break");
    assert!(lunch.start >= "11:30".parse().unwrap() && lunch.end <= "13:30".parse().unwrap());
    assert_eq!(lunch.end.minutes() - lunch.start.minutes(), 60);
    let waiting: Vec<&str> = roster.unscheduled.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(waiting, ["officer_capacity"]);
    // Without a break both checks fit the one day.
    let mut no_lunch = instance.clone();
    no_lunch.policy.lunch_break.minutes = 0;
    let roster = solve_checked(&no_lunch, 1);
    assert_eq!(roster.crews.len(), 1);
    assert_eq!(roster.crews[0].visits.len(), 2);
    assert!(roster.crews[0].breaks.is_empty());
}

#[test]
fn crews_spread_over_the_days_rather_than_crowd_one() {
    let roster = solve_checked(&case("daily_load_spread"), 1);
    let mut dates: Vec<_> = roster.crews.iter().map(|c| c.date).collect();
    assert_eq!(dates.len(), 2, "{:?}", roster.unscheduled);
    dates.dedup();
    assert_eq!(dates.len(), 2, "both crews on one day: {:?}", roster.crews);
    let terms = roster.kpis.objective.as_ref().unwrap();
    assert_eq!(terms["daily_load"], 20.0);
}

#[test]
fn the_last_week_keeps_its_reserve_of_officers_free() {
    let instance = case("last_week_reserve");
    let roster = solve_checked(&instance, 1);
    let last_week: Vec<_> = roster
        .crews
        .iter()
        .filter(|c| c.date >= "2027-03-06".parse().unwrap())
        .map(|c| c.date)
        .collect();
    let mut days = last_week.clone();
    days.dedup();
    assert_eq!(last_week.len(), days.len(), "one crew a day: {last_week:?}");
    assert_eq!(roster.crews.len(), 13);
    let waiting: Vec<&str> = roster.unscheduled.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(waiting, ["last_week_reserve"; 3]);
    // Without the reserve every firm goes.
    let mut no_reserve = instance.clone();
    no_reserve.policy.last_week_reserve = 0.0;
    assert_eq!(solve_checked(&no_reserve, 1).crews.len(), 16);
}
