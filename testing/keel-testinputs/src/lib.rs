//! Generated inputs shared by tests in several crates (dev-only).
//!
//! * [`wasm`]: incompressible bytes and the large programs built from them,
//!   for the fragmented-deployment tests of keel-wasm, the devnet and the
//!   end-to-end suite.
//! * [`calldata`] (feature `calldata`): a deterministic generator of
//!   well-formed ABI calldata and of the ways to break it, for the ABI
//!   decoder's differential fuzz and the devnet ABI fuzz.
//!
//! This crate depends on no other Keel crate, so any crate may take it as a
//! dev-dependency without a cycle.

#[cfg(feature = "calldata")]
pub mod calldata;
pub mod wasm;
