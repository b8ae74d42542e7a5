//! `hazard-sweep bench gap`: the assignment solver on the OR-Library GAP instances
//! (`../shared/benchmarks/gap/`), each result re-checked against the raw instance, with
//! the gap to the best known value in the instance's own sense (gap1–12 maximise profit,
//! the A–E and Yagiura sets minimise cost).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sweep_solver::gap::{Gap, GapOptions, solve_gap};

/// Options of the GAP benchmark.
pub struct GapBench {
    /// Folder with `instances/` and `optima.csv`.
    pub data: PathBuf,
    /// Seconds per instance.
    pub time_limit: f64,
    /// Only these instances (comma-separated).
    pub only: Option<String>,
    /// Write each solution (1-based agent per job) here.
    pub solutions: Option<PathBuf>,
    /// CSV output.
    pub csv: PathBuf,
}

struct Known {
    name: String,
    best: f64,
    maximise: bool,
}

/// Parses one OR-Library GAP instance: `m n`, the m×n costs, the m×n weights, m capacities.
pub fn parse_instance(text: &str) -> Result<Gap> {
    let numbers: Vec<f64> = text
        .split_whitespace()
        .map(|t| {
            t.parse::<f64>()
                .with_context(|| format!("`{t}` is not a number"))
        })
        .collect::<Result<_>>()?;
    let (m, n) = match numbers.as_slice() {
        [m, n, ..] => (*m as usize, *n as usize),
        _ => bail!("the file does not start with `m n`"),
    };
    if numbers.len() != 2 + 2 * m * n + m {
        bail!(
            "expected {} numbers for {m} agents and {n} jobs, found {}",
            2 + 2 * m * n + m,
            numbers.len()
        );
    }
    let matrix = |offset: usize| {
        (0..m)
            .map(|a| numbers[offset + a * n..offset + (a + 1) * n].to_vec())
            .collect::<Vec<_>>()
    };
    Ok(Gap {
        cost: matrix(2),
        weight: matrix(2 + m * n),
        capacity: numbers[2 + 2 * m * n..].to_vec(),
    })
}

fn read_optima(path: &Path) -> Result<Vec<Known>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{} has no column {name}", path.display()))
    };
    let (name, best, sense) = (col("instance")?, col("best")?, col("sense")?);
    reader
        .records()
        .map(|r| {
            let r = r?;
            Ok(Known {
                name: r[name].to_string(),
                best: r[best].parse()?,
                maximise: &r[sense] == "max",
            })
        })
        .collect()
}

/// Runs the benchmark and prints the table.
pub fn run(options: &GapBench) -> Result<()> {
    let known = read_optima(&options.data.join("optima.csv"))?;
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
        "{:<9} {:>5} {:>5} {:>4} {:>9} {:>9} {:>9} {:>8} {:>7} {:>6}",
        "instance", "m", "n", "sense", "best", "ours", "bound", "gap %", "proven", "secs"
    );
    let mut rows = Vec::new();
    let mut gaps = Vec::new();
    for k in selected {
        let path = options
            .data
            .join("instances")
            .join(format!("{}.txt", k.name));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let raw = parse_instance(&text).with_context(|| format!("{}", path.display()))?;
        // Maximisation is solved as minimisation of the negated profit.
        let mut model = raw.clone();
        if k.maximise {
            model.cost.iter_mut().flatten().for_each(|c| *c = -*c);
        }
        let started = Instant::now();
        let opts = GapOptions {
            time_limit: Duration::from_secs_f64(options.time_limit),
            rounds: usize::MAX,
            seed: 1,
        };
        let solution = solve_gap(&model, &opts).with_context(|| k.name.clone())?;
        let seconds = started.elapsed().as_secs_f64();
        // Re-check against the raw instance, not the solver's own figures.
        if !raw.feasible(&solution.agent) {
            bail!("{}: the solution breaks a capacity", k.name);
        }
        let value = raw.evaluate(&solution.agent).0;
        let bound = if k.maximise {
            -solution.lower_bound
        } else {
            solution.lower_bound
        };
        let gap = if k.maximise {
            (k.best - value) / k.best
        } else {
            (value - k.best) / k.best
        } * 100.0;
        let proven = (value - bound).abs() < 1e-6;
        gaps.push(gap);
        println!(
            "{:<9} {:>5} {:>5} {:>4} {:>9} {:>9} {:>9} {:>8.3} {:>7} {:>6.1}",
            k.name,
            raw.capacity.len(),
            solution.agent.len(),
            if k.maximise { "max" } else { "min" },
            k.best,
            value,
            bound,
            gap,
            if proven { "yes" } else { "no" },
            seconds
        );
        rows.push(vec![
            k.name.clone(),
            raw.capacity.len().to_string(),
            solution.agent.len().to_string(),
            (if k.maximise { "max" } else { "min" }).to_string(),
            k.best.to_string(),
            value.to_string(),
            bound.to_string(),
            format!("{gap:.4}"),
            proven.to_string(),
            format!("{seconds:.2}"),
        ]);
        if let Some(dir) = &options.solutions {
            let line: Vec<String> = solution.agent.iter().map(|a| (a + 1).to_string()).collect();
            std::fs::write(dir.join(format!("{}.txt", k.name)), line.join(" ") + "\n")?;
        }
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    println!(
        "{} instances, mean gap to best known {mean:.3} %, all solutions feasible",
        gaps.len()
    );
    super::write_csv(
        &options.csv,
        &[
            "instance",
            "agents",
            "jobs",
            "sense",
            "best_known",
            "ours",
            "bound",
            "gap_percent",
            "proven_optimal",
            "seconds",
        ],
        &rows,
    )?;
    println!("wrote {}", options.csv.display());
    Ok(())
}
