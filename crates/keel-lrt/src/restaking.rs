//! Calls from the vault to the StrategyManager, the DelegationManager and
//! the asset, one typed function each.
//!
//! Call graph: vault → StrategyManager → DelegationManager (deposits),
//! vault → DelegationManager → StrategyManager → asset (queue, complete).
//! Neither calls the vault, so no contract is re-entered.

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use keel_components::{
    abi::{AbiArg, Decoder},
    call_data,
    calls::{call_failed, call_or_revert, revert_data},
    Revert,
};
use stylus_sdk::{call::static_call, prelude::*};

sol! {
    function approve(address spender, uint256 amount) external returns (bool);
    function depositIntoStrategy(address token, uint256 amount) external returns (uint256);
    function sharesToUnderlying(address token, uint256 shares) external view returns (uint256);
    function stakerDepositShares(address staker, address token) external view returns (uint256);
    function delegateTo(address operator, uint256 approverExpiry, bytes approverSignature, bytes32 approverSalt) external;
    function undelegate(address staker) external returns (bytes32);
    function queueWithdrawal(address[] tokens, uint256[] depositShares) external returns (bytes32);
    function completeQueuedWithdrawal(bytes32 root, bool receiveAsTokens) external;
    function withdrawableShares(address staker, address token) external view returns (uint256, uint256);
    function stakePosition(address staker, address token) external view returns (address, uint256);
    function queuedWithdrawalEntry(bytes32 root, uint256 index) external view returns (address, uint256, uint256);
    function config() external view returns (address, address, address, uint256);
    function delegatedTo(address staker) external view returns (address);
    function withdrawalNonce(address staker) external view returns (uint256);
    function queuedWithdrawal(bytes32 root) external view returns (address, address, uint256, bool, uint256);
    function slashRequest(uint64 id) external view returns (address, uint64, uint8, uint64, bytes32, uint64);
}

/// The return value of `at` after skipping `skip` leading words; a failure
/// or malformed output reverts with `CallFailed`.
fn nth<T: AbiArg>(at: Address, output: &[u8], skip: usize) -> Result<T, Revert> {
    Decoder::new(output.get(32 * skip..).unwrap_or_default()).arg().map_err(|_| call_failed(at, Vec::new()))
}

fn view<T: AbiArg>(host: &dyn Host, at: Address, data: &[u8], skip: usize) -> Result<T, Revert> {
    nth(at, &view_output(host, at, data)?, skip)
}

/// The output of a static call; a failure reverts with `CallFailed`.
fn view_output(host: &dyn Host, at: Address, data: &[u8]) -> Result<Vec<u8>, Revert> {
    static_call(host, Call::new(), at, data).map_err(|e| call_failed(at, revert_data(e)))
}

fn send(host: &dyn Host, context: impl MutatingCallContext, at: Address, data: &[u8]) -> Result<Vec<u8>, Revert> {
    call_or_revert(host, context, at, data)
}

/// Lets `spender` move all of the vault's `token`.
pub fn approve_max(host: &dyn Host, context: impl MutatingCallContext, token: Address, spender: Address) -> Result<(), Revert> {
    send(host, context, token, &call_data!(approveCall; spender, U256::MAX)).map(|_| ())
}

/// Deposits `amount` of `token` into its strategy; returns the shares.
pub fn deposit(host: &dyn Host, context: impl MutatingCallContext, sm: Address, token: Address, amount: U256) -> Result<U256, Revert> {
    nth(sm, &send(host, context, sm, &call_data!(depositIntoStrategyCall; token, amount))?, 0)
}

/// Tokens that `shares` strategy shares are worth.
pub fn to_underlying(host: &dyn Host, sm: Address, token: Address, shares: U256) -> Result<U256, Revert> {
    if shares.is_zero() {
        return Ok(U256::ZERO);
    }
    view(host, sm, &call_data!(sharesToUnderlyingCall; token, shares), 0)
}

/// `staker`'s deposit shares of `token` (before slashing).
pub fn deposit_shares(host: &dyn Host, sm: Address, staker: Address, token: Address) -> Result<U256, Revert> {
    view(host, sm, &call_data!(stakerDepositSharesCall; staker, token), 0)
}

/// The operator `staker` is delegated to (zero: none) and its withdrawable
/// strategy shares of `token`, in one call.
pub fn stake_position(host: &dyn Host, dm: Address, staker: Address, token: Address) -> Result<(Address, U256), Revert> {
    let output = view_output(host, dm, &call_data!(stakePositionCall; staker, token))?;
    Ok((nth(dm, &output, 0)?, nth(dm, &output, 1)?))
}

