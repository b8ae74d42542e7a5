//! The JSON of single registry records and settings documents, as the service's
//! registry routes take them (create/replace one record, put a settings document).
//!
//! Input: the first byte picks the type (district, officer, expert, enterprise, history
//! entry, finding, policy, calendar, travel, horizon, calendar period); the rest is its
//! JSON. Asserts:
//! - parsing never panics; a parsed record round-trips through JSON on its own;
//! - the record put into the `TWO_FIRMS` instance (a registry record replaces the one
//!   with its key, else is appended; a settings document replaces the instance's) is
//!   validated without a panic, each problem located without a panic;
//! - the instance round-trips through JSON, and if `validate` finds no error everything a
//!   solve derives up front is derived without a panic.
#![no_main]

use hazard_sweep_fuzz::{derive, has_errors, reached, round_trip, two_firms};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sweep_registry::{Lines, RegistryRecord};
use sweep_solver::model::{
    Calendar, District, Enterprise, Expert, Finding, Horizon, Inspection, Instance, Officer,
    Period, Policy, Travel,
};
use sweep_solver::validate::validate;

fuzz_target!(|data: &[u8]| {
    let Some((&which, json)) = data.split_first() else {
        return;
    };
    match which % 11 {
        0 => record::<District>(json),
        1 => record::<Officer>(json),
        2 => record::<Expert>(json),
        3 => record::<Enterprise>(json),
        4 => record::<Inspection>(json),
        5 => record::<Finding>(json),
        6 => setting::<Policy>(json, |i, v| i.policy = v),
        7 => setting::<Calendar>(json, |i, v| i.calendar = v),
        8 => setting::<Travel>(json, |i, v| i.travel = Some(v)),
        9 => setting::<Horizon>(json, |i, v| i.horizon = v),
        _ => setting::<Period>(json, |i, v| i.calendar.periods.push(v)),
    }
});

fn parse<T: Serialize + DeserializeOwned>(json: &[u8], what: &str) -> Option<T> {
    let value = serde_json::from_slice::<T>(json).ok()?;
    round_trip(&value, what);
    reached("parsed");
    Some(value)
}

fn record<T: RegistryRecord>(json: &[u8]) {
    let Some(record) = parse::<T>(json, T::NAME) else {
        return;
    };
    let mut instance = two_firms().clone();
    let key = record.key();
    let records = T::records_mut(&mut instance);
    match records.iter().position(|r| r.key() == key) {
        Some(i) => records[i] = record,
        None => records.push(record),
    }
    use_instance(&instance);
}

fn setting<T: Serialize + DeserializeOwned>(json: &[u8], put: impl FnOnce(&mut Instance, T)) {
    let Some(value) = parse::<T>(json, std::any::type_name::<T>()) else {
        return;
    };
    let mut instance = two_firms().clone();
    put(&mut instance, value);
    use_instance(&instance);
}

fn use_instance(instance: &Instance) {
    let problems = validate(instance);
    let errors = has_errors(&problems);
    for p in problems {
        let _ = Lines::default().locate(p).to_string();
    }
    round_trip(instance, "the instance with the record");
    if !errors {
        reached("valid");
        derive(instance);
    }
}
