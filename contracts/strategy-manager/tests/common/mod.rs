//! A world with a test token and a StrategyManager, for the tests in this folder.
#![allow(dead_code, unused_imports)]

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::sol_data;
use keel_testhost::{constructor_calldata, World};

/// The StrategyManager's published ABI.
pub mod sm {
    alloy_sol_types::sol!("../../abi/StrategyManager.sol");
}

/// The test token's published ABI.
pub mod token {
    alloy_sol_types::sol!("../../abi/TestToken.sol");
}

pub use sm::{IAccessControl as SmAccess, IStrategyManager as ISM};
pub use token::ITestToken as IToken;

pub const OWNER: Address = address!("00000000000000000000000000000000000000a1");
pub const ALICE: Address = address!("00000000000000000000000000000000000000a2");
pub const BOB: Address = address!("00000000000000000000000000000000000000a3");
pub const DM: Address = address!("00000000000000000000000000000000000000d1");
pub const SM: Address = address!("0000000000000000000000000000000000005000");
pub const TOKEN: Address = address!("0000000000000000000000000000000000007000");

/// 1e18 × `n`.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

/// Deploys a test token at `at`, owned by [`OWNER`].
pub fn deploy_token(world: &World, at: Address, symbol: &str) {
    type Args = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    let ctor = constructor_calldata::<Args>(&(format!("Test {symbol}"), symbol.to_string(), 18, OWNER));
    world.deploy(at, keel_test_token::dispatch, OWNER, Some(ctor)).unwrap();
}

/// A world with [`TOKEN`] and the StrategyManager at [`SM`], a strategy for
/// the token with an unlimited cap, and 1,000 tokens for ALICE and BOB, approved.
pub fn setup() -> World {
    let world = World::new();
    deploy_token(&world, TOKEN, "stETH");
    world.deploy(SM, keel_strategy_manager::dispatch, OWNER, Some(constructor_calldata::<(sol_data::Address,)>(&(OWNER,)))).unwrap();
    world.call(OWNER, SM, &ISM::addStrategyCall { token: TOKEN, cap: U256::MAX }).unwrap();
    for who in [ALICE, BOB] {
        fund(&world, TOKEN, who, ether(1_000));
    }
    world
}

/// Mints `amount` of `token` to `who` and approves the StrategyManager.
pub fn fund(world: &World, token: Address, who: Address, amount: U256) {
    world.call(OWNER, token, &IToken::mintCall { to: who, value: amount }).unwrap();
    world.call(who, token, &IToken::approveCall { spender: SM, value: U256::MAX }).unwrap();
}

/// `token` balance of `who`.
pub fn balance(world: &World, token: Address, who: Address) -> U256 {
    world.call(OWNER, token, &IToken::balanceOfCall { account: who }).unwrap()
}

/// `staker`'s deposit shares in `token`'s strategy.
pub fn shares(world: &World, staker: Address, token: Address) -> U256 {
    world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token }).unwrap()
}

/// Deposits `amount` of [`TOKEN`] as `who`.
pub fn deposit(world: &World, who: Address, amount: U256) -> Result<U256, keel_testhost::Revert> {
    world.call(who, SM, &ISM::depositIntoStrategyCall { token: TOKEN, amount })
}
