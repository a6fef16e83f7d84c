//! ArbWasm activation of real and broken programs.

mod common;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{Revert, SolCall, SolError, SolEvent};
use common::*;
use keel_devnet::precompiles::{ArbWasm, ARB_WASM};
use keel_devnet::{ActivationError, Chain, DeployError, ProgramNotActivated, Tx, STYLUS_VERSION};
use keel_wasm::{DecodeError, ValidationError};
use std::time::Instant;

fn funded_chain() -> Chain {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    chain
}

fn activate_with_value(chain: &mut Chain, program: Address, value: U256) -> keel_devnet::Receipt {
    let data = ArbWasm::activateProgramCall { program }.abi_encode();
    chain.transact(Tx::call(OWNER, ARB_WASM, data).with_value(value)).unwrap()
}

#[test]
fn a_program_runs_only_after_activation_and_only_once_activated() {
    let mut chain = funded_chain();
    let token = chain.deploy_wasm(OWNER, &contract_wasm("keel-test-token")).unwrap();
    let code_hash = keccak256(chain.code(token));

    let before = send(&mut chain, OWNER, token, &IToken::decimalsCall {});
    assert!(!before.status);
    assert_eq!(before.output.as_ref(), ProgramNotActivated {}.abi_encode().as_slice());
    let version = chain.call(Tx::call(OWNER, ARB_WASM, ArbWasm::codehashVersionCall { codehash: code_hash }.abi_encode())).unwrap();
    assert_eq!(version.output.as_ref(), ArbWasm::ProgramNotActivated {}.abi_encode().as_slice());

    let started = Instant::now();
    let receipt = chain.activate(OWNER, token).unwrap();
    eprintln!("activation of keel-test-token: {:?}, {} gas", started.elapsed(), receipt.gas_used);
    let returned = ArbWasm::activateProgramCall::abi_decode_returns(&receipt.output).unwrap();
    assert_eq!(returned.version, STYLUS_VERSION);
    let event = ArbWasm::ProgramActivated::decode_log_data(&receipt.logs[0].data).unwrap();
    assert_eq!((receipt.logs[0].address, event.codehash, event.program, event.dataFee), (ARB_WASM, code_hash, token, returned.dataFee));

    let version = view(&mut chain, ARB_WASM, &ArbWasm::codehashVersionCall { codehash: code_hash });
    assert_eq!(version, STYLUS_VERSION);
    assert_eq!(view(&mut chain, ARB_WASM, &ArbWasm::stylusVersionCall {}), STYLUS_VERSION);

    let again = activate_with_value(&mut chain, token, returned.dataFee);
    assert!(!again.status);
    assert_eq!(again.output.as_ref(), ArbWasm::ProgramUpToDate {}.abi_encode().as_slice());
}

#[test]
fn activation_needs_the_data_fee_and_refunds_the_excess() {
    let mut chain = funded_chain();
    let sm = chain.deploy_wasm(OWNER, &contract_wasm("keel-strategy-manager")).unwrap();

    let short = activate_with_value(&mut chain, sm, U256::from(1));
    assert!(!short.status);
    let error = ArbWasm::ProgramInsufficientValue::abi_decode(&short.output).unwrap();
    assert_eq!(error.have, U256::from(1));
    assert!(error.want > U256::from(1));

    let before = chain.balance(OWNER);
    let receipt = activate_with_value(&mut chain, sm, error.want + ether(1));
    assert!(receipt.status);
    let gas_cost = U256::from(receipt.gas_used) * U256::from(keel_devnet::BASE_FEE);
    assert_eq!(chain.balance(OWNER), before - error.want - gas_cost, "only the fee and the gas are paid");
    assert_eq!(chain.balance(ARB_WASM), U256::ZERO);
}

/// A minimal valid program that returns its calldata.
const ECHO: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 0))
        (call $write_result (i32.const 0) (local.get $len))
        (i32.const 0)))"#;

