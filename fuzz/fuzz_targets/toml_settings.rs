//! `sweep_registry::read_toml` for `calendar.toml` and `policy.toml`.
//!
//! Input: the first byte picks the document (even: calendar, odd: policy); the rest is
//! its text (lossily decoded when not UTF-8). Asserts:
//! - `read_toml` returns the document or exactly one `E1005` problem and never panics
//!   (its line is computed from the parser's byte span);
//! - a document read is put into the `TWO_FIRMS` instance and validated without a panic;
//!   if `validate` finds no error, the instance round-trips through JSON (TOML has `nan`
//!   and `inf`, JSON has neither: a value that becomes `null` does not read back) and
//!   everything a solve derives up front is derived without a panic.
#![no_main]

use hazard_sweep_fuzz::{derive, has_errors, reached, round_trip, two_firms};
use libfuzzer_sys::fuzz_target;
use sweep_registry::{self as registry, Lines};
use sweep_solver::model::{Calendar, Policy};
use sweep_solver::validate::validate;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut problems = Vec::new();
    let mut instance = two_firms().clone();
    if which % 2 == 0 {
        let read = registry::read_toml::<Calendar>(&text, registry::CALENDAR, &mut problems);
        sound(read.is_some(), &problems, registry::CALENDAR);
        let Some(calendar) = read else { return };
        instance.calendar = calendar;
    } else {
        let read = registry::read_toml::<Policy>(&text, registry::POLICY, &mut problems);
        sound(read.is_some(), &problems, registry::POLICY);
        let Some(policy) = read else { return };
        instance.policy = policy;
    }
    reached("read");
    let problems = validate(&instance);
    let errors = has_errors(&problems);
    for p in problems {
        let _ = Lines::default().locate(p).to_string();
    }
    if !errors {
        reached("valid");
        round_trip(&instance, "a valid instance with settings read from TOML");
        derive(&instance);
    }
});

fn sound(read: bool, problems: &[sweep_registry::ImportProblem], file: &str) {
    if read {
        assert!(
            problems.is_empty(),
            "{file}: read, with problems {problems:?}"
        );
    } else {
        assert_eq!(
            problems.len(),
            1,
            "{file}: not read, with problems {problems:?}"
        );
        assert_eq!(problems[0].code, "E1005");
        assert_eq!(problems[0].file, file);
        let _ = problems[0].to_string();
    }
}
