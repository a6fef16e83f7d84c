//! AVS registration, operator sets, slashing conditions, delayed slasher
//! changes and the owner's parameters.

use alloy_primitives::{Address, B256, U256};
use keel_avs_registry::{errors::*, MAX_STRATEGIES, MAX_VETO_WINDOW};
use keel_components::access::{Unauthorized, ZeroAddress};
use keel_fixtures::registry::*;
use keel_fixtures::*;

fn addr(n: u64) -> Address {
    Address::from_word(U256::from(n).into())
}

#[test]
fn avs_registration_and_metadata() {
    let world = setup_with_registry();
    let register = IReg::registerAVSCall { metadataURI: "https://oracle.example/avs.json".into() };
    world.call(ORACLE, REGISTRY, &register).unwrap();
    assert!(world.call(OWNER, REGISTRY, &IReg::isAVSCall { avs: ORACLE }).unwrap());
    assert_eq!(world.events::<AVSRegistered>(REGISTRY)[0].avs, ORACLE);
    let meta = &world.events::<AVSMetadataURIUpdated>(REGISTRY)[0];
    assert_eq!((meta.avs, meta.metadataURI.as_str()), (ORACLE, "https://oracle.example/avs.json"));
    assert_eq!(world.expect_revert(ORACLE, REGISTRY, &register).decode::<AVSAlreadyRegistered>().unwrap().avs, ORACLE);

    let long = "x".repeat(70);
    world.call(ORACLE, REGISTRY, &IReg::updateAVSMetadataURICall { metadataURI: long.clone() }).unwrap();
    assert_eq!(world.events::<AVSMetadataURIUpdated>(REGISTRY)[1].metadataURI, long);
    for uri in [String::new(), "y".repeat(64)] {
        world.call(ORACLE, REGISTRY, &IReg::updateAVSMetadataURICall { metadataURI: uri.clone() }).unwrap();
        assert_eq!(world.events::<AVSMetadataURIUpdated>(REGISTRY).pop().unwrap().metadataURI, uri);
    }
    let err = world.expect_revert(BRIDGE, REGISTRY, &IReg::updateAVSMetadataURICall { metadataURI: "".into() });
    assert_eq!(err.decode::<AVSNotRegistered>().unwrap().avs, BRIDGE);
    let err = world.expect_revert(BRIDGE, REGISTRY, &IReg::createOperatorSetCall { setId: 1, strategies: vec![] });
    assert!(err.is::<AVSNotRegistered>());
}

#[test]
fn operator_sets_hold_sorted_unique_bounded_strategies() {
    let world = setup_with_registry();
    create_set(&world, ORACLE, 1);
    assert_eq!(world.call(OWNER, REGISTRY, &IReg::operatorSetStrategiesCall { avs: ORACLE, setId: 1 }).unwrap(), vec![TOKEN]);
    let ev = &world.events::<OperatorSetCreated>(REGISTRY)[0];
    assert_eq!((ev.avs, ev.setId), (ORACLE, 1));
    assert_eq!(world.events::<StrategyAddedToOperatorSet>(REGISTRY)[0].strategy, TOKEN);
    let again = IReg::createOperatorSetCall { setId: 1, strategies: vec![] };
    assert_eq!(world.expect_revert(ORACLE, REGISTRY, &again).decode::<OperatorSetExists>().unwrap().setId, 1);

    let add =
        |strategies: Vec<Address>| world.call(ORACLE, REGISTRY, &IReg::addStrategiesToOperatorSetCall { setId: 1, strategies }).map(|_| ());
    assert_eq!(add(vec![addr(3), addr(2)]).unwrap_err().decode::<UnsortedStrategies>().unwrap().strategy, addr(2));
    assert_eq!(add(vec![addr(2), addr(2)]).unwrap_err().decode::<DuplicateStrategy>().unwrap().strategy, addr(2));
    assert_eq!(add(vec![TOKEN]).unwrap_err().decode::<StrategyAlreadyInSet>().unwrap().strategy, TOKEN);
    let missing = world.expect_revert(ORACLE, REGISTRY, &IReg::addStrategiesToOperatorSetCall { setId: 9, strategies: vec![] });
    assert_eq!(missing.decode::<OperatorSetNotFound>().unwrap().setId, 9);
    let too_many: Vec<Address> = (1..=MAX_STRATEGIES as u64).map(addr).collect();
    let err = add(too_many.clone()).unwrap_err().decode::<TooManyStrategies>().unwrap();
    assert_eq!((err.count, err.max), (U256::from(MAX_STRATEGIES + 1), U256::from(MAX_STRATEGIES)));
    add(too_many[..MAX_STRATEGIES - 1].to_vec()).unwrap();

    let remove = |strategies: Vec<Address>| {
        world.call(ORACLE, REGISTRY, &IReg::removeStrategiesFromOperatorSetCall { setId: 1, strategies }).map(|_| ())
    };
    remove(vec![addr(1), addr(5)]).unwrap();
    let left = world.call(OWNER, REGISTRY, &IReg::operatorSetStrategiesCall { avs: ORACLE, setId: 1 }).unwrap();
    assert_eq!(left.len(), MAX_STRATEGIES - 2);
    assert!(!left.contains(&addr(1)) && !left.contains(&addr(5)) && left.contains(&TOKEN));
    assert_eq!(remove(vec![addr(5)]).unwrap_err().decode::<StrategyNotInSet>().unwrap().strategy, addr(5));
    assert_eq!(world.events::<StrategyRemovedFromOperatorSet>(REGISTRY).len(), 2);
}

