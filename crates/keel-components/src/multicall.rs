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

use crate::abi::{encode::encode_sized, Returns};
use crate::events::ToWord;
use alloc::vec::Vec;
use alloy_primitives::{Bytes, U256};
use stylus_sdk::{host::VM, ArbResult};

/// A batch's results, already ABI-encoded as the `bytes[]` it returns.
pub struct Results(Vec<u8>);

impl Returns<Vec<Bytes>> for Result<Results, Vec<u8>> {
    fn into_output(self) -> ArbResult {
        self.map(|results| results.0)
    }
}

/// Runs `calls` in order through `dispatch` as the current caller and
/// returns their outputs; the first failure's revert data is the error.
pub fn multicall(vm: &VM, calls: Vec<Bytes>, dispatch: fn(Vec<u8>, VM) -> ArbResult) -> Result<Results, Vec<u8>> {
    let count = calls.len();
    // Offset of the array, its length, then one offset per output (counted
    // from the first of them) before the outputs themselves.
    let mut heads = Vec::with_capacity(64 + 32 * count);
    heads.extend_from_slice(U256::from(32).to_word().as_slice());
    heads.extend_from_slice(U256::from(count).to_word().as_slice());
    let mut tails = Vec::new();
    for call in calls {
        let output = dispatch(call.into(), vm.clone())?;
        heads.extend_from_slice(U256::from(32 * count + tails.len()).to_word().as_slice());
        encode_sized(&mut tails, output.len(), &output);
    }
    heads.extend_from_slice(&tails);
    Ok(Results(heads))
}
