//! Stylus gas as nitro charges it: the instruction meter added to every
//! program at activation, the entry costs of a frame, the memory model,
//! and the state they keep within a transaction and a block.

pub mod activation;
pub mod costs;
mod entry;
pub mod hostio;
pub mod instrument;
pub mod memory;
mod operators;
pub mod pricing;
pub mod probes;
#[cfg(test)]
mod tests;

pub use costs::{EntryCosts, ModuleShape};
pub(crate) use entry::run_stylus;
pub use entry::TxMeter;
