//! Baseline benches: travel legs over the Cangzhou road network, and solves of the tiny
//! and Cangzhou fixtures. `cargo bench` prints criterion's table; later performance work
//! compares against these.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use hazard_sweep::import::{import_dir, month_horizon};
use sweep_solver::model::{Instance, Location};
use sweep_solver::travel::TravelModel;
use sweep_solver::{SolveOptions, solve};

fn import(dir: &Path) -> Instance {
    let imported = import_dir(dir, month_horizon("2027-03").unwrap(), "bench");
    imported.instance.expect("fixture imports")
}

fn cangzhou() -> Instance {
    import(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cangzhou"))
}

fn tiny() -> Instance {
    let dir = tempfile::tempdir().unwrap();
    let data = hazard_sweep::generate::generate(hazard_sweep::generate::Scale::Tiny, 1, "2027-03-01".parse().unwrap());
    hazard_sweep::generate::write_registries(&data.instance, dir.path()).unwrap();
    import(dir.path())
}

fn travel(c: &mut Criterion) {
    let instance = cangzhou();
    let model = TravelModel::new(&instance).unwrap();
    let places: Vec<Location> = instance.enterprises.iter().step_by(40).map(|f| f.location).collect();
    let mut group = c.benchmark_group("travel");
    group.bench_function(format!("cangzhou network matrix {}x{}", places.len(), places.len()), |b| {
        b.iter(|| black_box(model.matrix(black_box(&places))))
    });
    let great_circle = TravelModel::great_circle();
    group.bench_function(format!("great-circle matrix {}x{}", places.len(), places.len()), |b| {
        b.iter(|| black_box(great_circle.matrix(black_box(&places))))
    });
    group.finish();
}

fn solves(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    let tiny = tiny();
    group.bench_function("tiny, 1 thread", |b| b.iter(|| black_box(solve(&tiny, &SolveOptions::default()).unwrap())));
    let city = cangzhou();
    for threads in [1, 2] {
        group.bench_function(format!("cangzhou 2027-03, {threads} threads"), |b| {
            b.iter(|| black_box(solve(&city, &SolveOptions { threads, ..Default::default() }).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, travel, solves);
criterion_main!(benches);
