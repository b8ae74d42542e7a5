//! Helpers shared by the fuzz targets in `fuzz_targets/`: the fixed instances the
//! targets put their input into, and the JSON round-trip oracle.

use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sweep_solver::model::Instance;
use sweep_solver::validate::{Level, Problem};

/// `sweep_solver::examples::TWO_FIRMS`, parsed once.
pub fn two_firms() -> &'static Instance {
    static CELL: OnceLock<Instance> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(sweep_solver::examples::TWO_FIRMS).expect("TWO_FIRMS parses")
    })
}

/// `fixtures/cases/blackout_week.json` (the instance of `tests/data/blackout_week.roster.json`), parsed once.
pub fn blackout_week() -> &'static Instance {
    static CELL: OnceLock<Instance> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!("../../fixtures/cases/blackout_week.json"))
            .expect("blackout_week parses")
    })
}

/// Whether any problem is an error (the service refuses the write, the CLI exits 2).
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.level == Level::Error)
}

/// Serialises `value` to JSON, reads it back as `T` and compares the two JSON trees.
///
/// Panics (a fuzzer crash) when the value does not serialise, when the JSON does not read
/// back (a NaN or infinity becomes `null`; a date or clock that prints in a form its own
/// parser refuses), or when the value read back differs.
///
/// NOTE (known, reported): serde_json without its `float_roundtrip` feature parses some
/// floats to a neighbour of the value it printed (1 ULP off, e.g. `6.162599865641032e196`
/// reads back as `6.162599865641031e196`). Floats are therefore compared to within 1 ULP;
/// every other difference is a failure.
pub fn round_trip<T: Serialize + DeserializeOwned>(value: &T, what: &str) -> T {
    let text =
        serde_json::to_string(value).unwrap_or_else(|e| panic!("{what} does not serialise: {e}"));
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!("{what} does not read back from its own JSON: {e}\nJSON: {text}")
    });
    let (a, b) = (to_value(value, what), to_value(&back, what));
    if let Some(at) = differs(&a, &b, String::new()) {
        panic!("{what} reads back different at `{at}`\nbefore: {a}\nafter:  {b}");
    }
    back
}

fn to_value<T: Serialize>(value: &T, what: &str) -> Value {
    serde_json::to_value(value)
        .unwrap_or_else(|e| panic!("{what} does not serialise to a JSON value: {e}"))
}

/// The path of the first difference between two JSON trees (floats within 1 ULP are equal).
fn differs(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64()?, y.as_f64()?);
            (!close(x, y)).then_some(at)
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{at} (length {} vs {})", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (x, y))| differs(x, y, format!("{at}[{i}]")))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().zip(y.keys()).any(|(k, l)| k != l) {
                return Some(format!("{at} (keys)"));
            }
            x.iter()
                .zip(y.values())
                .find_map(|((k, x), y)| differs(x, y, format!("{at}.{k}")))
        }
        _ => (a != b).then_some(at),
    }
}

/// Equal, or neighbouring floats (1 ULP apart).
fn close(x: f64, y: f64) -> bool {
    if x == y {
        return true;
    }
    if x.is_sign_negative() != y.is_sign_negative() || !x.is_finite() || !y.is_finite() {
        return false;
    }
    x.to_bits().abs_diff(y.to_bits()) <= 1
}

/// What a solve derives from a valid instance before it searches, all cheap: sweep days,
/// the due list, each firm's requirement, the cities and the context (indices, the leg
/// matrix between bases and due firms). Must not panic on any instance `validate` accepts.
pub fn derive(instance: &Instance) {
    use sweep_solver::{calendar, cities, context::Context, due, requirements};
    let days = calendar::sweep_days(instance);
    assert!(
        days.iter().all(|d| instance.horizon.contains(*d)),
        "a sweep day outside the horizon"
    );
    let list = due::derive(instance);
    assert_eq!(
        list.due.len(),
        list.enterprise_index.len(),
        "due list and its index differ in length"
    );
    assert!(
        list.enterprise_index
            .iter()
            .all(|&i| i < instance.enterprises.len()),
        "due list points past the enterprises"
    );
    for firm in &instance.enterprises {
        requirements::derive(instance, firm);
    }
    cities::cities(instance);
    // A road network `validate` accepts must be usable: the solve would fail otherwise.
    if let Err(e) = Context::new(instance) {
        panic!("validate accepts the instance but the solve's context fails: {e}");
    }
    reached("derived");
}

/// `two_firms()` with a small road network (three junctions around district D1), so
/// that the checker's and the context's legs go through the road graph.
pub fn two_firms_roads() -> &'static Instance {
    static CELL: OnceLock<Instance> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut instance = two_firms().clone();
        instance.travel = Some(serde_json::from_str(ROADS).expect("ROADS parses"));
        instance
    })
}

/// The road network of [`two_firms_roads`].
pub const ROADS: &str = r#"{ "network": {
  "nodes": [
    { "id": "N1", "lat": 38.31, "lon": 116.86 },
    { "id": "N2", "lat": 38.33, "lon": 116.87 },
    { "id": "N3", "lat": 38.30, "lon": 116.90 }
  ],
  "edges": [
    { "from": "N1", "to": "N2", "km": 2.6, "class": "local" },
    { "from": "N2", "to": "N3", "km": 3.9, "class": "county" }
  ]
} }"#;

/// Notes that an input reached a stage (`valid`, `derived`, `solved`, …): with
/// `FUZZ_TRACE=1` in the environment it is printed to stderr, so replaying a corpus shows
/// how many inputs get how deep, e.g.
/// `FUZZ_TRACE=1 cargo fuzz run instance_solve corpus/instance_solve -- -runs=0 2>&1 | grep ^reached | sort | uniq -c`.
pub fn reached(stage: &str) {
    static TRACE: OnceLock<bool> = OnceLock::new();
    if *TRACE.get_or_init(|| std::env::var_os("FUZZ_TRACE").is_some_and(|v| v == "1")) {
        eprintln!("reached {stage}");
    }
}
