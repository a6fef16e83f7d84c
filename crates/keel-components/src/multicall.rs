//! `multicall(bytes[] calls) returns (bytes[] results)`: a wallet's batch of
//! calls to one contract in one transaction.
//!
//! Each call is routed through the contract's own `dispatch` in the same
//! frame, so `msg.sender` is the batch's sender and nothing is re-entered:
//! the calls run one after another, each entering and leaving the
//! reentrancy guard as it would alone, so the batch neither locks itself out
//! nor lets a guarded function run inside another. The first call that
//! reverts reverts the batch with its own revert data (all or nothing).
//! The batch accepts no ETH: `dispatch` refuses any call with value, and
//! every call of the batch sees the batch's `msg.value` of zero.

use alloc::vec::Vec;
use alloy_primitives::Bytes;
use stylus_sdk::{host::VM, ArbResult};

/// Runs `calls` in order through `dispatch` as the current caller and
/// returns their outputs; the first failure's revert data is the error.
pub fn multicall(vm: &VM, calls: Vec<Bytes>, dispatch: fn(Vec<u8>, VM) -> ArbResult) -> Result<Vec<Bytes>, Vec<u8>> {
    let mut results = Vec::with_capacity(calls.len());
    for call in calls {
        results.push(Bytes::from(dispatch(call.into(), vm.clone())?));
    }
    Ok(results)
}
