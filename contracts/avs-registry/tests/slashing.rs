//! Every refusal of a slash or a slash request, and slashes across strategies.

use alloy_primitives::{Address, B256, U256};
use keel_avs_registry::errors::*;
use keel_fixtures::registry::*;
use keel_fixtures::*;

/// OPERATOR (ALICE's 10 delegated) in ORACLE's set 1 under a 20% condition, 50% allocated.
fn ready() -> (World, u64) {
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    create_set(&world, ORACLE, 1);
    let id = add_condition(&world, ORACLE, 1, wad_percent(20), 0, Address::ZERO);
    join(&world, OPERATOR, ORACLE, 1, vec![id]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(50)).unwrap();
    (world, id)
}

#[test]
fn slashes_are_refused_outside_the_rules() {
    let (world, id) = ready();
    assert_eq!(slash(&world, ORACLE, OPERATOR, 9, wad_percent(1)).unwrap_err().decode::<ConditionNotFound>().unwrap().conditionId, 9);
    let err = slash(&world, BOB, OPERATOR, id, wad_percent(1)).unwrap_err().decode::<NotSlasher>().unwrap();
    assert_eq!((err.caller, err.slasher), (BOB, ORACLE));
    assert!(slash(&world, ORACLE, OPERATOR2, id, wad_percent(1)).unwrap_err().is::<ConditionNotAccepted>());
    assert!(slash(&world, ORACLE, OPERATOR, id, U256::ZERO).unwrap_err().is::<WadZero>());
    let err = slash(&world, ORACLE, OPERATOR, id, wad_percent(21)).unwrap_err().decode::<WadAboveCap>().unwrap();
    assert_eq!((err.strategy, err.wad, err.cap), (TOKEN, percent(21), percent(20)));
    assert!(request_slash(&world, ORACLE, OPERATOR, id, wad_percent(1)).unwrap_err().is::<NoVetoWindow>());

    let call = |strategies: Vec<Address>, wads: Vec<u64>| {
        world.call(ORACLE, REGISTRY, &IReg::slashCall { operator: OPERATOR, conditionId: id, strategies, wads, evidenceHash: B256::ZERO })
    };
    assert!(call(vec![TOKEN], vec![]).unwrap_err().is::<InputLengthMismatch>());
    assert!(call(vec![TOKEN, TOKEN], vec![1; 2]).unwrap_err().is::<DuplicateStrategy>());
    let stranger = Address::repeat_byte(0x42);
    assert_eq!(call(vec![stranger], vec![1]).unwrap_err().decode::<StrategyNotInSet>().unwrap().strategy, stranger);
    assert!(call(vec![stranger, TOKEN], vec![1; 2]).unwrap_err().is::<UnsortedStrategies>());
    assert_eq!(magnitude(&world, OPERATOR), U256::from(percent(100)), "nothing was slashed");
}

#[test]
fn an_operator_never_registered_is_not_slashable() {
    let (world, id) = ready();
    register(&world, OPERATOR2, Address::ZERO);
    // OPERATOR2 cannot accept the condition without registering, so forge the
    // case through a second set it joined and left long ago.
    create_set(&world, ORACLE, 2);
    let other = add_condition(&world, ORACLE, 2, wad_percent(20), 0, Address::ZERO);
    join(&world, OPERATOR2, ORACLE, 2, vec![other]).unwrap();
    world.call(OPERATOR2, REGISTRY, &IReg::deregisterFromOperatorSetsCall { avs: ORACLE, setIds: vec![2] }).unwrap();
    world.advance(DEALLOCATION_DELAY);
    let err = slash(&world, ORACLE, OPERATOR2, other, wad_percent(1)).unwrap_err().decode::<OperatorNotSlashable>().unwrap();
    assert_eq!(err.setId, 2);
    assert!(slash(&world, ORACLE, OPERATOR2, id, wad_percent(1)).unwrap_err().is::<ConditionNotAccepted>());
}

