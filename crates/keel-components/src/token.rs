//! ERC-20 calls that accept tokens returning `true` or nothing at all.

use crate::{call_data, calls::decode_output};
use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

sol! {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
}

/// Why a token call failed.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenCallError {
    /// The token reverted, returned `false`, or returned malformed data.
    Failed,
}

/// Whether a token's return data means success: empty, or an ABI `true`.
fn returned_success(output: &[u8]) -> bool {
    output.is_empty() || (output.len() == 32 && output[31] == 1 && output[..31].iter().all(|b| *b == 0))
}

/// Sends `amount` of `token` from the calling contract to `to`.
pub fn safe_transfer(
    host: &dyn Host,
    context: impl MutatingCallContext,
    token: Address,
    to: Address,
    amount: U256,
) -> Result<(), TokenCallError> {
    let data = call_data!(transferCall; to, amount);
    checked(call(host, context, token, &data))
}

/// Pulls `amount` of `token` from `from` (who approved the caller) to `to`.
pub fn safe_transfer_from(
    host: &dyn Host,
    context: impl MutatingCallContext,
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), TokenCallError> {
    let data = call_data!(transferFromCall; from, to, amount);
    checked(call(host, context, token, &data))
}

/// Lets `spender` take `amount` of `token` from the calling contract.
pub fn safe_approve(
    host: &dyn Host,
    context: impl MutatingCallContext,
    token: Address,
    spender: Address,
    amount: U256,
) -> Result<(), TokenCallError> {
    let data = call_data!(approveCall; spender, amount);
    checked(call(host, context, token, &data))
}

/// An EIP-2612 permit signature: deadline, `v`, `r`, `s`.
pub type PermitSignature = (U256, u8, B256, B256);

/// Submits `owner`'s EIP-2612 permit letting `spender` take `value` of
/// `token`, ignoring the outcome: a permit copied from the mempool and
/// submitted first has already granted the allowance, and a missing
/// allowance fails the transfer that must follow anyway.
pub fn try_permit(
    host: &dyn Host,
    context: impl MutatingCallContext,
    token: Address,
    owner: Address,
    spender: Address,
    value: U256,
    signature: PermitSignature,
) {
    let (deadline, v, r, s) = signature;
    let data = call_data!(permitCall; owner, spender, value, deadline, v, r, s);
    let _ = call(host, context, token, &data);
}

/// The `token` balance of `account`.
pub fn balance_of(host: &dyn Host, token: Address, account: Address) -> Result<U256, TokenCallError> {
    let output = static_call(host, Call::new(), token, &call_data!(balanceOfCall; account)).map_err(|_| TokenCallError::Failed)?;
    decode_output(&output).map_err(|_| TokenCallError::Failed)
}

fn checked(result: Result<Vec<u8>, errors::Error>) -> Result<(), TokenCallError> {
    match result {
        Ok(output) if returned_success(&output) => Ok(()),
        _ => Err(TokenCallError::Failed),
    }
}

#[cfg(test)]
mod tests {
    use super::returned_success;

    #[test]
    fn success_is_empty_or_true() {
        assert!(returned_success(&[]));
        let mut word = [0u8; 32];
        assert!(!returned_success(&word));
        word[31] = 1;
        assert!(returned_success(&word));
        word[0] = 1;
        assert!(!returned_success(&word));
        assert!(!returned_success(&[1]));
    }
}
