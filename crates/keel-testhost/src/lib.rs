//! A native multi-contract world for unit-testing Stylus contracts.
//!
//! stylus-sdk's `TestVM` never executes another contract. This crate keeps one
//! [`World`] with per-address storage, balances and logs, registers each
//! contract's router (`stylus_sdk::abi::router_entrypoint::<C, C>`) at an
//! address, and routes calls between them with the right `msg.sender` and
//! value. A frame that fails rolls back exactly its own writes, balance moves
//! and logs. Re-entering a contract that has an open frame reverts, as the
//! deployed entrypoint does (switchable, to test the contracts' own guards).
//! The `ecrecover` precompile at `0x01` is provided.

mod host;
mod world;

pub use world::{Log, Revert, Router, World};

/// Registers contract type `C` as a router, for [`World::deploy`].
#[macro_export]
macro_rules! router {
    ($contract:ty) => {
        stylus_sdk::abi::router_entrypoint::<$contract, $contract> as $crate::Router
    };
}
