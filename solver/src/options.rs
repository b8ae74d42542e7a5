//! What a solve is given and reports while it runs: its options, its progress, when it
//! must stop and why it could not run. Below every solver module (the one-city solve, the
//! cities, the search), so they share these without importing each other.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::travel::TravelError;

/// The time limit of the command line and the service when none is given, seconds: the
/// search uses it unless it is done sooner.
pub const DEFAULT_TIME_LIMIT_SECONDS: f64 = 10.0;

/// How to run a solve.
pub struct SolveOptions<'a> {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Stop after this long: the improvement search returns its best so far, and firms the
    /// construction never reached are reported `time_limit`. The search uses all of it
    /// unless it is done earlier (coverage at the proven bound and the cost no longer
    /// improving) or `iterations` caps it.
    pub time_limit: Option<Duration>,
    /// Improvement iterations per worker at most (`Some(0)`: construction only; `None`: no
    /// cap, the search runs until the time limit or until it is done).
    pub iterations: Option<usize>,
    /// Called after each firm is considered.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// Seed of the improvement search alone; `None`: the policy's seed, which also drives
    /// the random draw. Another search seed re-plans the same due list.
    pub search_seed: Option<u64>,
    /// Set by another thread to stop the solve soon, as if the time limit had run out (a
    /// service shutting down does not wait out a long search).
    pub stop: Option<&'a AtomicBool>,
}

impl Default for SolveOptions<'_> {
    fn default() -> Self {
        SolveOptions {
            threads: 1,
            time_limit: None,
            iterations: Some(0),
            progress: None,
            search_seed: None,
            stop: None,
        }
    }
}

/// Progress of a running solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Due firms considered so far by the construction.
    pub considered: usize,
    /// Due firms in all.
    pub total: usize,
    /// Firms placed so far (by the best roster, during the improvement).
    pub scheduled: usize,
    /// Improvement iterations done by each worker (0 during the construction).
    pub iteration: usize,
    /// The iteration cap per worker (0: none, the search runs on the clock).
    pub iterations: usize,
    /// Weighted coverage of the best roster so far (0–1).
    pub coverage: f64,
    /// The proven bound on weighted coverage, when already known.
    pub bound: Option<f64>,
    /// Cost (day rates and km, CNY) of the best roster so far.
    pub cost_cny: f64,
}

/// When a search must stop: at the time limit's deadline, or once `stop` is set.
#[derive(Clone, Copy)]
pub(crate) struct Until<'a> {
    pub deadline: Option<Instant>,
    pub stop: Option<&'a AtomicBool>,
}

impl Until<'_> {
    pub fn reached(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
            || self
                .stop
                .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// Why a solve could not run at all (bad input is the validator's business).
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The road network cannot be used.
    #[error("travel: {0}")]
    Travel(#[from] TravelError),
    /// The worker pool could not start.
    #[error("could not start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The system's reason.
        message: String,
    },
}
