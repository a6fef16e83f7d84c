//! Keel's pure protocol math, shared by every contract and testable without a VM.
//!
//! * [`allocation`]: unique-stake allocations of operator magnitude to operator sets.
//! * [`muldiv`]: full-precision `a * b / c` with an explicit rounding direction.
//! * [`shares`]: strategy share accounting with virtual offsets against inflation attacks.
//! * [`slashing`]: magnitudes and deposit scaling factors (slashing in O(1)).
//! * [`checkpoints`]: packing and lookup of timestamped values.
//! * [`rewards`]: reward streams, commission splits and reward-per-share accumulators.
//! * [`eip712`]: typed-data digests and signature checks for signed protocol actions.
//! * [`vault`]: liquid restaking vault conversions, reward vesting, fees and fair exits.
//!
//! Rounding rule for the whole protocol: whatever a user receives rounds down,
//! whatever a user owes (or loses to a slash) rounds up.
#![cfg_attr(not(test), no_std)]

pub mod allocation;
pub mod checkpoints;
pub mod eip712;
pub mod muldiv;
pub mod rewards;
pub mod shares;
pub mod slashing;
pub mod vault;

pub use muldiv::{mul_div, Rounding};
