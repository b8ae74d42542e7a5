//! The `hazard-sweep` front end: registry import, fixture generation and the command line.
//! The optimisation itself lives in the `sweep-solver` crate.

pub mod bench;
pub mod cases;
pub mod cli;
pub mod generate;
/// The registries' reader lives in its own crate, shared with the service.
pub use sweep_registry as import;
pub mod report;
