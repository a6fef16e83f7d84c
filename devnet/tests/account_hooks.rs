//! Creation, account queries, transient storage, exit_early and delegate
//! calls from a program, through a hand-written probe.

mod common;

use alloy_primitives::{keccak256, Address, B256, U256};
use common::*;
use keel_devnet::{Chain, Receipt, Tx};

/// First calldata byte selects: 1 create1(rest) and 2 create2(rest, salt 0),
/// both returning address ‖ revert length; 3 code size ‖ code hash ‖ balance
/// of the address in bytes 1..21; 4 transient store 7 then load; 5
/// write_result(byte 0) then exit_early(3); 6 delegate-call the address in
/// bytes 1..21 with the rest, returning the status.
const TOOLS: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
    (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
    (import "vm_hooks" "account_code_size" (func $code_size (param i32) (result i32)))
    (import "vm_hooks" "account_codehash" (func $codehash (param i32 i32)))
    (import "vm_hooks" "account_balance" (func $balance (param i32 i32)))
    (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
    (import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
    (import "vm_hooks" "exit_early" (func $exit_early (param i32)))
    (import "vm_hooks" "delegate_call_contract" (func $delegate (param i32 i32 i32 i64 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $op i32)
        (call $read_args (i32.const 0))
        (local.set $op (i32.load8_u (i32.const 0)))
        (if (i32.eq (local.get $op) (i32.const 1))
            (then (call $create1 (i32.const 1) (i32.sub (local.get $len) (i32.const 1)) (i32.const 8192) (i32.const 4096) (i32.const 4116))
                  (call $write_result (i32.const 4096) (i32.const 24)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 2))
            (then (call $create2 (i32.const 1) (i32.sub (local.get $len) (i32.const 1)) (i32.const 8192) (i32.const 8192) (i32.const 4096) (i32.const 4116))
                  (call $write_result (i32.const 4096) (i32.const 24)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 3))
            (then (i32.store (i32.const 4096) (call $code_size (i32.const 1)))
                  (call $codehash (i32.const 1) (i32.const 4100))
                  (call $balance (i32.const 1) (i32.const 4132))
                  (call $write_result (i32.const 4096) (i32.const 68)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 4))
            (then (i32.store8 (i32.const 8255) (i32.const 7))
                  (call $tstore (i32.const 8192) (i32.const 8224))
                  (call $tload (i32.const 8192) (i32.const 4096))
                  (call $write_result (i32.const 4096) (i32.const 32)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 5))
            (then (call $write_result (i32.const 0) (i32.const 1)) (call $exit_early (i32.const 3))))
        (if (i32.eq (local.get $op) (i32.const 6))
            (then (i32.store8 (i32.const 4096) (call $delegate (i32.const 1) (i32.const 21)
                    (i32.sub (local.get $len) (i32.const 21)) (i64.const -1) (i32.const 4200)))
                  (call $write_result (i32.const 4096) (i32.const 1)) (return (i32.const 0))))
        (i32.const 0)))"#;

/// Writes slot 0 = 7 and flushes.
const WRITER: &str = r#"(module
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (i32.store8 (i32.const 63) (i32.const 7))
        (call $cache (i32.const 0) (i32.const 32))
        (call $flush (i32.const 1))
        (i32.const 0)))"#;

fn setup() -> (Chain, Address) {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    let tools = chain.deploy_stylus(OWNER, &wat::parse_str(TOOLS).unwrap(), None).unwrap();
    (chain, tools)
}

fn run(chain: &mut Chain, to: Address, data: Vec<u8>) -> Receipt {
    chain.transact(Tx::call(OWNER, to, data).with_gas(5_000_000)).unwrap()
}

#[test]
fn programs_create_contracts_with_create1_and_create2() {
    let (mut chain, tools) = setup();
    let code = keel_wasm::deployed_code(&wat::parse_str(WRITER).unwrap());
    let init = keel_wasm::init_code(&code);
    let with_op = |op: u8| [&[op][..], &init].concat();

    let created = run(&mut chain, tools, with_op(1));
    let address = Address::from_slice(&created.output[..20]);
    assert_eq!(address, tools.create(1), "a contract's first CREATE uses nonce 1");
    assert_eq!(chain.code(address).as_ref(), code.as_slice());

    let created2 = run(&mut chain, tools, with_op(2));
    let address2 = Address::from_slice(&created2.output[..20]);
    assert_eq!(address2, tools.create2(B256::ZERO, keccak256(&init)));
    assert_eq!(&created2.output[20..], &[0, 0, 0, 0]);

    let collision = run(&mut chain, tools, with_op(2));
    assert_eq!(Address::from_slice(&collision.output[..20]), Address::ZERO);
    assert_ne!(&collision.output[20..], &[0, 0, 0, 0], "the failure comes with revert data");
}

#[test]
fn account_queries_report_code_hash_and_balance() {
    let (mut chain, tools) = setup();
    let writer = chain.deploy_stylus(OWNER, &wat::parse_str(WRITER).unwrap(), None).unwrap();
    chain.set_balance(writer, U256::from(42));
    let output = run(&mut chain, tools, [&[3][..], writer.as_slice()].concat()).output;
    let code = chain.code(writer);
    assert_eq!(u32::from_le_bytes(output[..4].try_into().unwrap()) as usize, code.len());
    assert_eq!(&output[4..36], keccak256(&code).as_slice());
    assert_eq!(U256::from_be_slice(&output[36..68]), U256::from(42));

    let nobody = run(&mut chain, tools, [&[3][..], Address::repeat_byte(0x77).as_slice()].concat()).output;
    assert_eq!(nobody.as_ref(), &[0u8; 68][..], "an empty account has no code, a zero hash, no balance");
}

#[test]
fn transient_storage_and_exit_early_work() {
    let (mut chain, tools) = setup();
    assert_eq!(run(&mut chain, tools, vec![4]).output.as_ref(), B256::with_last_byte(7).as_slice());
    let exited = run(&mut chain, tools, vec![5]);
    assert!(!exited.status, "exit_early with a non-zero status reverts");
    assert_eq!(exited.output.as_ref(), &[5], "with the result written before");
}

#[test]
fn a_delegate_call_runs_the_callee_code_on_the_caller_storage() {
    let (mut chain, tools) = setup();
    let writer = chain.deploy_stylus(OWNER, &wat::parse_str(WRITER).unwrap(), None).unwrap();
    let receipt = run(&mut chain, tools, [&[6][..], writer.as_slice()].concat());
    assert_eq!(receipt.output.as_ref(), &[0]);
    assert_eq!(chain.storage(tools, B256::ZERO), B256::with_last_byte(7));
    assert_eq!(chain.storage(writer, B256::ZERO), B256::ZERO);
}
