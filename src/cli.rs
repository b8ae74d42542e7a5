//! The command line: generate, import, solve, validate, schema, demo.
//!
//! Exit codes: 0 success; 1 a roster with violations (`validate`); 2 bad input or usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sweep_solver::model::{Instance, Roster};
use sweep_solver::{Progress, SolveOptions, check, solve};

use crate::generate::{self, Scale};
use crate::import::{self, ImportProblem, Imported};
use crate::report;

/// Plans expert hidden-hazard sweeps (专家查隐患) for work-safety bureaus.
#[derive(Parser)]
#[command(name = "hazard-sweep", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write deterministic registries (CSV, TOML, road network) at a scale.
    Generate {
        /// Size of the data set.
        #[arg(long, value_enum, default_value = "city", env = "HAZARD_SWEEP_SCALE")]
        scale: Scale,
        /// Random seed.
        #[arg(long, default_value_t = 1, env = "HAZARD_SWEEP_SEED")]
        seed: u64,
        /// The month to plan next (history runs up to it), YYYY-MM.
        #[arg(long, env = "HAZARD_SWEEP_MONTH")]
        month: String,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the small named rule cases (fixtures/cases/*.json).
    Cases {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Read registries and write one plan instance (JSON).
    Import {
        /// Folder with districts.csv, officers.csv, experts.csv, enterprises.csv, ...
        #[arg(long)]
        dir: PathBuf,
        /// Month to plan, YYYY-MM.
        #[arg(long)]
        month: String,
        /// Output file (stdout if absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Solve an instance and write the roster.
    Solve(SolveArgs),
    /// Check a roster against an instance; exit 1 if any rule is broken.
    Validate {
        /// The instance JSON.
        instance: PathBuf,
        /// The roster JSON.
        roster: PathBuf,
        /// The seed the roster was solved with, if `solve --seed` overrode the policy's.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Propose officer portfolios: every firm to an officer of its district or city level,
    /// at most max_firms_per_officer (443) each, least total km from the officer's base.
    Portfolios {
        #[command(flatten)]
        source: InstanceSource,
        /// CSV output: enterprise, officer, previous_officer, km.
        #[arg(short, long, default_value = "out/portfolios.csv")]
        output: PathBuf,
        /// Seconds of search after the LP relaxation.
        #[arg(long, default_value_t = 10.0, value_parser = seconds)]
        time_limit: f64,
    },
    /// Run a benchmark and print its table (see README, Benchmarks).
    Bench {
        #[command(subcommand)]
        which: BenchCommand,
    },
    /// Print the JSON Schema of the instance or the roster.
    Schema {
        /// Which document.
        #[arg(value_enum)]
        document: Document,
    },
    /// Run the HTTP service: registries, plans, rosters, exports and the experts' view,
    /// stored in SQLite. On the first start it prints `planner token: <token>` (unless
    /// HAZARD_SWEEP_PLANNER_TOKEN gives it).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "HAZARD_SWEEP_ADDR")]
        addr: std::net::SocketAddr,
        /// Database: a SQLite file (created if missing), e.g. sqlite://hazard-sweep.db.
        #[arg(
            long,
            default_value = "sqlite://hazard-sweep.db",
            env = "HAZARD_SWEEP_DATABASE_URL"
        )]
        database_url: String,
        /// Load the Cangzhou demo registries into an empty database.
        #[arg(long)]
        demo: bool,
        /// Log lines as text, or as JSON objects (one a line, with the request's id) for a
        /// log collector.
        #[arg(
            long,
            value_enum,
            default_value = "text",
            env = "HAZARD_SWEEP_LOG_FORMAT"
        )]
        log_format: LogFormat,
        /// The first planner token of a new database (read from the environment only).
        #[arg(skip = std::env::var(sweep_service::auth::PLANNER_TOKEN_ENV).ok())]
        planner_token: Option<String>,
    },
    /// Solve the committed Cangzhou fixture for the month after its data, and check it.
    Demo {
        /// Fixture folder.
        #[arg(long, default_value = "fixtures/cangzhou")]
        dir: PathBuf,
        /// Where to write instance.json and roster.json.
        #[arg(long, default_value = "out/demo")]
        out: PathBuf,
        /// Worker threads.
        #[arg(long, default_value_t = 2, env = "HAZARD_SWEEP_THREADS")]
        threads: usize,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Generate tiny → city → province (→ nation) and solve each: size, time, peak memory,
    /// coverage, bound, gap and checker violations per scale.
    Scale {
        /// Scales, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "tiny,city,province")]
        scales: Vec<Scale>,
        /// Worker threads of each solve.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Improvement iterations per worker at most (default: no cap).
        #[arg(long)]
        iterations: Option<usize>,
        /// Time limit of each solve, seconds (default: the solver's, 10 s).
        #[arg(long, value_parser = seconds)]
        time_limit: Option<f64>,
        /// Work folder.
        #[arg(long, default_value = "out/bench/scale")]
        work: PathBuf,
        /// CSV output.
        #[arg(long, default_value = "out/bench/scale.csv")]
        csv: PathBuf,
    },
    /// OR-Library generalised assignment instances against their best known values.
    Gap {
        /// Seconds per instance.
        #[arg(long, default_value_t = 60.0, value_parser = seconds)]
        time_limit: f64,
        /// Only these instances, comma-separated (e.g. c0515_1,a05100).
        #[arg(long)]
        only: Option<String>,
        /// Write each solution (1-based agent of each job, one line) into this folder.
        #[arg(long)]
        solutions: Option<PathBuf>,
        /// Benchmark data folder.
        #[arg(long, default_value = "../shared/benchmarks/gap")]
        data: PathBuf,
        /// CSV output.
        #[arg(long, default_value = "out/bench/gap.csv")]
        csv: PathBuf,
    },
    /// Solomon VRPTW instances (distance only) against their best known distances.
    Solomon {
        /// Seconds per instance.
        #[arg(long, default_value_t = 10.0, value_parser = seconds)]
        time_limit: f64,
        /// Ruin-and-recreate iterations per search at most (default: no cap, the time
        /// limit ends it). When the cap, not the time limit, ends the search, the result
        /// depends only on the seed, not on the machine's load: for before/after
        /// comparisons of the engine.
        #[arg(long)]
        iterations: Option<usize>,
        /// Independent searches in parallel per instance (the best wins).
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Seed of the search.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these instances, comma-separated (e.g. C101,R201).
        #[arg(long)]
        only: Option<String>,
        /// Write each solution (`Route #k: 12 5 ...`) into this folder.
        #[arg(long)]
        solutions: Option<PathBuf>,
        /// Benchmark data folder.
        #[arg(long, default_value = "../shared/benchmarks/solomon")]
        data: PathBuf,
        /// CSV output.
        #[arg(long, default_value = "out/bench/solomon.csv")]
        csv: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Document {
    Instance,
    Roster,
}

/// Where a command's instance comes from: an instance JSON, or registries and a month.
#[derive(clap::Args)]
struct InstanceSource {
    /// The instance JSON.
    #[arg(long, conflicts_with = "dir", required_unless_present = "dir")]
    instance: Option<PathBuf>,
    /// Registries folder (imported on the fly with --month).
    #[arg(long, requires = "month")]
    dir: Option<PathBuf>,
    /// Month to plan with --dir, YYYY-MM.
    #[arg(long)]
    month: Option<String>,
}

impl InstanceSource {
    /// Reads and validates the instance; problems are printed, errors fail.
    fn load(&self) -> Result<Instance> {
        match (&self.instance, &self.dir, &self.month) {
            (Some(path), _, _) => read_instance(path),
            (None, Some(dir), Some(month)) => import_registries(dir, month),
            _ => bail!("give --instance FILE, or --dir DIR with --month YYYY-MM"),
        }
    }
}

#[derive(clap::Args)]
struct SolveArgs {
    #[command(flatten)]
    source: InstanceSource,
    /// Output roster file (stdout if absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Search this many seconds and return the best roster (sooner when it is done: coverage
    /// at the proven bound and the cost no longer improving).
    #[arg(long, default_value_t = sweep_solver::DEFAULT_TIME_LIMIT_SECONDS, env = "HAZARD_SWEEP_TIME_LIMIT", allow_negative_numbers = true, value_parser = seconds)]
    time_limit: f64,
    /// Worker threads.
    #[arg(long, default_value_t = 1, env = "HAZARD_SWEEP_THREADS")]
    threads: usize,
    /// Improvement iterations per worker at most (0: construction only; default: no cap,
    /// the time limit ends the search). A one-city roster's `solver.iterations` given
    /// here, with the same seed and threads and a time limit long enough for the cap to
    /// end the search, repeats it exactly.
    #[arg(long, env = "HAZARD_SWEEP_ITERATIONS")]
    iterations: Option<usize>,
    /// Seed of the random draw and the solver (overrides the policy's).
    #[arg(long)]
    seed: Option<u64>,
    /// Seed of the improvement search only: the same due list, another search.
    #[arg(long)]
    search_seed: Option<u64>,
    /// Print the process's peak memory after the solve (used by `bench scale`).
    #[arg(long, hide = true)]
    report_memory: bool,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Generate {
            scale,
            seed,
            month,
            out,
        } => {
            let horizon = import::month_horizon(&month).map_err(problem_error)?;
            let started = Instant::now();
            let data = generate::generate(scale, seed, horizon.start);
            generate::write_registries(&data.instance, &out)?;
            let i = &data.instance;
            eprintln!(
                "wrote {}: {} districts, {} officers, {} experts, {} enterprises, {} history rows, {} findings ({:.1} s)",
                out.display(),
                i.districts.len(),
                i.officers.len(),
                i.experts.len(),
                i.enterprises.len(),
                i.history.len(),
                i.findings.len(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Cases { out } => {
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for (name, instance) in crate::cases::all() {
                let path = out.join(format!("{name}.json"));
                std::fs::write(&path, serde_json::to_string_pretty(&instance)? + "\n")?;
                eprintln!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { dir, month, output } => {
            let instance = import_registries(&dir, &month)?;
            write_json(output.as_deref(), &instance)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Solve(args) => solve_command(args),
        Command::Portfolios {
            source,
            output,
            time_limit,
        } => {
            let instance = source.load()?;
            portfolios(&instance, &output, Duration::from_secs_f64(time_limit))
        }
        Command::Validate {
            instance,
            roster,
            seed,
        } => {
            let mut instance = read_instance(&instance)?;
            if let Some(seed) = seed {
                instance.policy.seed = seed;
            }
            let roster: Roster = read_json(&roster)?;
            let violations = check(&instance, &roster);
            for v in &violations {
                let at = [v.crew.as_deref(), v.enterprise.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                println!("{} {at}: {}", v.code, v.message);
            }
            if violations.is_empty() {
                println!(
                    "ok: {} crews, {} visits, 0 violations",
                    roster.crews.len(),
                    roster.kpis.scheduled
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!("{} violations", violations.len());
                Ok(ExitCode::from(1))
            }
        }
        Command::Schema { document } => {
            let schema = match document {
                Document::Instance => schemars::schema_for!(Instance),
                Document::Roster => schemars::schema_for!(Roster),
            };
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir, out, threads } => demo(&dir, &out, threads),
        Command::Serve {
            addr,
            database_url,
            demo,
            planner_token,
            log_format,
        } => {
            let logs = tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .with_writer(std::io::stderr);
            match log_format {
                LogFormat::Text => logs
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                    .init(),
                LogFormat::Json => logs
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .init(),
            }
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            runtime
                .block_on(sweep_service::serve(sweep_service::Config {
                    addr,
                    database_url,
                    demo,
                    planner_token,
                }))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            which:
                BenchCommand::Scale {
                    scales,
                    threads,
                    iterations,
                    time_limit,
                    work,
                    csv,
                },
        } => {
            crate::bench::scale::run(&crate::bench::scale::ScaleBench {
                scales,
                threads,
                iterations,
                time_limit,
                work,
                csv,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            which:
                BenchCommand::Gap {
                    time_limit,
                    only,
                    solutions,
                    data,
                    csv,
                },
        } => {
            crate::bench::gap::run(&crate::bench::gap::GapBench {
                data,
                time_limit,
                only,
                solutions,
                csv,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            which:
                BenchCommand::Solomon {
                    time_limit,
                    iterations,
                    threads,
                    seed,
                    only,
                    solutions,
                    data,
                    csv,
                },
        } => {
            if threads == 0 {
                bail!("--threads must be at least 1");
            }
            crate::bench::solomon::run(&crate::bench::solomon::SolomonBench {
                data,
                time_limit,
                iterations,
                threads,
                seed,
                only,
                solutions,
                csv,
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn portfolios(instance: &Instance, output: &Path, time_limit: Duration) -> Result<ExitCode> {
    let started = Instant::now();
    let plan = sweep_solver::portfolios::assign(instance, time_limit, instance.policy.seed)?;
    let rows: Vec<Vec<String>> = instance
        .enterprises
        .iter()
        .zip(&plan.assignment)
        .map(|(f, (officer, km))| {
            vec![
                f.id.clone(),
                officer.clone(),
                f.officer.clone(),
                format!("{km:.2}"),
            ]
        })
        .collect();
    crate::bench::write_csv(
        output,
        &["enterprise", "officer", "previous_officer", "km"],
        &rows,
    )?;
    let moved = rows.iter().filter(|r| r[1] != r[2]).count();
    let (min, max) = plan
        .loads
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), (_, n)| (lo.min(*n), hi.max(*n)));
    let gap = if plan.total_km > 0.0 {
        (plan.total_km - plan.lower_bound) / plan.total_km * 100.0
    } else {
        0.0
    };
    println!(
        "  {:<24} {} / {}",
        "firms / officers",
        rows.len(),
        plan.loads.len()
    );
    println!(
        "  {:<24} {:.1} km (current portfolios: {:.1} km)",
        "total km base to firm", plan.total_km, plan.current_km
    );
    println!(
        "  {:<24} {:.1} km (gap {gap:.3} %)",
        "proven lower bound", plan.lower_bound
    );
    println!(
        "  {:<24} {min} – {max} (cap {})",
        "firms per officer", instance.policy.max_firms_per_officer
    );
    println!("  {:<24} {moved}", "firms changing officer");
    println!("  {:<24} {:.1}", "seconds", started.elapsed().as_secs_f64());
    println!("wrote {}", output.display());
    Ok(ExitCode::SUCCESS)
}

fn demo(dir: &Path, out: &Path, threads: usize) -> Result<ExitCode> {
    let month = month_after_history(dir)?;
    eprintln!(
        "planning {} for {month} (the month after its history)",
        dir.display()
    );
    let instance = import_registries(dir, &month)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    write_json(Some(&out.join("instance.json")), &instance)?;
    let limit = Duration::from_secs_f64(sweep_solver::DEFAULT_TIME_LIMIT_SECONDS);
    let roster = run_solve(&instance, threads, None, Some(limit), None)?;
    write_json(Some(&out.join("roster.json")), &roster)?;
    print!("{}", report::summary(&roster));
    let violations = check(&instance, &roster);
    println!("  {:<21} {}", "checker violations", violations.len());
    println!(
        "wrote {} and {}",
        out.join("instance.json").display(),
        out.join("roster.json").display()
    );
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The month after the latest inspection in the folder's history.csv.
fn month_after_history(dir: &Path) -> Result<String> {
    let path = dir.join(import::HISTORY);
    let mut reader =
        csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut latest: Option<chrono::NaiveDate> = None;
    for record in reader.records() {
        let record = record?;
        if let Some(date) = record.get(1).and_then(|d| d.parse().ok()) {
            latest = latest.max(Some(date));
        }
    }
    let Some(latest) = latest else {
        bail!(
            "{} has no dated rows to take the month from",
            path.display()
        )
    };
    let next = latest
        .checked_add_months(chrono::Months::new(1))
        .context("date out of range")?;
    Ok(next.format("%Y-%m").to_string())
}

fn solve_command(args: SolveArgs) -> Result<ExitCode> {
    let mut instance = args.source.load()?;
    if let Some(seed) = args.seed {
        instance.policy.seed = seed;
    }
    let limit = Some(Duration::from_secs_f64(args.time_limit));
    let roster = run_solve(
        &instance,
        args.threads,
        args.iterations,
        limit,
        args.search_seed,
    )?;
    write_json(args.output.as_deref(), &roster)?;
    eprint!("{}", report::summary(&roster));
    if args.report_memory {
        let peak = crate::bench::scale::peak_rss_mib()
            .map_or("unknown".to_string(), |m| format!("{m:.0}"));
        eprintln!("peak memory MiB: {peak}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Solves with a progress bar that appears once the run has taken a second.
fn run_solve(
    instance: &Instance,
    threads: usize,
    iterations: Option<usize>,
    time_limit: Option<Duration>,
    search_seed: Option<u64>,
) -> Result<Roster> {
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {pos}/{len} [{bar:30}] {msg} ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let progress = |p: Progress| {
        if bar.is_hidden() && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if p.iteration == 0 && p.considered < p.total {
            bar.set_prefix("placing firms");
            bar.set_length(p.total as u64);
            bar.set_position(p.considered as u64);
        } else if p.iterations > 0 {
            bar.set_prefix("improving");
            bar.set_length(p.iterations as u64);
            bar.set_position(p.iteration as u64);
        } else if let Some(limit) = time_limit {
            // On the clock: the bar is the time limit, in tenths of a second.
            bar.set_prefix("improving");
            bar.set_length((limit.as_secs_f64() * 10.0) as u64);
            bar.set_position((started.elapsed().as_secs_f64() * 10.0) as u64);
        }
        let gap = p.bound.map_or(String::new(), |b| {
            format!(", gap ≤ {:.2} pts", 100.0 * (b - p.coverage))
        });
        bar.set_message(format!(
            "{} of {} scheduled, coverage {:.2} %{gap}, cost {:.0} CNY",
            p.scheduled,
            p.total,
            100.0 * p.coverage,
            p.cost_cny
        ));
    };
    let options = SolveOptions {
        threads,
        time_limit,
        iterations,
        progress: Some(&progress),
        search_seed,
        stop: None,
    };
    let roster = solve(instance, &options)?;
    bar.finish_and_clear();
    Ok(roster)
}

fn problem_error(p: ImportProblem) -> anyhow::Error {
    anyhow::anyhow!("{p}")
}

/// Prints every problem; fails if any is an error.
fn report_problems(imported: Imported) -> Result<Instance> {
    for p in &imported.problems {
        eprintln!("{p}");
    }
    match imported.instance {
        Some(instance) => Ok(instance),
        None => {
            let errors = imported
                .problems
                .iter()
                .filter(|p| p.level == sweep_solver::Level::Error)
                .count();
            let noun = if errors == 1 { "error" } else { "errors" };
            bail!("{errors} {noun} in the input; nothing was written")
        }
    }
}

fn import_registries(dir: &Path, month: &str) -> Result<Instance> {
    let horizon = import::month_horizon(month).map_err(problem_error)?;
    let base = dir.file_name().and_then(|n| n.to_str()).unwrap_or("plan");
    let name = format!("{base}-{month}");
    report_problems(import::import_dir(dir, horizon, &name))
}

fn read_instance(path: &Path) -> Result<Instance> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    report_problems(import::read_instance_json(
        &text,
        &path.display().to_string(),
    ))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de)
        .map_err(|e| anyhow::anyhow!("{}: at `{}`: {}", path.display(), e.path(), e.inner()))
}

/// Writes JSON atomically (temporary file, then rename), or to stdout.
fn write_json<T: serde::Serialize>(path: Option<&Path>, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    match path {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(path) => {
            let tmp = path.with_extension("json.partial");
            std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
        }
    }
}

/// How `serve` writes its log.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Parses `--time-limit`: more than 0 seconds and at most a year (a larger value cannot
/// be a duration the solver waits for, and would not convert).
fn seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if value > 0.0 && value <= 366.0 * 86_400.0 {
        Ok(value)
    } else {
        Err(format!(
            "must be a positive number of seconds, at most a year; got {text}"
        ))
    }
}
