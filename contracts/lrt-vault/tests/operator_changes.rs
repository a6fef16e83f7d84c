//! Issue 18's attacks on an operator change in the queue (F1, F2) and on
//! the redemption queues ("also reported"): what a third party can do to
//! the vault's flows while its stake moves between operators.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

/// |a - b| <= tolerance.
fn close(a: U256, b: U256, tolerance: u64) -> bool {
    a.abs_diff(b) <= U256::from(tolerance)
}

/// The vault with Alice's 100 restaked under OPERATOR, moving to OPERATOR2:
/// that stake waits in the withdrawal queue as the operator change.
fn moving_to_operator2() -> World {
    let world = setup_vault();
    register(&world, OPERATOR2, Address::ZERO);
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).unwrap();
    world
}

/// An outside review's F2: completing an operator change as tokens calls the
/// asset, whose transfer hook here has the new operator's approver (the
/// token itself) try to undelegate the vault in the middle of the flow, so
/// that the flow would price a deposit without the stake that undelegation
/// queued. It cannot: queueing needs the StrategyManager, which is inside
/// the transfer under its reentrancy guard, so the transfer and the whole
/// flow revert, and the vault stays delegated. Without the hook the next
/// flow completes the change.
#[test]
fn a_transfer_hook_cannot_undelegate_the_vault_during_a_completion() {
    let world = moving_to_operator2();
    slash_to(&world, OPERATOR2, U256::ZERO).unwrap();
    world.call(OPERATOR2, DM, &IDM::modifyOperatorDetailsCall { delegationApprover: TOKEN }).unwrap();
    let undelegate = IDM::undelegateCall { staker: VAULT }.abi_encode();
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: DM, data: undelegate.into() }).unwrap();
    world.advance(DELAY);
    assert!(vault_deposit(&world, BOB, ether(10)).is_err());
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: VAULT }).unwrap(), OPERATOR2, "still delegated");
    world.call(OWNER, TOKEN, &IToken::setTransferHookCall { target: Address::ZERO, data: Default::default() }).unwrap();
    assert_eq!(vault_deposit(&world, BOB, ether(10)).unwrap(), ether(10));
    assert!(world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is::<NoMigration>(), "completed");
}

/// Issue 18 F1: the vault (100 restaked under OPERATOR) moves to OPERATOR2,
/// which slashes itself to magnitude 0 during the delay. The change used to
/// complete only as shares, which the DelegationManager refuses to credit to
/// a fully slashed operator (`FullySlashed`), so every flow reverted for
/// good. It now completes as tokens into the buffer and the vault works on.
#[test]
fn a_fully_slashed_new_operator_does_not_lock_the_vault() {
    let world = moving_to_operator2();
    slash_to(&world, OPERATOR2, U256::ZERO).unwrap();
    world.advance(DELAY);
    // The first flow after the delay completes the change, as tokens.
    assert_eq!(vault_deposit(&world, BOB, ether(10)).unwrap(), ether(10));
    assert!(world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is::<NoMigration>());
    assert_eq!(total_assets(&world), ether(110));
    assert_eq!(world.call(OWNER, VAULT, &IAdmin::holdingsCall {}).unwrap()._0, ether(110), "the stake waits in the buffer");
    assert!(operator_shares(&world, OPERATOR2).is_zero());
    // Every flow keeps working: requests, claims, rebalances, settings, a new operator.
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    assert_eq!(request(&world, ALICE, ether(40)).unwrap(), U256::from(1));
    assert_eq!(claim(&world, ALICE, ether(40)).unwrap(), ether(40));
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(100), vestingPeriod: U256::ZERO })
        .unwrap();
    let out =
        world.call(BOB, VAULT, &IVault::instantRedeemCall { shares: ether(5), receiver: BOB, owner: BOB, minAssets: U256::ZERO }).unwrap();
    assert_eq!(out, ether(5));
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).unwrap();
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(65), "the buffer is restaked under the new operator");
    assert_eq!(total_assets(&world), ether(65));
    assert!(close(to_assets(&world, lrt_balance(&world, ALICE)), ether(60), 1));
}

