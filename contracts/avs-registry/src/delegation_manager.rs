//! Calls from the AVS registry to the DelegationManager, one typed function
//! per DelegationManager function. The DelegationManager never calls the
//! registry, so no contract is re-entered.

use alloy_primitives::{Address, U256};
use keel_components::{
    call_data,
    calls::{call_returning, view_or_revert},
    Revert,
};
use stylus_sdk::prelude::*;

/// The DelegationManager's published interface (`make abi`): one declaration for every caller.
mod published {
    alloy_sol_types::sol!("../../abi/DelegationManager.sol");
}
use published::IDelegationManager::{
    delegatedToCall, operatorDetailsCall, operatorStakeCall, slashOperatorSharesCall, withdrawableSharesCall,
};

/// Whether `operator` is a registered operator of the DelegationManager at `at`.
pub fn is_operator(host: &dyn Host, at: Address, operator: Address) -> Result<bool, Revert> {
    view_or_revert(host, at, &call_data!(operatorDetailsCall; operator))
}

/// `operator`'s delegated shares of `token` after slashing (the first output word).
pub fn operator_stake(host: &dyn Host, at: Address, operator: Address, token: Address) -> Result<U256, Revert> {
    view_or_revert(host, at, &call_data!(operatorStakeCall; operator, token))
}

/// The operator `staker` is delegated to, or zero.
pub fn delegated_to(host: &dyn Host, at: Address, staker: Address) -> Result<Address, Revert> {
    view_or_revert(host, at, &call_data!(delegatedToCall; staker))
}

/// Shares of `token` `staker` could withdraw now, after slashing (the first output word).
pub fn withdrawable_shares(host: &dyn Host, at: Address, staker: Address, token: Address) -> Result<U256, Revert> {
    view_or_revert(host, at, &call_data!(withdrawableSharesCall; staker, token))
}

/// Slashes `operator`'s `token` magnitude from `prev` to `new`, recording the
/// slashed shares for `to` = (recipient, slashing AVS); returns the shares slashed.
pub fn slash_operator_shares(
    host: &dyn Host,
    context: impl MutatingCallContext,
    at: Address,
    operator: Address,
    token: Address,
    magnitudes: (u64, u64),
    to: (Address, Address),
) -> Result<U256, Revert> {
    let (prev, new) = (U256::from(magnitudes.0), U256::from(magnitudes.1));
    let (recipient, avs) = to;
    let data = call_data!(slashOperatorSharesCall; operator, token, prev, new, recipient, avs);
    call_returning(host, context, at, &data)
}
