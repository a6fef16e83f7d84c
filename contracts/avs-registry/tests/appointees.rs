//! Appointees: an operator or AVS lets another address call chosen `act`
//! functions on its behalf through `callAs`, and nothing else.

use alloy_primitives::{Address, Bytes, FixedBytes, B256, U256};
use alloy_sol_types::SolCall;
use keel_avs_registry::errors::*;
use keel_components::access::ZeroAddress;
use keel_components::appointees::{AppointeeSet, NotAppointable, NotAppointed};
use keel_fixtures::registry::avs::{IAccessControl, IAppointees};
use keel_fixtures::registry::*;
use keel_fixtures::*;

fn selector<C: SolCall>() -> FixedBytes<4> {
    FixedBytes(C::SELECTOR)
}

fn appoint<C: SolCall>(world: &World, account: Address, appointee: Address, allowed: bool) -> Result<(), Revert> {
    let call = IAppointees::setAppointeeCall { appointee, selector: selector::<C>(), allowed };
    world.call(account, REGISTRY, &call).map(|_| ())
}

/// `caller` calls `call` on the registry as `account`; the inner output.
fn call_as<C: SolCall>(world: &World, caller: Address, account: Address, call: &C) -> Result<Bytes, Revert> {
    world.call(caller, REGISTRY, &IAppointees::callAsCall { account, data: call.abi_encode().into() })
}

fn is_appointee<C: SolCall>(world: &World, account: Address, appointee: Address) -> bool {
    world.call(OWNER, REGISTRY, &IAppointees::isAppointeeCall { account, appointee, selector: selector::<C>() }).unwrap()
}

#[test]
fn an_operator_hot_key_allocates_for_it_until_revoked() {
    let world = setup_with_registry();
    create_set(&world, ORACLE, 1);
    join(&world, OPERATOR, ORACLE, 1, vec![]).unwrap();
    appoint::<IReg::modifyAllocationsCall>(&world, OPERATOR, BOB, true).unwrap();
    let grant = world.events::<AppointeeSet>(REGISTRY).pop().unwrap();
    assert_eq!(
        (grant.account, grant.appointee, grant.selector, grant.allowed),
        (OPERATOR, BOB, selector::<IReg::modifyAllocationsCall>(), true)
    );
    assert!(is_appointee::<IReg::modifyAllocationsCall>(&world, OPERATOR, BOB));
    assert!(!is_appointee::<IReg::modifyAllocationsCall>(&world, OPERATOR2, BOB), "a grant is per account");
    assert!(!is_appointee::<IReg::deregisterFromOperatorSetsCall>(&world, OPERATOR, BOB), "and per function");

    let allocate = IReg::modifyAllocationsCall { avs: ORACLE, setId: 1, strategies: vec![TOKEN], magnitudes: vec![percent(30)] };
    assert!(call_as(&world, BOB, OPERATOR, &allocate).unwrap().is_empty(), "no return value, no output");
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(30), "the operator's allocation moved");
    assert_eq!(allocation(&world, BOB, ORACLE, 1).0, 0, "not the appointee's");

    // The account's own errors come back as they are, naming the account.
    let err =
        call_as(&world, BOB, OPERATOR, &IReg::modifyAllocationsCall { magnitudes: vec![percent(101)], ..allocate.clone() }).unwrap_err();
    assert_eq!(err.decode::<InsufficientMagnitude>().unwrap().operator, OPERATOR);

    let leave = IReg::deregisterFromOperatorSetsCall { avs: ORACLE, setIds: vec![1] };
    let err = call_as(&world, BOB, OPERATOR, &leave).unwrap_err().decode::<NotAppointed>().unwrap();
    assert_eq!((err.account, err.caller, err.selector), (OPERATOR, BOB, selector::<IReg::deregisterFromOperatorSetsCall>()));
    let err = call_as(&world, BOB, OPERATOR2, &allocate).unwrap_err().decode::<NotAppointed>().unwrap();
    assert_eq!(err.account, OPERATOR2);

    appoint::<IReg::modifyAllocationsCall>(&world, OPERATOR, BOB, false).unwrap();
    assert!(!world.events::<AppointeeSet>(REGISTRY).pop().unwrap().allowed);
    assert!(!is_appointee::<IReg::modifyAllocationsCall>(&world, OPERATOR, BOB));
    assert!(call_as(&world, BOB, OPERATOR, &allocate).unwrap_err().is::<NotAppointed>(), "revoked at once");
}

