//! `debug_traceTransaction` and `debug_traceCall` through JSON-RPC: geth's
//! `callTracer` across EVM and Stylus frames and nitro's `stylusTracer`,
//! replayed on the state before the transaction; and the `cast rpc` form.

mod common;
mod support;

use alloy_primitives::{Address, Bytes, U256};
use keel_devnet::node::{self, Config};
use serde_json::{json, Value};
use std::path::PathBuf;
use support::{dev_accounts, quantity, Node};

/// A counter: adds one to slot 0's last byte, stores it and returns the
/// slot; calldata `[2]` traps (`unreachable`) instead.
const COUNTER: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (if (i32.gt_u (local.get $len) (i32.const 0))
            (then (call $read_args (i32.const 0))
                  (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 2)) (then unreachable))))
        (call $load (i32.const 256) (i32.const 288))
        (i32.store8 (i32.const 319) (i32.add (i32.load8_u (i32.const 319)) (i32.const 1)))
        (call $cache (i32.const 256) (i32.const 288))
        (call $flush (i32.const 0))
        (call $write_result (i32.const 288) (i32.const 32))
        (i32.const 0)))"#;

/// Where the EVM forwarder ([`common::EVM_FORWARDER`]) is installed.
const FORWARDER: Address = Address::repeat_byte(0xf0);

fn counter_word(n: u8) -> String {
    format!("0x{}{n:02x}", "00".repeat(31))
}

fn setup() -> (Node, Address, Address) {
    let node = Node::new();
    let counter = node.deploy_wasm(&wat::parse_str(COUNTER).unwrap());
    let proxy = node.deploy_wasm(&wat::parse_str(common::PROXY).unwrap());
    node.ok("anvil_setCode", json!([FORWARDER, Bytes::from(common::EVM_FORWARDER.to_vec())]));
    (node, counter, proxy)
}

fn send(node: &Node, to: Address, data: Vec<u8>) -> (Value, Value) {
    let from = dev_accounts()[0].address;
    let hash = node.ok("eth_sendTransaction", json!([{ "from": from, "to": to, "data": Bytes::from(data), "gas": "0x1e8480" }]));
    let receipt = node.ok("eth_getTransactionReceipt", json!([hash]));
    (hash, receipt)
}

fn call_tracer() -> Value {
    json!({ "tracer": "callTracer" })
}

#[test]
fn call_tracer_shows_the_tree_across_evm_and_stylus_replayed_on_the_parent_state() {
    let (node, counter, _) = setup();
    let from = dev_accounts()[0].address;
    let (first, receipt) = send(&node, FORWARDER, [counter.as_slice(), &[]].concat());
    assert_eq!(receipt["status"], "0x1");
    send(&node, counter, vec![]); // the counter moves on to 2

    let nonce = node.nonce(from);
    let trace = node.ok("debug_traceTransaction", json!([first, call_tracer()]));
    assert_eq!(node.nonce(from), nonce, "tracing leaves the head state alone");
    assert_eq!(trace["type"], "CALL");
    assert_eq!(trace["from"], json!(from));
    assert_eq!(trace["to"], json!(FORWARDER));
    assert_eq!(trace["value"], "0x0");
    assert_eq!(trace["gas"], "0x1e8480");
    assert_eq!(trace["gasUsed"], receipt["gasUsed"]);
    assert_eq!(trace["input"], json!(Bytes::copy_from_slice(counter.as_slice())));
    assert_eq!(trace["output"], counter_word(1), "replayed on the state before it, not the head");
    assert!(trace.get("error").is_none());
    let calls = trace["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1);
    let inner = &calls[0];
    assert_eq!((&inner["type"], &inner["from"], &inner["to"]), (&json!("CALL"), &json!(FORWARDER), &json!(counter)));
    assert_eq!(inner["input"], "0x");
    assert_eq!(inner["output"], counter_word(1));
    let (gas, used) = (quantity(&inner["gas"]), quantity(&inner["gasUsed"]));
    assert!(0 < used && used < gas, "{inner}");
    assert!(used < quantity(&trace["gasUsed"]));
}

#[test]
fn call_tracer_reports_a_stylus_trap_as_a_revert_in_debug_trace_call() {
    let (node, counter, proxy) = setup();
    let from = dev_accounts()[0].address;
    let data = common::via_proxy(1, counter, &[2]);
    let request = json!({ "from": from, "to": proxy, "data": Bytes::from(data), "gas": "0x1e8480" });
    let trace = node.ok("debug_traceCall", json!([request, "latest", call_tracer()]));
    assert!(trace.get("error").is_none(), "the proxy reports the failure and succeeds: {trace}");
    assert_eq!(trace["output"], "0x02", "status 2: the callee failed");
    let inner = &trace["calls"][0];
    assert_eq!((&inner["from"], &inner["to"], &inner["input"]), (&json!(proxy), &json!(counter), &json!("0x02")));
    assert_eq!(inner["error"], "execution reverted");
    assert!(inner.get("output").is_none());
    assert!(quantity(&inner["gasUsed"]) < quantity(&inner["gas"]) / 10, "a trap keeps its unused gas: {inner}");

    let top = node.ok("debug_traceCall", json!([request, "latest", { "tracer": "callTracer", "tracerConfig": { "onlyTopCall": true } }]));
    assert!(top.get("calls").is_none());
    let unknown = node.err("debug_traceCall", json!([request, "latest", { "tracer": "prestateTracer" }]));
    assert_eq!(unknown.0, -32602);
}

#[test]
fn call_tracer_shows_a_creation_with_the_new_account_and_its_code() {
    let node = Node::new();
    let from = dev_accounts()[0].address;
    let init = keel_wasm::init_code(&keel_wasm::deployed_code(&wat::parse_str(COUNTER).unwrap()));
    let receipt = node.send(json!({ "from": from, "data": Bytes::from(init.clone()) }));
    let trace = node.ok("debug_traceTransaction", json!([receipt["transactionHash"], call_tracer()]));
    assert_eq!(trace["type"], "CREATE");
    assert_eq!((&trace["from"], &trace["to"]), (&json!(from), &receipt["contractAddress"]));
    assert_eq!(trace["input"], json!(Bytes::from(init)));
    assert_eq!(trace["output"], node.ok("eth_getCode", json!([receipt["contractAddress"]])), "the deployed code");
    assert_eq!(trace["gasUsed"], receipt["gasUsed"]);
}

/// The names of a stylusTracer list.
fn names(entries: &Value) -> Vec<&str> {
    entries.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect()
}

#[test]
fn stylus_tracer_lists_host_calls_with_their_bytes_and_ink() {
    let (node, counter, proxy) = setup();
    send(&node, counter, vec![]);
    let (hash, _) = send(&node, counter, vec![]);
    let trace = node.ok("debug_traceTransaction", json!([hash, { "tracer": "stylusTracer" }]));
    let frame =
        ["user_entrypoint", "storage_load_bytes32", "storage_cache_bytes32", "storage_flush_cache", "write_result", "user_returned"];
    assert_eq!(names(&trace), frame);
    assert_eq!((&trace[0]["args"], &trace[5]["outs"]), (&json!("0x00000000"), &json!("0x00000000")), "no calldata; status 0");
    let load = &trace[1];
    assert_eq!(load["args"], json!(format!("0x{}", "00".repeat(32))), "the key read");
    assert_eq!(load["outs"], counter_word(1), "the value written back to the program");
    assert_eq!(trace[2]["args"], json!(format!("0x{}{}", "00".repeat(32), &counter_word(2)[2..])), "key and value");
    assert_eq!(trace[4]["args"], counter_word(2));
    let mut last_end = trace[0]["startInk"].as_u64().unwrap();
    for entry in &trace.as_array().unwrap()[1..5] {
        let (start, end) = (entry["startInk"].as_u64().unwrap(), entry["endInk"].as_u64().unwrap());
        assert!(start > end && start <= last_end, "ink only goes down: {entry}");
        last_end = end;
    }

    // A Stylus caller: the call carries the callee's host calls.
    let (hash, _) = send(&node, proxy, common::via_proxy(1, counter, &[]));
    let trace = node.ok("debug_traceTransaction", json!([hash, { "tracer": "stylusTracer" }]));
    assert_eq!(names(&trace), ["user_entrypoint", "read_args", "call_contract", "read_return_data", "write_result", "user_returned"]);
    let call = &trace[2];
    assert_eq!(call["address"], json!(counter));
    assert_eq!(names(&call["steps"]), frame);
    assert_eq!(call["outs"], "0x20000000", "the return data length");

    // An EVM caller: the callee's host calls sit under the EVM call.
    let (hash, _) = send(&node, FORWARDER, counter.to_vec());
    let trace = node.ok("debug_traceTransaction", json!([hash, { "tracer": "stylusTracer" }]));
    assert_eq!(names(&trace), ["evm_call_contract"]);
    assert_eq!(names(&trace[0]["steps"]), frame);
}

fn cast_binary() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast");
    path.exists().then_some(path)
}

