//! ArbOwnerPublic (0x6b), ArbOwner (0x70), ArbDebug (0xff), ArbGasInfo (0x6c)
//! and ArbSys's `arbOSVersion`: nitro devnode's setup (become owner, zero
//! L1 price, schedule an upgrade), the owner-only refusals and what
//! programs read back.

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use common::*;
use keel_devnet::gas::intrinsic_gas;
use keel_devnet::precompiles::{
    ArbDebug, ArbGasInfo, ArbOwner, ArbOwnerPublic, ArbSys, ArbWasm, ARB_DEBUG, ARB_GAS_INFO, ARB_OWNER, ARB_OWNER_PUBLIC, ARB_SYS,
    ARB_WASM,
};
use keel_devnet::{Chain, Receipt, Tx};

fn chain() -> Chain {
    let mut chain = Chain::new(CHAIN_ID);
    for who in [OWNER, ALICE, BOB] {
        chain.set_balance(who, U256::from(10u64).pow(U256::from(24)));
    }
    chain
}

fn view<C: SolCall>(chain: &mut Chain, to: Address, call: &C) -> C::Return {
    let receipt = chain.call(Tx::call(BOB, to, call.abi_encode())).unwrap();
    assert!(receipt.status, "{to} reverted: {}", receipt.output);
    C::abi_decode_returns(&receipt.output).unwrap()
}

fn send<C: SolCall>(chain: &mut Chain, from: Address, to: Address, call: &C) -> Receipt {
    chain.transact(Tx::call(from, to, call.abi_encode()).with_gas(1_000_000)).unwrap()
}

fn become_owner(chain: &mut Chain, who: Address) {
    assert!(send(chain, who, ARB_DEBUG, &ArbDebug::becomeChainOwnerCall {}).status);
}

#[test]
fn a_fresh_chain_reports_arbos_defaults() {
    let mut chain = chain();
    assert!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}).is_empty());
    assert!(!view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::isChainOwnerCall { addr: OWNER }));
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getMaxStylusContractFragmentsCall {}), 2);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getBrotliCompressionLevelCall {}), 1);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getNetworkFeeAccountCall {}), Address::ZERO);
    let upgrade = view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getScheduledUpgradeCall {});
    assert_eq!((upgrade.arbosVersion, upgrade.scheduledForTimestamp), (0, 0));
    assert_eq!(view(&mut chain, ARB_SYS, &ArbSys::arbOSVersionCall {}), U256::from(55 + 60), "ArbOS 60, reported as nitro does");
    assert_eq!(view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getL1BaseFeeEstimateCall {}), U256::from(50_000_000_000u64));
}

#[test]
fn gas_prices_follow_nitros_formulas() {
    let mut chain = chain();
    let gwei = |tenths: u64| U256::from(tenths * 100_000_000);
    let prices = view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getPricesInWeiCall {});
    let per_l1_byte = gwei(10 * 50 * 16);
    assert_eq!((prices._0, prices._1), (per_l1_byte * U256::from(140), per_l1_byte));
    assert_eq!((prices._2, prices._3, prices._4, prices._5), (gwei(1) * U256::from(20_000), gwei(1), U256::ZERO, gwei(1)));
    let in_gas = view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getPricesInArbGasCall {});
    assert_eq!((in_gas._0, in_gas._1, in_gas._2), (U256::from(140 * 8_000), U256::from(8_000), U256::from(20_000)));
    assert_eq!(view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getMinimumGasPriceCall {}), gwei(1));
}

#[test]
fn nitro_devnode_setup_runs_and_owners_act_for_free() {
    let mut chain = chain();
    become_owner(&mut chain, OWNER);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}), vec![OWNER]);

    let call = ArbOwner::setL1PricePerUnitCall { pricePerUnit: U256::ZERO };
    let receipt = send(&mut chain, OWNER, ARB_OWNER, &call);
    assert!(receipt.status);
    assert_eq!(receipt.gas_used, intrinsic_gas(&call.abi_encode()), "nitro charges owners nothing");
    let acts = ArbOwner::OwnerActs::decode_log_data(&receipt.logs[0].data).unwrap();
    assert_eq!((receipt.logs[0].address, acts.method.0, acts.owner), (ARB_OWNER, ArbOwner::setL1PricePerUnitCall::SELECTOR, OWNER));
    assert_eq!(acts.data.as_ref(), call.abi_encode().as_slice());
    assert_eq!(view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getL1BaseFeeEstimateCall {}), U256::ZERO);
    assert_eq!(view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getPricesInWeiCall {})._0, U256::ZERO);

    assert!(send(&mut chain, OWNER, ARB_OWNER, &ArbOwner::scheduleArbOSUpgradeCall { newVersion: 61, timestamp: 1_900_000_000 }).status);
    let upgrade = view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getScheduledUpgradeCall {});
    assert_eq!((upgrade.arbosVersion, upgrade.scheduledForTimestamp), (61, 1_900_000_000));
    assert!(send(&mut chain, OWNER, ARB_OWNER, &ArbOwner::setNetworkFeeAccountCall { newNetworkFeeAccount: ALICE }).status);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getNetworkFeeAccountCall {}), ALICE);
    assert!(send(&mut chain, OWNER, ARB_OWNER, &ArbOwner::setBrotliCompressionLevelCall { level: 11 }).status);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getBrotliCompressionLevelCall {}), 11);
}