#[test]
fn slashing_conditions_are_published_checked_and_retired() {
    let world = setup_with_registry();
    create_set(&world, BRIDGE, 1);
    let base = IReg::addSlashingConditionCall {
        setId: 1,
        maxSlashWad: percent(20),
        slasher: BRIDGE,
        vetoWindow: 3_600,
        resolver: RESOLVER,
        redistributionRecipient: VICTIMS,
        descriptionURI: "ipfs://bridge-fraud".into(),
        evidenceSchemaHash: B256::repeat_byte(7),
    };
    let id = world.call(BRIDGE, REGISTRY, &base).unwrap();
    assert_eq!(id, 1);
    let c = world.call(OWNER, REGISTRY, &IReg::slashingConditionCall { conditionId: id }).unwrap();
    assert_eq!((c._0, c._1, c._2, c._3, c._4, c._5, c._6), (BRIDGE, 1, percent(20), 3_600, RESOLVER, VICTIMS, false));
    let d = world.call(OWNER, REGISTRY, &IReg::conditionDetailsCall { conditionId: id }).unwrap();
    let description = alloy_primitives::keccak256("ipfs://bridge-fraud");
    assert_eq!((d._0, d._1, d._2, d._3, d._4), (BRIDGE, Address::ZERO, 0, description, B256::repeat_byte(7)));
    let ev = &world.events::<SlashingConditionAdded>(REGISTRY)[0];
    assert_eq!((ev.conditionId, ev.avs, ev.maxSlashWad, ev.vetoWindow, ev.descriptionHash), (1, BRIDGE, percent(20), 3_600, description));
    assert_eq!(world.events::<SlashingConditionDescription>(REGISTRY)[0].descriptionURI, "ipfs://bridge-fraud");

    let refused = |call: IReg::addSlashingConditionCall| world.expect_revert(BRIDGE, REGISTRY, &call);
    assert!(refused(IReg::addSlashingConditionCall { maxSlashWad: 0, ..base.clone() }).is::<InvalidSlashCap>());
    assert!(refused(IReg::addSlashingConditionCall { maxSlashWad: percent(101), ..base.clone() }).is::<InvalidSlashCap>());
    let long = refused(IReg::addSlashingConditionCall { vetoWindow: MAX_VETO_WINDOW + 1, ..base.clone() });
    assert_eq!(long.decode::<VetoWindowTooLong>().unwrap().max, MAX_VETO_WINDOW);
    assert!(refused(IReg::addSlashingConditionCall { resolver: Address::ZERO, ..base.clone() }).is::<ZeroAddress>());
    assert!(refused(IReg::addSlashingConditionCall { slasher: Address::ZERO, ..base.clone() }).is::<ZeroAddress>());
    assert!(refused(IReg::addSlashingConditionCall { setId: 2, ..base.clone() }).is::<OperatorSetNotFound>());

    let retire = IReg::retireSlashingConditionCall { conditionId: id };
    assert_eq!(world.expect_revert(ORACLE, REGISTRY, &retire).decode::<Unauthorized>().unwrap().caller, ORACLE);
    world.call(BRIDGE, REGISTRY, &retire).unwrap();
    assert_eq!(world.events::<SlashingConditionRetired>(REGISTRY)[0].conditionId, id);
    assert!(world.call(OWNER, REGISTRY, &IReg::slashingConditionCall { conditionId: id }).unwrap()._6);
    assert!(world.expect_revert(BRIDGE, REGISTRY, &retire).is::<ConditionRetired>());
    let unknown = world.expect_revert(BRIDGE, REGISTRY, &IReg::retireSlashingConditionCall { conditionId: 42 });
    assert_eq!(unknown.decode::<ConditionNotFound>().unwrap().conditionId, 42);
}