#[test]
fn cast_rpc_traces_a_transaction_with_the_call_tracer() {
    let Some(cast) = cast_binary() else {
        eprintln!("\n!!!!!!!! SKIPPED: cast is not installed; run `make tools` (npm ci --prefix tools) !!!!!!!!\n");
        return;
    };
    let node = node::spawn(Config { port: 0, ..Config::default() }).unwrap();
    let url = node.url();
    let from = dev_accounts()[0].address;
    let rpc = |method: &str, params: Value| {
        let reply = support::http_rpc(&url, method, params);
        assert!(reply.get("error").is_none(), "{method}: {reply}");
        reply["result"].clone()
    };
    let init = keel_wasm::init_code(&keel_wasm::deployed_code(&wat::parse_str(COUNTER).unwrap()));
    let hash = rpc("eth_sendTransaction", json!([{ "from": from, "data": Bytes::from(init) }]));
    let counter: Address = serde_json::from_value(rpc("eth_getTransactionReceipt", json!([hash]))["contractAddress"].clone()).unwrap();
    let activate = format!("0x58c780c2{}", support::hex(counter.into_word().as_slice()));
    rpc(
        "eth_sendTransaction",
        json!([{ "from": from, "to": support::ARB_WASM, "data": activate, "value": U256::from(10).pow(U256::from(18)) }]),
    );
    rpc("anvil_setCode", json!([FORWARDER, Bytes::from(common::EVM_FORWARDER.to_vec())]));
    let hash = rpc("eth_sendTransaction", json!([{ "from": from, "to": FORWARDER, "data": Bytes::copy_from_slice(counter.as_slice()) }]));

    let hash = hash.as_str().unwrap();
    let output = std::process::Command::new(cast)
        .args(["rpc", "debug_traceTransaction", hash, r#"{"tracer":"callTracer"}"#, "--rpc-url", &url])
        .output()
        .expect("cast runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let trace: Value = serde_json::from_slice(&output.stdout).expect("cast prints the trace as JSON");
    assert_eq!((&trace["type"], &trace["to"]), (&json!("CALL"), &json!(FORWARDER.to_string().to_lowercase())));
    assert_eq!(trace["calls"][0]["to"], json!(counter.to_string().to_lowercase()));
    assert_eq!(trace["calls"][0]["output"], counter_word(1));
    node.shutdown().unwrap();
}
