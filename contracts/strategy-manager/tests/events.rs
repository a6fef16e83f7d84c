//! Every state change emits its event with the right fields (events are
//! emitted through the compact `emit!` path, so each is decoded here with its
//! typed `sol!` declaration).

use alloy_primitives::{address, Address, U256};
use keel_components::access::{OwnershipTransferStarted, OwnershipTransferred, Paused, PauserSet, Unpaused, UnpauserSet, ZeroAddress};
use keel_fixtures::{strategies::*, *};
use keel_strategy_manager::errors::*;

const NEW_TOKEN: Address = address!("0000000000000000000000000000000000007777");

#[test]
fn configuration_events() {
    let world = setup_strategy_manager();
    world.clear_logs();
    world.call(OWNER, SM, &ISM::addStrategyCall { token: NEW_TOKEN, cap: ether(5) }).unwrap();
    world.call(OWNER, SM, &ISM::setStrategyWhitelistedCall { token: NEW_TOKEN, whitelisted: false }).unwrap();
    world.call(OWNER, SM, &ISM::setDepositCapCall { token: NEW_TOKEN, cap: ether(6) }).unwrap();
    world.call(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: DM }).unwrap();

    let added = &world.events::<StrategyAdded>(SM)[0];
    assert_eq!((added.token, added.cap), (NEW_TOKEN, ether(5)));
    let listed = &world.events::<StrategyWhitelistSet>(SM)[0];
    assert_eq!((listed.token, listed.whitelisted), (NEW_TOKEN, false));
    let cap = &world.events::<DepositCapSet>(SM)[0];
    assert_eq!((cap.token, cap.cap), (NEW_TOKEN, ether(6)));
    assert_eq!(world.events::<DelegationManagerSet>(SM)[0].delegationManager, DM);

    let err = world.expect_revert(OWNER, SM, &ISM::addStrategyCall { token: Address::ZERO, cap: U256::MAX });
    assert!(err.is::<ZeroAddress>());
    let err = world.expect_revert(OWNER, SM, &ISM::setDepositCapCall { token: ALICE, cap: U256::MAX });
    assert_eq!(err.decode::<StrategyNotWhitelisted>().unwrap().token, ALICE);
}

#[test]
fn share_movement_events() {
    let world = setup_strategy_manager();
    world.call(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: DM }).unwrap();
    deposit(&world, ALICE, ether(10)).unwrap();
    world.call(DM, SM, &ISM::removeDepositSharesCall { staker: ALICE, token: TOKEN, shares: ether(4) }).unwrap();
    world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: BOB, avs: CAROL, shares: ether(1) }).unwrap();
    let removed = &world.events::<SharesRemoved>(SM)[0];
    assert_eq!((removed.staker, removed.token, removed.shares), (ALICE, TOKEN, ether(4)));
    let slashed = &world.events::<SlashedSharesAdded>(SM)[0];
    assert_eq!((slashed.token, slashed.recipient, slashed.avs, slashed.shares), (TOKEN, BOB, CAROL, ether(1)));
    let err =
        world.expect_revert(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: Address::ZERO, avs: CAROL, shares: ether(1) });
    assert!(err.is::<ZeroAddress>());
}

#[test]
fn access_control_events() {
    let world = setup_strategy_manager();
    world.clear_logs();
    world.call(OWNER, SM, &SmAccess::setPauserCall { account: BOB, allowed: true }).unwrap();
    world.call(OWNER, SM, &SmAccess::setUnpauserCall { account: ALICE }).unwrap();
    world.call(BOB, SM, &SmAccess::pauseCall { bits: U256::from(3) }).unwrap();
    world.call(ALICE, SM, &SmAccess::unpauseCall { bits: U256::from(1) }).unwrap();
    world.call(OWNER, SM, &SmAccess::transferOwnershipCall { newOwner: BOB }).unwrap();
    world.call(BOB, SM, &SmAccess::acceptOwnershipCall {}).unwrap();

    let pauser = &world.events::<PauserSet>(SM)[0];
    assert_eq!((pauser.account, pauser.allowed), (BOB, true));
    let unpauser = &world.events::<UnpauserSet>(SM)[0];
    assert_eq!((unpauser.previous, unpauser.account), (OWNER, ALICE));
    let paused = &world.events::<Paused>(SM)[0];
    assert_eq!((paused.account, paused.pausedStatus), (BOB, U256::from(3)));
    let unpaused = &world.events::<Unpaused>(SM)[0];
    assert_eq!((unpaused.account, unpaused.pausedStatus), (ALICE, U256::from(2)));
    let started = &world.events::<OwnershipTransferStarted>(SM)[0];
    assert_eq!((started.previousOwner, started.newOwner), (OWNER, BOB));
    let moved = &world.events::<OwnershipTransferred>(SM)[0];
    assert_eq!((moved.previousOwner, moved.newOwner), (OWNER, BOB));
    assert_eq!(world.call(ALICE, SM, &SmAccess::pausedCall {}).unwrap(), U256::from(2));
    assert!(world.call(ALICE, SM, &SmAccess::isPauserCall { account: BOB }).unwrap());
    assert_eq!(world.call(ALICE, SM, &SmAccess::unpauserCall {}).unwrap(), ALICE);
    assert_eq!(world.call(ALICE, SM, &SmAccess::pendingOwnerCall {}).unwrap(), Address::ZERO);
}