#[test]
fn broken_programs_are_refused_at_activation_and_the_chain_keeps_working() {
    let mut chain = funded_chain();
    let not_wasm = chain.deploy_wasm(OWNER, b"definitely not wasm").unwrap();
    assert!(matches!(chain.activate(OWNER, not_wasm), Err(DeployError::Activation(ActivationError::Invalid(ValidationError::Invalid(_))))));

    let corrupt = chain.deploy_code(OWNER, &[0xEF, 0xF0, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff]).unwrap();
    assert_eq!(chain.activate(OWNER, corrupt), Err(DeployError::Activation(ActivationError::Decode(DecodeError::Corrupt))));

    let no_entrypoint =
        wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "main") (param i32) (result i32) i32.const 0))"#).unwrap();
    let missing = chain.deploy_wasm(OWNER, &no_entrypoint).unwrap();
    let expected = ActivationError::Invalid(ValidationError::MissingExport("user_entrypoint"));
    assert_eq!(chain.activate(OWNER, missing), Err(DeployError::Activation(expected)));

    let direct = activate_with_value(&mut chain, missing, ether(1));
    assert!(!direct.status, "ArbWasm itself refuses the program");
    let reason = Revert::abi_decode(&direct.output).unwrap().reason;
    assert!(reason.contains("user_entrypoint"), "{reason}");
    assert_eq!(chain.balance(ARB_WASM), U256::ZERO, "the value of the failed activation went back");

    let echo = chain.deploy_wasm(OWNER, &wat::parse_str(ECHO).unwrap()).unwrap();
    chain.activate(OWNER, echo).unwrap();
    let receipt = chain.transact(Tx::call(OWNER, echo, Bytes::from_static(b"still alive"))).unwrap();
    assert!(receipt.status);
    assert_eq!(receipt.output.as_ref(), b"still alive");
}

#[test]
fn evm_init_code_runs_and_what_it_returns_is_deployed() {
    let mut chain = funded_chain();
    let create = |chain: &mut Chain, init: &[u8], value: u64| {
        chain.transact(Tx::create(OWNER, Bytes::copy_from_slice(init)).with_gas(1_000_000).with_value(U256::from(value))).unwrap()
    };
    // CALLVALUE PUSH1 0 SSTORE; MSTORE8(0, 0x01); RETURN(0, 1): stores the value, deploys code 0x01.
    let init = [0x34, 0x60, 0x00, 0x55, 0x60, 0x01, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3];
    let receipt = create(&mut chain, &init, 5);
    assert!(receipt.status, "{}", receipt.output);
    let account = receipt.contract_address.unwrap();
    assert_eq!(account, OWNER.create(0));
    assert_eq!(chain.code(account).as_ref(), &[0x01]);
    assert_eq!(chain.storage(account, B256::ZERO), B256::with_last_byte(5));
    assert_eq!(chain.balance(account), U256::from(5));
    let call = chain.transact(Tx::call(OWNER, account, Bytes::new())).unwrap();
    assert!(!call.status && call.output.is_empty(), "the deployed code runs: ADD on an empty stack halts");

    // MSTORE8(0, 0xab); REVERT(0, 1): nothing is created and the data comes back.
    let reverted = create(&mut chain, &[0x60, 0xab, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xfd], 7);
    assert_eq!((reverted.status, reverted.contract_address, reverted.output.as_ref()), (false, None, &[0xab][..]));
    assert_eq!(chain.nonce(OWNER.create(1)), 0);
    assert_eq!(chain.balance(OWNER.create(1)), U256::ZERO, "the endowment is returned");
    // RETURN(0, 1) of a zero byte at 0xEF... : code starting with 0xEF other than Stylus' prefix is refused.
    let ef = create(&mut chain, &[0x60, 0xef, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3], 0);
    assert_eq!(ef.output.as_ref(), keel_devnet::create::InvalidCodePrefix {}.abi_encode().as_slice());
    let program = chain.deploy_wasm(OWNER, &wat::parse_str(ECHO).unwrap()).unwrap();
    assert_eq!(program, OWNER.create(4), "CREATE addresses follow the sender nonce, failed creations included");
}