#[test]
fn others_are_refused_with_all_their_gas_and_change_nothing() {
    let mut chain = chain();
    become_owner(&mut chain, OWNER);
    let refused = send(&mut chain, ALICE, ARB_OWNER, &ArbOwner::setL1PricePerUnitCall { pricePerUnit: U256::ZERO });
    assert!(!refused.status && refused.output.is_empty());
    assert_eq!(refused.gas_used, 1_000_000, "nitro's unauthorized-caller error consumes all gas");
    assert_eq!(view(&mut chain, ARB_GAS_INFO, &ArbGasInfo::getL1BaseFeeEstimateCall {}), U256::from(50_000_000_000u64));
    let refused = send(&mut chain, ALICE, ARB_OWNER, &ArbOwner::addChainOwnerCall { newOwner: ALICE });
    assert!(!refused.status);
    assert!(!view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::isChainOwnerCall { addr: ALICE }));
    let refused = send(&mut chain, ALICE, ARB_OWNER, &ArbOwner::getAllChainOwnersCall {});
    assert!(!refused.status, "even ArbOwner's views are owner-only");
}

#[test]
fn owners_are_added_and_removed_with_events_and_bad_requests_revert_without_charge() {
    let mut chain = chain();
    become_owner(&mut chain, OWNER);
    let added = send(&mut chain, OWNER, ARB_OWNER, &ArbOwner::addChainOwnerCall { newOwner: ALICE });
    assert_eq!(ArbOwner::ChainOwnerAdded::decode_log_data(&added.logs[0].data).unwrap().owner, ALICE);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}), vec![OWNER, ALICE]);

    let removed = send(&mut chain, ALICE, ARB_OWNER, &ArbOwner::removeChainOwnerCall { ownerToRemove: OWNER });
    assert_eq!(ArbOwner::ChainOwnerRemoved::decode_log_data(&removed.logs[0].data).unwrap().owner, OWNER);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}), vec![ALICE]);

    for call in [
        ArbOwner::removeChainOwnerCall { ownerToRemove: BOB }.abi_encode(),
        ArbOwner::setBrotliCompressionLevelCall { level: 12 }.abi_encode(),
    ] {
        let refused = chain.transact(Tx::call(ALICE, ARB_OWNER, call.clone()).with_gas(1_000_000)).unwrap();
        assert!(!refused.status && refused.output.is_empty() && refused.logs.is_empty());
        assert_eq!(refused.gas_used, intrinsic_gas(&call), "an owner's refused call is free too");
    }
}

#[test]
fn the_fragment_limit_is_the_owners_to_set() {
    let mut chain = chain();
    let wasm = wat::parse_str(data_program_wat(&noise(60_000))).unwrap();
    let root = chain.deploy_wasm(OWNER, &wasm).unwrap(); // three fragments
    let activate = ArbWasm::activateProgramCall { program: root }.abi_encode();
    let fee = U256::from(10u64).pow(U256::from(21));
    let refused = chain.call(Tx::call(OWNER, ARB_WASM, activate.clone()).with_value(fee)).unwrap();
    assert!(!refused.status, "three fragments exceed ArbOS 60's default of two");

    become_owner(&mut chain, OWNER);
    assert!(send(&mut chain, OWNER, ARB_OWNER, &ArbOwner::setMaxStylusContractFragmentsCall { maxFragments: 3 }).status);
    assert_eq!(view(&mut chain, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getMaxStylusContractFragmentsCall {}), 3);
    assert!(chain.transact(Tx::call(OWNER, ARB_WASM, activate).with_value(fee)).unwrap().status);
    assert!(chain.transact(Tx::call(OWNER, root, Vec::new())).unwrap().status);
}
