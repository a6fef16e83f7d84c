//! `multicall(bytes[] data) returns (bytes[] results)`: a wallet's batch of
//! calls to one contract in one transaction, added to a contract by
//! `batch: multicall` in its [`contract_abi!`](crate::contract_abi).
//!
//! Each call is routed through the contract's own `dispatch` in the same
//! frame, so `msg.sender` is the batch's sender and nothing is re-entered:
//! the calls run one after another, each entering and leaving the
//! reentrancy guard as it would alone, so the batch neither locks itself out
//! nor lets a guarded function run inside another. The first call that
//! reverts reverts the batch with its own revert data (all or nothing).
//! The batch accepts no ETH: `dispatch` refuses any call with value, and
//! every call of the batch sees the batch's `msg.value` of zero.

use crate::abi::{encode::encode_sized, Decoder};
use crate::events::ToWord;
use alloc::vec::Vec;
use alloy_primitives::U256;
use stylus_sdk::{host::VM, ArbResult};

/// Runs the calls of the ABI-encoded `bytes[]` in `args` in order through
/// `dispatch` as the current caller; returns their outputs as `bytes[]`.
/// Malformed `args` revert with no data; a failing call reverts with its own.
pub fn multicall(args: &[u8], vm: &VM, dispatch: fn(Vec<u8>, VM) -> ArbResult) -> ArbResult {
    let calls = Decoder::new(args).byte_strings()?;
    let count = calls.len();
    // Offset of the array, its length, then one offset per output (counted
    // from the first of them) before the outputs themselves.
    let mut heads = Vec::with_capacity(64 + 32 * count);
    heads.extend_from_slice(U256::from(32).to_word().as_slice());
    heads.extend_from_slice(U256::from(count).to_word().as_slice());
    let mut tails = Vec::new();
    for call in calls {
        let output = dispatch(call.to_vec(), vm.clone())?;
        heads.extend_from_slice(U256::from(32 * count + tails.len()).to_word().as_slice());
        encode_sized(&mut tails, output.len(), &output);
    }
    heads.extend_from_slice(&tails);
    Ok(heads)
}
