//! Operators: registration with explicit conditions, deregistration,
//! allocation delays, allocations and their timing.

use alloy_primitives::{Address, U256};
use keel_avs_registry::{errors::*, PAUSED_ALLOCATION, PAUSED_REGISTRATION};
use keel_components::access::CurrentlyPaused;
use keel_fixtures::registry::*;
use keel_fixtures::*;

/// ORACLE's set 1 with conditions `a` (10%) and `b` (50%).
fn oracle() -> (World, u64, u64) {
    let world = setup_with_registry();
    create_set(&world, ORACLE, 1);
    let a = add_condition(&world, ORACLE, 1, wad_percent(10), 0, Address::ZERO);
    let b = add_condition(&world, ORACLE, 1, wad_percent(50), 0, Address::ZERO);
    (world, a, b)
}

#[test]
fn operators_register_accepting_explicit_conditions() {
    let (world, a, b) = oracle();
    let err = join(&world, ALICE, ORACLE, 1, vec![]).unwrap_err();
    assert_eq!(err.decode::<NotAnOperator>().unwrap().operator, ALICE);
    assert!(join(&world, OPERATOR, ORACLE, 2, vec![]).unwrap_err().is::<OperatorSetNotFound>());
    assert!(join(&world, OPERATOR, ORACLE, 1, vec![77]).unwrap_err().is::<ConditionNotFound>());
    join(&world, OPERATOR, ORACLE, 1, vec![a]).unwrap();
    let ev = &world.events::<OperatorRegistered>(REGISTRY)[0];
    assert_eq!((ev.operator, ev.avs, ev.setId), (OPERATOR, ORACLE, 1));
    assert_eq!(world.events::<SlashingConditionAccepted>(REGISTRY)[0].conditionId, a);
    let accepted = |id| world.call(OWNER, REGISTRY, &IReg::hasAcceptedConditionCall { operator: OPERATOR, conditionId: id }).unwrap();
    assert!(accepted(a) && !accepted(b));
    let status = world.call(OWNER, REGISTRY, &IReg::registrationStatusCall { operator: OPERATOR, avs: ORACLE, setId: 1 }).unwrap();
    assert_eq!((status._0, status._1, status._2), (true, true, 0));
    assert!(join(&world, OPERATOR, ORACLE, 1, vec![]).unwrap_err().is::<AlreadyRegistered>());

    // A condition added later binds the operator only once accepted.
    let c = add_condition(&world, ORACLE, 1, wad_percent(100), 0, Address::ZERO);
    allocate(&world, OPERATOR, ORACLE, 1, percent(10)).unwrap();
    let err = slash(&world, ORACLE, OPERATOR, c, wad_percent(100)).unwrap_err().decode::<ConditionNotAccepted>().unwrap();
    assert_eq!((err.operator, err.conditionId), (OPERATOR, c));
    world.call(OPERATOR, REGISTRY, &IReg::acceptSlashingConditionsCall { conditionIds: vec![b, c] }).unwrap();
    assert!(accepted(b) && accepted(c));
    world.call(ORACLE, REGISTRY, &IReg::retireSlashingConditionCall { conditionId: b }).unwrap();
    let err = world.expect_revert(OPERATOR, REGISTRY, &IReg::acceptSlashingConditionsCall { conditionIds: vec![b] });
    assert!(err.is::<ConditionRetired>());
    assert!(slash(&world, ORACLE, OPERATOR, b, wad_percent(1)).unwrap_err().is::<ConditionRetired>());
    // Conditions of sets the operator is not in cannot be accepted.
    create_set(&world, ORACLE, 2);
    let other = add_condition(&world, ORACLE, 2, wad_percent(10), 0, Address::ZERO);
    let err = world.expect_revert(OPERATOR, REGISTRY, &IReg::acceptSlashingConditionsCall { conditionIds: vec![other] });
    assert_eq!(err.decode::<NotRegistered>().unwrap().setId, 2);
}

