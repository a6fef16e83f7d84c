//! Keel's contracts deployed and wired together in a native
//! [`keel_testhost::World`], with their published ABIs (`abi/*.sol`), for the
//! tests of every contract that builds on them.
//!
//! [`setup`] gives the core protocol: a test token, the StrategyManager and
//! the DelegationManager, an operator registered, stakers funded.
//! [`registry::setup_with_registry`] adds the AVS registry as the
//! DelegationManager's slasher; [`strategies::setup_strategy_manager`] is
//! the StrategyManager alone.

pub mod costs;
pub mod lrt;
pub mod registry;
pub mod strategies;

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::sol_data;
pub use keel_testhost::{constructor_calldata, Revert, World};
pub mod rewards;

/// The DelegationManager's published ABI.
pub mod dm {
    alloy_sol_types::sol!("../../abi/DelegationManager.sol");
}
/// The StrategyManager's published ABI.
pub mod sm {
    alloy_sol_types::sol!("../../abi/StrategyManager.sol");
}
/// The test token's published ABI.
pub mod token {
    alloy_sol_types::sol!("../../abi/TestToken.sol");
}

pub use dm::{IAccessControl as DmAccess, IDelegationManager as IDM};
pub use sm::{IAccessControl as SmAccess, IStrategyManager as ISM};
pub use token::ITestToken as IToken;

/// Address used by the fixtures.
pub const OWNER: Address = address!("00000000000000000000000000000000000000a1");
/// Address used by the fixtures.
pub const ALICE: Address = address!("00000000000000000000000000000000000000a2");
/// Address used by the fixtures.
pub const BOB: Address = address!("00000000000000000000000000000000000000a3");
/// Address used by the fixtures.
pub const CAROL: Address = address!("00000000000000000000000000000000000000a4");
/// Address used by the fixtures.
pub const OPERATOR: Address = address!("00000000000000000000000000000000000000b1");
/// Address used by the fixtures.
pub const OPERATOR2: Address = address!("00000000000000000000000000000000000000b2");
/// Address used by the fixtures.
pub const SLASHER: Address = address!("00000000000000000000000000000000000000c1");
/// Address used by the fixtures.
pub const BURN: Address = address!("000000000000000000000000000000000000dEaD");
/// Address used by the fixtures.
pub const SM: Address = address!("0000000000000000000000000000000000005000");
/// Address used by the fixtures.
pub const DM: Address = address!("0000000000000000000000000000000000006000");
/// Address used by the fixtures.
pub const TOKEN: Address = address!("0000000000000000000000000000000000007000");
/// The withdrawal delay of the test world: 7 days.
pub const DELAY: u64 = 7 * 24 * 3_600;

/// 1e18 × `n`.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

/// [`core`] with SLASHER as the DelegationManager's slasher.
pub fn setup() -> World {
    let world = core();
    world.call(OWNER, DM, &IDM::setSlasherCall { slasher: SLASHER }).unwrap();
    world
}

/// Token, StrategyManager and DelegationManager wired together, the
/// DelegationManager's slasher not set yet; OPERATOR registered (open to
/// all); ALICE, BOB and CAROL funded with 1,000 tokens.
pub fn core() -> World {
    let world = World::new();
    strategies::deploy_token(&world, TOKEN, "Staked Ether", "stETH");
    strategies::deploy_strategy_manager(&world, SM, TOKEN);
    deploy_delegation_manager(&world, DM, SM, DELAY).unwrap();
    world.call(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: DM }).unwrap();
    for who in [ALICE, BOB, CAROL, OPERATOR] {
        fund(&world, who, ether(1_000));
    }
    register(&world, OPERATOR, Address::ZERO);
    world
}

/// Deploys a DelegationManager owned by [`OWNER`] at `at`, over the
/// StrategyManager `sm`, with withdrawal delay `delay` (refused outside its bounds).
pub fn deploy_delegation_manager(world: &World, at: Address, sm: Address, delay: u64) -> Result<(), Revert> {
    type Args = (sol_data::Address, sol_data::Address, sol_data::Uint<256>);
    world.deploy(at, keel_delegation_manager::dispatch, OWNER, Some(constructor_calldata::<Args>(&(OWNER, sm, U256::from(delay)))))
}

/// Mints `amount` to `who` and approves the StrategyManager.
pub fn fund(world: &World, who: Address, amount: U256) {
    strategies::fund_token(world, TOKEN, who, amount);
}

/// Registers `operator` with `approver`.
pub fn register(world: &World, operator: Address, approver: Address) {
    world
        .call(
            operator,
            DM,
            &IDM::registerAsOperatorCall { delegationApprover: approver, metadataURI: "https://keel.example/op.json".into() },
        )
        .unwrap();
}

/// Deposits `amount` of the token as `who`.
pub fn deposit(world: &World, who: Address, amount: U256) -> Result<U256, Revert> {
    world.call(who, SM, &ISM::depositIntoStrategyCall { token: TOKEN, amount })
}

/// Delegates `who` to `operator` (no approver signature).
pub fn delegate(world: &World, who: Address, operator: Address) -> Result<(), Revert> {
    let call =
        IDM::delegateToCall { operator, approverExpiry: U256::ZERO, approverSignature: Default::default(), approverSalt: B256::ZERO };
    world.call(who, DM, &call).map(|_| ())
}

/// Queues `shares` deposit shares of the token as `who`; returns the root.
pub fn queue(world: &World, who: Address, shares: U256) -> Result<B256, Revert> {
    world.call(who, DM, &IDM::queueWithdrawalCall { tokens: vec![TOKEN], depositShares: vec![shares] })
}

/// Completes `root` as `who`.
pub fn complete(world: &World, who: Address, root: B256, as_tokens: bool) -> Result<(), Revert> {
    world.call(who, DM, &IDM::completeQueuedWithdrawalCall { root, receiveAsTokens: as_tokens }).map(|_| ())
}

/// Slashes OPERATOR's token magnitude to `new` (from its current one) as SLASHER.
pub fn slash_to(world: &World, operator: Address, new: U256) -> Result<U256, Revert> {
    let prev = magnitude(world, operator);
    world.call(
        SLASHER,
        DM,
        &IDM::slashOperatorSharesCall { operator, token: TOKEN, prevMagnitude: prev, newMagnitude: new, recipient: BURN, avs: SLASHER },
    )
}

/// `operator`'s token magnitude.
pub fn magnitude(world: &World, operator: Address) -> U256 {
    world.call(OWNER, DM, &IDM::operatorStakeCall { operator, token: TOKEN }).unwrap()._1
}

/// `operator`'s delegated token shares.
pub fn operator_shares(world: &World, operator: Address) -> U256 {
    world.call(OWNER, DM, &IDM::operatorStakeCall { operator, token: TOKEN }).unwrap()._0
}

/// `staker`'s withdrawable token shares.
pub fn withdrawable(world: &World, staker: Address) -> U256 {
    world.call(OWNER, DM, &IDM::withdrawableSharesCall { staker, token: TOKEN }).unwrap()._0
}

/// Token balance of `who`.
pub fn balance(world: &World, who: Address) -> U256 {
    strategies::token_balance(world, TOKEN, who)
}

/// 1e18 × `percent` / 100.
pub fn wad_percent(percent: u64) -> U256 {
    U256::from(percent) * U256::from(10u64.pow(16))
}
