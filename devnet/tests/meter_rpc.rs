//! The meter's JSON-RPC methods: marking programs cached so benchmarks can
//! show both of nitro's entry costs.

mod support;

use serde_json::json;
use support::*;

const TRIVIAL: &str = r#"(module (memory (export "memory") 1)
    (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

#[test]
fn set_program_cached_and_cache_all_lower_a_frames_gas() {
    let node = Node::new();
    let program = node.deploy_wasm(&wat::parse_str(TRIVIAL).unwrap());
    let from = dev_accounts()[0].address;
    let gas_used = || quantity(&node.send(json!({ "from": from, "to": program }))["gasUsed"]);
    let uncached = gas_used();
    assert_eq!(node.ok("keel_setProgramCached", json!([program, true])), json!(true));
    let cached = gas_used();
    assert!(uncached > cached + 8_832, "init gas is at least nitro's minimum: {uncached} vs {cached}");
    assert_eq!(node.ok("keel_setProgramCached", json!([program, false])), json!(true));
    assert_eq!(gas_used(), uncached);
    node.ok("keel_setCacheAllPrograms", json!([true]));
    assert_eq!(gas_used(), cached);
    let nowhere = "0x00000000000000000000000000000000000000b0";
    assert_eq!(node.ok("keel_setProgramCached", json!([nowhere, true])), json!(false), "no program there");
    assert_eq!(node.err("keel_setCacheAllPrograms", json!(["yes"])).0, -32602);
}

#[test]
fn a_wasm_cache_manager_added_over_rpc_may_call_arb_wasm_cache() {
    let node = Node::new();
    let manager = dev_accounts()[1].address;
    node.ok("keel_addWasmCacheManager", json!([manager]));
    // isCacheManager(manager)
    let data = format!("0x{}{}", hex(&alloy_primitives::keccak256("isCacheManager(address)")[..4]), hex(manager.into_word().as_slice()));
    let answer = node.ok("eth_call", json!([{ "to": "0x0000000000000000000000000000000000000072", "data": data }, "latest"]));
    assert!(answer.as_str().unwrap().ends_with('1'), "{answer}");
}
