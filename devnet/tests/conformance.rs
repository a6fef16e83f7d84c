//! The behaviour clients rely on, method by method through the JSON-RPC
//! handler: fees to the wei, revert error codes and messages, gas estimates
//! used as limits, blocks and transactions as signed, the "pending" tag,
//! `eth_call` state overrides and ArbWasm's errors, refund and expiry.

mod support;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{Revert, SolCall, SolError};
use keel_devnet::precompiles::ArbWasm;
use keel_devnet::{BASE_FEE, COINBASE};
use serde_json::{json, Value};
use support::*;

const BOB: &str = "0x00000000000000000000000000000000000000b0";

fn wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).unwrap()
}

fn alice() -> keel_devnet::node::accounts::DevAccount {
    dev_accounts()[0].clone()
}

fn bob() -> Address {
    BOB.parse().unwrap()
}

fn base_fee() -> U256 {
    U256::from(BASE_FEE)
}

fn u256(value: &Value) -> U256 {
    value.as_str().unwrap_or_else(|| panic!("{value} is not a quantity")).parse().unwrap()
}

fn activate_data(program: Address) -> String {
    format!("0x{}", hex(&ArbWasm::activateProgramCall { program }.abi_encode()))
}

#[test]
fn the_sender_pays_gas_used_times_the_base_fee_and_the_tip_is_dropped() {
    let node = Node::new();
    let from = alice();
    let coinbase_before = node.balance(COINBASE);
    let before = node.balance(from.address);
    let (max_fee, tip) = (base_fee() * U256::from(5), base_fee() * U256::from(2));
    let raw = sign_with_tip(CHAIN_ID, 2, &from.key, 0, Some(bob()), U256::from(7), 50_000, &[], max_fee, tip);
    let receipt = node.send_raw(&raw);
    let gas_used = U256::from(quantity(&receipt["gasUsed"]));
    assert_eq!(u256(&receipt["effectiveGasPrice"]), base_fee(), "Arbitrum refunds the tip");
    assert_eq!(before - node.balance(from.address), gas_used * base_fee() + U256::from(7));
    assert_eq!(node.balance(COINBASE) - coinbase_before, gas_used * base_fee(), "fees go to the coinbase");
    let tx = node.ok("eth_getTransactionByHash", json!([receipt["transactionHash"]]));
    assert_eq!((u256(&tx["maxFeePerGas"]), u256(&tx["maxPriorityFeePerGas"])), (max_fee, tip));
    assert_eq!(u256(&tx["gasPrice"]), base_fee());

    let before = node.balance(from.address);
    let legacy = sign_for(CHAIN_ID, 0, &from.key, 1, Some(bob()), U256::ZERO, 21_000, &[], base_fee() * U256::from(3));
    let receipt = node.send_raw(&legacy);
    assert_eq!(before - node.balance(from.address), U256::from(21_000) * base_fee());
    let tx = node.ok("eth_getTransactionByHash", json!([receipt["transactionHash"]]));
    assert_eq!(u256(&tx["gasPrice"]), base_fee() * U256::from(3), "a legacy transaction shows the price it signed");

    let cheap = sign_for(CHAIN_ID, 2, &from.key, 2, Some(bob()), U256::ZERO, 21_000, &[], base_fee() - U256::from(1));
    let (code, message, _) = node.err("eth_sendRawTransaction", json!([Bytes::from(cheap)]));
    assert_eq!(code, -32000);
    assert!(message.contains("less than block base fee"), "{message}");
    assert_eq!(u256(&node.ok("eth_gasPrice", json!([]))), base_fee());
    let history = node.ok("eth_feeHistory", json!(["0x3", "latest", [50]]));
    assert!(history["baseFeePerGas"].as_array().unwrap().iter().all(|fee| u256(fee) == base_fee()), "{history}");
    let block = node.ok("eth_getBlockByNumber", json!(["latest", false]));
    assert_eq!(u256(&block["baseFeePerGas"]), base_fee());
}

