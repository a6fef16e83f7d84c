//! Every change of a staker's scaled shares in an operator pool is reported
//! to the rewards coordinator; slashes are not (they move every staker of a
//! pool by the same fraction).

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{sol, SolCall};
use keel_components::access::Unauthorized;
use keel_delegation_manager::errors::AlreadySet;
use keel_fixtures::*;
use std::cell::RefCell;
use stylus_sdk::{host::VM, ArbResult};

sol! {
    function onStakeChange(address staker, address operator, address token, uint256 scaledBefore, uint256 scaledAfter) external;
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
    REPORTS.with(|r| r.borrow_mut().drain(..).map(|c| (c.staker, c.operator, c.scaledBefore, c.scaledAfter)).collect())
}

fn world_with_coordinator() -> World {
    let world = setup();
    world.deploy(COORDINATOR, recorder, OWNER, None).unwrap();
    world.call(OWNER, DM, &IDM::setRewardsCoordinatorCall { coordinator: COORDINATOR }).unwrap();
    take_reports();
    world
}

#[test]
fn stake_changes_are_reported_and_slashes_are_not() {
    let world = world_with_coordinator();
    deposit(&world, ALICE, ether(10)).unwrap();
    assert!(take_reports().is_empty(), "undelegated stake earns nothing and is not reported");
    delegate(&world, ALICE, OPERATOR).unwrap();
    assert_eq!(take_reports(), vec![(ALICE, OPERATOR, U256::ZERO, ether(10))]);
    deposit(&world, ALICE, ether(5)).unwrap();
    assert_eq!(take_reports(), vec![(ALICE, OPERATOR, ether(10), ether(15))]);
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert!(take_reports().is_empty());
    let root = queue(&world, ALICE, ether(5)).unwrap();
    assert_eq!(take_reports(), vec![(ALICE, OPERATOR, ether(15), ether(10))]);
    world.advance(DELAY);
    complete(&world, ALICE, root, false).unwrap();
    let reports = take_reports();
    assert_eq!(reports.len(), 1);
    let (staker, operator, before, after) = reports[0];
    assert_eq!((staker, operator, before), (ALICE, OPERATOR, ether(10)));
    assert!(after > before, "shares re-delegated on completion are reported");
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
