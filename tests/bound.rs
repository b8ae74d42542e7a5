//! The coverage bound: proven (every roster here passes the checker, which rejects a bound
//! below the achieved coverage), tighter than the pattern relaxation where crews' drives
//! and teams bind, and closing small months exactly.

mod common;

use common::{import_month, solve_checked, write_tiny};
use sweep_solver::bound::{Effort, coverage_bound};
use sweep_solver::context::Context;
use sweep_solver::model::Instance;

fn tiny(seed: u64) -> Instance {
    let dir = tempfile::tempdir().unwrap();
    write_tiny(dir.path(), seed);
    import_month(dir.path(), "2027-03")
}

/// Asserts that the month's gap is closed: the roster's coverage is its proven bound.
fn assert_closed(roster: &sweep_solver::model::Roster, seed: u64) {
    let (coverage, bound) = (roster.kpis.weighted_coverage, roster.kpis.bound.unwrap());
    assert!(
        bound - coverage <= 1e-6,
        "seed {seed}: coverage {coverage}, bound {bound}: the gap should be closed"
    );
    assert!(roster.kpis.gap.unwrap() <= 1e-6, "seed {seed}");
}

/// Every mandatory firm left out is one no roster could visit (a rule alone rules it
/// out), not one the capacity went elsewhere from.
fn assert_every_possible_mandatory_visit(roster: &sweep_solver::model::Roster, seed: u64) {
    const CAPACITY: &[&str] = &[
        "officer_capacity",
        "expert_capacity",
        "crew_capacity",
        "budget",
        "time_limit",
    ];
    let left: Vec<_> = roster
        .unscheduled
        .iter()
        .filter(|u| u.mandatory && CAPACITY.contains(&u.code.as_str()))
        .collect();
    assert!(left.is_empty(), "seed {seed}: {left:#?}");
}

#[test]
fn generated_tiny_months_are_proven_optimal() {
    // Seed 2 is a month the search alone left 2.6 points short of the crew-day bound; the
    // integer master closes it (and seed 11, which the search reaches by itself). Seed 17
    // is closed by the integer master of the seated crew-days (teams that keep the seat
    // rule), not by the relaxed one's. Seed 8 is where a pricing knapsack taken out of
    // its value order once gave a bound 20 points below the roster. Under the lunch
    // break, two of seed 2's mandatory 420-minute visits no longer fit any day, and
    // seeds 5, 6 and 13, open before it, are closed.
    for seed in [2, 5, 6, 8, 11, 13, 17] {
        let instance = tiny(seed);
        let roster = solve_checked(&instance, 2);
        assert_closed(&roster, seed);
        assert_every_possible_mandatory_visit(&roster, seed);
    }
}

/// Seeds 3 and 4: microlp's node budget leaves the integer master open (gaps of about 2.2
/// and 11.6 points after a 5-second search, under the lunch break); HiGHS closes both. Seed 3's optimum was 95.53 %
/// before the workable-week and follow-up rules (officers out at most four days a week
/// and four in a row; no re-check before its deadline), 95.06 % under them, and 92.71 %
/// under the team rules (every expert earns their seat; a major chemical firm's team of
/// four with safety management), and 87.07 % under the lunch break; seed 4's was
/// 54.77 %, 52.79 % under the team rules and 48.89 % under the lunch break.
#[cfg(feature = "highs")]
#[test]
fn with_highs_the_months_microlps_budget_leaves_open_are_closed() {
    for (seed, optimum) in [(3, 0.8707), (4, 0.4889)] {
        let instance = tiny(seed);
        let roster = solve_checked(&instance, 2);
        assert_closed(&roster, seed);
        let coverage = roster.kpis.weighted_coverage;
        assert!(
            (coverage - optimum).abs() < 5e-5,
            "seed {seed}: coverage {coverage}, the optimum is {optimum}"
        );
    }
}

#[test]
fn a_closed_month_ranks_mandatory_visits_before_weight() {
    // Seed 11: the crew-day bound on weight alone (92.88 % under the lunch break) is
    // above the proven optimum in the objective's order (every mandatory visit first,
    // then weight: 91.29 %); the roster's bound is that optimum's coverage. (Seed 2 was
    // this month before the lunch break.)
    let instance = tiny(11);
    let ctx = Context::new(&instance).unwrap();
    let by_weight = coverage_bound(&ctx, &[], Effort::default()).unwrap();
    let roster = solve_checked(&instance, 2);
    assert_every_possible_mandatory_visit(&roster, 11);
    let bound = roster.kpis.bound.unwrap();
    assert!(
        bound < by_weight - 0.003,
        "the roster's bound {bound}, weight alone {by_weight}"
    );
    assert!(bound - roster.kpis.weighted_coverage <= 1e-6);
}

#[test]
fn crew_days_bound_coverage_far_below_the_patterns_where_expert_days_run_short() {
    // Seed 1: ten experts (2, 4 and 8 days by tier) for 47 due firms; patterns treat the
    // expert-days as a pool, crew-days need named, qualified, available teams.
    let instance = tiny(1);
    let ctx = Context::new(&instance).unwrap();
    let patterns_only = Effort {
        rounds: 0,
        ..Effort::default()
    };
    let patterns = coverage_bound(&ctx, &[], patterns_only).unwrap();
    let crew_days = coverage_bound(&ctx, &[], Effort::default()).unwrap();
    assert!(
        crew_days < patterns - 0.05,
        "patterns {patterns}, crew-days {crew_days}"
    );
    // The roster's bound is at most the crew-day bound (here the month is closed below
    // it; the checker rejects a bound below the roster's coverage).
    let roster = solve_checked(&instance, 2);
    assert!(roster.kpis.bound.unwrap() <= crew_days + 1e-9);
}

#[test]
fn the_bound_is_the_same_with_any_thread_count_and_from_any_seed_crews() {
    let instance = tiny(7);
    let ctx = Context::new(&instance).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| coverage_bound(&ctx, &[], Effort::default()).unwrap());
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap()
        .install(|| coverage_bound(&ctx, &[], Effort::default()).unwrap());
    assert_eq!(one, four);
    // Seeded with a roster's crews, the column generation ends at the same LP optimum.
    let roster = solve_checked(&instance, 2);
    let seeds = sweep_solver::bound::Column::of_roster(&ctx, &roster);
    assert!(!seeds.is_empty());
    let seeded = coverage_bound(&ctx, &seeds, Effort::default()).unwrap();
    assert!(
        (seeded - one).abs() < 1e-4,
        "seeded {seeded}, unseeded {one}"
    );
}

#[test]
fn a_month_closed_before_a_construction_the_clock_cut_short_keeps_its_optimum() {
    // The close runs on the solve's clock: with a limit it alone uses up, the construction
    // stops at once, and the roster is the optimum (a valid one with its proven bound),
    // not an empty month.
    let instance = tiny(2);
    let options = sweep_solver::SolveOptions {
        threads: 2,
        time_limit: Some(std::time::Duration::from_millis(1)),
        ..Default::default()
    };
    let roster = sweep_solver::solve(&instance, &options).unwrap();
    let violations = sweep_solver::check(&instance, &roster);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_every_possible_mandatory_visit(&roster, 2);
    assert!(roster.kpis.gap.unwrap() <= 1e-6, "{:?}", roster.kpis);
}
