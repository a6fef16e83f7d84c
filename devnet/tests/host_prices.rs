//! nitro's host-I/O prices, measured inside a program: the ink between two
//! `evm_ink_left` calls around one host call, minus the hand-computed ink of
//! the instructions in between (pricing_v1, 2,450 per basic block).

mod common;

use common::*;
use keel_devnet::{Chain, Tx};

/// A program: `before = evm_ink_left(); <call>; result = before - evm_ink_left()`.
fn program(import: &str, call: &str) -> String {
    format!(
        r#"(module
    (import "vm_hooks" "evm_ink_left" (func $ink_left (result i64)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    {import}
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param i32) (result i32)
        (local $before i64)
        (local.set $before (call $ink_left))
        {call}
        (i64.store (i32.const 4096) (i64.sub (local.get $before) (call $ink_left)))
        (call $write_result (i32.const 4096) (i32.const 8))
        (i32.const 0)))"#
    )
}

/// Ink measured around `call` in a fresh program.
fn measured(import: &str, call: &str) -> u64 {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    let address = install_wat(&mut chain, &program(import, call));
    let receipt = chain.transact(Tx::call(OWNER, address, Vec::new())).unwrap();
    assert!(receipt.status);
    u64::from_le_bytes(receipt.output[..8].try_into().unwrap())
}

/// Instruction and `evm_ink_left` ink around a host call taking `args`
/// constants: [local.set 210, args × i32.const 1, call 3,800] + header,
/// then [i32.const 1, local.get 75, call 3,800] + header and the second
/// `evm_ink_left` (8,400).
fn around(args: u64) -> u64 {
    (210 + args + 3_800 + 2_450) + (1 + 75 + 3_800 + 2_450) + 8_400
}

#[test]
fn native_keccak256_costs_121800_ink_for_two_words_then_21000_per_word() {
    let import = r#"(import "vm_hooks" "native_keccak256" (func $keccak (param i32 i32 i32)))"#;
    let of = |len: u32| measured(import, &format!("(call $keccak (i32.const 0) (i32.const {len}) (i32.const 128))"));
    assert_eq!(of(64), around(3) + 121_800);
    assert_eq!(of(96), around(3) + 121_800 + 21_000);
}

#[test]
fn math_host_functions_cost_nitros_ink_and_no_gas() {
    let import = r#"(import "vm_hooks" "math_div" (func $div (param i32 i32)))
        (import "vm_hooks" "math_pow" (func $pow (param i32 i32)))
        (import "vm_hooks" "math_add_mod" (func $add_mod (param i32 i32 i32)))"#;
    let (hostio, ptr) = (8_400, 5_040);
    assert_eq!(measured(import, "(call $div (i32.const 0) (i32.const 32))"), around(2) + hostio + 3 * ptr + 20_000);
    // A zero exponent (fresh memory): 3,000 + 17,500 for the one "byte" left.
    assert_eq!(measured(import, "(call $pow (i32.const 0) (i32.const 32))"), around(2) + hostio + 3 * ptr + 20_500);
    let add_mod = measured(import, "(call $add_mod (i32.const 0) (i32.const 32) (i32.const 64))");
    assert_eq!(add_mod, around(3) + hostio + 4 * ptr + 21_000);
}

#[test]
fn emit_log_pays_the_read_and_the_evm_log_gas() {
    let import = r#"(import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))"#;
    // 64 bytes: one topic and 32 bytes of data.
    let ink = measured(import, "(call $log (i32.const 0) (i32.const 64) (i32.const 1))");
    let read = 16_381 + 55 * 32;
    let gas = 2 * 375 + 8 * 32;
    assert_eq!(ink, around(3) + 8_400 + 59_673 + read + gas * 10_000);
}

#[test]
fn storage_reads_are_free_in_the_cache_and_cold_outside_it() {
    let import = r#"(import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))"#;
    // HOSTIO + 2 pointers; first read of the frame (tier 0), cold SLOAD 2,100, request 5 gas.
    let cold = measured(import, "(call $load (i32.const 0) (i32.const 32))");
    assert_eq!(cold, around(2) + 8_400 + 2 * 5_040 + (2_100 + 5) * 10_000);
    // A second read of the same slot hits the frame's cache: the host call only.
    let twice = measured(import, "(call $load (i32.const 0) (i32.const 32)) (call $load (i32.const 0) (i32.const 64))");
    let second_call = (1 + 1 + 3_800 + 2_450) + 8_400 + 2 * 5_040;
    assert_eq!(twice, cold + second_call);
}
