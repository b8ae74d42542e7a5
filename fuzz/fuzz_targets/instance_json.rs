//! The instance readers: `serde_json::from_slice::<Instance>` and the command line's
//! `sweep_registry::read_instance_json`, then `validate` and what a solve derives first.
//!
//! Input: an instance JSON document (any bytes). Asserts:
//! - neither reader panics, and they agree: `read_instance_json` returns the instance
//!   exactly when the document parses and `validate` finds no error, else its problems
//!   (one `E1000` when it does not parse);
//! - `validate` never panics and every problem prints;
//! - every parsed instance round-trips through JSON: it serialises, reads back, and reads
//!   back the same (floats within 1 ULP, see `round_trip`), and validates the same;
//! - on an instance without errors, the sweep days, due list, requirements, cities and
//!   the solve's context (legs between bases and due firms) are derived without a panic,
//!   and the context does not fail on a road network `validate` accepted.
//! No search is run here (see `instance_solve` for a bounded one).
#![no_main]

use hazard_sweep_fuzz::{derive, has_errors, reached, round_trip};
use libfuzzer_sys::fuzz_target;
use sweep_solver::model::Instance;
use sweep_solver::validate::validate;

fuzz_target!(|data: &[u8]| {
    let parsed = serde_json::from_slice::<Instance>(data);
    let valid = parsed.as_ref().ok().map(|i| !has_errors(&validate(i)));
    if let Ok(text) = std::str::from_utf8(data) {
        let imported = sweep_registry::read_instance_json(text, "instance.json");
        for p in &imported.problems {
            let _ = p.to_string();
        }
        match valid {
            None => {
                assert!(
                    imported.instance.is_none(),
                    "read_instance_json accepts what serde_json refuses: {:?}",
                    parsed.as_ref().err()
                );
                assert!(
                    imported.problems.iter().any(|p| p.code == "E1000"),
                    "a document that does not parse without E1000: {:?}",
                    imported.problems
                );
            }
            Some(valid) => assert_eq!(
                imported.instance.is_some(),
                valid,
                "read_instance_json and validate disagree: {:?}",
                imported.problems
            ),
        }
    }
    let Ok(instance) = parsed else { return };
    reached("parsed");
    let problems = validate(&instance);
    for p in &problems {
        let _ = format!("{} {:?}", p.place, p);
    }
    let back = round_trip(&instance, "instance");
    let codes = |ps: &[sweep_solver::Problem]| ps.iter().map(|p| p.code).collect::<Vec<_>>();
    assert_eq!(
        codes(&problems),
        codes(&validate(&back)),
        "the instance read back validates differently"
    );
    if !has_errors(&problems) {
        reached("valid");
        derive(&instance);
    }
});
