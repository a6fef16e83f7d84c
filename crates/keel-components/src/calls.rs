//! Helpers for calls to other contracts.
//!
//! Outbound calls take static arguments only, so their calldata is the
//! selector and one word per argument, written by one shared function
//! ([`call_data!`](crate::call_data)) rather than alloy's encoder
//! instantiated per call type; return values go through the same validating
//! decoder as incoming calldata.

use crate::{
    abi::{AbiArg, Decoder, Encode, Reject},
    revert::Revert,
};
use alloc::vec::Vec;
use alloy_primitives::{Address, Bytes, B256};
use alloy_sol_types::SolError;
use stylus_sdk::{
    call::{call, delegate_call, static_call},
    prelude::*,
    stylus_core::calls::errors::Error as CallError,
};

crate::abi_items! {
    /// Errors and events of the cross-contract calls.
    CallsAbi {
        /// A call to `callee` failed; its revert data is attached (empty if it
        /// failed otherwise or returned malformed data).
        error CallFailed(address callee, bytes reason);
    }
}

/// `CallFailed(callee, reason)`.
pub fn call_failed(callee: Address, reason: Vec<u8>) -> Revert {
    let mut data = Vec::from(CallFailed::SELECTOR);
    callee.encode(&mut data);
    // The `bytes` field's head is its offset: two words in, after `callee`.
    let mut tail = Vec::new();
    Bytes::from(reason).encode(&mut tail);
    data.extend_from_slice(&alloy_primitives::U256::from(64).to_be_bytes::<32>());
    data.extend_from_slice(&tail[32..]);
    Revert(data)
}

/// Calls `callee` (state-changing); a failure reverts with [`CallFailed`].
pub fn call_or_revert(host: &dyn Host, context: impl MutatingCallContext, callee: Address, data: &[u8]) -> Result<Vec<u8>, Revert> {
    call(host, context, callee, data).map_err(|e| call_failed(callee, revert_data(e)))
}

/// Calls `callee` (state-changing) and decodes its first return value; a
/// failure or malformed output reverts with [`CallFailed`].
pub fn call_returning<T: AbiArg>(host: &dyn Host, context: impl MutatingCallContext, callee: Address, data: &[u8]) -> Result<T, Revert> {
    let output = call_or_revert(host, context, callee, data)?;
    decoded(callee, &output)
}

/// Runs `code`'s program on this contract's storage, address, caller and
/// value (`delegatecall`); the callee's revert data passes through unchanged,
/// so its custom errors reach the client as if this contract raised them.
///
/// `code` must be trusted as this contract's own code: it can change any of
/// its storage.
pub fn delegate_or_revert(host: &dyn Host, context: impl MutatingCallContext, code: Address, data: &[u8]) -> Result<Vec<u8>, Revert> {
    // SAFETY: no storage reference is held across the call (the cache is
    // flushed and cleared first); callers pass only their own extension.
    unsafe { delegate_call(host, context, code, data) }.map_err(|e| Revert(revert_data(e)))
}

/// Calls `callee` read-only and decodes its first return value; a failure
/// or malformed output reverts with [`CallFailed`].
pub fn view_or_revert<T: AbiArg>(host: &dyn Host, callee: Address, data: &[u8]) -> Result<T, Revert> {
    let output = static_call(host, Call::new(), callee, data).map_err(|e| call_failed(callee, revert_data(e)))?;
    decoded(callee, &output)
}

/// `callee`'s output decoded, or `CallFailed(callee, "")` if it is malformed.
fn decoded<T: AbiArg>(callee: Address, output: &[u8]) -> Result<T, Revert> {
    decode_output(output).map_err(|_| call_failed(callee, Vec::new()))
}

/// The callee's revert data (empty when the call failed for another reason),
/// so a contract can wrap it in its own custom error and a client can decode
/// the callee's error from it.
pub fn revert_data(error: CallError) -> Vec<u8> {
    match error {
        CallError::Revert(data) => data,
        _ => Vec::new(),
    }
}

/// `selector ‖ args`: calldata of a function whose arguments are all static.
pub fn encode_call(selector: [u8; 4], args: &[B256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(4 + 32 * args.len());
    data.extend_from_slice(&selector);
    for arg in args {
        data.extend_from_slice(arg.as_slice());
    }
    data
}

/// The first return value of a call's output.
pub fn decode_output<T: AbiArg>(output: &[u8]) -> Result<T, Reject> {
    Decoder::new(output).arg()
}

/// `call_data!(fooCall; a, b)`: calldata of `fooCall` (a `sol!` function) with
/// arguments `a`, `b` in declaration order, each a static ABI value.
#[macro_export]
macro_rules! call_data {
    ($call:ty; $($arg:expr),* $(,)?) => {
        $crate::calls::encode_call(
            <$call as alloy_sol_types::SolCall>::SELECTOR,
            &[$($crate::events::ToWord::to_word($arg)),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::{sol, SolCall, SolError};

    sol! {
        function move(address to, uint256 amount, bool all) external;
    }

    #[test]
    fn call_failed_matches_alloy() {
        for reason in [vec![], vec![1, 2, 3], vec![9; 70]] {
            let callee = Address::repeat_byte(5);
            let expected = super::CallFailed { callee, reason: reason.clone().into() }.abi_encode();
            assert_eq!(super::call_failed(callee, reason).0, expected);
        }
    }

    #[test]
    fn static_calldata_matches_alloy() {
        let (to, amount) = (Address::repeat_byte(7), U256::from(12345));
        let expected = moveCall { to, amount, all: true }.abi_encode();
        assert_eq!(call_data!(moveCall; to, amount, true), expected);
    }
}
