//! Operators, delegation, approver signatures and undelegation.

use alloy_primitives::{Address, Bytes, B256, U256};
use k256::ecdsa::SigningKey;
use keel_components::access::Unauthorized;
use keel_delegation_manager::errors::*;
use keel_fixtures::*;
use keel_math::eip712::{delegation_approval_struct_hash, typed_data_digest};

#[test]
fn operators_register_once_and_are_self_delegated() {
    let world = setup();
    assert!(world.call(OWNER, DM, &IDM::operatorDetailsCall { account: OPERATOR }).unwrap()._0);
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: OPERATOR }).unwrap(), OPERATOR);
    let ev = &world.events::<OperatorRegistered>(DM)[0];
    assert_eq!((ev.operator, ev.delegationApprover), (OPERATOR, Address::ZERO));
    let err = world
        .call(OPERATOR, DM, &IDM::registerAsOperatorCall { delegationApprover: Address::ZERO, metadataURI: String::new() })
        .err()
        .expect("must revert");
    assert_eq!(err.decode::<AlreadyDelegated>().unwrap().operator, OPERATOR);
    let err = world.expect_revert(ALICE, DM, &IDM::updateOperatorMetadataURICall { metadataURI: "x".into() });
    assert!(err.is::<OperatorNotRegistered>());
}

#[test]
fn an_operators_own_deposits_count_as_delegated() {
    let world = setup();
    deposit(&world, OPERATOR, ether(5)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(5));
}

#[test]
fn delegation_moves_existing_and_future_deposits_to_the_operator() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(10));
    deposit(&world, ALICE, ether(5)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(15));
    assert_eq!(withdrawable(&world, ALICE), ether(15));
    let ev = world.events::<StakerDelegated>(DM).into_iter().find(|e| e.staker == ALICE).unwrap();
    assert_eq!(ev.operator, OPERATOR);
}

#[test]
fn bad_delegations_are_refused_by_name() {
    let world = setup();
    assert!(delegate(&world, ALICE, BOB).unwrap_err().is::<OperatorNotRegistered>());
    delegate(&world, ALICE, OPERATOR).unwrap();
    register(&world, OPERATOR2, Address::ZERO);
    let err = delegate(&world, ALICE, OPERATOR2).unwrap_err();
    assert_eq!(err.decode::<AlreadyDelegated>().unwrap().operator, OPERATOR);
    let err = world.expect_revert(BOB, SM, &ISM::depositIntoStrategyCall { token: TOKEN, amount: U256::ZERO });
    assert!(err.is::<keel_strategy_manager::errors::ZeroAmount>());
}

fn approver() -> (SigningKey, Address) {
    let key = SigningKey::from_slice(&[0x33; 32]).unwrap();
    let address = Address::from_public_key(key.verifying_key());
    (key, address)
}

fn approval(world: &World, key: &SigningKey, staker: Address, salt: B256, expiry: U256) -> Bytes {
    let domain = world.call(OWNER, DM, &IDM::domainSeparatorCall {}).unwrap();
    let digest = typed_data_digest(domain, delegation_approval_struct_hash(staker, OPERATOR2, salt, expiry));
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    bytes.into()
}

#[test]
fn approver_signatures_are_checked_single_use_and_expiring() {
    let world = setup();
    let (key, approver_address) = approver();
    register(&world, OPERATOR2, approver_address);
    let expiry = U256::from(world.timestamp() + 100);
    let salt = B256::repeat_byte(1);

    let unsigned =
        IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: Default::default(), approverSalt: salt };
    let err = world.expect_revert(ALICE, DM, &unsigned);
    assert_eq!(err.decode::<InvalidSignature>().unwrap().approver, approver_address);

    let signature = approval(&world, &key, ALICE, salt, expiry);
    let stolen =
        IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: signature.clone(), approverSalt: salt };
    assert!(world.expect_revert(BOB, DM, &stolen).is::<InvalidSignature>(), "Alice's approval does not work for Bob");
    world.call(ALICE, DM, &stolen).unwrap();
    assert!(world.call(OWNER, DM, &IDM::isSaltSpentCall { approver: approver_address, salt }).unwrap());

    let replay = IDM::delegateToCall {
        operator: OPERATOR2,
        approverExpiry: expiry,
        approverSignature: approval(&world, &key, BOB, salt, expiry),
        approverSalt: salt,
    };
    assert!(world.expect_revert(BOB, DM, &replay).is::<SaltAlreadySpent>());

    world.advance(101);
    let salt2 = B256::repeat_byte(2);
    let late = IDM::delegateToCall {
        operator: OPERATOR2,
        approverExpiry: expiry,
        approverSignature: approval(&world, &key, BOB, salt2, expiry),
        approverSalt: salt2,
    };
    assert!(world.expect_revert(BOB, DM, &late).is::<SignatureExpired>());
}

