//! vm_hooks semantics, probed with small hand-written programs and Keel's token.

mod common;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use common::*;
use keel_devnet::{Chain, Receipt, Tx};

/// First calldata byte selects: 0 read slot 0, 1 write slot 0 = 7 and flush,
/// 2 write without flush, 3 log with 5 topics, 4 spin forever, 5 write,
/// flush and revert, 6 log with 4 topics.
const PROBE: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $op i32)
        (call $read_args (i32.const 0))
        (local.set $op (i32.load8_u (i32.const 0)))
        (i32.store8 (i32.const 127) (i32.const 7))
        (if (i32.eq (local.get $op) (i32.const 1))
            (then (call $cache (i32.const 64) (i32.const 96)) (call $flush (i32.const 0)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 2))
            (then (call $cache (i32.const 64) (i32.const 96)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 3))
            (then (call $log (i32.const 128) (i32.const 192) (i32.const 5)) (return (i32.const 0))))
        (if (i32.eq (local.get $op) (i32.const 4))
            (then (loop $spin (br $spin))))
        (if (i32.eq (local.get $op) (i32.const 5))
            (then (call $cache (i32.const 64) (i32.const 96)) (call $flush (i32.const 0)) (return (i32.const 1))))
        (if (i32.eq (local.get $op) (i32.const 6))
            (then (call $log (i32.const 128) (i32.const 192) (i32.const 4)) (return (i32.const 0))))
        (call $load (i32.const 64) (i32.const 128))
        (call $write_result (i32.const 128) (i32.const 32))
        (i32.const 0)))"#;

fn setup() -> (Chain, Address, Address) {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    let probe = install_wat(&mut chain, PROBE);
    let proxy = install_wat(&mut chain, PROXY);
    (chain, probe, proxy)
}

fn run(chain: &mut Chain, to: Address, data: Vec<u8>) -> Receipt {
    chain.transact(Tx::call(OWNER, to, data).with_gas(1_000_000)).unwrap()
}

const SEVEN: B256 = B256::with_last_byte(7);

#[test]
fn storage_writes_land_only_when_flushed_and_not_reverted() {
    let (mut chain, probe, _) = setup();
    assert!(run(&mut chain, probe, vec![2]).status);
    assert_eq!(chain.storage(probe, B256::ZERO), B256::ZERO, "unflushed writes are lost at exit");

    let reverted = run(&mut chain, probe, vec![5]);
    assert!(!reverted.status);
    assert_eq!(chain.storage(probe, B256::ZERO), B256::ZERO, "a reverting frame's flushed writes are rolled back");

    let written = run(&mut chain, probe, vec![1]);
    assert!(written.status);
    assert_eq!(chain.storage(probe, B256::ZERO), SEVEN);
    assert_eq!(run(&mut chain, probe, vec![0]).output.as_ref(), SEVEN.as_slice());
    eprintln!("probe write of a fresh slot: {} gas", written.gas_used);
    assert!(written.gas_used > 21_000 + 22_100, "a fresh slot costs a cold SSTORE");
}

#[test]
fn logs_with_more_than_four_topics_revert() {
    let (mut chain, probe, _) = setup();
    let four = run(&mut chain, probe, vec![6]);
    assert!(four.status);
    assert_eq!(four.logs.len(), 1);
    assert_eq!(four.logs[0].topics().len(), 4);
    let five = run(&mut chain, probe, vec![3]);
    assert!(!five.status);
    assert!(five.logs.is_empty());
}

#[test]
fn running_out_of_gas_fails_and_consumes_all_gas() {
    let (mut chain, probe, _) = setup();
    let receipt = run(&mut chain, probe, vec![4]);
    assert!(!receipt.status);
    assert_eq!(receipt.gas_used, 1_000_000);
}

#[test]
fn a_static_call_that_writes_fails_and_one_that_reads_succeeds() {
    let (mut chain, probe, proxy) = setup();
    let write = run(&mut chain, proxy, via_proxy(0, probe, &[1]));
    assert!(write.status, "the proxy itself succeeds");
    assert_ne!(write.output[0], 0, "the static callee's flush was refused");
    assert_eq!(chain.storage(probe, B256::ZERO), B256::ZERO);

    let write = run(&mut chain, proxy, via_proxy(1, probe, &[1]));
    assert_eq!(write.output.as_ref(), &[0], "the same write through a normal call succeeds");
    let read = run(&mut chain, proxy, via_proxy(0, probe, &[0]));
    assert_eq!(read.output[0], 0);
    assert_eq!(&read.output[1..], SEVEN.as_slice(), "return data comes back through read_return_data");
}