/// `staker`'s withdrawable strategy shares of `token` (after slashing).
pub fn withdrawable(host: &dyn Host, dm: Address, staker: Address, token: Address) -> Result<U256, Revert> {
    view(host, dm, &call_data!(withdrawableSharesCall; staker, token), 0)
}

/// Scaled shares of the single entry of queued withdrawal `root`.
pub fn queued_scaled(host: &dyn Host, dm: Address, root: B256) -> Result<U256, Revert> {
    view(host, dm, &call_data!(queuedWithdrawalEntryCall; root, U256::ZERO), 1)
}

/// Strategy shares the single entry of queued withdrawal `root` pays if
/// completed now (at the magnitude of the end of its delay once that is over).
pub fn queued_shares(host: &dyn Host, dm: Address, root: B256) -> Result<U256, Revert> {
    view(host, dm, &call_data!(queuedWithdrawalEntryCall; root, U256::ZERO), 2)
}

/// The DelegationManager's withdrawal delay in seconds.
pub fn withdrawal_delay(host: &dyn Host, dm: Address) -> Result<U256, Revert> {
    view(host, dm, &call_data!(configCall;), 3)
}

/// The DelegationManager's slasher (the AVS registry).
pub fn slasher(host: &dyn Host, dm: Address) -> Result<Address, Revert> {
    view(host, dm, &call_data!(configCall;), 1)
}

/// Slash request `id` of the AVS registry `registry`: its operator, its
/// status (1: pending) and when it becomes executable.
pub fn slash_request(host: &dyn Host, registry: Address, id: U256) -> Result<(Address, U256, U256), Revert> {
    let output = view_output(host, registry, &call_data!(slashRequestCall; id))?;
    Ok((nth(registry, &output, 0)?, nth(registry, &output, 2)?, nth(registry, &output, 5)?))
}

/// The operator `staker` is delegated to, or zero.
pub fn delegated_to(host: &dyn Host, dm: Address, staker: Address) -> Result<Address, Revert> {
    view(host, dm, &call_data!(delegatedToCall; staker), 0)
}

/// The RewardsCoordinator the DelegationManager reports stake changes to (zero: none).
pub fn rewards_coordinator(host: &dyn Host, dm: Address) -> Result<Address, Revert> {
    view(host, dm, &call_data!(configCall;), 2)
}

/// How many withdrawals `staker` has queued in the DelegationManager.
pub fn withdrawal_nonce(host: &dyn Host, dm: Address, staker: Address) -> Result<U256, Revert> {
    view(host, dm, &call_data!(withdrawalNonceCall; staker), 0)
}

/// When queued withdrawal `root` can complete.
pub fn completable_at(host: &dyn Host, dm: Address, root: B256) -> Result<U256, Revert> {
    view(host, dm, &call_data!(queuedWithdrawalCall; root), 2)
}

/// Delegates the vault to `operator` (one without a delegation approver).
pub fn delegate(host: &dyn Host, context: impl MutatingCallContext, dm: Address, operator: Address) -> Result<(), Revert> {
    // delegateTo(operator, 0, "", 0): the empty signature's offset is 4 words.
    let data = call_data!(delegateToCall; operator, U256::ZERO, U256::from(128), B256::ZERO, U256::ZERO);
    send(host, context, dm, &data).map(|_| ())
}

/// Undelegates the vault, queueing all its shares; returns the root (zero if none).
pub fn undelegate(host: &dyn Host, context: impl MutatingCallContext, dm: Address, staker: Address) -> Result<B256, Revert> {
    nth(dm, &send(host, context, dm, &call_data!(undelegateCall; staker))?, 0)
}

/// Queues `shares` deposit shares of `token`; returns the root.
pub fn queue(host: &dyn Host, context: impl MutatingCallContext, dm: Address, token: Address, shares: U256) -> Result<B256, Revert> {
    // Two one-element arrays: offsets 2 and 4 words, then length and element of each.
    let one = U256::from(1);
    let data = call_data!(queueWithdrawalCall; U256::from(64), U256::from(128), one, token, one, shares);
    nth(dm, &send(host, context, dm, &data)?, 0)
}

/// Completes queued withdrawal `root`, as tokens or as re-delegated shares.
pub fn complete(host: &dyn Host, context: impl MutatingCallContext, dm: Address, root: B256, as_tokens: bool) -> Result<(), Revert> {
    send(host, context, dm, &call_data!(completeQueuedWithdrawalCall; root, as_tokens)).map(|_| ())
}
