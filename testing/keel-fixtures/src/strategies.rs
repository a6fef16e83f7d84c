//! The StrategyManager on its own, with no DelegationManager wired in, for
//! its own tests: the calls the DelegationManager makes come from
//! [`DM`](crate::DM)'s address, which holds no contract here.

use crate::{ether, IToken, ALICE, BOB, ISM, OWNER, SM, TOKEN};
use alloy_primitives::{Address, U256};
use alloy_sol_types::sol_data;
use keel_testhost::{constructor_calldata, World};

/// Deploys a test token named `name` (`symbol`, 18 decimals) at `at`, owned by [`OWNER`].
pub fn deploy_token(world: &World, at: Address, name: &str, symbol: &str) {
    type Args = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    let ctor = constructor_calldata::<Args>(&(name.to_string(), symbol.to_string(), 18, OWNER));
    world.deploy(at, keel_test_token::dispatch, OWNER, Some(ctor)).unwrap();
}

/// [`TOKEN`] and the StrategyManager at [`SM`], a strategy for the token
/// with an unlimited cap, and 1,000 tokens for ALICE and BOB, approved; no
/// DelegationManager set.
pub fn setup_strategy_manager() -> World {
    let world = World::new();
    deploy_token(&world, TOKEN, "Staked Ether", "stETH");
    deploy_strategy_manager(&world, SM, TOKEN);
    for who in [ALICE, BOB] {
        fund_token(&world, TOKEN, who, ether(1_000));
    }
    world
}

/// Deploys a StrategyManager owned by [`OWNER`] at `at`, with a strategy
/// for `token` and no deposit cap.
pub fn deploy_strategy_manager(world: &World, at: Address, token: Address) {
    world.deploy(at, keel_strategy_manager::dispatch, OWNER, Some(constructor_calldata::<(sol_data::Address,)>(&(OWNER,)))).unwrap();
    world.call(OWNER, at, &ISM::addStrategyCall { token, cap: U256::MAX }).unwrap();
}

/// Mints `amount` of `token` to `who` and approves the StrategyManager.
pub fn fund_token(world: &World, token: Address, who: Address, amount: U256) {
    world.call(OWNER, token, &IToken::mintCall { to: who, value: amount }).unwrap();
    world.call(who, token, &IToken::approveCall { spender: SM, value: U256::MAX }).unwrap();
}

/// `token` balance of `who`.
pub fn token_balance(world: &World, token: Address, who: Address) -> U256 {
    world.call(OWNER, token, &IToken::balanceOfCall { account: who }).unwrap()
}

/// `staker`'s deposit shares in `token`'s strategy.
pub fn deposit_shares(world: &World, staker: Address, token: Address) -> U256 {
    world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token }).unwrap()
}

/// Where [`deploy_successor`] puts the successor StrategyManager.
pub const SUCCESSOR: Address = alloy_primitives::address!("0000000000000000000000000000000000005001");

/// Deploys a second StrategyManager at [`SUCCESSOR`] with a strategy for
/// `token` (no cap, no DelegationManager), and names it [`SM`]'s successor
/// and [`SM`] its predecessor: stakers of [`SM`] can then migrate.
pub fn deploy_successor(world: &World, token: Address) {
    deploy_strategy_manager(world, SUCCESSOR, token);
    world.call(OWNER, SUCCESSOR, &ISM::setPredecessorCall { predecessor: SM }).unwrap();
    world.call(OWNER, SM, &ISM::setSuccessorCall { successor: SUCCESSOR }).unwrap();
}

/// What `staker`'s deposit shares of `token` in the StrategyManager at `at` are worth in tokens.
pub fn deposit_value(world: &World, at: Address, staker: Address, token: Address) -> U256 {
    let shares = world.call(OWNER, at, &ISM::stakerDepositSharesCall { staker, token }).unwrap();
    world.call(OWNER, at, &ISM::sharesToUnderlyingCall { token, shares }).unwrap()
}
