//! Stylus building blocks shared by Keel's contracts.
//!
//! * [`access`]: two-step ownership, the pause bitmap and the reentrancy guard.
//! * [`calls`]: the revert data of a failed call.
//! * [`checkpoints`]: timestamped value histories with O(log n) lookup.
//! * [`events`]: compact emission of events with static fields.
//! * [`signature`]: EIP-712 signature checks through the `ecrecover` precompile.
//! * [`short_string`]: names and symbols in one storage slot.
//! * [`token`]: ERC-20 calls that tolerate tokens returning no value.

extern crate alloc;

pub mod access;
pub mod calls;
pub mod checkpoints;
pub mod events;
pub mod short_string;
pub mod signature;
pub mod token;

pub use access::{Access, AccessError, AccessControl};
