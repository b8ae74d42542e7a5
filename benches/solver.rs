//! Benches of the hot paths: travel legs over the Cangzhou road network (matrix and
//! pair by pair), the LP bound (build and solve), the routing core's ruin-and-recreate
//! (insertion scoring), and solves of the tiny and Cangzhou fixtures (construction = move
//! evaluation and insertion; improvement = ruin-and-recreate). `cargo bench` prints
//! criterion's table; performance work compares against these.

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
    let data = hazard_sweep::generate::generate(
        hazard_sweep::generate::Scale::Tiny,
        1,
        "2027-03-01".parse().unwrap(),
    );
    hazard_sweep::generate::write_registries(&data.instance, dir.path()).unwrap();
    import(dir.path())
}

fn travel(c: &mut Criterion) {
    let instance = cangzhou();
    let model = TravelModel::new(&instance).unwrap();
    let places: Vec<Location> = instance
        .enterprises
        .iter()
        .step_by(40)
        .map(|f| f.location)
        .collect();
    let mut group = c.benchmark_group("travel");
    group.bench_function(
        format!("cangzhou network matrix {}x{}", places.len(), places.len()),
        |b| b.iter(|| black_box(model.matrix(black_box(&places)))),
    );
    let tour: Vec<(Location, Location)> = places.windows(2).map(|w| (w[0], w[1])).collect();
    group.bench_function(
        format!("cangzhou network, {} legs pair by pair", tour.len()),
        |b| b.iter(|| black_box(model.pairs(black_box(&tour)))),
    );
    let great_circle = TravelModel::great_circle();
    group.bench_function(
        format!("great-circle matrix {}x{}", places.len(), places.len()),
        |b| b.iter(|| black_box(great_circle.matrix(black_box(&places)))),
    );
    group.finish();
}

fn solves(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    let tiny = tiny();
    group.bench_function("tiny, 1 thread", |b| {
        b.iter(|| black_box(solve(&tiny, &SolveOptions::default()).unwrap()))
    });
    let city = cangzhou();
    for threads in [1, 2] {
        group.bench_function(format!("cangzhou 2027-03, {threads} threads"), |b| {
            b.iter(|| {
                black_box(
                    solve(
                        &city,
                        &SolveOptions {
                            threads,
                            ..Default::default()
                        },
                    )
                    .unwrap(),
                )
            })
        });
    }
    group.finish();
}

fn bound(c: &mut Criterion) {
    let city = cangzhou();
    let ctx = sweep_solver::context::Context::new(&city).unwrap();
    let mut group = c.benchmark_group("bound");
    group.sample_size(10);
    group.bench_function("cangzhou pattern LP only", |b| {
        let effort = sweep_solver::bound::Effort {
            rounds: 0,
            ..Default::default()
        };
        b.iter(|| {
            black_box(sweep_solver::bound::coverage_bound(black_box(&ctx), &[], effort).unwrap())
        })
    });
    group.bench_function("cangzhou crew-day column generation", |b| {
        let effort = sweep_solver::bound::Effort::default();
        b.iter(|| {
            black_box(sweep_solver::bound::coverage_bound(black_box(&ctx), &[], effort).unwrap())
        })
    });
    group.finish();
}

fn routing(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/solomon/R101.txt");
    let r101 =
        hazard_sweep::bench::solomon::parse_instance(&std::fs::read_to_string(path).unwrap())
            .unwrap();
    let mut group = c.benchmark_group("routing");
    group.sample_size(10);
    group.bench_function("solomon R101, 1000 ruin-and-recreate iterations", |b| {
        let options = sweep_solver::vrptw::VrptwOptions {
            iterations: 1000,
            ..Default::default()
        };
        b.iter(|| black_box(sweep_solver::vrptw::solve(black_box(&r101), &options)))
    });
    group.finish();
}

fn improvement(c: &mut Criterion) {
    let city = cangzhou();
    let mut group = c.benchmark_group("improve");
    group.sample_size(10);
    group.bench_function(
        "cangzhou 2027-03, construction + 200 ruin-and-recreate iterations, 1 thread",
        |b| {
            b.iter(|| {
                black_box(
                    solve(
                        &city,
                        &SolveOptions {
                            threads: 1,
                            iterations: Some(200),
                            ..Default::default()
                        },
                    )
                    .unwrap(),
                )
            })
        },
    );
    group.finish();
}

criterion_group!(benches, travel, bound, routing, solves, improvement);
criterion_main!(benches);
