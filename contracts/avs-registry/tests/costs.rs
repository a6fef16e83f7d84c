//! Scaling: storage slots written (each an SSTORE on chain) by a slash with
//! 1 and 1,000 delegated stakers, and by an operator in 200 operator sets.

use alloy_primitives::{Address, U256};
use keel_fixtures::registry::*;
use keel_fixtures::*;

/// Slots written by one slash of OPERATOR with `stakers` delegated stakers.
fn slash_writes(stakers: usize) -> usize {
    let world = setup_with_registry();
    for i in 0..stakers {
        let who = Address::from_word(U256::from(0x1_0000 + i).into());
        fund(&world, who, ether(1));
        deposit(&world, who, ether(1)).unwrap();
        delegate(&world, who, OPERATOR).unwrap();
    }
    create_set(&world, ORACLE, 1);
    let id = add_condition(&world, ORACLE, 1, wad_percent(100), 0, Address::ZERO);
    join(&world, OPERATOR, ORACLE, 1, vec![id]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(50)).unwrap();
    slash(&world, ORACLE, OPERATOR, id, wad_percent(10)).unwrap();
    let written = world.slots_written();
    assert_eq!(operator_shares(&world, OPERATOR), ether(stakers as u64) * U256::from(95) / U256::from(100));
    written
}

#[test]
fn a_slash_writes_the_same_slots_with_1_and_1000_stakers() {
    let (one, thousand) = (slash_writes(1), slash_writes(1_000));
    println!("slots written by a slash: {one} with 1 staker, {thousand} with 1,000 stakers");
    assert_eq!(one, thousand);
    // Registry: allocation, magnitudes, slash counter, guard; DelegationManager:
    // magnitude checkpoint; StrategyManager: pending slashed shares.
    assert!(one <= 8, "a slash writes {one} slots");
}

#[test]
fn an_operator_in_200_sets_registers_allocates_and_is_slashed_at_a_flat_cost() {
    const SETS: u64 = 200;
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(200)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let conditions: Vec<u64> = (0..SETS)
        .map(|s| {
            create_set(&world, ORACLE, s);
            add_condition(&world, ORACLE, s, wad_percent(100), 0, Address::ZERO)
        })
        .collect();
    let register = IReg::registerForOperatorSetsCall { avs: ORACLE, setIds: (0..SETS).collect(), acceptedConditionIds: conditions.clone() };
    world.call(OPERATOR, REGISTRY, &register).unwrap();
    let register_writes = world.slots_written();

    let share = percent(100) / SETS;
    let mut allocate_writes = Vec::new();
    for s in 0..SETS {
        allocate(&world, OPERATOR, ORACLE, s, share).unwrap();
        allocate_writes.push(world.slots_written());
    }
    assert_eq!(magnitudes(&world, OPERATOR), (percent(100), percent(100), 0));

    let mut slash_writes = Vec::new();
    for s in [0, 1, SETS / 2, SETS - 1] {
        world.advance(12);
        slash(&world, ORACLE, OPERATOR, conditions[s as usize], wad_percent(100)).unwrap();
        slash_writes.push(world.slots_written());
    }
    // Four sets slashed completely: 4 × 0.5% of 200 tokens; the other 196 keep 1 token each.
    assert_eq!(operator_shares(&world, OPERATOR), ether(196));
    let (max, _, _) = magnitudes(&world, OPERATOR);
    let stake = operator_shares(&world, OPERATOR) * U256::from(allocation(&world, OPERATOR, ORACLE, 2).0) / U256::from(max);
    assert_eq!(stake, ether(1));
    println!("operator in {SETS} sets: registerForOperatorSets({SETS} sets, {SETS} conditions) wrote {register_writes} slots; modifyAllocations wrote {:?} slots (first, last); slashes wrote {slash_writes:?}", (allocate_writes[0], allocate_writes[SETS as usize - 1]));
    // Condition ids 1..=200 share one acceptance bitmap word.
    assert_eq!(register_writes, SETS as usize + 1, "one registration slot per set, one acceptance word per 256 conditions");
    assert!(allocate_writes.iter().all(|&w| w == allocate_writes[0]), "allocating is flat in the number of sets");
    assert!(slash_writes[1..].iter().all(|&w| w == slash_writes[1]), "slashing is flat in the number of sets");
    // The pool's first magnitude checkpoint lives in its history's head word alone.
    assert_eq!(slash_writes[0] + 1, slash_writes[1], "a later slash also moves the previous checkpoint out of the head");
}

#[test]
fn storage_writes_per_registry_operation() {
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let mut costs = costs::SlotCosts::new(&world);
    costs.measure("registerAVS", 1, || {
        world.call(BRIDGE, REGISTRY, &IReg::registerAVSCall { metadataURI: "https://bridge.example".into() }).unwrap();
    });
    costs.measure("createOperatorSet (1 strategy)", 4, || {
        world.call(BRIDGE, REGISTRY, &IReg::createOperatorSetCall { setId: 1, strategies: vec![TOKEN] }).unwrap();
    });
    costs.measure("addSlashingCondition (veto window)", 10, || {
        add_condition(&world, BRIDGE, 1, wad_percent(50), 3_600, VICTIMS);
    });
    costs.measure("registerForOperatorSets (1 set, 1 condition)", 2, || join(&world, OPERATOR, BRIDGE, 1, vec![1]).unwrap());
    costs.measure("modifyAllocations (1 strategy)", 2, || allocate(&world, OPERATOR, BRIDGE, 1, percent(50)).unwrap());
    costs.measure("requestSlash (1 strategy, its evidence spent)", 6, || {
        request_slash(&world, BRIDGE, OPERATOR, 1, wad_percent(10)).unwrap();
    });
    costs.measure("vetoSlash", 1, || world.call(RESOLVER, REGISTRY, &IReg::vetoSlashCall { slashId: 1 }).map(|_| ()).unwrap());
    request_slash(&world, BRIDGE, OPERATOR, 1, wad_percent(10)).unwrap();
    world.advance(3_600);
    costs.measure("executeSlash (1 strategy, all contracts)", 6, || {
        let call = IReg::executeSlashCall { slashId: 2, strategies: vec![TOKEN], wads: vec![percent(10)] };
        world.call(CAROL, REGISTRY, &call).unwrap();
    });
    costs.measure("deregisterFromOperatorSets (1 set)", 1, || {
        world.call(OPERATOR, REGISTRY, &IReg::deregisterFromOperatorSetsCall { avs: BRIDGE, setIds: vec![1] }).unwrap();
    });
    costs.print("slots written per registry operation");
}

/// The 10,000-staker figure (about a minute natively, so not in CI):
/// `cargo test -p keel-avs-registry --test costs -- --ignored --nocapture`.
#[test]
#[ignore]
fn a_slash_writes_the_same_slots_with_1_and_10000_stakers() {
    let (one, many) = (slash_writes(1), slash_writes(10_000));
    println!("slots written by a slash: {one} with 1 staker, {many} with 10,000 stakers");
    assert_eq!(one, many);
}
