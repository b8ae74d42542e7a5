//! The data contract (CONTRACT.md): the plan instance in, the roster out.
//!
//! Field names and meanings are fixed by the contract so outside tools can read them;
//! `hazard-sweep schema instance|roster` prints JSON Schemas generated from these types.

mod instance;
mod roster;
mod values;

pub use instance::*;
pub use roster::*;
pub use values::*;