#[test]
fn a_static_call_into_the_real_token_can_read_but_not_approve() {
    let mut keel = Keel::new();
    let proxy = install_wat(&mut keel.chain, PROXY);
    let token = keel.token;
    let read = run(&mut keel.chain, proxy, via_proxy(0, token, &IToken::balanceOfCall { account: ALICE }.abi_encode()));
    assert_eq!(read.output[0], 0);
    assert_eq!(U256::from_be_slice(&read.output[1..]), ether(1_000));

    let approve = IToken::approveCall { spender: BOB, value: U256::from(5) }.abi_encode();
    let write = run(&mut keel.chain, proxy, via_proxy(0, token, &approve));
    assert_ne!(write.output[0], 0);
    let allowance = view(&mut keel.chain, token, &IToken::allowanceCall { owner: proxy, spender: BOB });
    assert_eq!(allowance, U256::ZERO);
}

#[test]
fn msg_reentrant_is_true_only_when_the_program_is_already_running() {
    let (mut chain, _, proxy) = setup();
    assert_eq!(run(&mut chain, proxy, vec![2]).output.as_ref(), &[0]);
    assert_eq!(run(&mut chain, proxy, via_proxy(1, proxy, &[2])).output.as_ref(), &[0, 1]);
}

#[test]
fn a_delegate_call_keeps_the_address_sender_and_value_and_is_not_a_reentry() {
    let (mut chain, _, proxy) = setup();
    // Same code, another account (its code hash is activated already).
    let code = chain.deploy_wasm(OWNER, &wat::parse_str(PROXY).unwrap()).unwrap();
    let tx = Tx::call(OWNER, proxy, via_proxy(4, code, &[5])).with_value(U256::from(7)).with_gas(1_000_000);
    let receipt = chain.transact(tx).unwrap();
    assert!(receipt.status);
    let out = receipt.output.as_ref();
    assert_eq!(out[0], 0, "the delegate call succeeded");
    assert_eq!(&out[1..21], proxy.as_slice(), "contract_address is the caller's");
    assert_eq!(&out[21..41], OWNER.as_slice(), "msg_sender is the caller's sender");
    assert_eq!(U256::from_be_slice(&out[41..73]), U256::from(7), "msg_value is the caller's value");
    assert_eq!(out[73], 0, "not flagged re-entrant");
    assert_eq!(chain.balance(code), U256::ZERO, "no value moves with a delegate call");
}

#[test]
fn a_call_forwards_at_most_63_64ths_of_the_gas_left() {
    let (mut chain, _, proxy) = setup();
    let data = via_proxy(1, proxy, &[3]);
    let available = 1_000_000 - keel_devnet::gas::intrinsic_gas(&data);
    let receipt = run(&mut chain, proxy, data);
    let inner = u64::from_le_bytes(receipt.output[1..9].try_into().unwrap());
    assert!(inner < available * 63 / 64, "inner frame got {inner} of {available}");
    assert!(inner > available * 62 / 64, "inner frame got {inner} of {available}");
}

#[test]
fn value_transfers_move_balance_and_fail_without_funds() {
    let (mut chain, probe, _) = setup();
    let before = chain.balance(OWNER);
    let receipt = chain.transact(Tx::call(OWNER, probe, vec![0]).with_value(U256::from(5)).with_gas(1_000_000)).unwrap();
    assert!(receipt.status);
    assert_eq!(chain.balance(probe), U256::from(5));
    let fee = U256::from(receipt.gas_used) * U256::from(keel_devnet::BASE_FEE);
    assert_eq!(chain.balance(OWNER), before - U256::from(5) - fee);

    let reverted = chain.transact(Tx::call(OWNER, probe, vec![5]).with_value(U256::from(5)).with_gas(1_000_000)).unwrap();
    assert!(!reverted.status);
    assert_eq!(chain.balance(probe), U256::from(5), "a reverted frame's value transfer is undone");
    let broke = chain.transact(Tx::call(BOB, probe, Bytes::new()).with_value(U256::from(1)));
    assert!(matches!(broke, Err(keel_devnet::TxError::InsufficientFunds { .. })));
}

/// Calldata `a ‖ b ‖ m` (32 bytes each); returns a/b, a%b, a^b, (a+b)%m, (a·b)%m.
const MATH: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "math_div" (func $div (param i32 i32)))
    (import "vm_hooks" "math_mod" (func $mod (param i32 i32)))
    (import "vm_hooks" "math_pow" (func $pow (param i32 i32)))
    (import "vm_hooks" "math_add_mod" (func $add_mod (param i32 i32 i32)))
    (import "vm_hooks" "math_mul_mod" (func $mul_mod (param i32 i32 i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 0))
        (memory.copy (i32.const 256) (i32.const 0) (i32.const 32)) (call $div (i32.const 256) (i32.const 32))
        (memory.copy (i32.const 288) (i32.const 0) (i32.const 32)) (call $mod (i32.const 288) (i32.const 32))
        (memory.copy (i32.const 320) (i32.const 0) (i32.const 32)) (call $pow (i32.const 320) (i32.const 32))
        (memory.copy (i32.const 352) (i32.const 0) (i32.const 32)) (call $add_mod (i32.const 352) (i32.const 32) (i32.const 64))
        (memory.copy (i32.const 384) (i32.const 0) (i32.const 32)) (call $mul_mod (i32.const 384) (i32.const 32) (i32.const 64))
        (call $write_result (i32.const 256) (i32.const 160))
        (i32.const 0)))"#;

