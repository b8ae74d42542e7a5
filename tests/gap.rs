//! The assignment solver against brute force on small random instances, and the
//! `bench gap` command on an OR-Library instance.

mod common;

use proptest::prelude::*;
use sweep_solver::gap::{Gap, GapOptions, solve_gap};

/// The optimum by enumerating every assignment (None if none is feasible).
fn brute_force(gap: &Gap) -> Option<f64> {
    let (m, n) = (gap.capacity.len(), gap.cost[0].len());
    let mut agent = vec![0usize; n];
    let mut best: Option<f64> = None;
    loop {
        if gap.feasible(&agent) {
            let cost = gap.evaluate(&agent).0;
            best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
        let mut j = 0;
        while j < n && agent[j] == m - 1 {
            agent[j] = 0;
            j += 1;
        }
        if j == n {
            return best;
        }
        agent[j] += 1;
    }
}

prop_compose! {
    fn small_gap()(m in 2usize..4, n in 2usize..7)(
        cost in prop::collection::vec(prop::collection::vec(1u32..30, n), m),
        weight in prop::collection::vec(prop::collection::vec(1u32..10, n), m),
        capacity in prop::collection::vec(5u32..25, m),
    ) -> Gap {
        let f = |rows: Vec<Vec<u32>>| rows.into_iter().map(|r| r.into_iter().map(f64::from).collect()).collect();
        Gap { cost: f(cost), weight: f(weight), capacity: capacity.into_iter().map(f64::from).collect() }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn bound_optimum_and_solution_are_ordered(gap in small_gap()) {
        let options = GapOptions { rounds: 300, ..Default::default() };
        match (brute_force(&gap), solve_gap(&gap, &options)) {
            (Some(optimum), Ok(s)) => {
                prop_assert!(gap.feasible(&s.agent));
                prop_assert!((gap.evaluate(&s.agent).0 - s.cost).abs() < 1e-9);
                prop_assert!(s.lower_bound <= optimum + 1e-9, "bound {} above optimum {}", s.lower_bound, optimum);
                // Six jobs on three agents: the search (300 rounds, no clock) finds the optimum.
                prop_assert!((s.cost - optimum).abs() < 1e-9, "cost {} but the optimum is {}", s.cost, optimum);
            }
            (None, result) => prop_assert!(result.is_err(), "no feasible assignment exists, yet {:?}", result),
            (Some(optimum), Err(e)) => {
                prop_assert!(false, "a feasible assignment of cost {optimum} exists, yet: {e}");
            }
        }
    }
}

#[test]
fn bench_gap_solves_and_checks_an_orlib_instance() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("gap.csv");
    let solutions = dir.path().join("solutions");
    let data = common::root().join("tests/data/gap");
    let out = std::process::Command::new(common::bin())
        .args([
            "bench",
            "gap",
            "--time-limit",
            "2",
            "--only",
            "a05100,c0515_1",
        ])
        .args([
            "--data",
            data.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
            "--solutions",
            solutions.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("all solutions feasible"), "{stdout}");
    // a05100 (minimise) is proven optimal at 1698.
    let line = stdout.lines().find(|l| l.starts_with("a05100")).unwrap();
    assert!(line.contains(" 1698 ") && line.contains("yes"), "{line}");
    let agents = std::fs::read_to_string(solutions.join("c0515_1.txt")).unwrap();
    assert_eq!(agents.split_whitespace().count(), 15, "one agent per job");
    assert!(std::fs::read_to_string(csv).unwrap().lines().count() == 3);
}

/// With HiGHS, a small OR-Library instance is proven optimal at its known value.
#[cfg(feature = "highs")]
#[test]
fn highs_proves_an_orlib_instance_optimal() {
    let path = common::root().join("tests/data/gap/instances/c0515_1.txt");
    let mut gap =
        hazard_sweep::bench::gap::parse_instance(&std::fs::read_to_string(path).unwrap()).unwrap();
    gap.cost.iter_mut().flatten().for_each(|c| *c = -*c); // gap1 maximises profit
    let s = solve_gap(
        &gap,
        &GapOptions {
            time_limit: std::time::Duration::from_secs(20),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.cost, -336.0);
    assert_eq!(s.lower_bound, s.cost, "proven optimal");
}
