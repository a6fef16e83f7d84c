//! The anvil / hardhat test methods: time, mining, snapshots, state edits.

mod support;

use alloy_primitives::{Address, U256};
use serde_json::json;
use support::*;

const CAROL: &str = "0x00000000000000000000000000000000000000ca";

fn head_timestamp(node: &Node) -> u64 {
    quantity(&node.ok("eth_getBlockByNumber", json!(["latest", false]))["timestamp"])
}

#[test]
fn time_moves_with_increase_time_and_pinned_timestamps() {
    let node = Node::new();
    let start = head_timestamp(&node);
    assert!(quantity(&node.ok("evm_increaseTime", json!([3_600]))) >= 3_600);
    node.ok("evm_mine", json!([]));
    let after = head_timestamp(&node);
    assert!((start + 3_600..start + 3_700).contains(&after), "{start} -> {after}");

    node.ok("evm_setNextBlockTimestamp", json!([format!("{:#x}", after + 10_000)]));
    let receipt = node.send(json!({ "from": dev_accounts()[0].address, "to": CAROL }));
    let block = node.ok("eth_getBlockByHash", json!([receipt["blockHash"], false]));
    assert_eq!(quantity(&block["timestamp"]), after + 10_000);
    node.ok("evm_mine", json!([]));
    assert!(head_timestamp(&node) >= after + 10_000, "time continues from the pinned timestamp");
    let (code, message, _) = node.err("evm_setNextBlockTimestamp", json!([1]));
    assert_eq!(code, -32000);
    assert!(message.contains("before the latest block"), "{message}");

    node.ok("evm_mine", json!([format!("{:#x}", after + 20_000)]));
    assert_eq!(head_timestamp(&node), after + 20_000, "evm_mine takes a timestamp");
    assert_eq!(node.err("evm_increaseTime", json!(["soon"])).0, -32602);
}

#[test]
fn an_interval_sets_each_next_timestamp_whatever_the_wall_clock() {
    let node = Node::new();
    assert_eq!(node.ok("anvil_setBlockTimestampInterval", json!([5])), json!(null));
    let start = head_timestamp(&node);
    node.ok("evm_mine", json!([]));
    assert_eq!(head_timestamp(&node), start + 5);
    let receipt = node.send(json!({ "from": dev_accounts()[0].address, "to": CAROL }));
    let block = node.ok("eth_getBlockByHash", json!([receipt["blockHash"], false]));
    assert_eq!(quantity(&block["timestamp"]), start + 10);
    node.ok("evm_increaseTime", json!([100]));
    node.ok("evm_mine", json!([]));
    assert_eq!(head_timestamp(&node), start + 115, "an increase adds to the next block once");
    let snapshot = node.ok("evm_snapshot", json!([]));
    node.ok("evm_mine", json!([]));
    assert_eq!(head_timestamp(&node), start + 120);
    node.ok("evm_revert", json!([snapshot]));
    node.ok("evm_mine", json!([]));
    assert_eq!(head_timestamp(&node), start + 120, "a reverted chain mines the same times again");
    assert_eq!(node.ok("anvil_removeBlockTimestampInterval", json!([])), json!(true));
    assert_eq!(node.ok("anvil_removeBlockTimestampInterval", json!([])), json!(false));
    node.ok("evm_mine", json!([]));
    let after = head_timestamp(&node);
    assert!((start + 120..start + 130).contains(&after), "the wall clock resumes from the last block: {after}");
}

#[test]
fn mining_adds_empty_blocks() {
    let node = Node::new();
    assert_eq!(node.ok("evm_mine", json!([])), "0x0");
    node.ok("evm_mine", json!([]));
    assert_eq!(node.ok("eth_blockNumber", json!([])), "0x2");
    let block = node.ok("eth_getBlockByNumber", json!(["0x2", true]));
    assert_eq!((block["transactions"].clone(), block["gasUsed"].as_str()), (json!([]), Some("0x0")));
}

#[test]
fn snapshots_revert_state_blocks_and_transactions() {
    let node = Node::new();
    let alice = dev_accounts()[0].address;
    let before = node.balance(alice);
    let id = node.ok("evm_snapshot", json!([]));
    let receipt = node.send(json!({ "from": alice, "to": CAROL, "value": "0x64" }));
    let later = node.ok("evm_snapshot", json!([]));
    node.ok("anvil_setBalance", json!([CAROL, "0x1"]));
    assert_eq!(node.ok("evm_revert", json!([id])), true);
    assert_eq!(node.balance(alice), before);
    assert_eq!(node.balance(CAROL.parse().unwrap()), U256::ZERO);
    assert_eq!(node.nonce(alice), 0);
    assert_eq!(node.ok("eth_blockNumber", json!([])), "0x0");
    assert_eq!(node.ok("eth_getTransactionReceipt", json!([receipt["transactionHash"]])), serde_json::Value::Null);
    assert_eq!(node.ok("evm_revert", json!([id])), false, "a snapshot is used once");
    assert_eq!(node.ok("evm_revert", json!([later])), false, "later snapshots are dropped");
    let resent = node.send(json!({ "from": alice, "to": CAROL, "value": "0x64" }));
    assert_eq!(resent["blockNumber"], "0x1", "the chain continues from the snapshot");
}

#[test]
fn balance_code_nonce_and_storage_can_be_set() {
    let node = Node::new();
    let carol: Address = CAROL.parse().unwrap();
    assert_eq!(node.ok("anvil_setBalance", json!([CAROL, "0x2a"])), serde_json::Value::Null);
    assert_eq!(node.balance(carol), U256::from(42));
    node.ok("hardhat_setBalance", json!([CAROL, "0x2b"]));
    assert_eq!(node.balance(carol), U256::from(43));
    node.ok("anvil_setCode", json!([CAROL, "0xeff00000"]));
    assert_eq!(node.ok("eth_getCode", json!([CAROL])), "0xeff00000");
    node.ok("anvil_setNonce", json!([CAROL, "0x5"]));
    assert_eq!(node.nonce(carol), 5);
    node.ok("anvil_setStorageAt", json!([CAROL, "0x3", word(7)]));
    assert_eq!(node.ok("eth_getStorageAt", json!([CAROL, "0x3"])), json!(word(7)));
    assert_eq!(node.err("anvil_setBalance", json!([CAROL])).0, -32602);
    assert_eq!(node.err("anvil_setCode", json!([CAROL, "0xabc"])).0, -32602, "odd hex");
    assert_eq!(node.err("anvil_setBalance", json!([CAROL, "0x1", "0x2"])).0, -32602);
    assert_eq!(node.err("anvil_mineDetailed", json!([])).0, -32601);
}