#[test]
fn an_avs_appointee_runs_its_sets_and_conditions() {
    let world = setup_with_registry();
    create_set(&world, ORACLE, 1);
    appoint::<IReg::createOperatorSetCall>(&world, ORACLE, CAROL, true).unwrap();
    appoint::<IReg::addSlashingConditionCall>(&world, ORACLE, CAROL, true).unwrap();

    call_as(&world, CAROL, ORACLE, &IReg::createOperatorSetCall { setId: 2, strategies: vec![TOKEN] }).unwrap();
    assert_eq!(world.events::<OperatorSetCreated>(REGISTRY).pop().unwrap().avs, ORACLE);
    let condition = IReg::addSlashingConditionCall {
        setId: 2,
        maxSlashWad: percent(10),
        slasher: SLASHER,
        vetoWindow: 0,
        resolver: Address::ZERO,
        redistributionRecipient: Address::ZERO,
        descriptionURI: "ipfs://appointed".into(),
        evidenceSchemaHash: B256::ZERO,
    };
    let output = call_as(&world, CAROL, ORACLE, &condition).unwrap();
    let id = IReg::addSlashingConditionCall::abi_decode_returns(&output).unwrap();
    assert_eq!(world.call(OWNER, REGISTRY, &IReg::slashingConditionCall { conditionId: id }).unwrap()._0, ORACLE);

    // Acting for an AVS is still acting as that AVS: its own checks apply.
    let err = call_as(&world, CAROL, ORACLE, &IReg::createOperatorSetCall { setId: 2, strategies: vec![] }).unwrap_err();
    assert_eq!(err.decode::<OperatorSetExists>().unwrap().avs, ORACLE);
    appoint::<IReg::createOperatorSetCall>(&world, BRIDGE, CAROL, true).unwrap();
    let err = call_as(&world, CAROL, BRIDGE, &IReg::createOperatorSetCall { setId: 1, strategies: vec![] }).unwrap_err();
    assert_eq!(err.decode::<AVSNotRegistered>().unwrap().avs, BRIDGE, "a grant from an unregistered AVS gives nothing");
    let retire = IReg::retireSlashingConditionCall { conditionId: id };
    assert!(call_as(&world, CAROL, ORACLE, &retire).unwrap_err().is::<NotAppointed>());
}

#[test]
fn only_functions_acting_as_an_operator_or_avs_can_be_appointed() {
    let world = setup_with_registry();
    let refused = |sel: FixedBytes<4>| {
        let call = IAppointees::setAppointeeCall { appointee: BOB, selector: sel, allowed: true };
        world.expect_revert(OWNER, REGISTRY, &call).decode::<NotAppointable>().unwrap().selector
    };
    for sel in [
        selector::<IReg::slashCall>(),
        selector::<IReg::executeSlashCall>(),
        selector::<IReg::vetoSlashCall>(),
        selector::<IReg::registerAVSCall>(),
        selector::<IReg::setParametersCall>(),
        selector::<IAccessControl::transferOwnershipCall>(),
        selector::<IAccessControl::pauseCall>(),
        selector::<IAppointees::setAppointeeCall>(),
        selector::<IAppointees::callAsCall>(),
        selector::<IReg::multicallCall>(),
        selector::<IReg::isAVSCall>(),
        FixedBytes([0xde, 0xad, 0xbe, 0xef]),
    ] {
        assert_eq!(refused(sel), sel);
    }
    let zero =
        IAppointees::setAppointeeCall { appointee: Address::ZERO, selector: selector::<IReg::setAllocationDelayCall>(), allowed: true };
    assert!(world.expect_revert(OPERATOR, REGISTRY, &zero).is::<ZeroAddress>());

    // Not even the account itself reaches anything else through callAs: an
    // appointee can never re-appoint, and the owner's functions stay the owner's.
    let reappoint = IAppointees::setAppointeeCall { appointee: CAROL, selector: selector::<IReg::setAllocationDelayCall>(), allowed: true };
    assert!(call_as(&world, OPERATOR, OPERATOR, &reappoint).unwrap_err().is::<NotAppointable>());
    let pause = IAccessControl::pauseCall { bits: U256::MAX };
    assert!(call_as(&world, OWNER, OWNER, &pause).unwrap_err().is::<NotAppointable>());
    let short = IAppointees::callAsCall { account: OPERATOR, data: Bytes::from_static(&[1, 2, 3]) };
    assert!(world.expect_revert(OPERATOR, REGISTRY, &short).0.is_empty(), "calldata without a selector reverts with no data");

    // The account calling for itself needs no grant.
    call_as(&world, OPERATOR2, OPERATOR2, &IReg::setAllocationDelayCall { delay: 5 }).unwrap();
    assert_eq!(world.call(OWNER, REGISTRY, &IReg::pendingAllocationDelayCall { operator: OPERATOR2 }).unwrap()._0, 5);
}

#[test]
fn a_hot_key_batches_calls_for_its_operator() {
    let world = setup_with_registry();
    create_set(&world, ORACLE, 1);
    let condition = add_condition(&world, ORACLE, 1, wad_percent(10), 0, Address::ZERO);
    for (sel, allowed) in [(selector::<IReg::registerForOperatorSetsCall>(), true), (selector::<IReg::modifyAllocationsCall>(), true)] {
        world.call(OPERATOR, REGISTRY, &IAppointees::setAppointeeCall { appointee: BOB, selector: sel, allowed }).unwrap();
    }
    let join = IReg::registerForOperatorSetsCall { avs: ORACLE, setIds: vec![1], acceptedConditionIds: vec![condition] };
    let allocate = IReg::modifyAllocationsCall { avs: ORACLE, setId: 1, strategies: vec![TOKEN], magnitudes: vec![percent(50)] };
    let wrap = |data: Vec<u8>| Bytes::from(IAppointees::callAsCall { account: OPERATOR, data: data.into() }.abi_encode());
    let batch = IReg::multicallCall { data: vec![wrap(join.abi_encode()), wrap(allocate.abi_encode())] };
    world.call(BOB, REGISTRY, &batch).unwrap();
    let status = world.call(OWNER, REGISTRY, &IReg::registrationStatusCall { operator: OPERATOR, avs: ORACLE, setId: 1 }).unwrap();
    assert!(status._0, "registered as the operator");
    assert!(world.call(OWNER, REGISTRY, &IReg::hasAcceptedConditionCall { operator: OPERATOR, conditionId: condition }).unwrap());
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(50));
}
