//! The exposure views against hand-computed figures: in all and per
//! incident, for the operator and for a staker, through acceptance,
//! retirement, a slash, a pending deallocation and an undelegation.

use alloy_primitives::{Address, U256};
use keel_avs_registry::{errors::*, MAX_ACTIVE_CONDITIONS};
use keel_fixtures::registry::*;
use keel_fixtures::*;

/// `n` hundredths of an ether.
fn cents(n: u64) -> U256 {
    ether(n) / U256::from(100)
}

/// The operator's exposure to ORACLE's set 1: (in all, per incident).
fn operator_view(world: &World) -> (U256, U256) {
    let r = world.call(OWNER, REGISTRY, &IReg::slashableStakeCall { operator: OPERATOR, avs: ORACLE, setId: 1, strategy: TOKEN }).unwrap();
    (r._0, r._1)
}

/// `staker`'s exposure to ORACLE's set 1: (in all, per incident).
fn staker_view(world: &World, staker: Address) -> (U256, U256) {
    let r = world.call(OWNER, REGISTRY, &IReg::stakerSlashableStakeCall { staker, avs: ORACLE, setId: 1, strategy: TOKEN }).unwrap();
    (r._0, r._1)
}

/// The largest accepted active cap of OPERATOR in ORACLE's set 1: (condition, cap).
fn largest(world: &World) -> (u64, u64) {
    let r = world.call(OWNER, REGISTRY, &IReg::largestSlashCapCall { operator: OPERATOR, avs: ORACLE, setId: 1 }).unwrap();
    (r._0, r._1)
}

#[test]
fn exposure_follows_acceptance_retirement_slash_deallocation_and_undelegation() {
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(10)).unwrap();
    deposit(&world, BOB, ether(30)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    create_set(&world, ORACLE, 1);
    let low = add_condition(&world, ORACLE, 1, wad_percent(20), 0, Address::ZERO);
    let high = add_condition(&world, ORACLE, 1, wad_percent(50), 0, Address::ZERO);
    let unaccepted = add_condition(&world, ORACLE, 1, wad_percent(80), 0, Address::ZERO);
    assert_eq!(operator_view(&world), (U256::ZERO, U256::ZERO), "not registered: nothing at risk");
    join(&world, OPERATOR, ORACLE, 1, vec![low]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(50)).unwrap();

    // 40 delegated, half allocated; one incident takes 20% of that.
    assert_eq!(largest(&world), (low, percent(20)), "the 80% condition was not accepted");
    assert_eq!(operator_view(&world), (ether(20), ether(4)));
    assert_eq!(staker_view(&world, ALICE), (ether(5), ether(1)));
    world.call(OPERATOR, REGISTRY, &IReg::acceptSlashingConditionsCall { conditionIds: vec![high] }).unwrap();
    assert_eq!(largest(&world), (high, percent(50)));
    assert_eq!(operator_view(&world), (ether(20), ether(10)));
    assert_eq!(staker_view(&world, BOB), (ether(15), cents(750)));

    // Retiring the 50% condition brings the incident back to 20%.
    world.call(ORACLE, REGISTRY, &IReg::retireSlashingConditionCall { conditionId: high }).unwrap();
    let active = world.call(OWNER, REGISTRY, &IReg::activeSlashingConditionsCall { avs: ORACLE, setId: 1 }).unwrap();
    assert_eq!(active, vec![low, unaccepted]);
    assert_eq!(largest(&world), (low, percent(20)));
    assert_eq!(operator_view(&world), (ether(20), ether(4)));

    // A 10% slash: allocation 45%, max 95%, 38 delegated left.
    slash(&world, ORACLE, OPERATOR, low, wad_percent(10)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(38));
    assert_eq!(operator_view(&world), (ether(18), cents(360)), "38 × 45/95 and 38 × 9/95");
    assert_eq!(staker_view(&world, ALICE), (cents(450), cents(90)), "9.5 × 45/95 and 9.5 × 9/95");

    // A decrease to 20% stays slashable until the deallocation delay passes.
    allocate(&world, OPERATOR, ORACLE, 1, percent(20)).unwrap();
    assert_eq!(operator_view(&world), (ether(18), cents(360)), "a pending deallocation is still at risk");
    world.advance(DEALLOCATION_DELAY);
    assert_eq!(operator_view(&world), (ether(8), cents(160)), "38 × 20/95 and 38 × 4/95");

    // ALICE leaves: her view falls to zero and the operator's to BOB's 28.5.
    world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    assert_eq!(staker_view(&world, ALICE), (U256::ZERO, U256::ZERO));
    assert_eq!(operator_view(&world), (ether(6), cents(120)), "28.5 × 20/95 and 28.5 × 4/95");
    assert_eq!(staker_view(&world, BOB), operator_view(&world), "BOB is the whole delegation now");

    // Once it left the set and the deallocation delay passed, nothing is at risk.
    world.call(OPERATOR, REGISTRY, &IReg::deregisterFromOperatorSetsCall { avs: ORACLE, setIds: vec![1] }).unwrap();
    assert_eq!(operator_view(&world), (ether(6), cents(120)), "slashable for the deallocation delay");
    world.advance(DEALLOCATION_DELAY);
    assert_eq!(operator_view(&world), (U256::ZERO, U256::ZERO));
    assert_eq!(staker_view(&world, BOB), (U256::ZERO, U256::ZERO));
}

