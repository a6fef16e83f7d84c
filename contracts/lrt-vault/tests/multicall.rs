//! `multicall` on the vault: a wallet's batch (permit, deposit, operator
//! approval, request, claims), run as the wallet, all or nothing, without
//! ETH; calls the vault hands to its admin extension work in a batch too.

use alloy_primitives::{Bytes, U256};
use alloy_sol_types::{SolCall, SolValue};
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

fn encode<C: SolCall>(call: C) -> Bytes {
    call.abi_encode().into()
}

#[test]
fn a_batch_deposits_approves_an_operator_and_requests_as_its_sender() {
    let world = setup_vault();
    let data = vec![
        encode(IVault::depositCall { assets: ether(10), receiver: ALICE }),
        encode(IVault::setOperatorCall { operator: CAROL, approved: true }),
        encode(IVault::requestRedeemCall { shares: ether(4), controller: ALICE, owner: ALICE }),
        // Routed to the admin extension by the vault's fallback, in the same frame.
        encode(IAdmin::controllerRedeemsCall { controller: ALICE }),
    ];
    let out = world.call(ALICE, VAULT, &IVault::multicallCall { data }).unwrap();
    assert_eq!(U256::abi_decode(&out[0]).unwrap(), ether(10));
    assert!(bool::abi_decode(&out[1]).unwrap());
    assert_eq!(U256::abi_decode(&out[2]).unwrap(), U256::from(1), "the request id");
    let redeems = IAdmin::controllerRedeemsCall::abi_decode_returns(&out[3]).unwrap();
    assert_eq!(redeems._0, ether(4), "the extension saw the batch's earlier calls");
    assert_eq!(lrt_balance(&world, ALICE), ether(6), "ALICE, the batch's sender, deposited and requested");
    assert_eq!(balance(&world, ALICE), ether(990));
    assert!(world.call(OWNER, VAULT, &IVault::isOperatorCall { controller: ALICE, operator: CAROL }).unwrap());

    // The operator claims for ALICE in a batch of its own.
    world.advance(DELAY);
    let claim = encode(IVault::redeemCall { shares: ether(4), receiver: CAROL, controller: ALICE });
    world.call(CAROL, VAULT, &IVault::multicallCall { data: vec![claim] }).unwrap();
    assert_eq!(balance(&world, CAROL), ether(1_004));
}

#[test]
fn a_failing_call_reverts_the_whole_batch_with_its_own_error() {
    let world = setup_vault();
    let data = vec![
        encode(IVault::depositCall { assets: ether(10), receiver: ALICE }),
        encode(IVault::setOperatorCall { operator: CAROL, approved: true }),
        encode(IVault::requestRedeemCall { shares: ether(11), controller: ALICE, owner: ALICE }),
    ];
    let err = world.expect_revert(ALICE, VAULT, &IVault::multicallCall { data });
    assert!(err.is::<InsufficientBalance>(), "the failing call's error: {:?}", err.0);
    assert_eq!((lrt_balance(&world, ALICE), balance(&world, ALICE)), (U256::ZERO, ether(1_000)), "the deposit is rolled back");
    assert!(!world.call(OWNER, VAULT, &IVault::isOperatorCall { controller: ALICE, operator: CAROL }).unwrap());
    // A manager-only call in the extension fails the batch for anyone else.
    let data = vec![encode(IAdmin::setBufferTargetCall { target: ether(1) })];
    assert!(world.expect_revert(ALICE, VAULT, &IVault::multicallCall { data }).is::<keel_components::access::Unauthorized>());
}

/// No `msg.value` reuse: the batch, like every vault function, takes no ETH.
#[test]
fn a_batch_accepts_no_eth() {
    let world = setup_vault();
    world.set_balance(ALICE, ether(1));
    let call = IVault::multicallCall { data: vec![encode(IVault::depositCall { assets: ether(1), receiver: ALICE })] };
    assert!(world.call_value(ALICE, VAULT, &call, U256::from(1)).unwrap_err().0.is_empty());
    assert_eq!((lrt_balance(&world, ALICE), world.balance(VAULT)), (U256::ZERO, U256::ZERO));
}
