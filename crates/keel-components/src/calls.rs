//! Helpers for calls to other contracts.

use alloc::vec::Vec;
use stylus_sdk::stylus_core::calls::errors::Error as CallError;

/// The callee's revert data (empty when the call failed for another reason),
/// so a contract can wrap it in its own custom error and a client can decode
/// the callee's error from it.
pub fn revert_data(error: CallError) -> Vec<u8> {
    match error {
        CallError::Revert(data) => data,
        _ => Vec::new(),
    }
}
