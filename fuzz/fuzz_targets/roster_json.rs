//! The roster reader and the independent checker on arbitrary rosters.
//!
//! Input: a roster JSON document (any bytes). Asserts:
//! - `serde_json::from_slice::<Roster>` never panics;
//! - a parsed roster is checked with `sweep_solver::check` against three fixed instances
//!   (`TWO_FIRMS`, the same with a small road network, and `fixtures/cases/blackout_week.json`,
//!   the instance of the seed roster `tests/data/blackout_week.roster.json`) without a
//!   panic, and every violation has a code and a message;
//! - the roster round-trips through JSON (floats within 1 ULP, see `round_trip`).
#![no_main]

use hazard_sweep_fuzz::{blackout_week, reached, round_trip, two_firms, two_firms_roads};
use libfuzzer_sys::fuzz_target;
use sweep_solver::check;
use sweep_solver::model::Roster;

fuzz_target!(|data: &[u8]| {
    let Ok(roster) = serde_json::from_slice::<Roster>(data) else {
        return;
    };
    reached(if roster.crews.iter().any(|c| !c.visits.is_empty()) {
        "parsed, with visits"
    } else {
        "parsed, no visit"
    });
    for instance in [two_firms(), two_firms_roads(), blackout_week()] {
        for v in check(instance, &roster) {
            assert!(
                !v.code.is_empty() && !v.message.is_empty(),
                "a violation without code or message: {v:?}"
            );
        }
    }
    round_trip(&roster, "roster");
});
