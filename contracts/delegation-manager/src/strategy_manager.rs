//! Calls from the DelegationManager to the StrategyManager.
//!
//! None of these make the StrategyManager call back into the
//! DelegationManager, so no contract is re-entered.

use crate::errors::{Error, StrategyManagerCallFailed};
use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use keel_components::calls::revert_data;
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    stylus_core::calls::errors::Error as CallError,
};

sol! {
    function stakerDepositShares(address staker, address token) external view returns (uint256);
    function getStakerStrategyList(address staker) external view returns (address[]);
    function addShares(address staker, address token, uint256 shares) external returns (uint256);
    function removeDepositShares(address staker, address token, uint256 shares) external returns (bool);
    function withdrawSharesAsTokens(address recipient, address token, uint256 shares) external returns (uint256);
    function addSlashedShares(address token, address recipient, uint256 shares) external;
}

fn failed(error: CallError) -> Error {
    Error::StrategyManagerCallFailed(StrategyManagerCallFailed { reason: revert_data(error).into() })
}

fn decode<C: SolCall>(output: &[u8]) -> Result<C::Return, Error> {
    C::abi_decode_returns(output).map_err(|_| failed(CallError::Revert(Vec::new())))
}

/// Read-only view of the StrategyManager at `at`.
pub fn view<C: SolCall>(host: &dyn Host, at: Address, request: &C) -> Result<C::Return, Error> {
    let output = static_call(host, Call::new(), at, &request.abi_encode()).map_err(failed)?;
    decode::<C>(&output)
}

/// State-changing call to the StrategyManager at `at`.
pub fn send<C: SolCall>(host: &dyn Host, context: impl MutatingCallContext, at: Address, request: &C) -> Result<C::Return, Error> {
    let output = call(host, context, at, &request.abi_encode()).map_err(failed)?;
    decode::<C>(&output)
}

/// `staker`'s deposit shares of `token`.
pub fn deposit_shares(host: &dyn Host, at: Address, staker: Address, token: Address) -> Result<U256, Error> {
    view(host, at, &stakerDepositSharesCall { staker, token })
}
