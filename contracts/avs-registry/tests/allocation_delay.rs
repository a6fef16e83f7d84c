//! Issue 18 R-b: an operator's allocation delay may be anything, but a
//! change of it waits out the allocation configuration delay, which outlasts
//! the DelegationManager's longest withdrawal delay: a staker who sees the
//! change can leave before the new delay can be used against it.

use alloy_primitives::{Address, U256};
use keel_avs_registry::errors::*;
use keel_delegation_manager::MAX_WITHDRAWAL_DELAY;
use keel_fixtures::registry::*;
use keel_fixtures::*;

/// OPERATOR2 earned ALICE's trust with an allocation delay of 30 days, but
/// runs its own AVS (DA's set 1: a 100% cap, no veto, slashed funds
/// redistributed to OPERATOR2). ALICE has 10 delegated to it, and the
/// DelegationManager's owner raised the withdrawal delay to its maximum.
fn trusted_operator_with_its_own_avs() -> (World, u64) {
    let world = setup_with_registry();
    world.call(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(MAX_WITHDRAWAL_DELAY) }).unwrap();
    register(&world, OPERATOR2, Address::ZERO);
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 30 * 86_400 }).unwrap();
    world.advance(CONFIG_DELAY);
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR2).unwrap();
    create_set(&world, DA, 1);
    let condition = add_condition(&world, DA, 1, wad_percent(100), 0, OPERATOR2);
    join(&world, OPERATOR2, DA, 1, vec![condition]).unwrap();
    (world, condition)
}

/// R-b: the operator lowers its allocation delay to 0; ALICE sees the event
/// and queues her whole stake in the same block. The operator strikes as
/// early as the registry lets it (allocating everything to its AVS once the
/// delay of 0 is in effect, then slashing it all to itself), ALICE completes
/// as soon as the DelegationManager lets her. With a one-hour configuration
/// delay the strike came first and took her 10; now she leaves with them.
#[test]
fn a_staker_who_sees_the_allocation_delay_lowered_leaves_before_a_self_slash() {
    let (world, condition) = trusted_operator_with_its_own_avs();
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 0 }).unwrap();
    let lowered_at = world.events::<AllocationDelaySet>(REGISTRY).pop().unwrap().effectiveAt;
    let root = queue(&world, ALICE, ether(10)).unwrap();
    let completable_at = world.timestamp() + MAX_WITHDRAWAL_DELAY;
    let before = balance(&world, ALICE);

    let mut steps = [(lowered_at, true), (completable_at, false)];
    steps.sort();
    for (at, strike) in steps {
        world.advance(at - world.timestamp());
        if strike {
            // Alice's stake may be gone already: the operator's attempts may fail.
            let _ = allocate(&world, OPERATOR2, DA, 1, percent(100));
            let _ = slash(&world, DA, OPERATOR2, condition, wad_percent(100));
        } else {
            complete(&world, ALICE, root, true).unwrap();
        }
    }
    assert_eq!(balance(&world, ALICE) - before, ether(10), "ALICE left with her whole stake");
}

/// An allocation made before the lowered delay takes effect still waits the
/// old delay, so the stakers who stay keep the old protection until then.
#[test]
fn allocations_made_before_a_lowered_delay_takes_effect_wait_the_old_delay() {
    let (world, _) = trusted_operator_with_its_own_avs();
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 0 }).unwrap();
    allocate(&world, OPERATOR2, DA, 1, percent(100)).unwrap();
    assert_eq!(allocation(&world, OPERATOR2, DA, 1), (0, percent(100), world.timestamp() + 30 * 86_400));
}

/// The pending change is public: the view shows it until it takes effect,
/// and a new change replaces it and waits the whole configuration delay again.
#[test]
fn a_pending_allocation_delay_is_visible_until_it_takes_effect() {
    let (world, _) = trusted_operator_with_its_own_avs();
    let pending = |world: &World| {
        let r = world.call(OWNER, REGISTRY, &IReg::pendingAllocationDelayCall { operator: OPERATOR2 }).unwrap();
        (r._0, r._1)
    };
    assert_eq!(pending(&world), (0, 0), "the first delay is in effect: nothing pending");
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 0 }).unwrap();
    assert_eq!(pending(&world), (0, world.timestamp() + CONFIG_DELAY));
    world.advance(CONFIG_DELAY / 2);
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 60 }).unwrap();
    let at = world.timestamp() + CONFIG_DELAY;
    assert_eq!(pending(&world), (60, at));
    world.advance(CONFIG_DELAY - 1);
    assert_eq!(pending(&world), (60, at));
    world.advance(1);
    assert_eq!(pending(&world), (0, 0));
    let r = world.call(OWNER, REGISTRY, &IReg::allocationDelayCall { operator: OPERATOR2 }).unwrap();
    assert_eq!((r._0, r._1), (true, 60));
}

/// The registry's floor of the configuration delay outlasts the
/// DelegationManager's longest withdrawal delay (checked at compile time),
/// and the owner cannot set the configuration delay below it.
#[test]
fn the_configuration_delay_outlasts_the_longest_withdrawal_delay() {
    use keel_avs_registry::{MIN_ALLOCATION_CONFIGURATION_DELAY, MIN_DEALLOCATION_DELAY};
    const { assert!(MIN_ALLOCATION_CONFIGURATION_DELAY > MAX_WITHDRAWAL_DELAY) };
    let world = setup_with_registry();
    let call = IReg::setParametersCall {
        allocationConfigurationDelay: MIN_ALLOCATION_CONFIGURATION_DELAY - 1,
        deallocationDelay: MIN_DEALLOCATION_DELAY,
        slasherChangeDelay: SLASHER_DELAY,
    };
    let err = world.expect_revert(OWNER, REGISTRY, &call).decode::<DelayBelowMinimum>().unwrap();
    assert_eq!(err.minimum, U256::from(MIN_ALLOCATION_CONFIGURATION_DELAY));
    world
        .call(OWNER, REGISTRY, &IReg::setParametersCall { allocationConfigurationDelay: MIN_ALLOCATION_CONFIGURATION_DELAY, ..call })
        .unwrap();
}
