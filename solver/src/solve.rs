//! The entry point of a solve: the dispatch between one city ([`crate::construct`]) and a
//! province or nation solved city by city ([`crate::cities`]), both below it.

use std::time::Instant;

use crate::context::Context;
use crate::model::{Instance, Roster};
use crate::options::{SolveError, SolveOptions};

/// Solves the instance: due list, crews, routes and times, unscheduled firms explained.
///
/// ```
/// use sweep_solver::{solve, SolveOptions, check, model::Instance};
/// let instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
/// let roster = solve(&instance, &SolveOptions::default()).unwrap();
/// assert!(check(&instance, &roster).is_empty());
/// assert_eq!(roster.kpis.scheduled, 2);
/// ```
pub fn solve(instance: &Instance, options: &SolveOptions<'_>) -> Result<Roster, SolveError> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SolveError::Threads {
            threads,
            message: e.to_string(),
        })?;
    pool.install(|| {
        let cities = crate::cities::cities(instance);
        if cities.len() > 1 {
            return crate::cities::solve(instance, options, &cities, threads, started);
        }
        let ctx = Context::new(instance)?;
        Ok(crate::construct::solve_context(
            &ctx, options, threads, started, true,
        ))
    })
}
