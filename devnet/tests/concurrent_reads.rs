//! Reads of the head state (`eth_call`, `eth_getBalance`, ...) run on its
//! published view, not under the node's lock: they go on while the lock is
//! held, and calls racing the mining of transactions see each transaction
//! either not at all or whole.

mod support;

use alloy_primitives::{address, Address, U256};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::*;

/// Where the summing code is installed.
const SUMMER: Address = address!("00000000000000000000000000000000005c0de5");
/// Transfers mined while the readers run.
const TRANSFERS: usize = 12;
/// Threads calling at once.
const READERS: usize = 3;

/// EVM code returning two words: balance(a) + balance(b) + balance(c),
/// then balance(a).
fn summing_code(a: Address, b: Address, c: Address) -> Vec<u8> {
    let balance = |code: &mut Vec<u8>, who: Address| {
        code.push(0x73); // PUSH20
        code.extend_from_slice(who.as_slice());
        code.push(0x31); // BALANCE
    };
    let mut code = Vec::new();
    balance(&mut code, a);
    balance(&mut code, b);
    code.push(0x01); // ADD
    balance(&mut code, c);
    code.extend_from_slice(&[0x01, 0x60, 0x00, 0x52]); // ADD, PUSH1 0, MSTORE
    balance(&mut code, a);
    code.extend_from_slice(&[0x60, 0x20, 0x52, 0x60, 0x40, 0x60, 0x00, 0xf3]); // PUSH1 32, MSTORE, RETURN(0, 64)
    code
}

/// The two words the summing code returns.
fn sum_and_first(node: &Node) -> (U256, U256) {
    let out: alloy_primitives::Bytes = serde_json::from_value(node.ok("eth_call", json!([{ "to": SUMMER }, "latest"]))).unwrap();
    assert_eq!(out.len(), 64, "{out}");
    (U256::from_be_slice(&out[..32]), U256::from_be_slice(&out[32..]))
}

#[test]
fn calls_racing_mined_transactions_never_see_one_half_applied() {
    let node = Node::new();
    let (a, b) = (dev_accounts()[0].address, dev_accounts()[1].address);
    node.ok("anvil_setCode", json!([SUMMER, format!("0x{}", hex(&summing_code(a, b, keel_devnet::COINBASE)))]));
    // A transfer from a to b moves its value to b and its fee to the
    // coinbase: the sum of the three balances never changes.
    let (total, start) = sum_and_first(&node);
    let mining = AtomicBool::new(true);
    let seen = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut balances = vec![start];
                    while mining.load(Ordering::SeqCst) {
                        let (sum, first) = sum_and_first(&node);
                        assert_eq!(sum, total, "a transaction seen half-applied");
                        assert!(first <= *balances.last().unwrap(), "a read saw an older state after a newer one");
                        if first != *balances.last().unwrap() {
                            balances.push(first);
                        }
                    }
                    balances
                })
            })
            .collect();
        for _ in 0..TRANSFERS {
            let receipt = node.send(json!({ "from": a, "to": b, "value": "0x1" }));
            assert_eq!(receipt["status"], "0x1");
        }
        mining.store(false, Ordering::SeqCst);
        readers.into_iter().map(|reader| reader.join().unwrap()).collect::<Vec<_>>()
    });
    let (sum, end) = sum_and_first(&node);
    assert_eq!(sum, total);
    assert!(end < start, "the transfers were mined");
    for balances in seen {
        assert!(balances.iter().all(|balance| *balance >= end), "no reader saw a state after the last transfer");
    }
    // Once answered, a transaction is in every later read.
    let receipt = node.send(json!({ "from": a, "to": b, "value": "0x1" }));
    assert_eq!(receipt["status"], "0x1");
    assert!(sum_and_first(&node).1 < end);
    assert!(node.balance(a) < end);
}

/// Runs `method` on another thread while this one holds the node's lock;
/// the reply, if it came within a minute.
fn while_locked(node: &Node, method: &str, params: Value) -> Option<Result<Value, Error>> {
    let held = node.0.lock();
    std::thread::scope(|scope| {
        let (sender, replies) = std::sync::mpsc::channel();
        let reader = scope.spawn(move || sender.send(node.call(method, params)));
        let reply = replies.recv_timeout(Duration::from_secs(60)).ok();
        drop(held);
        reader.join().unwrap().ok();
        reply
    })
}

#[test]
fn reads_do_not_wait_for_the_lock() {
    let node = Node::new();
    let (a, b) = (dev_accounts()[0].address, dev_accounts()[1].address);
    node.ok("anvil_setCode", json!([SUMMER, format!("0x{}", hex(&summing_code(a, b, keel_devnet::COINBASE)))]));
    let balance = node.ok("eth_getBalance", json!([a, "latest"]));
    let call = node.ok("eth_call", json!([{ "to": SUMMER }, "latest"]));

    assert_eq!(while_locked(&node, "eth_getBalance", json!([a, "latest"])), Some(Ok(balance)));
    assert_eq!(while_locked(&node, "eth_call", json!([{ "to": SUMMER }, "latest"])), Some(Ok(call)));
    assert_eq!(while_locked(&node, "eth_blockNumber", json!([])), Some(Ok(json!("0x0"))));
}

#[test]
fn a_change_under_the_lock_is_read_after_it() {
    let node = Node::new();
    let who = dev_accounts()[2].address;
    node.ok("eth_getBalance", json!([who]));
    node.0.lock().chain_mut().set_balance(who, U256::from(7));
    assert_eq!(node.balance(who), U256::from(7));
    node.ok("anvil_setBalance", json!([who, "0x8"]));
    assert_eq!(node.balance(who), U256::from(8));
}