#[test]
fn an_operator_can_gate_and_reopen_delegation() {
    let world = setup();
    let (key, approver_address) = approver();
    register(&world, OPERATOR2, Address::ZERO);
    let details = |world: &World| {
        let details = world.call(OWNER, DM, &IDM::operatorDetailsCall { account: OPERATOR2 }).unwrap();
        (details._0, details._1)
    };
    assert_eq!(details(&world), (true, Address::ZERO));

    world.call(OPERATOR2, DM, &IDM::modifyOperatorDetailsCall { delegationApprover: approver_address }).unwrap();
    assert_eq!(details(&world), (true, approver_address));
    let (expiry, salt) = (U256::from(world.timestamp() + 100), B256::repeat_byte(9));
    let unsigned =
        IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: Default::default(), approverSalt: salt };
    assert_eq!(world.expect_revert(ALICE, DM, &unsigned).decode::<InvalidSignature>().unwrap().approver, approver_address);
    let signed = IDM::delegateToCall {
        operator: OPERATOR2,
        approverExpiry: expiry,
        approverSignature: approval(&world, &key, ALICE, salt, expiry),
        approverSalt: salt,
    };
    world.call(ALICE, DM, &signed).unwrap();

    world.call(OPERATOR2, DM, &IDM::modifyOperatorDetailsCall { delegationApprover: Address::ZERO }).unwrap();
    assert_eq!(details(&world), (true, Address::ZERO));
    delegate(&world, BOB, OPERATOR2).unwrap();
    let changes: Vec<Address> = world.events::<OperatorDetailsModified>(DM).into_iter().map(|e| e.delegationApprover).collect();
    assert_eq!(changes, [approver_address, Address::ZERO]);
    let err = world.expect_revert(ALICE, DM, &IDM::modifyOperatorDetailsCall { delegationApprover: ALICE });
    assert!(err.is::<OperatorNotRegistered>());
}

#[test]
fn undelegation_queues_everything_and_is_limited_to_the_right_callers() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    assert!(world.expect_revert(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).is::<NotDelegated>());
    delegate(&world, ALICE, OPERATOR).unwrap();
    let err = world.expect_revert(BOB, DM, &IDM::undelegateCall { staker: ALICE });
    assert_eq!(err.decode::<Unauthorized>().unwrap().caller, BOB);
    let err = world.expect_revert(OPERATOR, DM, &IDM::undelegateCall { staker: OPERATOR });
    assert!(err.is::<OperatorsCannotUndelegate>());

    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    assert_ne!(root, B256::ZERO);
    assert_eq!(operator_shares(&world, OPERATOR), U256::ZERO);
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: ALICE }).unwrap(), Address::ZERO);
    let queued = world.call(OWNER, DM, &IDM::queuedWithdrawalCall { root }).unwrap();
    assert_eq!((queued._0, queued._1, queued._3, queued._4), (ALICE, OPERATOR, true, U256::from(1)));
    let entry = world.call(OWNER, DM, &IDM::queuedWithdrawalEntryCall { root, index: U256::ZERO }).unwrap();
    assert_eq!((entry._0, entry._1), (TOKEN, ether(10)));
    let ev = &world.events::<WithdrawalEntry>(DM)[0];
    assert_eq!((ev.root, ev.token, ev.scaledShares), (root, TOKEN, ether(10)));
}

#[test]
fn redelegation_brings_the_shares_to_the_new_operator_through_the_queue() {
    let world = setup();
    register(&world, OPERATOR2, Address::ZERO);
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let call = IDM::redelegateCall {
        newOperator: OPERATOR2,
        approverExpiry: U256::ZERO,
        approverSignature: Default::default(),
        approverSalt: B256::ZERO,
    };
    let root = world.call(ALICE, DM, &call).unwrap();
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: ALICE }).unwrap(), OPERATOR2);
    assert_eq!(operator_shares(&world, OPERATOR2), U256::ZERO);
    world.advance(DELAY);
    complete(&world, ALICE, root, false).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR2), ether(10));
    assert_eq!(operator_shares(&world, OPERATOR), U256::ZERO);
}

#[test]
fn only_the_strategy_manager_calls_the_deposit_hook_and_only_the_owner_configures() {
    let world = setup();
    let hook = IDM::increaseDelegatedSharesCall { staker: ALICE, token: TOKEN, prevDepositShares: U256::ZERO, addedShares: ether(1) };
    assert_eq!(world.expect_revert(ALICE, DM, &hook).decode::<Unauthorized>().unwrap().caller, ALICE);
    let err = world.expect_revert(ALICE, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(DELAY) });
    assert!(err.is::<Unauthorized>());
    let err = world.expect_revert(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(60) });
    let bounds = err.decode::<DelayOutOfBounds>().unwrap();
    assert_eq!((bounds.minimum, bounds.maximum), (U256::from(DELAY), U256::from(keel_delegation_manager::MAX_WITHDRAWAL_DELAY)));
    let err = world.expect_revert(OWNER, DM, &IDM::setSlasherCall { slasher: ALICE });
    assert!(err.is::<AlreadySet>());
}
