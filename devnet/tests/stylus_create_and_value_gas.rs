//! What a Stylus program pays to create a contract and to send value to an
//! empty account, as nitro charges it (arbos/programs/api.go `create` and
//! `doCall` with geth's `WasmCallCost`): CREATE's 32,000 gas without
//! EIP-3860's init-code word gas, CREATE2's 6 gas per word of hashed init
//! code on top, and the 25,000 gas of bringing an empty account to life.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use keel_devnet::meter::hostio::{read_price, PTR_INK};
use keel_devnet::{Chain, Tx};

/// Calldata `mode ‖ payload`. Mode 1: `create1(payload)`, mode 2:
/// `create2(payload, salt 0)`, both with no endowment; mode 3:
/// `call_contract(payload[0..20], no data, value payload[20..52])`. Returns
/// the gas the operation took (`evm_gas_left` before minus after, 8 bytes
/// little-endian), then the created address or the call's status.
const MEASURE: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
    (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
    (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $mode i32) (local $before i64)
        (call $read_args (i32.const 0))
        (local.set $mode (i32.load8_u (i32.const 0)))
        (local.set $before (call $gas_left))
        (if (i32.eq (local.get $mode) (i32.const 1))
            (then (call $create1 (i32.const 1) (i32.sub (local.get $len) (i32.const 1)) (i32.const 4096) (i32.const 8200) (i32.const 8220))))
        (if (i32.eq (local.get $mode) (i32.const 2))
            (then (call $create2 (i32.const 1) (i32.sub (local.get $len) (i32.const 1)) (i32.const 4096) (i32.const 4096) (i32.const 8200) (i32.const 8220))))
        (if (i32.eq (local.get $mode) (i32.const 3))
            (then (i32.store (i32.const 8200) (call $call (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 21) (i64.const -1) (i32.const 8220)))))
        (i64.store (i32.const 8192) (i64.sub (local.get $before) (call $gas_left)))
        (call $write_result (i32.const 8192) (i32.const 28))
        (i32.const 0)))"#;

/// Init code `PUSH1 0 PUSH1 0 RETURN` (6 gas, empty code) padded to `words` words.
fn init_code(words: usize) -> Vec<u8> {
    let mut code = alloy_primitives::hex!("60006000f3").to_vec();
    code.resize(32 * words, 0);
    code
}

/// Runs `mode ‖ payload`; returns the gas measured and the 20 bytes after it.
fn measure(chain: &mut Chain, program: Address, mode: u8, payload: &[u8]) -> (u64, Vec<u8>) {
    let receipt = chain.transact(Tx::call(OWNER, program, [&[mode][..], payload].concat())).unwrap();
    assert!(receipt.status, "mode {mode} failed: {}", receipt.output);
    let gas = u64::from_le_bytes(receipt.output[..8].try_into().unwrap());
    (gas, receipt.output[8..28].to_vec())
}

fn setup() -> (Chain, Address) {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    let program = install_wat(&mut chain, MEASURE);
    chain.set_balance(program, ether(1));
    (chain, program)
}

#[test]
fn create1_pays_32000_gas_and_no_init_code_word_gas() {
    let (mut chain, program) = setup();
    let (short, address) = measure(&mut chain, program, 1, &init_code(1));
    assert_ne!(address, [0; 20], "created");
    // 32,000 + the init code's 6 gas + the host call's ink (and the measuring's).
    assert!((32_006..32_030).contains(&short), "{short}");
    let (long, address) = measure(&mut chain, program, 1, &init_code(101));
    assert_ne!(address, [0; 20], "created");
    // 100 words more cost only their reads into the host (twice), not EIP-3860's 2 gas per word.
    let reads = (2 * (read_price(32 * 101) - read_price(32))) / 10_000;
    assert!(long.abs_diff(short + reads) <= 1, "{long} vs {short} + {reads}");
}

#[test]
fn create2_pays_six_gas_per_word_of_init_code_on_top() {
    let (mut chain, program) = setup();
    let code = init_code(101);
    let (create1, _) = measure(&mut chain, program, 1, &code);
    let (create2, address) = measure(&mut chain, program, 2, &code);
    assert_ne!(address, [0; 20], "created");
    // Keccak over 101 words, plus the salt's pointer (0.5 gas).
    let expected = create1 + 6 * 101 + PTR_INK / 10_000;
    assert!(create2.abs_diff(expected) <= 1, "{create2} vs {expected}");
}

#[test]
fn value_sent_to_an_empty_account_pays_25000_gas_for_the_new_account() {
    let (mut chain, program) = setup();
    let (empty, existing, other_empty) = (Address::repeat_byte(0xe1), Address::repeat_byte(0xe2), Address::repeat_byte(0xe3));
    chain.set_balance(existing, U256::from(1));
    let payload = |to: Address, wei: u64| [to.as_slice(), &U256::from(wei).to_be_bytes::<32>()].concat();
    let (to_empty, status) = measure(&mut chain, program, 3, &payload(empty, 1));
    assert_eq!(status[..4], [0; 4], "the call succeeded");
    let (to_existing, _) = measure(&mut chain, program, 3, &payload(existing, 1));
    let (no_value, _) = measure(&mut chain, program, 3, &payload(other_empty, 0));
    // Both cold; the unused 2,300 stipend comes back.
    assert_eq!(to_empty - to_existing, 25_000, "CallNewAccountGas");
    assert_eq!(to_empty - no_value, 25_000 + 9_000, "CallNewAccountGas + CallValueTransferGas");
    let (again, _) = measure(&mut chain, program, 3, &payload(empty, 1));
    assert_eq!(to_empty - again, 25_000, "the account exists once it holds a wei");
}
