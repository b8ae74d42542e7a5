//! `sweep-solver`: the optimisation core of hazard-sweep.
//!
//! From a plan [`model::Instance`] (registries, calendar, policy, travel) it derives what
//! is due ([`due`]), what each visit needs ([`requirements`]) and how long trips take
//! ([`travel`]); [`solve`] builds a [`model::Roster`]; [`check`] re-checks any roster
//! against the raw instance; [`validate()`] reports problems in an instance's data.
//!
//! **Invariant:** this crate does no I/O: no files, no network, no clock other than the
//! solver's own time limit, no global state. Same instance, seed and thread count give
//! the same roster.
//!
//! ```
//! use sweep_solver::{check, solve, validate, SolveOptions, model::Instance};
//! let instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
//! assert!(validate(&instance).is_empty());
//! let roster = solve(&instance, &SolveOptions { threads: 2, ..Default::default() }).unwrap();
//! assert!(check(&instance, &roster).is_empty());
//! ```

pub mod bound;
pub mod calendar;
pub mod checker;
pub mod cities;
pub mod construct;
pub mod context;
pub mod due;
pub mod examples;
pub mod gap;
pub mod limits;
pub mod model;
pub mod objective;
pub mod options;
pub mod portfolios;
pub mod requirements;
pub mod route;
pub mod rules;
pub mod solve;
pub mod travel;
pub mod validate;
pub mod vrptw;

pub use checker::{Violation, check};
pub use options::{DEFAULT_TIME_LIMIT_SECONDS, Progress, SolveError, SolveOptions};
pub use solve::solve;
pub use validate::{Level, Problem, has_errors, validate};