#[test]
fn reverts_are_code_3_with_the_data_and_empty_reverts_are_minus_32000() {
    let node = Node::new();
    let reverter = node.deploy_wasm(&wasm(REVERTER));
    let from = alice().address;
    let reason = Revert::from("not today").abi_encode();
    let custom = [0x12, 0x34, 0x56, 0x78, 0x9a];
    for method in ["eth_call", "eth_estimateGas"] {
        let request = |data: &[u8]| json!([{ "from": from, "to": reverter, "data": format!("0x{}", hex(data)) }]);
        let (code, message, data) = node.err(method, request(&reason));
        assert_eq!((code, message.as_str()), (3, "execution reverted: not today"), "{method}");
        assert_eq!(data.unwrap(), json!(format!("0x{}", hex(&reason))));
        let (code, message, data) = node.err(method, request(&custom));
        assert_eq!((code, message.as_str(), data.unwrap()), (3, "execution reverted", json!("0x123456789a")), "{method}");
        let (code, message, data) = node.err(method, request(&[]));
        assert_eq!((code, message.as_str(), data), (-32000, "execution reverted", None), "{method}");
    }
    let again = json!([{ "from": from, "to": ARB_WASM, "data": activate_data(reverter), "value": "0x1" }]);
    let (code, message, data) = node.err("eth_call", again);
    assert_eq!((code, message.as_str()), (3, "execution reverted: error ProgramUpToDate()"));
    assert_eq!(data.unwrap(), json!(format!("0x{}", hex(&ArbWasm::ProgramUpToDate {}.abi_encode()))));
}

#[test]
fn the_estimate_is_the_smallest_gas_limit_that_succeeds() {
    let node = Node::new();
    let (storer, forwarder) = (node.deploy_wasm(&wasm(STORER)), node.deploy_wasm(&wasm(FORWARDER)));
    let key = alice();
    for slot in 1u8..=3 {
        let input = [storer.as_slice(), word(slot).as_slice(), word(slot + 10).as_slice()].concat();
        let request = json!({ "from": key.address, "to": forwarder, "data": format!("0x{}", hex(&input)) });
        let estimate = quantity(&node.ok("eth_estimateGas", json!([request])));
        let nonce = node.nonce(key.address);
        let short = node.send_raw(&sign(2, &key.key, nonce, Some(forwarder), U256::ZERO, estimate - 1, &input));
        assert_eq!(short["status"], "0x0", "one gas less than the estimate fails");
        let exact = node.send_raw(&sign(2, &key.key, nonce + 1, Some(forwarder), U256::ZERO, estimate, &input));
        assert_eq!(exact["status"], "0x1", "the estimate as the limit succeeds");
        assert!(quantity(&exact["gasUsed"]) < estimate, "the callee needed the 1/64 held back");
        let stored = node.ok("eth_getStorageAt", json!([storer, format!("0x{slot:x}"), "latest"]));
        assert_eq!(stored, json!(word(slot + 10)));
    }
    let poor = json!({ "from": BOB, "to": forwarder, "data": format!("0x{}", hex(storer.as_slice())), "maxFeePerGas": "0x5f5e100" });
    let (code, message, _) = node.err("eth_estimateGas", json!([poor]));
    assert_eq!(code, -32000);
    assert!(message.starts_with("gas required exceeds allowance (0)"), "{message}");
}

#[test]
fn blocks_carry_base_fee_timestamps_and_transactions_exactly_as_signed() {
    let node = Node::new();
    let key = alice();
    node.ok("evm_setNextBlockTimestamp", json!([2_000_000_000u64]));
    let input = [0u8, 0xff, 0, 0x01, 0x80, 0xc0];
    let raw = sign(2, &key.key, 0, Some(bob()), U256::from(5), 60_000, &input);
    let receipt = node.send_raw(&raw);
    let hash = receipt["transactionHash"].clone();
    let tx = node.ok("eth_getTransactionByHash", json!([hash]));
    assert_eq!(tx["input"], json!(format!("0x{}", hex(&input))));
    assert_eq!((tx["nonce"].clone(), tx["gas"].clone(), tx["value"].clone()), (json!("0x0"), json!("0xea60"), json!("0x5")));
    assert_eq!((tx["type"].clone(), tx["chainId"].clone(), tx["to"].clone()), (json!("0x2"), json!("0x64aba"), json!(bob())));
    assert_eq!(tx["v"], tx["yParity"]);
    assert_eq!(tx["hash"], hash);
    assert!(raw.windows(32).any(|w| json!(U256::from_be_slice(w)) == tx["r"]), "r is the signed r");

    let by_number = node.ok("eth_getBlockByNumber", json!([receipt["blockNumber"], false]));
    assert_eq!(by_number["transactions"], json!([hash]));
    assert_eq!(quantity(&by_number["timestamp"]), 2_000_000_000);
    assert_eq!(u256(&by_number["baseFeePerGas"]), base_fee());
    let full = node.ok("eth_getBlockByHash", json!([by_number["hash"], true]));
    assert_eq!(full["transactions"], json!([tx]));
    assert_eq!(full["number"], by_number["number"]);
    assert_eq!(node.ok("eth_getBlockByNumber", json!(["latest", true])), full);
}

