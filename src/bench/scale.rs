//! `hazard-sweep bench scale`: generate each scale, solve it in a child process (so its
//! peak memory is its own), check the roster, and print one row per scale.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};
use sweep_solver::check;
use sweep_solver::model::Roster;

use crate::generate::{Scale, generate, write_registries};
use crate::import::{import_dir, month_horizon};

/// Options of the scaling benchmark.
pub struct ScaleBench {
    /// Scales to run, in order.
    pub scales: Vec<Scale>,
    /// Worker threads of each solve.
    pub threads: usize,
    /// Improvement iterations per worker at most (`None`: no cap).
    pub iterations: Option<usize>,
    /// Time limit of each solve, seconds.
    pub time_limit: Option<f64>,
    /// Work folder (registries, instances, rosters).
    pub work: PathBuf,
    /// CSV output.
    pub csv: PathBuf,
}

/// Peak resident memory of this process in MiB (Linux; `None` elsewhere).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Runs the benchmark and prints the table.
pub fn run(options: &ScaleBench) -> Result<()> {
    let exe = std::env::current_exe().context("locating the hazard-sweep binary")?;
    println!(
        "{:<9} {:>9} {:>6} {:>7} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8} {:>10}",
        "scale",
        "firms",
        "due",
        "experts",
        "officers",
        "seconds",
        "peak MiB",
        "coverage",
        "bound",
        "gap",
        "violations"
    );
    let mut rows = Vec::new();
    for scale in &options.scales {
        let name = format!("{scale:?}").to_lowercase();
        let dir = options.work.join(&name);
        let registries = dir.join("registries");
        // Always regenerated: a cached copy could come from an older generator.
        let data = generate(*scale, 1, "2027-03-01".parse().expect("valid date"));
        write_registries(&data.instance, &registries)?;
        let imported = import_dir(
            &registries,
            month_horizon("2027-03").map_err(|p| anyhow::anyhow!("{p}"))?,
            &format!("{name}-2027-03"),
        );
        let Some(instance) = imported.instance else {
            bail!("{name}: the generated registries do not import")
        };
        let instance_path = dir.join("instance.json");
        std::fs::write(&instance_path, serde_json::to_vec(&instance)?)?;
        let roster_path = dir.join("roster.json");
        let mut child = Command::new(&exe);
        child
            .args(["solve", "--instance"])
            .arg(&instance_path)
            .arg("-o")
            .arg(&roster_path);
        child.args(["--threads", &options.threads.to_string(), "--report-memory"]);
        if let Some(cap) = options.iterations {
            child.args(["--iterations", &cap.to_string()]);
        }
        if let Some(limit) = options.time_limit {
            child.args(["--time-limit", &limit.to_string()]);
        }
        let out = child
            .output()
            .with_context(|| format!("running the {name} solve"))?;
        if !out.status.success() {
            bail!(
                "{name}: the solve failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let peak = stderr
            .lines()
            .find_map(|l| l.strip_prefix("peak memory MiB: "))
            .unwrap_or("?")
            .trim()
            .to_string();
        let roster: Roster = serde_json::from_slice(&std::fs::read(&roster_path)?)?;
        let violations = check(&instance, &roster).len();
        let k = &roster.kpis;
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{:.2} %", 100.0 * v));
        println!(
            "{:<9} {:>9} {:>6} {:>7} {:>8} {:>8.1} {:>8} {:>9} {:>8} {:>8} {:>10}",
            name,
            instance.enterprises.len(),
            k.due,
            instance.experts.len(),
            instance.officers.len(),
            roster.solver.seconds,
            peak,
            pct(Some(k.weighted_coverage)),
            pct(k.bound),
            pct(k.gap),
            violations
        );
        rows.push(vec![
            name,
            instance.enterprises.len().to_string(),
            k.due.to_string(),
            instance.experts.len().to_string(),
            instance.officers.len().to_string(),
            format!("{:.2}", roster.solver.seconds),
            peak,
            format!("{:.5}", k.weighted_coverage),
            k.bound.map_or(String::new(), |b| format!("{b:.5}")),
            k.gap.map_or(String::new(), |g| format!("{g:.5}")),
            violations.to_string(),
        ]);
        if violations > 0 {
            bail!(
                "the {} roster breaks {violations} rules",
                rows.last().map_or("", |r| r[0].as_str())
            );
        }
    }
    super::write_csv(
        &options.csv,
        &[
            "scale",
            "firms",
            "due",
            "experts",
            "officers",
            "seconds",
            "peak_mib",
            "coverage",
            "bound",
            "gap",
            "violations",
        ],
        &rows,
    )?;
    println!("wrote {}", options.csv.display());
    Ok(())
}
