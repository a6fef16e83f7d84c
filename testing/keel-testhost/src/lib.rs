//! A native multi-contract world for unit-testing Stylus contracts.
//!
//! stylus-sdk's `TestVM` never executes another contract. This crate keeps one
//! [`World`] with per-address storage, balances and logs, registers each
//! contract's router (its `dispatch` function, or [`router!`] for a type
//! routed by stylus-sdk's `#[public]`) at an address, and routes calls between them with the right `msg.sender` and
//! value, and `delegatecall` with the caller's storage, address, sender and
//! value (not counted as a re-entry, as on nitro). A frame that fails rolls back exactly its own writes, balance moves
//! and logs. Re-entering a contract that has an open frame reverts, as the
//! deployed entrypoint does (switchable, to test the contracts' own guards).
//! The `ecrecover` precompile at `0x01` is provided, and [`ContractSigner`]
//! is an EIP-1271 wallet to deploy as a contract signer.

extern crate alloc;

mod host;
mod signer;
mod world;

pub use signer::{deploy_contract_signer, ContractSigner, IContractSigner, Mode};
pub use world::{Log, Revert, Router, World};

use alloy_sol_types::{abi::TokenSeq, SolType};

/// Calldata that runs a Stylus constructor: the `stylus_constructor()`
/// selector `0x5585258d`, then the arguments encoded as the tuple type `T`.
pub fn constructor_calldata<T>(args: &T::RustType) -> Vec<u8>
where
    T: SolType,
    for<'a> T::Token<'a>: TokenSeq<'a>,
{
    let mut data = vec![0x55, 0x85, 0x25, 0x8d];
    data.extend(T::abi_encode_params(args));
    data
}

/// The router of a contract type routed by stylus-sdk's `#[public]`, for [`World::deploy`].
#[macro_export]
macro_rules! router {
    ($contract:ty) => {
        stylus_sdk::abi::router_entrypoint::<$contract, $contract> as $crate::Router
    };
}