#[test]
fn a_new_slasher_takes_over_only_after_the_delay() {
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    create_set(&world, ORACLE, 1);
    let id = add_condition(&world, ORACLE, 1, wad_percent(100), 0, Address::ZERO);
    join(&world, OPERATOR, ORACLE, 1, vec![id]).unwrap();
    allocate(&world, OPERATOR, ORACLE, 1, percent(100)).unwrap();
    let change = IReg::setConditionSlasherCall { conditionId: id, slasher: CAROL };
    assert!(world.expect_revert(BOB, REGISTRY, &change).is::<Unauthorized>());
    assert!(world
        .expect_revert(ORACLE, REGISTRY, &IReg::setConditionSlasherCall { conditionId: id, slasher: Address::ZERO })
        .is::<ZeroAddress>());
    world.call(ORACLE, REGISTRY, &change).unwrap();
    let at = world.timestamp() + SLASHER_DELAY;
    let ev = &world.events::<SlasherChangeQueued>(REGISTRY)[0];
    assert_eq!((ev.conditionId, ev.slasher, ev.effectiveAt), (id, CAROL, at));
    let d = world.call(OWNER, REGISTRY, &IReg::conditionDetailsCall { conditionId: id }).unwrap();
    assert_eq!((d._0, d._1, d._2), (ORACLE, CAROL, at));

    let err = slash(&world, CAROL, OPERATOR, id, wad_percent(10)).unwrap_err().decode::<NotSlasher>().unwrap();
    assert_eq!((err.caller, err.slasher), (CAROL, ORACLE));
    world.advance(SLASHER_DELAY);
    assert!(slash(&world, ORACLE, OPERATOR, id, wad_percent(10)).unwrap_err().is::<NotSlasher>());
    slash(&world, CAROL, OPERATOR, id, wad_percent(10)).unwrap();
    let d = world.call(OWNER, REGISTRY, &IReg::conditionDetailsCall { conditionId: id }).unwrap();
    assert_eq!((d._0, d._1, d._2), (CAROL, Address::ZERO, 0));
}

#[test]
fn the_owner_sets_delays_above_their_floors() {
    let world = setup_with_registry();
    let p = world.call(OWNER, REGISTRY, &IReg::parametersCall {}).unwrap();
    assert_eq!((p._0, p._1, p._2, p._3), (DM, CONFIG_DELAY, DEALLOCATION_DELAY, SLASHER_DELAY));
    let set = IReg::setParametersCall {
        allocationConfigurationDelay: 20 * 86_400,
        deallocationDelay: 14 * 86_400,
        slasherChangeDelay: 2 * 86_400,
    };
    assert!(world.expect_revert(ALICE, REGISTRY, &set).is::<Unauthorized>());
    world.call(OWNER, REGISTRY, &set).unwrap();
    let ev = world.events::<ParametersSet>(REGISTRY).pop().unwrap();
    assert_eq!((ev.allocationConfigurationDelay, ev.deallocationDelay, ev.slasherChangeDelay), (20 * 86_400, 14 * 86_400, 2 * 86_400));
    for bad in [
        IReg::setParametersCall { allocationConfigurationDelay: CONFIG_DELAY - 1, ..set.clone() },
        IReg::setParametersCall { deallocationDelay: keel_avs_registry::MIN_DEALLOCATION_DELAY - 1, ..set.clone() },
        IReg::setParametersCall { slasherChangeDelay: 0, ..set.clone() },
    ] {
        assert!(world.expect_revert(OWNER, REGISTRY, &bad).is::<DelayBelowMinimum>());
    }
    let huge = IReg::setParametersCall { deallocationDelay: u64::MAX, ..set };
    assert_eq!(
        world.expect_revert(OWNER, REGISTRY, &huge).decode::<DelayAboveMaximum>().unwrap().maximum,
        U256::from(keel_avs_registry::MAX_DELAY)
    );
}

#[test]
fn an_avs_sets_up_in_one_batch_as_itself_all_or_nothing() {
    use alloy_sol_types::SolCall;
    let world = setup_with_registry();
    let avs = addr(0xa5);
    let register = IReg::registerAVSCall { metadataURI: "https://avs.example/meta.json".into() }.abi_encode().into();
    let create = |set_id: u64| IReg::createOperatorSetCall { setId: set_id, strategies: vec![TOKEN] }.abi_encode().into();

    // Creating set 1 twice fails the batch: the AVS is not even registered after it.
    let failing = IReg::multicallCall { data: vec![register, create(1), create(1)] };
    assert_eq!(world.expect_revert(avs, REGISTRY, &failing).decode::<OperatorSetExists>().unwrap().setId, 1);
    assert!(!world.call(OWNER, REGISTRY, &IReg::isAVSCall { avs }).unwrap());

    let register = IReg::registerAVSCall { metadataURI: "https://avs.example/meta.json".into() }.abi_encode().into();
    world.call(avs, REGISTRY, &IReg::multicallCall { data: vec![register, create(1), create(2)] }).unwrap();
    assert!(world.call(OWNER, REGISTRY, &IReg::isAVSCall { avs }).unwrap(), "registered as the batch's sender");
    assert_eq!(
        world
            .expect_revert(avs, REGISTRY, &IReg::createOperatorSetCall { setId: 2, strategies: vec![TOKEN] })
            .decode::<OperatorSetExists>()
            .unwrap()
            .avs,
        avs
    );
}
