//! A bounded solve of small valid instances, re-checked by the independent checker.
//!
//! Input: an instance JSON document. Only instances that parse, have no `validate`
//! error and are small (at most 12 firms, 8 experts, 4 officers, 16 road nodes, a
//! horizon of at most 31 days) are solved, on one thread with 10 improvement iterations
//! and a 200 ms time limit, so an execution stays well under a second. Asserts:
//! - `solve` does not panic and does not fail (a valid instance has a roster);
//! - `check(instance, roster)` does not panic and finds no violation (solver and
//!   checker agree on the rules);
//! - the roster round-trips through JSON: a derived value that became infinite or NaN
//!   (a 1e308 day rate times days, a 1e307 km edge) is written `null` and does not read
//!   back, which is the bug this target hunts.
#![no_main]

use std::time::Duration;

use hazard_sweep_fuzz::{has_errors, reached, round_trip};
use libfuzzer_sys::fuzz_target;
use sweep_solver::model::Instance;
use sweep_solver::{SolveOptions, check, solve, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(instance) = serde_json::from_slice::<Instance>(data) else {
        return;
    };
    let roads = instance
        .travel
        .as_ref()
        .and_then(|t| t.network.as_ref())
        .map_or(0, |n| n.nodes.len() + n.edges.len());
    let small = instance.enterprises.len() <= 12
        && instance.experts.len() <= 8
        && instance.officers.len() <= 4
        && instance.districts.len() <= 4
        && roads <= 32
        && (0..=31).contains(&instance.horizon.len_days());
    reached("parsed");
    if !small || has_errors(&validate(&instance)) {
        return;
    }
    reached("valid");
    let options = SolveOptions {
        threads: 1,
        iterations: Some(10),
        time_limit: Some(Duration::from_millis(200)),
        ..Default::default()
    };
    let roster = match solve(&instance, &options) {
        Ok(roster) => roster,
        Err(e) => panic!("a valid instance does not solve: {e}"),
    };
    reached(if roster.crews.is_empty() {
        "solved, no crew"
    } else {
        "solved, with crews"
    });
    let violations = check(&instance, &roster);
    assert!(
        violations.is_empty(),
        "the checker rejects the solver's roster: {violations:#?}"
    );
    round_trip(&roster, "the solver's roster");
});
