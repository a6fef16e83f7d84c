//! `multicall`: a wallet's batch of calls to the StrategyManager, run as
//! the wallet, all or nothing, without ETH, and without loosening the
//! reentrancy guard.

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::{SolCall, SolValue};
use keel_fixtures::{strategies::*, *};
use keel_strategy_manager::errors::*;

/// A second strategy token.
const TOKEN2: Address = address!("0000000000000000000000000000000000007002");

/// A world with a second strategy, TOKEN2, funded for ALICE.
fn two_strategies() -> World {
    let world = setup_strategy_manager();
    deploy_token(&world, TOKEN2, "Test rETH", "rETH");
    world.call(OWNER, SM, &ISM::addStrategyCall { token: TOKEN2, cap: ether(10) }).unwrap();
    fund_token(&world, TOKEN2, ALICE, ether(100));
    world
}

fn deposit_call(token: Address, amount: U256) -> Bytes {
    ISM::depositIntoStrategyCall { token, amount }.abi_encode().into()
}

#[test]
fn a_batch_deposits_into_several_strategies_as_its_sender() {
    let world = two_strategies();
    let data = vec![deposit_call(TOKEN, ether(3)), deposit_call(TOKEN2, ether(2))];
    let results = world.call(ALICE, SM, &ISM::multicallCall { data }).unwrap();
    let minted: Vec<U256> = results.iter().map(|out| U256::abi_decode(out).unwrap()).collect();
    assert_eq!(minted, vec![ether(3), ether(2)]);
    assert_eq!((deposit_shares(&world, ALICE, TOKEN), deposit_shares(&world, ALICE, TOKEN2)), (ether(3), ether(2)));
    assert_eq!(token_balance(&world, TOKEN2, ALICE), ether(98), "the batch's sender paid");
    assert!(world.call(ALICE, SM, &ISM::multicallCall { data: vec![] }).unwrap().is_empty());
}

#[test]
fn a_failing_call_reverts_the_whole_batch_with_its_own_error() {
    let world = two_strategies();
    // The second deposit exceeds TOKEN2's cap of 10.
    let data = vec![deposit_call(TOKEN, ether(3)), deposit_call(TOKEN2, ether(11))];
    let err = world.expect_revert(ALICE, SM, &ISM::multicallCall { data });
    assert!(err.is::<DepositCapExceeded>(), "the failing call's error comes back: {:?}", err.0);
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), U256::ZERO, "the first deposit is rolled back");
    assert_eq!(token_balance(&world, TOKEN, ALICE), ether(1_000));

    // Calls the contract does not route, or only another contract may make, fail the batch too.
    let unknown = vec![Bytes::from(vec![0xde, 0xad, 0xbe, 0xef])];
    assert!(world.expect_revert(ALICE, SM, &ISM::multicallCall { data: unknown }).0.is_empty());
    let hook = ISM::addSharesCall { staker: ALICE, token: TOKEN, shares: ether(1) }.abi_encode().into();
    assert!(world.expect_revert(ALICE, SM, &ISM::multicallCall { data: vec![hook] }).is::<keel_components::access::Unauthorized>());
}

#[test]
fn a_batch_accepts_no_eth() {
    let world = setup_strategy_manager();
    world.set_balance(ALICE, ether(1));
    let call = ISM::multicallCall { data: vec![deposit_call(TOKEN, ether(1))] };
    let err = world.call_value(ALICE, SM, &call, U256::from(1)).unwrap_err();
    assert!(err.0.is_empty());
    assert_eq!((deposit_shares(&world, ALICE, TOKEN), world.balance(SM)), (U256::ZERO, U256::ZERO));
}

#[test]
fn a_token_cannot_reenter_through_a_batch() {
    let world = setup_strategy_manager();
    let inner = ISM::multicallCall { data: vec![deposit_call(TOKEN, ether(1))] }.abi_encode();
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: SM, data: inner.into() }).unwrap();
    for deny_reentry in [true, false] {
        world.set_deny_reentry(deny_reentry);
        let err = deposit(&world, ALICE, ether(5)).unwrap_err();
        assert!(err.is::<TokenTransferFailed>(), "deny_reentry={deny_reentry}");
        assert_eq!(deposit_shares(&world, ALICE, TOKEN), U256::ZERO);
    }
}

#[test]
fn the_guard_still_stops_reentry_inside_a_batch() {
    // With the entrypoint's own check off, the reentrancy flag is what stops
    // the token's hook; each call of the batch must leave it clear again.
    let world = setup_strategy_manager();
    world.set_deny_reentry(false);
    let reenter = deposit_call(TOKEN, ether(1));
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: SM, data: reenter }).unwrap();
    let err = world.expect_revert(ALICE, SM, &ISM::multicallCall { data: vec![deposit_call(TOKEN, ether(2))] });
    assert!(err.is::<TokenTransferFailed>(), "the inner deposit hit the guard, failing the transfer");
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), U256::ZERO);
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: Address::ZERO, data: Bytes::new() }).unwrap();
    let data = vec![deposit_call(TOKEN, ether(2)), deposit_call(TOKEN, ether(3))];
    world.call(ALICE, SM, &ISM::multicallCall { data }).unwrap();
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), ether(5), "two guarded calls in one batch both ran");
}