#[test]
fn deregistered_operators_stay_slashable_for_the_deallocation_delay() {
    let (world, a, _) = oracle();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    join(&world, OPERATOR, ORACLE, 1, vec![a]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(100)).unwrap();
    let leave = IReg::deregisterFromOperatorSetsCall { avs: ORACLE, setIds: vec![1] };
    world.call(OPERATOR, REGISTRY, &leave).unwrap();
    let until = world.timestamp() + DEALLOCATION_DELAY;
    assert_eq!(world.events::<OperatorDeregistered>(REGISTRY)[0].slashableUntil, until);
    assert!(world.expect_revert(OPERATOR, REGISTRY, &leave).is::<NotRegistered>());
    let status = world.call(OWNER, REGISTRY, &IReg::registrationStatusCall { operator: OPERATOR, avs: ORACLE, setId: 1 }).unwrap();
    assert_eq!((status._0, status._1, status._2), (false, true, until));

    world.advance(DEALLOCATION_DELAY - 1);
    slash(&world, ORACLE, OPERATOR, a, wad_percent(10)).unwrap();
    world.advance(1);
    let err = slash(&world, ORACLE, OPERATOR, a, wad_percent(10)).unwrap_err().decode::<OperatorNotSlashable>().unwrap();
    assert_eq!((err.operator, err.avs, err.setId), (OPERATOR, ORACLE, 1));
    // Registering again makes it slashable again.
    join(&world, OPERATOR, ORACLE, 1, vec![]).unwrap();
    slash(&world, ORACLE, OPERATOR, a, wad_percent(10)).unwrap();
}

#[test]
fn allocation_delays_take_effect_after_the_configuration_delay() {
    let (world, _, _) = oracle();
    register(&world, OPERATOR2, Address::ZERO);
    let delay = |op| {
        let r = world.call(OWNER, REGISTRY, &IReg::allocationDelayCall { operator: op }).unwrap();
        (r._0, r._1)
    };
    assert_eq!(delay(OPERATOR2), (false, 0));
    assert_eq!(allocate(&world, OPERATOR2, ORACLE, 1, 1).unwrap_err().decode::<AllocationDelayNotSet>().unwrap().operator, OPERATOR2);
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 600 }).unwrap();
    let ev = world.events::<AllocationDelaySet>(REGISTRY).pop().unwrap();
    assert_eq!((ev.delay, ev.effectiveAt), (600, world.timestamp() + CONFIG_DELAY));
    world.advance(CONFIG_DELAY - 1);
    assert_eq!(delay(OPERATOR2), (false, 0));
    world.advance(1);
    assert_eq!(delay(OPERATOR2), (true, 600));
    // A later change keeps the old delay until it takes effect.
    world.call(OPERATOR2, REGISTRY, &IReg::setAllocationDelayCall { delay: 60 }).unwrap();
    assert_eq!(delay(OPERATOR2), (true, 600));
    allocate(&world, OPERATOR2, ORACLE, 1, percent(10)).unwrap();
    assert_eq!(allocation(&world, OPERATOR2, ORACLE, 1), (0, percent(10), world.timestamp() + 600));
    world.advance(CONFIG_DELAY);
    assert_eq!(delay(OPERATOR2), (true, 60));
}