#[test]
fn the_pending_tag_reads_the_state_the_next_transaction_sees() {
    let node = Node::new();
    let key = alice();
    let reader = node.deploy_wasm(&wasm(SLOT_READER));
    let sent = node.nonce(key.address);
    node.send_raw(&sign(2, &key.key, sent, Some(bob()), U256::from(9), 21_000, &[]));
    assert_eq!(node.ok("eth_getTransactionCount", json!([key.address, "pending"])), json!(format!("{:#x}", sent + 1)));
    assert_eq!(node.ok("eth_getBalance", json!([BOB, "pending"])), "0x9");
    let call = json!({ "to": reader, "data": format!("0x{}", hex(word(0).as_slice())) });
    assert_eq!(node.ok("eth_call", json!([call, "pending"])), json!(word(0)));
    let next = sign(2, &key.key, sent + 1, Some(bob()), U256::ZERO, 21_000, &[]);
    assert_eq!(node.send_raw(&next)["status"], "0x1", "the pending nonce is the one to use");
}

#[test]
fn call_overrides_replace_code_balance_nonce_and_storage_for_one_call() {
    let node = Node::new();
    let reader = node.deploy_wasm(&wasm(SLOT_READER));
    node.ok("anvil_setStorageAt", json!([reader, "0x1", word(11)]));
    node.ok("anvil_setStorageAt", json!([reader, "0x2", word(22)]));
    let read = |slot: u8, overrides: Value| {
        let call = json!({ "to": reader, "data": format!("0x{}", hex(word(slot).as_slice())) });
        node.ok("eth_call", json!([call, "latest", overrides]))
    };
    let diff = json!({ reader.to_string(): { "stateDiff": { word(1).to_string(): word(99) } } });
    assert_eq!((read(1, diff.clone()), read(2, diff)), (json!(word(99)), json!(word(22))), "stateDiff keeps other slots");
    let state = json!({ reader.to_string(): { "state": { word(1).to_string(): word(99) } } });
    assert_eq!((read(1, state.clone()), read(2, state)), (json!(word(99)), json!(word(0))), "state replaces all slots");
    assert_eq!(read(1, json!({})), json!(word(11)), "overrides last one call");

    let elsewhere = "0x00000000000000000000000000000000000000e5";
    let code = node.ok("eth_getCode", json!([reader, "latest"]));
    let call = json!({ "to": elsewhere, "data": format!("0x{}", hex(word(1).as_slice())) });
    let with_code = json!({ elsewhere: { "code": code, "stateDiff": { word(1).to_string(): word(5) } } });
    assert_eq!(node.ok("eth_call", json!([call, "latest", with_code])), json!(word(5)), "activated code runs anywhere");

    let rich = json!({ "from": BOB, "to": elsewhere, "value": "0xde0b6b3a7640000" });
    assert!(node.err("eth_call", json!([rich])).1.starts_with("insufficient funds"));
    node.ok("eth_call", json!([rich, "latest", { BOB: { "balance": "0xde0b6b3a7640000" } }]));
    assert_eq!(node.balance(bob()), U256::ZERO);

    let creator = node.deploy_wasm(&wasm(CREATOR));
    let created = |overrides: Value| node.ok("eth_call", json!([{ "to": creator }, "latest", overrides]));
    let renonced = json!({ creator.to_string(): { "nonce": "0x7" } });
    assert_eq!(created(renonced), json!(Bytes::copy_from_slice(creator.create(7).as_slice())));
    assert_ne!(created(json!({})), json!(Bytes::copy_from_slice(creator.create(7).as_slice())));
}

