//! Calls from the AVS registry to the DelegationManager, one typed function
//! per DelegationManager function. The DelegationManager never calls the
//! registry, so no contract is re-entered.

use crate::errors::DelegationManagerCallFailed;
use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use keel_components::{
    abi::AbiArg,
    call_data,
    calls::{decode_output, revert_data},
    revert, Revert,
};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

sol! {
    function operatorDetails(address account) external view returns (bool registered, address approver);
    function slashOperatorShares(address operator, address token, uint256 prevMagnitude, uint256 newMagnitude, address recipient) external returns (uint256);
}

fn failed(reason: Vec<u8>) -> Revert {
    revert!(DelegationManagerCallFailed { reason: reason.into() })
}

fn output<T: AbiArg>(output: &[u8]) -> Result<T, Revert> {
    decode_output(output).map_err(|_| failed(Vec::new()))
}

/// Whether `operator` is a registered operator of the DelegationManager at `at`.
pub fn is_operator(host: &dyn Host, at: Address, operator: Address) -> Result<bool, Revert> {
    let data = call_data!(operatorDetailsCall; operator);
    output(&static_call(host, Call::new(), at, &data).map_err(|e| failed(revert_data(e)))?)
}

/// Slashes `operator`'s `token` magnitude from `prev` to `new`, recording the
/// slashed shares for `recipient`; returns the shares slashed.
pub fn slash_operator_shares(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    operator: Address,
    token: Address,
    magnitudes: (u64, u64),
    recipient: Address,
) -> Result<U256, Revert> {
    let (prev, new) = (U256::from(magnitudes.0), U256::from(magnitudes.1));
    let data = call_data!(slashOperatorSharesCall; operator, token, prev, new, recipient);
    output(&call(host, context, at, &data).map_err(|e| failed(revert_data(e)))?)
}
