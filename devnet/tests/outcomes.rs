//! The outcomes of a Stylus frame, as nitro reports them: success, revert,
//! failure (a trap such as a Rust panic's `unreachable`), out of ink and out
//! of stack; the gas each consumes, seen from a transaction, from a Solidity
//! caller and through JSON-RPC (`eth_call`, `eth_estimateGas`, receipts).

mod common;
mod support;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall};
use common::{deploy_solidity, install_wat, OWNER};
use keel_devnet::{Chain, Halt, Receipt, Tx};
use serde_json::json;

/// First calldata byte selects: 0 return 0x2a2a2a2a, 1 revert with it,
/// 2 `unreachable`, 3 spin until out of ink, 4 recurse until out of stack,
/// 5 load out of bounds.
const OUTCOMES: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1)
    (func $recurse (param i32) (result i32) (call $recurse (i32.add (local.get 0) (i32.const 1))))
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $op i32)
        (call $read_args (i32.const 0))
        (local.set $op (i32.load8_u (i32.const 0)))
        (i32.store (i32.const 64) (i32.const 0x2a2a2a2a))
        (if (i32.eq (local.get $op) (i32.const 1))
            (then (call $write_result (i32.const 64) (i32.const 4)) (return (i32.const 1))))
        (if (i32.eq (local.get $op) (i32.const 2)) (then unreachable))
        (if (i32.eq (local.get $op) (i32.const 3)) (then (loop $spin (br $spin))))
        (if (i32.eq (local.get $op) (i32.const 4)) (then (drop (call $recurse (i32.const 0)))))
        (if (i32.eq (local.get $op) (i32.const 5)) (then (drop (i32.load (i32.const 0x7ffffff0)))))
        (call $write_result (i32.const 64) (i32.const 4))
        (i32.const 0)))"#;

const LIMIT: u64 = 1_000_000;

fn setup() -> (Chain, Address) {
    let mut chain = Chain::new(common::CHAIN_ID);
    chain.set_balance(OWNER, common::ether(1_000));
    let program = install_wat(&mut chain, OUTCOMES);
    (chain, program)
}

fn run(chain: &mut Chain, program: Address, op: u8) -> Receipt {
    chain.transact(Tx::call(OWNER, program, vec![op]).with_gas(LIMIT)).unwrap()
}

#[test]
fn success_and_revert_return_their_data_and_keep_unused_gas() {
    let (mut chain, program) = setup();
    let ok = run(&mut chain, program, 0);
    assert!(ok.status && ok.error.is_none());
    assert_eq!(ok.output, Bytes::from(vec![0x2a; 4]));
    let reverted = run(&mut chain, program, 1);
    assert_eq!((reverted.status, reverted.error), (false, Some(Halt::Reverted)));
    assert_eq!(reverted.output, Bytes::from(vec![0x2a; 4]));
    assert!(reverted.gas_used < LIMIT / 10, "a revert keeps its unused gas: {}", reverted.gas_used);
}

#[test]
fn a_trap_reverts_without_data_and_keeps_unused_gas() {
    let (mut chain, program) = setup();
    let reverted = run(&mut chain, program, 1);
    for op in [2, 5] {
        let trapped = run(&mut chain, program, op);
        assert_eq!((trapped.status, trapped.error), (false, Some(Halt::Reverted)), "op {op}");
        assert!(trapped.output.is_empty());
        // The same work as the revert, minus its write_result: not the whole limit.
        assert!(trapped.gas_used <= reverted.gas_used, "op {op}: {} > {}", trapped.gas_used, reverted.gas_used);
    }
}

#[test]
fn out_of_ink_and_out_of_stack_consume_all_gas() {
    let (mut chain, program) = setup();
    let spun = run(&mut chain, program, 3);
    assert_eq!((spun.error, spun.gas_used), (Some(Halt::OutOfGas), LIMIT));
    let deep = run(&mut chain, program, 4);
    assert_eq!((deep.error, deep.gas_used), (Some(Halt::Depth), LIMIT));
    assert!(spun.output.is_empty() && deep.output.is_empty());
}

sol! {
    function observe(address target, bytes data, uint256 gasLimit) external returns (bool success, bytes output, uint256 used);
}

#[test]
fn a_solidity_caller_sees_a_trap_as_a_revert_without_data_that_returns_its_gas() {
    let (mut chain, program) = setup();
    let observer = deploy_solidity(&mut chain, OWNER, "CallObserver", &[]);
    let mut observe = |op: u8, gas: u64| {
        let call = observeCall { target: program, data: vec![op].into(), gasLimit: U256::from(gas) };
        let receipt = chain.call(Tx::call(OWNER, observer, call.abi_encode())).unwrap();
        assert!(receipt.status, "the observer itself succeeds");
        let seen = observeCall::abi_decode_returns(&receipt.output).unwrap();
        (seen.success, seen.output, u64::try_from(seen.used).unwrap())
    };
    let (reverted_ok, reverted_data, reverted_used) = observe(1, 300_000);
    assert!(!reverted_ok);
    assert_eq!(reverted_data, Bytes::from(vec![0x2a; 4]));
    let (trap_ok, trap_data, trap_used) = observe(2, 300_000);
    assert!(!trap_ok && trap_data.is_empty());
    assert!(trap_used <= reverted_used, "a trap costs the work done, not the gas given: {trap_used}");
    let (spun_ok, spun_data, spun_used) = observe(3, 300_000);
    assert!(!spun_ok && spun_data.is_empty());
    assert!(spun_used >= 300_000, "out of ink consumes all gas given: {spun_used}");
}

#[test]
fn json_rpc_reports_each_outcome_as_nitro_does() {
    let node = support::Node::new();
    let program = node.deploy_wasm(&wat::parse_str(OUTCOMES).unwrap());
    let from = support::dev_accounts()[0].address;
    let request = |op: u8| json!({ "from": from, "to": program, "data": format!("0x{op:02x}"), "gas": "0x30d40" });

    // A trap: "execution reverted", as geth's estimator answers for nitro's userFailure.
    assert_eq!(node.err("eth_estimateGas", json!([request(2)])), (-32000, "execution reverted".into(), None));
    assert_eq!(node.err("eth_call", json!([request(2)])), (-32000, "execution reverted".into(), None));
    let reverted = node.err("eth_estimateGas", json!([request(1)]));
    assert_eq!((reverted.0, reverted.2), (3, Some(json!("0x2a2a2a2a"))));

    // Out of ink: the allowance is too small; eth_call says "out of gas".
    assert_eq!(node.err("eth_estimateGas", json!([request(3)])), (-32000, "gas required exceeds allowance (200000)".into(), None));
    assert_eq!(node.err("eth_call", json!([request(3)])), (-32000, "out of gas".into(), None));
    // Out of stack: geth's ErrDepth.
    assert_eq!(node.err("eth_call", json!([request(4)])), (-32000, "max call depth exceeded".into(), None));

    // Mined, a trap charges the work done, not the limit.
    let receipt = node.send(json!({ "from": from, "to": program, "data": "0x02", "gas": "0xf4240" }));
    assert_eq!(receipt["status"], "0x0");
    assert!(support::quantity(&receipt["gasUsed"]) < LIMIT / 10, "{receipt}");
    let receipt = node.send(json!({ "from": from, "to": program, "data": "0x03", "gas": "0x30d40" }));
    assert_eq!((receipt["status"].as_str(), support::quantity(&receipt["gasUsed"])), (Some("0x0"), 200_000));
}
