//! Calls from the DelegationManager to the StrategyManager, one typed
//! function per StrategyManager function.
//!
//! None of these make the StrategyManager call back into the
//! DelegationManager, so no contract is re-entered.

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use keel_components::{
    abi::Decoder,
    call_data,
    calls::{call_failed, call_or_revert, call_returning, view_or_revert},
    Revert,
};
use stylus_sdk::prelude::*;

// The StrategyManager's published interface (`make abi`): one declaration for every caller.
sol!("../../abi/StrategyManager.sol");
use IStrategyManager::{
    addSharesCall, addSlashedSharesCall, getStakerStrategyListCall, removeDepositSharesCall, stakerDelegatedCall, stakerDepositSharesCall,
    withdrawSharesAsTokensCall,
};

fn send(host: &dyn Host, context: impl MutatingCallContext, at: Address, data: &[u8]) -> Result<(), Revert> {
    call_or_revert(host, context, at, data).map(|_| ())
}

/// `staker`'s deposit shares of `token`.
pub fn deposit_shares(host: &dyn Host, at: Address, staker: Address, token: Address) -> Result<U256, Revert> {
    view_or_revert(host, at, &call_data!(stakerDepositSharesCall; staker, token))
}

/// The tokens in which `staker` holds deposit shares.
pub fn strategy_list(host: &dyn Host, at: Address, staker: Address) -> Result<Vec<Address>, Revert> {
    view_or_revert(host, at, &call_data!(getStakerStrategyListCall; staker))
}

/// Tells the StrategyManager that `staker` delegated (its deposits are
/// reported from now on); returns the tokens in which it holds deposit
/// shares, each with its shares.
pub fn staker_delegated(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    staker: Address,
) -> Result<Vec<(Address, U256)>, Revert> {
    let output = call_or_revert(host, context, at, &call_data!(stakerDelegatedCall; staker))?;
    let mut decoder = Decoder::new(&output);
    let (tokens, shares): (Vec<Address>, Vec<U256>) = match (decoder.arg(), decoder.arg()) {
        (Ok(tokens), Ok(shares)) => (tokens, shares),
        _ => return Err(call_failed(at, Vec::new())),
    };
    if tokens.len() != shares.len() {
        return Err(call_failed(at, Vec::new()));
    }
    Ok(tokens.into_iter().zip(shares).collect())
}

/// Credits `staker` with `shares` deposit shares; returns its previous deposit shares.
pub fn add_shares(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    staker: Address,
    token: Address,
    shares: U256,
) -> Result<U256, Revert> {
    call_returning(host, context, at, &call_data!(addSharesCall; staker, token, shares))
}

/// Removes `shares` deposit shares from `staker`.
pub fn remove_deposit_shares(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    staker: Address,
    token: Address,
    shares: U256,
) -> Result<(), Revert> {
    send(host, context, at, &call_data!(removeDepositSharesCall; staker, token, shares))
}

/// Pays `shares` of `token` out to `recipient` as tokens.
pub fn withdraw_as_tokens(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    recipient: Address,
    token: Address,
    shares: U256,
) -> Result<(), Revert> {
    send(host, context, at, &call_data!(withdrawSharesAsTokensCall; recipient, token, shares))
}

/// Records `shares` of `token` slashed for `recipient` by `avs` (`to` is
/// `(recipient, avs)`).
pub fn add_slashed_shares(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    token: Address,
    to: (Address, Address),
    shares: U256,
) -> Result<(), Revert> {
    let (recipient, avs) = to;
    send(host, context, at, &call_data!(addSlashedSharesCall; token, recipient, avs, shares))
}