#[test]
fn math_hooks_compute_like_the_evm() {
    let (mut chain, _, _) = setup();
    let math = install_wat(&mut chain, MATH);
    let words = |values: [u64; 3]| values.iter().flat_map(|v| U256::from(*v).to_be_bytes::<32>()).collect::<Vec<u8>>();
    let results = |output: &[u8]| output.chunks(32).map(|w| U256::from_be_slice(w).to::<u64>()).collect::<Vec<_>>();

    let receipt = run(&mut chain, math, words([7, 3, 5]));
    assert_eq!(results(&receipt.output), vec![2, 1, 343, 0, 1]);
    let by_zero = run(&mut chain, math, words([7, 0, 0]));
    assert_eq!(results(&by_zero.output), vec![0, 0, 1, 0, 0], "division and modulus by zero give zero");
}

/// Calls itself with all its gas until a call fails; returns how deep it got
/// (u32, little-endian).
const RECURSE: &str = r#"(module
    (import "vm_hooks" "contract_address" (func $me (param i32)))
    (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $me (i32.const 0))
        (if (i32.eqz (call $call (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 64) (i64.const -1) (i32.const 96)))
            (then (drop (call $read_return_data (i32.const 100) (i32.const 0) (i32.const 4)))))
        (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1)))
        (call $write_result (i32.const 100) (i32.const 4))
        (i32.const 0)))"#;

#[test]
fn deep_recursion_stops_at_the_gas_or_depth_limit_without_crashing() {
    let (mut chain, _, _) = setup();
    let recurse = install_wat(&mut chain, RECURSE);
    let receipt = chain.transact(Tx::call(OWNER, recurse, Bytes::new())).unwrap();
    assert!(receipt.status);
    let depth = u32::from_le_bytes(receipt.output[..4].try_into().unwrap());
    eprintln!("recursion depth reached: {depth}");
    assert!(depth > 100 && depth as usize <= keel_devnet::MAX_CALL_DEPTH + 1, "depth {depth}");
}

#[test]
fn a_failing_nested_frame_rolls_back_only_its_own_changes() {
    let (mut chain, probe, proxy) = setup();
    let failed_inner = run(&mut chain, proxy, via_proxy(1, probe, &[5]));
    assert!(failed_inner.status, "the caller survives its callee's revert");
    assert_ne!(failed_inner.output[0], 0);
    assert_eq!(chain.storage(probe, B256::ZERO), B256::ZERO, "the callee's flushed write is undone");

    let inner_ok = run(&mut chain, proxy, via_proxy(1, probe, &[1]));
    assert_eq!(inner_ok.output.as_ref(), &[0]);
    assert_eq!(chain.storage(probe, B256::ZERO), SEVEN, "a successful nested frame's write is kept");
}

#[test]
fn return_data_belongs_to_the_frame_that_made_the_call() {
    let (mut chain, probe, proxy) = setup();
    run(&mut chain, probe, vec![1]);
    let nested = run(&mut chain, proxy, via_proxy(1, proxy, &via_proxy(0, probe, &[0])));
    let mut expected = vec![0, 0];
    expected.extend_from_slice(SEVEN.as_slice());
    assert_eq!(nested.output.as_ref(), expected.as_slice(), "outer status, inner status, probe's slot");
}

/// Returns chainid, block_number and block_timestamp (8 bytes each, little-endian).
const BLOCK_INFO: &str = r#"(module
    (import "vm_hooks" "chainid" (func $chainid (result i64)))
    (import "vm_hooks" "block_number" (func $block_number (result i64)))
    (import "vm_hooks" "block_timestamp" (func $block_timestamp (result i64)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (i64.store (i32.const 0) (call $chainid))
        (i64.store (i32.const 8) (call $block_number))
        (i64.store (i32.const 16) (call $block_timestamp))
        (call $write_result (i32.const 0) (i32.const 24))
        (i32.const 0)))"#;

#[test]
fn programs_see_the_chain_id_and_the_block_the_chain_is_at() {
    let (mut chain, _, _) = setup();
    let info = install_wat(&mut chain, BLOCK_INFO);
    let read = |chain: &mut Chain| {
        let output = chain.call(Tx::call(OWNER, info, Bytes::new())).unwrap().output;
        output.chunks(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>()
    };
    let (number, timestamp) = (chain.block_number(), chain.timestamp());
    assert_eq!(read(&mut chain), vec![CHAIN_ID, number, timestamp]);
    chain.advance_time(3_600);
    assert_eq!(read(&mut chain), vec![CHAIN_ID, number + 1, timestamp + 3_600]);
    run(&mut chain, info, vec![]);
    assert_eq!(chain.block_number(), number + 2, "every transaction is a block");
}