/// Issue 18 F2 (Mallory's scenario): buffer target 100, instant fee 2.5%,
/// no instant limit; ALICE and MALLORY deposit 100 each (100 idle, 100
/// restaked) and the manager changes operator. The withdrawable stake read
/// 0, so MALLORY's request was paid wholly from the buffer and claimable at
/// once: a fee-free instant exit, and the old operator's 50% slash then fell
/// on ALICE alone (100 LRT worth 50). The buffer now pays no request while a
/// change is in the queue; the instant path keeps its fee and limit, and
/// the slash is shared.
#[test]
fn a_request_during_an_operator_change_does_not_escape_its_slash() {
    let world = setup_vault();
    register(&world, OPERATOR2, Address::ZERO);
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(100) }).unwrap();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::from(250) }).unwrap();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: U256::ZERO, vestingPeriod: U256::ZERO })
        .unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, MALLORY, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).unwrap();
    let err = request(&world, MALLORY, ether(100)).unwrap_err();
    assert!(err.is::<MigrationPending>(), "the buffer paid MALLORY's request at once");
    let instant = IVault::instantRedeemCall { shares: ether(100), receiver: MALLORY, owner: MALLORY, minAssets: U256::ZERO };
    assert!(world.expect_revert(MALLORY, VAULT, &instant).is::<DailyLimitExceeded>());
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    world.advance(DELAY);
    // The change completes with the next flow; both bear half the loss.
    let id = request(&world, MALLORY, ether(100)).unwrap();
    world.advance(DELAY);
    assert_eq!(claim(&world, MALLORY, ether(100)).unwrap(), ether(75));
    assert_eq!(world.call(OWNER, VAULT, &IAdmin::redeemRequestCall { requestId: id }).unwrap()._2, ether(75));
    assert_eq!(to_assets(&world, lrt_balance(&world, ALICE)), ether(75));
}

/// A request the new operator's stake covers needs no buffer and is served
/// during the change, exposed to that operator's slashes like any other.
#[test]
fn a_request_the_new_operators_stake_covers_is_served_during_a_change() {
    let world = moving_to_operator2();
    vault_deposit(&world, BOB, ether(100)).unwrap();
    request(&world, BOB, ether(50)).unwrap();
    slash_to(&world, OPERATOR2, wad_percent(50)).unwrap();
    world.advance(DELAY);
    assert_eq!(claim(&world, BOB, ether(50)).unwrap(), ether(25));
}

/// Issue 18, also reported: MALLORY opened a 1-wei request for ALICE, ahead
/// of ALICE's own, so ALICE's `redeem` of exactly her request's LRT reverted
/// `RequestNotClaimable` (and waited the full delay of MALLORY's request).
/// A request's controller is now its owner or its caller.
#[test]
fn nobody_can_slip_a_request_into_a_strangers_claim_queue() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(1_000) }).unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, MALLORY, ether(1)).unwrap();
    let dust = IVault::requestRedeemCall { shares: U256::from(1), controller: ALICE, owner: MALLORY };
    let err = world.expect_revert(MALLORY, VAULT, &dust).decode::<NotController>().unwrap();
    assert_eq!((err.caller, err.controller), (MALLORY, ALICE));
    request(&world, ALICE, ether(10)).unwrap();
    assert_eq!(claim(&world, ALICE, ether(10)).unwrap(), ether(10));
    // An approved spender may still request for the owner, or for itself.
    world.call(ALICE, VAULT, &IVault::approveCall { spender: BOB, value: ether(2) }).unwrap();
    world.call(BOB, VAULT, &IVault::requestRedeemCall { shares: ether(1), controller: ALICE, owner: ALICE }).unwrap();
    world.call(BOB, VAULT, &IVault::requestRedeemCall { shares: ether(1), controller: BOB, owner: ALICE }).unwrap();
    assert_eq!(claim(&world, ALICE, ether(1)).unwrap(), ether(1));
    assert_eq!(claim(&world, BOB, ether(1)).unwrap(), ether(1));
}

/// Campaign seeds 871, 1578 and 1664: the vault (100 restaked under
/// OPERATOR) moves to OPERATOR2; after the delay, before any flow completes
/// the change, OPERATOR is slashed 50%. The withdrawal pays at OPERATOR's
/// magnitude at the end of its delay, so the slash does not reach it, but
/// the vault's views valued it at OPERATOR's current magnitude: ALICE's 100
/// LRT read 50 (a rate halved for every integrator) until the next flow
/// completed the change and the rate jumped back. The views now value a due
/// change as the DelegationManager will pay it.
#[test]
fn a_slash_after_an_operator_change_is_due_does_not_move_the_views() {
    let world = moving_to_operator2();
    world.advance(DELAY);
    let before = rate(&world);
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert_eq!(total_assets(&world), ether(100), "the due change still pays 100");
    assert_eq!(rate(&world), before);
    assert_eq!(to_assets(&world, lrt_balance(&world, ALICE)), ether(100));
    // The next flow completes the change at exactly the value the views showed.
    assert_eq!(vault_deposit(&world, BOB, ether(10)).unwrap(), ether(10));
    assert!(world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is::<NoMigration>());
    assert_eq!(total_assets(&world), ether(110));
    assert_eq!(to_assets(&world, lrt_balance(&world, ALICE)), ether(100));
}
