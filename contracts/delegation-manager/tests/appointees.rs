//! An operator's hot key changes its delegation approver and metadata
//! through `callAs`, only as far as it was appointed.

use alloy_primitives::{Address, Bytes, FixedBytes};
use alloy_sol_types::SolCall;
use keel_components::appointees::{NotAppointable, NotAppointed};
use keel_delegation_manager::errors::*;
use keel_fixtures::dm::IAppointees;
use keel_fixtures::*;

fn call_as<C: SolCall>(world: &World, caller: Address, account: Address, call: &C) -> Result<Bytes, Revert> {
    world.call(caller, DM, &IAppointees::callAsCall { account, data: call.abi_encode().into() })
}

fn appoint<C: SolCall>(world: &World, account: Address, appointee: Address) {
    world.call(account, DM, &IAppointees::setAppointeeCall { appointee, selector: FixedBytes(C::SELECTOR), allowed: true }).unwrap();
}

#[test]
fn a_hot_key_changes_its_operators_approver_and_nothing_else() {
    let world = setup();
    appoint::<IDM::modifyOperatorDetailsCall>(&world, OPERATOR, BOB);
    call_as(&world, BOB, OPERATOR, &IDM::modifyOperatorDetailsCall { delegationApprover: CAROL }).unwrap();
    let modified = world.events::<OperatorDetailsModified>(DM).pop().unwrap();
    assert_eq!((modified.operator, modified.delegationApprover), (OPERATOR, CAROL));

    let metadata = IDM::updateOperatorMetadataURICall { metadataURI: "ipfs://op".into() };
    let err = call_as(&world, BOB, OPERATOR, &metadata).unwrap_err().decode::<NotAppointed>().unwrap();
    assert_eq!((err.account, err.caller), (OPERATOR, BOB));
    // A grant from an account that is no operator gives nothing.
    appoint::<IDM::modifyOperatorDetailsCall>(&world, ALICE, BOB);
    let err = call_as(&world, BOB, ALICE, &IDM::modifyOperatorDetailsCall { delegationApprover: CAROL }).unwrap_err();
    assert_eq!(err.decode::<OperatorNotRegistered>().unwrap().operator, ALICE);
    // Staker and owner functions cannot be appointed.
    for selector in [IDM::delegateToCall::SELECTOR, IDM::queueWithdrawalCall::SELECTOR, IDM::setWithdrawalDelayCall::SELECTOR] {
        let call = IAppointees::setAppointeeCall { appointee: BOB, selector: FixedBytes(selector), allowed: true };
        assert!(world.expect_revert(ALICE, DM, &call).is::<NotAppointable>());
    }
}
