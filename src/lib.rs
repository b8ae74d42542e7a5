//! The `hazard-sweep` front end: registry import, fixture generation and the command line.
//! The optimisation itself lives in the `sweep-solver` crate.

pub mod bench;
pub mod cases;
pub mod cli;
pub mod generate;
pub mod import;
pub mod report;
