//! The registry CSV readers (`sweep_registry::read_districts`, …, `read_road_edges`).
//!
//! Input: the first byte picks the reader (districts, officers, experts, enterprises,
//! history, findings, road nodes, road edges); the rest is the file's text (as UTF-8, or
//! lossily decoded when it is not). Asserts:
//! - every reader returns its records and problems and never panics;
//! - each record has its line, lines increase and lie below the header;
//! - every problem is an error with a code, names the reader's file, and prints;
//! - a clean read put into the `TWO_FIRMS` instance (replacing that registry) is validated
//!   without a panic, each problem is located (`Lines::locate`) without a panic, and, if
//!   `validate` finds no error, the instance round-trips through JSON (no NaN or infinity
//!   turned into `null`) and everything a solve derives up front is derived without a panic.
#![no_main]

use hazard_sweep_fuzz::{derive, has_errors, reached, round_trip, two_firms};
use libfuzzer_sys::fuzz_target;
use sweep_registry::{self as registry, ImportProblem, Lines, RegistryRecord, Section};
use sweep_solver::model::{
    District, Enterprise, Expert, Finding, Inspection, Instance, Network, Officer, Travel,
};
use sweep_solver::validate::{Level, validate};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match which % 8 {
        0 => registry_file::<District>(&text),
        1 => registry_file::<Officer>(&text),
        2 => registry_file::<Expert>(&text),
        3 => registry_file::<Enterprise>(&text),
        4 => registry_file::<Inspection>(&text),
        5 => registry_file::<Finding>(&text),
        6 => {
            let mut problems = Vec::new();
            let section = registry::read_road_nodes(&text, &mut problems);
            sound(&section, &problems, registry::ROAD_NODES);
            if problems.is_empty() && !section.records.is_empty() {
                let mut instance = two_firms().clone();
                instance.travel = Some(Travel {
                    network: Some(Network {
                        nodes: section.records,
                        edges: Vec::new(),
                    }),
                    matrix: None,
                });
                use_instance(&instance, &Lines::default());
            }
        }
        _ => {
            let mut problems = Vec::new();
            let section = registry::read_road_edges(&text, &mut problems);
            sound(&section, &problems, registry::ROAD_EDGES);
            if problems.is_empty() && !section.records.is_empty() {
                let mut instance = hazard_sweep_fuzz::two_firms_roads().clone();
                if let Some(network) = instance.travel.as_mut().and_then(|t| t.network.as_mut()) {
                    network.edges = section.records;
                }
                use_instance(&instance, &Lines::default());
            }
        }
    }
});

/// One registry's CSV read with its reader, then put into the instance in place of that registry.
fn registry_file<T: RegistryRecord>(text: &str) {
    let mut problems = Vec::new();
    let section = T::read_csv(text, &mut problems);
    sound(&section, &problems, T::FILE);
    if !problems.is_empty() || section.records.is_empty() {
        return;
    }
    let mut lines = Lines::default();
    match T::NAME {
        "districts" => lines.districts = section.lines.clone(),
        "officers" => lines.officers = section.lines.clone(),
        "experts" => lines.experts = section.lines.clone(),
        "enterprises" => lines.enterprises = section.lines.clone(),
        "history" => lines.history = section.lines.clone(),
        _ => lines.findings = section.lines.clone(),
    }
    let mut instance = two_firms().clone();
    for record in &section.records {
        record.key();
    }
    *T::records_mut(&mut instance) = section.records;
    use_instance(&instance, &lines);
}

/// The reader's own promises about its result.
fn sound<T>(section: &Section<T>, problems: &[ImportProblem], file: &str) {
    assert_eq!(
        section.records.len(),
        section.lines.len(),
        "{file}: a record without its line"
    );
    // Lines as a planner counts them, whatever the line endings (`\n`, `\r\n`, `\r`):
    // regressions/csv_registries/cr*-line-endings-* once put records a line too early.
    assert!(
        section.lines.iter().all(|&l| l >= 2),
        "{file}: a record on the header's line: {:?}",
        section.lines
    );
    assert!(
        section.lines.windows(2).all(|w| w[0] < w[1]),
        "{file}: record lines do not increase: {:?}",
        section.lines
    );
    for p in problems {
        assert!(
            !p.code.is_empty(),
            "{file}: a problem without a code: {p:?}"
        );
        assert_eq!(
            p.level,
            Level::Error,
            "{file}: a reader's problem is not an error: {p:?}"
        );
        assert_eq!(p.file, file, "{file}: a problem names another file: {p:?}");
        let _ = p.to_string();
    }
}

/// Validates the instance, locates every problem, and if it is valid round-trips and derives.
fn use_instance(instance: &Instance, lines: &Lines) {
    reached("clean read");
    let problems = validate(instance);
    let errors = has_errors(&problems);
    for p in problems {
        let located = lines.locate(p);
        let _ = located.to_string();
    }
    if !errors {
        reached("valid");
        round_trip(instance, "a valid instance read from CSV");
        derive(instance);
    }
}
