//! Once the rewards coordinator marks a pool as rewarded, every change of a
//! staker's scaled shares in it is reported to the coordinator with the
//! stake that was earning; slashes are not (they move every staker of a
//! pool by the same fraction), nor are pools without a reward token.

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{sol, SolCall};
use keel_components::access::Unauthorized;
use keel_delegation_manager::errors::AlreadySet;
use keel_fixtures::*;
use std::cell::RefCell;
use stylus_sdk::{host::VM, ArbResult};

sol! {
    function onStakeChange(address staker, address operator, address token, uint256 scaledBefore, uint256 poolBefore) external;
}

const COORDINATOR: Address = address!("0000000000000000000000000000000000008000");

thread_local! {
    /// Reports received by the recording coordinator (each test runs on its own thread).
    static REPORTS: RefCell<Vec<onStakeChangeCall>> = const { RefCell::new(Vec::new()) };
}

/// A coordinator that records every report.
fn recorder(input: Vec<u8>, _vm: VM) -> ArbResult {
    let report = onStakeChangeCall::abi_decode(&input).map_err(|_| Vec::new())?;
    REPORTS.with(|r| r.borrow_mut().push(report));
    Ok(Vec::new())
}

fn take_reports() -> Vec<(Address, Address, U256, U256)> {
    REPORTS.with(|r| r.borrow_mut().drain(..).map(|c| (c.staker, c.operator, c.scaledBefore, c.poolBefore)).collect())
}

fn world_with_coordinator() -> World {
    let world = setup();
    world.deploy(COORDINATOR, recorder, OWNER, None).unwrap();
    world.call(OWNER, DM, &IDM::setRewardsCoordinatorCall { coordinator: COORDINATOR }).unwrap();
    take_reports();
    world
}

fn reward_stake(world: &World, staker: Address) -> (U256, U256) {
    let stake = world.call(OWNER, DM, &IDM::rewardStakeCall { staker, operator: OPERATOR, token: TOKEN }).unwrap();
    (stake._0, stake._1)
}

#[test]
fn stake_changes_of_a_rewarded_pool_are_reported_and_slashes_are_not() {
    let world = world_with_coordinator();
    deposit(&world, ALICE, ether(10)).unwrap();
    assert!(take_reports().is_empty(), "undelegated stake earns nothing and is not reported");
    delegate(&world, ALICE, OPERATOR).unwrap();
    assert!(take_reports().is_empty(), "a pool without a reward token earns nothing and is not reported");
    assert_eq!(reward_stake(&world, ALICE), (ether(10), ether(10)));
    world.call(COORDINATOR, DM, &IDM::poolRewardedCall { operator: OPERATOR, token: TOKEN }).unwrap();
    assert_eq!(world.events::<IDM::PoolRewarded>(DM).len(), 1);
    world.call(COORDINATOR, DM, &IDM::poolRewardedCall { operator: OPERATOR, token: TOKEN }).unwrap();
    assert_eq!(world.events::<IDM::PoolRewarded>(DM).len(), 1, "marked once");
    deposit(&world, ALICE, ether(5)).unwrap();
    assert_eq!(take_reports(), vec![(ALICE, OPERATOR, ether(10), ether(10))]);
    deposit(&world, BOB, ether(4)).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    assert_eq!(take_reports(), vec![(BOB, OPERATOR, U256::ZERO, ether(15))]);
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert!(take_reports().is_empty());
    assert_eq!(reward_stake(&world, ALICE), (ether(15), ether(19)), "a slash moves no scaled shares");
    let root = queue(&world, ALICE, ether(5)).unwrap();
    assert_eq!(take_reports(), vec![(ALICE, OPERATOR, ether(15), ether(19))]);
    world.advance(DELAY);
    complete(&world, ALICE, root, false).unwrap();
    assert_eq!(take_reports(), vec![(ALICE, OPERATOR, ether(10), ether(14))]);
    assert!(reward_stake(&world, ALICE).0 > ether(10), "shares re-delegated on completion count");
    assert_eq!(reward_stake(&world, CAROL), (U256::ZERO, reward_stake(&world, ALICE).1), "a stranger has no stake in the pool");
}

#[test]
fn only_the_coordinator_marks_a_pool_rewarded() {
    let call = IDM::poolRewardedCall { operator: OPERATOR, token: TOKEN };
    let world = setup();
    assert!(world.expect_revert(OWNER, DM, &call).is::<Unauthorized>(), "nobody before a coordinator is set");
    let world = world_with_coordinator();
    assert!(world.expect_revert(ALICE, DM, &call).is::<Unauthorized>());
    assert!(world.expect_revert(OWNER, DM, &call).is::<Unauthorized>());
}

#[test]
fn the_coordinator_is_set_once_by_the_owner() {
    let world = setup();
    let call = IDM::setRewardsCoordinatorCall { coordinator: COORDINATOR };
    assert!(world.expect_revert(ALICE, DM, &call).is::<Unauthorized>());
    world.call(OWNER, DM, &call).unwrap();
    assert_eq!(world.call(OWNER, DM, &IDM::configCall {}).unwrap()._2, COORDINATOR);
    assert!(world.expect_revert(OWNER, DM, &call).is::<AlreadySet>());
}
