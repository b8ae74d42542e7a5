//! The improvement search: anytime, repeatable from what the roster reports, and never
//! worse than the construction by the one objective.

mod common;

use std::time::Duration;

use common::{import_month, write_tiny};
use sweep_solver::model::{FrequencyMonths, Instance, Roster};
use sweep_solver::{SolveOptions, check, solve};

fn tiny(seed: u64) -> Instance {
    let dir = tempfile::tempdir().unwrap();
    write_tiny(dir.path(), seed);
    import_month(dir.path(), "2027-03")
}

fn solved(instance: &Instance, options: &SolveOptions<'_>) -> Roster {
    let roster = solve(instance, options).unwrap();
    let violations = check(instance, &roster);
    assert!(violations.is_empty(), "{violations:#?}");
    roster
}

/// The objective's levels in the order rosters are compared (larger is better).
fn score(r: &Roster) -> (u32, i64, i64) {
    let o = r.kpis.objective.as_ref().expect("a breakdown");
    (
        o["mandatory_visits"] as u32,
        (o["priority_weight"] * 1e6).round() as i64,
        -(o["search_cost"] * 100.0).round() as i64,
    )
}

#[test]
fn a_time_limited_search_repeats_exactly_with_the_iterations_it_reports() {
    // Every graded firm of tiny seed 4 due this month (217, 144 of them beyond the experts'
    // days): more than the exact close takes (`CLOSE_UP_TO`), and far from the pattern bound
    // the search's done test reads, so the clock ends the search whichever MILP backend is
    // built. (A tiny month as generated is closed exactly by HiGHS, and the search then
    // stops at the optimum before the clock: that failed this test in CI.)
    let mut instance = tiny(4);
    instance.policy.frequency_months = FrequencyMonths {
        red: 1,
        orange: 1,
        yellow: 1,
    };
    let timed = solved(
        &instance,
        &SolveOptions {
            threads: 2,
            time_limit: Some(Duration::from_millis(2000)),
            iterations: None,
            ..Default::default()
        },
    );
    let ran = timed
        .solver
        .iterations
        .expect("the roster reports its iterations");
    assert!(ran > 0, "the search ran: {}", timed.solver.algorithm);
    assert!(
        timed.solver.algorithm.contains("ended by the time limit"),
        "the clock ended it (the bound is not reached): {}",
        timed.solver.algorithm
    );
    let again = solved(
        &instance,
        &SolveOptions {
            threads: 2,
            iterations: Some(ran as usize),
            ..Default::default()
        },
    );
    assert_eq!(again.solver.iterations, Some(ran));
    assert_eq!(timed.crews, again.crews);
    assert_eq!(timed.unscheduled, again.unscheduled);
    assert_eq!(timed.kpis, again.kpis);
}

#[test]
fn the_search_never_returns_worse_than_the_construction() {
    for seed in [3, 11] {
        let instance = tiny(seed);
        let built = solved(&instance, &SolveOptions::default());
        let improved = solved(
            &instance,
            &SolveOptions {
                threads: 2,
                iterations: Some(400),
                ..Default::default()
            },
        );
        assert_eq!(improved.solver.iterations, Some(400));
        assert!(
            score(&improved) >= score(&built),
            "seed {seed}: {:?} < {:?}",
            improved.kpis.objective,
            built.kpis.objective
        );
    }
}

#[test]
fn without_a_cap_or_a_clock_the_search_stops_once_it_stops_improving() {
    let instance = tiny(5);
    let roster = solved(
        &instance,
        &SolveOptions {
            threads: 1,
            iterations: None,
            time_limit: None,
            ..Default::default()
        },
    );
    let ran = roster.solver.iterations.unwrap();
    assert!(ran >= 1000, "it ran at least the stall window: {ran}");
    assert!(
        roster
            .solver
            .algorithm
            .contains("ended by no better roster for 1,000 iterations"),
        "{}",
        roster.solver.algorithm
    );
}
