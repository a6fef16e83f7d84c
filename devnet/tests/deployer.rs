//! The StylusDeployer: create (or create2), activate and construct in one transaction.

mod common;

use alloy_primitives::{keccak256, B256, U256};
use alloy_sol_types::{sol_data, SolCall, SolError, SolEvent};
use common::*;
use keel_devnet::precompiles::{StylusDeployer, STYLUS_DEPLOYER};
use keel_devnet::{Chain, Receipt, Tx};

fn token_constructor() -> Vec<u8> {
    type Args = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    constructor_calldata::<Args>(&("Deployed".into(), "DPL".into(), 18, OWNER))
}

fn deploy(chain: &mut Chain, init_data: Vec<u8>, value: U256, salt: B256) -> Receipt {
    let bytecode = keel_wasm::init_code(&keel_wasm::deployed_code(&contract_wasm("keel-test-token")));
    let call = StylusDeployer::deployCall { bytecode: bytecode.into(), initData: init_data.into(), initValue: U256::ZERO, salt };
    chain.transact(Tx::call(OWNER, STYLUS_DEPLOYER, call.abi_encode()).with_value(value)).unwrap()
}

#[test]
fn deploys_activates_and_constructs_in_one_transaction_refunding_the_excess() {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(100));
    let receipt = deploy(&mut chain, token_constructor(), ether(1), B256::ZERO);
    assert!(receipt.status, "{}", receipt.output);
    let token = StylusDeployer::deployCall::abi_decode_returns(&receipt.output).unwrap();
    assert_eq!(token, STYLUS_DEPLOYER.create(0));
    let deployed = receipt.logs.last().unwrap();
    assert_eq!(deployed.address, STYLUS_DEPLOYER);
    assert_eq!(StylusDeployer::ContractDeployed::decode_log_data(&deployed.data).unwrap().deployedContract, token);
    assert_eq!(view(&mut chain, token, &IToken::symbolCall {}), "DPL");
    assert_eq!(view(&mut chain, token, &token::IAccessControl::ownerCall {}), OWNER);
    let fee_and_gas = ether(100) - chain.balance(OWNER);
    assert!(fee_and_gas < ether(1) / U256::from(2), "the unused value came back: paid {fee_and_gas}");
    assert_eq!(chain.balance(STYLUS_DEPLOYER), U256::ZERO);
}

#[test]
fn salted_deployments_use_create2_and_failures_revert_everything() {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(100));
    let no_fee = deploy(&mut chain, token_constructor(), U256::ZERO, B256::ZERO);
    assert!(!no_fee.status);
    assert!(StylusDeployer::ActivationFailed::abi_decode(&no_fee.output).is_ok());
    let salt = B256::with_last_byte(1);
    let receipt = deploy(&mut chain, token_constructor(), ether(1), salt);
    assert!(receipt.status);
    let token = StylusDeployer::deployCall::abi_decode_returns(&receipt.output).unwrap();
    let bytecode = keel_wasm::init_code(&keel_wasm::deployed_code(&contract_wasm("keel-test-token")));
    let init_salt = keccak256([salt.as_slice(), &token_constructor(), &[0u8; 32]].concat());
    assert_eq!(token, STYLUS_DEPLOYER.create2(init_salt, keccak256(&bytecode)));

    let again = deploy(&mut chain, token_constructor(), ether(1), salt);
    assert!(!again.status, "same salt, same address");
    assert!(StylusDeployer::ContractDeploymentError::abi_decode(&again.output).is_ok());

    let bad_constructor = deploy(&mut chain, vec![0xde, 0xad], ether(1), B256::ZERO);
    assert!(!bad_constructor.status);
    let error = StylusDeployer::ContractInitializationError::abi_decode(&bad_constructor.output).unwrap();
    assert!(chain.code(error.newContract).is_empty(), "the creation was rolled back");
    let already_active = deploy(&mut chain, token_constructor(), U256::ZERO, B256::with_last_byte(2));
    assert!(already_active.status, "activation is per code hash: no fee the second time");
}
