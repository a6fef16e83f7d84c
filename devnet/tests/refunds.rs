//! EIP-3529 refunds on the devnet, for EVM and Stylus frames: clearing a
//! slot refunds 4,800, a reverted frame's refunds are dropped, and the
//! refund covers at most a fifth of the gas used.

mod common;

use alloy_primitives::{hex, B256};
use common::*;
use keel_devnet::{Chain, Tx};

/// Stores its 32-byte calldata in slot 0 (storage cache, then flush).
const STORE: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 32))
        (call $cache (i32.const 0) (i32.const 32))
        (call $flush (i32.const 0))
        (i32.const 0)))"#;

fn funded_chain() -> Chain {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    chain
}

/// Runs EVM runtime `code` once on an account whose slots 0 and 1 hold 1.
fn run_evm(code: &[u8]) -> keel_devnet::Receipt {
    let mut chain = funded_chain();
    let account = install_evm(&mut chain, code);
    for slot in [0, 1] {
        chain.set_storage(account, B256::with_last_byte(slot), B256::with_last_byte(1));
    }
    chain.transact(Tx::call(OWNER, account, Vec::new())).unwrap()
}

#[test]
fn an_evm_frame_clearing_a_slot_gets_4800_back() {
    // PUSH0 PUSH0 SSTORE STOP: 2 + 2 + (2,900 + 2,100 cold) gas, refund 4,800.
    let receipt = run_evm(&hex!("5f5f5500"));
    assert_eq!(receipt.gas_used, 21_000 + 5_004 - 4_800);
}

#[test]
fn the_refund_is_capped_at_a_fifth_of_the_gas_used() {
    // Clears slots 0 and 1: 21,000 + 5,004 + 5,005 gas used, 9,600 refund.
    let receipt = run_evm(&hex!("5f5f555f60015500"));
    let used = 21_000 + 5_004 + 5_005;
    assert_eq!(receipt.gas_used, used - used / 5);
}

#[test]
fn a_reverted_frame_gets_no_refund() {
    // PUSH0 PUSH0 SSTORE PUSH0 PUSH0 REVERT.
    let receipt = run_evm(&hex!("5f5f555f5ffd"));
    assert!(!receipt.status);
    assert_eq!(receipt.gas_used, 21_000 + 5_004 + 4);
}

#[test]
fn a_stylus_flush_clearing_a_slot_gets_4800_back() {
    let mut chain = funded_chain();
    let program = install_wat(&mut chain, STORE);
    let write = |chain: &mut Chain, value: u8| {
        let receipt = chain.transact(Tx::call(OWNER, program, B256::with_last_byte(value).to_vec())).unwrap();
        assert!(receipt.status);
        assert_eq!(chain.storage(program, B256::ZERO), B256::with_last_byte(value));
        receipt.gas_used
    };
    write(&mut chain, 1);
    // Both change a non-zero slot (2,900 + 2,100 cold) with the same code;
    // calldata differs by one non-zero byte (12 gas); the clear is refunded.
    let change = write(&mut chain, 2);
    let clear = write(&mut chain, 0);
    assert_eq!(change - clear, 12 + 4_800);
}

/// Reads slot 0, then caches the value it read: nothing changed.
const READ_THEN_REWRITE: &str = r#"(module
    (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $before i64)
        (call $load (i32.const 0) (i32.const 32))
        (call $cache (i32.const 0) (i32.const 32))
        (local.set $before (call $gas_left))
        (call $flush (i32.const 0))
        (i64.store (i32.const 64) (i64.sub (local.get $before) (call $gas_left)))
        (call $write_result (i32.const 64) (i32.const 8))
        (i32.const 0)))"#;

#[test]
fn a_slot_rewritten_with_the_value_read_is_not_written_back() {
    let mut chain = funded_chain();
    let program = install_wat(&mut chain, READ_THEN_REWRITE);
    chain.set_storage(program, B256::ZERO, B256::with_last_byte(7));
    let receipt = chain.transact(Tx::call(OWNER, program, Vec::new())).unwrap();
    assert!(receipt.status);
    // The flush costs only its host-call ink (8,400 + 59,673) and the
    // instructions around it: no SSTORE, not even a warm no-op (100 gas).
    let flush_gas = u64::from_le_bytes(receipt.output[..8].try_into().unwrap());
    assert!(flush_gas < 10, "{flush_gas} gas");
}
