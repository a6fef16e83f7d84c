//! The StrategyManager stops reporting an undelegated staker's deposits once
//! the DelegationManager answered that it is not delegated, and reports them
//! again from its next delegation; shares deposited meanwhile are worth
//! exactly their number, even in a strategy where the staker left a slashed
//! operator with a scaling factor above 1e18.

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::sol_data;
use keel_fixtures::*;
use keel_testhost::constructor_calldata;

const TOKEN2: Address = address!("0000000000000000000000000000000000007002");

/// Scaling-factor events of the DelegationManager: one per reported deposit.
fn reports(world: &World) -> usize {
    world.events::<keel_delegation_manager::errors::DepositScalingFactorUpdated>(DM).len()
}

/// A second strategy token, ALICE funded and approving the StrategyManager.
fn second_strategy(world: &World) {
    type TokenArgs = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    let ctor = constructor_calldata::<TokenArgs>(&("Restaked ETH".into(), "rETH".into(), 18, OWNER));
    world.deploy(TOKEN2, keel_test_token::dispatch, OWNER, Some(ctor)).unwrap();
    world.call(OWNER, SM, &ISM::addStrategyCall { token: TOKEN2, cap: U256::MAX }).unwrap();
    world.call(OWNER, TOKEN2, &IToken::mintCall { to: ALICE, value: ether(100) }).unwrap();
    world.call(ALICE, TOKEN2, &IToken::approveCall { spender: SM, value: U256::MAX }).unwrap();
}

#[test]
fn a_staker_that_never_delegated_is_not_reported_until_it_delegates() {
    let world = setup();
    let before = reports(&world);
    deposit(&world, BOB, ether(10)).unwrap();
    deposit(&world, BOB, ether(5)).unwrap();
    assert_eq!(reports(&world), before, "no DelegationManager frame for a staker that never delegated");
    assert_eq!(withdrawable(&world, BOB), ether(15));
    delegate(&world, BOB, OPERATOR).unwrap();
    deposit(&world, BOB, ether(1)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(16));
    assert_eq!(withdrawable(&world, BOB), ether(16));
}

#[test]
fn deposits_of_an_undelegated_staker_skip_the_hook_and_keep_their_value() {
    let world = setup();
    second_strategy(&world);
    // Alice leaves a slashed operator with a scaling factor of 1.5e18 in TOKEN.
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    deposit(&world, ALICE, ether(10)).unwrap();
    let factor = world.call(OWNER, DM, &IDM::withdrawableSharesCall { staker: ALICE, token: TOKEN }).unwrap()._1;
    assert_eq!(factor, wad_percent(150));
    let root = world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    world.advance(DELAY);
    complete(&world, ALICE, root, true).unwrap();

    // Her first deposit is reported and answered "not delegated"; the next ones are not reported.
    let before = reports(&world);
    world.call(ALICE, SM, &ISM::depositIntoStrategyCall { token: TOKEN2, amount: ether(10) }).unwrap();
    assert_eq!(reports(&world), before + 1);
    deposit(&world, ALICE, ether(10)).unwrap();
    deposit(&world, ALICE, ether(5)).unwrap();
    assert_eq!(reports(&world), before + 1);
    assert_eq!(withdrawable(&world, ALICE), ether(15), "fresh shares at 1e18, not the old 1.5e18");

    // Delegating moves them at their value and turns the reports back on.
    delegate(&world, ALICE, OPERATOR).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(15));
    let before = reports(&world);
    deposit(&world, ALICE, ether(10)).unwrap();
    assert_eq!(reports(&world), before + 1);
    assert_eq!(operator_shares(&world, OPERATOR), ether(25));
    assert_eq!(withdrawable(&world, ALICE), ether(25));
}
