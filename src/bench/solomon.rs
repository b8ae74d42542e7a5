//! `hazard-sweep bench solomon`: the routing core ([`sweep_solver::vrptw`]) on the 56
//! Solomon VRPTW instances (`../shared/benchmarks/solomon/`), distance only (any number of
//! vehicles up to the fleet), unrounded Euclidean distances. Every result is re-checked
//! against the raw instance and compared with `bks-distance-only.csv`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sweep_solver::vrptw::{Vrptw, VrptwOptions, solve};

/// Options of the Solomon benchmark.
pub struct SolomonBench {
    /// Folder with the instance files and `bks-distance-only.csv`.
    pub data: PathBuf,
    /// Seconds per instance.
    pub time_limit: f64,
    /// Ruin-and-recreate iterations per run at most (`None`: the time limit ends it). With
    /// a cap, the annealing follows the iteration count, so the result depends only on the
    /// seed, whatever the machine's load.
    pub iterations: Option<usize>,
    /// Independent runs in parallel per instance.
    pub threads: usize,
    /// Seed of the search.
    pub seed: u64,
    /// Only these instances (comma-separated).
    pub only: Option<String>,
    /// Write each solution (`Route #k: ...`) here.
    pub solutions: Option<PathBuf>,
    /// CSV output.
    pub csv: PathBuf,
}

struct Known {
    name: String,
    vehicles: usize,
    distance: f64,
}

/// Parses a Solomon instance: the fleet line after `NUMBER CAPACITY`, then one line per
/// node `CUST_NO X Y DEMAND READY DUE SERVICE` after the `CUST NO.` header.
pub fn parse_instance(text: &str) -> Result<Vrptw> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let numbers = |line: &str| -> Result<Vec<f64>> {
        line.split_whitespace()
            .map(|t| {
                t.parse::<f64>()
                    .with_context(|| format!("`{t}` is not a number in `{line}`"))
            })
            .collect()
    };
    let fleet_at = lines
        .iter()
        .position(|l| l.starts_with("NUMBER"))
        .context("no `NUMBER CAPACITY` line")?;
    let fleet = numbers(
        lines
            .get(fleet_at + 1)
            .context("no fleet line after `NUMBER CAPACITY`")?,
    )?;
    let [vehicles, capacity] = fleet[..] else {
        bail!("the fleet line must hold two numbers, found {fleet:?}")
    };
    let header = lines
        .iter()
        .position(|l| l.starts_with("CUST NO"))
        .context("no `CUST NO.` header")?;
    let mut p = Vrptw {
        coords: vec![],
        demand: vec![],
        ready: vec![],
        due: vec![],
        service: vec![],
        capacity,
        vehicles: vehicles as usize,
    };
    for line in lines[header + 1..].iter().filter(|l| !l.is_empty()) {
        let row = numbers(line)?;
        let [number, x, y, demand, ready, due, service] = row[..] else {
            bail!("a customer line must hold seven numbers: `{line}`")
        };
        if number as usize != p.coords.len() {
            bail!(
                "customer {number} out of order (expected {})",
                p.coords.len()
            );
        }
        p.coords.push((x, y));
        p.demand.push(demand);
        p.ready.push(ready);
        p.due.push(due);
        p.service.push(service);
    }
    if p.coords.len() < 2 {
        bail!("no customers");
    }
    Ok(p)
}

fn read_known(path: &Path) -> Result<Vec<Known>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    reader
        .records()
        .map(|r| {
            let r = r?;
            Ok(Known {
                name: r[0].to_string(),
                vehicles: r[1].parse()?,
                distance: r[2].parse()?,
            })
        })
        .collect()
}

/// Runs the benchmark and prints the table.
pub fn run(options: &SolomonBench) -> Result<()> {
    let known = read_known(&options.data.join("bks-distance-only.csv"))?;
    let selected: Vec<&Known> = known
        .iter()
        .filter(|k| super::selected(&options.only, &k.name))
        .collect();
    if selected.is_empty() {
        bail!("no instance matches --only {:?}", options.only);
    }
    if let Some(dir) = &options.solutions {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    println!(
        "{:<7} {:>8} {:>9} {:>8} {:>9} {:>7} {:>6}",
        "instance", "bks veh", "bks", "our veh", "ours", "gap %", "secs"
    );
    let mut rows = Vec::new();
    let mut gaps = Vec::new();
    for k in selected {
        let path = options.data.join(format!("{}.txt", k.name));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let instance = parse_instance(&text).with_context(|| format!("{}", path.display()))?;
        let started = Instant::now();
        let search = VrptwOptions {
            time_limit: Duration::from_secs_f64(options.time_limit),
            threads: options.threads,
            seed: options.seed,
            iterations: options.iterations.unwrap_or(usize::MAX),
        };
        let solution = solve(&instance, &search);
        let seconds = started.elapsed().as_secs_f64();
        // The checker recomputes the distance from the raw data.
        let distance = instance.check(&solution.routes).map_err(|problems| {
            anyhow::anyhow!("{}: infeasible result: {}", k.name, problems.join("; "))
        })?;
        let gap = (distance - k.distance) / k.distance * 100.0;
        gaps.push(gap);
        println!(
            "{:<7} {:>8} {:>9.2} {:>8} {:>9.2} {:>7.2} {:>6.1}",
            k.name,
            k.vehicles,
            k.distance,
            solution.routes.len(),
            distance,
            gap,
            seconds
        );
        rows.push(vec![
            k.name.clone(),
            k.vehicles.to_string(),
            format!("{:.2}", k.distance),
            solution.routes.len().to_string(),
            format!("{distance:.4}"),
            format!("{gap:.4}"),
            format!("{seconds:.2}"),
        ]);
        if let Some(dir) = &options.solutions {
            let text: String = solution
                .routes
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    format!(
                        "Route #{}: {}\n",
                        i + 1,
                        r.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                })
                .collect();
            std::fs::write(
                dir.join(format!("{}.txt", k.name)),
                text + &format!("Cost {distance:.4}\n"),
            )?;
        }
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    let worst = gaps.iter().copied().fold(f64::MIN, f64::max);
    println!(
        "{} instances, mean gap to the distance-only best known {mean:.2} % (worst {worst:.2} %), all feasible",
        gaps.len()
    );
    super::write_csv(
        &options.csv,
        &[
            "instance",
            "bks_vehicles",
            "bks_distance",
            "vehicles",
            "distance",
            "gap_percent",
            "seconds",
        ],
        &rows,
    )?;
    println!("wrote {}", options.csv.display());
    Ok(())
}