#[test]
fn increases_wait_for_the_allocation_delay_and_decreases_for_the_deallocation_delay() {
    let (world, a, _) = oracle();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    join(&world, OPERATOR, ORACLE, 1, vec![a]).unwrap();
    world.call(OPERATOR, REGISTRY, &IReg::setAllocationDelayCall { delay: 1_000 }).unwrap();
    world.advance(CONFIG_DELAY);
    allocate(&world, OPERATOR, ORACLE, 1, percent(60)).unwrap();
    let ev = world.events::<AllocationUpdated>(REGISTRY).pop().unwrap();
    assert_eq!(
        (ev.operator, ev.avs, ev.strategy, ev.setId, ev.magnitude, ev.effectiveAt),
        (OPERATOR, ORACLE, TOKEN, 1, percent(60), world.timestamp() + 1_000)
    );
    assert_eq!(world.events::<EncumberedMagnitudeUpdated>(REGISTRY).pop().unwrap().encumberedMagnitude, percent(60));
    assert_eq!(magnitudes(&world, OPERATOR), (percent(100), percent(60), percent(40)));
    // Not slashable while pending.
    assert!(slash(&world, ORACLE, OPERATOR, a, wad_percent(10)).unwrap_err().is::<NoSlashableAllocation>());
    let err = allocate(&world, OPERATOR, ORACLE, 1, percent(70)).unwrap_err().decode::<AllocationPending>().unwrap();
    assert_eq!(err.effectiveAt, world.timestamp() + 1_000);
    world.advance(1_000);
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1), (percent(60), percent(60), 0));

    // Over-allocation is refused.
    create_set(&world, ORACLE, 2);
    let err = allocate(&world, OPERATOR, ORACLE, 2, percent(41)).unwrap_err().decode::<InsufficientMagnitude>().unwrap();
    assert_eq!((err.available, err.requested), (percent(40), percent(41)));

    // A decrease stays slashable (and encumbered) for the deallocation delay.
    allocate(&world, OPERATOR, ORACLE, 1, percent(20)).unwrap();
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1), (percent(60), percent(20), world.timestamp() + DEALLOCATION_DELAY));
    assert!(allocate(&world, OPERATOR, ORACLE, 2, percent(41)).unwrap_err().is::<InsufficientMagnitude>());
    world.advance(DEALLOCATION_DELAY - 1);
    slash(&world, ORACLE, OPERATOR, a, wad_percent(10)).unwrap();
    // 10% of 60%: 6% slashed; the pending decrease of 40% shrinks to 36%.
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1), (percent(54), percent(18), world.timestamp() + 1));
    assert_eq!(magnitudes(&world, OPERATOR), (percent(94), percent(54), percent(40)));
    world.advance(1);
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1), (percent(18), percent(18), 0));
    // The released magnitude is freed when the allocation is touched again.
    allocate(&world, OPERATOR, ORACLE, 1, percent(18)).unwrap();
    assert_eq!(magnitudes(&world, OPERATOR), (percent(94), percent(18), percent(76)));
    allocate(&world, OPERATOR, ORACLE, 2, percent(76)).unwrap();
}

#[test]
fn allocations_need_sorted_strategies_of_the_set() {
    let (world, _, _) = oracle();
    let call = |strategies: Vec<Address>, magnitudes: Vec<u64>| {
        world.call(OPERATOR, REGISTRY, &IReg::modifyAllocationsCall { avs: ORACLE, setId: 1, strategies, magnitudes }).map(|_| ())
    };
    assert!(call(vec![TOKEN], vec![]).unwrap_err().is::<InputLengthMismatch>());
    assert!(call(vec![TOKEN, TOKEN], vec![1, 1]).unwrap_err().is::<DuplicateStrategy>());
    let other = Address::repeat_byte(0x99);
    let err = call(vec![other], vec![1]).unwrap_err().decode::<StrategyNotInSet>().unwrap();
    assert_eq!(err.strategy, other);
    assert!(world
        .expect_revert(OPERATOR, REGISTRY, &IReg::modifyAllocationsCall { avs: ORACLE, setId: 5, strategies: vec![], magnitudes: vec![] })
        .is::<OperatorSetNotFound>());
    let over = call(vec![TOKEN], vec![percent(100) + 1]).unwrap_err().decode::<InsufficientMagnitude>().unwrap();
    assert_eq!(over.requested, percent(100) + 1);
}

#[test]
fn registration_and_allocation_can_be_paused() {
    let (world, a, _) = oracle();
    world.call(OWNER, REGISTRY, &avs::IAccessControl::pauseCall { bits: U256::from(1u8 << PAUSED_REGISTRATION) }).unwrap();
    assert_eq!(join(&world, OPERATOR, ORACLE, 1, vec![a]).unwrap_err().decode::<CurrentlyPaused>().unwrap().flag, PAUSED_REGISTRATION);
    world.call(OWNER, REGISTRY, &avs::IAccessControl::pauseCall { bits: U256::from(1u8 << PAUSED_ALLOCATION) }).unwrap();
    assert_eq!(allocate(&world, OPERATOR, ORACLE, 1, 1).unwrap_err().decode::<CurrentlyPaused>().unwrap().flag, PAUSED_ALLOCATION);
}