#[test]
fn exposure_rounds_up() {
    let world = setup_with_registry();
    deposit(&world, ALICE, U256::from(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    create_set(&world, ORACLE, 1);
    let id = add_condition(&world, ORACLE, 1, wad_percent(10), 0, Address::ZERO);
    join(&world, OPERATOR, ORACLE, 1, vec![id]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(33)).unwrap();
    // 10 wei × 33% = 3.3 and 10 × 3.3% = 0.33: both rounded up.
    assert_eq!(operator_view(&world), (U256::from(4), U256::from(1)));
}

#[test]
fn a_set_holds_a_bounded_number_of_active_conditions() {
    let world = setup_with_registry();
    create_set(&world, ORACLE, 1);
    let ids: Vec<u64> = (0..MAX_ACTIVE_CONDITIONS).map(|_| add_condition(&world, ORACLE, 1, wad_percent(10), 0, Address::ZERO)).collect();
    let call = IReg::addSlashingConditionCall {
        setId: 1,
        maxSlashWad: percent(10),
        slasher: ORACLE,
        vetoWindow: 0,
        resolver: Address::ZERO,
        redistributionRecipient: Address::ZERO,
        descriptionURI: "ipfs://condition".into(),
        evidenceSchemaHash: Default::default(),
    };
    let err = world.expect_revert(ORACLE, REGISTRY, &call).decode::<TooManyConditions>().unwrap();
    assert_eq!((err.avs, err.setId, err.max), (ORACLE, 1, U256::from(MAX_ACTIVE_CONDITIONS)));
    world.call(ORACLE, REGISTRY, &IReg::retireSlashingConditionCall { conditionId: ids[3] }).unwrap();
    let added = world.call(ORACLE, REGISTRY, &call).unwrap();
    let mut active = world.call(OWNER, REGISTRY, &IReg::activeSlashingConditionsCall { avs: ORACLE, setId: 1 }).unwrap();
    active.sort();
    let expected: Vec<u64> = ids.iter().copied().filter(|&i| i != ids[3]).chain([added]).collect();
    assert_eq!(active, expected);
}

#[test]
fn exposure_of_an_unknown_set_is_refused() {
    let world = setup_with_registry();
    let call = IReg::slashableStakeCall { operator: OPERATOR, avs: ORACLE, setId: 7, strategy: TOKEN };
    let err = world.expect_revert(OWNER, REGISTRY, &call).decode::<OperatorSetNotFound>().unwrap();
    assert_eq!((err.avs, err.setId), (ORACLE, 7));
    let call = IReg::largestSlashCapCall { operator: OPERATOR, avs: ORACLE, setId: 7 };
    assert!(world.expect_revert(OWNER, REGISTRY, &call).is::<OperatorSetNotFound>());
}
