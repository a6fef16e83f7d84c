//! Helpers for calls to other contracts.
//!
//! Outbound calls take static arguments only, so their calldata is the
//! selector and one word per argument, written by one shared function
//! ([`call_data!`](crate::call_data)) rather than alloy's encoder
//! instantiated per call type; return values go through the same validating
//! decoder as incoming calldata.

use crate::abi::{AbiArg, Decoder, Reject};
use alloc::vec::Vec;
use alloy_primitives::B256;
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
    use alloy_sol_types::{sol, SolCall};

    sol! {
        function move(address to, uint256 amount, bool all) external;
    }

    #[test]
    fn static_calldata_matches_alloy() {
        let (to, amount) = (Address::repeat_byte(7), U256::from(12345));
        let expected = moveCall { to, amount, all: true }.abi_encode();
        assert_eq!(call_data!(moveCall; to, amount, true), expected);
    }
}