#[test]
fn repeated_slashes_compound_and_round_up() {
    let (world, id) = ready();
    for _ in 0..3 {
        slash(&world, ORACLE, OPERATOR, id, wad_percent(20)).unwrap();
    }
    // 50% × 0.8³ = 25.6%.
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(50) / 1000 * 512);
    assert_eq!(magnitudes(&world, OPERATOR).0, percent(100) - percent(50) + percent(50) / 1000 * 512);
    let ids: Vec<u64> = world.events::<OperatorSlashed>(REGISTRY).iter().map(|e| e.slashId).collect();
    assert_eq!(ids, vec![1, 2, 3]);
}

#[test]
fn one_slash_covers_several_strategies_each_against_the_delegation_manager() {
    let world = setup_with_registry();
    let second = Address::repeat_byte(0x77);
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    world.call(ORACLE, REGISTRY, &IReg::registerAVSCall { metadataURI: String::new() }).unwrap();
    let strategies = if TOKEN < second { vec![TOKEN, second] } else { vec![second, TOKEN] };
    world.call(ORACLE, REGISTRY, &IReg::createOperatorSetCall { setId: 3, strategies: strategies.clone() }).unwrap();
    let id = add_condition(&world, ORACLE, 3, wad_percent(100), 0, VICTIMS);
    join(&world, OPERATOR, ORACLE, 3, vec![id]).unwrap();
    let call =
        IReg::modifyAllocationsCall { avs: ORACLE, setId: 3, strategies: strategies.clone(), magnitudes: vec![percent(100), percent(100)] };
    world.call(OPERATOR, REGISTRY, &call).unwrap();
    let call = IReg::slashCall {
        operator: OPERATOR,
        conditionId: id,
        strategies: strategies.clone(),
        wads: vec![percent(30), percent(30)],
        evidenceHash: B256::ZERO,
    };
    world.call(ORACLE, REGISTRY, &call).unwrap();
    assert_eq!(world.events::<StrategySlashed>(REGISTRY).len(), 2);
    let paid: Vec<_> = world.events::<FundsRedistributed>(REGISTRY).iter().map(|e| (e.strategy, e.shares)).collect();
    assert!(paid.contains(&(TOKEN, ether(3))) && paid.contains(&(second, U256::ZERO)));
    let dm_stake = world.call(OWNER, DM, &IDM::operatorStakeCall { operator: OPERATOR, token: second }).unwrap();
    assert_eq!(dm_stake._1, U256::from(percent(70)));
}

#[test]
fn a_registry_that_is_not_the_delegation_managers_slasher_cannot_slash() {
    let world = core();
    type Args = (
        alloy_sol_types::sol_data::Address,
        alloy_sol_types::sol_data::Address,
        alloy_sol_types::sol_data::Uint<64>,
        alloy_sol_types::sol_data::Uint<64>,
        alloy_sol_types::sol_data::Uint<64>,
    );
    let args = (OWNER, DM, CONFIG_DELAY, DEALLOCATION_DELAY, SLASHER_DELAY);
    world.deploy(REGISTRY, keel_avs_registry::dispatch, OWNER, Some(constructor_calldata::<Args>(&args))).unwrap();
    world.call(OWNER, DM, &IDM::setSlasherCall { slasher: SLASHER }).unwrap();
    ready_operator(&world, OPERATOR);
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    create_set(&world, ORACLE, 1);
    let id = add_condition(&world, ORACLE, 1, wad_percent(100), 0, Address::ZERO);
    join(&world, OPERATOR, ORACLE, 1, vec![id]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(100)).unwrap();
    let err = slash(&world, ORACLE, OPERATOR, id, wad_percent(10)).unwrap_err();
    let failed = err.decode::<keel_components::calls::CallFailed>().unwrap();
    assert_eq!(failed.callee, DM);
    let inner = failed.reason;
    let inner = Revert(inner.to_vec()).decode::<keel_components::access::Unauthorized>().unwrap();
    assert_eq!(inner.caller, REGISTRY);
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(100), "the failed slash changed nothing");
}