#[test]
fn arb_wasm_quotes_one_fee_refunds_the_excess_and_names_its_errors() {
    let node = Node::new();
    let key = alice();
    let stranger = "0x00000000000000000000000000000000000000e7";
    let code = Bytes::from(keel_wasm::deployed_code(&wasm(STORER)));
    let quote = |value: &str| {
        // cargo stylus check: activate the code put at an unused address by an override.
        let request = json!({ "from": key.address, "to": ARB_WASM, "data": activate_data(stranger.parse().unwrap()), "value": value });
        let returned = node.ok("eth_call", json!([request, "latest", { stranger: { "code": code } }]));
        let raw: Bytes = serde_json::from_value(returned).unwrap();
        ArbWasm::activateProgramCall::abi_decode_returns(&raw).unwrap().dataFee
    };
    let fee = quote("0x3635c9adc5dea00000");
    assert_eq!(quote("0x56bc75e2d63100000"), fee, "the same program is quoted the same fee");

    let raw = sign(2, &key.key, node.nonce(key.address), None, U256::ZERO, 5_000_000, &keel_wasm::init_code(&code));
    let program: Address = serde_json::from_value(node.send_raw(&raw)["contractAddress"].clone()).unwrap();
    let short = json!({ "from": key.address, "to": ARB_WASM, "data": activate_data(program), "value": fee - U256::from(1) });
    let (code3, message, _) = node.err("eth_call", json!([short]));
    assert_eq!(code3, 3);
    assert_eq!(message, format!("execution reverted: error ProgramInsufficientValue({}, {fee})", fee - U256::from(1)));

    let before = node.balance(key.address);
    let extra = U256::from(10u64).pow(U256::from(18u64));
    let receipt = node.send(json!({ "from": key.address, "to": ARB_WASM, "data": activate_data(program), "value": fee + extra }));
    assert_eq!(receipt["status"], "0x1");
    let gas_paid = U256::from(quantity(&receipt["gasUsed"])) * base_fee();
    assert_eq!(before - node.balance(key.address), fee + gas_paid, "everything above the data fee comes back");
    assert_eq!(node.balance(ARB_WASM.parse().unwrap()), U256::ZERO);

    let not_wasm = json!({ "from": key.address, "to": ARB_WASM, "data": activate_data(bob()), "value": fee });
    assert_eq!(node.err("eth_call", json!([not_wasm])).1, "execution reverted: error ProgramNotWasm()");
    let version = format!("0x{}", hex(&ArbWasm::programVersionCall { program }.abi_encode()));
    assert_eq!(node.ok("eth_call", json!([{ "to": ARB_WASM, "data": version }])), json!(format!("0x{}", hex(word(2).as_slice()))));
}

#[test]
fn programs_expire_a_year_after_activation_until_reactivated() {
    let node = Node::new();
    node.0.lock().chain_mut().set_program_expiry_days(Some(keel_devnet::precompiles::EXPIRY_DAYS));
    let key = alice();
    let storer = node.deploy_wasm(&wasm(STORER));
    let store = json!({ "from": key.address, "to": storer, "data": format!("0x{}{}", hex(word(1).as_slice()), hex(word(2).as_slice())) });
    node.ok("eth_call", json!([store]));
    node.ok("evm_increaseTime", json!([u64::from(keel_devnet::precompiles::EXPIRY_DAYS) * 86_400 + 10]));
    node.ok("evm_mine", json!([]));
    let (code, message, _) = node.err("eth_call", json!([store]));
    assert_eq!(code, 3);
    assert!(message.starts_with("execution reverted: error ProgramExpired("), "{message}");
    let age: u64 = message.trim_start_matches("execution reverted: error ProgramExpired(").trim_end_matches(')').parse().unwrap();
    assert!(age > u64::from(keel_devnet::precompiles::EXPIRY_DAYS) * 86_400, "{age}");
    let reactivate = json!({ "from": key.address, "to": ARB_WASM, "data": activate_data(storer), "value": "0x3635c9adc5dea00000" });
    assert_eq!(node.send(reactivate)["status"], "0x1");
    node.ok("eth_call", json!([store]));
}

/// Returns the block timestamp (8 bytes, little-endian).
const CLOCK: &str = r#"(module
    (import "vm_hooks" "block_timestamp" (func $timestamp (result i64)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (i64.store (i32.const 0) (call $timestamp))
        (call $write_result (i32.const 0) (i32.const 8))
        (i32.const 0)))"#;

#[test]
fn a_transaction_sent_right_after_its_estimate_runs_at_the_estimated_time() {
    let node = Node::new();
    let clock = node.deploy_wasm(&wasm(CLOCK));
    let key = alice();
    let seen = node.ok("eth_call", json!([{ "to": clock }]));
    let seen = u64::from_le_bytes(hex_bytes(&seen).try_into().unwrap());
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    let receipt = node.send_raw(&sign(2, &key.key, node.nonce(key.address), Some(clock), U256::ZERO, 100_000, &[]));
    let block = node.ok("eth_getBlockByNumber", json!([receipt["blockNumber"], false]));
    assert_eq!(quantity(&block["timestamp"]), seen, "the wall clock moved on, the pending block did not");
    node.ok("evm_increaseTime", json!([60]));
    let later = node.ok("eth_call", json!([{ "to": clock }]));
    assert!(u64::from_le_bytes(hex_bytes(&later).try_into().unwrap()) >= seen + 60, "changing the clock starts a new pending time");
}

fn hex_bytes(value: &Value) -> Vec<u8> {
    let text = value.as_str().unwrap().trim_start_matches("0x");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}
