//! Fragmented Stylus contracts over JSON-RPC: deployed by signed creation
//! transactions, activated, called, and read back with `eth_getCode` as
//! nitro returns them (the root's and each fragment's own code).

mod common;
mod support;

use alloy_primitives::{Address, Bytes};
use serde_json::json;
use support::Node;

#[test]
fn a_fragmented_program_deploys_runs_and_reads_back_over_json_rpc() {
    let node = Node::new();
    let data = common::noise(40_000);
    let wasm = wat::parse_str(common::data_program_wat(&data)).unwrap();
    let root = node.deploy_wasm(&wasm);

    let code: Bytes = serde_json::from_value(node.ok("eth_getCode", json!([root, "latest"]))).unwrap();
    let parsed = keel_wasm::parse_root(&code).expect("eth_getCode returns the root's code");
    let keel_wasm::Deployment::Fragmented(expected) = keel_wasm::deployment(&wasm) else { panic!("the module must fragment") };
    assert_eq!(code.as_ref(), expected.root_code(&parsed.fragments).as_slice());
    for (at, fragment) in parsed.fragments.iter().zip(&expected.fragments) {
        let fragment_code: Bytes = serde_json::from_value(node.ok("eth_getCode", json!([Address::from(*at), "latest"]))).unwrap();
        assert_eq!(fragment_code.as_ref(), fragment.as_slice());
    }

    let returned = node.ok("eth_call", json!([{ "to": root, "data": "0x" }, "latest"]));
    assert_eq!(returned, json!(Bytes::copy_from_slice(&data[data.len() - 32..])));
}
