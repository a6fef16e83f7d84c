//! Stylus building blocks shared by Keel's contracts.
//!
//! * [`abi`]: compact call routing, argument decoding and the Solidity interface.
//! * [`access`]: two-step ownership, the pause bitmap and the reentrancy guard.
//! * [`allowances`]: ERC-20 allowances and EIP-2612 permits.
//! * [`appointees`]: addresses an operator or AVS lets call chosen functions on its behalf.
//! * [`calls`]: the revert data of a failed call.
//! * [`checkpoints`]: timestamped value histories with O(log n) lookup.
//! * [`events`]: compact emission of events with static fields.
//! * [`multicall`]: a batch of calls to one contract, as its caller, all or nothing.
//! * [`revert`]: custom-error revert data without per-error code.
//! * [`signature`]: EIP-712 signature checks: ECDSA for accounts, EIP-1271 for contracts.
//! * [`short_string`]: names and symbols in one storage slot.
//! * [`token`]: ERC-20 calls that tolerate tokens returning no value.

extern crate alloc;

pub mod abi;
pub mod access;
pub mod allowances;
pub mod appointees;
pub mod calls;
pub mod checkpoints;
pub mod events;
pub mod multicall;
pub mod revert;
pub mod short_string;
pub mod signature;
pub mod token;

pub use access::Access;

/// Where burned slashed shares go: the AVS registry sends there what a
/// condition without a redistribution recipient slashes, and the
/// StrategyManager opens its record of them with every strategy.
pub const BURN_ADDRESS: alloy_primitives::Address =
    alloy_primitives::Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad]);
pub use revert::Revert;
